// eth_subscribe / eth_unsubscribe for one WebSocket connection: `newHeads` (each mined block's
// header), `logs` (each mined log matching an address/topics filter, in chain order) and
// `newPendingTransactions` (each received transaction's hash), pushed as `eth_subscription`
// notifications.
import { randomBytes } from 'node:crypto';
import { ZkosError } from '../errors.js';
import { type Hex, bytesToHex, show } from '../hex.js';
import { toJson } from '../json.js';
import { type Eip1193Provider, type RequestArguments, ProviderRpcError, RPC_ERRORS, formatBlock, formatLog, toRpcError } from '../provider.js';
import type { ChainEvent, DevChain } from './dev-chain.js';
import type { LogInfo } from '../chain.js';
import { type LogCriteria, logCriteria, matches } from './logs.js';
import { criteriaItems } from './watching.js';
import { clientProvider } from './turns.js';

/** Most subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS = 1_000;
/** EIP-1474's "limit exceeded", as for the node's other bounds (before, a full connection answered -32602). */
const LIMIT_EXCEEDED = -32005;
/** EIP-1193's "disconnected": the connection of the subscription has closed. */
const DISCONNECTED = 4900;
/** Most blocks reported for one mining request (a `mine` of more reports its last ones, whether it mines them in one slice or several). */
export const MAX_BLOCKS_PER_EVENT = 1_000;
/** Bytes of a subscription id. */
const ID_BYTES = 16;

type Subscription = { kind: 'newHeads' } | { kind: 'logs'; criteria: LogCriteria } | { kind: 'newPendingTransactions' };

/** What a mined block's notifications carry, as JSON text: made once for every subscription of every connection. */
class BlockNotice {
  readonly #chain: DevChain;
  readonly #number: bigint;
  #header: string | null | undefined;
  #logs: { log: LogInfo; json: string }[] | undefined;

  constructor(chain: DevChain, number: bigint) {
    this.#chain = chain;
    this.#number = number;
  }

