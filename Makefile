# Crosspay: the two commands (make demo, make test) and the tools around them.
# Every target installs what is missing first (tools/bootstrap.sh), so a fresh clone needs nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Local chain to run on: ganache (default) or anvil.
NETWORK ?= ganache
# Optional: a test path (TESTS=tests/unit/token) and extra pytest arguments (ARGS="-k permit -x").
TESTS ?=
ARGS ?=
# make demo LIFECYCLES=N: the load mode (N customer lifecycles of every payment kind, at the node's speed, measured);
# LOAD_SCALING=1 runs N = 100, 1,000 and 10,000; LOAD_FAULTS=1 makes a run meet a revert, an out-of-gas transaction
# and a dropped one; LOAD_SEED fixes the random choices.
export LIFECYCLES LOAD_SCALING LOAD_FAULTS LOAD_SEED
# The local chain's port: give parallel runs their own (PORT=8546); brownie attaches to whatever listens there.
PORT ?= 8545
# make test's parallel workers (brownie's xdist support), each on its own chain: PORT, PORT+1, ... Two for the whole
# suite, one when TESTS names a path.
WORKERS ?= $(if $(TESTS),1,2)
TEST_PORTS = $(shell seq $(PORT) $$(( $(PORT) + $(WORKERS) - 1 )))
export CROSSPAY_PORT := $(PORT)
BROWNIE_NETWORK_ganache := ganache-cli
BROWNIE_NETWORK_anvil := anvil
BROWNIE_NETWORK := $(BROWNIE_NETWORK_$(NETWORK))
ifeq ($(BROWNIE_NETWORK),)
ifneq ($(filter demo test fuzz assurance gas gas-check gas-baseline check-network,$(or $(MAKECMDGOALS),help)),)
$(error unknown NETWORK=$(NETWORK); use NETWORK=ganache or NETWORK=anvil)
endif
endif

ROOT := $(CURDIR)
export PATH := $(ROOT)/node_modules/.bin:$(ROOT)/.venv/bin:$(PATH)
export SOLCX_BINARY_PATH := $(ROOT)/.toolchain/solcx
# brownie 1.22 warns about its own use of rpc.snapshot/revert on every run.
export PYTHONWARNINGS := ignore:rpc.:FutureWarning
BROWNIE := $(ROOT)/.venv/bin/brownie

.PHONY: help setup demo test fuzz assurance gas gas-check gas-baseline deploy check-network audit lint format

help:
	@echo "make demo    set up what is missing, start a local Ganache chain and run the payment lifecycle"
	@echo "make test    set up what is missing and run the whole test suite on Ganache (NETWORK=anvil for Anvil),"
	@echo "             in two workers on ports PORT and PORT+1 (WORKERS=1 for one)"
	@echo "make fuzz    the stateful tests with many more examples and steps (nightly)"
	@echo "make gas     measure gas and write reports/gas-report.{md,json,png}; gas-check / gas-baseline: the gate"
	@echo "make audit   Slither and slither-check-erc over contracts/ and interfaces/, judged by audit/triage.yml"
	@echo "make lint    ruff (lint and format) over the Python, prettier over the Solidity; make format applies both"

setup:
	@tools/bootstrap.sh

check-network:
	@tools/check-port.sh $(PORT)

demo: setup check-network
	@$(BROWNIE) run scripts/demo.py --network $(BROWNIE_NETWORK)

# The workers would each compile a fresh clone's contracts into the same build/ at once (one crashes reading a half-
# written artifact), so the project is compiled once before they start.
test: setup
	@tools/check-port.sh $(TEST_PORTS)
	@$(if $(filter-out 1,$(WORKERS)),$(BROWNIE) compile >/dev/null)
	@$(BROWNIE) test $(TESTS) --network $(BROWNIE_NETWORK) $(if $(filter-out 1,$(WORKERS)),-n $(WORKERS)) $(ARGS)

gas: setup check-network
	@$(BROWNIE) run scripts/gas_report.py main --network $(BROWNIE_NETWORK)

# A long run of the stateful tests (nightly): STATEFUL_EXAMPLES and STATEFUL_STEPS override each test's own numbers.
fuzz: setup check-network
	@STATEFUL_EXAMPLES=$${STATEFUL_EXAMPLES:-60} STATEFUL_STEPS=$${STATEFUL_STEPS:-50} \
		$(BROWNIE) test tests/stateful --network $(BROWNIE_NETWORK) -s $(ARGS)

# The README's assurance block: adversarial case count, stateful settings, the last Slither result.
assurance: setup check-network
	@.venv/bin/python scripts/assurance_report.py $(BROWNIE_NETWORK)

gas-check: setup check-network
	@$(BROWNIE) run scripts/gas_report.py check --network $(BROWNIE_NETWORK)

gas-baseline: setup check-network
	@$(BROWNIE) run scripts/gas_report.py baseline --network $(BROWNIE_NETWORK)

# Deploy the suite to NETWORK (a brownie network id: sepolia, or a local one). DRY_RUN=1 lists and estimates only.
deploy: setup
	@.venv/bin/python scripts/deploy.py --network $(or $(BROWNIE_NETWORK),$(NETWORK)) $(if $(filter-out 0,$(DRY_RUN)),--dry-run)

# Static analysis: Slither + slither-check-erc (ERC20, ERC2612) over the project's own contracts; no chain needed.
# Fails on any High/Medium finding, an untriaged Low/Informational one, or an ERC conformance failure.
audit: setup
	@.venv/bin/python scripts/audit.py

# Formatting and lint: ruff for Python (pyproject.toml), prettier-plugin-solidity for Solidity (.prettierrc.json),
# both at 120 columns. `make lint` checks (CI runs it); `make format` rewrites the files in place.
SOLIDITY := 'contracts/**/*.sol' 'interfaces/**/*.sol'

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@node_modules/.bin/prettier --check $(SOLIDITY)

format: setup
	@.venv/bin/ruff check --fix .
	@.venv/bin/ruff format .
	@node_modules/.bin/prettier --write --log-level warn $(SOLIDITY)
