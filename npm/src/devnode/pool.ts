// The transaction pool of a dev node whose automine is off: pending transactions wait for the
// next mined block, which takes them ordered by fee and, per sender, by nonce.
import { ZkosError } from '../errors.js';
import type { Hex } from '../hex.js';
import type { PendingTransaction } from '../types.js';
import type { BlockResult, TxRequest } from '../types.js';

/** Most transactions the pool holds. */
export const MAX_POOL_TRANSACTIONS = 10_000;
/**
 * Most characters of hex the pool's transactions may hold (envelope and calldata). With the count
 * alone, a pooled transaction of 7 MiB of calldata took about 49 MB of the process (9 of them:
 * 74 → 516 MB), so some 90 of them exhaust the 4 GiB heap and kill the node.
 */
export const MAX_POOL_CHARS = 256 * 1024 * 1024;

/** Characters of hex a pool entry holds: its envelope (or request's calldata) and the calldata kept for display. */
function charsOf(item: Hex | TxRequest, info: PendingTransaction): number {
  return (typeof item === 'string' ? item.length : info.input.length) + info.input.length;
}

/** A pending transaction: what the engine will run (raw envelope or request) and how it orders. */
export interface PoolEntry {
  readonly item: Hex | TxRequest;
  readonly info: PendingTransaction;
  /** Arrival order (ties between equal fees go to the earlier). */
  readonly seq: number;
}

/**
 * Why the core leaves a transaction out of a block that is full (core/src/bootloader/invalid.rs:
 * the block's gas, computational native, pubdata, L2→L1 logs or blob gas would pass its limit;
 * the transaction is rolled back).
 */
const BLOCK_FULL = /: Block(Gas|Native|Pubdata|L2ToL1Log|BlobGas)LimitReached$/;

/**
 * Of the pool transactions `entries` run as a block with `result`, the ones done with: included,
 * or refused for what they are (nonce, funds, fees). One left out because the block was full
 * stays pending for the next block, as anvil and geth keep it, and so do its sender's later ones
 * (refused here for their nonce); unless nothing went into the block before it (no block would
 * hold it). Before, every one left out was dropped: of 10,000 transfers pooled and mined, the
 * 5,239 past the block's gas limit were lost without a receipt.
 */
export function doneWith(entries: readonly PoolEntry[], result: BlockResult): PoolEntry[] {
  const waiting = new Set<Hex>();
  let included = false;
  const done: PoolEntry[] = [];
  entries.forEach((e, i) => {
    const r = result.transactions[i];
    const full = r?.status === 'invalid' && included && BLOCK_FULL.test(r.error ?? '');
    if (full || (r?.status === 'invalid' && waiting.has(e.info.from))) waiting.add(e.info.from);
    else done.push(e);
    if (r !== undefined && r.status !== 'invalid') included = true;
  });
  return done;
}

/** Pending transactions by hash, and each sender's by nonce. */
export class TxPool {
  #entries = new Map<Hex, PoolEntry>();
  /**
   * Each sender's entries by nonce (at most one per nonce: a second replaces the first). Before,
   * a sender's entry of a nonce and a sender's count were found by looking at every entry: 10,000
   * transactions sent from as many senders took 8.3 s to pool (3,000: 1.5 s).
   */
  #bySender = new Map<Hex, Map<bigint, PoolEntry>>();
  #seq = 0;
  #chars = 0;

