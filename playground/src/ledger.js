// The cost ledger: what the current step costs in gas, ergs and native against the rate the
// transaction pays, the receipt (how gas used adds up, from the engine's gas breakdown) with
// the native gauge (used against the limit, and how the limit was derived from the engine's
// native budget). Where native overtakes gas is kept by the trace store as steps arrive.

import { PHASES, NO_OPCODE } from './trace-store.js';
import { opName } from './evm/opcodes.js';

const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(n ?? ''));
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};
const term = (key, text) => el('span', { 'data-term': key, text });

/** Native per gas of transaction `tx` from the engine's reports, 0 when native is not priced. */
export function rateOf(txInfo, tx) {
  return Number(txInfo?.[tx]?.budget?.nativePerGas ?? 0);
}

/** Native per gas of every transaction, indexed by transaction (for loops over all steps). */
export function ratesOf(txInfo) {
  return Float64Array.from(txInfo ?? [], (_, tx) => rateOf(txInfo, tx));
}

/**
 * What step `p` costs, as a sentence: "SSTORE: 2,900 gas (742,400 ergs) · 126,240 native = 43.5
 * native per gas; you pay 100 per gas". Bootloader steps say what their phase charged.
 */
export function stepCostText(store, p, txInfo) {
  if (p < 0 || p >= store.length) return null;
  const s = store.step(p);
  const gas = s.ergsCost / 256, native = s.nativeCost, rate = rateOf(txInfo, s.tx);
  const what = s.op === NO_OPCODE ? PHASES[s.phase] : opName(s.op);
  const base = `${what}: ${fmt(gas)} gas (${fmt(s.ergsCost)} ergs) · ${fmt(native)} native`;
  if (!rate) return `${base} (native is not priced in this flow)`;
  if (gas <= 0) return `${base}${native > 0 ? ` — no gas charged for ${fmt(native)} native (${fmt(native / rate)} gas at ${fmt(rate)} per gas)` : ''}`;
  const ratio = native / gas;
  const verdict = ratio > rate ? ' — proves more than it pays' : '';
  return `${base} = ${fmt(Math.round(ratio * 10) / 10)} native per gas; you pay ${fmt(rate)} per gas${verdict}`;
}

/** Renders the current step's cost (the step about to run at `p`) and the one that just ran. */
export function renderStepCost(box, store, p, txInfo) {
  box.replaceChildren();
  const next = stepCostText(store, p, txInfo), last = stepCostText(store, p - 1, txInfo);
  if (next) box.append(el('div', {}, el('b', { text: `Next step (${p}) ` }), next));
  else box.append(el('div', { class: 'muted', text: `Step ${p}: the run has ended.` }));
  if (last) box.append(el('div', { class: 'muted' }, el('b', { text: `Last step (${p - 1}) ` }), last));
}

/**
 * The receipt of transaction `tx`: `info` is its txInfo entry (budget, gas breakdown, error),
 * `result` its result in the summary, `input` its request transaction and `env` the block
 * environment (the prices the rates come from). Every figure shown is the engine's; the panel
 * only adds them up in front of the reader.
 */
export function renderReceipt(box, { info, result, input, env, tx, txCount }) {
  box.replaceChildren();
  const title = txCount > 1 ? `Transaction ${tx}: ` : '';
  if (!info) { box.append(el('p', { class: 'muted', text: 'Recording…' })); return; }
  if (info.error) { box.append(el('p', { text: `${title}invalid: nothing was charged (see the message above).` })); return; }
  const budget = info.budget, g = info.gas;
  if (!g) { box.append(el('p', { class: 'muted', text: `${title}the breakdown is known once the refund phase has run.` })); }
  else box.append(breakdownTable(g, result, budget, title));
  box.append(nativeGauge(budget, result, input, env));
}

