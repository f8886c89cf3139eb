// Fork faults: a node stopped mid-run, garbage answers, rate limits, a slow node, a node that
// refuses batches or single calls, and failing EIP-1193 providers. Each gives a typed ZkosError
// with its cause, keeps nothing of the failed fetch, and leaves the fetcher usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createPublicClient, http } from 'viem';
import { createForkFetcher } from '../dist/esm/node.js';
import { QUICK, faultyNodeAroundTests, isZkosError } from './fork/faulty-node.mjs';
import { startNode } from './fork/node.mjs';
import { B, BALANCE_A, TOKEN, TRANSFER_KEYS as KEYS, placeToken, word } from './fork/placed.mjs';

let node;
let proxy;
faultyNodeAroundTests((n, p) => {
  node = n;
  proxy = p;
});

/** Nothing of KEYS is in the fetcher's memory. */
function assertNothingKept(fork) {
  for (const key of KEYS) assert.equal(fork.peek(key), undefined, `${key.kind} ${key.address} ${key.slot ?? ''} kept`);
}

/** Elapsed ms of `f`. */
async function timed(f) {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

test('node stopped mid-run: FORK_UNAVAILABLE with the cause; what was fetched before stays usable', async () => {
  const own = await startNode();
  try {
    await placeToken(own);
    const fork = await createForkFetcher({ url: own.url, ...QUICK });
    const first = await fork.fetch(KEYS.slice(0, 1));
    await own.stop();
    await assert.rejects(
      fork.fetch(KEYS),
      isZkosError('FORK_UNAVAILABLE', (err) => {
        assert.equal(err.data.url, own.url);
        assert.equal(err.data.attempts, 2);
        assert.ok(err.cause, 'the cause is kept');
        assert.match(err.message, /request failed/);
      }),
    );
    for (const key of KEYS.slice(1)) assert.equal(fork.peek(key), undefined);
    fork.resetStats();
    assert.deepEqual(await fork.fetch(KEYS.slice(0, 1)), first);
    assert.equal(fork.stats().roundTrips, 0);
    await assert.rejects(fork.fetch(KEYS.slice(1, 2)), isZkosError('FORK_UNAVAILABLE'));
  } finally {
    await own.stop();
  }
});

/** The node's batch answer, changed by `edit(answers, body)` (answers in request order). */
const altered = (edit) => async ({ body, forward }) => {
  if (!Array.isArray(body)) return undefined;
  const answers = await forward();
  return { body: edit(answers, body) ?? answers };
};
const answerOf = (answers, body, method, index = 0) => answers.find((a) => a.id === body.filter((c) => c.method === method)[index].id);

const GARBAGE = [
  ['not JSON', () => ({ body: '<html>502 Bad Gateway</html>' })],
  ['an object for a batch', () => ({ body: { jsonrpc: '2.0', id: 1, result: '0x1' } })],
  ['a batch one answer short', altered((answers) => answers.slice(1))],
  ['answers with unknown ids', altered((answers) => answers.map((a) => ({ ...a, id: a.id + 1000 })))],
  ['an id twice', altered((answers) => [answers[0], ...answers.slice(0, -1)])],
  ['an answer with neither result nor error', altered((answers) => answers.map((a, i) => (i === 0 ? { jsonrpc: '2.0', id: a.id } : a)))],
  ['an error without an integer code', altered((answers) => answers.map((a, i) => (i === 0 ? { jsonrpc: '2.0', id: a.id, error: { code: 'x', message: 'y' } } : a)))],
  ['a balance that is not hex', altered((answers, body) => void (answerOf(answers, body, 'eth_getProof').result.balance = '0xZZ'))],
  ['a proof without its storage hash', altered((answers, body) => void delete answerOf(answers, body, 'eth_getProof').result.storageHash)],
  ['a proof for another address', altered((answers, body) => void (answerOf(answers, body, 'eth_getProof').result.address = TOKEN))],
  ['a null proof', altered((answers, body) => void (answerOf(answers, body, 'eth_getProof').result = null))],
  ['code that does not match its hash', altered((answers, body) => void (answerOf(answers, body, 'eth_getCode', 2).result += '00'))],
  ['code of odd length', altered((answers, body) => void (answerOf(answers, body, 'eth_getCode', 2).result += '0'))],
  ['a storage value of 33 bytes', altered((answers, body) => void (answerOf(answers, body, 'eth_getProof', 2).result.storageProof[0].value = '0x' + '1'.repeat(66)))],
  ['a slot missing from the proof', altered((answers, body) => void answerOf(answers, body, 'eth_getProof', 2).result.storageProof.pop())],
];

test('garbage answers: FORK_BAD_RESPONSE, nothing kept, and the fetcher recovers when the node answers well', async () => {
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK });
  try {
    for (const [name, fault] of GARBAGE) {
      proxy.set(fault);
      fork.resetStats();
      await assert.rejects(fork.fetch(KEYS), isZkosError('FORK_BAD_RESPONSE'), name);
      assert.equal(fork.stats().retries, 0, `${name}: a bad answer is not retried`);
      assertNothingKept(fork);
    }
    proxy.set(undefined);
    fork.resetStats();
    const values = await fork.fetch(KEYS);
    assert.equal(fork.stats().keysFetched, 5);
    assert.equal(BigInt(values[3].value), BALANCE_A);
  } finally {
    proxy.set(undefined);
  }
});

