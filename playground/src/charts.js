// The three Chart.js charts — gas and native per step, cumulative, and per opcode — with native
// drawn as gas (native ÷ the transaction's native per gas) on the same axis as gas, both from
// zero, the gap between them shaded; a cursor at the current step; the bootloader's spikes
// labelled; and a text alternative of each chart.

import {
  Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController,
  BarElement, Legend, Tooltip, Filler,
} from 'chart.js';
import { opName } from './evm/opcodes.js';
import { PHASES } from './trace-store.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, Legend, Tooltip, Filler);

const MAX_POINTS = 1500;
/** At most this many spike labels per chart (the rest stay unlabelled). */
const MAX_LABELS = 12;
const GAS_COLOR = '#2563eb';
const NATIVE_COLOR = '#dc2626';
/** Shading where native (as gas) is above gas (red) or below it (blue). */
const ABOVE = 'rgba(220, 38, 38, 0.22)';
const BELOW = 'rgba(37, 99, 235, 0.12)';

const FEE_CHARGE = PHASES.indexOf('fee charge');
const PUBDATA = PHASES.indexOf('pubdata');
const REFUND = PHASES.indexOf('refund');

const fmt = (n) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Draws each chart's cursor (the current step) and its labelled marks from `chart.$overlay`. */
const overlay = {
  id: 'zkosOverlay',
  afterDatasetsDraw(chart) {
    const o = chart.$overlay;
    const x = chart.scales.x;
    if (!o || !x) return;
    const { ctx, chartArea: area } = chart;
    ctx.save();
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    (o.marks ?? []).slice(0, MAX_LABELS).forEach((m, i) => {
      const px = x.getPixelForValue(m.x);
      if (px < area.left || px > area.right) return;
      ctx.strokeStyle = m.color ?? '#6b7280';
      ctx.setLineDash([2, 3]);
      ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
      ctx.fillStyle = m.color ?? '#374151';
      const w = ctx.measureText(m.text).width;
      const tx = Math.min(Math.max(px + 3, area.left), area.right - w);
      ctx.fillText(m.text, tx, area.top + 2 + (i % 3) * 13);
    });
    if (o.cursor !== null && o.cursor !== undefined) {
      const px = x.getPixelForValue(o.cursor);
      if (px >= area.left && px <= area.right) {
        ctx.strokeStyle = '#111827';
        ctx.lineWidth = 1.5;
        ctx.setLineDash([5, 3]);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
      }
    }
    ctx.restore();
  },
};
Chart.register(overlay);

const lineSet = (label, color, fill) => ({
  label, data: [], borderColor: color, backgroundColor: color, yAxisID: 'y', pointRadius: 0, borderWidth: 1.5,
  stepped: false, fill,
});

function stepScales(xTitle) {
  return {
    x: { type: 'linear', title: { display: true, text: xTitle } },
    y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'gas' } },
    native: { type: 'linear', position: 'right', display: false, beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'native (not priced)', color: NATIVE_COLOR } },
  };
}

