// The JSON-RPC calls behind each kind of key and the strict reading of their answers: one Job per
// account (with its slots) by eth_getProof, or per account and per slot by plain reads.
import { ZkosError } from '../errors.js';
import { type Hex, toQuantityHex } from '../hex.js';
import { badResponse, bytes, excerpt, fixedBytes, list, quantity, quantity64, record, word } from './decode.js';
import type { RpcCall, RpcErrorObject, RpcOutcome } from './transport.js';
import type { ForkBlock } from './types.js';
import type { ForkVerifier } from './verify.js';
import { EMPTY_TRIE_ROOT, type StoredAccount, ZERO_HASH, type Values, checkedCode, slotId } from './values.js';

/** JSON-RPC "method not found" (JSON-RPC 2.0), "method not supported" (EIP-1474), "unsupported method" (EIP-1193). */
const METHOD_MISSING_CODES = [-32601, -32004, 4200];
/** Nodes that use another code still say so in words (and name the method: a "header not found" is no such answer). */
const METHOD_MISSING_RE = /not (supported|found|available|implemented)|unsupported|does not exist/i;
const NAMES_METHOD_RE = /method|eth_getProof/i;

/** How a read names the pinned block: by hash (EIP-1898 `{ blockHash }`), or by number (a JSON-RPC quantity) where the node refuses the object. */
export type BlockRef = Hex | { blockHash: Hex };

/** What every job needs: the pinned block, and whether a missing eth_getProof means "read plainly". */
export interface JobContext {
  /** The fork block as reads name it. */
  tag: BlockRef;
  forkNumber: bigint;
  fallBackWithoutProofs: boolean;
  /** The checks of proofs against `stateRoot`; absent when the fetcher trusts the node. */
  verifier: ForkVerifier | undefined;
  stateRoot: Hex;
}

/** One unit of a wave: its calls and how to read their outcomes into the staged values. */
export interface Job {
  calls: RpcCall[];
  /** Reads the outcomes; returns false when the node lacks `eth_getProof` and the job must be redone with plain reads. */
  read(outcomes: RpcOutcome[], into: Values): boolean;
  /** What a redo with plain reads needs. */
  account?: Hex;
  slots?: { address: Hex; slots: Hex[] };
}

/** The result of a call, or the node's refusal as FORK_UNAVAILABLE. */
export function resultOf(outcome: RpcOutcome | undefined, method: string): unknown {
  if (outcome === undefined) throw badResponse(method, 'missing answer');
  if ('error' in outcome) throw nodeRefused(method, outcome.error);
  return outcome.result;
}

function nodeRefused(method: string, error: RpcErrorObject): ZkosError {
  return new ZkosError('FORK_UNAVAILABLE', `fork: the node could not answer ${method}: ${error.message} (${error.code})`, { method, rpcError: error });
}

function isMethodMissing(error: RpcErrorObject): boolean {
  return METHOD_MISSING_CODES.includes(error.code) || (NAMES_METHOD_RE.test(error.message) && METHOD_MISSING_RE.test(error.message));
}

/** The pinned block's header, read strictly from an `eth_getBlockByNumber` answer. */
export function parseHeader(value: unknown, what: string): ForkBlock {
  const h = record(value, what);
  const block: ForkBlock = {
    number: quantity64(h.number, `${what}.number`),
    hash: fixedBytes(h.hash, 32, `${what}.hash`),
    parentHash: fixedBytes(h.parentHash, 32, `${what}.parentHash`),
    stateRoot: fixedBytes(h.stateRoot, 32, `${what}.stateRoot`),
    timestamp: quantity64(h.timestamp, `${what}.timestamp`),
    gasLimit: quantity64(h.gasLimit, `${what}.gasLimit`),
    gasUsed: quantity64(h.gasUsed, `${what}.gasUsed`),
    miner: fixedBytes(h.miner, 20, `${what}.miner`),
    mixHash: fixedBytes(h.mixHash, 32, `${what}.mixHash`),
    difficulty: quantity(h.difficulty ?? '0x0', `${what}.difficulty`),
  };
  if (h.baseFeePerGas !== undefined && h.baseFeePerGas !== null) block.baseFeePerGas = quantity(h.baseFeePerGas, `${what}.baseFeePerGas`);
  if (h.blobGasUsed !== undefined && h.blobGasUsed !== null) block.blobGasUsed = quantity64(h.blobGasUsed, `${what}.blobGasUsed`);
  if (h.excessBlobGas !== undefined && h.excessBlobGas !== null) block.excessBlobGas = quantity64(h.excessBlobGas, `${what}.excessBlobGas`);
  return block;
}

