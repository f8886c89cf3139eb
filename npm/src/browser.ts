// Browser and Web Worker entry: the wasm is fetched next to this module (or from `init(source)`).
import initWasm, * as wasm from './wasm/zkos_wasm.js';
import { Engine, type RawModule } from './engine.js';
import type { EngineOptions } from './types.js';

export * from './api.js';

let ready: Promise<void> | undefined;
let loaded = false;

/** Loads the wasm once. `source` may be a URL, a Response, bytes or a compiled module. */
export function init(source?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void> {
  ready ??= initWasm(source === undefined ? undefined : { module_or_path: source }).then(() => {
    loaded = true;
  });
  return ready;
}

/** Creates an engine (loads the wasm on first use). */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  await init();
  return new Engine(wasm as unknown as RawModule, options);
}

/** Creates an engine synchronously; `init()` must have finished. */
export function createEngineSync(options: EngineOptions = {}): Engine {
  if (!loaded) throw new Error('zkos: call `await init()` before createEngineSync in the browser');
  return new Engine(wasm as unknown as RawModule, options);
}

export type { EngineOptions };
