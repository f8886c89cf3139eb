// The playground page: the input form (Solidity, bytecode or a block), the worker that records an
// execution, navigation over the recorded steps (step, back, source lines, breakpoints,
// timeline), the panels, the cost ledger and the charts.

import { EXAMPLES, findExample, DEFAULT_BLOCK, CONTRACT } from './examples/index.js';
import { compileInput, codeBytes, decodeHash, encodeHash, defaultConfig, DEFAULT_CONFIG, FLOWS, HARDFORKS, PROTOCOL_VERSIONS, InputError } from './input.js';
import { bytesToHex, disassembleText } from './evm/asm.js';
import { OPCODE, opName } from './evm/opcodes.js';
import { TraceStore, PHASES, NO_OPCODE } from './trace-store.js';
import { createCharts, moveCursor, opcodeRows, updateCharts } from './charts.js';
import { renderDetail, renderFrames, renderSummary, renderOpTable, wordView } from './panels.js';
import { parseBreakpoint, breakpointLabel, breakpointMatcher, breakpointText } from './breakpoints.js';
import { explainCompileErrors, explainEngineError, explainInputError, controlOf } from './errors.js';
import { renderReceipt, renderStepCost, rateOf, ratesOf } from './ledger.js';
import { attachTerms } from './explain/glossary.js';
import { opcodeCard } from './explain/opcode-card.js';
import { erc20Tour, startTour } from './explain/tour.js';
import { createSolidityMode, CompileError, SolidityInputError } from './solidity/mode.js';
import { pcTable } from './solidity/sourcemap.js';
import { stepLines, lineStep, isFunctionHeader } from './solidity/lines.js';
import { lineHeat } from './solidity/heatmap.js';
import { renderSource, markLine } from './solidity/view.js';
import { progressText } from './fork/progress.js';

const $ = (id) => document.getElementById(id);
const BLOCK_FINISH = PHASES.indexOf('block finish');
const FIELDS = ['code', 'calldata', 'sender', 'to', 'value', 'gasLimit', 'gasPrice', 'accounts', 'block', 'forkUrl', 'forkTx'];
const MODES = ['solidity', 'block', 'fork'];
const ARROWS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
/** The state panels' content when nothing was recorded. */
const NO_DETAIL = {
  code: null, pc: null, frames: [], stack: [], memory: '0x', memoryChanged: [], storage: [], transient: [], returnData: '0x',
  logs: [], messages: [], pubdata: null, pubdataUsed: null, pubdataFinal: false, block: null, txCount: 1,
};

const state = {
  input: null, request: null, runId: 0, prepareId: 0, store: new TraceStore(), done: false, total: 0,
  position: 0, wanted: 0, inflight: false, detail: null, summary: null, stats: null,
  breakpoints: [], frameTree: [], disasm: new Map(), codes: [], txInfo: [], deployed: null,
  sol: null, lines: null, overtakes: [], formEdited: false, fork: null, progress: null,
};

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const charts = createCharts((step) => goTo(step));
const solidity = createSolidityMode(onSolidityEdit);

function fillSelect(id, values, labels = values) {
  $(id).replaceChildren(...values.map((v, i) => new Option(labels[i], v)));
}

/** Shows `message` (or hides the banner) and marks the form control `field` to fix. */
function showError(message, field) {
  $('error').textContent = message;
  $('error').hidden = !message;
  document.querySelectorAll('.invalid').forEach((e) => { e.classList.remove('invalid'); e.removeAttribute('aria-invalid'); });
  const control = field && $(controlOf(field));
  if (control) {
    control.classList.add('invalid');
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-errormessage', 'error');
  }
}

/** Shows any error the page meets in plain language. */
function showProblem(e) {
  if (e instanceof CompileError) {
    const x = explainCompileErrors(e.errors);
    showError(x.message, x.field);
    if (x.line) selectSourceLine(x.line);
  } else if (e instanceof InputError) {
    const x = explainInputError(e);
    showError(x.message, x.field);
  } else if (e instanceof SolidityInputError) {
    showError(e.message, e.field);
  } else {
    showError(e?.message ?? String(e), e?.field);
  }
}

