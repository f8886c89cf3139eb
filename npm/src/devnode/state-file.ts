// anvil_dumpState / anvil_loadState and --state FILE: the accounts of a chain as portable JSON
// (`{ version, chainId, block, accounts: { address: { balance, nonce, code, storage } } }`).
// Loading makes every listed account read exactly as dumped (balance, nonce, code and the whole
// storage: slots the dump does not list are cleared); accounts not listed are kept. The state
// root can differ: the ZKsync OS tree numbers its leaves in insertion order and keeps cleared
// slots as leaves.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Engine } from '../engine.js';
import { ZkosError } from '../errors.js';
import { ForkedEngine } from '../fork/forked-engine.js';
import { type Hex, type Quantity, bytesToHex, hexToBytes, show, toAddress, toBytes, toQuantityHex, toWord } from '../hex.js';
import { ProviderRpcError } from '../provider.js';
import type { AccountInput } from '../types.js';
import { checkSetCode, writeCost } from './state-budget.js';

/** Format version of a dumped state. */
export const STATE_FORMAT_VERSION = 1;
/**
 * Most bytes a state to load may take once decompressed: the longest string V8 holds
 * (2^29 - 24 characters), as the state's JSON text becomes one string.
 */
export const MAX_STATE_BYTES = 2 ** 29 - 24;

/** A chain's accounts as portable JSON. */
export interface DumpedState {
  version: number;
  chainId: Hex;
  block: { number: Hex; timestamp: Hex };
  accounts: Record<string, { balance: Hex; nonce: Hex; code: Hex; storage: Record<string, Hex> }>;
}

/**
 * Every account of `engine` with its storage (an address holding storage only as an empty
 * account with that storage). Over a fork: the accounts and slots the engine holds, fetched or
 * written locally (as anvil dumps a fork), never the rest of the forked chain.
 */
export function dumpState(engine: Engine | ForkedEngine): DumpedState {
  const head = engine.getBlock('latest');
  const accounts: DumpedState['accounts'] = {};
  for (const address of engine.addresses()) {
    const a = engine instanceof ForkedEngine ? engine.heldAccount(address) : engine.getAccount(address);
    const storage = Object.fromEntries(engine.getStorageAll(address));
    accounts[address] = a === undefined
      ? { balance: '0x0', nonce: '0x0', code: '0x', storage }
      : { balance: toQuantityHex(a.balance), nonce: toQuantityHex(a.nonce), code: a.code, storage };
  }
  return { version: STATE_FORMAT_VERSION, chainId: toQuantityHex(engine.chainId), block: { number: toQuantityHex(head?.number ?? 0n), timestamp: toQuantityHex(head?.timestamp ?? 0n) }, accounts };
}

/** JSON-RPC code of a dump refused at a bound of the node (as the server's). */
const LIMIT_EXCEEDED = -32005;

/** Refuses a dump of `length` characters past what a load reads (and V8 holds in one string). */
function checkDumpLength(length: number, what: string): void {
  if (length > MAX_STATE_BYTES) {
    throw new ProviderRpcError(LIMIT_EXCEEDED, `anvil_dumpState: the state's ${what} passes ${MAX_STATE_BYTES} characters, the most anvil_loadState and --state read back (V8's longest string)`);
  }
}

/**
 * The dump as JSON text (one line per account), built piece by piece so that its length is
 * known before it becomes one string: past MAX_STATE_BYTES it is refused (-32005). Before,
 * JSON.stringify of the whole dump threw V8's "Invalid string length", answered -32603, and a
 * node stopping with --state lost its state.
 */
export function dumpStateJson(engine: Engine | ForkedEngine): string {
  const { accounts, ...head } = dumpState(engine);
  const open = `${JSON.stringify(head).slice(0, -1)},"accounts":{`;
  const close = '\n}}\n';
  const parts: string[] = [open];
  let length = open.length + close.length;
  const add = (part: string): void => {
    length += part.length;
    checkDumpLength(length, 'JSON');
    parts.push(part);
  };
  let firstAccount = true;
  for (const [address, a] of Object.entries(accounts)) {
    add(`${firstAccount ? '' : ','}\n${JSON.stringify(address)}:{"balance":${JSON.stringify(a.balance)},"nonce":${JSON.stringify(a.nonce)},"code":${JSON.stringify(a.code)},"storage":{`);
    firstAccount = false;
    let firstSlot = true;
    for (const [slot, value] of Object.entries(a.storage)) {
      add(`${firstSlot ? '' : ','}${JSON.stringify(slot)}:${JSON.stringify(value)}`);
      firstSlot = false;
    }
    add('}}');
  }
  parts.push(close);
  return parts.join('');
}

