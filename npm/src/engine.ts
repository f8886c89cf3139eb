// The typed engine: validates every argument, hands canonical values to the wasm bindings and
// turns their answers into the package's types (bigint quantities, 0x-hex bytes).
import type { BlockInfo, FeeInfo, ReceiptInfo, TxInfo } from './chain.js';
import { ZkosError } from './errors.js';
import { type Instantiate, type RawEngine, WasmInstance, guardPrototype, memoryPages } from './instance.js';
import { readPlain } from './plain.js';
import { type Hex, type Quantity, describe, show, toAddress, toBigInt, toBytes, toU64, toWord } from './hex.js';
import { type CanonicalBlock, type CanonicalTx, canonicalAccount, canonicalBlock, canonicalBlockOverride, canonicalStateOverride, canonicalTx, checkChainId, list, object } from './input.js';
import type { ForkBlock } from './fork/types.js';
import type { ProviderEngine } from './provider.js';
import { recordedCodes, recordedSteps, recordedTransactions } from './recording.js';
import { accessListOf, accessListResult, authorizationsOf, blockInfo, blockResult, receiptInfo, txResult } from './results.js';
import { MAX_RECORD_STEPS, PHASES, bigFields, estimateResult, rawOverride, shapeTrace, smallInt, stateBlock, stepReport, traceOpts } from './shapes.js';
import { checkEnvelope, envelopeSignature } from './rlp.js';
import { EngineSnapshot, Envelopes, SNAPSHOTS } from './snapshots.js';
import { Deadline, Slicer, boundOf } from './timeout.js';
import type {
  AccessListResult, Account, AccountInput, BlockInput, BlockOverride, BlockResult, EngineOptions,
  GasEstimate, Breakpoint, GasBreakdown, NativeBudget, PendingTransaction, Phase, ProtocolVersion,
  RecordedCode, RecordedSteps, RecordedTransaction, SessionLog, SessionMessage, StateOverride, StepReport,
  TraceOptions, TracerName, TxRequest, TxResult, WasmMemory,
} from './types.js';

const FLOWS = ['zk', 'ethereum'];
const HARDFORKS = ['cancun', 'prague', 'osaka'];
const PROTOCOL_VERSIONS: readonly unknown[] = [1, 2];

const big = (v: unknown): bigint => (v === undefined || v === null ? 0n : typeof v === 'bigint' ? v : BigInt(v as string | number));
const hex = (v: unknown): Hex => (typeof v === 'string' ? (v.toLowerCase() as Hex) : v instanceof Uint8Array ? toBytes(v, 'engine') : ('0x' as Hex));
const optHex = (v: unknown): Hex | null => (v === undefined || v === null ? null : hex(v));
const ZERO_WORD = ('0x' + '0'.repeat(64)) as Hex;
const ENGINE_OPTION_KEYS = ['chainId', 'protocolVersion', 'flow', 'hardfork', 'baseFee', 'nativePrice', 'pubdataPrice', 'blockGasLimit', 'rpcGasCap', 'historyBlocks', 'coinbase', 'allowSystemTransactions', 'maxMemoryBytes', 'blobSchedule'];
/** Type bytes of the ZKsync system transactions: upgrade and L1 priority (they mint, unsigned). */
const SYSTEM_TX_TYPES: readonly number[] = [0xfe, 0xff];
/** Names viem gives transaction types in requests (`type: 'eip1559'`). */
const TX_TYPE_NAMES = ['legacy', 'eip2930', 'eip1559', 'eip4844', 'eip7702'];

/** The sessions engines opened, with what only the package may see of them. */
const OPENED = new WeakMap<Session, SessionState>();

/** A session's wasm side and the engine that opened it. */
interface SessionState {
  readonly engine: Engine;
  readonly wasm: WasmInstance;
  readonly raw: RawEngine;
  /** The block's transactions (block sessions only). */
  readonly transactions: readonly (Hex | unknown)[] | undefined;
  freed: boolean;
}

/** What the package's fork mode reaches inside an engine (never exported from the package). */
export interface EngineInternals {
  /** Runs `f` on the wasm engine behind the instance's guard. */
  call<T>(f: (raw: RawEngine) => T): T;
  /** Validates a request (as `call` does). */
  tx(value: unknown, what?: string): Record<string, unknown>;
  /** Validates a block's transactions and header fields; returns the header overrides and the transactions as the bindings take them. */
  block(block: unknown): { overrides: Record<string, unknown>; txs: unknown[]; transactions: readonly (Hex | unknown)[] };
  /** Checks a raw transaction (its type; system transactions only when allowed). */
  checkRaw(raw: Hex, what: string): void;
  /** Remembers a produced block's envelopes (as `runBlock` does). */
  keep(result: BlockResult, transactions: readonly (Hex | unknown)[]): BlockResult;
  /** Wraps a wasm session. */
  open(raw: RawEngine, transactions?: readonly (Hex | unknown)[]): Session;
  /** keccak-256 of `data`, by the engine's wasm (the dev node's EIP-712 digests). */
  keccak(data: Uint8Array): Uint8Array;
}

