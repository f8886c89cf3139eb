// The engine worker (src/worker.js) run in Node against the real engine: its messages are
// caught as the page would receive them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileInput } from '../../src/input.js';
import { SENDER } from '../../src/examples/index.js';
import { MAX_RECORDED_STEPS } from '../../src/trace-store.js';

const messages = [];
globalThis.postMessage = (message) => messages.push(message);
globalThis.onmessage = null;
await import('../../src/worker.js');
const { onmessage } = globalThis;

const LOOP = '0x' + '22'.repeat(20);
/** A block of `count` transactions of `gas` gas each into JUMPDEST PUSH0 JUMP (3 steps per 11 gas). */
function loops(count, gas) {
  const block = JSON.stringify(Array.from({ length: count }, () => ({ sender: SENDER, to: LOOP, calldata: '0x', value: '0', gasLimit: String(gas), gasPrice: '0' })));
  return compileInput({
    mode: 'block', block, code: '', calldata: '0x', value: '0', sender: SENDER, to: LOOP, gasLimit: '0', gasPrice: '0',
    accounts: JSON.stringify({ [SENDER]: { balance: '0x' + (10n ** 30n).toString(16) }, [LOOP]: { code: '0x5b5f56' } }),
    env: { gasLimit: '1000000000', baseFee: '0', nativePrice: '1', pubdataPrice: '0' }, config: { flow: 'ethereum', hardfork: 'cancun' },
  });
}

// Before: every step was recorded and sent to the page: 13.6 million steps (695 MB of columns)
// for this one loop, 40.9 million (2.1 GB) for three, and a link with ten took the tab's memory.
test(`a run records at most ${MAX_RECORDED_STEPS.toLocaleString('en-US')} steps; the summary covers the whole run`, async () => {
  messages.length = 0;
  await onmessage({ data: { type: 'run', id: 1, request: loops(1, 50_000_000) } });
  const chunks = messages.filter((m) => m.type === 'chunk');
  const done = messages.find((m) => m.type === 'done');
  assert.equal(messages.find((m) => m.type === 'error'), undefined);
  const recorded = chunks.reduce((n, c) => n + c.count, 0);
  assert.equal(recorded, MAX_RECORDED_STEPS);
  assert.deepEqual({ total: done.total, truncated: done.truncated }, { total: MAX_RECORDED_STEPS, truncated: true });
  // The summary is the whole transaction's: all its gas, not the recorded part's.
  assert.equal(done.summary.transactions[0].gasUsed, 50_000_000);
});

test('a run that ends within the bound is recorded whole, not marked truncated', async () => {
  messages.length = 0;
  await onmessage({ data: { type: 'run', id: 2, request: loops(2, 100_000) } });
  const done = messages.find((m) => m.type === 'done');
  assert.equal(done.truncated, false);
  assert.equal(messages.filter((m) => m.type === 'chunk').reduce((n, c) => n + c.count, 0), done.total);
  assert.ok(done.total > 2 * 20_000 && done.total < MAX_RECORDED_STEPS, String(done.total));
});
