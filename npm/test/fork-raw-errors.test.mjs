// eth_sendRawTransaction's refusals on a fork, beside anvil's for the same bytes: a raw
// transaction that does not decode leads with anvil's words and code (-32602 "Failed to decode
// transaction"); one that breaks a rule leads with geth's words (the ones viem and ethers match
// on) under geth's -32000, whatever the node's path (the dev node's automine, its pool, a provider
// over a forked engine). Before, the dev node's automine said "block.transactions[0]: 1 trailing bytes".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyToAccount } from 'viem/accounts';
import { createEngine, createProvider } from '../dist/esm/node.js';
import { startNode as startAnvil } from './fork/node.mjs';
import { startNode as startZkos, rpc } from './devnode/spawn.mjs';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const account = privateKeyToAccount(KEY);
let anvil;
let zkos;
before(async () => {
  anvil = await startAnvil();
  await anvil.rpc('anvil_mine', ['0x2']);
  zkos = await startZkos(['--fork', anvil.url]);
});
after(async () => {
  await zkos?.stop();
  await anvil?.stop();
});

const sign = (fields) => account.signTransaction({ chainId: 31337, type: 'eip1559', to: account.address, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, nonce: 0, value: 0n, ...fields });

test('a raw transaction that does not decode: anvil\'s code and words, zkos\'s reason after them', async () => {
  const good = await sign({ nonce: 7 });
  const cases = { empty: '0x', garbage: '0x1234', truncated: good.slice(0, -10), 'a string': '0x80', 'a leading zero': good.slice(0, -64) + '00'.repeat(32) };
  for (const automine of [true, false]) {
    await rpc(zkos.url, 'evm_setAutomine', [automine]);
    for (const [what, raw] of Object.entries(cases)) {
      const theirs = (await rpc(anvil.url, 'eth_sendRawTransaction', [raw])).error;
      const ours = (await rpc(zkos.url, 'eth_sendRawTransaction', [raw])).error;
      assert.equal(ours?.code, theirs.code, `${what}: ${JSON.stringify(ours)}`);
      const lead = /^(Failed to decode transaction|Empty transaction data)/.exec(theirs.message);
      assert.ok(lead, theirs.message);
      assert.match(ours.message, /^Failed to decode transaction: \S/, what);
      assert.doesNotMatch(ours.message, /block\.transactions|raw transaction:|cannot decode/, what);
    }
  }
  await rpc(zkos.url, 'evm_setAutomine', [true]);
});

test('a transaction that breaks a rule: geth\'s words and -32000, on the dev node and a provider over a forked engine', async () => {
  const engine = await createEngine({ fork: { url: anvil.url } });
  const provider = createProvider(engine);
  const cases = [
    ['nonce too high', { nonce: 9 }],
    ['insufficient funds for gas * price + value', { value: 10n ** 30n }],
    ['intrinsic gas too low', { gas: 20_000n }],
    ['max fee per gas less than block base fee', { maxFeePerGas: 1n, maxPriorityFeePerGas: 0n }],
    ['invalid chain id for signer', { chainId: 5 }],
  ];
  for (const [words, fields] of cases) {
    const raw = await sign(fields);
    const theirs = (await rpc(anvil.url, 'eth_sendRawTransaction', [raw])).error;
    // anvil pools a nonce gap; where it refuses, it says the same words (any case).
    if (theirs !== undefined) assert.ok(theirs.message.toLowerCase().startsWith(words), theirs.message);
    const ours = (await rpc(zkos.url, 'eth_sendRawTransaction', [raw])).error;
    if (words !== 'nonce too high') {
      assert.equal(ours?.code, -32000, words);
      assert.ok(ours.message.startsWith(words), ours.message);
    }
    await assert.rejects(provider.request({ method: 'eth_sendRawTransaction', params: [raw] }), (err) => err.code === -32000 && err.message.startsWith(words));
  }
  engine.free();
});
