// eth_simulateV1 (geth's shape): blocks of calls on top of the head, each block with its state
// overrides applied first and its header fields overridden, run as real engine blocks of
// unsigned transactions on a snapshot that is restored afterwards. Facts (limits, defaults,
// error codes) follow go-ethereum's internal/ethapi/simulate.go and errors.go.
import type { Engine } from '../engine.js';
import { ZkosError } from '../errors.js';
import { type Hex, show, toBigInt, toQuantityHex } from '../hex.js';
import { type CanonicalBlockOverride, canonicalBlockOverride, canonicalStateOverride } from '../input.js';
import { type Limits, ProviderRpcError, formatBlock } from '../provider.js';
import { Deadline } from '../timeout.js';
import { revertMessage } from '../revert.js';
import type { BlockOverride, BlockResult, StateOverride, TxRequest, TxResult } from '../types.js';
import { transferLogs } from './transfers.js';

/** Most blocks one simulation spans above the head, gaps included (geth's maxSimulateBlocks). */
export const MAX_SIMULATE_BLOCKS = 256;
/** Most calls one simulation runs. */
export const MAX_SIMULATE_CALLS = 1_000;
/** EIP-7825's cap on a transaction's gas limit from Osaka, in gas. */
const MAX_TX_GAS_OSAKA = 1n << 24n;
/** Seconds between simulated blocks whose time is not given (geth's timestampIncrement). */
const TIMESTAMP_INCREMENT_SECONDS = 12n;

/** JSON-RPC error codes of eth_simulateV1 (go-ethereum internal/ethapi/errors.go). */
const SIM_ERRORS = {
  nonceTooLow: -38010,
  nonceTooHigh: -38011,
  intrinsicGas: -38013,
  insufficientFunds: -38014,
  blockGasLimitReached: -38015,
  blockNumberInvalid: -38020,
  blockTimestampInvalid: -38021,
  senderIsNotEoa: -38024,
  maxInitCodeSizeExceeded: -38025,
  clientLimitExceeded: -38026,
  invalidParams: -32602,
  internal: -32603,
  reverted: 3,
  vmError: -32015,
} as const;

/** The simulation error code of an engine rule that refused a call (see SIM_ERRORS). */
const CODE_OF_REASON: Readonly<Record<string, number>> = {
  NonceTooLow: SIM_ERRORS.nonceTooLow,
  NonceTooHigh: SIM_ERRORS.nonceTooHigh,
  NonceMax: SIM_ERRORS.nonceTooHigh,
  IntrinsicGasTooLow: SIM_ERRORS.intrinsicGas,
  FloorGasTooLow: SIM_ERRORS.intrinsicGas,
  InsufficientFunds: SIM_ERRORS.insufficientFunds,
  GasLimitAboveBlock: SIM_ERRORS.blockGasLimitReached,
  BlockGasLimitReached: SIM_ERRORS.blockGasLimitReached,
  // Version 2 refuses every transaction of a block whose gas limit ergs cannot count: the
  // override is the caller's parameter.
  BlockGasLimitTooHigh: SIM_ERRORS.invalidParams,
  SenderHasCode: SIM_ERRORS.senderIsNotEoa,
  InitcodeTooLarge: SIM_ERRORS.maxInitCodeSizeExceeded,
  FeeCapBelowBaseFee: SIM_ERRORS.invalidParams,
  PriorityFeeAboveFeeCap: SIM_ERRORS.invalidParams,
};

const OPTION_KEYS = ['blockStateCalls', 'traceTransfers', 'validation', 'returnFullTransactions'];
const BLOCK_KEYS = ['blockOverrides', 'stateOverrides', 'calls'];
/** Block override fields the engine's blocks take (prevRandao, blobBaseFee and withdrawals are not). */
const BLOCK_OVERRIDE_KEYS = ['number', 'time', 'timestamp', 'gasLimit', 'feeRecipient', 'coinbase', 'baseFeePerGas', 'baseFee'];

/** One block to simulate, its header settled. */
interface SimBlock {
  readonly number: bigint;
  readonly timestamp: bigint;
  readonly overrides: CanonicalBlockOverride;
  readonly state: ReturnType<typeof canonicalStateOverride>;
  readonly calls: TxRequest[];
}

