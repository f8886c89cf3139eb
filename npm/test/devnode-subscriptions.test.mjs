// Subscription notifications are made once per mined block for every subscription, and a `logs`
// subscription gets every matching log of a block, however many (eth_getLogs' 10,000 bound is a
// query's, not a subscription's). Before: each subscription read and formatted each block again,
// and a block of 10,050 logs threw inside the notifier, so its `logs` subscribers got none.
// Polled log filters page by whole blocks; before, a poll over more than eth_getLogs answers
// (10,000 logs or blocks) failed, and every later poll of that filter failed the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, connectionProvider, createDevProvider, createEngine } from '../dist/esm/node.js';

/** Emits 10,050 empty LOG0s: PUSH2 10050, loop { JUMPDEST DUP1 ISZERO PUSH1 end JUMPI PUSH0 PUSH0 LOG0 PUSH1 1 SWAP1 SUB PUSH1 3 JUMP }, end: JUMPDEST STOP. */
const LOG_STORM = '0x612742' + '5b801560135' + '7' + '5f5fa0' + '600190036003' + '56' + '5b00';
const STORM = '0x00000000000000000000000000000000000a0a00';
const COUNT = 10_050;

test('a logs subscription gets all 10,050 logs of one block in order; newHeads its header; the same text for every subscriber', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  const [from] = await provider.request({ method: 'eth_accounts' });
  await provider.request({ method: 'anvil_setCode', params: [STORM, LOG_STORM] });
  const seen = [[], []];
  const conns = seen.map((texts) => connectionProvider(chain, provider, (t) => texts.push(t)));
  const ids = [];
  for (const c of conns) {
    ids.push({
      logs: await c.provider.request({ method: 'eth_subscribe', params: ['logs', { address: STORM }] }),
      none: await c.provider.request({ method: 'eth_subscribe', params: ['logs', { topics: ['0x' + '11'.repeat(32)] }] }),
      heads: await c.provider.request({ method: 'eth_subscribe', params: ['newHeads'] }),
    });
  }
  const hash = await provider.request({ method: 'eth_sendTransaction', params: [{ from, to: STORM, gas: '0x1000000' }] });
  const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] });
  assert.equal(receipt.status, '0x1');
  assert.equal(receipt.logs.length, COUNT);
  const block = await provider.request({ method: 'eth_getBlockByNumber', params: [receipt.blockNumber, false] });
  const { transactions: _t, uncles: _u, withdrawals: _w, ...header } = block;
  for (const [i, texts] of seen.entries()) {
    const notes = texts.map((t) => JSON.parse(t));
    assert.ok(notes.every((n) => n.jsonrpc === '2.0' && n.method === 'eth_subscription'));
    const of = (id) => notes.filter((n) => n.params.subscription === id).map((n) => n.params.result);
    assert.deepEqual(of(ids[i].logs), receipt.logs);
    assert.deepEqual(of(ids[i].none), []);
    assert.deepEqual(of(ids[i].heads), [header]);
  }
  // Both connections got the same notification texts, but for the subscription ids.
  assert.deepEqual(seen[0].map((t) => t.replace(/"subscription":"0x[0-9a-f]+"/, '')), seen[1].map((t) => t.replace(/"subscription":"0x[0-9a-f]+"/, '')));
  for (const c of conns) c.close();
});

test('a log filter polled over a block of 10,050 logs, then over 10,001 blocks, gets them all and goes on', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  const request = (method, params = []) => provider.request({ method, params });
  const [from] = await request('eth_accounts');
  await request('anvil_setCode', [STORM, LOG_STORM]);
  const filter = await request('eth_newFilter', [{ address: STORM }]);
  const first = await request('eth_sendTransaction', [{ from, to: STORM, gas: '0x1000000' }]);
  const receipt = await request('eth_getTransactionReceipt', [first]);
  assert.deepEqual(await request('eth_getFilterChanges', [filter]), receipt.logs);
  assert.deepEqual(await request('eth_getFilterChanges', [filter]), []);
  // 10,001 empty blocks, then a block with one more storm: the first poll walks 10,000 blocks.
  await request('anvil_mine', ['0x2711']);
  const second = await request('eth_sendTransaction', [{ from, to: STORM, gas: '0x1000000' }]);
  const later = await request('eth_getTransactionReceipt', [second]);
  assert.deepEqual(await request('eth_getFilterChanges', [filter]), []);
  assert.deepEqual(await request('eth_getFilterChanges', [filter]), later.logs);
  assert.deepEqual(await request('eth_getFilterChanges', [filter]), []);
});
