// eth_getProof over a fork, against the node and an anvil forking it at the same block. An
// account the fork never wrote is the chain's at the fork block: its proof is the node's there
// (named by the fork block's hash), for any block of the fork; an account the fork wrote is
// refused (-32000, PROOF_UNAVAILABLE) rather than answered with a proof of values it no longer
// holds; a block before the fork block is the node's proof there. Before: -32601 for all of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyToAccount } from 'viem/accounts';
import { createEngine, createProvider } from '../dist/esm/node.js';
import { erc20BalanceSlot } from './fixtures/erc20.mjs';
import { faultyProxy } from './fork/faulty.mjs';
import { proofOf } from './fork/faulty-node.mjs';
import { startNode } from './fork/node.mjs';
import { A, B, TOKEN, placeToken } from './fork/placed.mjs';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const hex = (n) => '0x' + n.toString(16);
const SLOTS = [erc20BalanceSlot(A), erc20BalanceSlot(B), '0x' + '00'.repeat(31) + '07'];

let node;
let anvilFork;
let pin;
let pinHash;
before(async () => {
  node = await startNode();
  // anvil's edits change its latest block's state: made, then two blocks mined over them.
  await placeToken(node, 2);
  pin = BigInt(await node.rpc('eth_blockNumber'));
  pinHash = (await node.rpc('eth_getBlockByNumber', [hex(pin), false])).hash;
  anvilFork = await startNode({ extraArgs: ['--fork-url', node.url, '--fork-block-number', String(pin)] });
});
after(async () => {
  await anvilFork?.stop();
  await node?.stop();
});

async function forked(verify = true) {
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: node.url, blockNumber: pin, verify } });
  return { engine, provider: createProvider(engine) };
}

const proof = (provider, address, slots, block) => provider.request({ method: 'eth_getProof', params: [address, slots, block] });

test('an account the fork did not write: the node\'s proof at the fork block, as the forking anvil answers', async () => {
  for (const verify of [true, false]) {
    const { engine, provider } = await forked(verify);
    const theirs = await node.rpc('eth_getProof', [TOKEN, SLOTS, { blockHash: pinHash }]);
    assert.deepEqual(await anvilFork.rpc('eth_getProof', [TOKEN, SLOTS, 'latest']), theirs);
    for (const block of [undefined, 'latest', hex(pin), { blockHash: pinHash }, pinHash]) {
      assert.deepEqual(await proof(provider, TOKEN, SLOTS, block), theirs, JSON.stringify(block));
    }
    // A block of the fork's own, after a transfer between two other accounts: still the chain's.
    const raw = await privateKeyToAccount(KEY).signTransaction({ chainId: 31337, type: 'eip1559', to: B, value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n, nonce: Number(await node.rpc('eth_getTransactionCount', [A, hex(pin)])) });
    await provider.request({ method: 'eth_sendRawTransaction', params: [raw] });
    assert.equal(engine.blockNumber(), pin + 1n);
    assert.deepEqual(await proof(provider, TOKEN, SLOTS, 'latest'), theirs);
    assert.deepEqual(await proof(provider, TOKEN, [], hex(pin + 1n)), await node.rpc('eth_getProof', [TOKEN, [], hex(pin)]));
    engine.free();
  }
});

test('an account the fork wrote is refused, its proofs before the fork block still the node\'s', async () => {
  const { engine, provider } = await forked();
  await engine.setAccount(TOKEN, { balance: 5n });
  await assert.rejects(proof(provider, TOKEN, SLOTS, 'latest'), (err) => {
    assert.equal(err.code, -32000);
    assert.equal(err.zkosCode, 'PROOF_UNAVAILABLE');
    assert.match(err.message, /written on this fork/);
    return true;
  });
  await assert.rejects(proof(provider, TOKEN, [], { blockHash: pinHash }), (err) => err.zkosCode === 'PROOF_UNAVAILABLE');
  const earlier = hex(pin - 1n);
  const theirs = await node.rpc('eth_getProof', [TOKEN, SLOTS, earlier]);
  assert.deepEqual(await anvilFork.rpc('eth_getProof', [TOKEN, SLOTS, earlier]), theirs);
  assert.deepEqual(await proof(provider, TOKEN, SLOTS, earlier), theirs);
  // The others are untouched.
  assert.deepEqual(await proof(provider, B, [], 'latest'), await node.rpc('eth_getProof', [B, [], hex(pin)]));
  engine.free();
});

test('eth_getProof\'s parameters are checked', async () => {
  const { engine, provider } = await forked();
  await assert.rejects(proof(provider, TOKEN, SLOTS, hex(pin + 5n)), (err) => err.code === -32000 && /header not found/.test(err.message));
  await assert.rejects(proof(provider, '0x12', [], 'latest'), (err) => err.code === -32602);
  await assert.rejects(proof(provider, TOKEN, Array(1025).fill(SLOTS[0]), 'latest'), (err) => err.code === -32602);
  await assert.rejects(proof(provider, TOKEN, SLOTS[0], 'latest'), (err) => err.code === -32602 && /must be an array/.test(err.message));
  await assert.rejects(proof(provider, TOKEN, ['0x' + '1'.repeat(65)], 'latest'), (err) => err.code === -32602);
  // A short key is the word it names, as geth reads it.
  assert.deepEqual((await proof(provider, TOKEN, ['0x7'], 'latest')).storageProof[0].value, '0x0');
  engine.free();
});

test('with `verify`, the proof handed on must prove against the fork block\'s state root', async () => {
  const proxy = await faultyProxy(node.url);
  try {
    for (const verify of [true, false]) {
      const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, blockNumber: pin, verify, retries: 0 } });
      const provider = createProvider(engine);
      proxy.set(proofOf(TOKEN.toLowerCase(), (result) => (result.balance = '0x1')));
      if (verify) await assert.rejects(proof(provider, TOKEN, SLOTS, 'latest'), (err) => err.zkosCode === 'FORK_PROOF_MISMATCH' && err.data.what.includes('eth_getProof'));
      // Trusting the node, its word is handed on.
      else assert.equal((await proof(provider, TOKEN, SLOTS, 'latest')).balance, '0x1');
      proxy.set(undefined);
      engine.free();
    }
  } finally {
    await proxy.close();
  }
});
