// The typed API: accounts, blocks, calls with overrides, estimation, tracing, sessions, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { encodeFunctionData, decodeFunctionResult } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { createEngine, createEngineSync, ZkosError, decodeRevert } from '../dist/esm/node.js';
import { ERC20_RUNTIME, TOKEN_ABI, TOKEN_BYTECODE, erc20BalanceSlot } from './fixtures/erc20.mjs';
import { KEY_A } from './helpers.mjs';

const a = privateKeyToAccount(KEY_A);
const TOKEN = '0x100000000000000000000000000000000000e20c';
const OTHER = '0x10000000000000000000000000000000000000aa';
const ZERO_WORD = '0x' + '0'.repeat(64);
const word = (n) => '0x' + BigInt(n).toString(16).padStart(64, '0');
const transferData = (to, amount) => encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [to, amount] });

async function tokenEngine(options = { chainId: 270 }) {
  const engine = await createEngine(options);
  engine.setAccount(a.address, { balance: 10n ** 20n });
  engine.setAccount(TOKEN, { code: ERC20_RUNTIME, storage: { [erc20BalanceSlot(a.address)]: 1000n, '0x1': 1000n } });
  return engine;
}

test('ESM and CJS builds load and agree', async () => {
  const require = createRequire(import.meta.url);
  const cjs = require('zkos');
  assert.equal(typeof cjs.createEngineSync, 'function');
  const e1 = cjs.createEngineSync({ chainId: 5 });
  const e2 = createEngineSync({ chainId: 5 });
  e1.setAccount(OTHER, { balance: 7n, code: '0x6001' });
  e2.setAccount(OTHER, { balance: 7n, code: '0x6001' });
  assert.deepEqual(e1.getAccount(OTHER), e2.getAccount(OTHER));
});

test('each flow runs its network\'s hardfork unless one is given', async () => {
  // PUSH1 0x0f CLZ PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: CLZ (EIP-7939) exists from Osaka on,
  // and 0x0f has 256 - 4 = 252 leading zero bits; before Osaka 0x1e is an invalid opcode.
  const CLZ_OF_15 = '0x600f1e60005260206000f3';
  const clz = async (options) => {
    const engine = await createEngine(options);
    engine.setAccount(OTHER, { code: CLZ_OF_15 });
    return { hardfork: engine.hardfork, result: engine.call({ to: OTHER }) };
  };
  const ethereum = await clz({ flow: 'ethereum' });
  assert.equal(ethereum.hardfork, 'osaka');
  assert.equal(ethereum.result.status, 'success');
  assert.equal(ethereum.result.returnData, word(252));
  const zk = await clz({ flow: 'zk' });
  assert.equal(zk.hardfork, 'cancun');
  assert.notEqual(zk.result.status, 'success');
  const chosen = await clz({ flow: 'ethereum', hardfork: 'cancun' });
  assert.equal(chosen.hardfork, 'cancun');
  assert.notEqual(chosen.result.status, 'success');
});

test('setAccount / getAccount / getStorage', async () => {
  const engine = await createEngine({ chainId: 270, flow: 'zk', hardfork: 'cancun', protocolVersion: 1 });
  assert.equal(engine.chainId, 270n);
  assert.equal(engine.getAccount(OTHER), undefined);
  engine.setAccount(OTHER, { balance: '0x10', nonce: 3, code: '0x6000', storage: { '0x01': 5n } });
  const acc = engine.getAccount(OTHER);
  assert.deepEqual({ balance: acc.balance, nonce: acc.nonce, code: acc.code }, { balance: 16n, nonce: 3n, code: '0x6000' });
  // keccak256(0x6000), computed independently with viem.
  const { keccak256 } = await import('viem');
  assert.equal(acc.codeHash, keccak256('0x6000'));
  assert.equal(engine.getStorage(OTHER, 1n), word(5));
  assert.equal(engine.getStorage(OTHER, '0x02'), ZERO_WORD);
});

