// eth_feeHistory over a fork: the blocks up to the fork block are the node's, so their part of
// the answer is the node's (anvil forwards a range ending at or below its fork block to its node
// whole); the fork's own blocks after it are the engine's. A range across the fork block is the
// node's entries for its blocks followed by the engine's for its own, one answer as a node of the
// forked chain would give it (anvil 1.7.1 answers such a range with its own blocks only, under an
// `oldestBlock` naming the first block asked).
import { type Hex, toQuantityHex } from '../hex.js';
import { badResponse, list, quantity, record } from './decode.js';
import type { RpcCall } from './transport.js';

/** Most blocks one eth_feeHistory covers (geth's and the provider's cap). */
const MAX_BLOCKS = 1024n;

/** The per-block lists of an answer (one entry a block) and the lists with the next block's entry too. */
const PER_BLOCK = ['gasUsedRatio', 'blobGasUsedRatio', 'reward'] as const;
const WITH_NEXT = ['baseFeePerGas', 'baseFeePerBlobGas'] as const;

/** What the merge needs: the fork block, the engine's head and a round trip to the node. */
export interface FeeHistoryFork {
  readonly pin: bigint;
  readonly head: bigint;
  ask(call: RpcCall): Promise<unknown>;
}

/** The block number a tag names for eth_feeHistory (the provider already refused bad ones). */
function newestOf(tag: unknown, head: bigint): bigint {
  if (tag === undefined || tag === null || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return head;
  if (tag === 'earliest') return 0n;
  return BigInt(tag as string);
}

/** The node's answer checked: its oldest block `oldest`, `blocks` entries in each list (one more with the next block's). */
function checked(answer: unknown, oldest: bigint, blocks: number, withRewards: boolean, what: string): Record<string, unknown> {
  const o = record(answer, what);
  const got = quantity(o.oldestBlock, `${what}.oldestBlock`);
  if (got !== oldest) throw badResponse(what, `oldestBlock ${got} is not the ${oldest} asked`);
  for (const field of [...PER_BLOCK, ...WITH_NEXT]) {
    if (o[field] === undefined || (field === 'reward' && !withRewards)) continue;
    const want = blocks + (WITH_NEXT.includes(field as (typeof WITH_NEXT)[number]) ? 1 : 0);
    const entries = list(o[field], `${what}.${field}`);
    if (entries.length !== want) throw badResponse(what, `${field} has ${entries.length} entries for ${blocks} blocks`);
  }
  if (o.baseFeePerGas === undefined || o.gasUsedRatio === undefined || (withRewards && o.reward === undefined)) throw badResponse(what, 'baseFeePerGas, gasUsedRatio or reward missing');
  return o;
}

/** Whether the node answers eth_feeHistory `params` whole (a range ending at or below the fork block). */
export function nodeAnswersWhole(fork: Omit<FeeHistoryFork, 'ask'>, params: unknown[]): boolean {
  return newestOf(params[1], fork.head) <= fork.pin;
}

/**
 * The fork's eth_feeHistory answer for `params` (checked by the provider, whose answer over the
 * engine's own blocks is `local`): `local` when the range starts after the fork block, else the
 * node's entries up to the fork block followed by `local`'s after it.
 */
export async function forkFeeHistory(fork: FeeHistoryFork, params: unknown[], local: unknown): Promise<unknown> {
  const asked = BigInt(params[0] as string | number);
  const count = asked > MAX_BLOCKS ? MAX_BLOCKS : asked;
  const newest = newestOf(params[1], fork.head);
  const oldest = newest + 1n > count ? newest + 1n - count : 0n;
  if (count === 0n || oldest > fork.pin) return local;
  const last = newest < fork.pin ? newest : fork.pin;
  const blocks = Number(last - oldest + 1n);
  // Rewards are per block for each percentile asked; with none asked, nodes differ (anvil `[]`, geth none).
  const withRewards = Array.isArray(params[2]) && params[2].length > 0;
  const what = 'eth_feeHistory';
  const theirs = checked(await fork.ask({ method: what, params: [toQuantityHex(BigInt(blocks)), toQuantityHex(last), ...params.slice(2)] }), oldest, blocks, withRewards, what);
  // A range ending at or below the fork block is the node's whole, as anvil answers it.
  if (newest <= fork.pin) return theirs;
  const ours = local as Record<string, unknown[] | Hex>;
  const own = Number(newest - fork.pin);
  const out: Record<string, unknown> = { oldestBlock: toQuantityHex(oldest) };
  for (const field of [...PER_BLOCK, ...WITH_NEXT]) {
    const mine = ours[field];
    if (!Array.isArray(mine)) continue;
    // With no percentiles, `reward: []` whole, as anvil answers it (and the engine's part is).
    if (field === 'reward' && !withRewards) {
      out.reward = [];
      continue;
    }
    // A node before Cancun leaves the blob fields out: its blocks had no blob gas.
    const given = theirs[field] as unknown[] | undefined;
    const from = given ?? new Array<unknown>(blocks).fill(field === 'baseFeePerBlobGas' ? '0x0' : 0);
    // The node's entries of its blocks (not its next block's), then the engine's of its own blocks and the next.
    const keep = (WITH_NEXT as readonly string[]).includes(field) ? own + 1 : own;
    out[field] = [...from.slice(0, blocks), ...mine.slice(mine.length - keep)];
  }
  return out;
}
