# backup-dashboard: every command a developer or CI needs.
#   make setup   Python virtualenv with Horizon, the clients and the plugin
#   make cloud   the real local OpenStack (Debian packages, services, seed)
#   make demo    both, then Horizon with the plugin on http://127.0.0.1:8000
#   make test    everything: unit tests, the wheel test, real-cloud tests,
#                browser tests
#   make unit    the unit tests only (quick, no cloud)
#   make pep8    flake8 with OpenStack's hacking rules (tox -e pep8)
#   make messages  regenerate the translation catalogs
#                (backup_dashboard/locale) after marking or changing a string
#   make browser-test  the journeys in headless chromium (make screenshots:
#                also refresh docs/screenshots/)
#   make bench   the pages at scale against mistral-dashboard (prints figures,
#                refreshes benchmarks/RESULTS.md; ~15 min); make bench-cloud:
#                schedule runs over 1/5/20 volumes on the local OpenStack;
#                make bench-coldstart: `make demo` to a working login
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest -p no:warnings
MINICLOUD := tools/minicloud/minicloud
# The demo's settings (tools/demo) import testkit from the checkout's root.
DEMO_ENV := PYTHONPATH=$(CURDIR)/tools/demo:$(CURDIR) \
	DJANGO_SETTINGS_MODULE=settings

.PHONY: setup cloud demo test unit horizon-instances wheel-test cloud-test \
	cloud-status cloud-down cloud-purge minicloud-test clean browser-test \
	screenshots bench bench-cloud bench-coldstart figures pep8 messages \
	offline-test sync-workbooks

$(VENV)/.installed: requirements.txt test-requirements.txt setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r test-requirements.txt
	$(PY) -m pip install -q -e .
	touch $@

# Mistral's own DSL parser and engine for the offline workbook tests, kept
# apart from Horizon's dependencies.
.venv-mistral/.installed:
	test -x .venv-mistral/bin/python || $(PYTHON) -m venv .venv-mistral
	.venv-mistral/bin/pip install -q mistral==23.0.0 mistral-extra==17.0.0 oslotest
	touch $@

setup: $(VENV)/.installed .venv-mistral/.installed

# CLOUD_IS_UP=1: make test has just started the cloud and synced the
# workbooks, once for the tests it runs side by side.
cloud: setup
	$(if $(CLOUD_IS_UP),@true,$(MINICLOUD) up)
	$(if $(CLOUD_IS_UP),@true,@$(MAKE) --no-print-directory sync-workbooks)

# The bundled workbooks, synced as the admin (public scope).
sync-workbooks: setup
	-$(VENV)/bin/backup-dashboard-sync-workbooks --help >/dev/null 2>&1 && \
	  eval "$$($(MINICLOUD) env admin)" && \
	  $(VENV)/bin/backup-dashboard-sync-workbooks --scope public

demo: cloud
	@echo "Log in at http://127.0.0.1:8000 as demo / demo (or admin / admin)."
	$(DEMO_ENV) $(VENV)/bin/django-admin runserver 127.0.0.1:8000

# GNU gettext (xgettext, msgmerge, msgfmt: Debian's gettext) for Django's
# makemessages and for the unit test that checks the catalogs with them.
MSGFMT := /usr/bin/msgfmt