const INTERNALS = new WeakMap<Engine, EngineInternals>();

/** The internals of `engine` (fork mode drives its jobs through them). */
export function engineInternals(engine: Engine): EngineInternals {
  const internals = INTERNALS.get(engine);
  if (internals === undefined) throw new ZkosError('INTERNAL_ERROR', 'zkos: not an engine');
  return internals;
}

/** A local ZKsync OS chain: state, blocks, and simulations on top of it. */
export class Engine implements ProviderEngine {
  /** EIP-155 chain id. */
  readonly chainId: bigint;
  /** Fee and execution flow. */
  readonly flow: 'zk' | 'ethereum';
  /** EVM hardfork. */
  readonly hardfork: 'cancun' | 'prague' | 'osaka';
  /** ZKsync OS protocol version: the cost table and flow rules the engine charges by. */
  readonly protocolVersion: ProtocolVersion;
  /** Whether raw L1 priority (0xff) and upgrade (0xfe) transactions are accepted. */
  readonly allowSystemTransactions: boolean;
  /** Most gas a simulation may use (`options.rpcGasCap`, default 50,000,000 as geth's RPCGasCap). */
  readonly rpcGasCap: bigint;
  /** The engine's own wasm instance. */
  readonly #wasm: WasmInstance;
  readonly #raw: RawEngine;
  #freed = false;
  /** Signed envelopes of mined transactions by hash (for `v`, `r`, `s`). */
  readonly #envelopes = new Envelopes();

