import { ZkosError } from './errors.js';

/** A `0x`-prefixed hex string. */
export type Hex = `0x${string}`;

/** A quantity as accepted by zkos: bigint, safe integer, or decimal / 0x-hex string. */
export type Quantity = bigint | number | string;

const HEX_RE = /^0x[0-9a-fA-F]*$/;
const DEC_RE = /^[0-9]+$/;
const MAX_U256 = (1n << 256n) - 1n;
const LEADING_ZEROS_RE = /^0+/;
/** Hex digits of 2^256-1. */
const MAX_U256_HEX_DIGITS = 64;
/** Decimal digits of 2^256-1 (115792…639935). */
const MAX_U256_DEC_DIGITS = 78;

/** Parses a non-negative quantity (at most 2^256-1). Throws `INVALID_ARGUMENT`/`INVALID_HEX`. */
export function toBigInt(value: unknown, what: string): bigint {
  let out: bigint;
  if (typeof value === 'bigint') out = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ZkosError('INVALID_ARGUMENT', `${what}: ${value} is not a safe integer`);
    out = BigInt(value);
  } else if (typeof value === 'string') {
    if (value.startsWith('0x') || value.startsWith('0X')) {
      if (value.length === 2 || !HEX_RE.test('0x' + value.slice(2))) throw new ZkosError('INVALID_HEX', `${what}: bad hex quantity ${preview(value)}`);
      const digits = value.slice(2).replace(LEADING_ZEROS_RE, '');
      if (digits.length > MAX_U256_HEX_DIGITS) throw new ZkosError('INVALID_ARGUMENT', `${what}: above 2^256-1`);
      out = BigInt('0x' + (digits || '0'));
    } else if (DEC_RE.test(value)) {
      // Checked before parsing: BigInt of a long decimal string takes time quadratic in its length.
      const digits = value.replace(LEADING_ZEROS_RE, '');
      if (digits.length > MAX_U256_DEC_DIGITS) throw new ZkosError('INVALID_ARGUMENT', `${what}: above 2^256-1`);
      out = BigInt(digits || '0');
    } else throw new ZkosError('INVALID_ARGUMENT', `${what}: ${preview(value)} is not a number`);
  } else {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a bigint, number or string, got ${describe(value)}`);
  }
  if (out < 0n) throw new ZkosError('INVALID_ARGUMENT', `${what}: negative`);
  if (out > MAX_U256) throw new ZkosError('INVALID_ARGUMENT', `${what}: above 2^256-1`);
  return out;
}

/**
 * A JSON-RPC QUANTITY as geth reads it (go-ethereum common/hexutil): a string must be `0x` and
 * hex digits without leading zeros (`0x0` for zero), at most 64 bits for a block number or an
 * index; the messages are geth's. In-process callers may still pass a bigint or a safe integer.
 */
export function toRpcQuantity(value: unknown, what: string, bits: 64 | 256 = 64): bigint {
  if (typeof value !== 'string') return bits === 64 ? toU64(value, what) : toBigInt(value, what);
  const fail = (why: string): never => {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: ${why}`);
  };
  if (value.length === 0) fail('empty hex string');
  if (!value.startsWith('0x') && !value.startsWith('0X')) fail('hex string without 0x prefix');
  if (value.length === 2) fail('hex string "0x"');
  if (!HEX_RE.test('0x' + value.slice(2))) fail('invalid hex string');
  if (value.length > 3 && value[2] === '0') fail('hex number with leading zero digits');
  if (value.length - 2 > bits / 4) fail(`hex number > ${bits} bits`);
  return BigInt('0x' + value.slice(2));
}

/** Like `toBigInt` but also checks the value fits in 64 bits. */
export function toU64(value: unknown, what: string): bigint {
  const v = toBigInt(value, what);
  if (v >= 1n << 64n) throw new ZkosError('INVALID_ARGUMENT', `${what}: above 2^64-1`);
  return v;
}

