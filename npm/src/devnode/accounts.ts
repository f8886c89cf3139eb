// Dev accounts: keys derived from a BIP-39 mnemonic along BIP-44 m/44'/60'/0'/0/i (as anvil and
// Hardhat do), their addresses, and the signatures a dev node makes with them.
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
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

/** The first `count` accounts of `mnemonic`. */
export function devAccounts(count: number, mnemonic = TEST_MNEMONIC): DevAccount[] {
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic));
  const out: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const key = root.derive(`${DERIVATION_PREFIX}/${i}`).privateKey;
    if (key === null) throw new Error(`account ${i}: no private key`);
    out.push({ address: addressOf(key), privateKey: bytesToHex(key) });
  }
  return out;
}

/** keccak-256 of `data`. */
export function keccak(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/** The address of a private key (lowercase). */
export function addressOf(privateKey: Uint8Array): Hex {
  const pub = secp256k1.getPublicKey(privateKey, false);
  return bytesToHex(keccak(pub.subarray(1)).subarray(12));
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