function breakdownTable(g, result, budget, title) {
  const rows = [];
  const row = (label, gas, note, key) => rows.push({ label, gas, note, key });
  row('Intrinsic gas', g.intrinsicGas, 'charged by the fee charge', 'intrinsic');
  row('Execution', g.executionGas, 'what the opcodes charged', null);
  const npp = Number(budget?.nativePerPubdata ?? 0), rate = Number(budget?.nativePerGas ?? 0);
  const pubdataBytes = Number(result?.pubdataBytes ?? 0);
  row('Pubdata', 0, budget
    ? `no gas: ${fmt(pubdataBytes)} bytes × ${fmt(npp)} native per byte = ${fmt(pubdataBytes * npp)} native, paid from native (≈ ${fmt(rate ? (pubdataBytes * npp) / rate : 0)} gas)`
    : 'none in the Ethereum flow', 'pubdata');
  row('Refund', -g.refundedGas, 'refund counter, capped at a fifth of the gas used', 'refund');
  if (g.floorGas) row('Calldata floor', g.floorGas, 'raised to the EIP-7623 floor', null);
  row('deltaGas', g.deltaGas, budget
    ? `native used ${fmt(Number(result?.nativeUsed ?? 0))} ÷ ${fmt(rate)} per gas = ${fmt(g.nativeGas)} gas${g.deltaGas > 0 ? ': more than the gas above, so the difference is added' : ', not more than the gas above: nothing added'}`
    : 'native is not priced in the Ethereum flow', 'deltaGas');
  if (g.cappedGas) row('Above the gas limit', -g.cappedGas, 'never charged', null);
  const table = el('table', { class: 'mono breakdown', 'data-total': String(g.gasUsed) });
  table.append(el('caption', { text: `${title}gas used ${fmt(g.gasUsed)} = ` }));
  for (const r of rows) {
    const label = r.key ? term(r.key, r.label) : r.label;
    table.append(el('tr', { 'data-gas': String(r.gas) },
      el('th', { scope: 'row' }, label), el('td', { class: 'num', text: `${r.gas < 0 ? '−' : '+'}${fmt(Math.abs(r.gas))}` }), el('td', { class: 'note', text: r.note })));
  }
  const matches = Number(result?.gasUsed) === g.gasUsed;
  table.append(el('tr', { class: 'total' }, el('th', { scope: 'row', text: '= gas used' }), el('td', { class: 'num', text: fmt(g.gasUsed) }),
    el('td', { class: 'note', text: matches ? 'the receipt\'s gasUsed' : `the receipt says ${fmt(Number(result?.gasUsed))}` })));
  return table;
}

function nativeGauge(budget, result, input, env) {
  const box = el('div', { class: 'gauge' });
  const used = Number(result?.nativeUsed ?? 0);
  if (!budget) {
    box.append(el('p', { text: `Native used ${fmt(used)}: in the Ethereum flow native is metered but not priced — no native limit, no deltaGas.` }));
    return box;
  }
  const limit = Number(budget.limit), rate = Number(budget.nativePerGas);
  const h = el('h3', {}, term('nativeLimit', 'Native'), ` used ${fmt(used)} of ${fmt(limit)} (${limit ? ((100 * used) / limit).toFixed(2) : '—'} %)`);
  const meter = el('meter', { min: '0', max: String(limit), value: String(used), 'aria-label': 'native used of the native limit' });
  const pubdataNative = Number(budget.intrinsicPubdata) * Number(budget.nativePerPubdata);
  const computational = limit - pubdataNative - Number(budget.withheld);
  const price = Number(input?.gasPrice ?? 0);
  const priced = price > 0 ? `gas price ${fmt(price)}` : `base fee ${fmt(Number(env?.baseFee ?? 0))} (standing in for gas price 0)`;
  const lines = [
    `limit = gas limit ${fmt(Number(input?.gasLimit ?? 0))} × ${fmt(rate)} native per gas (⌈${priced} ÷ native price ${fmt(Number(env?.nativePrice ?? 0))}⌉) = ${fmt(limit)}`,
    `− intrinsic pubdata ${fmt(Number(budget.intrinsicPubdata))} bytes × ${fmt(Number(budget.nativePerPubdata))} native per byte = ${fmt(pubdataNative)} set aside`,
    `computation may use ${fmt(computational)} (at most ${fmt(Number(budget.computationalCap))})${Number(budget.withheld) ? `; ${fmt(Number(budget.withheld))} withheld for pubdata only` : ''}`,
    `− intrinsic native ${fmt(Number(budget.intrinsicNative))} → execution may use ${fmt(Number(budget.execution))}`,
  ];
  box.append(h, meter, el('ul', { class: 'derivation' }, ...lines.map((t) => el('li', { text: t }))));
  return box;
}
