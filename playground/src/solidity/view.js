// The Source panel: the Solidity source with each line's gas and native over the whole
// transaction (a heatmap from src/solidity/heatmap.js), the rows that are not source lines
// (code without a source range, other code, the bootloader's phases), their total, and the
// line of the current step highlighted.

import { PHASES } from '../trace-store.js';

const fmt = (n) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};

/** Heat cell: the figure, shaded by its share of the column's largest line. */
function heatCell(kind, value, max, text) {
  const share = max > 0 ? Math.max(0, value) / max : 0;
  const td = el('td', { class: `num heat-${kind}`, text });
  if (share > 0) td.style.setProperty('--heat', (0.08 + 0.5 * share).toFixed(3));
  return td;
}

/**
 * Renders `source` with `heat` (lineHeat) into `table`. `rate` is the transaction's native per
 * gas (native is also shown as gas when it is priced). Each row carries its exact figures in
 * `data-ergs` and `data-native`; the last row is the total.
 */
export function renderSource(table, source, heat, rate) {
  const lines = source.split('\n');
  let maxGas = 0, maxNative = 0;
  for (const c of heat?.lines.values() ?? []) { maxGas = Math.max(maxGas, c.ergs / 256); maxNative = Math.max(maxNative, c.native); }
  const head = el('thead', {}, el('tr', {},
    el('th', { scope: 'col', text: 'line' }), el('th', { scope: 'col', text: 'gas' }),
    el('th', { scope: 'col', text: rate ? 'native (as gas)' : 'native' }), el('th', { scope: 'col', text: 'source' })));
  const body = el('tbody');
  const nativeText = (n) => (n ? (rate ? `${fmt(n)} (${fmt(n / rate)})` : fmt(n)) : '');
  lines.forEach((text, i) => {
    const c = heat?.lines.get(i);
    const tr = el('tr', { 'data-line': String(i) },
      el('td', { class: 'ln', text: String(i + 1) }),
      heatCell('gas', c ? c.ergs / 256 : 0, maxGas, c ? fmt(c.ergs / 256) : ''),
      heatCell('native', c ? c.native : 0, maxNative, c ? nativeText(c.native) : ''),
      el('td', { class: 'src' }, el('code', { text: text || ' ' })));
    if (c) { tr.dataset.ergs = String(c.ergs); tr.dataset.native = String(c.native); tr.title = `line ${i + 1}: ${c.steps} steps`; }
    body.append(tr);
  });
  const foot = el('tbody', { class: 'heat-extra' });
  if (heat) {
    const extra = (label, c, title) => {
      if (!c.steps) return;
      foot.append(el('tr', { 'data-ergs': String(c.ergs), 'data-native': String(c.native), title: title ?? '' },
        el('td', { class: 'ln', text: '' }), el('td', { class: 'num', text: fmt(c.ergs / 256) }), el('td', { class: 'num', text: nativeText(c.native) }),
        el('td', { class: 'src', text: label })));
    };
    extra('code without a source line (dispatch, checks the compiler added)', heat.generated);
    extra('code of other contracts', heat.other);
    for (const [phase, c] of [...heat.phases.entries()].sort((a, b) => a[0] - b[0])) extra(`bootloader: ${PHASES[phase]}`, c);
    table.replaceChildren(head, body, foot, el('tfoot', {}, el('tr', { class: 'total', 'data-ergs': String(heat.total.ergs), 'data-native': String(heat.total.native) },
      el('td', { class: 'ln', text: '' }), el('td', { class: 'num', text: fmt(heat.total.ergs / 256) }), el('td', { class: 'num', text: nativeText(heat.total.native) }),
      el('th', { scope: 'row', class: 'src', text: 'the whole transaction' }))));
  } else {
    table.replaceChildren(head, body);
  }
}

/** Marks `line` (0-based, −1 for none) as the current one and scrolls it into view. */
export function markLine(table, line) {
  table.querySelector('tr.current')?.classList.remove('current');
  table.querySelector('tr[aria-current]')?.removeAttribute('aria-current');
  if (line < 0) return;
  const tr = table.querySelector(`tr[data-line="${line}"]`);
  if (!tr) return;
  tr.classList.add('current');
  tr.setAttribute('aria-current', 'step');
  const box = tr.closest('.scroll');
  if (box) {
    const top = tr.offsetTop - box.clientHeight / 3;
    if (tr.offsetTop < box.scrollTop || tr.offsetTop > box.scrollTop + box.clientHeight - tr.offsetHeight) box.scrollTop = Math.max(0, top);
  }
}
