# didgah: `make demo` sets everything up and runs the default experiment; `make test` runs the tests.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.didgah-installed
RUNS    ?= runs

.PHONY: demo test check install lab notebooks results docs clean help

help:
	@echo "make demo   - create $(VENV), install didgah, run experiments/topics.yaml, print metrics and model path"
	@echo "make test   - create $(VENV) if needed, install didgah with test extras, run the checks and the test suite"
	@echo "make check  - only the code checks: ruff (lint), mypy (types), lint-imports (layers, no cycles)"
	@echo "make lab    - start JupyterLab in the project environment (notebooks/); options: make lab ARGS=\"--port 8890\""
	@echo "make notebooks - re-execute every notebook in place, so the committed outputs are current"
	@echo "make results - the saved runs and real-news scores notebooks/05_real_results.ipynb presents (needs ../shared/data)"
	@echo "make docs   - build the documentation site into site/ (mkdocs build --strict: warnings fail)"

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x "$(PY)" ]; then \
	  interpreter=$$(sh scripts/find-python.sh); \
	  echo "creating $(VENV) with $$interpreter"; \
	  "$$interpreter" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/didgah run experiments/topics.yaml --runs-dir $(RUNS)

check: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts docs
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: check
	$(PY) -m pytest

$(VENV)/.didgah-notebooks: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,notebooks]'
	@touch $@

# extra JupyterLab options: make lab ARGS="--port 8890 --no-browser"; as root, --allow-root is added
lab: $(VENV)/.didgah-notebooks
	cd notebooks && DIDGAH_RUNS_DIR=$(abspath $(RUNS)) ../$(VENV)/bin/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(ARGS)

notebooks: $(VENV)/.didgah-notebooks
	DIDGAH_RUNS_DIR=$(abspath $(RUNS)) $(PY) scripts/run_notebooks.py

# The runs notebooks/05_real_results.ipynb reads, trained into $(RUNS), then the topic models (the newest run of
# each) scored on hand-labelled real news: the train and topics-dev splits only (the test split is reported apart).
RESULT_CONFIGS := experiments/stance_farexstance_b2c.yaml experiments/topics_real.yaml experiments/topics.yaml
results: $(STAMP)
	@for config in $(RESULT_CONFIGS); do $(VENV)/bin/didgah run $$config --runs-dir $(RUNS) || exit 1; done
	@for name in topics_real topics; do \
	  run=$$($(PY) -c 'import sys, didgah; print(didgah.latest_run(sys.argv[1], sys.argv[2]).path)' $$name $(abspath $(RUNS))) \
	    || exit 1; \
	  for split in test train topics-dev; do $(PY) benchmarks/real_news.py $$run --split $$split || exit 1; done; \
	done

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) $(RUNS) .pytest_cache site