/** Selects line `line` (1-based) of the Solidity source so the mistake is in view. */
function selectSourceLine(line) {
  const text = $('source').value;
  const lines = text.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  $('source').setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
}

function setStatus(text) { $('status').textContent = text; }

function currentMode() {
  return document.querySelector('input[name=mode]:checked').value;
}

/** The form as an input. Throws InputError when the block environment is not JSON. */
function readForm({ loose = false } = {}) {
  const input = { ...state.input };
  for (const f of FIELDS) input[f] = $(f).value;
  Object.assign(input, solidity.read());
  input.mode = currentMode();
  input.example = $('example').value || undefined;
  input.config = { ...DEFAULT_CONFIG, protocolVersion: $('protocolVersion').value, flow: $('flow').value, hardfork: $('hardfork').value };
  try { input.env = JSON.parse($('env').value || '{}'); } catch (e) {
    if (!loose) throw new InputError('env', `not JSON (${e.message})`);
    input.env = $('env').value;
  }
  return input;
}

function writeForm(input) {
  for (const f of FIELDS) $(f).value = input[f] ?? '';
  $('env').value = typeof input.env === 'string' ? input.env : JSON.stringify(input.env ?? {}, null, 2);
  const config = { ...defaultConfig(input.config?.flow), ...(input.config ?? {}) };
  for (const k of ['protocolVersion', 'flow', 'hardfork']) $(k).value = config[k];
  const mode = MODES.includes(input.mode) ? input.mode : 'tx';
  document.querySelector(`input[name=mode][value=${mode}]`).checked = true;
  showMode(mode);
  solidity.write(input);
  $('example').value = input.example ?? '';
  $('about').textContent = findExample(input.example)?.about ?? '';
  updateCodeSize();
}

/** Shows the fields of input mode `mode`. */
function showMode(mode) {
  $('sol-fields').hidden = mode !== 'solidity';
  $('code-fields').hidden = mode !== 'tx';
  $('tx-common').hidden = mode === 'block' || mode === 'fork';
  $('block-fields').hidden = mode !== 'block';
  $('fork-fields').hidden = mode !== 'fork';
  // A forked replay takes its block and its state from the chain.
  $('state-fields').hidden = mode === 'fork';
}

function updateCodeSize() {
  try { $('code-size').textContent = `${codeBytes($('code').value).length} bytes`; } catch (e) { $('code-size').textContent = e.message; }
}

/**
 * The URL holds the run's input, step and breakpoints — or, once the form was edited since the
 * run, the form's input at step 0, so a link copied before Run carries the edit.
 */
function currentHash() {
  const bps = state.breakpoints.map(breakpointText);
  if (state.formEdited || !state.input) return encodeHash(readForm({ loose: true }), 0, bps);
  return encodeHash(state.input, state.position, bps);
}

function updateHash() {
  history.replaceState(null, '', currentHash());
}

/** Starts recording `input` (compiling it first in Solidity mode); `step` is the position to show. */
async function run(input, step = 0) {
  const prepareId = ++state.prepareId;
  let request, sol = null;
  try {
    if (input.mode === 'solidity') {
      setStatus('compiling…');
      sol = await solidity.prepare(input);
      if (prepareId !== state.prepareId) return;
      Object.assign(input, solidity.read(), { source: input.source });
      request = compileInput(input, sol.solidity);
    } else {
      request = compileInput(input);
    }
  } catch (e) {
    if (prepareId !== state.prepareId) return;
    setStatus('');
    showProblem(e);
    return;
  }
  showError('');
  $('fork-confirm').hidden = true;
  worker.postMessage({ type: 'cancel', id: state.runId });
  Object.assign(state, {
    input, request, runId: state.runId + 1, store: new TraceStore(), done: false, total: 0, frameTree: [],
    position: 0, wanted: step, inflight: false, detail: null, summary: null, stats: null, codes: [], txInfo: [],
    deployed: null, sol, lines: null, overtakes: [], formEdited: false, fork: null, progress: null,
  });
  $('fork-progress').textContent = '';
  $('source-panel').hidden = !sol;
  $('line-controls').hidden = !sol;
  if (sol) renderSource($('source-view'), input.source, null, 0);
  setStatus(request.fork ? 'connecting to the node…' : 'recording…');
  renderSummary(null);
  updateHash();
  worker.postMessage({ type: 'run', id: state.runId, request });
}

