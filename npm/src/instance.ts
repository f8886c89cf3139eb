// One wasm instance per engine, and the guard every call into it goes through. A trap (a Rust
// panic aborts as one; so does running out of memory) leaves the instance unusable: the engine
// that owns it (with its sessions) is marked poisoned and throws `ENGINE_POISONED` from then on.
// Other engines live in instances of their own and go on.
import { type CurveHost, curveHost, curvesNotLoadedMessage } from './curves.js';
import { ZkosError } from './errors.js';
import { unreadableArgument } from './plain.js';
import type { Hex } from './hex.js';
import { revertMessage } from './revert.js';

/** The wasm engine object. Its values cross as plain JS objects. */
export interface RawEngine {
  [method: string]: (...args: any[]) => any;
}

/** The wasm module as the engine uses it (the shape of `bindings-wasm`). */
export interface RawModule {
  Engine: (new (config: unknown) => RawEngine) & { forked(config: unknown, block: unknown): RawEngine };
}

/** Fresh wasm-bindgen glue, not yet instantiated (see `scripts/bindings-factory.mjs`). */
export interface Bindings extends RawModule {
  initSync(options: { module: WebAssembly.Module; memory?: WebAssembly.Memory }): unknown;
  /** Initial size of the imported memory, in 64 KiB pages. */
  initialMemoryPages: number;
}

/** One engine's instantiated module and the memory it runs in. */
export interface Instantiated {
  readonly module: RawModule;
  readonly memory: WebAssembly.Memory;
  /** Most bytes the memory may grow to. */
  readonly maxBytes: number;
}

/** Creates one engine's wasm instance; `maxMemoryPages` caps its memory (none: the wasm32 limit). */
export type Instantiate = (maxMemoryPages?: number) => Instantiated;

/** Bytes in a wasm page. */
export const WASM_PAGE_BYTES = 65_536;
/** Most pages a wasm32 memory can have (4 GiB). */
export const MAX_MEMORY_PAGES = 65_536;

/** An `Instantiate` that gives every engine new glue and a new instance of the compiled `module`. */
export function instantiator(createBindings: (host: CurveHost) => Bindings, module: WebAssembly.Module): Instantiate {
  return (maxMemoryPages) => {
    const bindings = createBindings(curveHost);
    if (maxMemoryPages !== undefined && maxMemoryPages < bindings.initialMemoryPages) {
      throw new ZkosError('INVALID_ARGUMENT', `options.maxMemoryBytes: at least ${bindings.initialMemoryPages * WASM_PAGE_BYTES} bytes (the engine's initial memory)`);
    }
    // Made here (the glue would make one without a maximum) so that its size can be read.
    const memory = new WebAssembly.Memory(maxMemoryPages === undefined ? { initial: bindings.initialMemoryPages } : { initial: bindings.initialMemoryPages, maximum: maxMemoryPages });
    bindings.initSync({ module, memory });
    return { module: bindings, memory, maxBytes: (maxMemoryPages ?? MAX_MEMORY_PAGES) * WASM_PAGE_BYTES };
  };
}

/** Maps the bindings' error codes to the package's stable codes. */
export function mapCode(code: string): string {
  switch (code) {
    case 'ZKOS_TX_DECODE':
      return 'INVALID_RLP';
    case 'ZKOS_TX_SIGNATURE':
    case 'ZKOS_TX_INVALID':
      return 'INVALID_TRANSACTION';
    case 'ZKOS_UNKNOWN_TX':
    case 'ZKOS_UNKNOWN_BLOCK':
      return 'NOT_FOUND';
    case 'ZKOS_BAD_INPUT':
      return 'INVALID_ARGUMENT';
    case 'ZKOS_ESTIMATE_REVERTED':
      return 'EXECUTION_REVERTED';
    case 'ZKOS_CURVES_NOT_LOADED':
      return 'CURVES_NOT_LOADED';
    case 'ZKOS_TRACE_LIMIT':
      return 'TRACE_LIMIT';
    case 'ZKOS_BLOCK_OVERFLOW':
      return 'BLOCK_OVERFLOW';
    case 'ZKOS_STATE_NEEDED':
      return 'STATE_NEEDED';
    case 'ZKOS_HISTORY_UNAVAILABLE':
      return 'HISTORY_UNAVAILABLE';
    case 'ZKOS_SESSION_FINISHED':
      return 'SESSION_FINISHED';
    case 'ZKOS_BLOCK_COMMITMENT':
      return 'BLOCK_COMMITMENT';
    // A read of the forked chain no check asked for first: a defect of the engine (core's doc).
    case 'ZKOS_UNANSWERED_READ':
      return 'INTERNAL_ERROR';
    default:
      return code.startsWith('ZKOS_ESTIMATE') ? 'EXECUTION_HALTED' : code;
  }
}

/** Prefix of every code the bindings give their errors (bindings-wasm/README.md). */
const BINDINGS_CODE_PREFIX = 'ZKOS_';

