# Two commands matter: `make run` starts the board, `make test` runs every test.
# Both install what they need into .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test install bench screenshots clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser tests need Debian's chromium; CI runs as root on a clean machine.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

install: $(STAMP) node_modules/.package-lock.json

run: install
	$(PY) run.py $(ARGS)

test: install /usr/bin/chromium
	$(PY) -m pytest -q $(ARGS)

# Refresh the README's pictures in docs/screenshots/.
screenshots: install /usr/bin/chromium
	SCREENSHOTS=docs $(PY) -m pytest -q tests/test_screenshots.py tests/test_browser_projector.py

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