test('runBlock: deploy and transfer, with per-tx results and block output', async () => {
  const engine = await createEngine({ chainId: 270, flow: 'ethereum' });
  engine.setAccount(a.address, { balance: 10n ** 20n });
  const fee = { maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n };
  const deploy = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, gas: 2_000_000n, data: TOKEN_BYTECODE, ...fee });
  const block = engine.runBlock({ transactions: [deploy] });
  assert.equal(block.number, 1n);
  assert.equal(block.transactions.length, 1);
  const d = block.transactions[0];
  assert.equal(d.status, 'success');
  assert.ok(d.contractAddress);
  assert.equal(d.logs.length, 1);
  assert.ok(d.nativeUsed > 0n, 'native is counted');
  assert.equal(d.ergs, d.gasUsed * 256n, 'ergs = gas × 256 in the Ethereum flow');
  const token = d.contractAddress;
  // The block commits to the state: its root is the engine's current Blake2s tree root.
  assert.match(block.stateRoot, /^0x[0-9a-f]{64}$/);
  assert.equal(block.stateRoot, engine.stateRoot());
  assert.equal(engine.getBlock(1n).stateRoot, block.stateRoot);
  assert.equal(block.stateCommitment.root, block.stateRoot);
  assert.ok(block.stateCommitment.nextFreeSlot > 2n, 'leaves beyond the two sentinels');
  assert.equal(block.parentHash, engine.getBlock(0n).hash);
  // Pubdata (spec §5): version byte 0x01, then the block hash, then the timestamp (u64 BE).
  assert.equal(block.pubdata.slice(0, 4), '0x01');
  assert.equal('0x' + block.pubdata.slice(4, 68), block.hash);
  assert.equal(BigInt('0x' + block.pubdata.slice(68, 84)), block.timestamp);
  assert.match(block.publicInput, /^0x[0-9a-f]{64}$/);
  assert.notEqual(block.publicInput, block.batchPublicInput);

  // A transfer: its gas equals 21000 + calldata gas + what @ethereumjs/evm charges for the same
  // execution on the same storage (independent implementation).
  const data = transferData(OTHER, 10n);
  const raw = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 1, to: token, gas: 200_000n, data, ...fee });
  const block2 = engine.runBlock({ transactions: [raw] });
  const t = block2.transactions[0];
  assert.equal(t.status, 'success');
  assert.equal(t.returnData, word(1));
  assert.equal(t.logs[0].address.toLowerCase(), token.toLowerCase());

  const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }) });
  const to = createAddressFromString(token);
  await evm.stateManager.putCode(to, hexToBytes(engine.getAccount(token).code));
  await evm.stateManager.putStorage(to, hexToBytes(erc20BalanceSlot(a.address)), hexToBytes(word(10n ** 24n)));
  const ejs = await evm.runCall({ to, caller: createAddressFromString(a.address), data: hexToBytes(data), gasLimit: 200_000n, skipBalance: true });
  const bytes = hexToBytes(data);
  const calldataGas = [...bytes].reduce((s, b) => s + (b === 0 ? 4n : 16n), 0n);
  assert.equal(t.gasUsed, 21000n + calldataGas + ejs.execResult.executionGasUsed);
  assert.equal(BigInt(engine.getStorage(token, erc20BalanceSlot(OTHER))), 10n);
});

test('revert reasons: Error(string) and Panic(uint256)', async () => {
  const engine = await tokenEngine();
  const r = engine.call({ from: OTHER, to: TOKEN, data: transferData(a.address, 1n) });
  assert.equal(r.status, 'reverted');
  assert.deepEqual(r.revertReason, { kind: 'Error', message: 'insufficient balance' });
  const p = engine.call({ from: OTHER, to: TOKEN, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'divide', args: [1n, 0n] }) });
  assert.equal(p.status, 'reverted');
  assert.equal(p.revertReason.kind, 'Panic');
  assert.equal(p.revertReason.code, 0x12n);
  assert.deepEqual(decodeRevert('0x4e487b71' + word(0x11).slice(2)), { kind: 'Panic', code: 0x11n, message: 'arithmetic underflow or overflow' });
});

