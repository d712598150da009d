#!/usr/bin/env bash
# Checks of issue 6, called from .ci/run: docstrings, Colab cells, the Colab scenario, the docs in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
echo "== docstrings";      "$PY" .ci/check_docstrings.py
echo "== Colab cells";     "$PY" tools/colab_cells.py --check ${COLAB_NBS:-}
echo "== Colab scenario";  bash .ci/colab_scenario.sh ${COLAB_SCENARIO_NBS:-}
echo "== docs check";      "$PY" .ci/docs_check.py ${DOCS_CHECK_ARGS:-}
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
echo "extra checks: 5 passed, 0 failed"
