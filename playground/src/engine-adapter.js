// The only module that talks to the zkos npm package. It turns a playground request into
// engine calls and exposes what the worker needs:
//   openRun(request) → { openCursor(), summary(), opcodeStats() }
//   cursor: { position, record(max) → {count, cols, done}, advance(n), snapshot() → detail }
// A cursor is a stepping session on a fresh engine with the request's pre-state, so any number
// of cursors can replay the same execution independently.

import { createEngine } from 'zkos';
import { COLUMNS, NO_OPCODE, PHASES } from './trace-store.js';

const hexOf = (v) => (typeof v === 'bigint' || typeof v === 'number' ? '0x' + v.toString(16) : String(v ?? '0x').toLowerCase());
const num = (v) => (v === undefined || v === null ? 0 : Number(v));
const phaseIndex = (p) => {
  if (typeof p === 'number') return p;
  // The engine names phases like its Rust enum (FeeCharge); the playground writes "fee charge".
  const i = PHASES.indexOf(String(p ?? 'execution').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase());
  return i < 0 ? PHASES.indexOf('execution') : i;
};

function txRequest(tx) {
  return { from: tx.from, to: tx.to ?? undefined, data: tx.data, value: BigInt(tx.value), gas: BigInt(tx.gasLimit), gasPrice: BigInt(tx.gasPrice) };
}

async function freshEngine(request) {
  const { chainId, protocolVersion, flow, hardfork } = request.config;
  const env = request.env;
  const engine = await createEngine({
    chainId: BigInt(chainId), protocolVersion: Number(String(protocolVersion).replace(/^v/, '')), flow, hardfork,
    baseFee: BigInt(env.baseFee), nativePrice: BigInt(env.nativePrice), pubdataPrice: BigInt(env.pubdataPrice),
    blockGasLimit: BigInt(env.gasLimit), coinbase: env.coinbase,
  });
  for (const a of request.accounts) {
    engine.setAccount(a.address, { balance: BigInt(a.balance), nonce: BigInt(a.nonce), code: a.code ?? '0x', storage: Object.fromEntries(Object.entries(a.storage).map(([k, v]) => [k, BigInt(v)])) });
  }
  return engine;
}

/** The engine's live frames (outermost first) as the panels show them. */
function normalizeFrames(frames) {
  return (frames ?? []).map((f, i) => ({
    id: i,
    depth: num(f.depth ?? i),
    kind: String(f.kind ?? 'CALL').toUpperCase(),
    caller: hexOf(f.caller),
    callee: hexOf(f.address),
    codeAddress: hexOf(f.codeAddress ?? f.address),
    value: String(f.value ?? '0'),
    ergsLeft: num(f.ergs),
  }));
}

/** Slots as `{address, key, value, original?}` from `{address, key, original, current}` objects or `[address, key, value]` tuples. */
function slots(list) {
  return (list ?? []).map((s) => (Array.isArray(s)
    ? { address: hexOf(s[0]), key: hexOf(s[1]), value: hexOf(s[2]) }
    : { address: hexOf(s.address), key: hexOf(s.key), value: hexOf(s.current ?? s.value), original: s.original === undefined ? undefined : hexOf(s.original) }));
}

/** The engine's opcodeStats trace of `tx` as `{NAME: {count, ergs|gas, native}}`; empty when it has none. */
function opcodeStatsOf(engine, tx) {
  let trace;
  try {
    trace = engine.trace(tx, { tracer: 'opcodeStats' });
  } catch {
    return {};
  }
  return trace?.opcodes ?? trace ?? {};
}

/** Opens everything the worker needs to record and inspect `request` (bigints as strings). */
export async function openRun(request) {
  const txs = request.txs.map(txRequest);
  const main = await freshEngine(request);
  const summaries = [];
  const stats = {};
  for (const tx of txs) {
    summaries.push(main.call(tx));
    for (const [op, v] of Object.entries(opcodeStatsOf(main, tx))) {
      const t = (stats[op] ??= { count: 0, ergs: 0, native: 0 });
      t.count += num(v.count); t.ergs += num(v.ergs ?? num(v.gas) * 256); t.native += num(v.native);
    }
    if (txs.length > 1) main.runBlock({ transactions: [tx] });
  }

  const price = BigInt(request.txs[0].gasPrice);
  const { nativePrice } = main.fees();
  const nativePerGas = nativePrice > 0n ? Number((price + nativePrice - 1n) / nativePrice) : 0;

  return {
    nativePerGas: () => nativePerGas,
    summary: () => (summaries.length === 1 ? plainResult(summaries[0]) : { transactions: summaries.map(plainResult) }),
    opcodeStats: () => stats,
    openCursor: () => openCursor(request, txs),
  };
}

