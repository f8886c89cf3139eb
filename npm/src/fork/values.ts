// The fetcher's values: keys in canonical form, state gathered by kind, and the persistent-cache
// encoding of each value (checked again when read back).
import { ZkosError } from '../errors.js';
import { type Hex, describe, hexToBytes, toAddress, toQuantityHex, toU64, toWord } from '../hex.js';
import { badResponse, bytes, excerpt, fixedBytes, list, quantity, quantity64 } from './decode.js';
import { keccak256 } from './keccak.js';
import type { ForkKey } from './types.js';

/** keccak256 of no bytes: the code hash of an account without code. */
export const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470' as Hex;
/** keccak256(rlp("")): the storage root of an account without storage. */
export const EMPTY_TRIE_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
/** Some nodes report a zero code hash and storage root for an account that does not exist. */
export const ZERO_HASH = '0x' + '0'.repeat(64);

/** A key, checked and in canonical form. `asCode` asks an account's code rather than the account. */
export type Want =
  | { kind: 'account'; address: Hex; asCode: boolean }
  | { kind: 'storage'; address: Hex; slot: Hex }
  | { kind: 'code'; codeHash: Hex }
  | { kind: 'blockHash'; number: bigint };

/** An account without its code (kept once per code hash). */
export interface StoredAccount {
  balance: bigint;
  nonce: bigint;
  codeHash: Hex;
  hasStorage?: boolean;
}

/** State values by kind: the fetcher's memory, or what one fetch gathers before it commits. */
export class Values {
  readonly accounts = new Map<Hex, StoredAccount>();
  readonly codes = new Map<Hex, Hex>();
  /** `address:slot` → value. */
  readonly slots = new Map<string, Hex>();
  readonly blockHashes = new Map<bigint, Hex>();

  has(w: Want): boolean {
    switch (w.kind) {
      case 'account':
        return this.accounts.has(w.address);
      case 'storage':
        return this.slots.has(slotId(w.address, w.slot));
      case 'code':
        return w.codeHash === EMPTY_CODE_HASH || this.codes.has(w.codeHash);
      case 'blockHash':
        return this.blockHashes.has(w.number);
    }
  }

  /** Copies every value of `other` into this one. */
  absorb(other: Values): void {
    for (const [k, v] of other.accounts) this.accounts.set(k, v);
    for (const [k, v] of other.codes) this.codes.set(k, v);
    for (const [k, v] of other.slots) this.slots.set(k, v);
    for (const [k, v] of other.blockHashes) this.blockHashes.set(k, v);
  }
}

/** The key of a slot within `Values.slots`. */
export function slotId(address: Hex, slot: Hex): string {
  return `${address}:${slot}`;
}

/** The cache key of a want: `a:` accounts (and their code), `s:` slots, `c:` code by hash, `h:` block hashes. */
export function idOf(w: Want): string {
  switch (w.kind) {
    case 'account':
      return `a:${w.address}`;
    case 'storage':
      return `s:${slotId(w.address, w.slot)}`;
    case 'code':
      return `c:${w.codeHash}`;
    case 'blockHash':
      return `h:${w.number}`;
  }
}

/** Checks a user's key; block hashes only at or below the fork block. */
export function wantOf(key: ForkKey, what: string, forkNumber: bigint): Want {
  if (key === null || typeof key !== 'object') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a key object, got ${describe(key)}`);
  const k = key as { kind?: unknown; address?: unknown; slot?: unknown; codeHash?: unknown; number?: unknown };
  switch (k.kind) {
    case 'account':
      return { kind: 'account', address: toAddress(k.address, `${what}.address`), asCode: false };
    case 'storage':
      return { kind: 'storage', address: toAddress(k.address, `${what}.address`), slot: toWord(k.slot, `${what}.slot`) };
    case 'code':
      if (k.codeHash !== undefined) return { kind: 'code', codeHash: toWord(k.codeHash, `${what}.codeHash`) };
      return { kind: 'account', address: toAddress(k.address, `${what}.address`), asCode: true };
    case 'blockHash': {
      const number = toU64(k.number, `${what}.number`);
      if (number > forkNumber) throw new ZkosError('INVALID_ARGUMENT', `${what}: block ${number} is above the fork block ${forkNumber}`);
      return { kind: 'blockHash', number };
    }
    default:
      throw new ZkosError('INVALID_ARGUMENT', `${what}.kind: expected account, storage, code or blockHash, got ${excerpt(k.kind)}`);
  }
}

/** Code checked against the hash the node gave (zero or empty hash for no code). */
export function checkedCode(code: Hex, claimedHash: Hex | undefined, what: string): Hex {
  const hash = code === '0x' ? EMPTY_CODE_HASH : keccak256(hexToBytes(code));
  if (claimedHash === undefined || claimedHash === hash) return hash;
  if (code === '0x' && claimedHash === ZERO_HASH) return hash;
  throw badResponse(what, `code hash ${claimedHash} does not match the code (keccak ${hash})`);
}

/** An account as a persistent-cache entry: `[balance, nonce, codeHash, hasStorage | null]`. */
export function encodeAccount(a: StoredAccount): string {
  return JSON.stringify([toQuantityHex(a.balance), toQuantityHex(a.nonce), a.codeHash, a.hasStorage ?? null]);
}

/** Reads back `encodeAccount`'s entry; throws on anything else. */
export function decodeAccount(text: string): StoredAccount {
  const v = list(JSON.parse(text), 'cached account');
  const account: StoredAccount = {
    balance: quantity(v[0], 'cached balance'),
    nonce: quantity64(v[1], 'cached nonce'),
    codeHash: fixedBytes(v[2], 32, 'cached code hash'),
  };
  if (typeof v[3] === 'boolean') account.hasStorage = v[3];
  return account;
}

/** Reads back a cached code entry, checked against its hash. */
export function decodeCode(text: string, codeHash: Hex): Hex {
  const code = bytes(text, 'cached code');
  checkedCode(code, codeHash, 'cached code');
  return code;
}
