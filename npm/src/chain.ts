import type { Hex } from './hex.js';
import type { AccessListEntry, Log, SignedAuthorization } from './types.js';

/** A mined transaction as the chain stores it. */
export interface TxInfo {
  hash: Hex;
  type: bigint;
  chainId?: bigint;
  from: Hex;
  to: Hex | null;
  nonce: bigint;
  gas: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value: bigint;
  input: Hex;
  accessList: AccessListEntry[];
  /** EIP-7702 authorizations (type 4 only). */
  authorizationList?: SignedAuthorization[];
  v: bigint;
  r: bigint;
  s: bigint;
  yParity?: bigint;
  blockHash: Hex;
  blockNumber: bigint;
  transactionIndex: bigint;
}

/** A log with its position in the chain. */
export interface LogInfo extends Log {
  logIndex: bigint;
  transactionIndex: bigint;
  transactionHash: Hex;
  blockHash: Hex;
  blockNumber: bigint;
}

/** A receipt. */
export interface ReceiptInfo {
  transactionHash: Hex;
  transactionIndex: bigint;
  blockHash: Hex;
  blockNumber: bigint;
  type: bigint;
  from: Hex;
  to: Hex | null;
  contractAddress: Hex | null;
  status: boolean;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  logs: LogInfo[];
  logsBloom: Hex;
  nativeUsed: bigint;
  pubdataBytes: bigint;
  l2ToL1Messages: { sender: Hex; data: Hex }[];
  returnData: Hex;
}

/** A block header plus its transaction hashes. */
export interface BlockInfo {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  baseFeePerGas: bigint;
  /** Blob gas of its transactions (EIP-4844). */
  blobGasUsed: bigint;
  /** Its excess blob gas, which sets its blob base fee. */
  excessBlobGas: bigint;
  /** The blob base fee it ran with (1 wei with no excess). */
  blobBaseFee: bigint;
  miner: Hex;
  stateRoot: Hex;
  transactions: Hex[];
  mixHash: Hex;
}

/** Prices new blocks use. */
export interface FeeInfo {
  baseFeePerGas: bigint;
  /** The blob base fee of the next block (EIP-4844). */
  blobBaseFee: bigint;
  nativePrice: bigint;
  pubdataPrice: bigint;
  blockGasLimit: bigint;
  /** Fee recipient of the next block. */
  coinbase: Hex;
}
