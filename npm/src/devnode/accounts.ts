// Dev accounts: keys derived from a BIP-39 mnemonic along BIP-44 m/44'/60'/0'/0/i (as anvil and
// Hardhat do), their addresses, and the signatures a dev node makes with them.
import { pbkdf2Sync } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { HDKey } from '@scure/bip32';
import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';
import { ZkosError } from '../errors.js';
import { type Hex, bytesToHex, hexToBytes } from '../hex.js';

/** The well-known test mnemonic of anvil and Hardhat (its keys are public: never hold real funds with them). */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';
/** BIP-44 path prefix of Ethereum accounts; account `i` is `${DERIVATION_PREFIX}/${i}`. */
export const DERIVATION_PREFIX = "m/44'/60'/0'/0";

/** A dev account: its address (lowercase) and private key. */
export interface DevAccount {
  readonly address: Hex;
  readonly privateKey: Hex;
}

/** BIP-39 PBKDF2 rounds (HMAC-SHA512). */
const SEED_ROUNDS = 2048;
/** BIP-39 seed length, in bytes. */
const SEED_BYTES = 64;

/**
 * The BIP-39 seed of a mnemonic without passphrase: PBKDF2-HMAC-SHA512 of its NFKD form with
 * salt "mnemonic", 2048 rounds, 64 bytes. Node's native PBKDF2 computes what @scure/bip39's
 * `mnemonicToSeedSync` does, in a millisecond instead of about 150 (start-up time).
 */
function seedOf(mnemonic: string): Uint8Array {
  if (!validateMnemonic(mnemonic, wordlist)) throw new ZkosError('INVALID_ARGUMENT', 'mnemonic: not a valid BIP-39 English mnemonic');
  return pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', SEED_ROUNDS, SEED_BYTES, 'sha512');
}

/** The first `count` accounts of `mnemonic`. */
export function devAccounts(count: number, mnemonic = TEST_MNEMONIC): DevAccount[] {
  const parent = HDKey.fromMasterSeed(seedOf(mnemonic)).derive(DERIVATION_PREFIX);
  const out: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const child = parent.deriveChild(i);
    if (child.privateKey === null || child.publicKey === null) throw new Error(`account ${i}: no key`);
    out.push({ address: addressOfPublicKey(child.publicKey), privateKey: bytesToHex(child.privateKey) });
  }
  return out;
}

/** keccak-256 of `data`. */
export function keccak(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/** The address of a public key, compressed or not (lowercase): the last 20 bytes of keccak(x ‖ y). */
export function addressOfPublicKey(publicKey: Uint8Array): Hex {
  const xy = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false).subarray(1);
  return bytesToHex(keccak(xy).subarray(12));
}

/** `address` with the EIP-55 checksum casing. */
export function checksum(address: Hex): string {
  const hex = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak(new TextEncoder().encode(hex))).slice(2);
  let out = '0x';
  for (let i = 0; i < hex.length; i++) out += parseInt(hash[i] as string, 16) >= 8 ? (hex[i] as string).toUpperCase() : hex[i];
  return out;
}

/** A recoverable signature of a 32-byte digest: `{r, s, yParity}`. */
export function signDigest(privateKey: Hex, digest: Uint8Array): { r: bigint; s: bigint; yParity: 0 | 1 } {
  const sig = secp256k1.sign(digest, hexToBytes(privateKey), { lowS: true });
  return { r: sig.r, s: sig.s, yParity: sig.recovery as 0 | 1 };
}

/** The 65-byte `r ‖ s ‖ v` signature (v = 27 + yParity) of `digest`, as eth_sign returns it. */
export function signature65(privateKey: Hex, digest: Uint8Array): Hex {
  const { r, s, yParity } = signDigest(privateKey, digest);
  return `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${(27 + yParity).toString(16)}`;
}

/** The EIP-191 digest of a personal message: keccak("\x19Ethereum Signed Message:\n" + length + message). */
export function personalDigest(message: Uint8Array): Uint8Array {
  const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${message.length}`);
  const all = new Uint8Array(prefix.length + message.length);
  all.set(prefix);
  all.set(message, prefix.length);
  return keccak(all);
}
