// The forked chain's past on a fork: blocks up to the fork block, their transactions, receipts
// and logs answer as the forked node answers them (anvil's own answers, compared field for
// field); the fork's own blocks after it stay its own, and what the node mined after the fork
// block is not this chain's. Before, a fork answered null and [] for all of the past.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyToAccount } from 'viem/accounts';
import { createEngine, createProvider } from '../dist/esm/node.js';
import { startNode as startAnvil } from './fork/node.mjs';
import { startNode as startZkos, rpc } from './devnode/spawn.mjs';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const account = privateKeyToAccount(KEY);
/** Runtime: LOG1 of its calldata's first word as topic, no data. Init code returns it. */
const RUNTIME = '0x5f3560005fa100';
const INIT = '0x67' + RUNTIME.slice(2).padEnd(16, '0') + '5f52600760' + '18f3';
const hex = (n) => '0x' + n.toString(16);
const topic = (n) => '0x' + n.toString(16).padStart(64, '0');
/** An account of the forked chain whose key no one here holds. */
const WHALE = '0x00000000000000000000000000000000000f1511';
let anvil;
let zkos;
let pin;
let txs;
let logger;
let nonce = 0;

async function send(url, fields) {
  const block = (await rpc(url, 'eth_getBlockByNumber', ['latest', false])).result;
  const raw = await account.signTransaction({ chainId: 31337, type: 'eip1559', gas: 200_000n, maxFeePerGas: BigInt(block.baseFeePerGas) * 2n + 1n, maxPriorityFeePerGas: 1n, nonce: nonce++, ...fields });
  const hash = (await rpc(url, 'eth_sendRawTransaction', [raw])).result;
  assert.ok(hash, 'sent');
  for (let i = 0; i < 100 && (await rpc(url, 'eth_getTransactionReceipt', [hash])).result === null; i++) await new Promise((r) => setTimeout(r, 20));
  return hash;
}

before(async () => {
  anvil = await startAnvil();
  // anvil's edits change its latest block's state as well (its proofs then fail the block's
  // root): made at genesis, which no test reads by proof (nor can: anvil's genesis header names
  // the empty trie), then block 1 holds it; the transactions go in from block 2.
  await anvil.rpc('anvil_setBalance', [WHALE, hex(10n ** 21n)]);
  await anvil.rpc('anvil_mine', ['0x1']);
  const deploy = await send(anvil.url, { data: INIT });
  logger = (await anvil.rpc('eth_getTransactionReceipt', [deploy])).contractAddress;
  txs = [deploy];
  for (let i = 1; i <= 3; i++) txs.push(await send(anvil.url, { to: logger, data: topic(i) }));
  await anvil.rpc('anvil_mine', ['0x1']);
  pin = BigInt(await anvil.rpc('eth_blockNumber'));
  zkos = await startZkos(['--fork', anvil.url]);
});
after(async () => {
  await zkos?.stop();
  await anvil?.stop();
});

const both = async (method, params) => [(await rpc(anvil.url, method, params)).result, await rpc(zkos.url, method, params)];

test('blocks, transactions, receipts and logs up to the fork block are the node\'s', async () => {
  for (let n = 0n; n <= pin; n++) {
    for (const full of [false, true]) {
      const [theirs, ours] = await both('eth_getBlockByNumber', [hex(n), full]);
      assert.deepEqual(ours.result, theirs, `block ${n}`);
    }
    const [theirs, ours] = await both('eth_getBlockByHash', [(await anvil.rpc('eth_getBlockByNumber', [hex(n), false])).hash, true]);
    assert.deepEqual(ours.result, theirs, `block ${n} by hash`);
    const [count, ourCount] = await both('eth_getBlockTransactionCountByNumber', [hex(n)]);
    assert.equal(ourCount.result, count);
    const [receipts, ourReceipts] = await both('eth_getBlockReceipts', [hex(n)]);
    assert.deepEqual(ourReceipts.result, receipts);
  }
  for (const hash of txs) {
    for (const method of ['eth_getTransactionByHash', 'eth_getTransactionReceipt']) {
      const [theirs, ours] = await both(method, [hash]);
      assert.ok(theirs !== null);
      assert.deepEqual(ours.result, theirs, `${method} ${hash}`);
    }
  }
  // Before the fork's first block, `latest` is the fork block, as the node holds it.
  assert.deepEqual((await rpc(zkos.url, 'eth_getBlockByNumber', ['latest', true])).result, await anvil.rpc('eth_getBlockByNumber', [hex(pin), true]));
  const [logs, ourLogs] = await both('eth_getLogs', [{ fromBlock: '0x0', toBlock: hex(pin), address: logger }]);
  assert.equal(logs.length, 3);
  assert.deepEqual(ourLogs.result, logs);
  const [one, ourOne] = await both('eth_getLogs', [{ fromBlock: '0x0', topics: [topic(2)] }]);
  assert.equal(one.length, 1);
  assert.deepEqual(ourOne.result, one);
  const [byHash, ourByHash] = await both('eth_getLogs', [{ blockHash: logs[0].blockHash }]);
  assert.deepEqual(ourByHash.result, byHash);
});