/** The dump as anvil_dumpState answers it: 0x-hex of the gzipped JSON (past MAX_STATE_BYTES characters either way, -32005). */
export function dumpStateHex(engine: Engine | ForkedEngine): Hex {
  const gz = gzipSync(dumpStateJson(engine));
  checkDumpLength(2 + 2 * gz.length, 'gzipped hex');
  return bytesToHex(gz);
}

/** The bytes gzipped in `bytes`; a damaged stream, or one inflating past MAX_STATE_BYTES, is INVALID_ARGUMENT. */
function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_STATE_BYTES });
  } catch (err) {
    const cause = err as { code?: unknown; message?: unknown };
    const message = cause.code === 'ERR_BUFFER_TOO_LARGE' ? `inflates past ${MAX_STATE_BYTES} bytes` : `not valid gzip (${String(cause.message)})`;
    throw new ZkosError('INVALID_ARGUMENT', `state: ${message}`, undefined, undefined, { cause: err });
  }
}

/** A dumped state from JSON, its text, or 0x-hex of the (optionally gzipped) text. */
export function parseState(value: unknown): DumpedState {
  let v = value;
  if (typeof v === 'string' && v.startsWith('0x')) {
    const bytes = hexToBytes(toBytes(v, 'state'));
    v = new TextDecoder().decode(bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes) : bytes);
  }
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      throw new ZkosError('INVALID_ARGUMENT', 'state: not valid JSON');
    }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ZkosError('INVALID_ARGUMENT', 'state: expected an object');
  const s = v as Partial<DumpedState>;
  if (s.accounts === null || typeof s.accounts !== 'object' || Array.isArray(s.accounts)) throw new ZkosError('INVALID_ARGUMENT', 'state: expected an "accounts" object');
  // A version this node does not know may mean anything: refused, nothing loaded. anvil's dumps
  // have no version (anvil ignores the field) and are read; anvil refuses a `block` that is not
  // an object ("Failed to decode state dump", -32602), and so does this node.
  if (s.version !== undefined && s.version !== STATE_FORMAT_VERSION) throw new ZkosError('INVALID_ARGUMENT', `state: format version ${show(s.version)} is not one this node reads (${STATE_FORMAT_VERSION}, or none as anvil dumps)`);
  if (s.block !== undefined && s.block !== null && (typeof s.block !== 'object' || Array.isArray(s.block))) throw new ZkosError('INVALID_ARGUMENT', `state.block: expected an object ({ number, timestamp }), got ${show(s.block)}`);
  return s as DumpedState;
}

/** An account of a dump, checked: its fields as given (the engine validates them) and its storage by 32-byte slot. */
function dumpedAccount(address: Hex, value: unknown): AccountInput & { storage: Record<string, Quantity> } {
  const what = `state.accounts[${address}]`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${what}: expected an object`);
  const a = value as Record<string, unknown>;
  const given = a.storage ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new ZkosError('INVALID_ARGUMENT', `${what}.storage: expected an object, got ${show(given)}`);
  const storage: Record<string, Quantity> = {};
  for (const [slot, v] of Object.entries(given)) storage[toWord(slot, `${what}.storage slot`)] = v as Quantity;
  return { balance: (a.balance ?? 0n) as Quantity, nonce: (a.nonce ?? 0n) as Quantity, code: (a.code ?? '0x') as Hex, storage };
}

/**
 * Sets every account of `state` on `engine` as dumped, storage included: slots an account holds
 * that the dump does not list are cleared. All accounts are checked, and `charge` is given what
 * the writes keep in the engine (each account as a state setter's write of its code, each slot
 * set or cleared as one `setStorageAt`; it throws to refuse them), before any is set; an engine
 * error midway leaves the ones before it set (callers snapshot first).
 */
export function loadState(engine: Engine, state: DumpedState, charge: (bytes: number) => void = () => undefined): void {
  const writes = Object.entries(state.accounts).map(([address, a]) => {
    const addr = toAddress(address, 'state address');
    const account = dumpedAccount(addr, a);
    const cleared: Record<string, Quantity> = {};
    for (const [slot] of engine.getStorageAll(addr)) if (!(slot in account.storage)) cleared[slot] = 0n;
    return [addr, { ...account, storage: { ...cleared, ...account.storage } }] as const;
  });
  let bytes = 0;
  for (const [, a] of writes) {
    const code = toBytes(a.code, 'state code');
    checkSetCode(code, 'anvil_loadState');
    bytes += writeCost({ code }) + Object.keys(a.storage).length * writeCost({ slot: '0x0' });
  }
  charge(bytes);
  for (const [address, a] of writes) engine.setAccount(address, a);
}
