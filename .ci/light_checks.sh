#!/usr/bin/env bash
# The project's own checks that need no GPU, no browser and no training: run by GitHub's test.yaml after nbdev3-ci,
# and by .ci/run, so that both CI definitions check the same things.
#   docstrings of every exported symbol; README.md, nbs/index.ipynb and nbs/nbdev.yml in sync; the Colab cells of every
#   notebook; the figures in the prose and the stored outputs (docs_check step 1), the equations (KaTeX, from npm),
#   and that both of these checks can fail.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
echo "== docstrings";                 "$PY" .ci/check_docstrings.py
echo "== README and index in sync";   "$PY" tools/sync_readme.py --check
echo "== Colab cells";                "$PY" tools/colab_cells.py --check
echo "== figures and stored outputs"; "$PY" .ci/docs_check.py --figures
# plant WHAT CHECK TEXT EXPECT: append a markdown cell TEXT to a copy of 02_loop, run `docs_check.py CHECK` on it; it must fail, on EXPECT
plant() {
  local what="$1" check="$2" text="$3" expect="$4" nb
  nb="$(mktemp -d)/02_planted.ipynb"
  "$PY" - "$nb" "$text" <<'PY'
import json, sys
nb = json.load(open('nbs/02_loop.ipynb'))
nb['cells'].append({'cell_type': 'markdown', 'metadata': {}, 'source': [sys.argv[2]]})
json.dump(nb, open(sys.argv[1], 'w'))
PY
  if "$PY" .ci/docs_check.py "$check" "$nb" > "$nb.log" 2>&1; then echo "docs_check passed a planted $what"; exit 1; fi
  grep -q -- "$expect" "$nb.log" || { cat "$nb.log"; echo "docs_check failed, but not on the planted $what"; exit 1; }
  echo "planted $what caught"
}
echo "== the figure check can fail: a figure planted in a page's prose must be caught"
plant figure --figures 'A planted figure: the loop reaches 0.12345 here.' '0.12345'
echo "== equations parse with KaTeX";  "$PY" .ci/docs_check.py --equations
echo "== the equation check can fail: a broken equation planted in a page's prose must be caught"
plant equation --equations 'A planted equation: $h_{t-1$ here.' '02_planted.ipynb cell'
echo "light checks passed"