  static {
    guardPrototype(this, (engine: Engine) => engine.#enter());
  }

  /** Use `createEngine` instead (`forkBlock`: the block of a forked chain it builds on, from the fork fetcher). */
  constructor(instantiate: Instantiate, options: EngineOptions = {}, forkBlock?: ForkBlock) {
    try {
      const o = object(readPlain(options, 'options'), 'options');
      for (const k of Object.keys(o)) if (!ENGINE_OPTION_KEYS.includes(k)) throw new ZkosError('INVALID_ARGUMENT', `options: unknown field ${show(k)}`);
      this.chainId = o.chainId === undefined ? 270n : toU64(o.chainId, 'options.chainId');
      const flow = o.flow;
      if (flow !== undefined && !FLOWS.includes(flow as string)) throw new ZkosError('INVALID_ARGUMENT', `options.flow: expected "zk" or "ethereum", got ${show(flow)}`);
      const hardfork = o.hardfork;
      if (hardfork !== undefined && !HARDFORKS.includes(hardfork as string)) throw new ZkosError('INVALID_ARGUMENT', `options.hardfork: expected one of ${HARDFORKS.join(', ')}, got ${show(hardfork)}`);
      const pv = o.protocolVersion;
      if (pv !== undefined && !PROTOCOL_VERSIONS.includes(pv)) throw new ZkosError('INVALID_ARGUMENT', `options.protocolVersion: expected ${PROTOCOL_VERSIONS.join(' or ')}, got ${show(pv)}`);
      const system = o.allowSystemTransactions ?? false;
      if (typeof system !== 'boolean') throw new ZkosError('INVALID_ARGUMENT', `options.allowSystemTransactions: expected a boolean, got ${describe(system)}`);
      this.allowSystemTransactions = system;
      // What is not given core decides: the flow (zk, or a known Ethereum network's when forking
      // it), the hardfork (the flow's default, or a known network's fork block's).
      const config: Record<string, unknown> = { chainId: this.chainId };
      if (flow !== undefined) config.flow = flow;
      if (hardfork !== undefined) config.hardfork = hardfork;
      if (o.blobSchedule !== undefined) config.blobSchedule = o.blobSchedule;
      if (pv !== undefined) config.protocolVersion = pv;
      for (const k of ['baseFee', 'nativePrice', 'pubdataPrice'] as const) if (o[k] !== undefined) config[k] = toBigInt(o[k], `options.${k}`);
      if (o.blockGasLimit !== undefined) config.blockGasLimit = toU64(o.blockGasLimit, 'options.blockGasLimit');
      if (o.rpcGasCap !== undefined) config.rpcGasCap = toU64(o.rpcGasCap, 'options.rpcGasCap');
      if (o.coinbase !== undefined) config.coinbase = toAddress(o.coinbase, 'options.coinbase');
      const pages = o.maxMemoryBytes === undefined ? undefined : memoryPages(toBigInt(o.maxMemoryBytes, 'options.maxMemoryBytes'));
      this.#wasm = new WasmInstance(instantiate(pages));
      const module = this.#wasm.module;
      this.#raw = this.#wasm.call(() => (forkBlock === undefined ? new module.Engine(config) : module.Engine.forked(config, forkBlock)));
      this.protocolVersion = this.#call((raw) => raw.protocolVersion()) as Engine['protocolVersion'];
      this.flow = this.#call((raw) => raw.flow()) as Engine['flow'];
      this.hardfork = this.#call((raw) => raw.hardfork()) as Engine['hardfork'];
      this.rpcGasCap = big(this.#call((raw) => raw.rpcGasCap()));
      if (o.historyBlocks !== undefined) {
        const historyBlocks = toU64(o.historyBlocks, 'options.historyBlocks');
        this.#call((raw) => raw.setHistoryBlocks(historyBlocks));
      }
      INTERNALS.set(this, {
        call: (f) => {
          this.#enter();
          return this.#call(f);
        },
        tx: (value, what) => rawTx(this.#tx(value, what)),
        block: (block) => {
          const b = this.#block(block);
          const overrides = { number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFee: b.baseFee, coinbase: b.coinbase };
          return { overrides, txs: b.transactions.map((t) => (typeof t === 'string' ? t : rawTx(t))), transactions: b.transactions };
        },
        checkRaw: (raw, what) => this.#checkRaw(raw, what),
        keep: (result, transactions) => this.#keep(result, transactions),
        open: (raw, transactions) => this.#open(raw, transactions),
        keccak: (data) => this.#call((raw) => raw.keccak256(data) as Uint8Array),
      });
    } catch (err) {
      if (err instanceof ZkosError && err.code !== 'ENGINE_POISONED') throw err;
      // A trap while the engine was made (too little memory for it): no engine was, none is poisoned.
      const why = err instanceof ZkosError ? `its wasm instance failed (${String(err.cause)})` : err instanceof Error ? err.message : String(err);
      throw new ZkosError('ENGINE_ERROR', `zkos: the engine could not be created: ${why}`, undefined, undefined, { cause: err });
    }
  }

  /** Throws when the engine was freed or its instance trapped. */
  #enter(): void {
    if (this.#freed) throw new ZkosError('ENGINE_FREED', 'this engine was freed');
    this.#wasm.check();
  }

  /** Runs `f` on the wasm engine behind the instance's guard. */
  #call<T>(f: (raw: RawEngine) => T): T {
    return this.#wasm.call(() => f(this.#raw));
  }

  /** A session this engine opened on `raw`. */
  #open(raw: RawEngine, transactions?: readonly (Hex | unknown)[]): Session {
    const session = new Session();
    OPENED.set(session, { engine: this, wasm: this.#wasm, raw, transactions, freed: false });
    return session;
  }

  /** Throws `SYSTEM_TRANSACTION_NOT_ALLOWED` for a raw L1 or upgrade transaction, unless the engine accepts them. */
  #checkRaw(raw: Hex, what: string): void {
    const type = raw.length >= 4 ? parseInt(raw.slice(2, 4), 16) : -1;
    if (SYSTEM_TX_TYPES.includes(type)) {
      if (!this.allowSystemTransactions) throw systemTxRefused(what, type);
      // L1 and upgrade transactions are ABI-encoded; the engine's decoder checks them.
      return;
    }
    checkEnvelope(raw, what);
  }

  /** Validates a request. */
  #tx(value: unknown, what = 'tx'): CanonicalTx {
    this.#checkType(value, what);
    checkChainId(value, this.chainId, what);
    return canonicalTx(value, what);
  }

  /** Checks a request's `type`: a type byte or a viem type name; the system types are refused (requests run as L2 transactions). */
  #checkType(value: unknown, what: string): void {
    const type = object(value, what).type;
    if (type !== undefined && type !== null && !TX_TYPE_NAMES.includes(type as string)) {
      const t = toBigInt(type, `${what}.type`);
      if (t > 0xffn) throw new ZkosError('INVALID_ARGUMENT', `${what}.type: above 0xff`);
      if (SYSTEM_TX_TYPES.includes(Number(t))) {
        if (!this.allowSystemTransactions) throw systemTxRefused(`${what}.type`, Number(t));
        throw new ZkosError('INVALID_ARGUMENT', `${what}.type: requests run as L2 transactions; send an L1 or upgrade transaction as its raw envelope to runBlock`);
      }
    }
  }

  /** Bytes of wasm memory the engine's instance has grown to (never given back) and the most it may grow to (`maxMemoryBytes`; default 4 GiB). */
  wasmMemory(): WasmMemory {
    return { bytes: this.#wasm.memoryBytes, maxBytes: this.#wasm.maxMemoryBytes };
  }

  /** Releases the wasm memory of this engine (its sessions keep theirs until they are freed). */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    // A trapped instance cannot free anything; it goes away with its last engine or session.
    if (!this.#wasm.poisoned) this.#wasm.call(() => this.#raw.free());
  }

  /** Sets an account: given fields replace the current ones, omitted fields keep them; listed slots are set. */
  setAccount(address: Hex, account: AccountInput): void {
    const a = toAddress(address, 'address');
    const c = canonicalAccount(account);
    const current = this.getAccount(a);
    this.#call((raw) =>
      raw.setAccount(a, {
        balance: c.balance ?? current?.balance ?? 0n,
        nonce: c.nonce ?? current?.nonce ?? 0n,
        code: c.code ?? current?.code ?? '0x',
        storage: Object.fromEntries(c.storage),
      }),
    );
  }

