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

# The Linux bundle: dist/posko/ (runs without Python) and dist/posko-VERSION-linux-x86_64.tar.gz.
# Slow (a few minutes, ~1 GB of downloads the first time) and never part of `make test`;
# tests/test_bundle.py checks a built bundle. It builds in .bundle-venv, a virtualenv of its
# own (the lock, PyInstaller pinned with hashes, Posko installed as a wheel installs it),
# so .venv is never touched. Windows: installer/windows/README.md.
.PHONY: bundle
BUNDLE_VENV  := .bundle-venv
BUNDLE_STAMP := $(BUNDLE_VENV)/.posko-bundle-tools
BUNDLE_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
BUNDLE_TAR    = dist/posko-$(BUNDLE_VERSION)-linux-x86_64.tar.gz

$(BUNDLE_STAMP): requirements-lock.txt installer/requirements-build.txt
	rm -rf $(BUNDLE_VENV)
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/pip install -q --disable-pip-version-check --require-hashes -r requirements-lock.txt
	$(BUNDLE_VENV)/bin/pip install -q --disable-pip-version-check --require-hashes -r installer/requirements-build.txt
	@touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	@# pip builds in ./build: no module deleted since the last build may ride along
	rm -rf build/lib build/bdist.*
	$(BUNDLE_VENV)/bin/pip install -q --disable-pip-version-check --no-deps --force-reinstall .
	rm -rf dist/posko $(BUNDLE_TAR)
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/posko.spec
	mkdir -p dist/posko/share
	cp installer/linux/posko.desktop installer/linux/posko.png installer/linux/posko.svg dist/posko/share/
	cp installer/linux/install.sh dist/posko/install.sh
	env -i PATH=/usr/bin:/bin HOME=$(CURDIR)/build QT_QPA_PLATFORM=offscreen dist/posko/posko --help >/dev/null
	tar -C dist -czf $(BUNDLE_TAR) posko
	@du -sm dist/posko | awk '{print "dist/posko: " $$1 " MB unpacked"}'
	@du -m $(BUNDLE_TAR) | awk '{print "$(BUNDLE_TAR): " $$1 " MB"}'

