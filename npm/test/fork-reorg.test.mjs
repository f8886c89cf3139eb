// A reorg at the pinned height: reads name the pinned block by hash (EIP-1898 `{ blockHash }`),
// so anvil reverted past the pin and grown again with other state answers nothing for the pin,
// and the fork says so (`FORK_BLOCK_GONE`) instead of reading the new block's state. A proxy in
// front of anvil refuses hash params as a node without EIP-1898 would: the fork names the
// number then, and checks in each wave that the node's block there is still the pinned one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../dist/esm/node.js';
import { faultyProxy } from './fork/faulty.mjs';
import { startNode } from './fork/node.mjs';
import { QUICK, isZkosError } from './fork/faulty-node.mjs';
import { A, B } from './fork/placed.mjs';

const C = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';
let node;
let proxy;
before(async () => {
  node = await startNode();
  proxy = await faultyProxy(node.url);
});
after(async () => {
  await proxy?.close();
  await node?.stop();
});

const hex = (n) => '0x' + n.toString(16);

/**
 * Sets B's balance to `before`, mines the pin, then reverts past it and mines the same height
 * again with B at `after`: returns the pinned block (gone from the node) and the new one.
 */
async function pinThenReorg(pinWith, { before: first, after: second }) {
  await node.rpc('anvil_mine', ['0x2']);
  const snapshot = await node.rpc('evm_snapshot', []);
  await node.rpc('anvil_setBalance', [B, hex(first)]);
  await node.rpc('anvil_setBalance', [C, hex(first)]);
  await node.rpc('anvil_mine', ['0x1']);
  const pinned = await node.rpc('eth_getBlockByNumber', ['latest', false]);
  // anvil's edits apply to its latest block's state: one more block keeps the pin's as it is.
  await node.rpc('anvil_mine', ['0x1']);
  const engine = await pinWith(pinned);
  await node.rpc('evm_revert', [snapshot]);
  await node.rpc('anvil_setBalance', [B, hex(second)]);
  await node.rpc('anvil_setBalance', [C, hex(second)]);
  await node.rpc('anvil_mine', ['0x2']);
  const replaced = await node.rpc('eth_getBlockByNumber', [pinned.number, false]);
  assert.notEqual(replaced.hash, pinned.hash, 'anvil reorged the pinned height');
  return { engine, pinned };
}

/** The params of every call sent through the proxy since `from`, by method. */
function sent(from, method) {
  return proxy.bodies
    .slice(from)
    .flatMap((b) => (Array.isArray(b) ? b : [b]))
    .filter((c) => c.method === method)
    .map((c) => c.params);
}

test('reads name the pin by hash; a reorg at its height is FORK_BLOCK_GONE, trusting or verifying', async () => {
  for (const verify of [false, true]) {
    const from = proxy.bodies.length;
    const { engine, pinned } = await pinThenReorg(
      (block) => createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK, verify }, blockHash: block.hash }),
      { before: 0x1111n, after: 0x2222n },
    );
    // Before, a trusting fork read B at the pin's number: 0x2222, the new block's balance.
    await assert.rejects(
      engine.getAccount(B),
      isZkosError('FORK_BLOCK_GONE', (err) => {
        assert.equal(err.data.hash, pinned.hash);
        assert.equal(err.data.number, BigInt(pinned.number));
        assert.match(err.message, /reorg/);
      }),
    );
    assert.equal(engine.heldAccount(B), undefined, 'nothing of the failed wave is kept');
    const reads = sent(from, 'eth_getProof');
    assert.ok(reads.length > 0);
    for (const params of reads) assert.deepEqual(params.at(-1), { blockHash: pinned.hash });
    engine.free();
  }
});

test('before a reorg, the pin read by hash answers its own state, the access-list hint included', async () => {
  await node.rpc('anvil_mine', ['0x1']);
  await node.rpc('anvil_setBalance', [B, '0x5555']);
  await node.rpc('anvil_mine', ['0x1']);
  const pinned = await node.rpc('eth_getBlockByNumber', ['latest', false]);
  await node.rpc('anvil_mine', ['0x1']);
  await node.rpc('anvil_setBalance', [B, '0x6666']);
  await node.rpc('anvil_mine', ['0x1']);
  const from = proxy.bodies.length;
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK }, blockHash: pinned.hash });
  assert.equal((await engine.getAccount(B)).balance, 0x5555n);
  await engine.call({ from: A, to: B, value: 1n });
  const hints = sent(from, 'eth_createAccessList');
  assert.equal(hints.length, 1);
  assert.deepEqual(hints[0][1], { blockHash: pinned.hash });
  engine.free();
});

/** A node without EIP-1898: a call naming a block by an object is refused, as older nodes word it. */
const withoutBlockHashParams = async ({ body }) => {
  const calls = Array.isArray(body) ? body : [body];
  const refused = (c) => Array.isArray(c.params) && c.params.some((p) => p !== null && typeof p === 'object' && !Array.isArray(p) && 'blockHash' in p);
  const passed = calls.filter((c) => !refused(c));
  const res = passed.length === 0 ? [] : await (await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(passed) })).json();
  const answers = calls.map((c) => (refused(c) ? { jsonrpc: '2.0', id: c.id, error: { code: -32602, message: 'invalid argument 2: hex string without 0x prefix' } } : res.find((a) => a.id === c.id)));
  return { body: Array.isArray(body) ? answers : answers[0] };
};

test('a node refusing hash params is read by number, each wave checking the pin is still its block', async () => {
  proxy.set(withoutBlockHashParams);
  try {
    for (const verify of [false, true]) {
      let kept;
      const { engine, pinned } = await pinThenReorg(
        async (block) => {
          const e = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK, verify }, blockHash: block.hash });
          // Read before the reorg: refused by hash, then by number with the pin checked.
          kept = await e.getAccount(B);
          assert.equal(e.fork.blockRef(), block.number);
          return e;
        },
        { before: 0x3333n, after: 0x4444n },
      );
      assert.equal(kept.balance, 0x3333n);
      // After it, the number names another block: before, the trusting fork read C's new
      // balance and the verifying one failed its proof (FORK_PROOF_MISMATCH).
      await assert.rejects(engine.getAccount(C), isZkosError('FORK_BLOCK_GONE', (err) => assert.equal(err.data.hash, pinned.hash)));
      engine.free();
    }
  } finally {
    proxy.set(undefined);
  }
});
