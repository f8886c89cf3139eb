// What wallets and clients read of a fork right after forking, against a forking anvil: the fee
// history over blocks before the fork block (MetaMask and viem's fee estimation), the `safe` and
// `finalized` tags, and log filters (eth_newFilter) reaching before the fork block. The node, an
// anvil with a chain of logging transactions paying tips, is forked at the same block by a second
// anvil and by `zkos node`; their answers are compared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyToAccount } from 'viem/accounts';
import { startNode as startAnvil } from './fork/node.mjs';
import { startNode as startZkos, rpc } from './devnode/spawn.mjs';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const account = privateKeyToAccount(KEY);
/** Runtime: LOG1 of its calldata's first word as topic, no data. Init code returns it. */
const RUNTIME = '0x5f3560005fa100';
const INIT = '0x67' + RUNTIME.slice(2).padEnd(16, '0') + '5f52600760' + '18f3';
const hex = (n) => '0x' + n.toString(16);
const topic = (n) => '0x' + n.toString(16).padStart(64, '0');
/** Blocks of the chain before its transactions: `finalized` (64 below the head) reaches among them. */
const EMPTY_BLOCKS = 70;

let node;
let anvilFork;
let zkos;
let pin;
let logger;
let nonce = 0;

async function send(url, fields) {
  const block = (await rpc(url, 'eth_getBlockByNumber', ['latest', false])).result;
  const tip = BigInt(nonce + 1) * 1_000_000n;
  const raw = await account.signTransaction({ chainId: 31337, type: 'eip1559', gas: 200_000n, maxFeePerGas: BigInt(block.baseFeePerGas) * 2n + tip, maxPriorityFeePerGas: tip, nonce: nonce++, ...fields });
  const hash = (await rpc(url, 'eth_sendRawTransaction', [raw])).result;
  assert.ok(hash, 'sent');
  for (let i = 0; i < 100 && (await rpc(url, 'eth_getTransactionReceipt', [hash])).result === null; i++) await new Promise((r) => setTimeout(r, 20));
  return hash;
}

