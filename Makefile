# The two commands of the Quick start, and the benchmark. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= shopfloor.db
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# the Chinese catalogue: translated in the .po (in git), compiled to the .mo here
PO := tui/locale/zh_CN/LC_MESSAGES/shopfloor.po
MO := $(PO:.po=.mo)
POT := tui/locale/shopfloor.pot

.PHONY: run test test-dates bench demo clean catalog

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(MO): $(PO) | $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -D shopfloor -d tui/locale -l zh_CN

# after strings in the code change: extract them all and bring the .po up to date (new
# strings come in empty, changed ones fuzzy: the catalogue test fails until translated)
catalog: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output --no-wrap \
		--omit-header -o $(POT) tui
	$(VENV)/bin/pybabel update --no-wrap --ignore-obsolete --init-missing -D shopfloor \
		-d tui/locale -i $(POT) -l zh_CN
	@# Babel rewrites the header on every update (a date, a double space, a placeholder
	@# address): kept as it was, so that two people's catalogue changes merge cleanly
	sed -i -e '/^"POT-Creation-Date: /d' -e '/^"Report-Msgid-Bugs-To: /d' \
		-e 's/^"Project-Id-Version:  *shopfloor.*\\n"$$/"Project-Id-Version: shopfloor\\n"/' $(PO)

$(DB): | $(STAMP) $(MO)
	$(PY) -m tui demo --db $(DB)

run: $(STAMP) $(MO) $(DB)
	$(PY) -m tui --db $(DB)

demo: $(STAMP) $(MO)
	$(PY) -m tui demo --db $(DB) --force

# the print tests need a CUPS queue with a PDF printer: tests/cups/setup.sh installs and
# starts it (root; quick once done). Elsewhere they skip; in CI (CI=true) a failure stops here.
test: $(TEST_STAMP) $(MO)
	bash tests/cups/setup.sh || [ -z "$$CI" ]
	$(VENV)/bin/lint-imports
	TEXTUAL_ANIMATIONS=none $(PY) -m pytest
	$(MAKE) --no-print-directory test-dates

# the suite again with the system clock on three other days (libfaketime): green on any date
test-dates: $(TEST_STAMP)
	PY=$(PY) bash tests/dates/run.sh

bench: $(TEST_STAMP) $(MO)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
