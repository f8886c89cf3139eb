// EIP-7702 through the dev node as viem sends it: viem estimates the type-4 transaction with its
// authorization list (eth_estimateGas), then sends it raw. Before, the node refused the list
// ("unknown field authorizationList", -32602) and viem could not send a 7702 transaction without
// a gas limit; eth_sendTransaction would have dropped it unseen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startNode, rpc } from './devnode/spawn.mjs';
import { KEY_A } from './helpers.mjs';

/** Returns slot 0 of the account running it: PUSH0 SLOAD PUSH0 MSTORE PUSH1 32 PUSH0 RETURN. */
const READ_SLOT0 = '0x5f545f5260205ff3';
const TARGET = '0x00000000000000000000000000000000000c0de0';

async function clients(node) {
  const id = Number((await rpc(node.url, 'eth_chainId')).result);
  const chain = defineChain({ id, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  const account = privateKeyToAccount(KEY_A);
  await rpc(node.url, 'anvil_setBalance', [account.address, '0x' + (10n ** 20n).toString(16)]);
  await rpc(node.url, 'anvil_setCode', [TARGET, READ_SLOT0]);
  return { account, pub: createPublicClient({ chain, transport: http(node.url, { retryCount: 0 }), pollingInterval: 20, cacheTime: 0 }), wallet: createWalletClient({ account, chain, transport: http(node.url, { retryCount: 0 }) }) };
}

test('Ethereum flow, Prague: viem sends a 7702 transaction (estimated with its authorization list); the account then runs the delegate', async () => {
  const node = await startNode(['--flow', 'ethereum', '--hardfork', 'prague']);
  try {
    const { account, pub, wallet } = await clients(node);
    await rpc(node.url, 'anvil_setStorageAt', [account.address, '0x0', '0x' + '2a'.padStart(64, '0')]);
    const authorization = await wallet.signAuthorization({ contractAddress: TARGET, executor: 'self' });
    const estimated = await pub.estimateGas({ account, to: account.address, authorizationList: [authorization] });
    const hash = await wallet.sendTransaction({ to: account.address, authorizationList: [authorization] });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.type, 'eip7702');
    assert.ok(estimated >= receipt.gasUsed, `${estimated} < ${receipt.gasUsed}`);
    assert.equal(await pub.getCode({ address: account.address }), '0xef0100' + TARGET.slice(2));
    // The delegate reads the account's own slot 0.
    assert.equal((await pub.call({ to: account.address })).data, '0x' + '2a'.padStart(64, '0'));
    const sent = await rpc(node.url, 'eth_sendTransaction', [{ from: account.address, to: account.address, authorizationList: [{ chainId: '0x1', address: TARGET, nonce: '0x0', yParity: '0x0', r: '0x1', s: '0x1' }] }]);
    assert.equal(sent.error.code, -32602);
    assert.match(sent.error.message, /authorizationList is not supported; sign the type-4 transaction/);
  } finally {
    await node.stop();
  }
});

test('ZKsync OS flow: a request with an authorization list is a type-4 transaction, refused as the raw one is', async () => {
  const node = await startNode();
  try {
    const { account, wallet } = await clients(node);
    const auth = await wallet.signAuthorization({ contractAddress: TARGET, executor: 'self' });
    const item = { address: auth.address, chainId: `0x${auth.chainId.toString(16)}`, nonce: `0x${auth.nonce.toString(16)}`, yParity: `0x${auth.yParity.toString(16)}`, r: auth.r, s: auth.s };
    for (const method of ['eth_estimateGas', 'eth_call']) {
      const reply = await rpc(node.url, method, [{ from: account.address, to: account.address, authorizationList: [item] }]);
      assert.equal(reply.error?.code, -32000, JSON.stringify(reply));
      assert.match(reply.error.message, /^transaction type not supported/);
    }
    const malformed = await rpc(node.url, 'eth_call', [{ to: account.address, authorizationList: [{ ...item, r: undefined }] }]);
    assert.equal(malformed.error.code, -32602);
    assert.match(malformed.error.message, /authorizationList\[0\]\.r: missing/);
  } finally {
    await node.stop();
  }
});
