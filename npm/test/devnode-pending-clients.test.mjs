// Transactions that wait (automine off, or a nonce ahead queued) as real clients read them:
// eth_getTransactionByHash and txpool_content give them as a mined one is given (chain id,
// signature, yParity, access list), so ethers v6's JsonRpcSigner can hand them back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserProvider, Transaction, Wallet } from 'ethers';
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
  // txpool_inspect lists the queue too (before: always {}), as txpool_content does.
  const inspected = (await call('txpool_inspect')).queued;
  assert.deepEqual(Object.keys((await call('txpool_content')).queued), Object.keys(inspected));
  assert.equal(inspected[signer.address.toLowerCase()][String(next + 1)], `${signer.address.toLowerCase()}: 2 wei + 21000 gas × ${ahead.maxFeePerGas} wei`);
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

/** The transaction ethers rebuilds from a JSON-RPC transaction: its hash is the envelope's only when every signed field came back. */
function rebuiltHash(t) {
  const fields = { type: Number(t.type), chainId: BigInt(t.chainId), nonce: Number(t.nonce), gasLimit: BigInt(t.gas), maxFeePerGas: BigInt(t.maxFeePerGas), maxPriorityFeePerGas: BigInt(t.maxPriorityFeePerGas), to: t.to, value: BigInt(t.value), data: t.input, accessList: t.accessList };
  if (t.authorizationList !== undefined) {
    fields.authorizationList = t.authorizationList.map((a) => ({ chainId: BigInt(a.chainId), address: a.address, nonce: BigInt(a.nonce), signature: { r: a.r, s: a.s, yParity: Number(a.yParity) } }));
  }
  return Transaction.from({ ...fields, signature: { r: t.r, s: t.s, yParity: Number(t.yParity) } }).hash;
}

// Before: a mined transaction's access list read [] whatever it held, and a type-4 one had no
// authorizationList (viem's getTransaction gave none): neither could be rebuilt to its hash.
test('access lists and EIP-7702 authorizations come back as signed, pending and mined (Ethereum flow, Prague)', async () => {
  const own = new DevChain(await createEngine({ flow: 'ethereum', hardfork: 'prague' }), { accounts: 2 });
  const dev = createDevProvider(own);
  const req = (method, params = []) => dev.request({ method, params });
  try {
    const [a, b] = await req('eth_accounts');
    const chainId = Number(own.engine.chainId);
    const wallet = new Wallet(own.keyOf(b));
    const accessList = [{ address: '0x' + '11'.repeat(20), storageKeys: ['0x' + '00'.repeat(31) + '01', '0x' + '00'.repeat(31) + '02'] }];
    const auth = wallet.authorizeSync({ address: '0x' + '22'.repeat(20), nonce: 2n, chainId: BigInt(chainId) });
    const envelopes = [
      await wallet.signTransaction({ type: 2, chainId, nonce: 0, to: a, value: 1n, gasLimit: 60_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, accessList }),
      await wallet.signTransaction({ type: 4, chainId, nonce: 1, to: b, gasLimit: 100_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, accessList, authorizationList: [auth] }),
    ];
    await req('evm_setAutomine', [false]);
    const hashes = [];
    for (const raw of envelopes) hashes.push(await req('eth_sendRawTransaction', [raw]));
    const pending = await Promise.all(hashes.map((h) => req('eth_getTransactionByHash', [h])));
    await req('evm_mine');
    const mined = await Promise.all(hashes.map((h) => req('eth_getTransactionByHash', [h])));
    for (const [i, h] of hashes.entries()) {
      assert.equal(mined[i].blockNumber, '0x1', h);
      assert.deepEqual(mined[i].accessList, accessList);
      assert.equal(rebuiltHash(mined[i]), h);
      assert.deepEqual(withoutBlock(pending[i]), withoutBlock(mined[i]));
    }
    assert.deepEqual(mined[1].authorizationList, [{ chainId: `0x${chainId.toString(16)}`, address: '0x' + '22'.repeat(20), nonce: '0x2', yParity: `0x${auth.signature.yParity}`, r: auth.signature.r.replace(/^0x0*/, '0x'), s: auth.signature.s.replace(/^0x0*/, '0x') }]);
    assert.equal(mined[0].authorizationList, undefined);
  } finally {
    own.close();
  }
});
