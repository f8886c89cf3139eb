// The playground page: the input form, the worker that records an execution, navigation over the
// recorded steps (step, back, continue to breakpoints, timeline), the panels and the charts.

import { EXAMPLES, findExample } from './examples/index.js';
import { compileInput, codeBytes, decodeHash, encodeHash, defaultConfig, DEFAULT_CONFIG, FLOWS, HARDFORKS, PROTOCOL_VERSIONS, InputError } from './input.js';
import { bytesToHex, disassembleText } from './evm/asm.js';
import { OPCODE, opName } from './evm/opcodes.js';
import { TraceStore, PHASES, NO_OPCODE } from './trace-store.js';
import { createCharts, opcodeRows, updateCharts } from './charts.js';
import { renderDetail, renderFrames, renderSummary, renderOpTable } from './panels.js';
import { parseBreakpoint, breakpointLabel, breakpointMatcher } from './breakpoints.js';

const $ = (id) => document.getElementById(id);
const BLOCK_FINISH = PHASES.indexOf('block finish');
const FIELDS = ['code', 'calldata', 'sender', 'to', 'value', 'gasLimit', 'gasPrice', 'accounts', 'block'];

const state = {
  input: null, request: null, runId: 0, store: new TraceStore(), done: false, total: 0,
  position: 0, wanted: 0, inflight: false, detail: null, summary: null, stats: null,
  breakpoints: [], nativePerGas: 0, frameTree: [], disasm: new Map(),
};

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const charts = createCharts((step) => goTo(step));

function fillSelect(id, values, labels = values) {
  $(id).replaceChildren(...values.map((v, i) => Object.assign(document.createElement('option'), { value: v, textContent: labels[i] })));
}

