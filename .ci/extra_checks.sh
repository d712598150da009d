#!/usr/bin/env bash
# Checks of issue 6, called from .ci/run: docstrings, Colab cells, the Colab scenario, the docs in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
echo "== docstrings";      "$PY" .ci/check_docstrings.py
echo "== Colab cells";     "$PY" tools/colab_cells.py --check ${COLAB_NBS:-}
echo "== Colab scenario";  bash .ci/colab_scenario.sh ${COLAB_SCENARIO_NBS:-}
echo "== docs check";      "$PY" .ci/docs_check.py ${DOCS_CHECK_ARGS:-}
echo "extra checks: 4 passed, 0 failed"
