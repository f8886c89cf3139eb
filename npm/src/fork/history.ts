// The forked chain's past on a forked engine's provider: blocks up to the fork block, their
// transactions, receipts and logs are read from the node and handed on as it answers them (anvil
// serves a fork's past the same way); the engine's own blocks, after the fork block, stay its own.
// Each answer must name what was asked and have its shape (history-checks.ts); the rest is the
// node's word, as anvil takes it (with `verify`, a block's header must hash to its hash).
import type { Hex } from '../hex.js';
import { STATE_BLOCK_PARAM, withTagsResolved } from './block-tags.js';
import { forkFeeHistory, nodeAnswersWhole } from './fee-history.js';
import { type ProofEngine, type ProofFork, forkProof } from './served-proofs.js';
import { type Named, checkedAtIndex, checkedBlock, checkedByHash, checkedCount, checkedLogs, checkedReceipts, inBlock } from './history-checks.js';
import type { RpcCall } from './transport.js';
import type { ForkKey, ForkValue } from './types.js';
import type { ForkVerifier } from './verify.js';

/** What the history needs of a forked engine: the pinned block and round trips to its node. */
interface ForkOfEngine extends ProofFork {
  readonly block: { readonly number: bigint; readonly hash: Hex; readonly stateRoot?: Hex };
  rpc(calls: readonly RpcCall[]): Promise<unknown[]>;
  /** A value already in memory (block hashes: the fork block's parent, and those BLOCKHASH read). */
  peek?(key: ForkKey): ForkValue | undefined;
  /** With `verify`: each block the history serves must hash to its hash. */
  readonly verifier?: ForkVerifier;
}

/** Methods naming a block by number (or tag) first. */
const BY_NUMBER = new Set(['eth_getBlockByNumber', 'eth_getBlockTransactionCountByNumber', 'eth_getTransactionByBlockNumberAndIndex', 'eth_getUncleCountByBlockNumber']);
/** Methods naming a block by hash first. */
const BY_HASH = new Set(['eth_getBlockByHash', 'eth_getBlockTransactionCountByHash', 'eth_getTransactionByBlockHashAndIndex', 'eth_getUncleCountByBlockHash']);
/** Methods naming a transaction by hash. */
const BY_TRANSACTION = new Set(['eth_getTransactionByHash', 'eth_getTransactionReceipt']);


/** A block number the node may know: a quantity or `earliest` (tags name the engine's own head). */
function numberOf(tag: unknown): bigint | undefined {
  if (tag === 'earliest') return 0n;
  if (typeof tag === 'bigint') return tag;
  if (typeof tag === 'number') return BigInt(tag);
  return typeof tag === 'string' && /^0x[0-9a-fA-F]+$/.test(tag) ? BigInt(tag) : undefined;
}

/** The block number a node's answer (a block, transaction or receipt) names, if any. */
function answeredNumber(answer: unknown): bigint | undefined {
  if (answer === null || typeof answer !== 'object') return undefined;
  const o = answer as { number?: unknown; blockNumber?: unknown };
  return numberOf(o.blockNumber ?? o.number);
}

/** A by-block answer of `method` checked to name block `at` (see history-checks.ts). */
function checked(method: string, answer: unknown, at: Named, params: unknown[], verifier: ForkVerifier | undefined): unknown {
  if (method === 'eth_getBlockByNumber' || method === 'eth_getBlockByHash') return checkedBlock(answer, at, method, verifier);
  if (method.endsWith('AndIndex')) return checkedAtIndex(answer, at, params[1], method);
  if (method === 'eth_getBlockReceipts') return checkedReceipts(answer, at, method);
  return checkedCount(answer, method);
}

/** The forked chain's history behind a forked engine's provider. */
export class ForkHistory {
  /** Methods only a fork answers, in the provider's shape (a table without a prototype). */
  readonly methods: Readonly<Record<string, { readonly params: number; run(engine: unknown, params: unknown[]): unknown }>>;

