// Assembler and disassembler for EVM bytecode.
//
// Assembly syntax, one item per token, any whitespace between them:
//   ADD, SSTORE, ...        an opcode by name (case-insensitive)
//   PUSH1 0x2a / PUSH2 300  PUSHn with a hex or decimal immediate that fits n bytes
//   PUSH 0x1234             the smallest PUSH that holds the value (PUSH0 for zero)
//   name:                   a label at the current position (write JUMPDEST after it yourself)
//   PUSH @name              a PUSH2 of the label's offset (PUSHn @name for another size)
//   DATA 0xdeadbeef         raw bytes
//   ; // #                  a comment to the end of the line

import { IMMEDIATE_BYTES, MNEMONIC, OPCODE } from './opcodes.js';

/** An assembly error with the 1-based source line it refers to. */
export class AsmError extends Error {
  constructor(message, line) {
    super(line ? `line ${line}: ${message}` : message);
    this.name = 'AsmError';
    this.line = line;
  }
}

/** Whether `text` looks like hex bytecode (optional 0x, hex digits and whitespace only). */
export function looksLikeHex(text) {
  const t = text.trim();
  return t.length > 0 && /^(0x)?[0-9a-fA-F\s]*$/.test(t);
}

/** Parses hex bytes (optional 0x, whitespace ignored); throws AsmError on odd length or bad digits. */
export function hexToBytes(text) {
  let t = text.replace(/\s+/g, '');
  if (t.startsWith('0x') || t.startsWith('0X')) t = t.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(t)) throw new AsmError('not a hex string');
  if (t.length % 2) throw new AsmError('hex string has an odd number of digits');
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.substr(i * 2, 2), 16);
  return out;
}

/** Lower-case 0x-prefixed hex of bytes. */
export function bytesToHex(bytes) {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function tokenize(source) {
  const tokens = [];
  source.split('\n').forEach((raw, i) => {
    const text = raw.replace(/(;|\/\/|#).*$/, '');
    for (const word of text.split(/[\s,]+/)) if (word) tokens.push({ word, line: i + 1 });
  });
  return tokens;
}

function parseNumber(word, line) {
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(word)) throw new AsmError(`bad number "${word}"`, line);
  return BigInt(word);
}

function bigToBytes(value, size) {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

function byteLength(value) {
  let n = 0;
  for (let v = value; v > 0n; v >>= 8n) n++;
  return n;
}

/** Assembles source text to bytecode; throws AsmError naming the line of the first problem. */
export function assemble(source) {
  const tokens = tokenize(source);
  const items = []; // {bytes} | {op, size, label, line}
  const labels = new Map();
  let offset = 0;
  for (let i = 0; i < tokens.length; i++) {
    const { word, line } = tokens[i];
    if (word.endsWith(':')) {
      const name = word.slice(0, -1);
      if (!/^[A-Za-z_][\w.]*$/.test(name)) throw new AsmError(`bad label "${name}"`, line);
      if (labels.has(name)) throw new AsmError(`label "${name}" defined twice`, line);
      labels.set(name, offset);
      continue;
    }
    const upper = word.toUpperCase();
    const takeArg = () => {
      const next = tokens[++i];
      if (!next) throw new AsmError(`${upper} needs an argument`, line);
      return next.word;
    };
    if (upper === 'DATA') {
      const arg = takeArg();
      let bytes;
      try { bytes = hexToBytes(arg); } catch { throw new AsmError(`bad DATA "${arg}"`, line); }
      items.push({ bytes });
      offset += bytes.length;
      continue;
    }
    if (upper === 'PUSH') {
      const arg = takeArg();
      if (arg.startsWith('@')) {
        items.push({ size: 2, label: arg.slice(1), line });
        offset += 3;
      } else {
        const value = parseNumber(arg, line);
        const size = byteLength(value);
        if (size > 32) throw new AsmError(`${arg} does not fit in 32 bytes`, line);
        items.push({ bytes: size ? new Uint8Array([0x5f + size, ...bigToBytes(value, size)]) : new Uint8Array([0x5f]) });
        offset += 1 + size;
      }
      continue;
    }
    const op = OPCODE.get(upper);
    if (op === undefined) throw new AsmError(`unknown instruction "${word}"`, line);
    const size = IMMEDIATE_BYTES[op];
    if (size === 0) {
      items.push({ bytes: new Uint8Array([op]) });
      offset += 1;
      continue;
    }
    const arg = takeArg();
    if (arg.startsWith('@')) {
      items.push({ size, label: arg.slice(1), line });
    } else {
      const value = parseNumber(arg, line);
      if (byteLength(value) > size) throw new AsmError(`${arg} does not fit in ${MNEMONIC[op]}`, line);
      items.push({ bytes: new Uint8Array([op, ...bigToBytes(value, size)]) });
    }
    offset += 1 + size;
  }
  const out = new Uint8Array(offset);
  let at = 0;
  for (const item of items) {
    if (item.label !== undefined) {
      const target = labels.get(item.label);
      if (target === undefined) throw new AsmError(`unknown label "${item.label}"`, item.line);
      if (byteLength(BigInt(target)) > item.size) throw new AsmError(`label "${item.label}" does not fit in PUSH${item.size}`, item.line);
      out[at] = 0x5f + item.size;
      out.set(bigToBytes(BigInt(target), item.size), at + 1);
      at += 1 + item.size;
    } else {
      out.set(item.bytes, at);
      at += item.bytes.length;
    }
  }
  return out;
}

/**
 * Disassembles bytecode into instructions `{pc, op, name, immediate}`. Bytes that are not
 * opcodes become `DATA` items, as does a PUSH cut short by the end of the code.
 */
export function disassemble(bytes) {
  const out = [];
  let pc = 0;
  while (pc < bytes.length) {
    const op = bytes[pc];
    const name = MNEMONIC[op];
    const size = IMMEDIATE_BYTES[op];
    if (!name) {
      out.push({ pc, op, name: 'DATA', immediate: bytesToHex([op]) });
      pc += 1;
    } else if (pc + 1 + size > bytes.length) {
      out.push({ pc, op, name: 'DATA', immediate: bytesToHex(bytes.subarray(pc)) });
      pc = bytes.length;
    } else {
      out.push({ pc, op, name, immediate: size ? bytesToHex(bytes.subarray(pc + 1, pc + 1 + size)) : null });
      pc += 1 + size;
    }
  }
  return out;
}

/** Disassembly as source text that `assemble` turns back into the same bytes. */
export function disassembleText(bytes) {
  return disassemble(bytes)
    .map(({ name, immediate }) => (immediate === null ? name : `${name} ${immediate}`))
    .join('\n');
}
