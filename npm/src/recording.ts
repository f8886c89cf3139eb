// Shapes what the bindings' bulk recorder returns (`recordSteps`, `recordedCodes`,
// `recordedTransactions`) into the package's types.
import { ZkosError } from './errors.js';
import type { Hex } from './hex.js';
import { mapCode } from './instance.js';
import type { GasBreakdown, NativeBudget, RecordedCode, RecordedSteps, RecordedTransaction } from './types.js';

/** The typed columns as the bindings built them (fresh arrays, owned by the caller). */
export function recordedSteps(raw: any): RecordedSteps {
  const { count, done, pc, op, depth, phase, tx, code, ergs, ergsCost, native, nativeCost } = raw;
  return { count: Number(count), done: done === true, pc, op, depth, phase, tx, code, ergs, ergsCost, native, nativeCost };
}

export function recordedCodes(raw: any[]): RecordedCode[] {
  return raw.map((c) => ({ address: String(c.address).toLowerCase() as Hex, init: c.init === true }));
}

function bigs<T>(raw: any): T | undefined {
  if (raw === null || raw === undefined) return undefined;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'bigint' ? v : BigInt(v as number)])) as T;
}

/** The bindings' error objects become `ZkosError`s with the package's codes (as a thrown one would). */
export function recordedTransactions(raw: any[]): RecordedTransaction[] {
  return raw.map((t) => {
    const out: RecordedTransaction = {};
    const budget = bigs<NativeBudget>(t.budget);
    const gas = bigs<GasBreakdown>(t.gas);
    if (budget) out.budget = budget;
    if (gas) out.gas = gas;
    if (t.error) out.error = new ZkosError(mapCode(String(t.error.code)), String(t.error.message), undefined, typeof t.error.reason === 'string' ? t.error.reason : undefined);
    return out;
  });
}
