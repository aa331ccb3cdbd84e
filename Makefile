# essaypress — `make build` and `make test` install what is missing, then do their job.
#
#   make build   system packages (apt-get, as root) + .venv, then sources/ -> build/anthology.{pdf,docx,epub}
#   make test    the same set-up, then the whole test suite (slow tests included), mypy, ruff
#   make lint    .venv only, then mypy and ruff
#   make bench   essaypress vs the pandoc pipeline on 100 and 400 generated essays (minutes)
#   make format  ruff format + ruff check --fix
#   make clean   remove build/ and tool caches (make distclean also removes .venv)
#
# PYTHON=python3.12 make ...   choose the interpreter for .venv (>= 3.11)
# ESSAYPRESS_SKIP_SYSTEM=1     skip the Debian package check (other distributions)

SHELL := /bin/sh
BIN := .venv/bin

.DEFAULT_GOAL := build
.PHONY: build test lint format bench setup setup-venv clean distclean help

setup:
	@sh scripts/bootstrap.sh

setup-venv:
	@sh scripts/bootstrap.sh --venv

build: setup
	$(BIN)/essaypress build sources -o build

# Each check runs even if an earlier one failed; the last line names those that failed.
RUN_CHECKS = failed=; \
	run() { name=$$1; shift; echo "+ $$*"; "$$@" || failed="$$failed $$name"; }; \
	$(1) \
	if [ -n "$$failed" ]; then echo "make $@: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make $@: all passed"
LINTERS = run mypy $(BIN)/mypy; \
	run ruff-check $(BIN)/ruff check; \
	run ruff-format $(BIN)/ruff format --check;

test: export ESSAYPRESS_REQUIRE_TOOLS := 1
test: setup
	@$(call RUN_CHECKS, run pytest $(BIN)/pytest; $(LINTERS))

bench: setup
	$(BIN)/python bench/run.py

lint: setup-venv
	@$(call RUN_CHECKS, $(LINTERS))

format: setup-venv
	$(BIN)/ruff format
	$(BIN)/ruff check --fix

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv src/*.egg-info

help:
	@sed -n '1,/^$$/p' Makefile
