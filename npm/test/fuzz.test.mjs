// Property-based fuzzing of the whole public surface (engine, sessions, provider) with
// fast-check. Each run creates an engine, then makes generated calls with wrong types, huge and
// negative numbers, long strings, NaN, nested junk, random hex, requests, and signed or mangled
// transactions. After every call:
// - it returned, or threw a ZkosError (a ProviderRpcError with a numeric code for the provider),
//   never another error, never ENGINE_POISONED / INTERNAL_ERROR / ENGINE_ERROR (-32603);
// - the engine still answers, and its state (block number and hash, state root, the accounts
//   and slots the run uses) is unchanged after an error and after every call that only reads.
// Seeded: the seed is printed; ZKOS_FUZZ_SEED=<seed> replays a run, with ZKOS_FUZZ_PATH=<path>
// (printed on failure) its shrunk counterexample. ZKOS_FUZZ_MS bounds the time (default 25 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeAbiParameters } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createEngineSync, createProvider, PROVIDER_METHODS, ProviderRpcError, ZkosError } from '../dist/esm/node.js';
import { ERC20_RUNTIME, erc20BalanceSlot } from './fixtures/erc20.mjs';
import { KEY_A, KEY_B } from './helpers.mjs';

const SEED = process.env.ZKOS_FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ZKOS_FUZZ_SEED);
const PATH = process.env.ZKOS_FUZZ_PATH;
const TIME_LIMIT_MS = Number(process.env.ZKOS_FUZZ_MS ?? 25_000);
/** Each engine's memory cap: a runaway allocation poisons the engine (and fails the run) instead of taking the machine. */
const ENGINE_MEMORY_BYTES = 512 * 2 ** 20;

const SIGNERS = [privateKeyToAccount(KEY_A), privateKeyToAccount(KEY_B)];
const TOKEN = '0x100000000000000000000000000000000000e20c';
const REVERTER = '0x100000000000000000000000000000000000dead';
const OTHER = '0x10000000000000000000000000000000000000aa';
/** Reverts with the 4 bytes 0xdeadbeef: `PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT`. */
const REVERTER_CODE = '0x63deadbeef6000526004601cfd';
const PRECOMPILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x100].map((n) => '0x' + n.toString(16).padStart(40, '0'));
const SYSTEM = ['0x0000000000000000000000000000000000008008', '0x0000000000000000000000000000000000008001', '0x0000000000000000000000000000000000000000'];
const ADDRESSES = [...SIGNERS.map((s) => s.address.toLowerCase()), TOKEN, REVERTER, OTHER, ...PRECOMPILES, ...SYSTEM];
/** Slots the fingerprint reads: the token's balances of both signers, and low slots. */
const WATCHED_SLOTS = [[TOKEN, erc20BalanceSlot(SIGNERS[0].address)], [TOKEN, erc20BalanceSlot(SIGNERS[1].address)], [OTHER, '0x0'], [OTHER, '0x1']];
/** Codes that may not return (ENGINE_ERROR, INTERNAL_ERROR: a defect of the package; ENGINE_POISONED: a trap). */
const DEFECT_CODES = ['ENGINE_POISONED', 'INTERNAL_ERROR', 'ENGINE_ERROR'];

/** A sparse array claiming the most items an array can have. */
const HUGE_SPARSE_ARRAY = new Array(2 ** 32 - 1);

const toHex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');

// ---- values ---------------------------------------------------------------------------------

const longString = fc
  .tuple(fc.constantFrom('', '0x'), fc.constantFrom('0', 'f', '9', 'x', ' ', 'é'), fc.integer({ min: 100, max: 300_000 }))
  .map(([prefix, c, n]) => prefix + c.repeat(n));
