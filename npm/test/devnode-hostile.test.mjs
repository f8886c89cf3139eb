// Hostile and careless input to `zkos node` over HTTP: time and mining requests that no block
// could follow, hashes of the wrong length, and the refusals clients classify by geth's wording
// (viem's and ethers' nonce, funds and fee errors), custom errors and panics decoded by both.
// Each case failed before its fix: the chain stopped mining for good, a short hash was padded
// and answered, or the client saw an unclassified error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, defineChain, encodeErrorResult, http, parseAbi, ContractFunctionRevertedError, InsufficientFundsError, NonceTooLowError, FeeCapTooLowError, IntrinsicGasTooLowError } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { JsonRpcProvider, Contract, Wallet, isCallException, isError } from 'ethers';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, post, rpc } from './devnode/spawn.mjs';
import { KEY_A, KEY_B, ROOT } from './helpers.mjs';

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U256_HEX = '0x' + 'f'.repeat(64);
const OTHER = '0x00000000000000000000000000000000000b0b00';
/** Reverts with the bytes argument of `raise(bytes)`: PUSH1 0x24 CALLDATALOAD (length) DUP1 PUSH1 0x44 PUSH0 CALLDATACOPY PUSH0 REVERT. */
const RAISER_CODE = '0x602435806044' + '5f375ffd';
const RAISER = '0x00000000000000000000000000000000000ec400';
const RAISER_ABI = parseAbi(['function raise(bytes data)', 'error Insufficient(uint256 have, uint256 want)']);
const ERRORS_ABI = parseAbi(['error Insufficient(uint256 have, uint256 want)', 'error Panic(uint256)']);

let node;
let chain;
let pub;
const a = privateKeyToAccount(KEY_A);
const b = privateKeyToAccount(KEY_B);

