// The typed engine: validates every argument, hands canonical values to the wasm bindings and
// turns their answers into the package's types (bigint quantities, 0x-hex bytes).
import type { BlockInfo, FeeInfo, LogInfo, ReceiptInfo, TxInfo } from './chain.js';
import { ZkosError, fromEngineError } from './errors.js';
import { type Hex, toAddress, toBigInt, toBytes, toU64, toWord } from './hex.js';
import {
  type CanonicalTx,
  canonicalAccount,
  canonicalBlock,
  canonicalBlockOverride,
  canonicalStateOverride,
  canonicalTx,
  object,
} from './input.js';
import type { ProviderEngine } from './provider.js';
import { decodeRevert, revertMessage } from './revert.js';
import { checkEnvelope, envelopeSignature } from './rlp.js';
import type {
  Account,
  AccountInput,
  BlockInput,
  BlockOverride,
  BlockResult,
  EngineOptions,
  GasEstimate,
  L2ToL1Message,
  Log,
  StateOverride,
  TraceOptions,
  TracerName,
  TxRequest,
  TxResult,
} from './types.js';

/** The wasm module as the engine uses it (the shape of `bindings-wasm`). */
export interface RawModule {
  Engine: new (config: unknown) => RawEngine;
}

/** The wasm engine object. Its values cross as plain JS objects. */
export interface RawEngine {
  [method: string]: (...args: any[]) => any;
}

const TRACERS: readonly TracerName[] = ['eip3155', 'structLogs', 'callTracer', 'prestateTracer', 'opcodeStats'];
const FLOWS = ['zk', 'ethereum'];
const HARDFORKS = ['cancun', 'prague', 'osaka'];

/** Maps the engine's error codes to the package's stable codes. */
function mapCode(code: string): string {
  switch (code) {
    case 'ZKOS_TX_DECODE':
      return 'INVALID_RLP';
    case 'ZKOS_TX_SIGNATURE':
    case 'ZKOS_TX_INVALID':
      return 'INVALID_TRANSACTION';
    case 'ZKOS_UNKNOWN_TX':
    case 'ZKOS_UNKNOWN_BLOCK':
      return 'NOT_FOUND';
    case 'ZKOS_BAD_INPUT':
      return 'INVALID_ARGUMENT';
    case 'ZKOS_ESTIMATE_REVERTED':
      return 'EXECUTION_REVERTED';
    default:
      return code.startsWith('ZKOS_ESTIMATE') ? 'EXECUTION_HALTED' : code;
  }
}

/** Runs a raw call and converts what it throws. */
function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ZkosError) throw err;
    const z = fromEngineError(err);
    const code = mapCode(z.code);
    const message = code === 'EXECUTION_REVERTED' && typeof z.data === 'string' ? revertMessage(z.data as Hex) : z.message;
    throw new ZkosError(code, message, z.data, z.reason);
  }
}

const big = (v: unknown): bigint => (v === undefined || v === null ? 0n : typeof v === 'bigint' ? v : BigInt(v as string | number));
const hex = (v: unknown): Hex => (typeof v === 'string' ? (v.toLowerCase() as Hex) : v instanceof Uint8Array ? toBytes(v, 'engine') : ('0x' as Hex));
const optHex = (v: unknown): Hex | null => (v === undefined || v === null ? null : hex(v));
const isTrue = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === 'success';
const ZERO_WORD = ('0x' + '0'.repeat(64)) as Hex;
const ZERO_BLOOM = ('0x' + '0'.repeat(512)) as Hex;
const ENGINE_OPTION_KEYS = ['chainId', 'protocolVersion', 'flow', 'hardfork', 'baseFee', 'nativePrice', 'pubdataPrice', 'blockGasLimit', 'coinbase'];

