// The turns a dev chain gives its operations: one runs at a time, to its end (or to a pause), and
// the clients waiting take turns round robin, each client's operations in the order it sent them.
import type { Eip1193Provider, RequestArguments } from '../provider.js';

/**
 * Time a mining request runs before it lets the requests waiting for the chain run, and the event
 * loop serve sockets (WebSocket pings, new connections); also how long operations run back to back
 * before sockets are served. Before, `anvil_mine 100000` held the process for 17 to 25 s: a read
 * sent meanwhile waited 20.4 s and pings went unanswered.
 */
export const MINE_SLICE_MS = 20;

/** The client of in-process callers and the chain's own timer (one lane for all of them). */
export const SHARED_LANE: object = Object.freeze({});

/**
 * Who runs next on a chain. Each client (a lane: an HTTP connection, a WebSocket connection, the
 * in-process callers together) queues its operations; when the turn passes, the next lane in
 * rotation runs its oldest one. Before, one queue served everybody first come first served: a
 * client pipelining 16 heavy `eth_call`s on each of 8 WebSocket connections put 128 calls ahead of
 * another client's `eth_blockNumber`, which waited for all of them; now it waits for one call of
 * each client at most.
 */
export class Turns {
  /** Whether an operation holds the turn. */
  #busy = false;
  /** The waiting operations of each lane with any, and the lanes in the order their turns come. */
  readonly #waiting = new Map<object, (() => void)[]>();
  #rotation: object[] = [];
  #rotationHead = 0;
  /** When the operations running back to back since the last macrotask began. */
  #stretch: number | undefined;

  /** How many operations wait for the turn. */
  get waiting(): number {
    let n = 0;
    for (const q of this.#waiting.values()) n += q.length;
    return n;
  }

  /**
   * Lets the event loop serve sockets once operations have run back to back for `MINE_SLICE_MS`
   * without a macrotask between them (a batch's requests one after another; the waiters handed
   * the turn by `release` wait for one the same way). Before, a batch of 1,000 eth_calls of 25 ms
   * each held the process for 25.8 s: another client's read waited 25.5 s.
   */
  async #breathe(): Promise<void> {
    if (this.#longStretch()) await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Whether operations have run `MINE_SLICE_MS` since the last macrotask (the first call after one starts counting). */
  #longStretch(): boolean {
    if (this.#stretch !== undefined) return Date.now() - this.#stretch >= MINE_SLICE_MS;
    this.#stretch = Date.now();
    setTimeout(() => (this.#stretch = undefined), 0);
    return false;
  }

  /**
   * Resolves when `lane`'s operation holds the turn. A free turn is taken after `breathe`; a taken
   * one is waited for in the lane at once (a client's request joins the rotation as it arrives).
   */
  async acquire(lane: object): Promise<void> {
    if (!this.#busy) {
      await this.#breathe();
      if (!this.#busy) {
        this.#busy = true;
        return;
      }
    }
    return new Promise((resolve) => {
      const queue = this.#waiting.get(lane);
      if (queue !== undefined) queue.push(resolve);
      else {
        this.#waiting.set(lane, [resolve]);
        this.#rotation.push(lane);
      }
    });
  }

  /** Passes the turn to the next lane's oldest operation (after a macrotask once the stretch is long). */
  release(): void {
    const next = this.#next();
    if (next === undefined) this.#busy = false;
    // The turn stays taken; the next waiter gets it after a macrotask once the stretch is long.
    else if (this.#longStretch()) setTimeout(next, 0);
    else next();
  }

  #next(): (() => void) | undefined {
    if (this.#rotationHead === this.#rotation.length) return undefined;
    const lane = this.#rotation[this.#rotationHead++];
    const queue = this.#waiting.get(lane) as (() => void)[];
    const next = queue.shift();
    if (queue.length > 0) this.#rotation.push(lane);
    else this.#waiting.delete(lane);
    // The lanes served are dropped from the rotation's front once they are half of it.
    if (this.#rotationHead > 1024 && this.#rotationHead * 2 > this.#rotation.length) {
      this.#rotation = this.#rotation.slice(this.#rotationHead);
      this.#rotationHead = 0;
    }
    return next;
  }

  /** Passes the turn, lets sockets be read and answered (a macrotask), and waits for `lane`'s turn again. */
  async pause(lane: object): Promise<void> {
    this.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await this.acquire(lane);
  }
}

/** A dev provider's request in a client's lane, by provider (registered by `createDevProvider`). */
const LANED = new WeakMap<Eip1193Provider, (args: RequestArguments, lane: object) => Promise<unknown>>();

/** Registers how `provider` runs a request in a client's lane. */
export function registerLanes(provider: Eip1193Provider, request: (args: RequestArguments, lane: object) => Promise<unknown>): void {
  LANED.set(provider, request);
}

/**
 * `provider` as the client `client` (any object: its connection) sees it: a dev provider's
 * requests then take their turns in the client's lane (see `Turns`); any other provider is
 * returned as it is.
 */
export function clientProvider(provider: Eip1193Provider, client: object): Eip1193Provider {
  const laned = LANED.get(provider);
  if (laned === undefined) return provider;
  const own: Eip1193Provider = {
    request: (args) => laned(args, client),
    on(event, listener) {
      provider.on(event, listener);
      return own;
    },
    removeListener(event, listener) {
      provider.removeListener(event, listener);
      return own;
    },
  };
  return own;
}