  /** The account at `address` (in the state at `blockNumber`, default the latest), or undefined when it does not exist. */
  getAccount(address: Hex, blockNumber?: Quantity): Account | undefined {
    const a = toAddress(address, 'address');
    const at = stateBlock(blockNumber);
    const r = this.#call((raw) => (at === undefined ? raw.getAccount(a) : raw.accountAt(a, at)));
    if (r === undefined || r === null) return undefined;
    return { balance: big(r.balance), nonce: big(r.nonce), code: hex(r.code), codeHash: hex(r.codeHash) };
  }

  /** Storage slot `slot` of `address` as a 32-byte word (in the state at `blockNumber`, default the latest). */
  getStorage(address: Hex, slot: Hex | bigint | number, blockNumber?: Quantity): Hex {
    const a = toAddress(address, 'address');
    const k = toWord(slot, 'slot');
    const at = stateBlock(blockNumber);
    return toWord(this.#call((raw) => (at === undefined ? raw.getStorage(a, k) : raw.storageAt(a, k, at))), 'engine');
  }

  /** Addresses of every existing account and of every address holding storage without one, in address order. */
  addresses(): Hex[] {
    return (this.#call((raw) => raw.addresses()) as unknown[]).map(hex);
  }

  /** Every non-zero storage slot of `address` as `[slot, value]` words, in slot order. */
  getStorageAll(address: Hex): [Hex, Hex][] {
    const a = toAddress(address, 'address');
    return (this.#call((raw) => raw.getStorageAll(a)) as unknown[][]).map(([k, v]) => [hex(k), hex(v)]);
  }

  /**
   * A checkpoint of the whole chain (state, blocks, receipts, fees) to `restore`; `free` it when done. Taking it costs
   * the same on any chain, restoring it what changed since, and uses up the snapshots taken after it (their `restore`
   * throws `INVALID_ARGUMENT`). `{ copy: true }`: a whole copy instead (time and memory as the chain's size).
   */
  snapshot(options: { copy?: boolean } = {}): EngineSnapshot {
    const copy = object(options, 'options').copy ?? false;
    if (typeof copy !== 'boolean') throw new ZkosError('INVALID_ARGUMENT', `options.copy: expected a boolean, got ${describe(copy)}`);
    const snapshot = new EngineSnapshot();
    if (copy) SNAPSHOTS.set(snapshot, { engine: this, copy: this.#call((raw) => raw.snapshot()), envelopes: this.#envelopes.copy() });
    else SNAPSHOTS.set(snapshot, { engine: this, checkpoint: this.#call((raw) => raw.checkpoint()), envelopes: this.#envelopes.mark() });
    return snapshot;
  }

  /** Returns the chain to `snapshot` (taken from this engine; it stays usable, the ones taken after it are used up). */
  restore(snapshot: EngineSnapshot): void {
    const s = SNAPSHOTS.get(snapshot);
    if (s === undefined || s.engine !== this) throw new ZkosError('INVALID_ARGUMENT', 'snapshot: not taken from this engine, or freed');
    if ('copy' in s) {
      this.#call((raw) => raw.restore(s.copy));
      this.#envelopes.replace(s.envelopes);
    } else {
      this.#call((raw) => raw.rewind(s.checkpoint));
      this.#envelopes.rewind(s.envelopes);
    }
  }

  /** A transaction (raw, or a request sent as its `from`) as the next block would take it alone, without running it; throws for one no block could take at the head's state (a pool's refusals: nonce below the sender's, funds, fees, gas). */
  pendingTransaction(tx: Hex | TxRequest): PendingTransaction {
    const item = typeof tx === 'string' ? toBytes(tx, 'raw transaction') : rawTx(this.#tx(tx));
    if (typeof item === 'string') this.#checkRaw(item, 'raw transaction');
    const p = this.#call((raw) => raw.pendingTransaction(item));
    return { hash: hex(p.hash), from: hex(p.from), nonce: big(p.nonce), gas: big(p.gas), maxFeePerGas: big(p.maxFeePerGas), maxPriorityFeePerGas: big(p.maxPriorityFeePerGas), type: big(p.type), to: optHex(p.to), value: big(p.value), input: hex(p.input), accessList: accessListOf(p.accessList), authorizationList: authorizationsOf(p.authorizationList) };
  }

  /** Root of the Blake2s state tree of the current state. */
  stateRoot(): Hex {
    return hex(this.#call((raw) => raw.stateRoot()));
  }

  /** Number of the latest block. */
  blockNumber(): bigint {
    return big(this.#call((raw) => raw.blockNumber()));
  }

  /**
   * Produces the next block from signed raw transactions and unsigned requests (sent as their
   * `from`). Transactions invalid at their turn are left out and reported as `invalid`; with
   * `strict`, one left out throws its error instead and nothing changes. With `deadline` (a
   * bound the dev node's simulations share), a block still running at it is stopped (`TIMEOUT`)
   * and nothing changes.
   */
  runBlock(block: BlockInput, options: { strict?: boolean; deadline?: Deadline } = {}): BlockResult {
    const b = this.#block(block);
    const preState = object(block, 'block').preState;
    const pre = preState === undefined ? [] : Object.entries(object(preState, 'block.preState')).map(([addr, acc]) => [toAddress(addr, 'block.preState address'), canonicalAccount(acc, `block.preState[${addr}]`)] as const);
    // Checked here so that a refused block leaves the pre-state unapplied.
    const head = this.getBlock('latest');
    if (head !== undefined && b.number !== undefined && b.number <= head.number) throw new ZkosError('INVALID_ARGUMENT', `block.number: must be above the head (${head.number})`);
    // The core's rule: above the head's timestamp in the Ethereum flow, not below it in the zk flow.
    const stale = this.flow === 'ethereum' ? b.timestamp! <= (head?.timestamp ?? -1n) : b.timestamp! < (head?.timestamp ?? -1n);
    if (head !== undefined && b.timestamp !== undefined && stale) throw new ZkosError('INVALID_ARGUMENT', `block.timestamp: must ${this.flow === 'ethereum' ? 'rise above' : 'not go below'} the head's (${head.timestamp})`);
    for (const [addr, acc] of pre) this.setAccount(addr, { ...acc, storage: Object.fromEntries(acc.storage) });
    const overrides = { number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFee: b.baseFee, coinbase: b.coinbase };
    const txs = b.transactions.map((t) => (typeof t === 'string' ? t : rawTx(t)));
    const o = object(options, 'options');
    const strict = o.strict === true;
    const bound = o.deadline;
    if (bound !== undefined && !(bound instanceof Deadline)) throw new ZkosError('INVALID_ARGUMENT', 'options.deadline: expected a Deadline');
    const report = bound === undefined ? this.#call((raw) => (strict ? raw.runBlockStrict(txs, overrides) : raw.runBlock(txs, overrides))) : this.#sliced((raw) => raw.startBlock(txs, overrides, strict), bound);
    return this.#keep(blockResult(report, b.transactions.length), b.transactions);
  }

  /** Validates a block's transactions and header fields (not its pre-state). */
  #block(block: unknown): CanonicalBlock {
    const b = canonicalBlock(block);
    list(object(block, 'block').transactions, 'block.transactions', (t, i) => typeof t === 'object' && t !== null && !(t instanceof Uint8Array) && this.#checkType(t, `block.transactions[${i}]`));
    b.transactions.forEach((t, i) => typeof t === 'string' && this.#checkRaw(t, `block.transactions[${i}]`));
    return b;
  }

  /** Remembers the signed envelopes of a produced block's transactions (for `getTransaction`). */
  #keep(result: BlockResult, transactions: readonly (Hex | unknown)[]): BlockResult {
    result.transactions.forEach((r, i) => {
      const t = transactions[i];
      if (typeof t === 'string' && r.status !== 'invalid' && r.hash !== undefined) this.#envelopes.set(r.hash, t as Hex);
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
    const b = this.#block(block);
    const overrides = { number: b.number, timestamp: b.timestamp, gasLimit: b.gasLimit, baseFee: b.baseFee, coinbase: b.coinbase };
    const txs = b.transactions.map((t) => (typeof t === 'string' ? t : rawTx(t)));
    return this.#open(this.#call((raw) => raw.blockSession(txs, overrides)), b.transactions);
  }

  /**
   * Keeps the block a finished block session sealed, exactly as `runBlock` would have produced
   * it. Throws `SESSION_MISMATCH` for a session another engine opened, `ENGINE_FREED` for a
   * freed one, and `INVALID_ARGUMENT` when the session is not a finished block session, was
   * already committed, or the chain changed since it was opened; nothing changes then.
   */
  commitSession(session: Session): BlockResult {
    const state = session instanceof Session ? OPENED.get(session) : undefined;
    if (state === undefined || state.transactions === undefined) throw new ZkosError('INVALID_ARGUMENT', 'session: expected a block session');
    if (state.engine !== this) throw new ZkosError('SESSION_MISMATCH', 'session: opened by another engine; commit it to the engine that opened it');
    if (state.freed) throw new ZkosError('ENGINE_FREED', 'session: this session was freed');
    const transactions = state.transactions;
    const report = this.#call((raw) => raw.commitSession(state.raw));
    return this.#keep(blockResult(report, transactions.length), transactions);
  }

  /**
   * Executes `tx` on the latest state in the next block (or at `blockNumber` in that block's own
   * context: its number, timestamp, fees, as geth and anvil run a call at a block) without changing it. With `timeoutMs`, a run still going after that many ms is stopped:
   * `TIMEOUT` ("execution aborted (timeout = …)", geth's wording), nothing changed.
   */
  call(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: Quantity; timeoutMs?: number } = {}): TxResult {
    const t = this.#tx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    const at = stateBlock(o.blockNumber);
    const bound = boundOf(o.timeoutMs, 'call');
    if (bound !== undefined) return txResult(this.#sliced((raw) => raw.startCall(rawTx(t), so, bo, at), bound));
    return txResult(this.#call((raw) => raw.call(rawTx(t), so, bo, at)));
  }

  /**
   * Runs the job `start` opens in slices of EVM steps until it ends, stopping it once the time
   * spent reaches `bound` (the job is abandoned: nothing it did stays); returns its value.
   */
  #sliced(start: (raw: RawEngine) => RawEngine, bound: Deadline): any {
    // A bound shared by several runs (a simulation's blocks and traces) counts each run's last
    // slice too: before, runs that ended within one slice were never counted.
    bound.spend(0);
    const job = this.#call(start);
    const slicer = new Slicer();
    let ended = false;
    try {
      job.setSlice(slicer.steps);
      for (;;) {
        const began = performance.now();
        const step = this.#call((raw) => raw.resume(job));
        if (step.done === true) {
          ended = true;
          bound.charge(performance.now() - began);
          return step.value;
        }
        if (step.needs.length > 0) throw new ZkosError('INTERNAL_ERROR', 'zkos: a local engine asked for state of a forked chain');
        const ms = performance.now() - began;
        bound.spend(ms);
        if (slicer.took(ms)) job.setSlice(slicer.steps);
      }
    } finally {
      if (!ended && !this.#wasm.poisoned) this.#call((raw) => raw.abandon(job));
      if (!this.#wasm.poisoned) job.free();
    }
  }

  /**
   * The access list `tx` would run with on the latest state (or at `blockNumber`, as `call`), found
   * as geth's `eth_createAccessList` finds it (run, list what the opcodes named, run again with
   * that list until it settles; at most 8 runs), and the run with it. Throws as `call` does when
   * the chain would refuse the request; a reverting run is an answer (`result.status`).
   */
  createAccessList(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: Quantity; timeoutMs?: number } = {}): AccessListResult {
    const t = this.#tx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    const at = stateBlock(o.blockNumber);
    const bound = boundOf(o.timeoutMs, 'call');
    if (bound !== undefined) return accessListResult(this.#sliced((raw) => raw.startCreateAccessList(rawTx(t), so, bo, at), bound));
    return accessListResult(this.#call((raw) => raw.createAccessList(rawTx(t), so, bo, at)));
  }

  /**
   * Estimates the gas limit `tx` needs (geth-style search that also covers native and pubdata),
   * with the breakdown, in the next block (or at `blockNumber` in that block, with `blockOverride`'s values, as `call`). Throws `EXECUTION_REVERTED` (revert data in `data`) when it always reverts;
   * with `timeoutMs`, `TIMEOUT` once its runs took that many ms together.
   */
  estimateGas(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: Quantity; timeoutMs?: number } = {}): GasEstimate {
    const t = this.#tx(tx);
    const o = object(options, 'options');
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const [bo, at] = [canonicalBlockOverride(o.blockOverride as BlockOverride | undefined), stateBlock(o.blockNumber)];
    const bound = boundOf(o.timeoutMs, 'call');
    if (bound !== undefined) return estimateResult(this.#sliced((raw) => raw.startEstimate(rawTx(t), so, bo, at), bound));
    return estimateResult(this.#call((raw) => raw.estimateGas(rawTx(t), so, bo, at)));
  }

  /**
   * Traces `tx` on the latest state (nothing is committed). Output has geth's shape for the
   * tracer (structLogs `{failed, gas, returnValue, structLogs}`, callTracer frames, prestate
   * accounts or `{pre, post}`), extended with ergs and native; `eip3155` gives the lines as an
   * array whose last item is the summary. With `timeoutMs`: `TIMEOUT` ("execution timeout").
   */
  trace(tx: TxRequest, options: TraceOptions = {}): unknown {
    const t = this.#tx(tx);
    const o = traceOpts(options);
    const so = rawOverride(canonicalStateOverride(options.stateOverride));
    const bo = canonicalBlockOverride(options.blockOverride);
    const at = stateBlock(options.blockNumber);
    const bound = boundOf(options.timeoutMs, 'trace');
    const raw = bound === undefined ? this.#call((raw) => raw.traceCall(rawTx(t), o, so, bo, at)) : this.#sliced((raw) => raw.startTraceCall(rawTx(t), o, so, bo, at), bound);
    return shapeTrace(raw, o.tracer as TracerName);
  }

  /** Traces a mined transaction again on its block's pre-state (recent blocks only); `timeoutMs` as for `trace`, or a `deadline` shared with other runs (as `runBlock`'s). */
  traceTransaction(hash: Hex, options: TraceOptions & { deadline?: Deadline } = {}): unknown {
    const h = toWord(hash, 'hash');
    const o = traceOpts(options);
    if (options.deadline !== undefined && !(options.deadline instanceof Deadline)) throw new ZkosError('INVALID_ARGUMENT', 'options.deadline: expected a Deadline');
    const bound = options.deadline ?? boundOf(options.timeoutMs, 'trace');
    const raw = bound === undefined ? this.#call((raw) => raw.traceTransaction(h, o)) : this.#sliced((raw) => raw.startTraceTransaction(h, o), bound);
    return shapeTrace(raw, o.tracer as TracerName);
  }

  /** Opens a stepping session on `tx` (nothing is committed). */
  session(tx: TxRequest, options: { stateOverride?: StateOverride } = {}): Session {
    const t = this.#tx(tx);
    const so = rawOverride(canonicalStateOverride(object(options, 'options').stateOverride as StateOverride | undefined));
    return this.#open(this.#call((raw) => raw.session(rawTx(t), so, undefined)));
  }

  /** Decodes, validates and mines a signed transaction alone in a new block; returns its hash. Invalid ones throw and mine nothing. */
  sendRawTransaction(raw: Hex): Hex {
    const r = toBytes(raw, 'raw transaction');
    this.#checkRaw(r, 'raw transaction');
    const hash = hex(this.#call((raw) => raw.sendRawTransaction(r)));
    this.#envelopes.set(hash, r);
    return hash;
  }

  /** A mined transaction. */
  getTransaction(hash: Hex): TxInfo | undefined {
    const h = toWord(hash, 'hash');
    const t = this.#call((raw) => raw.getTransaction(h));
    if (t === undefined || t === null) return undefined;
    const block = this.getBlock(big(t.blockNumber));
    const type = big(t.type);
    const envelope = this.#envelopes.get(h);
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
      accessList: accessListOf(t.accessList),
      v: sig?.v ?? 0n,
      r: sig?.r ?? 0n,
      s: sig?.s ?? 0n,
      blockHash: block?.hash ?? ZERO_WORD,
      blockNumber: big(t.blockNumber),
      transactionIndex: big(t.transactionIndex),
    };
    if (t.chainId !== undefined && t.chainId !== null) info.chainId = big(t.chainId);
    if (sig?.typed) info.yParity = sig.v;
    if (type === 4n) info.authorizationList = authorizationsOf(t.authorizationList);
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
    const r = this.#call((raw) => raw.getReceipt(h));
    if (r === undefined || r === null) return undefined;
    return receiptInfo(r);
  }

  /** A block by number, hash, or `latest`. */
  getBlock(id: bigint | number | Hex | 'latest'): BlockInfo | undefined {
    let key: bigint | Hex;
    if (id === 'latest') key = this.blockNumber();
    else if (typeof id === 'string' && id.length === 66) key = toWord(id, 'block hash');
    else key = toU64(id, 'block number');
    const h = this.#call((raw) => raw.getBlock(key));
    if (h === undefined || h === null) return undefined;
    return blockInfo(h);
  }

  /** Prices and limits the next block runs with (on a fork, before its first block, not the fork block's own). */
  fees(): FeeInfo {
    const f = this.#call((raw) => raw.nextFees());
    return { baseFeePerGas: big(f.baseFeePerGas), blobBaseFee: big(f.blobBaseFee), nativePrice: big(f.nativePrice), pubdataPrice: big(f.pubdataPrice), blockGasLimit: big(f.blockGasLimit), coinbase: f.coinbase as Hex };
  }
}

/**
 * A transaction, or a block of transactions, paused between steps (bootloader phases, single
 * opcodes, and for a block the final `blockFinish`). Nothing it does is committed to the engine
 * (a finished block session can be kept with `engine.commitSession`).
 */
export class Session {
  static {
    guardPrototype(this, (session: Session) => session.#state());
  }

  /** The session's state; throws when it was freed or its engine's instance trapped. */
  #state(): SessionState {
    const state = OPENED.get(this);
    if (state === undefined) throw new ZkosError('INVALID_ARGUMENT', 'session: not opened by an engine (use engine.session or engine.blockSession)');
    if (state.freed) throw new ZkosError('ENGINE_FREED', 'this session was freed');
    state.wasm.check();
    return state;
  }

  /** Runs `f` on the wasm session behind its instance's guard. */
  #call<T>(f: (raw: RawEngine) => T): T {
    const state = this.#state();
    return state.wasm.call(() => f(state.raw));
  }

  /** The block's transactions (block sessions only). */
  get transactions(): readonly (Hex | unknown)[] | undefined {
    return this.#state().transactions;
  }

  /** Takes up to `n` steps (default 1). */
  step(n = 1): StepReport {
    const count = smallInt(n, 'step count', 2 ** 32 - 1);
    return stepReport(this.#call((raw) => raw.step(count)));
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
      } else throw new ZkosError('INVALID_ARGUMENT', `breakpoint: unknown field ${show(k)}`);
    }
    const max = maxSteps === undefined ? undefined : smallInt(maxSteps, 'maxSteps', Number.MAX_SAFE_INTEGER);
    return stepReport(this.#call((raw) => raw.continueUntil(bp, max)));
  }

  /** The current phase. */
  get phase(): Phase {
    return this.#call((raw) => raw.phase()) as Phase;
  }

  /** Whether the session has ended. */
  get finished(): boolean {
    return this.#call((raw) => raw.finished()) === true;
  }

  /** Index of the transaction being stepped (the transaction count once all ended). */
  get txIndex(): number {
    return Number(this.#call((raw) => raw.txIndex()));
  }

  /** Number of transactions the session runs (1 for `engine.session`). */
  get txCount(): number {
    return Number(this.#call((raw) => raw.txCount()));
  }

  /** Events so far, in order; those of the running transaction are `pending`. */
  logs(): SessionLog[] {
    const raw: any[] = this.#call((raw) => raw.logs());
    return raw.map((l) => ({ address: hex(l.address), topics: (l.topics ?? []).map(hex), data: hex(l.data), txIndex: Number(l.txIndex), pending: l.pending === true }));
  }

  /** L2→L1 messages so far, in order; those of the running transaction are `pending`. */
  l2ToL1Messages(): SessionMessage[] {
    const raw: any[] = this.#call((raw) => raw.l2ToL1Messages());
    return raw.map((m) => ({ sender: hex(m.sender), data: hex(m.data), txIndex: Number(m.txIndex), pending: m.pending === true }));
  }

  /**
   * The pubdata the block would publish if it ended now: the net state changes and L2→L1
   * messages so far through the block's own encoder (its block hash is that of the block as it
   * stands); after `blockFinish`, the block's pubdata.
   */
  pubdata(): Hex {
    return hex(this.#call((raw) => raw.pubdata()));
  }

  /** The sealed block once a block session took its `blockFinish` step (as `runBlock` returns it). */
  block(): BlockResult | undefined {
    const r = this.#call((raw) => raw.block());
    const transactions = this.transactions;
    if (r === null || r === undefined || transactions === undefined) return undefined;
    return blockResult(r, transactions.length);
  }

  /**
   * Live call frames, outermost first: `{depth, type, address, codeAddress, caller, value, input,
   * pc, opcode, ergs, gas, refund, isStatic, stackLength, memoryLength}` (pc/opcode of the next step).
   */
  frames(): Record<string, unknown>[] {
    return this.#call((raw) => raw.frames());
  }

  /** The innermost frame's stack, top first, as 32-byte words. */
  stack(): Hex[] {
    const items: unknown[] = this.#call((raw) => raw.stack());
    return items.map((v) => toWord(typeof v === 'bigint' ? v : big(v), 'stack')).reverse();
  }

  /** The innermost frame's memory as 0x-hex. */
  memory(): Hex {
    return hex(this.#call((raw) => raw.memory()));
  }

  /** Return data of the innermost frame's last call. */
  returnData(): Hex {
    return hex(this.#call((raw) => raw.returnData()));
  }

  /** Storage touched so far: `{persistent: [{address, slot, original, current}], transient: [{address, slot, value}]}`. */
  storage(): { persistent: { address: Hex; slot: Hex; original: Hex; current: Hex }[]; transient: { address: Hex; slot: Hex; value: Hex }[] } {
    return this.#call((raw) => raw.storage());
  }

  /** Costs so far: intrinsic gas and native, execution ergs and native, steps; totals once finished. */
  costs(): Record<string, bigint | null> {
    const c = this.#call((raw) => raw.costs());
    const out: Record<string, bigint | null> = {};
    for (const [k, v] of Object.entries(c)) out[k] = v === null || v === undefined ? null : big(v);
    return out;
  }

  /**
   * The native budget of the running transaction, from its validation until the next one starts;
   * undefined before validation, for an invalid transaction and in the Ethereum flow.
   */
  nativeBudget(): NativeBudget | undefined {
    return bigFields<NativeBudget>(this.#call((raw) => raw.nativeBudget()));
  }

  /**
   * How the gas used of the transaction that just ended adds up, from its refund phase until
   * the next transaction starts; undefined before and for an invalid transaction.
   */
  gasBreakdown(): GasBreakdown | undefined {
    return bigFields<GasBreakdown>(this.#call((raw) => raw.gasBreakdown()));
  }

  /** The outcome of the last transaction that ended (as `engine.call`), undefined while none has ended since the current one started. */
  result(): TxResult | undefined {
    const r = this.#call((raw) => raw.result());
    return r === null || r === undefined ? undefined : txResult(r);
  }

  /**
   * Takes up to `maxSteps` steps (at most 262,144 a call) and returns them as typed columns;
   * call again to continue. Each session has one recorder, fed only by this method.
   */
  recordSteps(maxSteps: number): RecordedSteps {
    const count = smallInt(maxSteps, 'maxSteps', MAX_RECORD_STEPS);
    return recordedSteps(this.#call((raw) => raw.recordSteps(count)));
  }

  /** The codes the recorded `code` column indexes, in order of first use. */
  recordedCodes(): RecordedCode[] {
    return recordedCodes(this.#call((raw) => raw.recordedCodes()));
  }

  /** What each transaction recorded so far reported (native budget, gas breakdown, validation error). */
  recordedTransactions(): RecordedTransaction[] {
    return recordedTransactions(this.#call((raw) => raw.recordedTransactions()));
  }

  /** Releases the session's wasm memory. */
  free(): void {
    const state = OPENED.get(this);
    if (state === undefined || state.freed) return;
    state.freed = true;
    if (!state.wasm.poisoned) state.wasm.call(() => state.raw.free());
  }
}

function systemTxRefused(what: string, type: number): ZkosError {
  const kind = type === 0xff ? 'an L1 priority (0xff)' : 'an upgrade (0xfe)';
  return new ZkosError('SYSTEM_TRANSACTION_NOT_ALLOWED', `${what}: ${kind} transaction; the engine accepts them only when created with allowSystemTransactions: true`);
}

function rawTx(t: CanonicalTx): Record<string, unknown> {
  return { ...t };
}