/** A local ZKsync OS chain: state, blocks, and simulations on top of it. */
export class Engine implements ProviderEngine {
  /** EIP-155 chain id. */
  readonly chainId: bigint;
  /** Fee and execution flow. */
  readonly flow: 'zk' | 'ethereum';
  /** EVM hardfork. */
  readonly hardfork: 'cancun' | 'prague' | 'osaka';
  /** Protocol version (native cost table). */
  readonly protocolVersion: number;
  private readonly raw: RawEngine;
  /** Signed envelopes of mined transactions by hash (for `v`, `r`, `s`). */
  private readonly envelopes = new Map<Hex, Hex>();

  /** Use `createEngine` instead. */
  constructor(wasm: RawModule, options: EngineOptions = {}) {
    const o = object(options, 'options');
    for (const k of Object.keys(o)) if (!ENGINE_OPTION_KEYS.includes(k)) throw new ZkosError('INVALID_ARGUMENT', `options: unknown field ${JSON.stringify(k)}`);
    this.chainId = options.chainId === undefined ? 270n : toU64(options.chainId, 'options.chainId');
    const flow = options.flow ?? 'zk';
    if (!FLOWS.includes(flow)) throw new ZkosError('INVALID_ARGUMENT', `options.flow: expected "zk" or "ethereum", got ${JSON.stringify(flow)}`);
    const hardfork = options.hardfork ?? 'cancun';
    if (!HARDFORKS.includes(hardfork)) throw new ZkosError('INVALID_ARGUMENT', `options.hardfork: expected one of ${HARDFORKS.join(', ')}, got ${JSON.stringify(hardfork)}`);
    const pv = options.protocolVersion ?? 1;
    if (pv !== 1) throw new ZkosError('INVALID_ARGUMENT', `options.protocolVersion: only 1 is known, got ${JSON.stringify(pv)}`);
    this.flow = flow;
    this.hardfork = hardfork;
    this.protocolVersion = pv;
    const config: Record<string, unknown> = { chainId: this.chainId, flow, hardfork };
    for (const k of ['baseFee', 'nativePrice', 'pubdataPrice'] as const) if (options[k] !== undefined) config[k] = toBigInt(options[k], `options.${k}`);
    if (options.blockGasLimit !== undefined) config.blockGasLimit = toU64(options.blockGasLimit, 'options.blockGasLimit');
    if (options.coinbase !== undefined) config.coinbase = toAddress(options.coinbase, 'options.coinbase');
    this.raw = guard(() => new wasm.Engine(config));
  }

  /** Releases the wasm memory of this engine. */
  free(): void {
    this.raw.free?.();
  }

  /** Sets an account: given fields replace the current ones, omitted fields keep them; listed slots are set. */
  setAccount(address: Hex, account: AccountInput): void {
    const a = toAddress(address, 'address');
    const c = canonicalAccount(account);
    const current = this.getAccount(a);
    guard(() =>
      this.raw.setAccount(a, {
        balance: c.balance ?? current?.balance ?? 0n,
        nonce: c.nonce ?? current?.nonce ?? 0n,
        code: c.code ?? current?.code ?? '0x',
        storage: Object.fromEntries(c.storage),
      }),
    );
  }

  /** The account at `address`, or undefined when it does not exist. */
  getAccount(address: Hex): Account | undefined {
    const a = toAddress(address, 'address');
    const r = guard(() => this.raw.getAccount(a));
    if (r === undefined || r === null) return undefined;
    return { balance: big(r.balance), nonce: big(r.nonce), code: hex(r.code), codeHash: hex(r.codeHash) };
  }

  /** Storage slot `slot` of `address` as a 32-byte word. */
  getStorage(address: Hex, slot: Hex | bigint | number): Hex {
    const a = toAddress(address, 'address');
    const k = toWord(slot, 'slot');
    return toWord(guard(() => this.raw.getStorage(a, k)), 'engine');
  }

  /** Root of the Blake2s state tree of the current state. */
  stateRoot(): Hex {
    return hex(guard(() => this.raw.stateRoot()));
  }

  /** Number of the latest block. */
  blockNumber(): bigint {
    return big(guard(() => this.raw.blockNumber()));
  }

