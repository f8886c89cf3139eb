// Fork mode's checks of what the node sends: the pinned block's header against its hash, each
// eth_getProof answer (with the code beside it) against the header's state root. The engine's
// core decides (core/src/state/eth_proof, run in the on-demand module beside the curve
// arithmetic, bindings-wasm/curves); this file only carries the node's JSON over as RLP (every
// hex string as its bytes, anything else as an empty list; core/src/state/eth_proof/wire.rs)
// and turns a failed check into an error naming the call.
import { ZkosError } from '../errors.js';
import { type Hex, concatBytes, hexToBytes } from '../hex.js';
import { loadedCurves, runCheck } from '../curves.js';
import { badResponse, list, record } from './decode.js';

/** Checks of a node's answers; each throws `FORK_PROOF_MISMATCH` (the rule as `reason`) when one does not hold. */
export interface ForkVerifier {
  /** An `eth_getBlockByNumber` answer's header against `hash` (default: the hash it reports). */
  header(block: unknown, what: string, hash?: Hex): void;
  /** An `eth_getProof` answer (and the account's code, if fetched beside it) against `stateRoot`. */
  proof(stateRoot: Hex, proof: unknown, code: Hex | undefined, what: string): void;
}

type RlpItem = Uint8Array | RlpItem[];

const HEX_RE = /^0x[0-9a-fA-F]*$/;
const SHORT_LIMIT = 56;

/** A JSON value as an item: a hex string's bytes (odd digits padded), anything else an empty list. */
function item(value: unknown): RlpItem {
  if (typeof value !== 'string' || !HEX_RE.test(value)) return [];
  return hexToBytes((value.length % 2 === 1 ? `0x0${value.slice(2)}` : value) as Hex);
}

function header(base: number, length: number): number[] {
  if (length < SHORT_LIMIT) return [base + length];
  const be: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) be.unshift(l % 256);
  return [base + SHORT_LIMIT - 1 + be.length, ...be];
}

function encode(value: RlpItem): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length === 1 && (value[0] as number) < 0x80) return value;
    return concatBytes([Uint8Array.from(header(0x80, value.length)), value]);
  }
  const body = concatBytes(value.map(encode));
  return concatBytes([Uint8Array.from(header(0xc0, body.length)), body]);
}

/** What a refused proof means and how to fork such a node anyway. */
const UNPROVEN_HINT = "the node's answer does not match the block header it is checked against; a node whose headers do not commit to its state, as anvil's block 0, can be forked with verify: false (--fork-verify off), trusting it";

function check(name: 'verify_header' | 'verify_proof', request: RlpItem, what: string): void {
  const failed = runCheck(name, encode(request));
  if (failed === undefined) return;
  // The answer lacks a field or has one of the wrong length: off-format rather than unproven.
  if (failed.reason === 'MalformedRequest') throw badResponse(what, failed.message);
  // What to do about it, in the message: before, users met anvil's block 0 with no way out named.
  throw new ZkosError('FORK_PROOF_MISMATCH', `fork: ${failed.message}: ${what} (${UNPROVEN_HINT})`, { what }, failed.reason);
}

/** The verifier; loads the module that runs the checks if it is not loaded yet. */
export async function forkVerifier(): Promise<ForkVerifier> {
  await loadedCurves('fork: verifying the node\'s answers');
  const utf8 = new TextEncoder();
  return {
    header(block, what, hash) {
      const fields = Object.entries(record(block, what)).map(([name, value]) => [utf8.encode(name), item(value)]);
      check('verify_header', [item(hash ?? (block as { hash?: unknown }).hash), fields], what);
    },
    proof(stateRoot, proof, code, what) {
      const p = record(proof, what);
      const nodes = (value: unknown, field: string): RlpItem[] => list(value, `${what}.${field}`).map(item);
      const slots = list(p.storageProof, `${what}.storageProof`).map((entry, i) => {
        const e = record(entry, `${what}.storageProof[${i}]`);
        return [item(e.key), item(e.value), nodes(e.proof, `storageProof[${i}].proof`)];
      });
      const request = [item(stateRoot), item(p.address), item(p.nonce), item(p.balance), item(p.storageHash), item(p.codeHash), nodes(p.accountProof, 'accountProof'), slots, code === undefined ? [] : [item(code)]];
      check('verify_proof', request, what);
    },
  };
}