const maxPosition = () => state.store.length;

/** Moves the view to step `p` (clamped to what is recorded); resolves once it is shown. */
function goTo(p) {
  state.wanted = Math.max(0, Math.min(Math.round(p), maxPosition()));
  requestDetail();
  return whenShown();
}

let shownWaiters = [];
function whenShown() {
  if (!state.inflight && state.wanted === state.position && state.detail) return Promise.resolve();
  return new Promise((resolve) => shownWaiters.push(resolve));
}

function requestDetail() {
  if (state.inflight || state.wanted === state.position && state.detail) return;
  state.inflight = true;
  worker.postMessage({ type: 'inspect', id: state.runId, position: state.wanted });
}

/** The transaction the view is in (the last one once the run has ended). */
function viewTx() {
  const n = state.store.length;
  if (!n) return 0;
  const tx = state.store.get('tx', Math.min(state.position, n - 1));
  // The block finish step is numbered after the block's last transaction.
  return Math.min(tx, Math.max(0, state.txInfo.length - 1));
}

/** The source line of step `p` as "line N: text", or "" outside the source. */
function sourceLineText(p) {
  const line = state.lines?.line[p] ?? -1;
  if (line < 0) return '';
  return `line ${line + 1}: ${state.input.source.split('\n')[line].trim()}`;
}

function renderPosition() {
  const p = state.position, n = maxPosition();
  $('timeline').max = String(n);
  $('timeline').value = String(p);
  let where = 'finished';
  if (p < n) {
    const s = state.store.step(p);
    const tx = state.request?.block ? `tx ${s.tx} · ` : '';
    const line = sourceLineText(p);
    where = `${s.phase === BLOCK_FINISH ? '' : tx}${PHASES[s.phase]} · ${s.op === NO_OPCODE ? 'bootloader' : `pc ${s.pc.toString(16)} ${opName(s.op)}`}${line ? ` · ${line}` : ''} · depth ${s.depth} · ergs ${s.ergs.toLocaleString('en-US')} · native used ${s.native.toLocaleString('en-US')}`;
  }
  $('position').textContent = `step ${p} / ${n}${state.done ? '' : '+'} · ${where}`;
  renderStepCost($('step-cost'), state.store, p, state.txInfo);
  appendOpcodeNote(p);
  if (state.sol && state.lines) markLine($('source-view'), state.lines.line[p] ?? -1);
  moveCursor(charts, p);
}

/** Under the step's cost: what its opcode does, its gas rule and its native price. */
function appendOpcodeNote(p) {
  if (p >= state.store.length) return;
  const op = state.store.get('op', p);
  if (op === NO_OPCODE) return;
  const card = opcodeCard(op, $('protocolVersion').value, $('hardfork').value);
  if (!card) return;
  const d = document.createElement('details');
  d.className = 'op-note';
  d.innerHTML = '<summary></summary><p></p><p></p><p></p>';
  d.querySelector('summary').textContent = `About ${card.name}`;
  const [stack, gas, native] = d.querySelectorAll('p');
  stack.textContent = `Stack: ${card.stack}.`;
  gas.textContent = `Gas: ${card.gas}.`;
  native.textContent = `Native (${$('protocolVersion').value}): ${card.native}.${card.note ? ` ${card.note}` : ''}`;
  d.open = opNoteOpen;
  d.addEventListener('toggle', () => { opNoteOpen = d.open; });
  $('step-cost').append(d);
}
let opNoteOpen = false;

