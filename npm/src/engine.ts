// The typed engine: validates every argument, hands canonical values to the wasm bindings and
// turns their answers into the package's types (bigint quantities, 0x-hex bytes).
import type { BlockInfo, FeeInfo, LogInfo, ReceiptInfo, TxInfo } from './chain.js';
import { ZkosError, fromEngineError } from './errors.js';
import { type Hex, toAddress, toBigInt, toBytes, toWord } from './hex.js';
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
import { decodeRevert } from './revert.js';
import { checkEnvelope } from './rlp.js';
import type {
  Account,
  AccountInput,
  BlockInput,
  BlockOverride,
  BlockResult,
  EngineOptions,
  GasEstimate,
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
    case 'ZKOS_REVERTED':
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
    throw new ZkosError(mapCode(z.code), z.message, z.data);
  }
}

const big = (v: unknown): bigint => (v === undefined || v === null ? 0n : typeof v === 'bigint' ? v : BigInt(v as string | number));
const hex = (v: unknown): Hex => (typeof v === 'string' ? (v.toLowerCase() as Hex) : v instanceof Uint8Array ? toBytes(v, 'engine') : ('0x' as Hex));
const optHex = (v: unknown): Hex | null => (v === undefined || v === null ? null : hex(v));

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
  private readonly wasm: RawModule;

  /** Use `createEngine` instead. */
  constructor(wasm: RawModule, options: EngineOptions = {}) {
    const o = object(options, 'options');
    for (const k of Object.keys(o)) if (!['chainId', 'protocolVersion', 'flow', 'hardfork'].includes(k)) throw new ZkosError('INVALID_ARGUMENT', `options: unknown field ${JSON.stringify(k)}`);
    this.chainId = options.chainId === undefined ? 270n : toBigInt(options.chainId, 'options.chainId');
    if (this.chainId >= 1n << 64n) throw new ZkosError('INVALID_ARGUMENT', 'options.chainId: above 2^64-1');
    const flow = options.flow ?? 'zk';
    if (!FLOWS.includes(flow)) throw new ZkosError('INVALID_ARGUMENT', `options.flow: expected "zk" or "ethereum", got ${JSON.stringify(flow)}`);
    const hardfork = options.hardfork ?? 'cancun';
    if (!HARDFORKS.includes(hardfork)) throw new ZkosError('INVALID_ARGUMENT', `options.hardfork: expected one of ${HARDFORKS.join(', ')}, got ${JSON.stringify(hardfork)}`);
    const pv = options.protocolVersion ?? 1;
    if (pv !== 1) throw new ZkosError('INVALID_ARGUMENT', `options.protocolVersion: only 1 is known, got ${JSON.stringify(pv)}`);
    this.flow = flow;
    this.hardfork = hardfork;
    this.protocolVersion = pv;
    this.wasm = wasm;
    this.raw = guard(() => new wasm.Engine({ chainId: this.chainId, flow, hardfork, protocolVersion: pv }));
  }

  /** Releases the wasm memory of this engine. */
  free(): void {
    this.raw.free?.();
  }

  /** Sets an account's balance, nonce, code and the given slots. */
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

  /** Number of the latest block. */
  blockNumber(): bigint {
    return big(guard(() => this.raw.blockNumber()));
  }

  /** Runs a block of transactions (signed raw or unsigned with `from`); invalid ones are reported as `invalid` and left out. */
  runBlock(block: BlockInput): BlockResult {
    const b = canonicalBlock(block);
    const pre = block.preState === undefined ? [] : Object.entries(object(block.preState, 'block.preState')).map(([addr, acc]) => [toAddress(addr, 'block.preState address'), canonicalAccount(acc, `block.preState[${addr}]`)] as const);
    b.transactions.forEach((t, i) => typeof t === 'string' && checkEnvelope(t, `block.transactions[${i}]`));
    for (const [addr, acc] of pre) this.setAccount(addr, { ...acc, storage: Object.fromEntries(acc.storage) });
    const report = guard(() =>
      this.raw.runBlock(
        b.transactions.map((t) => (typeof t === 'string' ? t : rawTx(t))),
        { number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFee: b.baseFee, coinbase: b.coinbase },
      ),
    );
    return this.blockResult(report, b.transactions.length);
  }

  private blockResult(report: any, count: number): BlockResult {
    const results: TxResult[] = new Array(count);
    for (const r of report.receipts ?? []) {
      const pos = Number(r.position ?? r.transactionIndex ?? r.txIndex);
      results[pos] = txResult(r);
    }
    for (const r of report.rejected ?? []) {
      const pos = Number(r.position);
      results[pos] = { hash: r.txHash ?? undefined, status: 'invalid', gasUsed: 0n, ergs: 0n, nativeUsed: 0n, pubdataBytes: 0n, refund: 0n, logs: [], l2ToL1Messages: [], returnData: '0x', error: r.error?.message ?? String(r.error) };
    }
    const header = report.header ?? report;
    const { transactions: _t, receipts: _r, rejected: _j, header: _h, ...extra } = report;
    return { ...extra, number: big(header.number), hash: hex(header.hash), gasUsed: big(header.gasUsed), transactions: results };
  }

  /** Executes `tx` on the current state without changing it. */
  call(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride } = {}): TxResult {
    const t = canonicalTx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    return txResult(guard(() => this.raw.call(rawTx(t), so, bo)));
  }

  /** Estimates the gas limit `tx` needs (geth-style search, native-aware), with a breakdown. Throws `EXECUTION_REVERTED` when it always fails. */
  estimateGas(tx: TxRequest, options: { stateOverride?: StateOverride } = {}): GasEstimate {
    const t = canonicalTx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const r = guard(() => this.raw.estimateGas(rawTx(t), so));
    const out: GasEstimate = { gasLimit: big(r.gasLimit), gasUsed: big(r.gasUsed), nativeUsed: big(r.nativeUsed), pubdataBytes: big(r.pubdataUsed ?? r.pubdataBytes) };
    for (const [k, v] of Object.entries(r)) if (!(k in out) && k !== 'pubdataUsed') out[k] = typeof v === 'number' ? BigInt(v) : v;
    return out;
  }

  /** Traces `tx` on the current state (nothing is committed). Output follows geth's formats. */
  trace(tx: TxRequest, options: TraceOptions = {}): unknown {
    const t = canonicalTx(tx);
    const o = traceOpts(options);
    const so = rawOverride(canonicalStateOverride(options.stateOverride));
    const bo = canonicalBlockOverride(options.blockOverride);
    return guard(() => this.raw.trace(rawTx(t), o, so, bo));
  }

  /** Traces a mined transaction again on its block's pre-state. */
  traceTransaction(hash: Hex, options: TraceOptions = {}): unknown {
    const h = toWord(hash, 'hash');
    const o = traceOpts(options);
    return guard(() => this.raw.traceTransaction(h, o));
  }

  /** Opens a stepping session on `tx` (nothing is committed). */
  session(tx: TxRequest, options: { stateOverride?: StateOverride } = {}): Session {
    const t = canonicalTx(tx);
    const so = rawOverride(canonicalStateOverride(options.stateOverride));
    return new Session(guard(() => this.raw.session(rawTx(t), so)));
  }

  /** Decodes, validates and mines a signed transaction alone in a new block; returns its hash. Invalid ones throw and mine nothing. */
  sendRawTransaction(raw: Hex): Hex {
    const r = toBytes(raw, 'raw transaction');
    checkEnvelope(r, 'raw transaction');
    return hex(guard(() => this.raw.sendRawTransaction(r)));
  }

  /** A mined transaction. */
  getTransaction(hash: Hex): TxInfo | undefined {
    const h = toWord(hash, 'hash');
    const t = guard(() => this.raw.getTransaction(h));
    if (t === undefined || t === null) return undefined;
    return {
      hash: hex(t.hash),
      type: big(t.type),
      chainId: t.chainId === undefined || t.chainId === null ? undefined : big(t.chainId),
      from: hex(t.from),
      to: optHex(t.to),
      nonce: big(t.nonce),
      gas: big(t.gas ?? t.gasLimit),
      gasPrice: t.gasPrice === undefined ? undefined : big(t.gasPrice),
      maxFeePerGas: t.maxFeePerGas === undefined ? undefined : big(t.maxFeePerGas),
      maxPriorityFeePerGas: t.maxPriorityFeePerGas === undefined ? undefined : big(t.maxPriorityFeePerGas),
      value: big(t.value),
      input: hex(t.input ?? t.data),
      accessList: t.accessList ?? [],
      v: big(t.v),
      r: big(t.r),
      s: big(t.s),
      yParity: t.yParity === undefined ? undefined : big(t.yParity),
      blockHash: hex(t.blockHash),
      blockNumber: big(t.blockNumber),
      transactionIndex: big(t.transactionIndex ?? t.index),
    };
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
      transactionIndex: big(r.transactionIndex),
      transactionHash: hex(r.transactionHash),
      blockHash: hex(r.blockHash),
      blockNumber: big(r.blockNumber),
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
      status: r.status === true || r.status === 1 || r.status === 'success',
      gasUsed: big(r.gasUsed),
      cumulativeGasUsed: big(r.cumulativeGasUsed),
      effectiveGasPrice: big(r.effectiveGasPrice),
      logs,
      logsBloom: hex(r.logsBloom ?? '0x' + '0'.repeat(512)),
      nativeUsed: big(r.nativeUsed),
      pubdataBytes: big(r.pubdataUsed ?? r.pubdataBytes),
      l2ToL1Messages: r.l2ToL1Messages ?? [],
      returnData: hex(r.output ?? r.returnData),
    };
  }

  /** A block by number, hash, or `latest`. */
  getBlock(id: bigint | number | Hex | 'latest'): BlockInfo | undefined {
    let h: any;
    if (id === 'latest') h = guard(() => this.raw.getBlock(this.blockNumber()));
    else if (typeof id === 'string' && id.length === 66) h = guard(() => this.raw.getBlockByHash(toWord(id, 'block hash')));
    else h = guard(() => this.raw.getBlock(toBigInt(id, 'block number')));
    if (h === undefined || h === null) return undefined;
    return {
      number: big(h.number),
      hash: hex(h.hash),
      parentHash: hex(h.parentHash),
      timestamp: big(h.timestamp),
      gasLimit: big(h.gasLimit),
      gasUsed: big(h.gasUsed),
      baseFeePerGas: big(h.baseFee ?? h.baseFeePerGas),
      miner: hex(h.coinbase ?? h.miner),
      stateRoot: hex(h.stateCommitment ?? h.stateRoot ?? '0x' + '0'.repeat(64)),
      transactions: (h.transactions ?? []).map(hex),
      mixHash: hex(h.prevrandao ?? h.mixHash ?? '0x' + '0'.repeat(64)),
    };
  }

  /** Prices and limits new blocks use. */
  fees(): FeeInfo {
    const f = guard(() => this.raw.fees());
    return { baseFeePerGas: big(f.baseFee), nativePrice: big(f.nativePrice), pubdataPrice: big(f.pubdataPrice), blockGasLimit: big(f.blockGasLimit) };
  }

  /** The wasm module this engine runs on. */
  get bindings(): RawModule {
    return this.wasm;
  }
}

