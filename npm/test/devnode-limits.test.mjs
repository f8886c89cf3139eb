// Bounds on what one request may cost `zkos node` (geth's RPCEVMTimeout and RPCGasCap): a
// simulation over its time stops with geth's error, changes nothing and leaves the node usable;
// eth_simulateV1's calls share one gas cap. Also geth's answers for eth_getLogs' block range,
// QUANTITY parameters, eth_feeHistory, eth_blobBaseFee, logs blooms and the WebSocket close on
// shutdown. Each test starts its own node on a free port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, defineChain, http, keccak256, toHex, hexToBigInt } from 'viem';
import { JsonRpcProvider } from 'ethers';
import { createEngine } from '../dist/esm/node.js';
import { startNode, rpc } from './devnode/spawn.mjs';
import { rawConnect } from './devnode/ws-raw.mjs';

const LOOP = '0x0000000000000000000000000000000000100900';
/**
 * Calls the modexp precompile (0x05) over and over until the gas runs out: 32-byte base 3,
 * exponent 2^256-1, modulus 2^256-3 (EIP-2565: 16 · 255 / 3 = 1,360 gas a call), so 50M gas
 * takes seconds. Memory: `PUSH1 32 PUSH1 0 MSTORE`, `... 0x20 MSTORE`, `... 0x40 MSTORE`
 * (the three lengths), `PUSH1 3 PUSH1 0x60 MSTORE`, `PUSH1 0 NOT PUSH1 0x80 MSTORE`,
 * `PUSH1 2 PUSH1 0 NOT SUB PUSH1 0xa0 MSTORE`; then at 0x23: `JUMPDEST PUSH1 32 PUSH1 0xc0
 * PUSH1 0xc0 PUSH1 0 PUSH1 5 GAS STATICCALL POP PUSH1 0x23 JUMP`.
 */
const MODEXP_LOOP = '0x' + '6020600052' + '6020602052' + '6020604052' + '6003606052' + '600019608052' + '600260001903' + '60a052' + '5b' + '602060c060c0600060055afa50' + '602356';
/** LOG1 with topic 7 and no data, then STOP: `PUSH1 7 PUSH1 0 PUSH1 0 LOG1 STOP`. */
const LOGGER_CODE = '0x600760006000a100';
const LOGGER = '0x0000000000000000000000000000000000106600';
const SINK = '0x00000000000000000000000000000000000051c0';

let node;
let a;

before(async () => {
  node = await startNode(['--evm-timeout', '200ms', '--rpc-gas-cap', '50000000']);
  [a] = (await rpc(node.url, 'eth_accounts')).result;
  await rpc(node.url, 'anvil_setCode', [LOOP, MODEXP_LOOP]);
  await rpc(node.url, 'anvil_setCode', [LOGGER, LOGGER_CODE]);
});

after(async () => {
  await node?.stop();
});

/** The node's view that a bounded request must leave as it was. */
async function chainView() {
  return {
    head: (await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])).result.hash,
    balance: (await rpc(node.url, 'eth_getBalance', [a, 'latest'])).result,
    nonce: (await rpc(node.url, 'eth_getTransactionCount', [a, 'latest'])).result,
  };
}