function renderPhaseBar() {
  const bar = $('phase-bar');
  bar.replaceChildren();
  const n = state.store.length;
  if (!n) return;
  // One segment per phase of each transaction; in block mode a transaction's first segment
  // is marked and named with its index, and the block finish closes the bar.
  const block = state.request?.block;
  let prevTx = null;
  for (const { start, end, tx, phase } of state.store.segments()) {
    const seg = document.createElement('button');
    const first = block && phase !== BLOCK_FINISH && (start === 0 || prevTx !== tx);
    seg.className = first ? 'phase tx-start' : 'phase';
    seg.style.flexGrow = String(Math.max(1, end - start));
    seg.textContent = first ? `tx ${tx} · ${PHASES[phase]}` : PHASES[phase];
    seg.title = `${block && phase !== BLOCK_FINISH ? `tx ${tx} ` : ''}${PHASES[phase]}: steps ${start}–${end - 1}`;
    seg.onclick = () => goTo(start);
    bar.append(seg);
    prevTx = tx;
  }
}

/** Marks on the timeline: where native overtakes gas. */
function renderTimelineMarks() {
  const box = $('timeline-marks');
  box.replaceChildren();
  const n = Math.max(1, state.store.length);
  for (const o of state.overtakes) {
    const b = document.createElement('button');
    b.className = 'mark overtake';
    b.style.left = `${(100 * o.step) / n}%`;
    b.textContent = '▲ native > gas';
    b.title = `native (as gas) overtakes gas at step ${o.step}${state.request?.block ? ` in tx ${o.tx}` : ''}`;
    b.setAttribute('aria-label', b.title);
    b.onclick = () => goTo(o.step);
    box.append(b);
  }
}

const rate = (tx) => rateOf(state.txInfo, tx);

function refreshCharts() {
  const t0 = performance.now();
  const rates = ratesOf(state.txInfo);
  const rows = opcodeRows(state.store, rates);
  state.overtakes = state.store.overtakes;
  const text = updateCharts(charts, state.store, rows, { position: state.position, overtakes: state.overtakes, multiTx: !!state.request?.block });
  $('chart-steps-text').textContent = text.steps;
  $('chart-cumulative-text').textContent = text.cumulative;
  $('chart-opcodes-text').textContent = text.opcodes;
  const distinct = new Set(rates);
  renderOpTable(rows, distinct.size === 1 ? [...distinct][0] : 0);
  renderTimelineMarks();
  chartCostMs = performance.now() - t0;
}

/**
 * While recording, the charts are redrawn at most every 500 ms, and at most once per ten times
 * the last redraw took (a redraw reads every step), so the page stays free for the user.
 */
const CHART_INTERVAL_MS = 500;
const CHART_IDLE_FACTOR = 10;
let chartTimer = 0, chartCostMs = 0;
function scheduleCharts() {
  if (chartTimer) return;
  const delay = Math.max(CHART_INTERVAL_MS, CHART_IDLE_FACTOR * chartCostMs);
  chartTimer = setTimeout(() => { chartTimer = 0; if (!state.done) refreshCharts(); }, delay);
}

/** The receipt of the transaction in view. */
function renderReceiptPanel() {
  const tx = viewTx();
  const summary = state.summary;
  const result = state.request?.block ? summary?.transactions?.[tx] : summary;
  // A forked replay's transaction and prices are the chain's (src/fork/run.js).
  const fork = state.request?.fork ? state.fork : null;
  renderReceipt($('receipt'), {
    info: state.txInfo[tx],
    result, input: fork ? fork.tx : state.request?.txs[tx], env: fork ? fork.env : state.request?.env, tx,
    txCount: fork ? 1 : state.request?.txs.length ?? 1,
  });
  attachTerms($('receipt'));
}

