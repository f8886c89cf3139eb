// Everything the package exports besides the platform's engine constructors.
export { ZkosError, type ZkosErrorCode } from './errors.js';
export type { Hex, Quantity } from './hex.js';
export { decodeRevert, revertMessage, type RevertReason } from './revert.js';
export { createProvider, ProviderRpcError, PROVIDER_METHODS, RPC_ERRORS, type Eip1193Provider, type RequestArguments, type ProviderEngine } from './provider.js';
export { Engine, Session } from './engine.js';
export { EngineSnapshot } from './snapshots.js';
export type * from './types.js';
export type { BlockInfo, FeeInfo, LogInfo, ReceiptInfo, TxInfo } from './chain.js';
export { createForkFetcher, ForkFetcher, EMPTY_CODE_HASH, indexedDbCache, type ForkAccount, type ForkBlock, type ForkBlockHash, type ForkCache, type ForkCode, type ForkKey, type ForkOptions, type ForkProvider, type ForkSlot, type ForkStats, type ForkValue } from './fork/index.js';
export { ForkedEngine, type TransactionReplay } from './fork/forked-engine.js';
export { ForkSession } from './fork/fork-session.js';
