// Transactions that wait (automine off, or a nonce ahead queued) as real clients read them:
// eth_getTransactionByHash and txpool_content give them as a mined one is given (chain id,
// signature, yParity, access list), so ethers v6's JsonRpcSigner can hand them back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserProvider, Transaction } from 'ethers';
import { DevChain, createDevProvider, createEngine } from '../dist/esm/node.js';

let chain;
let provider;
before(async () => {
  chain = new DevChain(await createEngine(), { accounts: 2 });
  provider = createDevProvider(chain);
});
after(() => chain?.close());

const call = (method, params = []) => provider.request({ method, params });
const BLOCK_FIELDS = ['blockHash', 'blockNumber', 'transactionIndex'];
const withoutBlock = (tx) => Object.fromEntries(Object.entries(tx).filter(([k]) => !BLOCK_FIELDS.includes(k)));

// Before: the pending transaction had no chainId, v, r, s: ethers' sendTransaction polled
// eth_getTransactionByHash and threw "missing r" for every transaction that waited.
test('ethers v6 JsonRpcSigner.sendTransaction with automine off and with a nonce ahead (queued) returns the transaction', async () => {
  const ethers = new BrowserProvider(provider, undefined, { cacheTimeout: -1, pollingInterval: 20 });
  const signer = await ethers.getSigner(0);
  await call('evm_setAutomine', [false]);
  try {
    const pooled = await signer.sendTransaction({ to: signer.address, value: 1n });
    assert.equal(pooled.blockNumber, null);
    assert.equal(pooled.chainId, 270n);
    // The signature ethers read is the envelope's: the transaction it rebuilds hashes to the hash.
    assert.equal(Transaction.from(pooled).hash, pooled.hash);
    await call('evm_mine');
    assert.equal((await pooled.wait()).status, 1);
  } finally {
    await call('evm_setAutomine', [true]);
  }
  const next = await ethers.getTransactionCount(signer.address);
  const ahead = await signer.sendTransaction({ to: signer.address, value: 2n, nonce: next + 1 });
  assert.equal(Transaction.from(ahead).hash, ahead.hash);
  assert.equal((await call('txpool_status')).queued, '0x1');
  await signer.sendTransaction({ to: signer.address, value: 3n, nonce: next });
  assert.equal((await ahead.wait()).status, 1);
});

test('a pending transaction reads as it does once mined, but for its block (signed and unsigned, in txpool_content too)', async () => {
  const [a, b] = await call('eth_accounts');
  const stranger = '0x' + 'ab'.repeat(20);
  await call('anvil_setBalance', [stranger, '0xde0b6b3a7640000']);
  await call('anvil_impersonateAccount', [stranger]);
  await call('evm_setAutomine', [false]);
  let hashes;
  const pending = [];
  try {
    hashes = [await call('eth_sendTransaction', [{ from: a, to: b, value: '0x1' }]), await call('eth_sendTransaction', [{ from: stranger, to: b, value: '0x1' }])];
    for (const h of hashes) pending.push(await call('eth_getTransactionByHash', [h]));
    const content = await call('txpool_content');
    assert.deepEqual(pending.map((t) => content.pending[t.from][String(BigInt(t.nonce))]), pending);
    await call('evm_mine');
  } finally {
    await call('evm_setAutomine', [true]);
  }
  for (const [i, h] of hashes.entries()) {
    const mined = await call('eth_getTransactionByHash', [h]);
    assert.deepEqual(withoutBlock(pending[i]), withoutBlock(mined), h);
    assert.deepEqual(BLOCK_FIELDS.map((k) => pending[i][k]), [null, null, null]);
  }
  assert.notEqual(pending[0].r, '0x0');
  assert.equal(pending[1].r, '0x0');
});