  /**
   * Produces the next block from signed raw transactions and unsigned requests (sent as their
   * `from`). Transactions invalid at their turn are left out and reported as `invalid`.
   */
  runBlock(block: BlockInput): BlockResult {
    const b = canonicalBlock(block);
    const pre = block.preState === undefined ? [] : Object.entries(object(block.preState, 'block.preState')).map(([addr, acc]) => [toAddress(addr, 'block.preState address'), canonicalAccount(acc, `block.preState[${addr}]`)] as const);
    b.transactions.forEach((t, i) => typeof t === 'string' && checkEnvelope(t, `block.transactions[${i}]`));
    // Checked here so that a refused block leaves the pre-state unapplied.
    const head = this.getBlock('latest');
    if (head !== undefined && b.number !== undefined && b.number <= head.number) throw new ZkosError('INVALID_ARGUMENT', `block.number: must be above the head (${head.number})`);
    if (head !== undefined && b.timestamp !== undefined && b.timestamp < head.timestamp) throw new ZkosError('INVALID_ARGUMENT', `block.timestamp: must not go below the head's (${head.timestamp})`);
    for (const [addr, acc] of pre) this.setAccount(addr, { ...acc, storage: Object.fromEntries(acc.storage) });
    const overrides = { number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFee: b.baseFee, coinbase: b.coinbase };
    const report = guard(() => this.raw.runBlock(b.transactions.map((t) => (typeof t === 'string' ? t : rawTx(t))), overrides));
    return this.keep(blockResult(report, b.transactions.length), b.transactions);
  }

  /** Remembers the signed envelopes of a produced block's transactions (for `getTransaction`). */
  private keep(result: BlockResult, transactions: readonly (Hex | unknown)[]): BlockResult {
    result.transactions.forEach((r, i) => {
      const t = transactions[i];
      if (typeof t === 'string' && r.status !== 'invalid' && r.hash !== undefined) this.envelopes.set(r.hash, t as Hex);
    });
    return result;
  }

  /**
   * Opens a stepping session over the next block made of `block.transactions` (the block
   * `runBlock` would produce): each transaction steps through its phases, then a `blockFinish`
   * step seals the block (`session.block()`). Nothing changes unless the finished session is
   * passed to `commitSession`. `preState` is not accepted (set accounts first).
   */
  blockSession(block: BlockInput): Session {
    if (object(block, 'block').preState !== undefined) throw new ZkosError('INVALID_ARGUMENT', 'block.preState: not accepted by blockSession (use setAccount first)');
    const b = canonicalBlock(block);
    b.transactions.forEach((t, i) => typeof t === 'string' && checkEnvelope(t, `block.transactions[${i}]`));
    const overrides = { number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFee: b.baseFee, coinbase: b.coinbase };
    const txs = b.transactions.map((t) => (typeof t === 'string' ? t : rawTx(t)));
    return new Session(guard(() => this.raw.blockSession(txs, overrides)), b.transactions);
  }

  /**
   * Keeps the block a finished block session sealed, exactly as `runBlock` would have produced
   * it. Throws `INVALID_ARGUMENT` when the session is not a finished block session, was already
   * committed, or the chain changed since it was opened.
   */
  commitSession(session: Session): BlockResult {
    if (!(session instanceof Session) || session.transactions === undefined) throw new ZkosError('INVALID_ARGUMENT', 'session: expected a block session');
    const report = guard(() => this.raw.commitSession(session.rawSession));
    return this.keep(blockResult(report, session.transactions.length), session.transactions);
  }

