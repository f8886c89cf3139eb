// A small HTTP server in front of the real test node, for fault tests only: it forwards each
// JSON-RPC request to the node unless a fault is set, which may answer garbage, an HTTP error,
// a rate limit, or answer late, or alter the node's real answer.
import { createServer } from 'node:http';

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the proxy for `upstream`. `fault(request)` gets `{ body, n, forward }` (`body` parsed,
 * `n` counts requests from 0, `forward()` resolves with the node's parsed answer) and returns
 * `undefined` (forward as is) or `{ status, headers, body, delayMs }` (`body` a string or JSON),
 * or `{ stream }`: `stream(res)` writes the body itself after a 200 head (for answers too long to build).
 */
export async function faultyProxy(upstream) {
  let fault;
  let count = 0;
  const bodies = [];
  const forward = async (raw) => {
    const res = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    return res.json();
  };
  const server = createServer(async (req, res) => {
    res.on('error', () => {});
    const raw = await readBody(req);
    const body = JSON.parse(raw);
    bodies.push(body);
    const n = count++;
    const answer = (fault && (await fault({ body, n, forward: () => forward(raw) }))) ?? { body: await forward(raw) };
    // Unreferenced: a late answer nobody waits for any more does not keep the test process alive.
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs).unref());
    if (res.destroyed) return;
    if (answer.stream) return void answer.stream(res.writeHead(200, { 'content-type': 'application/json' }));
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(text);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Sets the fault (`undefined` forwards everything). */
    set(f) {
      fault = f;
    },
    /** Requests received so far (parsed bodies). */
    bodies,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
