// A provider request read once into plain data, as a JSON-RPC server has it after parsing: what
// the handlers then read cannot throw or change between two reads. An in-process caller may pass
// anything (a Proxy whose traps throw, a getter answering differently each time, a cycle); such
// params cannot be read as JSON-RPC params, and are refused as invalid (-32602) before any
// handler runs, where before the getter's exception surfaced as an internal error (-32603).
import { ZkosError } from './errors.js';
import { MAX_JSON_DEPTH } from './json.js';

/** A request's method name and its params, copied. */
export interface PlainRequest {
  readonly method: unknown;
  readonly params: unknown;
}

/** One object being copied: the source, its copy, its keys (an array's: none) and the next index. */
interface Frame {
  readonly source: object;
  readonly copy: Record<string, unknown> | unknown[];
  readonly keys: readonly string[];
  next: number;
}

/**
 * Most arrays' items and objects' keys one request's params may hold: 2^24, more than a 16 MiB
 * body carries (a sparse array of 2^32 - 1 holes would otherwise be walked hole by hole).
 */
export const MAX_PARAM_ITEMS = 2 ** 24;

/**
 * `value` as plain data: arrays and objects copied (own enumerable string keys), Uint8Arrays
 * copied, everything else as it is (the handlers judge types). Iterative, so any depth is copied
 * without using the stack; an object inside itself is refused (JSON holds no cycles), one
 * object met twice elsewhere is copied twice.
 */
function plain(value: unknown): unknown {
  let items = 0;
  const frameOf = (v: object): Frame => {
    // Reads Symbol.toStringTag: a Proxy whose get trap throws, over a target with no keys, throws here.
    Object.prototype.toString.call(v);
    const array = Array.isArray(v);
    const keys = array ? [] : Object.keys(v);
    const length = array ? v.length : keys.length;
    items += length;
    if (items > MAX_PARAM_ITEMS) throw new ZkosError('INVALID_ARGUMENT', `hold more than ${MAX_PARAM_ITEMS} items`);
    return { source: v, copy: array ? new Array<unknown>(length) : {}, keys, next: 0 };
  };
  const leaf = (v: unknown): unknown => (v instanceof Uint8Array ? Uint8Array.prototype.slice.call(v) : v);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return leaf(value);
  const root = frameOf(value);
  const stack: Frame[] = [root];
  const open = new Set<object>([value]);
  while (stack.length > 0) {
    if (stack.length > MAX_JSON_DEPTH) throw new ZkosError('INVALID_ARGUMENT', `nest arrays and objects more than ${MAX_JSON_DEPTH} deep`);
    const top = stack[stack.length - 1] as Frame;
    const array = Array.isArray(top.copy);
    if (top.next >= (array ? top.copy.length : top.keys.length)) {
      open.delete(top.source);
      stack.pop();
      continue;
    }
    const i = top.next++;
    const key = array ? i : (top.keys[i] as string);
    const item = (top.source as Record<string | number, unknown>)[key];
    let copy = leaf(item);
    let frame: Frame | undefined;
    if (item !== null && typeof item === 'object' && !(item instanceof Uint8Array)) {
      if (open.has(item)) throw new ZkosError('INVALID_ARGUMENT', 'hold an object inside itself (JSON has no cycles)');
      frame = frameOf(item);
      copy = frame.copy;
    }
    if (array) (top.copy as unknown[])[i] = copy;
    else Object.defineProperty(top.copy, key, { value: copy, enumerable: true, writable: true, configurable: true });
    if (frame !== undefined) {
      stack.push(frame);
      open.add(item as object);
    }
  }
  return root.copy;
}

/**
 * The method and params of an EIP-1193 request, copied as plain data. Anything thrown while
 * reading them (a throwing getter or Proxy trap, a detached buffer) is `INVALID_ARGUMENT`.
 */
export function readRequest(args: unknown): PlainRequest {
  let method: unknown;
  try {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) return { method: undefined, params: undefined };
    method = (args as { method?: unknown }).method;
    return { method, params: plain((args as { params?: unknown }).params) };
  } catch (err) {
    throw unreadable(err, `${typeof method === 'string' ? method : 'request'}: params`);
  }
}

/** The error for a caller's value that could not be read: `what` names it. */
function unreadable(err: unknown, what: string): ZkosError {
  const why = err instanceof ZkosError ? err.message : `could not be read (${err instanceof Error ? err.message : String(err)})`;
  return new ZkosError('INVALID_ARGUMENT', `${what} ${why}`, undefined, undefined, { cause: err });
}

/**
 * A caller's value (an engine's options) copied as plain data, read once: what the package and
 * the wasm read next cannot throw. A throwing getter or Proxy trap in it is `INVALID_ARGUMENT`
 * naming `what`; before, one read inside the wasm trapped it while the engine was being made.
 */
export function readPlain(value: unknown, what: string): unknown {
  try {
    return plain(value);
  } catch (err) {
    throw unreadable(err, what);
  }
}

/**
 * The `INVALID_ARGUMENT` error for the first of `args` that cannot be read (a getter or Proxy
 * trap throws while it is copied), else undefined: an API call that failed with an error of no
 * code tells by this whether the caller's argument threw, rather than the package.
 */
export function unreadableArgument(args: readonly unknown[], method: string): ZkosError | undefined {
  for (const [i, arg] of args.entries()) {
    try {
      plain(arg);
    } catch (err) {
      if (!(err instanceof ZkosError)) return unreadable(err, `${method}: argument ${i + 1}`);
    }
  }
  return undefined;
}
