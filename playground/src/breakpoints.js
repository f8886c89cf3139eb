// Breakpoints: "pc:0x1f" (hex or decimal), "op:SSTORE", "phase:refund" (a phase may be named by
// a prefix that fits only one, e.g. "phase:fee").

import { opName } from './evm/opcodes.js';

/** Parses a breakpoint; `opcodes` maps mnemonics to bytes, `phases` lists phase names. */
export function parseBreakpoint(text, { opcodes, phases }) {
  const m = /^\s*(pc|op|phase)\s*:\s*(.+?)\s*$/i.exec(text);
  if (!m) throw new Error(`breakpoint "${text}": write pc:0x1f, op:SSTORE or phase:refund`);
  const kind = m[1].toLowerCase(), arg = m[2];
  if (kind === 'pc') {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(arg)) throw new Error(`breakpoint pc "${arg}" is not a number`);
    return { kind, value: Number(arg) };
  }
  if (kind === 'op') {
    const op = opcodes.get(arg.toUpperCase());
    if (op === undefined) throw new Error(`breakpoint op "${arg}" is not an opcode`);
    return { kind, value: op };
  }
  const name = arg.toLowerCase();
  const prefixed = phases.filter((p) => p.startsWith(name));
  const phase = phases.includes(name) ? phases.indexOf(name) : prefixed.length === 1 ? phases.indexOf(prefixed[0]) : -1;
  if (phase < 0) throw new Error(`breakpoint phase "${arg}" is not one of ${phases.join(', ')}`);
  return { kind, value: phase, name: phases[phase] };
}

/** The text that parses back to `bp` (for links). */
export function breakpointText(bp) {
  if (bp.kind === 'pc') return `pc:0x${bp.value.toString(16)}`;
  if (bp.kind === 'op') return `op:${opName(bp.value)}`;
  return `phase:${bp.name}`;
}

/** Short label of a breakpoint. */
export function breakpointLabel(bp) {
  if (bp.kind === 'pc') return `pc ${bp.value.toString(16)}`;
  if (bp.kind === 'op') return `op ${opName(bp.value)}`;
  return `phase ${bp.name}`;
}

/**
 * A predicate over trace columns `(cols, k)`. A phase breakpoint stops at the first step of the
 * phase (where the previous step was in another phase, or the chunk begins in it).
 */
export function breakpointMatcher(bp) {
  if (bp.kind === 'pc') return (c, k) => c.pc[k] === bp.value && c.op[k] !== 0x100;
  if (bp.kind === 'op') return (c, k) => c.op[k] === bp.value;
  return (c, k) => c.phase[k] === bp.value && (k === 0 || c.phase[k - 1] !== bp.value);
}
