# Two entry points, each doing its own set-up on a machine with only Python 3.10+ and pip:
#   make demo   - create .venv, install normalize, resolve spellings and link a sample article
#   make test   - create .venv, install normalize with test extras (CPU torch pinned), run ruff, mypy, pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# An unpinned torch pulls a multi-GB CUDA build; 2.13.0 is the CPU build the project is tested with.
TORCH ?= torch==2.13.0

.PHONY: demo test lint venv clean

venv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

demo: venv
	$(BIN)/python -m pip install -q .
	$(BIN)/normalize lookup "Tuz Khurmatu" "Tuz Khurmato" "Touz Hourmato" "طوز خورماتو" "دووزخورماتوو" "Peshmerga" || test $$? -eq 1
	$(BIN)/normalize link --format table docs/sample-article.txt

test: venv
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[translate,scale,test]"
	$(MAKE) lint
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check normalize tests benchmarks scripts
	$(BIN)/mypy normalize

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