test('a fetch whose later batch is garbage keeps nothing of its earlier, good batches', async () => {
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK, maxBatchSize: 2, maxConcurrency: 1 });
  try {
    const start = proxy.bodies.length;
    proxy.set(({ n }) => (n === start + 2 ? { body: 'garbage' } : undefined));
    await assert.rejects(fork.fetch(KEYS), isZkosError('FORK_BAD_RESPONSE'));
    assert.equal(proxy.bodies.length - start, 3, 'two good batches, then the bad one');
    assertNothingKept(fork);
    proxy.set(undefined);
    fork.resetStats();
    await fork.fetch(KEYS);
    assert.deepEqual([fork.stats().keysFetched, fork.stats().requests], [5, 3]);
  } finally {
    proxy.set(undefined);
  }
});

test('rate limits and server errors are retried with backoff, honouring Retry-After', async () => {
  try {
    // HTTP 429 (Retry-After 0.15 s), then 503, then the node's answer.
    const fork = await createForkFetcher({ url: proxy.url, retries: 3, retryDelayMs: 1, maxRetryDelayMs: 1000 });
    let start = proxy.bodies.length;
    proxy.set(({ n }) => (n === start ? { status: 429, headers: { 'retry-after': '0.15' }, body: 'slow down' } : n === start + 1 ? { status: 503, body: '' } : undefined));
    fork.resetStats();
    const ms = await timed(() => fork.fetch(KEYS));
    assert.deepEqual([fork.stats().retries, fork.stats().requests, fork.stats().keysFetched], [2, 3, 5]);
    assert.ok(ms >= 150, `waited ${ms} ms for Retry-After`);

    // JSON-RPC -32005 on one call of the batch: only that call is sent again.
    const other = await createForkFetcher({ url: proxy.url, retries: 2, retryDelayMs: 1 });
    start = proxy.bodies.length;
    proxy.set(altered((answers) => (proxy.bodies.length - 1 === start ? answers.map((a, i) => (i === 1 ? { jsonrpc: '2.0', id: a.id, error: { code: -32005, message: 'limit exceeded' } } : a)) : answers)));
    other.resetStats();
    await other.fetch(KEYS);
    assert.deepEqual([other.stats().retries, other.stats().calls], [1, 7]);
    assert.ok(!Array.isArray(proxy.bodies.at(-1)), 'the retry carries the one limited call');

    // Rate-limited for good: FORK_UNAVAILABLE after 1 + retries attempts, with the status.
    const third = await createForkFetcher({ url: proxy.url, retries: 2, retryDelayMs: 40, maxRetryDelayMs: 1000 });
    proxy.set(() => ({ status: 429, body: 'too many requests' }));
    const waited = await timed(() =>
      assert.rejects(
        third.fetch(KEYS),
        isZkosError('FORK_UNAVAILABLE', (err) => {
          assert.deepEqual([err.data.status, err.data.attempts], [429, 3]);
          assert.match(String(err.cause?.message), /HTTP 429/);
        }),
      ),
    );
    assert.ok(waited >= 20 + 40, `backoff of at least half of 40 + 80 ms, waited ${waited}`);
    assertNothingKept(third);
    // A rate limit answered for a whole batch is a rate limit too, not a refusal of batches.
    proxy.set(({ body }) => (Array.isArray(body) ? { body: { jsonrpc: '2.0', id: null, error: { code: -32005, message: 'rate limited' } } } : undefined));
    await assert.rejects(third.fetch(KEYS), isZkosError('FORK_UNAVAILABLE', (err) => assert.equal(err.data.rpcError.code, -32005)));
  } finally {
    proxy.set(undefined);
  }
});

test('a slow node: each request times out after timeoutMs, then FORK_UNAVAILABLE; works again once it is fast', async () => {
  const fork = await createForkFetcher({ url: proxy.url, timeoutMs: 150, retries: 1, retryDelayMs: 10 });
  try {
    proxy.set(() => ({ delayMs: 20_000, body: '[]' }));
    const ms = await timed(() =>
      assert.rejects(
        fork.fetch(KEYS),
        isZkosError('FORK_UNAVAILABLE', (err) => {
          assert.equal(err.cause?.name, 'TimeoutError');
          assert.deepEqual([err.data.timeoutMs, err.data.attempts], [150, 2]);
        }),
      ),
    );
    // Far below the node's 20 s delay, loose enough for a loaded machine.
    assert.ok(ms >= 300 && ms < 10_000, `two timeouts of 150 ms took ${ms} ms`);
    assertNothingKept(fork);
    proxy.set(undefined);
    assert.equal((await fork.fetch(KEYS)).length, 5);
  } finally {
    proxy.set(undefined);
  }
});

