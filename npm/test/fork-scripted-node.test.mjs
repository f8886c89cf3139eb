// A scripted node (a few lines of node:http, no anvil) for answers no real node gives: lists and
// objects nested two million deep, in a result, an error's data or message, or from an EIP-1193
// provider; brackets inside strings. Before, a deep answer parsed and then overflowed the stack
// of the error message's JSON.stringify: a RangeError out of createEngine, not a ZkosError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createForkFetcher } from '../dist/esm/node.js';
import { isZkosError, serving } from './fork/faulty-node.mjs';

const DEPTH = 2_000_000;
const deepList = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const envelope = (id, rest) => `{"jsonrpc":"2.0","id":${id},${rest}}`;

/** A node answering eth_chainId with 0x1 and every other call with `answer(id)` (JSON text), while `f(url)` runs. */
function scripted(answer, f) {
  return serving(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw);
    const one = (call) => (call.method === 'eth_chainId' ? envelope(call.id, '"result":"0x1"') : answer(call.id));
    res.writeHead(200, { 'content-type': 'application/json' }).end(Array.isArray(body) ? `[${body.map(one).join(',')}]` : one(body));
  }, f);
}

const FORK = { retries: 0, timeoutMs: 5000 };

test('an answer nested two million deep is FORK_BAD_RESPONSE, in a result, an error\'s data or its message', async () => {
  const CASES = [
    ['a result', (id) => envelope(id, `"result":${deepList}`)],
    ['an error\'s data', (id) => envelope(id, `"error":{"code":-32000,"message":"no","data":${deepList}}`)],
    ['an error\'s message', (id) => envelope(id, `"error":{"code":-32000,"message":${deepList}}`)],
  ];
  for (const [name, answer] of CASES) {
    await scripted(answer, (url) => assert.rejects(createEngine({ fork: { url, ...FORK } }), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, /nested deeper than 64 levels/, name)), name));
  }
});

test('brackets inside strings are not nesting: the node\'s error with 100,000 of them is its error', async () => {
  const message = '['.repeat(100_000);
  await scripted(
    (id) => envelope(id, `"error":{"code":-32000,"message":"${message}"}`),
    (url) => assert.rejects(createEngine({ fork: { url, ...FORK } }), isZkosError('FORK_UNAVAILABLE', (err) => assert.match(err.message, /\[{1000}…/))),
  );
});

test('an EIP-1193 provider answering a value nested two million deep: FORK_BAD_RESPONSE, not a RangeError', async () => {
  let deep = [];
  for (let i = 0; i < DEPTH; i++) deep = [deep];
  const provider = { request: async ({ method }) => (method === 'eth_chainId' ? '0x1' : deep) };
  await assert.rejects(createForkFetcher({ provider, ...FORK }), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, /does not print as JSON/)));
});
