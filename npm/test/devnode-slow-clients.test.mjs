// Clients that send a request slowly, or never finish it, against the dev node's read bound
// (ServeOptions.readTimeoutMs, geth's HTTP ReadHeaderTimeout and ReadTimeout of 30 s): such a
// request is answered 408 and its connection closed, while requests being answered are not cut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { DEFAULT_READ_TIMEOUT_MS, DevChain, createDevProvider, createEngine, serve } from '../dist/esm/node.js';

const READ_MS = 1_000;
/** Code that burns gas until fewer than 10,000 are left (a call of 50,000,000 gas runs a while). */
const BURNER = '0x' + 'b0'.repeat(20);

let chain;
let server;
before(async () => {
  chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  await provider.request({ method: 'anvil_setCode', params: [BURNER, '0x5b5a6127101060005700'] });
  server = await serve(provider, '127.0.0.1', 0, { readTimeoutMs: READ_MS });
});
after(async () => {
  await server?.close();
  chain?.close();
});

/** A raw connection that sends `head` and then `drip` every 200 ms; resolves with what it read once closed (or 'open' after `waitMs`). */
function slowClient(head, drip, waitMs) {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  let text = '';
  socket.on('data', (d) => (text += d.toString('latin1')));
  socket.once('connect', () => socket.write(head));
  const timer = setInterval(() => !socket.destroyed && socket.write(drip), 200);
  return new Promise((resolve) => {
    const give = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve('open');
    }, waitMs);
    socket.once('close', () => {
      clearInterval(timer);
      clearTimeout(give);
      resolve(text);
    });
  });
}

const call = async (body) => (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

test("the default read bound is geth's 30 s (Node's own is 300 s); a bad bound is INVALID_ARGUMENT", async () => {
  assert.equal(DEFAULT_READ_TIMEOUT_MS, 30_000);
  const other = await serve(createDevProvider(chain), '127.0.0.1', 0);
  try {
    assert.equal(other.server.requestTimeout, 30_000);
    assert.equal(other.server.headersTimeout, 30_000);
  } finally {
    await other.close();
  }
  assert.throws(() => serve(createDevProvider(chain), '127.0.0.1', 0, { readTimeoutMs: -1 }), { code: 'INVALID_ARGUMENT' });
});

// Before: the option did not exist and Node's bounds held: a body trickled a byte every 200 ms
// kept its connection 300 s, headers never finished 60 s; clients that filled the node's file
// descriptors so (300 of them at a limit of 200) kept every other client out for 331 s.
test('a body or headers trickled past the read bound: 408 and the connection closed; other clients answered meanwhile', async () => {
  const body = slowClient(`POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{`, ' ', 10_000);
  const headers = slowClient('POST / HTTP/1.1\r\nhost: x\r\n', 'x-slow: 1\r\n', 10_000);
  assert.deepEqual(await call({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }), { jsonrpc: '2.0', id: 1, result: '0x10e' });
  for (const [what, read] of [['body', await body], ['headers', await headers]]) {
    assert.notEqual(read, 'open', `${what}: still open after 10 s`);
    assert.match(read, /^HTTP\/1\.1 408 /, what);
  }
});

test('a request whose answer takes longer than the read bound is answered (the bound is on reading it)', async () => {
  const burn = (id) => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [{ to: BURNER, gas: '0x2faf080' }, 'latest'] });
  const started = Date.now();
  const replies = await call(Array.from({ length: 30 }, (_, i) => burn(i)));
  assert.ok(Date.now() - started > READ_MS, 'the batch ran longer than the read bound');
  assert.deepEqual(replies.map((r) => r.result), Array(30).fill('0x'));
});

// Before: a listener closed such connections without a word (curl: "Empty reply from server").
test('a request that is not HTTP is answered 400 Bad Request, then closed; the node goes on', async () => {
  assert.match(await slowClient('NOT HTTP AT ALL\r\n\r\n', '', 10_000), /^HTTP\/1\.1 400 /);
  assert.match(await slowClient(`POST / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`, '', 10_000), /^HTTP\/1\.1 431 /);
  assert.deepEqual(await call({ jsonrpc: '2.0', id: 2, method: 'eth_chainId' }), { jsonrpc: '2.0', id: 2, result: '0x10e' });
});
