// The forked chain's past (fork/history.ts) against a node that answers for something else: a
// block for another hash or number, a transaction or receipt of another hash, receipts of another
// block, logs outside the range or block asked, and shapes that are not a block, a count or a
// list. Before, each was handed on to the caller as the chain's truth (a non-list of logs as no
// logs at all); now each is FORK_BAD_RESPONSE (with `verify`, a header that does not hash to its
// hash FORK_PROOF_MISMATCH), and the honest answers still come through after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createProvider } from '../dist/esm/node.js';
import { QUICK, editing, faultyNodeAroundTests } from './fork/faulty-node.mjs';
import { A, B } from './fork/placed.mjs';
import { startNode as startZkos, rpc } from './devnode/spawn.mjs';

let node;
let proxy;
faultyNodeAroundTests((n, p) => {
  node = n;
  proxy = p;
});

const hex = (n) => '0x' + n.toString(16);

/** The node's receipt of `hash`, once mined: anvil may answer a send before its block is (null meanwhile). */
async function mined(hash) {
  for (let tries = 0; tries < 400; tries++) {
    const receipt = await node.rpc('eth_getTransactionReceipt', [hash]);
    if (receipt !== null) return receipt;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${hash} not mined within 10 s`);
}
const OTHER = '0x' + 'ab'.repeat(32);

/** A provider error carrying `FORK_BAD_RESPONSE` whose message matches `message`. */
const badResponse = (name, message) => (err) => {
  assert.equal(err.zkosCode, 'FORK_BAD_RESPONSE', `${name}: ${err.stack ?? err}`);
  assert.match(err.message, message, name);
  return true;
};

test("answers naming another block, transaction or range than asked: FORK_BAD_RESPONSE, not the chain's past", async () => {
  const first = await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x1' }]);
  const second = await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x2' }]);
  await mined(second);
  const receipt = await mined(first);
  const n = BigInt(receipt.blockNumber);
  const earlier = await node.rpc('eth_getBlockByNumber', [hex(n - 1n), false]);
  proxy.set(undefined);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK } });
  const provider = createProvider(engine);
  const pin = engine.forkBlock;
  const on = (method, f) => editing((call, answer) => call.method === method && f(answer, call));
  const CASES = [
    ['a block by hash that is another block', 'eth_getBlockByHash', [receipt.blockHash, false], on('eth_getBlockByHash', (a) => (a.result.hash = OTHER)), /hash/],
    ['a block by hash as a number', 'eth_getBlockByHash', [receipt.blockHash, false], on('eth_getBlockByHash', (a) => (a.result = 5)), /expected an object/],
    ['a block by number that is another number', 'eth_getBlockByNumber', [hex(n), false], on('eth_getBlockByNumber', (a) => (a.result.number = hex(n - 1n))), /number/],
    ['the fork block by number with another hash', 'eth_getBlockByNumber', [hex(pin.number), true], on('eth_getBlockByNumber', (a) => (a.result.hash = earlier.hash)), /hash/],
    ['the fork block\'s parent with another hash', 'eth_getBlockByNumber', [hex(pin.number - 1n), false], on('eth_getBlockByNumber', (a) => (a.result.hash = OTHER)), /hash/],
    ['a state read at a block hash answered by another block', 'eth_getBalance', [A, { blockHash: earlier.hash }], on('eth_getBlockByHash', (a) => (a.result.hash = receipt.blockHash)), /hash/],
    ['a full block whose transaction is of another block', 'eth_getBlockByNumber', [hex(n), true], on('eth_getBlockByNumber', (a) => (a.result.transactions[0].blockHash = earlier.hash)), /transactions\[0\]/],
    ['a transaction of another hash', 'eth_getTransactionByHash', [first], on('eth_getTransactionByHash', (a) => (a.result.hash = second)), /hash/],
    ['the receipt of another transaction', 'eth_getTransactionReceipt', [first], on('eth_getTransactionReceipt', (a) => (a.result.transactionHash = second)), /transactionHash/],
    ['the receipt of a fork-block transaction in a block of another hash', 'eth_getTransactionReceipt', [second], on('eth_getTransactionReceipt', (a) => (a.result.blockHash = OTHER)), /blockHash/],
    ['receipts of another block', 'eth_getBlockReceipts', [hex(n)], on('eth_getBlockReceipts', (a) => (a.result[0].blockNumber = hex(n - 1n))), /blockNumber/],
    ['receipts as an object', 'eth_getBlockReceipts', [hex(n)], on('eth_getBlockReceipts', (a) => (a.result = { 0: a.result[0] })), /expected an array/],
    ['a count that is not a quantity', 'eth_getBlockTransactionCountByNumber', [hex(n)], on('eth_getBlockTransactionCountByNumber', (a) => (a.result = 7)), /expected a hex quantity/],
  ];
  for (const [name, method, params, fault, message] of CASES) {
    proxy.set(fault);
    try {
      await assert.rejects(provider.request({ method, params }), badResponse(name, message), name);
    } finally {
      proxy.set(undefined);
    }
    const truth = await node.rpc(method, params);
    assert.deepEqual(await provider.request({ method, params }), truth, `${name}: the truth after`);
  }
});

test('logs out of the range, block or addresses asked, or not a list: a JSON-RPC error from the dev node, not logs', async () => {
  const first = await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x1' }]);
  const receipt = await mined(first);
  const n = BigInt(receipt.blockNumber);
  const earlier = await node.rpc('eth_getBlockByNumber', [hex(n - 1n), false]);
  proxy.set(undefined);
  const zkos = await startZkos(['--fork', proxy.url]);
  try {
    const pin = { number: BigInt((await rpc(zkos.url, 'eth_blockNumber')).result) };
    const on = (method, f) => editing((call, answer) => call.method === method && f(answer, call));
    const log = (fields) => ({ address: A, topics: [], data: '0x', blockNumber: hex(n), blockHash: receipt.blockHash, logIndex: '0x0', transactionIndex: '0x0', transactionHash: first, removed: false, ...fields });
    const CASES = [
      ['logs as a string', [{ fromBlock: '0x0', toBlock: hex(pin.number) }], on('eth_getLogs', (a) => (a.result = 'none')), /expected an array/],
      ['a log after the range asked', [{ fromBlock: '0x0', toBlock: hex(n - 1n) }], on('eth_getLogs', (a) => a.result.push(log({}))), /outside/],
      ['a log of another block than the hash asked', [{ blockHash: receipt.blockHash }], on('eth_getLogs', (a) => a.result.push(log({ blockNumber: hex(n - 1n), blockHash: earlier.hash }))), /blockHash/],
      ['a log of another address', [{ fromBlock: '0x0', toBlock: hex(pin.number), address: B }], on('eth_getLogs', (a) => a.result.push(log({}))), /address/],
    ];
    for (const [name, params, fault, message] of CASES) {
      proxy.set(fault);
      try {
        const { error } = await rpc(zkos.url, 'eth_getLogs', params);
        assert.ok(error !== undefined, `${name}: an error`);
        assert.match(error.message, /fork: bad answer/, name);
        assert.match(error.message, message, name);
      } finally {
        proxy.set(undefined);
      }
      assert.deepEqual((await rpc(zkos.url, 'eth_getLogs', params)).result, await node.rpc('eth_getLogs', params), `${name}: the truth after`);
    }
  } finally {
    await zkos.stop();
  }
});

test('with verify, a block of the forked chain whose header does not hash to its hash is FORK_PROOF_MISMATCH', async () => {
  const first = await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x3' }]);
  const receipt = await mined(first);
  const n = BigInt(receipt.blockNumber);
  await mined(await node.rpc('eth_sendTransaction', [{ from: A, to: B, value: '0x4' }]));
  proxy.set(undefined);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, verify: true, ...QUICK } });
  const provider = createProvider(engine);
  const on = (method, f) => editing((call, answer) => call.method === method && f(answer, call));
  const CASES = [
    ['a block by hash with another gasUsed', 'eth_getBlockByHash', [receipt.blockHash, true], on('eth_getBlockByHash', (a) => (a.result.gasUsed = '0x1'))],
    ['a block by number with another state root', 'eth_getBlockByNumber', [hex(n), false], on('eth_getBlockByNumber', (a) => (a.result.stateRoot = OTHER))],
  ];
  for (const [name, method, params, fault] of CASES) {
    proxy.set(fault);
    try {
      await assert.rejects(provider.request({ method, params }), (err) => {
        assert.equal(err.zkosCode, 'FORK_PROOF_MISMATCH', `${name}: ${err.stack ?? err}`);
        return true;
      }, name);
    } finally {
      proxy.set(undefined);
    }
    assert.deepEqual(await provider.request({ method, params }), await node.rpc(method, params), `${name}: the truth after`);
  }
});
