// The fork fetcher: answers missing keys (accounts, slots, code, block hashes) at one pinned block
// of a real chain, in as few round trips as the node allows, each value fetched once.
import { ZkosError } from '../errors.js';
import { type Hex, describe, toQuantityHex, toU64 } from '../hex.js';
import { badResponse, excerpt, fixedBytes, quantity64, word } from './decode.js';
import { type BlockRef, type Job, type JobContext, accountJob, blockGone, blockHashJob, linkedHashesJob, parseHeader, pinCheckJob, proofJob, resultOf, slotJob } from './jobs.js';
import { HttpTransport, ProviderTransport, type RpcCall, type RpcErrorObject, type RpcOutcome, type RpcTransport, type TransportPolicy } from './transport.js';
import type { ForkBlock, ForkCache, ForkKey, ForkOptions, ForkStats, ForkValue } from './types.js';
import { type ForkVerifier, forkVerifier } from './verify.js';
import { EMPTY_CODE_HASH, type StoredAccount, Values, type Want, decodeAccount, decodeCode, encodeAccount, idOf, slotId, wantOf } from './values.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_DELAY_MS = 200;
const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;
const DEFAULT_MAX_BATCH_SIZE = 100;
const DEFAULT_MAX_CONCURRENCY = 4;
const DEFAULT_MAX_PROOF_SLOTS = 50;
/** JSON-RPC "limit exceeded" (EIP-1474), a rate limit: retried by the transport, never a refusal of the params. */
const RATE_LIMITED = -32005;
/** Most headers a verified block hash is chained through: BLOCKHASH sees 256 blocks back. */
const MAX_LINKED_HEADERS = 256n;

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
  private readonly jobs: JobContext;

  private constructor(
    /** The chain id (given, or the node's). */
    readonly chainId: bigint,
    /** The pinned fork block. */
    readonly block: ForkBlock,
    /** The persistent-cache scope: chain id, fork block number and hash, and whether values are verified. */
    readonly scope: string,
    private readonly transport: RpcTransport,
    private readonly counters: ForkStats,
    proofs: 'auto' | 'always' | 'never',
    private readonly maxProofSlots: number,
    private readonly cache: ForkCache | undefined,
    verifier: ForkVerifier | undefined,
  ) {
    // Reads name the pin by its hash (EIP-1898), so a reorg at its height is never read through.
    this.jobs = { tag: { blockHash: block.hash }, forkNumber: block.number, fallBackWithoutProofs: proofs === 'auto' && verifier === undefined, verifier, stateRoot: block.stateRoot };
    if (proofs !== 'auto') this.proofSupport = proofs === 'always';
    this.memory.codes.set(EMPTY_CODE_HASH, '0x');
    this.memory.blockHashes.set(block.number, block.hash);
    if (block.number > 0n) this.memory.blockHashes.set(block.number - 1n, block.parentHash);
  }

  /** The checks of the node's answers when created with `verify`, else undefined. */
  get verifier(): ForkVerifier | undefined {
    return this.jobs.verifier;
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
    const verify = options.verify ?? true;
    if (typeof verify !== 'boolean') throw new ZkosError('INVALID_ARGUMENT', `fork.verify: expected a boolean, got ${excerpt(verify)}`);
    if (verify && proofs === 'never') throw new ZkosError('INVALID_ARGUMENT', "fork: plain reads (proofs: 'never') cannot be verified; pass verify: false to trust the node");
    const verifier = verify ? await forkVerifier() : undefined;
    const counters = newStats();
    const transport = ForkFetcher.transportOf(options, policy, counters);
    const byHash = options.blockHash;
    if (byHash !== undefined && (typeof byHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(byHash))) throw new ZkosError('INVALID_ARGUMENT', `fork.blockHash: expected a 32-byte hex hash, got ${excerpt(byHash)}`);
    if (byHash !== undefined && options.blockNumber !== undefined) throw new ZkosError('INVALID_ARGUMENT', 'fork: give blockNumber or blockHash, not both');
    const tag = byHash === undefined ? ForkFetcher.blockTag(options.blockNumber) : (byHash.toLowerCase() as Hex);
    const method = byHash === undefined ? 'eth_getBlockByNumber' : 'eth_getBlockByHash';
    const givenChainId = options.chainId === undefined ? undefined : toU64(options.chainId, 'fork.chainId');

    const calls: RpcCall[] = [{ method, params: [tag, false] }];
    if (givenChainId === undefined) calls.push({ method: 'eth_chainId', params: [] });
    counters.roundTrips++;
    const outcomes = await transport.send(calls);
    const header = resultOf(outcomes[0], method);
    if (header === null) throw new ZkosError('NOT_FOUND', `fork: the node has no block ${tag}`);
    const block = parseHeader(header, method);
    if (byHash === undefined && tag.startsWith('0x') && block.number !== BigInt(tag)) throw badResponse(method, `asked block ${BigInt(tag)}, got ${block.number}`);
    // Pinned by hash: the header must hash to the hash asked (verified), or at least report it.
    verifier?.header(header, `the header of block ${block.number} (pass verify: false for chains whose blocks are not Ethereum headers)`, byHash === undefined ? undefined : (tag as Hex));
    if (byHash !== undefined && block.hash.toLowerCase() !== tag) throw badResponse(method, `asked block ${tag}, got ${block.hash}`);
    const chainId = givenChainId ?? quantity64(resultOf(outcomes[1], 'eth_chainId'), 'eth_chainId');
    // Verified values live apart: a verifying fetcher never reads what a trusting one cached.
    const scope = `${chainId}-${block.number}-${block.hash}${verifier === undefined ? '' : '-verified'}`;
    return new ForkFetcher(chainId, block, scope, transport, counters, proofs, maxProofSlots, options.cache, verifier);
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

  /**
   * How reads name the pinned block: `{ blockHash }` (EIP-1898), or its number once the node
   * refused a read by hash while still holding the block (each wave then checks the node's
   * block at that number is still the pinned one).
   */
  blockRef(): BlockRef {
    return this.jobs.tag;
  }

  /** Counters since creation or the last `resetStats()`. */
  stats(): ForkStats {
    return { ...this.counters };
  }

  /** Sets every counter to zero. */
  resetStats(): void {
    Object.assign(this.counters, newStats());
  }

  /**
   * Sends `calls` to the node in one round trip (not cached, not pinned: name the block in the
   * params) and returns their results in order; a call the node refuses is `FORK_UNAVAILABLE`.
   */
  async rpc(calls: readonly RpcCall[]): Promise<unknown[]> {
    if (calls.length === 0) return [];
    this.counters.roundTrips++;
    const outcomes = await this.transport.send([...calls]);
    return calls.map((c, i) => resultOf(outcomes[i], c.method));
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
    return this.fetchKeys(keys, undefined);
  }

  /**
   * As `fetch`, with `alongside` calls riding in the first round trip to the node, if the keys
   * need one (otherwise they are not sent and `outcomes` is empty). Their outcomes (a result, or
   * the node's error object) come back in order and are never thrown; a failure of the round
   * trip itself is, as for `fetch`.
   */
  async fetchWith(keys: readonly ForkKey[], alongside: readonly RpcCall[]): Promise<{ values: ForkValue[]; outcomes: RpcOutcome[] }> {
    const extra: Alongside = { calls: alongside, outcomes: undefined };
    const values = await this.fetchKeys(keys, extra);
    return { values, outcomes: extra.outcomes ?? [] };
  }

  private async fetchKeys(keys: readonly ForkKey[], extra: Alongside | undefined): Promise<ForkValue[]> {
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
      const job = this.load([...missing.values()], extra);
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
  private async load(wants: Want[], extra: Alongside | undefined): Promise<void> {
    const staged = new Values();
    const rest = await this.fromCache(wants, staged);
    const fresh = new Values();
    const fromNode = rest.filter((w) => w.kind !== 'code');
    if (fromNode.length > 0) await this.fromNode(fromNode, fresh, extra);
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

  /**
   * Fetches accounts, slots and block hashes from the node into `into`. A read by hash the node
   * refuses is `FORK_BLOCK_GONE` when the node no longer has the pinned block; when it has it,
   * the node does not take EIP-1898 params, and the reads are sent again naming the number.
   */
  private async fromNode(wants: Want[], into: Values, extra: Alongside | undefined): Promise<void> {
    const byHash = typeof this.jobs.tag !== 'string';
    try {
      await this.fromNodeAt(wants, into, extra);
    } catch (err) {
      const refusal = nodeRefusal(err);
      if (!byHash || refusal === undefined) throw err;
      this.counters.roundTrips++;
      const [outcome] = await this.transport.send([{ method: 'eth_getBlockByHash', params: [this.block.hash, false] }]);
      const held = resultOf(outcome, 'eth_getBlockByHash');
      if (held === null) throw blockGone(this.block.number, this.block.hash, `eth_getBlockByHash answers null; the read answered ${refusal.message} (${refusal.code})`, refusal);
      if (!refusesParams(refusal)) throw err;
      this.jobs.tag = toQuantityHex(this.block.number);
      await this.fromNodeAt(wants, into, extra);
    }
  }

  /** One try of `fromNode` with the pin named as `this.jobs.tag` says. */
  private async fromNodeAt(wants: Want[], into: Values, extra: Alongside | undefined): Promise<void> {
    const accounts = new Set<Hex>();
    const slots = new Map<Hex, Hex[]>();
    const numbers: bigint[] = [];
    for (const w of wants) {
      if (w.kind === 'account') accounts.add(w.address);
      else if (w.kind === 'storage') slots.set(w.address, [...(slots.get(w.address) ?? []), w.slot]);
      else if (w.kind === 'blockHash') numbers.push(w.number);
    }
    const jobs = this.plan(accounts, slots, numbers, this.proofSupport !== false);
    if (extra !== undefined && extra.calls.length > 0) {
      const outcomes: RpcOutcome[] = [];
      jobs.push(...extra.calls.map((call, i) => ({ calls: [call], read: (o: RpcOutcome[]) => ((outcomes[i] = o[0] as RpcOutcome), (extra.outcomes = outcomes), true) })));
    }
    const redo = await this.wave(jobs, into);
    if (redo.accounts.size + redo.slots.size > 0) {
      this.proofSupport = false;
      await this.wave(this.plan(redo.accounts, redo.slots, [], false), into);
    }
  }

  /** The calls that fetch these accounts, slots and block hashes. */
  private plan(accounts: Set<Hex>, slots: Map<Hex, Hex[]>, numbers: bigint[], proofs: boolean): Job[] {
    // Named by number, the pin is checked in the same batch (first, so a reorg is read first).
    const jobs: Job[] = typeof this.jobs.tag === 'string' ? [pinCheckJob(this.jobs, this.block.hash)] : [];
    if (proofs) {
      for (const address of new Set([...accounts, ...slots.keys()])) {
        const all = slots.get(address) ?? [];
        for (let i = 0; i === 0 || i < all.length; i += this.maxProofSlots) {
          jobs.push(proofJob(this.jobs, address, all.slice(i, i + this.maxProofSlots), i === 0 && accounts.has(address)));
        }
      }
    } else {
      for (const address of accounts) jobs.push(accountJob(this.jobs, address));
      for (const [address, list] of slots) for (const slot of list) jobs.push(slotJob(this.jobs, address, slot));
    }
    const verifier = this.jobs.verifier;
    if (verifier === undefined || numbers.length === 0) {
      for (const number of numbers) jobs.push(blockHashJob(this.jobs, number));
      return jobs;
    }
    // Verified: one batch of the headers from the lowest hash already bound to the pin (the
    // pin's parent hash, which its checked header names, or one chained to it before) down to
    // the block above the lowest asked. BLOCKHASH reaches 256 blocks back, so at most 256.
    const lowest = numbers.reduce((a, b) => (b < a ? b : a));
    let top = this.block.number - 1n;
    while (top - 1n > lowest && this.memory.blockHashes.has(top - 1n)) top--;
    if (top - lowest > MAX_LINKED_HEADERS) {
      throw new ZkosError('INVALID_ARGUMENT', `fork: block ${lowest} is more than ${MAX_LINKED_HEADERS} blocks below the fork block's parent; its hash cannot be verified`);
    }
    jobs.push(linkedHashesJob(this.jobs, verifier, lowest, top, this.memory.blockHashes.get(top) as Hex));
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
}

/**
 * The node's JSON-RPC error behind `err` when it is one the node answered to a read (not a
 * transport failure, nor a rate limit, which are retried as they are).
 */
function nodeRefusal(err: unknown): RpcErrorObject | undefined {
  if (!(err instanceof ZkosError) || err.code !== 'FORK_UNAVAILABLE') return undefined;
  const rpcError = (err.data as { rpcError?: RpcErrorObject } | undefined)?.rpcError;
  return rpcError === undefined || rpcError.code === RATE_LIMITED ? undefined : rpcError;
}

/** Whether a node's error says it could not take the call's params (JSON-RPC's invalid request or params, or their usual wording). */
function refusesParams(error: RpcErrorObject): boolean {
  return error.code === -32602 || error.code === -32600 || /invalid|unmarshal|argument|param|parse|expected|hex/i.test(error.message);
}

/** Calls sent with a fetch's first wave (`fetchWith`), and their outcomes once it came back. */
interface Alongside {
  readonly calls: readonly RpcCall[];
  outcomes: RpcOutcome[] | undefined;
}

/** Connects to a node and pins the fork block: `{ url }` (JSON-RPC batches over HTTP) or `{ provider }` (EIP-1193). */
export function createForkFetcher(options: ForkOptions): Promise<ForkFetcher> {
  return ForkFetcher.create(options);
}
