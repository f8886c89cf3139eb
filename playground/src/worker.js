// The engine's Web Worker. It owns every engine object; the main thread only sends requests and
// receives plain data. Protocol (every message carries the `id` of the run it belongs to):
//   main → worker  {type:'run', id, request}        record a new execution (request: src/input.js)
//                  {type:'inspect', id, position}   full state before step `position`
//                  {type:'cancel', id}              stop recording run `id`
//   worker → main  {type:'chunk', id, start, count, cols, codes, txInfo}   per-step columns
//                  (transferred); `codes` names the code of each `code` column value, `txInfo`
//                  what the engine reported per transaction so far (native budget, gas
//                  breakdown, invalid-transaction error; see src/engine-adapter.js)
//                  {type:'progress', id, stage, requests, accounts, slots, codes, blockHashes}
//                  (fork mode: what the node was asked and answered so far)
//                  {type:'done', id, total, truncated, summary, stats, codes, txInfo, deployed, fork}
//                  (truncated: the run went on past MAX_RECORDED_STEPS, the steps recorded)
//                  (fork: what the replayed transaction is, see src/fork/run.js)
//                  {type:'detail', id, position, detail}
//                  {type:'error', id, message, field?, code?, reason?, txIndex?}   (reason:
//                  the engine's rule when it refused transaction txIndex)
// Recording streams the trace in chunks and yields to the event loop between them, so an
// inspect or cancel is served while a long execution is still being recorded.

import { openRun } from './engine-adapter.js';
import { openForkRun } from './fork/run.js';
import { explainForkError } from './fork/explain.js';
import { diffDetail } from './detail.js';
import { MAX_RECORDED_STEPS } from './trace-store.js';

const CHUNK_STEPS = 16384;
const DETAIL_CACHE_SIZE = 512;

let current = null; // {id, run, cursor, cache: Map<position, detail>, cancelled}

const yieldToEvents = () => new Promise((resolve) => setTimeout(resolve, 0));

function fail(id, e) {
  postMessage({ type: 'error', id, message: e?.message ?? String(e), field: e?.field, code: e?.code, reason: e?.reason, txIndex: e?.txIndex });
}

async function record(id, request) {
  const progress = (counts) => postMessage({ type: 'progress', id, ...counts });
  const run = request.fork ? await openForkRun(request, progress) : await openRun(request);
  current = { id, request, run, cursor: null, cache: new Map(), cancelled: false };
  const recorder = run.openCursor();
  await recorder.ready;
  let start = 0;
  let truncated = false;
  for (;;) {
    if (current?.id !== id || current.cancelled) return;
    const { count, cols, done } = await recorder.record(Math.min(CHUNK_STEPS, MAX_RECORDED_STEPS - start));
    if (count > 0) {
      postMessage({ type: 'chunk', id, start, count, cols, codes: recorder.codes, txInfo: recorder.txInfo }, Object.values(cols).map((a) => a.buffer));
      start += count;
    }
    if (done) break;
    if (start >= MAX_RECORDED_STEPS) { truncated = true; break; }
    await yieldToEvents();
  }
  postMessage({ type: 'done', id, total: start, truncated, summary: run.summary(), stats: run.opcodeStats(), codes: recorder.codes, txInfo: recorder.txInfo, deployed: run.deployed, fork: run.fork });
}

/** State before step `position`, marked against the state one step earlier. */
async function inspect(position) {
  const state = current;
  const at = async (p) => {
    const hit = state.cache.get(p);
    if (hit) return hit;
    if (!state.cursor || state.cursor.position > p) {
      state.cursor = state.run.openCursor();
      await state.cursor.ready;
    }
    await state.cursor.advance(p - state.cursor.position);
    const detail = await state.cursor.snapshot();
    state.cache.set(p, detail);
    if (state.cache.size > DETAIL_CACHE_SIZE) state.cache.delete(state.cache.keys().next().value);
    return detail;
  };
  const before = position > 0 ? await at(position - 1) : null;
  return diffDetail(before, await at(position));
}

onmessage = async ({ data }) => {
  const { type, id } = data;
  try {
    if (type === 'run') {
      try { await record(id, data.request); } catch (e) {
        if (!data.request.fork) throw e;
        fail(id, await explainForkError(e, data.request.fork));
      }
    }
    else if (type === 'cancel') { if (current?.id === id) current.cancelled = true; }
    else if (type === 'inspect') {
      if (current?.id !== id) return;
      let detail;
      try { detail = await inspect(data.position); } catch (e) {
        // A forked replay may need the node again (a state it had not read yet).
        if (!current.request.fork) throw e;
        throw await explainForkError(e, current.request.fork);
      }
      postMessage({ type: 'detail', id, position: data.position, detail });
    }
  } catch (e) {
    fail(id, e);
  }
};
