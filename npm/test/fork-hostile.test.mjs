// A hostile forked node, beyond fork-faults.test.mjs: values out of range or of the wrong type,
// a slot answered for another, ids swapped or of another type, HTTP errors with bodies, a body
// that trickles, a reset, a redirect loop, a node's error text of megabytes, a header whose
// timestamp leaves no room for a next block, code blobs of 100 MB and 1 MiB, a replay's answers
// that name another transaction, an access-list hint of 20,000 addresses. Each ends in a typed
// error (or a correct answer) within the timeouts, and the engine answers the node's true values
// after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256 } from 'viem';
import { createEngine, createForkFetcher } from '../dist/esm/node.js';
import { erc20BalanceSlot } from './fixtures/erc20.mjs';
import { QUICK, editing, faultyNodeAroundTests, isZkosError, proofOf, serving } from './fork/faulty-node.mjs';
import { A, B, BALANCE_A, TOKEN, TRANSFER_KEYS as KEYS, word } from './fork/placed.mjs';

const SLOT_A = erc20BalanceSlot(A);
const MiB = 1 << 20;

let node;
let proxy;
faultyNodeAroundTests((n, p) => {
  node = n;
  proxy = p;
});

/** The node's batch answer, rewritten by `edit(answers, calls)`. */
const batchEdit = (edit) => async ({ body, forward }) => (Array.isArray(body) ? { body: edit(await forward(), body) } : undefined);

/** A forked engine through the proxy, the proxy then answering with `fault` while `f(engine)` runs. */
async function underFault(fault, f, options = QUICK) {
  proxy.set(undefined);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...options } });
  proxy.set(fault);
  try {
    await f(engine);
  } finally {
    proxy.set(undefined);
  }
  return engine;
}

/** The engine answers the node's true values once the node is honest again. */
async function answersTruth(engine) {
  const balanceB = BigInt(await node.rpc('eth_getBalance', [B, '0x' + engine.forkBlock.number.toString(16)]));
  assert.equal((await engine.getAccount(B)).balance, balanceB);
  assert.equal(BigInt(await engine.getStorage(TOKEN, SLOT_A)), BALANCE_A);
}

const BAD_VALUES = [
  ['a balance of 2^256', proofOf(B, (p) => (p.balance = '0x1' + '0'.repeat(64))), /balance: expected a hex quantity/],
  ['a balance as a JSON number', proofOf(B, (p) => (p.balance = 5)), /balance: expected a hex quantity, got 5$/],
  ['a negative balance', proofOf(B, (p) => (p.balance = '-0x1')), /balance/],
  ['a nonce of 2^64', proofOf(B, (p) => (p.nonce = '0x1' + '0'.repeat(16))), /nonce: 18446744073709551616 does not fit in 64 bits/],
  ['a storage hash of odd length', proofOf(B, (p) => (p.storageHash = p.storageHash.slice(0, -1))), /storageHash/],
  ['the value of another slot', proofOf(TOKEN, (p) => p.storageProof.length > 0 && (p.storageProof[0].key = word(77))), /no proof for slot/],
  ['a storage value of 2^256', proofOf(TOKEN, (p) => p.storageProof.length > 0 && (p.storageProof[0].value = '0x1' + '0'.repeat(64))), /expected a 32-byte word/],
  ['a storage key as a JSON number', proofOf(TOKEN, (p) => p.storageProof.length > 0 && (p.storageProof[0].key = 1)), /key: expected a hex quantity/],
  [
    'the answers of two calls under each other\'s ids',
    batchEdit((answers, calls) => {
      const [p, c] = ['eth_getProof', 'eth_getCode'].map((m) => calls.find((x) => x.method === m)?.id);
      return answers.map((x) => (x.id === p ? { ...x, id: c } : x.id === c ? { ...x, id: p } : x));
    }),
    /expected an object/,
  ],
  ['ids as strings', batchEdit((answers) => answers.map((x) => ({ ...x, id: String(x.id) }))), /no response for request id/],
];

test('values out of range, of the wrong type, or for another slot: FORK_BAD_RESPONSE, and the engine answers the truth after', async () => {
  for (const [name, fault, message] of BAD_VALUES) {
    const engine = await underFault(fault, async (e) => {
      await assert.rejects(e.call({ from: A, to: TOKEN, data: '0x70a08231' + A.slice(2).padStart(64, '0') }).then(() => e.getAccount(B)), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, message, name)), name);
    });
    await answersTruth(engine);
  }
});