const randomHex = fc.oneof(
  fc.uint8Array({ maxLength: 80 }).map(toHex),
  fc.uint8Array({ maxLength: 40 }).map((b) => toHex(b).toUpperCase().replace('0X', '0x')),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => toHex(b).slice(0, -1)),
);
const junk = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 0, -1, 2 ** 53, 1.5, '', '0x', '0x0', '0X1', '-0x1', ' 1', '1e3', 'latest', 'earliest', '__proto__', 'constructor', true, false, [], {}, HUGE_SPARSE_ARRAY),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }),
  fc.string({ maxLength: 40 }),
  longString,
  randomHex,
  fc.uint8Array({ maxLength: 64 }),
  fc.anything({ maxDepth: 3, maxKeys: 4, withBigInt: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
);
const EDGE_QUANTITIES = [0n, 1n, 21_000n, (1n << 56n) - 1n, 1n << 56n, (1n << 63n) - 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n, 1n << 128n, (1n << 256n) - 1n, 1n << 256n, -1n];
const quantity = fc.oneof(
  fc.constantFrom(...EDGE_QUANTITIES),
  fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  fc.nat({ max: 10 ** 9 }),
  fc.bigInt({ min: 0n, max: 1n << 70n }).map((v) => '0x' + v.toString(16)),
  fc.bigInt({ min: 0n, max: 1n << 70n }).map((v) => v.toString(10)),
);
/**
 * Bytecode: random bytes (JUMP and JUMPI included) or a loop that never ends on its own. The
 * core bounds what such code can cost: simulations run with at most the RPC gas cap, traces
 * within their budget (TRACE_LIMIT), Ethereum-flow gas limits beyond ergs are refused.
 */
const LOOP_CODE = '0x5b600056';
const anyCode = fc.oneof({ weight: 6, arbitrary: fc.uint8Array({ maxLength: 64 }).map(toHex) }, { weight: 1, arbitrary: fc.constant(LOOP_CODE) });
const SESSION_READS = ['phase', 'finished', 'txIndex', 'txCount'];
const SESSION_METHODS = ['logs', 'l2ToL1Messages', 'pubdata', 'block', 'frames', 'stack', 'memory', 'returnData', 'storage', 'costs', 'result', 'free'];

/**
 * The generators of calls. Clean ones make arguments of the right shape (with values that may
 * still be refused: edge quantities, unfunded senders, wrong nonces, mangled envelopes); dirty
 * ones put junk anywhere, and contradictions (aliases that differ, both fee kinds).
 */
function calls(dirty) {
  /** A record field: with `dirty`, sometimes junk. */
  const vj = (valid) => (dirty ? fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: junk }) : valid);
  /** A whole argument: with `dirty`, sometimes junk. */
  const arg = (valid) => (dirty ? fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk }) : valid);
  /** Mostly `usual`, sometimes `rare`. */
  const mostly = (usual, rare) => fc.oneof({ weight: 8, arbitrary: usual }, { weight: 1, arbitrary: rare });

  const amount = mostly(fc.bigInt({ min: 0n, max: 10n ** 18n }), quantity);
  const gasValue = mostly(fc.oneof(fc.integer({ min: 0, max: 3_000_000 }), fc.constantFrom(21_000, 100_000, 30_000_000)), fc.constantFrom(...EDGE_QUANTITIES));
  const feeValue = mostly(fc.constantFrom(0n, 1000n, 10n ** 9n, 10n ** 10n), quantity);
  const addressValue = mostly(fc.constantFrom(...ADDRESSES), fc.uint8Array({ minLength: 20, maxLength: 20 }).map(toHex));
  const address = arg(addressValue);
  const slotValue = fc.oneof(fc.constantFrom(0n, 1n, 2n, '0x0', '0x1', ...WATCHED_SLOTS.map(([, s]) => s)), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex));
  const slot = arg(slotValue);
  const timestamp = mostly(fc.bigInt({ min: 0n, max: 1n << 33n }), quantity);
  const headish = mostly(fc.nat({ max: 40 }), quantity);
  const code = vj(fc.oneof(anyCode, fc.constantFrom('0x', ERC20_RUNTIME, REVERTER_CODE)));
  const dataValue = fc.oneof(fc.uint8Array({ maxLength: 80 }).map(toHex), anyCode, fc.constantFrom('0x', '0xa9059cbb', '0x70a08231' + SIGNERS[0].address.slice(2).padStart(64, '0')));
  const storage = vj(fc.dictionary(mostly(fc.constantFrom('0x0', '0x1', '1', WATCHED_SLOTS[0][1]), fc.string({ maxLength: 8 })), vj(amount), { maxKeys: 3 }));
  const accountInput = arg(fc.record({ balance: vj(amount), nonce: vj(mostly(fc.nat({ max: 5 }), quantity)), code, storage }, { requiredKeys: [] }));
  const accessList = vj(fc.array(vj(fc.record({ address: vj(addressValue), storageKeys: vj(fc.array(vj(slotValue), { maxLength: 2 })) }, { requiredKeys: ['address'] })), { maxLength: 2 }));
  const txType = mostly(fc.constantFrom('0x0', '0x2', 2, 'eip1559', 'legacy'), fc.constantFrom('0xff', 0xfe, 255n, 256, 'junk'));
  /** One of two aliases (`gas`/`gasLimit`, `data`/`input`) or none; dirty: both (which may differ). */
  const aliased = (a, b, value) => {
    const one = fc.oneof(fc.constant({}), fc.record({ [a]: vj(value) }), fc.record({ [b]: vj(value) }));
    return dirty ? fc.oneof(one, fc.record({ [a]: vj(value), [b]: vj(value) })) : one;
  };
  const oneFee = fc.oneof(fc.constant({}), fc.record({ gasPrice: vj(feeValue) }), fc.record({ maxFeePerGas: vj(feeValue), maxPriorityFeePerGas: vj(fc.constantFrom(0n, 1n)) }, { requiredKeys: [] }));
  const fees = dirty ? fc.oneof(oneFee, fc.record({ gasPrice: vj(feeValue), maxFeePerGas: vj(feeValue) })) : oneFee;
  const txRequest = arg(
    fc
      .tuple(
        fc.record({ from: vj(mostly(fc.constantFrom(...SIGNERS.map((x) => x.address)), addressValue)), to: vj(fc.oneof(fc.constantFrom(...ADDRESSES), fc.constant(null))), value: vj(amount), nonce: vj(fc.nat({ max: 4 })), accessList, type: vj(txType), chainId: vj(quantity) }, { requiredKeys: [] }),
        aliased('gas', 'gasLimit', gasValue),
        aliased('data', 'input', dataValue),
        fees,
      )
      .map((parts) => Object.assign({}, ...parts)),
  );
  const blockOverride = arg(fc.record({ number: vj(headish), time: vj(timestamp), gasLimit: vj(gasValue), coinbase: vj(addressValue), baseFee: vj(feeValue), random: vj(slotValue) }, { requiredKeys: [] }));
  const accountOverride = vj(fc.tuple(fc.record({ balance: vj(amount), nonce: vj(fc.nat({ max: 5 })), code }, { requiredKeys: [] }), aliased('state', 'stateDiff', storage)).map((parts) => Object.assign({}, ...parts)));
  const stateOverride = arg(fc.dictionary(mostly(fc.constantFrom(...ADDRESSES), fc.string({ maxLength: 6 })), accountOverride, { maxKeys: 2 }));
  const callOptions = arg(fc.record({ stateOverride, blockOverride }, { requiredKeys: [] }));
  const tracer = vj(mostly(fc.constantFrom('structLogs', 'eip3155', 'callTracer', 'prestateTracer', 'opcodeStats'), fc.constantFrom('jsTracer', 'muxTracer')));
  const tracerConfig = vj(fc.record({ onlyTopCall: vj(fc.boolean()), withLog: vj(fc.boolean()), diffMode: vj(fc.boolean()), disableCode: vj(fc.boolean()), disableStorage: vj(fc.boolean()) }, { requiredKeys: [] }));
  const traceOptions = arg(
    fc.record({ tracer, tracerConfig, enableMemory: vj(fc.boolean()), disableStack: vj(fc.boolean()), disableStorage: vj(fc.boolean()), enableReturnData: vj(fc.boolean()), limit: vj(fc.nat({ max: 50 })), stateOverride, blockOverride }, { requiredKeys: [] }),
  );
  /** A mined transaction's hash by index (resolved when the call runs), or any word. */
  const txHash = fc.oneof({ weight: 3, arbitrary: fc.nat().map((i) => ({ $hash: i })) }, { weight: 1, arbitrary: slot });
  const blockId = arg(fc.oneof(fc.constantFrom('latest', 0n, 1n, 2n, 'earliest', 'pending'), fc.nat().map((i) => ({ $blockHash: i })), quantity));
  /** A transaction to sign (and maybe mangle) when the call runs; `nonce: 'next'` is the signer's current nonce. */
  const signedTx = fc.record({
    signer: fc.nat({ max: 1 }),
    type: fc.constantFrom('legacy', 'eip2930', 'eip1559'),
    chainId: mostly(fc.constant('engine'), fc.constantFrom(1, 271, 2 ** 32)),
    nonce: mostly(fc.constant('next'), fc.oneof(fc.nat({ max: 4 }), fc.constantFrom(2 ** 32, Number.MAX_SAFE_INTEGER))),
    to: fc.oneof(fc.constantFrom(...ADDRESSES), fc.constant(undefined)),
    value: mostly(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.constantFrom(10n ** 30n, (1n << 256n) - 1n)),
    gas: mostly(fc.integer({ min: 21_000, max: 3_000_000 }), fc.constantFrom(0, 30_000_000, 2 ** 53 - 1)),
    maxFee: mostly(fc.constantFrom(10n ** 4n, 10n ** 10n), fc.bigInt({ min: 0n, max: 10n ** 12n })),
    data: fc.oneof(anyCode, fc.constantFrom('0x', '0xa9059cbb' + OTHER.slice(2).padStart(64, '0') + '1'.padStart(64, '0'))),
    mangle: mostly(fc.constant(undefined), fc.record({ kind: fc.constantFrom('flip', 'truncate', 'append', 'system', 'type'), at: fc.nat(), byte: fc.nat({ max: 255 }) })),
  });
  /** An L1 priority or upgrade transaction (ABI-encoded when the call runs). */
  const systemTx = fc.record({
    type: mostly(fc.constant(0xff), fc.constant(0xfe)),
    from: addressValue,
    to: addressValue,
    value: amount.filter((v) => typeof v === 'bigint' && v >= 0n && v < 1n << 255n),
    gasLimit: mostly(fc.bigInt({ min: 21_000n, max: 3_000_000n }), fc.constantFrom(0n, (1n << 64n) - 1n)),
    maxFee: fc.constantFrom(0n, 1000n, 10n ** 9n),
    nonce: fc.nat({ max: 3 }).map(BigInt),
    data: dataValue,
  });
  const rawTx = arg(mostly(signedTx.map((t) => ({ $sign: t })), systemTx.map((t) => ({ $system: t }))));
  const blockInput = arg(
    fc.record(
      {
        transactions: vj(fc.array(mostly(rawTx, txRequest), { maxLength: 4 })),
        number: vj(headish),
        timestamp: vj(timestamp),
        gasLimit: vj(gasValue),
        baseFee: vj(feeValue),
        coinbase: vj(addressValue),
        preState: vj(fc.dictionary(fc.constantFrom(...ADDRESSES), accountInput, { maxKeys: 2 })),
      },
      { requiredKeys: ['transactions'] },
    ),
  );
  const breakpoint = arg(fc.record({ pc: vj(fc.nat({ max: 100 })), opcode: vj(fc.nat({ max: 255 })), phase: vj(fc.constantFrom('validation', 'feeCharge', 'execution', 'pubdata', 'refund', 'blockFinish', 'finished')), depth: vj(fc.nat({ max: 3 })) }, { requiredKeys: [] }));
  const providerParams = arg(fc.array(fc.oneof(address, slot, blockId, txRequest, quantity, traceOptions, stateOverride, rawTx, fc.boolean()), { maxLength: dirty ? 6 : 4 }));
  const providerMethod = dirty
    ? fc.oneof(fc.constantFrom(...PROVIDER_METHODS), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'eth_sign', 'eth_sendTransaction', ''), junk)
    : fc.constantFrom(...PROVIDER_METHODS);

  /** Mutating calls may change the state when they succeed; the others never. */
  const engineCall = (name, args, mutates = false) => fc.tuple(...args).map((a) => ({ kind: 'engine', name, args: a, mutates }));
  return fc.oneof(
    engineCall('setAccount', [address, accountInput], true),
    engineCall('getAccount', [address]),
    engineCall('getStorage', [address, slot]),
    engineCall('stateRoot', []),
    engineCall('blockNumber', []),
    engineCall('getBlock', [blockId]),
    engineCall('fees', []),
    engineCall('getTransaction', [txHash]),
    engineCall('getTransactionReceipt', [txHash]),
    { weight: 3, arbitrary: engineCall('runBlock', [blockInput], true) },
    { weight: 3, arbitrary: engineCall('sendRawTransaction', [rawTx], true) },
    { weight: 2, arbitrary: engineCall('call', [txRequest, callOptions]) },
    { weight: 2, arbitrary: engineCall('estimateGas', [txRequest, callOptions]) },
    { weight: 2, arbitrary: engineCall('trace', [txRequest, traceOptions]) },
    engineCall('traceTransaction', [txHash, traceOptions]),
    engineCall('session', [txRequest, callOptions]),
    engineCall('blockSession', [blockInput]),
    fc.tuple(fc.nat(), arg(fc.nat({ max: 500 }))).map(([i, n]) => ({ kind: 'session', name: 'step', index: i, args: [n] })),
    fc.tuple(fc.nat(), breakpoint, arg(fc.nat({ max: 100_000 }))).map(([i, bp, max]) => ({ kind: 'session', name: 'continue', index: i, args: [bp, max] })),
    fc.tuple(fc.nat(), fc.constantFrom(...SESSION_READS)).map(([i, name]) => ({ kind: 'session', name, index: i, getter: true, args: [] })),
    fc.tuple(fc.nat(), fc.constantFrom(...SESSION_METHODS)).map(([i, name]) => ({ kind: 'session', name, index: i, args: [] })),
    fc.tuple(fc.nat(), fc.boolean()).map(([i, foreign]) => ({ kind: 'commit', index: i, foreign })),
    engineCall('commitSession', [junk]),
    { weight: 4, arbitrary: fc.tuple(providerMethod, providerParams).map(([method, params]) => ({ kind: 'provider', method, params })) },
  );
}