  /**
   * Adds a transaction; a second one with the same sender and nonce replaces the first only with a
   * higher fee cap. Refusals lead with geth's words (core/txpool/errors.go: "already known",
   * "replacement transaction underpriced", "txpool is full"), which clients match: viem's
   * `NonceTooLowError` takes "already known" (before, "transaction 0x… is already pending" was
   * viem's `UnknownNodeError`).
   */
  add(item: Hex | TxRequest, info: PendingTransaction): void {
    if (this.#entries.has(info.hash)) throw new ZkosError('INVALID_TRANSACTION', `already known: transaction ${info.hash} is already pending`);
    const same = this.at(info.from, info.nonce);
    if (same !== undefined && info.maxFeePerGas <= same.info.maxFeePerGas) throw new ZkosError('INVALID_TRANSACTION', 'replacement transaction underpriced');
    const freed = same === undefined ? 0 : charsOf(same.item, same.info);
    if (this.#entries.size - (same === undefined ? 0 : 1) >= MAX_POOL_TRANSACTIONS) throw new ZkosError('INVALID_TRANSACTION', `txpool is full: it holds ${MAX_POOL_TRANSACTIONS} transactions`);
    if (this.#chars - freed + charsOf(item, info) > MAX_POOL_CHARS) throw new ZkosError('INVALID_TRANSACTION', `txpool is full: its transactions hold ${MAX_POOL_CHARS} characters of hex`);
    if (same !== undefined) this.drop(same.info.hash);
    this.#put({ item, info, seq: this.#seq++ });
  }

  #put(entry: PoolEntry): void {
    this.#entries.set(entry.info.hash, entry);
    let nonces = this.#bySender.get(entry.info.from);
    if (nonces === undefined) this.#bySender.set(entry.info.from, (nonces = new Map()));
    nonces.set(entry.info.nonce, entry);
    this.#chars += charsOf(entry.item, entry.info);
  }

  /** Removes a transaction; whether it was pending. */
  drop(hash: Hex): boolean {
    const e = this.#entries.get(hash);
    if (e === undefined) return false;
    this.#entries.delete(hash);
    const nonces = this.#bySender.get(e.info.from);
    nonces?.delete(e.info.nonce);
    if (nonces?.size === 0) this.#bySender.delete(e.info.from);
    this.#chars -= charsOf(e.item, e.info);
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#bySender.clear();
    this.#chars = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(hash: Hex): PoolEntry | undefined {
    return this.#entries.get(hash);
  }

  /** The pending transaction of `from` with nonce `nonce`. */
  at(from: Hex, nonce: bigint): PoolEntry | undefined {
    return this.#bySender.get(from)?.get(nonce);
  }

  entries(): PoolEntry[] {
    return [...this.#entries.values()];
  }

  /** The senders with pending transactions. */
  senders(): Hex[] {
    return [...this.#bySender.keys()];
  }

  /** The pending transactions of `from`, in no particular order. */
  entriesFrom(from: Hex): PoolEntry[] {
    return [...(this.#bySender.get(from)?.values() ?? [])];
  }

  /** How many transactions of `from` are pending. */
  countFrom(from: Hex): bigint {
    return BigInt(this.#bySender.get(from)?.size ?? 0);
  }

  /**
   * The pending transactions in block order for base fee `baseFee`: each sender's in nonce
   * order; among the senders' next transactions, the highest tip the sender pays
   * (min(tip cap, fee cap − base fee)) first, then the earliest. The senders' next transactions
   * wait in a heap: before, each pick looked at every sender, and 10,000 transactions of as many
   * senders took 7.9 s to order (the node answered no one meanwhile); now tens of milliseconds.
   */
  ordered(baseFee: bigint): PoolEntry[] {
    const tip = (e: PoolEntry): bigint => {
      const room = e.info.maxFeePerGas - baseFee;
      return room < e.info.maxPriorityFeePerGas ? room : e.info.maxPriorityFeePerGas;
    };
    const heads = new SenderHeap();
    for (const nonces of this.#bySender.values()) {
      const list = [...nonces.values()].sort((a, b) => (a.info.nonce < b.info.nonce ? -1 : a.info.nonce > b.info.nonce ? 1 : 0));
      heads.push({ list, at: 0, tip: tip(list[0] as PoolEntry) });
    }
    const out: PoolEntry[] = [];
    for (let q = heads.pop(); q !== undefined; q = heads.pop()) {
      out.push(q.list[q.at] as PoolEntry);
      const next = q.list[++q.at];
      if (next !== undefined) heads.push({ list: q.list, at: q.at, tip: tip(next) });
    }
    return out;
  }

  /**
   * What a snapshot keeps of the pool: its entries (immutable, shared) in a plain list. Before, a
   * snapshot kept a copy of the pool's map: 1,000 snapshots of 10,000 pending transactions held
   * 459 MB (with the sender index 1,608 MB); the lists hold 80 MB.
   */
  save(): SavedPool {
    return { entries: [...this.#entries.values()], seq: this.#seq };
  }

  /** The pool `saved` kept. */
  static restore(saved: SavedPool): TxPool {
    const pool = new TxPool();
    for (const e of saved.entries) pool.#put(e);
    pool.#seq = saved.seq;
    return pool;
  }
}

/** A pool as a snapshot keeps it (`TxPool.save`). */
export interface SavedPool {
  readonly entries: readonly PoolEntry[];
  readonly seq: number;
}

/** A sender's pending transactions in nonce order, from `at` on; `tip` is that one's. */
interface SenderQueue {
  readonly list: PoolEntry[];
  at: number;
  readonly tip: bigint;
}

/** Senders' queues by their next transaction: the highest tip first, then the earliest sent. */
class SenderHeap {
  readonly #items: SenderQueue[] = [];

  /** Whether `a`'s next transaction goes before `b`'s. */
  #before(a: SenderQueue, b: SenderQueue): boolean {
    return a.tip !== b.tip ? a.tip > b.tip : (a.list[a.at] as PoolEntry).seq < (b.list[b.at] as PoolEntry).seq;
  }

  push(q: SenderQueue): void {
    const items = this.#items;
    let i = items.push(q) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(q, items[parent] as SenderQueue)) break;
      items[i] = items[parent] as SenderQueue;
      i = parent;
    }
    items[i] = q;
  }

  pop(): SenderQueue | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && this.#before(items[right] as SenderQueue, items[left] as SenderQueue) ? right : left;
      if (!this.#before(items[child] as SenderQueue, last)) break;
      items[i] = items[child] as SenderQueue;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
