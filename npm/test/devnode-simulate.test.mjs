// eth_simulateV1 on `zkos node` (geth's shape): calls that see each other's state within a block
// and across blocks, state and block overrides, gaps, validation, traceTransfers, error codes,
// and viem's simulateBlocks action. Expected values are derived by hand in the comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, defineChain, encodeFunctionData, decodeFunctionResult, getContractAddress, http, pad, toHex } from 'viem';
import { TOKEN_ABI, TOKEN_BYTECODE } from './fixtures/erc20.mjs';
import { startNode, rpc } from './devnode/spawn.mjs';

const X = '0x00000000000000000000000000000000000c0de0';
const F = '0x00000000000000000000000000000000000f0f00';
const B = '0x00000000000000000000000000000000000b0b00';
const POOR = '0x00000000000000000000000000000000000a11ce';
/** `PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: returns slot 0. */
const READ_SLOT0 = '0x60005460005260206000f3';
/** `<op> PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: returns one block field (NUMBER 43, TIMESTAMP 42, BASEFEE 48, COINBASE 41). */
const returns = (op) => `0x${op}60005260206000f3`;
/** `PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT`: reverts with 0xdeadbeef. */
const REVERTER = '0x63deadbeef6000526004601cfd';
/**
 * LOG1(topic 1); CALL(gas, B, callvalue) with no data; POP; LOG1(topic 2); STOP:
 * `6001 6000 6000 a1 | 6000 6000 6000 6000 34 73<B> 5a f1 50 | 6002 6000 6000 a1 | 00`.
 */
const FORWARDER = `0x${'6001' + '6000' + '6000' + 'a1'}${'6000'.repeat(4)}3473${B.slice(2)}5af150${'6002' + '6000' + '6000' + 'a1'}00`;
/** keccak256("Transfer(address,address,uint256)"). */
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const ETH_ADDRESS = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';

let node;
let a;
let b;

before(async () => {
  node = await startNode();
  [a, b] = (await rpc(node.url, 'eth_accounts')).result;
});

after(async () => {
  await node?.stop();
});

async function simulate(opts, tag = 'latest', url = node.url) {
  const reply = await rpc(url, 'eth_simulateV1', [opts, tag]);
  if (reply.error !== undefined) return reply;
  return reply.result;
}

const word = (n) => pad(toHex(n));

test('calls see each other: deploy, transfer, then read in a later block; the chain does not change', async () => {
  const head = (await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])).result;
  const nonce = BigInt((await rpc(node.url, 'eth_getTransactionCount', [a, 'latest'])).result);
  // CREATE address of the deployer and its nonce (keccak(rlp([sender, nonce]))[12:]).
  const token = getContractAddress({ from: a, nonce }).toLowerCase();
  const blocks = await simulate({
    blockStateCalls: [
      {
        calls: [
          { from: a, data: TOKEN_BYTECODE },
          { from: a, to: token, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [b, 100n] }) },
        ],
      },
      { calls: [{ from: b, to: token, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [b] }) }] },
    ],
  });
  assert.equal(blocks.length, 2);
  const [first, second] = blocks;
  assert.equal(BigInt(first.number), BigInt(head.number) + 1n);
  assert.equal(BigInt(second.number), BigInt(head.number) + 2n);
  // geth's default: 12 s after the parent.
  assert.equal(BigInt(first.timestamp), BigInt(head.timestamp) + 12n);
  assert.equal(second.parentHash, first.hash);
  assert.equal(first.transactions.length, 2);
  assert.deepEqual(first.calls.map((c) => c.status), ['0x1', '0x1']);
  // The constructor's mint (from 0) then the transfer, numbered through the block.
  const [mint] = first.calls[0].logs;
  assert.equal(mint.address, token);
  assert.deepEqual(mint.topics, [TRANSFER_TOPIC, word(0n), pad(a)]);
  assert.equal(mint.logIndex, '0x0');
  const [sent] = first.calls[1].logs;
  assert.deepEqual(sent.topics, [TRANSFER_TOPIC, pad(a), pad(b)]);
  assert.equal(BigInt(sent.data), 100n);
  assert.equal(sent.logIndex, '0x1');
  assert.equal(sent.blockHash, first.hash);
  assert.equal(sent.transactionHash, first.transactions[1]);
  assert.equal(decodeFunctionResult({ abi: TOKEN_ABI, functionName: 'balanceOf', data: second.calls[0].returnData }), 100n);
  assert.ok(BigInt(second.calls[0].gasUsed) > 21_000n);
  assert.ok(BigInt(second.calls[0].nativeUsed) > 0n, 'ZKsync OS native is reported');
  // Nothing stays: head, state root, nonce and the would-be token.
  const after = (await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])).result;
  assert.equal(after.hash, head.hash);
  assert.equal(after.stateRoot, head.stateRoot);
  assert.equal((await rpc(node.url, 'eth_getCode', [token, 'latest'])).result, '0x');
  assert.equal(BigInt((await rpc(node.url, 'eth_getTransactionCount', [a, 'latest'])).result), nonce);
});

