// The only module that talks to the zkos npm package. It turns a playground request into
// engine calls and exposes what the worker needs:
//   openRun(request) → { openCursor(), summary(), opcodeStats(), deployed }
//   cursor: { position, record(max) → {count, cols, done}, advance(n), snapshot() → detail,
//             codes, txInfo }
// A cursor is a stepping session on a fresh engine with the request's pre-state (and its setup
// transactions, e.g. a contract's deployment), so any number of cursors can replay the same
// execution independently.

import { createEngine } from 'zkos';
import { COLUMNS, NO_CODE, NO_OPCODE, PHASES } from './trace-store.js';
import { opName } from './evm/opcodes.js';
import { DEPLOYED } from './input.js';

/** A request the engine cannot run as given; `field` names the form control to fix. */
export class RunError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'RunError';
    this.field = field;
  }
}

const hexOf = (v) => (typeof v === 'bigint' || typeof v === 'number' ? '0x' + v.toString(16) : String(v ?? '0x').toLowerCase());
const num = (v) => (v === undefined || v === null ? 0 : Number(v));
const phaseIndex = (p) => {
  if (typeof p === 'number') return p;
  // The engine names phases like its Rust enum (FeeCharge); the playground writes "fee charge".
  const i = PHASES.indexOf(String(p ?? 'execution').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase());
  return i < 0 ? PHASES.indexOf('execution') : i;
};

function txRequest(tx, deployed) {
  const to = tx.to === DEPLOYED ? deployed : tx.to ?? undefined;
  return { from: tx.from, to, data: tx.data, value: BigInt(tx.value), gas: BigInt(tx.gasLimit), gasPrice: BigInt(tx.gasPrice) };
}

/**
 * A fresh engine with the request's pre-state and its setup transactions run as one block;
 * `deployed` is the address the last setup transaction created. A setup that does not succeed
 * is a RunError naming the constructor's arguments.
 */
async function freshEngine(request) {
  const engine = await baseEngine(request);
  let deployed = null;
  if (request.setup?.length) {
    const block = engine.runBlock({ transactions: request.setup.map((t) => txRequest(t, null)) });
    for (const r of block.transactions) {
      if (r.status !== 'success') {
        const why = r.revertReason?.message ?? r.revertReason?.reason ?? r.error ?? r.status;
        throw new RunError(`Deploying the contract failed (${why}), so there is nothing to call. Check the constructor's arguments, or step the constructor itself.`, 'sol-ctor-args');
      }
      deployed = r.contractAddress ?? deployed;
    }
  }
  return { engine, deployed };
}

async function baseEngine(request) {
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
    kind: String(f.type ?? 'CALL').toUpperCase(),
    caller: hexOf(f.caller),
    callee: hexOf(f.address),
    codeAddress: hexOf(f.codeAddress ?? f.address),
    value: String(f.value ?? '0'),
    ergsLeft: num(f.ergs),
  }));
}

/** Slots as `{address, key, value, original?}` from the session's `{address, slot, original, current}` or `{address, slot, value}`. */
function slots(list) {
  return (list ?? []).map((s) => ({ address: hexOf(s.address), key: hexOf(s.slot), value: hexOf(s.current ?? s.value), original: s.original === undefined ? undefined : hexOf(s.original) }));
}

/** The engine's opcodeStats trace of `tx` as `[{opcode, count, ergs, native}]`. */
function opcodeStatsOf(engine, tx) {
  const trace = engine.trace(tx, { tracer: 'opcodeStats' });
  return Array.isArray(trace) ? trace : [];
}

/** Opens everything the worker needs to record and inspect `request` (see src/input.js). */
export async function openRun(request) {
  const { engine: main, deployed } = await freshEngine(request);
  const txs = request.txs.map((t) => txRequest(t, deployed));
  const stats = {};
  // Each transaction is traced for its opcode stats on the state the earlier ones left (a
  // separate engine mines them one by one for that), then the whole input runs as one block on
  // `main`: its result (receipts with their L2→L1 messages, and for a block the header hash,
  // pubdata and public input) is the summary, which the stepped session must reproduce.
  const traced = txs.length > 1 ? (await freshEngine(request)).engine : main;
  for (const [i, tx] of txs.entries()) {
    let trace;
    try { trace = opcodeStatsOf(traced, tx); } catch (e) {
      // The engine refused the transaction: the page names it (`txIndex`) with the rule broken.
      throw Object.assign(e, { txIndex: i });
    }
    for (const v of trace) {
      const t = (stats[opName(num(v.opcode))] ??= { count: 0, ergs: 0, native: 0 });
      t.count += num(v.count); t.ergs += num(v.ergs); t.native += num(v.native);
    }
    if (traced !== main) traced.runBlock({ transactions: [tx] });
  }
  const block = main.runBlock({ transactions: txs });

  const summary = request.block
    ? { block: blockOutputs(block), transactions: block.transactions.map(plainResult) }
    : plainResult(block.transactions[0]);
  return {
    deployed,
    summary: () => summary,
    opcodeStats: () => stats,
    openCursor: () => openCursor(request),
  };
}

