// The only module that talks to the zkos npm package. It turns a playground request into
// engine calls and exposes what the worker needs:
//   openRun(request) → { openCursor(), summary(), opcodeStats() }
//   cursor: { position, record(max) → {count, cols, done}, advance(n), snapshot() → detail }
// A cursor is a stepping session on a fresh engine with the request's pre-state, so any number
// of cursors can replay the same execution independently.

import { createEngine } from 'zkos';
import { COLUMNS, NO_OPCODE, PHASES } from './trace-store.js';
import { OPCODE } from './evm/opcodes.js';

const hexOf = (v) => (typeof v === 'bigint' || typeof v === 'number' ? '0x' + v.toString(16) : String(v ?? '0x').toLowerCase());
const num = (v) => (v === undefined || v === null ? 0 : Number(v));
const phaseIndex = (p) => {
  if (typeof p === 'number') return p;
  const i = PHASES.indexOf(String(p ?? 'execution').toLowerCase().replace(/[_-]/g, ' '));
  return i < 0 ? PHASES.indexOf('execution') : i;
};
const opByte = (op) => (typeof op === 'number' ? op : OPCODE.get(String(op).toUpperCase()) ?? NO_OPCODE);

function txRequest(tx) {
  return { from: tx.from, to: tx.to ?? undefined, data: tx.data, value: BigInt(tx.value), gas: BigInt(tx.gasLimit), gasPrice: BigInt(tx.gasPrice) };
}

async function freshEngine(request) {
  const { chainId, protocolVersion, flow, hardfork } = request.config;
  const engine = await createEngine({ chainId: BigInt(chainId), protocolVersion: Number(String(protocolVersion).replace(/^v/, '')), flow, hardfork });
  const env = request.env;
  if (typeof engine.setFees === 'function') {
    engine.setFees({ baseFee: BigInt(env.baseFee), nativePrice: BigInt(env.nativePrice), pubdataPrice: BigInt(env.pubdataPrice), blockGasLimit: BigInt(env.gasLimit), coinbase: env.coinbase });
  }
  for (const a of request.accounts) {
    engine.setAccount(a.address, { balance: BigInt(a.balance), nonce: BigInt(a.nonce), code: a.code ?? '0x', storage: Object.fromEntries(Object.entries(a.storage).map(([k, v]) => [k, BigInt(v)])) });
  }
  return engine;
}

function normalizeFrames(frames) {
  return (frames ?? []).map((f, i) => ({
    id: num(f.id ?? i),
    parent: f.parent ?? (i > 0 ? num(frames[i - 1].id ?? i - 1) : null),
    depth: num(f.depth ?? i),
    kind: String(f.kind ?? f.type ?? 'CALL').toUpperCase(),
    caller: hexOf(f.caller ?? f.from),
    callee: hexOf(f.callee ?? f.to ?? f.address),
    codeAddress: hexOf(f.codeAddress ?? f.callee ?? f.to ?? f.address),
    value: String(f.value ?? '0'),
    ergsPassed: num(f.ergsPassed ?? f.ergs),
    nativePassed: num(f.nativePassed ?? f.native),
    status: f.status ?? '',
  }));
}

function slots(list) {
  if (!list) return [];
  const rows = Array.isArray(list) ? list : Object.entries(list).flatMap(([address, kv]) => Object.entries(kv).map(([key, value]) => ({ address, key, value })));
  return rows.map((s) => ({ address: hexOf(s.address), key: hexOf(s.key ?? s.slot), value: hexOf(s.value ?? s.current), original: s.original === undefined ? undefined : hexOf(s.original) }));
}

