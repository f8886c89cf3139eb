// Node CommonJS entry: the nodejs build of the wasm, which loads itself on require.
import * as wasm from './wasm/zkos_wasm.js';
import { Engine, type RawModule } from './engine.js';
import type { EngineOptions } from './types.js';

export * from './api.js';
export { directoryCache } from './fork/cache-dir.js';

/** Loads the wasm (already loaded on require). */
export function init(): Promise<void> {
  return Promise.resolve();
}

/** Creates an engine. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngineSync(options);
}

/** Creates an engine synchronously. */
export function createEngineSync(options: EngineOptions = {}): Engine {
  return new Engine(wasm as unknown as RawModule, options);
}

export type { EngineOptions };
