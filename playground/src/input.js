// The playground input: what the user typed, how it becomes an engine request, and how it
// travels in the URL hash together with the step index.

import { assemble, hexToBytes, bytesToHex, looksLikeHex, AsmError } from './evm/asm.js';

/** Protocol versions (v2: upstream ZKsync OS as built, the engine's default; v1: the 2026 cost
 *  model), flows and hardforks offered in the selectors. */
export const PROTOCOL_VERSIONS = ['v2', 'v1'];
export const FLOWS = ['zk', 'ethereum'];
export const HARDFORKS = ['cancun', 'prague', 'osaka'];
export const DEFAULT_CONFIG = { chainId: 270, protocolVersion: 'v2', flow: 'zk', hardfork: 'cancun' };
/** The hardfork a flow runs unless one is chosen, as the engine's default: Ethereum mainnet's
 *  current fork (Osaka) and the fork set of the ZKsync OS production build (Cancun). */
export const DEFAULT_HARDFORKS = { zk: 'cancun', ethereum: 'osaka' };

/** The default config for `flow`. */
export function defaultConfig(flow = DEFAULT_CONFIG.flow) {
  const hardfork = typeof flow === 'string' && Object.hasOwn(DEFAULT_HARDFORKS, flow) ? DEFAULT_HARDFORKS[flow] : DEFAULT_CONFIG.hardfork;
  return { ...DEFAULT_CONFIG, flow, hardfork };
}

/** `to` of a request transaction that calls the contract its setup deployed (Solidity mode). */
export const DEPLOYED = 'deployed';
/** Gas limit of the deployment that sets up a Solidity call (at most the block's gas limit). */
export const SETUP_GAS_LIMIT = 10_000_000n;