/** Opens everything the worker needs to record and inspect `request` (bigints as strings). */
export async function openRun(request) {
  const txs = request.txs.map(txRequest);
  const main = await freshEngine(request);
  const summaries = [];
  const stats = {};
  for (const tx of txs) {
    summaries.push(main.call(tx));
    const s = main.trace(tx, { tracer: 'opcodeStats' });
    for (const [op, v] of Object.entries(s.opcodes ?? s)) {
      const t = (stats[op] ??= { count: 0, ergs: 0, native: 0 });
      t.count += num(v.count); t.ergs += num(v.ergs ?? num(v.gas) * 256); t.native += num(v.native);
    }
    if (txs.length > 1) main.runBlock({ transactions: [tx] });
  }

  const fees = main.fees();
  const price = BigInt(request.txs[0].gasPrice);
  const nativePerGas = fees.nativePrice > 0n ? Number((price + fees.nativePrice - 1n) / fees.nativePrice) : 0;

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

function openCursor(request, txs) {
  let engine = null, session = null, txIndex = -1, done = false, lastFrames = [];
  const codes = new Map();
  let prevErgs = 0, prevNative = 0;

  const nextSession = () => {
    if (!engine) throw new Error('engine not ready');
    if (session && txs.length > 1) engine.runBlock({ transactions: [txs[txIndex]] });
    session?.free?.();
    txIndex++;
    if (txIndex >= txs.length) { done = true; session = null; return; }
    session = engine.session(txs[txIndex]);
    prevErgs = 0; prevNative = 0;
  };

  /** Runs one step; returns its record or null at the end. */
  const stepOnce = () => {
    while (!done) {
      const rec = session.step();
      if (rec !== undefined && rec !== null) return rec;
      nextSession();
    }
    return null;
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
        const c = session ? session.costs() : { ergs: prevErgs, native: prevNative };
        const ergsNow = num(c.ergs), nativeNow = num(c.native);
        cols.pc[count] = num(rec.pc);
        cols.op[count] = rec.op === undefined || rec.op === null ? NO_OPCODE : opByte(rec.op);
        cols.depth[count] = num(rec.depth);
        cols.phase[count] = phaseIndex(rec.phase);
        cols.frame[count] = num(rec.frame ?? rec.depth);
        cols.ergs[count] = num(rec.ergs ?? rec.gas);
        cols.ergsCost[count] = rec.ergsCost !== undefined ? num(rec.ergsCost) : ergsNow - prevErgs;
        cols.native[count] = prevNative;
        cols.nativeCost[count] = rec.nativeCost !== undefined ? num(rec.nativeCost) : nativeNow - prevNative;
        prevErgs = ergsNow; prevNative = nativeNow;
      }
      cursor.position += count;
      if (count < max) for (const k of Object.keys(cols)) cols[k] = cols[k].slice(0, count);
      return { count, cols, done: done || count < max };
    },
    advance(n) {
      for (let i = 0; i < n; i++) { if (!stepOnce()) break; cursor.position++; }
    },
    snapshot() {
      if (!session) return finishedDetail(lastFrames);
      const frames = normalizeFrames(session.frames());
      lastFrames = frames;
      const top = frames[frames.length - 1];
      const raw = session.raw ?? {};
      const opt = (name) => (typeof raw[name] === 'function' ? raw[name]() : undefined);
      const address = top?.codeAddress;
      if (address && !codes.has(address)) codes.set(address, engine.getAccount(address)?.code ?? '0x');
      const c = session.costs();
      return {
        frame: top?.id ?? null,
        frames,
        tx: txIndex,
        code: address ? codes.get(address) : null,
        stack: session.stack(),
        memory: session.memory(),
        storage: slots(session.storage()),
        transient: slots(opt('transientStorage') ?? opt('transient')),
        returnData: hexOf(opt('returnData') ?? '0x'),
        logs: (opt('logs') ?? []).map((l) => ({ address: hexOf(l.address), topics: (l.topics ?? []).map(hexOf), data: hexOf(l.data) })),
        messages: (opt('l2ToL1Messages') ?? opt('messages') ?? []).map((m) => ({ sender: hexOf(m.sender), data: hexOf(m.data) })),
        pubdata: opt('pubdata') === undefined ? null : hexOf(opt('pubdata')),
        ergs: num(c.ergs), native: num(c.native), pubdataBytes: num(c.pubdata),
      };
    },
  };

  function finishedDetail(frames) {
    return { frame: null, frames, tx: txIndex, code: null, stack: [], memory: '0x', storage: [], transient: [], returnData: '0x', logs: [], messages: [], pubdata: null };
  }

  cursor.ready = freshEngine(request).then((e) => { engine = e; nextSession(); });
  return cursor;
}
