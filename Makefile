# The two commands of the Quick start, and the benchmark. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= shopfloor.db
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-dates bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(DB): | $(STAMP)
	$(PY) -m tui demo --db $(DB)

run: $(STAMP) $(DB)
	$(PY) -m tui --db $(DB)

demo: $(STAMP)
	$(PY) -m tui demo --db $(DB) --force

# the print tests need a CUPS queue with a PDF printer: tests/cups/setup.sh installs and
# starts it (root; quick once done). Elsewhere they skip; in CI (CI=true) a failure stops here.
test: $(TEST_STAMP)
	bash tests/cups/setup.sh || [ -z "$$CI" ]
	$(VENV)/bin/lint-imports
	TEXTUAL_ANIMATIONS=none $(PY) -m pytest
	$(MAKE) --no-print-directory test-dates

# the suite again with the system clock on three other days (libfaketime): green on any date
test-dates: $(TEST_STAMP)
	PY=$(PY) bash tests/dates/run.sh

bench: $(TEST_STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