/** A problem with one input field; `field` names the form control. */
export class InputError extends Error {
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.name = 'InputError';
    this.field = field;
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * A field's text: a string, or a number as typed in JSON; absent is empty. A link's input may hold
 * anything: an object or list where text belongs is an InputError naming the field (before, an
 * object without a prototype threw "Cannot convert object to primitive value").
 */
function fieldText(field, value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new InputError(field, `expected text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
}

/** `value` as a plain object (a link's field of objects), else an InputError saying what it should hold. */
function record(field, value, what) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(field, `${what} must be an object`);
  return value;
}

function address(field, text) {
  const t = fieldText(field, text).trim();
  if (!ADDRESS.test(t)) throw new InputError(field, `"${t}" is not a 20-byte 0x address`);
  return t.toLowerCase();
}

function quantity(field, text) {
  const t = fieldText(field, text).trim();
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(t)) throw new InputError(field, `"${t}" is not a number`);
  // Judged by its digits first: BigInt of a long decimal text takes time quadratic in its length
  // (a link's 1,000,000 digits took 0.3 s, 2 MB of them about four times that).
  const hex = t.startsWith('0x');
  if (t.slice(hex ? 2 : 0).replace(/^0+/, '').length > (hex ? 64 : 78)) throw new InputError(field, 'does not fit in 256 bits');
  const v = BigInt(t);
  if (v >= 1n << 256n) throw new InputError(field, 'does not fit in 256 bits');
  return v;
}

function hexData(field, text) {
  const t = fieldText(field, text).trim();
  try { return bytesToHex(hexToBytes(t === '' ? '0x' : t)); } catch (e) { throw new InputError(field, e.message); }
}

/** Bytecode from hex or assembly text; throws InputError naming the `code` field. */
export function codeBytes(text) {
  const t = fieldText('code', text);
  if (t.trim() === '') return new Uint8Array();
  try {
    return looksLikeHex(t) ? hexToBytes(t) : assemble(t);
  } catch (e) {
    if (e instanceof AsmError) throw new InputError('code', e.message);
    throw e;
  }
}

function accountsFrom(text) {
  let parsed;
  try { parsed = JSON.parse(fieldText('accounts', text) || '{}'); } catch (e) { throw e instanceof InputError ? e : new InputError('accounts', `not JSON (${e.message})`); }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('accounts', 'must be an object keyed by address');
  return Object.entries(parsed).map(([addr, given]) => {
    const a = address('accounts', addr);
    // Before, an account of null threw "Cannot read properties of null", and 5 was an empty account.
    const acc = record('accounts', given, `${a}: an account ({ balance?, nonce?, code?, storage? })`);
    const storage = {};
    for (const [k, v] of Object.entries(record('accounts', acc.storage ?? {}, `${a}: storage`))) storage['0x' + quantity('accounts', k).toString(16).padStart(64, '0')] = quantity('accounts', v);
    return {
      address: a,
      balance: quantity('accounts', acc.balance ?? '0'),
      nonce: quantity('accounts', acc.nonce ?? '0'),
      code: acc.code ? bytesToHex(codeBytes(acc.code)) : undefined,
      storage,
    };
  });
}

function envFrom(env) {
  const e = env ?? {};
  return {
    number: quantity('env', e.number ?? 1), timestamp: quantity('env', e.timestamp ?? 0),
    baseFee: quantity('env', e.baseFee ?? 0), nativePrice: quantity('env', e.nativePrice ?? 1),
    pubdataPrice: quantity('env', e.pubdataPrice ?? 0), gasLimit: quantity('env', e.gasLimit ?? 30_000_000),
    coinbase: address('env', e.coinbase ?? '0x' + '00'.repeat(20)),
  };
}

function txFrom(input, field = 'tx') {
  return {
    from: address(`${field}.sender`, input.sender),
    to: input.to === '' || input.to == null ? null : address(`${field}.to`, input.to),
    data: hexData(`${field}.calldata`, input.calldata),
    value: quantity(`${field}.value`, input.value ?? '0'),
    gasLimit: quantity(`${field}.gasLimit`, input.gasLimit),
    gasPrice: quantity(`${field}.gasPrice`, input.gasPrice),
  };
}

/**
 * The request of a Solidity input: the deployment as a setup transaction and the call to
 * the deployed contract (`to`: DEPLOYED), or — with no call data — the deployment itself.
 * `solidity` is `{deployData, callData}` (hex), built from the compiled contract.
 */
function solidityTxs(input, env, solidity) {
  if (!solidity) throw new InputError('source', 'compile the contract first');
  const tx = txFrom({ ...input, to: '', calldata: '0x' });
  const deploy = { ...tx, data: hexData('sol-ctor-args', solidity.deployData) };
  if (!solidity.callData) return { setup: [], txs: [deploy] };
  const gasLimit = SETUP_GAS_LIMIT < env.gasLimit ? SETUP_GAS_LIMIT : env.gasLimit;
  return {
    setup: [{ ...deploy, value: 0n, gasLimit }],
    txs: [{ ...tx, to: DEPLOYED, data: hexData('sol-args', solidity.callData) }],
  };
}

const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/** The node and transaction of a fork input: `{url, hash}`, or an InputError naming the field. */
export function forkTarget(input) {
  const url = String(input.forkUrl ?? '').trim();
  let parsed = null;
  try { parsed = new URL(url); } catch { /* reported below */ }
  if (!url) throw new InputError('forkUrl', 'paste the JSON-RPC URL of a node of the chain (e.g. http://127.0.0.1:8545)');
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new InputError('forkUrl', `"${url}" is not an http:// or https:// URL`);
  const hash = String(input.forkTx ?? '').trim();
  if (!TX_HASH.test(hash)) throw new InputError('forkTx', `"${hash}" is not a transaction hash (0x and 64 hex digits)`);
  return { url, hash: hash.toLowerCase() };
}

/**
 * Turns a form input into an engine request: `{config, env, accounts, setup, txs, block}`. In
 * `fork` mode the request is `{config, fork: {url, hash}, …}` with no transactions of its own:
 * the transaction and the state come from the node (see src/fork/run.js). In
 * `tx` mode the code is placed at `to`; in `block` mode `block` is a JSON array of
 * transactions, run as one block (`block: true`); in `solidity` mode (with `solidity`, see
 * solidityTxs) the setup transactions run first as a block of their own.
 */
export function compileInput(input, solidity = null) {
  const config = { ...defaultConfig(input.config?.flow), ...(input.config ?? {}) };
  if (!PROTOCOL_VERSIONS.includes(config.protocolVersion)) throw new InputError('protocolVersion', `unknown "${fieldText('protocolVersion', config.protocolVersion)}"`);
  if (!FLOWS.includes(config.flow)) throw new InputError('flow', `unknown "${fieldText('flow', config.flow)}"`);
  if (!HARDFORKS.includes(config.hardfork)) throw new InputError('hardfork', `unknown "${fieldText('hardfork', config.hardfork)}"`);
  if (input.mode === 'fork') return { config, fork: forkTarget(input), env: {}, accounts: [], setup: [], txs: [], block: false };
  const accounts = accountsFrom(input.accounts);
  const env = envFrom(input.env);
  let txs, setup = [];
  if (input.mode === 'solidity') {
    ({ setup, txs } = solidityTxs(input, env, solidity));
  } else if (input.mode === 'block') {
    let list;
    try { list = JSON.parse(fieldText('block', input.block) || '[]'); } catch (e) { throw e instanceof InputError ? e : new InputError('block', `not JSON (${e.message})`); }
    if (!Array.isArray(list) || list.length === 0) throw new InputError('block', 'must be a non-empty JSON array of transactions');
    txs = list.map((t, i) => txFrom(record(`block[${i}]`, t, 'a transaction'), `block[${i}]`));
  } else {
    const tx = txFrom(input);
    const code = codeBytes(input.code);
    if (code.length) {
      if (!tx.to) throw new InputError('tx.to', 'code needs an address to live at');
      const existing = accounts.find((a) => a.address === tx.to);
      if (existing) existing.code = bytesToHex(code);
      else accounts.push({ address: tx.to, balance: 0n, nonce: 0n, code: bytesToHex(code), storage: {} });
    }
    txs = [tx];
  }
  return { config, env, accounts, setup, txs, block: input.mode === 'block' };
}

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The URL hash for an input, a step index and breakpoints (as their texts, e.g. "op:SSTORE"). */
export function encodeHash(input, step, breakpoints = []) {
  const bp = breakpoints.length ? `&bp=${breakpoints.map(encodeURIComponent).join(',')}` : '';
  return `#s=${step}${bp}&in=${toBase64Url(JSON.stringify(input))}`;
}

/** Most breakpoints a link may carry: each is listed and matched at every step (the list is made by hand). */
export const MAX_LINK_BREAKPOINTS = 64;
/** Deepest nesting of lists and objects in a link's input (the form's fields are at most a few levels deep). */
export const MAX_LINK_DEPTH = 32;

/** Deepest nesting of `[` and `{` in JSON text (brackets inside strings skipped). */
function jsonDepth(json) {
  let depth = 0, deepest = 0, inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return deepest;
}

/**
 * `{input, step, breakpoints}` from a URL hash, null when it holds none, or `{problem}` (what is
 * wrong, a phrase) when it is damaged or not a playground input. Before, a damaged link opened
 * the first example without a word, an input that was not an object (`null`) or nested past
 * the stack stopped the page's start with an uncaught error, and thousands of breakpoints
 * froze the tab (each one redrew the whole list and the link).
 */
export function decodeHash(hash) {
  const text = String(hash).replace(/^#/, '');
  const params = new URLSearchParams(text);
  const data = params.get('in');
  if (!data) return null;
  let json, input;
  try {
    json = fromBase64Url(data);
    input = JSON.parse(json);
  } catch {
    return { problem: 'its input is not base64url-encoded JSON' };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { problem: 'its input is not an object of form fields' };
  if (jsonDepth(json) > MAX_LINK_DEPTH) return { problem: `its input nests lists and objects more than ${MAX_LINK_DEPTH} deep` };
  const bp = /(?:^|&)bp=([^&]*)/.exec(text)?.[1];
  const texts = bp ? bp.split(',') : [];
  if (texts.length > MAX_LINK_BREAKPOINTS) return { problem: `it has ${texts.length} breakpoints, more than ${MAX_LINK_BREAKPOINTS}` };
  let breakpoints;
  try {
    breakpoints = texts.map(decodeURIComponent).filter(Boolean);
  } catch {
    return { problem: 'its breakpoints are not URL-encoded' };
  }
  const step = Number.parseInt(params.get('s') ?? '0', 10);
  return { input, step: Number.isFinite(step) && step >= 0 ? step : 0, breakpoints };
}
