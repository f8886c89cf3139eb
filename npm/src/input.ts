// Validation of user input: every malformed argument becomes a `ZkosError` with a stable code
// before anything reaches the engine.
import { ZkosError } from './errors.js';
import { type Hex, describe, show, toAddress, toBigInt, toBytes, toU64, toWord } from './hex.js';
import type { AccountInput, AccountOverride, BlockInput, BlockOverride, SignedAuthorization, StateOverride, TxRequest } from './types.js';

/** A validated transaction request. */
export interface CanonicalTx {
  from?: Hex;
  to?: Hex;
  data: Hex;
  value: bigint;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  nonce?: bigint;
  accessList: { address: Hex; storageKeys: Hex[] }[];
  /** EIP-7702 authorizations (present and not empty: a type-4 transaction). */
  authorizationList?: SignedAuthorization[];
}

/** A validated account. */
export interface CanonicalAccount {
  balance?: bigint;
  nonce?: bigint;
  code?: Hex;
  storage: [Hex, Hex][];
}

/** A validated state override entry. */
export interface CanonicalOverride {
  balance?: bigint;
  nonce?: bigint;
  code?: Hex;
  state?: [Hex, Hex][];
  stateDiff?: [Hex, Hex][];
}

/** A validated block override. */
export interface CanonicalBlockOverride {
  number?: bigint;
  timestamp?: bigint;
  gasLimit?: bigint;
  coinbase?: Hex;
  baseFee?: bigint;
  prevrandao?: Hex;
}

/** A validated block. */
export interface CanonicalBlock {
  number?: bigint;
  timestamp?: bigint;
  gasLimit?: bigint;
  baseFee?: bigint;
  coinbase?: Hex;
  transactions: (Hex | CanonicalTx)[];
}

export function object(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

const opt = <T>(v: unknown, f: (v: unknown) => T): T | undefined => (v === undefined || v === null ? undefined : f(v));

const TX_KEYS = new Set(['from', 'to', 'data', 'input', 'value', 'gas', 'gasLimit', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'nonce', 'accessList', 'authorizationList', 'type', 'chainId']);

/** Validates a transaction request. */
export function canonicalTx(value: unknown, what = 'tx'): CanonicalTx {
  const tx = object(value, what) as TxRequest & Record<string, unknown>;
  for (const k of Object.keys(tx)) if (!TX_KEYS.has(k) && tx[k] !== undefined) throw new ZkosError('INVALID_ARGUMENT', `${what}: unknown field ${show(k)}`);
  if (tx.data !== undefined && tx.input !== undefined && toBytes(tx.data, `${what}.data`) !== toBytes(tx.input, `${what}.input`)) {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: data and input differ`);
  }
  if (tx.gas !== undefined && tx.gasLimit !== undefined && toBigInt(tx.gas, `${what}.gas`) !== toBigInt(tx.gasLimit, `${what}.gasLimit`)) {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: gas and gasLimit differ`);
  }
  const out: CanonicalTx = {
    data: opt(tx.data ?? tx.input, (v) => toBytes(v, `${what}.data`)) ?? '0x',
    value: opt(tx.value, (v) => toBigInt(v, `${what}.value`)) ?? 0n,
    accessList: opt(tx.accessList, (v) => accessList(v, `${what}.accessList`)) ?? [],
  };
  const from = opt(tx.from, (v) => toAddress(v, `${what}.from`));
  if (from !== undefined) out.from = from;
  const to = opt(tx.to, (v) => toAddress(v, `${what}.to`));
  if (to !== undefined) out.to = to;
  const gas = opt(tx.gas ?? tx.gasLimit, (v) => toU64(v, `${what}.gas`));
  if (gas !== undefined) out.gas = gas;
  const gasPrice = opt(tx.gasPrice, (v) => toBigInt(v, `${what}.gasPrice`));
  if (gasPrice !== undefined) out.gasPrice = gasPrice;
  const maxFee = opt(tx.maxFeePerGas, (v) => toBigInt(v, `${what}.maxFeePerGas`));
  if (maxFee !== undefined) out.maxFeePerGas = maxFee;
  const tip = opt(tx.maxPriorityFeePerGas, (v) => toBigInt(v, `${what}.maxPriorityFeePerGas`));
  if (tip !== undefined) out.maxPriorityFeePerGas = tip;
  const nonce = opt(tx.nonce, (v) => toU64(v, `${what}.nonce`));
  if (nonce !== undefined) out.nonce = nonce;
  const authorizations = opt(tx.authorizationList, (v) => authorizationList(v, `${what}.authorizationList`));
  if (authorizations !== undefined && authorizations.length > 0) out.authorizationList = authorizations;
  if (out.gasPrice !== undefined && (out.maxFeePerGas !== undefined || out.maxPriorityFeePerGas !== undefined)) {
    throw new ZkosError('INVALID_ARGUMENT', `${what}: gasPrice cannot go with maxFeePerGas/maxPriorityFeePerGas`);
  }
  for (const k of ['gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas'] as const) {
    const v = out[k];
    if (v !== undefined && v >= 1n << 128n) throw new ZkosError('INVALID_ARGUMENT', `${what}.${k}: above 2^128-1`);
  }
  return out;
}

