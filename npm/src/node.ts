// Node ESM entry: the web build of the wasm, instantiated synchronously from the file.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm/zkos_wasm.js';
import { Engine, type RawModule } from './engine.js';
import * as wasm from './wasm/zkos_wasm.js';
import type { EngineOptions } from './types.js';

export * from './api.js';
export { directoryCache } from './fork/cache-dir.js';

let loaded = false;

/** Loads the wasm (synchronous; done on first use). */
export function init(): Promise<void> {
  load();
  return Promise.resolve();
}

function load(): void {
  if (loaded) return;
  initSync({ module: readFileSync(new URL('./wasm/zkos_wasm_bg.wasm', import.meta.url)) });
  loaded = true;
}

/** Creates an engine. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngineSync(options);
}

/** Creates an engine synchronously. */
export function createEngineSync(options: EngineOptions = {}): Engine {
  load();
  return new Engine(wasm as unknown as RawModule, options);
}

export type { EngineOptions };
