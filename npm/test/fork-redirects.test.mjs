// Redirects from the fork URL, with the user's `headers` (an API key) given for it. Before,
// fetch followed a 307/308 to any host with the POST and every custom header but Authorization
// (undici drops only that one when the origin changes), so a node could hand a fork's API key to
// another host. Now: a redirect to the same origin is followed with the headers; to another origin
// (another port, another host name) it is FORK_UNAVAILABLE naming the location, and the other
// host sees nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForkFetcher } from '../dist/esm/node.js';
import { redirectTarget } from '../dist/esm/fork/redirects.js';
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

// From http to https on the same host: followed only between the default ports (80 → 443), and
// never back down from https to http. The rule itself, on the responses a node sends:
test('the scheme rule: http → https of the same host is followed, https → http and a port change are not', () => {
  const redirect = (location) => new Response(null, { status: 301, headers: { location } });
  assert.equal(redirectTarget(redirect('https://node.example/rpc'), 'http://node.example/'), 'https://node.example/rpc');
  assert.equal(redirectTarget(redirect('https://node.example/rpc'), 'http://node.example:80/'), 'https://node.example/rpc');
  assert.equal(redirectTarget(redirect('https://node.example:443/v1'), 'http://node.example/'), 'https://node.example/v1');
  for (const [from, to] of [
    ['https://node.example/', 'http://node.example/rpc'],
    ['https://node.example/', 'http://node.example:443/rpc'],
    ['http://node.example/', 'https://node.example:8443/rpc'],
    ['http://node.example:8545/', 'https://node.example/rpc'],
    ['http://node.example/', 'https://other.example/rpc'],
  ]) {
    assert.throws(() => redirectTarget(redirect(to), from), isZkosError('FORK_UNAVAILABLE', (err) => assert.equal(err.data.location, new URL(to).href)), `${from} → ${to}`);
  }
});

// The same end to end, over real TLS: a server on port 80 of a loopback address redirecting to
// port 443 of the same address, where a TLS server (a certificate made by openssl for the test)
// hands the requests on to anvil. The fetcher runs in a child process trusting that certificate
// (NODE_EXTRA_CA_CERTS). Ports 80 and 443 need privileges: where the test cannot bind them, or
// openssl is missing, it is skipped and the rule's test above stands alone.
test('http → https of the same host followed end to end over TLS; https → http refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-tls-'));
  const host = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const servers = [];
  try {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', `/CN=${host}`, '-addext', `subjectAltName=IP:${host}`], { stdio: 'ignore' });
    if (made.status !== 0) return t.skip('openssl could not make a certificate');
    const seen = { http: [], https: [] };
    const handle = (scheme, answer) => (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen[scheme].push({ url: req.url, headers: req.headers });
        answer(req, body, res);
      });
    };
    const plain = createServer(handle('http', (req, body, res) => (req.url === '/' ? res.writeHead(301, { location: `https://${host}/rpc` }).end() : toAnvil(req, body, res))));
    const tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, handle('https', (req, body, res) => (req.url === '/down' ? res.writeHead(301, { location: `http://${host}/rpc` }).end() : toAnvil(req, body, res))));
    for (const [s, port] of [[plain, 80], [tls, 443]]) {
      const bound = await new Promise((resolve) => {
        s.once('error', (err) => resolve(err.code));
        s.listen(port, host, () => resolve(true));
      });
      if (bound !== true) return t.skip(`cannot listen on ${host}:${port} (${bound})`);
      servers.push(s);
    }
    const fetchIn = async (url) => {
      const script = `import { createForkFetcher } from ${JSON.stringify(new URL('../dist/esm/node.js', import.meta.url).href)};
        try { const f = await createForkFetcher({ url: ${JSON.stringify(url)}, headers: ${JSON.stringify(HEADERS)}, retries: 0, timeoutMs: 5000 }); console.log(JSON.stringify({ number: String(f.block.number) })); }
        catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message, data: err.data })); }`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      await new Promise((resolve) => child.once('exit', resolve));
      return JSON.parse(out);
    };
    const up = await fetchIn(`http://${host}/`);
    assert.equal(up.number, String(BigInt(await node.rpc('eth_blockNumber'))), JSON.stringify(up));
    assert.ok(seen.https.length >= 1 && seen.https.every((r) => r.url === '/rpc' && r.headers['x-api-key'] === HEADERS['x-api-key']));
    seen.http.length = 0;
    const down = await fetchIn(`https://${host}/down`);
    assert.equal(down.code, 'FORK_UNAVAILABLE');
    assert.equal(down.data.location, `http://${host}/rpc`);
    assert.deepEqual(seen.http, [], 'nothing sent over plain http');
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
