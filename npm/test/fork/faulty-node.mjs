// What the fork fault tests share: an anvil node with the token placed behind a faulty proxy,
// fast retries, and the check of a typed error.
import { createServer } from 'node:http';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ZkosError } from '../../dist/esm/node.js';
import { faultyProxy } from './faulty.mjs';
import { startNode } from './node.mjs';
import { placeToken } from './placed.mjs';

/** Fast retries for tests. */
export const QUICK = { retries: 1, retryDelayMs: 10, timeoutMs: 2000 };

/**
 * Before the file's tests: starts anvil, places the token and puts a faulty proxy in front of
 * it, handing both to `use(node, proxy)`; after them: stops both.
 */
export function faultyNodeAroundTests(use) {
  let node;
  let proxy;
  before(async () => {
    node = await startNode();
    await placeToken(node);
    proxy = await faultyProxy(node.url);
    use(node, proxy);
  });
  after(async () => {
    await proxy?.close();
    await node?.stop();
  });
}

/** An `assert.rejects` check: a `ZkosError` with `code`, then `check(err)`. */
export function isZkosError(code, check = () => {}) {
  return (err) => {
    assert.ok(err instanceof ZkosError, `a ZkosError, got ${err?.stack ?? err}`);
    assert.equal(err.code, code, err.message);
    check(err);
    return true;
  };
}

/** A proxy handler passing the node's answers to `edit(call, answer)` (calls and answers matched by id). */
export const editing = (edit) => async ({ body, forward }) => {
  const answers = await forward();
  const calls = Array.isArray(body) ? body : [body];
  for (const answer of Array.isArray(answers) ? answers : [answers]) {
    const call = calls.find((c) => c.id === answer.id);
    if (call !== undefined && answer.result !== undefined && answer.result !== null) edit(call, answer);
  }
  return { body: answers };
};

/** A proxy handler passing the node's `eth_getProof` answer for `address` to `edit(result)`. */
export const proofOf = (address, edit) => editing((call, answer) => call.method === 'eth_getProof' && answer.result.address.toLowerCase() === address && edit(answer.result));

/** A node:http server on 127.0.0.1 (a free port) answering with `handler(req, res)`; closed after `f(url)`. */
export async function serving(handler, f) {
  const server = createServer((req, res) => {
    res.on('error', () => {});
    handler(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await f(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
