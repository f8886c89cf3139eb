// The module that talks to the zkos npm package (with src/fork/run.js for fork mode). It turns a
// playground request into engine calls and exposes what the worker needs:
//   openRun(request) → { openCursor(), summary(), opcodeStats(), deployed }
//   cursor: { position, ready, async record(max) → {count, cols, done}, async advance(n),
//             async snapshot() → detail, codes, txInfo }
// A cursor is a stepping session on a fresh engine with the request's pre-state (and its setup
// transactions, e.g. a contract's deployment), so any number of cursors can replay the same
// execution independently. Cursors are async because a forked session's steps may wait for the
// node; the local engine's answer at once.

import { createEngine } from 'zkos';
import { PHASES } from './trace-store.js';
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

/** The engine options the selectors choose: flow, hardfork and (ZKsync OS flow) protocol version. */
export function rulesOf(config) {
  const { protocolVersion, flow, hardfork } = config;
  // The protocol version selects ZKsync OS rules; the Ethereum flow runs the engine's own (1).
  const version = flow === 'zk' ? { protocolVersion: Number(String(protocolVersion).replace(/^v/, '')) } : {};
  return { ...version, flow, hardfork };
}

async function baseEngine(request) {
  const env = request.env;
  const engine = await createEngine({
    chainId: BigInt(request.config.chainId), ...rulesOf(request.config),
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

  // The summary names the protocol version whose costs charged the run.
  const protocolVersion = `v${main.protocolVersion}`;
  const summary = request.block
    ? { protocolVersion, block: blockOutputs(block), transactions: block.transactions.map(plainResult) }
    : { protocolVersion, ...plainResult(block.transactions[0]) };
  return {
    deployed,
    summary: () => summary,
    opcodeStats: () => stats,
    openCursor: () => openCursor(() => localSession(request)),
  };
}

/** A session over `request` on a fresh engine, with how to read the codes it runs (see openCursor). */
async function localSession(request) {
  const { engine, session, txs } = await openSession(request);
  return { session, codeOf: (address) => engine.getAccount(address)?.code ?? '0x', initCode: (tx) => txs[tx]?.data ?? null };
}

/** What a block commits to, as the block panel and the summary show it. */
export function blockOutputs(b) {
  return plainResult({
    number: b.number, hash: b.hash, parentHash: b.parentHash, gasUsed: b.gasUsed, stateRoot: b.stateRoot,
    nextFreeSlot: b.stateCommitment.nextFreeSlot, publicInput: b.publicInput, batchPublicInput: b.batchPublicInput,
    pubdataBytes: (b.pubdata.length - 2) / 2, pubdata: b.pubdata,
  });
}

/** An engine error as plain data: its stable code, the rule (reason) and the engine's message. */
export function plainError(e) {
  return { code: String(e?.code ?? 'ENGINE_ERROR'), reason: e?.reason ?? null, message: String(e?.message ?? e) };
}

/** A result with bigints as numbers (strings when above 2^53), so it crosses postMessage and JSON views alike. */
export function plainResult(r) {
  return JSON.parse(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v)));
}

/**
 * A fresh engine with the request's pre-state and setup, and a stepping session over the
 * request: a call session for one transaction, or a block session for a block (every
 * transaction in one block, then its block finish). `txs` are the engine requests it runs.
 */
export async function openSession(request) {
  const { engine, deployed } = await freshEngine(request);
  const txs = request.txs.map((t) => txRequest(t, deployed));
  const session = request.block ? engine.blockSession({ transactions: txs }) : engine.session(txs[0]);
  return { engine, session, txs };
}

/** A recorded code as the playground keys it: a deployment's init code "init:<address>", deployed code its address. */
const codeKey = (c) => (c.init ? `init:${hexOf(c.address)}` : hexOf(c.address));

/** What the engine recorded about a transaction as plain data (see src/worker.js). */
const txNote = (t) => ({
  budget: t.budget ? plainResult(t.budget) : null,
  gas: t.gas ? plainResult(t.gas) : null,
  error: t.error ? plainError(t.error) : null,
});

