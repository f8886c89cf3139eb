// What a hostile client may add to a dev node's engine. The engine runs in a wasm instance of at
// most 4 GiB; once an allocation fails there, the instance traps and every later request answers
// -32603 "the engine's wasm instance failed" until the process restarts. Before these bounds, 478
// `anvil_setCode` calls of 8 MiB each (to different addresses) did that. Two bounds keep the node
// answering:
// - a budget on what the state-setting methods (`anvil_`/`hardhat_` setCode, setStorageAt,
//   setBalance, setNonce) write: each write counts what the engine's memory grows by for it (its
//   code byte for byte, an account or a slot by a measured figure), and a write past the budget is
//   refused and changes nothing. An overwrite counts again: the engine keeps the value it replaced
//   as long as a state in its history window or a snapshot may read it (measured: 100 writes of
//   1 MiB of code to one address grew its memory by 228 MiB). A revert gives back what was
//   counted after its snapshot, a reset everything;
// - a reserve of the engine's memory: a request that may grow the chain (a state setter, a
//   transaction, a mine, a state load) is refused while the instance's memory is within the
//   reserve of its maximum. Wasm memory grows and is never given back, so once reached it holds
//   until the process restarts; reads and calls still answer. It catches what the budget does not
//   count: blocks (about 1 KiB each, kept for good), transactions' state, allocator fragments.
import type { Hex } from '../hex.js';
import { ZkosError } from '../errors.js';
import { ProviderRpcError } from '../provider.js';
import type { WasmMemory } from '../types.js';

/** JSON-RPC code of a request refused at a bound of the node (as the server's). */
const LIMIT_EXCEEDED = -32005;

/** Default budget of the state-setting methods: 1 GiB, a quarter of the engine's 4 GiB. */
export const MAX_SET_STATE_BYTES = 1024 * 1024 * 1024;
/**
 * Most code one `anvil_setCode` sets: 8 MiB, what a request within the 16 MiB body bound carries
 * as hex, so that an in-process caller (no body bound) cannot ask for more than an HTTP client.
 * The engine holds a few copies of it while setting it.
 */
export const MAX_SET_CODE_BYTES = 8 * 1024 * 1024;
/**
 * Default reserve of the engine's memory: 512 MiB. One request grows it by much less (the
 * largest, `anvil_mine` of 100,000 blocks, by about 100 MiB; an 8 MiB code by a few copies).
 */
export const MEMORY_RESERVE_BYTES = 512 * 1024 * 1024;
/**
 * What the engine's memory grew by per account written (measured: 525 bytes each for 400,000 new
 * accounts; a rewrite keeps the account's code, shared, and costs less).
 */
export const ACCOUNT_WRITE_BYTES = 640;
/**
 * What the engine's memory grew by per slot written (measured: 1,231 bytes each for one slot of
 * each of 100,000 addresses, 512 for 400,000 slots of one address).
 */
export const SLOT_WRITE_BYTES = 1280;

/** What the state-setting methods have written to a chain's engine, against one budget, and the engine's memory reserve. */
export class StateBudget {
  readonly limit: number;
  readonly reserve: number;
  #used = 0;

  constructor(limit = MAX_SET_STATE_BYTES, reserve = MEMORY_RESERVE_BYTES) {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new ZkosError('INVALID_ARGUMENT', `maxSetStateBytes: expected a byte count, got ${String(limit)}`);
    if (!Number.isSafeInteger(reserve) || reserve < 0) throw new ZkosError('INVALID_ARGUMENT', `memoryReserveBytes: expected a byte count, got ${String(reserve)}`);
    this.limit = limit;
    this.reserve = reserve;
  }

  /** Bytes counted now. */
  get used(): number {
    return this.#used;
  }

  /** Sets the count (a revert to a snapshot brings back its count; a reset 0). */
  restore(used: number): void {
    this.#used = used;
  }

  /** Counts `bytes` when they fit the budget; else throws `-32005` and counts nothing. */
  take(bytes: number, method: string): void {
    if (this.#used + bytes > this.limit) {
      throw new ProviderRpcError(
        LIMIT_EXCEEDED,
        `${method}: the node's state-setting methods would have written ${this.#used + bytes} bytes, more than their budget of ${this.limit} (maxSetStateBytes); nothing was changed (evm_revert to an earlier snapshot or anvil_reset gives back what was written since)`,
      );
    }
    this.#used += bytes;
  }

  /** Throws `-32005` when the engine's memory is within the reserve of its maximum (a request that may grow the chain is refused before it runs). */
  checkMemory(memory: WasmMemory, method: string): void {
    if (memory.bytes + this.reserve <= memory.maxBytes) return;
    throw new ProviderRpcError(
      LIMIT_EXCEEDED,
      `${method}: the engine's memory has grown to ${memory.bytes} of its ${memory.maxBytes} bytes, within the node's reserve of ${this.reserve}; requests that add to the chain are refused until the node restarts (reads and calls still answer)`,
    );
  }
}

/** Throws `-32005` when `code` (hex) is longer than `MAX_SET_CODE_BYTES`. */
export function checkSetCode(code: Hex, method: string): void {
  const bytes = (code.length - 2) / 2;
  if (bytes > MAX_SET_CODE_BYTES) throw new ProviderRpcError(LIMIT_EXCEEDED, `${method}: ${bytes} bytes of code, more than ${MAX_SET_CODE_BYTES} (the most one call sets)`);
}

/** What one write of a state-setting method may keep in the engine: an account's fields, its code (with its jump-destination bitmap, an eighth of it) or a slot. */
export function writeCost(change: { code?: Hex } | { slot: Hex }): number {
  if ('slot' in change) return SLOT_WRITE_BYTES;
  const code = change.code === undefined ? 0 : (change.code.length - 2) / 2;
  return ACCOUNT_WRITE_BYTES + code + Math.ceil(code / 8);
}
