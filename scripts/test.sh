#!/bin/sh
# Set up and run the tests on a fresh machine (needs only Python 3.10+ with venv and pip):
# create .venv, install normalize with its test extras, run ruff, mypy and pytest.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# An unpinned torch pulls a multi-GB CUDA build; 2.13.0 is the CPU build the project is tested with.
.venv/bin/python -m pip install -q "torch==${TORCH_VERSION:-2.13.0}"
.venv/bin/python -m pip install -q -e ".[translate,scale,test]"
.venv/bin/ruff check normalize tests benchmarks scripts
.venv/bin/mypy normalize
.venv/bin/python -m pytest -q "$@"
