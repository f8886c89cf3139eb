// The wasm bindings' block reports and transaction outcomes as the package's types.
import { mapCode } from './instance.js';
import type { Hex } from './hex.js';
import { toBytes } from './hex.js';
import { decodeRevert } from './revert.js';
import type { BlockInfo, LogInfo, ReceiptInfo } from './chain.js';
import type { AccessListEntry, AccessListResult, BlockResult, L2ToL1Message, Log, SignedAuthorization, TxResult } from './types.js';

const big = (v: unknown): bigint => (v === undefined || v === null ? 0n : typeof v === 'bigint' ? v : BigInt(v as string | number));
const hex = (v: unknown): Hex => (typeof v === 'string' ? (v.toLowerCase() as Hex) : v instanceof Uint8Array ? toBytes(v, 'engine') : ('0x' as Hex));
const isTrue = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === 'success';
const ZERO_WORD = ('0x' + '0'.repeat(64)) as Hex;
const ZERO_BLOOM = ('0x' + '0'.repeat(512)) as Hex;
const optHex = (v: unknown): Hex | null => (v === undefined || v === null ? null : hex(v));

/** A block's result from what the bindings return for `runBlock` (`{block, receipts, rejected}`). */
export function blockResult(report: any, count: number): BlockResult {
  const results: (TxResult | undefined)[] = new Array(count).fill(undefined);
  for (const r of report.rejected ?? []) {
    const res: TxResult = { status: 'invalid', gasUsed: 0n, ergs: 0n, nativeUsed: 0n, pubdataBytes: 0n, refund: 0n, logs: [], l2ToL1Messages: [], returnData: '0x', error: `${mapCode(String(r.code))}: ${r.reason ?? r.message}` };
    if (r.transactionHash) res.hash = hex(r.transactionHash);
    results[Number(r.position)] = res;
  }
  const receipts: any[] = report.receipts ?? [];
  let next = 0;
  for (let i = 0; i < results.length && next < receipts.length; i++) {
    if (results[i] !== undefined) continue;
    const receipt = receipts[next++];
    results[i] = txResult(receipt);
  }
  const header = report.block;
  const out: BlockResult = {
    number: big(header.number),
    hash: hex(header.hash),
    parentHash: hex(header.parentHash),
    timestamp: big(header.timestamp),
    gasUsed: big(header.gasUsed),
    gasLimit: big(header.gasLimit),
    baseFeePerGas: big(header.baseFeePerGas),
    nativePrice: big(header.nativePrice),
    pubdataPrice: big(header.pubdataPrice),
    stateRoot: hex(header.stateCommitment?.root ?? header.stateRoot ?? ZERO_WORD),
    stateCommitment: {
      root: hex(header.stateCommitment?.root ?? ZERO_WORD),
      nextFreeSlot: big(header.stateCommitment?.nextFreeSlot),
    },
    pubdata: hex(header.pubdata ?? '0x'),
    publicInput: hex(header.publicInput ?? ZERO_WORD),
    batchPublicInput: hex(header.batchPublicInput ?? ZERO_WORD),
    transactions: results as TxResult[],
  };
  return out;
}

/** A transaction's outcome from what the bindings return for a call or a block receipt. */
export function txResult(r: any): TxResult {
  const returnData = hex(r.output ?? r.returnData ?? '0x');
  const success = isTrue(r.success) || isTrue(r.status);
  const gasUsed = big(r.gasUsed);
  const out: TxResult = {
    status: success ? 'success' : 'reverted',
    gasUsed,
    ergs: r.ergs === undefined ? gasUsed * 256n : big(r.ergs),
    nativeUsed: big(r.nativeUsed),
    pubdataBytes: big(r.pubdataUsed ?? r.pubdataBytes),
    refund: big(r.gasRefunded ?? r.refund),
    logs: (r.logs ?? []).map((l: any): Log => ({ address: hex(l.address ?? l.log?.address), topics: (l.topics ?? l.log?.topics ?? []).map(hex), data: hex(l.data ?? l.log?.data) })),
    l2ToL1Messages: (r.l2ToL1Messages ?? []).map((m: any): L2ToL1Message => ({ sender: hex(m.sender), data: hex(m.data) })),
    returnData,
  };
  const hash = r.transactionHash ?? r.txHash ?? r.hash;
  if (hash !== undefined) out.hash = hex(hash);
  if (r.halt !== undefined && r.halt !== null) out.error = String(r.halt);
  if (!success && out.error === undefined) {
    const reason = decodeRevert(returnData);
    if (reason !== undefined) out.revertReason = reason;
  }
  const created = r.contractAddress ?? r.created;
  if (created !== undefined && created !== null) out.contractAddress = hex(created);
  return out;
}

