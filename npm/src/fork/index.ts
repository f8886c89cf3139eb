// Fork mode's JavaScript side: the fetcher of a real chain's state and its persistent caches.
export { createForkFetcher, ForkFetcher } from './fetcher.js';
export { EMPTY_CODE_HASH } from './values.js';
export { indexedDbCache } from './cache.js';
export type { ForkAccount, ForkBlock, ForkBlockHash, ForkCache, ForkCode, ForkKey, ForkOptions, ForkProvider, ForkSlot, ForkStats, ForkValue } from './types.js';
