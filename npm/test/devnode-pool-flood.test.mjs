// The dev node's transaction pool under floods: transactions a full block leaves out stay
// pending for the next block (as anvil keeps them, checked against a real anvil here), the pool
// orders and indexes many senders' transactions in near-linear work, and the queued transactions
// a filled nonce gap lets be mined are mined in slices, other clients answered between them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TxPool } from '../dist/esm/devnode/pool.js';
import { DevChain, createDevProvider, createEngine } from '../dist/esm/node.js';
import { anvilAndZkos, post, rpc } from './devnode/spawn.mjs';

// anvil's block gas limit set to the dev node's (100,000,000).
const nodes = anvilAndZkos({ anvil: { extraArgs: ['--gas-limit', '100000000'] } });

/** Code that burns gas until fewer than 10,000 are left: JUMPDEST GAS PUSH2 10000 LT PUSH1 0 JUMPI STOP (loops while 10,000 < gas). */
const BURNER_CODE = '0x5b5a6127101060005700';
const BURNER = '0x' + 'b0'.repeat(20);
const result = async (url, method, params) => {
  const reply = await rpc(url, method, params);
  assert.equal(reply.error, undefined, `${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
};

/**
 * Pools 8 gas burners of 15,000,000 gas (A's nonces 0-4, then B's 0-2, equal tips: sent order),
 * mines twice and returns what each mine left: [{ included, pending }], and every receipt after.
 */
async function fullBlocks(url) {
  const [a, b] = await result(url, 'eth_accounts');
  await result(url, 'anvil_setCode', [BURNER, BURNER_CODE]);
  await result(url, 'evm_setAutomine', [false]);
  const hashes = [];
  for (const from of [a, a, a, a, a, b, b, b]) hashes.push(await result(url, 'eth_sendTransaction', [{ from, to: BURNER, gas: '0xe4e1c0' }]));
  const mines = [];
  for (let i = 0; i < 2; i++) {
    await result(url, 'evm_mine');
    const block = await result(url, 'eth_getBlockByNumber', ['latest', false]);
    mines.push({ included: block.transactions.length, pending: Number((await result(url, 'txpool_status')).pending) });
  }
  const receipts = await Promise.all(hashes.map((h) => result(url, 'eth_getTransactionReceipt', [h])));
  await result(url, 'evm_setAutomine', [true]);
  return { mines, receipts };
}

// Before: every transaction a block left out was dropped from the pool, with no receipt ever:
// the first mine left nothing pending and the second mined an empty block.
test('a full block leaves its last transactions pending for the next block, with their sender\'s later ones, as anvil does', async () => {
  const theirs = await fullBlocks(nodes.anvil.url);
  const ours = await fullBlocks(nodes.zkos.url);
  for (const [who, { mines, receipts }] of [['anvil', theirs], ['zkos', ours]]) {
    const [first, second] = mines;
    assert.ok(first.included > 0 && first.included < 8, `${who}: ${JSON.stringify(mines)}`);
    assert.equal(first.pending, 8 - first.included, `${who}: ${JSON.stringify(mines)}`);
    assert.deepEqual(second, { included: 8 - first.included, pending: 0 }, who);
    assert.ok(receipts.every((r) => r !== null && r.status === '0x1'), `${who}: every transaction mined`);
  }
  // Both fill the first block with six burners of ~15,000,000 gas; B's nonce 1 and 2 go next.
  assert.deepEqual(ours.mines, theirs.mines);
});

// Before: the first send under automine mined one block of the pool and dropped what it left
// out; with what is left kept, that send from B (its nonce counting B's pooled ones) was queued.
test('automine back on: the next send mines every pooled transaction first, in as many blocks as they fill', async () => {
  const [a, b] = await result(nodes.zkos.url, 'eth_accounts');
  await result(nodes.zkos.url, 'anvil_setCode', [BURNER, BURNER_CODE]);
  await result(nodes.zkos.url, 'evm_setAutomine', [false]);
  const pooled = [];
  for (const from of [a, a, a, a, a, b, b, b]) pooled.push(await result(nodes.zkos.url, 'eth_sendTransaction', [{ from, to: BURNER, gas: '0xe4e1c0' }]));
  await result(nodes.zkos.url, 'evm_setAutomine', [true]);
  const head = BigInt(await result(nodes.zkos.url, 'eth_blockNumber'));
  const sent = await result(nodes.zkos.url, 'eth_sendTransaction', [{ from: b, to: a, value: '0x1' }]);
  const receipts = await Promise.all([...pooled, sent].map((h) => result(nodes.zkos.url, 'eth_getTransactionReceipt', [h])));
  assert.ok(receipts.every((r) => r?.status === '0x1'), JSON.stringify(receipts.map((r) => r?.status ?? null)));
  assert.deepEqual(receipts.map((r) => BigInt(r.blockNumber) - head), [1n, 1n, 1n, 1n, 1n, 1n, 2n, 2n, 3n]);
  assert.deepEqual(await result(nodes.zkos.url, 'txpool_status'), { pending: '0x0', queued: '0x0' });
});

/** Pool entries of `senders` senders with `each` nonces, whose info fields count their reads. */
function countedPool(senders, each) {
  const reads = { n: 0 };
  const pool = new TxPool();
  for (let s = 0; s < senders; s++) {
    for (let k = 0; k < each; k++) {
      const fields = { hash: '0x' + (s * each + k).toString(16).padStart(64, '0'), from: '0x' + s.toString(16).padStart(40, '0'), nonce: BigInt(k), maxFeePerGas: 2000n + BigInt(s % 7), maxPriorityFeePerGas: BigInt(s % 5), input: '0x' };
      const info = {};
      for (const [key, value] of Object.entries(fields)) Object.defineProperty(info, key, { get: () => (reads.n++, value), enumerable: true });
      pool.add('0x00', info);
    }
  }
  return { pool, reads };
}

// Before: each add compared every pooled entry's sender and nonce, each pick of `ordered` every
// sender's next tip: 2,000 senders made 4,002,000 reads to pool and 24,018,000 to order (10,000
// transactions of as many senders: 8.3 s to pool over HTTP, 7.9 s to order, the node answering
// no one meanwhile).
test('the pool finds a sender\'s nonce and orders many senders with a bounded number of reads per transaction', () => {
  const n = 2_000;
  const { pool, reads } = countedPool(n, 1);
  assert.ok(reads.n <= 16 * n, `pooling ${n}: ${reads.n} reads`);
  reads.n = 0;
  const order = pool.ordered(1000n);
  assert.equal(order.length, n);
  assert.ok(reads.n <= 16 * n, `ordering ${n}: ${reads.n} reads`);
  // The order: highest tip (min(tip cap, fee cap - base fee)) first, the earliest on ties.
  const tip = (e) => (e.info.maxFeePerGas - 1000n < e.info.maxPriorityFeePerGas ? e.info.maxFeePerGas - 1000n : e.info.maxPriorityFeePerGas);
  for (let i = 1; i < n; i++) {
    const [p, q] = [order[i - 1], order[i]];
    assert.ok(tip(p) > tip(q) || (tip(p) === tip(q) && p.seq < q.seq), `position ${i}`);
  }
  reads.n = 0;
  for (let s = 0; s < n; s += 97) assert.equal(pool.countFrom('0x' + s.toString(16).padStart(40, '0')), 1n);
  assert.ok(reads.n <= 4 * n, `counting: ${reads.n} reads`);
});

test('a sender\'s transactions leave the pool in nonce order, however they arrived; a restored snapshot keeps the index', () => {
  const { pool } = countedPool(3, 4);
  const copy = TxPool.restore(pool.save());
  for (const e of copy.entries().filter((e) => e.info.nonce === 2n)) copy.drop(e.info.hash);
  const bySender = (order) => order.reduce((m, e) => m.set(e.info.from, [...(m.get(e.info.from) ?? []), e.info.nonce]), new Map());
  for (const nonces of bySender(pool.ordered(1000n)).values()) assert.deepEqual(nonces, [0n, 1n, 2n, 3n]);
  for (const nonces of bySender(copy.ordered(1000n)).values()) assert.deepEqual(nonces, [0n, 1n, 3n]);
  assert.equal(pool.size, 12);
  assert.equal(copy.size, 9);
  assert.equal(copy.countFrom('0x' + '0'.repeat(40)), 3n);
});

// Before: each queued send read the nonce of every queued transaction, and the send filling the
// gap mined the queue in one turn, one transaction a pass: 2,000 queued in reverse order took
// 22.8 s to send, and the gap's send held the node 20.2 s (another client's read waited for it).
test('a filled nonce gap mines the queue in slices: another client\'s read is answered before the queue is mined', async () => {
  const [, , from] = await result(nodes.zkos.url, 'eth_accounts');
  const count = 1_000;
  const send = (nonce) => ({ jsonrpc: '2.0', id: nonce, method: 'eth_sendTransaction', params: [{ from, to: from, value: '0x1', gas: '0x5208', nonce: `0x${nonce.toString(16)}` }] });
  const start = BigInt(await result(nodes.zkos.url, 'eth_getTransactionCount', [from, 'latest']));
  for (let top = count; top >= 1; top -= 250) {
    const batch = [];
    for (let k = top; k > top - 250; k--) batch.push(send(Number(start) + k));
    const replies = (await post(nodes.zkos.url, JSON.stringify(batch))).body;
    assert.ok(replies.every((r) => typeof r.result === 'string'), JSON.stringify(replies.find((r) => r.error)));
  }
  assert.equal(Number((await result(nodes.zkos.url, 'txpool_status')).queued), count);
  const head = BigInt(await result(nodes.zkos.url, 'eth_blockNumber'));
  const gap = post(nodes.zkos.url, JSON.stringify(send(Number(start))));
  // The first head above the old one another client reads: mid-queue, not after it all.
  let seen = head;
  while (seen === head) seen = BigInt(await result(nodes.zkos.url, 'eth_blockNumber'));
  assert.ok(seen < head + BigInt(count) + 1n, `read answered only once all ${count + 1} blocks were mined (head ${seen})`);
  assert.equal(typeof (await gap).body.result, 'string');
  assert.equal(BigInt(await result(nodes.zkos.url, 'eth_blockNumber')), head + BigInt(count) + 1n);
  assert.equal(BigInt(await result(nodes.zkos.url, 'eth_getTransactionCount', [from, 'latest'])), start + BigInt(count) + 1n);
  assert.deepEqual(await result(nodes.zkos.url, 'txpool_status'), { pending: '0x0', queued: '0x0' });
});

// Before: each snapshot copied the pool's map: 1,000 snapshots of 10,000 pending transactions
// held 459 MB of the process (200 of 5,000 here: about 45 MB).
test('snapshots keep the pool as a list: 200 snapshots of 5,000 pending transactions hold a few MB', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  const call = (method, params = []) => provider.request({ method, params });
  await call('evm_setAutomine', [false]);
  await call('anvil_autoImpersonateAccount', [true]);
  const [from] = await call('eth_accounts');
  for (let nonce = 0; nonce < 5_000; nonce++) await call('eth_sendTransaction', [{ from, to: from, gas: '0x5208', nonce: `0x${nonce.toString(16)}` }]);
  assert.equal((await call('txpool_status')).pending, '0x1388');
  gc();
  const before = process.memoryUsage().heapUsed;
  const ids = [];
  for (let i = 0; i < 200; i++) ids.push(await call('evm_snapshot'));
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 16 * 1024 * 1024, `200 snapshots: ${(grown / 1024 / 1024).toFixed(1)} MiB`);
  // The first snapshot brings the pool back whole after a mine emptied it.
  await call('evm_mine');
  assert.ok(Number((await call('txpool_status')).pending) < 5_000);
  assert.equal(await call('evm_revert', [ids[0]]), true);
  assert.equal((await call('txpool_status')).pending, '0x1388');
  assert.equal(await call('eth_getTransactionCount', [from, 'pending']), '0x1388');
  chain.close();
});
