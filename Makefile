# The two commands of the README: `make demo` and `make test`. Both build .venv from scratch
# on a fresh machine (Python 3.11+ and the package registry are all they need).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install browser clean bench-render

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,render]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/seo-audit demo --out demo-out

lint: install
	$(BIN)/ruff check .

# The report's browser tests drive Debian's chromium (never `playwright install`): install it
# when it is missing, so a fresh CI machine (which runs this as root) has it.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || (apt-get update && apt-get install -y chromium)

test: install lint browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) demo-out .pytest_cache *.egg-info

# The benchmark (bench/README.md): the full audit against advertools' crawl() on generated sites
# served by nginx on 127.0.0.1. Its own venv, sites, crawls and logs live in bench/.work/.
BENCH_VENV := bench/.work/venv
SIZES ?= 1000 10000
SHAPES ?= practice wordpress
RUNS ?= 2
PROFILE_SIZE ?= 1000
PROFILE_SHAPE ?= practice
RENDER_SIZE ?= 1000

$(BENCH_VENV)/.installed: bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -r bench/requirements.txt
	touch $@

bench-setup: install $(BENCH_VENV)/.installed

# ... then --render next to the plain audit on RENDER_SIZE pages (RENDER_SIZE=0: not measured)
bench: bench-setup browser
	$(BENCH_VENV)/bin/python bench/run.py throughput --sizes "$(SIZES)" --shapes "$(SHAPES)" \
		--runs $(RUNS)
	@if [ "$(RENDER_SIZE)" != "0" ]; then \
		$(BENCH_VENV)/bin/python bench/run.py rendered --size $(RENDER_SIZE); fi

bench-latency: bench-setup
	$(BENCH_VENV)/bin/python bench/run.py latency --runs $(RUNS)

bench-profile: bench-setup
	$(BENCH_VENV)/bin/python bench/run.py profile --size $(PROFILE_SIZE) \
		--shape $(PROFILE_SHAPE)

# --render next to the plain audit, on one generated site (bench/README.md); needs chromium
bench-render: bench-setup browser
	$(BENCH_VENV)/bin/python bench/run.py rendered --size $(RENDER_SIZE)

bench-clean:
	rm -rf bench/.work
