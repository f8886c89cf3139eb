// Rendering of the state panels from an inspected step (`detail`, see src/worker.js).

import { disassemble, hexToBytes } from './evm/asm.js';
import { opName } from './evm/opcodes.js';
import { formatWord, shorten } from './values.js';

const MAX_MEMORY_ROWS = 1024;
const CODE_WINDOW = 300;

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
};

const fmt = (n) => (typeof n === 'number' || typeof n === 'bigint' ? n.toLocaleString('en-US') : String(n ?? ''));

/** How words are shown (the Stack panel's controls): `{radix: 'hex'|'dec', full}`. */
export const wordView = { radix: 'hex', full: false };

/**
 * A word: in full (wrapped) when asked for, else compact; a compact word too long for its
 * column is shortened in the middle and expands when clicked.
 */
function word(hex) {
  const text = formatWord(hex, wordView);
  if (wordView.full || text.length <= 26) return el('span', { class: 'word', text });
  const b = el('button', { class: 'word short', text: shorten(text, 23), title: text, 'aria-expanded': 'false', 'aria-label': `${text} (shortened; show in full)` });
  b.onclick = () => {
    const open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', String(open));
    b.textContent = open ? text : shorten(text, 23);
    b.classList.toggle('short', !open);
  };
  return b;
}

function renderCode(detail, disasmCache) {
  const list = document.getElementById('code-view');
  list.replaceChildren();
  if (!detail.code) { list.append(el('li', { class: 'muted', text: 'no code runs at this step' })); return; }
  let items = disasmCache.get(detail.code);
  if (!items) { items = disassemble(hexToBytes(detail.code)); disasmCache.set(detail.code, items); }
  const at = items.findIndex((i) => i.pc === detail.pc);
  const from = Math.max(0, at - CODE_WINDOW / 2);
  for (const item of items.slice(from, from + CODE_WINDOW)) {
    const li = el('li', { class: item.pc === detail.pc ? 'current' : '', 'data-op': String(item.op), text: `${item.pc.toString(16).padStart(4, '0')}  ${item.name}${item.immediate ? ' ' + item.immediate : ''}` });
    if (item.pc === detail.pc) li.setAttribute('aria-current', 'step');
    list.append(li);
  }
  list.querySelector('.current')?.scrollIntoView({ block: 'nearest' });
}

const MAX_FRAMES = 500;

/**
 * The call-frame tree of the whole execution (from the trace), the frames active at `position`
 * highlighted and annotated with what the engine reports for them (kind, caller, callee, value,
 * ergs left). Clicking a frame calls `onPick(startStep)`.
 */
export function renderFrames(tree, position, live, onPick) {
  const root = document.getElementById('frames');
  root.replaceChildren();
  const active = tree.filter((f) => f.start <= position && position < f.end);
  const info = new Map(active.map((f, i) => [f.id, live[i]]));
  const current = active[active.length - 1]?.id;
  const lists = new Map([[null, root]]);
  for (const f of tree.slice(0, MAX_FRAMES)) {
    const l = info.get(f.id);
    const li = el('li', { class: f.id === current ? 'current' : info.has(f.id) ? 'active' : '' },
      el('button', { class: 'kind', text: f.via === null ? 'TX' : opName(f.via), title: `go to step ${f.start}` }),
      ` steps ${f.start}–${f.end - 1} · ergs passed ${fmt(f.ergs)} · native used at entry ${fmt(f.native)}`);
    li.querySelector('button').onclick = () => onPick(f.start);
    if (l) li.append(el('div', { class: 'muted', text: `${l.kind} ${l.caller} → ${l.callee}${l.value && l.value !== '0' ? ` · value ${l.value}` : ''} · ergs left ${fmt(l.ergsLeft)}` }));
    const sub = el('ul');
    li.append(sub);
    lists.set(f.id, sub);
    (lists.get(f.parent) ?? root).append(li);
  }
  if (tree.length > MAX_FRAMES) root.append(el('li', { class: 'muted', text: `… ${fmt(tree.length - MAX_FRAMES)} more frames` }));
  if (!tree.length) root.append(el('li', { class: 'muted', text: 'no code ran' }));
}

function renderStack(detail) {
  const list = document.getElementById('stack');
  list.replaceChildren(...detail.stack.map((w) => el('li', {}, word(w))));
}

function renderMemory(detail) {
  const box = document.getElementById('memory');
  box.replaceChildren();
  const bytes = (detail.memory.length - 2) / 2;
  if (bytes === 0) { box.append(el('div', { class: 'muted', text: 'empty' })); return; }
  const changed = new Uint8Array(bytes);
  for (const [a, b] of detail.memoryChanged) changed.fill(1, a, b);
  const rows = Math.ceil(bytes / 32);
  for (let r = 0; r < Math.min(rows, MAX_MEMORY_ROWS); r++) {
    const row = el('div', { class: 'mem-row' }, el('span', { class: 'offset', text: (r * 32).toString(16).padStart(6, '0') }));
    let run = '', runChanged = false;
    const flush = () => { if (run) row.append(runChanged ? el('mark', { text: run }) : run); run = ''; };
    for (let i = r * 32; i < Math.min(bytes, r * 32 + 32); i++) {
      if (!!changed[i] !== runChanged) { flush(); runChanged = !!changed[i]; }
      run += detail.memory.substr(2 + i * 2, 2);
    }
    flush();
    box.append(row);
  }
  if (rows > MAX_MEMORY_ROWS) box.append(el('div', { class: 'muted', text: `… ${fmt(rows - MAX_MEMORY_ROWS)} more rows` }));
}

