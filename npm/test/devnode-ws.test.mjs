// `zkos node` over WebSocket on its HTTP port: viem's webSocket transport (requests,
// watchBlocks, watchContractEvent, watchPendingTransactions on eth_subscribe), ethers v6
// WebSocketProvider (requests, signer, block and contract events), and the protocol itself
// driven frame by frame (handshake, fragmentation, ping, close codes, limits).
import { test, before, after } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { createPublicClient, createTestClient, createWalletClient, defineChain, http, webSocket, parseAbiItem } from 'viem';
import { WebSocketProvider, ContractFactory } from 'ethers';
import { TOKEN_ABI, TOKEN_BYTECODE } from './fixtures/erc20.mjs';
import { startNode, rpc } from './devnode/spawn.mjs';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';

const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
const STRANGER = '0x00000000000000000000000000000000000b0b00';

let node;
let wsUrl;
let chain;
let http_;
let testClient;
let wallet;

before(async () => {
  node = await startNode();
  wsUrl = node.url.replace('http://', 'ws://');
  chain = defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url], webSocket: [wsUrl] } } });
  http_ = createPublicClient({ chain, transport: http(node.url), cacheTime: 0 });
  testClient = createTestClient({ chain, mode: 'anvil', transport: http(node.url) });
  wallet = createWalletClient({ chain, transport: http(node.url) });
});

