# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when it is
# missing and (re)install only when pyproject.toml changed, so a second run starts at once.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.posko-installed

.PHONY: demo demo-desk2 test bench lint translations clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Posko needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# The demo: a central server on 127.0.0.1 and desk 1 logged in to it (stops together).
demo: $(STAMP)
	$(PY) main.py demo --fresh

# A second desk (the kelurahan office) against the server `make demo` runs.
demo-desk2: $(STAMP)
	$(PY) main.py demo --desk kelurahan

# Two pytest processes: the tests that start QtWebEngine run in their own (see
# WEBENGINE_TESTS in tests/conftest.py). Both must pass.
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not webengine"
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m webengine

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

lint: $(STAMP)
	$(PY) -m ruff check .

translations: $(STAMP)
	$(PY) -m console.i18n_tools update

clean-venv:
	rm -rf $(VENV)
