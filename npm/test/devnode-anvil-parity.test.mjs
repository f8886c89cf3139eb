// The dev node against a real anvil (from npm) and real clients on what hostile or unusual
// input gets: eth_feeHistory without reward percentiles, anvil_loadState of a dump with an
// unknown version or a malformed block, wrong-typed trace options (RPC and CLI), huge EIP-712
// messages, and eth_simulateV1 state overrides against the node's time bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hashTypedData, recoverTypedDataAddress } from 'viem';
import { ROOT } from './helpers.mjs';
import { anvilAndZkos, post, rpc, startNode } from './devnode/spawn.mjs';

const nodes = anvilAndZkos();

const both = async (method, params) => [await rpc(nodes.anvil.url, method, params), await rpc(nodes.zkos.url, method, params)];
const ADDR = '0x' + '12'.repeat(20);
const hexOf = (json) => '0x' + Buffer.from(JSON.stringify(json)).toString('hex');

// Before: an empty percentile list answered one empty list a block (`reward: [[]]`).
test('eth_feeHistory without reward percentiles answers reward: [] as anvil', async () => {
  for (const params of [[1, 'latest'], [1, 'latest', []], ['0x1', 'latest', [25, 75]]]) {
    const [a, z] = await both('eth_feeHistory', params);
    assert.deepEqual(z.result.reward, a.result.reward, JSON.stringify(params));
  }
});

// Before: both were loaded (the version and block ignored).
test('anvil_loadState: an unknown version or a block that is not an object is refused, the state unchanged', async () => {
  const account = (balance) => ({ [ADDR]: { balance, nonce: '0x0', code: '0x', storage: {} } });
  const dump = JSON.parse(gunzipSync(Buffer.from((await rpc(nodes.zkos.url, 'anvil_dumpState')).result.slice(2), 'hex')).toString());
  assert.equal(dump.version, 1);
  for (const state of [{ ...dump, version: 99, accounts: account('0x5') }, { ...dump, version: '1', accounts: account('0x5') }, { ...dump, block: 5, accounts: account('0x6') }, { ...dump, block: [], accounts: account('0x6') }]) {
    const reply = await rpc(nodes.zkos.url, 'anvil_loadState', [hexOf(state)]);
    assert.equal(reply.error?.code, -32602, JSON.stringify(reply));
    assert.match(reply.error.message, /version|block/);
    assert.equal((await rpc(nodes.zkos.url, 'eth_getBalance', [ADDR, 'latest'])).result, '0x0');
  }
  // anvil refuses the same block (it has no version field and ignores one).
  const theirs = JSON.parse(gunzipSync(Buffer.from((await rpc(nodes.anvil.url, 'anvil_dumpState')).result.slice(2), 'hex')).toString());
  assert.equal((await rpc(nodes.anvil.url, 'anvil_loadState', [hexOf({ ...theirs, block: 5 })])).error?.code, -32602);
  // An anvil dump (no version, anvil's block) loads; so does this node's own version.
  const anvilDump = { ...theirs, accounts: { ...theirs.accounts, ...account('0x7') } };
  assert.equal((await rpc(nodes.zkos.url, 'anvil_loadState', [hexOf(anvilDump)])).result, true);
  assert.equal((await rpc(nodes.zkos.url, 'eth_getBalance', [ADDR, 'latest'])).result, '0x7');
  assert.equal((await rpc(nodes.zkos.url, 'anvil_loadState', [hexOf({ ...dump, accounts: account('0x8') })])).result, true);
  assert.equal((await rpc(nodes.zkos.url, 'eth_getBalance', [ADDR, 'latest'])).result, '0x8');
});

// Before: "yes" was taken as false, in the options and in tracerConfig alike.
test('debug_traceCall: a trace flag that is not a boolean is refused (-32602), as anvil refuses it', async () => {
  const call = { from: ADDR, to: ADDR };
  for (const options of [{ enableMemory: 'yes' }, { disableStack: 1 }, { tracerConfig: { enableMemory: 'yes' } }, { tracer: 'callTracer', tracerConfig: { onlyTopCall: 'true' } }, { tracer: 'prestateTracer', tracerConfig: { disableStorage: 0 } }]) {
    const [a, z] = await both('debug_traceCall', [call, 'latest', options]);
    assert.equal(z.error?.code, -32602, `zkos ${JSON.stringify(options)}: ${JSON.stringify(z)}`);
    if (options.tracerConfig === undefined || options.tracer !== undefined) assert.ok(a.error !== undefined, `anvil ${JSON.stringify(options)}: ${JSON.stringify(a)}`);
  }
  const ok = await rpc(nodes.zkos.url, 'debug_traceCall', [call, 'latest', { enableMemory: true, disableStack: false }]);
  assert.equal(ok.error, undefined);
  // A block with no transactions too (before, it answered [] whatever the options).
  const [a, z] = await both('debug_traceBlockByNumber', ['0x0', { enableMemory: 'yes' }]);
  assert.deepEqual([a.error?.code, z.error?.code], [-32602, -32602], JSON.stringify(z));
});

