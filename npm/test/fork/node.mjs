// A real Ethereum node for the fork tests: anvil (Foundry), from the npm registry's platform
// package (@foundry-rs/anvil-<os>-<arch>, a devDependency's optional dependency). Started on
// 127.0.0.1 at a free port, awaited until it answers JSON-RPC, stopped always.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

const require = createRequire(import.meta.url);
/** npm package suffix of anvil's binary per Node platform-arch. */
const PLATFORM_PACKAGES = { 'linux-x64': 'linux-amd64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-amd64', 'darwin-arm64': 'darwin-arm64', 'win32-x64': 'win32-amd64' };
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const POLL_MS = 25;

/** Path of the anvil binary installed by npm for this platform. */
export function anvilBinary() {
  const suffix = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (suffix === undefined) throw new Error(`anvil: no npm binary package for ${process.platform}-${process.arch}`);
  return require.resolve(`@foundry-rs/anvil-${suffix}/bin/anvil${process.platform === 'win32' ? '.exe' : ''}`);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One JSON-RPC call over HTTP; throws on a JSON-RPC error. */
export async function rpc(url, method, params = []) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await res.json();
  if (body.error) throw Object.assign(new Error(`${method}: ${body.error.message}`), { code: body.error.code });
  return body.result;
}

/**
 * Starts anvil (Cancun rules, chain id 31337 unless given, automine; `extraArgs` added to its
 * command line, e.g. `--no-cors`) and waits until it answers. Returns { url, port, pid,
 * rpc(method, params), stop() }; `stop` is idempotent. Shared with the playground's browser tests.
 */
export async function startNode({ chainId = 31337, hardfork = 'cancun', port, extraArgs = [] } = {}) {
  const listenPort = port ?? (await freePort());
  const url = `http://127.0.0.1:${listenPort}`;
  const args = ['--host', '127.0.0.1', '--port', String(listenPort), '--chain-id', String(chainId), '--hardfork', hardfork, '--silent', ...extraArgs];
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 4096) stderr += d;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let alive = true;
  exited.then(() => {
    alive = false;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!alive) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!alive) throw new Error(`anvil exited before answering: ${JSON.stringify(await exited)} ${stderr}`);
    try {
      await rpc(url, 'eth_chainId');
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`anvil did not answer on ${url} within ${START_TIMEOUT_MS} ms: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  return { url, port: listenPort, pid: child.pid, rpc: (method, params) => rpc(url, method, params), stop };
}
