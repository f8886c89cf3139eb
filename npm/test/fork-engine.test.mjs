// Forked engines against a real node (anvil from npm, started here): the ERC-20 fixture and
// Uniswap V2 deployed and driven there, then forked. Calls must return what the node returns at
// the pinned block; transactions re-run on the fork (replayed, or sent to an engine forked just
// before them) must end as the node's own receipts say (status, gas used, logs); the pin holds
// when the node moves on; round trips are counted; faults leave the engine usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, custom, encodeFunctionData } from 'viem';
import { createEngine, createProvider, ForkedEngine, ZkosError } from '../dist/esm/node.js';
import { TOKEN_ABI, erc20BalanceSlot } from './fixtures/erc20.mjs';
import { startNode } from './fork/node.mjs';
import { faultyProxy } from './fork/faulty.mjs';
import { startNode as startDevNode } from './devnode/spawn.mjs';
import { AMOUNTS, UNI, DEV_KEYS, clients, deployScenario } from './fork/scenario.mjs';

let node;
let s;
let pub;
let pin;

before(async () => {
  node = await startNode();
  // One second between blocks: anvil's automine otherwise gives blocks mined in the same second
  // the same timestamp, which the Ethereum rules (and so a re-run) do not allow.
  await node.rpc('anvil_setBlockTimestampInterval', [1]);
  s = await deployScenario(node.url);
  ({ pub } = await clients(node.url));
  pin = await pub.getBlockNumber();
});

after(async () => {
  await node?.stop();
});