/** `eth_getProof` for the slots (and the account, with `eth_getCode` beside it). */
export function proofJob(at: JobContext, address: Hex, slots: Hex[], withAccount: boolean): Job {
  const calls: RpcCall[] = [{ method: 'eth_getProof', params: [address, slots, at.tag] }];
  if (withAccount) calls.push({ method: 'eth_getCode', params: [address, at.tag] });
  const job: Job = {
    calls,
    slots: { address, slots },
    read: (outcomes, into) => {
      const first = outcomes[0];
      if (first !== undefined && 'error' in first && isMethodMissing(first.error)) {
        if (at.fallBackWithoutProofs) return false;
        if (at.verifier !== undefined) {
          const { message, code } = first.error;
          throw new ZkosError('FORK_UNAVAILABLE', `fork: the node lacks eth_getProof (${message} (${code})) and plain reads cannot be verified; pass verify: false to trust the node`, { method: 'eth_getProof', rpcError: first.error });
        }
      }
      const what = `eth_getProof(${address})`;
      const proof = record(resultOf(first, 'eth_getProof'), what);
      if (fixedBytes(proof.address, 20, `${what}.address`) !== address) throw badResponse(what, `answered for ${excerpt(proof.address)}`);
      list(proof.accountProof, `${what}.accountProof`);
      const code = withAccount ? bytes(resultOf(outcomes[1], 'eth_getCode'), `eth_getCode(${address})`) : undefined;
      let account: StoredAccount | undefined;
      if (code !== undefined) {
        const storageHash = fixedBytes(proof.storageHash, 32, `${what}.storageHash`);
        const codeHash = checkedCode(code, fixedBytes(proof.codeHash, 32, `${what}.codeHash`), what);
        account = {
          balance: quantity(proof.balance, `${what}.balance`),
          nonce: quantity64(proof.nonce, `${what}.nonce`),
          codeHash,
          hasStorage: storageHash !== EMPTY_TRIE_ROOT && storageHash !== ZERO_HASH,
        };
      }
      const entries = list(proof.storageProof, `${what}.storageProof`);
      if (entries.length !== slots.length) throw badResponse(what, `asked ${slots.length} slots, got ${entries.length} proofs`);
      const byKey = new Map<bigint, Hex>();
      entries.forEach((entry, i) => {
        const e = record(entry, `${what}.storageProof[${i}]`);
        byKey.set(quantity(e.key, `${what}.storageProof[${i}].key`), word(e.value, `${what}.storageProof[${i}].value`));
      });
      const values = slots.map((slot) => {
        const value = byKey.get(BigInt(slot));
        if (value === undefined) throw badResponse(what, `no proof for slot ${slot}`);
        return value;
      });
      // Read strictly first (an off-format answer names its field), then proven, then kept.
      at.verifier?.proof(at.stateRoot, proof, code, `${what} at block ${at.forkNumber}`);
      if (account !== undefined && code !== undefined) {
        into.accounts.set(address, account);
        into.codes.set(account.codeHash, code);
      }
      slots.forEach((slot, i) => into.slots.set(slotId(address, slot), values[i] as Hex));
      return true;
    },
  };
  if (withAccount) job.account = address;
  return job;
}

/** Balance, nonce and code by plain reads (the code hash is computed). */
export function accountJob(at: JobContext, address: Hex): Job {
  return {
    calls: [
      { method: 'eth_getBalance', params: [address, at.tag] },
      { method: 'eth_getTransactionCount', params: [address, at.tag] },
      { method: 'eth_getCode', params: [address, at.tag] },
    ],
    read: (outcomes, into) => {
      const balance = quantity(resultOf(outcomes[0], 'eth_getBalance'), `eth_getBalance(${address})`);
      const nonce = quantity64(resultOf(outcomes[1], 'eth_getTransactionCount'), `eth_getTransactionCount(${address})`);
      const code = bytes(resultOf(outcomes[2], 'eth_getCode'), `eth_getCode(${address})`);
      const codeHash = checkedCode(code, undefined, `eth_getCode(${address})`);
      into.accounts.set(address, { balance, nonce, codeHash });
      into.codes.set(codeHash, code);
      return true;
    },
  };
}

