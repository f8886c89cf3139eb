// The dev node's JSON-RPC methods: dev accounts and signing, unsigned sends, logs and filters,
// mining and time control, snapshots, state setters, dump/load and the pool, under anvil's and
// Hardhat's names. Everything else is answered by the engine's provider.
import { type Engine, engineInternals } from '../engine.js';
import { ZkosError } from '../errors.js';
import { ForkedEngine, forkedInternals } from '../fork/forked-engine.js';
import { type Hex, show, toAddress, toBigInt, toBytes, toHash, toQuantityHex, toWord } from '../hex.js';
import { type Eip1193Provider, type Limits, type ProviderOptions, type RequestArguments, ProviderRpcError, RPC_ERRORS, createProvider, sendingRaw, formatAuthorizations, formatTransaction, limitsOf, toRpcError } from '../provider.js';
import { type PlainRequest, readRequest } from '../plain.js';
import type { TxRequest } from '../types.js';
import { envelopeSignature } from '../rlp.js';
import { personalDigest, signature65 } from './accounts.js';
import { type ChainEvent, type DevChain, MAX_MINE_BLOCKS, type Pause } from './dev-chain.js';
import { Filters } from './filters.js';
import { getLogs, logCriteria } from './logs.js';
import type { PoolEntry } from './pool.js';
import { simulateV1 } from './simulate.js';
import { baseFeeParam, coinbaseParam, gasLimitParam, setBlockParams } from './block-params.js';
import { metadata, nodeInfo } from './node-info.js';
import { withTagsResolved } from '../fork/block-tags.js';
import { registerLanes } from './turns.js';
import { dumpStateHex, parseState } from './state-file.js';
import { messageBytes, typedDataDigest } from './typed-data.js';

/** What a dev method sees: the chain, its filters, the provider's bounds, the engine's provider for the rest, and how to pass the chain's turn. */
interface Context {
  readonly chain: DevChain;
  readonly filters: Filters;
  readonly base: Eip1193Provider;
  readonly limits: Limits;
  readonly pause: Pause;
}

type Handler = (c: Context, p: unknown[]) => unknown;
type Listener = Parameters<Eip1193Provider['on']>[1];
interface Method {
  readonly params: number;
  readonly run: Handler;
}
const method = (params: number, run: Handler): Method => ({ params, run });

/** JSON-RPC code of a request refused at a bound of the node (as the server's). */
const LIMIT_EXCEEDED = -32005;

/** Most params a request may carry. */
const MAX_PARAMS = 64;

