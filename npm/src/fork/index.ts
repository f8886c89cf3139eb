// Fork mode's JavaScript side: the fetcher of a real chain's state and its persistent caches.
export { createForkFetcher, ForkFetcher, EMPTY_CODE_HASH } from './fetcher.js';
export { indexedDbCache } from './cache.js';
export type { ForkAccount, ForkBlock, ForkBlockHash, ForkCache, ForkCode, ForkKey, ForkOptions, ForkProvider, ForkSlot, ForkStats, ForkValue } from './types.js';
