import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, bulkRecorder } from '../../src/engine-adapter.js';
import { compileInput } from '../../src/input.js';
import { EXAMPLES, DEFAULT_BLOCK, SENDER, RECIPIENT } from '../../src/examples/index.js';
import { COLUMNS } from '../../src/trace-store.js';
import { recordPerStep } from './per-step-record.js';

/** Steps per bulk call: small, so every program crosses several chunk boundaries. */
const CHUNK = 97;

/**
 * A session that, like a forked one waiting for the node, hands out at most `most` steps per
 * `recordSteps` call (it resolves a Promise, as a forked session does).
 */
function stingy(session, most) {
  return new Proxy(session, {
    get(target, name) {
      if (name === 'recordSteps') return async (max) => target.recordSteps(Math.min(max, most));
      const value = target[name];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Every step of the request's run recorded in bulk, its chunks joined (`most`: see `stingy`). */
async function recordBulk(request, most = Infinity) {
  const { session: whole } = await openSession(request);
  const session = most === Infinity ? whole : stingy(whole, most);
  const recorder = bulkRecorder(session);
  const parts = [];
  for (;;) {
    const { count, cols, done } = await recorder.record(CHUNK);
    assert.ok(count <= CHUNK);
    parts.push(cols);
    if (done) break;
    assert.equal(count, CHUNK, 'only the last chunk is short');
  }
  const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, T]) => {
    const out = new T(parts.reduce((n, p) => n + p[k].length, 0));
    let at = 0;
    for (const p of parts) { assert.ok(p[k] instanceof T, `${k} is a ${T.name}`); out.set(p[k], at); at += p[k].length; }
    return [k, out];
  }));
  return { cols, codes: recorder.codes, txInfo: recorder.txInfo };
}

async function assertSameRecord(request, label) {
  const reference = recordPerStep((await openSession(request)).session);
  const bulk = await recordBulk(request);
  assert.ok(reference.cols.pc.length > 0, `${label}: steps recorded`);
  for (const k of Object.keys(COLUMNS)) assert.deepEqual(bulk.cols[k], reference.cols[k], `${label}: column ${k}`);
  assert.deepEqual(bulk.codes, reference.codes, `${label}: codes`);
  assert.deepEqual(bulk.txInfo, reference.txInfo, `${label}: txInfo`);
  return reference;
}

const byId = (id) => compileInput(EXAMPLES.find((e) => e.id === id).input);

for (const id of ['transfer', 'storage-loop', 'keccak-loop', 'out-of-native', 'l2-l1-message', 'erc20-bytecode', 'revert']) {
  test(`the bulk record of the ${id} example equals the per-step record`, async () => {
    await assertSameRecord(byId(id), id);
  });
}

test('the bulk record equals the per-step record in the Ethereum flow', async () => {
  const input = EXAMPLES.find((e) => e.id === 'storage-loop').input;
  await assertSameRecord(compileInput({ ...input, config: { flow: 'ethereum' } }), 'ethereum');
});

test('the bulk record equals the per-step record through deployments (init code at two depths)', async () => {
  // Init code: PUSH5 <child init> PUSH1 0 MSTORE, then CREATE(0, 27, 5) of the child, POP, STOP;
  // the child's init code PUSH1 1 PUSH1 0 RETURN deploys one zero byte.
  const input = { ...EXAMPLES.find((e) => e.id === 'transfer').input, to: '', value: '0', gasLimit: '1000000', calldata: '0x6460016000f36000526005601b6000f05000' };
  const { cols, codes } = await assertSameRecord(compileInput(input), 'deployment');
  assert.equal(codes.length, 2);
  assert.ok(codes.every((c) => c.startsWith('init:')));
  assert.equal(Math.max(...cols.depth), 1);
});

test('the bulk record equals the per-step record over a block with an invalid transaction', async () => {
  const invalid = { sender: SENDER, to: RECIPIENT, calldata: '0x', value: '1', gasLimit: '20000', gasPrice: DEFAULT_BLOCK.transactions[0].gasPrice };
  const input = {
    ...EXAMPLES.find((e) => e.id === 'transfer').input, mode: 'block',
    block: JSON.stringify([DEFAULT_BLOCK.transactions[0], invalid, DEFAULT_BLOCK.transactions[1]]),
    accounts: JSON.stringify({ [SENDER]: { balance: (10n ** 19n).toString() }, ...DEFAULT_BLOCK.accounts }),
  };
  const { txInfo, cols } = await assertSameRecord(compileInput(input), 'block');
  assert.equal(txInfo.length, 3);
  assert.equal(txInfo[1].error?.code, 'INVALID_TRANSACTION');
  assert.equal(txInfo[0].error, null);
  assert.ok(cols.tx.includes(2));
});

test('a session that stops early (a forked one waiting for the node) still gives full chunks', async () => {
  const request = byId('storage-loop');
  const whole = await recordBulk(request);
  // recordBulk asserts that every chunk but the last has CHUNK steps.
  const pieces = await recordBulk(request, 10);
  for (const k of Object.keys(COLUMNS)) assert.deepEqual(pieces.cols[k], whole.cols[k], `column ${k}`);
  assert.deepEqual(pieces.txInfo, whole.txInfo);
});

test('a recording call is bounded: more than 262,144 steps is refused before anything runs', async () => {
  const { session } = await openSession(byId('transfer'));
  assert.throws(() => session.recordSteps(262_145), { code: 'INVALID_ARGUMENT' });
  assert.equal(session.txIndex, 0);
  assert.equal(session.phase, 'validation');
  assert.equal(session.recordSteps(262_144).done, true);
});