/** An engine forking the test node at `blockNumber` (default: the pin), Ethereum flow under anvil's rules. */
const forkAt = (blockNumber = pin, extra = {}) => createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: node.url, ...extra.fork }, blockNumber, ...extra.engine });

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof ZkosError, `a ZkosError, got ${err}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

const balanceOf = (holder) => encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [holder] });
const transferData = (to, amount) => encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [to, amount] });
const swapRequest = () => ({
  from: s.a,
  to: s.router,
  data: encodeFunctionData({ abi: UNI.router.abi, functionName: 'swapExactTokensForTokens', args: [10n ** 18n, 0n, [s.tokenX, s.tokenY], s.b, 2n ** 40n] }),
});
const lowerLogs = (logs) => logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics.map((t) => t.toLowerCase()), data: l.data.toLowerCase() }));

test('fork engine: the engine builds on the pinned block; chain id from the node', async () => {
  const engine = await forkAt();
  assert.ok(engine instanceof ForkedEngine);
  assert.equal(engine.chainId, 31337n);
  const header = await pub.getBlock({ blockNumber: pin });
  assert.equal(engine.blockNumber(), pin);
  assert.equal(engine.getBlock('latest').hash, header.hash);
  const hash = await engine.sendRawTransaction(await signedTransfer(s.b, 1n));
  const mined = engine.getBlock('latest');
  assert.equal(mined.number, pin + 1n);
  assert.equal(mined.parentHash, header.hash);
  assert.ok(mined.timestamp > header.timestamp);
  assert.equal(mined.gasLimit, header.gasLimit);
  assert.equal(mined.miner, header.miner.toLowerCase());
  assert.equal(mined.mixHash, header.mixHash);
  // EIP-1559 from the fork block: anvil's next block has exactly this base fee.
  const next = await forkAt(pin, { engine: { chainId: 31337 } });
  assert.equal(next.chainId, 31337n);
  assert.equal(mined.baseFeePerGas, nextBaseFee(header));
  assert.equal(engine.getTransactionReceipt(hash).status, true);
  engine.free();
  next.free();
  await rejectsWith(engine.call({ to: s.token, data: balanceOf(s.a) }), 'ENGINE_FREED');
});

/** EIP-1559's next base fee (independent of the engine's: written from the EIP's formula). */
function nextBaseFee(h) {
  const target = h.gasLimit / 2n;
  if (h.gasUsed === target) return h.baseFeePerGas;
  if (h.gasUsed > target) {
    const d = (h.baseFeePerGas * (h.gasUsed - target)) / target / 8n;
    return h.baseFeePerGas + (d > 1n ? d : 1n);
  }
  return h.baseFeePerGas - (h.baseFeePerGas * (target - h.gasUsed)) / target / 8n;
}

/** A transfer of the ERC-20 fixture from dev account #0, signed with its next nonce at the pin. */
async function signedTransfer(to, amount) {
  const { wallet } = await clients(node.url);
  const w = wallet(DEV_KEYS[0]);
  const nonce = await pub.getTransactionCount({ address: s.a, blockNumber: pin });
  const block = await pub.getBlock({ blockNumber: pin });
  return w.signTransaction({ to: s.token, data: transferData(to, amount), nonce, gas: 100_000n, maxFeePerGas: block.baseFeePerGas * 2n + 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n, chainId: 31337 });
}

test('fork engine: BLOCKHASH of the forked chain\'s blocks (older ones fetched), PREVRANDAO of the fork block', async () => {
  const engine = await forkAt();
  // PUSH1 n BLOCKHASH PUSH0 MSTORE PUSH1 32 PUSH0 RETURN; PREVRANDAO PUSH0 MSTORE PUSH1 32 PUSH0 RETURN.
  const probe = '0x' + '00'.repeat(19) + 'b1';
  const blockHashOf = (n) => engine.call({ to: probe }, { stateOverride: { [probe]: { code: `0x60${n.toString(16).padStart(2, '0')}405f5260205ff3` } } });
  for (const n of [pin, pin - 1n, pin - 5n, 1n]) {
    if (n === pin - 1n) engine.fork.resetStats();
    assert.equal((await blockHashOf(n)).returnData, (await pub.getBlock({ blockNumber: n })).hash, `block ${n}`);
  }
  // The fork block and its parent come with the pin; the two older ones are a wave each.
  assert.equal(engine.fork.stats().roundTrips, 2);
  const randao = await engine.call({ to: probe }, { stateOverride: { [probe]: { code: '0x445f5260205ff3' } } });
  assert.equal(randao.returnData, (await pub.getBlock({ blockNumber: pin })).mixHash);
  engine.free();
});

test('fork engine: a Prague fork reads the chain\'s EIP-2935 history contract; nothing of zkos\'s genesis is written over it', async () => {
  const prague = await startNode({ hardfork: 'prague' });
  try {
    await prague.rpc('anvil_mine', ['0x5']);
    const at = BigInt(await prague.rpc('eth_blockNumber'));
    const engine = await createEngine({ flow: 'ethereum', hardfork: 'prague', fork: { url: prague.url }, blockNumber: at });
    const history = '0x0000f90827f1c53a10cb7a02335b175320002935';
    const tag = '0x' + at.toString(16);
    const slot = (n) => '0x' + (n % 8191n).toString(16).padStart(64, '0');
    // The contract as the chain holds it (anvil deploys it with nonce 0; zkos's own genesis
    // gives it nonce 1, which must not show through).
    const account = await engine.getAccount(history);
    assert.equal(account.code, await prague.rpc('eth_getCode', [history, tag]));
    assert.equal(account.nonce, BigInt(await prague.rpc('eth_getTransactionCount', [history, tag])));
    assert.equal(account.balance, BigInt(await prague.rpc('eth_getBalance', [history, tag])));
    // Its storage reads through the fork: the hash of block at − 1, stored by the chain.
    const parent = await prague.rpc('eth_getBlockByNumber', ['0x' + (at - 1n).toString(16), false]);
    assert.equal(await engine.getStorage(history, slot(at - 1n)), parent.hash);
    assert.equal(await engine.getStorage(history, slot(at - 1n)), await prague.rpc('eth_getStorageAt', [history, slot(at - 1n), tag]));
    // A contract asking it for that hash gets the chain's answer.
    const get = await engine.call({ to: history, data: '0x' + (at - 1n).toString(16).padStart(64, '0') });
    assert.equal(get.returnData, parent.hash);
    // A block mined on the fork stores the fork block's hash in the chain's contract, whose
    // older slots stay the chain's.
    await engine.runBlock({ transactions: [] });
    assert.equal(await engine.getStorage(history, slot(at)), (await prague.rpc('eth_getBlockByNumber', [tag, false])).hash);
    assert.equal(await engine.getStorage(history, slot(at - 1n)), parent.hash);
    engine.free();
  } finally {
    await prague.stop();
  }
});

test('fork engine: calls return what the node returns at the pinned block', async () => {
  const engine = await forkAt();
  const calls = [
    { to: s.token, data: balanceOf(s.a) },
    { to: s.token, data: balanceOf(s.b) },
    { to: s.tokenY, data: balanceOf(s.b) },
    { to: s.pair, data: encodeFunctionData({ abi: UNI.pair.abi, functionName: 'getReserves' }) },
    { to: s.factory, data: encodeFunctionData({ abi: UNI.factory.abi, functionName: 'getPair', args: [s.tokenX, s.tokenY] }) },
    { to: s.router, data: encodeFunctionData({ abi: UNI.router.abi, functionName: 'getAmountsOut', args: [10n ** 18n, [s.tokenX, s.tokenY]] }) },
  ];
  for (const c of calls) {
    const ours = await engine.call({ from: s.a, ...c });
    const theirs = await pub.call({ account: s.a, ...c, blockNumber: pin });
    assert.equal(ours.status, 'success');
    assert.equal(ours.returnData, theirs.data);
  }
  // The router swap as a simulation: the same output amounts as the node's eth_call.
  const swap = swapRequest();
  const ours = await engine.call(swap);
  const theirs = await pub.call({ account: swap.from, to: swap.to, data: swap.data, blockNumber: pin });
  assert.equal(ours.status, 'success');
  assert.equal(ours.returnData, theirs.data);
  // Accounts and slots read through the engine are the node's.
  assert.equal((await engine.getAccount(s.a)).balance, await pub.getBalance({ address: s.a, blockNumber: pin }));
  assert.equal(await engine.getStorage(s.token, erc20BalanceSlot(s.b)), await pub.getStorageAt({ address: s.token, slot: erc20BalanceSlot(s.b), blockNumber: pin }));
  assert.equal((await engine.getAccount(s.router)).code, await pub.getCode({ address: s.router, blockNumber: pin }));
  engine.free();
});

test('fork engine: transactions sent to an engine forked just before them end as the node\'s receipts', async () => {
  for (const name of ['token.transfer', 'router.addLiquidity', 'router.swap', 'pair.swap', 'factory.createPair', 'router.deploy']) {
    const tx = s.tx[name];
    const engine = await forkAt(tx.blockNumber - 1n);
    const hash = await engine.sendRawTransaction(tx.raw);
    assert.equal(hash, tx.hash, name);
    const r = engine.getTransactionReceipt(hash);
    assert.equal(r.status, tx.status === 'success', name);
    assert.equal(r.gasUsed, tx.gasUsed, `${name}: gas used`);
    assert.deepEqual(lowerLogs(r.logs), lowerLogs(tx.logs), `${name}: logs`);
    if (tx.contractAddress !== null) assert.equal(r.contractAddress, tx.contractAddress.toLowerCase());
    engine.free();
  }
});

test('fork engine: replayTransaction steps a transaction of the forked chain to the node\'s receipt', async () => {
  const engine = await forkAt();
  for (const name of ['token.transfer', 'router.swap', 'pair.swap']) {
    const tx = s.tx[name];
    const { engine: at, session, index, reopen } = await engine.replayTransaction(tx.hash);
    assert.equal(index, tx.transactionIndex);
    assert.equal(at.forkBlock.number, tx.blockNumber - 1n);
    assert.equal(session.txIndex, index);
    assert.equal(session.phase, 'validation');
    const first = await session.step(5);
    assert.equal(first.steps, 5n);
    await session.continue({ phase: 'blockFinish' });
    const result = session.result();
    assert.equal(result.status, 'success', name);
    assert.equal(result.gasUsed, tx.gasUsed, `${name}: gas used`);
    assert.deepEqual(lowerLogs(result.logs), lowerLogs(tx.logs), `${name}: logs`);
    await session.step();
    const sealed = session.block();
    assert.equal(sealed.number, tx.blockNumber);
    assert.equal(sealed.timestamp, tx.block.timestamp);
    // Again from the start, from what the first run fetched: no round trip.
    const trips = at.fork.stats().roundTrips;
    const again = await reopen();
    assert.equal(again.phase, 'validation');
    await again.continue({ phase: 'blockFinish' });
    assert.equal(again.result().gasUsed, tx.gasUsed, `${name}: gas used again`);
    assert.equal(at.fork.stats().roundTrips, trips);
    again.free();
    session.free();
    at.free();
  }
  await rejectsWith(engine.replayTransaction('0x' + '11'.repeat(32)), 'NOT_FOUND');
  await assert.rejects(engine.replayTransaction('0x' + '11'.repeat(32)), (err) => err.data?.pending === false);
  engine.free();

  // A block of three transactions (automine off, then one block): the third is replayed after
  // the first two ran in the session, and ends as its receipt says.
  const { wallet } = await clients(node.url);
  const [wa, wb] = [wallet(DEV_KEYS[0]), wallet(DEV_KEYS[1])];
  const fees = { gas: 100_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n, chainId: 31337 };
  const nonceA = await pub.getTransactionCount({ address: s.a });
  const nonceB = await pub.getTransactionCount({ address: s.b });
  const raws = [
    await wa.signTransaction({ to: s.token, data: transferData(s.b, 11n), nonce: nonceA, ...fees }),
    await wb.signTransaction({ to: s.token, data: transferData('0x' + 'ef'.repeat(20), 3n), nonce: nonceB, ...fees }),
    await wa.signTransaction({ to: s.token, data: transferData('0x' + 'ef'.repeat(20), 5n), nonce: nonceA + 1, ...fees }),
  ];
  await node.rpc('evm_setAutomine', [false]);
  const hashes = [];
  for (const raw of raws) hashes.push(await node.rpc('eth_sendRawTransaction', [raw]));
  // Pending (in the pool, in no block): refused as such.
  const waiting = await forkAt(await pub.getBlockNumber());
  await assert.rejects(waiting.replayTransaction(hashes[0]), (err) => err.code === 'NOT_FOUND' && err.data?.pending === true && /pending/.test(err.message));
  waiting.free();
  await node.rpc('evm_mine', []);
  await node.rpc('evm_setAutomine', [true]);
  const receipts = await Promise.all(hashes.map((hash) => pub.getTransactionReceipt({ hash })));
  assert.ok(receipts.every((r) => r.blockNumber === receipts[0].blockNumber && r.status === 'success'));
  const later = await forkAt(receipts[0].blockNumber);
  const third = receipts.find((r) => r.transactionIndex === 2);
  const { engine: at, session, index, reopen } = await later.replayTransaction(third.transactionHash);
  assert.equal(index, 2);
  assert.equal(session.txIndex, 2);
  assert.equal(session.txCount, 3);
  assert.equal(session.phase, 'validation');
  assert.equal(session.logs().filter((l) => !l.pending).length, 2, 'the first two ran');
  await session.continue({ phase: 'blockFinish' });
  const result = session.result();
  assert.equal(result.gasUsed, third.gasUsed);
  assert.deepEqual(lowerLogs(result.logs), lowerLogs(third.logs));
  await session.step();
  assert.deepEqual(session.block().transactions.map((t) => t.gasUsed), [0, 1, 2].map((i) => receipts.find((r) => r.transactionIndex === i).gasUsed));
  // Recorded from the third transaction on: its notes stand at its index, the first two are empty.
  const recorded = await reopen();
  let gas = 0;
  for (let done = false; !done; ) {
    const r = await recorded.recordSteps(100_000);
    assert.ok(r.tx.every((t) => t >= 2), 'nothing of the first two transactions');
    gas += r.ergsCost.reduce((a, b) => a + b, 0) / 256;
    done = r.done;
  }
  const notes = recorded.recordedTransactions();
  assert.deepEqual(notes.slice(0, 2), [{}, {}]);
  assert.equal(notes[2].gas.gasUsed, third.gasUsed);
  assert.equal(BigInt(gas), third.gasUsed);
  recorded.free();
  session.free();
  at.free();
  later.free();
});

test('fork engine: a session records its steps over a cold fork as over a warm one', async () => {
  const record = async (engine) => {
    const session = await engine.session(swapRequest());
    const columns = [];
    let calls = 0;
    for (;;) {
      const r = await session.recordSteps(100_000);
      calls++;
      columns.push(r);
      if (r.done) break;
    }
    const steps = columns.reduce((n, c) => n + c.count, 0);
    const ergs = columns.reduce((n, c) => n + c.ergsCost.reduce((a, b) => a + b, 0), 0);
    const ops = columns.flatMap((c) => Array.from(c.op.subarray(0, c.count)));
    const result = session.result();
    session.free();
    return { steps, ergs, ops, result, calls };
  };
  const cold = await forkAt(pin, { engine: { accessListHint: false } });
  const coldRun = await record(cold);
  // Warm: every value known before the session starts (a call fetched them).
  const warm = await forkAt();
  await warm.call(swapRequest());
  const warmRun = await record(warm);
  assert.ok(coldRun.calls > warmRun.calls, `the cold session stopped at its pauses (${coldRun.calls} calls, ${warmRun.calls} warm)`);
  assert.equal(coldRun.steps, warmRun.steps);
  assert.equal(coldRun.ergs, warmRun.ergs);
  assert.deepEqual(coldRun.ops, warmRun.ops);
  assert.equal(coldRun.result.gasUsed, (await warm.call(swapRequest())).gasUsed);
  cold.free();
  warm.free();
});

test('fork engine: a session whose fetch fails stays where it stood and steps on once the node is back', async () => {
  const proxy = await faultyProxy(node.url);
  try {
    const engine = await forkAt(pin, { fork: { url: proxy.url, retries: 0 } });
    const session = await engine.session(swapRequest());
    // The node fails from the first step that needs a value the engine lacks.
    proxy.set(() => ({ status: 500, body: 'down' }));
    let taken = 0n;
    await rejectsWith(session.continue(), 'FORK_UNAVAILABLE');
    const where = { phase: session.phase, frames: session.frames(), logs: session.logs().length };
    await rejectsWith(session.step(1_000_000), 'FORK_UNAVAILABLE');
    assert.deepEqual({ phase: session.phase, frames: session.frames(), logs: session.logs().length }, where, 'a failed fetch moved the session');
    assert.equal(session.finished, false);
    // The node back: the session goes on from there and ends as an undisturbed run does.
    proxy.set(undefined);
    for (;;) {
      const r = await session.step(100_000);
      taken += r.steps;
      if (r.finished) break;
    }
    const result = session.result();
    const warm = await forkAt();
    const expected = await warm.call(swapRequest());
    assert.equal(result.status, expected.status);
    assert.equal(result.gasUsed, expected.gasUsed);
    assert.equal(result.returnData, expected.returnData);
    assert.ok(taken > 0n);
    session.free();
    engine.free();
    warm.free();
  } finally {
    await proxy.close();
  }
});

test('fork engine: round trips — ERC-20 transfer estimate cold ≤ 3, repeated 0; Uniswap swap reported', async (t) => {
  const engine = await forkAt();
  engine.fork.resetStats();
  const transfer = { from: s.a, to: s.token, data: transferData(s.b, 5n) };
  const cold = await engine.estimateGas(transfer);
  const coldStats = engine.fork.stats();
  assert.ok(coldStats.roundTrips <= 3, `cold transfer: ${coldStats.roundTrips} round trips`);
  assert.ok(cold.gasLimit > 21_000n);
  engine.fork.resetStats();
  const warm = await engine.estimateGas(transfer);
  assert.equal(engine.fork.stats().roundTrips, 0);
  assert.equal(warm.gasLimit, cold.gasLimit);
  // The limit found lets the transfer run at the node too, and what it uses is what the engine says.
  const atNode = await node.rpc('debug_traceCall', [{ from: s.a, to: s.token, data: transfer.data, gas: '0x' + cold.gasLimit.toString(16) }, '0x' + pin.toString(16), { tracer: 'callTracer' }]);
  assert.equal(atNode.error, undefined);
  assert.equal(BigInt(atNode.gasUsed), (await engine.call(transfer)).gasUsed);

  engine.fork.resetStats();
  await engine.estimateGas(swapRequest());
  const swapCold = engine.fork.stats();
  engine.fork.resetStats();
  await engine.estimateGas(swapRequest());
  const swapWarm = engine.fork.stats();
  assert.equal(swapWarm.roundTrips, 0);
  t.diagnostic(`ERC-20 transfer estimate: cold ${coldStats.roundTrips} round trips / ${coldStats.keysFetched} keys, warm 0`);
  t.diagnostic(`Uniswap router swap estimate: cold ${swapCold.roundTrips} round trips / ${swapCold.keysFetched} keys, warm ${swapWarm.roundTrips}`);
  engine.free();

  // Without the access-list hint: one pause per slot read, still within the bound for the transfer.
  const plain = await forkAt(pin, { engine: { accessListHint: false } });
  plain.fork.resetStats();
  assert.equal((await plain.estimateGas(transfer)).gasLimit, cold.gasLimit);
  const plainStats = plain.fork.stats();
  assert.ok(plainStats.roundTrips <= 3, `cold transfer without the hint: ${plainStats.roundTrips} round trips`);
  assert.ok(plainStats.roundTrips >= coldStats.roundTrips);
  plain.fork.resetStats();
  await plain.estimateGas(swapRequest());
  const plainSwap = plain.fork.stats();
  assert.ok(plainSwap.roundTrips > swapCold.roundTrips, `the hint saves round trips on the swap (${plainSwap.roundTrips} without, ${swapCold.roundTrips} with)`);
  t.diagnostic(`without the access-list hint: ERC-20 transfer ${plainStats.roundTrips} round trips, Uniswap swap ${plainSwap.roundTrips} round trips / ${plainSwap.keysFetched} keys`);
  plain.free();
});

test('fork engine: the Zk flow on a fork charges native and pubdata; a zero slot read from the node is new', async () => {
  const fees = { baseFee: 1000n, coinbase: '0x' + '00'.repeat(20), blockGasLimit: 100_000_000n };
  const forked = await createEngine({ flow: 'zk', fork: { url: node.url }, blockNumber: pin, ...fees });
  // The same state set locally: a local engine holds a slot iff it is non-zero, the rule a fork
  // applies to values read from the node (zero: new; non-zero: existing).
  const local = await createEngine({ flow: 'zk', chainId: 31337, ...fees });
  const fresh = '0x' + 'ab'.repeat(20);
  const storage = {};
  for (const holder of [s.a, s.b, fresh]) {
    const slot = erc20BalanceSlot(holder);
    const value = await pub.getStorageAt({ address: s.token, slot, blockNumber: pin });
    if (BigInt(value) !== 0n) storage[slot] = value;
  }
  assert.equal(Object.keys(storage).length, 2, 'a and b hold tokens, the fresh address none');
  local.setAccount(s.token, { code: await pub.getCode({ address: s.token, blockNumber: pin }), nonce: 1n, storage });
  local.setAccount(s.a, { balance: await pub.getBalance({ address: s.a, blockNumber: pin }), nonce: BigInt(await pub.getTransactionCount({ address: s.a, blockNumber: pin })) });
  const toExisting = { from: s.a, to: s.token, data: transferData(s.b, 7n) };
  const toNew = { from: s.a, to: s.token, data: transferData(fresh, 7n) };
  const fe = await forked.call(toExisting);
  const fn = await forked.call(toNew);
  const le = local.call(toExisting);
  const ln = local.call(toNew);
  for (const [f, l] of [[fe, le], [fn, ln]]) {
    assert.equal(f.status, 'success');
    assert.ok(f.nativeUsed > 0n && f.pubdataBytes > 0n);
    assert.equal(f.gasUsed, l.gasUsed);
    assert.equal(f.nativeUsed, l.nativeUsed);
    assert.equal(f.pubdataBytes, l.pubdataBytes);
  }
  // Writing the zero slot is charged as a new one: more native than writing an existing one.
  assert.ok(fn.nativeUsed > fe.nativeUsed, `new ${fn.nativeUsed} > existing ${fe.nativeUsed}`);
  const estimate = await forked.estimateGas(toNew);
  assert.ok(estimate.nativeUsed > 0n && estimate.pubdataBytes > 0n);
  forked.free();
  local.free();
});

test('fork engine: the EIP-1193 provider answers over a forked engine', async () => {
  const engine = await forkAt();
  const provider = createProvider(engine);
  assert.equal(await provider.request({ method: 'eth_chainId' }), '0x7a69');
  const data = balanceOf(s.b);
  assert.equal(await provider.request({ method: 'eth_call', params: [{ to: s.token, data }, 'latest'] }), (await pub.call({ to: s.token, data, blockNumber: pin })).data);
  assert.equal(BigInt(await provider.request({ method: 'eth_getBalance', params: [s.a, 'latest'] })), await pub.getBalance({ address: s.a, blockNumber: pin }));
  assert.equal(await provider.request({ method: 'eth_getCode', params: [s.token, 'latest'] }), await pub.getCode({ address: s.token, blockNumber: pin }));
  const gas = BigInt(await provider.request({ method: 'eth_estimateGas', params: [{ from: s.a, to: s.token, data: transferData(s.b, 1n) }] }));
  assert.equal(gas, (await engine.estimateGas({ from: s.a, to: s.token, data: transferData(s.b, 1n) })).gasLimit);
  const hash = await provider.request({ method: 'eth_sendRawTransaction', params: [await signedTransfer(s.b, 3n)] });
  const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] });
  assert.equal(receipt.status, '0x1');
  engine.free();
});

test('fork engine: eth_createAccessList names what the node names, with its gas (ERC-20 transfer, Uniswap swap; viem)', async () => {
  // The node answers in the block it reads, zkos in the block after it: on a block 12 s after
  // the pair's last update both see time passed (Uniswap V2 then writes its price slots).
  await node.rpc('anvil_mine', ['0x1', '0xc']);
  const at = await pub.getBlockNumber();
  const atHex = '0x' + at.toString(16);
  const engine = await forkAt(at);
  const provider = createProvider(engine);
  /** A list with its addresses and keys lower-cased and sorted (the node need not sort). */
  const canonical = (list) =>
    list
      .map((i) => ({ address: i.address.toLowerCase(), storageKeys: i.storageKeys.map((k) => k.toLowerCase()).sort() }))
      .sort((x, y) => (x.address < y.address ? -1 : 1));
  for (const request of [{ from: s.a, to: s.token, data: transferData(s.b, 1n) }, swapRequest()]) {
    const node_ = await node.rpc('eth_createAccessList', [request, atHex]);
    const ours = await provider.request({ method: 'eth_createAccessList', params: [request, 'latest'] });
    assert.deepEqual(canonical(ours.accessList), canonical(node_.accessList));
    assert.ok(ours.accessList.some((i) => i.storageKeys.length > 0), 'slots named');
    assert.equal(ours.gasUsed, node_.gasUsed);
    assert.equal(ours.error, undefined);
    // The list as ours gives it: addresses in order, keys in order within each.
    assert.deepEqual(ours.accessList, canonical(ours.accessList));
  }
  // viem's createAccessList through the provider.
  const client = createPublicClient({ transport: custom(provider) });
  const viaViem = await client.createAccessList({ account: s.a, to: s.token, data: transferData(s.b, 1n) });
  assert.deepEqual(canonical(viaViem.accessList), canonical((await node.rpc('eth_createAccessList', [{ from: s.a, to: s.token, data: transferData(s.b, 1n) }, atHex])).accessList));
  // A transfer of more tokens than the sender holds reverts: an answer with its error.
  const reverting = await provider.request({ method: 'eth_createAccessList', params: [{ from: s.a, to: s.token, data: transferData(s.b, 10n ** 30n) }, 'latest'] });
  assert.equal(reverting.error, 'execution reverted');
  engine.free();
});

test('fork engine: a failed fetch leaves the engine usable and nothing half-supplied (node stopped, garbage, slow node)', async () => {
  const proxy = await faultyProxy(node.url);
  try {
    // Timeouts well above a loaded machine's answer time, and a slow answer well above them.
    const engine = await forkAt(pin, { fork: { url: proxy.url, retries: 0, timeoutMs: 1_500 } });
    const known = { from: s.a, to: s.token, data: balanceOf(s.a) };
    const before = await engine.call(known);
    const other = { from: s.a, to: s.tokenX, data: balanceOf(s.a) };
    // A node without eth_createAccessList: the hint is dropped, the call goes on.
    proxy.set(async ({ body, forward }) => {
      const answer = await forward();
      const refuse = (a) => (body.find((r) => r.id === a.id)?.method === 'eth_createAccessList' ? { jsonrpc: '2.0', id: a.id, error: { code: -32601, message: 'the method eth_createAccessList does not exist' } } : a);
      return { body: Array.isArray(body) ? answer.map(refuse) : answer };
    });
    const withoutHint = { from: s.a, to: s.tokenY, data: balanceOf(s.b) };
    assert.equal((await engine.call(withoutHint)).returnData, (await pub.call({ to: s.tokenY, data: balanceOf(s.b), blockNumber: pin })).data);
    assert.ok(proxy.bodies.flat().some((r) => r.method === 'eth_createAccessList'));
    // Garbage.
    proxy.set(() => ({ body: '{"jsonrpc":"2.0","id":' }));
    await rejectsWith(engine.call(other), 'FORK_BAD_RESPONSE');
    // A slow node: past the timeout.
    proxy.set(async ({ forward }) => ({ body: await forward(), delayMs: 4_000 }));
    await rejectsWith(engine.call(other), 'FORK_UNAVAILABLE');
    // Still usable: what it knows answers at once, without the node.
    proxy.set(() => ({ status: 500, body: 'down' }));
    assert.deepEqual(await engine.call(known), before);
    // The node back: the same call now goes through and equals the node's answer.
    proxy.set(undefined);
    const after = await engine.call(other);
    assert.equal(after.returnData, (await pub.call({ account: s.a, to: s.tokenX, data: balanceOf(s.a), blockNumber: pin })).data);
    engine.free();
  } finally {
    await proxy.close();
  }
  // A node stopped mid-run (its own anvil, so the others go on).
  const own = await startNode();
  const t = await deployScenario(own.url);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: own.url, retries: 1, retryDelayMs: 10, timeoutMs: 3_000 } });
  const known = { from: t.a, to: t.token, data: balanceOf(t.b) };
  const value = await engine.call(known);
  await own.stop();
  await rejectsWith(engine.call({ from: t.a, to: t.router, data: encodeFunctionData({ abi: UNI.router.abi, functionName: 'factory' }) }), 'FORK_UNAVAILABLE');
  await rejectsWith(engine.sendRawTransaction(t.tx['pair.swap'].raw), 'FORK_UNAVAILABLE');
  assert.equal(engine.blockNumber(), engine.forkBlock.number, 'no block was half-mined');
  assert.deepEqual(await engine.call(known), value);
  engine.free();
});

test('fork engine: reads at the pinned block stay put after the node moves on', async () => {
  const engine = await forkAt();
  const holder = '0x' + 'cd'.repeat(20);
  const at = async (e) => [(await e.call({ to: s.token, data: balanceOf(s.b) })).returnData, (await e.call({ to: s.token, data: balanceOf(holder) })).returnData];
  const first = await at(engine);
  // The node moves on: a transfer to b and to a new holder, then more blocks.
  const { wallet } = await clients(node.url);
  const w = wallet(DEV_KEYS[0]);
  for (const to of [s.b, holder]) {
    const hash = await w.sendTransaction({ to: s.token, data: transferData(to, AMOUNTS.tokenTransfer) });
    await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  }
  await node.rpc('anvil_mine', ['0x5']);
  assert.notEqual((await pub.call({ to: s.token, data: balanceOf(s.b) })).data, first[0], 'the node moved on');
  // The same engine, a new one at the same pin: the pin's values (the holder's slot was never read before by the new one).
  const again = await forkAt();
  assert.deepEqual(await at(again), first);
  assert.deepEqual(await at(engine), first);
  assert.equal(BigInt(first[1]), 0n);
  // Forked at latest, the new values.
  const latest = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: node.url } });
  assert.ok(latest.forkBlock.number > pin);
  assert.equal(BigInt((await latest.call({ to: s.token, data: balanceOf(holder) })).returnData), AMOUNTS.tokenTransfer);
  for (const e of [engine, again, latest]) e.free();
});

/** Runs the CLI (asynchronously: the node answers in this process). */
function cli(...args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'dist/esm/cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

test('fork engine: zkos call|estimate|trace --fork URL --fork-block N|HASH', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-fork-cli-'));
  try {
    const file = join(dir, 'tx.json');
    writeFileSync(file, JSON.stringify({ chain: { flow: 'ethereum', hardfork: 'cancun' }, tx: { from: s.a, to: s.token, data: balanceOf(s.b) } }));
    const at = ['--fork', node.url, '--fork-block', String(pin)];
    const call = await cli('call', file, ...at);
    assert.equal(call.status, 0, call.stderr);
    assert.equal(JSON.parse(call.stdout).returnData, (await pub.call({ to: s.token, data: balanceOf(s.b), blockNumber: pin })).data);
    // Pinned by hash (EIP-1898 style): the same block.
    const byHash = await cli('call', file, '--fork', node.url, '--fork-block', (await pub.getBlock({ blockNumber: pin })).hash);
    assert.equal(byHash.status, 0, byHash.stderr);
    assert.equal(JSON.parse(byHash.stdout).returnData, JSON.parse(call.stdout).returnData);
    writeFileSync(file, JSON.stringify({ chain: { flow: 'ethereum', hardfork: 'cancun' }, tx: { from: s.a, to: s.token, data: transferData(s.b, 1n) } }));
    const estimate = await cli('estimate', file, ...at);
    assert.equal(estimate.status, 0, estimate.stderr);
    const engine = await forkAt();
    assert.equal(BigInt(JSON.parse(estimate.stdout).gasLimit), (await engine.estimateGas({ from: s.a, to: s.token, data: transferData(s.b, 1n) })).gasLimit);
    const trace = await cli('trace', file, ...at, '--tracer', 'callTracer');
    assert.equal(trace.status, 0, trace.stderr);
    assert.equal(JSON.parse(trace.stdout).to, s.token);
    const down = await cli('call', file, '--fork', 'http://127.0.0.1:9', '--flow', 'ethereum');
    assert.equal(down.status, 1);
    assert.match(down.stderr, /FORK_UNAVAILABLE/);
    engine.free();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fork engine: zkos node --fork answers for blocks before the fork block as the node does, from the fork block on from its own history', async () => {
  const dev = await startDevNode(['--fork', node.url, '--fork-block', String(pin), '--flow', 'ethereum', '--hardfork', 'cancun']);
  try {
    const { pub: devPub, wallet } = await clients(dev.url);
    const data = balanceOf(s.b);
    // Before the fork block: the forked node's state at that block.
    for (const blockNumber of [1n, 2n, pin - 1n]) {
      const at = { blockNumber };
      assert.equal((await devPub.call({ to: s.token, data, ...at })).data, (await pub.call({ to: s.token, data, ...at })).data, `call at ${blockNumber}`);
      assert.equal(await devPub.getTransactionCount({ address: s.a, ...at }), await pub.getTransactionCount({ address: s.a, ...at }), `nonce at ${blockNumber}`);
      assert.equal(await devPub.getBalance({ address: s.a, ...at }), await pub.getBalance({ address: s.a, ...at }), `balance at ${blockNumber}`);
      const slot = erc20BalanceSlot(s.b);
      assert.equal(await devPub.getStorageAt({ address: s.token, slot, ...at }), await pub.getStorageAt({ address: s.token, slot, ...at }), `slot at ${blockNumber}`);
    }
    assert.notEqual(await pub.getTransactionCount({ address: s.a, blockNumber: 1n }), await pub.getTransactionCount({ address: s.a, blockNumber: pin - 1n }));
    // anvil's genesis header carries the empty trie's root while its state holds the dev
    // accounts: its proofs cannot be verified against it, and the read is refused.
    await assert.rejects(devPub.getBytecode({ address: s.token, blockNumber: 0n }), /a proof node does not hash to its reference/);
    const trusting = await startDevNode(['--fork', node.url, '--fork-block', String(pin), '--fork-verify', 'off']);
    try {
      assert.equal(await (await clients(trusting.url)).pub.getBytecode({ address: s.token, blockNumber: 0n }), undefined);
    } finally {
      await trusting.stop();
    }
    // The fork block: the forked chain's state, with the edits made before the first local block
    // (the dev accounts' balance), as the state at a block is the one the next block runs on.
    assert.equal((await devPub.call({ to: s.token, data, blockNumber: pin })).data, (await pub.call({ to: s.token, data, blockNumber: pin })).data);
    assert.equal(await devPub.getBalance({ address: s.a, blockNumber: pin }), 10_000n * 10n ** 18n);
    // After a local block, the fork block keeps the state before it.
    const other = '0x' + '66'.repeat(20);
    const hash = await wallet(DEV_KEYS[1]).sendTransaction({ to: s.token, data: transferData(other, 4n) });
    assert.equal((await devPub.waitForTransactionReceipt({ hash, pollingInterval: 20 })).blockNumber, pin + 1n);
    const held = balanceOf(other);
    assert.equal(BigInt((await devPub.call({ to: s.token, data: held, blockNumber: pin })).data), 0n);
    assert.equal(BigInt((await devPub.call({ to: s.token, data: held, blockNumber: pin + 1n })).data), 4n);
    assert.equal((await devPub.call({ to: s.token, data, blockNumber: pin })).data, (await pub.call({ to: s.token, data, blockNumber: pin })).data);
  } finally {
    await dev.stop();
  }
});

test('fork engine: zkos node --fork URL --fork-block N serves the forked chain to viem', async () => {
  const dev = await startDevNode(['--fork', node.url, '--fork-block', String(pin), '--flow', 'ethereum', '--hardfork', 'cancun']);
  try {
    assert.match(dev.banner, new RegExp(`Forking ${node.url} at block ${pin}`));
    const { pub: devPub, wallet } = await clients(dev.url);
    assert.equal(await devPub.getChainId(), 31337);
    assert.equal(await devPub.getBlockNumber(), pin);
    // The forked chain's contracts and balances, at the pin.
    const data = balanceOf(s.b);
    assert.equal((await devPub.call({ to: s.token, data })).data, (await pub.call({ to: s.token, data, blockNumber: pin })).data);
    // A dev account keeps the forked chain's nonce and gets the dev balance.
    assert.equal(await devPub.getTransactionCount({ address: s.a }), await pub.getTransactionCount({ address: s.a, blockNumber: pin }));
    assert.equal(await devPub.getBalance({ address: s.a }), 10_000n * 10n ** 18n);
    // A transfer signed by the client, mined on the fork: the receipt and the new balance.
    const w = wallet(DEV_KEYS[1]);
    const hash = await w.sendTransaction({ to: s.token, data: transferData('0x' + '77'.repeat(20), 9n) });
    const receipt = await devPub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.blockNumber, pin + 1n);
    assert.equal(BigInt((await devPub.call({ to: s.token, data: balanceOf('0x' + '77'.repeat(20)) })).data), 9n);
    // A transaction sent by the node for a dev account (nonce, fees and gas filled over the fork).
    const sent = await devPub.request({ method: 'eth_sendTransaction', params: [{ from: s.a, to: s.token, data: transferData('0x' + '77'.repeat(20), 1n) }] });
    assert.equal((await devPub.getTransactionReceipt({ hash: sent })).status, 'success');
    // anvil_dumpState over a fork holds what the node fetched or changed (as anvil dumps a
    // fork), never the rest of the chain: the token with the slots read and written, not the
    // Uniswap router nobody touched.
    const dump = await devPub.request({ method: 'anvil_dumpState', params: [] });
    const accounts = JSON.parse(gunzipSync(Buffer.from(dump.slice(2), 'hex')).toString('utf8')).accounts;
    const token = accounts[s.token.toLowerCase()];
    assert.equal(token.code, (await pub.getCode({ address: s.token, blockNumber: pin })).toLowerCase());
    assert.equal(BigInt(token.storage[erc20BalanceSlot('0x' + '77'.repeat(20))]), 10n);
    assert.equal(BigInt(token.storage[erc20BalanceSlot(s.b)]), await pub.getStorageAt({ address: s.token, slot: erc20BalanceSlot(s.b), blockNumber: pin }).then(BigInt) - 9n);
    assert.equal(accounts[s.router.toLowerCase()], undefined);
    // Loading cannot clear the chain's slots a dump leaves out: refused over a fork.
    await assert.rejects(devPub.request({ method: 'anvil_loadState', params: [dump] }), /not available over a fork/);
  } finally {
    await dev.stop();
  }
});

test('fork engine: a bounded call runs in slices between its fetches; over the bound it stops and the engine goes on', async () => {
  const cold = await forkAt();
  const warm = await forkAt();
  // A cold swap pauses for state many times; in slices of steps too it ends as the unbounded one.
  const swap = swapRequest();
  const bounded = await cold.call(swap, { timeoutMs: 60_000 });
  assert.deepEqual(bounded, await warm.call(swap));
  assert.equal(bounded.status, 'success');
  // Calls the modexp precompile until its 30M gas (the block's) are gone (about 5 s unbounded; the code is
  // spelled out in devnode-limits.test.mjs).
  const loop = '0x0000000000000000000000000000000000100901';
  const modexpLoop = '0x' + '6020600052' + '6020602052' + '6020604052' + '6003606052' + '600019608052' + '600260001903' + '60a052' + '5b' + '602060c060c0600060055afa50' + '602356';
  await cold.setAccount(loop, { code: modexpLoop });
  await rejectsWith(cold.call({ from: s.a, to: loop, gas: 30_000_000n }, { timeoutMs: 50 }), 'TIMEOUT');
  await rejectsWith(cold.trace({ from: s.a, to: loop, gas: 30_000_000n }, { tracer: 'callTracer', timeoutMs: 50 }), 'TIMEOUT');
  assert.deepEqual(await cold.call(swap), bounded);
  cold.free();
  warm.free();
});
