#!/usr/bin/env bash
# The heavier checks, called from .ci/run after .ci/light_checks.sh: the Colab scenario, the docs in a browser;
# and the native LSTM kernel both ways (with the compiler hidden, and with one).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
echo "== Colab scenario";  bash .ci/colab_scenario.sh ${COLAB_SCENARIO_NBS:-}
echo "== docs check";      "$PY" .ci/docs_check.py ${DOCS_CHECK_ARGS:-}
echo "== the native LSTM kernel: skipped with one line without a compiler; built, listed and checked against nn.LSTM with one"
EXT="$(mktemp -d)"
bench_small() { TORCH_EXTENSIONS_DIR="$EXT/$1" "$PY" -m rnn_from_scratch.bench --sizes 16x4x16 --reps 2 --no-compile 2>&1; }
out=$(CXX=false bench_small hidden) || { echo "$out"; echo "bench failed with the compiler hidden (CXX=false)"; exit 1; }
[[ $(grep -c "native LSTM kernel not available, skipped" <<<"$out") -eq 1 ]] || { echo "$out"; echo "with CXX=false, bench must say in one line that the native kernel is skipped"; exit 1; }
grep -q "native loop" <<<"$out" && { echo "$out"; echo "with CXX=false there must be no native row"; exit 1; }
if [[ "${CXX:-}" == false ]] || ! command -v "${CXX:-c++}" >/dev/null; then
  echo "no C++ compiler here (CXX=${CXX:-unset}): the native kernel is skipped, as checked above"
else
  out=$(bench_small build) || { echo "$out"; echo "bench failed with a compiler"; exit 1; }
  grep -q "native loop (C++)" <<<"$out" || { echo "$out"; echo "with a compiler, bench must list the native loop"; exit 1; }
  TORCH_EXTENSIONS_DIR="$EXT/build" "$PY" -c "
from rnn_from_scratch.fast_lstm import check_native
r = check_native(); worst = max(v for k, v in r.items() if k != 'gradcheck')
assert r['gradcheck'] and worst < 1e-5, r
print(f'native kernel: within {worst:.1e} of nn.LSTM on outputs, states and every gradient; gradcheck passed')"
fi
echo "extra checks passed"