  constructor(
    private readonly fork: ForkOfEngine,
    private readonly engine: ProofEngine,
  ) {
    this.methods = Object.freeze(Object.assign(Object.create(null) as Record<string, never>, { eth_getProof: { params: 3, run: (_: unknown, params: unknown[]) => forkProof(this.fork, this.engine, params) } }));
  }

  /** The history of `engine` when it forks a chain (it has a fetcher that pins a block), else undefined. */
  static of(engine: unknown): ForkHistory | undefined {
    const e = engine as (Partial<ProofEngine> & { fork?: Partial<ForkOfEngine> }) | null;
    const fork = e?.fork;
    if (fork === undefined || typeof fork.rpc !== 'function' || fork.block === undefined || typeof e?.blockNumber !== 'function' || typeof e.changedSinceFork !== 'function' || typeof e.getBlock !== 'function') return undefined;
    return new ForkHistory(fork as ForkOfEngine, e as ProofEngine);
  }

  /** The engine's head block number. */
  private head(): bigint {
    return this.engine.blockNumber();
  }

  /** The fork block's number: blocks up to it are the forked chain's. */
  get forkNumber(): bigint {
    return this.fork.block.number;
  }

  /** Whether `hash` names the fork block (whose transactions only the node holds). */
  #isPin(hash: unknown): boolean {
    return typeof hash === 'string' && hash.toLowerCase() === this.fork.block.hash.toLowerCase();
  }

  /** Whether block `n` is the forked chain's (at or below the fork block). */
  #forked(n: bigint | undefined): n is bigint {
    return n !== undefined && n <= this.fork.block.number;
  }

  /**
   * `params` of a state read with an EIP-1898 `{ blockHash }` the engine does not know (`known`)
   * naming a block of the forked chain instead by its number (one round trip to ask the node),
   * and `safe` or `finalized` by the number of the block they name (block-tags.ts); otherwise
   * `params` as they are.
   */
  async stateParams(method: string, given: unknown[], known: (hash: Hex) => boolean): Promise<unknown[]> {
    // `safe` and `finalized` name blocks below the head (block-tags.ts).
    const params = withTagsResolved(method, given, this.head());
    const i = STATE_BLOCK_PARAM[method];
    const named = i === undefined ? undefined : params[i];
    if (named === null || typeof named !== 'object' || Array.isArray(named)) return params;
    const { blockHash, blockNumber } = named as { blockHash?: unknown; blockNumber?: unknown };
    if (typeof blockHash !== 'string' || blockNumber !== undefined || known(blockHash.toLowerCase() as Hex)) return params;
    const n = answeredNumber(checkedBlock(await this.#ask({ method: 'eth_getBlockByHash', params: [blockHash, false] }), { hash: blockHash }, 'eth_getBlockByHash', this.fork.verifier));
    if (!this.#forked(n)) return params;
    const out = [...params];
    out[i as number] = { blockNumber: `0x${n.toString(16)}` };
    return out;
  }

  /**
   * Whether the node's answer to `method(params)` replaces the engine's whole, so that the
   * engine not holding the blocks asked (its own answer `NOT_FOUND`) is no error.
   */
  answersAlone(method: string, params: unknown[]): boolean {
    return method === 'eth_feeHistory' && nodeAnswersWhole({ pin: this.fork.block.number, head: this.head() }, params);
  }

  /** The answer to `method(params)`: the node's when it asks for the forked chain's past, else `local` (the engine's). */
  async answer(method: string, params: unknown[], local: unknown): Promise<unknown> {
    if (method === 'eth_getBlockByNumber') {
      // A tag naming the fork block (`latest` before the fork's first block) is the node's block too.
      const n = numberOf(params[0]) ?? answeredNumber(local);
      return this.#forked(n) ? checkedBlock(await this.#ask({ method, params: [`0x${n.toString(16)}`, ...params.slice(1)] }), this.#named(n), method, this.fork.verifier) : local;
    }
    if (BY_NUMBER.has(method)) {
      const n = numberOf(params[0]);
      return this.#forked(n) ? checked(method, await this.#ask({ method, params }), this.#named(n), params, this.fork.verifier) : local;
    }
    if (BY_HASH.has(method)) return this.#isPin(params[0]) || local === null ? this.#byBlockHash(method, params, local) : local;
    if (BY_TRANSACTION.has(method) && local === null) {
      // A transaction the node mined after the fork block is not in this chain; a pending one neither.
      const answer = checkedByHash(await this.#ask({ method, params }), method === 'eth_getTransactionByHash' ? 'hash' : 'transactionHash', params[0], method);
      const n = answeredNumber(answer);
      if (!this.#forked(n)) return null;
      inBlock(answer, this.#named(n), method);
      return answer;
    }
    if (method === 'eth_getBlockReceipts') return this.#receipts(params, local);
    if (method === 'eth_feeHistory') return forkFeeHistory({ pin: this.fork.block.number, head: this.head(), ask: (call) => this.#ask(call) }, params, local);
    return local;
  }

  /** A by-hash method over a block the node holds at or below the fork block (its header asked in the same round trip). */
  async #byBlockHash(method: string, params: unknown[], local: unknown): Promise<unknown> {
    const [header, answer] = await this.fork.rpc([{ method: 'eth_getBlockByHash', params: [params[0], false] }, { method, params }]);
    const n = answeredNumber(checkedBlock(header, { hash: params[0] as string }, 'eth_getBlockByHash', this.fork.verifier));
    return this.#forked(n) ? checked(method, answer, { hash: params[0] as string, number: n }, params, this.fork.verifier) : local;
  }

  /** Block `n` of the forked chain as an answer must name it: by the hash the fork holds for it too (the pin's, its parent's, BLOCKHASH's). */
  #named(n: bigint): Named {
    if (n === this.fork.block.number) return { number: n, hash: this.fork.block.hash };
    const known = this.fork.peek?.({ kind: 'blockHash', number: n });
    return known?.kind === 'blockHash' ? { number: n, hash: known.hash } : { number: n };
  }

  async #receipts(params: unknown[], local: unknown): Promise<unknown> {
    const id = params[0];
    const named = id !== null && typeof id === 'object' ? ((id as { blockHash?: unknown }).blockHash ?? (id as { blockNumber?: unknown }).blockNumber) : id;
    if (typeof named === 'string' && named.length === 66) return this.#isPin(named) || local === null ? this.#byBlockHash('eth_getBlockReceipts', params, local) : local;
    const n = numberOf(named);
    return this.#forked(n) ? checkedReceipts(await this.#ask({ method: 'eth_getBlockReceipts', params }), this.#named(n), 'eth_getBlockReceipts') : local;
  }

  /**
   * The logs of `filter` (an eth_getLogs parameter, checked) in the forked chain's blocks from
   * `from` to `to` or the fork block, whichever is lower, from the node (none when `from` is after it).
   */
  async logs(filter: Record<string, unknown>, from: bigint, to: bigint): Promise<unknown[]> {
    const last = to < this.fork.block.number ? to : this.fork.block.number;
    if (from > last) return [];
    const { blockHash: _, ...criteria } = filter;
    const answer = await this.#ask({ method: 'eth_getLogs', params: [{ ...criteria, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${last.toString(16)}` }] });
    return checkedLogs(answer, { from, to: last }, criteria.address, 'eth_getLogs');
  }

  /** The node's logs of the block at `blockHash` when it is the forked chain's, else undefined. */
  async blockLogs(filter: Record<string, unknown>): Promise<unknown[] | undefined> {
    const [header, answer] = await this.fork.rpc([{ method: 'eth_getBlockByHash', params: [filter.blockHash, false] }, { method: 'eth_getLogs', params: [filter] }]);
    const n = answeredNumber(checkedBlock(header, { hash: filter.blockHash as string }, 'eth_getBlockByHash', this.fork.verifier));
    return this.#forked(n) ? checkedLogs(answer, { from: n, to: n, hash: filter.blockHash as string }, filter.address, 'eth_getLogs') : undefined;
  }

  async #ask(call: RpcCall): Promise<unknown> {
    const [answer] = await this.fork.rpc([call]);
    return answer ?? null;
  }
}
