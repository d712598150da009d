#!/usr/bin/env bash
# The Colab scenario, played outside the repo: build a wheel, install it into a fresh venv, copy one tutorial
# notebook alone into an empty folder and execute it there top to bottom. Passing proves the notebook needs only
# the installed package (plus what the notebook's Colab cell installs: nbdev for show_doc), not the repo.
#   bash .ci/colab_scenario.sh [NOTEBOOK]          (default: nbs/00_data.ipynb)
# The venv (default $TMPDIR/rnn_colab_venv, or $COLAB_VENV) is made once and reused; its first setup installs
# fastai, torch and a Jupyter kernel from pip's configured sources (a few minutes). The wheel is reinstalled each run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NB="${1:-nbs/00_data.ipynb}"
PY="${PYTHON:-python}"
VENV="${COLAB_VENV:-${TMPDIR:-/tmp}/rnn_colab_venv}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/colab_scenario.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
[ -f "$ROOT/$NB" ] || { echo "colab_scenario: no notebook $NB" >&2; exit 1; }

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

echo "== 3. the notebook alone in an empty folder"
mkdir "$WORK/nb" "$WORK/home"
cp "$ROOT/$NB" "$WORK/nb/"
NAME="$(basename "$NB")"

echo "== 4. execute $NAME there, top to bottom"
cd "$WORK/nb"
env -u PYTHONPATH -u VIRTUAL_ENV HOME="$WORK/home" "$VENV/bin/python" - "$NAME" <<'EOF'
import sys, os, nbformat, nbclient, rnn_from_scratch
from pathlib import Path
here = Path.cwd()
src = Path(rnn_from_scratch.__file__).resolve()
if 'site-packages' not in str(src): sys.exit(f"rnn_from_scratch came from {src}, not from the installed wheel")
print(f"rnn_from_scratch {rnn_from_scratch.__version__} from {src.parent}")
print(f"folder holds only: {sorted(p.name for p in here.iterdir())}")
nb = nbformat.read(sys.argv[1], as_version=4)
# the kernel is this venv's python (ipykernel's own spec); cwd is the empty folder
client = nbclient.NotebookClient(nb, timeout=900, kernel_name='python3', resources={'metadata': {'path': str(here)}})
try: client.execute()
except nbclient.exceptions.CellExecutionError as e: sys.exit(f"{sys.argv[1]} failed outside the repo:\n{str(e)[-3000:]}")
n = sum(c.cell_type == 'code' for c in nb.cells)
print(f"executed {n} code cells of {sys.argv[1]} outside the repo: OK")
EOF
echo "colab_scenario passed"
