// Starts `zkos node` as a child process on a free port and stops it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.mjs';

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
