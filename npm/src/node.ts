// Node ESM entry: the wasm is compiled once from the file; every engine instantiates it anew.
import { readFileSync } from 'node:fs';
import { type CurveSource, installCurves, setCurveLoader } from './curves.js';
import { Engine } from './engine.js';
import { type Instantiate, instantiator } from './instance.js';
import { createBindings } from './wasm/zkos_bindings.js';
import type { EngineOptions, ForkEngineOptions } from './types.js';
import { createForkedEngine, isForkOptions } from './fork/create.js';
import type { ForkedEngine } from './fork/forked-engine.js';

export * from './api.js';
export { directoryCache } from './fork/cache-dir.js';
export { createDevProvider, DEV_METHODS, MAX_IMPERSONATED } from './devnode/methods.js';
export { DevChain, type DevChainOptions } from './devnode/dev-chain.js';
export { devAccounts, TEST_MNEMONIC, type DevAccount } from './devnode/accounts.js';
export { serve, type NodeServer, type ServeOptions, type WsSession, DEFAULT_BATCH_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_BATCH_REQUESTS, MAX_BODY_BYTES, MAX_WS_ANSWERING } from './devnode/server.js';
export { MAX_HELD_BYTES } from './devnode/held.js';
export { MAX_SET_CODE_BYTES, MAX_SET_STATE_BYTES, MEMORY_RESERVE_BYTES } from './devnode/state-budget.js';
export { connectionProvider } from './devnode/subscriptions.js';

let instantiate: Instantiate | undefined;

/** The curve module (RIPEMD-160, modexp, bn254, KZG, BLS12-381, P-256 arithmetic) is read from its file on first use. */
const CURVES_FILE = new URL('./wasm/zkos_curves.wasm', import.meta.url);
setCurveLoader(() => readFileSync(CURVES_FILE));

/**
 * Loads the curve module now (Node loads it on first use by itself); `source` may be its bytes
 * or a compiled module instead of the package's file.
 */
export function loadCurves(source?: CurveSource): Promise<void> {
  installCurves(source ?? readFileSync(CURVES_FILE));
  return Promise.resolve();
}

/** Loads the wasm (synchronous; done on first use). */
export function init(): Promise<void> {
  load();
  return Promise.resolve();
}

function load(): Instantiate {
  instantiate ??= instantiator(createBindings, new WebAssembly.Module(readFileSync(new URL('./wasm/zkos_wasm_bg.wasm', import.meta.url))));
  return instantiate;
}

/** Creates an engine (in a wasm instance of its own); with `fork`, one forking a real chain. */
export async function createEngine(options: ForkEngineOptions): Promise<ForkedEngine>;
export async function createEngine(options?: EngineOptions): Promise<Engine>;
export async function createEngine(options: EngineOptions | ForkEngineOptions = {}): Promise<Engine | ForkedEngine> {
  if (isForkOptions(options)) return createForkedEngine(load(), options);
  return createEngineSync(options);
}

/** Creates an engine synchronously (in a wasm instance of its own). */
export function createEngineSync(options: EngineOptions = {}): Engine {
  return new Engine(load(), options);
}

export type { EngineOptions, ForkEngineOptions };
