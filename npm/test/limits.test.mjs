// Budgets a caller cannot get around (issue 16): trace budgets (TRACE_LIMIT), the RPC gas cap of
// simulations, block numbers and timestamps that cannot overflow (BLOCK_OVERFLOW), balances that
// never wrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngineSync, createProvider, ProviderRpcError, ZkosError } from '../dist/esm/node.js';

const FROM = '0x10000000000000000000000000000000000000a1';
const LOOPER = '0x10000000000000000000000000000000000100b0';
const OTHER = '0x10000000000000000000000000000000000000aa';
const MAX_U256 = (1n << 256n) - 1n;
const MAX_U64 = (1n << 64n) - 1n;
/** Runs forever: JUMPDEST PUSH1 0 JUMP (12 gas a round). */
const LOOP = '0x5b600056';
/** 1,000 PUSH0, then a loop at pc 1000: every step sees a 1,000-word stack. */
const DEEP_STACK_LOOP = '0x' + '5f'.repeat(1000) + '5b6103e856';

function throwsCode(f, code) {
  assert.throws(f, (err) => err instanceof ZkosError && err.code === code, `expected ZkosError ${code}`);
}

function engineWith(code, options = {}) {
  const engine = createEngineSync(options);
  engine.setAccount(FROM, { balance: 10n ** 24n });
  engine.setAccount(LOOPER, { code });
  return engine;
}

test('a trace that outgrows its budget throws TRACE_LIMIT and the engine goes on', async () => {
  const engine = engineWith(DEEP_STACK_LOOP);
  const root = engine.stateRoot();
  // About 250,000 steps of 1,000 stack words (8 GB of copies) against the default 64 MiB.
  throwsCode(() => engine.trace({ from: FROM, to: LOOPER, gas: 1_000_000n }), 'TRACE_LIMIT');
  throwsCode(() => engine.trace({ from: FROM, to: LOOPER, gas: 1_000_000n }, { tracer: 'eip3155' }), 'TRACE_LIMIT');
  // Without the stack the records are small: the whole run fits.
  const small = engine.trace({ from: FROM, to: LOOPER, gas: 1_000_000n }, { disableStack: true });
  assert.equal(small.structLogs.length, 1000 + 81_416 * 3 + 3);
  // The budget is per call: a step budget of 999 stops it after the PUSH0s.
  throwsCode(() => engine.trace({ from: FROM, to: LOOPER, gas: 1_000_000n }, { disableStack: true, maxSteps: 999 }), 'TRACE_LIMIT');
  // 2,000 gas run the 1,000 PUSH0s; the JUMPDEST after them runs out of gas (a step too).
  assert.equal(engine.trace({ from: FROM, to: LOOPER, gas: 23_000n }, { maxSteps: 1001n, maxBytes: 10n ** 9n }).structLogs.length, 1001);
  throwsCode(() => engine.trace({ from: FROM, to: LOOPER }, { maxSteps: -1 }), 'INVALID_ARGUMENT');
  throwsCode(() => engine.trace({ from: FROM, to: LOOPER }, { maxBytes: 1n << 64n }), 'INVALID_ARGUMENT');
  // The provider answers -32000 with the code.
  const provider = createProvider(engine);
  await assert.rejects(provider.request({ method: 'debug_traceCall', params: [{ from: FROM, to: LOOPER, gas: '0xf4240' }, 'latest'] }), (e) => e instanceof ProviderRpcError && e.code === -32000 && e.zkosCode === 'TRACE_LIMIT');
  assert.equal(engine.stateRoot(), root);
  assert.equal(engine.call({ from: FROM, to: OTHER, value: 1n }).status, 'success');
});

test('simulations run with at most the RPC gas cap (default 50,000,000, configurable)', () => {
  // Prague: from Osaka EIP-7825 caps every transaction at 2^24 gas, below the RPC cap.
  const engine = engineWith(LOOP, { flow: 'ethereum', hardfork: 'prague', blockGasLimit: 10n ** 9n });
  // A request above the cap runs with the cap (as geth); without gas it gets the cap too.
  for (const gas of [1n << 40n, undefined]) {
    const r = engine.call({ from: FROM, to: LOOPER, gas });
    assert.equal(r.status, 'reverted');
    assert.equal(r.gasUsed, 50_000_000n);
  }
  throwsCode(() => engine.estimateGas({ from: FROM, to: LOOPER }), 'EXECUTION_HALTED');
  const capped = engineWith(LOOP, { rpcGasCap: 1_000_000n });
  assert.equal(capped.call({ from: FROM, to: LOOPER, gas: 10n ** 8n }).gasUsed, 1_000_000n);
  throwsCode(() => createEngineSync({ rpcGasCap: 20_999 }), 'INVALID_ARGUMENT');
  throwsCode(() => createEngineSync({ rpcGasCap: 1n << 64n }), 'INVALID_ARGUMENT');
});

