// Browser and Web Worker entry: the wasm is fetched next to this module (or from `init(source)`)
// and compiled once; every engine instantiates it anew. The curve module (RIPEMD-160, modexp,
// bn254, KZG, BLS12-381, P-256 arithmetic) is loaded on first use: a Web Worker fetches it
// synchronously when an engine first needs it; on a page, a provider request or a forked
// engine's operation that needs it loads it (`loadCurves()`) and runs again, while the
// synchronous API throws `CURVES_NOT_LOADED` (nothing changed) until `loadCurves()` finished.
import { installCurves, setCurveLoader, setCurveLoaderAsync } from './curves.js';
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
let curvesReady: Promise<void> | undefined;

/** Where the curve module is unless `loadCurves(source)` says otherwise. */
const CURVES_URL = new URL('./wasm/zkos_curves.wasm', import.meta.url);

/** A synchronous GET of `url`'s bytes (allowed with a binary response in workers only). */
function fetchSync(url: URL): ArrayBuffer {
  const request = new XMLHttpRequest();
  request.open('GET', url.href, false);
  request.responseType = 'arraybuffer';
  request.send();
  if (request.status !== 200 && request.status !== 0) throw new Error(`failed to fetch ${url.href}: ${request.status} ${request.statusText}`);
  return request.response as ArrayBuffer;
}

/** Whether this is a Web Worker (which may fetch and compile synchronously). */
const IN_WORKER = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function' && typeof XMLHttpRequest === 'function';
if (IN_WORKER) setCurveLoader(() => fetchSync(CURVES_URL));
setCurveLoaderAsync(() => loadCurves());

/**
 * Loads the curve module once (RIPEMD-160, modexp, bn254, KZG, BLS12-381 and P-256
 * precompiles). On a page's main thread the synchronous API needs it finished before an engine
 * runs those precompiles (provider requests and forked engines load it by themselves); a
 * worker loads it by itself.
 */
export function loadCurves(source?: Source): Promise<void> {
  curvesReady ??= compile(source ?? CURVES_URL).then(installCurves, (err: unknown) => {
    curvesReady = undefined;
    throw err;
  });
  return curvesReady;
}

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
