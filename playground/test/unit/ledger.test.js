import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceStore, COLUMNS, NO_OPCODE, PHASES } from '../../src/trace-store.js';
import { stepCostText, ratesOf, rateOf } from '../../src/ledger.js';
import { opcodeRows } from '../../src/charts.js';

const [VALIDATION, FEE, EXECUTION, REFUND] = ['validation', 'fee charge', 'execution', 'refund'].map((p) => PHASES.indexOf(p));

/**
 * A store of per-step rows `[op, phase, tx, gas, native]` (gas in gas, not ergs), appended in
 * chunks of `chunk` steps at native per gas `rates[tx]`.
 */
function storeOf(rows, rates = [], chunk = rows.length) {
  const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, T]) => [k, new T(rows.length)]));
  rows.forEach(([op, phase, tx, gas, native], i) => {
    cols.op[i] = op; cols.phase[i] = phase; cols.tx[i] = tx; cols.ergsCost[i] = gas * 256; cols.nativeCost[i] = native;
  });
  const s = new TraceStore();
  for (let start = 0; start < rows.length; start += chunk) {
    const count = Math.min(chunk, rows.length - start);
    s.append({ start, count, cols: Object.fromEntries(Object.entries(cols).map(([k, a]) => [k, a.slice(start, start + count)])) }, rates);
  }
  return s;
}

test('a step\'s cost is stated against the rate its transaction pays', () => {
  // SSTORE of a new slot in a warm frame: 2,900 gas = 742,400 ergs; 126,240 native ÷ 2,900 gas
  // = 43.53… native per gas, below the 100 bought per gas.
  const s = storeOf([[0x55, EXECUTION, 0, 2900, 126240], [0x20, EXECUTION, 0, 36, 17280], [NO_OPCODE, REFUND, 0, 0, 5000], [0x00, EXECUTION, 1, 0, 0]]);
  const txInfo = [{ budget: { nativePerGas: '100' } }, {}];
  assert.equal(stepCostText(s, 0, txInfo), 'SSTORE: 2,900 gas (742,400 ergs) · 126,240 native = 43.5 native per gas; you pay 100 per gas');
  // KECCAK256 of one word: 36 gas, 17,280 native = 480 per gas, more than the 100 paid.
  assert.equal(stepCostText(s, 1, txInfo), 'KECCAK256: 36 gas (9,216 ergs) · 17,280 native = 480 native per gas; you pay 100 per gas — proves more than it pays');
  // A phase that charges native and no gas: 5,000 native is 50 gas at 100 per gas.
  assert.equal(stepCostText(s, 2, txInfo), 'refund: 0 gas (0 ergs) · 5,000 native — no gas charged for 5,000 native (50 gas at 100 per gas)');
  assert.equal(stepCostText(s, 3, txInfo), 'STOP: 0 gas (0 ergs) · 0 native (native is not priced in this flow)');
  assert.equal(stepCostText(s, 4, txInfo), null);
});

test('native overtakes gas at the first step its cumulative gas worth exceeds the gas, per transaction', () => {
  // Transaction 0 (rate 10 native per gas): validation reports 500 native (50 gas) before any
  // gas is charged and is not judged alone; after the fee charge, gas 21 against native as gas
  // 50 → crossed at the fee charge (step 1).
  // Transaction 1 (rate 100): gas 21, 24, 124 against native as gas 0.5, 1, 101 → never.
  // Transaction 2 (rate 10): gas 21, 24 against native as gas 1, 3001 → crossed at step 7.
  const rows = [
    [NO_OPCODE, VALIDATION, 0, 0, 500], [NO_OPCODE, FEE, 0, 21, 0], [0x60, EXECUTION, 0, 3, 3],
    [NO_OPCODE, FEE, 1, 21, 50], [0x60, EXECUTION, 1, 3, 50], [0x55, EXECUTION, 1, 100, 10000],
    [NO_OPCODE, FEE, 2, 21, 10], [0x20, EXECUTION, 2, 3, 30000],
  ];
  const rates = ratesOf([{ budget: { nativePerGas: '10' } }, { budget: { nativePerGas: 100n } }, { budget: { nativePerGas: 10 } }]);
  assert.deepEqual([...rates], [10, 100, 10]);
  const s = storeOf(rows, rates);
  assert.deepEqual(s.overtakes, [{ tx: 0, step: 1 }, { tx: 2, step: 7 }]);
  // The same across chunk boundaries; unpriced native (Ethereum flow) never overtakes.
  assert.deepEqual(storeOf(rows, rates, 3).overtakes, s.overtakes);
  assert.deepEqual(storeOf(rows, ratesOf([{}, {}, {}])).overtakes, []);
  assert.equal(rateOf(undefined, 0), 0);
  // The per-opcode rows convert each transaction's native at its own rate: PUSH1 3 + 50 native
  // at 10 and 100 per gas = 0.3 + 0.5 gas; KECCAK256 30,000 native at 10 = 3,000 gas > 3 gas.
  const ops = Object.fromEntries(opcodeRows(s, rates).map((r) => [r.name, r]));
  assert.deepEqual([ops.PUSH1.gas, ops.PUSH1.native, ops.PUSH1.nativeGas, ops.PUSH1.underpaid], [6, 53, 0.8, false]);
  assert.deepEqual([ops.KECCAK256.nativeGas, ops.KECCAK256.underpaid, ops.SSTORE.underpaid], [3000, true, false]);
});
