// Benchmark: `zkos node` against anvil (@foundry-rs/anvil from npm), in the same run: start-up
// time (spawn until the first JSON-RPC answer) and eth_call requests per second of an ERC-20
// balanceOf over HTTP (keep-alive, a fixed number of requests in flight).
// A third row, `node-http`, is a bare node:http server that answers every request with the
// expected words without executing anything: the most any Node HTTP server gets on this machine
// at that moment (the client runs on the same cores).
// The same eth_call over one WebSocket connection (zkos and anvil serve it on the HTTP port;
// the bare server has none), the same number of requests in flight.
// Usage: npm run bench:node [-- --seconds S] [-- --rounds N] [-- --concurrency N] [-- --starts N]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { encodeFunctionData } from 'viem';
import { TOKEN_ABI, TOKEN_BYTECODE } from '../test/fixtures/erc20.mjs';
import { anvilBinary, freePort } from '../test/fork/node.mjs';
import { clientFrame, rawConnect } from '../test/devnode/ws-raw.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = flag('--seconds', 2);
const ROUNDS = flag('--rounds', 5);
const CONCURRENCY = flag('--concurrency', 8);
const STARTS = flag('--starts', 5);
const DEV_ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

const NODES = {
  zkos: (port) => [process.execPath, [join(ROOT, 'dist/esm/cli.js'), 'node', '--port', String(port)]],
  anvil: (port) => [anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--silent']],
  'node-http': (port) => [process.execPath, [fileURLToPath(import.meta.url), '--baseline', String(port)]],
};

/** The baseline server: fixed answers (chain id, a transaction hash, a receipt, the balance word). */
function serveBaseline(port) {
  const word = (n) => '0x' + n.toString(16).padStart(64, '0');
  const answers = {
    eth_chainId: '0x1',
    eth_sendTransaction: word(1n),
    eth_getTransactionReceipt: { contractAddress: '0x' + '11'.repeat(20) },
    eth_call: word(10n ** 24n),
  };
  createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const { id, method } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const text = JSON.stringify({ jsonrpc: '2.0', id, result: answers[method] ?? null });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    });
  }).listen(port, '127.0.0.1');
}

async function rpc(url, method, params = []) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Starts a node and polls it until it answers eth_chainId; returns { url, ms, stop }. */
async function start(name) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [cmd, argv] = NODES[name](port);
  const t0 = performance.now();
  const child = spawn(cmd, argv, { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  for (;;) {
    try {
      await rpc(url, 'eth_chainId');
      break;
    } catch {
      if (child.exitCode !== null) throw new Error(`${name} exited`);
      if (performance.now() - t0 > 30_000) throw new Error(`${name} did not start`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const ms = performance.now() - t0;
  return { url, ms, stop: () => (child.kill('SIGTERM'), exited) };
}

/** Deploys the ERC-20 fixture from the first dev account; returns its address. */
async function deployToken(url) {
  const hash = await rpc(url, 'eth_sendTransaction', [{ from: DEV_ACCOUNT, data: TOKEN_BYTECODE, gas: '0x1000000' }]);
  for (;;) {
    const receipt = await rpc(url, 'eth_getTransactionReceipt', [hash]);
    if (receipt !== null) return receipt.contractAddress;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** eth_call balanceOf for `seconds` with `concurrency` requests in flight; returns requests/s. */
async function callRate(url, token, seconds, concurrency) {
  const data = encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [DEV_ACCOUNT] });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: token, data }, 'latest'] });
  const expected = 10n ** 24n;
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const reply = await res.json();
      if (BigInt(reply.result) !== expected) throw new Error(`unexpected balanceOf answer ${JSON.stringify(reply)}`);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - t0) / 1000);
}

/** eth_call balanceOf over one WebSocket for `seconds`, `concurrency` requests in flight; returns requests/s. */
async function callRateWs(url, token, seconds, concurrency) {
  const data = encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [DEV_ACCOUNT] });
  const expected = 10n ** 24n;
  let next = 0;
  let inFlight = 0;
  let done = 0;
  let finish;
  const finished = new Promise((resolve, reject) => (finish = { resolve, reject }));
  const send = () => {
    inFlight++;
    ws.send(clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id: ++next, method: 'eth_call', params: [{ to: token, data }, 'latest'] })));
  };
  const end = performance.now() + seconds * 1000;
  let t0 = 0;
  const ws = rawConnect(url, {}, Buffer.alloc(0), (frame) => {
    if (frame.opcode !== 1) return;
    const reply = JSON.parse(frame.payload.toString('utf8'));
    if (BigInt(reply.result) !== expected) return finish.reject(new Error(`unexpected balanceOf answer ${JSON.stringify(reply)}`));
    done++;
    inFlight--;
    if (performance.now() < end) send();
    else if (inFlight === 0) finish.resolve(done / ((performance.now() - t0) / 1000));
  });
  if (!(await ws.until(() => ws.response !== undefined)) || !ws.response.startsWith('HTTP/1.1 101')) throw new Error(`no WebSocket at ${url}`);
  t0 = performance.now();
  for (let i = 0; i < concurrency; i++) send();
  try {
    return await finished;
  } finally {
    ws.end();
  }
}

if (args[0] === '--baseline') {
  serveBaseline(Number(args[1]));
  await new Promise(() => undefined);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(NODES);
/** The nodes that serve WebSocket. */
const WS_NAMES = ['zkos', 'anvil'];
// The machine is shared and its load drifts: every measurement goes round the nodes in turn,
// and each figure is the median of its rounds.
const starts = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < STARTS; i++) {
  for (const name of names) {
    const n = await start(name);
    starts[name].push(n.ms);
    await n.stop();
  }
}
const running = {};
try {
  for (const name of names) {
    const n = await start(name);
    running[name] = { ...n, token: await deployToken(n.url), rates: [], wsRates: [] };
    await callRate(n.url, running[name].token, 1, CONCURRENCY);
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of names) running[name].rates.push(await callRate(running[name].url, running[name].token, SECONDS, CONCURRENCY));
    for (const name of WS_NAMES) running[name].wsRates.push(await callRateWs(running[name].url, running[name].token, SECONDS, CONCURRENCY));
  }
} finally {
  for (const n of Object.values(running)) await n.stop();
}
console.log(`start-up: spawn → first eth_chainId answer, median of ${STARTS}; eth_call balanceOf over HTTP: ${CONCURRENCY} in flight, median of ${ROUNDS} rounds of ${SECONDS} s`);
for (const name of names) {
  const ws = WS_NAMES.includes(name) ? `${median(running[name].wsRates).toFixed(0).padStart(7)} req/s` : '      —';
  console.log(`${name.padEnd(9)} start ${median(starts[name]).toFixed(0).padStart(6)} ms   eth_call HTTP ${median(running[name].rates).toFixed(0).padStart(7)} req/s   WebSocket ${ws}`);
}
const ratio = (a, b) => (a / b).toFixed(2);
console.log(
  `zkos/anvil: start-up ${ratio(median(starts.zkos), median(starts.anvil))}x the time, eth_call ${ratio(median(running.zkos.rates), median(running.anvil.rates))}x the rate over HTTP, ${ratio(median(running.zkos.wsRates), median(running.anvil.wsRates))}x over WebSocket`,
);
