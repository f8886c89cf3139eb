// EIP-712 typed data hashing (eth_signTypedData_v4): encodeType, hashStruct and the
// "\x19\x01" ‖ domainSeparator ‖ hashStruct(message) digest, per https://eips.ethereum.org/EIPS/eip-712.
import { ZkosError } from '../errors.js';
import { type Hex, concatBytes, hexToBytes, show, toAddress, toBigInt, toBytes } from '../hex.js';
import { ProviderRpcError } from '../provider.js';
import { keccak as jsKeccak } from './accounts.js';

type Field = { name: string; type: string };
type Types = Record<string, Field[]>;

/** The EIP712Domain fields, in the order the standard lists them, with their types. */
const DOMAIN_FIELDS: readonly Field[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
];
/** Deepest nesting of structs and arrays followed (a bound on hostile input). */
const MAX_DEPTH = 32;
/**
 * Most values (each struct, array and leaf of the domain and the message) one request may hash.
 * Hashing is linear in them but holds the node: 100,000 items of a uint256 and a string (300,000
 * values) took 4.1-4.7 s with the JS keccak and 0.60-0.76 s through the engine's (same run,
 * 2026-12-06), and 500,000 items 41 s before. A million values (about 2.5 s) is 2.5 times the
 * 400,000 of 200,000 structs with an empty array each, far past what wallets sign (a permit has
 * 5 to 10). Past it: -32005, as the node's other bounds.
 */
export const MAX_TYPED_DATA_VALUES = 1_000_000;
/** JSON-RPC code of a request refused at a bound of the node (as the server's). */
const LIMIT_EXCEEDED = -32005;

const bad = (message: string): ZkosError => new ZkosError('INVALID_ARGUMENT', `eth_signTypedData_v4: ${message}`);

function word(value: bigint): Uint8Array {
  return hexToBytes(`0x${BigInt.asUintN(256, value).toString(16).padStart(64, '0')}`);
}

/** The types of one request, and the typeHash of each struct type once computed (a struct used N times costs one encodeType). */
interface Schema {
  readonly types: Types;
  readonly typeHashes: Map<string, Uint8Array>;
  /** keccak-256 (the engine's when the node has one). */
  readonly keccak: (data: Uint8Array) => Uint8Array;
  /** Values encoded so far, against MAX_TYPED_DATA_VALUES. */
  values: number;
}

/** Adds the struct types `type` refers to (itself first) to `found`, each once. */
function dependencies(type: string, types: Types, found: Set<string>, depth = 0): void {
  if (depth > MAX_DEPTH) throw bad('types nested too deep');
  const base = type.replace(/(\[\d*\])+$/, '');
  if (found.has(base) || types[base] === undefined) return;
  found.add(base);
  for (const f of types[base] as Field[]) dependencies(f.type, types, found, depth + 1);
}

/** keccak of `Name(type name,…)` of `primary` followed by its dependencies sorted by name. */
function typeHash(primary: string, schema: Schema): Uint8Array {
  const known = schema.typeHashes.get(primary);
  if (known !== undefined) return known;
  const found = new Set<string>();
  dependencies(primary, schema.types, found);
  const [first, ...rest] = found;
  const text = [first as string, ...rest.sort()].map((t) => `${t}(${(schema.types[t] as Field[]).map((f) => `${f.type} ${f.name}`).join(',')})`).join('');
  const hash = schema.keccak(new TextEncoder().encode(text));
  schema.typeHashes.set(primary, hash);
  return hash;
}