const call = fc.oneof({ weight: 2, arbitrary: calls(false) }, { weight: 1, arbitrary: calls(true) });

const engineOptions = fc.oneof(
  { weight: 6, arbitrary: fc.record({ flow: fc.constantFrom('zk', 'ethereum'), chainId: fc.constantFrom(270, 1, 2 ** 32), hardfork: fc.constantFrom('cancun', 'prague', 'osaka'), allowSystemTransactions: fc.boolean() }) },
  { weight: 1, arbitrary: fc.oneof(junk, fc.record({ flow: fc.oneof(fc.constantFrom('zk', 'ethereum'), junk), chainId: quantity, baseFee: quantity, blockGasLimit: quantity, coinbase: fc.oneof(fc.constantFrom(...ADDRESSES), junk), allowSystemTransactions: fc.oneof(fc.boolean(), junk), maxMemoryBytes: quantity }, { requiredKeys: [] })) },
);

// ---- running --------------------------------------------------------------------------------

function describeValue(v) {
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? toHex(x.subarray(0, 64)) : Array.isArray(x) && x.length > 64 ? `[array of ${x.length}]` : x));
    return s === undefined ? String(v) : s.length > 300 ? s.slice(0, 300) + '…' : s;
  } catch {
    return String(v);
  }
}