before(async () => {
  node = await startNode();
  const id = Number((await rpc(node.url, 'eth_chainId')).result);
  chain = defineChain({ id, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  pub = createPublicClient({ chain, transport: http(node.url, { retryCount: 0 }), pollingInterval: 20, cacheTime: 0 });
  for (const x of [a, b]) await rpc(node.url, 'anvil_setBalance', [x.address, '0x' + (10n ** 20n).toString(16)]);
  await rpc(node.url, 'anvil_setCode', [RAISER, RAISER_CODE]);
});

after(async () => {
  await node?.stop();
});

async function call(method, params) {
  return rpc(node.url, method, params);
}

async function head() {
  return (await call('eth_getBlockByNumber', ['latest', false])).result;
}

/** Asserts a JSON-RPC error with `code`, then that a block can still be mined on top of the head. */
async function refusedAndStillMining(reply, code) {
  assert.equal(reply.error?.code, code, JSON.stringify(reply));
  const before = BigInt((await head()).number);
  assert.equal((await call('evm_mine', [])).error, undefined);
  assert.equal(BigInt((await head()).number), before + 1n, 'the chain still mines');
}

test('time and mining requests no block could follow are refused, and the chain goes on', async () => {
  // Before: accepted (null), then every block failed with "block.timestamp: above 2^64-1".
  await refusedAndStillMining(await call('evm_setNextBlockTimestamp', [MAX_U256_HEX]), -32602);
  await refusedAndStillMining(await call('evm_setNextBlockTimestamp', ['0x10000000000000000']), -32602);
  await refusedAndStillMining(await call('evm_mine', [{ timestamp: MAX_U256_HEX }]), -32602);
  // Before: accepted, then every block failed with "block.timestamp: above 2^256-1".
  await refusedAndStillMining(await call('evm_increaseTime', [MAX_U256_HEX]), -32602);
  await refusedAndStillMining(await call('anvil_increaseTime', ['0x' + MAX_U64.toString(16)]), -32602);
  // 17 blocks 2^60 s apart pass 2^64-1 at the 17th: before, 16 were mined and then the request failed.
  const number = BigInt((await head()).number);
  const overflow = await call('anvil_mine', ['0x11', '0x1000000000000000']);
  assert.equal(overflow.error?.code, -32000, JSON.stringify(overflow));
  assert.equal(BigInt((await head()).number), number, 'nothing was mined');
  await refusedAndStillMining(overflow, -32000);
  // The edge itself is a valid next timestamp.
  const id = (await call('evm_snapshot', [])).result;
  assert.equal((await call('evm_setNextBlockTimestamp', ['0x' + MAX_U64.toString(16)])).result, null);
  assert.equal((await call('evm_mine', [])).result, '0x0');
  assert.equal(BigInt((await head()).timestamp), MAX_U64);
  assert.equal((await call('evm_revert', [id])).result, true);
});

test('Ethereum flow: evm_setNextBlockTimestamp at the head is refused (its header rule), above it mines', async () => {
  const eth = await startNode(['--flow', 'ethereum']);
  try {
    const send = (method, params) => rpc(eth.url, method, params);
    await send('evm_mine', []);
    const top = (await send('eth_getBlockByNumber', ['latest', false])).result;
    // Before: accepted, then every block failed with "block.timestamp: must rise above the head's".
    const same = await send('evm_setNextBlockTimestamp', [top.timestamp]);
    assert.equal(same.error?.code, -32602, JSON.stringify(same));
    const [from] = (await send('eth_accounts', [])).result;
    assert.match((await send('eth_sendTransaction', [{ from, to: OTHER, value: '0x1' }])).result, /^0x[0-9a-f]{64}$/);
    const next = BigInt((await send('eth_getBlockByNumber', ['latest', false])).result.timestamp) + 1n;
    assert.equal((await send('evm_setNextBlockTimestamp', ['0x' + next.toString(16)])).result, null);
    assert.equal((await send('evm_mine', [])).result, '0x0');
    assert.equal(BigInt((await send('eth_getBlockByNumber', ['latest', false])).result.timestamp), next);
  } finally {
    await eth.stop();
  }
});

test('hashes must have 32 bytes (geth: -32602), not be padded and looked up', async () => {
  const short = '0x12';
  const long = '0x' + '11'.repeat(33);
  const cases = [
    ['eth_getTransactionReceipt', (h) => [h]],
    ['eth_getTransactionByHash', (h) => [h]],
    ['eth_getBlockByHash', (h) => [h, false]],
    ['debug_traceTransaction', (h) => [h]],
    ['anvil_dropTransaction', (h) => [h]],
    ['eth_getBalance', (h) => [OTHER, { blockHash: h }]],
    ['eth_getLogs', (h) => [{ blockHash: h }]],
    ['eth_getLogs', (h) => [{ topics: [h] }]],
    ['eth_newFilter', (h) => [{ topics: [null, [h]] }]],
    ['eth_getBlockTransactionCountByHash', (h) => [h]],
    ['eth_getTransactionByBlockHashAndIndex', (h) => [h, '0x0']],
    ['eth_getUncleCountByBlockHash', (h) => [h]],
    ['eth_getUncleByBlockHashAndIndex', (h) => [h, '0x0']],
    ['eth_getBlockReceipts', (h) => [{ blockHash: h }]],
    ['debug_traceBlockByHash', (h) => [h]],
  ];
  for (const [method, params] of cases) {
    for (const h of [short, long, '0x' + '1'.repeat(63), 12]) {
      const reply = await call(method, params(h));
      assert.equal(reply.error?.code, -32602, `${method} ${h}: ${JSON.stringify(reply)}`);
    }
    // A well-formed unknown hash is still an answer (null, [] or geth's not-found error).
    const reply = await call(method, params('0x' + 'ab'.repeat(32)));
    assert.notEqual(reply.error?.code, -32602, `${method}: ${JSON.stringify(reply)}`);
  }
});

test("viem classifies the node's refusals by geth's wording: nonce too low, funds, fee cap, intrinsic gas", async () => {
  const wallet = createWalletClient({ chain, transport: http(node.url, { retryCount: 0 }), account: b });
  const nonce = await pub.getTransactionCount({ address: b.address });
  await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: OTHER, value: 1n, nonce }) });
  const fees = { maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n };
  const cases = [
    [{ to: OTHER, value: 1n, nonce, gas: 21_000n, ...fees }, NonceTooLowError],
    [{ to: OTHER, value: 10n ** 30n, nonce: nonce + 1, gas: 21_000n, ...fees }, InsufficientFundsError],
    [{ to: OTHER, value: 1n, nonce: nonce + 1, gas: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 0n }, FeeCapTooLowError],
    [{ to: OTHER, value: 1n, nonce: nonce + 1, gas: 20_000n, ...fees }, IntrinsicGasTooLowError],
  ];
  for (const [tx, kind] of cases) {
    await assert.rejects(wallet.sendTransaction(tx), (err) => {
      assert.ok(err.walk((e) => e instanceof kind), `${kind.name}: ${err.shortMessage} ${err.details}`);
      return true;
    });
  }
  // Estimation refuses what the sender cannot pay in the same words.
  await assert.rejects(pub.estimateGas({ account: b.address, to: OTHER, value: 10n ** 30n }), (err) => err.walk((e) => e instanceof InsufficientFundsError) !== null);
});