/** Creates the charts on the page's canvases; `onPick(step)` is called when a point is clicked. */
export function createCharts(onPick) {
  const common = { animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true };
  const pick = (chart) => (evt) => {
    const hit = chart().getElementsAtEventForMode(evt, 'nearest', { intersect: false }, false)[0];
    if (hit) onPick(chart().data.datasets[hit.datasetIndex].data[hit.index].x);
  };
  const tooltip = (chart) => ({
    callbacks: {
      label: (c) => {
        const s = chart().$series;
        if (c.datasetIndex === 1 && s?.raw) return `native ${fmt(s.raw[c.dataIndex])}${s.priced ? ` (= ${fmt(c.parsed.y)} gas)` : ''}`;
        return `gas ${fmt(c.parsed.y)}`;
      },
    },
  });
  const fill = { target: 0, above: ABOVE, below: BELOW };
  let steps, cumulative;
  steps = new Chart(document.getElementById('chart-steps'), {
    type: 'line',
    data: { datasets: [lineSet('gas', GAS_COLOR, false), lineSet('native as gas', NATIVE_COLOR, fill)] },
    options: { ...common, scales: stepScales('step'), onClick: pick(() => steps), interaction: { mode: 'nearest', intersect: false }, plugins: { tooltip: tooltip(() => steps) } },
  });
  cumulative = new Chart(document.getElementById('chart-cumulative'), {
    type: 'line',
    data: { datasets: [lineSet('cumulative gas', GAS_COLOR, false), lineSet('cumulative native as gas', NATIVE_COLOR, fill)] },
    options: { ...common, scales: stepScales('step'), onClick: pick(() => cumulative), interaction: { mode: 'nearest', intersect: false }, plugins: { tooltip: tooltip(() => cumulative) } },
  });
  const opcodes = new Chart(document.getElementById('chart-opcodes'), {
    type: 'bar',
    data: { labels: [], datasets: [
      { label: 'gas', data: [], backgroundColor: GAS_COLOR, yAxisID: 'y' },
      { label: 'native as gas', data: [], backgroundColor: NATIVE_COLOR, yAxisID: 'y' },
    ] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: {
      y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'gas' } },
    } },
  });
  return { steps, cumulative, opcodes };
}

/**
 * Rows of the per-opcode table, sorted by native: gas, native, native as gas (each
 * transaction's native at its own rate, `rates[tx]`), native per gas, and whether the opcode
 * proves more than it pays (its native as gas exceeds its gas; opcodes that charge no gas are
 * not judged).
 */
export function opcodeRows(store, rates) {
  const rows = new Map();
  for (const [tx, totals] of store.opTotalsByTx) {
    const rate = rates[tx] ?? 0;
    for (const [op, t] of totals) {
      const r = rows.get(op) ?? { op, name: opName(op), count: 0, ergs: 0, gas: 0, native: 0, nativeGas: 0 };
      r.count += t.count; r.ergs += t.ergs; r.gas += t.ergs / 256; r.native += t.native;
      r.nativeGas += rate > 0 ? t.native / rate : 0;
      rows.set(op, r);
    }
  }
  return [...rows.values()]
    .map((r) => ({ ...r, ratio: r.gas > 0 ? r.native / r.gas : null, underpaid: r.gas > 0 && r.nativeGas > r.gas }))
    .sort((a, b) => b.native - a.native);
}

/**
 * Redraws the charts from the trace store (native as gas at the rates it was given).
 * `rows` are opcodeRows, `position` the current step, `overtakes` the steps where native
 * overtakes gas (the store's), `multiTx` whether the run has several transactions. Returns the text
 * alternatives of the three charts.
 */
export function updateCharts(charts, store, rows, { position, overtakes, multiTx }) {
  const s = store.series(MAX_POINTS);
  const priced = s.nativeGas.some((v) => v !== 0) || s.native.every((v) => v === 0);
  const pts = (ys) => ys.map((y, i) => ({ x: s.x[i], y }));
  for (const [chart, gas, native, nativeGas] of [[charts.steps, s.gas, s.native, s.nativeGas], [charts.cumulative, s.cumGas, s.cumNative, s.cumNativeGas]]) {
    chart.data.datasets[0].data = pts(gas);
    chart.data.datasets[1].data = pts(priced ? nativeGas : native);
    chart.data.datasets[1].yAxisID = priced ? 'y' : 'native';
    chart.data.datasets[1].label = chart.data.datasets[1].label.replace(/native( as gas)?$/, priced ? 'native as gas' : 'native');
    chart.data.datasets[1].fill = priced ? { target: 0, above: ABOVE, below: BELOW } : false;
    chart.options.scales.native.display = !priced;
    chart.$series = { raw: native, priced };
  }
  charts.steps.options.scales.x.title.text = s.per > 1 ? `step (sums over ${s.per} steps)` : 'step';
  const spikes = spikeMarks(s, store);
  charts.steps.$overlay = { cursor: position, marks: spikes };
  charts.cumulative.$overlay = {
    cursor: position,
    marks: [...overtakes.map((o) => ({ x: o.step, text: `native overtakes gas${multiTx ? ` (tx ${o.tx})` : ''}`, color: NATIVE_COLOR })), ...spikes.filter((m) => m.phase === REFUND)],
  };
  charts.opcodes.data.labels = rows.map((r) => r.name);
  charts.opcodes.data.datasets[0].data = rows.map((r) => r.gas);
  charts.opcodes.data.datasets[1].data = rows.map((r) => (priced ? r.nativeGas : 0));
  charts.steps.update('none');
  charts.cumulative.update('none');
  charts.opcodes.update('none');
  return describe(s, rows, overtakes, priced);
}