$(MSGFMT):
	@test "$$(id -u)" = 0 || { echo "$@ is missing and installing it needs root: apt-get install -y gettext"; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gettext

# The English catalogs, django (Python, templates) and djangojs
# (JavaScript): tests/unit/test_translations.py fails until they are
# regenerated after a string is marked or changed.
messages: setup $(MSGFMT)
	$(PY) tools/messages.py

unit: setup $(MSGFMT)
	$(PYTEST) -q tests/unit

# tox keeps flake8 and hacking in .tox/pep8, apart from Horizon's packages.
pep8: setup
	$(VENV)/bin/tox -e pep8

# Horizon's own Instances tests must still pass with the plugin enabled,
# with and without Mistral in the catalog: both at once (a minute each, one
# core each), each one's output shown when both are done.
HORIZON_INSTANCES := --pyargs openstack_dashboard.dashboards.project.instances.tests
horizon-instances: setup
	@mkdir -p test-output
	@$(PYTEST) -q $(HORIZON_INSTANCES) > test-output/instances.log 2>&1 & \
	plain=$$!; \
	$(PYTEST) -q -p tests.unit.dashboards.project.instances.horizon_with_mistral \
	  $(HORIZON_INSTANCES) > test-output/instances-mistral.log 2>&1; \
	mistral=$$?; wait $$plain; plain=$$?; \
	echo "Horizon's Instances tests:"; cat test-output/instances.log; \
	echo "... with Mistral in the catalog:"; \
	cat test-output/instances-mistral.log; \
	test $$plain = 0 && test $$mistral = 0

wheel-test: setup
	$(PYTEST) -q -m wheel tests/wheel

cloud-test: cloud
	$(PYTEST) -q -m cloud tests/cloud

# The tests that need no cloud: unit, Horizon's Instances, the wheel (which
# `test` runs later than the others, see below).
OFFLINE_SUITES := unit horizon-instances
offline-test: $(OFFLINE_SUITES) wheel-test

# Several lines of work at once, after Debian's gettext (apt, one at a
# time). The local OpenStack starts (Debian packages, its own virtualenv,
# services, seed) while .venv is installed and flake8 with hacking runs (a
# finding fails the target). Then the real-cloud tests run, which mostly
# wait on Cinder and Mistral and leave about a core idle, and the offline
# tests beside them take that core and no more: the cloud's services each
# run in a session of their own, Linux shares the CPU between sessions
# (autogroups) before nice counts, so the offline tests get a session whose
# autogroup is at nice 19. When they are done, the browser tests take their
# place beside the cloud tests (each test makes its own schedules, volumes
# and instances; a test that changes what the cloud shares, a lock or a
# quota, does it in a project of its own). Started at once, the three
# starved each other: the offline simulations poll, so a starved one burns
# more CPU, not less. The wheel test (a build and a fresh Horizon) waits
# for the cloud tests, which end before the browser tests: in the offline
# lane it held the browser tests back. The cloud tests' output comes as
# they run, the others' at the end; a failure of any fails the target,
# after all are done.
OFFLINE_LANE := setsid -w sh -c \
	'{ echo 19 >/proc/self/autogroup; } 2>/dev/null; exec nice -n 19 "$$@"' sh
test: $(MSGFMT)
	@mkdir -p test-output; cd test-output && \
	  rm -f offline.log offline.status browser.log wheel.log
	@$(MINICLOUD) up > test-output/minicloud-up.log 2>&1 & cloud=$$!; \
	status=0; offline=; browser=; \
	{ $(MAKE) --no-print-directory setup && $(VENV)/bin/tox -e pep8; } \
	  || status=$$?; \
	if [ $$status = 0 ]; then \
	  { $(OFFLINE_LANE) $(MAKE) --no-print-directory -k $(OFFLINE_SUITES); \
	    echo $$? > test-output/offline.status; } \
	    > test-output/offline.log 2>&1 & offline=$$!; \
	fi; \
	wait $$cloud || { status=1; echo "minicloud up failed:"; }; \
	cat test-output/minicloud-up.log; \
	if [ $$status = 0 ]; then \
	  $(MAKE) --no-print-directory sync-workbooks; \
	  { while [ ! -f test-output/offline.status ]; do sleep 5; done; \
	    $(MAKE) --no-print-directory CLOUD_IS_UP=1 browser-test; } \
	    > test-output/browser.log 2>&1 & browser=$$!; \
	  $(MAKE) --no-print-directory CLOUD_IS_UP=1 minicloud-test cloud-test \
	    || status=$$?; \
	fi; \
	if [ -n "$$offline" ]; then \
	  $(OFFLINE_LANE) $(MAKE) --no-print-directory wheel-test \
	    > test-output/wheel.log 2>&1 || status=1; fi; \
	if [ -n "$$browser" ]; then wait $$browser || status=1; fi; \
	if [ -n "$$offline" ]; then \
	  wait $$offline; \
	  [ "$$(cat test-output/offline.status)" = 0 ] || status=1; \
	  echo "Unit and Horizon's Instances tests:"; \
	  cat test-output/offline.log; \
	  echo "Wheel tests:"; cat test-output/wheel.log; fi; \
	if [ -f test-output/browser.log ]; then \
	  echo "Browser tests:"; cat test-output/browser.log; fi; \
	exit $$status

# Browser tests: Playwright drives Debian's chromium (never a browser of its
# own) through Horizon on the real local OpenStack; a failure leaves the
# step's screenshot and HTML in test-output/browser/. `make screenshots`
# also refreshes docs/screenshots/.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@test "$$(id -u)" = 0 || { echo "$@ is missing and installing it needs root: apt-get install -y chromium"; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium

browser-test: cloud $(CHROMIUM)
	$(PYTEST) -q -m browser tests/browser

screenshots: cloud $(CHROMIUM)
	BACKUP_DASHBOARD_SCREENSHOTS=1 $(PYTEST) -q -m browser tests/browser

# Benchmarks: scripts that print figures, never timed tests. mistral-dashboard
# (the peer measured against) gets its own virtualenv with .venv's versions.
.venv-bench/.installed: $(VENV)/.installed
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	$(VENV)/bin/pip freeze --exclude-editable | grep -v -i '^backup.dashboard' \
	  > .venv-bench/constraints.txt
	.venv-bench/bin/pip install -q -c .venv-bench/constraints.txt \
	  -r requirements.txt -r test-requirements.txt mistral-dashboard
	.venv-bench/bin/pip install -q --no-deps -e .
	touch $@

bench: .venv-bench/.installed
	.venv-bench/bin/python -m benchmarks.pages

bench-cloud: cloud
	$(PY) -m benchmarks.runs_cloud

bench-coldstart: setup
	$(PY) -m benchmarks.coldstart

# docs/robustness-figures.*: counted by the tests that hold them (a plain
# test run writes its counts under test-output/ only).
figures: cloud
	BACKUP_DASHBOARD_FIGURES=1 $(PYTEST) -q tests/unit/test_hostile_inputs.py \
	  tests/unit/test_csrf.py tests/unit/test_rotation.py
	BACKUP_DASHBOARD_FIGURES=1 $(PYTEST) -q -m cloud \
	  tests/cloud/test_faults.py tests/cloud/test_isolation.py

minicloud-test: cloud
	$(MINICLOUD) test-driver

cloud-status:
	$(MINICLOUD) status

cloud-purge:
	$(MINICLOUD) purge

cloud-down:
	$(MINICLOUD) down

clean:
	rm -rf $(VENV) .venv-bench .tox build dist *.egg-info
