// The `safe` and `finalized` tags over a fork name blocks below the head, as anvil names them on
// any chain it runs (its `slots_in_an_epoch`, 32 by default: `safe` is the head less one epoch,
// `finalized` less two, never below block 0), so right after forking they name blocks of the
// forked chain, served by its node (in the provider's methods, the dev node's eth_getLogs and its
// polled filters, which resolve them when made).
// The dev node names them so on a chain of its own too (its dispatch, eth_getLogs, filters); the
// engine's provider alone (createProvider) answers the head for both.
import { toQuantityHex } from '../hex.js';

/** Blocks `safe` is below the head (anvil's default epoch of 32 slots). */
export const SAFE_DEPTH = 32n;
/** Blocks `finalized` is below the head (two epochs). */
export const FINALIZED_DEPTH = 64n;

/** Methods reading state at a block, by the index of their block parameter. */
export const STATE_BLOCK_PARAM: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, {
    eth_getBalance: 1,
    eth_getTransactionCount: 1,
    eth_getCode: 1,
    eth_getStorageAt: 2,
    eth_call: 1,
    eth_estimateGas: 1,
    eth_createAccessList: 1,
    eth_getProof: 2,
  }),
);

/** Where each method takes a block tag, by parameter index: the state reads and these. */
const TAG_PARAM: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, STATE_BLOCK_PARAM, {
    eth_getBlockByNumber: 0,
    eth_getBlockTransactionCountByNumber: 0,
    eth_getTransactionByBlockNumberAndIndex: 0,
    eth_getUncleCountByBlockNumber: 0,
    eth_getUncleByBlockNumberAndIndex: 0,
    eth_getBlockReceipts: 0,
    debug_traceBlockByNumber: 0,
    eth_feeHistory: 1,
    debug_traceCall: 1,
  }),
);

/** The block `tag` names when it is `safe` or `finalized` over a fork whose head is `head`, else undefined. */
export function taggedBlock(tag: unknown, head: bigint): bigint | undefined {
  const depth = tag === 'safe' ? SAFE_DEPTH : tag === 'finalized' ? FINALIZED_DEPTH : undefined;
  if (depth === undefined) return undefined;
  return head > depth ? head - depth : 0n;
}

/** `params` of `method` with a `safe` or `finalized` tag (plain or EIP-1898's `{ blockNumber }`) replaced by the block it names. */
export function withTagsResolved(method: string, params: unknown[], head: bigint): unknown[] {
  const i = TAG_PARAM[method];
  if (i === undefined) return params;
  const given = params[i];
  const named = given !== null && typeof given === 'object' && !Array.isArray(given) ? (given as { blockNumber?: unknown }).blockNumber : given;
  const n = taggedBlock(named, head);
  if (n === undefined) return params;
  const out = [...params];
  out[i] = named === given ? toQuantityHex(n) : { ...(given as object), blockNumber: toQuantityHex(n) };
  return out;
}

/** A log filter (eth_getLogs' parameter) with a `safe` or `finalized` `fromBlock`/`toBlock` replaced by the block it names; anything else as given. */
export function withRangeTagsResolved(filter: unknown, head: bigint): Record<string, unknown> {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return (filter ?? {}) as Record<string, unknown>;
  const out = { ...(filter as Record<string, unknown>) };
  for (const field of ['fromBlock', 'toBlock']) {
    const n = taggedBlock(out[field], head);
    if (n !== undefined) out[field] = toQuantityHex(n);
  }
  return out;
}
