// The three Chart.js charts: ergs and native per step, cumulative, and per-opcode totals.

import {
  Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController,
  BarElement, Legend, Tooltip,
} from 'chart.js';
import { opName } from './evm/opcodes.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, Legend, Tooltip);

const MAX_POINTS = 1500;
const ERGS_COLOR = '#2563eb';
const NATIVE_COLOR = '#dc2626';

const twoAxes = (xTitle) => ({
  x: { type: 'linear', title: { display: true, text: xTitle } },
  ergs: { type: 'linear', position: 'left', title: { display: true, text: 'ergs', color: ERGS_COLOR } },
  native: { type: 'linear', position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'native', color: NATIVE_COLOR } },
});

const lineSet = (label, color, axis) => ({ label, data: [], borderColor: color, backgroundColor: color, yAxisID: axis, pointRadius: 0, borderWidth: 1.5 });

/** Creates the charts on the page's canvases; `onPick(step)` is called when a step point is clicked. */
export function createCharts(onPick) {
  const common = { animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true };
  const pick = (chart) => (evt) => {
    const hit = chart().getElementsAtEventForMode(evt, 'nearest', { intersect: false }, false)[0];
    if (hit) onPick(chart().data.datasets[hit.datasetIndex].data[hit.index].x);
  };
  let steps, cumulative;
  steps = new Chart(document.getElementById('chart-steps'), {
    type: 'line',
    data: { datasets: [lineSet('ergs', ERGS_COLOR, 'ergs'), lineSet('native', NATIVE_COLOR, 'native')] },
    options: { ...common, scales: twoAxes('step'), onClick: pick(() => steps), interaction: { mode: 'nearest', intersect: false } },
  });
  cumulative = new Chart(document.getElementById('chart-cumulative'), {
    type: 'line',
    data: { datasets: [lineSet('cumulative ergs', ERGS_COLOR, 'ergs'), lineSet('cumulative native', NATIVE_COLOR, 'native')] },
    options: { ...common, scales: twoAxes('step'), onClick: pick(() => cumulative), interaction: { mode: 'nearest', intersect: false } },
  });
  const opcodes = new Chart(document.getElementById('chart-opcodes'), {
    type: 'bar',
    data: { labels: [], datasets: [
      { label: 'gas', data: [], backgroundColor: ERGS_COLOR, yAxisID: 'ergs' },
      { label: 'native', data: [], backgroundColor: NATIVE_COLOR, yAxisID: 'native' },
    ] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: {
      ergs: { type: 'linear', position: 'left', title: { display: true, text: 'gas', color: ERGS_COLOR } },
      native: { type: 'linear', position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'native', color: NATIVE_COLOR } },
    } },
  });
  return { steps, cumulative, opcodes };
}

/**
 * Rows of the per-opcode table from the store's totals, sorted by native: gas = ergs / 256, and
 * whether the opcode's native per gas exceeds what the transaction buys per gas.
 */
export function opcodeRows(store, nativePerGas) {
  return [...store.opTotals.entries()]
    .map(([op, t]) => {
      const gas = t.ergs / 256;
      const ratio = gas > 0 ? t.native / gas : Infinity;
      return { op, name: opName(op), count: t.count, ergs: t.ergs, gas, native: t.native, ratio, underpaid: nativePerGas > 0 && ratio > nativePerGas };
    })
    .sort((a, b) => b.native - a.native);
}

/** Redraws the charts from the trace store. */
export function updateCharts(charts, store, rows) {
  const s = store.series(MAX_POINTS);
  const pts = (ys) => ys.map((y, i) => ({ x: s.x[i], y }));
  charts.steps.data.datasets[0].data = pts(s.ergs);
  charts.steps.data.datasets[1].data = pts(s.native);
  charts.steps.options.scales.x.title.text = s.per > 1 ? `step (sums over ${s.per} steps)` : 'step';
  charts.cumulative.data.datasets[0].data = pts(s.cumErgs);
  charts.cumulative.data.datasets[1].data = pts(s.cumNative);
  charts.opcodes.data.labels = rows.map((r) => r.name);
  charts.opcodes.data.datasets[0].data = rows.map((r) => r.gas);
  charts.opcodes.data.datasets[1].data = rows.map((r) => r.native);
  charts.steps.update('none');
  charts.cumulative.update('none');
  charts.opcodes.update('none');
}