test('a JSON number too large for a double is named as read, not as null', async () => {
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK });
  proxy.set(async ({ forward }) => ({ body: JSON.stringify(await forward()).replace(/"balance":"[^"]*"/, '"balance":1e400') }));
  try {
    await assert.rejects(fork.fetch(KEYS), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, /balance: expected a hex quantity, got Infinity$/)));
  } finally {
    proxy.set(undefined);
  }
});

test('a batch answered in another order is read by id', async () => {
  const engine = await underFault(batchEdit((answers) => [...answers].reverse()), answersTruth);
  assert.equal(engine.fork.stats().retries, 0);
});

test('HTTP 500 with a JSON-RPC body is retried, then FORK_UNAVAILABLE with the body; HTTP 400 is not retried', async () => {
  const rpcBody = { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'internal error: database closed' } };
  let engine = await underFault(
    () => ({ status: 500, body: rpcBody }),
    (e) =>
      assert.rejects(
        e.getAccount(B),
        isZkosError('FORK_UNAVAILABLE', (err) => {
          assert.deepEqual([err.data.status, err.data.attempts], [500, 2]);
          assert.match(String(err.cause?.message), /HTTP 500: .*"internal error/);
        }),
      ),
  );
  await answersTruth(engine);
  engine = await underFault(
    () => ({ status: 400, body: 'bad request: banned' }),
    async (e) => {
      e.fork.resetStats();
      await assert.rejects(e.getAccount(B), isZkosError('FORK_UNAVAILABLE', (err) => assert.match(err.message, /HTTP 400: bad request: banned/)));
      assert.equal(e.fork.stats().retries, 0);
    },
  );
  await answersTruth(engine);
});

/** A server answering every request with `handler(req, res)` (its body not read), closed after `f(url)`. */
const withServer = (handler, f) =>
  serving((req, res) => {
    req.resume();
    handler(req, res);
  }, f);

test('a body that trickles without end, a reset mid-body and a redirect loop: FORK_UNAVAILABLE within the timeouts', async () => {
  const trickle = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => res.write(' '), 20);
    res.on('close', () => clearInterval(timer));
  };
  await withServer(trickle, async (url) => {
    const t0 = performance.now();
    await assert.rejects(createForkFetcher({ url, retries: 1, retryDelayMs: 10, timeoutMs: 200 }), isZkosError('FORK_UNAVAILABLE', (err) => assert.equal(err.cause?.name, 'TimeoutError')));
    const ms = performance.now() - t0;
    // The body never ends: finishing at all shows the timeouts applied (the bound is loose for loaded machines).
    assert.ok(ms >= 400 && ms < 10_000, `two timeouts of 200 ms took ${ms} ms`);
  });
  const reset = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('[{"jsonrpc"');
    setTimeout(() => res.destroy(), 10);
  };
  await withServer(reset, (url) => assert.rejects(createForkFetcher({ url, ...QUICK }), isZkosError('FORK_UNAVAILABLE', (err) => assert.equal(err.data.attempts, 2))));
  await withServer(
    (_req, res) => res.writeHead(307, { location: '/' }).end(),
    (url) => assert.rejects(createForkFetcher({ url, ...QUICK }), isZkosError('FORK_UNAVAILABLE', (err) => assert.match(err.message, /redirect/))),
  );
});

// Before: the node's message and data were kept whole, so a 4 MiB message made an error (and
// the dev node's answer carrying it) 4 MiB long.
test("a node's error text of megabytes is cut to 1,024 characters in the error", async () => {
  const long = 'x'.repeat(4 * MiB);
  const short = (err) => {
    assert.ok(err.message.length < 2000, `message of ${err.message.length} characters`);
    assert.ok(err.data.rpcError.message.length <= 1025, `rpcError.message of ${err.data.rpcError.message.length}`);
    assert.ok(JSON.stringify(err.data).length < 4000, `data of ${JSON.stringify(err.data).length} characters`);
  };
  const refused = batchEdit((answers) => answers.map((x, i) => (i === 0 ? { jsonrpc: '2.0', id: x.id, error: { code: -32000, message: long, data: { detail: long } } } : x)));
  await answersTruth(await underFault(refused, (e) => assert.rejects(e.getAccount(B), isZkosError('FORK_UNAVAILABLE', short))));
  const limited = batchEdit((answers) => answers.map((x) => ({ jsonrpc: '2.0', id: x.id, error: { code: -32005, message: long, data: long } })));
  await answersTruth(await underFault(limited, (e) => assert.rejects(e.getAccount(B), isZkosError('FORK_UNAVAILABLE', short))));
  // An EIP-1193 provider's error, the same.
  let pinned = 0;
  const provider = {
    request: async (args) => {
      if (pinned < 2 && (args.method === 'eth_getBlockByNumber' || args.method === 'eth_chainId')) {
        pinned++;
        return node.rpc(args.method, args.params);
      }
      throw Object.assign(new Error(long), { code: -32000, data: long });
    },
  };
  const fork = await createForkFetcher({ provider, ...QUICK });
  await assert.rejects(fork.fetch(KEYS), isZkosError('FORK_UNAVAILABLE', short));
});