/**
 * Records `session` in bulk: the engine takes up to `max` steps per `record(max)` call and hands
 * back typed columns (one step per bootloader phase — validation, fee charge, pubdata, refund
 * with the fee settlement, block finish — with op NO_OPCODE, and one per opcode, its pc, opcode,
 * depth, code and ergs read before it runs), with the ergs and native each step charged its
 * transaction (see zkos_core::engine::StepRecorder). `codes` lists the codes the `code` column
 * indexes; `txInfo` what the engine reported per transaction (native budget, gas breakdown, or
 * why it was invalid). A call returns exactly `max` steps unless the session ends: a forked
 * session stops early where a step needs the node, and its parts are joined (the trace store
 * keeps equal-sized chunks).
 */
export function bulkRecorder(session) {
  const recorder = {
    codes: [],
    txInfo: [],
    async record(max) {
      const parts = [];
      for (let taken = 0, done = false; taken < max && !done;) {
        const part = await session.recordSteps(max - taken);
        parts.push(part);
        taken += part.count;
        done = part.done;
      }
      const r = parts.length === 1 ? parts[0] : joinSteps(parts);
      const cols = {
        pc: r.pc, op: r.op, depth: r.depth, phase: r.phase, tx: r.tx, frame: Uint32Array.from(r.depth),
        code: r.code, ergs: r.ergs, ergsCost: r.ergsCost, native: r.native, nativeCost: r.nativeCost,
      };
      const codes = session.recordedCodes();
      for (let i = recorder.codes.length; i < codes.length; i++) recorder.codes.push(codeKey(codes[i]));
      recorder.txInfo.splice(0, recorder.txInfo.length, ...session.recordedTransactions().map(txNote));
      return { count: r.count, cols, done: r.done };
    },
  };
  return recorder;
}

/** The recorded steps of `parts` (in order) as one part. */
function joinSteps(parts) {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const out = { count, done: parts.at(-1).done };
  for (const name of ['pc', 'op', 'depth', 'phase', 'tx', 'code', 'ergs', 'ergsCost', 'native', 'nativeCost']) {
    const column = new parts[0][name].constructor(count);
    let at = 0;
    for (const p of parts) { column.set(p[name], at); at += p.count; }
    out[name] = column;
  }
  return out;
}

/**
 * A replay on the session `open()` resolves to (`{session, codeOf(address), initCode(tx)}`:
 * the code at an address, and the init code a deployment transaction runs): `record(max)`
 * records its steps in bulk (see bulkRecorder), `advance(n)` steps without recording,
 * `snapshot()` reads the state before the next step.
 */
export function openCursor(open) {
  let session = null, codeOf = null, initCode = null, recorder = null;
  const codes = new Map();
  // Phase, transaction and finished flag of the session, kept from the step reports.
  let phase = 0, tx = 0, finished = false;
  const sync = () => {
    phase = phaseIndex(session.phase);
    tx = session.txIndex;
    finished = session.finished;
  };

  const takeStep = async (n) => {
    const report = await session.step(n);
    phase = phaseIndex(report.phase);
    tx = report.txIndex;
    finished = report.finished;
    return num(report.steps);
  };

  /** `fn()`, or `fallback` when the engine refuses (e.g. the result of an invalid transaction). */
  const attempt = (fn, fallback) => { try { return fn(); } catch { return fallback; } };

  const cursor = {
    position: 0,
    ready: null,
    get codes() { return recorder.codes; },
    get txInfo() { return recorder.txInfo; },
    async record(max) {
      const out = await recorder.record(max);
      cursor.position += out.count;
      sync();
      return out;
    },
    async advance(n) {
      // Inspection needs no per-step records, so the session steps in bulk.
      for (let left = n; left > 0 && !finished;) {
        const taken = await takeStep(left);
        cursor.position += taken;
        left -= taken;
      }
    },
    async snapshot() {
      const frames = normalizeFrames(session.frames());
      const top = frames.at(-1);
      const address = top?.codeAddress;
      if (address && !codes.has(address)) codes.set(address, await codeOf(address));
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
        code: creating ? initCode(tx) : address ? codes.get(address) : null,
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

  cursor.ready = open().then((opened) => {
    ({ session, codeOf, initCode } = opened);
    recorder = bulkRecorder(session);
    sync();
  });
  return cursor;
}