test('state overrides: code, state (replaces storage), stateDiff, balance; block overrides and gaps', async () => {
  const head = (await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])).result;
  const n = BigInt(head.number);
  const t = BigInt(head.timestamp) + 1000n;
  const read = { from: a, to: X };
  const blocks = await simulate({
    blockStateCalls: [
      { stateOverrides: { [X]: { code: READ_SLOT0, state: { '0x0': '0x2a' } } }, calls: [read] },
      // `state` replaces the whole storage: slot 0 is gone.
      { stateOverrides: { [X]: { state: { '0x1': '0x7' } } }, calls: [read] },
      // `stateDiff` changes only the slots named.
      { stateOverrides: { [X]: { stateDiff: { '0x0': '0x5' } } }, calls: [read] },
      // Block n + 7 after n + 3: three empty blocks fill the gap, 12 s apart; the time is as given.
      {
        blockOverrides: { number: toHex(n + 7n), time: toHex(t), baseFeePerGas: '0x3', feeRecipient: F, gasLimit: toHex(30_000_000n) },
        stateOverrides: { [POOR]: { balance: '0x0' }, [X]: { code: returns('43') }, [F]: { code: returns('42') }, [B]: { code: returns('48') } },
        calls: [{ from: a, to: X }, { from: a, to: F }, { from: a, to: B }],
      },
    ],
  });
  assert.deepEqual(blocks.map((x) => BigInt(x.number) - n), [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  assert.deepEqual(blocks.slice(0, 3).map((x) => BigInt(x.calls[0].returnData)), [42n, 0n, 5n]);
  assert.deepEqual(blocks.slice(3, 6).map((x) => [x.calls.length, BigInt(x.timestamp) - BigInt(blocks[2].timestamp)]), [[0, 12n], [0, 24n], [0, 36n]]);
  const last = blocks[6];
  assert.equal(BigInt(last.timestamp), t);
  assert.equal(last.miner, F);
  assert.equal(BigInt(last.gasLimit), 30_000_000n);
  assert.equal(BigInt(last.baseFeePerGas), 3n);
  assert.deepEqual(last.calls.map((c) => BigInt(c.returnData)), [n + 7n, t, 3n]);
});