function fingerprint(engine) {
  const head = engine.getBlock('latest');
  return describeValue({
    number: engine.blockNumber(),
    hash: head?.hash,
    root: engine.stateRoot(),
    accounts: ADDRESSES.map((a) => engine.getAccount(a)),
    slots: WATCHED_SLOTS.map(([a, s]) => engine.getStorage(a, s)),
  });
}

/** Signs (and mangles) a generated transaction for `engine`. */
async function sign(t, engine) {
  const chainId = t.chainId === 'engine' ? Number(engine.chainId) : t.chainId;
  const nonce = t.nonce === 'next' ? Number(engine.getAccount(SIGNERS[t.signer].address)?.nonce ?? 0n) : t.nonce;
  const base = { chainId, nonce, to: t.to, value: t.value, gas: BigInt(t.gas), data: t.data };
  const fees = t.type === 'eip1559' ? { maxFeePerGas: t.maxFee, maxPriorityFeePerGas: 0n } : { gasPrice: t.maxFee };
  let raw;
  try {
    raw = await SIGNERS[t.signer].signTransaction({ type: t.type, ...base, ...fees });
  } catch {
    return '0x';
  }
  if (t.mangle === undefined) return raw;
  const bytes = Buffer.from(raw.slice(2), 'hex');
  const at = t.mangle.at % bytes.length;
  switch (t.mangle.kind) {
    case 'flip':
      bytes[at] ^= 1 << t.mangle.byte % 8;
      return toHex(bytes);
    case 'truncate':
      return toHex(bytes.subarray(0, at));
    case 'append':
      return toHex(Buffer.concat([bytes, Buffer.from([t.mangle.byte])]));
    case 'system':
      bytes[0] = t.mangle.byte % 2 === 0 ? 0xff : 0xfe;
      return toHex(bytes);
    default:
      bytes[0] = t.mangle.byte;
      return toHex(bytes);
  }
}

