// The curve module: the arithmetic of the bn254 (0x06-0x08), KZG (0x0a), BLS12-381 (0x0b-0x11)
// and P256VERIFY (0x100) precompiles, with RIPEMD-160 (0x03) and modexp (0x05), a second wasm (`bindings-wasm/curves`) loaded on first use. Gas,
// native and success are decided in the engine; this module only computes the same answer the
// engine would with the arithmetic linked in. Every engine instance reaches it through `curveHost`
// (the glue's `zkosCurveHost`). While it is not loaded, a call that needs it fails with
// `CURVES_NOT_LOADED` and changes nothing; `withCurves` then loads it where that must be done
// asynchronously (a page's main thread) and runs the call again.
import { ZkosError } from './errors.js';

/** What the curve module's `run` returns for malformed input (bindings-wasm/curves/src/lib.rs). */
const MALFORMED = -1;

/** The curve module's raw exports (bindings-wasm/curves/src/lib.rs). */
interface CurveExports {
  memory: WebAssembly.Memory;
  input(len: number): number;
  run(op: number): number;
  output(): number;
  verify_header(): number;
  verify_proof(): number;
}

/** The object the engine's glue calls (`bindings-wasm/src/curves.rs`). */
export interface CurveHost {
  /** Whether the module is loaded; loads it first where that can be done synchronously. */
  ready(): boolean;
  /** The output of operation `op` on `input`, or `undefined` for malformed input. */
  run(op: number, input: Uint8Array): Uint8Array | undefined;
}

/** Where the curve module comes from: a compiled module or its bytes. */
export type CurveSource = WebAssembly.Module | BufferSource;

let curves: CurveExports | undefined;
/** The platform's synchronous loader (Node: the file; a Web Worker: a synchronous fetch). */
let loadSync: (() => CurveSource) | undefined;
/** Why the last synchronous load failed, for the next error message. */
let lastFailure: unknown;

/** The platform's asynchronous loader (the browser build's `loadCurves`), for a retry after a refusal. */
let loadAsync: (() => Promise<void>) | undefined;

/** Sets how the platform loads the module asynchronously when a run was refused for want of it. */
export function setCurveLoaderAsync(loader: (() => Promise<void>) | undefined): void {
  loadAsync = loader;
}

/**
 * Runs `run`; when it fails with `CURVES_NOT_LOADED` (which changes nothing) and the platform can
 * load the curve module asynchronously (a page's main thread), loads it and runs `run` once
 * more. The provider's requests and the forked engine's operations go through here, so their
 * callers never see that error; the synchronous API throws it.
 */
export async function withCurves<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ZkosError) || err.code !== 'CURVES_NOT_LOADED' || loadAsync === undefined) throw err;
    await loadAsync();
    return run();
  }
}

/** Sets how the platform loads the module synchronously on first use (none on a page's main thread). */
export function setCurveLoader(loader: (() => CurveSource) | undefined): void {
  loadSync = loader;
}

/** Instantiates the curve module from `source` (once; later calls keep the first). */
export function installCurves(source: CurveSource): void {
  if (curves !== undefined) return;
  const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as CurveExports;
  for (const name of ['input', 'run', 'output', 'verify_header', 'verify_proof'] as const) {
    if (typeof exports[name] !== 'function') throw new ZkosError('ENGINE_ERROR', `zkos: the curve module has no \`${name}\` export`);
  }
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new ZkosError('ENGINE_ERROR', 'zkos: the curve module exports no memory');
  curves = exports;
}

/** Loads the module where it is not loaded yet (synchronously where the platform can, else asynchronously). */
export async function loadedCurves(what: string): Promise<void> {
  if (curveHost.ready()) return;
  if (loadAsync !== undefined) await loadAsync();
  if (!curveHost.ready()) throw new ZkosError('CURVES_NOT_LOADED', curvesNotLoadedMessage(`${what} needs the curve module`));
}

/**
 * Runs the module's check `name` on `request` (fork mode's proofs, bindings-wasm/curves/src/lib.rs):
 * `undefined` when it holds, else the rule that failed and its message. The module must be loaded.
 */
export function runCheck(name: 'verify_header' | 'verify_proof', request: Uint8Array): { reason: string; message: string } | undefined {
  const c = curves as CurveExports;
  const at = c.input(request.length);
  new Uint8Array(c.memory.buffer, at, request.length).set(request);
  const len = c[name]();
  if (len === 0) return undefined;
  if (len < 0) throw new ZkosError('ENGINE_ERROR', `zkos: the curve module's ${name} failed (${len})`);
  const [reason = '', message = ''] = new TextDecoder().decode(new Uint8Array(c.memory.buffer, c.output(), len)).split('\n');
  return { reason, message };
}

/** The message of `CURVES_NOT_LOADED` (bindings code `ZKOS_CURVES_NOT_LOADED`). */
export function curvesNotLoadedMessage(message: string): string {
  const why = lastFailure === undefined ? '' : ` (loading it failed: ${lastFailure instanceof Error ? lastFailure.message : String(lastFailure)})`;
  return `${message}${why}; call \`await loadCurves()\` and retry: nothing was changed`;
}

/** The host every engine instance calls for curve arithmetic. */
export const curveHost: CurveHost = {
  ready(): boolean {
    if (curves === undefined && loadSync !== undefined) {
      try {
        installCurves(loadSync());
        lastFailure = undefined;
      } catch (err) {
        lastFailure = err;
      }
    }
    return curves !== undefined;
  },
  run(op: number, input: Uint8Array): Uint8Array | undefined {
    const c = curves as CurveExports;
    const at = c.input(input.length);
    new Uint8Array(c.memory.buffer, at, input.length).set(input);
    const len = c.run(op);
    if (len === MALFORMED) return undefined;
    if (len < 0) throw new Error(`zkos: the curve module does not know operation ${op}: it does not match the engine`);
    return new Uint8Array(c.memory.buffer, c.output(), len).slice();
  },
};