after(async () => {
  await node?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `list` has `n` items (5 s at most). */
async function collected(list, n) {
  const deadline = Date.now() + 5000;
  while (list.length < n && Date.now() < deadline) await sleep(10);
  return list;
}

/** Waits until `client`'s socket holds `n` subscriptions the node has confirmed (5 s at most). */
async function subscribed(client, n) {
  const socket = await client.transport.getRpcClient();
  const deadline = Date.now() + 5000;
  while (socket.subscriptions.size < n && Date.now() < deadline) await sleep(10);
}

/** A viem public client on its own WebSocket connection; `close` ends it. */
async function wsClient() {
  const client = createPublicClient({ chain, transport: webSocket(wsUrl, { reconnect: false }) });
  return { client, close: async () => (await client.transport.getRpcClient()).close() };
}

test('banner names the WebSocket URL on the HTTP port', () => {
  assert.match(node.banner, new RegExp(`WebSocket \\(eth_subscribe\\) on ${wsUrl.replace(/\./g, '\\.')}`));
});

test('viem webSocket transport: requests, and watchBlocks on newHeads', async () => {
  const { client, close } = await wsClient();
  try {
    const start = await client.getBlockNumber({ cacheTime: 0 });
    assert.equal(start, await http_.getBlockNumber());
    const blocks = [];
    const unwatch = client.watchBlocks({ onBlock: (b) => blocks.push(b), onError: (e) => blocks.push(e) });
    await subscribed(client, 1);
    await testClient.mine({ blocks: 3 });
    await collected(blocks, 3);
    unwatch();
    assert.deepEqual(blocks.map((b) => b.number), [start + 1n, start + 2n, start + 3n]);
    // Each head is the block the node then serves by number, hash and state root.
    for (const b of blocks) {
      const served = await http_.getBlock({ blockNumber: b.number });
      assert.equal(b.hash, served.hash);
      assert.equal(b.parentHash, served.parentHash);
      assert.equal(b.stateRoot, served.stateRoot);
      assert.equal(b.timestamp, served.timestamp);
    }
  } finally {
    await close();
  }
});

test('viem watchContractEvent on a logs subscription: address and topic filters apply on the node', async () => {
  const [a, b, c] = await wallet.getAddresses();
  const deployHash = await wallet.deployContract({ account: a, abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE });
  const token = (await http_.waitForTransactionReceipt({ hash: deployHash })).contractAddress;
  const { client, close } = await wsClient();
  try {
    const toB = [];
    const all = [];
    const other = [];
    const stops = [
      client.watchContractEvent({ address: token, abi: TOKEN_ABI, eventName: 'Transfer', args: { to: b }, onLogs: (logs) => toB.push(...logs) }),
      client.watchEvent({ address: token, event: TRANSFER, onLogs: (logs) => all.push(...logs) }),
      client.watchEvent({ address: STRANGER, event: TRANSFER, onLogs: (logs) => other.push(...logs) }),
    ];
    await subscribed(client, 3);
    const hashes = [];
    for (const [to, amount] of [[b, 5n], [c, 6n], [b, 7n]]) hashes.push(await wallet.writeContract({ account: a, address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [to, amount] }));
    await collected(all, 3);
    await collected(toB, 2);
    await sleep(50);
    for (const stop of stops) stop();
    assert.deepEqual(toB.map((l) => [l.args.to, l.args.value, l.transactionHash]), [[b, 5n, hashes[0]], [b, 7n, hashes[2]]]);
    assert.deepEqual(all.map((l) => l.args.value), [5n, 6n, 7n]);
    assert.equal(other.length, 0);
    // The pushed log is the one eth_getLogs serves.
    const served = await http_.getLogs({ address: token, event: TRANSFER, args: { to: b }, fromBlock: 0n });
    assert.deepEqual(toB.map((l) => [l.blockHash, l.logIndex, l.removed]), served.map((l) => [l.blockHash, l.logIndex, false]));
  } finally {
    await close();
  }
});

test('viem watchPendingTransactions on newPendingTransactions: pooled and mined transactions', async () => {
  const [a] = await wallet.getAddresses();
  const { client, close } = await wsClient();
  try {
    const seen = [];
    const unwatch = client.watchPendingTransactions({ onTransactions: (hashes) => seen.push(...hashes) });
    await subscribed(client, 1);
    await testClient.setAutomine(false);
    const pooled = await wallet.sendTransaction({ account: a, to: STRANGER, value: 1n });
    await testClient.setAutomine(true);
    // The next send under automine first mines what was pooled (its nonce counted the pooled one).
    const mined = await wallet.sendTransaction({ account: a, to: STRANGER, value: 2n });
    await collected(seen, 2);
    unwatch();
    assert.deepEqual(seen, [pooled, mined]);
    const [first, second] = await Promise.all([pooled, mined].map((hash) => http_.getTransactionReceipt({ hash })));
    assert.equal(second.blockNumber, first.blockNumber + 1n);
  } finally {
    await close();
  }
});

test('ethers v6 WebSocketProvider: requests, signer, block events, contract events', async () => {
  const provider = new WebSocketProvider(wsUrl);
  try {
    assert.equal((await provider.getNetwork()).chainId, 270n);
    const signer = await provider.getSigner(0);
    const [, b] = await wallet.getAddresses();
    const token = await new ContractFactory(TOKEN_ABI, TOKEN_BYTECODE, signer).deploy();
    await token.waitForDeployment();
    const heads = [];
    await provider.on('block', (n) => heads.push(n));
    const transfers = [];
    await token.on('Transfer', (from, to, value) => transfers.push([from, to, value]));
    await sleep(200);
    const tx = await token.transfer(b, 11n);
    const receipt = await tx.wait();
    await collected(transfers, 1);
    await collected(heads, 1);
    assert.deepEqual(transfers, [[await signer.getAddress(), b, 11n]]);
    assert.ok(heads.includes(receipt.blockNumber), `${heads} holds ${receipt.blockNumber}`);
    assert.equal(await token.balanceOf(b), 11n);
  } finally {
    await provider.destroy();
  }
});

test('subscriptions: ids, eth_unsubscribe, bad kinds, and HTTP refuses them', async () => {
  const ws = rawConnect(node.url);
  try {
    const ask = async (id, method, params) => {
      const from = ws.frames.length;
      ws.send(clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id, method, params })));
      await ws.until(() => ws.frames.slice(from).some((f) => f.opcode === 1 && JSON.parse(f.payload).id === id));
      return JSON.parse(ws.frames.slice(from).find((f) => f.opcode === 1 && JSON.parse(f.payload).id === id).payload);
    };
    const sub = (await ask(1, 'eth_subscribe', ['newHeads'])).result;
    assert.match(sub, /^0x[0-9a-f]{32}$/);
    const before = ws.frames.length;
    await rpc(node.url, 'evm_mine');
    const head = await ws.nextJson(before);
    assert.equal(head.method, 'eth_subscription');
    assert.equal(head.params.subscription, sub);
    assert.equal(head.params.result.number, (await rpc(node.url, 'eth_blockNumber')).result);
    assert.equal(head.params.result.transactions, undefined);
    assert.deepEqual((await ask(2, 'eth_unsubscribe', [sub])).result, true);
    assert.deepEqual((await ask(3, 'eth_unsubscribe', [sub])).result, false);
    const after = ws.frames.length;
    await rpc(node.url, 'evm_mine');
    await sleep(100);
    assert.equal(ws.frames.length, after, 'no notification after eth_unsubscribe');
    assert.equal((await ask(4, 'eth_subscribe', ['syncing'])).error.code, -32602);
    assert.equal((await ask(5, 'eth_subscribe', ['logs', { fromBlock: '0x0' }])).error.code, -32602);
    assert.equal((await ask(6, 'eth_subscribe', ['logs', { address: 'nope' }])).error.code, -32602);
    // A batch over the socket gets one reply array.
    ws.send(clientFrame(1, JSON.stringify([{ jsonrpc: '2.0', id: 7, method: 'eth_chainId' }, { jsonrpc: '2.0', id: 8, method: 'net_version' }])));
    await ws.until(() => ws.frames.some((f) => f.opcode === 1 && Array.isArray(JSON.parse(f.payload))));
    assert.deepEqual(JSON.parse(ws.frames.find((f) => f.opcode === 1 && Array.isArray(JSON.parse(f.payload))).payload).map((r) => r.id), [7, 8]);
    const overHttp = await rpc(node.url, 'eth_subscribe', ['newHeads']);
    assert.equal(overHttp.error.code, -32601);
    assert.match(overHttp.error.message, /WebSocket/);
  } finally {
    ws.end();
  }
});