  /** Executes `tx` on the latest state without changing it. */
  call(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride } = {}): TxResult {
    const t = canonicalTx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    return txResult(guard(() => this.raw.call(rawTx(t), so, bo)));
  }

  /**
   * Estimates the gas limit `tx` needs (geth-style search that also covers native and pubdata),
   * with the breakdown. Throws `EXECUTION_REVERTED` (revert data in `data`) when it always reverts.
   */
  estimateGas(tx: TxRequest, options: { stateOverride?: StateOverride } = {}): GasEstimate {
    const t = canonicalTx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const r = guard(() => this.raw.estimateGas(rawTx(t), so));
    const out: GasEstimate = { gasLimit: big(r.gasLimit), gasUsed: big(r.gasUsed), nativeUsed: big(r.nativeUsed), pubdataBytes: big(r.pubdataUsed) };
    for (const [k, v] of Object.entries(r)) if (!(k in out) && k !== 'pubdataUsed') out[k] = typeof v === 'number' ? BigInt(v) : v;
    return out;
  }

  /**
   * Traces `tx` on the latest state (nothing is committed). Output has geth's shape for the
   * tracer (structLogs `{failed, gas, returnValue, structLogs}`, callTracer frames, prestate
   * accounts or `{pre, post}`), extended with ergs and native; `eip3155` gives the lines as an
   * array whose last item is the summary.
   */
  trace(tx: TxRequest, options: TraceOptions = {}): unknown {
    const t = canonicalTx(tx);
    const o = traceOpts(options);
    const so = rawOverride(canonicalStateOverride(options.stateOverride));
    const bo = canonicalBlockOverride(options.blockOverride);
    return shapeTrace(guard(() => this.raw.traceCall(rawTx(t), o, so, bo)), o.tracer as TracerName);
  }

  /** Traces a mined transaction again on its block's pre-state (recent blocks only). */
  traceTransaction(hash: Hex, options: TraceOptions = {}): unknown {
    const h = toWord(hash, 'hash');
    const o = traceOpts(options);
    return shapeTrace(guard(() => this.raw.traceTransaction(h, o)), o.tracer as TracerName);
  }

  /** Opens a stepping session on `tx` (nothing is committed). */
  session(tx: TxRequest, options: { stateOverride?: StateOverride } = {}): Session {
    const t = canonicalTx(tx);
    const so = rawOverride(canonicalStateOverride(options.stateOverride));
    return new Session(guard(() => this.raw.session(rawTx(t), so, undefined)));
  }

  /** Decodes, validates and mines a signed transaction alone in a new block; returns its hash. Invalid ones throw and mine nothing. */
  sendRawTransaction(raw: Hex): Hex {
    const r = toBytes(raw, 'raw transaction');
    checkEnvelope(r, 'raw transaction');
    const hash = hex(guard(() => this.raw.sendRawTransaction(r)));
    this.envelopes.set(hash, r);
    return hash;
  }

  /** A mined transaction. */
  getTransaction(hash: Hex): TxInfo | undefined {
    const h = toWord(hash, 'hash');
    const t = guard(() => this.raw.getTransaction(h));
    if (t === undefined || t === null) return undefined;
    const block = this.getBlock(big(t.blockNumber));
    const type = big(t.type);
    const envelope = this.envelopes.get(h);
    const sig = envelope === undefined ? undefined : envelopeSignature(envelope);
    const info: TxInfo = {
      hash: hex(t.hash),
      type,
      from: hex(t.from),
      to: optHex(t.to),
      nonce: big(t.nonce),
      gas: big(t.gas),
      value: big(t.value),
      input: hex(t.input),
      accessList: [],
      v: sig?.v ?? 0n,
      r: sig?.r ?? 0n,
      s: sig?.s ?? 0n,
      blockHash: block?.hash ?? ZERO_WORD,
      blockNumber: big(t.blockNumber),
      transactionIndex: big(t.transactionIndex),
    };
    if (t.chainId !== undefined && t.chainId !== null) info.chainId = big(t.chainId);
    if (sig?.typed) info.yParity = sig.v;
    if (type === 0n || type === 1n) info.gasPrice = big(t.gasPrice ?? t.maxFeePerGas);
    else {
      info.maxFeePerGas = big(t.maxFeePerGas);
      info.maxPriorityFeePerGas = big(t.maxPriorityFeePerGas);
    }
    return info;
  }

  /** The receipt of a mined transaction. */
  getTransactionReceipt(hash: Hex): ReceiptInfo | undefined {
    const h = toWord(hash, 'hash');
    const r = guard(() => this.raw.getReceipt(h));
    if (r === undefined || r === null) return undefined;
    const logs: LogInfo[] = (r.logs ?? []).map((l: any) => ({
      address: hex(l.address),
      topics: (l.topics ?? []).map(hex),
      data: hex(l.data),
      logIndex: big(l.logIndex),
      transactionIndex: big(l.transactionIndex),
      transactionHash: hex(l.transactionHash),
      blockHash: hex(l.blockHash),
      blockNumber: big(l.blockNumber),
    }));
    return {
      transactionHash: hex(r.transactionHash),
      transactionIndex: big(r.transactionIndex),
      blockHash: hex(r.blockHash),
      blockNumber: big(r.blockNumber),
      type: big(r.type),
      from: hex(r.from),
      to: optHex(r.to),
      contractAddress: optHex(r.contractAddress),
      status: isTrue(r.status),
      gasUsed: big(r.gasUsed),
      cumulativeGasUsed: big(r.cumulativeGasUsed),
      effectiveGasPrice: big(r.effectiveGasPrice),
      logs,
      logsBloom: hex(r.logsBloom ?? ZERO_BLOOM),
      nativeUsed: big(r.nativeUsed),
      pubdataBytes: big(r.pubdataUsed),
      l2ToL1Messages: (r.l2ToL1Messages ?? []).map((m: any) => ({ sender: hex(m.sender), data: hex(m.data) })),
      returnData: hex(r.output),
    };
  }

  /** A block by number, hash, or `latest`. */
  getBlock(id: bigint | number | Hex | 'latest'): BlockInfo | undefined {
    let key: bigint | Hex;
    if (id === 'latest') key = this.blockNumber();
    else if (typeof id === 'string' && id.length === 66) key = toWord(id, 'block hash');
    else key = toU64(id, 'block number');
    const h = guard(() => this.raw.getBlock(key));
    if (h === undefined || h === null) return undefined;
    return {
      number: big(h.number),
      hash: hex(h.hash),
      parentHash: hex(h.parentHash),
      timestamp: big(h.timestamp),
      gasLimit: big(h.gasLimit),
      gasUsed: big(h.gasUsed),
      baseFeePerGas: big(h.baseFeePerGas),
      miner: hex(h.miner),
      stateRoot: hex(h.stateCommitment?.root ?? h.stateRoot ?? ZERO_WORD),
      transactions: (h.transactions ?? []).map(hex),
      mixHash: hex(h.mixHash ?? ZERO_WORD),
    };
  }

  /** Prices and limits of the latest block (new blocks use the same). */
  fees(): FeeInfo {
    const h = guard(() => this.raw.getBlock(this.blockNumber()));
    return { baseFeePerGas: big(h?.baseFeePerGas), nativePrice: big(h?.nativePrice), pubdataPrice: big(h?.pubdataPrice), blockGasLimit: big(h?.gasLimit) };
  }
}

