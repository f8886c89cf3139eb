// A call at block N runs in block N's own context (NUMBER = N, its TIMESTAMP, BLOCKHASH(N) = 0),
// "pending" in the next block, as anvil (and geth's DoCall) run it; before, zkos ran every call
// at a block in the block after it, so NUMBER at "latest" was the head plus one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anvilAndZkos, rpc } from './devnode/spawn.mjs';

/**
 * Answers NUMBER, TIMESTAMP, BLOCKHASH(NUMBER) and BLOCKHASH(NUMBER - 1) as four words:
 * NUMBER PUSH1 0 MSTORE TIMESTAMP PUSH1 32 MSTORE NUMBER BLOCKHASH PUSH1 64 MSTORE
 * PUSH1 1 NUMBER SUB BLOCKHASH PUSH1 96 MSTORE PUSH1 128 PUSH1 0 RETURN.
 */
const READER_CODE = '0x436000524260205243406040526001430340606052' + '60806000f3';
/** Reverts unless NUMBER > 3: PUSH1 3 NUMBER GT PUSH1 11 JUMPI PUSH1 0 DUP1 REVERT JUMPDEST STOP. */
const GATE_CODE = '0x60034311600b57600080fd5b00';
const READER = '0x' + '00'.repeat(19) + 'c7';
const GATE = '0x' + '00'.repeat(19) + 'c8';
/** Timestamps of blocks 1 to 3, set alike on both nodes. */
const TIMESTAMPS = [2_000_000_000, 2_000_001_000, 2_000_002_000];

const nodes = anvilAndZkos({
  setup: async (anvil, zkos) => {
    for (const node of [anvil, zkos]) {
      for (const [address, code] of [[READER, READER_CODE], [GATE, GATE_CODE]]) {
        assert.equal((await rpc(node.url, 'anvil_setCode', [address, code])).error, undefined);
      }
      for (const timestamp of TIMESTAMPS) assert.equal((await rpc(node.url, 'evm_mine', [timestamp])).error, undefined);
    }
  },
});

/** What the reader saw in a call at `tag` on `node` (no block parameter when `tag` is undefined). */
async function seen(node, tag) {
  const params = tag === undefined ? [{ to: READER }] : [{ to: READER }, tag];
  const { result, error } = await rpc(node.url, 'eth_call', params);
  assert.equal(error, undefined, JSON.stringify(error));
  const words = result.slice(2).match(/.{64}/g).map((w) => '0x' + w);
  return { number: BigInt(words[0]), timestamp: BigInt(words[1]), hashOfNumber: words[2], hashOfParent: words[3] };
}

async function blockHash(node, n) {
  return (await rpc(node.url, 'eth_getBlockByNumber', ['0x' + n.toString(16), false])).result.hash;
}

const ZERO = '0x' + '00'.repeat(32);

// Before: zkos answered NUMBER 4 and block 4's timestamp at "latest" (anvil: 3 and block 3's).
test('eth_call at latest, at a number and with no block runs in that block, as anvil', async () => {
  for (const node of [nodes.anvil, nodes.zkos]) {
    const name = node === nodes.zkos ? 'zkos' : 'anvil';
    assert.equal((await rpc(node.url, 'eth_blockNumber')).result, '0x3', name);
    for (const [tag, n] of [['latest', 3], [undefined, 3], ['0x3', 3], ['0x2', 2], ['0x1', 1], [{ blockNumber: '0x2' }, 2]]) {
      const at = await seen(node, tag);
      const parent = await blockHash(node, n - 1);
      assert.deepEqual(at, { number: BigInt(n), timestamp: BigInt(TIMESTAMPS[n - 1]), hashOfNumber: ZERO, hashOfParent: parent }, `${name} at ${JSON.stringify(tag)}`);
    }
  }
  // Both nodes agree call for call (the hashes differ: zkos's headers are ZKsync OS's).
  for (const tag of ['latest', '0x1', '0x2']) {
    const [a, z] = await Promise.all([seen(nodes.anvil, tag), seen(nodes.zkos, tag)]);
    assert.deepEqual([z.number, z.timestamp, z.hashOfNumber], [a.number, a.timestamp, a.hashOfNumber], String(tag));
  }
});

// Before: zkos's "pending" was its "latest" (the same next block); it still is the next block.
test('eth_call at pending runs in the next block: NUMBER is the head plus one and BLOCKHASH(head) the head hash, as anvil', async () => {
  for (const node of [nodes.anvil, nodes.zkos]) {
    const name = node === nodes.zkos ? 'zkos' : 'anvil';
    const pending = await seen(node, 'pending');
    assert.equal(pending.number, 4n, name);
    assert.equal(pending.hashOfParent, await blockHash(node, 3), name);
    assert.equal(pending.hashOfNumber, ZERO, name);
    assert.ok(pending.timestamp >= BigInt(TIMESTAMPS[2]), `${name}: ${pending.timestamp}`);
  }
});

// Before: zkos estimated the gated call at latest (it ran as block 4) where anvil reverts.
test('eth_estimateGas runs at latest in the head block and, with no block, at pending (anvil 1.x); eth_createAccessList and debug_traceCall with no block at latest', async () => {
  for (const node of [nodes.anvil, nodes.zkos]) {
    const name = node === nodes.zkos ? 'zkos' : 'anvil';
    const latest = await rpc(node.url, 'eth_estimateGas', [{ to: GATE }, 'latest']);
    assert.equal(latest.error?.code, 3, `${name}: ${JSON.stringify(latest)}`);
    assert.match(latest.error.message, /execution reverted/, name);
    for (const params of [[{ to: GATE }, 'pending'], [{ to: GATE }]]) {
      const { result, error } = await rpc(node.url, 'eth_estimateGas', params);
      assert.equal(error, undefined, `${name} ${JSON.stringify(params)}: ${JSON.stringify(error)}`);
      assert.ok(BigInt(result) > 21_000n, name);
    }
    // A reverting run is anvil's error 3 and geth's (and zkos's) answer with an `error` field.
    const list = await rpc(node.url, 'eth_createAccessList', [{ to: GATE }]);
    assert.ok(list.error?.code === 3 || /execution reverted/.test(list.result?.error), `${name}: ${JSON.stringify(list)}`);
    const pendingList = await rpc(node.url, 'eth_createAccessList', [{ to: GATE }, 'pending']);
    assert.equal(pendingList.error ?? pendingList.result.error, undefined, `${name}: ${JSON.stringify(pendingList)}`);
    const trace = await rpc(node.url, 'debug_traceCall', [{ to: GATE }, 'latest', {}]);
    assert.equal(trace.result?.failed, true, `${name}: ${JSON.stringify(trace).slice(0, 200)}`);
  }
});
