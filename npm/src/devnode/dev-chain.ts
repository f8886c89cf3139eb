// A dev node's chain: an engine with funded dev accounts, and what a dev node adds around it:
// mining control (automine, interval mining, mining on demand), block time, impersonation,
// snapshots, and a transaction pool. Every outcome (execution, gas, state) is the engine's; this
// file only decides when blocks are mined and with which timestamps and transactions. Over a
// forked engine (`DevChain.fork`) the same, with the methods that need state awaited.
import type { Engine } from '../engine.js';
import type { EngineSnapshot } from '../snapshots.js';
import { ZkosError } from '../errors.js';
import { type Hex, toAddress, toBigInt, toBytes } from '../hex.js';
import { checkChainId } from '../input.js';
import { ForkedEngine } from '../fork/forked-engine.js';
import type { PendingTransaction, TxRequest } from '../types.js';
import { type DevAccount, devAccounts } from './accounts.js';
import { signEip1559 } from './envelope.js';
import { type SavedPool, TxPool, doneWith } from './pool.js';
import { StateBudget, checkSetCode, writeCost } from './state-budget.js';
import { type DumpedState, loadState } from './state-file.js';
import { MINE_SLICE_MS, SHARED_LANE, Turns } from './turns.js';
import { Watching } from './watching.js';

/** Dev node options beyond the engine's. */
export interface DevChainOptions {
  /** Number of funded dev accounts (default 10). */
  accounts?: number;
  /** Balance of each dev account, in wei (default 10,000 ETH). */
  balance?: bigint;
  /** Mnemonic the dev accounts derive from (default the well-known test mnemonic). */
  mnemonic?: string;
  /** Seconds between blocks mined on a timer (default 0: mine each transaction at once). */
  blockTime?: number;
  /** Most bytes the state-setting methods (`anvil_setCode`, ...) may write, each write counted by what the engine keeps for it (default `MAX_SET_STATE_BYTES`, 1 GiB). */
  maxSetStateBytes?: number;
  /** Requests that add to the chain are refused once the engine's memory is within this many bytes of its maximum (default `MEMORY_RESERVE_BYTES`, 512 MiB). */
  memoryReserveBytes?: number;
}

/** Fields a state-setting method sets: some of an account's, or one slot. */
export type StateChange = { balance?: bigint; nonce?: bigint; code?: Hex } | { slot: Hex; value: Hex };

/** Default balance of a dev account: 10,000 ETH, in wei. */
export const DEFAULT_DEV_BALANCE_WEI = 10_000n * 10n ** 18n;
/** Default number of dev accounts. */
export const DEFAULT_DEV_ACCOUNTS = 10;
/** Most dev accounts a node derives. */
export const MAX_DEV_ACCOUNTS = 1_000;
/** Most blocks one mine request produces. */
export const MAX_MINE_BLOCKS = 100_000;
/**
 * Most snapshots kept at once. Each is a checkpoint that keeps the chain's changes since it
 * until it is reverted to or dropped (and a copy of the transaction pools).
 */
export const MAX_SNAPSHOTS = 1_000;
/** Largest block number and timestamp a block header holds. */
const MAX_U64 = (1n << 64n) - 1n;
/** Most pending-transaction hashes kept for pending filters. */
const MAX_PENDING_HISTORY = 10_000;

/**
 * What a dev chain reports to its watchers: blocks mined (first to last; `remaining` more are yet
 * to come from the same mining request, mined in slices), or a transaction received.
 */
export type ChainEvent = { kind: 'blocks'; first: bigint; last: bigint; remaining?: bigint } | { kind: 'pending'; hash: Hex };

export { MINE_SLICE_MS } from './turns.js';

/** Lets the chain's turn pass to the operations waiting for it, and waits for it again. */
export type Pause = () => Promise<void>;

interface Saved {
  readonly snapshot: EngineSnapshot;
  readonly pool: SavedPool;
  readonly queued: SavedPool;
  readonly offsetSeconds: bigint;
  readonly nextTimestamp: bigint | undefined;
  readonly budgetUsed: number;
  /** The head when it was taken (anvil_metadata's `snapshots`). */
  readonly head: readonly [number: bigint, hash: Hex];
}