test('call with stateOverride and blockOverride changes nothing', async () => {
  const engine = await tokenEngine();
  const balanceOf = (who) => encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [who] });
  const read = (res) => decodeFunctionResult({ abi: TOKEN_ABI, functionName: 'balanceOf', data: res.returnData });
  assert.equal(read(engine.call({ to: TOKEN, data: balanceOf(OTHER) })), 0n);
  const r = engine.call({ to: TOKEN, data: balanceOf(OTHER) }, { stateOverride: { [TOKEN]: { stateDiff: { [erc20BalanceSlot(OTHER)]: 99n } } }, blockOverride: { number: 1000n, time: 12345n } });
  assert.equal(read(r), 99n);
  assert.equal(engine.getStorage(TOKEN, erc20BalanceSlot(OTHER)), ZERO_WORD);
  // NUMBER; TIMESTAMP under a block override: 0x43 0x42 -> return both words.
  engine.setAccount(OTHER, { code: '0x4360005242602052' + '60406000f3' });
  const blk = engine.call({ to: OTHER }, { blockOverride: { number: 1000n, time: 12345n } });
  assert.equal(blk.returnData, '0x' + word(1000).slice(2) + word(12345).slice(2));
});

test('estimateGas: breakdown, and the estimate is enough while a lower limit is not', async () => {
  const engine = await tokenEngine();
  const tx = { from: a.address, to: TOKEN, data: transferData(OTHER, 5n) };
  const est = engine.estimateGas(tx);
  for (const k of ['gasLimit', 'gasUsed', 'nativeUsed', 'pubdataBytes']) assert.equal(typeof est[k], 'bigint', k);
  assert.ok(est.gasLimit >= est.gasUsed);
  assert.ok(est.nativeUsed > 0n);
  assert.equal(engine.call({ ...tx, gas: est.gasLimit }).status, 'success');
  assert.notEqual(engine.call({ ...tx, gas: est.gasUsed - 3000n }).status, 'success');
  // Plain transfer to an EOA: exactly 21000 in the Ethereum flow.
  const eth = await createEngine({ chainId: 1, flow: 'ethereum' });
  eth.setAccount(a.address, { balance: 10n ** 20n });
  assert.equal(eth.estimateGas({ from: a.address, to: OTHER, value: 1n }).gasLimit, 21000n);
  assert.throws(() => engine.estimateGas({ from: OTHER, to: TOKEN, data: transferData(a.address, 1n) }), (e) => e instanceof ZkosError && e.code === 'EXECUTION_REVERTED' && /insufficient balance/.test(e.message));
});

