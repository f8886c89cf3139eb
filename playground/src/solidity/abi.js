// The Solidity ABI for the playground's call form: arguments typed as text are parsed against
// their ABI types and encoded (head/tail layout of the ABI spec); return data is decoded for
// display. Supported: uintN, intN, address, bool, bytesN, bytes, string and arrays of them
// (T[] and T[k], nested); tuples are refused with a message.

/** A problem with one argument; `index` is its position in the argument list. */
export class AbiError extends Error {
  constructor(message, index) {
    super(message);
    this.name = 'AbiError';
    this.index = index;
  }
}

const WORD_BYTES = 32;

/** `{kind, bits?, size?, item?, length?}` of an ABI type string. */
export function parseType(type) {
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) return { kind: 'array', item: parseType(array[1]), length: array[2] === '' ? null : Number(array[2]) };
  let m;
  if ((m = /^(u?)int(\d*)$/.exec(type))) {
    const bits = m[2] === '' ? 256 : Number(m[2]);
    if (bits < 8 || bits > 256 || bits % 8) throw new AbiError(`unknown type ${type}`);
    return { kind: m[1] ? 'uint' : 'int', bits };
  }
  if ((m = /^bytes(\d+)$/.exec(type))) {
    const size = Number(m[1]);
    if (size < 1 || size > 32) throw new AbiError(`unknown type ${type}`);
    return { kind: 'fixedBytes', size };
  }
  if (type === 'address' || type === 'bool' || type === 'bytes' || type === 'string') return { kind: type };
  if (type.startsWith('tuple') || type.startsWith('(')) throw new AbiError(`struct (tuple) arguments are not supported here; encode the calldata yourself in bytecode mode`);
  throw new AbiError(`unknown type ${type}`);
}

const isDynamic = (t) => t.kind === 'bytes' || t.kind === 'string' || (t.kind === 'array' && (t.length === null || isDynamic(t.item)));

const hexBody = (text) => String(text).trim().replace(/^0x/i, '');

/** An integer from decimal, 0x-hex, `_` separators or an exponent (`100e18`). */
function parseInteger(text) {
  const t = String(text).trim().replace(/_/g, '');
  if (/^-?0x[0-9a-f]+$/i.test(t)) return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
  const m = /^(-?\d+)(?:\.(\d+))?(?:e(\d+))?$/i.exec(t);
  if (!m) throw new Error(`"${text}" is not a number`);
  const [, whole, frac = '', exp = '0'] = m;
  const e = Number(exp);
  if (frac.length > e) throw new Error(`"${text}" is not a whole number`);
  const digits = (whole.replace('-', '') + frac + '0'.repeat(e - frac.length));
  const v = BigInt(digits);
  return whole.startsWith('-') ? -v : v;
}

/** The JS value of `text` (or of an array element) for ABI type `t`. */
function parseValue(t, text) {
  switch (t.kind) {
    case 'uint': case 'int': {
      const v = parseInteger(text);
      const max = t.kind === 'uint' ? (1n << BigInt(t.bits)) - 1n : (1n << BigInt(t.bits - 1)) - 1n;
      const min = t.kind === 'uint' ? 0n : -(1n << BigInt(t.bits - 1));
      if (v < min || v > max) throw new Error(`${text} does not fit ${t.kind}${t.bits}`);
      return v;
    }
    case 'address': {
      const h = hexBody(text);
      if (!/^[0-9a-f]{40}$/i.test(h)) throw new Error(`"${text}" is not a 20-byte 0x address`);
      return h.toLowerCase();
    }
    case 'bool': {
      const b = String(text).trim().toLowerCase();
      if (b === 'true' || b === '1') return true;
      if (b === 'false' || b === '0') return false;
      throw new Error(`"${text}" is not true or false`);
    }
    case 'fixedBytes': case 'bytes': {
      const h = hexBody(text);
      if (!/^([0-9a-f]{2})*$/i.test(h)) throw new Error(`"${text}" is not 0x-hex bytes`);
      if (t.kind === 'fixedBytes' && h.length / 2 > t.size) throw new Error(`"${text}" is longer than ${t.size} bytes`);
      return h.toLowerCase();
    }
    case 'string': return String(text);
    case 'array': {
      let list = text;
      if (!Array.isArray(list)) {
        try { list = JSON.parse(String(text)); } catch { throw new Error('write an array as JSON, e.g. ["0x…", "0x…"] or [1, 2]'); }
      }
      if (!Array.isArray(list)) throw new Error('write an array as JSON, e.g. [1, 2]');
      if (t.length !== null && list.length !== t.length) throw new Error(`needs ${t.length} elements, got ${list.length}`);
      return list.map((x) => parseValue(t.item, typeof x === 'string' || Array.isArray(x) ? x : String(x)));
    }
    default: throw new Error('unsupported type');
  }
}