/** An error the bindings threw on purpose: the call was refused and the instance is intact. */
function bindingsError(err: unknown): ZkosError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: unknown; data?: unknown; reason?: unknown; needs?: unknown };
  if (typeof e.code !== 'string' || !e.code.startsWith(BINDINGS_CODE_PREFIX)) return undefined;
  const code = mapCode(e.code);
  const message =
    code === 'EXECUTION_REVERTED' && typeof e.data === 'string' ? revertMessage(e.data as Hex) : code === 'CURVES_NOT_LOADED' ? curvesNotLoadedMessage(e.message) : e.message;
  // A pause for state of a forked chain carries the keys to fetch as its data.
  const data = Array.isArray(e.needs) ? e.needs : e.data;
  return new ZkosError(code, message, data, typeof e.reason === 'string' ? e.reason : undefined);
}

function poisoned(trap: { message: string; cause: unknown }): ZkosError {
  return new ZkosError('ENGINE_POISONED', trap.message, undefined, undefined, { cause: trap.cause });
}

/** The instance of one engine: every call into it goes through `call`. */
export class WasmInstance {
  /** The trap that killed the instance, once one did. */
  #trap: { message: string; cause: unknown } | undefined;

  readonly module: RawModule;
  readonly #memory: WebAssembly.Memory;
  /** Most bytes the instance's memory may grow to. */
  readonly maxMemoryBytes: number;

  constructor(instantiated: Instantiated) {
    this.module = instantiated.module;
    this.#memory = instantiated.memory;
    this.maxMemoryBytes = instantiated.maxBytes;
  }

  /** Bytes of memory the instance has grown to (wasm memory grows and is never given back). */
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }

  /** Whether a trap killed the instance. */
  get poisoned(): boolean {
    return this.#trap !== undefined;
  }

  /** Throws `ENGINE_POISONED` when a trap killed the instance. */
  check(): void {
    if (this.#trap !== undefined) throw poisoned(this.#trap);
  }

  /**
   * Runs `f`, a call into the instance. An error the bindings raised becomes its `ZkosError`;
   * anything else (a trap, a stack overflow, an exception that unwound through Rust frames)
   * poisons the instance, and `ENGINE_POISONED` is thrown with it as `cause`.
   */
  call<T>(f: () => T): T {
    this.check();
    try {
      return f();
    } catch (err) {
      const refused = bindingsError(err);
      if (refused !== undefined) throw refused;
      const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.#trap = { message: `the engine's wasm instance failed (${what}); this engine and its sessions can no longer be used, create a new engine`, cause: err };
      throw poisoned(this.#trap);
    }
  }
}

/**
 * Puts every method and getter of `cls` (but `free`) behind `enter`, which throws when the
 * object can no longer be used, and makes sure what they throw is a `ZkosError`: a caller's
 * argument that throws when read (a getter, a Proxy trap) is `INVALID_ARGUMENT`, a failure of
 * the package's own code `INTERNAL_ERROR`, each with the original as `cause`.
 */
export function guardPrototype(cls: { prototype: object }, enter: (self: never) => void): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name === 'free') continue;
    const d = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
    const wrap = (f: (...args: unknown[]) => unknown) =>
      function (this: never, ...args: unknown[]): unknown {
        enter(this);
        try {
          return f.apply(this, args);
        } catch (err) {
          if (err instanceof ZkosError) throw err;
          // A caller's getter or Proxy trap that threw while its argument was read: the caller's input.
          const unreadable = unreadableArgument(args, name);
          if (unreadable !== undefined) throw unreadable;
          throw new ZkosError('INTERNAL_ERROR', `zkos: ${name} failed: ${err instanceof Error ? err.message : String(err)}`, undefined, undefined, { cause: err });
        }
      };
    if (typeof d.value === 'function') Object.defineProperty(proto, name, { ...d, value: wrap(d.value) });
    else if (d.get !== undefined) Object.defineProperty(proto, name, { ...d, get: wrap(d.get) });
  }
}

/**
 * Makes every method of `cls` (those returning a Promise too) answer a caller's argument that
 * throws when read (a getter, a Proxy trap) with `INVALID_ARGUMENT` naming it, as
 * `guardPrototype` does; any other error passes as it was. For classes whose methods are not
 * behind `guardPrototype` (the forked engine, whose errors come from the engine it drives).
 */
export function guardArguments(cls: { prototype: object }): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
    if (name === 'constructor' || typeof d.value !== 'function') continue;
    const f = d.value as (...args: unknown[]) => unknown;
    const judged = (err: unknown, args: unknown[]): unknown => (err instanceof ZkosError ? err : (unreadableArgument(args, name) ?? err));
    const guarded = function (this: unknown, ...args: unknown[]): unknown {
      let out: unknown;
      try {
        out = f.apply(this, args);
      } catch (err) {
        throw judged(err, args);
      }
      return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(judged(err, args))) : out;
    };
    Object.defineProperty(proto, name, { ...d, value: guarded });
  }
}

/** The page count of a memory cap in bytes (rounded up to whole pages, at most the wasm32 limit). */
export function memoryPages(bytes: bigint): number {
  const pages = (bytes + BigInt(WASM_PAGE_BYTES) - 1n) / BigInt(WASM_PAGE_BYTES);
  if (pages > BigInt(MAX_MEMORY_PAGES)) throw new ZkosError('INVALID_ARGUMENT', `options.maxMemoryBytes: at most ${MAX_MEMORY_PAGES * WASM_PAGE_BYTES} (the wasm32 limit)`);
  return Number(pages);
}