/** Source-level tables once the run is recorded (Solidity mode). */
function buildSourceView() {
  const sol = state.sol;
  if (!sol) return;
  const address = (state.deployed ?? state.summary?.contractAddress ?? '').toLowerCase();
  const tables = [];
  state.codes.forEach((key, i) => {
    if (key === address) tables[i] = pcTable(sol.contract.runtime, sol.contract.runtimeMap, state.input.source, sol.contract.fileIndex);
    else if (key === `init:${address}`) tables[i] = pcTable(sol.contract.bytecode, sol.contract.bytecodeMap, state.input.source, sol.contract.fileIndex);
  });
  state.lines = stepLines(state.store, tables);
  renderSource($('source-view'), state.input.source, lineHeat(state.store, state.lines), rate(0));
}

/** The first invalid transaction's error, shown in plain language. */
function reportInvalid() {
  const i = state.txInfo.findIndex((t) => t?.error);
  if (i < 0) return;
  const x = explainEngineError(state.txInfo[i].error, state.request?.block ? i : null);
  // A forked transaction is the chain's: no form field holds it, the selected rules refused it.
  if (state.request?.fork) showError(`The chain took this transaction, but the rules selected here refuse it: ${x.message}`);
  else showError(x.message, x.field);
}

worker.onmessage = ({ data }) => {
  if (data.id !== state.runId) return;
  if (data.type === 'progress') {
    state.progress = data;
    $('fork-progress').textContent = progressText(data, state.done);
    if (!state.store.length) setStatus(`${progressText(data).split('…')[0]}…`);
  } else if (data.type === 'chunk') {
    state.store.append(data, ratesOf(data.txInfo));
    Object.assign(state, { codes: data.codes, txInfo: data.txInfo });
    setStatus(`recording… ${state.store.length.toLocaleString('en-US')} steps`);
    renderPosition();
    scheduleCharts();
    if (!state.detail || state.wanted > state.position) requestDetail();
  } else if (data.type === 'done') {
    Object.assign(state, { done: true, total: data.total, summary: data.summary, stats: data.stats, codes: data.codes, txInfo: data.txInfo, deployed: data.deployed, fork: data.fork ?? null, frameTree: state.store.frameTree() });
    const steps = data.total.toLocaleString('en-US');
    setStatus(data.truncated ? `done: the first ${steps} steps recorded (a run keeps at most that many; the summary covers all of it)` : `done: ${steps} steps`);
    if (state.progress) $('fork-progress').textContent = progressText(state.progress, true);
    renderSummary(data.summary);
    buildSourceView();
    renderPhaseBar();
    refreshCharts();
    renderPosition();
    renderReceiptPanel();
    reportInvalid();
    goTo(state.wanted);
  } else if (data.type === 'detail') {
    state.inflight = false;
    state.position = data.position;
    state.detail = { ...data.detail, pc: data.position < state.store.length ? state.store.get('pc', data.position) : null };
    renderDetail(state.detail, state.disasm);
    renderFrames(state.frameTree, state.position, state.detail.frames, goTo);
    renderPosition();
    renderReceiptPanel();
    if (!state.formEdited) updateHash();
    requestDetail();
    if (state.wanted === state.position) { const w = shownWaiters; shownWaiters = []; w.forEach((f) => f()); }
  } else if (data.type === 'error') {
    state.inflight = false;
    setStatus('error');
    if (!state.done) clearViews();
    if (data.reason) {
      const x = explainEngineError(data, state.request?.block ? data.txIndex ?? 0 : null);
      showError(x.message, x.field);
    } else {
      showError(data.message, data.field);
    }
  }
};