/**
 * `type ‖ abi.encode(transaction)` without the tuple's leading offset word (the layout of
 * core/src/tx/abi.rs), encoded by viem; it mints `value + gasLimit × maxFee`.
 */
function systemEnvelope(t) {
  const uint = { type: 'uint256' };
  const components = [uint, uint, uint, uint, uint, uint, uint, uint, uint, uint, { type: 'uint256[4]' }, { type: 'bytes' }, { type: 'bytes' }, { type: 'uint256[]' }, { type: 'bytes' }, { type: 'bytes' }];
  const mint = t.value + t.gasLimit * t.maxFee;
  const struct = [BigInt(t.type), BigInt(t.from), BigInt(t.to), t.gasLimit, 800n, t.maxFee, 0n, 0n, t.nonce, t.value, [mint, BigInt(t.from), 0n, 0n], t.data, '0x', [], '0x', '0x'];
  return `0x${t.type.toString(16)}${encodeAbiParameters([{ type: 'tuple', components }], [struct]).slice(2 + 64)}`;
}

/** Replaces the placeholders of generated arguments (`$sign`, `$system`, `$hash`, `$blockHash`) with values of this run. */
async function resolve(value, ctx) {
  if (Array.isArray(value)) return value === HUGE_SPARSE_ARRAY ? value : Promise.all(value.map((v) => resolve(v, ctx)));
  if (value === null || typeof value !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(value))) return value;
  if ('$sign' in value) return sign(value.$sign, ctx.engine);
  if ('$system' in value) return systemEnvelope(value.$system);
  if ('$hash' in value) return ctx.hashes.length === 0 ? '0x' + '00'.repeat(32) : ctx.hashes[value.$hash % ctx.hashes.length];
  if ('$blockHash' in value) return ctx.engine.getBlock(BigInt(value.$blockHash) % (ctx.engine.blockNumber() + 1n))?.hash ?? 'latest';
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = await resolve(v, ctx);
  return out;
}