/** A paused transaction that runs step by step. Nothing it does is committed. */
export class Session {
  constructor(private readonly raw: RawEngine) {}
  /** Runs one opcode; returns the step it ran (pc, op, gas, costs) or undefined when finished. */
  step(): any {
    return guard(() => this.raw.step());
  }
  /** Runs to the end (or `maxSteps`); returns the result when finished. */
  continue(maxSteps?: number): TxResult | undefined {
    const r = guard(() => this.raw.continue(maxSteps));
    return r === undefined || r === null ? undefined : txResult(r);
  }
  /** Whether the transaction has finished. */
  get finished(): boolean {
    return Boolean(guard(() => this.raw.finished()));
  }
  /** The call frames, outermost first. */
  frames(): any[] {
    return guard(() => this.raw.frames());
  }
  /** The current frame's stack, top first, as 32-byte words. */
  stack(): Hex[] {
    return guard(() => this.raw.stack()).map(hex);
  }
  /** The current frame's memory as 0x-hex. */
  memory(): Hex {
    return hex(guard(() => this.raw.memory()));
  }
  /** Storage the transaction has touched. */
  storage(): any {
    return guard(() => this.raw.storage());
  }
  /** Ergs, gas, native and pubdata spent so far. */
  costs(): { ergs: bigint; gas: bigint; native: bigint; pubdata: bigint } {
    const c = guard(() => this.raw.costs());
    return { ergs: big(c.ergs), gas: big(c.gas), native: big(c.native), pubdata: big(c.pubdata) };
  }
  /** Releases the session's wasm memory. */
  free(): void {
    this.raw.free?.();
  }
}

