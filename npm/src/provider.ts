import type { BlockInfo, FeeInfo, LogInfo, ReceiptInfo, TxInfo } from './chain.js';
import { withCurves } from './curves.js';
import { ZkosError, fromEngineError } from './errors.js';
import { withGethMessage } from './geth-errors.js';
import { ForkHistory } from './fork/history.js';
import { keccak256 } from './fork/keccak.js';
import { list } from './input.js';
import { readPlain, readRequest } from './plain.js';
import { traceOpts } from './shapes.js';
import { toJson } from './json.js';
import { revertMessage } from './revert.js';
import { type Hex, describe, hexToBytes, show, toAddress, toBytes, toHash, toQuantityHex, toRpcQuantity, toWord } from './hex.js';
import { DEFAULT_EVM_TIMEOUT_MS, parseGoDuration, timeoutMs } from './timeout.js';
import type { AccessListResult, Account, BlockOverride, GasEstimate, SignedAuthorization, StateOverride, TraceOptions, TxRequest, TxResult } from './types.js';

/** A value, or over a forked chain its Promise. */
type Maybe<T> = T | Promise<T>;

/** What the provider needs from an engine (`Engine` and `ForkedEngine` implement it). */
export interface ProviderEngine {
  readonly chainId: bigint;
  readonly hardfork: 'cancun' | 'prague' | 'osaka';
  blockNumber(): bigint;
  getAccount(address: Hex, blockNumber?: bigint): Maybe<Account | undefined>;
  getStorage(address: Hex, slot: Hex, blockNumber?: bigint): Maybe<Hex>;
  call(tx: TxRequest, options?: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: bigint; timeoutMs?: number }): Maybe<TxResult>;
  estimateGas(tx: TxRequest, options?: { stateOverride?: StateOverride; blockOverride?: BlockOverride; blockNumber?: bigint; timeoutMs?: number }): Maybe<GasEstimate>;
  createAccessList(tx: TxRequest, options?: { stateOverride?: StateOverride; blockNumber?: bigint; timeoutMs?: number }): Maybe<AccessListResult>;
  sendRawTransaction(raw: Hex): Maybe<Hex>;
  getTransaction(hash: Hex): TxInfo | undefined;
  getTransactionReceipt(hash: Hex): ReceiptInfo | undefined;
  getBlock(id: bigint | Hex | 'latest'): BlockInfo | undefined;
  fees(): FeeInfo;
  trace(tx: TxRequest, options?: TraceOptions): unknown;
  traceTransaction(hash: Hex, options?: TraceOptions): unknown;
}

/** An EIP-1193 request. */
export interface RequestArguments {
  readonly method: string;
  readonly params?: readonly unknown[] | object;
}

/** An EIP-1193 / JSON-RPC error: numeric `code`, optional `data`; `zkosCode` is the engine's code. */
export class ProviderRpcError extends Error {
  readonly code: number;
  readonly data?: unknown;
  readonly zkosCode?: string;
  constructor(code: number, message: string, data?: unknown, zkosCode?: string) {
    super(message);
    this.name = 'ProviderRpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
    if (zkosCode !== undefined) this.zkosCode = zkosCode;
  }
}

/** JSON-RPC error codes used by the provider. */
export const RPC_ERRORS = {
  invalidParams: -32602,
  methodNotFound: -32601,
  executionReverted: 3,
  invalidTransaction: -32000,
  internal: -32603,
} as const;

type Listener = (...args: unknown[]) => void;

/** An EIP-1193 provider over a zkos engine. */
export interface Eip1193Provider {
  request(args: RequestArguments): Promise<unknown>;
  on(event: string, listener: Listener): Eip1193Provider;
  removeListener(event: string, listener: Listener): Eip1193Provider;
}

/** What web3_clientVersion answers. */
export const CLIENT_VERSION = 'zkos/0.1.0';

/** Most blob gas a block may hold, by hardfork (EIP-4844: 6 blobs of 131,072; EIP-7691 from Prague: 9). */
const MAX_BLOB_GAS_PER_BLOCK: Readonly<Record<ProviderEngine['hardfork'], number>> = { cancun: 786_432, prague: 1_179_648, osaka: 1_179_648 };

/** How a provider bounds the simulations its requests run. */
export interface ProviderOptions {
  /**
   * Most ms a simulation may run (eth_call, eth_estimateGas, eth_createAccessList, eth_simulateV1,
   * debug_trace*; a trace's `timeout` config overrides it): default 5,000 (geth's RPCEVMTimeout
   * and trace timeout), 0 for no bound. A run over it fails with -32000 in geth's words.
   */
  evmTimeoutMs?: number;
}

/** What a request's handler knows of the provider's settings. */
export interface Limits {
  /** The simulation bound, in ms (0: none). */
  readonly timeoutMs: number;
}

/** The provider options checked, as the handlers read them. */
export function limitsOf(options: ProviderOptions = {}): Limits {
  const o = options === null || typeof options !== 'object' ? {} : options;
  return { timeoutMs: timeoutMs(o.evmTimeoutMs, 'evmTimeoutMs') ?? DEFAULT_EVM_TIMEOUT_MS };
}