// (A header naming block 2^64 - 1 pins the engine there: the node then refuses every read at it,
// FORK_UNAVAILABLE, as for any block it does not have.)
test('a header whose timestamp leaves no room for a next block: refused as unproven; trusted, BLOCK_OVERFLOW, reads still answer', async () => {
  proxy.set(editing((call, answer) => call.method === 'eth_getBlockByNumber' && (answer.result.timestamp = '0x' + 'f'.repeat(16))));
  let engine;
  try {
    await assert.rejects(
      createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK } }),
      isZkosError('FORK_PROOF_MISMATCH', (err) => assert.equal(err.reason, 'HeaderHashMismatch')),
    );
    engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK, verify: false } });
  } finally {
    proxy.set(undefined);
  }
  await assert.rejects(engine.call({ from: A, to: B, value: 1n }), isZkosError('BLOCK_OVERFLOW', (err) => assert.match(err.message, /timestamp does not fit in 64 bits/)));
  await answersTruth(engine);
});

/** Writes `head`, then `length` characters of `fill` (in 1 MiB chunks, as the reader takes them), then `tail`; returns the characters sent. */
function streamLong(res, head, fill, length, tail) {
  return new Promise((resolve) => {
    const chunk = fill.repeat(MiB / fill.length);
    let sent = 0;
    res.on('close', () => resolve(sent));
    res.write(head);
    const pump = () => {
      while (!res.destroyed && sent < length) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end(tail);
    };
    pump();
  });
}

test('a code blob of 100 MB is FORK_BAD_RESPONSE, read no further than the answer cap; one of 1 MiB that matches its hash runs', async () => {
  let sent;
  const huge = async ({ body, forward }) => {
    const code = Array.isArray(body) ? body.find((c) => c.method === 'eth_getCode' && c.params[0].toLowerCase() === TOKEN) : undefined;
    if (code === undefined) return undefined;
    const others = (await forward()).filter((a) => a.id !== code.id).map((a) => JSON.stringify(a));
    return { stream: (res) => (sent = streamLong(res, `[${others.join(',')},{"jsonrpc":"2.0","id":${code.id},"result":"0x`, '5b', 200e6, '"}]')) };
  };
  await answersTruth(
    await underFault(huge, async (e) => {
      await assert.rejects(e.call({ from: A, to: TOKEN }), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, /an answer longer than 134217728 characters/)));
      assert.ok((await sent) < 160 * MiB, `${await sent} characters sent`);
    }),
  );
  const code = '0x' + '5b'.repeat(MiB);
  const blob = editing((call, answer) => {
    if (call.method === 'eth_getCode' && call.params[0].toLowerCase() === TOKEN) answer.result = code;
    if (call.method === 'eth_getProof' && answer.result.address.toLowerCase() === TOKEN) answer.result.codeHash = keccak256(code);
  });
  // The code hash is not the one the state proves: refused while verifying (the default) ...
  await answersTruth(await underFault(blob, (e) => assert.rejects(e.call({ from: A, to: TOKEN, gas: 2_000_000n }), isZkosError('FORK_PROOF_MISMATCH'))));
  // ... and a trusting engine takes the 1 MiB blob.
  const engine = await underFault(
    blob,
    async (e) => {
      const r = await e.call({ from: A, to: TOKEN, gas: 2_000_000n });
      assert.equal(r.status, 'success');
      assert.equal(r.gasUsed, 21_000n + BigInt(MiB), 'one gas per JUMPDEST');
    },
    { ...QUICK, verify: false },
  );
  assert.equal((await engine.getAccount(TOKEN)).code.length, code.length);
  await answersTruth(engine);
});