  /** The header fields (the block's JSON-RPC form without transactions, uncles and withdrawals); null for an unknown block. */
  header(): string | null {
    if (this.#header === undefined) {
      const b = this.#chain.engine.getBlock(this.#number);
      if (b === undefined) {
        this.#header = null;
      } else {
        const { transactions: _t, uncles: _u, withdrawals: _w, ...fields } = formatBlock(this.#chain.engine, b, false);
        this.#header = toJson(fields, 0);
      }
    }
    return this.#header;
  }

  /** Every log of the block in chain order, each with its JSON-RPC form. */
  logs(): { log: LogInfo; json: string }[] {
    if (this.#logs === undefined) {
      const engine = this.#chain.engine;
      this.#logs = [];
      for (const hash of engine.getBlock(this.#number)?.transactions ?? []) {
        for (const log of engine.getTransactionReceipt(hash)?.logs ?? []) this.#logs.push({ log, json: toJson(formatLog(log), 0) });
      }
    }
    return this.#logs;
  }
}

/**
 * The notices of a chain event's blocks, shared by the connections it reaches (the chain hands
 * every watcher the same event). Before, each subscription read and formatted each block again:
 * one connection's 1,000 `logs` subscriptions made `anvil_mine 100` take 12 s, and a block of
 * more than 10,000 logs (eth_getLogs' bound) stopped every `logs` notification of its event.
 */
const NOTICES = new WeakMap<ChainEvent, Map<bigint, BlockNotice>>();

function noticeOf(chain: DevChain, event: ChainEvent, number: bigint): BlockNotice {
  let blocks = NOTICES.get(event);
  if (blocks === undefined) NOTICES.set(event, (blocks = new Map()));
  let notice = blocks.get(number);
  if (notice === undefined) blocks.set(number, (notice = new BlockNotice(chain, number)));
  return notice;
}

/** The addresses and topics a subscription keeps. */
function itemsOf(sub: Subscription): number {
  return sub.kind === 'logs' ? criteriaItems(sub.criteria) : 0;
}

/** The subscriptions of one connection; `send` delivers a notification's text. */
export class Subscriptions {
  readonly #chain: DevChain;
  readonly #send: (text: string) => void;
  readonly #subs = new Map<Hex, Subscription>();
  #unwatch: (() => void) | undefined;
  #closed = false;

  constructor(chain: DevChain, send: (text: string) => void) {
    this.#chain = chain;
    this.#send = send;
  }

  /** eth_subscribe: the new subscription's id. */
  subscribe(params: readonly unknown[]): Hex {
    // After `close` nothing would end a new subscription: before, a batch's eth_subscribe that
    // ran after its WebSocket client had gone kept its place among the node's 10,000 for good.
    if (this.#closed) throw new ProviderRpcError(DISCONNECTED, 'eth_subscribe: the connection is closed');
    const [kind, options] = params;
    let sub: Subscription;
    if (kind === 'newHeads' || kind === 'newPendingTransactions') {
      if (options !== undefined && options !== null && options !== false) throw new ZkosError('INVALID_ARGUMENT', `eth_subscribe: ${kind} takes no options (full pending transactions are not sent)`);
      sub = { kind };
    } else if (kind === 'logs') {
      const criteria = logCriteria(options, 'eth_subscribe');
      if (criteria.fromBlock !== undefined || criteria.toBlock !== undefined || criteria.blockHash !== undefined) throw new ZkosError('INVALID_ARGUMENT', 'eth_subscribe: a logs subscription takes address and topics only');
      sub = { kind, criteria };
    } else {
      throw new ZkosError('INVALID_ARGUMENT', `eth_subscribe: unknown subscription ${show(kind)} (newHeads, logs, newPendingTransactions)`);
    }
    if (this.#subs.size >= MAX_SUBSCRIPTIONS) throw new ProviderRpcError(LIMIT_EXCEEDED, `eth_subscribe: at most ${MAX_SUBSCRIPTIONS} subscriptions per connection (eth_unsubscribe frees one)`);
    this.#chain.watching.take(1, itemsOf(sub), 'eth_subscribe');
    const id = bytesToHex(randomBytes(ID_BYTES));
    this.#subs.set(id, sub);
    this.#unwatch ??= this.#chain.watch((e) => this.#on(e));
    return id;
  }

  /** eth_unsubscribe: whether `id` was a subscription of this connection. */
  unsubscribe(id: unknown): boolean {
    const key = typeof id === 'string' ? (id.toLowerCase() as Hex) : undefined;
    const sub = key === undefined ? undefined : this.#subs.get(key);
    if (key !== undefined && sub !== undefined) {
      this.#subs.delete(key);
      this.#chain.watching.give(1, itemsOf(sub));
    }
    if (this.#subs.size === 0) {
      this.#unwatch?.();
      this.#unwatch = undefined;
    }
    return sub !== undefined;
  }

  /** Ends every subscription (the connection closed). */
  close(): void {
    this.#closed = true;
    for (const sub of this.#subs.values()) this.#chain.watching.give(1, itemsOf(sub));
    this.#subs.clear();
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  /** Sends `result` (JSON text) to subscription `id`. */
  #notify(id: Hex, result: string): void {
    this.#send(`{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"${id}","result":${result}}}`);
  }

  #on(event: ChainEvent): void {
    if (event.kind === 'pending') {
      const hash = JSON.stringify(event.hash);
      for (const [id, s] of this.#subs) if (s.kind === 'newPendingTransactions') this.#notify(id, hash);
      return;
    }
    // Blocks of this slice among the request's last MAX_BLOCKS_PER_EVENT (`remaining` come after it).
    const span = BigInt(MAX_BLOCKS_PER_EVENT) - (event.remaining ?? 0n);
    if (span <= 0n) return;
    const first = event.last - event.first + 1n > span ? event.last - span + 1n : event.first;
    for (let n = first; n <= event.last; n++) {
      const notice = noticeOf(this.#chain, event, n);
      for (const [id, s] of this.#subs) {
        if (s.kind === 'newHeads') {
          const head = notice.header();
          if (head !== null) this.#notify(id, head);
        } else if (s.kind === 'logs') {
          for (const { log, json } of notice.logs()) if (matches(log, s.criteria)) this.#notify(id, json);
        }
      }
    }
  }
}

/** Params of a request as an array (absent: empty). */
function paramsOf(args: RequestArguments): readonly unknown[] {
  const given = args.params;
  if (given === undefined || given === null) return [];
  if (!Array.isArray(given)) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${args.method}: params must be an array`);
  return given;
}

/**
 * The provider of one WebSocket connection: eth_subscribe and eth_unsubscribe on its own
 * subscriptions, everything else by `base`. `close` ends the subscriptions.
 */
export function connectionProvider(chain: DevChain, shared: Eip1193Provider, send: (text: string) => void): { provider: Eip1193Provider; close(): void } {
  const subs = new Subscriptions(chain, send);
  // The connection's requests take their turns in a lane of their own (the client's).
  const base = clientProvider(shared, subs);
  const provider: Eip1193Provider = {
    async request(args: RequestArguments): Promise<unknown> {
      const name = args !== null && typeof args === 'object' ? args.method : undefined;
      if (name !== 'eth_subscribe' && name !== 'eth_unsubscribe') return base.request(args);
      try {
        const params = paramsOf(args);
        if (name === 'eth_unsubscribe') {
          if (params.length !== 1) throw new ProviderRpcError(RPC_ERRORS.invalidParams, 'eth_unsubscribe: expected [id]');
          return subs.unsubscribe(params[0]);
        }
        if (params.length < 1 || params.length > 2) throw new ProviderRpcError(RPC_ERRORS.invalidParams, 'eth_subscribe: expected [kind, options?]');
        return subs.subscribe(params);
      } catch (err) {
        throw toRpcError(err);
      }
    },
    on(event, listener) {
      base.on(event, listener);
      return provider;
    },
    removeListener(event, listener) {
      base.removeListener(event, listener);
      return provider;
    },
  };
  return { provider, close: () => subs.close() };
}