const word = (v) => (v < 0n ? (1n << 256n) + v : v).toString(16).padStart(64, '0');
const padRight = (h) => h.padEnd(Math.ceil(h.length / 64) * 64, '0');

/** Hex (no 0x) of `value` of type `t`: the head of a static value, or the tail of a dynamic one. */
function encodeValue(t, value) {
  switch (t.kind) {
    case 'uint': case 'int': return word(value);
    case 'address': return value.padStart(64, '0');
    case 'bool': return word(value ? 1n : 0n);
    case 'fixedBytes': return value.padEnd(64, '0');
    case 'bytes': return word(BigInt(value.length / 2)) + padRight(value);
    case 'string': {
      const hex = [...new TextEncoder().encode(value)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return word(BigInt(hex.length / 2)) + padRight(hex);
    }
    case 'array': {
      const body = encodeList(value.map(() => t.item), value);
      return t.length === null ? word(BigInt(value.length)) + body : body;
    }
    default: throw new Error('unsupported type');
  }
}

/** Head/tail encoding of a list of values. */
function encodeList(types, values) {
  const heads = [], tails = [];
  const headBytes = types.reduce((n, t) => n + (isDynamic(t) ? WORD_BYTES : encodedStaticBytes(t)), 0);
  let offset = headBytes;
  types.forEach((t, i) => {
    const enc = encodeValue(t, values[i]);
    if (isDynamic(t)) {
      heads.push(word(BigInt(offset)));
      tails.push(enc);
      offset += enc.length / 2;
    } else {
      heads.push(enc);
    }
  });
  return heads.join('') + tails.join('');
}

function encodedStaticBytes(t) {
  return t.kind === 'array' ? t.length * encodedStaticBytes(t.item) : WORD_BYTES;
}

/**
 * ABI encoding (hex, no 0x) of `texts` (one string per input) for `inputs` (the ABI's
 * `[{name, type}]`); throws AbiError naming the argument that does not parse.
 */
export function encodeArguments(inputs, texts) {
  const types = inputs.map((p, i) => {
    try { return parseType(p.type); } catch (e) { throw new AbiError(`${p.name || `argument ${i + 1}`}: ${e.message}`, i); }
  });
  const values = types.map((t, i) => {
    try { return parseValue(t, texts[i] ?? ''); } catch (e) { throw new AbiError(`${inputs[i].name || `argument ${i + 1}`} (${inputs[i].type}): ${e.message}`, i); }
  });
  return encodeList(types, values);
}

/** Reads a 32-byte word of `hex` at byte `at` as a bigint. */
const readWord = (hex, at) => {
  const w = hex.slice(at * 2, at * 2 + 64);
  if (w.length < 64) throw new Error('return data too short');
  return BigInt('0x' + w);
};

function decodeValue(t, hex, at) {
  switch (t.kind) {
    case 'uint': return readWord(hex, at).toString();
    case 'int': {
      const v = readWord(hex, at);
      return (v >= 1n << 255n ? v - (1n << 256n) : v).toString();
    }
    case 'address': return '0x' + readWord(hex, at).toString(16).padStart(40, '0');
    case 'bool': return readWord(hex, at) !== 0n ? 'true' : 'false';
    case 'fixedBytes': return '0x' + hex.slice(at * 2, at * 2 + t.size * 2);
    case 'bytes': case 'string': {
      const len = Number(readWord(hex, at));
      const body = hex.slice((at + 32) * 2, (at + 32 + len) * 2);
      if (body.length < len * 2) throw new Error('return data too short');
      if (t.kind === 'bytes') return '0x' + body;
      return JSON.stringify(new TextDecoder().decode(Uint8Array.from(body.match(/../g) ?? [], (b) => parseInt(b, 16))));
    }
    case 'array': {
      let start = at, n = t.length;
      if (n === null) { n = Number(readWord(hex, at)); start = at + 32; }
      if (n > 1024) throw new Error('array too long to show');
      return `[${decodeList(Array(n).fill(t.item), hex, start).join(', ')}]`;
    }
    default: throw new Error('unsupported type');
  }
}

function decodeList(types, hex, base) {
  let head = base;
  return types.map((t) => {
    const value = isDynamic(t) ? decodeValue(t, hex, base + Number(readWord(hex, head))) : decodeValue(t, hex, head);
    head += isDynamic(t) ? WORD_BYTES : encodedStaticBytes(t);
    return value;
  });
}

/** `outputs` (ABI `[{name, type}]`) decoded from 0x-hex return data as display strings; null when they do not decode. */
export function decodeOutputs(outputs, data) {
  try {
    return decodeList(outputs.map((p) => parseType(p.type)), hexBody(data), 0);
  } catch {
    return null;
  }
}