/**
 * Phases of a session: a transaction's bootloader phases, then (block sessions) `blockFinish`
 * once every transaction ended, then `finished`.
 */
export type Phase = 'validation' | 'feeCharge' | 'execution' | 'pubdata' | 'refund' | 'blockFinish' | 'finished';

/** Where `continue` stops: the next opcode matching every given field (`{}`: the next phase change). */
export interface Breakpoint {
  pc?: number;
  opcode?: number;
  phase?: Phase;
  depth?: number;
}

/** What a `step`/`continue` did. */
export interface StepReport {
  /** Steps taken. */
  steps: bigint;
  /** Phase after them. */
  phase: Phase;
  /** Index of the transaction the phase belongs to (the transaction count at `blockFinish`). */
  txIndex: number;
  finished: boolean;
}

/** An event seen by a session; `pending` while its transaction runs (a revert may remove it). */
export interface SessionLog extends Log {
  txIndex: number;
  pending: boolean;
}

/** An L2→L1 message seen by a session; `pending` while its transaction runs. */
export interface SessionMessage extends L2ToL1Message {
  txIndex: number;
  pending: boolean;
}

const PHASES: readonly Phase[] = ['validation', 'feeCharge', 'execution', 'pubdata', 'refund', 'blockFinish', 'finished'];