/** The result of `method(params)` from `url`, failing on an error. */
async function ask(url, method, params) {
  const reply = await rpc(url, method, params);
  assert.equal(reply.error, undefined, `${method} ${JSON.stringify(params)}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

before(async () => {
  node = await startAnvil();
  await node.rpc('anvil_mine', [hex(EMPTY_BLOCKS)]);
  logger = (await node.rpc('eth_getTransactionReceipt', [await send(node.url, { data: INIT })])).contractAddress;
  for (let i = 1; i <= 5; i++) await send(node.url, { to: logger, data: topic(i) });
  pin = BigInt(await node.rpc('eth_blockNumber'));
  // The node goes on after the fork block: none of it is the forks'.
  await send(node.url, { to: logger, data: topic(99) });
  anvilFork = await startAnvil({ extraArgs: ['--fork-url', node.url, '--fork-block-number', String(pin)] });
  zkos = await startZkos(['--fork', node.url, '--fork-block', String(pin)]);
});
after(async () => {
  await zkos?.stop();
  await anvilFork?.stop();
  await node?.stop();
});

// Before: the blocks before the fork block were skipped, so the answer named `oldestBlock` pin − 3
// with the entries of the fork block alone (one gasUsedRatio, rewards of 0).
test('eth_feeHistory right after forking is the node\'s, as the forking anvil answers it', async () => {
  for (const params of [
    ['0x4', 'latest', [25, 75]],
    ['0x4', 'latest'],
    [hex(6), hex(pin - 1n), [10, 50, 90]],
    ['0x1', hex(pin), []],
  ]) {
    const theirs = await ask(anvilFork.url, 'eth_feeHistory', params);
    assert.ok(theirs.gasUsedRatio.some((r) => r > 0), 'blocks with transactions in the range');
    assert.deepEqual(await ask(zkos.url, 'eth_feeHistory', params), theirs, JSON.stringify(params));
  }
});

test('eth_feeHistory across the fork block: the node\'s entries, then the fork\'s own', async () => {
  const z = await startZkos(['--fork', node.url, '--fork-block', String(pin)]);
  try {
    await ask(z.url, 'evm_mine', []);
    await ask(z.url, 'evm_mine', []);
    const merged = await ask(z.url, 'eth_feeHistory', ['0x5', 'latest', [25, 75]]);
    const theirs = await ask(node.url, 'eth_feeHistory', ['0x3', hex(pin), [25, 75]]);
    const own = await ask(z.url, 'eth_feeHistory', ['0x2', 'latest', [25, 75]]);
    assert.equal(merged.oldestBlock, hex(pin - 2n));
    for (const field of ['gasUsedRatio', 'blobGasUsedRatio', 'reward']) assert.deepEqual(merged[field], [...theirs[field], ...own[field]], field);
    for (const field of ['baseFeePerGas', 'baseFeePerBlobGas']) assert.deepEqual(merged[field], [...theirs[field].slice(0, 3), ...own[field]], field);
    // The fork's first block follows the fork block by EIP-1559, as the node's next block does.
    assert.equal(own.baseFeePerGas[0], (await ask(node.url, 'eth_getBlockByNumber', [hex(pin + 1n), false])).baseFeePerGas);
    // With no percentiles, anvil answers `reward: []`, and so does the fork across its fork block.
    for (const none of [[], undefined]) {
      const plain = await ask(z.url, 'eth_feeHistory', none === undefined ? ['0x5', 'latest'] : ['0x5', 'latest', none]);
      assert.deepEqual(plain.reward, [], JSON.stringify(none));
      assert.deepEqual(plain.gasUsedRatio, merged.gasUsedRatio);
    }
  } finally {
    await z.stop();
  }
});

// Before: until the fork mined its first block, eth_gasPrice (engine.fees()) gave the fork block's
// own base fee, where the fork's next block runs with the one EIP-1559 gives after it (anvil's
// pending block's). A wallet pricing a transaction at it paid the old fee.
test('eth_gasPrice right after forking is the next block\'s base fee, as the forking anvil\'s pending block has it', async () => {
  const z = await startZkos(['--fork', node.url, '--fork-block', String(pin)]);
  try {
    const forkBlock = await ask(node.url, 'eth_getBlockByNumber', [hex(pin), false]);
    const pending = await ask(anvilFork.url, 'eth_getBlockByNumber', ['pending', false]);
    const next = (await ask(node.url, 'eth_getBlockByNumber', [hex(pin + 1n), false])).baseFeePerGas;
    assert.notEqual(next, forkBlock.baseFeePerGas, 'the fork block\'s gas use moves the next base fee');
    assert.equal(pending.baseFeePerGas, next);
    assert.equal(await ask(z.url, 'eth_gasPrice', []), next);
    await ask(z.url, 'evm_mine', []);
    assert.equal((await ask(z.url, 'eth_getBlockByNumber', ['latest', false])).baseFeePerGas, next);
    assert.equal(await ask(z.url, 'eth_gasPrice', []), next);
  } finally {
    await z.stop();
  }
});

// Before: both tags named the fork's head (the fork block), where anvil names the blocks one and
// two epochs (32 and 64 blocks) below it, blocks of the forked chain.
test('`safe` and `finalized` name the blocks 32 and 64 below the head, as the forking anvil names them', async () => {
  const WHALE = account.address;
  for (const tag of ['safe', 'finalized']) {
    const theirs = await ask(anvilFork.url, 'eth_getBlockByNumber', [tag, false]);
    assert.equal(BigInt(theirs.number), pin - (tag === 'safe' ? 32n : 64n));
    assert.deepEqual(await ask(zkos.url, 'eth_getBlockByNumber', [tag, false]), theirs, tag);
    for (const [method, params] of [
      ['eth_getBalance', [WHALE, tag]],
      ['eth_getTransactionCount', [WHALE, { blockNumber: tag }]],
      ['eth_getBlockTransactionCountByNumber', [tag]],
      ['eth_getBlockReceipts', [tag]],
    ]) {
      assert.deepEqual(await ask(zkos.url, method, params), await ask(anvilFork.url, method, params), `${method} ${JSON.stringify(params)}`);
    }
  }
  // In eth_getLogs' range too: from `safe` the node's logs up to the fork block (before: from the head).
  for (const range of [{ fromBlock: 'safe' }, { fromBlock: 'finalized', toBlock: 'safe' }]) {
    assert.deepEqual(await ask(zkos.url, 'eth_getLogs', [range]), await ask(anvilFork.url, 'eth_getLogs', [range]), JSON.stringify(range));
  }
  assert.equal((await ask(zkos.url, 'eth_getLogs', [{ fromBlock: 'safe' }])).length, 5);
  // After the fork's own blocks, the tags still count from its head.
  const z = await startZkos(['--fork', node.url, '--fork-block', String(pin)]);
  try {
    await ask(z.url, 'anvil_mine', ['0x28']);
    const head = BigInt(await ask(z.url, 'eth_blockNumber', []));
    assert.equal(BigInt((await ask(z.url, 'eth_getBlockByNumber', ['safe', false])).number), head - 32n);
    assert.deepEqual(await ask(z.url, 'eth_getBlockByNumber', ['finalized', true]), await ask(node.url, 'eth_getBlockByNumber', [hex(head - 64n), true]));
  } finally {
    await z.stop();
  }
});

// Before: a filter over a fork read the fork's own blocks only, so one from block 1 reported
// none of the node's logs (anvil reports them in eth_getFilterLogs and in the first poll).
test('a log filter from before the fork block reports the node\'s logs, as the forking anvil does', async () => {
  for (const criteria of [{ fromBlock: '0x1', address: logger }, { fromBlock: hex(pin - 2n), toBlock: hex(pin + 50n) }, { fromBlock: 'earliest', topics: [topic(3)] }]) {
    const ids = [await ask(anvilFork.url, 'eth_newFilter', [criteria]), await ask(zkos.url, 'eth_newFilter', [criteria])];
    const theirs = await ask(anvilFork.url, 'eth_getFilterLogs', [ids[0]]);
    assert.ok(theirs.length > 0, JSON.stringify(criteria));
    assert.deepEqual(await ask(zkos.url, 'eth_getFilterLogs', [ids[1]]), theirs, JSON.stringify(criteria));
    assert.deepEqual(await ask(zkos.url, 'eth_getFilterChanges', [ids[1]]), await ask(anvilFork.url, 'eth_getFilterChanges', [ids[0]]));
    // Reported once: the next poll has nothing new.
    assert.deepEqual(await ask(zkos.url, 'eth_getFilterChanges', [ids[1]]), []);
    // None of the node's logs after the fork block (its topic 99) are the fork's.
    assert.ok(theirs.every((log) => BigInt(log.blockNumber) <= pin));
  }
  // eth_getLogs with a toBlock past the head is cut at the head, as anvil cuts it (geth refuses it).
  const range = [{ fromBlock: '0x1', toBlock: hex(pin + 100n) }];
  assert.deepEqual(await ask(zkos.url, 'eth_getLogs', range), await ask(anvilFork.url, 'eth_getLogs', range));
});

// Before: a polled filter read `safe` and `finalized` as the head: from `finalized` its first poll
// reported nothing (anvil: the node's logs from 64 blocks below the head), to `safe` everything up
// to the head. Anvil resolves them when the filter is made for its past logs, then reports every
// new block's logs whatever the tag; zkos now does the same.
test('a polled filter\'s `safe` and `finalized` name the blocks 32 and 64 below the head, as the forking anvil\'s', async () => {
  const af = await startAnvil({ extraArgs: ['--fork-url', node.url, '--fork-block-number', String(pin)] });
  const z = await startZkos(['--fork', node.url, '--fork-block', String(pin)]);
  try {
    const ranges = [{ fromBlock: 'finalized' }, { fromBlock: '0x0', toBlock: 'finalized' }, { fromBlock: '0x1', toBlock: 'safe', address: logger }, { fromBlock: 'finalized', toBlock: 'safe' }, { fromBlock: 'safe', topics: [[topic(2), topic(7)]] }];
    const forks = [af.url, z.url];
    const ids = [];
    for (const url of forks) ids.push(await Promise.all(ranges.map((range) => ask(url, 'eth_newFilter', [range]))));
    const polls = async () => Promise.all(forks.map((url, f) => Promise.all(ids[f].map((id) => ask(url, 'eth_getFilterChanges', [id])))));
    const [theirs, ours] = await polls();
    assert.ok(theirs[0].length === 5 && theirs[1].length === 0, 'from `finalized` the node\'s five logs, none up to it');
    assert.deepEqual(ours, theirs);
    // New blocks with logs on both forks: each filter reports them, the tags not bounding them.
    for (const url of forks) {
      const from = (await ask(url, 'eth_accounts', []))[0];
      for (const data of [topic(7), topic(8)]) {
        const hash = await ask(url, 'eth_sendTransaction', [{ from, to: logger, data, gas: '0x30000' }]);
        for (let i = 0; i < 100 && (await rpc(url, 'eth_getTransactionReceipt', [hash])).result === null; i++) await new Promise((r) => setTimeout(r, 20));
        await ask(url, 'anvil_mine', ['0x28']);
      }
    }
    const [theirsAfter, oursAfter] = await polls();
    assert.deepEqual(theirsAfter.map((logs) => logs.length), [2, 2, 2, 2, 1]);
    const shape = (logs) => logs.map((l) => ({ blockNumber: l.blockNumber, topics: l.topics, address: l.address }));
    assert.deepEqual(oursAfter.map(shape), theirsAfter.map(shape));
  } finally {
    await z.stop();
    await af.stop();
  }
});

// Before: zkos answered [] (a filter on it too), where anvil refuses a range starting after the head.
test('eth_getLogs from a block past the head is refused with the forking anvil\'s error', async () => {
  for (const range of [{ fromBlock: hex(pin + 1n) }, { fromBlock: hex(pin + 5n), toBlock: hex(pin + 9n) }, { fromBlock: hex(pin + 2n), toBlock: 'latest', address: logger }]) {
    const theirs = (await rpc(anvilFork.url, 'eth_getLogs', [range])).error;
    assert.equal(theirs.code, -32602);
    assert.deepEqual((await rpc(zkos.url, 'eth_getLogs', [range])).error, { code: theirs.code, message: theirs.message }, JSON.stringify(range));
  }
  // A filter may wait for blocks to come (geth's eth_newFilter does; anvil refuses it): its
  // eth_getFilterLogs is refused as eth_getLogs is until the head reaches it.
  const id = await ask(zkos.url, 'eth_newFilter', [{ fromBlock: hex(pin + 1n) }]);
  assert.equal((await rpc(zkos.url, 'eth_getFilterLogs', [id])).error.message, `BlockOutOfRangeError: block height is ${pin} but requested was ${pin + 1n}`);
  assert.deepEqual(await ask(zkos.url, 'eth_getFilterChanges', [id]), []);
});

// Decided: Parity's trace_* methods are served by no zkos chain, so by no fork either (a forking
// anvil answers them; serving them for the chain's past alone would answer some blocks only).
test('trace_* stay unserved on a fork, as on a chain of zkos\'s own', async () => {
  const tx = (await ask(node.url, 'eth_getBlockByNumber', [hex(pin), false])).transactions[0];
  assert.ok((await ask(anvilFork.url, 'trace_transaction', [tx])).length > 0);
  for (const [method, params] of [['trace_transaction', [tx]], ['trace_block', [hex(pin)]]]) {
    assert.equal((await rpc(zkos.url, method, params)).error?.code, -32601, method);
  }
});
