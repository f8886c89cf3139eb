// Strict readers of what a node answers: anything off-format is a FORK_BAD_RESPONSE naming the
// call and the field, never a value taken on trust.
import { ZkosError } from '../errors.js';
import type { Hex } from '../hex.js';

const HEX_DIGITS_RE = /^0x[0-9a-fA-F]+$/;
const BYTES_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
/** Hex digits of a 256-bit value. */
const WORD_DIGITS = 64;

/** A `FORK_BAD_RESPONSE` error: the node answered, but not in the expected form. */
export function badResponse(what: string, detail: string, cause?: unknown): ZkosError {
  const err = new ZkosError('FORK_BAD_RESPONSE', `fork: bad answer for ${what}: ${detail}`, { what });
  if (cause !== undefined) err.cause = cause;
  return err;
}

/**
 * A value as JSON text for an error message; a value JSON cannot show (nested past the stack,
 * a cycle, a BigInt) as a word saying so: never a throw of its own.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `(a ${Array.isArray(value) ? 'list' : typeof value} that does not print as JSON)`;
  }
}

/** A JSON value, shortened for an error message. */
export function excerpt(value: unknown): string {
  // JSON has no Infinity: a number too large for a double (`1e400`) is shown as read, not as `null`.
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : jsonText(value);
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}

/** A non-negative hex quantity of at most 256 bits (leading zeros tolerated). */
export function quantity(value: unknown, what: string): bigint {
  if (typeof value !== 'string' || !HEX_DIGITS_RE.test(value) || value.length - 2 > WORD_DIGITS) {
    throw badResponse(what, `expected a hex quantity, got ${excerpt(value)}`);
  }
  return BigInt(value);
}

/** A quantity that fits in 64 bits (nonces, block numbers, timestamps, gas). */
export function quantity64(value: unknown, what: string): bigint {
  const v = quantity(value, what);
  if (v >= 1n << 64n) throw badResponse(what, `${v} does not fit in 64 bits`);
  return v;
}

/** Hex bytes (an even number of digits), lower-cased. */
export function bytes(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !BYTES_RE.test(value)) throw badResponse(what, `expected hex bytes, got ${excerpt(value)}`);
  return value.toLowerCase() as Hex;
}

/** Exactly `length` bytes of hex, lower-cased. */
export function fixedBytes(value: unknown, length: number, what: string): Hex {
  const hex = bytes(value, what);
  if (hex.length !== 2 + 2 * length) throw badResponse(what, `expected ${length} bytes, got ${(hex.length - 2) / 2}`);
  return hex;
}

/** A 32-byte word given as hex of at most 32 bytes (storage values come padded or as quantities). */
export function word(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !HEX_DIGITS_RE.test(value) || value.length - 2 > WORD_DIGITS) {
    throw badResponse(what, `expected a 32-byte word, got ${excerpt(value)}`);
  }
  return ('0x' + value.slice(2).toLowerCase().padStart(WORD_DIGITS, '0')) as Hex;
}

/** A plain JSON object. */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badResponse(what, `expected an object, got ${excerpt(value)}`);
  return value as Record<string, unknown>;
}

/** A JSON array. */
export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw badResponse(what, `expected an array, got ${excerpt(value)}`);
  return value;
}