test('a simulation over --evm-timeout stops with geth\'s error, changes nothing, and the node goes on', async () => {
  const before = await chainView();
  const call = { from: a, to: LOOP, gas: '0x2faf080' };
  const bounded = [
    ['eth_call', [call, 'latest'], 'execution aborted (timeout = 200ms)'],
    ['eth_estimateGas', [{ from: a, to: LOOP }], 'execution aborted (timeout = 200ms)'],
    ['eth_createAccessList', [call, 'latest'], 'execution aborted (timeout = 200ms)'],
    ['debug_traceCall', [call, 'latest', { tracer: 'callTracer' }], 'execution timeout'],
    // geth's trace config `timeout` (a Go duration) overrides the node's bound.
    ['debug_traceCall', [call, 'latest', { timeout: '50ms' }], 'execution timeout'],
    ['eth_simulateV1', [{ blockStateCalls: [{ calls: [{ from: a, to: SINK }] }, { calls: [call] }] }, 'latest'], 'execution aborted (timeout = 200ms)'],
  ];
  for (const [method, params, message] of bounded) {
    const started = performance.now();
    const reply = await rpc(node.url, method, params);
    const ms = performance.now() - started;
    assert.deepEqual(reply.error && { code: reply.error.code, message: reply.error.message }, { code: -32000, message }, method);
    // Unbounded, the 50M-gas loop runs for about 9 s; the bound stops it within a slice (~10 ms).
    assert.ok(ms < 5_000, `${method} took ${ms} ms`);
  }
  assert.deepEqual(await chainView(), before);
  // Still usable: a call, a mined transaction and its trace.
  assert.equal((await rpc(node.url, 'eth_call', [{ from: a, to: SINK }, 'latest'])).result, '0x');
  const hash = (await rpc(node.url, 'eth_sendTransaction', [{ from: a, to: LOGGER }])).result;
  assert.equal((await rpc(node.url, 'eth_getTransactionReceipt', [hash])).result.status, '0x1');
  const trace = (await rpc(node.url, 'debug_traceTransaction', [hash, { tracer: 'callTracer' }])).result;
  assert.equal(trace.to, LOGGER);
});

test('a bounded mined transaction is traced again within the bound (debug_traceTransaction)', async () => {
  const hash = (await rpc(node.url, 'eth_sendTransaction', [{ from: a, to: LOOP, gas: '0x1e8480' }])).result;
  const receipt = (await rpc(node.url, 'eth_getTransactionReceipt', [hash])).result;
  // The loop ends out of gas (its whole 2M-gas limit).
  assert.equal(receipt.status, '0x0');
  const reply = await rpc(node.url, 'debug_traceTransaction', [hash, { timeout: '20ms' }]);
  assert.equal(reply.error?.message, 'execution timeout');
  const traced = await rpc(node.url, 'debug_traceTransaction', [hash, { tracer: 'callTracer', timeout: '60s' }]);
  assert.equal(hexToBigInt(traced.result.gasUsed) > 0n, true);
});

test('the engine API: timeoutMs stops a run and the engine keeps its state', async () => {
  const engine = await createEngine();
  const from = '0x00000000000000000000000000000000000a11ce';
  engine.setAccount(from, { balance: 10n ** 18n });
  engine.setAccount(LOOP, { code: MODEXP_LOOP });
  const root = engine.stateRoot();
  assert.throws(() => engine.call({ from, to: LOOP, gas: 50_000_000n }, { timeoutMs: 100 }), (e) => e.code === 'TIMEOUT' && e.message === 'execution aborted (timeout = 100ms)');
  assert.throws(() => engine.trace({ from, to: LOOP, gas: 50_000_000n }, { timeoutMs: 100 }), (e) => e.code === 'TIMEOUT' && e.message === 'execution timeout');
  assert.throws(() => engine.call({ from, to: LOOP }, { timeoutMs: -1 }), (e) => e.code === 'INVALID_ARGUMENT');
  assert.equal(engine.stateRoot(), root);
  // A run within the bound gives the unbounded answer.
  const bounded = engine.call({ from, to: LOOP, gas: 100_000n }, { timeoutMs: 60_000 });
  const unbounded = engine.call({ from, to: LOOP, gas: 100_000n });
  assert.deepEqual(bounded, unbounded);
  assert.equal(bounded.gasUsed, 100_000n);
  engine.free();
});

