// Public types of fork mode: what can be missing, what comes back, how to reach the node.
import type { Hex, Quantity } from '../hex.js';

/** A piece of the forked chain's state that the engine does not know yet. */
export type ForkKey =
  /** Balance, nonce, code hash and code of an account. */
  | { kind: 'account'; address: Hex }
  /** One storage slot (a 32-byte key, or a quantity). */
  | { kind: 'storage'; address: Hex; slot: Hex | Quantity }
  /** Code by its keccak hash (served from code already fetched with an account). */
  | { kind: 'code'; codeHash: Hex }
  /** The code of an account. */
  | { kind: 'code'; address: Hex }
  /** The hash of a block at or below the fork block. */
  | { kind: 'blockHash'; number: Quantity };

/** An account at the fork block. */
export interface ForkAccount {
  kind: 'account';
  address: Hex;
  balance: bigint;
  nonce: bigint;
  /** keccak256 of `code` (the empty-code hash for an account without code, present or not). */
  codeHash: Hex;
  code: Hex;
  /** Whether the account has non-empty storage (known from `eth_getProof`; absent without it). */
  hasStorage?: boolean;
}

/** A storage slot at the fork block. */
export interface ForkSlot {
  kind: 'storage';
  address: Hex;
  /** The slot key, 0x + 64 hex digits. */
  slot: Hex;
  /** The value, 0x + 64 hex digits. */
  value: Hex;
}

/** Code with its hash. */
export interface ForkCode {
  kind: 'code';
  codeHash: Hex;
  code: Hex;
}

/** The hash of an earlier block. */
export interface ForkBlockHash {
  kind: 'blockHash';
  number: bigint;
  hash: Hex;
}

/** The answer to a `ForkKey`, same `kind`. */
export type ForkValue = ForkAccount | ForkSlot | ForkCode | ForkBlockHash;

/** The pinned fork block's header: what the engine's first new block builds on. */
export interface ForkBlock {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  stateRoot: Hex;
  timestamp: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  /** EIP-1559 base fee; absent before London. */
  baseFeePerGas?: bigint;
  /** EIP-4844 blob gas used; absent before Cancun. */
  blobGasUsed?: bigint;
  /** EIP-4844 excess blob gas; absent before Cancun. */
  excessBlobGas?: bigint;
  /** The block's coinbase (`miner`). */
  miner: Hex;
  /** `mixHash`: the beacon chain's prevrandao after the merge. */
  mixHash: Hex;
  difficulty: bigint;
}

/** The smallest EIP-1193 provider: `request` resolves with the result or rejects with `{ code, message }`. */
export interface ForkProvider {
  request(args: { method: string; params?: readonly unknown[] }): Promise<unknown>;
}

/** A store that outlives the engine (a directory in Node, IndexedDB in browsers). */
export interface ForkCache {
  /** The values stored under `scope` for these keys; missing keys are absent from the map. */
  get(scope: string, keys: readonly string[]): Promise<Map<string, string>>;
  /** Stores values under `scope`. */
  put(scope: string, entries: ReadonlyMap<string, string>): Promise<void>;
}

/** Where and how to fetch the forked chain's state. Give `url` or `provider`. */
export interface ForkOptions {
  /** An HTTP(S) JSON-RPC endpoint; calls go in JSON-RPC batches. */
  url?: string;
  /** Any EIP-1193 provider; calls go one per request, up to `maxConcurrency` at once. */
  provider?: ForkProvider;
  /** The block to fork from: a number or a tag (default `latest`, pinned to its number at creation). */
  blockNumber?: Quantity | 'latest' | 'safe' | 'finalized';
  /**
   * The block to fork from by its hash (EIP-1898 style), instead of `blockNumber`: the node's
   * block at that hash must hash to it (with `verify`, its header is checked against it).
   */
  blockHash?: Hex;
  /** Chain id; asked from the node when omitted. */
  chainId?: Quantity;
  /** Time allowed for one request (HTTP POST or provider call), in ms (default 10,000). */
  timeoutMs?: number;
  /** Times a failed request is sent again: timeouts, network errors, HTTP 408/429/5xx, JSON-RPC -32005 (default 3). */
  retries?: number;
  /** Delay before the first retry, in ms, doubled for each further one (default 200). */
  retryDelayMs?: number;
  /** Longest delay between two tries, in ms, also the cap on a `Retry-After` (default 5,000). */
  maxRetryDelayMs?: number;
  /** Most calls in one JSON-RPC batch (default 100); larger sets are split. */
  maxBatchSize?: number;
  /** Most requests in flight at once (default 4). */
  maxConcurrency?: number;
  /** Most storage keys asked in one `eth_getProof` (default 50). */
  maxProofSlots?: number;
  /**
   * `eth_getProof` for accounts and slots: `auto` (default) uses it and falls back to plain reads
   * once the node says it lacks the method, `never` always uses plain reads, `always` never falls back.
   */
  proofs?: 'auto' | 'always' | 'never';
  /**
   * Verify what the node sends (default `true`): the pinned block's header against its hash,
   * every `eth_getProof` answer against the header's state root, code against the proven code
   * hash, each block of the forked chain served (history) against its hash. A mismatch is
   * `FORK_PROOF_MISMATCH`. Plain reads cannot be verified: with `verify`
   * on, `proofs: 'never'` is refused and `auto` does not fall back. `false` trusts the node
   * (chains whose headers or state trees are not Ethereum's, e.g. ZKsync chains).
   */
  verify?: boolean;
  /** Extra HTTP headers (e.g. an API key). */
  headers?: Record<string, string>;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
  /** A persistent cache shared by engines and processes (keyed by chain id and fork block). */
  cache?: ForkCache;
}

/** Counters of a fetcher's work since creation or the last `resetStats()`. */
export interface ForkStats {
  /** Waves of requests the fetcher waited on (retries are counted apart, in `retries`). */
  roundTrips: number;
  /** HTTP POSTs or provider calls, retries included. */
  requests: number;
  /** JSON-RPC calls sent, retries included. */
  calls: number;
  /** Requests sent again after a timeout, a network error, a rate limit or a server error. */
  retries: number;
  /** Keys answered by the node. */
  keysFetched: number;
  /** Keys answered by the persistent cache. */
  keysFromCache: number;
  /** Keys answered from the fetcher's memory. */
  memoryHits: number;
  /** Characters of HTTP response bodies. */
  bytesReceived: number;
  /** Persistent-cache reads or writes that failed or held unreadable entries (treated as misses). */
  cacheErrors: number;
}