test("ethers v6 classifies them too: NONCE_EXPIRED and INSUFFICIENT_FUNDS", async () => {
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
  const wallet = new Wallet(KEY_A, provider);
  await (await wallet.sendTransaction({ to: OTHER, value: 1n })).wait();
  await assert.rejects(wallet.sendTransaction({ to: OTHER, value: 1n, nonce: 0, gasLimit: 21_000n }), (err) => isError(err, 'NONCE_EXPIRED') || assert.fail(`${err.code}: ${err.shortMessage}`));
  await assert.rejects(wallet.sendTransaction({ to: OTHER, value: 10n ** 30n }), (err) => isError(err, 'INSUFFICIENT_FUNDS') || assert.fail(`${err.code}: ${err.shortMessage}`));
  provider.destroy();
});

test('custom errors and panics reach viem and ethers decoded, from eth_call and eth_estimateGas', async () => {
  const insufficient = encodeErrorResult({ abi: ERRORS_ABI, errorName: 'Insufficient', args: [1n, 2n] });
  const panic = encodeErrorResult({ abi: ERRORS_ABI, errorName: 'Panic', args: [0x11n] });
  for (const action of ['readContract', 'estimateContractGas', 'simulateContract']) {
    for (const [data, name, args] of [[insufficient, 'Insufficient', [1n, 2n]], [panic, 'Panic', [0x11n]]]) {
      await assert.rejects(pub[action]({ address: RAISER, abi: RAISER_ABI, functionName: 'raise', args: [data], account: a.address }), (err) => {
        const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
        assert.ok(revert, `${action}: ${err.shortMessage}`);
        assert.equal(revert.data?.errorName, name);
        assert.deepEqual(revert.data?.args, args);
        return true;
      });
    }
  }
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const raiser = new Contract(RAISER, ['function raise(bytes data)', 'error Insufficient(uint256 have, uint256 want)'], provider);
  await assert.rejects(raiser.raise.staticCall(insufficient), (err) => {
    assert.ok(isCallException(err));
    assert.equal(err.revert?.name, 'Insufficient');
    assert.deepEqual([...err.revert.args], [1n, 2n]);
    return true;
  });
  // ethers' estimateGas does not decode with the contract's ABI; the revert data is there.
  await assert.rejects(raiser.raise.estimateGas(panic, { from: a.address }), (err) => {
    assert.ok(isCallException(err));
    assert.equal(err.data, panic);
    assert.equal(err.revert?.name, 'Panic');
    return true;
  });
  provider.destroy();
});

