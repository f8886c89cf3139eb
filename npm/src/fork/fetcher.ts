// The fork fetcher: answers missing keys (accounts, slots, code, block hashes) at one pinned block
// of a real chain, in as few round trips as the node allows, each value fetched once.
import { ZkosError } from '../errors.js';
import { type Hex, describe, hexToBytes, toAddress, toQuantityHex, toU64, toWord } from '../hex.js';
import { badResponse, bytes, excerpt, fixedBytes, list, quantity, quantity64, record, word } from './decode.js';
import { keccak256 } from './keccak.js';
import { HttpTransport, ProviderTransport, type RpcCall, type RpcErrorObject, type RpcOutcome, type RpcTransport, type TransportPolicy } from './transport.js';
import type { ForkBlock, ForkCache, ForkKey, ForkOptions, ForkStats, ForkValue } from './types.js';

/** keccak256 of no bytes: the code hash of an account without code. */
export const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470' as Hex;
/** keccak256(rlp("")): the storage root of an account without storage. */
const EMPTY_TRIE_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
/** Some nodes report a zero code hash and storage root for an account that does not exist. */
const ZERO_HASH = '0x' + '0'.repeat(64);

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_DELAY_MS = 200;
const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;
const DEFAULT_MAX_BATCH_SIZE = 100;
const DEFAULT_MAX_CONCURRENCY = 4;
const DEFAULT_MAX_PROOF_SLOTS = 50;

/** JSON-RPC "method not found" (JSON-RPC 2.0), "method not supported" (EIP-1474), "unsupported method" (EIP-1193). */
const METHOD_MISSING_CODES = [-32601, -32004, 4200];
/** Nodes that use another code still say so in words (and name the method: a "header not found" is no such answer). */
const METHOD_MISSING_RE = /not (supported|found|available|implemented)|unsupported|does not exist/i;
const NAMES_METHOD_RE = /method|eth_getProof/i;

/** A key, checked and in canonical form. `asCode` asks an account's code rather than the account. */
type Want =
  | { kind: 'account'; address: Hex; asCode: boolean }
  | { kind: 'storage'; address: Hex; slot: Hex }
  | { kind: 'code'; codeHash: Hex }
  | { kind: 'blockHash'; number: bigint };

interface StoredAccount {
  balance: bigint;
  nonce: bigint;
  codeHash: Hex;
  hasStorage?: boolean;
}

/** State values by kind: the fetcher's memory, or what one fetch gathers before it commits. */
class Values {
  readonly accounts = new Map<Hex, StoredAccount>();
  readonly codes = new Map<Hex, Hex>();
  /** `address:slot` → value. */
  readonly slots = new Map<string, Hex>();
  readonly blockHashes = new Map<bigint, Hex>();

  has(w: Want): boolean {
    switch (w.kind) {
      case 'account':
        return this.accounts.has(w.address);
      case 'storage':
        return this.slots.has(slotId(w.address, w.slot));
      case 'code':
        return w.codeHash === EMPTY_CODE_HASH || this.codes.has(w.codeHash);
      case 'blockHash':
        return this.blockHashes.has(w.number);
    }
  }

  /** Copies every value of `other` into this one. */
  absorb(other: Values): void {
    for (const [k, v] of other.accounts) this.accounts.set(k, v);
    for (const [k, v] of other.codes) this.codes.set(k, v);
    for (const [k, v] of other.slots) this.slots.set(k, v);
    for (const [k, v] of other.blockHashes) this.blockHashes.set(k, v);
  }
}

function slotId(address: Hex, slot: Hex): string {
  return `${address}:${slot}`;
}

/** The cache key of a want: `a:` accounts (and their code), `s:` slots, `c:` code by hash, `h:` block hashes. */
function idOf(w: Want): string {
  switch (w.kind) {
    case 'account':
      return `a:${w.address}`;
    case 'storage':
      return `s:${slotId(w.address, w.slot)}`;
    case 'code':
      return `c:${w.codeHash}`;
    case 'blockHash':
      return `h:${w.number}`;
  }
}

