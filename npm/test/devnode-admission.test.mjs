// With automine off, a transaction no block could take is refused when it is sent, as anvil's and
// geth's pools refuse it, in geth's words that viem and ethers turn into their typed errors;
// before, the node pooled it, answered its hash, and dropped it at the next block without a
// receipt (a client waiting for the receipt waited until its timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonRpcProvider, Wallet, isError } from 'ethers';
import { FeeCapTooLowError, InsufficientFundsError, IntrinsicGasTooLowError, NonceTooLowError, createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { anvilAndZkos, rpc } from './devnode/spawn.mjs';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const TO = '0x' + '42'.repeat(20);

const nodes = anvilAndZkos();

/** viem clients of the node at `url` (its chain id read first). */
async function clients(url) {
  const id = Number((await rpc(url, 'eth_chainId')).result);
  const chain = defineChain({ id, name: 'dev', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const transport = http(url);
  return { id, publicClient: createPublicClient({ chain, transport, cacheTime: 0 }), wallet: (key) => createWalletClient({ account: privateKeyToAccount(key), chain, transport, cacheTime: 0 }) };
}

// Before: each was answered with a hash and the transaction vanished at the next block (zkos only;
// anvil refused each).
test('automine off: what no block could take is refused at once with viem typed errors, as anvil; the pool stays empty', async () => {
  for (const node of [nodes.anvil, nodes.zkos]) {
    const { publicClient, wallet } = await clients(node.url);
    const rich = wallet(KEY);
    const base = (await publicClient.getBlock()).baseFeePerGas;
    // One transfer mined first, so nonce 0 is used.
    await rich.sendTransaction({ to: TO, value: 1n, nonce: 0, gas: 21_000n, maxFeePerGas: base * 2n, maxPriorityFeePerGas: 1n });
    assert.equal((await rpc(node.url, 'evm_setAutomine', [false])).error, undefined);
    try {
      const fees = { maxFeePerGas: base * 2n, maxPriorityFeePerGas: 1n };
      const cases = [
        ['nonce too low', NonceTooLowError, () => rich.sendTransaction({ to: TO, value: 2n, nonce: 0, gas: 21_000n, ...fees })],
        ['funds', InsufficientFundsError, () => wallet(generatePrivateKey()).sendTransaction({ to: TO, value: 1n, nonce: 0, gas: 21_000n, ...fees })],
        ['intrinsic gas', IntrinsicGasTooLowError, () => rich.sendTransaction({ to: TO, value: 1n, nonce: 1, gas: 20_000n, ...fees })],
        ['fee cap below the base fee', FeeCapTooLowError, () => rich.sendTransaction({ to: TO, value: 1n, nonce: 1, gas: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 0n })],
      ];
      for (const [what, type, send] of cases) {
        const err = await send().then(
          (hash) => assert.fail(`${node === nodes.zkos ? 'zkos' : 'anvil'} ${what}: pooled as ${hash}`),
          (e) => e,
        );
        assert.ok(err.walk((e) => e instanceof type) instanceof type, `${node === nodes.zkos ? 'zkos' : 'anvil'} ${what}: ${err.shortMessage}`);
      }
      assert.deepEqual((await rpc(node.url, 'txpool_status')).result, { pending: '0x0', queued: '0x0' });
      // A nonce ahead is still pooled (it waits for the one before it) and both are mined.
      const ahead = await rich.sendTransaction({ to: TO, value: 3n, nonce: 2, gas: 21_000n, ...fees });
      const next = await rich.sendTransaction({ to: TO, value: 4n, nonce: 1, gas: 21_000n, ...fees });
      assert.equal((await rpc(node.url, 'evm_mine')).error, undefined);
      for (const hash of [next, ahead]) assert.equal((await publicClient.getTransactionReceipt({ hash })).status, 'success');
    } finally {
      await rpc(node.url, 'evm_setAutomine', [true]);
    }
  }
});

// Before: "transaction 0x… is already pending" (viem: UnknownNodeError); "the pool is full".
test('automine off: a transaction sent twice is "already known" (viem NonceTooLowError); a replacement at the same fee is REPLACEMENT_UNDERPRICED for ethers', async () => {
  const { id, publicClient } = await clients(nodes.zkos.url);
  const base = (await publicClient.getBlock()).baseFeePerGas;
  const account = privateKeyToAccount(KEY);
  const nonce = await publicClient.getTransactionCount({ address: account.address });
  assert.equal((await rpc(nodes.zkos.url, 'evm_setAutomine', [false])).error, undefined);
  try {
    const tx = { chainId: id, type: 'eip1559', to: TO, value: 1n, gas: 21_000n, nonce, maxFeePerGas: base * 2n, maxPriorityFeePerGas: 1n };
    const raw = await account.signTransaction(tx);
    const first = await rpc(nodes.zkos.url, 'eth_sendRawTransaction', [raw]);
    assert.equal(first.error, undefined);
    const again = await rpc(nodes.zkos.url, 'eth_sendRawTransaction', [raw]);
    assert.equal(again.error.code, -32000);
    assert.match(again.error.message, /^already known/);
    const { wallet } = await clients(nodes.zkos.url);
    const viemErr = await wallet(KEY).sendTransaction({ ...tx, chain: undefined, chainId: undefined, type: undefined }).catch((e) => e);
    assert.ok(viemErr.walk((e) => e instanceof NonceTooLowError) instanceof NonceTooLowError, viemErr.shortMessage);
    const ethers = new JsonRpcProvider(nodes.zkos.url, Number(id), { staticNetwork: true, cacheTimeout: -1 });
    try {
      const signer = new Wallet(KEY, ethers);
      const err = await signer.sendTransaction({ to: TO, value: 2n, gasLimit: 21_000n, nonce, maxFeePerGas: base * 2n, maxPriorityFeePerGas: 1n, chainId: id, type: 2 }).catch((e) => e);
      assert.ok(isError(err, 'REPLACEMENT_UNDERPRICED'), `${err.code}: ${err.message}`);
    } finally {
      ethers.destroy();
    }
    assert.deepEqual((await rpc(nodes.zkos.url, 'txpool_status')).result, { pending: '0x1', queued: '0x0' });
  } finally {
    await rpc(nodes.zkos.url, 'evm_setAutomine', [true]);
  }
});

// Before: -32601 "the method eth_getProof does not exist/is not available", nothing more.
test('eth_getProof on a local chain: -32601 saying why (no Ethereum trie), as anvil answers one', async () => {
  const params = [privateKeyToAccount(KEY).address, [], 'latest'];
  assert.equal((await rpc(nodes.anvil.url, 'eth_getProof', params)).error, undefined);
  const reply = await rpc(nodes.zkos.url, 'eth_getProof', params);
  assert.equal(reply.error.code, -32601);
  assert.match(reply.error.message, /ZKsync OS tree, not an Ethereum Merkle-Patricia trie/);
});

// Before: -32602 "too many parameters, want at most 3" where anvil and geth take block overrides.
test('eth_estimateGas takes block overrides as eth_call does, as anvil', async () => {
  // Reverts unless NUMBER is 0x99: PUSH1 0x99 NUMBER EQ PUSH1 0x0a JUMPI PUSH0 PUSH0 REVERT JUMPDEST STOP.
  const code = '0x60994314600a575f5ffd5b00';
  const target = '0x' + '77'.repeat(20);
  const call = { from: privateKeyToAccount(KEY).address, to: target };
  const state = { [target]: { code } };
  for (const node of [nodes.anvil, nodes.zkos]) {
    const ok = await rpc(node.url, 'eth_estimateGas', [call, 'latest', state, { number: '0x99' }]);
    assert.equal(ok.error, undefined, JSON.stringify(ok));
    assert.ok(BigInt(ok.result) >= 21_000n);
    const reverts = await rpc(node.url, 'eth_estimateGas', [call, 'latest', state, { number: '0x98' }]);
    assert.equal(reverts.error?.code, 3, JSON.stringify(reverts));
    const call2 = await rpc(node.url, 'eth_call', [call, 'latest', state, { number: '0x99' }]);
    assert.equal(call2.result, '0x');
  }
  const bad = await rpc(nodes.zkos.url, 'eth_estimateGas', [call, 'latest', state, { number: 'x' }]);
  assert.equal(bad.error?.code, -32602);
});