/** What a block commits to, as the block panel and the summary show it. */
function blockOutputs(b) {
  return plainResult({
    number: b.number, hash: b.hash, parentHash: b.parentHash, gasUsed: b.gasUsed, stateRoot: b.stateRoot,
    nextFreeSlot: b.stateCommitment.nextFreeSlot, publicInput: b.publicInput, batchPublicInput: b.batchPublicInput,
    pubdataBytes: (b.pubdata.length - 2) / 2, pubdata: b.pubdata,
  });
}

/** An engine error as plain data: its stable code, the rule (reason) and the engine's message. */
function plainError(e) {
  return { code: String(e?.code ?? 'ENGINE_ERROR'), reason: e?.reason ?? null, message: String(e?.message ?? e) };
}

/** A result with bigints as numbers (strings when above 2^53), so it crosses postMessage and JSON views alike. */
function plainResult(r) {
  return JSON.parse(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v)));
}

/**
 * A replay of the request. One engine session runs it: a call session for one transaction, or a
 * block session for a block (every transaction in one block, then its block finish). The session
 * takes one step per bootloader phase (validation, fee charge, pubdata, refund with the fee
 * settlement, block finish) and one per opcode; the cursor records each as a step (bootloader
 * steps with op NO_OPCODE) in the phase and transaction it ran in, its pc, opcode and depth read
 * before it runs and its ergs and native costs from the session's counters after it.
 */
