import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceStore, COLUMNS, NO_OPCODE, PHASES, FINE_STEPS } from '../../src/trace-store.js';
import { parseBreakpoint, breakpointMatcher } from '../../src/breakpoints.js';
import { diffDetail } from '../../src/detail.js';
import { OPCODE } from '../../src/evm/opcodes.js';

const REFUND = PHASES.indexOf('refund');

/** A chunk whose step i has pc = start + i, op from `ops`, ergsCost 256·(i+1), nativeCost 10·(i+1). */
function chunk(start, ops, phase = 2) {
  const count = ops.length;
  const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, T]) => [k, new T(count)]));
  ops.forEach((op, i) => {
    Object.assign(cols.pc, { [i]: start + i });
    cols.op[i] = op; cols.phase[i] = Array.isArray(phase) ? phase[i] : phase;
    cols.ergsCost[i] = 256 * (start + i + 1); cols.nativeCost[i] = 10 * (start + i + 1);
  });
  return { start, count, cols };
}

test('chunks append in order; totals per opcode skip bootloader steps', () => {
  const s = new TraceStore();
  s.append(chunk(0, [0x60, 0x60, 0x01, NO_OPCODE]));
  s.append(chunk(4, [0x55, 0x00]));
  assert.equal(s.length, 6);
  assert.equal(s.get('pc', 5), 5);
  assert.equal(s.step(4).op, 0x55);
  // PUSH1 steps 0 and 1: ergs 256 + 512, native 10 + 20.
  assert.deepEqual(s.opTotals.get(0x60), { count: 2, ergs: 768, native: 30 });
  assert.equal(s.opTotals.has(NO_OPCODE), false);
  assert.throws(() => s.append(chunk(9, [0x00])), /expected 6/);
});

test('series sums per bucket, converts native to gas at its transaction\'s rate and accumulates', () => {
  const s = new TraceStore();
  // Transaction 0 buys 5 native per gas, transaction 1 buys 2.
  s.append(chunk(0, [1, 1, 1, 1]), [5]);
  const second = chunk(4, [NO_OPCODE], REFUND);
  second.cols.tx[0] = 1;
  s.append(second, [5, 2]);
  const r = s.series(2); // 5 steps, 3 per bucket: [0..2], [3..4]
  assert.equal(r.per, 3);
  assert.deepEqual(r.x, [0, 3]);
  assert.deepEqual(r.gas, [1 + 2 + 3, 4 + 5]);
  assert.deepEqual(r.native, [10 + 20 + 30, 40 + 50]);
  assert.deepEqual(r.nativeGas, [60 / 5, 40 / 5 + 50 / 2]);
  assert.deepEqual(r.cumGas, [6, 15]);
  assert.deepEqual(r.cumNative, [60, 150]);
  assert.deepEqual(r.cumNativeGas, [12, 12 + 33]);
  // The refund step is marked in the second bucket.
  assert.deepEqual(r.marks, [{ bucket: 1, step: 4, phase: REFUND }]);
  // Unpriced native (Ethereum flow) has no gas worth.
  const unpriced = new TraceStore();
  unpriced.append(chunk(0, [1, 1, 1, 1, NO_OPCODE]));
  assert.deepEqual(unpriced.series(2).nativeGas, [0, 0]);
});

test('long series sum whole runs of FINE_STEPS steps and match a step-by-step sum', () => {
  // 3 chunks of 1,000 steps (3,000 steps, one bootloader step at 2,500): for 10 buckets the
  // 300 steps a bucket needs round up to 320 (5 × 64), so 10 buckets: 9 of 320 steps, then 120.
  const s = new TraceStore();
  for (let start = 0; start < 3000; start += 1000) {
    const c = chunk(start, Array.from({ length: 1000 }, (_, i) => (start + i === 2500 ? NO_OPCODE : 1)));
    s.append(c, [4]);
  }
  const r = s.series(10);
  assert.equal(r.per, 5 * FINE_STEPS);
  assert.deepEqual(r.x, Array.from({ length: 10 }, (_, b) => b * 320));
  // Step i costs gas i + 1 and native 10 (i + 1); bucket b sums steps 320 b .. min(320 b + 319, 2999).
  const sum = (from, to) => ((to + 1) * (to + 2) - from * (from + 1)) / 2;
  r.x.forEach((from, b) => {
    const to = Math.min(from + 319, 2999);
    assert.equal(r.gas[b], sum(from, to));
    assert.equal(r.native[b], 10 * sum(from, to));
    assert.ok(Math.abs(r.nativeGas[b] - (10 * sum(from, to)) / 4) < 1e-6);
  });
  assert.equal(r.cumGas.at(-1), sum(0, 2999));
  assert.deepEqual(r.marks, [{ bucket: 7, step: 2500, phase: 2 }]);
});

