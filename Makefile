# Shortcuts for the two set-up scripts (which need only Python 3.10+ and pip, not make).
.PHONY: demo test lint
demo:
	sh scripts/demo.sh
test:
	sh scripts/test.sh
lint:
	.venv/bin/ruff check normalize tests benchmarks scripts
	.venv/bin/mypy normalize