function checkEngineError(err, what) {
  if (!(err instanceof ZkosError)) assert.fail(`${what}: threw ${err?.constructor?.name ?? typeof err} instead of a ZkosError: ${err?.message ?? err}`);
  if (DEFECT_CODES.includes(err.code)) assert.fail(`${what}: ${err.code}: ${err.message}${err.cause ? ` (cause: ${err.cause.stack ?? err.cause})` : ''}`);
}

function checkProviderError(err, what) {
  if (!(err instanceof ProviderRpcError) || typeof err.code !== 'number') assert.fail(`${what}: rejected with ${err?.constructor?.name ?? typeof err} instead of a ProviderRpcError: ${err?.message ?? err}`);
  if (err.code === -32603 || DEFECT_CODES.includes(err.zkosCode)) assert.fail(`${what}: ${err.code} ${err.zkosCode}: ${err.message}${err.cause ? ` (cause: ${err.cause.stack ?? err.cause})` : ''}`);
}

const stats = { runs: 0, calls: 0, errors: 0, byName: new Map() };

/** Counts a call's outcome under its name (`ok` or the error code). */
function count(name, outcome) {
  const key = `${name}:${outcome}`;
  stats.byName.set(key, (stats.byName.get(key) ?? 0) + 1);
}

/** Runs one generated call; returns whether it may have changed the state. */
async function runCall(c, ctx) {
  const { engine } = ctx;
  if (c.kind === 'provider') {
    const params = await resolve(c.params, ctx);
    const what = `provider.request(${describeValue({ method: c.method, params })})`;
    try {
      await ctx.provider.request({ method: c.method, params });
      count(`rpc.${PROVIDER_METHODS.includes(c.method) ? c.method : '(other)'}`, 'ok');
      return c.method === 'eth_sendRawTransaction';
    } catch (err) {
      stats.errors++;
      checkProviderError(err, what);
      count(`rpc.${PROVIDER_METHODS.includes(c.method) ? c.method : '(other)'}`, err.code);
      return false;
    }
  }
  if (c.kind === 'commit') {
    const session = ctx.sessions[c.index % Math.max(ctx.sessions.length, 1)];
    if (session === undefined) return false;
    const target = c.foreign ? ctx.foreign : engine;
    const foreignBefore = fingerprint(ctx.foreign);
    try {
      target.commitSession(session);
      assert.ok(!c.foreign, 'a foreign engine committed the session');
      return true;
    } catch (err) {
      stats.errors++;
      checkEngineError(err, `commitSession(${c.foreign ? 'foreign' : 'own'})`);
      if (c.foreign) assert.equal(err.code === 'SESSION_MISMATCH' || err.code === 'INVALID_ARGUMENT' || err.code === 'ENGINE_FREED', true, `foreign commit: ${err.code}`);
      return false;
    } finally {
      assert.equal(fingerprint(ctx.foreign), foreignBefore, 'a refused commit changed the foreign engine');
    }
  }
  const target = c.kind === 'session' ? ctx.sessions[c.index % Math.max(ctx.sessions.length, 1)] : engine;
  if (target === undefined) return false;
  const args = await resolve(c.args, ctx);
  const what = `${c.kind}.${c.name}(${args.map(describeValue).join(', ')})`;
  try {
    const result = c.getter ? target[c.name] : target[c.name](...args);
    if (c.name === 'session' || c.name === 'blockSession') ctx.sessions.push(result);
    if (c.name === 'sendRawTransaction') ctx.hashes.push(result);
    if (c.name === 'runBlock') for (const t of result.transactions) if (t.hash) ctx.hashes.push(t.hash);
    count(`${c.kind}.${c.name}`, c.name === 'runBlock' ? `ok(${result.transactions.filter((t) => t.status !== 'invalid').length} included)` : 'ok');
    return c.mutates === true;
  } catch (err) {
    stats.errors++;
    checkEngineError(err, what);
    count(`${c.kind}.${c.name}`, err.code);
    return false;
  }
}