/** Most items a list argument may have (transactions of a block, access list entries, keys, ...). */
export const MAX_LIST_ITEMS = 1 << 20;

/**
 * Maps the items of an array argument, holes of sparse arrays included (as undefined, which
 * `map` would skip); its length is checked first (a sparse array can claim 2^32-1 items).
 */
export function list<T>(value: unknown, what: string, f: (item: unknown, index: number) => T): T[] {
  if (!Array.isArray(value)) throw new ZkosError('INVALID_ARGUMENT', `${what}: expected an array, got ${describe(value)}`);
  if (value.length > MAX_LIST_ITEMS) throw new ZkosError('INVALID_ARGUMENT', `${what}: more than ${MAX_LIST_ITEMS} items`);
  return Array.from(value, f);
}

function accessList(value: unknown, what: string): { address: Hex; storageKeys: Hex[] }[] {
  return list(value, what, (item, i) => {
    const o = object(item, `${what}[${i}]`);
    const storageKeys = list(o.storageKeys ?? [], `${what}[${i}].storageKeys`, (k, j) => toWord(k, `${what}[${i}].storageKeys[${j}]`));
    return { address: toAddress(o.address, `${what}[${i}].address`), storageKeys };
  });
}

/**
 * EIP-7702 authorizations: `{ chainId, address, nonce, yParity, r, s }` (viem and ethers send
 * these; viem sends `v`, 27 or 28 or the parity itself, when it has no `yParity`).
 */
function authorizationList(value: unknown, what: string): SignedAuthorization[] {
  return list(value, what, (item, i) => {
    const o = object(item, `${what}[${i}]`);
    const at = `${what}[${i}]`;
    const need = (k: string, f: (v: unknown, w: string) => bigint): bigint => {
      if (o[k] === undefined || o[k] === null) throw new ZkosError('INVALID_ARGUMENT', `${at}.${k}: missing`);
      return f(o[k], `${at}.${k}`);
    };
    const byte = (x: unknown, w: string): bigint => {
      const v = toBigInt(x, w);
      if (v > 255n) throw new ZkosError('INVALID_ARGUMENT', `${w}: above 255`);
      return v;
    };
    let yParity: bigint;
    if (o.yParity !== undefined && o.yParity !== null) {
      yParity = byte(o.yParity, `${at}.yParity`);
    } else {
      const v = need('v', byte);
      yParity = v >= 27n ? v - 27n : v;
    }
    return { chainId: need('chainId', toBigInt), address: toAddress(o.address, `${at}.address`), nonce: need('nonce', toU64), yParity, r: need('r', toBigInt), s: need('s', toBigInt) };
  });
}

function slots(value: unknown, what: string): [Hex, Hex][] {
  const o = object(value, what);
  return Object.entries(o).map(([k, v]) => [toWord(k, `${what} key`), toWord(v, `${what}[${k}]`)]);
}

/** Validates an account to set. */
export function canonicalAccount(value: unknown, what = 'account'): CanonicalAccount {
  const a = object(value, what) as AccountInput & Record<string, unknown>;
  for (const k of Object.keys(a)) if (!['balance', 'nonce', 'code', 'storage'].includes(k)) throw new ZkosError('INVALID_ARGUMENT', `${what}: unknown field ${show(k)}`);
  const out: CanonicalAccount = { storage: opt(a.storage, (v) => slots(v, `${what}.storage`)) ?? [] };
  const balance = opt(a.balance, (v) => toBigInt(v, `${what}.balance`));
  if (balance !== undefined) out.balance = balance;
  const nonce = opt(a.nonce, (v) => toU64(v, `${what}.nonce`));
  if (nonce !== undefined) out.nonce = nonce;
  const code = opt(a.code, (v) => toBytes(v, `${what}.code`));
  if (code !== undefined) out.code = code;
  return out;
}

