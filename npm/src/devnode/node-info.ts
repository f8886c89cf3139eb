// anvil_nodeInfo and anvil_metadata (also hardhat_metadata, as anvil serves it): what the node is
// and runs, in the shapes anvil answers (foundry crates/anvil/src/eth/api.rs at 2a5df2c,
// `anvil_node_info` and `anvil_metadata`), each value the chain's own. Numbers anvil gives as JSON
// numbers are JSON numbers here too, quantities 0x-hex.
import { type Hex, toQuantityHex } from '../hex.js';
import { ForkedEngine } from '../fork/forked-engine.js';
import { CLIENT_VERSION } from '../provider.js';
import type { DevChain } from './dev-chain.js';

/** The package's version, as `CLIENT_VERSION` names it. */
const SEMVER = CLIENT_VERSION.slice(CLIENT_VERSION.indexOf('/') + 1);

/** The head's number, timestamp and hash. */
function head(chain: DevChain): { number: bigint; timestamp: bigint; hash: Hex } {
  const b = chain.engine.getBlock('latest');
  return { number: b?.number ?? 0n, timestamp: b?.timestamp ?? 0n, hash: b?.hash ?? `0x${'0'.repeat(64)}` };
}

/**
 * anvil_nodeInfo: the head, the hardfork, the pool's order (by tip, as anvil's default `fees`),
 * the next block's base fee, gas limit and gas price (what eth_gasPrice answers), and over a
 * fork its block. The fork's URL is not answered (`forkUrl: null`): it may carry an API key, and
 * any client of the node could read it.
 */
export function nodeInfo(chain: DevChain): Record<string, unknown> {
  const h = head(chain);
  const fees = chain.engine.fees();
  const engine = chain.engine;
  return {
    currentBlockNumber: toQuantityHex(h.number),
    currentBlockTimestamp: Number(h.timestamp),
    currentBlockHash: h.hash,
    hardFork: engine.hardfork.charAt(0).toUpperCase() + engine.hardfork.slice(1),
    transactionOrder: 'fees',
    environment: {
      baseFee: toQuantityHex(fees.baseFeePerGas),
      chainId: Number(engine.chainId),
      gasLimit: toQuantityHex(fees.blockGasLimit),
      gasPrice: toQuantityHex(fees.baseFeePerGas),
    },
    forkConfig: { forkUrl: null, forkBlockNumber: engine instanceof ForkedEngine ? Number(engine.forkBlock.number) : null, forkRetryBackoff: null },
  };
}

/**
 * anvil_metadata: the client, chain id, this run's instance id (new at start and at each reset),
 * the head, the forked chain (its chain id, the fork block's number and hash) and the snapshots
 * kept (id → the head's number and hash when taken).
 */
export function metadata(chain: DevChain): Record<string, unknown> {
  const h = head(chain);
  const engine = chain.engine;
  return {
    clientVersion: CLIENT_VERSION,
    clientSemver: SEMVER,
    clientCommitSha: null,
    chainId: Number(engine.chainId),
    instanceId: chain.instanceId,
    latestBlockNumber: Number(h.number),
    latestBlockHash: h.hash,
    forkedNetwork: engine instanceof ForkedEngine ? { chainId: Number(engine.fork.chainId), forkBlockNumber: Number(engine.forkBlock.number), forkBlockHash: engine.forkBlock.hash } : null,
    snapshots: Object.fromEntries(chain.snapshots().map(([id, [number, hash]]) => [toQuantityHex(id), [Number(number), hash]])),
  };
}