test('protocol: RFC 6455 handshake vector, fragments, ping, and the close codes of bad frames', async () => {
  // RFC 6455 §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" is accepted as "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
  // A first message sent in the same packet as the handshake is answered too.
  const early = clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'eth_chainId' }));
  const ws = rawConnect(node.url, { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }, early);
  try {
    await ws.until(() => ws.response !== undefined);
    assert.match(ws.response, /^HTTP\/1\.1 101 /);
    assert.match(ws.response, /sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/i);
    assert.deepEqual(await ws.nextJson(), { jsonrpc: '2.0', id: 8, result: '0x10e' });
    const start = ws.frames.length;
    // A text message in three fragments, with a ping between them (control frames may interleave).
    const text = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'eth_chainId' });
    ws.send(clientFrame(1, text.slice(0, 10), { fin: false }));
    ws.send(clientFrame(9, 'hi'));
    ws.send(clientFrame(0, text.slice(10, 20), { fin: false }));
    ws.send(clientFrame(0, text.slice(20)));
    const reply = await ws.nextJson(start);
    assert.deepEqual(reply, { jsonrpc: '2.0', id: 9, result: '0x10e' });
    const pong = ws.frames.find((f) => f.opcode === 0xa);
    assert.equal(pong?.payload.toString(), 'hi');
    assert.ok(ws.frames.every((f) => !f.masked && f.fin), 'server frames are unmasked and whole');
    // A long message (16-bit length) and invalid JSON get JSON-RPC answers on the socket.
    const from = ws.frames.length;
    ws.send(clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'eth_chainId', params: [], pad: 'x'.repeat(70_000) })));
    assert.equal((await ws.nextJson(from)).id, 10);
    const next = ws.frames.length;
    ws.send(clientFrame(1, '{not json'));
    assert.equal((await ws.nextJson(next)).error.code, -32700);
  } finally {
    ws.end();
  }

  const closeCode = async (frame, headers) => {
    const c = rawConnect(node.url, headers);
    try {
      await c.until(() => c.response !== undefined);
      c.send(frame);
      await c.until(() => c.frames.some((f) => f.opcode === 8));
      const close = c.frames.find((f) => f.opcode === 8);
      return close === undefined ? undefined : close.payload.readUInt16BE(0);
    } finally {
      c.end();
    }
  };
  assert.equal(await closeCode(clientFrame(1, '{}', { mask: false })), 1002, 'unmasked client frame');
  assert.equal(await closeCode(clientFrame(1, '{}', { rsv: 0x40 })), 1002, 'reserved bit without an extension');
  assert.equal(await closeCode(clientFrame(2, '{}')), 1003, 'binary message');
  assert.equal(await closeCode(clientFrame(1, Buffer.from([0xc3, 0x28]))), 1007, 'invalid UTF-8');
  assert.equal(await closeCode(clientFrame(0, 'x')), 1002, 'continuation without a message');
  assert.equal(await closeCode(clientFrame(9, 'x'.repeat(126))), 1002, 'control frame above 125 bytes');
  // A 64-bit length above the 16 MiB message limit is refused before its payload arrives.
  const huge = Buffer.from([0x81, 0xff, 0, 0, 0, 0, 0x01, 0x00, 0x00, 0x01, 1, 2, 3, 4]);
  assert.equal(await closeCode(huge), 1009, 'message above the limit');
  assert.equal(await closeCode(clientFrame(8, Buffer.from([0x03, 0xe8]))), 1000, 'client close is answered');

  const refused = async (headers) => {
    const c = rawConnect(node.url, headers);
    try {
      await c.until(() => c.response !== undefined);
      return c.response.split('\r\n')[0];
    } finally {
      c.end();
    }
  };
  assert.match(await refused({ 'sec-websocket-version': '8' }), /^HTTP\/1\.1 426 /);
  assert.match(await refused({ 'sec-websocket-key': 'short' }), /^HTTP\/1\.1 400 /);
  // The node keeps answering after all of it.
  assert.equal((await rpc(node.url, 'eth_chainId')).result, '0x10e');
});