/** Moves only the cursors (cheap: no data changes; nothing is drawn when they stay). */
export function moveCursor(charts, position) {
  for (const c of [charts.steps, charts.cumulative]) {
    if (!c.$overlay || c.$overlay.cursor === position) continue;
    c.$overlay.cursor = position;
    c.draw();
  }
}

/** Labels for the bootloader steps that carry a transaction's large costs. */
function spikeMarks(s, store) {
  const marks = [];
  for (const m of s.marks) {
    const gas = store.get('ergsCost', m.step) / 256, native = store.get('nativeCost', m.step);
    if (m.phase === FEE_CHARGE) marks.push({ x: s.x[m.bucket], phase: m.phase, text: `fee charge: intrinsic ${fmt(gas)} gas` });
    else if (m.phase === PUBDATA && native > 0) marks.push({ x: s.x[m.bucket], phase: m.phase, text: `pubdata: ${fmt(native)} native` });
    else if (m.phase === REFUND) marks.push({ x: s.x[m.bucket], phase: m.phase, text: gas > 0 ? `refund: +${fmt(gas)} gas (deltaGas)` : `refund: ${fmt(gas)} gas` });
  }
  return marks;
}

/** The charts' text alternatives. */
function describe(s, rows, overtakes, priced) {
  const gas = s.cumGas.at(-1) ?? 0, native = s.cumNative.at(-1) ?? 0, nativeGas = s.cumNativeGas.at(-1) ?? 0;
  const steps = s.x.length ? `${fmt(s.x.at(-1) + 1)}+ steps` : 'no steps';
  const worth = priced ? `, worth ${fmt(nativeGas)} gas at the transaction's native per gas` : ' (native is not priced in this flow)';
  const perStep = `Per step (${steps}${s.per > 1 ? `, each point sums ${s.per} steps` : ''}): ${fmt(gas)} gas and ${fmt(native)} native in all${worth}. The tall spikes are the bootloader's phases: the fee charge (intrinsic gas), pubdata (paid in native) and the refund (where deltaGas is added).`;
  const cumulative = priced
    ? `Cumulative: gas ends at ${fmt(gas)} and native as gas at ${fmt(nativeGas)}. ${overtakes.length ? `Native overtakes gas at step ${overtakes.map((o) => fmt(o.step)).join(', ')}.` : 'Native stays below gas throughout.'}`
    : `Cumulative: gas ends at ${fmt(gas)}, native at ${fmt(native)}.`;
  const top = rows.slice(0, 5).map((r) => `${r.name} ${fmt(r.native)} native / ${fmt(r.gas)} gas`).join('; ');
  const under = rows.filter((r) => r.underpaid).map((r) => r.name);
  const opcodes = `Per opcode, by native: ${top || 'none'}.${priced ? ` ${under.length ? `Prove more than they pay: ${under.join(', ')}.` : 'Every opcode pays for what it proves.'}` : ''}`;
  return { steps: perStep, cumulative, opcodes };
}
