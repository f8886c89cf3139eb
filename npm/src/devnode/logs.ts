// eth_getLogs and log filters: the criteria of a query and the logs of a block range that match
// them, read from the receipts the engine keeps.
import type { LogInfo } from '../chain.js';
import { ZkosError } from '../errors.js';
import { type Hex, show, toAddress, toHash, toRpcQuantity } from '../hex.js';
import { withRangeTagsResolved } from '../fork/block-tags.js';
import { ForkHistory } from '../fork/history.js';
import { type ProviderEngine, ProviderRpcError, RPC_ERRORS, formatLog } from '../provider.js';

/**
 * Most blocks past its first one a log query may span (geth's `--rpc.rangelimit` rule: refused when
 * `to - from` exceeds it, so 10,001 blocks are answered).
 */
export const MAX_LOG_BLOCK_RANGE = 10_000;
/** Most logs one log query may return. */
export const MAX_LOG_RESULTS = 10_000;
/** Most addresses, and most alternatives per topic position, a filter may list (geth's default `--rpc.logquerylimit`). */
const MAX_FILTER_ITEMS = 1_000;
/** Most topic positions (LOG4 emits four; geth's `maxTopics`). */
const MAX_TOPIC_POSITIONS = 4;
/** JSON-RPC "limit exceeded" (EIP-1474). */
const LIMIT_EXCEEDED = -32005;

// The refusals of a log query in geth's words and codes (go-ethereum eth/filters/api.go and
// filter.go: the limits and the block-hash rule; geth answers -32000 for a plain error, -32602 for
// its invalidParamsErr). geth sets no cap on the logs answered: beyond MAX_LOG_RESULTS the
// wording and code are those of the hosted geth nodes that do (Infura), which log readers
// recognise to split a range.
const tooManyTopics = () => new ProviderRpcError(RPC_ERRORS.invalidTransaction, 'exceed max topics', undefined, 'INVALID_ARGUMENT');
const tooManyResults = () => new ProviderRpcError(LIMIT_EXCEEDED, `query returned more than ${MAX_LOG_RESULTS} results`, undefined, 'INVALID_ARGUMENT');
const tooManyItems = () => new ProviderRpcError(RPC_ERRORS.invalidTransaction, 'exceed max addresses or topics per search position', undefined, 'INVALID_ARGUMENT');
// A range starting after the head, in anvil's words and code (its `BlockOutOfRangeError`, as
// anvil 1.7.1 answers eth_getLogs and eth_newFilter on any chain, forked or not); geth refuses it
// too (-32602, "block range extends beyond current head block"). A `toBlock` past the head alone
// is cut at the head, as anvil does.
const startsAfterHead = (head: bigint, from: bigint) => new ProviderRpcError(RPC_ERRORS.invalidParams, `BlockOutOfRangeError: block height is ${head} but requested was ${from}`, undefined, 'INVALID_ARGUMENT');

/** What a log query selects. */
export interface LogCriteria {
  /** First block (`undefined`: the head at query time). */
  fromBlock?: bigint;
  /** Last block (`undefined`: the head at query time). */
  toBlock?: bigint;
  /** Only the block with this hash (instead of a range). */
  blockHash?: Hex;
  /** Emitting contracts (any of them); absent: all. */
  addresses?: Set<Hex>;
  /** Per position: the accepted topics (any), or null for any topic. */
  topics: (Set<Hex> | null)[];
}

function blockTag(tag: unknown, what: string): bigint | undefined {
  if (tag === undefined || tag === null || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return undefined;
  if (tag === 'earliest') return 0n;
  return toRpcQuantity(tag, what);
}

function items<T>(value: unknown, item: (v: unknown) => T): T[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_FILTER_ITEMS) throw tooManyItems();
  return list.map(item);
}

/**
 * The topics one position accepts, or null for any. As geth (eth/filters/api.go reads a null in
 * a position's list as "match all") and anvil: null, an empty list and a list holding null
 * accept any topic; the topics before a null are still checked. Before, an empty list matched
 * no log and a null in a list was refused (-32602).
 */
function topicPosition(value: unknown, what: string): Set<Hex> | null {
  if (value === null || value === undefined) return null;
  const list = Array.isArray(value) ? value : [value];
  const open = list.indexOf(null);
  const topics = new Set(items(open < 0 ? list : list.slice(0, open), (x) => toHash(x, what)));
  return open >= 0 || topics.size === 0 ? null : topics;
}

