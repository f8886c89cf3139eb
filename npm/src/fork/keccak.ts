// Keccak-256 (the pre-SHA-3 padding Ethereum uses), for checking fetched code against its hash.
// Each 64-bit lane is held as two 32-bit halves: lane i has its low half at 2i, high half at 2i+1.
import { bytesToHex, type Hex } from '../hex.js';

/** Bytes absorbed per permutation by Keccak-256 (1600 − 2·256 bits). */
const RATE_BYTES = 136;
const ROUNDS = 24;

/** ι round constants, as [high, low] halves (FIPS 202, §3.2.5). */
const ROUND_CONSTANTS: readonly (readonly [number, number])[] = [
  [0x00000000, 0x00000001], [0x00000000, 0x00008082], [0x80000000, 0x0000808a], [0x80000000, 0x80008000],
  [0x00000000, 0x0000808b], [0x00000000, 0x80000001], [0x80000000, 0x80008081], [0x80000000, 0x00008009],
  [0x00000000, 0x0000008a], [0x00000000, 0x00000088], [0x00000000, 0x80008009], [0x00000000, 0x8000000a],
  [0x00000000, 0x8000808b], [0x80000000, 0x0000008b], [0x80000000, 0x00008089], [0x80000000, 0x00008003],
  [0x80000000, 0x00008002], [0x80000000, 0x00000080], [0x00000000, 0x0000800a], [0x80000000, 0x8000000a],
  [0x80000000, 0x80008081], [0x80000000, 0x00008080], [0x00000000, 0x80000001], [0x80000000, 0x80008008],
];

/** ρ rotation offset of lane x + 5y (FIPS 202, §3.2.2). */
const RHO_OFFSETS = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

/** π: lane x + 5y moves to lane y + 5·((2x + 3y) mod 5) (FIPS 202, §3.2.3). */
const PI_TARGET = RHO_OFFSETS.map((_, i) => {
  const x = i % 5;
  const y = Math.floor(i / 5);
  return y + 5 * ((2 * x + 3 * y) % 5);
});

function permute(state: Uint32Array): void {
  const c = new Uint32Array(10);
  const b = new Uint32Array(50);
  for (let round = 0; round < ROUNDS; round++) {
    // θ: xor each column's parity (left neighbour, and right neighbour rotated by one) into it.
    for (let x = 0; x < 5; x++) {
      let lo = 0;
      let hi = 0;
      for (let y = 0; y < 25; y += 5) {
        lo ^= state[2 * (x + y)];
        hi ^= state[2 * (x + y) + 1];
      }
      c[2 * x] = lo;
      c[2 * x + 1] = hi;
    }
    for (let x = 0; x < 5; x++) {
      const left = (x + 4) % 5;
      const right = (x + 1) % 5;
      const rLo = c[2 * right];
      const rHi = c[2 * right + 1];
      const dLo = c[2 * left] ^ ((rLo << 1) | (rHi >>> 31));
      const dHi = c[2 * left + 1] ^ ((rHi << 1) | (rLo >>> 31));
      for (let y = 0; y < 25; y += 5) {
        state[2 * (x + y)] ^= dLo;
        state[2 * (x + y) + 1] ^= dHi;
      }
    }
    // ρ and π: rotate every lane and move it to its new place.
    for (let i = 0; i < 25; i++) {
      const lo = state[2 * i];
      const hi = state[2 * i + 1];
      const n = RHO_OFFSETS[i];
      const t = PI_TARGET[i];
      if (n === 0) {
        b[2 * t] = lo;
        b[2 * t + 1] = hi;
      } else if (n < 32) {
        b[2 * t] = (lo << n) | (hi >>> (32 - n));
        b[2 * t + 1] = (hi << n) | (lo >>> (32 - n));
      } else if (n === 32) {
        b[2 * t] = hi;
        b[2 * t + 1] = lo;
      } else {
        const m = n - 32;
        b[2 * t] = (hi << m) | (lo >>> (32 - m));
        b[2 * t + 1] = (lo << m) | (hi >>> (32 - m));
      }
    }
    // χ: each lane xors in (not next) and (next but one) of its row.
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const i = 2 * (y + x);
        const n1 = 2 * (y + ((x + 1) % 5));
        const n2 = 2 * (y + ((x + 2) % 5));
        state[i] = b[i] ^ (~b[n1] & b[n2]);
        state[i + 1] = b[i + 1] ^ (~b[n1 + 1] & b[n2 + 1]);
      }
    }
    // ι
    const [rcHi, rcLo] = ROUND_CONSTANTS[round];
    state[0] ^= rcLo;
    state[1] ^= rcHi;
  }
}

/** Keccak-256 of `data`, as lower-case 0x-hex. */
export function keccak256(data: Uint8Array): Hex {
  const state = new Uint32Array(50);
  const block = new Uint8Array(RATE_BYTES);
  const absorb = (bytes: Uint8Array): void => {
    for (let i = 0; i < RATE_BYTES; i += 4) {
      state[i >> 2] ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    }
    permute(state);
  };
  let offset = 0;
  for (; offset + RATE_BYTES <= data.length; offset += RATE_BYTES) absorb(data.subarray(offset, offset + RATE_BYTES));
  // Padding: 0x01 after the message, 0x80 on the block's last byte (the same byte when they meet).
  block.set(data.subarray(offset));
  block[data.length - offset] |= 0x01;
  block[RATE_BYTES - 1] |= 0x80;
  absorb(block);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    out[4 * i] = word & 0xff;
    out[4 * i + 1] = (word >>> 8) & 0xff;
    out[4 * i + 2] = (word >>> 16) & 0xff;
    out[4 * i + 3] = (word >>> 24) & 0xff;
  }
  return bytesToHex(out);
}
