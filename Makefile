# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when it is
# missing and (re)install only when pyproject.toml changed, so a second run starts at once.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.posko-installed

.PHONY: demo test bench lint translations clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Posko needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@# sqlcipher3-wheels replaced sqlcipher3-binary; both install the module sqlcipher3.
	@$(PY) -m pip uninstall -q -y sqlcipher3-binary 2>/dev/null || true
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) main.py demo --fresh

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
