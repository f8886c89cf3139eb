import type { ForkOptions } from './fork/types.js';
import type { Hex, Quantity } from './hex.js';
import type { RevertReason } from './revert.js';
import type { ZkosError } from './errors.js';

/** A ZKsync OS protocol version: 1 (the 2026 cost model) or 2 (upstream ZKsync OS as built). */
export type ProtocolVersion = 1 | 2;

/** One entry of a blob schedule (EIP-7840). */
export interface BlobParams {
  /** Blobs per block the fee market aims at. */
  target: Quantity;
  /** Most blobs per block. */
  max: Quantity;
  /** Denominator of the blob base fee's exponent. */
  baseFeeUpdateFraction: Quantity;
  /** Activation timestamp: required for a blob-parameter-only fork, not read for a hardfork's entry. */
  timestamp?: Quantity;
}

/** Chain configuration of a new engine. */
export interface EngineOptions {
  /** EIP-155 chain id (default 270). */
  chainId?: Quantity;
  /**
   * ZKsync OS protocol version: the native cost table and the flow's rules (default 2 in the
   * `zk` flow, upstream ZKsync OS as built; 1 is the 2026 cost model). The `ethereum` flow runs
   * version 1 only.
   */
  protocolVersion?: ProtocolVersion;
  /** `zk` (ZKsync OS fees, pubdata, native limit) or `ethereum` (the Ethereum spec). Default `zk`;
   *  a fork of mainnet, Sepolia, Hoodi or Holesky defaults to `ethereum` (that chain's own rules). */
  flow?: 'zk' | 'ethereum';
  /** EVM hardfork (default: the flow's network, `cancun` for `zk` as the ZKsync OS production
   *  build, `osaka` for `ethereum` as mainnet; an `ethereum` fork of mainnet, Sepolia, Hoodi or
   *  Holesky runs the hardfork of its fork block). */
  hardfork?: 'cancun' | 'prague' | 'osaka';
  /**
   * The chain's blob schedule (EIP-7840's `blobSchedule`, as in a geth genesis' config): the
   * `cancun`, `prague`, `osaka` entries replace those hardforks' schedules; any other entry
   * (`bpo1`, …) is a blob-parameter-only fork (EIP-7892) and also needs its activation
   * `timestamp` (geth's `bpo1Time`). Default: each hardfork's own, plus for a fork of mainnet,
   * Sepolia, Hoodi or Holesky that network's BPO forks.
   */
  blobSchedule?: Record<string, BlobParams>;
  /** Base fee per gas of new blocks, in wei (default 1000). */
  baseFee?: Quantity;
  /** Price of one unit of native, in wei (default 1). */
  nativePrice?: Quantity;
  /** Price of one pubdata byte, in wei (default 1). */
  pubdataPrice?: Quantity;
  /** Block gas limit (default 100,000,000). */
  blockGasLimit?: Quantity;
  /**
   * Most gas a simulation (`call`, `estimateGas`, `trace`, `session`, `eth_call`, ...) runs with,
   * as geth's `--rpc.gascap` (default 50,000,000; at least 21,000): a request above it runs with
   * the cap. Also the gas limit of `runBlock` requests without `gas`.
   */
  rpcGasCap?: Quantity;
  /**
   * How many blocks before the head keep their state readable (default 128, geth's window):
   * `blockNumber` in `call`, `estimateGas`, `trace`, `getAccount` and `getStorage`, and
   * `traceTransaction`, work for the head and that many blocks before it.
   */
  historyBlocks?: Quantity;
  /** Fee recipient. */
  coinbase?: Hex;
  /**
   * Accept raw L1 priority (0xff) and upgrade (0xfe) transactions, which mint and carry no
   * signature (default false: they are refused with `SYSTEM_TRANSACTION_NOT_ALLOWED`).
   */
  allowSystemTransactions?: boolean;
  /**
   * Most bytes the engine's wasm memory may grow to (rounded up to 64 KiB pages; default and
   * most: 4 GiB, the wasm32 limit). An engine that needs more traps and is poisoned
   * (`ENGINE_POISONED`); other engines are not affected.
   */
  maxMemoryBytes?: Quantity;
}