test('a node that refuses batches gets single calls; a call the node refuses is FORK_UNAVAILABLE', async () => {
  try {
    const fork = await createForkFetcher({ url: proxy.url, ...QUICK });
    proxy.set(({ body }) => (Array.isArray(body) ? { body: { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch requests are not supported' } } } : undefined));
    fork.resetStats();
    await fork.fetch(KEYS);
    assert.deepEqual([fork.stats().keysFetched, fork.stats().requests], [5, 7], 'one refused batch, then six single calls');
    fork.resetStats();
    await fork.fetch([{ kind: 'storage', address: B, slot: word(0) }, { kind: 'storage', address: TOKEN, slot: word(1) }]);
    assert.deepEqual([fork.stats().requests, fork.stats().calls], [2, 2], 'single calls from then on');

    proxy.set(undefined);
    const other = await createForkFetcher({ url: proxy.url, ...QUICK });
    proxy.set(altered((answers, body) => answers.map((a) => (a.id === body.find((c) => c.method === 'eth_getProof').id ? { jsonrpc: '2.0', id: a.id, error: { code: -32000, message: 'missing trie node' } } : a))));
    await assert.rejects(
      other.fetch(KEYS),
      isZkosError('FORK_UNAVAILABLE', (err) => {
        assert.equal(err.data.method, 'eth_getProof');
        assert.deepEqual(err.data.rpcError, { code: -32000, message: 'missing trie node' });
      }),
    );
    assertNothingKept(other);
  } finally {
    proxy.set(undefined);
  }
});

test('EIP-1193 providers that fail, hang, disconnect or answer garbage', async () => {
  const client = createPublicClient({ transport: http(node.url) });
  /** The real node for the fork block, then `fault` for every later call. */
  const faulty = (fault) => {
    let pinned = false;
    return {
      request: (args) => {
        if (!pinned && args.method === 'eth_getBlockByNumber') {
          pinned = true;
          return client.request(args);
        }
        return args.method === 'eth_chainId' ? client.request(args) : fault(args);
      },
    };
  };
  const fetchFails = async (fault, code, check, options = QUICK) => {
    const fork = await createForkFetcher({ provider: faulty(fault), ...options });
    await assert.rejects(fork.fetch(KEYS), isZkosError(code, check));
    assertNothingKept(fork);
  };
  const networkError = new TypeError('fetch failed');
  await fetchFails(() => Promise.reject(networkError), 'FORK_UNAVAILABLE', (err) => {
    assert.equal(err.cause, networkError);
    assert.equal(err.data.attempts, 2);
  });
  await fetchFails(() => new Promise(() => {}), 'FORK_UNAVAILABLE', (err) => assert.equal(err.cause?.name, 'TimeoutError'), { ...QUICK, timeoutMs: 100 });
  await fetchFails(() => Promise.reject(Object.assign(new Error('disconnected'), { code: 4900 })), 'FORK_UNAVAILABLE', (err) => assert.equal(err.data.rpcError.code, 4900));
  await fetchFails((args) => (args.method === 'eth_getProof' ? Promise.resolve({ balance: 1 }) : client.request(args)), 'FORK_BAD_RESPONSE');
  await fetchFails((args) => (args.method === 'eth_getCode' ? Promise.resolve(42) : client.request(args)), 'FORK_BAD_RESPONSE');
  // Rate-limited once, then served.
  let limited = false;
  const fork = await createForkFetcher({
    provider: faulty((args) => {
      if (!limited) {
        limited = true;
        return Promise.reject(Object.assign(new Error('limit exceeded'), { code: -32005 }));
      }
      return client.request(args);
    }),
    ...QUICK,
  });
  fork.resetStats();
  await fork.fetch(KEYS);
  assert.deepEqual([fork.stats().retries, fork.stats().keysFetched], [1, 5]);
});

// Before: the answer was read whole, so a node streaming without end filled about 3 GB of memory
// in the 10 s timeout (a faster link, or a longer timeout, ran the process out of memory).
test('an answer longer than 128 Mi characters is FORK_BAD_RESPONSE and the rest is not read', async () => {
  let sent = 0;
  const chunk = Buffer.alloc(1 << 20, 0x20);
  const endless = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    let open = true;
    res.on('close', () => (open = false));
    const pump = () => {
      while (open) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise((resolve) => endless.listen(0, '127.0.0.1', resolve));
  try {
    await assert.rejects(createForkFetcher({ url: `http://127.0.0.1:${endless.address().port}`, retries: 3, timeoutMs: 120_000 }), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, /an answer longer than 134217728 characters/)));
    assert.ok(sent < 256 * 2 ** 20, `${sent} bytes sent`);
  } finally {
    endless.closeAllConnections();
    await new Promise((resolve) => endless.close(resolve));
  }
});
