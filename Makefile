# zkos: two commands do everything.
#   make run   - set up, build, run the engine demo (workloads: gas, native, time), then build the
#                playground and serve it on http://localhost:5173 with the ERC-20 example loaded
#   make test  - set up and run every test
SHELL := /bin/bash
CARGO ?= cargo
FIXTURES ?= ../shared/fixtures/ethereum-tests/GeneralStateTests
FORK_FIXTURES ?= ../shared/fixtures/execution-spec-tests/state_tests

.PHONY: run test setup fmt-check clippy doc-check core-targets unit statetest bench npm-build npm-test \
	playground-deps playground-test playground-serve riscv-lint riscv-calibrate size-breakdown

setup:
	@bash scripts/setup.sh

run: setup
	$(CARGO) run --release -p zkos-tests --bin workloads
	$(MAKE) playground-serve

test: setup fmt-check clippy doc-check riscv-lint core-targets unit statetest npm-test playground-test
	@echo "make test: all suites passed"

fmt-check:
	$(CARGO) fmt --all -- --check

# The core again for wasm32: its 32-bit code paths (limbs, tables) are linted there only.
clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p zkos-core --all-targets --target wasm32-unknown-unknown -- -D warnings

# The library crates' docs build without a broken or private intra-doc link.
doc-check:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p zkos-core -p zkos-wasm -p zkos-curves-wasm --no-deps

# core must build without std for both non-native targets.
core-targets:
	$(CARGO) build -p zkos-core --release --target wasm32-unknown-unknown
	$(CARGO) build -p zkos-core --release --target riscv32im-unknown-none-elf

# Includes the revm differential test, the runner's own check against revm and the architecture
# check (tests/tests/architecture.rs: layers, file circles, file length; reads text, runs in 1 s).
unit:
	$(CARGO) test --workspace --release --features zkos-tests/revm-executor
	# The engine tests again over a source that knows nothing until told (fork mode's pauses).
	ZKOS_TEST_FORGETFUL_STATE=1 $(CARGO) test --workspace --release --features zkos-tests/revm-executor --lib -- engine::

# Cancun over ethereum/tests; then Prague and Osaka over execution-spec-tests fixtures when
# $(FORK_FIXTURES) holds them (README, "Ethereum conformance": which release, and the counts).
statetest:
	$(CARGO) run --release -p zkos-tests --bin statetest -- --fork Cancun $(FIXTURES)
	@if [ -d "$(FORK_FIXTURES)" ]; then \
		$(CARGO) run --release -p zkos-tests --bin statetest -- --fork Prague $(FORK_FIXTURES) && \
		$(CARGO) run --release -p zkos-tests --bin statetest -- --fork Osaka $(FORK_FIXTURES); \
	else \
		echo "statetest: no Prague/Osaka fixtures at $(FORK_FIXTURES): those runs skipped"; \
	fi

bench:
	$(CARGO) bench -p zkos-tests

# The npm package: build (wasm-pack for web and nodejs, tsc to ESM and CJS), its tests (API,
# provider with viem and ethers, CLI, Chromium page and Web Worker) and the wasm size budget.
npm-test: npm-build
	cd npm && npm test && npm run size

# Builds npm/dist only when the core, the bindings or the package sources changed since the
# last build (the wasm-opt pass alone takes about a minute).
NPM_INPUTS := $(shell find core/src bindings-wasm/src bindings-wasm/curves/src npm/src npm/scripts -type f 2>/dev/null) \
	Cargo.toml core/Cargo.toml bindings-wasm/Cargo.toml bindings-wasm/curves/Cargo.toml Cargo.lock npm/package.json $(wildcard npm/tsconfig*.json)
npm/dist/.built: $(NPM_INPUTS)
	cd npm && npm run build
	touch $@

npm-build: setup npm/dist/.built

# What the main wasm module holds, by crate and zkos-core module (npm/scripts/size-breakdown.mjs:
# twiggy over the last build's module with its names kept); installs twiggy when it is missing.
size-breakdown: npm-build
	@command -v twiggy >/dev/null 2>&1 || cargo install twiggy --locked
	cd npm && node scripts/size-breakdown.mjs

# The playground (playground/) on the zkos package (npm/, built here from the wasm bindings;
# setup installs its dependencies), then its unit tests and headless-Chromium tests against a
# production build. Its dependencies are installed from package-lock.json when that changed, with
# `npm install --no-save` rather than `npm ci`: the registry here serves only this platform's
# optional packages (rollup, esbuild), so the lock lacks the others and `npm ci` rejects it.
playground-deps: npm-build
	@cd playground && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-save --no-audit --no-fund; }

playground-test: playground-deps
	cd playground && npm test

# Builds the playground and serves it on http://localhost:5173 with the ERC-20 example loaded.
playground-serve: playground-deps
	cd playground && npx vite build --logLevel warn && node scripts/serve.js dist 5173

RISCV_TARGET := riscv32im-unknown-none-elf

# The RISC-V guest is its own workspace (riscv-build/Cargo.toml), so the workspace-wide fmt and
# clippy above do not see it: check it here. Its emulator tests (tests/tests/riscv.rs: build the
# ELF into target/riscv-build, prove recorded blocks, tampering) run with `unit`.
riscv-lint:
	cd riscv-build && $(CARGO) fmt -- --check
	cd riscv-build && $(CARGO) clippy --release --target $(RISCV_TARGET) \
		--target-dir ../target/riscv-build -- -D warnings

# Instructions per EVM operation in the guest beside the native table, and per proved block.
riscv-calibrate:
	$(CARGO) run --release -p zkos-tests --bin calibrate