/** Options of an engine forking a real chain (`createEngine({ fork })`). */
export interface ForkEngineOptions extends EngineOptions {
  /** The node to fork (`url` or `provider`) and how to fetch from it (timeouts, retries, cache, ...). */
  fork: ForkOptions;
  /** The block to fork from (default: the node's latest at creation); overrides `fork.blockNumber`. */
  blockNumber?: ForkOptions['blockNumber'];
  /** The block to fork from by its hash, instead of `blockNumber`; overrides `fork.blockHash`. */
  blockHash?: ForkOptions['blockHash'];
  /**
   * Whether `call`, `estimateGas` and `trace` ask the node for the request's access list
   * (`eth_createAccessList` at the pin) in their first round trip and fetch what it names with
   * the next one (default true). Only a hint: the engine still asks for whatever it misses.
   */
  accessListHint?: boolean;
}

/** An account to set. Omitted fields keep their current value (zero for a new account). */
export interface AccountInput {
  balance?: Quantity;
  nonce?: Quantity;
  code?: Hex | Uint8Array;
  /** Slots to set: slot → value (32-byte words or quantities). */
  storage?: Record<string, Quantity>;
}

/** A transaction as the next block would take it (`engine.pendingTransaction`). */
export interface PendingTransaction {
  hash: Hex;
  from: Hex;
  nonce: bigint;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  type: bigint;
  to: Hex | null;
  value: bigint;
  input: Hex;
  /** EIP-2930 access list (empty for a legacy transaction). */
  accessList: AccessListEntry[];
  /** EIP-7702 authorizations (type 4; empty otherwise). */
  authorizationList: SignedAuthorization[];
}

/** A signed EIP-7702 authorization of a transaction, as decoded or validated from JSON-RPC. */
export interface SignedAuthorization {
  chainId: bigint;
  address: Hex;
  nonce: bigint;
  yParity: bigint;
  r: bigint;
  s: bigint;
}

/** An engine's wasm memory: the bytes it has grown to (never given back) and the most it may grow to. */
export interface WasmMemory {
  bytes: number;
  maxBytes: number;
}

/** An account as the engine reports it. */
export interface Account {
  balance: bigint;
  nonce: bigint;
  code: Hex;
  codeHash: Hex;
}

/** A transaction request (calls, estimation, tracing, unsigned block transactions). */
export interface TxRequest {
  from?: Hex;
  /** Recipient; omitted or null deploys `data` as init code. */
  to?: Hex | null;
  data?: Hex | Uint8Array;
  /** Alias of `data` (JSON-RPC). */
  input?: Hex | Uint8Array;
  value?: Quantity;
  /** Gas limit. */
  gas?: Quantity;
  /** Alias of `gas`. */
  gasLimit?: Quantity;
  gasPrice?: Quantity;
  maxFeePerGas?: Quantity;
  maxPriorityFeePerGas?: Quantity;
  nonce?: Quantity;
  accessList?: AccessListEntry[];
  /** EIP-7702 authorizations (the request then runs as a type-4 transaction). */
  authorizationList?: AuthorizationEntry[];
}

/** A signed EIP-7702 authorization as JSON-RPC writes it (`v` is read when `yParity` is absent). */
export interface AuthorizationEntry {
  chainId: Quantity;
  address: Hex;
  nonce: Quantity;
  yParity?: Quantity;
  v?: Quantity;
  r: Quantity;
  s: Quantity;
}

/** An EIP-2930 access list entry: an account and its storage slots. */
export interface AccessListEntry {
  address: Hex;
  storageKeys: Hex[];
}

/** The access list a request would run with (`createAccessList`, geth's `eth_createAccessList` search) and its run with it. */
export interface AccessListResult {
  accessList: AccessListEntry[];
  /** The request's run with `accessList`: gas used, status, output. */
  result: TxResult;
}

/** Per-account state override of a simulation. */
export interface AccountOverride {
  balance?: Quantity;
  nonce?: Quantity;
  code?: Hex;
  /** Replaces the whole storage. */
  state?: Record<string, Quantity>;
  /** Changes only these slots. */
  stateDiff?: Record<string, Quantity>;
}

/** address → override. */
export type StateOverride = Record<string, AccountOverride>;

/** Block fields a simulation may override. */
export interface BlockOverride {
  number?: Quantity;
  time?: Quantity;
  gasLimit?: Quantity;
  coinbase?: Hex;
  baseFee?: Quantity;
  random?: Hex;
}

/** An event. */
export interface Log {
  address: Hex;
  topics: Hex[];
  data: Hex;
}

