# wangjian: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install system-deps demo test format bench-deps clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock package.json package-lock.json scripts/build_assets.py $(wildcard src/wangjian/*/locale/*/LC_MESSAGES/*.po) $(wildcard src/wangjian/locale/*/LC_MESSAGES/*.po)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	npm ci --no-audit --no-fund --silent
	$(BIN)/python scripts/build_assets.py
	touch $@

# Debian's Chromium and CJK fonts for captures, PDFs and browser tests (installed when missing and root).
system-deps:
	@bash scripts/system_deps.sh

demo: install system-deps
	$(BIN)/wangjian demo

test: install system-deps
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist worksteal  # two workers (half the time on two cores); an idle one takes over the other's queue

# Baselines for the benchmarks (splink, DuckDB, Scrapy); see bench/README.md.
bench-deps: install
	$(BIN)/pip install -q -r requirements-bench.lock

format: install
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

clean:
	rm -rf $(VENV) node_modules src/wangjian/static/vendor
