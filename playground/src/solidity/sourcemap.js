// Solidity source maps: solc's compressed `s:l:f:j:m` list (one entry per instruction) turned
// into per-pc tables of source line and jump kind, so a recorded step's pc names its line.

import { IMMEDIATE_BYTES } from '../evm/opcodes.js';
import { hexToBytes } from '../evm/asm.js';

/** Jump kinds of a source-map entry: a plain jump, into a function, out of a function. */
export const JUMP = Object.freeze({ none: 0, into: 1, out: 2 });
const JUMP_CODES = { '-': JUMP.none, i: JUMP.into, o: JUMP.out };

/**
 * Decodes a compressed source map into one `{start, length, file, jump}` per instruction. An
 * empty field repeats the previous entry's value (solc's compression); `file` −1 marks code
 * without a source range.
 */
export function decodeSourceMap(text) {
  const out = [];
  let prev = { start: -1, length: 0, file: -1, jump: JUMP.none };
  if (!text) return out;
  for (const entry of text.split(';')) {
    const [s, l, f, j] = entry.split(':');
    const cur = {
      start: s ? Number(s) : prev.start,
      length: l ? Number(l) : prev.length,
      file: f ? Number(f) : prev.file,
      jump: j ? (JUMP_CODES[j] ?? JUMP.none) : prev.jump,
    };
    out.push(cur);
    prev = cur;
  }
  return out;
}

/** Byte offsets (UTF-8, as solc counts) where each line of `source` starts. */
export function lineStarts(source) {
  const bytes = new TextEncoder().encode(source);
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

/** 0-based line of the UTF-8 byte `offset` given the `starts` of `lineStarts`. */
export function lineOf(starts, offset) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/**
 * Per-pc tables of `bytecode` (hex) under `sourceMap`: `line[pc]` is the 0-based line of `source`
 * where the instruction's source range starts (−1 when it has none, belongs to another file, or
 * the pc is not an instruction start) and `jump[pc]` its jump kind (JUMP). `fileIndex` is the
 * source's index in solc's output.
 */
export function pcTable(bytecode, sourceMap, source, fileIndex) {
  const code = hexToBytes(bytecode);
  const entries = decodeSourceMap(sourceMap);
  const starts = lineStarts(source);
  const line = new Int32Array(code.length + 1).fill(-1);
  const jump = new Uint8Array(code.length + 1);
  for (let pc = 0, i = 0; pc < code.length && i < entries.length; pc += 1 + IMMEDIATE_BYTES[code[pc]], i++) {
    const e = entries[i];
    if (e.file === fileIndex && e.start >= 0) line[pc] = lineOf(starts, e.start);
    jump[pc] = e.jump;
  }
  return { line, jump };
}