/** The criteria of an eth_getLogs / eth_newFilter parameter. */
export function logCriteria(value: unknown, method: string): LogCriteria {
  if (value === undefined || value === null) return { topics: [] };
  if (typeof value !== 'object' || Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${method}: filter must be an object`);
  const f = value as Record<string, unknown>;
  const out: LogCriteria = { topics: [] };
  if (f.blockHash !== undefined && f.blockHash !== null) {
    if (f.fromBlock !== undefined || f.toBlock !== undefined) throw new ProviderRpcError(RPC_ERRORS.invalidParams, "can't specify fromBlock/toBlock with blockHash", undefined, 'INVALID_ARGUMENT');
    out.blockHash = toHash(f.blockHash, `${method}: blockHash`);
  } else {
    const from = blockTag(f.fromBlock, `${method}: fromBlock`);
    const to = blockTag(f.toBlock, `${method}: toBlock`);
    // geth refuses two block numbers out of order (a tag is resolved later and not compared;
    // go-ethereum eth/filters/api.go errInvalidBlockRange, -32602 as execution-apis' tests).
    if (from !== undefined && to !== undefined && from > to) throw new ProviderRpcError(RPC_ERRORS.invalidParams, 'invalid block range params');
    if (from !== undefined) out.fromBlock = from;
    if (to !== undefined) out.toBlock = to;
  }
  if (f.address !== undefined && f.address !== null) out.addresses = new Set(items(f.address, (a) => toAddress(a, `${method}: address`)));
  if (f.topics !== undefined && f.topics !== null) {
    if (!Array.isArray(f.topics)) throw new ZkosError('INVALID_ARGUMENT', `${method}: topics must be an array`);
    if (f.topics.length > MAX_TOPIC_POSITIONS) throw tooManyTopics();
    out.topics = f.topics.map((t, i) => topicPosition(t, `${method}: topics[${i}]`));
  }
  return out;
}

/** Whether `log` matches the address and topic criteria. */
export function matches(log: LogInfo, c: LogCriteria): boolean {
  if (c.addresses !== undefined && !c.addresses.has(log.address.toLowerCase() as Hex)) return false;
  return c.topics.every((accepted, i) => accepted === null || (log.topics[i] !== undefined && accepted.has((log.topics[i] as Hex).toLowerCase() as Hex)));
}

/** The matching logs of blocks `from..=to` (clipped to the head), in chain order; `from` past the head is refused. */
export function logsBetween(engine: ProviderEngine, from: bigint, to: bigint, c: LogCriteria): LogInfo[] {
  const head = engine.blockNumber();
  if (from > head) throw startsAfterHead(head, from);
  const last = to > head ? head : to;
  if (last >= from && last - from > BigInt(MAX_LOG_BLOCK_RANGE)) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `exceed maximum block range ${MAX_LOG_BLOCK_RANGE}`, undefined, 'INVALID_ARGUMENT');
  const out: LogInfo[] = [];
  for (let n = from; n <= last; n++) {
    const block = engine.getBlock(n);
    if (block !== undefined) collect(engine, block.transactions, c, out);
  }
  return out;
}

/** Every log of block `number` that matches `c`, in order, however many (polled filters page by whole blocks). */
export function blockLogs(engine: ProviderEngine, number: bigint, c: LogCriteria): LogInfo[] {
  const out: LogInfo[] = [];
  for (const h of engine.getBlock(number)?.transactions ?? []) {
    for (const log of engine.getTransactionReceipt(h)?.logs ?? []) if (matches(log, c)) out.push(log);
  }
  return out;
}

function collect(engine: ProviderEngine, hashes: readonly Hex[], c: LogCriteria, out: LogInfo[]): void {
  for (const h of hashes) {
    for (const log of engine.getTransactionReceipt(h)?.logs ?? []) {
      if (!matches(log, c)) continue;
      if (out.length >= MAX_LOG_RESULTS) throw tooManyResults();
      out.push(log);
    }
  }
}

/** The logs an eth_getLogs query with criteria `c` answers at the current head. */
export function queryLogs(engine: ProviderEngine, c: LogCriteria): LogInfo[] {
  if (c.blockHash !== undefined) {
    const block = engine.getBlock(c.blockHash);
    if (block === undefined) throw new ZkosError('NOT_FOUND', `eth_getLogs: unknown block ${show(c.blockHash)}`);
    const out: LogInfo[] = [];
    collect(engine, block.transactions, c, out);
    return out;
  }
  const head = engine.blockNumber();
  return logsBetween(engine, c.fromBlock ?? head, c.toBlock ?? head, c);
}

/**
 * eth_getLogs: the engine's logs and, over a fork, the forked chain's for the blocks up to the
 * fork block, from its node as it answers them (before, a fork answered [] for them).
 */
export async function getLogs(engine: ProviderEngine, filter: unknown): Promise<unknown[]> {
  // `safe` and `finalized` name blocks below the head, as anvil names them (fork/block-tags.ts).
  const raw = withRangeTagsResolved(filter, engine.blockNumber());
  const history = ForkHistory.of(engine);
  if (history === undefined) return queryLogs(engine, logCriteria(raw, 'eth_getLogs')).map(formatLog);
  const c = logCriteria(raw, 'eth_getLogs');
  if (c.blockHash !== undefined) {
    const own = engine.getBlock(c.blockHash);
    const theirs = own === undefined || own.number <= history.forkNumber ? await history.blockLogs(raw) : undefined;
    return theirs ?? queryLogs(engine, c).map(formatLog);
  }
  const head = engine.blockNumber();
  const own = queryLogs(engine, c);
  const to = c.toBlock ?? head;
  const theirs = await history.logs(raw, c.fromBlock ?? head, to < head ? to : head);
  if (theirs.length + own.length > MAX_LOG_RESULTS) throw tooManyResults();
  return [...theirs, ...own.map(formatLog)];
}