/** Creates an EIP-1193 provider for `engine` (over a forked engine, requests wait for the state they need). */
export function createProvider(engine: ProviderEngine, options: ProviderOptions = {}): Eip1193Provider {
  // Checked here: before, no engine threw a TypeError from a queued task and ended the process.
  if (engine === null || typeof engine !== 'object' || typeof engine.chainId !== 'bigint') throw new ZkosError('INVALID_ARGUMENT', `createProvider: expected an engine (createEngine()), got ${describe(engine)}`);
  const limits = limitsOf(readPlain(options, 'createProvider: options') as ProviderOptions);
  // Over a fork, the forked chain's past (blocks up to the fork block, its transactions) is the node's.
  const history = ForkHistory.of(engine);
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, ...args: unknown[]) => {
    for (const l of listeners.get(event) ?? []) {
      try {
        l(...args);
      } catch {
        // A listener's failure is the listener's business.
      }
    }
  };
  const provider: Eip1193Provider = {
    async request(args: RequestArguments): Promise<unknown> {
      try {
        const { name, method, params: given } = requestOf(args, history?.methods);
        const params = history === undefined ? given : await history.stateParams(name, given, (hash) => engine.getBlock(hash) !== undefined);
        const before = engine.blockNumber();
        const local = await withCurves(() => method.run(engine, params, limits)).catch((err: unknown) => {
          // Blocks of the forked chain's past the engine does not hold: the node answers (history.ts).
          if (err instanceof ZkosError && err.code === 'NOT_FOUND' && history?.answersAlone(name, params)) return undefined;
          throw err;
        });
        const result = history === undefined ? local : await history.answer(name, params, local);
        const after = engine.blockNumber();
        if (after !== before) emit('block', toQuantityHex(after));
        return result;
      } catch (err) {
        throw toRpcError(err);
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      set.add(listener);
      return provider;
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  queueMicrotask(() => emit('connect', { chainId: toQuantityHex(engine.chainId) }));
  return provider;
}

/**
 * Why a local chain has no `eth_getProof` (a fork's answers it for what the fork did not write):
 * its state is a ZKsync OS tree, of which no Ethereum Merkle-Patricia proof can be made. Before,
 * the answer was `-32601` alone, which reads as a typo in the method's name.
 */
const NO_PROOFS = ': a local zkos chain keeps its state in a ZKsync OS tree, not an Ethereum Merkle-Patricia trie, so there is no Ethereum proof to give (over a fork, accounts the fork did not write are proven by the forked node)';

/** Most params a request may carry (the methods take at most 4; trailing nulls count). */
const MAX_PARAMS = 64;

/** The method a request names (only the provider's own, or a fork's `extra` ones: the tables have no prototype) and its params. */
function requestOf(args: unknown, extra?: Readonly<Record<string, Method>>): { name: string; method: Method; params: unknown[] } {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new ProviderRpcError(RPC_ERRORS.invalidParams, 'request expects { method: string, params?: array }');
  const { method: name, params: given } = readRequest(args);
  if (typeof name !== 'string') throw new ProviderRpcError(RPC_ERRORS.invalidParams, 'request expects { method: string, params?: array }');
  const method = Object.hasOwn(METHODS, name) ? METHODS[name] : extra !== undefined && Object.hasOwn(extra, name) ? extra[name] : undefined;
  if (method === undefined) throw new ProviderRpcError(RPC_ERRORS.methodNotFound, `the method ${show(name)} does not exist/is not available${name === 'eth_getProof' ? NO_PROOFS : ''}`, undefined, 'METHOD_NOT_FOUND');
  const params = given === undefined || given === null ? [] : given;
  if (!Array.isArray(params)) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${name}: params must be an array`);
  if (params.length > MAX_PARAMS) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${name}: more than ${MAX_PARAMS} parameters`, undefined, 'INVALID_ARGUMENT');
  // Trailing null/undefined params are absent ones; anything beyond the method's own is refused.
  let count = params.length;
  while (count > 0 && (params[count - 1] === undefined || params[count - 1] === null)) count--;
  if (count > method.params) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${name}: too many parameters, want at most ${method.params}`, undefined, 'INVALID_ARGUMENT');
  return { name, method, params: params.slice(0, count) };
}

/** What engines put before the reason a raw transaction does not decode. */
const DECODE_LEADS = /^(?:block\.transactions\[0\]|raw transaction|cannot decode transaction): /;

/**
 * Runs `send` (an eth_sendRawTransaction); a raw transaction that does not decode is refused as
 * anvil refuses it, "Failed to decode transaction" (-32602), with zkos's reason after it. Before,
 * the dev node's message led with the block it would have been mined in ("block.transactions[0]: 1 trailing bytes").
 */
export async function sendingRaw(send: () => Maybe<Hex>): Promise<Hex> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof ZkosError) || err.code !== 'INVALID_RLP') throw err;
    throw new ProviderRpcError(RPC_ERRORS.invalidParams, `Failed to decode transaction: ${err.message.replace(DECODE_LEADS, '')}`, err.data, err.code);
  }
}

/** Maps a thrown error to a JSON-RPC error. */
export function toRpcError(err: unknown): ProviderRpcError {
  if (err instanceof ProviderRpcError) return err;
  const z = fromEngineError(err);
  switch (z.code) {
    case 'EXECUTION_REVERTED':
      return new ProviderRpcError(RPC_ERRORS.executionReverted, z.message, z.data, z.code);
    case 'INVALID_TRANSACTION':
      return new ProviderRpcError(RPC_ERRORS.invalidTransaction, withGethMessage(z.reason, z.message), z.data, z.code);
    case 'SYSTEM_TRANSACTION_NOT_ALLOWED':
    case 'EXECUTION_HALTED':
    case 'TRACE_LIMIT':
    case 'TIMEOUT':
    case 'BLOCK_OVERFLOW':
      return new ProviderRpcError(RPC_ERRORS.invalidTransaction, z.message, z.data, z.code);
    case 'METHOD_NOT_FOUND':
      return new ProviderRpcError(RPC_ERRORS.methodNotFound, z.message, z.data, z.code);
    case 'INVALID_HEX':
    case 'INVALID_ARGUMENT':
    case 'INVALID_RLP':
      return new ProviderRpcError(RPC_ERRORS.invalidParams, z.message, z.data, z.code);
    case 'NOT_FOUND':
    case 'HISTORY_UNAVAILABLE':
    case 'PROOF_UNAVAILABLE':
      return new ProviderRpcError(RPC_ERRORS.invalidTransaction, z.message, z.data, z.code);
    default:
      return new ProviderRpcError(RPC_ERRORS.internal, z.message, z.data, z.code);
  }
}

type Handler = (engine: ProviderEngine, params: unknown[], limits: Limits) => unknown;

/** A JSON-RPC method: how many params it takes at most, and what it does. */
interface Method {
  readonly params: number;
  readonly run: Handler;
}

function param(params: unknown[], i: number, method: string, required = true): unknown {
  const v = params[i];
  if (required && v === undefined) throw new ZkosError('INVALID_ARGUMENT', `${method}: missing parameter ${i}`);
  return v;
}

/**
 * The block a state query names: `undefined` for the head (`latest`/`pending`/`safe`/`finalized`
 * or absent), else its number (`earliest` is 0; `{ blockHash }` or a hash of 66 characters must
 * name a block the engine holds).
 * A number above the head is geth's "header not found"; whether an older block's state is still
 * kept is the engine's answer.
 */
function stateAt(engine: ProviderEngine, tag: unknown, method: string): bigint | undefined {
  if (tag === undefined || tag === null) return undefined;
  if (typeof tag === 'object') {
    const t = tag as { blockNumber?: unknown; blockHash?: unknown };
    if (t.blockNumber !== undefined && t.blockHash !== undefined) throw new ZkosError('INVALID_ARGUMENT', `${method}: ${BOTH_BLOCK_NAMES}`);
    if (t.blockNumber !== undefined) {
      if (typeof t.blockNumber === 'object') throw new ZkosError('INVALID_ARGUMENT', `${method}: bad block parameter`);
      return stateAt(engine, t.blockNumber, method);
    }
    if (t.blockHash !== undefined) {
      const block = engine.getBlock(toHash(t.blockHash, `${method}: blockHash`));
      if (block === undefined) throw new ZkosError('NOT_FOUND', `${method}: unknown block`);
      return stateAt(engine, toQuantityHex(block.number), method);
    }
    throw new ZkosError('INVALID_ARGUMENT', `${method}: bad block parameter`);
  }
  if (tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return undefined;
  if (tag === 'earliest') tag = '0x0';
  // A block hash as a plain string, as geth's BlockNumberOrHash reads 66 characters (ethers v6
  // sends a 32-byte blockTag so; before, "hex number > 64 bits").
  if (typeof tag === 'string' && tag.length === 66) return stateAt(engine, { blockHash: tag }, method);
  const n = toRpcQuantity(tag, `${method}: block`);
  if (n > engine.blockNumber()) throw new ZkosError('NOT_FOUND', `${method}: header not found (block ${n} is above the head, ${engine.blockNumber()})`);
  return n;
}

/**
 * The block a simulation (`eth_call`, `eth_estimateGas`, `eth_createAccessList`, `debug_traceCall`)
 * runs at: `latest`, `safe`, `finalized`, a number or a hash name a block, whose state and own
 * context (number, timestamp, fees, `BLOCKHASH` of the 256 before it) the call runs in, as geth's
 * `DoCall` and anvil run it; `pending` is `undefined`: the head's state in the next block. Without
 * a block parameter, `absent` (anvil 1.7: `pending` for `eth_estimateGas`, `latest` for the others).
 */
function simulationAt(engine: ProviderEngine, tag: unknown, method: string, absent: 'latest' | 'pending' = 'latest'): bigint | undefined {
  const given = tag === undefined || tag === null ? absent : tag;
  const named = typeof given === 'object' ? (given as { blockNumber?: unknown }).blockNumber : given;
  if (named === 'pending') return undefined;
  return stateAt(engine, given, method) ?? engine.blockNumber();
}

/** Runs a query at block `at`, naming the method and the block when the engine no longer keeps its state. */
async function atBlock<T>(method: string, at: bigint | undefined, f: () => Maybe<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    const z = fromEngineError(err);
    if (z.code !== 'HISTORY_UNAVAILABLE') throw err;
    throw new ZkosError(z.code, `${method}: historical state of block ${at} is not available (missing trie node): ${z.message}`);
  }
}

/** An optional boolean parameter (absent: false). */
function flag(value: unknown, what: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a boolean, got ${show(value)}`);
  return value;
}