test('a stepping session whose fetch fails stands where it was and steps on once the node is honest', async () => {
  const balanceOf = (holder) => ({ from: A, to: TOKEN, data: '0x70a08231' + holder.slice(2).padStart(64, '0') });
  const engine = await underFault(undefined, async () => {});
  const session = await engine.session(balanceOf(A));
  proxy.set(() => ({ body: 'garbage' }));
  try {
    await assert.rejects(session.continue(), isZkosError('FORK_BAD_RESPONSE'));
    assert.equal(session.finished, false);
    proxy.set(() => ({ status: 500, body: 'down' }));
    await assert.rejects(session.step(1000), isZkosError('FORK_UNAVAILABLE'));
  } finally {
    proxy.set(undefined);
  }
  assert.equal((await session.continue()).finished, true);
  assert.equal(BigInt(session.result().returnData), BALANCE_A);
  await answersTruth(engine);
});

// Before: replayTransaction took the node's answers on trust: a block number that is not hex was
// a SyntaxError, a missing block a TypeError, and a block that does not hold the transaction at
// its index (or a raw transaction of another hash) replayed another transaction without a word.
test('replayTransaction reads the node strictly: FORK_BAD_RESPONSE for answers that do not name the transaction', async () => {
  const hash = await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x1' }]);
  const other = await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x2' }]);
  const rawOther = await node.rpc('eth_getRawTransactionByHash', [other]);
  const edit = (method, f) => editing((call, answer) => call.method === method && f(answer, call));
  const onTx = (f) => edit('eth_getTransactionByHash', f);
  const onBlock = (f) => edit('eth_getBlockByNumber', (answer, call) => call.params[1] === false && answer.result.transactions.includes(hash) && f(answer.result));
  const FAULTS = [
    ['a block number that is not hex', onTx((a) => (a.result.blockNumber = '0xzz')), /blockNumber/],
    ['no transaction index', onTx((a) => delete a.result.transactionIndex), /transactionIndex/],
    ['another transaction', onTx((a) => (a.result.hash = other)), /answered for/],
    ['no block', onBlock((b) => Object.keys(b).forEach((k) => delete b[k])), /number/],
    ['another block', onBlock((b) => (b.number = '0x1')), /answered block/],
    ['a block without the transaction at its index', onBlock((b) => (b.transactions = [])), /does not hold/],
    ['a timestamp that is not hex', onBlock((b) => (b.timestamp = 'soon')), /timestamp/],
    ['no raw transaction', edit('eth_getRawTransactionByHash', (a) => (a.result = '0x')), /eth_getRawTransactionByHash/],
    ['the raw transaction of another hash', edit('eth_getRawTransactionByHash', (a) => (a.result = rawOther)), /hashes to/],
  ];
  proxy.set(undefined);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK } });
  for (const [name, fault, message] of FAULTS) {
    proxy.set(fault);
    try {
      await assert.rejects(engine.replayTransaction(hash), isZkosError('FORK_BAD_RESPONSE', (err) => assert.match(err.message, message, name)), name);
    } finally {
      proxy.set(undefined);
    }
  }
  const { session, index } = await engine.replayTransaction(hash);
  assert.equal(session.txIndex, index);
  await session.continue({ phase: 'blockFinish' });
  assert.equal(session.result().status, 'success');
  assert.equal(session.result().gasUsed, 21_000n);
  assert.equal((await session.continue()).finished, true);
  await assert.rejects(session.step(), isZkosError('SESSION_FINISHED'));
});

// Before: every key of the node's access list was fetched: 20,000 addresses made one call fetch
// 20,004 keys in 40,010 calls.
test("the node's access-list hint is taken up to 4,096 keys", async () => {
  const accessList = Array.from({ length: 20_000 }, (_, i) => ({ address: '0x' + (i + 1).toString(16).padStart(40, '0'), storageKeys: [] }));
  const engine = await underFault(
    editing((call, answer) => call.method === 'eth_createAccessList' && (answer.result.accessList = accessList)),
    async (e) => {
      const r = await e.call({ from: A, to: TOKEN, data: '0x70a08231' + A.slice(2).padStart(64, '0') });
      assert.equal(BigInt(r.returnData), BALANCE_A);
      const { keysFetched } = e.fork.stats();
      assert.ok(keysFetched >= 4096 && keysFetched <= 4096 + 8, `${keysFetched} keys fetched`);
    },
  );
  await answersTruth(engine);
});