/** Checks a user's key; block hashes only at or below the fork block. */
function wantOf(key: ForkKey, what: string, forkNumber: bigint): Want {
  if (key === null || typeof key !== 'object') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a key object, got ${describe(key)}`);
  const k = key as { kind?: unknown; address?: unknown; slot?: unknown; codeHash?: unknown; number?: unknown };
  switch (k.kind) {
    case 'account':
      return { kind: 'account', address: toAddress(k.address, `${what}.address`), asCode: false };
    case 'storage':
      return { kind: 'storage', address: toAddress(k.address, `${what}.address`), slot: toWord(k.slot, `${what}.slot`) };
    case 'code':
      if (k.codeHash !== undefined) return { kind: 'code', codeHash: toWord(k.codeHash, `${what}.codeHash`) };
      return { kind: 'account', address: toAddress(k.address, `${what}.address`), asCode: true };
    case 'blockHash': {
      const number = toU64(k.number, `${what}.number`);
      if (number > forkNumber) throw new ZkosError('INVALID_ARGUMENT', `${what}: block ${number} is above the fork block ${forkNumber}`);
      return { kind: 'blockHash', number };
    }
    default:
      throw new ZkosError('INVALID_ARGUMENT', `${what}.kind: expected account, storage, code or blockHash, got ${excerpt(k.kind)}`);
  }
}

/** The result of a call, or the node's refusal as FORK_UNAVAILABLE. */
function resultOf(outcome: RpcOutcome | undefined, method: string): unknown {
  if (outcome === undefined) throw badResponse(method, 'missing answer');
  if ('error' in outcome) throw nodeRefused(method, outcome.error);
  return outcome.result;
}

function nodeRefused(method: string, error: RpcErrorObject): ZkosError {
  return new ZkosError('FORK_UNAVAILABLE', `fork: the node could not answer ${method}: ${error.message} (${error.code})`, { method, rpcError: error });
}

function isMethodMissing(error: RpcErrorObject): boolean {
  return METHOD_MISSING_CODES.includes(error.code) || (NAMES_METHOD_RE.test(error.message) && METHOD_MISSING_RE.test(error.message));
}

/** Code checked against the hash the node gave (zero or empty hash for no code). */
function checkedCode(code: Hex, claimedHash: Hex | undefined, what: string): Hex {
  const hash = code === '0x' ? EMPTY_CODE_HASH : keccak256(hexToBytes(code));
  if (claimedHash === undefined || claimedHash === hash) return hash;
  if (code === '0x' && claimedHash === ZERO_HASH) return hash;
  throw badResponse(what, `code hash ${claimedHash} does not match the code (keccak ${hash})`);
}

function parseHeader(value: unknown, what: string): ForkBlock {
  const h = record(value, what);
  const block: ForkBlock = {
    number: quantity64(h.number, `${what}.number`),
    hash: fixedBytes(h.hash, 32, `${what}.hash`),
    parentHash: fixedBytes(h.parentHash, 32, `${what}.parentHash`),
    stateRoot: fixedBytes(h.stateRoot, 32, `${what}.stateRoot`),
    timestamp: quantity64(h.timestamp, `${what}.timestamp`),
    gasLimit: quantity64(h.gasLimit, `${what}.gasLimit`),
    gasUsed: quantity64(h.gasUsed, `${what}.gasUsed`),
    miner: fixedBytes(h.miner, 20, `${what}.miner`),
    mixHash: fixedBytes(h.mixHash, 32, `${what}.mixHash`),
    difficulty: quantity(h.difficulty ?? '0x0', `${what}.difficulty`),
  };
  if (h.baseFeePerGas !== undefined && h.baseFeePerGas !== null) block.baseFeePerGas = quantity(h.baseFeePerGas, `${what}.baseFeePerGas`);
  return block;
}

/** One unit of a wave: its calls and how to read their outcomes into the staged values. */
interface Job {
  calls: RpcCall[];
  /** Reads the outcomes; returns false when the node lacks `eth_getProof` and the job must be redone with plain reads. */
  read(outcomes: RpcOutcome[], into: Values): boolean;
  /** What a redo with plain reads needs. */
  account?: Hex;
  slots?: { address: Hex; slots: Hex[] };
}

function positiveInt(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ZkosError('INVALID_ARGUMENT', `fork.${name}: expected an integer ≥ ${min}, got ${excerpt(value)}`);
  }
  return value;
}

function newStats(): ForkStats {
  return { roundTrips: 0, requests: 0, calls: 0, retries: 0, keysFetched: 0, keysFromCache: 0, memoryHits: 0, bytesReceived: 0, cacheErrors: 0 };
}

/** Fetches state of a forked chain at one pinned block. Create it with `createForkFetcher`. */
export class ForkFetcher {
  private readonly memory = new Values();
  private readonly inflight = new Map<string, Promise<void>>();
  /** Whether the node answers `eth_getProof`: unknown until the first answer in `auto` mode. */
  private proofSupport: boolean | undefined;
  private readonly tag: Hex;

  private constructor(
    /** The chain id (given, or the node's). */
    readonly chainId: bigint,
    /** The pinned fork block. */
    readonly block: ForkBlock,
    /** The persistent-cache scope: chain id, fork block number and hash. */
    readonly scope: string,
    private readonly transport: RpcTransport,
    private readonly counters: ForkStats,
    private readonly proofs: 'auto' | 'always' | 'never',
    private readonly maxProofSlots: number,
    private readonly cache: ForkCache | undefined,
  ) {
    this.tag = toQuantityHex(block.number);
    if (proofs !== 'auto') this.proofSupport = proofs === 'always';
    this.memory.codes.set(EMPTY_CODE_HASH, '0x');
    this.memory.blockHashes.set(block.number, block.hash);
    if (block.number > 0n) this.memory.blockHashes.set(block.number - 1n, block.parentHash);
  }

  /** Connects to the node and pins the fork block (one round trip). */
  static async create(options: ForkOptions): Promise<ForkFetcher> {
    if (options === null || typeof options !== 'object') throw new ZkosError('INVALID_ARGUMENT', 'fork: expected { url } or { provider }');
    const policy: TransportPolicy = {
      timeoutMs: positiveInt(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
      retries: positiveInt(options.retries, 'retries', DEFAULT_RETRIES, 0),
      retryDelayMs: positiveInt(options.retryDelayMs, 'retryDelayMs', DEFAULT_RETRY_DELAY_MS, 0),
      maxRetryDelayMs: positiveInt(options.maxRetryDelayMs, 'maxRetryDelayMs', DEFAULT_MAX_RETRY_DELAY_MS, 0),
      maxBatchSize: positiveInt(options.maxBatchSize, 'maxBatchSize', DEFAULT_MAX_BATCH_SIZE),
      maxConcurrency: positiveInt(options.maxConcurrency, 'maxConcurrency', DEFAULT_MAX_CONCURRENCY),
    };
    const maxProofSlots = positiveInt(options.maxProofSlots, 'maxProofSlots', DEFAULT_MAX_PROOF_SLOTS);
    const proofs = options.proofs ?? 'auto';
    if (proofs !== 'auto' && proofs !== 'always' && proofs !== 'never') throw new ZkosError('INVALID_ARGUMENT', `fork.proofs: expected auto, always or never, got ${excerpt(proofs)}`);
    const counters = newStats();
    const transport = ForkFetcher.transportOf(options, policy, counters);
    const tag = ForkFetcher.blockTag(options.blockNumber);
    const givenChainId = options.chainId === undefined ? undefined : toU64(options.chainId, 'fork.chainId');

    const calls: RpcCall[] = [{ method: 'eth_getBlockByNumber', params: [tag, false] }];
    if (givenChainId === undefined) calls.push({ method: 'eth_chainId', params: [] });
    counters.roundTrips++;
    const outcomes = await transport.send(calls);
    const header = resultOf(outcomes[0], 'eth_getBlockByNumber');
    if (header === null) throw new ZkosError('NOT_FOUND', `fork: the node has no block ${tag}`);
    const block = parseHeader(header, 'eth_getBlockByNumber');
    if (tag.startsWith('0x') && block.number !== BigInt(tag)) throw badResponse('eth_getBlockByNumber', `asked block ${BigInt(tag)}, got ${block.number}`);
    const chainId = givenChainId ?? quantity64(resultOf(outcomes[1], 'eth_chainId'), 'eth_chainId');
    return new ForkFetcher(chainId, block, `${chainId}-${block.number}-${block.hash}`, transport, counters, proofs, maxProofSlots, options.cache);
  }

  private static transportOf(options: ForkOptions, policy: TransportPolicy, counters: ForkStats): RpcTransport {
    const { url, provider } = options;
    if ((url === undefined) === (provider === undefined)) throw new ZkosError('INVALID_ARGUMENT', 'fork: give exactly one of `url` and `provider`');
    if (provider !== undefined) {
      if (provider === null || typeof provider.request !== 'function') throw new ZkosError('INVALID_ARGUMENT', 'fork.provider: expected an EIP-1193 provider (an object with `request`)');
      return new ProviderTransport(provider, policy, counters);
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(String(url));
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new ZkosError('INVALID_ARGUMENT', `fork.url: expected an http(s) URL, got ${excerpt(url)}`);
    const http: { headers?: Record<string, string>; fetch?: typeof globalThis.fetch } = {};
    if (options.headers !== undefined) http.headers = options.headers;
    if (options.fetch !== undefined) http.fetch = options.fetch;
    return new HttpTransport(String(url), policy, counters, http);
  }

  private static blockTag(blockNumber: ForkOptions['blockNumber']): string {
    if (blockNumber === undefined || blockNumber === 'latest' || blockNumber === 'safe' || blockNumber === 'finalized') return blockNumber ?? 'latest';
    return toQuantityHex(toU64(blockNumber, 'fork.blockNumber'));
  }

  /** Counters since creation or the last `resetStats()`. */
  stats(): ForkStats {
    return { ...this.counters };
  }

  /** Sets every counter to zero. */
  resetStats(): void {
    Object.assign(this.counters, newStats());
  }

  /** The value of `key` if it is already in memory (no I/O). */
  peek(key: ForkKey): ForkValue | undefined {
    const want = wantOf(key, 'key', this.block.number);
    return this.memory.has(want) ? this.valueOf(want) : undefined;
  }

  /**
   * The values of `keys` at the fork block, in order. Keys in memory cost nothing; the others come
   * from the persistent cache or the node (one round trip, two the first time a node turns out to
   * lack `eth_getProof`). On any failure nothing of this call is kept and the error is thrown.
   */
  async fetch(keys: readonly ForkKey[]): Promise<ForkValue[]> {
    if (!Array.isArray(keys)) throw new ZkosError('INVALID_ARGUMENT', `keys: expected an array, got ${describe(keys)}`);
    const wants = keys.map((key, i) => wantOf(key, `keys[${i}]`, this.block.number));
    const missing = new Map<string, Want>();
    const running = new Set<Promise<void>>();
    const seen = new Set<string>();
    for (const want of wants) {
      const id = idOf(want);
      if (seen.has(id)) continue;
      seen.add(id);
      const inflight = this.inflight.get(id);
      if (this.memory.has(want)) this.counters.memoryHits++;
      else if (inflight !== undefined) running.add(inflight);
      else missing.set(id, want);
    }
    if (missing.size > 0) {
      const job = this.load([...missing.values()]);
      for (const id of missing.keys()) this.inflight.set(id, job);
      running.add(job);
      job.then(
        () => this.settle(missing.keys(), job),
        () => this.settle(missing.keys(), job),
      );
    }
    await Promise.all(running);
    return wants.map((want) => this.valueOf(want));
  }

  private settle(ids: Iterable<string>, job: Promise<void>): void {
    for (const id of ids) if (this.inflight.get(id) === job) this.inflight.delete(id);
  }

  private valueOf(w: Want): ForkValue {
    switch (w.kind) {
      case 'account': {
        const a = this.memory.accounts.get(w.address);
        const code = a === undefined ? undefined : this.memory.codes.get(a.codeHash);
        if (a === undefined || code === undefined) throw new ZkosError('ENGINE_ERROR', `fork: account ${w.address} missing after fetch`);
        if (w.asCode) return { kind: 'code', codeHash: a.codeHash, code };
        return { kind: 'account', address: w.address, balance: a.balance, nonce: a.nonce, codeHash: a.codeHash, code, ...(a.hasStorage === undefined ? {} : { hasStorage: a.hasStorage }) };
      }
      case 'storage': {
        const value = this.memory.slots.get(slotId(w.address, w.slot));
        if (value === undefined) throw new ZkosError('ENGINE_ERROR', `fork: slot ${w.slot} of ${w.address} missing after fetch`);
        return { kind: 'storage', address: w.address, slot: w.slot, value };
      }
      case 'code': {
        const code = this.memory.codes.get(w.codeHash);
        if (code === undefined) throw new ZkosError('ENGINE_ERROR', `fork: code ${w.codeHash} missing after fetch`);
        return { kind: 'code', codeHash: w.codeHash, code };
      }
      case 'blockHash': {
        const hash = this.memory.blockHashes.get(w.number);
        if (hash === undefined) throw new ZkosError('ENGINE_ERROR', `fork: hash of block ${w.number} missing after fetch`);
        return { kind: 'blockHash', number: w.number, hash };
      }
    }
  }

  /** Gathers the wants from the persistent cache and the node, then commits them all at once. */
  private async load(wants: Want[]): Promise<void> {
    const staged = new Values();
    const rest = await this.fromCache(wants, staged);
    const fresh = new Values();
    const fromNode = rest.filter((w) => w.kind !== 'code');
    if (fromNode.length > 0) await this.fromNode(fromNode, fresh);
    for (const w of rest) {
      if (w.kind === 'code' && !this.memory.has(w) && !staged.has(w) && !fresh.has(w)) {
        throw new ZkosError('INVALID_ARGUMENT', `fork: code hash ${w.codeHash} belongs to no account fetched so far; ask for the account or { kind: 'code', address }`);
      }
    }
    this.counters.keysFetched += fromNode.length;
    this.memory.absorb(staged);
    this.memory.absorb(fresh);
    await this.persist(fresh);
  }

  /** Moves the wants found in the persistent cache into `into`; returns the others. */
  private async fromCache(wants: Want[], into: Values): Promise<Want[]> {
    if (this.cache === undefined) return wants;
    const found = await this.cacheGet(wants.map(idOf));
    const codeIds: string[] = [];
    const accounts = new Map<Hex, StoredAccount>();
    for (const w of wants) {
      const text = found.get(idOf(w));
      if (w.kind !== 'account' || text === undefined) continue;
      const account = this.decodeCached(() => decodeAccount(text));
      if (account === undefined) continue;
      accounts.set(w.address, account);
      if (account.codeHash !== EMPTY_CODE_HASH) codeIds.push(`c:${account.codeHash}`);
    }
    const codes = codeIds.length === 0 ? new Map<string, string>() : await this.cacheGet(codeIds);
    const rest: Want[] = [];
    for (const w of wants) {
      const text = found.get(idOf(w));
      let hit = false;
      if (w.kind === 'account') {
        const account = accounts.get(w.address);
        const codeText = account === undefined || account.codeHash === EMPTY_CODE_HASH ? '0x' : codes.get(`c:${account.codeHash}`);
        const code = account === undefined || codeText === undefined ? undefined : this.decodeCached(() => decodeCode(codeText, account.codeHash));
        if (account !== undefined && code !== undefined) {
          into.accounts.set(w.address, account);
          into.codes.set(account.codeHash, code);
          hit = true;
        }
      } else if (text !== undefined) {
        hit = this.decodeCached(() => {
          if (w.kind === 'storage') into.slots.set(slotId(w.address, w.slot), word(text, 'cached slot'));
          else if (w.kind === 'code') into.codes.set(w.codeHash, decodeCode(text, w.codeHash));
          else into.blockHashes.set(w.number, fixedBytes(text, 32, 'cached block hash'));
          return true;
        }) ?? false;
      }
      if (hit) this.counters.keysFromCache++;
      else rest.push(w);
    }
    return rest;
  }

  private async cacheGet(ids: string[]): Promise<Map<string, string>> {
    try {
      return await (this.cache as ForkCache).get(this.scope, ids);
    } catch {
      this.counters.cacheErrors++;
      return new Map();
    }
  }

  /** Runs `f`; an unreadable cache entry counts as an error and a miss. */
  private decodeCached<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch {
      this.counters.cacheErrors++;
      return undefined;
    }
  }

  private async persist(fresh: Values): Promise<void> {
    if (this.cache === undefined) return;
    const entries = new Map<string, string>();
    for (const [address, a] of fresh.accounts) entries.set(`a:${address}`, encodeAccount(a));
    for (const [hash, code] of fresh.codes) if (hash !== EMPTY_CODE_HASH) entries.set(`c:${hash}`, code);
    for (const [id, value] of fresh.slots) entries.set(`s:${id}`, value);
    for (const [number, hash] of fresh.blockHashes) entries.set(`h:${number}`, hash);
    if (entries.size === 0) return;
    try {
      await this.cache.put(this.scope, entries);
    } catch {
      this.counters.cacheErrors++;
    }
  }

  /** Fetches accounts, slots and block hashes from the node into `into`. */
  private async fromNode(wants: Want[], into: Values): Promise<void> {
    const accounts = new Set<Hex>();
    const slots = new Map<Hex, Hex[]>();
    const numbers: bigint[] = [];
    for (const w of wants) {
      if (w.kind === 'account') accounts.add(w.address);
      else if (w.kind === 'storage') slots.set(w.address, [...(slots.get(w.address) ?? []), w.slot]);
      else if (w.kind === 'blockHash') numbers.push(w.number);
    }
    const redo = await this.wave(this.plan(accounts, slots, numbers, this.proofSupport !== false), into);
    if (redo.accounts.size + redo.slots.size > 0) {
      this.proofSupport = false;
      await this.wave(this.plan(redo.accounts, redo.slots, [], false), into);
    }
  }

  /** The calls that fetch these accounts, slots and block hashes. */
  private plan(accounts: Set<Hex>, slots: Map<Hex, Hex[]>, numbers: bigint[], proofs: boolean): Job[] {
    const jobs: Job[] = [];
    if (proofs) {
      for (const address of new Set([...accounts, ...slots.keys()])) {
        const all = slots.get(address) ?? [];
        for (let i = 0; i === 0 || i < all.length; i += this.maxProofSlots) {
          jobs.push(this.proofJob(address, all.slice(i, i + this.maxProofSlots), i === 0 && accounts.has(address)));
        }
      }
    } else {
      for (const address of accounts) jobs.push(this.accountJob(address));
      for (const [address, list] of slots) for (const slot of list) jobs.push(this.slotJob(address, slot));
    }
    for (const number of numbers) jobs.push(this.blockHashJob(number));
    return jobs;
  }

  /** Sends all jobs' calls in one round trip and reads them; returns what must be redone without proofs. */
  private async wave(jobs: Job[], into: Values): Promise<{ accounts: Set<Hex>; slots: Map<Hex, Hex[]> }> {
    const redo = { accounts: new Set<Hex>(), slots: new Map<Hex, Hex[]>() };
    if (jobs.length === 0) return redo;
    this.counters.roundTrips++;
    const outcomes = await this.transport.send(jobs.flatMap((j) => j.calls));
    let offset = 0;
    for (const job of jobs) {
      const mine = outcomes.slice(offset, offset + job.calls.length);
      offset += job.calls.length;
      if (job.read(mine, into)) continue;
      if (job.account !== undefined) redo.accounts.add(job.account);
      if (job.slots !== undefined && job.slots.slots.length > 0) {
        redo.slots.set(job.slots.address, [...(redo.slots.get(job.slots.address) ?? []), ...job.slots.slots]);
      }
    }
    return redo;
  }

  /** `eth_getProof` for the slots (and the account, with `eth_getCode` beside it). */
  private proofJob(address: Hex, slots: Hex[], withAccount: boolean): Job {
    const calls: RpcCall[] = [{ method: 'eth_getProof', params: [address, slots, this.tag] }];
    if (withAccount) calls.push({ method: 'eth_getCode', params: [address, this.tag] });
    const job: Job = {
      calls,
      slots: { address, slots },
      read: (outcomes, into) => {
        const first = outcomes[0];
        if (first !== undefined && 'error' in first && this.proofs === 'auto' && isMethodMissing(first.error)) return false;
        const what = `eth_getProof(${address})`;
        const proof = record(resultOf(first, 'eth_getProof'), what);
        if (fixedBytes(proof.address, 20, `${what}.address`) !== address) throw badResponse(what, `answered for ${excerpt(proof.address)}`);
        list(proof.accountProof, `${what}.accountProof`);
        if (withAccount) {
          const storageHash = fixedBytes(proof.storageHash, 32, `${what}.storageHash`);
          const code = bytes(resultOf(outcomes[1], 'eth_getCode'), `eth_getCode(${address})`);
          const codeHash = checkedCode(code, fixedBytes(proof.codeHash, 32, `${what}.codeHash`), what);
          into.accounts.set(address, {
            balance: quantity(proof.balance, `${what}.balance`),
            nonce: quantity64(proof.nonce, `${what}.nonce`),
            codeHash,
            hasStorage: storageHash !== EMPTY_TRIE_ROOT && storageHash !== ZERO_HASH,
          });
          into.codes.set(codeHash, code);
        }
        const entries = list(proof.storageProof, `${what}.storageProof`);
        if (entries.length !== slots.length) throw badResponse(what, `asked ${slots.length} slots, got ${entries.length} proofs`);
        const byKey = new Map<bigint, Hex>();
        entries.forEach((entry, i) => {
          const e = record(entry, `${what}.storageProof[${i}]`);
          byKey.set(quantity(e.key, `${what}.storageProof[${i}].key`), word(e.value, `${what}.storageProof[${i}].value`));
        });
        for (const slot of slots) {
          const value = byKey.get(BigInt(slot));
          if (value === undefined) throw badResponse(what, `no proof for slot ${slot}`);
          into.slots.set(slotId(address, slot), value);
        }
        return true;
      },
    };
    if (withAccount) job.account = address;
    return job;
  }

  /** Balance, nonce and code by plain reads (the code hash is computed). */
  private accountJob(address: Hex): Job {
    return {
      calls: [
        { method: 'eth_getBalance', params: [address, this.tag] },
        { method: 'eth_getTransactionCount', params: [address, this.tag] },
        { method: 'eth_getCode', params: [address, this.tag] },
      ],
      read: (outcomes, into) => {
        const balance = quantity(resultOf(outcomes[0], 'eth_getBalance'), `eth_getBalance(${address})`);
        const nonce = quantity64(resultOf(outcomes[1], 'eth_getTransactionCount'), `eth_getTransactionCount(${address})`);
        const code = bytes(resultOf(outcomes[2], 'eth_getCode'), `eth_getCode(${address})`);
        const codeHash = checkedCode(code, undefined, `eth_getCode(${address})`);
        into.accounts.set(address, { balance, nonce, codeHash });
        into.codes.set(codeHash, code);
        return true;
      },
    };
  }

  private slotJob(address: Hex, slot: Hex): Job {
    return {
      calls: [{ method: 'eth_getStorageAt', params: [address, slot, this.tag] }],
      read: (outcomes, into) => {
        into.slots.set(slotId(address, slot), word(resultOf(outcomes[0], 'eth_getStorageAt'), `eth_getStorageAt(${address}, ${slot})`));
        return true;
      },
    };
  }

  private blockHashJob(number: bigint): Job {
    return {
      calls: [{ method: 'eth_getBlockByNumber', params: [toQuantityHex(number), false] }],
      read: (outcomes, into) => {
        const what = `eth_getBlockByNumber(${number})`;
        const result = resultOf(outcomes[0], 'eth_getBlockByNumber');
        if (result === null) throw badResponse(what, `the node has no block ${number}, below the fork block ${this.block.number}`);
        const block = record(result, what);
        if (quantity64(block.number, `${what}.number`) !== number) throw badResponse(what, `answered block ${excerpt(block.number)}`);
        into.blockHashes.set(number, fixedBytes(block.hash, 32, `${what}.hash`));
        return true;
      },
    };
  }
}

function encodeAccount(a: StoredAccount): string {
  return JSON.stringify([toQuantityHex(a.balance), toQuantityHex(a.nonce), a.codeHash, a.hasStorage ?? null]);
}

function decodeAccount(text: string): StoredAccount {
  const v = list(JSON.parse(text), 'cached account');
  const account: StoredAccount = {
    balance: quantity(v[0], 'cached balance'),
    nonce: quantity64(v[1], 'cached nonce'),
    codeHash: fixedBytes(v[2], 32, 'cached code hash'),
  };
  if (typeof v[3] === 'boolean') account.hasStorage = v[3];
  return account;
}

function decodeCode(text: string, codeHash: Hex): Hex {
  const code = bytes(text, 'cached code');
  checkedCode(code, codeHash, 'cached code');
  return code;
}

/** Connects to a node and pins the fork block: `{ url }` (JSON-RPC batches over HTTP) or `{ provider }` (EIP-1193). */
export function createForkFetcher(options: ForkOptions): Promise<ForkFetcher> {
  return ForkFetcher.create(options);
}