test('reverts and halts are per-call results; invalid calls fail the request with geth codes', async () => {
  const [block] = await simulate({
    blockStateCalls: [
      {
        stateOverrides: { [X]: { code: REVERTER } },
        calls: [
          { from: a, to: X },
          { from: a, to: X, gas: '0x5208' },
          { from: a, to: b, value: '0x1' },
        ],
      },
    ],
  });
  const [reverted, halted, fine] = block.calls;
  // Code 3 with the revert data, and the message eth_call gives for it.
  assert.deepEqual(reverted.error, { code: 3, message: 'execution reverted: custom error 0xdeadbeef', data: '0xdeadbeef' });
  assert.equal(reverted.status, '0x0');
  assert.equal(reverted.returnData, '0xdeadbeef');
  // 21,000 gas leaves nothing for the code: out of gas, a VM error (geth's -32015), all gas used.
  assert.equal(halted.status, '0x0');
  assert.equal(halted.error.code, -32015);
  assert.equal(BigInt(halted.gasUsed), 21_000n);
  assert.equal(fine.status, '0x1');
  assert.equal(fine.error, undefined);

  const nonce = BigInt((await rpc(node.url, 'eth_getTransactionCount', [a, 'latest'])).result);
  const one = (call, validation) => simulate({ validation, blockStateCalls: [{ calls: [call] }] });
  // Without validation a wrong nonce is not checked and fees are zero (base fee 0), so a poor sender pays nothing.
  assert.equal((await one({ from: a, to: b, nonce: toHex(nonce + 5n) }, false))[0].calls[0].status, '0x1');
  assert.equal((await one({ from: POOR, to: b }, false))[0].calls[0].status, '0x1');
  assert.equal(BigInt((await one({ from: a, to: b }, false))[0].baseFeePerGas), 0n);
  // With validation: the chain's base fee, nonces and funds are checked.
  assert.equal((await one({ from: a, to: b, nonce: toHex(nonce + 5n) }, true)).error.code, -38011);
  // The first block uses nonce n; naming it again in the next block is too low.
  const reused = await simulate({ validation: true, blockStateCalls: [{ calls: [{ from: a, to: b }] }, { calls: [{ from: a, to: b, nonce: toHex(nonce) }] }] });
  assert.equal(reused.error.code, -38010);
  assert.equal((await one({ from: POOR, to: b }, true)).error.code, -38014);
  assert.equal((await one({ from: a, to: b, gas: '0x5207' }, true)).error.code, -38013);
  const validated = await one({ from: a, to: b }, true);
  assert.ok(BigInt(validated[0].baseFeePerGas) > 0n);

  const head = BigInt((await rpc(node.url, 'eth_blockNumber')).result);
  assert.equal((await simulate({ blockStateCalls: [{ blockOverrides: { number: toHex(head) } }] })).error.code, -38020);
  assert.equal((await simulate({ blockStateCalls: [{}, { blockOverrides: { time: '0x1' } }] })).error.code, -38021);
  assert.equal((await simulate({ blockStateCalls: [{ blockOverrides: { number: toHex(head + 257n) } }] })).error.code, -38026);
  assert.equal((await simulate({ blockStateCalls: [{ blockOverrides: { prevRandao: word(1n) } }] })).error.code, -32602);
  // Protocol version 2 (the node's default) refuses every transaction of a block whose gas
  // limit ergs cannot count (2^64 / 256 = 2^56): the override is the caller's bad parameter.
  const tooHigh = await simulate({ blockStateCalls: [{ blockOverrides: { gasLimit: toHex(1n << 57n) }, calls: [{ from: a, to: b }] }] });
  assert.equal(tooHigh.error.code, -32602);
  assert.match(tooHigh.error.message, /gas limit is past what ergs can count/);
  assert.equal((await simulate({ blockStateCalls: [] })).length, 0);
  // Simulations start from the head: an older block is refused (state at older blocks is not kept).
  await rpc(node.url, 'evm_mine');
  assert.equal((await simulate({ blockStateCalls: [{}] }, toHex(head))).error.code, -32602);
  assert.equal((await simulate({ blockStateCalls: [{}] }, toHex(head + 1n))).length, 1);
  assert.equal((await simulate({ blockStateCalls: 'x' })).error.code, -32602);
});

test('traceTransfers: ether moves appear as Transfer logs from 0xEeee…, in order among the call\'s logs', async () => {
  const [block] = await simulate({
    traceTransfers: true,
    blockStateCalls: [{ stateOverrides: { [F]: { code: FORWARDER } }, calls: [{ from: a, to: F, value: '0x7' }, { from: a, to: b, value: '0x5' }] }],
  });
  const shape = (l) => [l.address, l.topics, BigInt(l.data === '0x' ? 0 : l.data), l.logIndex];
  // The call's value a → F, F's first LOG1, F's inner CALL moving 7 to B, F's second LOG1.
  assert.deepEqual(block.calls[0].logs.map(shape), [
    [ETH_ADDRESS, [TRANSFER_TOPIC, pad(a), pad(F)], 7n, '0x0'],
    [F, [word(1n)], 0n, '0x1'],
    [ETH_ADDRESS, [TRANSFER_TOPIC, pad(F), pad(B)], 7n, '0x2'],
    [F, [word(2n)], 0n, '0x3'],
  ]);
  assert.deepEqual(block.calls[1].logs.map(shape), [[ETH_ADDRESS, [TRANSFER_TOPIC, pad(a), pad(b)], 5n, '0x4']]);
  // Without the flag only the contract's own logs are reported.
  const [plain] = await simulate({ blockStateCalls: [{ stateOverrides: { [F]: { code: FORWARDER } }, calls: [{ from: a, to: F, value: '0x7' }] }] });
  assert.deepEqual(plain.calls[0].logs.map((l) => l.topics[0]), [word(1n), word(2n)]);
});

