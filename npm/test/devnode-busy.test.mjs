// A dev node kept busy: it runs one request at a time, so a long simulation holds every client.
// A batch runs its requests for at most its bound (the rest answer geth's -32002), and a client's
// idle keep-alive connection survives a simulation longer than Node's 5 s keep-alive default.
// Both failed before their fix: a batch of 30 bounded calls ran them all, and a request sent on
// an idle connection during a 7.5 s batch was reset (ECONNRESET).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { DevChain, KEEP_ALIVE_TIMEOUT_MS, createDevProvider, createEngine, serve } from '../dist/esm/node.js';

/** KECCAK256 of 1 MB in a loop: JUMPDEST PUSH3 0x0f4240 PUSH0 SHA3 POP PUSH0 JUMP (2.4 s for 50 M gas). */
const HASH_LOOP = '0x5b620f42405f20505f56';
const LOOPER = '0x00000000000000000000000000000000000f0f00';
/** Gas the node lets a call have: 10^10 gas of the loop (about 50 GB hashed) outlasts any simulation bound here on any
 * machine. The Ethereum flow, as native is unlimited there (the zk flow's simulation runs out of native in about 0.8 s). */
const LOOP_GAS = 10_000_000_000n;

async function node({ evmTimeoutMs, batchTimeoutMs }) {
  const chain = new DevChain(await createEngine({ flow: 'ethereum', hardfork: 'cancun', rpcGasCap: LOOP_GAS, blockGasLimit: LOOP_GAS }), { accounts: 1 });
  const provider = createDevProvider(chain, { evmTimeoutMs });
  await provider.request({ method: 'anvil_setCode', params: [LOOPER, HASH_LOOP] });
  return serve(provider, '127.0.0.1', 0, { batchTimeoutMs });
}

/** One POST on `agent` (undefined: a connection of its own); resolves with the parsed reply. */
function post(url, body, agent) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const loopCall = (id, gas = '0x2faf080') => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [{ to: LOOPER, gas }, 'latest'] });

test('a batch runs its requests for at most its bound; the rest answer -32002 "request timed out", ids kept, notifications silent', async () => {
  const server = await node({ evmTimeoutMs: 100, batchTimeoutMs: 250 });
  try {
    const batch = Array.from({ length: 30 }, (_, i) => loopCall(i));
    batch.splice(15, 0, { jsonrpc: '2.0', method: 'eth_chainId' });
    const replies = await post(server.url, batch);
    assert.deepEqual(replies.map((r) => r.id), [...Array(30).keys()]);
    const ran = replies.findIndex((r) => r.error.code === -32002);
    assert.ok(ran >= 1 && ran <= 5, `${ran} calls ran within 250 ms of 100 ms each`);
    assert.ok(replies.slice(0, ran).every((r) => r.error.code === -32000 && r.error.message === 'execution aborted (timeout = 100ms)'), JSON.stringify(replies[0]));
    assert.ok(replies.slice(ran).every((r) => r.error.code === -32002 && r.error.message === 'request timed out'));
    assert.equal((await post(server.url, { jsonrpc: '2.0', id: 7, method: 'eth_blockNumber' })).result, '0x0');
  } finally {
    await server.close();
  }
});

test('an idle keep-alive connection outlives a 7.5 s batch (before: reset by Node\'s 5 s keep-alive timer)', async () => {
  assert.equal(KEEP_ALIVE_TIMEOUT_MS, 120_000);
  const server = await node({ evmTimeoutMs: 1_500 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    assert.equal((await post(server.url, { jsonrpc: '2.0', id: 1, method: 'eth_chainId' }, agent)).error, undefined);
    // Five calls of 10^10 gas, each stopped at 1.5 s: the node is busy for 7.5 s however fast it hashes.
    const busy = post(server.url, Array.from({ length: 5 }, (_, i) => loopCall(i, `0x${LOOP_GAS.toString(16)}`)));
    await new Promise((r) => setTimeout(r, 100));
    const idle = await post(server.url, { jsonrpc: '2.0', id: 9, method: 'eth_chainId' }, agent);
    assert.equal(idle.id, 9);
    assert.match(idle.result, /^0x[0-9a-f]+$/);
    assert.ok((await busy).every((r) => r.error.message === 'execution aborted (timeout = 1.5s)'));
  } finally {
    agent.destroy();
    await server.close();
  }
});