function fail(code: number, message: string): never {
  throw new ProviderRpcError(code, message);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(SIM_ERRORS.invalidParams, `eth_simulateV1: ${what} must be an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, keys: readonly string[], what: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(SIM_ERRORS.invalidParams, `eth_simulateV1: ${what}: unknown or unsupported field ${show(k)}`);
}

function flag(value: unknown, what: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') fail(SIM_ERRORS.invalidParams, `eth_simulateV1: ${what} must be a boolean`);
  return value;
}

/** The blocks to run: numbers and timestamps filled in and checked, gaps filled with empty blocks (as geth does). */
function settle(engine: Engine, raw: unknown[]): SimBlock[] {
  const head = engine.getBlock('latest');
  if (head === undefined) fail(SIM_ERRORS.internal, 'eth_simulateV1: no head block');
  // geth's bound on the list itself, before any block is read (an in-process caller's sparse
  // array of 2^32 - 1 holes was walked for 105 s).
  if (raw.length > MAX_SIMULATE_BLOCKS) fail(SIM_ERRORS.clientLimitExceeded, 'too many blocks');
  const out: SimBlock[] = [];
  let number = head.number;
  let timestamp = head.timestamp;
  let calls = 0;
  raw.forEach((value, i) => {
    const b = record(value, `blockStateCalls[${i}]`);
    onlyKeys(b, BLOCK_KEYS, `blockStateCalls[${i}]`);
    const bo = b.blockOverrides === undefined || b.blockOverrides === null ? {} : record(b.blockOverrides, `blockStateCalls[${i}].blockOverrides`);
    onlyKeys(bo, BLOCK_OVERRIDE_KEYS, `blockStateCalls[${i}].blockOverrides`);
    const overrides = canonicalBlockOverride(bo as BlockOverride, `blockStateCalls[${i}].blockOverrides`) ?? {};
    const state = canonicalStateOverride(b.stateOverrides as StateOverride | undefined, `blockStateCalls[${i}].stateOverrides`);
    const list = b.calls === undefined || b.calls === null ? [] : b.calls;
    if (!Array.isArray(list)) fail(SIM_ERRORS.invalidParams, `eth_simulateV1: blockStateCalls[${i}].calls must be an array`);
    calls += list.length;
    if (calls > MAX_SIMULATE_CALLS) fail(SIM_ERRORS.clientLimitExceeded, `eth_simulateV1: more than ${MAX_SIMULATE_CALLS} calls`);
    const wanted = overrides.number ?? number + 1n;
    if (wanted <= number) fail(SIM_ERRORS.blockNumberInvalid, `block numbers must be in order: ${wanted} <= ${number}`);
    if (wanted - head.number > BigInt(MAX_SIMULATE_BLOCKS)) fail(SIM_ERRORS.clientLimitExceeded, 'too many blocks');
    for (let n = number + 1n; n < wanted; n++) {
      timestamp += TIMESTAMP_INCREMENT_SECONDS;
      out.push({ number: n, timestamp, overrides: {}, state: [], calls: [] });
    }
    const time = overrides.timestamp ?? timestamp + TIMESTAMP_INCREMENT_SECONDS;
    if (time <= timestamp) fail(SIM_ERRORS.blockTimestampInvalid, `block timestamps must be in order: ${time} <= ${timestamp}`);
    number = wanted;
    timestamp = time;
    out.push({ number, timestamp, overrides, state, calls: list.map((c, j) => record(c, `blockStateCalls[${i}].calls[${j}]`) as TxRequest) });
  });
  return out;
}

/**
 * Applies a block's state overrides: given fields replace the account's, `state` replaces its
 * whole storage. The time they take counts twice against the simulation's bound (undoing them
 * afterwards takes as long), checked after each account: before, 1,000 accounts of 100 slots
 * each took 5 s to set and 5 s to undo with no bound, holding the node 11 s.
 */
function applyState(engine: Engine, state: SimBlock['state'], deadline: Deadline | undefined): void {
  for (const [address, o] of state) {
    const began = performance.now();
    const storage: Record<string, Hex> = {};
    if (o.state !== undefined) for (const [slot] of engine.getStorageAll(address)) storage[slot] = toQuantityHex(0n);
    for (const [slot, value] of o.state ?? o.stateDiff ?? []) storage[slot] = toQuantityHex(toBigInt(value, 'slot'));
    engine.setAccount(address, { ...(o.balance === undefined ? {} : { balance: o.balance }), ...(o.nonce === undefined ? {} : { nonce: o.nonce }), ...(o.code === undefined ? {} : { code: o.code }), storage });
    deadline?.spend(2 * (performance.now() - began));
  }
}

/** A call as the block takes it: without validation its nonce is the sender's (not checked) and its fees default to zero with the base fee. */
function request(call: TxRequest, validation: boolean): TxRequest {
  if (validation) return call;
  const { nonce: _ignored, ...rest } = call;
  return rest;
}

/** The block's header fields for the engine. */
function header(b: SimBlock, baseFee: bigint): { number: bigint; timestamp: bigint; gasLimit?: bigint; baseFee: bigint; coinbase?: Hex } {
  return {
    number: b.number,
    timestamp: b.timestamp,
    baseFee,
    ...(b.overrides.gasLimit === undefined ? {} : { gasLimit: b.overrides.gasLimit }),
    ...(b.overrides.coinbase === undefined ? {} : { coinbase: b.overrides.coinbase }),
  };
}

/** Rethrows a refused call as the simulation error geth gives for its rule. */
function refused(err: unknown, index: number): never {
  if (err instanceof ZkosError && err.code === 'INVALID_TRANSACTION') {
    fail(CODE_OF_REASON[err.reason ?? ''] ?? SIM_ERRORS.internal, `calls[${index}]: ${err.message}`);
  }
  throw err;
}

/**
 * Runs a block of calls. A call without a gas limit gets what is left of the block's gas
 * (geth's rule). The ZKsync OS flow admits a transaction by the gas it used, so the engine's
 * default limit does; the Ethereum flow admits by the gas limit, so each such call after the
 * first gets the block's remaining gas (at most EIP-7825's cap from Osaka), learnt by running
 * the calls before it.
 */
function runCalls(engine: Engine, fields: ReturnType<typeof header>, calls: TxRequest[], deadline: Deadline | undefined): BlockResult {
  const run = (txs: TxRequest[]): BlockResult => {
    try {
      return engine.runBlock({ ...fields, transactions: txs }, { strict: true, deadline });
    } catch (err) {
      return refused(err, txs.length - 1);
    }
  };
  const needsRemaining = engine.flow === 'ethereum' && calls.some((c, i) => i > 0 && c.gas == null && c.gasLimit == null);
  if (!needsRemaining) return run(calls);
  const limit = fields.gasLimit ?? engine.fees().blockGasLimit;
  const filled: TxRequest[] = [];
  for (const [i, c] of calls.entries()) {
    if (i > 0 && c.gas == null && c.gasLimit == null) {
      const before = engine.snapshot();
      let used: bigint;
      try {
        used = run(filled).gasUsed;
      } finally {
        engine.restore(before);
        before.free();
      }
      if (used >= limit) fail(SIM_ERRORS.blockGasLimitReached, `block gas limit reached: ${used} >= ${limit}`);
      const remaining = limit - used;
      filled.push({ ...c, gas: engine.hardfork === 'osaka' && remaining > MAX_TX_GAS_OSAKA ? MAX_TX_GAS_OSAKA : remaining });
    } else {
      filled.push(c);
    }
  }
  return run(filled);
}

/** A call's result in geth's shape, with the ZKsync OS figures; `logIndex` numbers the block's logs. */
function callResult(engine: Engine, tx: TxResult, traceTransfers: boolean, logIndex: { next: bigint }, deadline: Deadline | undefined): Record<string, unknown> {
  const hash = tx.hash as Hex;
  const receipt = engine.getTransactionReceipt(hash);
  if (receipt === undefined) fail(SIM_ERRORS.internal, `eth_simulateV1: no receipt for ${hash}`);
  const logs = traceTransfers ? transferLogs(engine, hash, deadline) : receipt.logs;
  const out: Record<string, unknown> = {
    status: tx.status === 'success' ? '0x1' : '0x0',
    returnData: tx.returnData,
    gasUsed: toQuantityHex(tx.gasUsed),
    logs: logs.map((l) => ({
      address: l.address,
      topics: l.topics,
      data: l.data,
      blockNumber: toQuantityHex(receipt.blockNumber),
      blockHash: receipt.blockHash,
      transactionHash: hash,
      transactionIndex: toQuantityHex(receipt.transactionIndex),
      logIndex: toQuantityHex(logIndex.next++),
      removed: false,
    })),
    nativeUsed: toQuantityHex(tx.nativeUsed),
    pubdataBytes: toQuantityHex(tx.pubdataBytes),
  };
  if (tx.status !== 'success') {
    out.error = tx.error === undefined ? { code: SIM_ERRORS.reverted, message: revertMessage(tx.returnData), data: tx.returnData } : { code: SIM_ERRORS.vmError, message: tx.error };
  }
  return out;
}

/** Checks the block parameter: simulations start from the head. */
function checkBase(engine: Engine, tag: unknown): void {
  if (tag === undefined || tag === null || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return;
  const n = toBigInt(tag, 'eth_simulateV1: block');
  if (n !== engine.blockNumber()) fail(SIM_ERRORS.invalidParams, `eth_simulateV1: only the head (${engine.blockNumber()}) can be simulated on, not block ${n}`);
}

/**
 * The calls of a block within what is left of the simulation's gas (geth: the RPC gas cap
 * bounds the whole simulation, go-ethereum internal/ethapi/simulate.go's gas pool): a call's
 * gas limit, given or not (then the engine's default, `defaultGas`), is at most what is left;
 * with nothing left the call is refused.
 */
function withinGasCap(calls: TxRequest[], left: bigint, defaultGas: bigint): TxRequest[] {
  return calls.map((c, i) => {
    const given = c.gas ?? c.gasLimit;
    const gas = given === undefined || given === null ? undefined : toBigInt(given, `calls[${i}].gas`);
    if (left === 0n) fail(SIM_ERRORS.blockGasLimitReached, 'gas limit reached');
    if (gas === undefined ? left < defaultGas : gas > left) return { ...c, gas: left, gasLimit: undefined };
    return c;
  });
}

/** A call that used more gas than the simulation had left: `key` (block:call) and the gas it is given on the next attempt. */
class OverCap {
  constructor(
    readonly key: string,
    readonly gas: bigint,
  ) {}
}

/** What one attempt at a simulation runs with. */
interface Attempt {
  readonly blocks: SimBlock[];
  readonly validation: boolean;
  readonly traceTransfers: boolean;
  readonly fullTx: boolean;
  readonly deadline: Deadline | undefined;
  /** Gas limits given to calls that went over the cap in an earlier attempt, by block:call. */
  readonly caps: Map<string, bigint>;
}

/** Runs the simulation's blocks on `engine`; throws `OverCap` when a call used more gas than was left. */
function runBlocks(engine: Engine, a: Attempt): Record<string, unknown>[] {
  let gasLeft = engine.rpcGasCap;
  return a.blocks.map((b, k) => {
    applyState(engine, b.state, a.deadline);
    // Without validation the base fee is zero unless given (so calls priced at zero are valid).
    const baseFee = b.overrides.baseFee ?? (a.validation ? engine.fees().baseFeePerGas : 0n);
    // A call without a gas limit gets the least of the cap, the block's gas limit and (Ethereum
    // flow from Osaka) EIP-7825's cap.
    const defaults = [engine.rpcGasCap, b.overrides.gasLimit ?? engine.fees().blockGasLimit];
    if (engine.flow === 'ethereum' && engine.hardfork === 'osaka') defaults.push(MAX_TX_GAS_OSAKA);
    const defaultGas = defaults.reduce((x, y) => (x < y ? x : y));
    const calls = withinGasCap(
      b.calls.map((c) => request(c, a.validation)),
      gasLeft,
      defaultGas,
    ).map((c, i) => {
      const gas = a.caps.get(`${k}:${i}`);
      return gas === undefined ? c : { ...c, gas, gasLimit: undefined };
    });
    const result = runCalls(engine, header(b, baseFee), calls, a.deadline);
    result.transactions.forEach((t, i) => {
      if (t.gasUsed > gasLeft) throw new OverCap(`${k}:${i}`, gasLeft);
      gasLeft -= t.gasUsed;
    });
    const block = engine.getBlock(result.number);
    if (block === undefined) fail(SIM_ERRORS.internal, `eth_simulateV1: block ${result.number} was not kept`);
    const logIndex = { next: 0n };
    return { ...formatBlock(engine, block, a.fullTx), calls: result.transactions.map((t) => callResult(engine, t, a.traceTransfers, logIndex, a.deadline)) };
  });
}

/**
 * eth_simulateV1 on `engine`: the simulated blocks with their `calls`; the engine is left as it
 * was. One time bound and one gas cap hold for the whole simulation (geth's RPCEVMTimeout context
 * and gas pool). A block's calls learn what is left only as they run: when one used more than
 * was left, the simulation runs again from the start with that call's gas limit set to what was
 * left at its turn (as geth's pool would have capped it).
 */
export function simulateV1(engine: Engine, params: readonly unknown[], limits: Limits): Record<string, unknown>[] {
  const opts = record(params[0], 'the first parameter');
  onlyKeys(opts, OPTION_KEYS, 'options');
  checkBase(engine, params[1]);
  if (!Array.isArray(opts.blockStateCalls)) fail(SIM_ERRORS.invalidParams, 'eth_simulateV1: blockStateCalls must be an array');
  const attempt: Attempt = {
    validation: flag(opts.validation, 'validation'),
    traceTransfers: flag(opts.traceTransfers, 'traceTransfers'),
    fullTx: flag(opts.returnFullTransactions, 'returnFullTransactions'),
    blocks: settle(engine, opts.blockStateCalls),
    deadline: limits.timeoutMs > 0 ? new Deadline(limits.timeoutMs, 'call') : undefined,
    caps: new Map(),
  };
  const saved = engine.snapshot();
  try {
    for (;;) {
      try {
        return runBlocks(engine, attempt);
      } catch (err) {
        if (!(err instanceof OverCap) || attempt.caps.has(err.key)) throw err;
        attempt.caps.set(err.key, err.gas);
        engine.restore(saved);
      }
    }
  } finally {
    engine.restore(saved);
    saved.free();
  }
}
