// What one client may queue on the dev node: WebSocket messages sent without waiting for replies
// (pipelined) are taken at most MAX_WS_ANSWERING at a time, a batch stops when its client has
// gone (HTTP or WebSocket), a subscription asked for after the connection closed is refused, and
// pongs count against the bound of what all clients hold; a full filter table or subscription
// bound is -32005. Driven on `serve` in process, with a provider that counts the requests it is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { DevChain, MAX_WS_ANSWERING, connectionProvider, createDevProvider, createEngine, serve } from '../dist/esm/node.js';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';

/** An eth_call that loops until its gas is spent (about 35 ms here). */
const SLOW_CALL = { method: 'eth_call', params: [{ data: '0x5b600056', gas: '0xffffffffff' }] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A dev chain's provider that counts requests given to it, and the most answered at once. */
async function counted() {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const base = createDevProvider(chain);
  const stats = { started: 0, answering: 0, most: 0 };
  const provider = {
    async request(args) {
      stats.started++;
      stats.most = Math.max(stats.most, ++stats.answering);
      try {
        return await base.request(args);
      } finally {
        stats.answering--;
      }
    },
    on: (e, l) => (base.on(e, l), provider),
    removeListener: (e, l) => (base.removeListener(e, l), provider),
  };
  return { chain, base, provider, stats };
}

const message = (id, call) => clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id, ...call }));

/** Writes `buf` to a raw client, waiting for drains. */
async function sendAll(ws, buf) {
  for (let o = 0; o < buf.length; o += 1 << 16) if (!ws.send(buf.subarray(o, o + (1 << 16)))) await new Promise((r) => ws.socket.once('drain', r));
}

// Before: each message was answered as it arrived, so 2,000 pipelined gas-bound calls were all
// queued at once (most answered at once: 1,000 in the first part of this test) and ran on after
// the client had gone.
test(`pipelined WebSocket messages: at most ${MAX_WS_ANSWERING} answered at once, all answered; after the client goes at most that many more start`, async () => {
  const { provider, stats } = await counted();
  const server = await serve(provider, '127.0.0.1', 0);
  try {
    const ws = rawConnect(server.url);
    await ws.until(() => ws.response !== undefined);
    await sendAll(ws, Buffer.concat(Array.from({ length: 1000 }, (_, i) => message(i, { method: 'eth_chainId' }))));
    const texts = () => ws.frames.filter((f) => f.opcode === 1);
    assert.ok(await ws.until(() => texts().length === 1000), `${texts().length} of 1,000 replies`);
    assert.deepEqual(texts().map((f) => JSON.parse(f.payload.toString())).sort((a, b) => a.id - b.id), Array.from({ length: 1000 }, (_, id) => ({ jsonrpc: '2.0', id, result: '0x10e' })));
    assert.ok(stats.most <= MAX_WS_ANSWERING, `${stats.most} answered at once`);

    const slow = rawConnect(server.url);
    await slow.until(() => slow.response !== undefined);
    const startedBefore = stats.started;
    await sendAll(slow, Buffer.concat(Array.from({ length: 2000 }, (_, i) => message(i, SLOW_CALL))));
    await sleep(300);
    assert.ok(stats.most <= MAX_WS_ANSWERING, `${stats.most} answered at once`);
    slow.end();
    await slow.until(() => slow.closed);
    const atClose = stats.started;
    // What was taken before the client went is answered (at most MAX_WS_ANSWERING calls). The node
    // reads the client's close behind the frames it sent before, which it may take then (a paused
    // connection is not read): at most MAX_WS_ANSWERING more.
    for (let i = 0; i < 100 && stats.answering > 0; i++) await sleep(50);
    assert.equal(stats.answering, 0);
    const drained = stats.started;
    assert.ok(drained - atClose <= MAX_WS_ANSWERING, `${drained - atClose} calls started after the client had gone`);
    await sleep(300);
    assert.equal(stats.started, drained, 'calls went on starting after the client had gone');
    assert.ok(drained - startedBefore < 2000, `${drained - startedBefore} of 2,000 pipelined calls started`);
    assert.equal((await provider.request({ method: 'eth_chainId' })), '0x10e');
  } finally {
    await server.close();
  }
});

/** POSTs `body` and destroys the connection after `ms`. */
function postAndLeave(url, body, ms) {
  const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
  req.on('error', () => undefined);
  req.end(body);
  setTimeout(() => req.destroy(), ms);
}

