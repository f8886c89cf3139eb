// evm_snapshot / evm_revert after many blocks: a dev node reverted to a snapshot answers every
// query as a fresh node that mined only the blocks before it (same transactions, same
// timestamps), and both go on mining the same blocks. Snapshots are checkpoints of the chain's
// history now (no copy of the engine): this checks that undoing 300 blocks of transfers, token
// transfers with logs, deployments and state edits puts back balances, nonces, code, storage,
// blocks, receipts, logs, filters, the pool and the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, createDevProvider, createEngine } from '../dist/esm/node.js';
import { TOKEN_BYTECODE, erc20BalanceSlot, erc20TransferCalldata } from './fixtures/erc20.mjs';

const T0 = 1_900_000_000;
const hex = (n) => '0x' + BigInt(n).toString(16);
const recipient = (i) => '0x' + (0xbe00 + (i % 9)).toString(16).padStart(40, '0');
/** Init code of a contract whose code returns slot 0, and which stores `i` there: `PUSH i PUSH0 SSTORE`, then copies the runtime out. */
const initCode = (i) => {
  const runtime = '60005460005260206000f3';
  const store = '63' + i.toString(16).padStart(8, '0') + '600055';
  const copy = '600b' + '80' + '6013' + '6000' + '39' + '6000' + 'f3';
  return '0x' + store + copy + runtime;
};

async function node() {
  const chain = new DevChain(await createEngine(), { accounts: 3 });
  const provider = createDevProvider(chain);
  const call = async (method, ...params) => provider.request({ method, params });
  const [a0, a1, a2] = chain.accounts.map((a) => a.address);
  return { chain, call, a0, a1, a2 };
}

/** Block `i` of the script both nodes follow, at timestamp T0 + i. */
async function step(n, token, i) {
  await n.call('evm_setNextBlockTimestamp', hex(T0 + i));
  switch (i % 4) {
    case 0:
      return n.call('eth_sendTransaction', { from: n.a0, to: token, data: erc20TransferCalldata(recipient(i), BigInt(i + 1)) });
    case 1:
      return n.call('eth_sendTransaction', { from: n.a1, to: recipient(i), value: hex(i + 1) });
    case 2:
      return n.call('eth_sendTransaction', { from: n.a2, data: initCode(i) });
    default:
      await n.call('anvil_setStorageAt', recipient(i), hex(i), hex(i * 7));
      return n.call('eth_sendTransaction', { from: n.a0, to: token, data: erc20TransferCalldata(n.a1, 1n) });
  }
}

/** Deploys the token (block 1) and mines blocks 0..count of the script; returns the token and the hashes. */
async function script(n, from, to, token) {
  const hashes = [];
  if (token === undefined) {
    await n.call('evm_setNextBlockTimestamp', hex(T0 - 1));
    const hash = await n.call('eth_sendTransaction', { from: n.a0, data: TOKEN_BYTECODE });
    token = (await n.call('eth_getTransactionReceipt', hash)).contractAddress;
    hashes.push(hash);
  }
  for (let i = from; i < to; i++) hashes.push(await step(n, token, i));
  return { token, hashes };
}

/** Every answer the test compares, from one node. */
async function answers(n, token, hashes, created) {
  const head = BigInt(await n.call('eth_blockNumber'));
  const blocks = [];
  for (let b = 0n; b <= head + 1n; b++) blocks.push(await n.call('eth_getBlockByNumber', hex(b), true));
  const addresses = [n.a0, n.a1, n.a2, token, ...created, ...Array.from({ length: 9 }, (_, i) => recipient(i))];
  const accounts = [];
  for (const a of addresses) {
    accounts.push([
      await n.call('eth_getBalance', a, 'latest'),
      await n.call('eth_getTransactionCount', a, 'latest'),
      await n.call('eth_getCode', a, 'latest'),
      await n.call('eth_getStorageAt', a, '0x0', 'latest'),
      await n.call('eth_getStorageAt', token, erc20BalanceSlot(a), 'latest'),
    ]);
  }
  // The history window: the state at older blocks.
  const past = [];
  for (const b of [head, head - 1n, head - 50n, head - 127n]) past.push(await n.call('eth_getBalance', n.a1, hex(b)), await n.call('eth_getStorageAt', token, erc20BalanceSlot(n.a0), hex(b)));
  const receipts = [];
  for (const h of hashes) receipts.push(await n.call('eth_getTransactionReceipt', h));
  const logs = await n.call('eth_getLogs', { fromBlock: '0x0', toBlock: 'latest', address: token });
  return { head, blocks, accounts, past, receipts, logs, slots: await n.call('eth_getStorageAt', recipient(3), hex(3), 'latest') };
}

