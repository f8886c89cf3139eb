// Headless-Chromium tests of what the playground teaches and of its reach: Solidity stepping by
// source line with the per-line heatmap, the cost ledger and receipt, the comparable charts,
// the explanations in place, every screen width, keyboard use and an axe-core check. Run after
// `vite build` (`npm test` does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { start, OUTPUT_DIR } from './browser.js';
import { decodeHash } from '../src/input.js';

const ENGINE = existsSync(new URL('../node_modules/zkos/dist/esm/browser.js', import.meta.url)) ? {} : { skip: 'the zkos npm package is not installed' };
/** The screen sizes the page must fit without sideways scrolling: a phone, two laptops. */
const SCREENS = [[390, 844], [1280, 800], [1440, 900]];

let b;
const shot = (name, page = b.page) => page.screenshot({ path: new URL(`${name}.png`, OUTPUT_DIR).pathname, fullPage: true });
const idle = (page = b.page, timeout = 60_000) => page.waitForFunction(() => window.__playground?.idle, null, { timeout, polling: 50 });
const position = () => b.page.evaluate(() => window.__playground.state.position);
const goTo = async (p) => { await b.page.evaluate((x) => window.__playground.goTo(x), p); await idle(); };
const click = async (selector) => { await b.page.click(selector); await idle(); };
const load = async (id) => { await b.page.selectOption('#example', id); await idle(); };

before(async () => {
  b = await start();
  await b.page.goto(b.url);
});

after(async () => {
  await b?.close();
});

test('the ERC-20 example opens in Solidity mode, compiled in the page, and steps by source line', ENGINE, async () => {
  await idle();
  assert.equal(await b.page.isChecked('input[name=mode][value=solidity]'), true);
  const status = await b.page.textContent('#solc-status');
  assert.match(status, /^solc 0\.8\.\d+ · loaded in [\d.]+ m?s · compiled in [\d.]+ m?s/);
  console.log('ERC-20 compile:', status);
  assert.equal(await b.page.isVisible('#source-panel'), true);
  const source = (await b.page.inputValue('#source')).split('\n');
  const lineOf = (text) => source.findIndex((l) => l.trim() === text);
  // Step into from the start: the first step with a source line, which is highlighted.
  await goTo(0);
  await click('#line-into');
  const lines = [];
  const current = () => b.page.evaluate(() => {
    const s = window.__playground.state;
    return { p: s.position, line: s.lines.line[s.position] ?? -1, marked: Number(document.querySelector('#source-view tr.current')?.dataset.line ?? -1) };
  });
  let c = await current();
  assert.ok(c.line >= 0);
  // Step over to the end of execution: every stop is on a line other than the last stop's (or
  // ends execution), and the highlighted row is the stop's line.
  for (let i = 0; i < 60 && c.line >= 0; i++) {
    assert.equal(c.marked, c.line, `step ${c.p}`);
    lines.push(c.line);
    await click('#line-over');
    const next = await current();
    assert.ok(next.p > c.p);
    assert.ok(next.line !== c.line || next.line < 0, `stayed on line ${c.line + 1}`);
    c = next;
  }
  assert.match(await b.page.textContent('#position'), /pubdata · bootloader/);
  // transfer's body, in order, with its two storage writes and the event.
  const body = ['uint256 balance = balanceOf[msg.sender];', 'balanceOf[msg.sender] = balance - amount;', 'balanceOf[to] += amount;', 'emit Transfer(msg.sender, to, amount);', 'return true;'].map(lineOf);
  assert.ok(body.every((l) => l >= 0));
  const order = body.map((l) => lines.indexOf(l));
  assert.ok(order.every((k, i) => k >= 0 && (i === 0 || k > order[i - 1])), `lines visited: ${lines.map((l) => l + 1).join(' ')}`);
  // Out of transfer from its first body line lands after the function has returned.
  await goTo(0);
  const first = await b.page.evaluate((l) => window.__playground.state.lines.line.indexOf(l), body[0]);
  await goTo(first);
  await click('#line-out');
  const out = await current();
  assert.ok(out.p > first && !body.includes(out.line), `out landed on line ${out.line + 1}`);
  // Keyboard: F11 steps into.
  await goTo(first);
  await b.page.focus('#step');
  await b.page.keyboard.press('F11');
  await idle();
  assert.ok((await position()) > first);
  await shot('solidity');
});

