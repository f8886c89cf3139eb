// BLOCKHASH below the pinned block's parent, verified: the hash of block n is the parentHash of
// block n + 1, whose header must hash to what block n + 2 names, and so on up to the pin's
// checked header — one batch of headers, so a node cannot hand out a hash of another chain. A
// proxy in front of anvil lies about old blocks; before, the hash was read from block n's own
// answer, by number, and taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createForkFetcher } from '../dist/esm/node.js';
import { QUICK, editing, faultyNodeAroundTests, isZkosError } from './fork/faulty-node.mjs';

let node;
let proxy;
faultyNodeAroundTests((n, p) => {
  node = n;
  proxy = p;
});

const FAKE = '0x' + 'ee'.repeat(32);
/** Edits the `eth_getBlockByNumber` answer for block `number`. */
const blockAnswer = (number, edit) => editing((call, answer) => call.method === 'eth_getBlockByNumber' && call.params[0] === '0x' + number.toString(16) && edit(answer.result));
const realHash = async (number) => (await node.rpc('eth_getBlockByNumber', ['0x' + number.toString(16), false])).hash;

test('an old block\'s hash comes from the chain of headers to the pin, in one round trip', async () => {
  await node.rpc('anvil_mine', ['0x20']);
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK });
  const n = fork.block.number - 10n;
  // The node lies about block n's own hash: it is not read (block n + 1 names it).
  proxy.set(blockAnswer(n, (b) => (b.hash = FAKE)));
  try {
    fork.resetStats();
    const [got] = await fork.fetch([{ kind: 'blockHash', number: n }]);
    assert.equal(got.hash, await realHash(n));
    assert.equal(fork.stats().roundTrips, 1);
    // Every hash between came with it: nothing more to fetch.
    const between = await fork.fetch([{ kind: 'blockHash', number: n + 4n }]);
    assert.equal(between[0].hash, await realHash(n + 4n));
    assert.equal(fork.stats().roundTrips, 1);
  } finally {
    proxy.set(undefined);
  }
});

test('a header that does not link to the pin: FORK_PROOF_MISMATCH, nothing kept, then the true hash', async () => {
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK });
  const n = fork.block.number - 20n;
  for (const edit of [
    (b) => (b.parentHash = FAKE),
    // A whole consistent lie about one block (its parent and its own hash) still breaks the link above it.
    (b) => ((b.parentHash = FAKE), (b.hash = FAKE)),
  ]) {
    proxy.set(blockAnswer(n + 1n, edit));
    try {
      await assert.rejects(
        fork.fetch([{ kind: 'blockHash', number: n }]),
        isZkosError('FORK_PROOF_MISMATCH', (err) => {
          assert.equal(err.reason, 'HeaderHashMismatch', err.message);
          assert.match(err.message, new RegExp(`eth_getBlockByNumber\\(${n + 1n}\\), linked to the fork block`));
        }),
      );
    } finally {
      proxy.set(undefined);
    }
    assert.equal(fork.peek({ kind: 'blockHash', number: n }), undefined);
  }
  const [got] = await fork.fetch([{ kind: 'blockHash', number: n }]);
  assert.equal(got.hash, await realHash(n));
});

test('BLOCKHASH in a forked engine: the node\'s lie fails the call, the engine then answers the chain\'s hash', async () => {
  const pin = BigInt(await node.rpc('eth_blockNumber'));
  const n = pin - 5n;
  const probe = '0x' + '00'.repeat(19) + 'b1';
  const blockHashOf = (engine) => engine.call({ to: probe }, { stateOverride: { [probe]: { code: `0x60${(n & 0xffn).toString(16).padStart(2, '0')}405f5260205ff3` } } });
  assert.ok(n < 256n, 'the probe pushes one byte');
  proxy.set(blockAnswer(n + 1n, (b) => (b.parentHash = FAKE)));
  try {
    const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK, } });
    await assert.rejects(blockHashOf(engine), isZkosError('FORK_PROOF_MISMATCH'));
    proxy.set(undefined);
    assert.equal((await blockHashOf(engine)).returnData, await realHash(n));
    engine.free();
  } finally {
    proxy.set(undefined);
  }
});
