// Headless-Chromium test of fork mode against a real node: anvil (from npm, started by the npm
// package's fork-test helper, shared rather than copied) mines the ERC-20 fixture's deployment
// and a transfer; the page replays the transfer by its hash through the node's JSON-RPC, across
// origins (anvil allows every origin unless --no-cors), and steps it with the usual views. The
// Ethereum flow's gas used must be the node's receipt's. Failures (an unknown hash, a pending
// transaction, a node that is down, one that refuses the page by CORS) must read as sentences
// naming the field to fix. Run after `vite build` (`npm test` does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { start, OUTPUT_DIR } from './browser.js';
import { startNode, freePort } from '../../npm/test/fork/node.mjs';
import { deployToken, AMOUNTS } from '../../npm/test/fork/scenario.mjs';
import { erc20BalanceSlot, erc20TransferCalldata } from '../../npm/test/fixtures/erc20.mjs';

const ENGINE = existsSync(new URL('../node_modules/zkos/dist/esm/browser.js', import.meta.url)) ? {} : { skip: 'the zkos npm package is not installed' };

let b, node, s;
const shot = (name) => b.page.screenshot({ path: new URL(`${name}.png`, OUTPUT_DIR).pathname, fullPage: true });
const idle = (timeout = 60_000) => b.page.waitForFunction(() => window.__playground?.idle, null, { timeout, polling: 50 });
/** Waits until the run ended and its view is shown, or an error is shown. */
const settled = () => b.page.waitForFunction(() => window.__playground?.idle || !document.getElementById('error').hidden, null, { timeout: 60_000, polling: 50 });
const errorText = async () => ((await b.page.isHidden('#error')) ? '' : b.page.textContent('#error'));
const pg = (f, arg) => b.page.evaluate(f, arg);

/** Clicks Run with the error banner cleared first, so the wait sees only this run's outcome. */
async function runForm() {
  await pg(() => { const e = document.getElementById('error'); e.hidden = true; e.textContent = ''; });
  await b.page.click('#run');
  await settled();
}

/** Replays `hash` of the node at `url` from the form (fork mode, the flow and hardfork already chosen). */
async function replay(url, hash) {
  await b.page.check('input[name=mode][value=fork]');
  await b.page.fill('#forkUrl', url);
  await b.page.fill('#forkTx', hash);
  await runForm();
}

before(async () => {
  if (ENGINE.skip) return;
  node = await startNode();
  // One second between blocks, as on a real chain (anvil's automine may give blocks one second).
  await node.rpc('anvil_setBlockTimestampInterval', [1]);
  s = await deployToken(node.url);
  b = await start();
  await b.page.goto(b.url);
  await idle();
  // anvil runs Cancun; the Ethereum flow is what the node's receipts are comparable with.
  await b.page.selectOption('#flow', 'ethereum');
  await idle();
  await b.page.selectOption('#hardfork', 'cancun');
  await idle();
});

after(async () => {
  await b?.close();
  await node?.stop();
});

