// Clients take turns on the dev node: while several WebSocket clients each pipeline requests,
// another client's request waits for one request of each at most, not for every request queued
// before it; each client's own requests still run in the order it sent them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, MAX_WS_ANSWERING, connectionProvider, createDevProvider, createEngine, serve } from '../dist/esm/node.js';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';

const CLIENTS = 4;
const frame = (id, method) => clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id, method, params: [] }));

/** Polls `ok()` every 5 ms until it holds; fails after 20 s. */
async function until(ok, what) {
  const deadline = Date.now() + 20_000;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Before: one queue, first come first served: the read ran after every request queued before it
// (it saw block 0x40: 64 mined). With heavy eth_calls (30 ms each) instead of the mines, the read
// waited 2.2-2.7 s behind all 64; now about 0.2-0.4 s, behind 4 to 6.
test(`a client's request runs after one request of each other client, not after all ${CLIENTS * MAX_WS_ANSWERING} queued; each client's in order`, async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  const server = await serve(provider, '127.0.0.1', 0, { connect: (send) => connectionProvider(chain, provider, send) });
  const clients = [];
  let reader;
  try {
    for (let c = 0; c <= CLIENTS; c++) {
      const ws = rawConnect(server.url);
      await ws.until(() => ws.response !== undefined);
      clients.push(ws);
    }
    reader = clients.pop();
    // An in-process caller holds the chain while each client pipelines as many mines as the node
    // takes from a connection at once, and then the reader sends its read: all are queued.
    let letGo;
    const held = chain.exclusive(() => new Promise((resolve) => (letGo = resolve)));
    for (const ws of clients) ws.send(Buffer.concat(Array.from({ length: MAX_WS_ANSWERING }, (_, i) => frame(i, 'evm_mine'))));
    await until(() => chain.waiting === CLIENTS * MAX_WS_ANSWERING, 'the mines to be queued');
    reader.send(frame(1, 'eth_blockNumber'));
    await until(() => chain.waiting === CLIENTS * MAX_WS_ANSWERING + 1, 'the read to be queued');
    letGo();
    await held;
    // One mine of each client ran before the read.
    assert.deepEqual(await reader.nextJson(), { jsonrpc: '2.0', id: 1, result: `0x${CLIENTS.toString(16)}` });
    const texts = (ws) => ws.frames.filter((f) => f.opcode === 1);
    await until(() => clients.every((ws) => texts(ws).length === MAX_WS_ANSWERING), 'every mine to be answered');
    for (const ws of clients) {
      const replies = texts(ws).map((f) => JSON.parse(f.payload.toString()));
      assert.deepEqual(replies.map((r) => r.id), Array.from({ length: MAX_WS_ANSWERING }, (_, i) => i));
      for (const r of replies) assert.equal(r.result, '0x0', JSON.stringify(r));
    }
    assert.equal(await provider.request({ method: 'eth_blockNumber' }), `0x${(CLIENTS * MAX_WS_ANSWERING).toString(16)}`);
  } finally {
    for (const ws of clients) ws.end();
    reader?.end();
    await server.close();
  }
});
