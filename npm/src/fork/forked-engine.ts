// An engine over a real chain's state: the wasm engine runs each operation as a job that pauses
// when it needs a value of the forked chain; the fetcher gets every key of a pause in one wave,
// the engine keeps them (`supply`) and the job resumes where it stopped.
import type { BlockInfo, FeeInfo, ReceiptInfo, TxInfo } from '../chain.js';
import { type Engine, type EngineInternals, engineInternals } from '../engine.js';
import type { EngineSnapshot } from '../snapshots.js';
import { estimateResult, rawOverride, shapeTrace, stateBlock, traceOpts } from '../shapes.js';
import { withCurves } from '../curves.js';
import { ZkosError } from '../errors.js';
import { type Hex, type Quantity, toAddress, toBytes, toQuantityHex, toWord } from '../hex.js';
import { canonicalBlockOverride, canonicalStateOverride, object } from '../input.js';
import { type RawEngine, guardArguments } from '../instance.js';
import { accessListResult, blockResult, txResult } from '../results.js';
import type { AccessListResult, Account, BlockInput, BlockOverride, BlockResult, GasEstimate, StateOverride, TraceOptions, TracerName, PendingTransaction, TxRequest, TxResult, WasmMemory } from '../types.js';
import type { ForkFetcher } from './fetcher.js';
import type { RpcCall, RpcOutcome } from './transport.js';
import type { BlockRef } from './jobs.js';
import { ForkSession } from './fork-session.js';
import { replayBlock, replayRaws, transactionPlace } from './replay-answers.js';
import { type Deadline, Slicer, boundOf } from '../timeout.js';
import type { ForkBlock, ForkKey, ForkValue } from './types.js';

/** A transaction of the forked chain set up for re-execution (`ForkedEngine.replayTransaction`). */
export interface TransactionReplay {
  /** The engine forking the chain at the block before the transaction's. */
  engine: ForkedEngine;
  /** A block session standing at the transaction's validation. */
  session: ForkSession;
  /** The transaction's index in its block. */
  index: number;
  /** Another session at the transaction's validation, on `engine`. */
  reopen(): Promise<ForkSession>;
}

/** What a paused job asks, or what it produced. */
type Step = { needs: ForkKey[] } | { done: true; value: any };

/** The internals of the engine under each forked engine. */
const UNDER = new WeakMap<ForkedEngine, EngineInternals>();

/** The internals of the engine under `engine` (the dev node hashes through its wasm). */
export function forkedInternals(engine: ForkedEngine): EngineInternals {
  return UNDER.get(engine) as EngineInternals;
}

/**
 * A zkos engine forking a real chain at a pinned block (`createEngine({ fork })`). Methods that
 * may need the chain's state return Promises; the others answer at once. Operations run one at a
 * time, in the order they were called.
 */
export class ForkedEngine {
  /** EIP-155 chain id (given, or the node's). */
  readonly chainId: bigint;
  /** Fee and execution flow. */
  readonly flow: Engine['flow'];
  /** EVM hardfork. */
  readonly hardfork: Engine['hardfork'];
  /** The ZKsync OS protocol version that charges native and pubdata. */
  readonly protocolVersion: Engine['protocolVersion'];
  /** The fetcher of the forked chain's state (its `stats()` count round trips). */
  readonly fork: ForkFetcher;
  /** The forked chain's block the engine builds on. */
  readonly forkBlock: ForkBlock;
  /** The engine underneath (synchronous queries). */
  readonly #engine: Engine;
  readonly #in: EngineInternals;
  /** The end of the last queued operation. */
  #queue: Promise<unknown> = Promise.resolve();
  /** How this engine was made (for `replayTransaction`'s engine on an earlier block). */
  readonly #remake: (blockNumber: bigint) => Promise<ForkedEngine>;
  /** Whether a request's first wave asks the node for its access list (see `ForkEngineOptions.accessListHint`). */
  readonly #hints: boolean;

  static {
    guardArguments(this);
  }