test('breakpoints by opcode, pc and phase find the right step across chunks', () => {
  const s = new TraceStore();
  s.append(chunk(0, [0x60, 0x55, 0x60], [0, 2, 2]));
  s.append(chunk(3, [0x55, 0x00, NO_OPCODE], [2, 2, REFUND]));
  const ctx = { opcodes: OPCODE, phases: PHASES };
  const at = (text, from) => s.find(from, breakpointMatcher(parseBreakpoint(text, ctx)));
  assert.equal(at('op:sstore', 0), 1);
  assert.equal(at('op:SSTORE', 2), 3);
  assert.equal(at('pc:0x4', 0), 4);
  assert.equal(at('pc:5', 0), -1); // step 5 is a bootloader step, not pc 5
  assert.equal(at('phase:execution', 0), 1);
  assert.equal(at('phase:refund', 0), 5);
  // A prefix that fits one phase names it; one that fits several does not.
  assert.deepEqual(parseBreakpoint('phase:fee', ctx), { kind: 'phase', value: 1, name: 'fee charge' });
  assert.equal(at('phase:fee', 0), -1);
  assert.equal(at('phase:exec', 0), 1);
  assert.throws(() => parseBreakpoint('op:FOO', ctx), /not an opcode/);
  assert.throws(() => parseBreakpoint('phase:lunch', ctx), /not one of/);
  assert.throws(() => parseBreakpoint('phase:', ctx), /write pc/);
  assert.throws(() => parseBreakpoint('sstore', ctx), /write pc/);
});

test('changes are marked against the previous step', () => {
  const before = { frame: 1, memory: '0x' + '00'.repeat(32), storage: [{ address: '0xa', key: '0x1', value: '0x5' }], transient: [] };
  const after = { frame: 1, memory: '0x' + '00'.repeat(30) + 'ff00' + '11'.repeat(32), storage: [{ address: '0xa', key: '0x1', value: '0x6' }, { address: '0xa', key: '0x2', value: '0x0' }], transient: [] };
  const d = diffDetail(before, after);
  assert.deepEqual(d.memoryChanged, [[30, 31], [32, 64]]);
  assert.deepEqual(d.storage.map((x) => x.changed), [true, true]);
  assert.deepEqual(diffDetail(after, after).storage.map((x) => x.changed), [false, false]);
  assert.deepEqual(diffDetail(null, after).memoryChanged, []);
});

test('the frame tree follows the depth column', () => {
  const s = new TraceStore();
  // depth: 1 1 2 2 1 2 3 1 — two calls from the top frame, the second with a nested call.
  const c = chunk(0, [0x60, 0xf1, 0x00, 0xf3, 0xfa, 0xf4, 0x00, 0x00]);
  c.cols.depth.set([1, 1, 2, 2, 1, 2, 3, 1]);
  s.append(c);
  assert.deepEqual(s.frameTree().map((f) => [f.id, f.parent, f.depth, f.start, f.end, f.via]), [
    [0, null, 1, 0, 8, null], [1, 0, 2, 2, 4, 0xf1], [2, 0, 2, 5, 7, 0xfa], [3, 2, 3, 6, 7, 0xf4],
  ]);
});

test('segments are the runs of one phase of one transaction, across chunks', () => {
  const s = new TraceStore();
  // tx 0: validation, fee charge, 3 opcodes (the third in the next chunk), pubdata; tx 1: validation.
  const a = chunk(0, [NO_OPCODE, NO_OPCODE, 1, 1], [0, 1, 2, 2]);
  const b = chunk(4, [1, NO_OPCODE, NO_OPCODE, 0x00], [2, 3, 0, 2]);
  b.cols.tx.set([0, 0, 1, 1]);
  s.append(a);
  s.append(b);
  assert.deepEqual(s.segments(), [
    { start: 0, end: 1, tx: 0, phase: 0 },
    { start: 1, end: 2, tx: 0, phase: 1 },
    { start: 2, end: 5, tx: 0, phase: 2 },
    { start: 5, end: 6, tx: 0, phase: 3 },
    { start: 6, end: 7, tx: 1, phase: 0 },
    { start: 7, end: 8, tx: 1, phase: 2 },
  ]);
  assert.deepEqual(new TraceStore().segments(), []);
});
