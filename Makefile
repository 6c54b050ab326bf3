# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when it is
# missing and (re)install only when pyproject.toml or requirements-lock.txt changed.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.posko-installed

.PHONY: demo demo-desk2 test bench lint translations clean-venv lock

# Dependencies come from requirements-lock.txt: exact versions with their hashes, the same
# on every machine and in CI (`make lock` refreshes it after pyproject.toml changes).
$(STAMP): pyproject.toml requirements-lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Posko needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	@# A new virtualenv each time the lock or pyproject changes: it then holds exactly the
	@# lock, nothing an older one left (PySide6 6.12's split WebEngine wheels, say).
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements-lock.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# Re-resolve the lock from pyproject.toml (newest versions its ranges allow), with hashes,
# for Python 3.11 on Linux. pip-tools runs from its own throwaway virtualenv.
lock:
	@test -x .lock-tools/bin/pip-compile || ($(PYTHON) -m venv .lock-tools && .lock-tools/bin/pip install -q pip-tools)
	.lock-tools/bin/pip-compile -q --extra console --extra server --extra dev --generate-hashes \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements-lock.txt pyproject.toml

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
