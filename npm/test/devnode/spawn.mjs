// Starts `zkos node` as a child process on a free port and stops it; with anvil beside it for
// the tests that compare the two.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ROOT } from '../helpers.mjs';
import { startNode as startAnvil } from '../fork/node.mjs';

/** Starts `zkos node --port 0 ...args`; resolves with { url, banner, child, stop } once it listens. */
export function startNode(args = []) {
  const child = spawn(process.execPath, [join(ROOT, 'dist/esm/cli.js'), 'node', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let banner = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zkos node did not start in time:\n${banner}\n${stderr}`));
    }, 30_000);
    const early = (code) => {
      clearTimeout(timer);
      reject(new Error(`zkos node exited with ${code}:\n${banner}\n${stderr}`));
    };
    child.once('exit', early);
    child.stdout.on('data', (d) => {
      banner += d;
      const m = /Listening on (http:\/\/\S+)/.exec(banner);
      if (m === null) return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        url: m[1],
        banner,
        child,
        /** Stops the node (SIGTERM) and waits for it to exit; returns { code, signal }. */
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** One raw JSON-RPC POST: resolves with { status, body } (body parsed when it is JSON). */
export async function post(url, text, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
  const raw = await res.text();
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    body = raw;
  }
  return { status: res.status, headers: res.headers, body };
}

/** A JSON-RPC call; resolves with the reply object. */
export async function rpc(url, method, params = []) {
  return (await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))).body;
}

/**
 * Starts a real anvil and `zkos node` before the file's tests (node:test `before`) and stops both
 * after them; returns `{ anvil, zkos }`, filled once both listen. `anvil` takes the options of
 * `fork/node.mjs`'s `startNode`, `zkos` the CLI arguments; `setup(anvil, zkos)` runs once both
 * listen (before the tests).
 */
export function anvilAndZkos({ anvil = {}, zkos = [], setup } = {}) {
  const nodes = { anvil: undefined, zkos: undefined };
  before(async () => {
    [nodes.anvil, nodes.zkos] = await Promise.all([startAnvil(anvil), startNode(zkos)]);
    await setup?.(nodes.anvil, nodes.zkos);
  });
  after(async () => {
    await Promise.all([nodes.anvil?.stop(), nodes.zkos?.stop()]);
  });
  return nodes;
}
