// Browser and Web Worker entry: the wasm is fetched next to this module (or from `init(source)`)
// and compiled once; every engine instantiates it anew.
import { Engine } from './engine.js';
import { ZkosError } from './errors.js';
import { type Instantiate, instantiator } from './instance.js';
import { createBindings } from './wasm/zkos_bindings.js';
import type { EngineOptions, ForkEngineOptions } from './types.js';
import { createForkedEngine, isForkOptions } from './fork/create.js';
import type { ForkedEngine } from './fork/forked-engine.js';

export * from './api.js';

type Source = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

let ready: Promise<void> | undefined;
let instantiate: Instantiate | undefined;

/** Loads the wasm once. `source` may be a URL, a Response, bytes or a compiled module. */
export function init(source?: Source): Promise<void> {
  ready ??= compile(source ?? new URL('./wasm/zkos_wasm_bg.wasm', import.meta.url)).then(
    (module) => {
      instantiate = instantiator(createBindings, module);
    },
    (err: unknown) => {
      ready = undefined;
      throw err;
    },
  );
  return ready;
}

async function compile(source: Source): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) source = await fetch(source);
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new ZkosError('ENGINE_ERROR', `zkos: failed to fetch the wasm: ${source.status} ${source.statusText} (${source.url})`);
    const wasmType = source.headers.get('content-type')?.startsWith('application/wasm') === true;
    return wasmType ? WebAssembly.compileStreaming(source) : WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source as BufferSource);
}

/** Creates an engine in a wasm instance of its own (loads the wasm on first use); with `fork`, one forking a real chain. */
export async function createEngine(options: ForkEngineOptions): Promise<ForkedEngine>;
export async function createEngine(options?: EngineOptions): Promise<Engine>;
export async function createEngine(options: EngineOptions | ForkEngineOptions = {}): Promise<Engine | ForkedEngine> {
  await init();
  if (isForkOptions(options)) return createForkedEngine(instantiate as Instantiate, options);
  return createEngineSync(options);
}

/** Creates an engine synchronously in a wasm instance of its own; `init()` must have finished. */
export function createEngineSync(options: EngineOptions = {}): Engine {
  if (instantiate === undefined) throw new ZkosError('ENGINE_ERROR', 'zkos: call `await init()` before createEngineSync in the browser');
  return new Engine(instantiate, options);
}

export type { EngineOptions, ForkEngineOptions };
