// Polled filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter): each
// remembers what it last reported and answers eth_getFilterChanges with what came since.
import { ZkosError } from '../errors.js';
import { ForkHistory } from '../fork/history.js';
import { taggedBlock } from '../fork/block-tags.js';
import { type Hex, toQuantityHex } from '../hex.js';
import { ProviderRpcError, formatLog } from '../provider.js';
import type { DevChain } from './dev-chain.js';
import { type LogCriteria, MAX_LOG_BLOCK_RANGE, MAX_LOG_RESULTS, blockLogs, getLogs } from './logs.js';
import { type Watching, criteriaItems } from './watching.js';

/** Most filters installed at once. */
export const MAX_FILTERS = 1_000;
/** EIP-1474's "limit exceeded" (before, a full table answered -32602, as if the params were wrong). */
const LIMIT_EXCEEDED = -32005;
/** A filter not polled for this long is removed (as anvil and geth do). */
export const FILTER_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * A log filter: `next` is the first block its next poll reads. Over a fork, a `toBlock` of `safe`
 * or `finalized` ends its past logs at the block the tag named when it was made (`stop`), and
 * it goes on from the block after the head it was made at (`resume`) with every new block, as
 * anvil's filter reports its past logs then each new block's whatever the tag.
 */
type LogFilter = { kind: 'logs'; criteria: LogCriteria; raw: Record<string, unknown>; next: bigint; polled: number; stop?: bigint; resume?: bigint };

type Filter =
  | LogFilter
  | { kind: 'blocks'; next: bigint; polled: number }
  | { kind: 'pending'; next: number; polled: number };

/** The addresses and topics a filter keeps. */
function itemsOf(filter: Filter): number {
  return filter.kind === 'logs' ? criteriaItems(filter.criteria) : 0;
}

/** The installed filters of a node. */
export class Filters {
  readonly #filters = new Map<Hex, Filter>();
  #nextId = 1n;
  /** Where the addresses and topics of log filters are counted (with the node's subscriptions'). */
  readonly #watching: Watching;

  constructor(watching: Watching) {
    this.#watching = watching;
  }

  #install(filter: Filter): Hex {
    this.#expire();
    if (this.#filters.size >= MAX_FILTERS) throw new ProviderRpcError(LIMIT_EXCEEDED, `at most ${MAX_FILTERS} filters may be installed (eth_uninstallFilter frees one; one not polled for 5 minutes is removed)`);
    this.#watching.take(0, itemsOf(filter), 'eth_newFilter');
    const id = toQuantityHex(this.#nextId++);
    this.#filters.set(id, filter);
    return id;
  }

  #remove(id: Hex): boolean {
    const f = this.#filters.get(id);
    if (f === undefined) return false;
    this.#filters.delete(id);
    this.#watching.give(0, itemsOf(f));
    return true;
  }

  #expire(): void {
    const now = Date.now();
    for (const [id, f] of this.#filters) if (now - f.polled > FILTER_TIMEOUT_MS) this.#remove(id);
  }

  /**
   * A log filter of `criteria` (read from `raw`, the eth_newFilter parameter, which a fork's node
   * is asked with). `safe` and `finalized` name the blocks 32 and 64 below the head it is made at
   * (block-tags.ts), as anvil resolves them for a filter's past logs; before, a `fromBlock` of
   * either started at the next block and a `toBlock` read as the head (over a fork until
   * 2026-12-06, on a chain of the node's own until 2026-12-07).
   */
  newLogFilter(chain: DevChain, criteria: LogCriteria, raw: unknown): Hex {
    const head = chain.engine.blockNumber();
    const given = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const filter: LogFilter = { kind: 'logs', criteria, raw: given, next: criteria.fromBlock ?? head + 1n, polled: Date.now() };
    const from = taggedBlock(given.fromBlock, head);
    if (from !== undefined) filter.next = from;
    const stop = taggedBlock(given.toBlock, head);
    if (stop !== undefined) Object.assign(filter, { stop, resume: head + 1n });
    return this.#install(filter);
  }

  newBlockFilter(chain: DevChain): Hex {
    return this.#install({ kind: 'blocks', next: chain.engine.blockNumber() + 1n, polled: Date.now() });
  }

  newPendingFilter(chain: DevChain): Hex {
    return this.#install({ kind: 'pending', next: chain.pendingBase + chain.pendingHashes.length, polled: Date.now() });
  }

