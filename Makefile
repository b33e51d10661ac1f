# Two commands on a fresh machine: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# pytest-xdist workers: the crawl and browser tests mostly wait on servers and Chromium, so two
# workers halve the suite's time on the 2-core CI machine. `make test TEST_WORKERS=0` runs serially.
TEST_WORKERS ?= 2

.PHONY: demo test lint setup chromium clean

demo: setup
	$(BIN)/vigie demo

test: setup
	$(BIN)/ruff check crawlers pipeline models storage vigie tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: setup
	$(BIN)/ruff check crawlers pipeline models storage vigie tests bench
	$(BIN)/mypy

setup: $(STAMP) chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium drives the JavaScript sites (Playwright cannot download browsers here).
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium (apt-get)…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