test(`fuzz: every engine, session and provider method (seed ${SEED})`, { timeout: TIME_LIMIT_MS * 4 + 60_000 }, async () => {
  console.log(`fuzz: seed ${SEED} (replay with ZKOS_FUZZ_SEED=${SEED}), ${TIME_LIMIT_MS} ms`);
  const foreign = createEngineSync({ chainId: 270 });
  const started = performance.now();
  const property = fc.asyncProperty(engineOptions, fc.array(call, { minLength: 1, maxLength: 12 }), async (options, calls) => {
    stats.runs++;
    let engine;
    try {
      engine = createEngineSync({ ...options, maxMemoryBytes: options?.maxMemoryBytes ?? ENGINE_MEMORY_BYTES });
    } catch (err) {
      checkEngineError(err, `createEngineSync(${describeValue(options)})`);
      engine = createEngineSync({ maxMemoryBytes: ENGINE_MEMORY_BYTES });
    }
    try {
      for (const s of SIGNERS) engine.setAccount(s.address, { balance: 10n ** 24n });
      engine.setAccount(TOKEN, { code: ERC20_RUNTIME, storage: { [WATCHED_SLOTS[0][1]]: 1000n, '0x1': 1000n } });
      engine.setAccount(REVERTER, { code: REVERTER_CODE });
      const ctx = { engine, provider: createProvider(engine), foreign, sessions: [], hashes: [] };
      let before = fingerprint(engine);
      for (const c of calls) {
        stats.calls++;
        const mayChange = await runCall(c, ctx);
        const after = fingerprint(engine);
        if (!mayChange) assert.equal(after, before, `state changed by ${describeValue(c)} (which failed or only reads)`);
        before = after;
      }
    } finally {
      engine.free();
    }
  });
  const params = { seed: SEED, numRuns: 1_000_000, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, includeErrorInReport: true };
  if (PATH !== undefined) params.path = PATH;
  await fc.assert(property, params);
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${stats.runs} runs, ${stats.calls} calls (${stats.errors} refused) in ${seconds.toFixed(1)} s: ${(stats.calls / seconds).toFixed(0)} calls/s, ${(stats.runs / seconds).toFixed(1)} runs/s`);
  const outcomes = [...stats.byName].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`);
  console.log(`fuzz outcomes: ${outcomes.join(' ')}`);
  assert.ok(stats.calls > 0);
});