test('anvil answers a cross-origin preflight for the page', ENGINE, async () => {
  const res = await fetch(node.url, { method: 'OPTIONS', headers: { origin: b.url.replace(/\/$/, ''), 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});

test('replays an ERC-20 transfer of the node by its hash: gas used as the receipt says, every view steps', ENGINE, async () => {
  const tx = s.tx['token.transfer'];
  const t0 = performance.now();
  await replay(node.url, tx.hash);
  console.log(`fork replay of the ERC-20 transfer: shown ${Math.round(performance.now() - t0)} ms after Run`);
  assert.equal(await errorText(), '');
  const run = await pg(() => {
    const st = window.__playground.state;
    let ergs = 0;
    for (let i = 0; i < st.store.length; i++) ergs += st.store.get('ergsCost', i);
    return { total: st.total, summary: st.summary, ergs, progress: document.getElementById('fork-progress').textContent, receipt: document.querySelector('#receipt table')?.dataset.total, receiptText: document.getElementById('receipt').textContent };
  });
  assert.equal(run.summary.status, 'success');
  assert.equal(BigInt(run.summary.gasUsed), tx.gasUsed);
  assert.equal(BigInt(run.summary.chainGasUsed), tx.gasUsed);
  assert.equal(run.summary.chainStatus, 'success');
  assert.match(run.summary.replayed, new RegExp(`^transaction 0 of block ${tx.blockNumber} \\(chain 31337\\), on the state after block ${tx.blockNumber - 1n}$`));
  // The steps' own gas adds up to gas used (refund included), and so does the receipt panel.
  assert.equal(BigInt(run.ergs / 256), tx.gasUsed);
  assert.equal(BigInt(run.receipt ?? -1), tx.gasUsed, run.receiptText);
  assert.match(run.progress, /^Replayed: \d+ requests to the node · fetched [1-9]\d* accounts, [1-9]\d* storage slots/);
  assert.ok(run.total > 100, `${run.total} steps`);
  await shot('fork');

  // Step by step from the start: the frames, stack and memory of the token's code.
  await pg(() => window.__playground.goTo(0));
  await idle();
  await b.page.fill('#step-count', '3');
  for (let i = 0; i < 3; i++) { await b.page.click('#step'); await idle(); }
  const early = await pg(() => ({ p: window.__playground.state.position, d: window.__playground.state.detail }));
  assert.equal(early.p, 9);
  assert.equal(early.d.frames.length, 1);
  assert.equal(early.d.frames[0].callee, s.token);
  assert.ok(early.d.stack.length > 0 && early.d.memory.length > 2);
  assert.match(await b.page.textContent('#code-view li.current'), /^\s*[0-9a-f]+\s+[A-Z]/);

  // To the SSTOREs: the recipient's balance slot holds the amount once its SSTORE ran.
  await b.page.fill('#bp-text', 'op:SSTORE');
  await b.page.click('#bp-add');
  const slot = erc20BalanceSlot(s.b);
  const amount = '0x' + AMOUNTS.tokenTransfer.toString(16);
  let written = false;
  for (let i = 0; i < 2 && !written; i++) {
    await b.page.click('#continue');
    await idle();
    assert.match(await b.page.textContent('#code-view li.current'), /SSTORE/);
    await b.page.click('#step');
    await idle();
    const storage = await pg(() => window.__playground.state.detail.storage);
    written = storage.some((x) => BigInt(x.key) === BigInt(slot) && BigInt(x.value) === BigInt(amount));
  }
  assert.ok(written, 'the recipient\'s balance slot was written');
  await b.page.click('#bp-list button');

  // On to the end by steps: the transaction's refund, then the block finish.
  await b.page.fill('#step-count', '25');
  for (let i = 0; i < 20 && (await pg(() => window.__playground.state.position < window.__playground.state.total)); i++) {
    await b.page.click('#step');
    await idle();
  }
  const end = await pg(() => ({ p: window.__playground.state.position, total: window.__playground.state.total, text: document.getElementById('position').textContent }));
  assert.equal(end.p, end.total);
  assert.match(end.text, /finished/);
  await b.page.fill('#step-count', '1');
  // Stepping back goes through a second session on the same replay (no new fetch needed).
  await b.page.click('#back');
  await idle();
  assert.equal(await pg(() => window.__playground.state.position), end.total - 1);
  assert.deepEqual(b.consoleErrors, []);
});

/** An HTTP server handing every request on to `target` as it came, counting them (`seen`). */
async function countingProxy(target) {
  const proxy = { seen: 0 };
  proxy.server = createServer((req, res) => {
    proxy.seen++;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = req.method === 'POST' ? Buffer.concat(chunks) : undefined;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)));
      const answer = await fetch(target, { method: req.method, headers, body });
      res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${proxy.server.address().port}`;
  return proxy;
}

// Before: opening a fork-mode link connected at once to the URL it names, so a link could make
// any reader's browser send requests wherever its author chose. Now the page shows the URL and
// contacts it only when asked to.
test('the link of a replay names its node and connects only when asked; then it replays it again; the ZKsync OS flow replays it under its own rules', ENGINE, async () => {
  const tx = s.tx['token.transfer'];
  const proxy = await countingProxy(node.url);
  try {
    await replay(proxy.url, tx.hash);
    assert.equal(await errorText(), '');
    assert.ok(proxy.seen > 0, 'the replay went through the proxy');
    const url = await pg(() => location.href);
    assert.match(url, /#s=\d+&in=/);
    await b.page.goto('about:blank');
    proxy.seen = 0;
    await b.page.goto(url);
    await b.page.waitForSelector('#fork-confirm', { state: 'visible' });
    assert.equal(await b.page.textContent('#fork-confirm-url'), proxy.url);
    assert.equal(await b.page.isChecked('input[name=mode][value=fork]'), true);
    assert.equal(await b.page.inputValue('#forkUrl'), proxy.url);
    assert.equal(await pg(() => window.__playground.state.request ?? null), null, 'no run started');
    assert.equal(proxy.seen, 0, 'nothing sent to the node the link names');
    await b.page.click('#fork-connect');
    await idle();
    assert.equal(await b.page.isHidden('#fork-confirm'), true);
    assert.ok(proxy.seen > 0);
    assert.equal(BigInt(await pg(() => window.__playground.state.summary.gasUsed)), tx.gasUsed);
  } finally {
    proxy.server.close();
  }
  await replay(node.url, tx.hash);
  assert.equal(await errorText(), '');

  await b.page.selectOption('#flow', 'zk');
  await settled();
  assert.equal(await errorText(), '');
  const zk = await pg(() => ({ summary: window.__playground.state.summary, meter: !!document.querySelector('#receipt meter'), receipt: document.querySelector('#receipt table')?.dataset.total }));
  assert.equal(zk.summary.status, 'success');
  assert.ok(zk.summary.nativeUsed > 0);
  assert.ok(zk.meter, 'the native gauge');
  assert.equal(Number(zk.receipt), zk.summary.gasUsed);
  await b.page.selectOption('#flow', 'ethereum');
  await settled();
  await b.page.selectOption('#hardfork', 'cancun');
  await settled();
});

test('a transaction after others in its block: they run first, and its own steps, receipt and gas are its', ENGINE, async () => {
  await node.rpc('evm_setAutomine', [false]);
  let hashes;
  try {
    hashes = [
      await node.rpc('eth_sendTransaction', [{ from: s.a, to: s.token, data: erc20TransferCalldata(s.b, 7n) }]),
      await node.rpc('eth_sendTransaction', [{ from: s.b, to: s.token, data: erc20TransferCalldata(s.a, 3n) }]),
    ];
  } finally {
    await node.rpc('evm_mine', []);
    await node.rpc('evm_setAutomine', [true]);
  }
  const receipt = await node.rpc('eth_getTransactionReceipt', [hashes[1]]);
  assert.equal(Number(receipt.transactionIndex), 1);
  await replay(node.url, hashes[1]);
  assert.equal(await errorText(), '');
  const run = await pg(() => {
    const st = window.__playground.state;
    let ergs = 0;
    const txs = new Set();
    for (let i = 0; i < st.store.length; i++) { ergs += st.store.get('ergsCost', i); txs.add(st.store.get('tx', i)); }
    return { summary: st.summary, ergs, txs: [...txs], receipt: document.querySelector('#receipt table')?.dataset.total };
  });
  assert.match(run.summary.replayed, new RegExp(`^transaction 1 of block ${Number(receipt.blockNumber)} `));
  assert.equal(run.summary.status, 'success');
  assert.equal(BigInt(run.summary.gasUsed), BigInt(receipt.gasUsed));
  assert.equal(BigInt(run.ergs / 256), BigInt(receipt.gasUsed));
  assert.equal(BigInt(run.receipt ?? -1), BigInt(receipt.gasUsed));
  // Only the replayed transaction is recorded, then the block finish (numbered after the last
  // transaction); at the end the receipt is still the replayed transaction's.
  assert.deepEqual(run.txs, [1, 2]);
  await pg(() => window.__playground.goTo(window.__playground.state.total));
  await idle();
  assert.equal(BigInt(await b.page.getAttribute('#receipt table', 'data-total')), BigInt(receipt.gasUsed));
});

test('failures read as sentences naming the field: unknown hash, pending, node down, CORS refused', ENGINE, async () => {
  const invalid = (id) => b.page.getAttribute(`#${id}`, 'aria-invalid');
  await replay(node.url, '0x' + '12'.repeat(32));
  assert.match(await errorText(), /^The node at http:\/\/127\.0\.0\.1:\d+ knows no transaction 0x12121212…12121212\. Check the hash/);
  assert.equal(await invalid('forkTx'), 'true');

  await b.page.fill('#forkTx', '0x1234');
  await runForm();
  assert.match(await errorText(), /^Transaction hash: "0x1234" is not a transaction hash/);
  await replay('localhost:8545', s.tx['token.transfer'].hash);
  assert.match(await errorText(), /^RPC URL: "localhost:8545" is not an http:\/\/ or https:\/\/ URL/);
  assert.equal(await invalid('forkUrl'), 'true');

  await node.rpc('evm_setAutomine', [false]);
  try {
    const hash = await node.rpc('eth_sendTransaction', [{ from: s.a, to: s.token, data: erc20TransferCalldata(s.b, 1n) }]);
    await replay(node.url, hash);
    assert.match(await errorText(), /is still pending: it is in no block yet/);
    assert.equal(await invalid('forkTx'), 'true');
  } finally {
    await node.rpc('evm_mine', []);
    await node.rpc('evm_setAutomine', [true]);
  }

  await replay(`http://127.0.0.1:${await freePort()}`, s.tx['token.transfer'].hash);
  assert.match(await errorText(), /^Nothing answers at http:\/\/127\.0\.0\.1:\d+: the node is down/);
  assert.equal(await invalid('forkUrl'), 'true');

  const closed = await startNode({ extraArgs: ['--no-cors'] });
  try {
    await replay(closed.url, s.tx['token.transfer'].hash);
    assert.match(await errorText(), /answers, but refuses requests from this page \(CORS\)/);
    // No views of the run before: no steps, no receipt; the progress line says where it stopped.
    assert.match(await b.page.textContent('#position'), /^step 0 \/ 0/);
    assert.equal(await b.page.textContent('#receipt'), '');
    assert.match(await b.page.textContent('#fork-progress'), /^Stopped: \d+ requests? to the node/);
  } finally {
    await closed.stop();
  }
  await shot('fork-error');
});
