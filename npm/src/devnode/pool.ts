// The transaction pool of a dev node whose automine is off: pending transactions wait for the
// next mined block, which takes them ordered by fee and, per sender, by nonce.
import { ZkosError } from '../errors.js';
import type { Hex } from '../hex.js';
import type { PendingTransaction } from '../types.js';
import type { TxRequest } from '../types.js';

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

/** Pending transactions by hash. */
export class TxPool {
  #entries = new Map<Hex, PoolEntry>();
  #seq = 0;
  #chars = 0;

  /** Adds a transaction; a second one with the same sender and nonce replaces the first only with a higher fee cap. */
  add(item: Hex | TxRequest, info: PendingTransaction): void {
    if (this.#entries.has(info.hash)) throw new ZkosError('INVALID_TRANSACTION', `transaction ${info.hash} is already pending`);
    const same = [...this.#entries.values()].find((e) => e.info.from === info.from && e.info.nonce === info.nonce);
    if (same !== undefined && info.maxFeePerGas <= same.info.maxFeePerGas) throw new ZkosError('INVALID_TRANSACTION', 'replacement transaction underpriced');
    const freed = same === undefined ? 0 : charsOf(same.item, same.info);
    if (this.#entries.size - (same === undefined ? 0 : 1) >= MAX_POOL_TRANSACTIONS) throw new ZkosError('INVALID_TRANSACTION', `the pool is full (${MAX_POOL_TRANSACTIONS} transactions)`);
    if (this.#chars - freed + charsOf(item, info) > MAX_POOL_CHARS) throw new ZkosError('INVALID_TRANSACTION', `the pool is full (its transactions hold ${MAX_POOL_CHARS} characters of hex)`);
    if (same !== undefined) this.drop(same.info.hash);
    this.#entries.set(info.hash, { item, info, seq: this.#seq++ });
    this.#chars += charsOf(item, info);
  }

  /** Removes a transaction; whether it was pending. */
  drop(hash: Hex): boolean {
    const e = this.#entries.get(hash);
    if (e === undefined) return false;
    this.#entries.delete(hash);
    this.#chars -= charsOf(e.item, e.info);
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(hash: Hex): PoolEntry | undefined {
    return this.#entries.get(hash);
  }

  entries(): PoolEntry[] {
    return [...this.#entries.values()];
  }

  /** How many transactions of `from` are pending. */
  countFrom(from: Hex): bigint {
    let n = 0n;
    for (const e of this.#entries.values()) if (e.info.from === from) n++;
    return n;
  }

  /**
   * The pending transactions in block order for base fee `baseFee`: each sender's in nonce
   * order; among the senders' next transactions, the highest tip the sender pays
   * (min(tip cap, fee cap − base fee)) first, then the earliest.
   */
  ordered(baseFee: bigint): PoolEntry[] {
    const bySender = new Map<Hex, PoolEntry[]>();
    for (const e of this.#entries.values()) {
      const list = bySender.get(e.info.from) ?? [];
      list.push(e);
      bySender.set(e.info.from, list);
    }
    for (const list of bySender.values()) list.sort((a, b) => (a.info.nonce < b.info.nonce ? -1 : a.info.nonce > b.info.nonce ? 1 : a.seq - b.seq));
    const tip = (e: PoolEntry): bigint => {
      const room = e.info.maxFeePerGas - baseFee;
      return room < e.info.maxPriorityFeePerGas ? room : e.info.maxPriorityFeePerGas;
    };
    const out: PoolEntry[] = [];
    const queues = [...bySender.values()];
    while (out.length < this.#entries.size) {
      let best: PoolEntry[] | undefined;
      for (const q of queues) {
        const head = q[0];
        if (head === undefined) continue;
        const current = best?.[0];
        if (current === undefined || tip(head) > tip(current) || (tip(head) === tip(current) && head.seq < current.seq)) best = q;
      }
      if (best === undefined) break;
      out.push(best.shift() as PoolEntry);
    }
    return out;
  }

  /** A copy (for snapshots). */
  clone(): TxPool {
    const copy = new TxPool();
    copy.#entries = new Map(this.#entries);
    copy.#seq = this.#seq;
    copy.#chars = this.#chars;
    return copy;
  }
}