/** An L2→L1 message. */
export interface L2ToL1Message {
  sender: Hex;
  data: Hex;
}

/** Outcome of one transaction. */
export interface TxResult {
  /** Transaction hash (for block transactions). */
  hash?: Hex;
  status: 'success' | 'reverted' | 'invalid';
  /** Gas charged to the sender. */
  gasUsed: bigint;
  /** Ergs spent (gas × 256 granularity). */
  ergs: bigint;
  nativeUsed: bigint;
  pubdataBytes: bigint;
  refund: bigint;
  logs: Log[];
  l2ToL1Messages: L2ToL1Message[];
  returnData: Hex;
  /** Decoded revert data, when the transaction reverted with some. */
  revertReason?: RevertReason;
  /** Why the transaction failed (halt reason or invalidity), when it did. */
  error?: string;
  /** Address of the deployed contract. */
  contractAddress?: Hex;
}

/** A block to run. */
export interface BlockInput {
  number?: Quantity;
  timestamp?: Quantity;
  gasLimit?: Quantity;
  baseFee?: Quantity;
  coinbase?: Hex;
  /** Accounts to set before the block runs. */
  preState?: Record<string, AccountInput>;
  /** Signed raw transactions (0x-hex) or unsigned requests with an explicit `from`. */
  transactions: (Hex | TxRequest)[];
}

/** What running a block produced. */
export interface BlockResult {
  number: bigint;
  hash: Hex;
  gasUsed: bigint;
  transactions: TxResult[];
  /** Root of the state tree after the block. */
  stateRoot: Hex;
  /** The state tree commitment after the block: root and next free leaf index. */
  stateCommitment: { root: Hex; nextFreeSlot: bigint };
  /** The block's pubdata (state diffs, L2→L1 logs and messages) as published to L1. */
  pubdata: Hex;
  /** The block public input (blake2s of the chain states before and after and the block output). */
  publicInput: Hex;
  /** The batch public input the settlement layer opens (keccak; one block per batch). */
  batchPublicInput: Hex;
  /** Whatever else the engine reports. */
  [extra: string]: unknown;
}

/** Gas estimate with its breakdown. */
export interface GasEstimate {
  /** The gas limit to use. */
  gasLimit: bigint;
  /** Gas used at that limit. */
  gasUsed: bigint;
  nativeUsed: bigint;
  pubdataBytes: bigint;
  /** Smallest gas limit whose native allowance covers the native and pubdata (0 on `ethereum`). */
  nativeCoverGas: bigint;
  /** Price per gas the estimate assumes: the request's, or the base fee when it names none. */
  gasPrice: bigint;
  /** The fee the limit costs at that price: `gasLimit × gasPrice`. */
  maxFee: bigint;
  /** Expected fee at the engine's prices (`zk`: max(gas fee, native and pubdata fee)). */
  fee: bigint;
  /**
   * The parts of the limit, `evmGas + deltaGas + pubdataGas = gasLimit`: the EVM's part (its
   * charge and the headroom execution needs), the gas beyond the EVM's charge that buys the
   * computational native (deltaGas), then the pubdata's native. Both native parts are 0 when the
   * EVM's gas already buys the native, and on `ethereum`.
   */
  evmGas: bigint;
  deltaGas: bigint;
  pubdataGas: bigint;
  /** Native one gas buys at `gasPrice` (0: native not priced). */
  nativePerGas: bigint;
  [extra: string]: unknown;
}

/** Tracer names. */
export type TracerName = 'eip3155' | 'structLogs' | 'callTracer' | 'prestateTracer' | 'opcodeStats';

/** Tracing options (geth's `{tracer, tracerConfig}` plus the structLogs flags). */
export interface TraceOptions {
  tracer?: TracerName;
  tracerConfig?: Record<string, unknown>;
  enableMemory?: boolean;
  disableStack?: boolean;
  disableStorage?: boolean;
  enableReturnData?: boolean;
  /** Most steps structLogs/eip3155 record, the trace then ends quietly (0 = all; geth's `limit`). */
  limit?: number;
  /**
   * Most records the trace may keep (default 500,000): steps, call frames, events, prestate
   * accounts and slots. A trace that needs more throws `TRACE_LIMIT` and returns nothing.
   */
  maxSteps?: Quantity;
  /**
   * Most bytes the trace may keep (default 67,108,864 = 64 MiB): 128 per record plus its data
   * (32 per stack word, topic and storage word; memory, return data, input, output, code and
   * event data byte for byte). Beyond it: `TRACE_LIMIT`.
   */
  maxBytes?: Quantity;
  stateOverride?: StateOverride;
  blockOverride?: BlockOverride;
  /** The block whose state the trace reads (default the latest; blocks in the history window, see `historyBlocks`). */
  blockNumber?: Quantity;
  /** Most ms the traced run may take (absent or 0: no bound); beyond it `TIMEOUT` ("execution timeout", geth's wording). */
  timeoutMs?: number;
}

