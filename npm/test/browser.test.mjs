// Loads the browser build in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core) and runs a block on the page's main thread and in a module Web Worker; both
// must give the same results as Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { privateKeyToAccount } from 'viem/accounts';
import { createEngine, createProvider } from '../dist/esm/node.js';
import { runScenario } from './browser/scenario.js';
import { KEY_A, serveStatic } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function scenario() {
  const sender = privateKeyToAccount(KEY_A);
  const to = '0x100000000000000000000000000000000000beef';
  const raw = await sender.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, to, value: 12345n, gas: 100000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  return { chain: { chainId: 270 }, preState: { [sender.address]: { balance: (10n ** 20n).toString() } }, transactions: [raw], watch: to };
}

/** A block whose transaction calls the bn254 addition (0x06): G + G, which needs the curve module. */
async function curveScenario() {
  const sender = privateKeyToAccount(KEY_A);
  const word = (n) => n.toString(16).padStart(64, '0');
  const data = '0x' + word(1n) + word(2n) + word(1n) + word(2n);
  const to = '0x0000000000000000000000000000000000000006';
  const raw = await sender.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, to, data, gas: 100000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  return { chain: { chainId: 270 }, preState: { [sender.address]: { balance: (10n ** 20n).toString() } }, transactions: [raw], watch: sender.address };
}

/** modexp (0x05) of 3^5 mod 7: base, exponent and modulus one byte each. */
const MODEXP_CALL = {
  to: '0x0000000000000000000000000000000000000005',
  data: '0x' + [1n, 1n, 1n].map((n) => n.toString(16).padStart(64, '0')).join('') + '030507',
};

test('browser: page and Web Worker run a block like Node', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` }, async () => {
  const input = await scenario();
  const expected = runScenario(await createEngine(input.chain), input);
  assert.equal(expected.balance, '12345');

  const server = await serveStatic();
  const profile = mkdtempSync(join(tmpdir(), 'zkos-prof-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}/test/browser/index.html`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 20000 });

    const inPage = await page.evaluate((i) => window.runInPage(i), input);
    assert.deepEqual({ ...inPage, hasProcess: undefined }, { ...expected, hasProcess: undefined });
    assert.equal(inPage.hasProcess, false, 'the page has no `process`');

    const inWorker = await page.evaluate((i) => window.runInWorker(i), input);
    assert.deepEqual({ ...inWorker, hasProcess: undefined }, { ...expected, hasProcess: undefined });
    assert.equal(inWorker.hasProcess, false, 'the worker has no `process`');

    // The curve module: the page refuses until loadCurves(), the worker loads it by itself.
    const curves = await curveScenario();
    const curvesExpected = runScenario(await createEngine(curves.chain), curves);
    assert.equal(curvesExpected.block.transactions[0].status, 'success');
    assert.equal(curvesExpected.block.transactions[0].returnData, '0x030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4');
    const curvesInPage = await page.evaluate((i) => window.runCurvesInPage(i), curves);
    const { refused, unchanged, ...curvesLoaded } = curvesInPage;
    assert.equal(refused?.code, 'CURVES_NOT_LOADED');
    assert.match(refused.message, /loadCurves/);
    assert.equal(unchanged, true, 'the refused block changed nothing');
    assert.deepEqual({ ...curvesLoaded, hasProcess: undefined }, { ...curvesExpected, hasProcess: undefined });
    const curvesInWorker = await page.evaluate((i) => window.runInWorker(i), curves);
    assert.deepEqual({ ...curvesInWorker, hasProcess: undefined }, { ...curvesExpected, hasProcess: undefined });

    // A fresh page (the curve module not loaded): the provider loads it by itself.
    const fresh = await context.newPage();
    fresh.on('pageerror', (e) => errors.push(String(e)));
    await fresh.goto(`${server.url}/test/browser/index.html`);
    await fresh.waitForFunction(() => window.ready === true, null, { timeout: 20000 });
    const viaProvider = await fresh.evaluate((c) => window.providerCurvesInPage(c), MODEXP_CALL);
    const node = createProvider(await createEngine({ chainId: 270 }));
    assert.deepEqual(viaProvider, {
      refused: 'CURVES_NOT_LOADED',
      result: await node.request({ method: 'eth_call', params: [MODEXP_CALL, 'latest'] }),
      gas: await node.request({ method: 'eth_estimateGas', params: [MODEXP_CALL, 'latest'] }),
    });
    assert.equal(viaProvider.result, '0x05', '3^5 mod 7');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