function plainResult(r) {
  return JSON.parse(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v)));
}

/** Calls `obj.name()` when it is a method, reads it when it is a property. */
const read = (obj, name) => (typeof obj[name] === 'function' ? obj[name]() : obj[name]);

/**
 * A replay of the request's transactions. The engine's session takes one step for validation and
 * fee charge, one per opcode, and one for pubdata, refund and fee settlement; the cursor records
 * each as a step (bootloader steps with op NO_OPCODE), its pc, opcode and depth read before it
 * runs and its ergs and native costs from the session's counters after it.
 */
function openCursor(request, txs) {
  let engine = null, session = null, txIndex = -1, done = false, lastFrames = [];
  const codes = new Map();
  let prevErgs = 0, prevNative = 0;

  const nextSession = () => {
    if (session && txs.length > 1) engine.runBlock({ transactions: [txs[txIndex]] });
    session?.free?.();
    txIndex++;
    if (txIndex >= txs.length) { done = true; session = null; return; }
    session = engine.session(txs[txIndex]);
    prevErgs = 0; prevNative = 0;
  };

  /** Totals the session has charged so far: ergs (intrinsic gas × 256 plus execution) and native. */
  const charged = () => {
    const c = session.costs();
    return { ergs: num(c.intrinsicGas) * 256 + num(c.executionErgs), native: num(c.intrinsicNative) + num(c.executionNative), nativeUsed: c.nativeUsed };
  };

  /** Runs one step and returns what it was, or null when every transaction has finished. */
  const stepOnce = () => {
    while (!done && read(session, 'finished')) nextSession();
    if (done) return null;
    const phase = phaseIndex(read(session, 'phase'));
    const top = phase === PHASES.indexOf('execution') ? session.frames().at(-1) : undefined;
    session.step(1);
    const now = charged();
    // The settlement step charges pubdata native; its total is known only once finished.
    const nativeNow = read(session, 'finished') && now.nativeUsed !== undefined && now.nativeUsed !== null ? Math.max(num(now.nativeUsed), now.native) : now.native;
    const rec = {
      phase, pc: top ? num(top.pc) : 0, op: top ? num(top.opcode) : NO_OPCODE, depth: top ? num(top.depth) : 0,
      ergs: top ? num(top.ergs) : 0, ergsCost: now.ergs - prevErgs, native: prevNative, nativeCost: nativeNow - prevNative,
    };
    prevErgs = now.ergs;
    prevNative = nativeNow;
    return rec;
  };

  const cursor = {
    position: 0,
    ready: null,
    record(max) {
      const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, T]) => [k, new T(max)]));
      let count = 0;
      for (; count < max; count++) {
        const rec = stepOnce();
        if (!rec) break;
        for (const k of Object.keys(COLUMNS)) cols[k][count] = k === 'frame' ? rec.depth : rec[k];
      }
      cursor.position += count;
      if (count < max) for (const k of Object.keys(cols)) cols[k] = cols[k].slice(0, count);
      return { count, cols, done: count < max };
    },
    advance(n) {
      for (let i = 0; i < n; i++) { if (!stepOnce()) break; cursor.position++; }
    },
    snapshot() {
      if (!session) return finishedDetail(lastFrames);
      const frames = normalizeFrames(session.frames());
      lastFrames = frames;
      const top = frames.at(-1);
      const address = top?.codeAddress;
      if (address && !codes.has(address)) codes.set(address, engine.getAccount(address)?.code ?? '0x');
      const storage = session.storage();
      const c = charged();
      return {
        frame: top?.id ?? null,
        frames,
        tx: txIndex,
        code: address ? codes.get(address) : null,
        stack: session.stack(),
        memory: session.memory(),
        storage: slots(storage.persistent ?? storage),
        transient: slots(storage.transient ?? []),
        returnData: hexOf(typeof session.returnData === 'function' ? session.returnData() : '0x'),
        logs: [], messages: [], pubdata: null,
        ergs: c.ergs, native: c.native,
      };
    },
  };

  function finishedDetail(frames) {
    return { frame: null, frames, tx: txIndex, code: null, stack: [], memory: '0x', storage: [], transient: [], returnData: '0x', logs: [], messages: [], pubdata: null };
  }

  cursor.ready = freshEngine(request).then((e) => { engine = e; nextSession(); });
  return cursor;
}