test('eth_simulateV1: the gas cap bounds the whole simulation, not each call', async () => {
  const capped = await startNode(['--rpc-gas-cap', '50000']);
  try {
    const [from] = (await rpc(capped.url, 'eth_accounts')).result;
    const transfer = { from, to: SINK };
    // Each transfer uses 21,000 gas: 50,000 covers two; the third gets the 8,000 left,
    // below its intrinsic gas (geth's -38013).
    const two = await rpc(capped.url, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [transfer] }, { calls: [transfer] }] }, 'latest']);
    assert.deepEqual(
      two.result.map((b) => b.calls.map((c) => [c.status, c.gasUsed])),
      [[['0x1', '0x5208']], [['0x1', '0x5208']]],
    );
    const three = await rpc(capped.url, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [transfer] }, { calls: [transfer] }, { calls: [transfer] }] }, 'latest']);
    assert.equal(three.error?.code, -38013, JSON.stringify(three));
    // One block with three: the same total.
    const oneBlock = await rpc(capped.url, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [transfer, transfer, transfer] }] }, 'latest']);
    assert.equal(oneBlock.error?.code, -38013, JSON.stringify(oneBlock));
    // A plain eth_call gets the whole cap each time.
    assert.equal((await rpc(capped.url, 'eth_call', [transfer, 'latest'])).result, '0x');
  } finally {
    await capped.stop();
  }
});

test('eth_getLogs and QUANTITY parameters: geth\'s refusals', async () => {
  const head = BigInt((await rpc(node.url, 'eth_blockNumber')).result);
  const range = await rpc(node.url, 'eth_getLogs', [{ fromBlock: toHex(head), toBlock: toHex(head - 1n) }]);
  assert.deepEqual(range.error, { code: -32602, message: 'invalid block range params' });
  const filter = await rpc(node.url, 'eth_newFilter', [{ fromBlock: '0x2', toBlock: '0x1' }]);
  assert.equal(filter.error?.message, 'invalid block range params');
  // Tags are resolved, not compared (geth): a range from the head to `latest` is fine.
  assert.deepEqual((await rpc(node.url, 'eth_getLogs', [{ fromBlock: toHex(head), toBlock: 'latest', address: SINK }])).result, []);
  const refused = [
    [['0x01', false], 'hex number with leading zero digits'],
    [['1', false], 'hex string without 0x prefix'],
    [['0x', false], 'hex string "0x"'],
    [['', false], 'empty hex string'],
    [['0xg1', false], 'invalid hex string'],
    [['0x10000000000000000', false], 'hex number > 64 bits'],
  ];
  for (const [params, why] of refused) {
    const reply = await rpc(node.url, 'eth_getBlockByNumber', params);
    assert.equal(reply.error?.code, -32602, JSON.stringify(params));
    assert.ok(reply.error.message.endsWith(why), reply.error.message);
  }
  const gas = await rpc(node.url, 'eth_call', [{ from: a, to: SINK, gas: '0x0100' }, 'latest']);
  assert.ok(gas.error?.message.endsWith('hex number with leading zero digits'), JSON.stringify(gas));
  assert.equal((await rpc(node.url, 'eth_getBlockByNumber', ['0x0', false])).result.number, '0x0');
});

test('eth_feeHistory, eth_blobBaseFee and logs blooms as geth gives them', async () => {
  const hash = (await rpc(node.url, 'eth_sendTransaction', [{ from: a, to: LOGGER }])).result;
  const receipt = (await rpc(node.url, 'eth_getTransactionReceipt', [hash])).result;
  const number = BigInt(receipt.blockNumber);
  // A mined block after it, so that `number` is an old block.
  await rpc(node.url, 'evm_mine');
  const history = (await rpc(node.url, 'eth_feeHistory', ['0x1', toHex(number - 1n), []])).result;
  const block = (n) => rpc(node.url, 'eth_getBlockByNumber', [toHex(n), false]).then((r) => r.result);
  // The extra base fee is the next block's (here a block of the chain).
  assert.deepEqual(history.baseFeePerGas, [(await block(number - 1n)).baseFeePerGas, (await block(number)).baseFeePerGas]);
  // No blob gas in excess: EIP-4844's minimum blob base fee, 1 wei.
  assert.deepEqual(history.baseFeePerBlobGas, ['0x1', '0x1']);
  assert.deepEqual(history.blobGasUsedRatio, [0]);
  assert.equal((await rpc(node.url, 'eth_blobBaseFee')).result, '0x1');
  const viem = createPublicClient({ chain: defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } }), transport: http(node.url) });
  assert.equal(await viem.getBlobBaseFee(), 1n);
  // The bloom of one LOG1 from LOGGER with topic 7 (yellow paper §4.3.1): for the address and
  // the topic, three bits each, from the first three byte pairs of their keccak256, mod 2048.
  const bits = (item) => {
    const h = keccak256(item);
    return [0, 2, 4].map((i) => parseInt(h.slice(2 + 2 * i, 6 + 2 * i), 16) & 2047);
  };
  let bloom = 0n;
  for (const bit of [...bits(LOGGER), ...bits(toHex(7n, { size: 32 }))]) bloom |= 1n << BigInt(bit);
  const expected = '0x' + bloom.toString(16).padStart(512, '0');
  assert.equal(receipt.logsBloom, expected);
  assert.equal((await block(number)).logsBloom, expected);
  // ethers reads the block's bloom too.
  const ethers = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
  const fromEthers = await ethers.send('eth_getBlockByNumber', [toHex(number), false]);
  assert.equal(fromEthers.logsBloom, expected);
  ethers.destroy();
});

