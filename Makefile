# zkos: two commands do everything.
#   make run   - set up, build, and run the main job (the workload demo)
#   make test  - set up and run every test
SHELL := /bin/bash
CARGO ?= cargo
FIXTURES ?= ../shared/fixtures/ethereum-tests/GeneralStateTests

.PHONY: run test setup fmt-check clippy core-targets unit statetest bench riscv-test riscv-calibrate

setup:
	@bash scripts/setup.sh

run: setup
	$(CARGO) run --release -p zkos-tests --bin workloads

test: setup fmt-check clippy core-targets unit riscv-test statetest
	@echo "make test: all suites passed"

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# core must build without std for both non-native targets.
core-targets:
	$(CARGO) build -p zkos-core --release --target wasm32-unknown-unknown
	$(CARGO) build -p zkos-core --release --target riscv32im-unknown-none-elf

# Includes the revm differential test and the runner's own check against revm.
unit:
	$(CARGO) test --workspace --release --features zkos-tests/revm-executor

statetest:
	$(CARGO) run --release -p zkos-tests --bin statetest -- --fork Cancun \
		--known-failures tests/known-failures/cancun.txt $(FIXTURES)

bench:
	$(CARGO) bench -p zkos-tests

RISCV_TARGET := riscv32im-unknown-none-elf

# The RISC-V guest is its own workspace (riscv-build/Cargo.toml), so the workspace-wide fmt and
# clippy above do not see it: check it here, then run the emulator tests, which build the ELF
# into target/riscv-build (same features as `unit`, so the test binary is reused).
riscv-test:
	cd riscv-build && $(CARGO) fmt -- --check
	cd riscv-build && $(CARGO) clippy --release --target $(RISCV_TARGET) \
		--target-dir ../target/riscv-build -- -D warnings
	$(CARGO) test --release -p zkos-tests --features zkos-tests/revm-executor --test riscv

# Instructions per EVM operation in the guest beside the native table, and per proved block.
riscv-calibrate:
	$(CARGO) run --release -p zkos-tests --bin calibrate