test('trace: callTracer, structLogs, eip3155, prestateTracer, opcodeStats', async () => {
  const engine = await tokenEngine();
  const via = { from: a.address, to: TOKEN, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceVia', args: [TOKEN, a.address] }) };
  const calls = engine.trace(via, { tracer: 'callTracer' });
  assert.equal(calls.type, 'CALL');
  assert.equal(calls.calls.length, 1);
  assert.equal(calls.calls[0].type, 'STATICCALL');
  assert.equal(BigInt(calls.output), 1000n);

  const sl = engine.trace(via, { tracer: 'structLogs' });
  assert.equal(sl.failed, false);
  assert.equal(sl.structLogs[0].pc, 0);
  assert.equal(sl.structLogs[0].op, 'PUSH1');
  assert.equal(sl.structLogs[0].depth, 1);
  assert.ok(sl.structLogs.some((s) => s.depth === 2), 'steps of the inner call');
  const sload = sl.structLogs.find((s) => s.op === 'SLOAD');
  assert.ok(sload.storage !== undefined, 'SLOAD steps carry storage');

  const lines = engine.trace(via, { tracer: 'eip3155' });
  assert.ok(Array.isArray(lines) && lines.length === sl.structLogs.length + 1, 'one line per step plus the summary');
  assert.equal(lines[0].op, 0x60);
  assert.ok('gasUsed' in lines.at(-1) && 'output' in lines.at(-1));

  const pre = engine.trace({ from: a.address, to: TOKEN, data: transferData(OTHER, 5n) }, { tracer: 'prestateTracer', tracerConfig: { diffMode: true } });
  assert.ok(pre.pre && pre.post);
  const tokenKey = Object.keys(pre.post).find((k) => k.toLowerCase() === TOKEN);
  assert.ok(tokenKey, 'token storage changed');

  const stats = engine.trace(via, { tracer: 'opcodeStats' });
  assert.ok(JSON.stringify(stats).includes('SLOAD'));
});

test('session: phases, single opcodes, frames, stack, memory, storage, costs, continue', async () => {
  const engine = await tokenEngine();
  const tx = { from: a.address, to: TOKEN, data: transferData(OTHER, 5n), gasPrice: 1000n };
  const s = engine.session(tx);
  assert.equal(s.phase, 'validation');
  assert.equal(s.nativeBudget(), undefined);
  assert.equal(s.continue({ phase: 'execution' }).phase, 'execution');
  // ⌈gas price 1000 wei / native price 1 wei⌉ = 1000 native per gas, and the limit is the gas
  // limit (the engine's default call gas) × 1000.
  const budget = s.nativeBudget();
  assert.equal(budget.nativePerGas, 1000n);
  assert.equal(budget.limit % 1000n, 0n);
  assert.equal(budget.computationalCap, 2n ** 35n);
  assert.equal(s.gasBreakdown(), undefined);
  // Solidity's runtime starts with PUSH1 0x80 PUSH1 0x40 MSTORE.
  assert.equal(Number(s.frames()[0].pc), 0);
  assert.equal(Number(s.frames()[0].opcode), 0x60);
  s.step();
  assert.equal(Number(s.frames()[0].pc), 2);
  assert.deepEqual(s.stack(), [word(0x80)]);
  s.step(2);
  assert.deepEqual(s.stack(), []);
  // MSTORE(0x40, 0x80): memory is three words, the last one 0x80.
  assert.equal(s.memory(), '0x' + '00'.repeat(64) + word(0x80).slice(2));
  assert.ok(s.costs().executionErgs > 0n);
  // Stop before the first SSTORE (0x55).
  const atStore = s.continue({ opcode: 0x55 });
  assert.equal(atStore.finished, false);
  assert.equal(Number(s.frames().at(-1).opcode), 0x55);
  assert.equal(s.result(), undefined);
  const end = s.continue();
  assert.equal(end.finished, true);
  assert.equal(s.finished, true);
  const r = s.result();
  assert.equal(r.status, 'success');
  assert.equal(r.returnData, engine.call(tx).returnData);
  // The breakdown adds up to the receipt's gas used; at 1000 native per gas the native used is
  // worth far less gas than the gas charged, so no deltaGas.
  const g = s.gasBreakdown();
  assert.equal(g.gasUsed, r.gasUsed);
  assert.equal(g.intrinsicGas + g.executionGas - g.refundedGas + g.floorGas + g.deltaGas - g.cappedGas, r.gasUsed);
  // Calldata: the selector (4 non-zero bytes), OTHER's word (2 non-zero, 30 zero) and 5 (1
  // non-zero, 31 zero): 21,000 + 7 × 16 + 61 × 4.
  assert.equal(g.intrinsicGas, 21_000n + 7n * 16n + 61n * 4n);
  assert.equal(g.nativeGas, r.nativeUsed / 1000n);
  assert.equal(g.deltaGas, 0n);
  const touched = s.storage().persistent.find((e) => e.slot === erc20BalanceSlot(OTHER));
  assert.equal(touched.current, word(5));
  assert.equal(engine.getStorage(TOKEN, erc20BalanceSlot(OTHER)), ZERO_WORD, 'sessions do not commit');
});

test('session.recordSteps: typed columns in bulk that add up to the receipt, bounded per call', async () => {
  const engine = await tokenEngine();
  const tx = { from: a.address, to: TOKEN, data: transferData(OTHER, 5n), gasPrice: 1000n };
  const s = engine.session(tx);
  assert.throws(() => s.recordSteps(262_145), (e) => e instanceof ZkosError && e.code === 'INVALID_ARGUMENT');
  assert.equal(s.phase, 'validation', 'a refused call runs nothing');
  const parts = [];
  for (let r = s.recordSteps(50); ; r = s.recordSteps(50)) {
    parts.push(r);
    assert.ok(r.pc instanceof Uint32Array && r.op instanceof Uint16Array && r.ergsCost instanceof Float64Array);
    assert.equal(r.op.length, r.count);
    if (r.done) break;
  }
  assert.equal(s.finished, true);
  const ops = parts.flatMap((p) => [...p.op]);
  const phases = parts.flatMap((p) => [...p.phase]);
  // Validation and the fee charge, the opcodes (Solidity's runtime starts with PUSH1 0x80 PUSH1
  // 0x40 MSTORE), then pubdata and refund.
  assert.deepEqual(ops.slice(0, 5), [256, 256, 0x60, 0x60, 0x52]);
  assert.deepEqual(phases.slice(0, 3), [0, 1, 2]);
  assert.deepEqual(phases.slice(-2), [3, 4]);
  assert.equal(ops.filter((op) => op === 256).length, 4);
  // The per-step costs add up to what the receipt charged: gas used × 256 and the native used.
  const r = engine.call(tx);
  const sum = (k) => parts.reduce((n, p) => n + p[k].reduce((x, y) => x + y, 0), 0);
  assert.equal(sum('ergsCost'), Number(r.gasUsed) * 256);
  assert.equal(sum('nativeCost'), Number(r.nativeUsed));
  assert.deepEqual(s.recordedCodes(), [{ address: TOKEN, init: false }]);
  const [note] = s.recordedTransactions();
  assert.equal(note.budget.nativePerGas, 1000n);
  assert.equal(note.gas.gasUsed, r.gasUsed);
  assert.equal(note.error, undefined);
});

test('malformed arguments throw ZkosError with stable codes and change nothing', async () => {
  const engine = await tokenEngine();
  const snap = () => [engine.getAccount(a.address), engine.getAccount(TOKEN), engine.getAccount(OTHER), engine.getStorage(TOKEN, erc20BalanceSlot(a.address)), engine.blockNumber()];
  const before = snap();
  const cases = [
    ['INVALID_HEX', () => engine.getAccount('0xzz00000000000000000000000000000000000000')],
    ['INVALID_ARGUMENT', () => engine.getAccount('0x1234')],
    ['INVALID_ARGUMENT', () => engine.getAccount(42)],
    ['INVALID_HEX', () => engine.setAccount(TOKEN, { code: '0x123' })],
    ['INVALID_ARGUMENT', () => engine.setAccount(TOKEN, { balance: -1n })],
    ['INVALID_ARGUMENT', () => engine.setAccount(TOKEN, { balanse: 1n })],
    ['INVALID_ARGUMENT', () => engine.call(null)],
    ['INVALID_ARGUMENT', () => engine.call({ to: TOKEN, value: 1.5 })],
    ['INVALID_HEX', () => engine.call({ to: TOKEN, data: 'abcd' })],
    ['INVALID_ARGUMENT', () => engine.call({ to: TOKEN, gas: 2n ** 64n })],
    ['INVALID_ARGUMENT', () => engine.runBlock({ transactions: 'nope' })],
    ['INVALID_ARGUMENT', () => engine.runBlock({ number: 0, preState: { [OTHER]: { balance: 1n } }, transactions: [] })],
    ['INVALID_ARGUMENT', () => engine.call({ to: TOKEN, gasPrice: 1n, maxFeePerGas: 1n })],
    ['INVALID_ARGUMENT', () => engine.session({ to: TOKEN }).continue({ opcode: 256 })],
    ['INVALID_RLP', () => engine.runBlock({ transactions: ['0xf8'] })],
    ['INVALID_RLP', () => engine.sendRawTransaction('0x02c0')],
    ['INVALID_ARGUMENT', () => engine.trace({ to: TOKEN }, { tracer: 'nope' })],
    ['INVALID_ARGUMENT', () => createEngineSync({ flow: 'moon' })],
  ];
  for (const [code, f] of cases) {
    assert.throws(f, (e) => {
      assert.ok(e instanceof ZkosError, `${f}: ${e}`);
      assert.equal(e.code, code, `${f}: ${e.message}`);
      return true;
    });
  }
  // A well-formed transaction the state refuses names the rule.
  const wrongNonce = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 9, to: TOKEN, gas: 100_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  assert.throws(() => engine.sendRawTransaction(wrongNonce), (e) => e instanceof ZkosError && e.code === 'INVALID_TRANSACTION' && e.reason === 'NonceTooHigh');
  const block = engine.runBlock({ transactions: [wrongNonce] });
  assert.equal(block.transactions[0].status, 'invalid');
  assert.match(block.transactions[0].error, /NonceTooHigh/);
  // The refused transaction changed no account (only an empty block was produced).
  assert.deepEqual(snap().slice(0, 4), before.slice(0, 4));
  // Still works afterwards.
  assert.equal(engine.call({ from: a.address, to: TOKEN, data: transferData(OTHER, 5n) }).status, 'success');
});

const L1_MESSENGER = '0x0000000000000000000000000000000000008008';
/** `sendToL1(bytes)` calldata for the UTF-8 `text` (selector 0x62f84b24 = keccak256("sendToL1(bytes)")[0..4]). */
function sendToL1(text) {
  const hex = Buffer.from(text, 'utf8').toString('hex');
  return '0x62f84b24' + word(32).slice(2) + word(hex.length / 2).slice(2) + hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
}

test('call: l2ToL1Messages of a message sent through the L1 messenger', async () => {
  const engine = await tokenEngine();
  const r = engine.call({ from: a.address, to: L1_MESSENGER, data: sendToL1('hello L1') });
  assert.equal(r.status, 'success');
  assert.deepEqual(r.l2ToL1Messages, [{ sender: a.address.toLowerCase(), data: '0x' + Buffer.from('hello L1').toString('hex') }]);
});

test('blockSession: ETH + ERC-20 + L2→L1 message stepped to blockFinish seals what runBlock produces', async () => {
  const fee = { type: 'eip1559', chainId: 270, gas: 500_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n };
  const transactions = [
    await a.signTransaction({ ...fee, nonce: 0, to: OTHER, value: 1000n }),
    await a.signTransaction({ ...fee, nonce: 1, to: TOKEN, data: transferData(OTHER, 5n) }),
    await a.signTransaction({ ...fee, nonce: 2, to: L1_MESSENGER, data: sendToL1('hello L1') }),
  ];
  const mined = await tokenEngine();
  const expected = mined.runBlock({ transactions });
  assert.deepEqual(expected.transactions.map((t) => t.status), ['success', 'success', 'success']);

  const engine = await tokenEngine();
  const s = engine.blockSession({ transactions });
  assert.equal(s.txCount, 3);
  // Stepping phase by phase visits every transaction, then the block finish.
  const seen = [];
  while (s.phase !== 'blockFinish') {
    const r = s.continue({});
    seen.push(`${r.txIndex}:${r.phase}`);
  }
  assert.ok(seen.includes('1:validation') && seen.includes('2:refund') && seen.at(-1) === '3:blockFinish', seen.join(' '));
  assert.equal(s.block(), undefined);
  const messages = s.l2ToL1Messages();
  assert.deepEqual(messages, [{ sender: a.address.toLowerCase(), data: '0x' + Buffer.from('hello L1').toString('hex'), txIndex: 2, pending: false }]);
  assert.equal(s.logs().filter((l) => l.txIndex === 1).length, 1, 'the Transfer event');
  const end = s.step();
  assert.deepEqual([end.phase, end.finished], ['finished', true]);
  const block = s.block();
  for (const k of ['hash', 'parentHash', 'pubdata', 'publicInput', 'batchPublicInput', 'stateRoot', 'gasUsed', 'number']) assert.deepEqual(block[k], expected[k], k);
  assert.deepEqual(block.transactions, expected.transactions);
  assert.equal(s.pubdata(), expected.pubdata);
  assert.equal(engine.blockNumber(), 0n, 'a session does not change the engine');
  const committed = engine.commitSession(s);
  assert.equal(committed.hash, expected.hash);
  assert.equal(engine.blockNumber(), 1n);
  assert.equal(engine.getBlock(1n).hash, mined.getBlock(1n).hash);
  assert.equal(engine.getStorage(TOKEN, erc20BalanceSlot(OTHER)), word(5));
  assert.throws(() => engine.commitSession(s), (e) => e instanceof ZkosError && e.code === 'INVALID_ARGUMENT');
});

test('session: a message and the pubdata carrying it appear right after the sending step', async () => {
  // Protocol version 1 installs a forwarder at 0x8008 whose CALL to the messenger hook is at
  // pc 26 (core/src/system/genesis.rs); version 2 serves 0x8008 as a hook itself, with no step.
  const engine = await tokenEngine({ chainId: 270, protocolVersion: 1 });
  const s = engine.session({ from: a.address, to: L1_MESSENGER, data: sendToL1('hello L1'), gas: 500_000n });
  const message = Buffer.from('hello L1').toString('hex');
  s.continue({ pc: 26, depth: 0 });
  assert.deepEqual(s.l2ToL1Messages(), []);
  assert.ok(!s.pubdata().includes(message));
  s.step();
  assert.equal(s.phase, 'execution');
  assert.deepEqual(s.l2ToL1Messages(), [{ sender: a.address.toLowerCase(), data: '0x' + message, txIndex: 0, pending: true }]);
  assert.ok(s.pubdata().includes(message));
  s.continue();
  assert.equal(s.l2ToL1Messages()[0].pending, false);
  assert.deepEqual(s.result().l2ToL1Messages, [{ sender: a.address.toLowerCase(), data: '0x' + message }]);
});

test('Osaka, Ethereum flow: calls and traces above the EIP-7825 cap run (as geth\'s eth_call); estimates stay under it; blocks refuse it', async () => {
  const cap = 1n << 24n;
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'osaka' });
  engine.setAccount(a.address, { balance: 10n ** 20n });
  // GAS PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: the gas left at GAS, after the 21,000 intrinsic gas
  // and GAS's own 2.
  const probe = '0x10000000000000000000000000000000000000ab';
  engine.setAccount(probe, { code: '0x5a5f5260205ff3' });
  const gas = cap + 1_000_000n;
  const call = engine.call({ from: a.address, to: probe, gas });
  assert.equal(call.status, 'success');
  assert.equal(BigInt(call.returnData), gas - 21_000n - 2n);
  assert.equal(BigInt(engine.trace({ from: a.address, to: probe, gas }, { tracer: 'callTracer' }).output), gas - 21_000n - 2n);
  const estimate = engine.estimateGas({ from: a.address, to: probe, gas });
  assert.ok(estimate.gasLimit <= cap, `estimate ${estimate.gasLimit} within 2^24`);
  const raw = await a.signTransaction({ type: 'eip1559', chainId: 1, nonce: 0, gas: cap + 1n, to: probe, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  assert.throws(() => engine.sendRawTransaction(raw), (e) => e instanceof ZkosError && e.code === 'INVALID_TRANSACTION' && e.reason === 'GasLimitAboveCap');
  engine.free();
});

test('snapshot/restore: a checkpoint returns the chain and the signed envelopes, uses up later ones; a copy is independent', async () => {
  const engine = await tokenEngine();
  const send = async (nonce) => engine.sendRawTransaction(await a.signTransaction({ type: 'eip1559', chainId: 270, nonce, to: OTHER, value: 1n, gas: 100000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n }));
  const first = await send(0);
  const early = engine.snapshot();
  const copy = engine.snapshot({ copy: true });
  const root = engine.stateRoot();
  const second = await send(1);
  const late = engine.snapshot();
  await send(2);
  assert.ok(engine.getTransaction(second).r > 0n, 'signature known from the envelope');
  engine.restore(early);
  assert.equal(engine.stateRoot(), root);
  assert.equal(engine.blockNumber(), 1n);
  assert.equal(engine.getTransaction(second), undefined);
  assert.ok(engine.getTransaction(first).r > 0n);
  assert.throws(() => engine.restore(late), (e) => e instanceof ZkosError && e.code === 'INVALID_ARGUMENT');
  // The same transaction mined again gets its envelope again; the early checkpoint stays usable.
  assert.equal(await send(1), second);
  assert.ok(engine.getTransaction(second).r > 0n);
  engine.restore(early);
  assert.equal(engine.getAccount(OTHER).balance, 1n);
  // A copy restores even after the checkpoints were used, and uses them all up.
  await send(1);
  engine.restore(copy);
  assert.equal(engine.stateRoot(), root);
  assert.throws(() => engine.restore(early), (e) => e instanceof ZkosError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => engine.snapshot({ copy: 1 }), (e) => e.code === 'INVALID_ARGUMENT');
  for (const s of [early, late, copy]) s.free();
});