// oldestBlock is the lowest block of the returned range (execution-apis' eth_feeHistory). Before:
// after a state load moved the head past numbers no block has, those were skipped while
// oldestBlock stayed newest + 1 - blockCount (here 0x2 for two blocks 0x400 and 0x401), and a
// newest block that does not exist answered with the blocks before it.
test('eth_feeHistory after a state load moved the head: the blocks that exist, oldestBlock the first of them', async () => {
  const fresh = await startNode();
  try {
    const call = async (method, params) => {
      const reply = await rpc(fresh.url, method, params);
      assert.equal(reply.error, undefined, `${method}: ${JSON.stringify(reply.error)}`);
      return reply.result;
    };
    const [from] = await call('eth_accounts', []);
    await call('evm_mine', []);
    assert.equal(await call('anvil_loadState', [{ block: { number: '0x400', timestamp: '0x70000000' }, accounts: {} }]), true);
    await call('eth_sendTransaction', [{ from, to: SINK, value: '0x1' }]);
    assert.equal(await call('eth_blockNumber', []), '0x401');
    const history = await call('eth_feeHistory', ['0x400', 'latest', [50]]);
    assert.equal(history.oldestBlock, '0x400');
    assert.equal(history.gasUsedRatio.length, 2);
    assert.equal(history.baseFeePerGas.length, 3);
    assert.equal(history.reward.length, 2);
    const blocks = [await call('eth_getBlockByNumber', ['0x400', false]), await call('eth_getBlockByNumber', ['0x401', false])];
    assert.deepEqual(history.baseFeePerGas.slice(0, 2), blocks.map((b) => b.baseFeePerGas));
    assert.deepEqual(history.gasUsedRatio, blocks.map((b) => Number(BigInt(b.gasUsed)) / Number(BigInt(b.gasLimit))));
    // Before the jump the chain is whole again: blocks 0 and 1.
    const early = await call('eth_feeHistory', ['0x5', '0x1', []]);
    assert.equal(early.oldestBlock, '0x0');
    assert.equal(early.gasUsedRatio.length, 2);
    // A number no block has is an unknown block, as one above the head.
    const gap = await rpc(fresh.url, 'eth_feeHistory', ['0x2', '0x200', []]);
    assert.equal(gap.error?.code, -32000, JSON.stringify(gap));
    assert.match(gap.error.message, /unknown block/);
  } finally {
    await fresh.stop();
  }
});

test('a WebSocket client learns that the node shuts down (close 1001)', async () => {
  const ws = await startNode();
  const conn = rawConnect(ws.url);
  try {
    await conn.until(() => conn.response !== undefined);
    assert.match(conn.response, /^HTTP\/1.1 101/);
    await ws.stop();
    await conn.until(() => conn.frames.some((f) => f.opcode === 8));
    const close = conn.frames.find((f) => f.opcode === 8);
    assert.equal(close?.payload.readUInt16BE(0), 1001);
  } finally {
    conn.end();
  }
});
