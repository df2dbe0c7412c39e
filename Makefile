# Two commands that work on a fresh machine with Python 3.11 and make:
#   make run   - ingest the samples in data/raw into data/parsed
#   make test  - run the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv clean samples schema docs bench

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/referat ingest data/raw --out data/parsed

test: $(STAMP)
	$(BIN)/python -m pytest -q

samples: $(STAMP)
	$(BIN)/python scripts/make_sample_pdfs.py

schema: $(STAMP)
	$(BIN)/python -m pipeline.tables > docs/schema.md

docs: schema
	$(BIN)/python -m pipeline.settings > docs/settings.md
	$(BIN)/python -m pipeline.rules > docs/rules.md

clean:
	rm -rf $(VENV) data/parsed/*/ .pytest_cache
