// The fork fetcher in headless Chromium, on the page and in a module Web Worker: JSON-RPC batches
// to the real test node across origins, values equal to Node's, and an IndexedDB cache that makes
// a second fetcher (and the worker, sharing the page's database) start warm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createEngine, createForkFetcher } from '../dist/esm/node.js';
import { erc20TransferCalldata } from './fixtures/erc20.mjs';
import { serveStatic } from './helpers.mjs';
import { startNode } from './fork/node.mjs';
import { A, B, BALANCE_A, BALANCE_B, TOKEN, TRANSFER_KEYS, placeToken, word } from './fork/placed.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const plain = (value) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));

test('browser: the fork fetcher on the page and in a Web Worker, with an IndexedDB cache; a forked engine on the page', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` }, async () => {
  const node = await startNode();
  const server = await serveStatic();
  const profile = mkdtempSync(join(tmpdir(), 'zkos-prof-'));
  let context;
  try {
    await placeToken(node, 2);
    const keys = [...TRANSFER_KEYS, { kind: 'blockHash', number: 0 }];
    const input = { url: node.url, blockNumber: 2, keys, dbName: 'zkos-fork-test' };
    const expected = plain(await (await createForkFetcher({ url: node.url, blockNumber: 2 })).fetch(keys));
    assert.deepEqual([expected[3].value, expected[4].value], [word(BALANCE_A), word(BALANCE_B)]);

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

    // A forked engine on the page answers as one in Node: the balance, the estimate, the round trips.
    const call = { to: TOKEN, data: '0x70a08231' + A.slice(2).padStart(64, '0') };
    const transfer = { from: A, to: TOKEN, data: erc20TransferCalldata(B, 5n) };
    const modexp = { to: '0x0000000000000000000000000000000000000005', data: '0x' + [1n, 1n, 1n].map((n) => word(n).slice(2)).join('') + '030507' };
    const engine = await page.evaluate(async (i) => (await import('/test/browser/fork-scenario.js')).forkEngineRun(i), { url: node.url, blockNumber: 2, call, transfer, modexp });
    const inNode = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: node.url }, blockNumber: 2 });
    assert.equal(engine.forkBlock, '2');
    assert.equal(engine.returnData, word(BALANCE_A));
    assert.equal(engine.returnData, (await inNode.call(call)).returnData);
    assert.equal(BigInt(engine.gasLimit), (await inNode.estimateGas(transfer)).gasLimit);
    // The call: its accounts, then A's slot; the estimate: the sender, then B's slot.
    assert.ok(engine.cold >= 2 && engine.cold <= 4, `cold: ${engine.cold} round trips`);
    assert.equal(engine.warm, 0);
    // The fetchers on the page loaded the curve module to verify the node's proofs (it holds
    // core's checks), so a local engine's synchronous modexp answers too (3^5 mod 7).
    assert.equal(engine.refused, undefined);
    assert.equal(engine.modexp, '0x05');
    inNode.free();
    assert.deepEqual(errors, []);
  } finally {
    await context?.close();
    await server.close();
    await node.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