/** One slot by `eth_getStorageAt`. */
export function slotJob(at: JobContext, address: Hex, slot: Hex): Job {
  return {
    calls: [{ method: 'eth_getStorageAt', params: [address, slot, at.tag] }],
    read: (outcomes, into) => {
      into.slots.set(slotId(address, slot), word(resultOf(outcomes[0], 'eth_getStorageAt'), `eth_getStorageAt(${address}, ${slot})`));
      return true;
    },
  };
}

/**
 * The node's block at the pin's number, which must still be the pinned one: sent with every
 * wave of reads that name the pin by number (a node refusing EIP-1898 block hashes), so a reorg
 * at that height is `FORK_BLOCK_GONE` rather than another block's state.
 */
export function pinCheckJob(at: JobContext, pinHash: Hex): Job {
  return {
    calls: [{ method: 'eth_getBlockByNumber', params: [toQuantityHex(at.forkNumber), false] }],
    read: (outcomes) => {
      const what = `eth_getBlockByNumber(${at.forkNumber})`;
      const result = resultOf(outcomes[0], 'eth_getBlockByNumber');
      const hash = result === null ? undefined : fixedBytes(record(result, what).hash, 32, `${what}.hash`);
      if (hash !== pinHash) throw blockGone(at.forkNumber, pinHash, hash === undefined ? 'the node has no block at its height' : `the node's block ${at.forkNumber} is now ${hash}`);
      return true;
    },
  };
}

/** `FORK_BLOCK_GONE`: the node no longer serves the pinned block (`why`). */
export function blockGone(number: bigint, hash: Hex, why: string, rpcError?: RpcErrorObject): ZkosError {
  return new ZkosError(
    'FORK_BLOCK_GONE',
    `fork: the pinned block ${number} (${hash}) is gone from the node (${why}): a reorg replaced it or the node pruned its state; fork again at a block the node has`,
    { number, hash, ...(rpcError === undefined ? {} : { rpcError }) },
  );
}

/** A block hash by `eth_getBlockByNumber`. */
export function blockHashJob(at: JobContext, number: bigint): Job {
  return {
    calls: [{ method: 'eth_getBlockByNumber', params: [toQuantityHex(number), false] }],
    read: (outcomes, into) => {
      const what = `eth_getBlockByNumber(${number})`;
      const result = resultOf(outcomes[0], 'eth_getBlockByNumber');
      if (result === null) throw badResponse(what, `the node has no block ${number}, below the fork block ${at.forkNumber}`);
      const block = record(result, what);
      if (quantity64(block.number, `${what}.number`) !== number) throw badResponse(what, `answered block ${excerpt(block.number)}`);
      into.blockHashes.set(number, fixedBytes(block.hash, 32, `${what}.hash`));
      return true;
    },
  };
}

/**
 * Hashes of blocks `top - 1` down to `lowest`, bound to the verified pin: the headers of blocks
 * `top` down to `lowest + 1` by `eth_getBlockByNumber`, in one batch; each must hash (core's
 * header check) to the hash its child names — `topHash` for block `top`, then each header's
 * `parentHash` for the block below it — so every hash below is the chain's own.
 */
export function linkedHashesJob(at: JobContext, verifier: ForkVerifier, lowest: bigint, top: bigint, topHash: Hex): Job {
  const numbers: bigint[] = [];
  for (let n = top; n > lowest; n--) numbers.push(n);
  return {
    calls: numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toQuantityHex(n), false] })),
    read: (outcomes, into) => {
      let expected = topHash;
      for (const [i, number] of numbers.entries()) {
        const what = `eth_getBlockByNumber(${number}), linked to the fork block ${at.forkNumber}`;
        const result = resultOf(outcomes[i], 'eth_getBlockByNumber');
        if (result === null) throw badResponse(what, `the node has no block ${number}, below the fork block ${at.forkNumber}`);
        const block = record(result, what);
        if (quantity64(block.number, `${what}.number`) !== number) throw badResponse(what, `answered block ${excerpt(block.number)}`);
        verifier.header(block, what, expected);
        expected = fixedBytes(block.parentHash, 32, `${what}.parentHash`);
        into.blockHashes.set(number - 1n, expected);
      }
      return true;
    },
  };
}
