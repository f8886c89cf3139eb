// One bound over what all clients of a dev node hold at once (ServeOptions.maxHeldBytes): request
// bodies and WebSocket frames being received, replies not yet read. Each client stays within its
// own limits here (a 16 MiB body, 64 MiB queued on a WebSocket); before the bound, clients that
// did not read added up without end: 30 WebSocket clients held 1.9 GB after a GC, 30 HTTP clients
// that did not read a batch reply 4.2 GB, and more clients took the machine's memory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createPublicClient, defineChain, webSocket } from 'viem';
import { DevChain, MAX_HELD_BYTES, createDevProvider, createEngine, serve } from '../dist/esm/node.js';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';

const MIB = 1024 * 1024;
const HELD = 16 * MIB;
/** 1 MiB of code (anvil_setCode takes any size): its eth_getCode reply is 2 MiB of hex. */
const BIG = '0x1000000000000000000000000000000000000abc';

let chain;
let server;

before(async () => {
  chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  await provider.request({ method: 'anvil_setCode', params: [BIG, '0x' + '5b'.repeat(MIB)] });
  server = await serve(provider, '127.0.0.1', 0, { maxHeldBytes: HELD });
});

after(async () => {
  await server?.close();
  chain?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` holds (10 s at most); returns whether it did. */
async function until(check) {
  const deadline = Date.now() + 10_000;
  while (!check() && Date.now() < deadline) await sleep(20);
  return check();
}

const getCode = (id) => ({ jsonrpc: '2.0', id, method: 'eth_getCode', params: [BIG, 'latest'] });

/** A raw HTTP/1.1 POST on a socket of its own that reads nothing until `read()`; `read` resolves with the status code. */
function rawPost(body, { contentLength = Buffer.byteLength(body), send = body } = {}) {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(`POST / HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n`);
  socket.write(send);
  const closed = new Promise((r) => socket.once('close', r));
  return {
    socket,
    closed,
    read: () =>
      new Promise((resolve) => {
        let text = '';
        socket.on('data', (d) => {
          text += d.toString('latin1');
          const m = /^HTTP\/1\.1 (\d+)/.exec(text);
          const head = text.indexOf('\r\n\r\n');
          const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
          if (m !== null && head >= 0 && text.length >= head + 4 + length) resolve({ status: Number(m[1]), text, body: text.slice(head + 4) });
        });
        socket.once('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text }));
        socket.resume();
      }),
  };
}

test('the default bound is 512 MiB; a bad bound is INVALID_ARGUMENT', async () => {
  assert.equal(MAX_HELD_BYTES, 512 * MIB);
  assert.throws(() => serve(createDevProvider(chain), '127.0.0.1', 0, { maxHeldBytes: -1 }), (e) => e.code === 'INVALID_ARGUMENT' && /maxHeldBytes/.test(e.message));
});

test('HTTP: once replies nobody reads reach the bound, a batch runs no further request (-32005) and later requests are refused (503); what was held is given back when they are read', async () => {
  // Each reply is 2 MiB, a batch of three 6 MiB. Sent one after another: the first two batches run
  // whole (12 MiB held); the third runs two requests (16 MiB, the bound) and answers its last with
  // -32005 without running it; the later two are refused whole. Before, the third ran all three.
  const batch = JSON.stringify([1, 2, 3].map(getCode));
  const clients = [];
  for (const mib of [6, 12, 16]) {
    clients.push(rawPost(batch));
    assert.ok(await until(() => server.heldBytes >= mib * MIB), `held ${server.heldBytes}, ${mib} MiB expected`);
  }
  clients.push(rawPost(batch), rawPost(batch));
  await sleep(300);
  assert.ok(server.heldBytes <= HELD + 2 * MIB + 1024, `held ${server.heldBytes}: the bound and one request's reply at most`);
  const replies = await Promise.all(clients.map((c) => c.read()));
  assert.deepEqual(
    replies.map((r) => r.status),
    [200, 200, 200, 503, 503],
  );
  const third = JSON.parse(replies[2].body);
  assert.deepEqual(
    third.map((r) => [r.id, r.error?.code ?? 'result']),
    [
      [1, 'result'],
      [2, 'result'],
      [3, -32005],
    ],
  );
  for (const r of replies.slice(3)) assert.match(r.text, /"code":-32005,"message":"server busy/);
  for (const c of clients) c.socket.destroy();
  assert.ok(await until(() => server.heldBytes === 0), `held ${server.heldBytes} after the replies were read`);
  // The bound is free again: a big reply goes out.
  const again = rawPost(batch);
  assert.equal((await again.read()).status, 200);
  again.socket.destroy();
});

test('HTTP: batches sent at once, taking turns, pass the bound by one request reply each at most', async () => {
  const batch = JSON.stringify([1, 2, 3, 4, 5, 6].map(getCode));
  const clients = [1, 2, 3, 4, 5].map(() => rawPost(batch));
  assert.ok(await until(() => server.heldBytes >= HELD), `held ${server.heldBytes}`);
  await sleep(300);
  assert.ok(server.heldBytes <= HELD + 5 * (2 * MIB + 1024), `held ${server.heldBytes}`);
  const replies = await Promise.all(clients.map((c) => c.read()));
  for (const r of replies) {
    if (r.status === 503) continue;
    assert.equal(r.status, 200);
    for (const item of JSON.parse(r.body)) assert.ok(item.result !== undefined || item.error.code === -32005, JSON.stringify(item).slice(0, 200));
  }
  for (const c of clients) c.socket.destroy();
  assert.ok(await until(() => server.heldBytes === 0), `held ${server.heldBytes} after the replies were read`);
});

test('HTTP: bodies being received count too; one that does not fit is refused 503, and a closed upload gives its bytes back', async () => {
  const part = Buffer.alloc(6 * MIB, 0x20);
  // Two uploads of 6 MiB each (announcing 10 MiB) fit; the third does not.
  const first = [rawPost('', { contentLength: 10 * MIB, send: part }), rawPost('', { contentLength: 10 * MIB, send: part })];
  assert.ok(await until(() => server.heldBytes >= 12 * MIB), `held ${server.heldBytes}`);
  const third = rawPost('', { contentLength: 10 * MIB, send: part });
  const refused = await third.read();
  assert.equal(refused.status, 503);
  assert.match(refused.text, /-32005/);
  for (const c of [...first, third]) c.socket.destroy();
  assert.ok(await until(() => server.heldBytes === 0), `held ${server.heldBytes} after the uploads closed`);
});

test('WebSocket: clients that do not read are dropped once the bound is reached, a client that reads keeps its answers', async () => {
  const hogs = [1, 2, 3, 4].map(() => rawConnect(server.url));
  for (const h of hogs) h.socket.pause();
  await sleep(200);
  const chainDef = defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [server.url] } } });
  const reader = createPublicClient({ chain: chainDef, transport: webSocket(server.wsUrl, { reconnect: false }) });
  const closes = hogs.map((h) => new Promise((r) => h.socket.once('close', r)));
  try {
    for (let round = 0; round < 8; round++) {
      for (const h of hogs) h.socket.write(Buffer.concat([1, 2, 3].map((i) => clientFrame(1, JSON.stringify(getCode(i))))));
      assert.equal((await reader.getBytecode({ address: BIG }))?.length, 2 + 2 * MIB, 'the reading client gets its 2 MiB replies');
      assert.ok(server.heldBytes <= HELD + 2 * MIB + 64, `held ${server.heldBytes}`);
    }
    // The hogs that were dropped see their connection end once they read.
    for (const h of hogs) h.socket.resume();
    const ended = await Promise.race([Promise.all(closes).then(() => 'all'), sleep(5_000).then(() => 'some')]);
    assert.equal(ended, 'all', 'every client that did not read was dropped');
  } finally {
    for (const h of hogs) h.end();
    await (await reader.transport.getRpcClient()).close();
  }
  assert.ok(await until(() => server.heldBytes === 0), `held ${server.heldBytes} after they closed`);
});

test('WebSocket: a frame being received counts too; one that does not fit closes its connection (1013)', async () => {
  // Each announces a 10 MiB text frame and sends 6 MiB of it.
  const head = Buffer.from([0x81, 0xff, ...Buffer.from((10 * MIB).toString(16).padStart(16, '0'), 'hex'), 1, 2, 3, 4]);
  const partial = Buffer.concat([head, Buffer.alloc(6 * MIB, 0x20)]);
  const first = [rawConnect(server.url, {}, partial), rawConnect(server.url, {}, partial)];
  assert.ok(await until(() => server.heldBytes >= 12 * MIB), `held ${server.heldBytes}`);
  const third = rawConnect(server.url, {}, partial);
  assert.ok(await third.until(() => third.frames.some((f) => f.opcode === 0x8)), 'a close frame');
  assert.equal(third.frames.find((f) => f.opcode === 0x8).payload.readUInt16BE(0), 1013);
  for (const c of [...first, third]) c.end();
  assert.ok(await until(() => server.heldBytes === 0), `held ${server.heldBytes} after they closed`);
});
