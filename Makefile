# Two commands: `make run` and `make test`. Both create .venv and install what they need,
# Debian packages included (chromium for the browser tests, nodejs for the front-end unit tests,
# npm for the dashboard's chart library, pinned in widget/package-lock.json).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
STAGE  ?= dev
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-python test-js venv vendor system clean bench deploy destroy

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@# Debian's system Python keeps venv/ensurepip in a separate package.
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { command -v apt-get >/dev/null && \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv ; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Debian packages, installed only when missing (CI runs as root on a fresh machine).
system:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The dashboard's chart library (docs/reports.md): npm packages pinned by widget/package-lock.json,
# installed only when the lock changed, their browser (UMD) builds copied into
# widget/dashboard/vendor/ (kept out of git; the deploy publishes them with the rest of widget/).
NODE_STAMP := widget/node_modules/.installed
VENDOR_DIR := widget/dashboard/vendor
VENDOR     := $(VENDOR_DIR)/chart.umd.min.js $(VENDOR_DIR)/chartjs-chart-matrix.min.js

vendor: $(VENDOR)

$(NODE_STAMP): widget/package-lock.json
	@command -v npm >/dev/null || { command -v apt-get >/dev/null && \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm ; }
	cd widget && npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

$(VENDOR_DIR)/chart.umd.min.js: $(NODE_STAMP)
	mkdir -p $(VENDOR_DIR)
	cp widget/node_modules/chart.js/dist/chart.umd.min.js $@

$(VENDOR_DIR)/chartjs-chart-matrix.min.js: $(NODE_STAMP)
	mkdir -p $(VENDOR_DIR)
	cp widget/node_modules/chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js $@

run: $(STAMP) vendor
	PORT=$(PORT) $(BIN)/python -m local

test: system $(STAMP) vendor test-js test-python

test-js:
	@if ls widget/tests/*.test.mjs >/dev/null 2>&1; then node --test widget/tests/*.test.mjs; fi

# Two workers (pytest-xdist), a test file per worker at a time: the browser files share one local
# runner per worker, and files that start their own runner keep it to themselves.
TEST_WORKERS ?= 2
test-python: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/run.py

deploy: $(STAMP) vendor
	STAGE=$(STAGE) bash scripts/deploy.sh

destroy: $(STAMP)
	STAGE=$(STAGE) bash scripts/destroy.sh

clean:
	rm -rf $(VENV) .pytest_cache artifacts $(VENDOR_DIR) widget/node_modules