test('the heatmap adds up to the transaction\'s gas and native', ENGINE, async () => {
  const r = await b.page.evaluate(() => {
    const rows = (sel) => [...document.querySelectorAll(sel)].map((tr) => [Number(tr.dataset.ergs), Number(tr.dataset.native)]);
    const sum = (xs) => xs.reduce((a, [e, n]) => [a[0] + e, a[1] + n], [0, 0]);
    const total = document.querySelector('#source-view tfoot tr.total').dataset;
    return {
      lines: sum(rows('#source-view tbody:not(.heat-extra) tr[data-ergs]')), extra: sum(rows('#source-view tbody.heat-extra tr')),
      lineCount: document.querySelectorAll('#source-view tbody:not(.heat-extra) tr[data-ergs]').length,
      total: [Number(total.ergs), Number(total.native)], summary: window.__playground.state.summary,
    };
  });
  assert.ok(r.lineCount >= 8, `${r.lineCount} lines with a cost`);
  assert.deepEqual([r.lines[0] + r.extra[0], r.lines[1] + r.extra[1]], r.total);
  // The whole transaction: gas used (× 256 ergs) and native used, from the engine's receipt.
  assert.deepEqual(r.total, [r.summary.gasUsed * 256, r.summary.nativeUsed]);
});

test('the ledger: each step\'s cost against the rate paid, a receipt that adds up, the native gauge', ENGINE, async () => {
  const sstore = await b.page.evaluate(() => window.__playground.state.store.find(0, (c, k) => c.op[k] === 0x55));
  await goTo(sstore);
  const cost = await b.page.textContent('#step-cost');
  const m = cost.match(/Next step \(\d+\) SSTORE: ([\d,]+) gas \(([\d,]+) ergs\) · ([\d,]+) native = ([\d.]+) native per gas; you pay 100 per gas/);
  assert.ok(m, cost);
  const [gas, ergs, native, ratio] = m.slice(1).map((x) => Number(x.replaceAll(',', '')));
  const step = await b.page.evaluate((p) => window.__playground.state.store.step(p), sstore);
  assert.deepEqual([gas * 256, ergs, native], [step.ergsCost, step.ergsCost, step.nativeCost]);
  assert.equal(ratio, Math.round((10 * native) / gas) / 10);
  // The opcode's rules are one click away.
  assert.match(cost, /About SSTORE/);
  for (const id of ['erc20', 'keccak-loop']) {
    await load(id);
    const r = await b.page.evaluate(() => {
      const t = document.querySelector('#receipt table.breakdown');
      const meter = document.querySelector('#receipt meter');
      return {
        rows: Object.fromEntries([...t.querySelectorAll('tr[data-gas]')].map((tr) => [tr.querySelector('th').textContent.replace(/\s*\?$/, ''), Number(tr.dataset.gas)])),
        total: Number(t.dataset.total), meter: [Number(meter.value), Number(meter.max)], summary: window.__playground.state.summary,
        budget: window.__playground.state.txInfo[0].budget, gas: window.__playground.state.txInfo[0].gas,
      };
    });
    const sum = Object.values(r.rows).reduce((a, x) => a + x, 0);
    assert.equal(sum, r.summary.gasUsed, `${id}: ${JSON.stringify(r.rows)}`);
    assert.equal(r.total, r.summary.gasUsed);
    assert.deepEqual(r.meter, [r.summary.nativeUsed, Number(r.budget.limit)]);
    // The limit is the gas limit × native per gas (1,000,000 × 100).
    assert.equal(Number(r.budget.limit), 1_000_000 * 100);
    if (id === 'keccak-loop') {
      // Native used is worth more gas than the opcodes charged: deltaGas covers the difference,
      // and gas used is native used ÷ 100 rounded up (114,883 gas against 57,165 on Ethereum).
      assert.ok(r.rows.deltaGas > 0, JSON.stringify(r.rows));
      assert.ok(Math.abs(r.summary.gasUsed - r.summary.nativeUsed / 100) < 1, `${r.summary.gasUsed} gas, ${r.summary.nativeUsed} native`);
      // The timeline marks where native overtakes gas, and the mark goes there.
      const mark = await b.page.$('#timeline-marks .mark.overtake');
      assert.ok(mark, 'an overtake mark');
      await mark.click();
      await idle();
      const p = await position();
      const crossed = await b.page.evaluate((at) => {
        const s = window.__playground.state.store;
        let g = 0, n = 0;
        for (let i = 0; i <= at; i++) { g += s.get('ergsCost', i) / 256; n += s.get('nativeCost', i) / 100; }
        let gb = 0, nb = 0;
        for (let i = 1; i < at; i++) { gb += s.get('ergsCost', i) / 256; nb += s.get('nativeCost', i) / 100; }
        return { after: n > g, before: nb + s.get('nativeCost', 0) / 100 <= gb };
      }, p);
      assert.deepEqual(crossed, { after: true, before: true });
      await b.page.locator('#receipt-panel').screenshot({ path: new URL('receipt-keccak.png', OUTPUT_DIR).pathname });
    } else {
      assert.equal(r.rows.deltaGas, 0);
    }
  }
});