test('block numbers and timestamps cannot overflow: BLOCK_OVERFLOW, nothing changes', () => {
  const engine = createEngineSync({ flow: 'ethereum' });
  const last = engine.runBlock({ number: MAX_U64, timestamp: MAX_U64, transactions: [] });
  assert.equal(last.number, MAX_U64);
  throwsCode(() => engine.runBlock({ transactions: [] }), 'BLOCK_OVERFLOW');
  throwsCode(() => engine.call({ to: OTHER }), 'BLOCK_OVERFLOW');
  assert.equal(engine.blockNumber(), MAX_U64);
  assert.equal(engine.getBlock('latest').hash, last.hash);
  assert.equal(engine.getBlock(MAX_U64).hash, last.hash);
  // Ethereum's rule: a timestamp above the parent's; the zk flow allows an equal one.
  const eth = createEngineSync({ flow: 'ethereum' });
  eth.runBlock({ timestamp: 100n, transactions: [] });
  throwsCode(() => eth.runBlock({ timestamp: 100n, transactions: [] }), 'INVALID_ARGUMENT');
  const zk = createEngineSync({ flow: 'zk' });
  zk.runBlock({ timestamp: 100n, transactions: [] });
  assert.equal(zk.runBlock({ timestamp: 100n, transactions: [] }).number, 2n);
});

test('a fee credited to a full coinbase leaves it at 2^256 - 1, in both flows', () => {
  for (const flow of ['ethereum', 'zk']) {
    const engine = createEngineSync({ flow, coinbase: OTHER });
    engine.setAccount(FROM, { balance: 10n ** 24n });
    engine.setAccount(OTHER, { balance: MAX_U256 });
    const block = engine.runBlock({ transactions: [{ from: FROM, to: '0x10000000000000000000000000000000000000bb', gasPrice: 1001n, gas: 100_000n }] });
    assert.equal(block.transactions[0].status, 'success', flow);
    assert.equal(engine.getAccount(OTHER).balance, MAX_U256, flow);
  }
});

// Before: each transaction's trace had its own budget and nothing bounded the block's, so a block
// of heavy transactions built gigabytes of objects (30 traced 1M-gas loops took 3 minutes and
// ended in a reply longer than a string can be).
test('debug_traceBlockByNumber: the traces of a block add up to at most 256 Mi characters of JSON (TRACE_LIMIT beyond)', async () => {
  // PUSH0 PUSH3 0x010000 MSTORE: 2,049 words of memory (gas 8 + 3·2,049 + 2,049²/512 = 14,355),
  // then JUMPDEST PUSH1 6 JUMP forever (12 gas a round). With 300 rounds of gas, about 900
  // records each carry 65,568 bytes of memory: about 59 MB of one trace's default 64 MiB, and
  // about 127 M characters of JSON (2,049 words of 64 hex digits, quoted, per record).
  const engine = engineWith('0x5f62010000525b600656');
  const provider = createProvider(engine);
  const heavy = { from: FROM, to: LOOPER, gas: 21_000n + 14_355n + 300n * 12n };
  const options = { enableMemory: true };
  engine.runBlock({ transactions: [heavy] });
  const one = await provider.request({ method: 'debug_traceBlockByNumber', params: ['latest', options] });
  assert.equal(one.length, 1);
  assert.ok(one[0].result.structLogs.length > 900, String(one[0].result.structLogs.length));
  engine.runBlock({ transactions: [heavy, heavy, heavy] });
  await assert.rejects(provider.request({ method: 'debug_traceBlockByNumber', params: ['latest', options] }), (e) => e instanceof ProviderRpcError && e.code === -32000 && e.zkosCode === 'TRACE_LIMIT');
  // Each of its transactions alone still traces.
  const [hash] = engine.getBlock('latest').transactions;
  assert.equal((await provider.request({ method: 'debug_traceTransaction', params: [hash, options] })).structLogs.length, one[0].result.structLogs.length);
});

// Every memory.grow gives JS a new ArrayBuffer over the whole wasm memory, which V8 counts as that
// much more external memory: grown 64 KiB at a time, the memory set off a full garbage collection
// every few grows. Before the module's allocator grew it in quarters (bindings-wasm/src/heap.rs),
// this setAccount made 142 full collections and took 10.9-17.7 s (0.6 s natively); after, 6 and
// 2.6 s. Counted, not timed.
test('one setAccount of 80,000 slots makes few full garbage collections (memory grown in steps)', async () => {
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  const engine = createEngineSync();
  const storage = Object.fromEntries(Array.from({ length: 80_000 }, (_, j) => ['0x' + j.toString(16).padStart(64, '0'), '0x' + (j + 1).toString(16)]));
  let major = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    engine.setAccount(OTHER, { storage });
    // GC entries are delivered after the task that made them.
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    observer.disconnect();
  }
  assert.ok(major <= 20, `${major} full garbage collections`);
  assert.equal(engine.getStorage(OTHER, 79_999), '0x' + (80_000).toString(16).padStart(64, '0'));
  assert.equal(engine.getStorageAll(OTHER).length, 80_000);
  const { bytes } = engine.wasmMemory();
  assert.ok(bytes <= 256 * 2 ** 20, `${bytes} bytes of wasm memory`);
  engine.free();
});
