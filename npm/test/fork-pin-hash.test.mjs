// Pinning the fork block by hash (EIP-1898 style `blockHash`): the node's block at that hash
// must hash to it. A proxy in front of anvil answers another block, or the block with an
// altered state root, for the hash asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createForkFetcher } from '../dist/esm/node.js';
import { QUICK, editing, faultyNodeAroundTests, isZkosError } from './fork/faulty-node.mjs';
import { B } from './fork/placed.mjs';

let node;
let proxy;
faultyNodeAroundTests((n, p) => {
  node = n;
  proxy = p;
});

const blockAt = (number) => node.rpc('eth_getBlockByNumber', ['0x' + number.toString(16), false]);
const byHash = (edit) => editing((call, answer) => call.method === 'eth_getBlockByHash' && edit(answer));

test('an engine pinned by hash builds on that block and reads its state', async () => {
  await node.rpc('anvil_mine', ['0x3']);
  const head = BigInt(await node.rpc('eth_blockNumber'));
  const pinned = await blockAt(head - 2n);
  await node.rpc('anvil_setBalance', [B, '0x1234']);
  await node.rpc('anvil_mine', ['0x1']);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK }, blockHash: pinned.hash });
  assert.equal(engine.blockNumber(), head - 2n);
  assert.equal(engine.getBlock('latest').hash, pinned.hash);
  // The balance set after the pin is not seen.
  const account = await engine.getAccount(B);
  assert.equal(account?.balance ?? 0n, BigInt(await node.rpc('eth_getBalance', [B, '0x' + (head - 2n).toString(16)])));
  assert.notEqual(account?.balance, 0x1234n);
  engine.free();
});

test('a node whose block at the hash does not hash to it is refused', async () => {
  const head = BigInt(await node.rpc('eth_blockNumber'));
  const asked = (await blockAt(head - 1n)).hash;
  const other = await blockAt(head);
  const faults = [
    // Another block, reported as is: verified, its header does not hash to the hash asked.
    ['another block', byHash((answer) => (answer.result = other)), 'FORK_PROOF_MISMATCH'],
    // The block asked with another state root (and the hash field kept): the header does not hash.
    ['an altered state root', byHash((answer) => (answer.result.stateRoot = '0x' + '11'.repeat(32))), 'FORK_PROOF_MISMATCH'],
  ];
  for (const [what, fault, code] of faults) {
    proxy.set(fault);
    try {
      await assert.rejects(
        createForkFetcher({ url: proxy.url, ...QUICK, blockHash: asked }),
        isZkosError(code, (err) => assert.equal(err.reason, 'HeaderHashMismatch', `${what}: ${err.message}`)),
      );
      // Trusting the node, the hash it reports must still be the one asked.
      if (what === 'another block') await assert.rejects(createForkFetcher({ url: proxy.url, ...QUICK, verify: false, blockHash: asked }), isZkosError('FORK_BAD_RESPONSE'));
    } finally {
      proxy.set(undefined);
    }
  }
  const honest = await createForkFetcher({ url: proxy.url, ...QUICK, blockHash: asked });
  assert.equal(honest.block.number, head - 1n);
  await assert.rejects(createForkFetcher({ url: node.url, blockHash: '0x' + '22'.repeat(32) }), isZkosError('NOT_FOUND'));
  await assert.rejects(createForkFetcher({ url: node.url, blockHash: asked, blockNumber: 1 }), isZkosError('INVALID_ARGUMENT'));
  await assert.rejects(createForkFetcher({ url: node.url, blockHash: '0x12' }), isZkosError('INVALID_ARGUMENT'));
});