test('charts compare native as gas with gas from zero, with a cursor and labelled spikes', ENGINE, async () => {
  await load('erc20');
  await goTo(40);
  const r = await b.page.evaluate(() => {
    const { steps, cumulative, opcodes } = window.__playground.charts;
    return {
      cursors: [steps.$overlay.cursor, cumulative.$overlay.cursor],
      marks: steps.$overlay.marks.map((m) => m.text),
      mins: [steps.scales.y.min, cumulative.scales.y.min, opcodes.scales.y.min],
      fill: cumulative.data.datasets[1].fill,
      text: ['steps', 'cumulative', 'opcodes'].map((k) => document.getElementById(`chart-${k}-text`).textContent),
      described: [...document.querySelectorAll('#chart-pane canvas')].map((c) => document.getElementById(c.getAttribute('aria-describedby'))?.textContent.length ?? 0),
      rows: [...document.querySelectorAll('#op-table tr')].map((tr) => tr.textContent),
      pubdataBytes: window.__playground.state.summary.pubdataBytes,
    };
  });
  assert.deepEqual(r.cursors, [40, 40]);
  assert.deepEqual(r.mins, [0, 0, 0]);
  assert.equal(r.fill.target, 0);
  assert.ok(r.marks.some((t) => /^fee charge: intrinsic [\d,]+ gas$/.test(t)), r.marks.join(' | '));
  // The pubdata step pays the transaction's pubdata in native: 100 native per byte here.
  assert.ok(r.marks.includes(`pubdata: ${(r.pubdataBytes * 100).toLocaleString('en-US')} native`), r.marks.join(' | '));
  assert.ok(r.marks.some((t) => /^refund/.test(t)), r.marks.join(' | '));
  assert.ok(r.described.every((n) => n > 40), 'every chart has a text alternative');
  assert.match(r.text[1], /Cumulative: gas ends at 51,121/);
  // Opcodes that charge no gas (STOP, RETURN) are never flagged as proving more than they pay.
  const free = r.rows.filter((t) => /^(STOP|RETURN)/.test(t));
  assert.ok(free.length > 0);
  for (const row of free) assert.match(row, /no gas charged$/, row);
  assert.doesNotMatch(r.text[2], /Prove more than they pay: .*\b(STOP|RETURN)\b/);
  await b.page.locator('#chart-pane').screenshot({ path: new URL('charts.png', OUTPUT_DIR).pathname });
});