// Before: a batch ran to its end (or its 30 s bound) for a client that had gone; over WebSocket its
// eth_subscribes then subscribed on a closed connection, and those places (10,000 over all
// clients) were never given back.
test('a batch whose client has gone starts nothing more (HTTP, WebSocket); its eth_subscribes leave no subscription behind', async () => {
  const { chain, base, provider, stats } = await counted();
  const server = await serve(provider, '127.0.0.1', 0, { connect: (send) => connectionProvider(chain, provider, send) });
  try {
    const batch = JSON.stringify(Array.from({ length: 200 }, (_, id) => ({ jsonrpc: '2.0', id, ...SLOW_CALL })));
    postAndLeave(server.url, batch, 300);
    await sleep(600);
    const afterHttp = stats.started;
    await sleep(500);
    assert.equal(stats.started, afterHttp, 'HTTP: calls started after the client had gone');
    assert.ok(afterHttp < 200, `HTTP: ${afterHttp} of 200 calls started`);

    const ws = rawConnect(server.url);
    await ws.until(() => ws.response !== undefined);
    const subscribes = Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: `s${i}`, method: 'eth_subscribe', params: ['newHeads'] }));
    ws.send(clientFrame(1, JSON.stringify([{ jsonrpc: '2.0', id: 0, ...SLOW_CALL }, { jsonrpc: '2.0', id: 1, ...SLOW_CALL }, { jsonrpc: '2.0', id: 2, ...SLOW_CALL }, ...subscribes])));
    ws.socket.end();
    await ws.until(() => ws.closed);
    await sleep(500);
    assert.equal(chain.watching.subscriptions, 0, 'subscriptions kept for a closed connection');
    await base.request({ method: 'evm_mine' });
  } finally {
    await server.close();
  }
});

test('eth_subscribe on a connection provider that was closed: EIP-1193 4900, nothing kept', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const { provider, close } = connectionProvider(chain, createDevProvider(chain), () => undefined);
  assert.match(await provider.request({ method: 'eth_subscribe', params: ['newHeads'] }), /^0x[0-9a-f]{32}$/);
  close();
  assert.equal(chain.watching.subscriptions, 0);
  await assert.rejects(provider.request({ method: 'eth_subscribe', params: ['newHeads'] }), (e) => e.code === 4900 && /connection is closed/.test(e.message));
  assert.equal(chain.watching.subscriptions, 0);
});

// Before: pongs were queued outside the bound of all clients (each client within its own 64 MiB),
// so a client pinging 32 MB without reading was never closed under a 2 MiB bound.
test('pongs count against what all clients hold: a ping flood not read passes a 2 MiB bound and is closed with 1001', async () => {
  const { provider } = await counted();
  const server = await serve(provider, '127.0.0.1', 0, { maxHeldBytes: 2 * 1024 * 1024 });
  try {
    let close;
    const flood = rawConnect(server.url, {}, Buffer.alloc(0), (f) => {
      if (f.opcode === 8) close = f;
    });
    await flood.until(() => flood.response !== undefined);
    flood.socket.pause();
    const pings = Buffer.concat(Array.from({ length: 1000 }, () => clientFrame(9, Buffer.alloc(125))));
    for (let sent = 0; sent < 32e6 && !flood.closed; sent += pings.length) {
      if (!flood.send(pings)) await Promise.race([new Promise((r) => flood.socket.once('drain', r)), sleep(2000)]);
    }
    flood.socket.resume();
    assert.ok(await flood.until(() => close !== undefined), 'the flood was not closed');
    assert.equal(close.payload.readUInt16BE(0), 1001);
    assert.equal(close.payload.subarray(2).toString(), 'client too slow');
    flood.end();
    const ws = rawConnect(server.url);
    await ws.until(() => ws.response !== undefined);
    ws.send(message(1, { method: 'eth_chainId' }));
    assert.deepEqual(await ws.nextJson(), { jsonrpc: '2.0', id: 1, result: '0x10e' });
    ws.end();
  } finally {
    await server.close();
  }
});

// Before: both full tables answered -32602 ("invalid params"), as if the request were wrong.
test('a full filter table and a connection at its subscription bound answer -32005 (limit exceeded); freeing one lets the next in', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const base = createDevProvider(chain);
  const filters = [];
  for (let i = 0; i < 1000; i++) filters.push(await base.request({ method: 'eth_newBlockFilter' }));
  await assert.rejects(base.request({ method: 'eth_newFilter', params: [{}] }), (e) => e.code === -32005 && /at most 1000 filters/.test(e.message));
  assert.equal(await base.request({ method: 'eth_uninstallFilter', params: [filters[0]] }), true);
  assert.match(await base.request({ method: 'eth_newFilter', params: [{}] }), /^0x[0-9a-f]+$/);
  const { provider, close } = connectionProvider(chain, base, () => undefined);
  const subs = [];
  for (let i = 0; i < 1000; i++) subs.push(await provider.request({ method: 'eth_subscribe', params: ['newHeads'] }));
  await assert.rejects(provider.request({ method: 'eth_subscribe', params: ['newHeads'] }), (e) => e.code === -32005 && /at most 1000 subscriptions per connection/.test(e.message));
  assert.equal(await provider.request({ method: 'eth_unsubscribe', params: [subs[0]] }), true);
  assert.match(await provider.request({ method: 'eth_subscribe', params: ['newHeads'] }), /^0x[0-9a-f]{32}$/);
  close();
});