function renderSlots(id, slots) {
  const table = document.getElementById(id);
  table.replaceChildren(el('tr', {}, el('th', { text: 'address' }), el('th', { text: 'slot' }), el('th', { text: 'value' })));
  for (const s of slots) {
    const cls = s.changed ? 'changed' : s.original !== undefined && s.original !== s.value ? 'dirty' : '';
    table.append(el('tr', { class: cls, title: s.original !== undefined ? `was ${formatWord(s.original, wordView)}` : '' },
      el('td', { class: 'word', text: s.address }), el('td', {}, word(s.key)), el('td', {}, word(s.value))));
  }
  if (!slots.length) table.append(el('tr', {}, el('td', { class: 'muted', colspan: 3, text: 'none' })));
}

function renderList(id, items, line, isPending = () => false) {
  const list = document.getElementById(id);
  list.replaceChildren(...items.map((x) => el('li', { class: isPending(x) ? 'pending' : '', text: line(x) })));
  if (!items.length) list.append(el('li', { class: 'muted', text: 'none' }));
}

/** Renders every state panel for `detail`. */
export function renderDetail(detail, disasmCache) {
  renderCode(detail, disasmCache);
  renderStack(detail);
  renderMemory(detail);
  renderSlots('storage', detail.storage);
  renderSlots('transient', detail.transient);
  document.getElementById('returndata').textContent = detail.returnData && detail.returnData !== '0x' ? detail.returnData : '(empty)';
  const where = (x) => (detail.txCount > 1 ? `tx ${x.tx} · ` : '');
  const pending = (x) => (x.pending ? ' (pending: reverted if its frame reverts)' : '');
  renderList('logs', detail.logs, (l) => `${where(l)}${l.address} topics [${l.topics.join(', ')}] data ${l.data}${pending(l)}`, (l) => l.pending);
  renderList('messages', detail.messages, (m) => `${where(m)}${m.sender} → L1: ${m.data}${pending(m)}`, (m) => m.pending);
  renderPubdata(detail);
  renderBlock(detail.block);
}

/**
 * The pubdata the block would publish at this step (the block's encoder over the net state
 * changes and messages so far), and the transaction's charged pubdata once measured.
 */
function renderPubdata(detail) {
  const box = document.getElementById('pubdata');
  box.replaceChildren();
  if (detail.pubdata === null) { box.append(el('div', { class: 'muted', text: '(not available)' })); return; }
  const bytes = (detail.pubdata.length - 2) / 2;
  const charged = detail.pubdataUsed === null ? 'measured at the pubdata phase' : `${fmt(detail.pubdataUsed)} bytes charged to the transaction`;
  box.append(
    el('div', { text: `${fmt(bytes)} bytes ${detail.pubdataFinal ? 'published by the block' : 'the block would publish now'} · ${charged}` }),
    el('div', { id: 'pubdata-hex', class: 'wrap', text: detail.pubdata }),
  );
}

/** What the block committed to, once its block finish ran. */
function renderBlock(block) {
  const dl = document.getElementById('block-out');
  dl.replaceChildren();
  if (!block) { dl.append(el('dt', { text: 'header' }), el('dd', { class: 'muted', text: 'sealed by the block finish step (block mode)' })); return; }
  for (const [k, v] of Object.entries(block)) if (k !== 'pubdata') dl.append(el('dt', { text: k }), el('dd', { id: `block-${k}`, text: fmt(v) }));
}

/** Renders the run's result (status, gas, native, pubdata, output). */
export function renderSummary(summary) {
  const dl = document.getElementById('summary');
  dl.replaceChildren();
  for (const [k, v] of Object.entries(summary ?? {})) dl.append(el('dt', { text: k }), el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : fmt(v) }));
}

/**
 * Renders the per-opcode table (rows from charts.opcodeRows); `rate` is the transaction's
 * native per gas (0 when not priced, or when a block's transactions differ).
 */
export function renderOpTable(rows, rate) {
  const table = document.getElementById('op-table');
  table.replaceChildren(el('tr', {}, ...['opcode', 'count', 'gas', 'native', 'native as gas', 'native per gas', ''].map((t) => el('th', { scope: 'col', text: t }))));
  const round = (n) => Math.round(n).toLocaleString('en-US');
  for (const r of rows) {
    const note = r.underpaid ? `proves > pays${rate ? ` (you pay ${fmt(rate)} per gas)` : ''}` : r.gas > 0 ? '' : 'no gas charged';
    table.append(el('tr', { class: r.underpaid ? 'underpaid' : '' },
      el('td', { text: r.name }), el('td', { text: fmt(r.count) }), el('td', { text: fmt(r.gas) }), el('td', { text: fmt(r.native) }),
      el('td', { text: round(r.nativeGas) }), el('td', { text: r.ratio === null ? '—' : r.ratio.toFixed(1) }), el('td', { text: note })));
  }
}
