// The block parameters a dev node changes for its next blocks (anvil_setNextBlockBaseFeePerGas,
// anvil_setCoinbase, evm_setBlockGasLimit): core decides and keeps them (Engine::set_block_params,
// core/src/engine/chain.rs: its bounds, the block context, the pool's admission, checkpoints);
// here they are only read from JSON-RPC and handed over.
import { engineInternals } from '../engine.js';
import { ForkedEngine, forkedInternals } from '../fork/forked-engine.js';
import { type Hex, toAddress, toRpcQuantity } from '../hex.js';
import type { DevEngine } from './dev-chain.js';

/** What `setBlockParams` changes; absent fields stay as they are. */
export interface BlockParams {
  baseFee?: bigint;
  coinbase?: Hex;
  gasLimit?: bigint;
}

/** Changes the base fee, coinbase and gas limit of the blocks `engine` mines from now on (all or nothing; core's bounds). */
export function setBlockParams(engine: DevEngine, params: BlockParams): void {
  const inner = engine instanceof ForkedEngine ? forkedInternals(engine) : engineInternals(engine);
  inner.call((raw) => raw.setBlockParams(params));
}

/** A base fee in wei from a JSON-RPC quantity (256 bits read; core bounds it). */
export function baseFeeParam(value: unknown, what: string): BlockParams {
  return { baseFee: toRpcQuantity(value, `${what}: base fee`, 256) };
}

/** A coinbase from a JSON-RPC address. */
export function coinbaseParam(value: unknown, what: string): BlockParams {
  return { coinbase: toAddress(value, `${what}: address`) };
}

/** A block gas limit from a JSON-RPC quantity (64 bits: a header's gas limit). */
export function gasLimitParam(value: unknown, what: string): BlockParams {
  return { gasLimit: toRpcQuantity(value, `${what}: gas limit`, 64) };
}
