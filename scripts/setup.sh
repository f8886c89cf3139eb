#!/usr/bin/env bash
# Installs what zkos needs on a fresh Debian machine with rustup and Node 20. Idempotent: every
# step is skipped when its tool is already present, so a second run takes well under a second.
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin of bindings-wasm
WASM_PACK_VERSION=0.15.1

need_target() {
  rustup target list --installed | grep -qx "$1" || rustup target add "$1"
}
need_target wasm32-unknown-unknown
need_target riscv32im-unknown-none-elf
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

# wasm tooling: the npm wasm-pack downloads from GitHub (unreachable); build from crates.io.
if ! wasm-pack --version 2>/dev/null | grep -q "$WASM_PACK_VERSION"; then
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  # No --locked: its lockfile pins a crate version the registry here does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Chromium for browser tests (Debian's packages; Playwright's own download is unreachable).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium chromium-driver
fi

# npm package dev dependencies (TypeScript, binaryen's wasm-opt, viem, ethers, playwright-core,
# @ethereumjs/evm, solc; the published contract builds the real-contract differential reads:
# @uniswap/v2-core and v2-periphery, @openzeppelin/contracts 4.x, @safe-global/safe-smart-account):
# `npm ci` when node_modules is missing or package-lock.json changed.
if [ -f npm/package-lock.json ]; then
  LOCK_SUM=$(sha256sum npm/package-lock.json | cut -d' ' -f1)
  if [ ! -d npm/node_modules ] || [ "$(cat npm/node_modules/.zkos-lock-sha256 2>/dev/null)" != "$LOCK_SUM" ]; then
    (cd npm && npm ci --no-audit --no-fund)
    echo "$LOCK_SUM" > npm/node_modules/.zkos-lock-sha256
  fi
fi