test('evm_revert after 300 blocks answers as a fresh node that mined only the blocks before the snapshot; both go on alike', async () => {
  const reverted = await node();
  const fresh = await node();
  const { token, hashes } = await script(reverted, 0, 160);
  const replayed = await script(fresh, 0, 160);
  assert.equal(replayed.token, token);
  assert.deepEqual(replayed.hashes, hashes);
  const created = (await Promise.all(hashes.map((h) => reverted.call('eth_getTransactionReceipt', h)))).map((r) => r.contractAddress).filter((a) => a != null);
  const filter = await reverted.call('eth_newFilter', { fromBlock: '0x0', address: token });
  const freshFilter = await fresh.call('eth_newFilter', { fromBlock: '0x0', address: token });

  const id = await reverted.call('evm_snapshot');
  // 300 more blocks (past the 128-block history window), edits, a queued transaction, time.
  const later = await script(reverted, 160, 460, token);
  await reverted.call('anvil_setCode', reverted.a2, '0x6001');
  await reverted.call('anvil_setNonce', reverted.a1, '0x99');
  await reverted.call('anvil_setBalance', token, '0x1234');
  await reverted.call('evm_setAutomine', false);
  await reverted.call('eth_sendTransaction', { from: reverted.a0, to: reverted.a1, value: '0x1' });
  await reverted.call('evm_increaseTime', '0x100000');
  assert.equal((await reverted.call('txpool_status')).pending, '0x1');
  assert.equal((await reverted.call('eth_getFilterChanges', filter)).length, 1 + 230);

  assert.equal(await reverted.call('evm_revert', id), true);
  assert.equal(await reverted.call('evm_revert', id), false, 'a snapshot is used up by its revert');
  await reverted.call('evm_setAutomine', true);
  assert.deepEqual((await reverted.call('txpool_status')).pending, '0x0');
  const [got, want] = [await answers(reverted, token, [...hashes, ...later.hashes], created), await answers(fresh, token, [...hashes, ...later.hashes], created)];
  assert.equal(got.head, 160n + 1n);
  assert.deepEqual(got, want);
  assert.ok(want.logs.length > 80);
  assert.deepEqual(await reverted.call('eth_getFilterLogs', filter), await fresh.call('eth_getFilterLogs', freshFilter));

  // Both mine the same next blocks (the clock is the snapshot's: no increaseTime left over).
  const next = await script(reverted, 160, 170, token);
  assert.deepEqual((await script(fresh, 160, 170, token)).hashes, next.hashes);
  assert.deepEqual(await answers(reverted, token, next.hashes, created), await answers(fresh, token, next.hashes, created));
  const [mine, theirs] = [await reverted.call('eth_getBlockByNumber', 'latest', false), await fresh.call('eth_getBlockByNumber', 'latest', false)];
  assert.equal(mine.hash, theirs.hash);
  assert.equal(mine.stateRoot, theirs.stateRoot);
  reverted.chain.close();
  fresh.chain.close();
});

test('snapshots nest as hardhat’s: reverting to one uses it and the later ones up, the earlier ones stay', async () => {
  const n = await node();
  const ids = [];
  const balances = [];
  for (let i = 0; i < 4; i++) {
    ids.push(await n.call('evm_snapshot'));
    balances.push(await n.call('eth_getBalance', n.a1, 'latest'));
    for (let k = 0; k < 40; k++) await n.call('eth_sendTransaction', { from: n.a0, to: n.a1, value: '0x1' });
  }
  assert.equal(await n.call('evm_revert', ids[2]), true);
  assert.equal(await n.call('eth_getBalance', n.a1, 'latest'), balances[2]);
  assert.equal(await n.call('evm_revert', ids[3]), false);
  assert.equal(await n.call('evm_revert', ids[2]), false);
  await n.call('eth_sendTransaction', { from: n.a0, to: n.a1, value: '0x1' });
  assert.equal(await n.call('evm_revert', ids[1]), true);
  assert.equal(await n.call('eth_getBalance', n.a1, 'latest'), balances[1]);
  assert.equal(await n.call('eth_blockNumber'), hex(40));
  // A new snapshot after a revert works as any other.
  const again = await n.call('evm_snapshot');
  await n.call('eth_sendTransaction', { from: n.a0, to: n.a1, value: '0x1' });
  assert.equal(await n.call('evm_revert', again), true);
  assert.equal(await n.call('evm_revert', ids[0]), true);
  assert.equal(await n.call('eth_blockNumber'), '0x0');
  assert.equal(await n.call('eth_getBalance', n.a1, 'latest'), balances[0]);
  n.chain.close();
});
