// Redirects from the fork URL, with the user's `headers` (an API key) given for it. Before,
// fetch followed a 307/308 to any host with the POST and every custom header but Authorization
// (undici drops only that one when the origin changes), so a node could hand a fork's API key to
// another host. Now: a redirect to the same origin is followed with the headers; to another origin
// (another port, another host name) it is FORK_UNAVAILABLE naming the location, and the other
// host sees nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createForkFetcher } from '../dist/esm/node.js';
import { isZkosError } from './fork/faulty-node.mjs';
import { startNode } from './fork/node.mjs';

const HEADERS = { authorization: 'Bearer secret-token', 'x-api-key': 'secret-key' };
const QUICK = { retries: 1, retryDelayMs: 10, timeoutMs: 5000 };

let node;
before(async () => {
  node = await startNode();
});
after(async () => {
  await node?.stop();
});

/** A server on 127.0.0.1 (a free port) answering with `handler(req, body, res)`; its requests in `seen`. */
async function server(handler) {
  const seen = [];
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      handler(req, body, res);
    });
  });
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = s.address().port;
  const close = async () => {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  };
  return { port, seen, close };
}

/** A handler passing the request to anvil and its answer back. */
const toAnvil = async (_req, body, res) => {
  const answer = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
};

for (const status of [307, 308]) {
  test(`an HTTP ${status} to another port or host name is refused and the other host sees nothing`, async () => {
    const other = await server(toAnvil);
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const target = `http://${host}:${other.port}/rpc`;
        const first = await server((_req, _body, res) => res.writeHead(status, { location: target }).end());
        try {
          await assert.rejects(
            createForkFetcher({ url: `http://127.0.0.1:${first.port}/`, headers: HEADERS, ...QUICK }),
            isZkosError('FORK_UNAVAILABLE', (err) => {
              assert.match(err.message, /redirected \(HTTP 30[78]\) to another origin/);
              assert.equal(err.data.location, target);
              assert.equal(err.data.status, status);
            }),
          );
          // Refused at once: not retried.
          assert.equal(first.seen.length, 1);
        } finally {
          await first.close();
        }
      }
      assert.deepEqual(other.seen, [], 'the other origin got a request');
    } finally {
      await other.close();
    }
  });
}

test('a redirect to the same origin is followed with the POST and the headers', async () => {
  const s = await server((req, body, res) => (req.url === '/rpc' ? toAnvil(req, body, res) : res.writeHead(308, { location: '/rpc' }).end()));
  try {
    const fetcher = await createForkFetcher({ url: `http://127.0.0.1:${s.port}/`, headers: HEADERS, ...QUICK });
    assert.equal(fetcher.block.number, BigInt(await node.rpc('eth_blockNumber')));
    const followed = s.seen.filter((r) => r.url === '/rpc');
    assert.ok(followed.length >= 1);
    for (const r of followed) {
      assert.equal(r.method, 'POST');
      assert.equal(r.headers.authorization, HEADERS.authorization);
      assert.equal(r.headers['x-api-key'], HEADERS['x-api-key']);
    }
  } finally {
    await s.close();
  }
});

test('a location that is not a URL is refused', async () => {
  const s = await server((_req, _body, res) => res.writeHead(307, { location: 'http://[::1' }).end());
  try {
    await assert.rejects(createForkFetcher({ url: `http://127.0.0.1:${s.port}/`, headers: HEADERS, ...QUICK }), isZkosError('FORK_UNAVAILABLE', (err) => assert.match(err.message, /not a URL/)));
  } finally {
    await s.close();
  }
});
