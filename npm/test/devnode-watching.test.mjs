// Bounds over what all clients of a dev node watch together: at most 10,000 subscriptions across
// WebSocket connections and 1,000,000 addresses and topics across logs subscriptions and log
// filters (-32005 beyond; given back on eth_unsubscribe, eth_uninstallFilter and disconnect).
// Before, only per-client bounds held: one connection's 1,000 logs subscriptions of 5,000 items
// took 495 MiB of heap, and nine such connections passed V8's heap limit, which ends the process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, defineChain, webSocket } from 'viem';
import { DevChain, connectionProvider, createDevProvider, createEngine, serve } from '../dist/esm/node.js';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';

let chain;
let provider;
let server;

before(async () => {
  chain = new DevChain(await createEngine(), { accounts: 1 });
  provider = createDevProvider(chain);
  server = await serve(provider, '127.0.0.1', 0, { connect: (send) => connectionProvider(chain, provider, send) });
});

after(async () => {
  await server?.close();
  chain?.close();
});

const hex = (i, n) => '0x' + i.toString(16).padStart(n, '0');
/** A filter of the most items one filter may have: 1,000 addresses and 1,000 topics at each of 4 positions. */
const WIDE = { address: Array.from({ length: 1000 }, (_, i) => hex(i + 1, 40)), topics: [0, 1, 2, 3].map((p) => Array.from({ length: 1000 }, (_, i) => hex(p * 100_000 + i, 64))) };

/** Sends `requests` on a raw WebSocket connection in order and waits for all their replies (by id). */
async function ask(conn, requests) {
  const start = conn.frames.length;
  for (const r of requests) if (!conn.send(clientFrame(1, JSON.stringify(r)))) await new Promise((ok) => conn.socket.once('drain', ok));
  assert.ok(await conn.until(() => conn.frames.length - start >= requests.length), 'every reply');
  const replies = conn.frames.slice(start).map((f) => JSON.parse(f.payload.toString('utf8')));
  return requests.map((r) => replies.find((x) => x.id === r.id));
}

const subscribe = (id, params) => ({ jsonrpc: '2.0', id, method: 'eth_subscribe', params });

async function connected() {
  const conn = rawConnect(server.url);
  assert.ok(await conn.until(() => conn.response !== undefined));
  return conn;
}

test('logs subscriptions and filters of all clients keep at most 1,000,000 addresses and topics', async () => {
  const a = await connected();
  const b = await connected();
  try {
    // 200 wide subscriptions (5,000 items each) fill the bound, over two connections.
    const first = await ask(a, Array.from({ length: 150 }, (_, i) => subscribe(i, ['logs', WIDE])));
    assert.ok(first.every((r) => /^0x[0-9a-f]{32}$/.test(r.result)), JSON.stringify(first.find((r) => r.error)));
    const second = await ask(b, Array.from({ length: 51 }, (_, i) => subscribe(i, ['logs', WIDE])));
    assert.equal(second.filter((r) => r.result !== undefined).length, 50);
    assert.equal(second[50].error.code, -32005);
    assert.match(second[50].error.message, /hold 1000000 addresses and topics/);
    assert.equal(chain.watching.items, 1_000_000);
    // A filter counts too; small subscriptions and newHeads still fit.
    await assert.rejects(provider.request({ method: 'eth_newFilter', params: [WIDE] }), (e) => e.code === -32005);
    const [heads, narrow] = await ask(b, [subscribe(100, ['newHeads']), subscribe(101, ['logs', { address: WIDE.address[0] }])]);
    assert.match(heads.result, /^0x/);
    assert.equal(narrow.error.code, -32005, 'one more item does not fit either');
    // eth_unsubscribe gives back, and the filter fits.
    const [gone] = await ask(a, [{ jsonrpc: '2.0', id: 200, method: 'eth_unsubscribe', params: [first[0].result] }]);
    assert.equal(gone.result, true);
    const filter = await provider.request({ method: 'eth_newFilter', params: [WIDE] });
    assert.equal(chain.watching.items, 1_000_000);
    assert.equal(await provider.request({ method: 'eth_uninstallFilter', params: [filter] }), true);
    assert.equal(chain.watching.items, 1_000_000 - 5_000);
  } finally {
    a.end();
    b.end();
  }
  // Closed connections give back everything they held.
  const deadline = Date.now() + 5000;
  while (chain.watching.subscriptions > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual([chain.watching.subscriptions, chain.watching.items], [0, 0]);
});

test('all connections together hold at most 10,000 subscriptions; a client that closes makes room for a viem watcher', async () => {
  const conns = [];
  try {
    for (let k = 0; k < 10; k++) {
      const conn = await connected();
      conns.push(conn);
      const replies = await ask(conn, Array.from({ length: 1000 }, (_, i) => subscribe(i, ['newHeads'])));
      assert.ok(replies.every((r) => r.result !== undefined), `connection ${k}`);
    }
    const extra = await connected();
    conns.push(extra);
    const [refused] = await ask(extra, [subscribe(1, ['newPendingTransactions'])]);
    assert.equal(refused.error.code, -32005);
    assert.match(refused.error.message, /10000 subscriptions already/);
    conns.shift().end();
    const deadline = Date.now() + 5000;
    while (chain.watching.subscriptions > 9_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const chainDef = defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [server.url] } } });
    const client = createPublicClient({ chain: chainDef, transport: webSocket(server.wsUrl, { reconnect: false }) });
    const seen = [];
    const unwatch = client.watchBlockNumber({ onBlockNumber: (n) => seen.push(n), emitOnBegin: false });
    try {
      // The watcher's subscription is in once the count is past the 9,000 left open.
      const subscribed = Date.now() + 5000;
      while (chain.watching.subscriptions <= 9_000 && Date.now() < subscribed) await new Promise((r) => setTimeout(r, 20));
      await provider.request({ method: 'anvil_mine', params: ['0x1'] });
      const until = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(seen, [await chain.engine.blockNumber()]);
    } finally {
      unwatch();
      await (await client.transport.getRpcClient()).close();
    }
  } finally {
    for (const c of conns) c.end();
  }
});