/** A run that could not be recorded shows no steps, not the views of the run before it. */
function clearViews() {
  renderDetail(NO_DETAIL, state.disasm);
  renderFrames([], 0, [], goTo);
  renderPhaseBar();
  renderPosition();
  $('position').textContent = 'step 0 / 0 · nothing recorded';
  $('step-cost').textContent = 'Nothing was recorded: see the message above.';
  $('receipt').replaceChildren();
  if (state.progress) $('fork-progress').textContent = `Stopped: ${progressText(state.progress, true).replace(/^Replayed: /, '')}`;
}

worker.onerror = (e) => { setStatus('error'); showError(`engine worker: ${e.message}`); };

function continueToBreakpoint() {
  const matchers = state.breakpoints.map(breakpointMatcher);
  if (!matchers.length) { goTo(maxPosition()); return; }
  const hit = state.store.find(state.position + 1, (cols, k) => matchers.some((m) => m(cols, k)));
  goTo(hit < 0 ? maxPosition() : hit);
}

/** Source-level step (`into`, `over`, `out`) from the current position. */
function lineStepTo(mode) {
  if (!state.lines) return;
  const sourceLines = state.input.source.split('\n');
  const view = {
    length: state.store.length, line: state.lines.line, jump: state.lines.jump,
    depth: (i) => state.store.get('depth', i), op: (i) => state.store.get('op', i),
    isHeader: (line) => line >= 0 && isFunctionHeader(sourceLines[line]),
  };
  goTo(lineStep(view, state.position, mode));
}

function renderBreakpoints() {
  $('bp-list').replaceChildren(...state.breakpoints.map((bp, i) => {
    const li = document.createElement('li');
    li.textContent = breakpointLabel(bp);
    const x = document.createElement('button');
    x.textContent = '×';
    x.title = 'remove';
    x.setAttribute('aria-label', `remove breakpoint ${breakpointLabel(bp)}`);
    x.onclick = () => { state.breakpoints.splice(i, 1); renderBreakpoints(); };
    li.append(x);
    return li;
  }));
  if (state.input) updateHash();
}

function addBreakpoint(text) {
  state.breakpoints.push(parseBreakpoint(text, { opcodes: OPCODE, phases: PHASES }));
  renderBreakpoints();
}

function loadExample(id) {
  const ex = findExample(id) ?? EXAMPLES[0];
  const input = { ...structuredClone(ex.input), example: ex.id, config: defaultConfig(state.input?.config?.flow) };
  state.input = input;
  writeForm(input);
  return run(input);
}

/**
 * A fork-mode link names a node's URL: the page contacts it only once the reader, shown the URL,
 * clicks Connect (or Run). Before, opening such a link sent JSON-RPC requests from the reader's
 * browser to whatever URL its author chose (a host on the reader's network, a tracker's server).
 */
function askToConnect(input, step) {
  $('fork-confirm-url').textContent = String(input.forkUrl ?? '');
  $('fork-confirm').hidden = false;
  setStatus('not connected: the link names a node');
  $('fork-connect').onclick = () => run(input, step);
}

function runFromForm() {
  try { run(readForm()); } catch (e) { showProblem(e); }
}

/** A form field changed: the input is now custom, and the link carries the edit. */
let hashTimer = 0;
function formEdited() {
  $('example').value = '';
  $('about').textContent = '';
  // The link's node is no longer what the form holds: Run connects to the field's.
  if (!$('fork-confirm').hidden) { $('fork-confirm').hidden = true; setStatus(''); }
  state.formEdited = true;
  clearTimeout(hashTimer);
  hashTimer = setTimeout(updateHash, 300);
}

function onSolidityEdit({ error } = {}) {
  if (error) { showProblem(error); return; }
  showError('');
  formEdited();
}