test('explained in place: opcode cards, "?" pop-ups, words in full, the tour', ENGINE, async () => {
  const sstore = await b.page.evaluate(() => window.__playground.state.store.find(0, (c, k) => c.op[k] === 0x55));
  await goTo(sstore);
  await b.page.hover('#code-view li.current');
  const card = await b.page.textContent('#opcode-card');
  assert.match(card, /^SSTORE/);
  assert.match(card, /Stack: pops key, value; pushes nothing/);
  // The card explains the selected protocol version: version 2 by default.
  assert.match(card, /Native \(v2\): [\d,]+ native/);
  // The summary names the version that charged the run.
  assert.match(await b.page.textContent('#summary'), /protocolVersion\s*v2/);
  // Every term of the glossary opens a pop-up.
  const terms = await b.page.$$eval('.terms [data-term] > button.q', (bs) => bs.map((x) => x.id));
  assert.ok(terms.length >= 8);
  for (const id of terms) {
    await b.page.click(`#${id}`);
    const target = await b.page.getAttribute(`#${id}`, 'popovertarget');
    assert.equal(await b.page.evaluate((t) => document.getElementById(t).matches(':popover-open'), target), true, id);
    await b.page.keyboard.press('Escape');
  }
  // Words: compact, in full, in decimal.
  const stack = () => b.page.$$eval('#stack li', (ls) => ls.map((l) => l.textContent));
  const compact = await stack();
  await b.page.check('#words-full');
  const full = await stack();
  assert.ok(full.every((w) => /^0x[0-9a-f]{64}$/.test(w)), full.join(' '));
  await b.page.check('input[name=radix][value=dec]');
  const dec = await stack();
  assert.deepEqual(dec, full.map((w) => BigInt(w).toString(10)));
  await b.page.check('input[name=radix][value=hex]');
  await b.page.uncheck('#words-full');
  assert.deepEqual(await stack(), compact);
  // The tour walks the ERC-20 example and says the run's own figures.
  await b.page.click('#tour-start');
  await b.page.waitForSelector('#tour:not([hidden])');
  const seen = [];
  for (let i = 0; i < 10; i++) {
    await idle();
    seen.push([await b.page.textContent('#tour-title'), await b.page.textContent('#tour-text')]);
    if ((await b.page.textContent('#tour-next')) === 'Done') break;
    await b.page.click('#tour-next');
  }
  const gasUsed = await b.page.evaluate(() => window.__playground.state.summary.gasUsed.toLocaleString('en-US'));
  assert.ok(seen.length >= 5);
  assert.match(seen.at(-1)[1], new RegExp(`Gas used ${gasUsed}`));
  await shot('tour');
  await b.page.click('#tour-next');
  assert.equal(await b.page.isHidden('#tour'), true);
});

