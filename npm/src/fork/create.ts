// `createEngine({ fork })`: pins the fork block with the fetcher, then makes an engine that builds on it.
import { Engine } from '../engine.js';
import { ZkosError } from '../errors.js';
import type { Instantiate } from '../instance.js';
import type { EngineOptions, ForkEngineOptions } from '../types.js';
import type { Hex } from '../hex.js';
import { createForkFetcher } from './fetcher.js';
import { ForkedEngine } from './forked-engine.js';

/** Whether `options` ask for a forked engine. */
export function isForkOptions(options: EngineOptions | ForkEngineOptions): options is ForkEngineOptions {
  if (options === null || typeof options !== 'object') return false;
  try {
    return (options as { fork?: unknown }).fork !== undefined;
  } catch (err) {
    throw new ZkosError('INVALID_ARGUMENT', `options could not be read (${err instanceof Error ? err.message : String(err)})`, undefined, undefined, { cause: err });
  }
}

/**
 * A forked engine: the fetcher pins the block (`blockNumber`, else the fork options', else the
 * node's latest) and reads the chain id unless `chainId` is given.
 */
export async function createForkedEngine(instantiate: Instantiate, options: ForkEngineOptions): Promise<ForkedEngine> {
  // Read once here: a throwing getter or Proxy trap is the caller's input (before: its own Error).
  let read;
  try {
    const { fork, blockNumber, blockHash, accessListHint, ...engineOptions } = options;
    read = { fork, blockNumber, blockHash, accessListHint, engineOptions, fetcherOptions: fork !== null && typeof fork === 'object' ? { ...fork } : undefined };
  } catch (err) {
    throw new ZkosError('INVALID_ARGUMENT', `options could not be read (${err instanceof Error ? err.message : String(err)})`, undefined, undefined, { cause: err });
  }
  const { fork, blockNumber, blockHash, accessListHint, engineOptions, fetcherOptions } = read;
  if (fetcherOptions === undefined) throw new ZkosError('INVALID_ARGUMENT', 'options.fork: expected { url } or { provider }');
  if (blockNumber !== undefined) fetcherOptions.blockNumber = blockNumber;
  if (blockHash !== undefined) fetcherOptions.blockHash = blockHash;
  if (engineOptions.chainId !== undefined) fetcherOptions.chainId = engineOptions.chainId;
  const fetcher = await createForkFetcher(fetcherOptions);
  const engine = new Engine(instantiate, { ...engineOptions, chainId: fetcher.chainId }, fetcher.block);
  const remake = (at: bigint) => createForkedEngine(instantiate, { ...options, fork: { ...fork, blockHash: undefined }, blockHash: undefined, chainId: fetcher.chainId, blockNumber: at });
  return new ForkedEngine(engine, fetcher, remake, accessListHint !== false);
}

/** `--fork-block`'s value as engine options: a 32-byte hex hash pins by hash, anything else by number. */
export function forkBlockOption(value: string): { blockHash: Hex } | { blockNumber: string } {
  return /^0x[0-9a-fA-F]{64}$/.test(value) ? { blockHash: value as Hex } : { blockNumber: value };
}
