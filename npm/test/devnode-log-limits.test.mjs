// eth_getLogs's limits refused in geth's words and codes (go-ethereum eth/filters/api.go and
// filter.go at 02b73d4: `exceed maximum block range N` (-32602) when `to - from` exceeds
// `--rpc.rangelimit`, `exceed max topics` and `exceed max addresses or topics per search
// position` (-32000, geth's code for a plain error; its default `--rpc.logquerylimit` is 1,000),
// `can't specify fromBlock/toBlock with blockHash` (-32602)); more than 10,000 logs, which geth
// does not cap, as Infura's geth nodes say it (-32005). Before, each was -32602 in zkos's own words
// ("eth_getLogs: the range spans 10001 blocks, at most 10000 are answered"), and a query of
// 10,001 blocks (`to - from` = 10,000), which geth answers, was refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, createDevProvider, createEngine } from '../dist/esm/node.js';

/** Emits 10,050 LOG0s (the storm of devnode-subscriptions.test.mjs). */
const LOG_STORM = '0x612742' + '5b801560135' + '7' + '5f5fa0' + '600190036003' + '56' + '5b00';
const STORM = '0x00000000000000000000000000000000000a0a00';

const refusal = async (promise) => {
  try {
    await promise;
  } catch (err) {
    return { code: err.code, message: err.message };
  }
  assert.fail('expected a refusal');
};

test('eth_getLogs: geth\'s range rule, words and codes', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  const request = (method, params = []) => provider.request({ method, params });
  const getLogs = (filter) => request('eth_getLogs', [filter]);
  const [from] = await request('eth_accounts');
  await request('anvil_setCode', [STORM, LOG_STORM]);
  const hash = await request('eth_sendTransaction', [{ from, to: STORM, gas: '0x1000000' }]);
  const { blockNumber, blockHash } = await request('eth_getTransactionReceipt', [hash]);
  await request('anvil_mine', ['0x2711']);
  const quantity = (n) => '0x' + n.toString(16);
  const first = BigInt(blockNumber) + 1n;

  // The head is first + 10,000: 10,001 blocks (to - from = 10,000) are answered, 10,002 not.
  assert.equal(BigInt(await request('eth_blockNumber')), first + 10_000n);
  assert.deepEqual(await getLogs({ fromBlock: quantity(first), toBlock: quantity(first + 10_000n), address: STORM }), []);
  assert.deepEqual(await refusal(getLogs({ fromBlock: blockNumber, toBlock: quantity(first + 10_000n) })), { code: -32602, message: 'exceed maximum block range 10000' });
  assert.deepEqual(await refusal(getLogs({ fromBlock: '0x0', toBlock: 'latest' })), { code: -32602, message: 'exceed maximum block range 10000' });
  const topic = '0x' + '11'.repeat(32);
  assert.deepEqual(await refusal(getLogs({ topics: [null, null, null, null, topic] })), { code: -32000, message: 'exceed max topics' });
  const addresses = Array.from({ length: 1001 }, (_, i) => '0x' + i.toString(16).padStart(40, '0'));
  assert.deepEqual(await refusal(getLogs({ address: addresses })), { code: -32000, message: 'exceed max addresses or topics per search position' });
  assert.deepEqual(await refusal(getLogs({ topics: [Array(1001).fill(topic)] })), { code: -32000, message: 'exceed max addresses or topics per search position' });
  assert.equal((await getLogs({ address: addresses.slice(0, 1000) })).length, 0, '1,000 addresses are taken');
  assert.deepEqual(await refusal(getLogs({ blockHash, fromBlock: '0x1' })), { code: -32602, message: "can't specify fromBlock/toBlock with blockHash" });
  assert.deepEqual(await refusal(getLogs({ blockHash })), { code: -32005, message: 'query returned more than 10000 results' });
  assert.deepEqual(await refusal(getLogs({ fromBlock: quantity(first + 1n), toBlock: quantity(first) })), { code: -32602, message: 'invalid block range params' });
  // A range starting after the head: anvil's refusal (before, []); one ending after it is cut there.
  const head = first + 10_000n;
  assert.deepEqual(await refusal(getLogs({ fromBlock: quantity(head + 1n), toBlock: 'latest' })), { code: -32602, message: `BlockOutOfRangeError: block height is ${head} but requested was ${head + 1n}` });
  assert.deepEqual(await getLogs({ fromBlock: quantity(head), toBlock: quantity(head + 5n) }), []);
});