function blockId(tag: unknown, method: string): bigint | 'latest' {
  if (tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return 'latest';
  if (tag === 'earliest') return 0n;
  return toRpcQuantity(tag, `${method}: block`);
}

/** The QUANTITY fields of a transaction request (geth's TransactionArgs), read as geth reads them when given as strings. */
const TX_QUANTITY_FIELDS = ['gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'maxFeePerBlobGas', 'value', 'nonce', 'chainId'] as const;

function txRequest(value: unknown, method: string): TxRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ZkosError('INVALID_ARGUMENT', `${method}: transaction must be an object, got ${describe(value)}`);
  }
  const tx = value as Record<string, unknown>;
  for (const k of TX_QUANTITY_FIELDS) {
    const v = tx[k];
    if (typeof v === 'string') toRpcQuantity(v, `${method}: ${k}`, k === 'gas' || k === 'nonce' || k === 'chainId' ? 64 : 256);
  }
  return value as TxRequest;
}

function stateOverride(value: unknown, method: string): StateOverride | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${method}: state override must be an object`);
  return value as StateOverride;
}

function blockOverride(value: unknown, method: string): BlockOverride | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${method}: block override must be an object`);
  return value as BlockOverride;
}

/** A trace config; its `timeout` (a Go duration, as geth reads it) bounds the run, else the provider's bound. */
function traceOptions(value: unknown, method: string, limits: Limits): TraceOptions {
  if (value === undefined || value === null) return { tracer: 'structLogs', timeoutMs: limits.timeoutMs };
  if (typeof value !== 'object' || Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${method}: trace options must be an object`);
  const o = value as TraceOptions & { stateOverrides?: StateOverride; blockOverrides?: BlockOverride; timeout?: unknown };
  const { timeout, ...rest } = o;
  return {
    ...rest,
    tracer: o.tracer ?? 'structLogs',
    stateOverride: o.stateOverride ?? o.stateOverrides,
    blockOverride: o.blockOverride ?? o.blockOverrides,
    timeoutMs: timeout === undefined || timeout === null ? limits.timeoutMs : parseGoDuration(timeout, `${method}: timeout`),
  };
}

/** Returns the call's output or throws a revert (code 3) / halt (-32000). */
function callOutput(result: TxResult): Hex {
  if (result.status === 'success') return result.returnData;
  if (result.status === 'reverted' && result.error === undefined) {
    throw new ZkosError('EXECUTION_REVERTED', revertMessage(result.returnData), result.returnData);
  }
  throw new ZkosError('EXECUTION_HALTED', result.error ?? 'execution failed', result.returnData);
}

/** geth's `eth_createAccessList` answer: the list, the gas used with it, and why the run failed when it did. */
function accessListOutput(found: AccessListResult): Record<string, unknown> {
  const out: Record<string, unknown> = { accessList: found.accessList, gasUsed: toQuantityHex(found.result.gasUsed) };
  if (found.result.status !== 'success') out.error = found.result.error ?? 'execution reverted';
  return out;
}

function q(v: bigint | undefined): Hex | undefined {
  return v === undefined ? undefined : toQuantityHex(v);
}

/** A transaction in JSON-RPC form. */
export function formatTransaction(tx: TxInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    hash: tx.hash,
    type: q(tx.type),
    chainId: q(tx.chainId),
    from: tx.from,
    to: tx.to,
    nonce: q(tx.nonce),
    gas: q(tx.gas),
    gasPrice: q(tx.gasPrice ?? tx.maxFeePerGas),
    value: q(tx.value),
    input: tx.input,
    v: q(tx.v),
    r: q(tx.r),
    s: q(tx.s),
    blockHash: tx.blockHash,
    blockNumber: q(tx.blockNumber),
    transactionIndex: q(tx.transactionIndex),
  };
  if (tx.type !== 0n) {
    out.accessList = tx.accessList;
    out.yParity = q(tx.yParity ?? tx.v);
  }
  if (tx.authorizationList !== undefined) out.authorizationList = formatAuthorizations(tx.authorizationList);
  if (tx.maxFeePerGas !== undefined) {
    out.maxFeePerGas = q(tx.maxFeePerGas);
    out.maxPriorityFeePerGas = q(tx.maxPriorityFeePerGas ?? 0n);
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** EIP-7702 authorizations in JSON-RPC form (geth's: quantities as hex). */
export function formatAuthorizations(list: readonly SignedAuthorization[]): Record<string, unknown>[] {
  return list.map((a) => ({ chainId: q(a.chainId), address: a.address, nonce: q(a.nonce), yParity: q(a.yParity), r: q(a.r), s: q(a.s) }));
}

/** A log in JSON-RPC form. */
export function formatLog(log: LogInfo): Record<string, unknown> {
  return {
    address: log.address,
    topics: log.topics,
    data: log.data,
    blockNumber: q(log.blockNumber),
    blockHash: log.blockHash,
    transactionHash: log.transactionHash,
    transactionIndex: q(log.transactionIndex),
    logIndex: q(log.logIndex),
    removed: false,
  };
}

/** A receipt in JSON-RPC form, with zkos extras (`nativeUsed`, `pubdataBytes`, `l2ToL1Messages`). */
export function formatReceipt(r: ReceiptInfo): Record<string, unknown> {
  return {
    transactionHash: r.transactionHash,
    transactionIndex: q(r.transactionIndex),
    blockHash: r.blockHash,
    blockNumber: q(r.blockNumber),
    type: q(r.type),
    from: r.from,
    to: r.to,
    contractAddress: r.contractAddress,
    status: r.status ? '0x1' : '0x0',
    gasUsed: q(r.gasUsed),
    cumulativeGasUsed: q(r.cumulativeGasUsed),
    effectiveGasPrice: q(r.effectiveGasPrice),
    logs: r.logs.map(formatLog),
    logsBloom: r.logsBloom,
    nativeUsed: q(r.nativeUsed),
    pubdataBytes: q(r.pubdataBytes),
    l2ToL1Messages: r.l2ToL1Messages,
  };
}

const ZERO_WORD = ('0x' + '0'.repeat(64)) as Hex;
const EMPTY_OMMERS = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const EMPTY_TRIE = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';

/** Hex digits of a 2048-bit bloom. */
const BLOOM_DIGITS = 512;

/**
 * The block's logs bloom: the OR of its receipts' blooms (each the core's, over the receipt's
 * logs; Ethereum's header field is this OR, yellow paper eq. 26). ZKsync OS headers commit to
 * logs by a tree instead, so the block bloom is only this view of the receipts.
 */
export function blockBloom(engine: ProviderEngine, b: BlockInfo): Hex {
  let bloom = 0n;
  for (const h of b.transactions) {
    const r = engine.getTransactionReceipt(h);
    if (r !== undefined) bloom |= BigInt(r.logsBloom);
  }
  return ('0x' + bloom.toString(16).padStart(BLOOM_DIGITS, '0')) as Hex;
}

/** A block in JSON-RPC form; `full` puts transaction objects instead of hashes. */
export function formatBlock(engine: ProviderEngine, b: BlockInfo, full: boolean): Record<string, unknown> {
  return {
    number: q(b.number),
    hash: b.hash,
    parentHash: b.parentHash,
    nonce: '0x0000000000000000',
    sha3Uncles: EMPTY_OMMERS,
    logsBloom: blockBloom(engine, b),
    transactionsRoot: EMPTY_TRIE,
    stateRoot: b.stateRoot,
    receiptsRoot: EMPTY_TRIE,
    miner: b.miner,
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: '0x',
    size: '0x0',
    gasLimit: q(b.gasLimit),
    gasUsed: q(b.gasUsed),
    timestamp: q(b.timestamp),
    baseFeePerGas: q(b.baseFeePerGas),
    mixHash: b.mixHash,
    withdrawals: [],
    withdrawalsRoot: EMPTY_TRIE,
    blobGasUsed: q(b.blobGasUsed),
    excessBlobGas: q(b.excessBlobGas),
    parentBeaconBlockRoot: ZERO_WORD,
    uncles: [],
    transactions: full
      ? b.transactions.map((h) => {
          const tx = engine.getTransaction(h);
          return tx === undefined ? h : formatTransaction(tx);
        })
      : b.transactions,
  };
}

function formatEstimate(e: GasEstimate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) out[k] = typeof v === 'bigint' ? toQuantityHex(v) : v;
  return out;
}

/** geth's refusal of an EIP-1898 object naming a block both ways (`rpc.BlockNumberOrHash`). */
const BOTH_BLOCK_NAMES = 'cannot specify both BlockHash and BlockNumber, choose one or the other';

/**
 * A block named as geth's `BlockNumberOrHash` reads it (`eth_getBlockReceipts`): a number or tag,
 * a 32-byte hash, or an object with one of `blockNumber` and `blockHash` (and an optional boolean
 * `requireCanonical`: every block here is canonical). Anything else is `-32602`.
 */
function blockRef(value: unknown, method: string): bigint | Hex | 'latest' {
  if (typeof value === 'string') return value.length === 66 ? toWord(value, `${method}: hash`) : blockId(value, method);
  if (typeof value === 'bigint' || typeof value === 'number') return blockId(value, method);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ZkosError('INVALID_ARGUMENT', `${method}: expected a block number, tag or hash, or { blockNumber } / { blockHash }, got ${describe(value)}`);
  }
  const o = value as { blockNumber?: unknown; blockHash?: unknown; requireCanonical?: unknown };
  flag(o.requireCanonical, `${method}: requireCanonical`);
  const hasNumber = o.blockNumber !== undefined && o.blockNumber !== null;
  const hasHash = o.blockHash !== undefined && o.blockHash !== null;
  if (hasNumber && hasHash) throw new ZkosError('INVALID_ARGUMENT', `${method}: ${BOTH_BLOCK_NAMES}`);
  if (hasHash) return toHash(o.blockHash, `${method}: blockHash`);
  if (!hasNumber) throw new ZkosError('INVALID_ARGUMENT', `${method}: invalid arguments; neither block nor hash specified`);
  if (typeof o.blockNumber !== 'string' && typeof o.blockNumber !== 'bigint' && typeof o.blockNumber !== 'number') {
    throw new ZkosError('INVALID_ARGUMENT', `${method}: blockNumber: expected a block number or tag, got ${describe(o.blockNumber)}`);
  }
  return blockId(o.blockNumber, method);
}

/** The transaction at `index` of block `id`, or null when either does not exist (as geth). */
function transactionAt(engine: ProviderEngine, id: bigint | Hex | 'latest', index: unknown, method: string): Record<string, unknown> | null {
  const i = toRpcQuantity(index ?? null, `${method}: index`);
  const b = engine.getBlock(id);
  const hash = b !== undefined && i < BigInt(b.transactions.length) ? b.transactions[Number(i)] : undefined;
  const tx = hash === undefined ? undefined : engine.getTransaction(hash);
  return tx === undefined ? null : formatTransaction(tx);
}

/** The uncle at `index`: none exists (the block id is only validated). */
function noUncle(_block: bigint | Hex | 'latest', index: unknown, method: string): null {
  toRpcQuantity(index ?? null, `${method}: index`);
  return null;
}

/** The receipt of a mined transaction, as a list of zero or one (for `flatMap`). */
function receiptOf(engine: ProviderEngine, hash: Hex): Record<string, unknown>[] {
  const r = engine.getTransactionReceipt(hash);
  return r === undefined ? [] : [formatReceipt(r)];
}

/**
 * Most characters of JSON the traces of one block may add up to (twice what one trace within the
 * default budget takes, and half the longest string V8 makes). Each transaction's trace has the
 * engine's budget, so a block of many heavy transactions would otherwise build gigabytes of
 * objects (30 traced 1M-gas loops: 3 minutes, and a reply longer than a string can be).
 */
const MAX_BLOCK_TRACE_CHARS = 256 * 1024 * 1024;

/** geth's block trace: `{ txHash, result }` for each transaction of the block, in order. */
async function traceBlock(engine: ProviderEngine, id: bigint | Hex | 'latest', options: TraceOptions, method: string): Promise<{ txHash: Hex; result: unknown }[]> {
  // The options are checked before the block's transactions are traced: before, a block without
  // any answered [] whatever they were (enableMemory: "yes"), where geth and anvil refuse them.
  traceOpts(options);
  const b = engine.getBlock(id);
  if (b === undefined) throw new ZkosError('NOT_FOUND', `${method}: block ${String(id)} not found`);
  const out: { txHash: Hex; result: unknown }[] = [];
  let chars = 0;
  for (const txHash of b.transactions) {
    const result = await engine.traceTransaction(txHash, options);
    chars += toJson(result, 0).length;
    if (chars > MAX_BLOCK_TRACE_CHARS) throw new ZkosError('TRACE_LIMIT', `${method}: the block's traces add up to more than ${MAX_BLOCK_TRACE_CHARS} characters of JSON (each transaction's trace has its own budget; trace them one by one)`);
    out.push({ txHash, result });
  }
  return out;
}

/** A method taking at most `params` parameters. */
const method = (params: number, run: Handler): Method => ({ params, run });

/**
 * Most reward percentiles of one eth_feeHistory, geth's maxQueryLimit (eth/gasprice/feehistory.go).
 * Unbounded, 100,000 of them over 1,024 blocks built 100 M reward entries in 1 s; a 16 MiB body
 * holds 2.5 M, enough to run the dev node out of memory.
 */
const MAX_FEE_HISTORY_PERCENTILES = 100;

/** The provider's methods, in a table without a prototype: `constructor`, `__proto__`, `toString` are no methods. */
const METHODS: Readonly<Record<string, Method>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Method>, {
    web3_clientVersion: method(0, () => CLIENT_VERSION),
    net_version: method(0, (e) => e.chainId.toString(10)),
    net_listening: method(0, () => true),
    eth_chainId: method(0, (e) => toQuantityHex(e.chainId)),
    eth_blockNumber: method(0, (e) => toQuantityHex(e.blockNumber())),
    eth_accounts: method(0, () => []),
    eth_requestAccounts: method(0, () => []),
    eth_syncing: method(0, () => false),
    eth_mining: method(0, () => false),
    eth_gasPrice: method(0, (e) => toQuantityHex(e.fees().baseFeePerGas)),
    eth_maxPriorityFeePerGas: method(0, () => '0x0'),
    // The head's blob base fee (EIP-4844; 1 wei while no blob gas was in excess), as geth answers.
    eth_blobBaseFee: method(0, (e) => toQuantityHex(e.getBlock('latest')?.blobBaseFee ?? 1n)),
    eth_getBalance: method(2, async (e, p) => {
      const a = toAddress(param(p, 0, 'eth_getBalance'), 'eth_getBalance: address');
      const at = stateAt(e, p[1], 'eth_getBalance');
      return toQuantityHex((await atBlock('eth_getBalance', at, () => e.getAccount(a, at)))?.balance ?? 0n);
    }),
    eth_getTransactionCount: method(2, async (e, p) => {
      const a = toAddress(param(p, 0, 'eth_getTransactionCount'), 'eth_getTransactionCount: address');
      const at = stateAt(e, p[1], 'eth_getTransactionCount');
      return toQuantityHex((await atBlock('eth_getTransactionCount', at, () => e.getAccount(a, at)))?.nonce ?? 0n);
    }),
    eth_getCode: method(2, async (e, p) => {
      const a = toAddress(param(p, 0, 'eth_getCode'), 'eth_getCode: address');
      const at = stateAt(e, p[1], 'eth_getCode');
      return (await atBlock('eth_getCode', at, () => e.getAccount(a, at)))?.code ?? '0x';
    }),
    eth_getStorageAt: method(3, (e, p) => {
      const a = toAddress(param(p, 0, 'eth_getStorageAt'), 'eth_getStorageAt: address');
      const slot = toWord(param(p, 1, 'eth_getStorageAt'), 'eth_getStorageAt: slot');
      const at = stateAt(e, p[2], 'eth_getStorageAt');
      return atBlock('eth_getStorageAt', at, () => e.getStorage(a, slot, at));
    }),
    eth_call: method(4, async (e, p, l) => {
      const tx = txRequest(param(p, 0, 'eth_call'), 'eth_call');
      const at = simulationAt(e, p[1], 'eth_call');
      const options = { stateOverride: stateOverride(p[2], 'eth_call'), blockOverride: blockOverride(p[3], 'eth_call'), blockNumber: at, timeoutMs: l.timeoutMs };
      return callOutput(await atBlock('eth_call', at, () => e.call(tx, options)));
    }),
    eth_estimateGas: method(4, async (e, p, l) => {
      const tx = txRequest(param(p, 0, 'eth_estimateGas'), 'eth_estimateGas');
      const at = simulationAt(e, p[1], 'eth_estimateGas', 'pending');
      const options = { stateOverride: stateOverride(p[2], 'eth_estimateGas'), blockOverride: blockOverride(p[3], 'eth_estimateGas'), blockNumber: at, timeoutMs: l.timeoutMs };
      return toQuantityHex((await atBlock('eth_estimateGas', at, () => e.estimateGas(tx, options))).gasLimit);
    }),
    eth_createAccessList: method(3, async (e, p, l) => {
      const tx = txRequest(param(p, 0, 'eth_createAccessList'), 'eth_createAccessList');
      const at = simulationAt(e, p[1], 'eth_createAccessList');
      const options = { stateOverride: stateOverride(p[2], 'eth_createAccessList'), blockNumber: at, timeoutMs: l.timeoutMs };
      const found = await atBlock('eth_createAccessList', at, () => e.createAccessList(tx, options));
      return accessListOutput(found);
    }),
    zkos_estimateFee: method(2, async (e, p, l) => {
      const tx = txRequest(param(p, 0, 'zkos_estimateFee'), 'zkos_estimateFee');
      const est = await e.estimateGas(tx, { stateOverride: stateOverride(p[1], 'zkos_estimateFee'), timeoutMs: l.timeoutMs });
      const fees = e.fees();
      return {
        ...formatEstimate(est),
        maxFeePerGas: toQuantityHex(fees.baseFeePerGas),
        maxPriorityFeePerGas: '0x0',
        nativePrice: toQuantityHex(fees.nativePrice),
        pubdataPrice: toQuantityHex(fees.pubdataPrice),
        gasPerPubdata: toQuantityHex(fees.baseFeePerGas === 0n ? 0n : (fees.pubdataPrice + fees.baseFeePerGas - 1n) / fees.baseFeePerGas),
      };
    }),
    eth_sendRawTransaction: method(1, (e, p) => sendingRaw(() => e.sendRawTransaction(toBytes(param(p, 0, 'eth_sendRawTransaction'), 'eth_sendRawTransaction: data')))),
    eth_getTransactionReceipt: method(1, (e, p) => {
      const r = e.getTransactionReceipt(toHash(param(p, 0, 'eth_getTransactionReceipt'), 'eth_getTransactionReceipt: hash'));
      return r === undefined ? null : formatReceipt(r);
    }),
    eth_getTransactionByHash: method(1, (e, p) => {
      const t = e.getTransaction(toHash(param(p, 0, 'eth_getTransactionByHash'), 'eth_getTransactionByHash: hash'));
      return t === undefined ? null : formatTransaction(t);
    }),
    eth_getBlockByNumber: method(2, (e, p) => {
      const b = e.getBlock(blockId(param(p, 0, 'eth_getBlockByNumber'), 'eth_getBlockByNumber'));
      return b === undefined ? null : formatBlock(e, b, flag(p[1], 'eth_getBlockByNumber: full'));
    }),
    eth_getBlockByHash: method(2, (e, p) => {
      const b = e.getBlock(toHash(param(p, 0, 'eth_getBlockByHash'), 'eth_getBlockByHash: hash'));
      return b === undefined ? null : formatBlock(e, b, flag(p[1], 'eth_getBlockByHash: full'));
    }),
    eth_getBlockTransactionCountByNumber: method(1, (e, p) => {
      const b = e.getBlock(blockId(param(p, 0, 'eth_getBlockTransactionCountByNumber'), 'eth_getBlockTransactionCountByNumber'));
      return b === undefined ? null : toQuantityHex(b.transactions.length);
    }),
    eth_getBlockTransactionCountByHash: method(1, (e, p) => {
      const b = e.getBlock(toHash(param(p, 0, 'eth_getBlockTransactionCountByHash'), 'eth_getBlockTransactionCountByHash: hash'));
      return b === undefined ? null : toQuantityHex(b.transactions.length);
    }),
    eth_getTransactionByBlockNumberAndIndex: method(2, (e, p) => transactionAt(e, blockId(param(p, 0, 'eth_getTransactionByBlockNumberAndIndex'), 'eth_getTransactionByBlockNumberAndIndex'), p[1], 'eth_getTransactionByBlockNumberAndIndex')),
    eth_getTransactionByBlockHashAndIndex: method(2, (e, p) =>
      transactionAt(e, toHash(param(p, 0, 'eth_getTransactionByBlockHashAndIndex'), 'eth_getTransactionByBlockHashAndIndex: hash'), p[1], 'eth_getTransactionByBlockHashAndIndex'),
    ),
    eth_getBlockReceipts: method(1, (e, p) => {
      const b = e.getBlock(blockRef(param(p, 0, 'eth_getBlockReceipts'), 'eth_getBlockReceipts'));
      return b === undefined ? null : b.transactions.flatMap((h) => receiptOf(e, h));
    }),
    eth_getUncleCountByBlockNumber: method(1, (e, p) => (e.getBlock(blockId(param(p, 0, 'eth_getUncleCountByBlockNumber'), 'eth_getUncleCountByBlockNumber')) === undefined ? null : '0x0')),
    eth_getUncleCountByBlockHash: method(1, (e, p) => (e.getBlock(toHash(param(p, 0, 'eth_getUncleCountByBlockHash'), 'eth_getUncleCountByBlockHash: hash')) === undefined ? null : '0x0')),
    // Blocks here have no uncles: null for any index, once the parameters are valid.
    eth_getUncleByBlockNumberAndIndex: method(2, (_, p) => noUncle(blockId(param(p, 0, 'eth_getUncleByBlockNumberAndIndex'), 'eth_getUncleByBlockNumberAndIndex'), p[1], 'eth_getUncleByBlockNumberAndIndex')),
    eth_getUncleByBlockHashAndIndex: method(2, (_, p) => noUncle(toHash(param(p, 0, 'eth_getUncleByBlockHashAndIndex'), 'eth_getUncleByBlockHashAndIndex: hash'), p[1], 'eth_getUncleByBlockHashAndIndex')),
    // The package's own Keccak: the browser build resolves no bare module names (its page and workers load dist/ as is).
    web3_sha3: method(1, (_, p) => keccak256(hexToBytes(toBytes(param(p, 0, 'web3_sha3'), 'web3_sha3: data')))),
    eth_feeHistory: method(3, (e, p) => {
      const count = toRpcQuantity(param(p, 0, 'eth_feeHistory'), 'eth_feeHistory: blockCount');
      const newestId = blockId(p[1] ?? 'latest', 'eth_feeHistory');
      const newest = newestId === 'latest' ? e.blockNumber() : newestId;
      if (newest > e.blockNumber()) throw new ZkosError('NOT_FOUND', 'eth_feeHistory: unknown block');
      if (Array.isArray(p[2]) && p[2].length > MAX_FEE_HISTORY_PERCENTILES) {
        throw new ZkosError('INVALID_ARGUMENT', `eth_feeHistory: invalid reward percentile: over the query limit ${MAX_FEE_HISTORY_PERCENTILES}`);
      }
      const percentiles =
        p[2] === undefined || p[2] === null
          ? undefined
          : list(p[2], 'eth_feeHistory: rewardPercentiles', (v, i) => {
              if (typeof v !== 'number' || !(v >= 0 && v <= 100) || (i > 0 && v < ((p[2] as unknown[])[i - 1] as number))) {
                throw new ZkosError('INVALID_ARGUMENT', 'eth_feeHistory: rewardPercentiles must be increasing numbers from 0 to 100');
              }
              return v;
            });
      const n = count > 1024n ? 1024n : count;
      // The blocks reported: the run of blocks ending at the newest, oldestBlock the first of
      // them. A state load can move the head past numbers no block has; before, those were
      // skipped while oldestBlock stayed newest + 1 - blockCount, so the lists lined up with
      // blocks that do not exist.
      const blocks = [];
      for (let i = newest; BigInt(blocks.length) < n && i >= 0n; i--) {
        const b = e.getBlock(i);
        if (b === undefined) break;
        blocks.push(b);
      }
      if (n > 0n && blocks.length === 0) throw new ZkosError('NOT_FOUND', 'eth_feeHistory: unknown block');
      blocks.reverse();
      const oldest = newest + 1n - BigInt(blocks.length);
      const baseFees: Hex[] = [];
      const blobFees: Hex[] = [];
      const ratios: number[] = [];
      const blobRatios: number[] = [];
      const rewards: Hex[][] = [];
      for (const b of blocks) {
        baseFees.push(toQuantityHex(b.baseFeePerGas));
        blobFees.push(toQuantityHex(b.blobBaseFee));
        ratios.push(b.gasLimit === 0n ? 0 : Number(b.gasUsed) / Number(b.gasLimit));
        blobRatios.push(Number(b.blobGasUsed) / MAX_BLOB_GAS_PER_BLOCK[e.hardfork]);
        if (percentiles !== undefined && percentiles.length > 0) rewards.push(percentiles.map(() => '0x0' as Hex));
      }
      // The extra entry is the block after the newest: a block of the chain when there is one
      // (geth reads its header), else the next block's.
      const after = e.getBlock(newest + 1n);
      const fees = e.fees();
      baseFees.push(toQuantityHex(after?.baseFeePerGas ?? fees.baseFeePerGas));
      blobFees.push(toQuantityHex(after?.blobBaseFee ?? fees.blobBaseFee));
      const out: Record<string, unknown> = { oldestBlock: toQuantityHex(oldest), baseFeePerGas: baseFees, gasUsedRatio: ratios, baseFeePerBlobGas: blobFees, blobGasUsedRatio: blobRatios };
      // With no percentiles, given empty or not, anvil answers `reward: []` (geth leaves it out);
      // before, an empty list answered one empty list a block (`[[]]`), as neither does.
      out.reward = rewards;
      return out;
    }),
    debug_traceTransaction: method(2, (e, p, l) => {
      const hash = toHash(param(p, 0, 'debug_traceTransaction'), 'debug_traceTransaction: hash');
      return e.traceTransaction(hash, traceOptions(p[1], 'debug_traceTransaction', l));
    }),
    debug_traceBlockByNumber: method(2, (e, p, l) =>
      traceBlock(e, blockId(param(p, 0, 'debug_traceBlockByNumber'), 'debug_traceBlockByNumber'), traceOptions(p[1], 'debug_traceBlockByNumber', l), 'debug_traceBlockByNumber'),
    ),
    debug_traceBlockByHash: method(2, (e, p, l) =>
      traceBlock(e, toHash(param(p, 0, 'debug_traceBlockByHash'), 'debug_traceBlockByHash: hash'), traceOptions(p[1], 'debug_traceBlockByHash', l), 'debug_traceBlockByHash'),
    ),
    debug_traceCall: method(3, (e, p, l) => {
      const tx = txRequest(param(p, 0, 'debug_traceCall'), 'debug_traceCall');
      const at = simulationAt(e, p[1], 'debug_traceCall');
      return atBlock('debug_traceCall', at, () => e.trace(tx, { ...traceOptions(p[2], 'debug_traceCall', l), blockNumber: at }));
    }),
  }),
);

/** Names of the JSON-RPC methods the provider answers. */
export const PROVIDER_METHODS: readonly string[] = Object.keys(METHODS);