/**
 * Phases of a session: a transaction's bootloader phases, then (block sessions) `blockFinish`
 * once every transaction ended, then `finished`.
 */
export type Phase = 'validation' | 'feeCharge' | 'execution' | 'pubdata' | 'refund' | 'blockFinish' | 'finished';

/** Where `continue` stops: the next opcode matching every given field (`{}`: the next phase change). */
export interface Breakpoint {
  pc?: number;
  opcode?: number;
  phase?: Phase;
  depth?: number;
}

/** What a `step`/`continue` did. */
export interface StepReport {
  /** Steps taken. */
  steps: bigint;
  /** Phase after them. */
  phase: Phase;
  /** Index of the transaction the phase belongs to (the transaction count at `blockFinish`). */
  txIndex: number;
  finished: boolean;
}

/** An event seen by a session; `pending` while its transaction runs (a revert may remove it). */
export interface SessionLog extends Log {
  txIndex: number;
  pending: boolean;
}

/** An L2→L1 message seen by a session; `pending` while its transaction runs. */
export interface SessionMessage extends L2ToL1Message {
  txIndex: number;
  pending: boolean;
}

/**
 * The native budget validation fixed for a transaction (ZKsync OS flow): `limit` = gas limit ×
 * `nativePerGas`; the intrinsic pubdata (`intrinsicPubdata` × `nativePerPubdata`) is set aside,
 * computation may use at most `computationalCap` of the rest (the excess, `withheld`, can only
 * pay pubdata), and `execution` is what computation has left after `intrinsicNative`.
 */
export interface NativeBudget {
  nativePerGas: bigint;
  nativePerPubdata: bigint;
  limit: bigint;
  withheld: bigint;
  intrinsicPubdata: bigint;
  intrinsicNative: bigint;
  execution: bigint;
  computationalCap: bigint;
}

/**
 * How a transaction's gas used adds up: `gasUsed` = `intrinsicGas` + `executionGas` −
 * `refundedGas` + `floorGas` (EIP-7623) + `deltaGas` (the extra gas that covers the native used,
 * whose gas worth is `nativeGas` = native used ÷ native per gas) − `cappedGas` (above the gas limit).
 */
export interface GasBreakdown {
  intrinsicGas: bigint;
  executionGas: bigint;
  refundedGas: bigint;
  floorGas: bigint;
  nativeGas: bigint;
  deltaGas: bigint;
  cappedGas: bigint;
  gasUsed: bigint;
}

/**
 * Steps a session recorded in bulk (`session.recordSteps`), one entry per step in each column:
 * the innermost frame's `pc`, `op` (256 for a bootloader step) and `depth` before the step, its
 * `phase` (0 validation … 6 finished, in the order of `Phase`), its transaction `tx`, the `code`
 * it runs (an index into `session.recordedCodes()`, 65535 for none), the frame's `ergs` left, the
 * ergs and native the step charged its transaction (`ergsCost`, `nativeCost`; a refund is
 * negative) and the transaction's `native` used before it. `done` once the session ended.
 */
export interface RecordedSteps {
  count: number;
  done: boolean;
  pc: Uint32Array;
  op: Uint16Array;
  depth: Uint16Array;
  phase: Uint8Array;
  tx: Uint32Array;
  code: Uint16Array;
  ergs: Float64Array;
  ergsCost: Float64Array;
  native: Float64Array;
  nativeCost: Float64Array;
}

/** A code recorded steps run: `address`'s code, or (`init`) the init code deploying it. */
export interface RecordedCode {
  address: Hex;
  init: boolean;
}

/**
 * What a recorded transaction reported: its native budget (from validation), its gas
 * breakdown (from its refund) and, when validation refused it, the error.
 */
export interface RecordedTransaction {
  budget?: NativeBudget;
  gas?: GasBreakdown;
  error?: ZkosError;
}