/** Validates a byte string (`0x` + even number of hex digits), or converts a Uint8Array; returns lower-case hex. */
export function toBytes(value: unknown, what: string): Hex {
  if (value instanceof Uint8Array) return typedBytesToHex(value, what);
  if (typeof value !== 'string') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected 0x-hex bytes, got ${describe(value)}`);
  if (!HEX_RE.test(value) || value.length % 2 !== 0) throw new ZkosError('INVALID_HEX', `${what}: bad hex bytes ${preview(value)}`);
  return value.toLowerCase() as Hex;
}

/** Validates a 20-byte address; returns it lower-case. */
export function toAddress(value: unknown, what: string): Hex {
  const hex = toBytes(value, what);
  if (hex.length !== 42) throw new ZkosError('INVALID_ARGUMENT', `${what}: an address has 20 bytes, got ${(hex.length - 2) / 2}`);
  return hex;
}

/** Validates a 32-byte word given as hex of at most 32 bytes (left-padded) or a quantity; returns 0x + 64 digits. */
export function toWord(value: unknown, what: string): Hex {
  if (typeof value === 'string' && value.startsWith('0x')) {
    if (!HEX_RE.test(value) || value.length > 66) throw new ZkosError('INVALID_HEX', `${what}: bad 32-byte word ${preview(value)}`);
    return ('0x' + value.slice(2).toLowerCase().padStart(64, '0')) as Hex;
  }
  return quantityToWord(toBigInt(value, what));
}

/** Validates a 32-byte hash: `0x` and exactly 64 hex digits, as geth's `common.Hash` takes it; returns it lower-case. */
export function toHash(value: unknown, what: string): Hex {
  const hex = toBytes(value, what);
  if (hex.length !== 66) throw new ZkosError('INVALID_ARGUMENT', `${what}: a hash has 32 bytes, got ${(hex.length - 2) / 2}`);
  return hex;
}

/** A bigint as a 0x-prefixed minimal quantity (`0x0` for zero), as JSON-RPC wants. */
export function toQuantityHex(value: bigint | number): Hex {
  return ('0x' + BigInt(value).toString(16)) as Hex;
}

/** A bigint as 0x + 64 hex digits. */
export function quantityToWord(value: bigint): Hex {
  return ('0x' + value.toString(16).padStart(64, '0')) as Hex;
}

/** The ASCII codes of the 16 lower-case hex digits. */
const DIGIT_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Each digit's value by its character code (`a`-`f` and `A`-`F` alike); other codes are never looked up on validated hex. */
const DIGIT_VALUES = (() => {
  const t = new Uint8Array(128);
  for (let i = 0; i < 16; i++) {
    t['0123456789abcdef'.charCodeAt(i)] = i;
    t['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return t;
})();
const ASCII = new TextDecoder('latin1');

/**
 * Bytes as lower-case 0x-hex, in time linear in their length: the digits' codes are written to
 * one buffer and decoded once (a string grown byte by byte took 67 s for 64 MiB).
 */
export function bytesToHex(bytes: Uint8Array): Hex {
  const codes = new Uint8Array(2 + 2 * bytes.length);
  codes[0] = 0x30;
  codes[1] = 0x78;
  for (let i = 0; i < bytes.length; i++) {
    codes[2 + 2 * i] = DIGIT_CODES[bytes[i] >> 4];
    codes[3 + 2 * i] = DIGIT_CODES[bytes[i] & 15];
  }
  return ASCII.decode(codes) as Hex;
}

/** A caller's Uint8Array as hex; one that is not a real typed array or whose buffer is detached is INVALID_ARGUMENT. */
function typedBytesToHex(value: Uint8Array, what: string): Hex {
  try {
    // Reading a detached or fake array's bytes throws a TypeError; a view over the buffer does too.
    new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  } catch {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: a Uint8Array whose buffer is detached or that is not a typed array`);
  }
  return bytesToHex(value);
}

/** The byte arrays one after another, in one new array. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** 0x-hex to bytes (input must already be validated). */
export function hexToBytes(hex: Hex): Uint8Array {
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = (DIGIT_VALUES[hex.charCodeAt(2 + 2 * i)] << 4) | DIGIT_VALUES[hex.charCodeAt(3 + 2 * i)];
  return out;
}

function preview(s: string): string {
  return JSON.stringify(s.length > 24 ? s.slice(0, 24) + '…' : s);
}

/** A value for an error message: strings quoted (and cut short), other values by their type. */
export function show(value: unknown): string {
  return typeof value === 'string' ? preview(value) : describe(value);
}

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
