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
echo "== the figure check can fail: a figure planted in a page's prose must be caught"
PLANT="$(mktemp -d)/02_planted.ipynb"
"$PY" - "$PLANT" <<'PY'
import json, sys
nb = json.load(open('nbs/02_loop.ipynb'))
nb['cells'].append({'cell_type': 'markdown', 'metadata': {}, 'source': ['A planted figure: the loop reaches 0.12345 here.']})
json.dump(nb, open(sys.argv[1], 'w'))
PY
if "$PY" .ci/docs_check.py --figures "$PLANT" > "$PLANT.log" 2>&1; then echo "docs_check passed a planted figure"; exit 1; fi
grep -q "0.12345" "$PLANT.log" || { cat "$PLANT.log"; echo "docs_check failed, but not on the planted figure"; exit 1; }
echo "planted figure caught"
echo "== equations parse with KaTeX";  "$PY" .ci/docs_check.py --equations
echo "== the equation check can fail: a broken equation planted in a page's prose must be caught"
PLANT_EQ="$(mktemp -d)/02_planted_eq.ipynb"
"$PY" - "$PLANT_EQ" <<'PY'
import json, sys
nb = json.load(open('nbs/02_loop.ipynb'))
nb['cells'].append({'cell_type': 'markdown', 'metadata': {}, 'source': ['A planted equation: $h_{t-1$ here.']})
json.dump(nb, open(sys.argv[1], 'w'))
PY
if "$PY" .ci/docs_check.py --equations "$PLANT_EQ" > "$PLANT_EQ.log" 2>&1; then echo "docs_check passed a broken equation"; exit 1; fi
grep -q "02_planted_eq.ipynb cell" "$PLANT_EQ.log" || { cat "$PLANT_EQ.log"; echo "docs_check failed, but not on the planted equation"; exit 1; }
echo "planted equation caught"
echo "light checks passed"
