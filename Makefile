# stopsync: `make run` sets up and runs the whole stack on the sample data; `make test` runs the tests.
.PHONY: setup run stop test test-unit lint bench compose-check clean

PY := .venv/bin/python

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/stack.sh start
	@.venv/bin/stopsync run --wait --force
	@echo
	@echo "  UI:      http://127.0.0.1:5001/"
	@echo "  API:     http://127.0.0.1:5001/docs"
	@echo "  status:  http://127.0.0.1:5001/api/status    (or .venv/bin/stopsync status)"
	@echo "  RabbitMQ console: http://127.0.0.1:15672 (guest/guest)"
	@echo "  stop with: make stop"

stop:
	@bash scripts/stack.sh stop

test: setup
	@bash scripts/test.sh

test-unit: setup
	@$(PY) -m pytest -q -m "not integration and not e2e"

lint: setup
	@$(PY) -m ruff check libs services tests bench

bench: setup
	@$(PY) bench/phase_latency.py

compose-check:
	@docker-compose config -q && echo "docker-compose.yml is valid"

clean: stop
	rm -rf .run .state
