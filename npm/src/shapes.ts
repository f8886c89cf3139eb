// Arguments shaped for the wasm bindings and their answers shaped for the package: state
// overrides, trace options and trace results, estimates (shared by `Engine` and `ForkedEngine`),
// and a session's step counts and reports.
import { ZkosError } from './errors.js';
import { show, toU64 } from './hex.js';
import { type canonicalStateOverride, object } from './input.js';
import type { GasEstimate, Phase, StepReport, TraceOptions, TracerName } from './types.js';

const TRACERS: readonly TracerName[] = ['eip3155', 'structLogs', 'callTracer', 'prestateTracer', 'opcodeStats'];
/** The tracer options the tracers read (callTracer: the first two; prestateTracer: the others). */
const TRACER_CONFIG_KEYS = ['onlyTopCall', 'withLog', 'diffMode', 'disableCode', 'disableStorage'] as const;
/** The structLogs tracer's flags (geth's logger.Config), beside `tracer` in the options. */
export const STRUCT_LOG_FLAGS = ['enableMemory', 'disableStack', 'disableStorage', 'enableReturnData'] as const;

/** Throws INVALID_ARGUMENT unless `v` is a boolean, null or absent. */
function checkFlag(v: unknown, what: string): void {
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a boolean, got ${show(v)}`);
}

const big = (v: unknown): bigint => (v === undefined || v === null ? 0n : typeof v === 'bigint' ? v : BigInt(v as string | number));

/** An estimate as the package types it, from what the bindings return. */
export function estimateResult(r: any): GasEstimate {
  const out = { pubdataBytes: big(r.pubdataUsed) } as GasEstimate;
  for (const [k, v] of Object.entries(r)) if (k !== 'pubdataUsed') out[k] = typeof v === 'number' || typeof v === 'bigint' ? big(v) : v;
  return out;
}

/** A state override as the bindings take it. */
export function rawOverride(entries: ReturnType<typeof canonicalStateOverride>): Record<string, unknown> | undefined {
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([a, o]) => [a, { ...o, state: o.state && Object.fromEntries(o.state), stateDiff: o.stateDiff && Object.fromEntries(o.stateDiff) }]));
}

/** A trace result in the tracer's shape. */
export function shapeTrace(raw: any, tracer: TracerName): unknown {
  const shaped = raw?.result;
  if (tracer === 'eip3155' && shaped && Array.isArray(shaped.steps)) return [...shaped.steps, shaped.summary];
  return shaped;
}

/** Trace options checked and copied for the bindings. */
export function traceOpts(options: TraceOptions): Record<string, unknown> {
  const o = object(options, 'trace options');
  const tracer = (o.tracer ?? 'structLogs') as TracerName;
  if (!TRACERS.includes(tracer)) throw new ZkosError('INVALID_ARGUMENT', `tracer: expected one of ${TRACERS.join(', ')}, got ${show(tracer)}`);
  const given = o.tracerConfig === undefined || o.tracerConfig === null ? {} : object(o.tracerConfig, 'tracerConfig');
  // A plain copy: the wasm never reads the caller's object (a getter throwing inside the wasm
  // would unwind through Rust frames and poison the engine). Other keys are ignored, as geth does.
  // geth refuses a flag of the wrong type ("cannot unmarshal string into ... of type bool"); the
  // structLogs flags are checked in tracerConfig too, where they were ignored whatever their type.
  const config: Record<string, boolean> = {};
  for (const k of [...TRACER_CONFIG_KEYS, ...STRUCT_LOG_FLAGS]) checkFlag(given[k], `tracerConfig.${k}`);
  for (const k of TRACER_CONFIG_KEYS) if (typeof given[k] === 'boolean') config[k] = given[k] as boolean;
  for (const k of STRUCT_LOG_FLAGS) checkFlag(o[k], k);
  const out: Record<string, unknown> = {
    tracer,
    tracerConfig: config,
    enableMemory: o.enableMemory === true,
    disableStack: o.disableStack === true,
    disableStorage: o.disableStorage === true,
    enableReturnData: o.enableReturnData === true,
  };
  if (o.limit !== undefined && o.limit !== null) {
    if (typeof o.limit !== 'number' || !Number.isSafeInteger(o.limit) || o.limit < 0 || o.limit >= 2 ** 32) throw new ZkosError('INVALID_ARGUMENT', 'limit: expected a non-negative integer below 2^32');
    out.limit = o.limit;
  }
  // The trace budget (beyond it: TRACE_LIMIT); absent, the engine's defaults.
  for (const k of ['maxSteps', 'maxBytes'] as const) if (o[k] !== undefined && o[k] !== null) out[k] = toU64(o[k], k);
  return out;
}

/** The block a query or simulation reads (`undefined`: the latest), checked. */
export function stateBlock(value: unknown): bigint | undefined {
  return value === undefined || value === null ? undefined : toU64(value, 'blockNumber');
}

/** Every field of `raw` as a bigint, or undefined when the engine returned null. */
export function bigFields<T>(raw: any): T | undefined {
  if (raw === null || raw === undefined) return undefined;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, big(v)])) as T;
}

/** Most steps one `recordSteps` call takes (the bindings' limit, bounding its memory). */
export const MAX_RECORD_STEPS = 262_144;

/** A session's phases, in order. */
export const PHASES: readonly Phase[] = ['validation', 'feeCharge', 'execution', 'pubdata', 'refund', 'blockFinish', 'finished'];

/** A step report as the package types it. */
export function stepReport(r: any): StepReport {
  return { steps: big(r.steps), phase: r.phase as Phase, txIndex: Number(r.txIndex ?? 0), finished: r.finished === true };
}

/** A count from 0 to `max` (a bigint is read as a number). */
export function smallInt(v: unknown, what: string, max: number): number {
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw new ZkosError('INVALID_ARGUMENT', `${what}: expected an integer from 0 to ${max}`);
  return v;
}