test('after the fork block: the fork\'s own blocks and logs follow the node\'s, and what the node mined since is not this chain\'s', async () => {
  const local = await send(zkos.url, { to: logger, data: topic(7) });
  const receipt = (await rpc(zkos.url, 'eth_getTransactionReceipt', [local])).result;
  assert.equal(BigInt(receipt.blockNumber), pin + 1n);
  // The node mines its own block pin + 1 with another transaction.
  nonce = Number(await anvil.rpc('eth_getTransactionCount', [account.address, 'latest']));
  const theirs = await send(anvil.url, { to: logger, data: topic(8) });
  assert.equal((await rpc(zkos.url, 'eth_getTransactionReceipt', [theirs])).result, null);
  assert.equal((await rpc(zkos.url, 'eth_getTransactionByHash', [theirs])).result, null);
  const nodeBlock = await anvil.rpc('eth_getBlockByNumber', [hex(pin + 1n), false]);
  assert.equal((await rpc(zkos.url, 'eth_getBlockByHash', [nodeBlock.hash, false])).result, null);
  assert.equal((await rpc(zkos.url, 'eth_getBlockByNumber', [hex(pin + 1n), false])).result.hash, receipt.blockHash);
  const all = (await rpc(zkos.url, 'eth_getLogs', [{ fromBlock: '0x0', address: logger }])).result;
  assert.deepEqual(all.map((l) => l.topics[0]), [topic(1), topic(2), topic(3), topic(7)]);
});

test('a provider over a forked engine reads the same past', async () => {
  const engine = await createEngine({ fork: { url: anvil.url }, blockNumber: pin });
  const provider = createProvider(engine);
  for (const hash of txs) assert.deepEqual(await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] }), await anvil.rpc('eth_getTransactionReceipt', [hash]));
  assert.deepEqual(await provider.request({ method: 'eth_getBlockByNumber', params: [hex(pin - 1n), true] }), await anvil.rpc('eth_getBlockByNumber', [hex(pin - 1n), true]));
  engine.free();
});

test('state reads at a block of the forked chain named by its hash (EIP-1898) answer as the node', async () => {
  for (let n = 1n; n < pin; n++) {
    const blockHash = (await anvil.rpc('eth_getBlockByNumber', [hex(n), false])).hash;
    for (const [method, params] of [
      ['eth_getBalance', [account.address, { blockHash }]],
      ['eth_getTransactionCount', [account.address, { blockHash }]],
      ['eth_getCode', [logger, { blockHash }]],
    ]) {
      const [theirs, ours] = await both(method, params);
      assert.equal(ours.result, theirs, `${method} at block ${n}: ${JSON.stringify(ours.error)}`);
    }
  }
  // A hash the node does not know stays unknown (before, every hash of the forked chain was).
  assert.equal((await rpc(zkos.url, 'eth_getBalance', [account.address, { blockHash: '0x' + '42'.repeat(32) }])).error.code, -32000);
});

test('an impersonated account of the forked chain sends as on the node: same status, gas and log', async () => {
  const tx = { from: WHALE, to: logger, data: topic(9), gas: hex(100_000n) };
  const receipts = [];
  for (const url of [anvil.url, zkos.url]) {
    assert.equal((await rpc(url, 'anvil_impersonateAccount', [WHALE])).error, undefined);
    const hash = (await rpc(url, 'eth_sendTransaction', [tx])).result;
    if (url === anvil.url) await anvil.rpc('anvil_mine', ['0x1']);
    receipts.push((await rpc(url, 'eth_getTransactionReceipt', [hash])).result);
  }
  const [theirs, ours] = receipts;
  assert.equal(ours.status, '0x1');
  assert.equal(ours.status, theirs.status);
  assert.equal(ours.gasUsed, theirs.gasUsed);
  assert.deepEqual(ours.logs.map((l) => l.topics), theirs.logs.map((l) => l.topics));
});

/** A callTracer frame without zkos's own fields (ergs, ergsUsed, nativeUsed). */
const ethereumFrame = ({ ergs: _e, ergsUsed: _u, nativeUsed: _n, calls, ...rest }) => (calls === undefined ? rest : { ...rest, calls: calls.map(ethereumFrame) });

test('debug_traceTransaction of a transaction of the forked chain re-runs it as the node does (callTracer, prestateTracer)', async () => {
  for (const hash of txs) {
    const [theirs, ours] = await both('debug_traceTransaction', [hash, { tracer: 'callTracer' }]);
    assert.ok(ours.result, `${hash}: ${JSON.stringify(ours.error)}`);
    // The top frame's gas is the transaction's as geth gives it (eth/tracers/native/call.go sets
    // it to tx.Gas()); anvil gives what is left after the intrinsic gas.
    const { gas } = (await rpc(anvil.url, 'eth_getTransactionByHash', [hash])).result;
    assert.equal(ours.result.gas, gas);
    assert.deepEqual({ ...ethereumFrame(ours.result), gas: theirs.gas }, theirs, hash);
    const [prestate, ourPrestate] = await both('debug_traceTransaction', [hash, { tracer: 'prestateTracer' }]);
    assert.deepEqual(ourPrestate.result, prestate, `prestateTracer ${hash}`);
  }
  // A transaction the node does not know stays unknown.
  assert.equal((await rpc(zkos.url, 'debug_traceTransaction', ['0x' + '42'.repeat(32), {}])).error.code, -32000);
});
