# Set-up and everyday commands (CONTRACT.md). Python 3.11 is the only prerequisite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# Test workers (pytest-xdist, each with its own test database): one per core; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
export DJANGO_ALLOW_ASYNC_UNSAFE ?= true
# Python writes its compiled modules even where the machine says not to (PYTHONDONTWRITEBYTECODE): without them
# every process compiles the project again, each test worker for seconds, and pytest rewrites every test module.
unexport PYTHONDONTWRITEBYTECODE
PACKAGES := $(dir $(wildcard */__init__.py))

.PHONY: run install install-test test lint bench migrate messages clean

# pip installs uv, and uv the packages (the same pins; in seconds where pip takes half a minute), compiled.
UV := $(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode -c constraints.txt

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -c constraints.txt uv
	$(UV) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(UV) -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0

# Served as its users meet it: their error pages, not Django's debug pages with every URL of the product
# (DJANGO_DEBUG=true make run shows those). Static files come from collectstatic, through whitenoise.
run: migrate
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Serving on http://127.0.0.1:$(PORT)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The checks that do not depend on the database: lint, migrations, deploy settings. CHECKS=no leaves them out (.ci/run
# runs them with the first database only).
CHECKS ?= yes
# The browser walks (pytest -m browser): BROWSER=no leaves them out, BROWSER=only runs them alone. .ci/run walks the
# pages once, on SQLite, beside the PostgreSQL run (docs/decisions.md, "The suite's time").
BROWSER ?= yes
ifeq ($(BROWSER),no)
BROWSER_ARGS := -m "not browser"
else ifeq ($(BROWSER),only)
BROWSER_ARGS := -m browser
endif

test: install-test
	$(PY) -m compileall -q -j 0 $(PACKAGES) conftest.py
ifneq ($(CHECKS),no)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	env -u DJANGO_ALLOW_ASYNC_UNSAFE \
	  DJANGO_SECRET_KEY=check-deploy-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-not-used-for-anything-real-0123456789 \
	  DJANGO_ALLOWED_HOSTS=example.org $(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.production
endif
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) $(BROWSER_ARGS) $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-test
	$(PY) bench/run.py

messages: install-test
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=static/vendor --ignore=var --ignore=bench
	$(PY) manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) var