function openCursor(request) {
  let engine = null, session = null, txs = null;
  const codes = new Map();
  let prevErgs = 0, prevNative = 0;
  // The code each step runs, as an index into `codeKeys` (a deployment's init code is
  // "init:<address>", deployed code its address).
  const codeKeys = [], codeIndex = new Map();
  const codeOf = (top) => {
    const key = top.type === 'CREATE' || top.type === 'CREATE2' ? `init:${hexOf(top.codeAddress)}` : hexOf(top.codeAddress);
    let i = codeIndex.get(key);
    if (i === undefined) { i = codeKeys.length; codeKeys.push(key); codeIndex.set(key, i); }
    return i;
  };
  // Per transaction, what the engine reports about its costs: the native budget (from its
  // validation), the gas breakdown (from its refund), or why it was invalid.
  const txInfo = [];

  const VALIDATION = PHASES.indexOf('validation');
  const EXECUTION = PHASES.indexOf('execution');
  const REFUND = PHASES.indexOf('refund');
  const BLOCK_FINISH = PHASES.indexOf('block finish');
  // Phase, transaction and finished flag of the session, kept from the step reports (no extra calls).
  let phase = 0, tx = 0, finished = false;

  const open = () => {
    session = request.block ? engine.blockSession({ transactions: txs }) : engine.session(txs[0]);
    phase = phaseIndex(session.phase);
    finished = session.finished;
  };

  /**
   * Ergs and native the transaction has been charged after a step. During execution: intrinsic
   * gas × 256 plus the execution ergs (what the live frames no longer hold) and intrinsic plus
   * execution native; the fee charge step shows the intrinsic gas. Between the last opcode and
   * the refund the session no longer counts execution ergs, so they stay where they were. From
   * the pubdata phase on, native also counts the transaction's pubdata (the intrinsic pubdata
   * set aside at validation and the net pubdata paid now) × native per pubdata, as the refund
   * phase does (core/src/bootloader/flow/zk/settle.rs). Once the transaction ended, the totals
   * are the final gas used × 256 (after refunds and the native cover) and the native used.
   */
  const charged = () => {
    const c = session.costs();
    if (c.gasUsed !== null && c.gasUsed !== undefined) return { ergs: num(c.gasUsed) * 256, native: num(c.nativeUsed) };
    const pubdataNative = num(c.pubdataUsed) * num(txInfo[tx]?.budget?.nativePerPubdata);
    const native = num(c.intrinsicNative) + num(c.executionNative) + pubdataNative;
    if (phase !== EXECUTION && prevErgs > 0) return { ergs: prevErgs, native };
    return { ergs: num(c.intrinsicGas) * 256 + num(c.executionErgs), native };
  };

  const takeStep = (n) => {
    const report = session.step(n);
    phase = phaseIndex(report.phase);
    tx = report.txIndex;
    finished = report.finished;
    return num(report.steps);
  };

  /** Runs one step and returns what it was, or null when the session has ended. */
  const stepOnce = () => {
    if (finished) return null;
    const before = phase, txBefore = tx;
    const top = before === EXECUTION ? session.frames().at(-1) : undefined;
    takeStep(1);
    if (before === VALIDATION) noteValidation(txBefore);
    else if (before === REFUND) txInfo[txBefore].gas = plainResult(session.gasBreakdown() ?? null);
    // The block finish charges no transaction.
    const now = before === BLOCK_FINISH ? { ergs: prevErgs, native: prevNative } : charged();
    const rec = {
      phase: before, tx: txBefore, pc: top ? num(top.pc) : 0, op: top ? num(top.opcode) : NO_OPCODE, depth: top ? num(top.depth) : 0,
      code: top ? codeOf(top) : NO_CODE,
      ergs: top ? num(top.ergs) : 0, ergsCost: now.ergs - prevErgs, native: prevNative, nativeCost: now.native - prevNative,
    };
    // The next transaction starts from nothing charged.
    const ended = tx !== txBefore;
    prevErgs = ended ? 0 : now.ergs;
    prevNative = ended ? 0 : now.native;
    return rec;
  };

  /**
   * After transaction `i`'s validation step: its native budget, or — when validation refused it
   * (the session moved on to the next transaction or ended) — the engine's error.
   */
  const noteValidation = (i) => {
    const info = { budget: plainResult(session.nativeBudget() ?? null), gas: null, error: null };
    if (phase !== PHASES.indexOf('fee charge') || tx !== i) {
      try { session.result(); } catch (e) { info.error = plainError(e); }
    }
    txInfo[i] = info;
  };

  /** `fn()`, or `fallback` when the engine refuses (e.g. the result of an invalid transaction). */
  const attempt = (fn, fallback) => { try { return fn(); } catch { return fallback; } };

  const cursor = {
    position: 0,
    ready: null,
    codes: codeKeys,
    txInfo,
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
      // Inspection needs no per-step records, so the session steps in bulk.
      for (let left = n; left > 0 && !finished;) {
        const taken = takeStep(left);
        cursor.position += taken;
        left -= taken;
      }
    },
    snapshot() {
      const frames = normalizeFrames(session.frames());
      const top = frames.at(-1);
      const address = top?.codeAddress;
      if (address && !codes.has(address)) codes.set(address, engine.getAccount(address)?.code ?? '0x');
      // A deployment runs the transaction's data as its init code (the account has no code yet).
      const creating = top && top.depth === 0 && (top.kind === 'CREATE' || top.kind === 'CREATE2');
      const storage = session.storage();
      // The last transaction that ended (its return data once no frame is live).
      const result = attempt(() => session.result(), undefined);
      // Events and messages as they happen (pending until their transaction ends); the pubdata
      // the block would publish now, from the block's own encoder.
      const pubdata = attempt(() => session.pubdata(), null);
      const block = session.block();
      return {
        frame: top?.id ?? null,
        frames,
        tx,
        txCount: session.txCount,
        phase: PHASES[phase],
        code: creating ? txs[tx]?.data ?? null : address ? codes.get(address) : null,
        stack: session.stack(),
        memory: session.memory(),
        storage: slots(storage.persistent),
        transient: slots(storage.transient),
        returnData: result && !frames.length ? result.returnData : session.returnData(),
        logs: session.logs().map((l) => ({ address: hexOf(l.address), topics: l.topics.map(hexOf), data: hexOf(l.data), tx: l.txIndex, pending: l.pending })),
        messages: session.l2ToL1Messages().map((m) => ({ sender: hexOf(m.sender), data: hexOf(m.data), tx: m.txIndex, pending: m.pending })),
        pubdata,
        pubdataFinal: block !== undefined,
        pubdataUsed: session.costs().pubdataUsed ?? null,
        block: block ? blockOutputs(block) : null,
      };
    },
  };

  cursor.ready = freshEngine(request).then(({ engine: e, deployed }) => {
    engine = e;
    txs = request.txs.map((t) => txRequest(t, deployed));
    open();
  });
  return cursor;
}