/** Block mode starts from a default block (and the token it calls) when its list is empty. */
function fillDefaultBlock() {
  if ($('block').value.trim()) return;
  $('block').value = JSON.stringify(DEFAULT_BLOCK.transactions, null, 2);
  try {
    const accounts = JSON.parse($('accounts').value || '{}');
    if (!Object.keys(accounts).some((a) => a.toLowerCase() === CONTRACT)) {
      $('accounts').value = JSON.stringify({ ...accounts, ...DEFAULT_BLOCK.accounts }, null, 2);
    }
  } catch { /* a pre-state that is not JSON is left for the user to fix */ }
}

/** The page's hooks for the tour. */
function tourContext() {
  return {
    goTo,
    findStep: (pred, from) => state.store.find(from, pred),
    stepCost: (p) => { const s = state.store.step(p); return { op: s.op, gas: s.ergsCost / 256, native: s.nativeCost }; },
    rate: () => rate(0),
    summary: () => state.summary,
    total: () => maxPosition(),
    sourceLine: (p) => sourceLineText(p) || 'generated code',
  };
}

async function runTour() {
  if (state.input?.example !== 'erc20' || state.formEdited) {
    loadExample('erc20');
  }
  await new Promise((resolve) => {
    const wait = () => (state.done && state.sol ? resolve() : setTimeout(wait, 100));
    wait();
  });
  await startTour(erc20Tour(tourContext()));
  $('tour-start').focus();
}

/** The opcode card of a Code panel line, shown next to it. */
function showOpcodeCard(li) {
  const card = $('opcode-card');
  const info = li && opcodeCard(Number(li.dataset.op), $('protocolVersion').value, $('hardfork').value);
  if (!info) { card.hidden = true; return; }
  card.replaceChildren(...[
    ['b', info.name], ['div', `Stack: ${info.stack}`], ['div', `Gas: ${info.gas}`],
    ['div', `Native (${$('protocolVersion').value}): ${info.native}`], ...(info.note ? [['div', info.note]] : []),
  ].map(([tag, text]) => Object.assign(document.createElement(tag), { textContent: text })));
  card.hidden = false;
  const r = li.getBoundingClientRect();
  const width = Math.min(380, window.innerWidth - 16);
  card.style.width = `${width}px`;
  card.style.left = `${Math.max(8, Math.min(r.right + 8, window.innerWidth - width - 8))}px`;
  card.style.top = `${Math.max(8, Math.min(r.top, window.innerHeight - card.offsetHeight - 8))}px`;
}

function bindKeys(count) {
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    // Arrow keys never change a select (the list opens with Alt+↓, Space or Enter).
    if (t.closest?.('select') && ARROWS.includes(e.key) && !e.altKey) { e.preventDefault(); return; }
    if (t.closest?.('textarea, input, select, [contenteditable=true]')) return;
    if (!$('tour').hidden && t.closest?.('#tour')) return;
    const keys = { ArrowRight: () => goTo(state.wanted + count()), ArrowLeft: () => goTo(state.wanted - count()), Home: () => goTo(0), End: () => goTo(maxPosition()) };
    if (state.lines) Object.assign(keys, { F10: () => lineStepTo('over'), F11: () => lineStepTo(e.shiftKey ? 'out' : 'into') });
    if (keys[e.key] && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); keys[e.key](); }
  });
}