function stepReport(r: any): StepReport {
  return { steps: big(r.steps), phase: r.phase as Phase, txIndex: Number(r.txIndex ?? 0), finished: r.finished === true };
}

function smallInt(v: unknown, what: string, max: number): number {
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw new ZkosError('INVALID_ARGUMENT', `${what}: expected an integer from 0 to ${max}`);
  return v;
}

/**
 * A transaction, or a block of transactions, paused between steps (bootloader phases, single
 * opcodes, and for a block the final `blockFinish`). Nothing it does is committed to the engine
 * (a finished block session can be kept with `engine.commitSession`).
 */
export class Session {
  /** Use `engine.session(tx)` or `engine.blockSession(block)`. */
  constructor(
    private readonly raw: RawEngine,
    /** The block's transactions (block sessions only). */
    readonly transactions?: readonly (Hex | unknown)[],
  ) {}

  /** The wasm session (for `engine.commitSession`). */
  get rawSession(): RawEngine {
    return this.raw;
  }

  /** Takes up to `n` steps (default 1). */
  step(n = 1): StepReport {
    const count = smallInt(n, 'step count', 2 ** 32 - 1);
    return stepReport(guard(() => this.raw.step(count)));
  }

  /** Runs until `breakpoint` matches the next opcode (or phase), the session ends, or `maxSteps` were taken. */
  continue(breakpoint: Breakpoint = { phase: 'finished' }, maxSteps?: number): StepReport {
    const b = object(breakpoint, 'breakpoint');
    const bp: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(b)) {
      if (v === undefined) continue;
      if (k === 'pc') bp.pc = smallInt(v, 'breakpoint.pc', Number.MAX_SAFE_INTEGER);
      else if (k === 'opcode') bp.opcode = smallInt(v, 'breakpoint.opcode', 255);
      else if (k === 'depth') bp.depth = smallInt(v, 'breakpoint.depth', Number.MAX_SAFE_INTEGER);
      else if (k === 'phase') {
        if (!PHASES.includes(v as Phase)) throw new ZkosError('INVALID_ARGUMENT', `breakpoint.phase: expected one of ${PHASES.join(', ')}`);
        bp.phase = v;
      } else throw new ZkosError('INVALID_ARGUMENT', `breakpoint: unknown field ${JSON.stringify(k)}`);
    }
    const max = maxSteps === undefined ? undefined : smallInt(maxSteps, 'maxSteps', Number.MAX_SAFE_INTEGER);
    return stepReport(guard(() => this.raw.continueUntil(bp, max)));
  }

  /** The current phase. */
  get phase(): Phase {
    return guard(() => this.raw.phase()) as Phase;
  }

  /** Whether the session has ended. */
  get finished(): boolean {
    return guard(() => this.raw.finished()) === true;
  }

  /** Index of the transaction being stepped (the transaction count once all ended). */
  get txIndex(): number {
    return Number(guard(() => this.raw.txIndex()));
  }

  /** Number of transactions the session runs (1 for `engine.session`). */
  get txCount(): number {
    return Number(guard(() => this.raw.txCount()));
  }

  /** Events so far, in order; those of the running transaction are `pending`. */
  logs(): SessionLog[] {
    const raw: any[] = guard(() => this.raw.logs());
    return raw.map((l) => ({ address: hex(l.address), topics: (l.topics ?? []).map(hex), data: hex(l.data), txIndex: Number(l.txIndex), pending: l.pending === true }));
  }

  /** L2→L1 messages so far, in order; those of the running transaction are `pending`. */
  l2ToL1Messages(): SessionMessage[] {
    const raw: any[] = guard(() => this.raw.l2ToL1Messages());
    return raw.map((m) => ({ sender: hex(m.sender), data: hex(m.data), txIndex: Number(m.txIndex), pending: m.pending === true }));
  }

  /**
   * The pubdata the block would publish if it ended now: the net state changes and L2→L1
   * messages so far through the block's own encoder (its block hash is that of the block as it
   * stands); after `blockFinish`, the block's pubdata.
   */
  pubdata(): Hex {
    return hex(guard(() => this.raw.pubdata()));
  }

  /** The sealed block once a block session took its `blockFinish` step (as `runBlock` returns it). */
  block(): BlockResult | undefined {
    const r = guard(() => this.raw.block());
    if (r === null || r === undefined || this.transactions === undefined) return undefined;
    return blockResult(r, this.transactions.length);
  }

  /**
   * Live call frames, outermost first: `{depth, type, address, codeAddress, caller, value, input,
   * pc, opcode, ergs, gas, refund, isStatic, stackLength, memoryLength}` (pc/opcode of the next step).
   */
  frames(): Record<string, unknown>[] {
    return guard(() => this.raw.frames());
  }

  /** The innermost frame's stack, top first, as 32-byte words. */
  stack(): Hex[] {
    const items: unknown[] = guard(() => this.raw.stack());
    return items.map((v) => toWord(typeof v === 'bigint' ? v : big(v), 'stack')).reverse();
  }

  /** The innermost frame's memory as 0x-hex. */
  memory(): Hex {
    return hex(guard(() => this.raw.memory()));
  }

  /** Return data of the innermost frame's last call. */
  returnData(): Hex {
    return hex(guard(() => this.raw.returnData()));
  }

  /** Storage touched so far: `{persistent: [{address, slot, original, current}], transient: [{address, slot, value}]}`. */
  storage(): { persistent: { address: Hex; slot: Hex; original: Hex; current: Hex }[]; transient: { address: Hex; slot: Hex; value: Hex }[] } {
    return guard(() => this.raw.storage());
  }

  /** Costs so far: intrinsic gas and native, execution ergs and native, steps; totals once finished. */
  costs(): Record<string, bigint | null> {
    const c = guard(() => this.raw.costs());
    const out: Record<string, bigint | null> = {};
    for (const [k, v] of Object.entries(c)) out[k] = v === null || v === undefined ? null : big(v);
    return out;
  }

  /** The outcome of the last transaction that ended (as `engine.call`), undefined while none has ended since the current one started. */
  result(): TxResult | undefined {
    const r = guard(() => this.raw.result());
    return r === null || r === undefined ? undefined : txResult(r);
  }

  /** Releases the session's wasm memory. */
  free(): void {
    this.raw.free?.();
  }
}

