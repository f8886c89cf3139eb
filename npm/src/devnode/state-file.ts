// anvil_dumpState / anvil_loadState and --state FILE: the accounts of a chain as portable JSON
// (`{ version, chainId, block, accounts: { address: { balance, nonce, code, storage } } }`).
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Engine } from '../engine.js';
import { ZkosError } from '../errors.js';
import { type Hex, bytesToHex, hexToBytes, toAddress, toBytes, toQuantityHex } from '../hex.js';
import type { AccountInput } from '../types.js';

/** Format version of a dumped state. */
export const STATE_FORMAT_VERSION = 1;
/** Most bytes a state to load may take once decompressed. */
export const MAX_STATE_BYTES = 1 << 30;

/** A chain's accounts as portable JSON. */
export interface DumpedState {
  version: number;
  chainId: Hex;
  block: { number: Hex; timestamp: Hex };
  accounts: Record<string, { balance: Hex; nonce: Hex; code: Hex; storage: Record<string, Hex> }>;
}

/** Every account of `engine` with its storage. */
export function dumpState(engine: Engine): DumpedState {
  const head = engine.getBlock('latest');
  const accounts: DumpedState['accounts'] = {};
  for (const address of engine.addresses()) {
    const a = engine.getAccount(address);
    if (a === undefined) continue;
    accounts[address] = { balance: toQuantityHex(a.balance), nonce: toQuantityHex(a.nonce), code: a.code, storage: Object.fromEntries(engine.getStorageAll(address)) };
  }
  return { version: STATE_FORMAT_VERSION, chainId: toQuantityHex(engine.chainId), block: { number: toQuantityHex(head?.number ?? 0n), timestamp: toQuantityHex(head?.timestamp ?? 0n) }, accounts };
}

/** The dump as anvil_dumpState answers it: 0x-hex of the gzipped JSON. */
export function dumpStateHex(engine: Engine): Hex {
  return bytesToHex(gzipSync(JSON.stringify(dumpState(engine))));
}

/** A dumped state from JSON, its text, or 0x-hex of the (optionally gzipped) text. */
export function parseState(value: unknown): DumpedState {
  let v = value;
  if (typeof v === 'string' && v.startsWith('0x')) {
    const bytes = hexToBytes(toBytes(v, 'state'));
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: MAX_STATE_BYTES }) : bytes;
    v = new TextDecoder().decode(text);
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
  return s as DumpedState;
}

/** Sets every account of `state` on `engine` (all are checked before any is set). */
export function loadState(engine: Engine, state: DumpedState): void {
  const entries = Object.entries(state.accounts).map(([address, a]) => [toAddress(address, 'state address'), a as AccountInput] as const);
  for (const [address, a] of entries) if (a === null || typeof a !== 'object') throw new ZkosError('INVALID_ARGUMENT', `state.accounts[${address}]: expected an object`);
  for (const [address, a] of entries) engine.setAccount(address, { balance: a.balance ?? 0n, nonce: a.nonce ?? 0n, code: a.code ?? '0x', storage: a.storage ?? {} });
}