function showError(message, field) {
  $('error').textContent = message;
  $('error').hidden = !message;
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  const control = field && $(field.replace(/^tx\./, '').replace(/\[.*$/, ''));
  if (control) control.classList.add('invalid');
}

function setStatus(text) { $('status').textContent = text; }

function readForm() {
  const input = { ...state.input };
  for (const f of FIELDS) input[f] = $(f).value;
  input.mode = document.querySelector('input[name=mode]:checked').value;
  input.config = { ...DEFAULT_CONFIG, protocolVersion: $('protocolVersion').value, flow: $('flow').value, hardfork: $('hardfork').value };
  try { input.env = JSON.parse($('env').value || '{}'); } catch (e) { throw new InputError('env', `not JSON (${e.message})`); }
  return input;
}

function writeForm(input) {
  for (const f of FIELDS) $(f).value = input[f] ?? '';
  $('env').value = JSON.stringify(input.env ?? {}, null, 2);
  const config = { ...defaultConfig(input.config?.flow), ...(input.config ?? {}) };
  for (const k of ['protocolVersion', 'flow', 'hardfork']) $(k).value = config[k];
  document.querySelector(`input[name=mode][value=${input.mode === 'block' ? 'block' : 'tx'}]`).checked = true;
  $('tx-fields').hidden = input.mode === 'block';
  $('block-fields').hidden = input.mode !== 'block';
  $('example').value = input.example ?? '';
  $('about').textContent = findExample(input.example)?.about ?? '';
  updateCodeSize();
}

function updateCodeSize() {
  try { $('code-size').textContent = `${codeBytes($('code').value).length} bytes`; } catch (e) { $('code-size').textContent = e.message; }
}

function updateHash() {
  if (state.input) history.replaceState(null, '', encodeHash(state.input, state.position));
}

/** Starts recording `input`; `step` is the position to show once it is reached. */
function run(input, step = 0) {
  let request;
  try {
    request = compileInput(input);
  } catch (e) {
    showError(e.message, e.field);
    return;
  }
  showError('');
  worker.postMessage({ type: 'cancel', id: state.runId });
  Object.assign(state, {
    input, request, runId: state.runId + 1, store: new TraceStore(), done: false, total: 0, frameTree: [],
    position: 0, wanted: step, inflight: false, detail: null, summary: null, stats: null,
  });
  setStatus('recording…');
  renderSummary(null);
  updateHash();
  worker.postMessage({ type: 'run', id: state.runId, request });
}

const maxPosition = () => state.store.length;

/** Moves the view to step `p` (clamped to what is recorded). */
function goTo(p) {
  state.wanted = Math.max(0, Math.min(Math.round(p), maxPosition()));
  requestDetail();
}

function requestDetail() {
  if (state.inflight || state.wanted === state.position && state.detail) return;
  state.inflight = true;
  worker.postMessage({ type: 'inspect', id: state.runId, position: state.wanted });
}

function renderPosition() {
  const p = state.position, n = maxPosition();
  $('timeline').max = String(n);
  $('timeline').value = String(p);
  let where = 'finished';
  if (p < n) {
    const s = state.store.step(p);
    const tx = state.request?.block ? `tx ${s.tx} · ` : '';
    where = `${s.phase === BLOCK_FINISH ? '' : tx}${PHASES[s.phase]} · ${s.op === NO_OPCODE ? 'bootloader' : `pc ${s.pc.toString(16)} ${opName(s.op)}`} · depth ${s.depth} · ergs ${s.ergs.toLocaleString('en-US')} · native used ${s.native.toLocaleString('en-US')}`;
  }
  $('position').textContent = `step ${p} / ${n}${state.done ? '' : '+'} · ${where}`;
}

function renderPhaseBar() {
  const bar = $('phase-bar');
  bar.replaceChildren();
  const n = state.store.length;
  if (!n) return;
  // One segment per phase of each transaction; in block mode a transaction's first segment
  // is marked and named with its index, and the block finish closes the bar.
  const block = state.request?.block;
  let start = 0, startTx = state.store.get('tx', 0), startPhase = state.store.get('phase', 0);
  for (let i = 1; i <= n; i++) {
    if (i === n || state.store.get('phase', i) !== startPhase || state.store.get('tx', i) !== startTx) {
      const seg = document.createElement('button');
      const tx = state.store.get('tx', start), phase = state.store.get('phase', start);
      const first = block && phase !== BLOCK_FINISH && (start === 0 || state.store.get('tx', start - 1) !== tx);
      seg.className = first ? 'phase tx-start' : 'phase';
      seg.style.flexGrow = String(Math.max(1, i - start));
      seg.textContent = first ? `tx ${tx} · ${PHASES[phase]}` : PHASES[phase];
      seg.title = `${block && phase !== BLOCK_FINISH ? `tx ${tx} ` : ''}${PHASES[phase]}: steps ${start}–${i - 1}`;
      const at = start;
      seg.onclick = () => goTo(at);
      bar.append(seg);
      start = i;
      if (i < n) { startTx = state.store.get('tx', i); startPhase = state.store.get('phase', i); }
    }
  }
}

function refreshCharts() {
  const rows = opcodeRows(state.store, state.nativePerGas);
  updateCharts(charts, state.store, rows);
  renderOpTable(rows, state.nativePerGas);
}

let chartTimer = 0;
function scheduleCharts() {
  if (chartTimer) return;
  chartTimer = setTimeout(() => { chartTimer = 0; refreshCharts(); }, 500);
}

worker.onmessage = ({ data }) => {
  if (data.id !== state.runId) return;
  if (data.type === 'chunk') {
    state.store.append(data);
    setStatus(`recording… ${state.store.length.toLocaleString('en-US')} steps`);
    renderPosition();
    scheduleCharts();
    if (!state.detail || state.wanted > state.position) requestDetail();
  } else if (data.type === 'done') {
    Object.assign(state, { done: true, total: data.total, summary: data.summary, stats: data.stats, nativePerGas: data.nativePerGas, frameTree: state.store.frameTree() });
    setStatus(`done: ${data.total.toLocaleString('en-US')} steps`);
    renderSummary(data.summary);
    renderPhaseBar();
    refreshCharts();
    renderPosition();
    goTo(state.wanted);
  } else if (data.type === 'detail') {
    state.inflight = false;
    state.position = data.position;
    state.detail = { ...data.detail, pc: data.position < state.store.length ? state.store.get('pc', data.position) : null };
    renderDetail(state.detail, state.disasm);
    renderFrames(state.frameTree, state.position, state.detail.frames, goTo);
    renderPosition();
    updateHash();
    requestDetail();
  } else if (data.type === 'error') {
    state.inflight = false;
    setStatus('error');
    showError(data.message, data.field);
  }
};

worker.onerror = (e) => { setStatus('error'); showError(`engine worker: ${e.message}`); };

function continueToBreakpoint() {
  const matchers = state.breakpoints.map(breakpointMatcher);
  if (!matchers.length) { goTo(maxPosition()); return; }
  const hit = state.store.find(state.position + 1, (cols, k) => matchers.some((m) => m(cols, k)));
  goTo(hit < 0 ? maxPosition() : hit);
}

function renderBreakpoints() {
  $('bp-list').replaceChildren(...state.breakpoints.map((bp, i) => {
    const li = document.createElement('li');
    li.textContent = breakpointLabel(bp);
    const x = document.createElement('button');
    x.textContent = '×';
    x.title = 'remove';
    x.onclick = () => { state.breakpoints.splice(i, 1); renderBreakpoints(); };
    li.append(x);
    return li;
  }));
}

function loadExample(id) {
  const ex = findExample(id) ?? EXAMPLES[0];
  const input = { ...structuredClone(ex.input), example: ex.id, config: defaultConfig(state.input?.config?.flow) };
  state.input = input;
  writeForm(input);
  run(input);
}

function runFromForm() {
  try { run(readForm()); } catch (e) { showError(e.message, e.field); }
}

function init() {
  fillSelect('example', ['', ...EXAMPLES.map((e) => e.id)], ['(custom)', ...EXAMPLES.map((e) => e.title)]);
  fillSelect('protocolVersion', PROTOCOL_VERSIONS);
  fillSelect('flow', FLOWS, FLOWS.map((f) => (f === 'zk' ? 'ZKsync (zk)' : 'Ethereum')));
  fillSelect('hardfork', HARDFORKS);
  $('example').onchange = () => { if ($('example').value) loadExample($('example').value); };
  $('run').onclick = runFromForm;
  for (const k of ['protocolVersion', 'flow', 'hardfork']) $(k).onchange = runFromForm;
  $('reset').onclick = () => { state.breakpoints = []; renderBreakpoints(); loadExample(state.input?.example || EXAMPLES[0].id); };
  $('share').onclick = async () => {
    updateHash();
    try { await navigator.clipboard.writeText(location.href); setStatus('link copied'); } catch { setStatus('link is in the address bar'); }
  };
  document.querySelectorAll('input[name=mode]').forEach((r) => { r.onchange = () => { $('tx-fields').hidden = r.value === 'block'; $('block-fields').hidden = r.value !== 'block'; }; });
  // Editing an example's input makes it a custom one (Reset still reloads the example).
  for (const f of [...FIELDS, 'env']) {
    $(f).addEventListener('input', () => { $('example').value = ''; $('about').textContent = ''; });
  }
  $('code').addEventListener('input', updateCodeSize);
  $('to-hex').onclick = () => { try { $('code').value = bytesToHex(codeBytes($('code').value)); updateCodeSize(); showError(''); } catch (e) { showError(e.message, e.field); } };
  $('to-asm').onclick = () => { try { $('code').value = disassembleText(codeBytes($('code').value)); updateCodeSize(); showError(''); } catch (e) { showError(e.message, e.field); } };
  const count = () => Math.max(1, Number.parseInt($('step-count').value, 10) || 1);
  $('step').onclick = () => goTo(state.wanted + count());
  $('back').onclick = () => goTo(state.wanted - count());
  $('to-start').onclick = () => goTo(0);
  $('to-end').onclick = () => goTo(maxPosition());
  $('continue').onclick = continueToBreakpoint;
  $('timeline').oninput = () => goTo(Number($('timeline').value));
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('textarea, input:not([type=range]), select')) return;
    const keys = { ArrowRight: () => state.wanted + count(), ArrowLeft: () => state.wanted - count(), Home: () => 0, End: () => maxPosition() };
    if (keys[e.key]) { e.preventDefault(); goTo(keys[e.key]()); }
  });
  $('bp-add').onclick = () => {
    try {
      state.breakpoints.push(parseBreakpoint($('bp-text').value, { opcodes: OPCODE, phases: PHASES }));
      $('bp-text').value = '';
      renderBreakpoints();
      showError('');
    } catch (e) { showError(e.message, 'bp-text'); }
  };
  const fromHash = decodeHash(location.hash);
  if (fromHash) {
    state.input = fromHash.input;
    writeForm(fromHash.input);
    run(fromHash.input, fromHash.step);
  } else {
    loadExample(EXAMPLES[0].id);
  }
}

/** Hooks for the browser tests (read-only views of the page's state). */
window.__playground = {
  state, charts, goTo,
  get idle() { return state.done && !state.inflight && state.wanted === state.position && state.detail !== null; },
  addBreakpoint: (text) => { state.breakpoints.push(parseBreakpoint(text, { opcodes: OPCODE, phases: PHASES })); renderBreakpoints(); },
};

init();