test('automine: a nonce ahead of the sender\'s waits queued and is mined once the nonces before it arrive (sent out of order, as parallel clients do)', async () => {
  const key = '0x' + '5e'.repeat(32);
  const sender = privateKeyToAccount(key);
  await call('anvil_setBalance', [sender.address, '0x' + (10n ** 20n).toString(16)]);
  const sign = (nonce, value = 1n) => sender.signTransaction({ type: 'eip1559', chainId: chain.id, nonce, to: OTHER, value, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  const raw = await Promise.all([0, 1, 2, 3].map((n) => sign(n)));
  // Before: nonces 3, 2 and 1 sent first were refused with "nonce N is above the sender's nonce 0".
  const hashes = [];
  for (const n of [3, 1, 2]) {
    const reply = await call('eth_sendRawTransaction', [raw[n]]);
    assert.match(reply.result ?? '', /^0x[0-9a-f]{64}$/, JSON.stringify(reply));
    hashes[n] = reply.result;
  }
  assert.deepEqual((await call('txpool_status', [])).result, { pending: '0x0', queued: '0x3' });
  assert.equal((await call('eth_getTransactionByHash', [hashes[3]])).result.blockNumber, null);
  assert.equal((await call('eth_getTransactionReceipt', [hashes[3]])).result, null);
  assert.equal((await call('eth_getTransactionCount', [sender.address, 'latest'])).result, '0x0');
  hashes[0] = (await call('eth_sendRawTransaction', [raw[0]])).result;
  // Nonce 0 mined, then 1, 2 and 3 from the queue, each in a block of its own.
  assert.deepEqual((await call('txpool_status', [])).result, { pending: '0x0', queued: '0x0' });
  assert.equal((await call('eth_getTransactionCount', [sender.address, 'latest'])).result, '0x4');
  const blocks = [];
  for (const h of hashes) {
    const receipt = await pub.waitForTransactionReceipt({ hash: h });
    assert.equal(receipt.status, 'success');
    blocks.push(receipt.blockNumber);
  }
  assert.deepEqual(blocks, [blocks[0], blocks[0] + 1n, blocks[0] + 2n, blocks[0] + 3n]);

  // viem's wallet with parallel sends and explicit nonces: all mined whatever order they arrive in.
  const wallet = createWalletClient({ chain, transport: http(node.url, { retryCount: 0 }), account: sender });
  const parallel = await Promise.all([4, 5, 6, 7, 8].map((nonce) => wallet.sendTransaction({ to: OTHER, value: 1n, nonce, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n })));
  for (const h of parallel) assert.equal((await pub.waitForTransactionReceipt({ hash: h })).status, 'success');

  // A queued transaction can be dropped; one whose nonce gets used meanwhile leaves the queue;
  // one that cannot pay when its turn comes (after the one before it spent half the balance) is
  // dropped then; one that cannot pay now is refused at once, as geth's pool refuses it.
  const far = (await call('eth_sendRawTransaction', [await sign(20)])).result;
  assert.equal((await call('anvil_dropTransaction', [far])).result, null);
  const balance = BigInt((await call('eth_getBalance', [sender.address, 'latest'])).result);
  const unpaid = await call('eth_sendRawTransaction', [await sign(11, 10n ** 30n)]);
  assert.equal(unpaid.error?.code, -32000);
  assert.match(unpaid.error.message, /^insufficient funds for gas \* price \+ value/);
  const stale = (await call('eth_sendRawTransaction', [await sign(10, balance / 2n)])).result;
  const broke = (await call('eth_sendRawTransaction', [await sign(11, balance / 2n + 1n)])).result;
  assert.deepEqual((await call('txpool_status', [])).result, { pending: '0x0', queued: '0x2' });
  await call('eth_sendRawTransaction', [await sign(9)]);
  assert.deepEqual((await call('txpool_status', [])).result, { pending: '0x0', queued: '0x0' });
  assert.equal((await call('eth_getTransactionReceipt', [stale])).result.status, '0x1');
  assert.equal((await call('eth_getTransactionReceipt', [broke])).result, null);
  assert.equal((await call('eth_getTransactionCount', [sender.address, 'latest'])).result, '0xb');
  // Too low is still refused at once.
  assert.equal((await call('eth_sendRawTransaction', [await sign(0)])).error?.code, -32000);
});

test('zkos node: an unknown option is named; a --state file that cannot be written fails at start, or at exit with a message', async () => {
  const cli = join(ROOT, 'dist/esm/cli.js');
  const unknown = spawnSync(process.execPath, [cli, 'node', '--unknown'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --unknown/, 'before: "--unknown needs a value"');
  const dir = mkdtempSync(join(tmpdir(), 'zkos-state-'));
  try {
    // Before: the node started, and lost the state at exit with an uncaught ENOENT.
    const missing = spawnSync(process.execPath, [cli, 'node', '--port', '0', '--state', join(dir, 'no', 'such', 'state.json')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /--state: cannot write/);
    // Writable at start, gone at exit: a message and exit code 1, not a stack trace.
    mkdirSync(join(dir, 'sub'));
    const started = await startNode(['--state', join(dir, 'sub', 'state.json')]);
    let stderr = '';
    started.child.stderr.on('data', (d) => (stderr += d));
    rmSync(join(dir, 'sub'), { recursive: true });
    assert.deepEqual(await started.stop(), { code: 1, signal: null }, stderr);
    assert.match(stderr, /cannot write the state to/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('evm_snapshot: at most 1,000 kept (each keeps the changes after it; before, each copied the engine and unbounded they filled the wasm memory and trapped it)', async () => {
  const batch = (n) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'evm_snapshot' })));
  const first = await call('evm_snapshot', []);
  const taken = (await post(node.url, batch(999))).body;
  assert.ok(taken.every((r) => /^0x[0-9a-f]+$/.test(r.result)), JSON.stringify(taken.find((r) => r.error)));
  const refused = await call('evm_snapshot', []);
  assert.equal(refused.error?.code, -32602, JSON.stringify(refused));
  // Reverting to the first frees it and every later one.
  assert.equal((await call('evm_revert', [first.result])).result, true);
  assert.equal((await call('evm_revert', [taken[998].result])).result, false);
  assert.match((await call('evm_snapshot', [])).result, /^0x[0-9a-f]+$/);
  assert.equal((await call('evm_mine', [])).result, '0x0');
});

test('a batch whose replies outgrow 128 MiB: the rest are -32003 "response too large" (before: the server process died)', async () => {
  const big = '0x00000000000000000000000000000000000b1600';
  assert.equal((await call('anvil_setCode', [big, '0x' + '5b'.repeat(7 * 1024 * 1024)])).error, undefined);
  const batch = Array.from({ length: 40 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_getCode', params: [big, 'latest'] }));
  batch.splice(20, 0, { jsonrpc: '2.0', method: 'eth_chainId' }); // a notification: no reply either way
  const started = Date.now();
  const { status, body } = await post(node.url, JSON.stringify(batch));
  assert.equal(status, 200);
  assert.equal(body.length, 40);
  assert.deepEqual(body.map((r) => r.id), [...Array(40).keys()]);
  const answered = body.findIndex((r) => r.error !== undefined);
  // 7 MiB of code is 14.7 M characters of hex: the tenth reply passes 128 Mi characters.
  assert.equal(answered, 10, `after ${Date.now() - started} ms`);
  assert.ok(body.slice(0, answered).every((r) => r.result.length === 2 + 2 * 7 * 1024 * 1024));
  assert.ok(body.slice(answered).every((r) => r.error.code === -32003 && r.error.message === 'response too large'));
  assert.equal((await call('anvil_setCode', [big, '0x'])).error, undefined);
  assert.equal((await call('eth_chainId', [])).result, `0x${chain.id.toString(16)}`);
});

test('the pool and the queue hold at most 256 Mi characters of hex (before: only a count, so ~90 transactions of 7 MiB calldata exhausted the heap)', async () => {
  const { TxPool, MAX_POOL_CHARS } = await import('../dist/esm/devnode/pool.js');
  const pool = new TxPool();
  const input = '0x' + '00'.repeat(16 * 1024 * 1024); // one string, shared: the pool counts, the test holds 32 MiB
  const info = (nonce, fee = 1n) => ({ hash: '0x' + nonce.toString(16).padStart(64, '0') + (fee > 1n ? 'f' : ''), from: OTHER, nonce: BigInt(nonce), gas: 1n, maxFeePerGas: fee, maxPriorityFeePerGas: 0n, type: 2n, to: OTHER, value: 0n, input });
  const perEntry = 2 * input.length;
  const fits = Math.floor(MAX_POOL_CHARS / perEntry);
  for (let n = 0; n < fits; n++) pool.add({ from: OTHER, data: input }, info(n));
  assert.throws(() => pool.add({ from: OTHER, data: input }, info(fits)), (e) => e.code === 'INVALID_TRANSACTION' && /pool is full/.test(e.message));
  assert.equal(pool.size, fits);
  // A replacement frees what it replaces; dropping frees room for another.
  pool.add({ from: OTHER, data: input }, info(0, 2n));
  assert.equal(pool.size, fits);
  assert.equal(pool.drop(info(1).hash), true);
  pool.add({ from: OTHER, data: input }, info(fits));
  assert.throws(() => pool.add({ from: OTHER, data: input }, info(fits + 1)), (e) => /pool is full/.test(e.message));
  pool.clear();
  pool.add({ from: OTHER, data: input }, info(fits + 1));
  assert.equal(pool.size, 1);
});

/** Gzip of `mib` MiB of spaces, made a MiB at a time (about 1 KiB of output per MiB). */
async function gzippedSpaces(mib) {
  const gz = createGzip({ level: 9 });
  const parts = [];
  gz.on('data', (d) => parts.push(d));
  const chunk = Buffer.alloc(1 << 20, 0x20);
  for (let i = 0; i < mib; i++) if (!gz.write(chunk)) await once(gz, 'drain');
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(parts);
}

test('anvil_loadState: a damaged gzip stream or one inflating past a string\'s length is -32602, nothing loaded (before: -32603 with zlib\'s or V8\'s message)', async () => {
  const fingerprint = async () => JSON.stringify([(await head()).hash, (await call('eth_getBalance', [OTHER, 'latest'])).result]);
  const before = await fingerprint();
  const dump = Buffer.from((await call('anvil_dumpState', [])).result.slice(2), 'hex');
  const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');
  const damaged = [dump.subarray(0, 12), Buffer.concat([dump.subarray(0, 3), Buffer.from([0x77]), dump.subarray(4)]), gzipSync(Buffer.from('{}')).fill(0, 10, 14)];
  for (const bytes of damaged) {
    const reply = await call('anvil_loadState', [hex(bytes)]);
    assert.equal(reply.error?.code, -32602, JSON.stringify(reply));
    assert.match(reply.error.message, /^state: not valid gzip/);
  }
  // 600 MiB of spaces inflate past V8's longest string (2^29 - 24 characters); 1,100 MiB past a Buffer's 1 GiB.
  for (const mib of [600, 1100]) {
    const reply = await call('anvil_loadState', [hex(await gzippedSpaces(mib))]);
    assert.equal(reply.error?.code, -32602, `${mib} MiB: ${JSON.stringify(reply)}`);
    assert.equal(reply.error.message, 'state: inflates past 536870888 bytes');
  }
  assert.equal(await fingerprint(), before);
  assert.equal((await call('anvil_loadState', [hex(dump)])).result, true);
  assert.equal(await fingerprint(), before);
});

// The load is undone by returning the state to a checkpoint. Before, the undo searched the
// list of keys put back so far for every key (core's Versions::undo_after): this refusal, after
// 40,000 slots over 400 accounts, answered after 9.1 s (a load of the same accounts 1.1 s), and
// 100,000 slots would have held the node about a minute; core's versions tests count the
// comparisons. Here: nothing of the refused load stays.
test('anvil_loadState refused at its last account after 40,000 slots over 400 accounts: nothing loaded', async () => {
  const fingerprint = async () => JSON.stringify([(await head()).hash, (await call('eth_getBalance', [OTHER, 'latest'])).result]);
  const before = await fingerprint();
  const address = (i) => '0x' + (0xa0000 + i).toString(16).padStart(40, '0');
  const slot = (j) => '0x' + j.toString(16).padStart(64, '0');
  const accounts = {};
  for (let i = 0; i < 400; i++) accounts[address(i)] = { balance: '0x1', nonce: '0x1', code: '0x', storage: Object.fromEntries(Array.from({ length: 100 }, (_, j) => [slot(j), '0x1'])) };
  accounts['0x' + 'fe'.repeat(20)] = { balance: '0xzz' };
  const reply = await call('anvil_loadState', [{ version: 1, block: { number: '0x0', timestamp: '0x0' }, accounts }]);
  assert.equal(reply.error?.code, -32602, JSON.stringify(reply));
  assert.match(reply.error.message, /balance/);
  assert.equal(await fingerprint(), before);
  for (const i of [0, 399]) {
    assert.equal((await call('eth_getBalance', [address(i), 'latest'])).result, '0x0');
    assert.equal((await call('eth_getStorageAt', [address(i), slot(99), 'latest'])).result, slot(0));
  }
});

test("ethers' blockTag as a block hash (a 66-character string, as geth's BlockNumberOrHash reads it) answers for that block (before: -32602 \"hex number > 64 bits\", ethers' 'could not coalesce error')", async () => {
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
  try {
    const id = (await call('evm_snapshot', [])).result;
    await call('anvil_setBalance', [OTHER, '0x5']);
    assert.equal((await call('evm_mine', [])).result, '0x0');
    const then = await provider.getBlock('latest');
    // Edits after a block belong to its state (the state the next block runs on): mine first.
    assert.equal((await call('evm_mine', [])).result, '0x0');
    await call('anvil_setBalance', [OTHER, '0x7']);
    await call('anvil_setStorageAt', [OTHER, '0x1', '0x' + '00'.repeat(31) + '09']);
    assert.equal((await call('evm_mine', [])).result, '0x0');
    assert.equal(await provider.getBalance(OTHER, then.hash), 5n);
    assert.equal(await provider.getBalance(OTHER), 7n);
    assert.equal(await provider.getStorage(OTHER, 1, then.hash), '0x' + '00'.repeat(32));
    assert.equal(await provider.getTransactionCount(OTHER, then.hash), 0);
    assert.equal(await provider.call({ to: OTHER, data: '0x', blockTag: then.hash }), '0x');
    const unknown = await call('eth_getBalance', [OTHER, '0x' + '11'.repeat(32)]);
    assert.equal(unknown.error?.code, -32000, JSON.stringify(unknown));
    assert.equal((await call('eth_getBalance', [OTHER, '0x' + 'zz'.repeat(32)])).error?.code, -32602);
    assert.equal((await call('evm_revert', [id])).result, true);
  } finally {
    provider.destroy();
  }
});

// Before: 1,000,000 nested arrays (a 2 MB body) held the node 4.8 s while it parsed and copied
// them level by level, before the answer that the params were not a transaction.
test('a body nesting arrays or objects more than 10,000 deep is a parse error (-32700); 10,000 is read', async () => {
  const node = await startNode();
  try {
    const deep = (n) => '['.repeat(n) + ']'.repeat(n);
    const objects = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    for (const params of [deep(1_000_000), `[${objects(500_000)}]`, `["0x${'11'.repeat(20)}", ${deep(10_001)}]`]) {
      const reply = (await post(node.url, `{"jsonrpc":"2.0","id":1,"method":"eth_call","params":${params}}`)).body;
      assert.equal(reply.error?.code, -32700, JSON.stringify(reply).slice(0, 200));
      assert.match(reply.error.message, /more than 10000 deep/);
    }
    // At the bound the request is read (and refused for what it is); brackets in strings do not count.
    const at = (await post(node.url, `{"jsonrpc":"2.0","id":1,"method":"eth_call","params":${deep(9_999)}}`)).body;
    assert.equal(at.error?.code, -32602, JSON.stringify(at).slice(0, 200));
    const inString = (await post(node.url, `{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":["0x00"],"x":"${'['.repeat(20_000)}"}`)).body;
    assert.equal(inString.result, '0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a');
  } finally {
    await node.stop();
  }
});

test('the nesting bound skips brackets inside strings, escaped quotes included', async () => {
  const { nestsDeeperThan } = await import('../dist/esm/json.js');
  for (const [text, max, deeper] of [['["\\\\"]', 1, false], ['["\\"[[["]', 1, false], ['[["]"]]', 1, true], ['["\\\\\\\\",[]]', 1, true], ['{"a":"}}}","b":[[]]}', 2, true], ['{"a":"}}}","b":[[]]}', 3, false], ['"no end [[[', 0, false]]) {
    assert.equal(nestsDeeperThan(text, max), deeper, `${text} ${max}`);
    // Where JSON.parse reads it, its own depth agrees.
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const depth = (v) => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
    assert.equal(depth(parsed) > max, deeper, text);
  }
});
