// Fork mode's input checks, its failures in plain language and its progress line (the replay
// itself runs against a real node in test/browser-fork.test.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileInput, InputError } from '../../src/input.js';
import { explainForkError, answersAtAll } from '../../src/fork/explain.js';
import { progressText } from '../../src/fork/progress.js';
import { ZkosError } from 'zkos';

const HASH = '0x' + 'ab'.repeat(32);
const URL_ = 'http://127.0.0.1:8545';
const input = (forkUrl, forkTx) => ({ mode: 'fork', forkUrl, forkTx, config: { flow: 'ethereum' } });
const fieldOf = (f) => (e) => e instanceof InputError && e.field === f;

test('a fork input needs an http(s) URL and a 32-byte transaction hash', () => {
  const r = compileInput(input(` ${URL_} `, HASH.toUpperCase().replace('0X', '0x')));
  assert.deepEqual(r.fork, { url: URL_, hash: HASH });
  assert.deepEqual(r.txs, []);
  assert.throws(() => compileInput(input('', HASH)), fieldOf('forkUrl'));
  assert.throws(() => compileInput(input('127.0.0.1:8545', HASH)), fieldOf('forkUrl'));
  assert.throws(() => compileInput(input('ws://127.0.0.1:8545', HASH)), fieldOf('forkUrl'));
  assert.throws(() => compileInput(input(URL_, '0x1234')), fieldOf('forkTx'));
  assert.throws(() => compileInput(input(URL_, HASH.slice(0, -1) + 'g')), fieldOf('forkTx'));
});

/** A fetch that fails as browsers fail a request nothing answers, or one a server refuses by CORS. */
const downFetch = async () => { throw new TypeError('Failed to fetch'); };
const corsFetch = async (_url, init) => {
  if (init?.mode !== 'no-cors') throw new TypeError('Failed to fetch');
  return new Response(null, { status: 200 });
};
const unavailable = (data) => new ZkosError('FORK_UNAVAILABLE', 'fork: node unavailable: request failed (TypeError: Failed to fetch) (2 attempts)', { url: URL_, attempts: 2, ...data });

test('a fetch that failed outright is told apart by a no-cors probe: node down or CORS refused', async () => {
  assert.equal(await answersAtAll(URL_, downFetch), false);
  assert.equal(await answersAtAll(URL_, corsFetch), true);
  const down = await explainForkError(unavailable(), { url: URL_, hash: HASH }, downFetch);
  assert.equal(down.field, 'forkUrl');
  assert.match(down.message, /^Nothing answers at http:\/\/127\.0\.0\.1:8545: the node is down/);
  const cors = await explainForkError(unavailable(), { url: URL_, hash: HASH }, corsFetch);
  assert.equal(cors.field, 'forkUrl');
  assert.match(cors.message, /refuses requests from this page \(CORS\)/);
});

test('fork failures become sentences naming the field to fix', async () => {
  const explain = (e) => explainForkError(e, { url: URL_, hash: HASH }, downFetch);
  const pending = await explain(new ZkosError('NOT_FOUND', `replayTransaction: ${HASH} is pending (in no block yet)`, { hash: HASH, pending: true }));
  assert.deepEqual([pending.field, /still pending/.test(pending.message)], ['forkTx', true]);
  const unknown = await explain(new ZkosError('NOT_FOUND', `replayTransaction: the node knows no transaction ${HASH}`, { hash: HASH, pending: false }));
  assert.deepEqual([unknown.field, /knows no transaction 0xabababab…abababab/.test(unknown.message)], ['forkTx', true]);
  const auth = await explain(new ZkosError('FORK_UNAVAILABLE', 'fork: node refused the request: HTTP 401: no key', { url: URL_, status: 401 }));
  assert.deepEqual([auth.field, /HTTP 401\): it may need an API key/.test(auth.message)], ['forkUrl', true]);
  const slow = await explain(unavailable({ timeoutMs: 15_000 }));
  assert.match(slow.message, /did not answer within 15 s/);
  const garbage = await explain(new ZkosError('FORK_BAD_RESPONSE', 'fork: bad response to eth_getBlockByNumber: not JSON: <html>'));
  assert.deepEqual([garbage.field, /not as an Ethereum JSON-RPC node would/.test(garbage.message)], ['forkUrl', true]);
  const lying = await explain(new ZkosError('FORK_PROOF_MISMATCH', 'fork: the account differs from the one proven: eth_getProof(0xab) at block 5', undefined, 'AccountMismatch'));
  assert.deepEqual([lying.field, /proofs do not back \(the account differs/.test(lying.message), /ZKsync/.test(lying.message)], ['forkUrl', true, true]);
  // Anything else keeps the engine's words, without its prefix.
  const other = await explain(new Error('boom'));
  assert.deepEqual(other, { message: 'The replay failed: boom.', field: null });
});

test('the progress line counts requests and what the node answered', () => {
  const p = { stage: 'replaying', requests: 1, accounts: 3, slots: 0, codes: 1, blockHashes: 0 };
  assert.equal(progressText(p), 'finding the transaction and running the ones before it in its block… 1 request to the node · fetched 3 accounts, 0 storage slots');
  assert.equal(progressText({ ...p, requests: 5, slots: 1, blockHashes: 2 }, true), 'Replayed: 5 requests to the node · fetched 3 accounts, 1 storage slot, 2 block hashes.');
});
