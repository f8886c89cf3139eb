// Dev methods given params of the wrong type are refused (-32602) and change nothing: before,
// anvil_reset / hardhat_reset reset the chain whatever their param (a number, a string, an array
// 1,000,000 deep) and ignored a fork block asked for, and evm_mine took an array as an empty
// options object and mined. A malformed raw transaction is refused as anvil refuses it, not named as the
// block it would have been mined in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, createDevProvider, createEngine } from '../dist/esm/node.js';

async function devProvider() {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  return createDevProvider(chain);
}

const refused = (p, method, params, pattern) =>
  assert.rejects(p.request({ method, params }), (e) => e.code === -32602 && pattern.test(e.message), method);

test('anvil_reset and hardhat_reset: a param that is not an options object, or a fork block, is -32602 and the chain stays', async () => {
  const p = await devProvider();
  await p.request({ method: 'anvil_mine', params: ['0x3'] });
  let deep = [];
  for (let i = 0; i < 1_000_000; i++) deep = [deep];
  for (const method of ['anvil_reset', 'hardhat_reset']) {
    // Refused before it is read: the provider's nesting bound (plain.ts, 10,000 levels).
    await refused(p, method, [deep], /nest arrays and objects more than 10000 deep/);
    await refused(p, method, [5], /reset: options: expected an object/);
    await refused(p, method, ['latest'], /reset: options: expected an object/);
    await refused(p, method, [{ forking: [] }], /reset: forking: expected an object/);
    await refused(p, method, [{ forking: 'http://127.0.0.1:1' }], /reset: forking: expected an object/);
    await refused(p, method, [{ forking: { blockNumber: 1 } }], /forking another block is not available/);
    await refused(p, method, [{ forking: { jsonRpcUrl: 'http://127.0.0.1:1' } }], /forking another chain is not available/);
    assert.equal(await p.request({ method: 'eth_blockNumber' }), '0x3', method);
  }
  assert.equal(await p.request({ method: 'hardhat_reset', params: [{ forking: { jsonRpcUrl: null, blockNumber: null } }] }), true);
  assert.equal(await p.request({ method: 'eth_blockNumber' }), '0x0');
  await p.request({ method: 'anvil_mine', params: ['0x2'] });
  assert.equal(await p.request({ method: 'anvil_reset', params: [] }), null);
  assert.equal(await p.request({ method: 'eth_blockNumber' }), '0x0');
});

test('evm_mine: an array is -32602 and mines nothing; a timestamp and { blocks } still mine', async () => {
  const p = await devProvider();
  await refused(p, 'evm_mine', [[]], /evm_mine: options: expected an object/);
  await refused(p, 'evm_mine', [['0x2']], /evm_mine: options: expected an object/);
  assert.equal(await p.request({ method: 'eth_blockNumber' }), '0x0');
  assert.equal(await p.request({ method: 'evm_mine', params: [{ blocks: 2 }] }), '0x0');
  const head = await p.request({ method: 'eth_getBlockByNumber', params: ['latest', false] });
  assert.equal(head.number, '0x2');
  const at = BigInt(head.timestamp) + 100n;
  assert.equal(await p.request({ method: 'evm_mine', params: ['0x' + at.toString(16)] }), '0x0');
  assert.equal((await p.request({ method: 'eth_getBlockByNumber', params: ['latest', false] })).timestamp, '0x' + at.toString(16));
});

test('eth_sendRawTransaction: a malformed envelope is -32602 "Failed to decode transaction" as anvil answers, and nothing is mined', async () => {
  const p = await devProvider();
  const cases = [
    ['0x02', /^Failed to decode transaction: truncated at byte 1$/],
    ['0x80', /^Failed to decode transaction: a transaction is an RLP list, found a string$/],
    ['0x02c000', /^Failed to decode transaction: 1 trailing bytes$/],
    ['0x02b80100', /^Failed to decode transaction: long form for a short length$/],
  ];
  for (const [raw, pattern] of cases) await refused(p, 'eth_sendRawTransaction', [raw], pattern);
  assert.equal(await p.request({ method: 'eth_blockNumber' }), '0x0');
});

// Before: viem's testClient.mine({ blocks: 3 }) sends an interval of `0x0`; its blocks shared one
// timestamp, which the Ethereum flow refuses, so one block was mined and the call failed with
// "block.timestamp: must rise above the head's". An interval of 0 is now none.
test('anvil_mine with an interval of 0 (viem\'s testClient.mine) mines every block in both flows', async () => {
  for (const flow of ['ethereum', 'zk']) {
    const p = createDevProvider(new DevChain(await createEngine({ flow }), { accounts: 1 }));
    await p.request({ method: 'anvil_mine', params: ['0x3', '0x0'] });
    const blocks = await Promise.all(['0x1', '0x2', '0x3'].map((n) => p.request({ method: 'eth_getBlockByNumber', params: [n, false] })));
    assert.equal(await p.request({ method: 'eth_blockNumber', params: [] }), '0x3', flow);
    assert.ok(BigInt(blocks[1].timestamp) > BigInt(blocks[0].timestamp) && BigInt(blocks[2].timestamp) > BigInt(blocks[1].timestamp), flow);
  }
});