/** A block's result from what the bindings return for `runBlock` (`{block, receipts, rejected}`). */
function blockResult(report: any, count: number): BlockResult {
  const results: (TxResult | undefined)[] = new Array(count).fill(undefined);
  for (const r of report.rejected ?? []) {
    const res: TxResult = { status: 'invalid', gasUsed: 0n, ergs: 0n, nativeUsed: 0n, pubdataBytes: 0n, refund: 0n, logs: [], l2ToL1Messages: [], returnData: '0x', error: `${mapCode(String(r.code))}: ${r.reason ?? r.message}` };
    if (r.transactionHash) res.hash = hex(r.transactionHash);
    results[Number(r.position)] = res;
  }
  const receipts: any[] = report.receipts ?? [];
  let next = 0;
  for (let i = 0; i < results.length && next < receipts.length; i++) {
    if (results[i] !== undefined) continue;
    const receipt = receipts[next++];
    results[i] = txResult(receipt);
  }
  const header = report.block;
  const out: BlockResult = {
    number: big(header.number),
    hash: hex(header.hash),
    parentHash: hex(header.parentHash),
    timestamp: big(header.timestamp),
    gasUsed: big(header.gasUsed),
    gasLimit: big(header.gasLimit),
    baseFeePerGas: big(header.baseFeePerGas),
    nativePrice: big(header.nativePrice),
    pubdataPrice: big(header.pubdataPrice),
    stateRoot: hex(header.stateCommitment?.root ?? header.stateRoot ?? ZERO_WORD),
    stateCommitment: {
      root: hex(header.stateCommitment?.root ?? ZERO_WORD),
      nextFreeSlot: big(header.stateCommitment?.nextFreeSlot),
    },
    pubdata: hex(header.pubdata ?? '0x'),
    publicInput: hex(header.publicInput ?? ZERO_WORD),
    batchPublicInput: hex(header.batchPublicInput ?? ZERO_WORD),
    transactions: results as TxResult[],
  };
  return out;
}


