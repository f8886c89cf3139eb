// What the forked chain's history (history.ts) checks of a node's answers before handing them on:
// that each names what was asked (a block its hash or number, the fork block the pinned hash, a
// transaction or receipt its hash, receipts and a full block's transactions their block, logs the
// range, block and addresses asked) and has the shape asked for. Each failure is FORK_BAD_RESPONSE.
// Trusted, as anvil trusts its node: the other fields, a block's transactions against its header,
// and a log's topics. With `verify`, a block's header must hash to its hash too.
import type { Hex } from '../hex.js';
import type { ForkVerifier } from './verify.js';
import { badResponse, fixedBytes, list, quantity, quantity64, record } from './decode.js';

/** What an answer must name: a block hash, number, or both (the fork block). */
export interface Named {
  readonly hash?: string;
  readonly number?: bigint;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** `o[field]` as a 32-byte hash equal to `want` (when given). */
function hashField(o: Record<string, unknown>, field: string, want: string | undefined, what: string): Hex {
  const got = fixedBytes(o[field], 32, `${what}.${field}`);
  if (want !== undefined && !same(got, want)) throw badResponse(what, `${field} ${got} is not the ${want} asked`);
  return got;
}

/** `o[field]` as a 64-bit quantity equal to `want` (when given). */
function numberField(o: Record<string, unknown>, field: string, want: bigint | undefined, what: string): bigint {
  const got = quantity64(o[field], `${what}.${field}`);
  if (want !== undefined && got !== want) throw badResponse(what, `${field} ${got} is not the ${want} asked`);
  return got;
}

/** An item of a block (a transaction, receipt or log) naming the block `at`. */
export function inBlock(answer: unknown, at: Named, what: string): Record<string, unknown> {
  const o = record(answer, what);
  hashField(o, 'blockHash', at.hash, what);
  numberField(o, 'blockNumber', at.number, what);
  return o;
}

/**
 * A block answer (null, or one naming `at`; a full block's transactions naming it too; with a
 * `verifier`, its header hashing to its hash, else FORK_PROOF_MISMATCH); returns it.
 */
export function checkedBlock(answer: unknown, at: Named, what: string, verifier?: ForkVerifier): unknown {
  if (answer === null) return null;
  const o = record(answer, what);
  const block = { hash: hashField(o, 'hash', at.hash, what), number: numberField(o, 'number', at.number, what) };
  list(o.transactions, `${what}.transactions`).forEach((tx, i) => {
    if (typeof tx === 'string') fixedBytes(tx, 32, `${what}.transactions[${i}]`);
    else inBlock(tx, block, `${what}.transactions[${i}]`);
  });
  verifier?.header(answer, `${what}: block ${block.number}`, block.hash);
  return answer;
}

/** A count (of transactions or uncles): null or a quantity. */
export function checkedCount(answer: unknown, what: string): unknown {
  if (answer !== null) quantity(answer, what);
  return answer;
}

/** A transaction or receipt by hash: null, or one naming `hash` (under `field`) and a block or none (pending). */
export function checkedByHash(answer: unknown, field: 'hash' | 'transactionHash', hash: unknown, what: string): unknown {
  if (answer === null) return null;
  const o = record(answer, what);
  hashField(o, field, typeof hash === 'string' ? hash : undefined, what);
  if (o.blockNumber !== null) numberField(o, 'blockNumber', undefined, what);
  return answer;
}

/** A transaction by block and index: null or one naming both. */
export function checkedAtIndex(answer: unknown, at: Named, index: unknown, what: string): unknown {
  if (answer === null) return null;
  const o = inBlock(answer, at, what);
  numberField(o, 'transactionIndex', typeof index === 'string' ? quantity64(index, `${what} index`) : undefined, what);
  return answer;
}

/** A block's receipts: null, or a list each naming the block. */
export function checkedReceipts(answer: unknown, at: Named, what: string): unknown {
  if (answer === null) return null;
  list(answer, what).forEach((r, i) => inBlock(r, at, `${what}[${i}]`));
  return answer;
}

/** Logs of blocks `from` to `to` (or of block `hash`), and of the filter's addresses when it names any. */
export function checkedLogs(answer: unknown, range: { from?: bigint; to?: bigint; hash?: string }, address: unknown, what: string): unknown[] {
  const logs = list(answer, what);
  const addresses = typeof address === 'string' ? [address] : Array.isArray(address) && address.length > 0 ? address.filter((a): a is string => typeof a === 'string') : undefined;
  logs.forEach((log, i) => {
    const w = `${what}[${i}]`;
    const o = inBlock(log, { hash: range.hash }, w);
    const n = quantity64(o.blockNumber, `${w}.blockNumber`);
    if ((range.from !== undefined && n < range.from) || (range.to !== undefined && n > range.to)) throw badResponse(w, `blockNumber ${n} is outside ${range.from} to ${range.to} asked`);
    const at = fixedBytes(o.address, 20, `${w}.address`);
    if (addresses !== undefined && !addresses.some((a) => same(a, at))) throw badResponse(w, `address ${at} is not one asked`);
  });
  return logs;
}