test('plain-language errors name the field to fix', ENGINE, async () => {
  await load('erc20-bytecode');
  await b.page.fill('#gasLimit', '21000');
  await b.page.click('#run');
  await b.page.waitForFunction(() => !document.getElementById('error').hidden);
  const error = await b.page.textContent('#error');
  assert.match(error, /^The gas limit \(21,000\) does not cover the transaction's intrinsic gas \([\d,]+/);
  assert.doesNotMatch(error, /IntrinsicGasTooLow|\{/);
  assert.equal(await b.page.getAttribute('#gasLimit', 'aria-invalid'), 'true');
  await load('erc20');
  const source = await b.page.inputValue('#source');
  await b.page.fill('#source', source.replace('uint256 balance = balanceOf[msg.sender];', 'uint256 balance = balanceOf[msg.sender]'));
  await b.page.click('#run');
  await b.page.waitForFunction(() => /Line \d+/.test(document.getElementById('error').textContent));
  // solc reports the missing ';' at the next token, on line 18.
  assert.match(await b.page.textContent('#error'), /^The contract does not compile\. Line 18, column \d+: Expected ';' but got identifier \(syntax error\)\./);
  assert.equal(await b.page.getAttribute('#source', 'aria-invalid'), 'true');
  await shot('compile-error');
  await load('erc20');
  assert.equal(await b.page.isHidden('#error'), true);
});

test('links carry edits, breakpoints and the step; Reset keeps custom code', ENGINE, async () => {
  await load('keccak-loop');
  const code = 'PUSH1 2 PUSH1 3 ADD PUSH0 SSTORE STOP';
  await b.page.fill('#code', code);
  // Before Run, the link already carries the edit.
  const linked = () => decodeHash(new URL(b.page.url()).hash)?.input.code;
  for (let i = 0; i < 40 && linked() !== code; i++) await b.page.waitForTimeout(50);
  assert.equal(linked(), code);
  await click('#run');
  await b.page.fill('#bp-text', 'op:SSTORE');
  await b.page.click('#bp-add');
  await click('#continue');
  const at = await position();
  assert.equal(at, 6); // validation, fee charge, PUSH1, PUSH1, ADD, PUSH0, then SSTORE
  const url = b.page.url();
  assert.deepEqual(decodeHash(new URL(url).hash).breakpoints, ['op:SSTORE']);
  const other = await b.page.context().newPage();
  await other.goto(url);
  await idle(other);
  assert.deepEqual(await other.evaluate(() => [window.__playground.state.position, window.__playground.state.breakpoints.length]), [6, 1]);
  assert.equal(await other.inputValue('#code'), code);
  await other.close();
  // Reset runs the form again from step 0: the custom code stays.
  await click('#reset');
  assert.equal(await position(), 0);
  assert.equal(await b.page.inputValue('#code'), code);
  await b.page.click('#bp-list button');
});

test('block mode starts from a default block that runs', ENGINE, async () => {
  await load('transfer');
  await b.page.evaluate(() => { document.getElementById('block').value = ''; });
  await b.page.check('input[name=mode][value=block]');
  const block = JSON.parse(await b.page.inputValue('#block'));
  assert.equal(block.length, 2);
  await click('#run');
  const r = await b.page.evaluate(() => window.__playground.state.summary.transactions.map((t) => t.status));
  assert.deepEqual(r, ['success', 'success']);
  await b.page.check('input[name=mode][value=tx]');
});

test('arrow keys step only outside form controls and never change a select', ENGINE, async () => {
  await load('erc20');
  await goTo(5);
  for (const id of ['example', 'protocolVersion', 'flow', 'hardfork', 'sol-function']) {
    const before = await b.page.inputValue(`#${id}`);
    await b.page.focus(`#${id}`);
    for (const key of ['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft', 'ArrowDown']) await b.page.keyboard.press(key);
    assert.equal(await b.page.inputValue(`#${id}`), before, id);
    assert.equal(await position(), 5, id);
  }
  await b.page.focus('#gasLimit');
  await b.page.keyboard.press('ArrowRight');
  assert.equal(await position(), 5);
  await b.page.focus('#step');
  await b.page.keyboard.press('ArrowRight');
  await idle();
  assert.equal(await position(), 6);
  await b.page.keyboard.press('ArrowLeft');
  await idle();
  assert.equal(await position(), 5);
});

test('no sideways scrolling at 390, 1280 and 1440 px; one column below 1100 px', ENGINE, async () => {
  await load('erc20');
  await goTo(60);
  for (const [width, height] of SCREENS) {
    await b.page.setViewportSize({ width, height });
    await b.page.waitForTimeout(300);
    const r = await b.page.evaluate(() => {
      const W = document.documentElement.clientWidth;
      const panes = ['input-pane', 'exec-pane', 'chart-pane'].map((id) => document.getElementById(id).getBoundingClientRect());
      return { scroll: document.documentElement.scrollWidth - W, lefts: panes.map((p) => Math.round(p.left)), W };
    });
    assert.equal(r.scroll, 0, `${width} px: ${r.scroll} px sideways`);
    if (width < 1100) assert.equal(new Set(r.lefts).size, 1, `one column at ${width} px: ${r.lefts}`);
    await shot(`main-${width}`);
    await load('keccak-loop');
    assert.equal(await b.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `${width} px, keccak loop`);
    await shot(`keccak-${width}`);
    await load('erc20');
  }
  await b.page.setViewportSize({ width: 1600, height: 1000 });
});

test('an axe-core check finds nothing serious, and every scroll region takes focus', ENGINE, async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  for (const [width, height] of [[1600, 1000], [390, 844]]) {
    await b.page.setViewportSize({ width, height });
    await goTo(40);
    await b.page.addScriptTag({ content: axe });
    const found = await b.page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(found, [], `${width} px`);
    const unreachable = await b.page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => {
      const s = getComputedStyle(e);
      const scrolls = /(auto|scroll)/.test(s.overflowY + s.overflowX) && (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1);
      return scrolls && e.tabIndex < 0 && !e.matches('textarea, select, input');
    }).map((e) => `${e.tagName}#${e.id}.${e.className}`));
    assert.deepEqual(unreachable, [], `${width} px`);
  }
  await b.page.setViewportSize({ width: 1600, height: 1000 });
});

test('no console errors', () => {
  assert.deepEqual(b.consoleErrors, []);
});