function rawTx(t: CanonicalTx): Record<string, unknown> {
  return { ...t };
}

function rawOverride(entries: ReturnType<typeof canonicalStateOverride>): Record<string, unknown> | undefined {
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([a, o]) => [a, { ...o, state: o.state && Object.fromEntries(o.state), stateDiff: o.stateDiff && Object.fromEntries(o.stateDiff) }]));
}

function shapeTrace(raw: any, tracer: TracerName): unknown {
  const shaped = raw?.result;
  if (tracer === 'eip3155' && shaped && Array.isArray(shaped.steps)) return [...shaped.steps, shaped.summary];
  return shaped;
}

function traceOpts(options: TraceOptions): Record<string, unknown> {
  const o = object(options, 'trace options');
  const tracer = (o.tracer ?? 'structLogs') as TracerName;
  if (!TRACERS.includes(tracer)) throw new ZkosError('INVALID_ARGUMENT', `tracer: expected one of ${TRACERS.join(', ')}, got ${JSON.stringify(tracer)}`);
  const config = o.tracerConfig === undefined || o.tracerConfig === null ? {} : object(o.tracerConfig, 'tracerConfig');
  const out: Record<string, unknown> = {
    tracer,
    tracerConfig: config,
    enableMemory: o.enableMemory === true,
    disableStack: o.disableStack === true,
    disableStorage: o.disableStorage === true,
    enableReturnData: o.enableReturnData === true,
  };
  if (o.limit !== undefined && o.limit !== null) {
    if (typeof o.limit !== 'number' || !Number.isSafeInteger(o.limit) || o.limit < 0 || o.limit >= 2 ** 32) throw new ZkosError('INVALID_ARGUMENT', 'limit: expected a non-negative integer below 2^32');
    out.limit = o.limit;
  }
  return out;
}

/** A transaction's outcome from what the bindings return for a call or a block receipt. */
function txResult(r: any): TxResult {
  const returnData = hex(r.output ?? r.returnData ?? '0x');
  const success = isTrue(r.success) || isTrue(r.status);
  const gasUsed = big(r.gasUsed);
  const out: TxResult = {
    status: success ? 'success' : 'reverted',
    gasUsed,
    ergs: r.ergs === undefined ? gasUsed * 256n : big(r.ergs),
    nativeUsed: big(r.nativeUsed),
    pubdataBytes: big(r.pubdataUsed ?? r.pubdataBytes),
    refund: big(r.gasRefunded ?? r.refund),
    logs: (r.logs ?? []).map((l: any): Log => ({ address: hex(l.address ?? l.log?.address), topics: (l.topics ?? l.log?.topics ?? []).map(hex), data: hex(l.data ?? l.log?.data) })),
    l2ToL1Messages: (r.l2ToL1Messages ?? []).map((m: any): L2ToL1Message => ({ sender: hex(m.sender), data: hex(m.data) })),
    returnData,
  };
  const hash = r.transactionHash ?? r.txHash ?? r.hash;
  if (hash !== undefined) out.hash = hex(hash);
  if (r.halt !== undefined && r.halt !== null) out.error = String(r.halt);
  if (!success && out.error === undefined) {
    const reason = decodeRevert(returnData);
    if (reason !== undefined) out.revertReason = reason;
  }
  const created = r.contractAddress ?? r.created;
  if (created !== undefined && created !== null) out.contractAddress = hex(created);
  return out;
}