function param(p: unknown[], i: number, name: string): unknown {
  if (p[i] === undefined || p[i] === null) throw new ZkosError('INVALID_ARGUMENT', `${name}: missing parameter ${i}`);
  return p[i];
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a boolean, got ${show(value)}`);
  return value;
}

function keyOf(c: Context, address: unknown, name: string): Hex {
  const a = toAddress(address, `${name}: address`);
  const key = c.chain.keyOf(a);
  if (key === undefined) throw new ZkosError('INVALID_ARGUMENT', `${name}: ${a} is not a dev account (no key to sign with)`);
  return key;
}

/** keccak-256 by the wasm of the chain's engine (several times faster than the JS one; the EIP-712 digests). */
function engineKeccak(c: Context): (data: Uint8Array) => Uint8Array {
  const engine = c.chain.engine;
  const inner = engine instanceof ForkedEngine ? forkedInternals(engine) : engineInternals(engine);
  return (data) => inner.keccak(data);
}

/**
 * A pending transaction in JSON-RPC form (no block yet), with what a mined one carries: chain id,
 * signature (zero for an unsigned request, as once mined), `yParity` and access list of a typed
 * one. Before, the chain id and signature were missing and ethers v6 could not read it ("missing
 * r"): its `JsonRpcSigner.sendTransaction` failed for every transaction that waited (automine
 * off, or a nonce ahead queued).
 */
function formatPending(e: PoolEntry, chainId: bigint): Record<string, unknown> {
  const i = e.info;
  const sig = typeof e.item === 'string' ? envelopeSignature(e.item) : undefined;
  const v = sig?.v ?? 0n;
  // A legacy envelope carries its chain in v (EIP-155: 35 + 2 * chainId + parity); one of 27/28 names none.
  const legacy = i.type === 0n && sig !== undefined;
  const chain = legacy ? (v >= 35n ? (v - 35n) / 2n : undefined) : chainId;
  return {
    hash: i.hash,
    type: toQuantityHex(i.type),
    ...(chain === undefined ? {} : { chainId: toQuantityHex(chain) }),
    from: i.from,
    to: i.to,
    nonce: toQuantityHex(i.nonce),
    gas: toQuantityHex(i.gas),
    gasPrice: toQuantityHex(i.maxFeePerGas),
    maxFeePerGas: toQuantityHex(i.maxFeePerGas),
    maxPriorityFeePerGas: toQuantityHex(i.maxPriorityFeePerGas),
    value: toQuantityHex(i.value),
    input: i.input,
    v: toQuantityHex(v),
    r: toQuantityHex(sig?.r ?? 0n),
    s: toQuantityHex(sig?.s ?? 0n),
    ...(i.type === 0n ? {} : { yParity: toQuantityHex(v), accessList: i.accessList }),
    ...(i.type === 4n ? { authorizationList: formatAuthorizations(i.authorizationList) } : {}),
    blockHash: null,
    blockNumber: null,
    transactionIndex: null,
  };
}

/** txpool_content's `{ sender: { nonce: tx } }`. */
function bySender(entries: PoolEntry[], shape: (e: PoolEntry) => unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of entries) (out[e.info.from] ??= {})[e.info.nonce.toString(10)] = shape(e);
  return out;
}

/** Methods with the same meaning under `anvil_` and `hardhat_`; `anvil` and `hardhat` give each name's answer. */
function both(name: string, params: number, run: (c: Context, p: unknown[]) => unknown, anvil: unknown, hardhat: unknown): Record<string, Method> {
  return {
    [`anvil_${name}`]: method(params, async (c, p) => (await run(c, p), anvil)),
    [`hardhat_${name}`]: method(params, async (c, p) => (await run(c, p), hardhat)),
  };
}

/** Longest mining interval, in milliseconds (what a timer can wait). */
const MAX_INTERVAL_MS = 2n ** 31n - 1n;

/** An interval given in units of `msPerUnit` milliseconds, as milliseconds. */
function intervalMs(value: unknown, msPerUnit: bigint, what: string): number {
  const ms = toBigInt(value, what) * msPerUnit;
  if (ms > MAX_INTERVAL_MS) throw new ZkosError('INVALID_ARGUMENT', `${what}: at most ${MAX_INTERVAL_MS / msPerUnit}`);
  return Number(ms);
}

function mine(c: Context, p: unknown[], name: string): Promise<bigint> {
  const count = p[0] === undefined || p[0] === null ? 1n : toBigInt(p[0], `${name}: blocks`);
  const interval = p[1] === undefined || p[1] === null ? undefined : toBigInt(p[1], `${name}: interval`);
  return c.chain.mine(count, interval, c.pause);
}

/** A param that is absent or an object (not an array), else `-32602`. */
function optionsObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${what}: expected an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

/**
 * Resets the chain to its start; `{ forking: { jsonRpcUrl?, blockNumber? } }` with either set is
 * refused (another chain, or another block of the fork), but for a fork's own block number
 * without a URL: viem's `testClient.reset({ blockNumber })` back to the block the node forks,
 * which anvil answers by forking that block again (before, refused). Before that, a param of any
 * type reset the chain (an array 1,000,000 deep did), and a fork block asked for was ignored.
 */
function reset(c: Context, p: unknown[]): void {
  const forking = optionsObject(optionsObject(p[0], 'reset: options').forking, 'reset: forking');
  const pin = c.chain.engine instanceof ForkedEngine ? c.chain.engine.forkBlock.number : undefined;
  const restart = pin === undefined ? 'start the node with' : 'restart the node with';
  if (forking.jsonRpcUrl !== undefined && forking.jsonRpcUrl !== null) throw new ZkosError('INVALID_ARGUMENT', `reset: forking another chain is not available (${restart} --fork)`);
  if (forking.blockNumber !== undefined && forking.blockNumber !== null && (pin === undefined || toBigInt(forking.blockNumber, 'reset: forking.blockNumber') !== pin)) {
    throw new ZkosError('INVALID_ARGUMENT', `reset: forking another block is not available (${restart} --fork-block${pin === undefined ? '' : `; this node forks block ${pin}`})`);
  }
  c.chain.reset();
}

/** The engine of a dev chain that does not fork (dumps and loads hold a whole state). */
function localEngine(c: Context, method: string): Engine {
  if (c.chain.engine instanceof ForkedEngine) throw new ZkosError('INVALID_ARGUMENT', `${method}: not available over a fork (the state is the forked chain's)`);
  return c.chain.engine;
}

/** Most accounts impersonated at once (each a few hundred bytes of the process; anvil keeps no bound). */
export const MAX_IMPERSONATED = 100_000;

function impersonate(c: Context, p: unknown[], on: boolean): void {
  const a = toAddress(param(p, 0, 'impersonateAccount'), 'impersonateAccount: address');
  const set = c.chain.impersonated;
  if (on && !set.has(a) && set.size >= MAX_IMPERSONATED) {
    throw new ProviderRpcError(LIMIT_EXCEEDED, `impersonateAccount: ${MAX_IMPERSONATED} accounts are impersonated already (stopImpersonatingAccount frees one; anvil_autoImpersonateAccount lets any account send)`);
  }
  if (on) set.add(a);
  else c.chain.impersonated.delete(a);
}

/**
 * Other names anvil answers some of these methods to, with the same answers (its serde aliases,
 * foundry crates/anvil/core/src/eth/mod.rs at 2a5df2c); before, each was -32601 here.
 */
const ANVIL_ALIASES: Readonly<Record<string, string>> = {
  hardhat_autoImpersonateAccount: 'anvil_autoImpersonateAccount',
  hardhat_dropAllTransactions: 'anvil_dropAllTransactions',
  hardhat_dumpState: 'anvil_dumpState',
  hardhat_loadState: 'anvil_loadState',
  evm_setAccountNonce: 'anvil_setNonce',
};

/** `methods` with the aliases of `ANVIL_ALIASES` added. */
function withAliases(methods: Record<string, Method>): Record<string, Method> {
  for (const [alias, name] of Object.entries(ANVIL_ALIASES)) methods[alias] = methods[name] as Method;
  return methods;
}

const METHODS: Readonly<Record<string, Method>> = Object.freeze(
  withAliases(Object.assign(Object.create(null) as Record<string, Method>, {
    eth_accounts: method(0, (c) => c.chain.accounts.map((a) => a.address)),
    eth_requestAccounts: method(0, (c) => c.chain.accounts.map((a) => a.address)),
    // The next block's fee recipient, as anvil answers (before, the head's; anvil_setCoinbase changes it).
    eth_coinbase: method(0, (c) => c.chain.engine.fees().coinbase),
    eth_mining: method(0, (c) => c.chain.intervalMs > 0),
    eth_sendTransaction: method(1, (c, p) => {
      const tx = param(p, 0, 'eth_sendTransaction');
      if (typeof tx !== 'object' || Array.isArray(tx)) throw new ZkosError('INVALID_ARGUMENT', 'eth_sendTransaction: transaction must be an object');
      return c.chain.sendTransaction(tx as TxRequest, { pause: c.pause });
    }),
    eth_sendUnsignedTransaction: method(1, (c, p) => {
      const tx = param(p, 0, 'eth_sendUnsignedTransaction');
      if (typeof tx !== 'object' || Array.isArray(tx)) throw new ZkosError('INVALID_ARGUMENT', 'eth_sendUnsignedTransaction: transaction must be an object');
      return c.chain.sendTransaction(tx as TxRequest, { unsigned: true, pause: c.pause });
    }),
    eth_sendRawTransaction: method(1, (c, p) => sendingRaw(() => c.chain.submit(toBytes(param(p, 0, 'eth_sendRawTransaction'), 'eth_sendRawTransaction: data'), c.pause))),
    eth_getTransactionCount: method(2, async (c, p) => {
      if (p[1] !== 'pending') return c.base.request({ method: 'eth_getTransactionCount', params: p });
      return toQuantityHex(await c.chain.pendingNonce(toAddress(param(p, 0, 'eth_getTransactionCount'), 'eth_getTransactionCount: address')));
    }),
    eth_getTransactionByHash: method(1, (c, p) => {
      const hash = toHash(param(p, 0, 'eth_getTransactionByHash'), 'eth_getTransactionByHash: hash');
      const pending = c.chain.pool.get(hash) ?? c.chain.queued.get(hash);
      if (pending !== undefined) return formatPending(pending, c.chain.engine.chainId);
      const tx = c.chain.engine.getTransaction(hash);
      // Not this chain's: over a fork, maybe the forked chain's (the base provider asks its node).
      return tx === undefined ? c.base.request({ method: 'eth_getTransactionByHash', params: [hash] }) : formatTransaction(tx);
    }),
    eth_signTransaction: method(1, (c, p) => {
      const tx = param(p, 0, 'eth_signTransaction');
      if (typeof tx !== 'object' || Array.isArray(tx)) throw new ZkosError('INVALID_ARGUMENT', 'eth_signTransaction: transaction must be an object');
      return c.chain.signTransaction(tx as TxRequest);
    }),
    eth_sign: method(2, (c, p) => signature65(keyOf(c, param(p, 0, 'eth_sign'), 'eth_sign'), personalDigest(messageBytes(param(p, 1, 'eth_sign'), 'eth_sign: message')))),
    personal_sign: method(2, (c, p) => signature65(keyOf(c, param(p, 1, 'personal_sign'), 'personal_sign'), personalDigest(messageBytes(param(p, 0, 'personal_sign'), 'personal_sign: message')))),
    eth_signTypedData_v4: method(2, (c, p) => signature65(keyOf(c, param(p, 0, 'eth_signTypedData_v4'), 'eth_signTypedData_v4'), typedDataDigest(param(p, 1, 'eth_signTypedData_v4'), engineKeccak(c)))),
    eth_simulateV1: method(2, (c, p) => simulateV1(localEngine(c, 'eth_simulateV1'), p, c.limits)),
    eth_subscribe: method(2, () => {
      throw new ProviderRpcError(RPC_ERRORS.methodNotFound, 'eth_subscribe: subscriptions need a WebSocket connection (ws:// on the same port)');
    }),
    eth_unsubscribe: method(1, () => {
      throw new ProviderRpcError(RPC_ERRORS.methodNotFound, 'eth_unsubscribe: subscriptions need a WebSocket connection (ws:// on the same port)');
    }),
    eth_getLogs: method(1, (c, p) => getLogs(c.chain.engine, param(p, 0, 'eth_getLogs'))),
    eth_newFilter: method(1, (c, p) => c.filters.newLogFilter(c.chain, logCriteria(p[0], 'eth_newFilter'), p[0])),
    eth_newBlockFilter: method(0, (c) => c.filters.newBlockFilter(c.chain)),
    eth_newPendingTransactionFilter: method(0, (c) => c.filters.newPendingFilter(c.chain)),
    eth_getFilterChanges: method(1, (c, p) => c.filters.changes(c.chain, toQuantityHex(toBigInt(param(p, 0, 'eth_getFilterChanges'), 'eth_getFilterChanges: id')))),
    eth_getFilterLogs: method(1, (c, p) => c.filters.logs(c.chain, toQuantityHex(toBigInt(param(p, 0, 'eth_getFilterLogs'), 'eth_getFilterLogs: id')))),
    eth_uninstallFilter: method(1, (c, p) => c.filters.uninstall(toQuantityHex(toBigInt(param(p, 0, 'eth_uninstallFilter'), 'eth_uninstallFilter: id')))),
    ...both('setBalance', 2, (c, p) => c.chain.setState('setBalance', toAddress(param(p, 0, 'setBalance'), 'setBalance: address'), { balance: toBigInt(param(p, 1, 'setBalance'), 'setBalance: balance') }), null, true),
    ...both('setCode', 2, (c, p) => c.chain.setState('setCode', toAddress(param(p, 0, 'setCode'), 'setCode: address'), { code: toBytes(param(p, 1, 'setCode'), 'setCode: code') }), null, true),
    ...both('setNonce', 2, (c, p) => c.chain.setState('setNonce', toAddress(param(p, 0, 'setNonce'), 'setNonce: address'), { nonce: toBigInt(param(p, 1, 'setNonce'), 'setNonce: nonce') }), null, true),
    ...both(
      'setStorageAt',
      3,
      (c, p) => c.chain.setState('setStorageAt', toAddress(param(p, 0, 'setStorageAt'), 'setStorageAt: address'), { slot: toWord(param(p, 1, 'setStorageAt'), 'setStorageAt: slot'), value: toWord(param(p, 2, 'setStorageAt'), 'setStorageAt: value') }),
      true,
      true,
    ),
    ...both('impersonateAccount', 1, (c, p) => impersonate(c, p, true), null, true),
    ...both('stopImpersonatingAccount', 1, (c, p) => impersonate(c, p, false), null, true),
    anvil_autoImpersonateAccount: method(1, (c, p) => ((c.chain.autoImpersonate = bool(param(p, 0, 'anvil_autoImpersonateAccount'), 'anvil_autoImpersonateAccount')), null)),
    ...both('mine', 2, (c, p) => mine(c, p, 'mine'), null, true),
    evm_mine: method(1, async (c, p) => {
      // A timestamp (Hardhat's), or anvil's `{ timestamp?, blocks? }` (before, `{ blocks }` was refused).
      // An array was read as an object without either (one block mined).
      const o = p[0] !== null && typeof p[0] === 'object' ? optionsObject(p[0], 'evm_mine: options') : { timestamp: p[0] };
      const count = o.blocks === undefined || o.blocks === null ? 1n : toBigInt(o.blocks, 'evm_mine: blocks');
      if (count < 1n || count > BigInt(MAX_MINE_BLOCKS)) throw new ZkosError('INVALID_ARGUMENT', `evm_mine: blocks must be 1 to ${MAX_MINE_BLOCKS}`);
      if (o.timestamp !== undefined && o.timestamp !== null) c.chain.setNextBlockTimestamp(toBigInt(o.timestamp, 'evm_mine: timestamp'));
      await c.chain.mine(count, undefined, c.pause);
      return '0x0';
    }),
    evm_setAutomine: method(1, (c, p) => ((c.chain.automine = bool(param(p, 0, 'evm_setAutomine'), 'evm_setAutomine')), true)),
    anvil_setAutomine: method(1, (c, p) => ((c.chain.automine = bool(param(p, 0, 'anvil_setAutomine'), 'anvil_setAutomine')), null)),
    anvil_getAutomine: method(0, (c) => c.chain.automine),
    hardhat_getAutomine: method(0, (c) => c.chain.automine),
    evm_setIntervalMining: method(1, (c, p) => (c.chain.setIntervalMining(intervalMs(param(p, 0, 'evm_setIntervalMining'), 1n, 'evm_setIntervalMining: ms')), true)),
    anvil_setIntervalMining: method(1, (c, p) => (c.chain.setIntervalMining(intervalMs(param(p, 0, 'anvil_setIntervalMining'), 1000n, 'anvil_setIntervalMining: seconds')), null)),
    anvil_getIntervalMining: method(0, (c) => Math.floor(c.chain.intervalMs / 1000)),
    ...both(
      'dropTransaction',
      1,
      (c, p) => {
        const hash = toHash(param(p, 0, 'dropTransaction'), 'dropTransaction: hash');
        return c.chain.pool.drop(hash) || c.chain.queued.drop(hash);
      },
      null,
      true,
    ),
    ...both('setNextBlockBaseFeePerGas', 1, (c, p) => setBlockParams(c.chain.engine, baseFeeParam(param(p, 0, 'setNextBlockBaseFeePerGas'), 'setNextBlockBaseFeePerGas')), null, true),
    ...both('setCoinbase', 1, (c, p) => setBlockParams(c.chain.engine, coinbaseParam(param(p, 0, 'setCoinbase'), 'setCoinbase')), null, true),
    evm_setBlockGasLimit: method(1, (c, p) => (setBlockParams(c.chain.engine, gasLimitParam(param(p, 0, 'evm_setBlockGasLimit'), 'evm_setBlockGasLimit')), true)),
    anvil_setBlockGasLimit: method(1, (c, p) => (setBlockParams(c.chain.engine, gasLimitParam(param(p, 0, 'anvil_setBlockGasLimit'), 'anvil_setBlockGasLimit')), true)),
    ...both(
      'setMinGasPrice',
      1,
      () => {
        // As anvil refuses it: every block has a base fee, and the pool orders by tip.
        throw new ZkosError('INVALID_ARGUMENT', 'setMinGasPrice is not supported when EIP-1559 is active (every block has a base fee: anvil_setNextBlockBaseFeePerGas sets it)');
      },
      null,
      true,
    ),
    anvil_nodeInfo: method(0, (c) => nodeInfo(c.chain)),
    anvil_metadata: method(0, (c) => metadata(c.chain)),
    hardhat_metadata: method(0, (c) => metadata(c.chain)),
    anvil_dropAllTransactions: method(0, (c) => (c.chain.pool.clear(), c.chain.queued.clear(), null)),
    ...both('reset', 1, reset, null, true),
    evm_increaseTime: method(1, (c, p) => toQuantityHex(c.chain.increaseTime(toBigInt(param(p, 0, 'evm_increaseTime'), 'evm_increaseTime: seconds')))),
    anvil_increaseTime: method(1, (c, p) => toQuantityHex(c.chain.increaseTime(toBigInt(param(p, 0, 'anvil_increaseTime'), 'anvil_increaseTime: seconds')))),
    evm_setNextBlockTimestamp: method(1, (c, p) => (c.chain.setNextBlockTimestamp(toBigInt(param(p, 0, 'evm_setNextBlockTimestamp'), 'evm_setNextBlockTimestamp: timestamp')), null)),
    anvil_setNextBlockTimestamp: method(1, (c, p) => (c.chain.setNextBlockTimestamp(toBigInt(param(p, 0, 'anvil_setNextBlockTimestamp'), 'anvil_setNextBlockTimestamp: timestamp')), null)),
    evm_snapshot: method(0, (c) => toQuantityHex(c.chain.snapshot())),
    anvil_snapshot: method(0, (c) => toQuantityHex(c.chain.snapshot())),
    evm_revert: method(1, (c, p) => c.chain.revert(toBigInt(param(p, 0, 'evm_revert'), 'evm_revert: id'))),
    anvil_revert: method(1, (c, p) => c.chain.revert(toBigInt(param(p, 0, 'anvil_revert'), 'anvil_revert: id'))),
    anvil_dumpState: method(0, (c) => dumpStateHex(c.chain.engine)),
    anvil_loadState: method(1, async (c, p) => {
      localEngine(c, 'anvil_loadState');
      await c.chain.loadState(parseState(param(p, 0, 'anvil_loadState')));
      return true;
    }),
    txpool_status: method(0, (c) => ({ pending: toQuantityHex(c.chain.pool.size), queued: toQuantityHex(c.chain.queued.size) })),
    txpool_content: method(0, (c) => {
      const shape = (e: PoolEntry) => formatPending(e, c.chain.engine.chainId);
      return { pending: bySender(c.chain.pool.entries(), shape), queued: bySender(c.chain.queued.entries(), shape) };
    }),
    txpool_inspect: method(0, (c) => {
      const line = (e: PoolEntry): string => `${e.info.to ?? 'contract creation'}: ${e.info.value} wei + ${e.info.gas} gas × ${e.info.maxFeePerGas} wei`;
      // Before, `queued` was always empty, while txpool_status and txpool_content counted the queue.
      return { pending: bySender(c.chain.pool.entries(), line), queued: bySender(c.chain.queued.entries(), line) };
    }),
  })),
);

/** Names of the methods the dev node adds to (or answers instead of) the engine's provider. */
export const DEV_METHODS: readonly string[] = Object.keys(METHODS);

/** An EIP-1193 provider over a dev chain: the dev methods, then the engine's provider (bounded by `options`). */
export function createDevProvider(chain: DevChain, options: ProviderOptions = {}): Eip1193Provider {
  const base = createProvider(chain.engine, options);
  const shared = { chain, filters: new Filters(chain.watching), base, limits: limitsOf(options) };
  // Every block of the chain, however mined (a dev method, the interval timer, a transaction), as
  // the `block` event (the engine's provider sees none of them: before, `anvil_mine`, `evm_mine`
  // and `eth_sendTransaction` emitted nothing).
  const blockListeners = new Set<Listener>();
  let unwatch: (() => void) | undefined;
  const onChain = (event: ChainEvent): void => {
    if (event.kind !== 'blocks') return;
    for (const l of [...blockListeners]) {
      try {
        l(toQuantityHex(event.last));
      } catch {
        // A listener's failure is the listener's business.
      }
    }
  };
  const provider: Eip1193Provider = {
    request: (args: RequestArguments) => chain.exclusive((pause) => dispatch(args, { ...shared, pause })),
    on(event, listener) {
      if (event !== 'block') base.on(event, listener);
      else {
        blockListeners.add(listener);
        unwatch ??= chain.watch(onChain);
      }
      return provider;
    },
    removeListener(event, listener) {
      if (event !== 'block') base.removeListener(event, listener);
      else if (blockListeners.delete(listener) && blockListeners.size === 0) {
        unwatch?.();
        unwatch = undefined;
      }
      return provider;
    },
  };
  const dispatch = async (args: RequestArguments, context: Context): Promise<unknown> => {
    let read: PlainRequest;
    try {
      read = readRequest(args);
    } catch (err) {
      throw toRpcError(err);
    }
    const name = read.method;
    // `safe` and `finalized` name the blocks 32 and 64 below the head, as anvil names them (fork/block-tags.ts).
    if (typeof name === 'string' && Array.isArray(read.params)) read = { ...read, params: withTagsResolved(name, read.params, chain.engine.blockNumber()) };
    const m = typeof name === 'string' && Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
    if (m === undefined) return base.request(args !== null && typeof args === 'object' && !Array.isArray(args) ? (read as RequestArguments) : args);
    try {
      const given = read.params;
      const params = given === undefined || given === null ? [] : given;
      if (!Array.isArray(params)) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${String(name)}: params must be an array`);
      if (params.length > MAX_PARAMS) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${String(name)}: more than ${MAX_PARAMS} parameters`);
      let count = params.length;
      while (count > 0 && (params[count - 1] === undefined || params[count - 1] === null)) count--;
      if (count > m.params) throw new ProviderRpcError(RPC_ERRORS.invalidParams, `${String(name)}: too many parameters, want at most ${m.params}`);
      return await m.run(context, params.slice(0, count));
    } catch (err) {
      throw toRpcError(err);
    }
  };
  registerLanes(provider, (args, lane) => chain.exclusive((pause) => dispatch(args, { ...shared, pause }), lane));
  return provider;
}
