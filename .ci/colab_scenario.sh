#!/usr/bin/env bash
# The learner's scenario, played outside the repo: build a wheel, install it into a fresh venv, copy each tutorial
# notebook alone into an empty folder and execute it there with nbclient, every cell in order as Jupyter's Run All
# does, `#| cuda` cells included (on a machine without a GPU they must skip themselves), `#| slow` cells left out.
# Passing proves the notebooks need only the installed package, and that Run All works on a CPU-only machine.
#   bash .ci/colab_scenario.sh [NOTEBOOK ...]          (default: every numbered notebook in nbs/)
# The venv (default $TMPDIR/rnn_colab_venv, or $COLAB_VENV) is made once and reused; its first setup installs
# fastai, torch and a Jupyter kernel from pip's configured sources (a few minutes). The wheel is reinstalled each run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-python}"
VENV="${COLAB_VENV:-${TMPDIR:-/tmp}/rnn_colab_venv}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/colab_scenario.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [ $# -gt 0 ]; then NBS=("$@"); else NBS=(); for f in "$ROOT"/nbs/[0-9]*.ipynb; do NBS+=("nbs/$(basename "$f")"); done; fi
for nb in "${NBS[@]}"; do [ -f "$ROOT/$nb" ] || { echo "colab_scenario: no notebook $nb" >&2; exit 1; }; done

echo "== 1. build the wheel"
(cd "$ROOT" && "$PY" -m build --wheel --outdir "$WORK/dist" > "$WORK/build.log" 2>&1) || { tail -40 "$WORK/build.log"; exit 1; }
WHEEL="$(ls "$WORK"/dist/*.whl)"
echo "built $(basename "$WHEEL")"

echo "== 2. a fresh venv: $VENV"
if ! "$VENV/bin/python" -c "import fastai, torch, matplotlib, nbclient, nbformat, ipykernel, nbdev" 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"   # no --system-site-packages: nothing leaks in from outside
  "$VENV/bin/pip" install -q "fastai>=2.8.4" torch matplotlib nbclient nbformat ipykernel nbdev 2>&1 | grep -v "is ignored: it is neither" || true
fi
"$VENV/bin/pip" install -q --force-reinstall --no-deps "$WHEEL" 2>&1 | grep -v "is ignored: it is neither" || true
"$VENV/bin/pip" install -q "$WHEEL" 2>&1 | grep -v "is ignored: it is neither" || true   # any dependency still missing

echo "== 3. each notebook alone in an empty folder, executed top to bottom (slow cells left out, cuda cells kept)"
mkdir "$WORK/home"
for nb in "${NBS[@]}"; do mkdir -p "$WORK/nb/$(basename "$nb" .ipynb)"; cp "$ROOT/$nb" "$WORK/nb/$(basename "$nb" .ipynb)/"; done
cd "$WORK/nb"
env -u PYTHONPATH -u VIRTUAL_ENV -u IN_TEST HOME="$WORK/home" \
    "$VENV/bin/python" - "${NBS[@]}" <<'EOF'
import sys, os, re, time, nbformat, nbclient, rnn_from_scratch
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
src = Path(rnn_from_scratch.__file__).resolve()
if 'site-packages' not in str(src): sys.exit(f"rnn_from_scratch came from {src}, not from the installed wheel")
print(f"rnn_from_scratch {rnn_from_scratch.__version__} from {src.parent}", flush=True)
flag = lambda c, f: c.cell_type == 'code' and re.search(rf'^#\|\s*{f}\b', c.source, re.M)
def run(name):
    folder = Path.cwd()/Path(name).stem
    nb = nbformat.read(folder/Path(name).name, as_version=4)
    n_slow = sum(bool(flag(c, 'slow')) for c in nb.cells); n_cuda = sum(bool(flag(c, 'cuda')) for c in nb.cells)
    nb.cells = [c for c in nb.cells if not flag(c, 'slow')]
    t = time.time()
    try: nbclient.NotebookClient(nb, timeout=1200, kernel_name='python3', resources={'metadata': {'path': str(folder)}}).execute()
    except nbclient.exceptions.CellExecutionError as e: return f"FAILED {name} outside the repo:\n{str(e)[-3000:]}"
    n = sum(c.cell_type == 'code' for c in nb.cells)
    return f"ok {name}: {n} code cells ({n_cuda} cuda kept, {n_slow} slow left out) in {time.time()-t:.0f} s"
jobs = int(os.environ.get('COLAB_JOBS', 2))
# Each kernel gets its share of the cores (unless OMP_NUM_THREADS is set): two kernels with torch's default of one
# thread per core would oversubscribe a 2-core machine, and every step would wait.
os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // jobs)))
print(f"{jobs} notebook(s) at a time, {os.environ['OMP_NUM_THREADS']} torch thread(s) each", flush=True)
t0 = time.time()
with ThreadPoolExecutor(jobs) as ex: results = list(ex.map(run, sys.argv[1:]))
for r in results: print(r)
print(f"all notebooks in {time.time()-t0:.0f} s")
if any(r.startswith('FAILED') for r in results): sys.exit(1)
EOF
echo "colab_scenario passed"