function encodeValue(type: string, value: unknown, schema: Schema, depth: number): Uint8Array {
  if (depth > MAX_DEPTH) throw bad('types nested too deep');
  if (++schema.values > MAX_TYPED_DATA_VALUES) throw new ProviderRpcError(LIMIT_EXCEEDED, `eth_signTypedData_v4: more than ${MAX_TYPED_DATA_VALUES} values (structs, arrays and their items) to hash`);
  const { keccak } = schema;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    if (!Array.isArray(value)) throw bad(`${type}: expected an array`);
    if (array[2] !== '' && value.length !== Number(array[2])) throw bad(`${type}: expected ${array[2]} items`);
    return keccak(concatBytes(value.map((v) => encodeValue(array[1] as string, v, schema, depth + 1))));
  }
  if (schema.types[type] !== undefined) return keccak(encodeData(type, value, schema, depth + 1));
  if (type === 'string') {
    if (typeof value !== 'string') throw bad('string: expected a string');
    return keccak(new TextEncoder().encode(value));
  }
  if (type === 'bytes') return keccak(hexToBytes(toBytes(value, 'eth_signTypedData_v4: bytes')));
  if (type === 'bool') {
    // As geth's apitypes: a boolean or its text.
    if (value !== true && value !== false && value !== 'true' && value !== 'false') throw bad(`bool: expected true or false, got ${show(value)}`);
    return word(value === true || value === 'true' ? 1n : 0n);
  }
  if (type === 'address') return word(BigInt(toAddress(value, 'eth_signTypedData_v4: address')));
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int !== null) {
    // EIP-712: uint8 … uint256 and int8 … int256 in steps of 8 (a bare uint or int is none of them, as viem says).
    const bits = Number(int[2]);
    if (bits < 8 || bits > 256 || bits % 8 !== 0) throw bad(`unknown type ${show(type)}`);
    const v = typeof value === 'string' && value.startsWith('-') ? -toBigInt(value.slice(1), `eth_signTypedData_v4: ${type}`) : typeof value === 'number' && value < 0 ? BigInt(value) : toBigInt(value, `eth_signTypedData_v4: ${type}`);
    const [min, max] = int[1] === 'u' ? [0n, (1n << BigInt(bits)) - 1n] : [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
    if (v < min || v > max) throw bad(`${type}: ${v} is out of range (${min} to ${max})`);
    return word(v);
  }
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed !== null) {
    const size = Number(fixed[1]);
    if (size < 1 || size > 32) throw bad(`unknown type ${show(type)}`);
    const b = hexToBytes(toBytes(value, `eth_signTypedData_v4: ${type}`));
    // Exactly N bytes, as geth and viem require: a shorter value is not padded into another one.
    if (b.length !== size) throw bad(`${type}: expected ${size} bytes, got ${b.length}`);
    const out = new Uint8Array(32);
    out.set(b);
    return out;
  }
  throw bad(`unknown type ${show(type)}`);
}

/** typeHash ‖ the encoded fields of a struct. */
function encodeData(type: string, value: unknown, schema: Schema, depth: number): Uint8Array {
  if (value === null || typeof value !== 'object') throw bad(`${type}: expected an object`);
  const fields = schema.types[type] as Field[];
  const record = value as Record<string, unknown>;
  return concatBytes([typeHash(type, schema), ...fields.map((f) => encodeValue(f.type, record[f.name], schema, depth))]);
}

/** The digest eth_signTypedData_v4 signs for `data` (an object or its JSON text), hashed by `keccak`. */
export function typedDataDigest(data: unknown, keccak: (data: Uint8Array) => Uint8Array = jsKeccak): Uint8Array {
  let d = data;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d) as unknown;
    } catch {
      throw bad('typed data is not valid JSON');
    }
  }
  if (d === null || typeof d !== 'object' || Array.isArray(d)) throw bad('typed data must be an object');
  const { types: given, primaryType, domain, message } = d as { types?: unknown; primaryType?: unknown; domain?: unknown; message?: unknown };
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw bad('types must be an object');
  if (typeof primaryType !== 'string') throw bad('primaryType must be a string');
  const dom = (domain ?? {}) as Record<string, unknown>;
  const types: Types = Object.assign(Object.create(null) as Types, given as Types);
  for (const [name, fields] of Object.entries(types)) {
    if (!Array.isArray(fields) || !fields.every((f) => f !== null && typeof f === 'object' && typeof f.name === 'string' && typeof f.type === 'string')) throw bad(`types.${name}: expected [{ name, type }]`);
  }
  types.EIP712Domain ??= DOMAIN_FIELDS.filter((f) => dom[f.name] !== undefined);
  if (types[primaryType] === undefined) throw bad(`primaryType ${show(primaryType)} is not in types`);
  const schema: Schema = { types, typeHashes: new Map(), keccak, values: 0 };
  const domainHash = keccak(encodeData('EIP712Domain', dom, schema, 0));
  const parts = [new Uint8Array([0x19, 0x01]), domainHash];
  if (primaryType !== 'EIP712Domain') parts.push(keccak(encodeData(primaryType, message, schema, 0)));
  return keccak(concatBytes(parts));
}

/**
 * A message that is 0x and whole bytes of hex. Without a capturing group: V8 keeps one
 * backtracking entry per repeat of a captured group, and a message of 4 MiB overflowed its stack
 * (eth_sign answered -32603 "Maximum call stack size exceeded").
 */
const HEX_MESSAGE_RE = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Bytes of a message given as 0x-hex (taken as bytes) or as text (UTF-8). */
export function messageBytes(message: unknown, what: string): Uint8Array {
  if (typeof message !== 'string') throw new ZkosError('INVALID_ARGUMENT', `${what}: expected a 0x-hex or text message`);
  if (HEX_MESSAGE_RE.test(message)) return hexToBytes(message.toLowerCase() as Hex);
  return new TextEncoder().encode(message);
}