/** An access list from the bindings' `[{address, storageKeys}]`. */
export function accessListOf(list: any): AccessListEntry[] {
  return (list ?? []).map((item: any) => ({ address: hex(item.address), storageKeys: (item.storageKeys ?? []).map(hex) }));
}

/** EIP-7702 authorizations from the bindings' `[{chainId, address, nonce, yParity, r, s}]`. */
export function authorizationsOf(list: any): SignedAuthorization[] {
  return (list ?? []).map((a: any) => ({ chainId: big(a.chainId), address: hex(a.address), nonce: big(a.nonce), yParity: big(a.yParity), r: big(a.r), s: big(a.s) }));
}

/** An access list and its run from what the bindings return for `createAccessList` (`{accessList, call}`). */
export function accessListResult(r: any): AccessListResult {
  return { accessList: accessListOf(r.accessList), result: txResult(r.call) };
}

/** A mined transaction's receipt from what the bindings return for `getReceipt`. */
export function receiptInfo(r: any): ReceiptInfo {
  const logs: LogInfo[] = (r.logs ?? []).map((l: any) => ({
    address: hex(l.address),
    topics: (l.topics ?? []).map(hex),
    data: hex(l.data),
    logIndex: big(l.logIndex),
    transactionIndex: big(l.transactionIndex),
    transactionHash: hex(l.transactionHash),
    blockHash: hex(l.blockHash),
    blockNumber: big(l.blockNumber),
  }));
  return {
    transactionHash: hex(r.transactionHash),
    transactionIndex: big(r.transactionIndex),
    blockHash: hex(r.blockHash),
    blockNumber: big(r.blockNumber),
    type: big(r.type),
    from: hex(r.from),
    to: optHex(r.to),
    contractAddress: optHex(r.contractAddress),
    status: isTrue(r.status),
    gasUsed: big(r.gasUsed),
    cumulativeGasUsed: big(r.cumulativeGasUsed),
    effectiveGasPrice: big(r.effectiveGasPrice),
    logs,
    logsBloom: hex(r.logsBloom ?? ZERO_BLOOM),
    nativeUsed: big(r.nativeUsed),
    pubdataBytes: big(r.pubdataUsed),
    l2ToL1Messages: (r.l2ToL1Messages ?? []).map((m: any) => ({ sender: hex(m.sender), data: hex(m.data) })),
    returnData: hex(r.output),
  };
}

/** A block header from what the bindings return for `getBlock`. */
export function blockInfo(h: any): BlockInfo {
  return {
    number: big(h.number),
    hash: hex(h.hash),
    parentHash: hex(h.parentHash),
    timestamp: big(h.timestamp),
    gasLimit: big(h.gasLimit),
    gasUsed: big(h.gasUsed),
    baseFeePerGas: big(h.baseFeePerGas),
    blobGasUsed: big(h.blobGasUsed),
    excessBlobGas: big(h.excessBlobGas),
    blobBaseFee: h.blobBaseFee === undefined || h.blobBaseFee === null ? 1n : big(h.blobBaseFee),
    miner: hex(h.miner),
    stateRoot: hex(h.stateCommitment?.root ?? h.stateRoot ?? ZERO_WORD),
    transactions: (h.transactions ?? []).map(hex),
    mixHash: hex(h.mixHash ?? ZERO_WORD),
  };
}