  /** Use `createEngine({ fork })` instead. */
  constructor(engine: Engine, fetcher: ForkFetcher, remake: (blockNumber: bigint) => Promise<ForkedEngine>, hints = true) {
    this.#hints = hints;
    this.#engine = engine;
    this.#in = engineInternals(engine);
    UNDER.set(this, this.#in);
    this.chainId = engine.chainId;
    this.flow = engine.flow;
    this.hardfork = engine.hardfork;
    this.protocolVersion = engine.protocolVersion;
    this.fork = fetcher;
    this.forkBlock = fetcher.block;
    this.#remake = remake;
  }

  /** Runs `f` after every operation called before it has ended. */
  #exclusive<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(f, f);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Fetches `keys` (one wave) and hands the values to the engine: all of them or, on a failure, none. */
  async #supply(keys: ForkKey[]): Promise<void> {
    const values: ForkValue[] = await this.fork.fetch(keys);
    this.#in.call((raw) => raw.supply(values));
  }

  /**
   * Drives a job: resume, fetch what it needs, supply, resume, until it ends. A failure (a fetch
   * that failed, an engine error) ends the job: nothing it started stays applied. With a
   * request `hint`, the first wave (when it goes to the node) also asks for the request's access
   * list at the pin (`eth_createAccessList`), and the next wave fetches what it names with what
   * the job asks: the node's view of the working set, so a job pauses about twice instead of once
   * per slot. With `bound`, the job runs in slices of EVM steps and stops once the time spent
   * executing (fetches not counted) reaches it.
   */
  #drive<T>(start: (raw: RawEngine) => RawEngine, finish: (value: any) => T, hint?: Record<string, unknown>, bound?: Deadline): Promise<T> {
    return this.#exclusive(() => withCurves(() => this.#run(start, finish, hint, bound)));
  }

  /** One run of a job for `#drive`. */
  async #run<T>(start: (raw: RawEngine) => RawEngine, finish: (value: any) => T, hint?: Record<string, unknown>, bound?: Deadline): Promise<T> {
    const job = this.#in.call(start);
    let ended = false;
    let hinted: ForkKey[] = [];
    try {
      const slicer = new Slicer();
      if (bound !== undefined) job.setSlice(slicer.steps);
      let wave = 0;
      for (;;) {
        const began = performance.now();
        const step: Step = this.#in.call((raw) => raw.resume(job));
        if ('done' in step) {
          ended = true;
          return finish(step.value);
        }
        // The end of a slice (nothing to fetch), or a pause for state.
        const ms = performance.now() - began;
        bound?.spend(ms);
        if (step.needs.length === 0) {
          if (slicer.took(ms)) job.setSlice(slicer.steps);
          continue;
        }
        if (wave++ === 0 && hint !== undefined && this.#hints) {
          const { values, outcomes } = await this.fork.fetchWith(step.needs, [accessListCall(hint, this.fork.blockRef())]);
          this.#in.call((raw) => raw.supply(values));
          hinted = accessListKeys(outcomes[0]);
        } else {
          await this.#supply([...step.needs, ...hinted]);
          hinted = [];
        }
      }
    } finally {
      if (!ended) this.#in.call((raw) => raw.abandon(job));
      job.free();
    }
  }

  /** Makes sure the engine knows `keys` (fetching what it lacks). */
  #know(keys: ForkKey[]): Promise<void> {
    return this.#drive(
      (raw) => raw.startFetch(keys),
      () => undefined,
    );
  }

  /**
   * Whether block `at` is before the fork block: its state is the forked chain's, read by an
   * engine forking the chain at that block (`#earlier`). From the fork block on, the state is
   * this engine's: at the fork block, the forked chain's with the edits made before the first
   * local block (the dev accounts' balances, ...), as a local chain's state at a block is the one
   * the next block ran on.
   */
  #predates(at: bigint | undefined): at is bigint {
    return at !== undefined && at < this.forkBlock.number;
  }

  /** Runs `f` on a new engine forking the chain at block `at`, then frees that engine. */
  async #earlier<T>(at: bigint, f: (engine: ForkedEngine) => Promise<T>): Promise<T> {
    const engine = await this.#remake(at);
    try {
      return await f(engine);
    } finally {
      engine.free();
    }
  }

  /** The account at `address` (in the state at `blockNumber`, default the latest; fetched when the engine does not know it yet), or undefined when it does not exist. */
  async getAccount(address: Hex, blockNumber?: Quantity): Promise<Account | undefined> {
    const a = toAddress(address, 'address');
    const at = stateBlock(blockNumber);
    if (this.#predates(at)) return this.#earlier(at, (e) => e.getAccount(a));
    await this.#know([{ kind: 'account', address: a }]);
    return this.#engine.getAccount(a, at);
  }

  /** Storage slot `slot` of `address` as a 32-byte word (in the state at `blockNumber`, default the latest). */
  async getStorage(address: Hex, slot: Hex | bigint | number, blockNumber?: Quantity): Promise<Hex> {
    const a = toAddress(address, 'address');
    const k = toWord(slot, 'slot');
    const at = stateBlock(blockNumber);
    if (this.#predates(at)) return this.#earlier(at, (e) => e.getStorage(a, k));
    await this.#know([{ kind: 'storage', address: a, slot: k }]);
    return this.#engine.getStorage(a, k, at);
  }

  /**
   * The account at `address` as the engine holds it, without fetching: undefined when it does
   * not exist or was not fetched yet (`getAccount` fetches it).
   */
  heldAccount(address: Hex): Account | undefined {
    return this.#engine.getAccount(toAddress(address, 'address'));
  }

  /**
   * Whether `address` was written on this fork since the fork block (its account, even to the
   * same values, or a slot; by a block or an edit). When not, it holds the fork block's values in
   * every block of this engine.
   */
  changedSinceFork(address: Hex): boolean {
    return this.#in.call((raw) => raw.changedSinceFork(toAddress(address, 'address'))) as boolean;
  }

  /**
   * Addresses of the accounts the engine holds: fetched from the forked chain or written
   * locally (and of addresses holding such storage without an account), in address order. Never
   * the chain's other accounts: JSON-RPC cannot list them (anvil's state dump of a fork holds
   * the same: what it fetched and changed).
   */
  addresses(): Hex[] {
    return this.#engine.addresses();
  }

  /** The non-zero slots of `address` the engine holds (fetched or written locally; a local write hides the chain's value), as `[slot, value]` words in slot order. */
  getStorageAll(address: Hex): [Hex, Hex][] {
    return this.#engine.getStorageAll(toAddress(address, 'address'));
  }

  /** Sets an account locally (given fields replace the forked chain's, omitted ones keep them). */
  async setAccount(address: Hex, account: Parameters<Engine['setAccount']>[1]): Promise<void> {
    const a = toAddress(address, 'address');
    await this.#know([{ kind: 'account', address: a }]);
    this.#engine.setAccount(a, account);
  }

  /** A transaction (raw, or a request sent as its `from`) as the next block would take it alone (as `Engine.pendingTransaction`). */
  async pendingTransaction(tx: Hex | TxRequest): Promise<PendingTransaction> {
    return this.#exclusive(async () => {
      // A check without execution: asked again once the state it lacked is known.
      for (;;) {
        try {
          return this.#engine.pendingTransaction(tx);
        } catch (err) {
          if (!(err instanceof ZkosError) || err.code !== 'STATE_NEEDED' || !Array.isArray(err.data)) throw err;
          await this.#supply(err.data as ForkKey[]);
        }
      }
    });
  }

  /** Executes `tx` on the latest state in the next block (or at `blockNumber`, in that block) without changing it (as `Engine.call`). */
  async call(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: Quantity; timeoutMs?: number } = {}): Promise<TxResult> {
    const o = object(options, 'options');
    const at = stateBlock(o.blockNumber);
    if (this.#predates(at)) return this.#earlier(at, (e) => e.call(tx, { ...options, blockNumber: undefined }));
    const t = this.#in.tx(tx);
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    return this.#drive((raw) => raw.startCall(t, so, bo, at), txResult, t, boundOf(o.timeoutMs, 'call'));
  }

  /** The access list `tx` would run with, and the run with it (as `Engine.createAccessList`). */
  async createAccessList(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: Quantity; timeoutMs?: number } = {}): Promise<AccessListResult> {
    const o = object(options, 'options');
    const at = stateBlock(o.blockNumber);
    if (this.#predates(at)) return this.#earlier(at, (e) => e.createAccessList(tx, { ...options, blockNumber: undefined }));
    const t = this.#in.tx(tx);
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    return this.#drive((raw) => raw.startCreateAccessList(t, so, bo, at), accessListResult, t, boundOf(o.timeoutMs, 'call'));
  }

  /** Estimates the gas limit `tx` needs, with the breakdown (as `Engine.estimateGas`). */
  async estimateGas(tx: TxRequest, options: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: Quantity; timeoutMs?: number } = {}): Promise<GasEstimate> {
    const o = object(options, 'options');
    const at = stateBlock(o.blockNumber);
    if (this.#predates(at)) return this.#earlier(at, (e) => e.estimateGas(tx, { ...options, blockNumber: undefined }));
    const t = this.#in.tx(tx);
    const so = rawOverride(canonicalStateOverride(o.stateOverride as StateOverride | undefined));
    const bo = canonicalBlockOverride(o.blockOverride as BlockOverride | undefined);
    return this.#drive((raw) => raw.startEstimate(t, so, bo, at), estimateResult, t, boundOf(o.timeoutMs, 'call'));
  }

  /** Traces `tx` on the latest state or the state at `options.blockNumber` (as `Engine.trace`). */
  async trace(tx: TxRequest, options: TraceOptions = {}): Promise<unknown> {
    const at = stateBlock(object(options, 'options').blockNumber);
    if (this.#predates(at)) return this.#earlier(at, (e) => e.trace(tx, { ...options, blockNumber: undefined }));
    const t = this.#in.tx(tx);
    const o = traceOpts(options);
    const so = rawOverride(canonicalStateOverride(options.stateOverride));
    const bo = canonicalBlockOverride(options.blockOverride);
    return this.#drive((raw) => raw.startTraceCall(t, o, so, bo, at), (r) => shapeTrace(r, o.tracer as TracerName), t, boundOf(options.timeoutMs, 'trace'));
  }

  /**
   * Traces a transaction (as `Engine.traceTransaction`): one this engine mined, or else one of
   * the forked chain up to the fork block, re-run as anvil traces one: an engine forking the
   * block before its own mines that block's transactions up to it, then traces it there.
   */
  async traceTransaction(hash: Hex, options: TraceOptions = {}): Promise<unknown> {
    const h = toWord(hash, 'hash');
    const o = traceOpts(options);
    if (this.#engine.getTransaction(h) === undefined) {
      const { engine, raws, header } = await this.#located(h, 'debug_traceTransaction');
      try {
        await engine.#drive(
          (raw) => raw.startBlock(raws, header, false),
          (report) => engine.#in.keep(blockResult(report, raws.length), raws),
        );
        return await engine.traceTransaction(h, options);
      } finally {
        engine.free();
      }
    }
    return this.#drive((raw) => raw.startTraceTransaction(h, o), (r) => shapeTrace(r, o.tracer as TracerName), undefined, boundOf(options.timeoutMs, 'trace'));
  }

  /** Produces the next block (as `Engine.runBlock`; `preState` is not accepted: use `setAccount`). */
  async runBlock(block: BlockInput, options: { strict?: boolean } = {}): Promise<BlockResult> {
    if (object(block, 'block').preState !== undefined) throw new ZkosError('INVALID_ARGUMENT', 'block.preState: not accepted over a fork (use setAccount first)');
    const b = this.#in.block(block);
    const strict = object(options, 'options').strict === true;
    return this.#drive(
      (raw) => raw.startBlock(b.txs, b.overrides, strict),
      (report) => this.#in.keep(blockResult(report, b.transactions.length), b.transactions),
    );
  }

  /** Mines a signed transaction alone in a new block; returns its hash. Invalid ones throw and mine nothing. */
  async sendRawTransaction(raw: Hex): Promise<Hex> {
    const r = toBytes(raw, 'raw transaction');
    this.#in.checkRaw(r, 'raw transaction');
    return this.#drive(
      (e) => e.startBlock([r], undefined, true),
      (report) => {
        const result = this.#in.keep(blockResult(report, 1), [r]);
        return (result.transactions[0] as TxResult).hash as Hex;
      },
    );
  }

  /** Opens a stepping session on `tx` (nothing is committed); its steps fetch what they need. */
  async session(tx: TxRequest, options: { stateOverride?: StateOverride } = {}): Promise<ForkSession> {
    const t = this.#in.tx(tx);
    const so = rawOverride(canonicalStateOverride(object(options, 'options').stateOverride as StateOverride | undefined));
    return this.#drive((raw) => raw.startSession(t, so, undefined), (s) => new ForkSession(this.#in.open(s), (keys) => this.#exclusive(() => this.#supply(keys))));
  }

  /** Opens a stepping session over the next block (as `Engine.blockSession`). */
  async blockSession(block: BlockInput): Promise<ForkSession> {
    if (object(block, 'block').preState !== undefined) throw new ZkosError('INVALID_ARGUMENT', 'block.preState: not accepted by blockSession (use setAccount first)');
    const b = this.#in.block(block);
    return this.#blockSession(b.txs, b.overrides, b.transactions);
  }

  /** A block session over `txs` with header overrides as the bindings take them. */
  #blockSession(txs: unknown[], overrides: Record<string, unknown>, transactions: readonly unknown[]): Promise<ForkSession> {
    return this.#drive(
      (raw) => raw.startBlockSession(txs, overrides),
      (s) => new ForkSession(this.#in.open(s, transactions), (keys) => this.#exclusive(() => this.#supply(keys))),
    );
  }

  /** Keeps the block a finished block session sealed (as `Engine.commitSession`). */
  commitSession(session: ForkSession): BlockResult {
    return this.#engine.commitSession(session.inner);
  }

  /**
   * Re-executes a transaction of the forked chain on the state before it: a new engine forks
   * the chain at the block before the transaction's, and a block session runs that block's
   * transactions up to this one, stepped through the earlier ones. Step the session on from the
   * transaction's validation; `session.result()` after it ended is its outcome. `reopen()`
   * opens another session at the same point from the values already fetched (no round trip
   * unless a step reads something new), e.g. to step again from the start. A transaction the
   * node does not know, or knows only as pending, is `NOT_FOUND` (`data.pending` says which).
   */
  async replayTransaction(hash: Hex): Promise<TransactionReplay> {
    const { engine, raws, header, index } = await this.#located(toWord(hash, 'hash'), 'replayTransaction');
    const reopen = async (): Promise<ForkSession> => {
      const session = await engine.#blockSession(raws, header, raws);
      while (session.txIndex < index && !session.finished) await session.continue({});
      return session;
    };
    return { engine, session: await reopen(), index, reopen };
  }

  /**
   * Where transaction `h` of the forked chain is (`what` names the caller in errors): an engine
   * forking the block before its block, that block's raw transactions up to it and its header
   * as the bindings take it. Unknown, pending or after the fork block is `NOT_FOUND`.
   */
  async #located(h: Hex, what: string): Promise<{ engine: ForkedEngine; raws: Hex[]; header: Record<string, unknown>; index: number }> {
    const [tx] = await this.fork.rpc([{ method: 'eth_getTransactionByHash', params: [h] }]);
    if (tx === null || tx === undefined) throw new ZkosError('NOT_FOUND', `${what}: the node knows no transaction ${h}`, { hash: h, pending: false });
    const place = transactionPlace(tx, h);
    if (place === 'pending') throw new ZkosError('NOT_FOUND', `${what}: ${h} is pending (in no block yet)`, { hash: h, pending: true });
    const { number } = place;
    if (number > this.forkBlock.number) throw new ZkosError('NOT_FOUND', `${what}: ${h} is in block ${number}, after the fork block ${this.forkBlock.number}`);
    if (number === 0n) throw new ZkosError('INVALID_ARGUMENT', `${what}: genesis has no transactions`);
    const [answer] = await this.fork.rpc([{ method: 'eth_getBlockByNumber', params: [toQuantityHex(number), false] }]);
    const { header: block, hashes } = replayBlock(answer, number, h, place.index);
    const engine = await this.#remake(number - 1n);
    try {
      const raws = replayRaws(await engine.fork.rpc(hashes.map((t) => ({ method: 'eth_getRawTransactionByHash', params: [t] }))), hashes);
      // A dev chain may mine blocks in one second with one timestamp, which the engine's rules
      // refuse: such a block is replayed one second after its parent.
      const timestamp = block.timestamp > engine.forkBlock.timestamp ? block.timestamp : engine.forkBlock.timestamp + 1n;
      const header = { number, timestamp, coinbase: block.miner, gasLimit: block.gasLimit, baseFee: block.baseFeePerGas ?? 0n, prevrandao: block.mixHash };
      return { engine, raws, header, index: hashes.length - 1 };
    } catch (err) {
      engine.free();
      throw err;
    }
  }

  /** Number of the latest block (the fork block until one is mined). */
  blockNumber(): bigint {
    return this.#engine.blockNumber();
  }

  /** The wasm memory of the engine underneath (`Engine.wasmMemory`). */
  wasmMemory(): WasmMemory {
    return this.#engine.wasmMemory();
  }

  /** A block of this engine (the fork block or a later one) by number, hash or `latest`. */
  getBlock(id: bigint | number | Hex | 'latest'): BlockInfo | undefined {
    return this.#engine.getBlock(id);
  }

  /** A transaction this engine mined. */
  getTransaction(hash: Hex): TxInfo | undefined {
    return this.#engine.getTransaction(hash);
  }

  /** The receipt of a transaction this engine mined. */
  getTransactionReceipt(hash: Hex): ReceiptInfo | undefined {
    return this.#engine.getTransactionReceipt(hash);
  }

  /** Prices and limits of new blocks. */
  fees(): FeeInfo {
    return this.#engine.fees();
  }

  /** A snapshot of the chain to `restore` later, as `Engine.snapshot` (restoring a checkpoint keeps the values fetched from the forked chain since). */
  snapshot(options: { copy?: boolean } = {}): EngineSnapshot {
    return this.#engine.snapshot(options);
  }

  /** Returns the chain to `snapshot` (taken from this engine), as `Engine.restore`. */
  restore(snapshot: EngineSnapshot): void {
    this.#engine.restore(snapshot);
  }

  /** Releases the wasm memory of this engine. */
  free(): void {
    this.#engine.free();
  }
}

