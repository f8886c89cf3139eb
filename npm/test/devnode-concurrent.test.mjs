// Requests that arrive together at one dev node: they run one after the other, each whole, so a
// request made of steps (eth_sendTransaction reads the nonce, estimates, then sends) sees no other
// request's block in between. Real clients (viem over WebSocket) and raw frames in one TCP write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, defineChain, http, webSocket } from 'viem';
import { startNode, rpc } from './devnode/spawn.mjs';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';

let node;
let chain;
let accounts;

before(async () => {
  node = await startNode();
  chain = defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  accounts = (await rpc(node.url, 'eth_accounts')).result;
});

after(async () => {
  await node?.stop();
});

test('viem over WebSocket: parallel eth_sendTransaction from one account all land, nonces in order (before: the 3rd and 4th failed "nonce too low")', async () => {
  const publicClient = createPublicClient({ chain, transport: http(node.url), cacheTime: 0 });
  const wallet = createWalletClient({ chain, transport: webSocket(node.url.replace('http://', 'ws://'), { reconnect: false }), account: accounts[2] });
  try {
    const before = await publicClient.getTransactionCount({ address: accounts[2] });
    const hashes = await Promise.all([1n, 2n, 3n, 4n].map((value) => wallet.sendTransaction({ to: accounts[3], value })));
    const txs = await Promise.all(hashes.map((hash) => publicClient.getTransaction({ hash })));
    assert.deepEqual(txs.map((t) => t.nonce).sort((a, b) => a - b), [0, 1, 2, 3].map((i) => before + i));
    assert.equal(await publicClient.getTransactionCount({ address: accounts[2] }), before + 4);
  } finally {
    await (await wallet.transport.getRpcClient()).close();
  }
});

test('raw WebSocket: three eth_sendTransaction messages in one TCP write are mined one after the other', async () => {
  const from = accounts[4];
  const before = BigInt((await rpc(node.url, 'eth_getTransactionCount', [from, 'latest'])).result);
  const msg = (id) => clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id, method: 'eth_sendTransaction', params: [{ from, to: accounts[5], value: '0x1' }] }));
  const c = rawConnect(node.url, {}, Buffer.concat([msg(1), msg(2), msg(3)]));
  try {
    assert.ok(await c.until(() => c.frames.filter((f) => f.opcode === 1).length >= 3), 'three replies');
    const replies = c.frames.filter((f) => f.opcode === 1).map((f) => JSON.parse(f.payload.toString('utf8')));
    assert.deepEqual(replies.map((r) => r.id), [1, 2, 3]);
    for (const r of replies) assert.match(r.result ?? JSON.stringify(r.error), /^0x[0-9a-f]{64}$/);
    assert.equal(BigInt((await rpc(node.url, 'eth_getTransactionCount', [from, 'latest'])).result), before + 3n);
  } finally {
    c.end();
  }
});