/** Peak resident memory of process `pid`, in MiB (Linux /proc). */
const peakMiB = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

// Before: fragments were kept as a list of buffers, so empty ones (6 bytes each on the wire)
// never reached the 16 MiB message limit: 20 M of them (120 MB sent) held 3.8 GB of the node's
// memory. Now the message is one buffer, at most about twice its bytes; its 16 MiB limit holds.
// And a client that pinged without reading had every pong queued (1.4 GB after 400 MB of pings);
// now it is closed with 1001 once 64 MiB wait for it, as a client that does not read replies.
test('protocol: many empty fragments cost no memory; a ping flood that is not read is closed with 1001', async () => {
  const own = await startNode();
  try {
    const peak = peakMiB(own.child.pid);
    const ws = rawConnect(own.url);
    await ws.until(() => ws.response !== undefined);
    const text = JSON.stringify({ jsonrpc: '2.0', id: 12, method: 'eth_chainId' });
    const empties = Buffer.concat(Array.from({ length: 10_000 }, () => clientFrame(0, '', { fin: false })));
    ws.send(clientFrame(1, text.slice(0, 10), { fin: false }));
    for (let i = 0; i < 200; i++) if (!ws.send(empties)) await new Promise((r) => ws.socket.once('drain', r));
    ws.send(clientFrame(0, text.slice(10)));
    assert.deepEqual(await ws.nextJson(), { jsonrpc: '2.0', id: 12, result: '0x10e' });
    const grown = peakMiB(own.child.pid) - peak;
    assert.ok(grown < 100, `2 M empty fragments raised the node's peak memory by ${grown.toFixed(0)} MiB`);
    ws.end();

    let close;
    const flood = rawConnect(own.url, {}, Buffer.alloc(0), (f) => {
      if (f.opcode === 8) close = f;
    });
    await flood.until(() => flood.response !== undefined);
    flood.socket.pause();
    const pings = Buffer.concat(Array.from({ length: 1_000 }, () => clientFrame(9, Buffer.alloc(125))));
    for (let sent = 0; sent < 120e6; sent += pings.length) if (!flood.send(pings)) await new Promise((r) => flood.socket.once('drain', r));
    flood.socket.resume();
    await flood.until(() => close !== undefined);
    assert.equal(close?.payload.readUInt16BE(0), 1001);
    assert.equal(close.payload.subarray(2).toString(), 'client too slow');
    flood.end();
    assert.equal((await rpc(own.url, 'eth_chainId')).result, '0x10e');
  } finally {
    await own.stop();
  }
});

test('clients that hang up without a close frame free their place: 2,000 of them, then a viem client connects (before: after 1,000 every upgrade was 503)', async () => {
  for (let round = 0; round < 2; round++) {
    const clients = Array.from({ length: 1000 }, () => rawConnect(node.url));
    await Promise.all(clients.map((c) => c.until(() => c.response !== undefined)));
    assert.deepEqual([...new Set(clients.map((c) => c.response.split('\r\n')[0]))], ['HTTP/1.1 101 Switching Protocols'], `round ${round}`);
    // A FIN, as the kernel sends for a process that exits: no close frame.
    for (const c of clients) c.socket.end();
    await Promise.all(clients.map((c) => c.until(() => c.closed)));
  }
  const { client, close } = await wsClient();
  try {
    assert.equal(await client.getChainId(), 270);
  } finally {
    await close();
  }
});
