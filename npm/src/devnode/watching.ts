// What all clients of a dev node watch at once: logs subscriptions and log filters each keep
// their addresses and topics (about 100 bytes of heap each), and every subscription is visited
// for each mined block. Per client there were bounds already (1,000 subscriptions per connection,
// 1,000 filters, 1,000 addresses and 1,000 topics per position), but not over all of them: one
// WebSocket connection's 1,000 logs subscriptions of 5,000 items each took 495 MiB of heap, and
// about nine such connections passed V8's heap limit (4 GiB), which ends the process.
import { ProviderRpcError } from '../provider.js';
import type { LogCriteria } from './logs.js';

/** Most subscriptions of all WebSocket connections together. */
export const MAX_SUBSCRIPTIONS_TOTAL = 10_000;
/** Most addresses and topics that all logs subscriptions and log filters together keep (about 100 MiB). */
export const MAX_WATCHED_ITEMS = 1_000_000;
/** EIP-1474's "limit exceeded". */
const LIMIT_EXCEEDED = -32005;

/** The addresses and topics `criteria` keep. */
export function criteriaItems(criteria: LogCriteria): number {
  let n = criteria.addresses?.size ?? 0;
  for (const t of criteria.topics) n += t?.size ?? 0;
  return n;
}

/** The subscriptions and watched items of all clients, against their bounds. */
export class Watching {
  #subscriptions = 0;
  #items = 0;

  /** Subscriptions held now. */
  get subscriptions(): number {
    return this.#subscriptions;
  }

  /** Addresses and topics held now. */
  get items(): number {
    return this.#items;
  }

  /** Takes `subscriptions` and `items` when both fit, else throws `-32005` and takes nothing. */
  take(subscriptions: number, items: number, what: string): void {
    if (this.#subscriptions + subscriptions > MAX_SUBSCRIPTIONS_TOTAL) throw new ProviderRpcError(LIMIT_EXCEEDED, `${what}: the node's clients hold ${MAX_SUBSCRIPTIONS_TOTAL} subscriptions already`);
    if (this.#items + items > MAX_WATCHED_ITEMS) throw new ProviderRpcError(LIMIT_EXCEEDED, `${what}: the node's subscriptions and filters hold ${this.#items} addresses and topics; ${items} more pass ${MAX_WATCHED_ITEMS}`);
    this.#subscriptions += subscriptions;
    this.#items += items;
  }

  /** Gives back what `take` took. */
  give(subscriptions: number, items: number): void {
    this.#subscriptions -= subscriptions;
    this.#items -= items;
  }
}
