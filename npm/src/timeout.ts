// Wall-clock bounds on simulations: the engine runs a call, an estimate, a trace or a block as a
// job in slices of EVM steps, and the host looks at its clock between two slices (geth bounds
// eth_call by RPCEVMTimeout and traces by the trace config's `timeout`, 5 s by default).
import { ZkosError } from './errors.js';
import { show } from './hex.js';

/** EVM steps of a bounded simulation's first slice. */
const FIRST_SLICE_STEPS = 1_024;
/** Fewest and most EVM steps of a slice. */
const MIN_SLICE_STEPS = 64;
const MAX_SLICE_STEPS = 1 << 22;
/**
 * How long a slice should take, in ms. A step's time varies a thousandfold (a JUMP: 16 ns; a
 * STATICCALL of modexp: 0.3 ms), so each slice's length follows the time the last one took. A
 * resume costs about 60 µs (measured: 76 slices of 16,384 steps added 4.8 ms to a 21 ms loop),
 * under 1% of a slice this long.
 */
const TARGET_SLICE_MS = 10;

/** geth's default bound on eth_call (RPCEVMTimeout) and on a trace (defaultTraceTimeout), in ms. */
export const DEFAULT_EVM_TIMEOUT_MS = 5_000;

/** Longest bound a timer can express, in ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Which of geth's wordings a timed-out simulation reports. */
export type TimeoutKind = 'call' | 'trace';

/** A checked bound in ms (`0`: none), or undefined when absent. */
export function timeoutMs(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: expected milliseconds from 0 (no bound) to ${MAX_TIMEOUT_MS}, got ${typeof value === 'number' ? value : show(value)}`);
  }
  return value;
}

/** Units of a Go duration string, in ms (Go's time.ParseDuration). */
const GO_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const GO_DURATION_RE = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)/;
/** Longest duration string read (Go's are short: "1h2m3.5s"). */
const MAX_DURATION_CHARS = 64;

/** A trace config's `timeout` (a Go duration such as "300ms" or "2s45ms", as geth reads it) in whole ms, rounded up. */
export function parseGoDuration(value: unknown, what: string): number {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_DURATION_CHARS) throw new ZkosError('INVALID_ARGUMENT', `${what}: invalid duration ${show(value)}`);
  let rest = value;
  let ms = 0;
  if (rest === '0') return 0;
  while (rest.length > 0) {
    const m = GO_DURATION_RE.exec(rest);
    if (m === null) throw new ZkosError('INVALID_ARGUMENT', `time: invalid duration ${show(value)}`);
    const unit = /[a-zµμ]+$/.exec(m[0])![0];
    ms += parseFloat(m[0].slice(0, -unit.length)) * GO_UNITS_MS[unit]!;
    rest = rest.slice(m[0].length);
  }
  return timeoutMs(Math.ceil(ms), what)!;
}

/** `ms` as Go prints a time.Duration (geth's wording puts it in the message): 200ms, 5s, 1.5s, 1m30s. */
export function goDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  return minutes > 0 ? `${minutes}m${s}` : s;
}

/** The error of a simulation stopped at its bound, in geth's words. */
export function timeoutError(kind: TimeoutKind, ms: number): ZkosError {
  const message = kind === 'trace' ? 'execution timeout' : `execution aborted (timeout = ${goDuration(ms)})`;
  return new ZkosError('TIMEOUT', message, { timeoutMs: ms });
}

/** The length of the next slice, from the last one's steps and time: steered toward `TARGET_SLICE_MS`. */
export class Slicer {
  #steps = FIRST_SLICE_STEPS;

  /** EVM steps of the next slice. */
  get steps(): number {
    return this.#steps;
  }

  /** Takes the time the last slice (of `steps` steps) took; returns whether the length changed. */
  took(ms: number): boolean {
    const scaled = ms <= 0 ? this.#steps * 2 : Math.round((this.#steps * TARGET_SLICE_MS) / ms);
    // At most doubled or halved at a time: one odd slice does not swing it.
    const next = Math.min(MAX_SLICE_STEPS, Math.max(MIN_SLICE_STEPS, Math.min(this.#steps * 2, Math.max(this.#steps >> 1, scaled))));
    if (next === this.#steps) return false;
    this.#steps = next;
    return true;
  }
}

/** A bound on the time spent executing, which several runs can share (a simulation's blocks). */
export class Deadline {
  readonly #ms: number;
  readonly #kind: TimeoutKind;
  #spent = 0;

  constructor(ms: number, kind: TimeoutKind) {
    this.#ms = ms;
    this.#kind = kind;
  }

  /** Counts `ms` spent executing; throws the timeout error once the bound is reached (`spend(0)`: whether it is). */
  spend(ms: number): void {
    this.charge(ms);
    if (this.#ms > 0 && this.#spent >= this.#ms) throw timeoutError(this.#kind, this.#ms);
  }

  /** Counts `ms` spent by a run that ended (its answer stands; the next run sharing the bound pays). */
  charge(ms: number): void {
    this.#spent += ms;
  }
}

/** The bound a simulation's `timeoutMs` option sets (none when absent or 0). */
export function boundOf(value: unknown, kind: TimeoutKind): Deadline | undefined {
  const ms = timeoutMs(value, 'options.timeoutMs');
  return ms === undefined || ms === 0 ? undefined : new Deadline(ms, kind);
}
