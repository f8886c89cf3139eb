// What the dev node holds for its clients at once, across all connections: request bodies and
// WebSocket frames being received, replies written and not yet taken by the client. Each
// connection has limits of its own (a 16 MiB body, 64 MiB queued for a WebSocket client), but
// clients within them could together hold more than the machine has: 20 WebSocket clients that
// did not read held 1.4 GB, 10 HTTP clients that did not read a 128 MiB batch reply 2.4 GB, and
// the process grew with every client. One bound over them all stops that.
import { ZkosError } from '../errors.js';

/** Default bound of `HeldBytes`: 512 MiB. */
export const MAX_HELD_BYTES = 512 * 1024 * 1024;
/**
 * Up to this many bytes a holder always gets (error replies, small requests and replies), so a
 * full bound refuses the clients that hold much, not every client.
 */
export const SMALL_HOLD_BYTES = 64 * 1024;

/** Bytes held for clients, against one bound. */
export class HeldBytes {
  readonly limit: number;
  #held = 0;

  constructor(limit = MAX_HELD_BYTES) {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new ZkosError('INVALID_ARGUMENT', `maxHeldBytes: expected a byte count, got ${String(limit)}`);
    this.limit = limit;
  }

  /** Bytes held now. */
  get held(): number {
    return this.#held;
  }

  /** Whether the bound is reached (nothing more that could be refused is taken). */
  get full(): boolean {
    return this.#held >= this.limit;
  }

  /** A holder of bytes against this bound (one request, reply or connection direction). */
  holder(): Holder {
    return new Holder(this);
  }

  /** Changes the count by `delta` when the result fits the bound or `delta` is not an increase; whether it did. */
  change(delta: number, always: boolean): boolean {
    if (delta > 0 && !always && this.#held + delta > this.limit) return false;
    this.#held += delta;
    return true;
  }
}

/** What one holder holds of a `HeldBytes`; `release` gives it all back, once, and later calls change nothing. */
export class Holder {
  readonly #bound: HeldBytes;
  #bytes = 0;
  #released = false;

  constructor(bound: HeldBytes) {
    this.#bound = bound;
  }

  /** Bytes held by this holder. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether the bound this holder counts against is reached. */
  get full(): boolean {
    return this.#bound.full;
  }

  /**
   * Holds `bytes` in all (more or fewer than before): refused (nothing changes) when it is an
   * increase past `SMALL_HOLD_BYTES` that does not fit the bound. A released holder holds nothing.
   */
  hold(bytes: number): boolean {
    if (this.#released) return bytes <= SMALL_HOLD_BYTES;
    if (!this.#bound.change(bytes - this.#bytes, bytes <= SMALL_HOLD_BYTES)) return false;
    this.#bytes = bytes;
    return true;
  }

  /** Adds `bytes` to what is held, fitting or not (bytes the caller cannot refuse). */
  add(bytes: number): void {
    if (this.#released) return;
    this.#bound.change(bytes, true);
    this.#bytes += bytes;
  }

  /** Gives back `bytes` of what is held. */
  give(bytes: number): void {
    if (this.#released) return;
    const n = Math.min(bytes, this.#bytes);
    this.#bound.change(-n, true);
    this.#bytes -= n;
  }

  /** Gives back everything, for good. */
  release(): void {
    if (this.#released) return;
    this.#bound.change(-this.#bytes, true);
    this.#bytes = 0;
    this.#released = true;
  }
}