/** A fresh random 32-byte id (anvil_metadata's `instanceId`). */
function randomId(): Hex {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const wallSeconds = (): bigint => BigInt(Math.floor(Date.now() / 1000));

/** The engine a dev chain runs: local, or forking a real chain. */
export type DevEngine = Engine | ForkedEngine;

/** Dev accounts already funded on a forked engine (`DevChain.fork`). */
interface Funded {
  readonly accounts: readonly DevAccount[];
}

/** A request with what a dev node fills before it signs or sends it. */
type Filled = TxRequest & { nonce: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; value: bigint; data: Hex };

/** A dev node's chain around one engine. */
export class DevChain {
  readonly engine: DevEngine;
  readonly accounts: readonly DevAccount[];
  readonly #keys: Map<Hex, Hex>;
  /** Accounts unsigned transactions may be sent from (besides the dev accounts). */
  readonly impersonated = new Set<Hex>();
  /** Whether any account may send unsigned transactions. */
  autoImpersonate = false;
  /** Whether each transaction is mined at once in a block of its own. */
  automine: boolean;
  pool = new TxPool();
  /**
   * Under automine, transactions whose nonce is ahead of their sender's, waiting for the ones
   * before them (geth's and anvil's queued transactions): each is mined in a block of its own as
   * soon as its nonce is the sender's.
   */
  queued = new TxPool();
  /** Seconds added to the wall clock for the next block's timestamp. */
  #offsetSeconds = 0n;
  #nextTimestamp: bigint | undefined;
  #intervalMs = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #saved = new Map<bigint, Saved>();
  #nextSnapshotId = 1n;
  readonly #genesis: EngineSnapshot;
  /** Hashes of transactions received, oldest first; `pendingBase` is the index of the first kept. */
  readonly pendingHashes: Hex[] = [];
  pendingBase = 0;
  readonly #watchers = new Set<(event: ChainEvent) => void>();
  /** The subscriptions and log filters of all the node's clients, against their bounds. */
  readonly watching = new Watching();
  /** Who holds the chain's turn, and the clients waiting for it. */
  readonly #turns = new Turns();
  /** What the state-setting methods have written, and the engine's memory reserve. */
  readonly budget: StateBudget;
  /** This run of the chain (anvil_metadata's `instanceId`): new at start and at each reset, as anvil's and Hardhat's. */
  instanceId: Hex = randomId();

  /** A dev chain over a local engine (a forked one: `DevChain.fork`). */
  constructor(engine: DevEngine, options: DevChainOptions = {}, funded?: Funded) {
    this.engine = engine;
    this.budget = new StateBudget(options.maxSetStateBytes, options.memoryReserveBytes);
    if (funded !== undefined) this.accounts = funded.accounts;
    else {
      if (engine instanceof ForkedEngine) throw new ZkosError('INVALID_ARGUMENT', 'a forked engine: create the chain with DevChain.fork(engine, options)');
      this.accounts = devAccounts(accountCount(options), options.mnemonic);
      const balance = options.balance ?? DEFAULT_DEV_BALANCE_WEI;
      for (const a of this.accounts) engine.setAccount(a.address, { balance });
    }
    this.#keys = new Map(this.accounts.map((a) => [a.address, a.privateKey]));
    // A whole copy, small at this point: a checkpoint would keep every later change.
    this.#genesis = engine.snapshot({ copy: true });
    this.automine = true;
    if (options.blockTime !== undefined && options.blockTime > 0) this.setIntervalMining(options.blockTime * 1000);
  }

  /** A dev chain over a forked engine: the dev accounts get their balance, keeping the forked chain's nonce and code. */
  static async fork(engine: ForkedEngine, options: DevChainOptions = {}): Promise<DevChain> {
    const accounts = devAccounts(accountCount(options), options.mnemonic);
    const balance = options.balance ?? DEFAULT_DEV_BALANCE_WEI;
    for (const a of accounts) await engine.setAccount(a.address, { balance });
    return new DevChain(engine, options, { accounts });
  }

  /**
   * Runs `f` once the chain's turn comes to it: one operation runs at a time (the node's requests
   * and its timer's blocks), so that an operation made of steps (a nonce read, an estimate and a
   * send) sees no other operation's block between them. Before, two `eth_sendTransaction`s in one
   * WebSocket read (viem sending in parallel) both took the sender's nonce and the second failed
   * "nonce too low". The clients waiting (`lane`: one per connection; in-process callers share
   * one) take turns round robin, each client's operations in the order it sent them (see `Turns`).
   * `f` may pass its turn between its own steps (`pause`: a long `mine` does, after each slice):
   * the operations waiting then run, and sockets are served, before it goes on.
   */
  async exclusive<T>(f: (pause: Pause) => T | Promise<T>, lane: object = SHARED_LANE): Promise<T> {
    await this.#turns.acquire(lane);
    try {
      return await f(() => this.#turns.pause(lane));
    } finally {
      this.#turns.release();
    }
  }

  /** How many operations wait for the chain's turn. */
  get waiting(): number {
    return this.#turns.waiting;
  }

  /** Timestamp of the next block: the one set for it, else the clock (with its offset), and never below the head's + 1. */
  #timestamp(): bigint {
    const head = this.engine.getBlock('latest')?.timestamp ?? 0n;
    if (this.#nextTimestamp !== undefined) return this.#nextTimestamp;
    const now = wallSeconds() + this.#offsetSeconds;
    return now > head ? now : head + 1n;
  }

  /** After a block at `timestamp`, the clock continues from it. */
  #advancedTo(timestamp: bigint): void {
    this.#nextTimestamp = undefined;
    const offset = timestamp - wallSeconds();
    if (offset > this.#offsetSeconds) this.#offsetSeconds = offset;
  }

  /**
   * Sets `change` on `address` for the state-setting method `method` (`anvil_setCode`, ...),
   * counted against `budget`: refused (`-32005`, nothing changes) past the budget, for code over
   * `MAX_SET_CODE_BYTES`, or while the engine's memory is within its reserve.
   */
  async setState(method: string, address: Hex, change: StateChange): Promise<void> {
    this.budget.checkMemory(this.engine.wasmMemory(), method);
    if ('code' in change && change.code !== undefined) checkSetCode(change.code, method);
    const used = this.budget.used;
    this.budget.take(writeCost(change), method);
    try {
      await this.engine.setAccount(address, 'slot' in change ? { storage: { [change.slot]: change.value } } : change);
    } catch (err) {
      this.budget.restore(used);
      throw err;
    }
  }

  /**
   * Mines `count` blocks (the first takes the pool), `interval` seconds apart when given and not 0; returns
   * the first block's number. With `pause` (the turn of `exclusive` it runs in), it mines in slices
   * of `MINE_SLICE_MS` and passes the turn between them: other requests then run between its
   * blocks (as anvil's do), and the next slice follows the head as they left it.
   */
  async mine(count = 1n, interval?: bigint, pause?: Pause): Promise<bigint> {
    // An interval of 0 is none (viem's testClient.mine sends `0x0` when given none): each block
    // then follows the clock, a second past the head at least. Before, its blocks shared one
    // timestamp, which the Ethereum flow refuses, so `mine({ blocks: 3 })` mined one and failed.
    const intervalSeconds = interval === 0n ? undefined : interval;
    if (count < 1n || count > BigInt(MAX_MINE_BLOCKS)) throw new ZkosError('INVALID_ARGUMENT', `mine: block count must be 1 to ${MAX_MINE_BLOCKS}`);
    let timestamp = this.#checkMine(count, this.#timestamp(), intervalSeconds);
    const first = this.engine.blockNumber() + 1n;
    for (let left = count; left > 0n; ) {
      const sliceFirst = this.engine.blockNumber() + 1n;
      const started = Date.now();
      try {
        do {
          // The pool empties into the first block; transactions pooled by requests that ran between two slices go into the next.
          const entries = this.pool.size > 0 ? this.pool.ordered(this.engine.fees().baseFeePerGas) : [];
          const result = await this.engine.runBlock({ transactions: entries.map((e) => e.item), timestamp });
          for (const e of doneWith(entries, result)) this.pool.drop(e.info.hash);
          this.#advancedTo(timestamp);
          timestamp = intervalSeconds === undefined ? this.#timestamp() : timestamp + intervalSeconds;
          left--;
        } while (left > 0n && (pause === undefined || Date.now() - started < MINE_SLICE_MS));
      } finally {
        // Blocks mined before a failure are reported too.
        const last = this.engine.blockNumber();
        if (last >= sliceFirst) this.#notify({ kind: 'blocks', first: sliceFirst, last, remaining: left });
      }
      if (left > 0n && pause !== undefined) {
        await pause();
        // Requests that ran meanwhile may have mined, reverted or moved the clock.
        const head = this.engine.getBlock('latest')?.timestamp ?? 0n;
        timestamp = this.#checkMine(left, intervalSeconds === undefined || timestamp <= head ? this.#timestamp() : timestamp, intervalSeconds);
      }
    }
    return first;
  }

  /**
   * Checks before a mining request's first block (and again after each pause) that its `count`
   * blocks from `timestamp` fit block numbers and timestamps, so one that cannot finish mines
   * nothing, and that the engine's memory is not within its reserve; returns `timestamp`.
   */
  #checkMine(count: bigint, timestamp: bigint, intervalSeconds: bigint | undefined): bigint {
    this.budget.checkMemory(this.engine.wasmMemory(), 'mine');
    const head = this.engine.blockNumber();
    // Each block after the first is at least a second later (the head's + 1) or `intervalSeconds` later.
    if (head + count > MAX_U64) throw new ZkosError('BLOCK_OVERFLOW', `mine: ${count} blocks after block ${head} pass block number 2^64-1`);
    if (timestamp + (count - 1n) * (intervalSeconds ?? 1n) > MAX_U64) throw new ZkosError('BLOCK_OVERFLOW', `mine: ${count} blocks from timestamp ${timestamp} pass timestamp 2^64-1`);
    return timestamp;
  }

  /** Calls `watcher` with every block mined and transaction received from now on; returns the call that stops it. */
  watch(watcher: (event: ChainEvent) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  #notify(event: ChainEvent): void {
    for (const w of this.#watchers) {
      try {
        w(event);
      } catch {
        // A watcher's failure is the watcher's business.
      }
    }
  }

  /**
   * Sends a raw envelope or an unsigned request: mined at once under automine, else pooled.
   * Returns its hash. With `pause` (the turn of `exclusive` it runs in), the queued transactions
   * it lets be mined are mined in slices of `MINE_SLICE_MS`, passing the turn between them.
   */
  async submit(item: Hex | TxRequest, pause?: Pause): Promise<Hex> {
    this.budget.checkMemory(this.engine.wasmMemory(), 'transaction');
    let hash: Hex;
    if (this.automine) {
      // Transactions pooled while automine was off are mined first, in blocks of their own (the
      // nonces `pendingNonce` handed out count them): as many as they fill, each block taking
      // at least one or dropping what is left.
      while (this.pool.size > 0) await this.mine();
      let mined = true;
      try {
        hash = await this.#mineAlone(item);
      } catch (err) {
        if (!(err instanceof ZkosError && err.reason === 'NonceTooHigh')) throw err;
        const info: PendingTransaction = await this.engine.pendingTransaction(item);
        this.queued.add(item, info);
        hash = info.hash;
        mined = false;
      }
      // Only a mined transaction moves nonces: after one queued, the queue waits as it was.
      if (mined) await this.#promoteQueued(pause);
    } else {
      const info: PendingTransaction = await this.engine.pendingTransaction(item);
      this.pool.add(item, info);
      hash = info.hash;
    }
    this.pendingHashes.push(hash);
    if (this.pendingHashes.length > MAX_PENDING_HISTORY) {
      this.pendingHashes.shift();
      this.pendingBase++;
    }
    this.#notify({ kind: 'pending', hash });
    return hash;
  }

  /** Mines `item` in a block of its own (refused: nothing changes); returns its hash. */
  async #mineAlone(item: Hex | TxRequest): Promise<Hex> {
    const timestamp = this.#timestamp();
    const result = await this.engine.runBlock({ transactions: [item], timestamp }, { strict: true });
    this.#advancedTo(timestamp);
    const number = this.engine.blockNumber();
    this.#notify({ kind: 'blocks', first: number, last: number });
    return result.transactions[0]?.hash as Hex;
  }

  /**
   * Mines each queued transaction whose nonce has become its sender's; one refused then, or whose
   * nonce was used meanwhile, is dropped. Each sender's nonce is read once per pass and its next
   * transaction found by nonce; a pass follows while the one before mined any (a transaction can
   * move another account's nonce: EIP-7702 authorizations). Before, each pass read the nonce of
   * every queued transaction and mined at most the ones met in nonce order: 2,000 transactions of
   * one sender queued in reverse nonce order took 22.8 s to send, and the one filling the gap held
   * the node 20.2 s.
   */
  async #promoteQueued(pause: Pause | undefined): Promise<void> {
    let started = Date.now();
    for (let progress = true; progress && this.queued.size > 0; ) {
      progress = false;
      for (const from of this.queued.senders()) {
        let nonce = (await this.engine.getAccount(from))?.nonce ?? 0n;
        for (const e of this.queued.entriesFrom(from)) if (e.info.nonce < nonce) this.queued.drop(e.info.hash);
        for (let e = this.queued.at(from, nonce); e !== undefined; e = this.queued.at(from, nonce)) {
          this.queued.drop(e.info.hash);
          try {
            await this.#mineAlone(e.item);
            progress = true;
          } catch {
            // Refused now (funds, fees): dropped, as geth drops a promoted transaction that fails.
          }
          if (pause !== undefined && Date.now() - started >= MINE_SLICE_MS) {
            // Requests that run meanwhile may send, revert or reset: the nonce is read after.
            await pause();
            started = Date.now();
          }
          nonce = (await this.engine.getAccount(from))?.nonce ?? 0n;
        }
      }
    }
  }

  /** The nonce the next transaction of `from` takes (the pool's included). */
  async pendingNonce(from: Hex): Promise<bigint> {
    return ((await this.engine.getAccount(from))?.nonce ?? 0n) + this.pool.countFrom(from);
  }

  /** Whether `from` has a dev key or may send unsigned transactions. */
  canSend(from: Hex): boolean {
    return this.#keys.has(from) || this.impersonated.has(from) || this.autoImpersonate;
  }

  /** The private key of a dev account. */
  keyOf(address: Hex): Hex | undefined {
    return this.#keys.get(address);
  }

  /**
   * eth_sendTransaction: fills nonce, fees and gas (estimated by the engine), signs it for a
   * dev account or sends it unsigned for an impersonated one (or any, with `unsigned`, as
   * eth_sendUnsignedTransaction); returns its hash.
   */
  async sendTransaction(request: TxRequest, options: { unsigned?: boolean; pause?: Pause } = {}): Promise<Hex> {
    const { from, tx, gas } = await this.#fill(request, 'eth_sendTransaction', options.unsigned !== true);
    const key = options.unsigned === true ? undefined : this.#keys.get(from);
    if (key === undefined) return this.submit({ ...tx, gas }, options.pause);
    return this.submit(this.#sign(tx, gas, key), options.pause);
  }

  /**
   * eth_signTransaction: the EIP-1559 envelope eth_sendTransaction would send for a dev account
   * (nonce, fees and gas filled alike), signed with its key and not sent. anvil signs the same
   * (a request with `gasPrice` it signs as a legacy transaction; the node signs EIP-1559 only,
   * as it sends). An account without a key here (impersonated or not) is refused.
   */
  async signTransaction(request: TxRequest): Promise<Hex> {
    const from = toAddress(request.from, 'eth_signTransaction: from');
    const key = this.#keys.get(from);
    if (key === undefined) throw new ZkosError('INVALID_ARGUMENT', `eth_signTransaction: ${from} is not a dev account (no key to sign with)`);
    const { tx, gas } = await this.#fill(request, 'eth_signTransaction', false);
    return this.#sign(tx, gas, key);
  }

  /** A request with nonce, fees and gas filled as `what` fills them (`checkSender`: a sender that cannot send is refused). */
  async #fill(request: TxRequest, what: string, checkSender: boolean): Promise<{ from: Hex; tx: Filled; gas: bigint }> {
    const from = toAddress(request.from, `${what}: from`);
    checkChainId(request, this.engine.chainId, what);
    // The node signs EIP-1559 transactions only: an authorization list would be dropped unseen.
    if (request.authorizationList != null) throw new ZkosError('INVALID_ARGUMENT', `${what}: authorizationList is not supported; sign the type-4 transaction and send it with eth_sendRawTransaction`);
    if (checkSender && !this.canSend(from)) throw new ZkosError('INVALID_TRANSACTION', `${what}: ${from} is neither a dev account nor impersonated`);
    const base = this.engine.fees().baseFeePerGas;
    const price = request.gasPrice === undefined || request.gasPrice === null ? undefined : toBigInt(request.gasPrice, `${what}: gasPrice`);
    const maxFeePerGas = price ?? (request.maxFeePerGas == null ? base : toBigInt(request.maxFeePerGas, `${what}: maxFeePerGas`));
    const maxPriorityFeePerGas = price ?? (request.maxPriorityFeePerGas == null ? 0n : toBigInt(request.maxPriorityFeePerGas, `${what}: maxPriorityFeePerGas`));
    const nonce = request.nonce == null ? await this.pendingNonce(from) : toBigInt(request.nonce, `${what}: nonce`);
    const to = request.to == null ? null : toAddress(request.to, `${what}: to`);
    const data = toBytes(request.data ?? request.input ?? '0x', `${what}: data`);
    const value = request.value == null ? 0n : toBigInt(request.value, `${what}: value`);
    const tx: Filled = { from, data, value, maxFeePerGas, maxPriorityFeePerGas, nonce, ...(to === null ? {} : { to }) };
    if (request.accessList !== undefined) tx.accessList = request.accessList;
    const given = request.gas ?? request.gasLimit;
    const gas = given == null ? (await this.engine.estimateGas(tx)).gasLimit : toBigInt(given, `${what}: gas`);
    return { from, tx, gas };
  }

  /** The EIP-1559 envelope of a filled request, signed with `key`. */
  #sign(tx: Filled, gas: bigint, key: Hex): Hex {
    const to = tx.to == null ? null : (tx.to as Hex);
    return signEip1559({ chainId: this.engine.chainId, nonce: tx.nonce, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, maxFeePerGas: tx.maxFeePerGas, gas, to, value: tx.value, data: tx.data, accessList: tx.accessList ?? [] }, key);
  }

  /** Seconds the clock moves forward; returns the total offset. */
  increaseTime(seconds: bigint): bigint {
    if (seconds < 0n) throw new ZkosError('INVALID_ARGUMENT', 'evm_increaseTime: seconds must not be negative');
    // Refused when the clock would put the next block past timestamp 2^64-1 (no block could be mined).
    if (wallSeconds() + this.#offsetSeconds + seconds > MAX_U64) throw new ZkosError('INVALID_ARGUMENT', `evm_increaseTime: ${seconds} seconds take the next block's timestamp above 2^64-1`);
    this.#offsetSeconds += seconds;
    return this.#offsetSeconds;
  }

  /**
   * The next block's timestamp: one the engine takes for the next block (at most 2^64-1; above the
   * head's in the Ethereum flow, at least the head's in the zk flow), else no block could be mined.
   */
  setNextBlockTimestamp(timestamp: bigint): void {
    const head = this.engine.getBlock('latest')?.timestamp ?? 0n;
    if (timestamp > MAX_U64) throw new ZkosError('INVALID_ARGUMENT', `timestamp ${timestamp} is above 2^64-1`);
    if (this.engine.flow === 'ethereum' ? timestamp <= head : timestamp < head) {
      throw new ZkosError('INVALID_ARGUMENT', `timestamp ${timestamp} is ${this.engine.flow === 'ethereum' ? 'not above' : 'below'} the head's (${head})`);
    }
    this.#nextTimestamp = timestamp;
  }

  /** Mines a block every `ms` milliseconds (0 stops it). */
  setIntervalMining(ms: number): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#intervalMs = ms;
    if (ms > 0) {
      this.automine = false;
      this.#timer = setInterval(() => {
        // A block that cannot be mined now is retried at the next tick.
        this.exclusive(() => this.mine()).catch(() => undefined);
      }, ms);
      this.#timer.unref?.();
    }
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /**
   * Loads a dumped state (`anvil_loadState`, `--state FILE`), all or nothing: every dumped account
   * is set, then, when the dump's block is above the head, an empty block at its number and
   * timestamp (at least the head's + 1) makes the chain read as the dumped one (`eth_blockNumber`,
   * the latest block's timestamp); the clock goes on from that timestamp. A dump at or below the
   * head leaves the head as it is. The dump holds no blocks: earlier blocks, transactions and
   * receipts are not restored. Not over a fork.
   */
  async loadState(state: DumpedState): Promise<void> {
    const engine = this.engine;
    if (engine instanceof ForkedEngine) throw new ZkosError('INVALID_ARGUMENT', 'loadState: not available over a fork (the state is the forked chain\'s)');
    const number = state.block?.number === undefined ? undefined : toBigInt(state.block.number, 'state.block.number');
    const given = state.block?.timestamp === undefined ? undefined : toBigInt(state.block.timestamp, 'state.block.timestamp');
    // A head at number or timestamp 2^64-1 leaves no next block: every send and mine failed
    // after such a load (and a --state file kept it across restarts) until a reset.
    for (const [value, what] of [[number, 'number'], [given, 'timestamp']] as const) {
      if (value !== undefined && value >= MAX_U64) throw new ZkosError('INVALID_ARGUMENT', `state.block.${what}: ${value} leaves no ${what} for a next block (at most 2^64-2)`);
    }
    this.budget.checkMemory(engine.wasmMemory(), 'loadState');
    const before = engine.snapshot();
    const used = this.budget.used;
    try {
      // Counted as the state setters' writes are: a load is as many setCode/setStorageAt calls.
      loadState(engine, state, (bytes) => this.budget.take(bytes, 'anvil_loadState'));
      const head = engine.getBlock('latest');
      if (number !== undefined && head !== undefined && number > head.number) {
        const timestamp = given !== undefined && given > head.timestamp ? given : head.timestamp + 1n;
        await engine.runBlock({ transactions: [], number, timestamp });
        this.#advancedTo(timestamp);
        this.#notify({ kind: 'blocks', first: number, last: number });
      } else if (given !== undefined) this.#advancedTo(given);
    } catch (err) {
      engine.restore(before);
      this.budget.restore(used);
      throw err;
    } finally {
      before.free();
    }
  }

  /** Saves the chain; returns the snapshot's id. */
  snapshot(): bigint {
    if (this.#saved.size >= MAX_SNAPSHOTS) throw new ZkosError('INVALID_ARGUMENT', `evm_snapshot: ${MAX_SNAPSHOTS} snapshots are kept already; reverting to one frees it and the later ones`);
    const id = this.#nextSnapshotId++;
    this.#saved.set(id, { snapshot: this.engine.snapshot(), pool: this.pool.save(), queued: this.queued.save(), offsetSeconds: this.#offsetSeconds, nextTimestamp: this.#nextTimestamp, budgetUsed: this.budget.used, head: this.#head() });
    return id;
  }

  /** Returns to snapshot `id` (it and later snapshots are used up); false for an unknown id. */
  revert(id: bigint): boolean {
    const saved = this.#saved.get(id);
    if (saved === undefined) return false;
    this.engine.restore(saved.snapshot);
    this.pool = TxPool.restore(saved.pool);
    this.queued = TxPool.restore(saved.queued);
    this.#offsetSeconds = saved.offsetSeconds;
    this.#nextTimestamp = saved.nextTimestamp;
    this.budget.restore(saved.budgetUsed);
    this.#forget((k) => k >= id);
    return true;
  }

  /** The head's number and hash. */
  #head(): [bigint, Hex] {
    const head = this.engine.getBlock('latest');
    return [head?.number ?? 0n, head?.hash ?? `0x${'0'.repeat(64)}`];
  }

  /** The snapshots kept, by id, with the head each was taken at. */
  snapshots(): [bigint, readonly [bigint, Hex]][] {
    return [...this.#saved].map(([id, saved]) => [id, saved.head]);
  }

  /** Back to the chain as the node started (funded dev accounts, block 0); snapshots are dropped. */
  reset(): void {
    this.engine.restore(this.#genesis);
    this.pool.clear();
    this.queued.clear();
    this.#offsetSeconds = 0n;
    this.#nextTimestamp = undefined;
    this.budget.restore(0);
    this.#forget(() => true);
    this.instanceId = randomId();
  }

  #forget(which: (id: bigint) => boolean): void {
    for (const [k, s] of this.#saved) {
      if (!which(k)) continue;
      s.snapshot.free();
      this.#saved.delete(k);
    }
  }

  /** Stops interval mining and releases snapshots (the engine stays). */
  close(): void {
    this.setIntervalMining(0);
    this.#forget(() => true);
    this.#genesis.free();
  }
}

/** The number of dev accounts `options` ask for (checked). */
function accountCount(options: DevChainOptions): number {
  const count = options.accounts ?? DEFAULT_DEV_ACCOUNTS;
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_DEV_ACCOUNTS) throw new ZkosError('INVALID_ARGUMENT', `accounts: expected 0 to ${MAX_DEV_ACCOUNTS}`);
  return count;
}
