# The two set-up commands are `make run` and `make test`; everything else here serves them.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
FLASK  := MARKETPLACE_ENV=development $(VENV)/bin/flask --app marketplace
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run worker jobs-status test lint install translations browser services evaluate bench bench-scale db messages

$(STAMP): requirements.txt requirements-torch.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-torch.txt
	$(PIP) install --quiet -r requirements.txt
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -f -d translations 2>&1 | tail -n 2

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the end-to-end tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

services:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Debian's redis-server for the shared rate-limit tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

db: install
	$(FLASK) db upgrade heads

# The web server and the job worker in one foreground command: the worker's lines start with [worker],
# Ctrl-C stops both (and so does either one ending).
run: db
	$(FLASK) seed --if-empty
	$(FLASK) reindex --if-needed
	@bash -c 'trap "trap - INT TERM EXIT; kill 0" INT TERM EXIT; \
	  $(FLASK) jobs worker 2>&1 | sed -u "s/^/[worker] /" & \
	  MARKETPLACE_ENV=development $(VENV)/bin/flask --app marketplace.wsgi run --host $(HOST) --port $(PORT)'

# The job worker alone (what `make run` starts beside the web server).
worker: db
	$(FLASK) jobs worker

jobs-status:
	$(FLASK) jobs status

lint: install
	$(VENV)/bin/ruff check marketplace embeddings seed benchmarks
	$(VENV)/bin/mypy marketplace embeddings seed

test: install browser services lint
	MARKETPLACE_REQUIRE_SERVICES=1 $(VENV)/bin/pytest -p no:cacheprovider -n 2 --dist loadgroup
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== The database tests again, on PostgreSQL =="; \
	  TEST_DB_BACKEND=postgres $(VENV)/bin/pytest -p no:cacheprovider -m "not e2e" --ignore=tests/embeddings \
	    --ignore=tests/matching/test_matching_app.py \
	    --ignore=tests/matching/test_backend_parity.py --ignore=tests/matching/test_postgres_store.py; \
	fi

messages: $(STAMP)
	$(VENV)/bin/pybabel extract --ignore-dirs=".* .venv __pycache__" -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(PY) -m marketplace.i18n_catalogues fill-english

# Item-level and scenario-level grades on the development set, scenario-level on the real-problem set,
# and the out-of-domain check; the corpus's scenario codes are read in the 2025 taxonomy.
evaluate: install
	$(PY) -m seed.export_corpus eval/corpus.jsonl
	$(PY) -m embeddings.evaluate --corpus eval/corpus.jsonl --scenarios eval/scenarios.json \
	  --queries eval/queries.jsonl --queries eval/real_queries.jsonl --grading both \
	  --out-of-domain eval/out_of_domain.jsonl

bench: install
	$(PY) -m benchmarks.bench_index

# Province scale: generates SCALE_SIZE offerings and as many needs (+ vendors, SMEs, orders, proposals) on an
# embedded PostgreSQL 18 with pgvector and measures pages, a mixed load on gunicorn -w 4, memory, edit-to-visible
# and cold start for both search backends. At 100k on 2 cores expect about 1.5 hours (see the README).
SCALE_SIZE ?= 100000
bench-scale: install
	$(PY) -m benchmarks.bench_scale --size $(SCALE_SIZE) --backend both
