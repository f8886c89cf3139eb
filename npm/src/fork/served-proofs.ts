// eth_getProof over a fork. zkos's own state is not an Ethereum Merkle-Patricia trie, so it cannot
// prove what changed on the fork; what it did not change is the forked chain's, which the node
// proves. An account with no local write since the fork block (its nonce, balance, code and every
// slot as the chain held them there) is answered with the node's proof at the fork block, named
// by its hash (the proof is against the fork block's state root; with `verify`, checked against
// it first), for any block of the fork from the fork block on; a block before the fork block is
// the node's own proof at that block (as anvil forwards it). An account written on the fork is
// refused, with an error saying so, rather than answered with a proof of values it no longer holds.
import { ZkosError } from '../errors.js';
import { type Hex, toAddress, toHash, toQuantityHex, toRpcQuantity, toWord } from '../hex.js';
import { badResponse, fixedBytes, list, quantity, record } from './decode.js';
import type { RpcCall } from './transport.js';
import type { ForkVerifier } from './verify.js';

/** Most storage keys one eth_getProof may ask for (geth's `maxGetProofKeys`, eth/api_backend). */
export const MAX_PROOF_KEYS = 1024;

/** What a proof over a fork needs of the fork and its engine. */
export interface ProofFork {
  readonly block: { readonly number: bigint; readonly hash: Hex; readonly stateRoot?: Hex };
  /** How reads name the fork block (`{ blockHash }`, or its number when the node refuses objects). */
  blockRef?(): unknown;
  rpc(calls: readonly RpcCall[]): Promise<unknown[]>;
  readonly verifier?: ForkVerifier;
}

/** What a proof needs of the engine: its head, its blocks by hash, and its local writes. */
export interface ProofEngine {
  blockNumber(): bigint;
  getBlock(id: Hex): { number: bigint } | undefined;
  changedSinceFork(address: Hex): boolean;
}

/** The block number `tag` names (the provider's rules for a state query; `safe`/`finalized` already resolved). */
function blockOf(engine: ProofEngine, tag: unknown): bigint {
  if (tag === undefined || tag === null || tag === 'latest' || tag === 'pending') return engine.blockNumber();
  if (tag === 'earliest') return 0n;
  if (typeof tag === 'object' && !Array.isArray(tag)) {
    const t = tag as { blockNumber?: unknown; blockHash?: unknown };
    if (t.blockNumber !== undefined && t.blockHash !== undefined) throw new ZkosError('INVALID_ARGUMENT', 'eth_getProof: give blockNumber or blockHash, not both');
    if (t.blockNumber !== undefined && typeof t.blockNumber !== 'object') return blockOf(engine, t.blockNumber);
    if (t.blockHash !== undefined) tag = t.blockHash;
    else throw new ZkosError('INVALID_ARGUMENT', 'eth_getProof: bad block parameter');
  }
  if (typeof tag === 'string' && tag.length === 66) {
    const block = engine.getBlock(toHash(tag, 'eth_getProof: blockHash'));
    if (block === undefined) throw new ZkosError('NOT_FOUND', 'eth_getProof: unknown block');
    return block.number;
  }
  const n = toRpcQuantity(tag, 'eth_getProof: block');
  if (n > engine.blockNumber()) throw new ZkosError('NOT_FOUND', `eth_getProof: header not found (block ${n} is above the head, ${engine.blockNumber()})`);
  return n;
}

/** The node's proof checked to answer for `address` and `keys`, in order. */
function checked(answer: unknown, address: Hex, keys: readonly Hex[], what: string): Record<string, unknown> {
  const o = record(answer, what);
  const got = fixedBytes(o.address, 20, `${what}.address`);
  if (got.toLowerCase() !== address.toLowerCase()) throw badResponse(what, `address ${got} is not the ${address} asked`);
  list(o.accountProof, `${what}.accountProof`);
  const slots = list(o.storageProof, `${what}.storageProof`);
  if (slots.length !== keys.length) throw badResponse(what, `${slots.length} storage proofs for ${keys.length} keys`);
  slots.forEach((entry, i) => {
    const key = quantity(record(entry, `${what}.storageProof[${i}]`).key, `${what}.storageProof[${i}].key`);
    if (key !== BigInt(keys[i] as Hex)) throw badResponse(what, `storageProof[${i}] is for key ${key}, not ${keys[i]}`);
  });
  return o;
}

/** eth_getProof(address, keys, block) over a fork (see the file's comment). */
export async function forkProof(fork: ProofFork, engine: ProofEngine, params: unknown[]): Promise<unknown> {
  const address = toAddress(params[0], 'eth_getProof: address');
  const keys = params[1] ?? [];
  if (!Array.isArray(keys)) throw new ZkosError('INVALID_ARGUMENT', 'eth_getProof: storageKeys must be an array');
  if (keys.length > MAX_PROOF_KEYS) throw new ZkosError('INVALID_ARGUMENT', `eth_getProof: more than ${MAX_PROOF_KEYS} storage keys`);
  const words = keys.map((k, i) => toWord(k, `eth_getProof: storageKeys[${i}]`));
  const n = blockOf(engine, params[2]);
  const pin = fork.block.number;
  if (n >= pin && engine.changedSinceFork(address)) {
    throw new ZkosError(
      'PROOF_UNAVAILABLE',
      `eth_getProof: ${address} was written on this fork after block ${pin} (the fork block), and zkos's state is not an Ethereum trie: no proof of its values here exists (its proof at block ${pin} is the node's)`,
      { address, forkBlock: toQuantityHex(pin) },
    );
  }
  const at = n >= pin ? (fork.blockRef?.() ?? { blockHash: fork.block.hash }) : toQuantityHex(n);
  const what = `eth_getProof(${address}) at block ${n >= pin ? pin : n}`;
  const [answer] = await fork.rpc([{ method: 'eth_getProof', params: [address, words, at] }]);
  const proof = checked(answer ?? null, address, words, what);
  if (n >= pin && fork.verifier !== undefined && fork.block.stateRoot !== undefined) fork.verifier.proof(fork.block.stateRoot, proof, undefined, what);
  return proof;
}