test('viem simulateBlocks: decoded results, failures, overrides', async () => {
  const chain = defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  const client = createPublicClient({ chain, transport: http(node.url) });
  const nonce = BigInt((await rpc(node.url, 'eth_getTransactionCount', [a, 'latest'])).result);
  const token = getContractAddress({ from: a, nonce });
  const result = await client.simulateBlocks({
    blocks: [
      { calls: [{ account: a, data: TOKEN_BYTECODE }] },
      {
        blockOverrides: { time: 4_000_000_000n },
        stateOverrides: [{ address: X, code: REVERTER }],
        calls: [
          { account: a, to: token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [a] },
          { account: a, to: token, abi: TOKEN_ABI, functionName: 'transfer', args: [b, 10n ** 30n] },
          { account: a, to: X, data: '0x' },
        ],
      },
    ],
  });
  assert.equal(result.length, 2);
  assert.equal(result[1].timestamp, 4_000_000_000n);
  const [balance, tooMuch, reverter] = result[1].calls;
  // The constructor mints 10^24 to the deployer.
  assert.equal(balance.status, 'success');
  assert.equal(balance.result, 10n ** 24n);
  assert.equal(tooMuch.status, 'failure');
  assert.match(tooMuch.error.message, /insufficient balance/);
  assert.equal(reverter.status, 'failure');
});

test('the Ethereum flow: calls without a gas limit share the block (each gets what is left)', async () => {
  const eth = await startNode(['--flow', 'ethereum']);
  try {
    const [from] = (await rpc(eth.url, 'eth_accounts')).result;
    const blocks = await simulate({ blockStateCalls: [{ stateOverrides: { [X]: { code: READ_SLOT0, state: { '0x0': '0x9' } } }, calls: [{ from, to: X }, { from, to: X }, { from, to: b, value: '0x1' }] }] }, 'latest', eth.url);
    assert.deepEqual(blocks[0].calls.map((c) => [c.status, BigInt(c.returnData === '0x' ? 0 : c.returnData)]), [['0x1', 9n], ['0x1', 9n], ['0x1', 0n]]);
    // 21,000 + PUSH1 (3) + cold SLOAD (2,100) + PUSH1 (3) + MSTORE (3 + 3 memory) + PUSH1 PUSH1 (6) + RETURN (0) = 23,118.
    assert.deepEqual(blocks[0].calls.map((c) => BigInt(c.gasUsed)), [23_118n, 23_118n, 21_000n]);
    assert.equal(BigInt(blocks[0].gasUsed), 67_236n);
  } finally {
    await eth.stop();
  }
});

test('the simulation bound holds over traceTransfers\' traces and over blocks that each end in one slice (before: a 1,000-call block with traceTransfers ran 12.9 s in-process, 23.8-25.8 s on zkos node, past a 5 s bound)', async () => {
  const { DevChain, createDevProvider, createEngineSync } = await import('../dist/esm/node.js');
  const chain = new DevChain(createEngineSync(), { accounts: 1 });
  const from = chain.accounts[0].address;
  const to = (i) => '0x' + (0x10000 + i).toString(16).padStart(40, '0');
  const aborted = (ms) => (e) => e.code === -32000 && e.message === `execution aborted (timeout = ${ms}ms)`;
  try {
    const before = chain.engine.getBlock('latest').hash;
    // Each call is traced again after the calls before it: about 12 ms a call at the end, far past 200 ms.
    const transfers = createDevProvider(chain, { evmTimeoutMs: 200 });
    await assert.rejects(transfers.request({ method: 'eth_simulateV1', params: [{ traceTransfers: true, blockStateCalls: [{ calls: Array.from({ length: 1000 }, (_, i) => ({ from, to: to(i), value: '0x1' })) }] }] }), aborted(200));
    // 256 blocks of three transfers, each block one slice of the engine's job (about 1 ms each).
    const blocks = createDevProvider(chain, { evmTimeoutMs: 20 });
    await assert.rejects(blocks.request({ method: 'eth_simulateV1', params: [{ blockStateCalls: Array.from({ length: 256 }, (_, k) => ({ calls: [0, 1, 2].map((i) => ({ from, to: to(3 * k + i), value: '0x1' })) })) }] }), aborted(20));
    assert.equal(chain.engine.getBlock('latest').hash, before, 'nothing changed');
    // Within the bound the same simulation answers.
    const roomy = createDevProvider(chain, { evmTimeoutMs: 60_000 });
    const few = await roomy.request({ method: 'eth_simulateV1', params: [{ traceTransfers: true, blockStateCalls: [{ calls: Array.from({ length: 3 }, (_, i) => ({ from, to: to(i), value: '0x1' })) }] }] });
    assert.equal(few[0].calls.length, 3);
    assert.equal(few[0].calls[2].logs[0].address, ETH_ADDRESS);
  } finally {
    chain.close();
  }
});
