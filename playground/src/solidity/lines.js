// Source-level stepping over a recorded execution: each step's source line (from the per-pc
// tables of src/solidity/sourcemap.js and the step's code), and where "step into", "step over"
// and "step out" land from a position.

import { JUMP } from './sourcemap.js';

/** `op` column value of a bootloader step (as src/trace-store.js). */
const NO_OPCODE = 0x100;

/**
 * Per-step source lines and jump kinds: `tables[code]` (by the step's `code` column) gives the
 * per-pc `{line, jump}` tables of that code, or is missing for code without a source.
 * Returns `{line: Int32Array (−1: none), jump: Uint8Array, mapped: Uint8Array (1: the step
 * runs code that has a source map)}`.
 */
export function stepLines(store, tables) {
  const line = new Int32Array(store.length).fill(-1);
  const jump = new Uint8Array(store.length);
  const mapped = new Uint8Array(store.length);
  let i = 0;
  for (const { count, cols } of store.chunks) {
    for (let k = 0; k < count; k++, i++) {
      if (cols.op[k] === NO_OPCODE) continue;
      const t = tables[cols.code[k]];
      if (!t) continue;
      mapped[i] = 1;
      const pc = cols.pc[k];
      if (pc < t.line.length) { line[i] = t.line[pc]; jump[i] = t.jump[pc]; }
    }
  }
  return { line, jump, mapped };
}

/** Whether a source line declares a function (its entry, where "over" means "into"). */
export function isFunctionHeader(text) {
  return /^\s*(function|constructor|modifier|fallback|receive)\b/.test(text ?? '');
}

/**
 * The position a source-level step from `p` lands on. `v`: `{length, line, jump, depth(i),
 * op(i), isHeader?(line)}`. Modes:
 *   into — the next step on another line (or in another frame);
 *   over — the next step on another line of the same function: calls into internal functions
 *          (jumps marked "into" until their matching "out") and deeper frames are run through.
 *          On a function's own header line (`isHeader`), where the dispatcher's jump into the
 *          body starts, it goes into the body as "into" does;
 *   out  — the first step after the current function returns (its "out" jump, or the frame's end).
 * From a bootloader step before execution, every mode goes to the first step with a line; once
 * execution ends (the next bootloader step), that step is where it stops. Returns `v.length`
 * when nothing is left.
 */
export function lineStep(v, p, mode) {
  if (mode === 'over' && v.isHeader?.(v.line[p])) return lineStep(v, p, 'into');
  const n = v.length;
  if (p >= n) return n;
  const started = v.op(p) !== NO_OPCODE;
  const d0 = v.depth(p), l0 = v.line[p];
  let jd = 0;
  for (let q = p + 1; q < n; q++) {
    const k = q - 1;
    if (v.op(k) !== NO_OPCODE && v.depth(k) === d0) {
      if (v.jump[k] === JUMP.into) jd++;
      else if (v.jump[k] === JUMP.out) jd--;
    }
    if (v.op(q) === NO_OPCODE) {
      if (started) return q;
      continue;
    }
    const l = v.line[q], d = v.depth(q);
    if (l < 0) continue;
    if (!started) return q;
    if (d < d0) return q;
    if (mode === 'into' && (l !== l0 || d !== d0)) return q;
    if (mode === 'over' && d === d0 && (jd < 0 || (jd === 0 && l !== l0))) return q;
    if (mode === 'out' && d === d0 && jd < 0) return q;
  }
  return n;
}
