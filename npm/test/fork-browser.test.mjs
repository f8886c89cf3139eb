// The fork fetcher in headless Chromium, on the page and in a module Web Worker: JSON-RPC batches
// to the real test node across origins, values equal to Node's, and an IndexedDB cache that makes
// a second fetcher (and the worker, sharing the page's database) start warm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createForkFetcher } from '../dist/esm/node.js';
import { ERC20_RUNTIME, erc20BalanceSlot } from './fixtures/erc20.mjs';
import { serveStatic } from './helpers.mjs';
import { startNode } from './fork/node.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const A = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const B = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const TOKEN = '0x100000000000000000000000000000000000e20c';
const word = (n) => '0x' + BigInt(n).toString(16).padStart(64, '0');
const plain = (value) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));

test('browser: the fork fetcher on the page and in a Web Worker, with an IndexedDB cache', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` }, async () => {
  const node = await startNode();
  const server = await serveStatic();
  const profile = mkdtempSync(join(tmpdir(), 'zkos-prof-'));
  let context;
  try {
    await node.rpc('anvil_setCode', [TOKEN, ERC20_RUNTIME]);
    await node.rpc('anvil_setStorageAt', [TOKEN, erc20BalanceSlot(A), word(900)]);
    await node.rpc('anvil_mine', ['0x2']);
    const keys = [
      { kind: 'account', address: A },
      { kind: 'account', address: B },
      { kind: 'account', address: TOKEN },
      { kind: 'storage', address: TOKEN, slot: erc20BalanceSlot(A) },
      { kind: 'storage', address: TOKEN, slot: erc20BalanceSlot(B) },
      { kind: 'blockHash', number: 0 },
    ];
    const input = { url: node.url, blockNumber: 2, keys, dbName: 'zkos-fork-test' };
    const expected = plain(await (await createForkFetcher({ url: node.url, blockNumber: 2 })).fetch(keys));
    assert.equal(expected[3].value, word(900));

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/test/browser/index.html`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 20000 });

    const inPage = await page.evaluate(async (i) => (await import('/test/browser/fork-scenario.js')).forkRun(i), input);
    assert.equal(inPage.hasProcess, false);
    assert.deepEqual(inPage.values, expected);
    assert.deepEqual(inPage.again, expected);
    assert.deepEqual([inPage.firstStats.roundTrips, inPage.firstStats.keysFetched, inPage.firstStats.cacheErrors], [1, 6, 0]);
    assert.deepEqual([inPage.secondStats.roundTrips, inPage.secondStats.keysFromCache], [0, 6]);

    // The worker opens the page's database: warm from its first fetcher on.
    const inWorker = await page.evaluate(
      (i) =>
        new Promise((resolve, reject) => {
          const worker = new Worker('/test/browser/fork-worker.js', { type: 'module' });
          worker.onmessage = (e) => {
            worker.terminate();
            e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result);
          };
          worker.onerror = (e) => {
            worker.terminate();
            reject(new Error(e.message));
          };
          worker.postMessage(i);
        }),
      input,
    );
    assert.deepEqual(inWorker.values, expected);
    assert.deepEqual([inWorker.firstStats.roundTrips, inWorker.firstStats.keysFromCache], [0, 6]);
    assert.deepEqual(errors, []);
  } finally {
    await context?.close();
    await server.close();
    await node.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