/** Validates a state override (address → override). */
export function canonicalStateOverride(value: StateOverride | undefined, what = 'stateOverride'): [Hex, CanonicalOverride][] {
  if (value === undefined || value === null) return [];
  return Object.entries(object(value, what)).map(([address, raw]) => {
    const w = `${what}[${address}]`;
    const o = object(raw, w) as AccountOverride & Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['balance', 'nonce', 'code', 'state', 'stateDiff'].includes(k)) throw new ZkosError('INVALID_ARGUMENT', `${w}: unknown field ${show(k)}`);
    if (o.state !== undefined && o.stateDiff !== undefined) throw new ZkosError('INVALID_ARGUMENT', `${w}: state and stateDiff are exclusive`);
    const out: CanonicalOverride = {};
    const balance = opt(o.balance, (v) => toBigInt(v, `${w}.balance`));
    if (balance !== undefined) out.balance = balance;
    const nonce = opt(o.nonce, (v) => toU64(v, `${w}.nonce`));
    if (nonce !== undefined) out.nonce = nonce;
    const code = opt(o.code, (v) => toBytes(v, `${w}.code`));
    if (code !== undefined) out.code = code;
    const state = opt(o.state, (v) => slots(v, `${w}.state`));
    if (state !== undefined) out.state = state;
    const diff = opt(o.stateDiff, (v) => slots(v, `${w}.stateDiff`));
    if (diff !== undefined) out.stateDiff = diff;
    return [toAddress(address, `${what} address`), out];
  });
}

/** Validates a block override. */
export function canonicalBlockOverride(value: BlockOverride | undefined, what = 'blockOverride'): CanonicalBlockOverride | undefined {
  if (value === undefined || value === null) return undefined;
  const o = object(value, what) as BlockOverride & Record<string, unknown>;
  const out: CanonicalBlockOverride = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (k === 'number') out.number = toU64(v, `${what}.number`);
    else if (k === 'time' || k === 'timestamp') out.timestamp = toU64(v, `${what}.time`);
    else if (k === 'gasLimit') out.gasLimit = toU64(v, `${what}.gasLimit`);
    else if (k === 'coinbase' || k === 'feeRecipient') out.coinbase = toAddress(v, `${what}.coinbase`);
    else if (k === 'baseFee' || k === 'baseFeePerGas') out.baseFee = toBigInt(v, `${what}.baseFee`);
    else if (k === 'random' || k === 'prevRandao' || k === 'prevrandao') out.prevrandao = toWord(v, `${what}.random`);
    else throw new ZkosError('INVALID_ARGUMENT', `${what}: unknown field ${show(k)}`);
  }
  return out;
}

/**
 * Refuses a request whose `chainId` is not the chain's, in geth's words (go-ethereum
 * internal/ethapi/transaction_args.go); anvil refuses it too. Before, it was ignored: the call
 * ran, and eth_sendTransaction signed, for this chain.
 */
export function checkChainId(request: unknown, chainId: bigint, what: string): void {
  const given = (request as { chainId?: unknown }).chainId;
  if (given === undefined || given === null) return;
  const have = toBigInt(given, `${what}.chainId`);
  if (have !== chainId) throw new ZkosError('INVALID_ARGUMENT', `${what}: chainId does not match node's (have=${have}, want=${chainId})`);
}

/** Validates a block (its pre-state is validated by the caller). */
export function canonicalBlock(value: unknown, what = 'block'): CanonicalBlock {
  const b = object(value, what) as BlockInput & Record<string, unknown>;
  const out: CanonicalBlock = {
    transactions: list(b.transactions, `${what}.transactions`, (t, i) => (typeof t === 'string' || t instanceof Uint8Array ? toBytes(t, `${what}.transactions[${i}]`) : canonicalTx(t, `${what}.transactions[${i}]`))),
  };
  for (const t of out.transactions) {
    if (typeof t !== 'string' && t.from === undefined) throw new ZkosError('INVALID_ARGUMENT', `${what}: an unsigned transaction needs "from"`);
  }
  const number = opt(b.number, (v) => toU64(v, `${what}.number`));
  if (number !== undefined) out.number = number;
  const ts = opt(b.timestamp, (v) => toU64(v, `${what}.timestamp`));
  if (ts !== undefined) out.timestamp = ts;
  const gl = opt(b.gasLimit, (v) => toU64(v, `${what}.gasLimit`));
  if (gl !== undefined) out.gasLimit = gl;
  const bf = opt(b.baseFee, (v) => toBigInt(v, `${what}.baseFee`));
  if (bf !== undefined) out.baseFee = bf;
  const cb = opt(b.coinbase, (v) => toAddress(v, `${what}.coinbase`));
  if (cb !== undefined) out.coinbase = cb;
  return out;
}
