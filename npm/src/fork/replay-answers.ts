// Strict readers of what `replayTransaction` builds on: where the node says the transaction is,
// the block that holds it, and the raw transactions of that block up to it. An answer that does
// not name the transaction asked for is FORK_BAD_RESPONSE, never the replay of another one.
import { type Hex, hexToBytes } from '../hex.js';
import { badResponse, bytes, excerpt, fixedBytes, list, quantity64, record } from './decode.js';
import { parseHeader } from './jobs.js';
import { keccak256 } from './keccak.js';
import type { ForkBlock } from './types.js';

/** Envelope types whose hash is not keccak256 of the envelope (L1 priority 0xff, upgrade 0xfe; core's `tx::encode::envelope_hash`). */
const ABI_HASHED_TYPES = [0xfe, 0xff];

/** The block and index of a transaction (`eth_getTransactionByHash`), or `pending` when it is in no block yet. */
export function transactionPlace(value: unknown, hash: Hex): { number: bigint; index: bigint } | 'pending' {
  const what = `eth_getTransactionByHash(${hash})`;
  const tx = record(value, what);
  if (fixedBytes(tx.hash, 32, `${what}.hash`) !== hash) throw badResponse(what, `answered for ${excerpt(tx.hash)}`);
  if (tx.blockNumber === null || tx.blockNumber === undefined) return 'pending';
  return { number: quantity64(tx.blockNumber, `${what}.blockNumber`), index: quantity64(tx.transactionIndex, `${what}.transactionIndex`) };
}

/** The header of block `number` and the hashes of its transactions up to `hash`, which must be at `index`. */
export function replayBlock(value: unknown, number: bigint, hash: Hex, index: bigint): { header: ForkBlock; hashes: Hex[] } {
  const what = `eth_getBlockByNumber(${number})`;
  if (value === null) throw badResponse(what, `the node has no block ${number}, which holds ${hash}`);
  const header = parseHeader(value, what);
  if (header.number !== number) throw badResponse(what, `answered block ${header.number}`);
  const transactions = list(record(value, what).transactions, `${what}.transactions`);
  if (index >= BigInt(transactions.length)) throw badResponse(what, `the block does not hold ${hash} at index ${index} (it has ${transactions.length} transactions)`);
  const hashes = transactions.slice(0, Number(index) + 1).map((t, i) => fixedBytes(t, 32, `${what}.transactions[${i}]`));
  if (hashes[hashes.length - 1] !== hash) throw badResponse(what, `the block does not hold ${hash} at index ${index}`);
  return { header, hashes };
}

/** The raw transactions (`eth_getRawTransactionByHash`) of `hashes`, each checked against its hash where it is keccak256 of the envelope. */
export function replayRaws(values: readonly unknown[], hashes: readonly Hex[]): Hex[] {
  return hashes.map((hash, i) => {
    const what = `eth_getRawTransactionByHash(${hash})`;
    const raw = bytes(values[i], what);
    if (raw === '0x') throw badResponse(what, 'no transaction');
    const envelope = hexToBytes(raw);
    if (ABI_HASHED_TYPES.includes(envelope[0] as number)) return raw;
    const got = keccak256(envelope);
    if (got !== hash) throw badResponse(what, `the transaction hashes to ${got}`);
    return raw;
  });
}