function init() {
  fillSelect('example', ['', ...EXAMPLES.map((e) => e.id)], ['(custom)', ...EXAMPLES.map((e) => e.title)]);
  fillSelect('protocolVersion', PROTOCOL_VERSIONS);
  fillSelect('flow', FLOWS, FLOWS.map((f) => (f === 'zk' ? 'ZKsync (zk)' : 'Ethereum')));
  fillSelect('hardfork', HARDFORKS);
  $('example').onchange = () => { if ($('example').value) loadExample($('example').value); };
  $('run').onclick = runFromForm;
  for (const k of ['protocolVersion', 'flow', 'hardfork']) $(k).onchange = runFromForm;
  // Reset runs the form's input again from step 0: custom code and breakpoints stay.
  $('reset').onclick = runFromForm;
  $('share').onclick = async () => {
    updateHash();
    try { await navigator.clipboard.writeText(location.href); setStatus('link copied'); } catch { setStatus('link is in the address bar'); }
  };
  $('tour-start').onclick = runTour;
  document.querySelectorAll('input[name=mode]').forEach((r) => {
    r.onchange = () => {
      showMode(r.value);
      if (r.value === 'block') fillDefaultBlock();
      formEdited();
    };
  });
  for (const f of [...FIELDS, 'env', 'source']) $(f).addEventListener('input', formEdited);
  solidity.bind();
  $('code').addEventListener('input', updateCodeSize);
  $('to-hex').onclick = () => { try { $('code').value = bytesToHex(codeBytes($('code').value)); updateCodeSize(); showError(''); } catch (e) { showProblem(e); } };
  $('to-asm').onclick = () => { try { $('code').value = disassembleText(codeBytes($('code').value)); updateCodeSize(); showError(''); } catch (e) { showProblem(e); } };
  const count = () => Math.max(1, Number.parseInt($('step-count').value, 10) || 1);
  $('step').onclick = () => goTo(state.wanted + count());
  $('back').onclick = () => goTo(state.wanted - count());
  $('to-start').onclick = () => goTo(0);
  $('to-end').onclick = () => goTo(maxPosition());
  $('continue').onclick = continueToBreakpoint;
  $('line-into').onclick = () => lineStepTo('into');
  $('line-over').onclick = () => lineStepTo('over');
  $('line-out').onclick = () => lineStepTo('out');
  $('timeline').oninput = () => goTo(Number($('timeline').value));
  bindKeys(count);
  $('bp-add').onclick = () => {
    try {
      addBreakpoint($('bp-text').value);
      $('bp-text').value = '';
      showError('');
    } catch (e) { showError(e.message, 'bp-text'); }
  };
  document.querySelectorAll('input[name=radix], #words-full').forEach((c) => {
    c.onchange = () => {
      wordView.radix = document.querySelector('input[name=radix]:checked').value;
      wordView.full = $('words-full').checked;
      if (state.detail) renderDetail(state.detail, state.disasm);
    };
  });
  const codeView = $('code-view');
  codeView.addEventListener('mouseover', (e) => showOpcodeCard(e.target.closest('li[data-op]')));
  codeView.addEventListener('mouseleave', () => { $('opcode-card').hidden = true; });
  const codePanel = codeView.closest('.panel');
  codePanel.addEventListener('focus', () => showOpcodeCard(codeView.querySelector('li.current')));
  codePanel.addEventListener('blur', () => { $('opcode-card').hidden = true; });
  attachTerms();
  const fromHash = decodeHash(location.hash);
  if (fromHash?.problem) {
    // Shown once the example's run has started (starting it clears the error line).
    const message = `This link cannot be opened: ${fromHash.problem}. The first example is shown instead.`;
    loadExample(EXAMPLES[0].id).then(() => showError(message));
  } else if (fromHash) {
    state.input = fromHash.input;
    for (const text of fromHash.breakpoints) {
      try {
        state.breakpoints.push(parseBreakpoint(text, { opcodes: OPCODE, phases: PHASES }));
      } catch { /* a damaged breakpoint is dropped */ }
    }
    renderBreakpoints();
    try {
      writeForm(fromHash.input);
      if (fromHash.input.mode === 'fork') askToConnect(fromHash.input, fromHash.step);
      else run(fromHash.input, fromHash.step);
    } catch (e) {
      showProblem(e);
    }
  } else {
    loadExample(EXAMPLES[0].id);
  }
}

/** Hooks for the browser tests (read-only views of the page's state). */
window.__playground = {
  state, charts, goTo,
  get idle() { return state.done && !state.inflight && state.wanted === state.position && state.detail !== null; },
  addBreakpoint,
};

init();