// Before: --tracer-config '{"enableMemory":"yes"}' traced as if it were not given, and so did
// '{"enableMemory":true}': the structLogs flags had no way in from the CLI.
test('zkos trace --tracer-config: structLogs flags are taken, and refused when not booleans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-trace-'));
  try {
    const file = join(dir, 'tx.json');
    // MSTORE 0x2a at 0, then STOP: memory shows in the structLogs when asked for.
    writeFileSync(file, JSON.stringify({ preState: { [ADDR]: { code: '0x602a60005200' } }, tx: { from: '0x' + '34'.repeat(20), to: ADDR } }));
    const trace = (config) => spawnSync(process.execPath, [join(ROOT, 'dist/esm/cli.js'), 'trace', file, '--tracer', 'structLogs', '--tracer-config', config], { cwd: ROOT, encoding: 'utf8' });
    const bad = trace('{"enableMemory":"yes"}');
    assert.equal(bad.status, 1, bad.stdout);
    assert.match(bad.stderr, /INVALID_ARGUMENT: .*enableMemory: expected a boolean/);
    const withMemory = trace('{"enableMemory":true}');
    assert.equal(withMemory.status, 0, withMemory.stderr);
    const logs = JSON.parse(withMemory.stdout).structLogs;
    assert.ok(logs.some((l) => Array.isArray(l.memory) && l.memory.some((w) => /2a$/.test(w))), withMemory.stdout.slice(0, 500));
    const without = JSON.parse(trace('{}').stdout).structLogs;
    assert.ok(without.every((l) => l.memory === undefined));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Before: the override priced the call, and a sender without funds was refused "insufficient
// funds"; anvil and geth run it (geth lowering the base fee to zero, as here).
test('eth_call with a baseFee block override and no price runs from a sender without funds, as anvil', async () => {
  const reader = '0x' + '42'.repeat(20);
  const overrides = { [reader]: { code: '0x4860005260206000f3' } };
  for (const baseFee of ['0x1234', '0x' + 'f'.repeat(32)]) {
    const [a, z] = await both('eth_call', [{ from: ADDR, to: reader }, 'latest', overrides, { baseFee }]);
    assert.equal(a.error, undefined, JSON.stringify(a));
    assert.equal(z.result, '0x' + '0'.repeat(64), JSON.stringify(z));
  }
});

// Before: an empty list at a position matched no log, and a null in a position's list was
// refused (-32602); anvil (and geth) read both as any topic.
test('eth_getLogs: an empty list or a null in a position\'s list matches any topic, as anvil', async () => {
  const topic = '0x' + 'ab'.repeat(32);
  const emitter = '0x' + '43'.repeat(20);
  for (const url of [nodes.anvil.url, nodes.zkos.url]) {
    const [from] = (await rpc(url, 'eth_accounts')).result;
    // PUSH32 topic, PUSH1 0, PUSH1 0, LOG1, STOP.
    assert.equal((await rpc(url, 'anvil_setCode', [emitter, '0x7f' + 'ab'.repeat(32) + '60006000a100'])).error, undefined);
    const hash = (await rpc(url, 'eth_sendTransaction', [{ from, to: emitter }])).result;
    for (let i = 0; i < 100 && (await rpc(url, 'eth_getTransactionReceipt', [hash])).result === null; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const other = '0x' + '00'.repeat(32);
  for (const topics of [[topic], [[]], [[topic, null]], [[null, topic]], [[null]], [[other]], [[other, null]], [[], topic], [topic, []], [null, [topic, null]]]) {
    const [a, z] = await both('eth_getLogs', [{ fromBlock: '0x0', address: emitter, topics }]);
    assert.equal(a.error, undefined, JSON.stringify(a));
    assert.equal(z.result?.length, a.result.length, `${JSON.stringify(topics)}: ${JSON.stringify(z)}`);
  }
});

// Before: ignored; eth_sendTransaction signed the transaction for the node's chain.
test('eth_call and eth_sendTransaction with another chain\'s chainId are refused, as anvil', async () => {
  for (const url of [nodes.anvil.url, nodes.zkos.url]) {
    const [from] = (await rpc(url, 'eth_accounts')).result;
    const own = (await rpc(url, 'eth_chainId')).result;
    const before = (await rpc(url, 'eth_getTransactionCount', [from, 'latest'])).result;
    for (const method of ['eth_call', 'eth_sendTransaction']) {
      const reply = await rpc(url, method, [{ from, to: ADDR, chainId: '0x1' }]);
      assert.ok(reply.error !== undefined, `${url} ${method}: ${JSON.stringify(reply)}`);
      if (url === nodes.zkos.url) assert.match(reply.error.message, /chainId does not match node's \(have=1, want=270\)/);
    }
    assert.equal((await rpc(url, 'eth_getTransactionCount', [from, 'latest'])).result, before);
    assert.equal((await rpc(url, 'eth_call', [{ from, to: ADDR, chainId: own }])).error, undefined);
  }
});

// anvil's block 0 header has the empty trie's root whatever its state: a verified fork of it is
// refused. Before, the message named no way out; it now names verify: false.
test('forking anvil\'s block 0: FORK_PROOF_MISMATCH naming verify: false, which forks it', async () => {
  const { createEngine } = await import('../dist/esm/node.js');
  const verified = await createEngine({ fork: { url: nodes.anvil.url }, blockNumber: 0n });
  await assert.rejects(verified.call({ to: ADDR }), (err) => err.code === 'FORK_PROOF_MISMATCH' && /verify: false \(--fork-verify off\)/.test(err.message));
  const trusting = await createEngine({ fork: { url: nodes.anvil.url, verify: false }, blockNumber: 0n });
  assert.equal((await trusting.call({ to: ADDR })).status, 'success');
});

// Before: a throwing getter in the fork options or a forked engine's argument surfaced as the
// caller's own Error, not a ZkosError.
test('forked engine: options and arguments that throw when read are INVALID_ARGUMENT', async () => {
  const { createEngine } = await import('../dist/esm/node.js');
  const boom = () => {
    throw new Error('boom');
  };
  const throwing = (key) => Object.defineProperty({}, key, { get: boom, enumerable: true });
  const unreadable = (what) => (err) => err.code === 'INVALID_ARGUMENT' && err.message.startsWith(what) && err.message.includes('could not be read (boom)');
  await assert.rejects(createEngine({ fork: throwing('url') }), unreadable('options'));
  await assert.rejects(createEngine({ fork: { url: nodes.anvil.url }, get chainId() { return boom(); } }), unreadable('options'));
  const e = await createEngine({ fork: { url: nodes.anvil.url, verify: false } });
  await assert.rejects(e.call(throwing('to')), unreadable('call: argument 1'));
  await assert.rejects(e.call(new Proxy({}, { get: boom })), unreadable('call: argument 1'));
  await assert.rejects(e.estimateGas({ to: ADDR }, throwing('stateOverride')), unreadable('estimateGas: argument 2'));
  await assert.rejects(e.runBlock(throwing('transactions')), unreadable('runBlock: argument 1'));
  assert.equal((await e.call({ to: ADDR })).status, 'success');
});

const items = (n) => ({ types: { P: [{ name: 'xs', type: 'T[]' }], T: [{ name: 'a', type: 'uint256' }, { name: 'b', type: 'string' }] }, primaryType: 'P', domain: { name: 'x' }, message: { xs: Array.from({ length: n }, (_, i) => ({ a: i, b: 'hi' })) } });

// The digest through the engine's keccak is the one viem signs.
test('eth_signTypedData_v4 through the engine\'s keccak recovers to the account', async () => {
  const [account] = (await rpc(nodes.zkos.url, 'eth_accounts')).result;
  const data = items(3);
  const reply = await rpc(nodes.zkos.url, 'eth_signTypedData_v4', [account, JSON.stringify(data)]);
  assert.equal((await recoverTypedDataAddress({ ...data, message: { xs: data.message.xs.map((x) => ({ a: BigInt(x.a), b: x.b })) }, signature: reply.result })).toLowerCase(), account.toLowerCase());
  assert.match(hashTypedData(data), /^0x/);
});

// Before: 500,000 such items (1.5 M values) were hashed for 41 s while the node answered no one.
test('eth_signTypedData_v4 past a million values is refused (-32005), and the node answers', { timeout: 120_000 }, async () => {
  const [account] = (await rpc(nodes.zkos.url, 'eth_accounts')).result;
  const reply = (await post(nodes.zkos.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_signTypedData_v4', params: [account, items(400_000)] }))).body;
  assert.equal(reply.error?.code, -32005, JSON.stringify(reply).slice(0, 300));
  assert.match(reply.error.message, /more than 1000000 values/);
  assert.equal((await rpc(nodes.zkos.url, 'eth_blockNumber')).error, undefined);
});

// Before: the overrides were set with no bound (11 s for these, over any --evm-timeout).
test('eth_simulateV1: setting big state overrides counts against --evm-timeout, the state unchanged', { timeout: 300_000 }, async () => {
  const node = await startNode(['--evm-timeout', '100ms']);
  try {
    const stateOverrides = {};
    for (let i = 0; i < 1000; i++) {
      const stateDiff = {};
      for (let j = 1; j <= 100; j++) stateDiff['0x' + j.toString(16).padStart(64, '0')] = '0x' + 'ab'.padStart(64, '0');
      stateOverrides['0x' + (i + 1).toString(16).padStart(40, '0')] = { balance: '0x1', stateDiff };
    }
    const params = [{ blockStateCalls: [{ stateOverrides, calls: [{ from: ADDR, to: ADDR }] }] }, 'latest'];
    const reply = (await post(node.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_simulateV1', params }))).body;
    assert.equal(reply.error?.code, -32000, JSON.stringify(reply).slice(0, 300));
    assert.match(reply.error.message, /execution aborted \(timeout = 100ms\)/);
    assert.equal((await rpc(node.url, 'eth_getBalance', ['0x' + '1'.padStart(40, '0'), 'latest'])).result, '0x0');
    assert.equal((await rpc(node.url, 'eth_blockNumber')).result, '0x0');
  } finally {
    await node.stop();
  }
});
