// Structural check of a raw transaction's envelope, so that malformed bytes are refused before a
// block is produced: an EIP-2718 type byte followed by one RLP list, or one legacy RLP list,
// with every nested length consistent and nothing left over.
import { ZkosError } from './errors.js';
import { type Hex, hexToBytes } from './hex.js';

/** Highest EIP-2718 type byte; 0xfe/0xff are the ZKsync upgrade and L1 transaction types. */
const MAX_EIP2718_TYPE = 0x7f;
const ZK_TYPES = new Set([0xfe, 0xff]);
const MAX_DEPTH = 16;

/** Throws `INVALID_RLP` unless `raw` is a well-formed transaction envelope. */
export function checkEnvelope(raw: Hex, what: string): void {
  const bytes = hexToBytes(raw);
  if (bytes.length === 0) throw new ZkosError('INVALID_RLP', `${what}: empty transaction`);
  const first = bytes[0] as number;
  const typed = first <= MAX_EIP2718_TYPE || ZK_TYPES.has(first);
  const start = typed ? 1 : 0;
  if (!typed && first < 0xc0) throw new ZkosError('INVALID_RLP', `${what}: a transaction is an RLP list, found a string`);
  const end = item(bytes, start, bytes.length, 0, what);
  if (bytes.length > start && (bytes[start] as number) < 0xc0) throw new ZkosError('INVALID_RLP', `${what}: the payload is not an RLP list`);
  if (end !== bytes.length) throw new ZkosError('INVALID_RLP', `${what}: ${bytes.length - end} trailing bytes`);
}

/** Walks one item starting at `at` (within `limit`); returns the offset after it. */
function item(b: Uint8Array, at: number, limit: number, depth: number, what: string): number {
  if (at >= limit) throw new ZkosError('INVALID_RLP', `${what}: truncated at byte ${at}`);
  if (depth > MAX_DEPTH) throw new ZkosError('INVALID_RLP', `${what}: nested too deep`);
  const p = b[at] as number;
  if (p < 0x80) return at + 1;
  if (p < 0xb8) return span(at + 1, p - 0x80, limit, what);
  if (p < 0xc0) return span(at + 1 + (p - 0xb7), length(b, at + 1, p - 0xb7, limit, what), limit, what);
  let bodyStart: number;
  let bodyLen: number;
  if (p < 0xf8) {
    bodyStart = at + 1;
    bodyLen = p - 0xc0;
  } else {
    bodyStart = at + 1 + (p - 0xf7);
    bodyLen = length(b, at + 1, p - 0xf7, limit, what);
  }
  const end = span(bodyStart, bodyLen, limit, what);
  let pos = bodyStart;
  while (pos < end) pos = item(b, pos, end, depth + 1, what);
  return end;
}

function span(start: number, len: number, limit: number, what: string): number {
  if (start + len > limit) throw new ZkosError('INVALID_RLP', `${what}: item of ${len} bytes runs past its container`);
  return start + len;
}

function length(b: Uint8Array, at: number, n: number, limit: number, what: string): number {
  if (at + n > limit) throw new ZkosError('INVALID_RLP', `${what}: truncated length`);
  if (b[at] === 0) throw new ZkosError('INVALID_RLP', `${what}: length with a leading zero`);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (b[at + i] as number);
  if (len < 56) throw new ZkosError('INVALID_RLP', `${what}: long form for a short length`);
  return len;
}

/** The signature of a well-formed envelope: `v` (legacy) or `yParity` (typed) and `r`, `s`. */
export interface EnvelopeSignature {
  typed: boolean;
  v: bigint;
  r: bigint;
  s: bigint;
}

/** Reads the signature fields (the list's last three items) of an envelope that passed `checkEnvelope`. */
export function envelopeSignature(raw: Hex): EnvelopeSignature | undefined {
  const b = hexToBytes(raw);
  const first = b[0] as number;
  const typed = first <= MAX_EIP2718_TYPE || ZK_TYPES.has(first);
  const start = typed ? 1 : 0;
  const p = b[start] as number;
  if (p < 0xc0) return undefined;
  const bodyStart = p < 0xf8 ? start + 1 : start + 1 + (p - 0xf7);
  const items: [number, number][] = [];
  let pos = bodyStart;
  while (pos < b.length) {
    const q = b[pos] as number;
    let dataStart = pos;
    let end: number;
    if (q < 0x80) end = pos + 1;
    else if (q < 0xb8) {
      dataStart = pos + 1;
      end = dataStart + (q - 0x80);
    } else if (q < 0xc0) {
      dataStart = pos + 1 + (q - 0xb7);
      let len = 0;
      for (let i = pos + 1; i < dataStart; i++) len = len * 256 + (b[i] as number);
      end = dataStart + len;
    } else {
      end = item(b, pos, b.length, 0, 'transaction');
    }
    items.push([dataStart, end]);
    pos = end;
  }
  if (items.length < 3) return undefined;
  const int = ([s, e]: [number, number]) => {
    let v = 0n;
    for (let i = s; i < e; i++) v = (v << 8n) | BigInt(b[i] as number);
    return v;
  };
  const [v, r, s] = items.slice(-3).map(int) as [bigint, bigint, bigint];
  return { typed, v, r, s };
}
