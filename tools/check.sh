#!/usr/bin/env bash
# The checks CI runs, and a contributor before pushing: style (ruff check), formatting (ruff format),
# types (mypy: the core clean, ui/ within tools/mypy-ui-baseline.txt). Every check runs; any finding fails.
#   .venv/bin/pip install -e '.[test,lint]' && tools/check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
status=0
echo "== ruff check";         "$PY" -m ruff check .          || status=1
echo "== ruff format --check"; "$PY" -m ruff format --check . || status=1
echo "== mypy";               "$PY" tools/check_types.py     || status=1
[ $status -eq 0 ] && echo "Tout est conforme." || echo "Des vérifications ont échoué (voir ci-dessus)."
exit $status