  uninstall(id: Hex): boolean {
    return this.#remove(id);
  }

  #get(id: Hex): Filter {
    this.#expire();
    const f = this.#filters.get(id);
    if (f === undefined) throw new ZkosError('NOT_FOUND', 'filter not found');
    f.polled = Date.now();
    return f;
  }

  /**
   * What happened since the last poll: logs (in JSON-RPC form), block hashes or transaction
   * hashes. Over a fork, a log filter from a block up to the fork block reports the node's logs of
   * those blocks first (as anvil's first poll reports a filter's past logs).
   */
  async changes(chain: DevChain, id: Hex): Promise<unknown[]> {
    const f = this.#get(id);
    const head = chain.engine.blockNumber();
    if (f.kind === 'pending') {
      const start = Math.max(f.next - chain.pendingBase, 0);
      f.next = chain.pendingBase + chain.pendingHashes.length;
      return chain.pendingHashes.slice(start);
    }
    // After a revert or reset the head may be below what was reported: start again from it.
    if (f.next > head + 1n) f.next = head + 1n;
    if (f.kind === 'blocks') {
      const out: Hex[] = [];
      for (let n = f.next; n <= head; n++) {
        const b = chain.engine.getBlock(n);
        if (b !== undefined) out.push(b.hash);
      }
      f.next = head + 1n;
      return out;
    }
    const logs: unknown[] = [];
    if (f.stop !== undefined) {
      // The past logs up to the block a `safe`/`finalized` toBlock named, then the new blocks.
      await this.#page(chain, f, f.stop < head ? f.stop : head, logs);
      if (f.next <= f.stop) return logs;
      if (f.resume !== undefined && f.next < f.resume) f.next = f.resume > head + 1n ? head + 1n : f.resume;
      f.stop = undefined;
    }
    await this.#page(chain, f, f.criteria.toBlock !== undefined && f.criteria.toBlock < head ? f.criteria.toBlock : head, logs);
    return logs;
  }

  /**
   * The logs of a filter's blocks from its next one to `last`, added to `logs`, the filter moved
   * past them. A poll answers whole blocks: at most MAX_LOG_BLOCK_RANGE of them, and no block
   * after the one that reaches MAX_LOG_RESULTS logs; the next poll goes on from there. Before, a
   * poll over more blocks or logs than eth_getLogs answers failed and kept failing (the filter
   * never moved on).
   */
  async #page(chain: DevChain, f: LogFilter, last: bigint, logs: unknown[]): Promise<void> {
    const end = f.next + BigInt(MAX_LOG_BLOCK_RANGE) - 1n < last ? f.next + BigInt(MAX_LOG_BLOCK_RANGE) - 1n : last;
    logs.push(...(await this.#forkedLogs(chain, f, end)));
    let n = f.next;
    for (; n <= end && logs.length < MAX_LOG_RESULTS; n++) {
      for (const log of blockLogs(chain.engine, n, f.criteria)) logs.push(formatLog(log));
    }
    if (n > f.next) f.next = n;
  }

  /**
   * Over a fork, the node's logs of the filter's blocks from its next one to `end` or the fork
   * block, whichever is lower, the filter then moved past them; none when its next block is
   * after the fork block. A failed read leaves the filter where it was.
   */
  async #forkedLogs(chain: DevChain, f: LogFilter, end: bigint): Promise<unknown[]> {
    const history = ForkHistory.of(chain.engine);
    const from = f.next;
    if (history === undefined || from > history.forkNumber || from > end) return [];
    const to = end < history.forkNumber ? end : history.forkNumber;
    // Moved first, so a poll arriving while the node answers does not read the same blocks.
    f.next = to + 1n;
    try {
      return await history.logs(f.raw, from, to);
    } catch (err) {
      if (f.next === to + 1n) f.next = from;
      throw err;
    }
  }

  /** Every log a log filter matches (eth_getFilterLogs), in JSON-RPC form: over a fork, the node's of the blocks up to the fork block too. */
  async logs(chain: DevChain, id: Hex): Promise<unknown[]> {
    const f = this.#get(id);
    if (f.kind !== 'logs') throw new ZkosError('INVALID_ARGUMENT', 'eth_getFilterLogs: not a log filter');
    // eth_getLogs' answer now (`safe`/`finalized` named from the head now, as anvil's).
    return getLogs(chain.engine, f.raw);
  }

  clear(): void {
    for (const id of [...this.#filters.keys()]) this.#remove(id);
  }
}