/** `eth_createAccessList` for a request at the pinned block (what the node says the request touches). */
function accessListCall(tx: Record<string, unknown>, at: BlockRef): RpcCall {
  const call: Record<string, unknown> = { data: tx.data };
  if (tx.from !== undefined) call.from = tx.from;
  if (tx.to !== undefined) call.to = tx.to;
  if (typeof tx.value === 'bigint' && tx.value > 0n) call.value = toQuantityHex(tx.value);
  return { method: 'eth_createAccessList', params: [call, at] };
}

/**
 * Most keys taken from the node's access list (the rest the engine asks for if it needs them).
 * Each key is a call or two to the node: unbounded, a hostile answer of 20,000 addresses made one
 * `call` fetch 20,004 keys (40,010 calls); 4,096 keys are what about 10 M gas of cold accesses reach.
 */
const MAX_HINT_KEYS = 4096;

/** The accounts and slots an `eth_createAccessList` answer names, at most MAX_HINT_KEYS; nothing when the node refused or answered otherwise (it is a hint). */
function accessListKeys(outcome: RpcOutcome | undefined): ForkKey[] {
  const list = outcome !== undefined && 'result' in outcome ? (outcome.result as { accessList?: unknown } | null)?.accessList : undefined;
  if (!Array.isArray(list)) return [];
  const keys: ForkKey[] = [];
  const add = (key: ForkKey): boolean => keys.push(key) < MAX_HINT_KEYS;
  for (const item of list as { address?: unknown; storageKeys?: unknown }[]) {
    if (typeof item?.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(item.address)) continue;
    const address = item.address.toLowerCase() as Hex;
    if (!add({ kind: 'account', address })) return keys;
    for (const slot of Array.isArray(item.storageKeys) ? item.storageKeys : []) {
      if (typeof slot === 'string' && /^0x[0-9a-fA-F]{64}$/.test(slot) && !add({ kind: 'storage', address, slot: slot.toLowerCase() as Hex })) return keys;
    }
  }
  return keys;
}
