# Two commands matter: `make run` starts the board, `make test` runs every test.
# Each installs what it needs into .venv and node_modules first; `make run` only what running needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One stamp per requirements file's content: a changed file reinstalls, an unchanged one does nothing.
RUN_STAMP := $(VENV)/.run-$(shell cksum < requirements.txt | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test install install-dev bench screenshots decks clean pdf-libs test-tools cluster

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.run-* && touch $(RUN_STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.dev-* && touch $(DEV_STAMP)

# The browser's socket.io-client is served from here (no CDN); axe-core is only for the tests,
# but it is a single 0.5 MB file, so one install serves both.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser tests need Debian's chromium: installing it needs root (CI runs as root on a clean machine).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The PostgreSQL store's tests start a real PostgreSQL 15 (tests/engines.py: initdb + postgres, as the
# postgres user the package makes); its binaries are in the machine image, installed here where missing (root).
POSTGRES := /usr/lib/postgresql/15/bin/postgres
$(POSTGRES):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15

# The exports' test opens the CSV in LibreOffice Calc, as a facilitator's spreadsheet would (root too).
/usr/bin/soffice:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui

# The synthesis's PDF is made by WeasyPrint, which loads pango and needs a font: installed with apt-get
# when missing and we are root; otherwise said once, and the board still runs (its PDF answers 503 and
# the synthesis page's "Imprimer" button prints from the browser).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
pdf-libs:
	@missing=""; for p in $(PDF_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "note: the synthesis PDF needs$$missing (sudo apt-get install$$missing); the board runs without them." >&2; fi; \
	fi

# The synthesis test turns a PDF page into an image with pdftoppm (poppler-utils), as chromium is installed.
/usr/bin/pdftoppm:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils

# A shared server's engines (docs/deployment.md): nginx in front of the processes, Redis for their message
# queue; PostgreSQL 15 comes with the machine image. The scale-out tests start them (root, as chromium).
/usr/sbin/nginx:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx

/usr/bin/redis-server:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server

install: $(RUN_STAMP) node_modules/.package-lock.json pdf-libs

install-dev: install $(DEV_STAMP)

run: install
	$(PY) run.py $(ARGS)

# NO_BROWSER=1 skips chromium, LibreOffice and the tests that need them, for a machine where you are not root.
# Two test processes (pytest-xdist), a file each at a time: most tests wait on a server or a browser, so
# two share the machine's two cores well (12 min instead of 15 for the whole suite here).
test: install-dev /usr/bin/pdftoppm $(POSTGRES) /usr/sbin/nginx /usr/bin/redis-server $(if $(NO_BROWSER),,/usr/bin/chromium /usr/bin/soffice)
	NO_BROWSER=$(NO_BROWSER) $(PY) -m pytest -q -n 2 --dist loadfile $(ARGS)

# A shared server on this machine: nginx on 127.0.0.1:8080 hashing each board over N processes, Redis, and
# a PostgreSQL of its own, all from the system's packages, configuration in a temporary folder; Ctrl+C
# stops every engine by PID. `make cluster ARGS="--processes 4 --port 9000"` (docs/deployment.md).
cluster: install-dev /usr/sbin/nginx /usr/bin/redis-server
	$(PY) -m cluster $(ARGS)

# Refresh the README's pictures in docs/screenshots/.
screenshots: install-dev /usr/bin/chromium
	SCREENSHOTS=docs $(PY) -m pytest -q tests/test_screenshots.py tests/test_screenshots_fullscale.py tests/test_browser_projector.py \
		tests/test_browser_deck_import.py tests/test_browser_desk.py tests/test_browser_synthesis.py tests/test_synthesis.py \
		tests/test_browser_material.py tests/test_browser_panorama.py tests/test_browser_story_prepare.py \
		tests/test_browser_exchange.py tests/test_browser_projector_areas.py \
		tests/test_browser_campaign_compare.py tests/test_browser_evaluation.py

# The deck import's test files, saved again by LibreOffice Calc (tests/data/decks/make_decks.sh);
# they are committed, so only changing their sources needs this (and root, for LibreOffice).
decks: /usr/bin/soffice
	sh tests/data/decks/make_decks.sh

# Every bench/bench_*.py, then the chart; `make bench ARGS=--quick` for the quick mode (a few minutes).
# (The benchmarks' packages, gevent and matplotlib, are in requirements-dev.txt: their tests run in CI.)
bench: install-dev
	$(PY) bench/run_all.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