function rawTx(t: CanonicalTx): Record<string, unknown> {
  return { ...t };
}

function rawOverride(entries: ReturnType<typeof canonicalStateOverride>): Record<string, unknown> | undefined {
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([a, o]) => [a, { ...o, state: o.state && Object.fromEntries(o.state), stateDiff: o.stateDiff && Object.fromEntries(o.stateDiff) }]));
}

function traceOpts(options: TraceOptions): Record<string, unknown> {
  const o = object(options, 'trace options');
  const tracer = (o.tracer ?? 'structLogs') as TracerName;
  if (!TRACERS.includes(tracer)) throw new ZkosError('INVALID_ARGUMENT', `tracer: expected one of ${TRACERS.join(', ')}, got ${JSON.stringify(tracer)}`);
  const config = o.tracerConfig === undefined || o.tracerConfig === null ? {} : object(o.tracerConfig, 'tracerConfig');
  return {
    tracer,
    tracerConfig: config,
    enableMemory: o.enableMemory === true,
    disableStack: o.disableStack === true,
    disableStorage: o.disableStorage === true,
    enableReturnData: o.enableReturnData === true,
  };
}

/** A transaction's outcome from what the bindings return for a call or a block receipt. */
function txResult(r: any): TxResult {
  const returnData = hex(r.output ?? r.returnData ?? '0x');
  const success = r.success === true || r.status === true || r.status === 1 || r.status === 'success';
  const gasUsed = big(r.gasUsed);
  const out: TxResult = {
    status: success ? 'success' : 'reverted',
    gasUsed,
    ergs: r.ergs === undefined ? gasUsed * 256n : big(r.ergs),
    nativeUsed: big(r.nativeUsed),
    pubdataBytes: big(r.pubdataUsed ?? r.pubdataBytes),
    refund: big(r.gasRefunded ?? r.refund),
    logs: (r.logs ?? []).map((l: any): Log => ({ address: hex(l.address ?? l.log?.address), topics: (l.topics ?? l.log?.topics ?? []).map(hex), data: hex(l.data ?? l.log?.data) })),
    l2ToL1Messages: r.l2ToL1Messages ?? [],
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
