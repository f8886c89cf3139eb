// The EIP-1193 provider on its own: answers, JSON-RPC error codes, and that a failed request
// leaves the engine exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyToAccount } from 'viem/accounts';
import { bytesToHex, encodeFunctionData, hexToBytes, keccak256 } from 'viem';
import { createEngine, createProvider, PROVIDER_METHODS } from '../dist/esm/node.js';
import { ERC20_RUNTIME, TOKEN_ABI, erc20BalanceSlot } from './fixtures/erc20.mjs';
import { KEY_A } from './helpers.mjs';

const TOKEN = '0x100000000000000000000000000000000000e20c';
const a = privateKeyToAccount(KEY_A);

async function setup() {
  const engine = await createEngine({ chainId: 270 });
  engine.setAccount(a.address, { balance: 10n ** 20n });
  engine.setAccount(TOKEN, { code: ERC20_RUNTIME, storage: { [erc20BalanceSlot(a.address)]: 1000n, '0x1': 1000n } });
  const provider = createProvider(engine);
  const rpc = (method, ...params) => provider.request({ method, params });
  return { engine, provider, rpc };
}

const snapshot = (engine) => ({
  a: engine.getAccount(a.address),
  token: engine.getAccount(TOKEN),
  slot: engine.getStorage(TOKEN, erc20BalanceSlot(a.address)),
  head: engine.blockNumber(),
});

async function rejectsWith(promise, code, check) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `${err.message} (code ${err.code})`);
    assert.ok(err instanceof Error);
    if (check) check(err);
    return true;
  });
}

test('basic answers', async () => {
  const { rpc } = await setup();
  assert.equal(await rpc('eth_chainId'), '0x10e');
  assert.equal(await rpc('net_version'), '270');
  assert.equal(await rpc('eth_blockNumber'), '0x0');
  assert.deepEqual(await rpc('eth_accounts'), []);
  assert.match(await rpc('web3_clientVersion'), /^zkos\//);
  assert.equal(await rpc('eth_getBalance', a.address, 'latest'), '0x56bc75e2d63100000'); // 1e20
  assert.equal(await rpc('eth_getTransactionCount', a.address, 'pending'), '0x0');
  assert.equal(await rpc('eth_getCode', TOKEN, 'latest'), ERC20_RUNTIME.toLowerCase());
  assert.equal(BigInt(await rpc('eth_getStorageAt', TOKEN, '0x1', 'latest')), 1000n);
  assert.equal(typeof (await rpc('eth_gasPrice')), 'string');
  assert.equal(await rpc('eth_maxPriorityFeePerGas'), '0x0');
  const genesis = await rpc('eth_getBlockByNumber', 'latest', false);
  assert.equal(genesis.number, '0x0');
  assert.deepEqual(await rpc('eth_getBlockByHash', genesis.hash, false), genesis);
  const history = await rpc('eth_feeHistory', '0x4', 'latest', [50]);
  assert.equal(history.oldestBlock, '0x0');
  assert.equal(history.baseFeePerGas.length, 2);
  assert.deepEqual(history.reward, [['0x0']]);
  assert.equal(await rpc('eth_getTransactionReceipt', '0x' + '11'.repeat(32)), null);
  assert.ok(PROVIDER_METHODS.includes('zkos_estimateFee'));
});

test('eth_call with a state override (3rd param) and eth_estimateGas with one', async () => {
  const { rpc, engine } = await setup();
  const other = '0x10000000000000000000000000000000000000aa';
  const data = encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [other] });
  assert.equal(BigInt(await rpc('eth_call', { to: TOKEN, data }, 'latest')), 0n);
  const override = { [TOKEN]: { stateDiff: { [erc20BalanceSlot(other)]: '0x2a' } } };
  assert.equal(BigInt(await rpc('eth_call', { to: TOKEN, data }, 'latest', override)), 42n);
  assert.equal(engine.getStorage(TOKEN, erc20BalanceSlot(other)), '0x' + '0'.repeat(64), 'overrides do not stick');

  // `other` has no tokens: transfer reverts, unless an override gives it some.
  const transfer = { from: other, to: TOKEN, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [a.address, 5n] }) };
  await rejectsWith(rpc('eth_estimateGas', transfer, 'latest'), 3, (err) => {
    assert.match(err.message, /insufficient balance/);
    assert.match(err.data, /^0x08c379a0/);
  });
  const gas = BigInt(await rpc('eth_estimateGas', transfer, 'latest', override));
  assert.ok(gas > 21000n && gas < 150000n, `estimate ${gas}`);

  const fee = await rpc('zkos_estimateFee', transfer, override);
  assert.equal(BigInt(fee.gasLimit), gas);
  for (const k of ['nativeUsed', 'pubdataBytes', 'maxFeePerGas', 'nativePrice', 'pubdataPrice', 'gasPerPubdata']) assert.match(fee[k], /^0x[0-9a-f]+$/, k);
});

test('JSON-RPC error codes, and the engine is unchanged after each error', async () => {
  const { rpc, provider, engine } = await setup();
  const before = snapshot(engine);
  await rejectsWith(rpc('eth_nope'), -32601);
  await rejectsWith(provider.request({ method: 'eth_getBalance', params: 'x' }), -32602);
  await rejectsWith(rpc('eth_getBalance', '0x1234', 'latest'), -32602);
  await rejectsWith(rpc('eth_getBalance', '0xzz' + '0'.repeat(38)), -32602);
  await rejectsWith(rpc('eth_getBalance'), -32602);
  await rejectsWith(rpc('eth_call', 'not an object'), -32602);
  await rejectsWith(rpc('eth_call', { to: TOKEN, data: '0x123' }), -32602);
  await rejectsWith(rpc('eth_sendRawTransaction', '0x'), -32602);
  await rejectsWith(rpc('eth_sendRawTransaction', '0xf8'), -32602);
  await rejectsWith(rpc('eth_sendRawTransaction', '0x02c0'), -32602);
  // Well-formed but invalid: nonce too high -> -32000.
  const raw = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 5, to: TOKEN, gas: 100000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  await rejectsWith(rpc('eth_sendRawTransaction', raw), -32000, (err) => assert.equal(err.zkosCode, 'INVALID_TRANSACTION'));
  // Wrong chain id -> -32000.
  const wrongChain = await a.signTransaction({ type: 'eip1559', chainId: 1, nonce: 0, to: TOKEN, gas: 100000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  await rejectsWith(rpc('eth_sendRawTransaction', wrongChain), -32000);
  // Not enough funds for value -> -32000.
  const tooRich = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, to: TOKEN, value: 10n ** 21n, gas: 100000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  await rejectsWith(rpc('eth_sendRawTransaction', tooRich), -32000);
  await rejectsWith(rpc('eth_getBalance', a.address, '0x99'), -32000);
  await rejectsWith(rpc('debug_traceTransaction', '0x' + '22'.repeat(32)), -32000);
  assert.deepEqual(snapshot(engine), before);
});

/** The logs bloom computed here from the Yellow Paper's definition (independent of zkos). */
function expectedBloom(logs) {
  const bloom = new Uint8Array(256);
  for (const log of logs) {
    for (const item of [log.address, ...log.topics]) {
      const h = hexToBytes(keccak256(item));
      for (const i of [0, 2, 4]) {
        const bit = ((h[i] << 8) | h[i + 1]) & 2047;
        bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
      }
    }
  }
  return bytesToHex(bloom);
}

test('eth_sendRawTransaction mines a block and emits a block event', async () => {
  const { rpc, provider } = await setup();
  const blocks = [];
  const onBlock = (n) => blocks.push(n);
  provider.on('block', onBlock);
  const data = encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: ['0x10000000000000000000000000000000000000bb', 9n] });
  const raw = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, to: TOKEN, data, gas: 200000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  const hash = await rpc('eth_sendRawTransaction', raw);
  assert.match(hash, /^0x[0-9a-f]{64}$/);
  assert.equal(await rpc('eth_blockNumber'), '0x1');
  assert.deepEqual(blocks, ['0x1']);
  provider.removeListener('block', onBlock);
  const receipt = await rpc('eth_getTransactionReceipt', hash);
  assert.equal(receipt.status, '0x1');
  assert.equal(receipt.blockNumber, '0x1');
  assert.equal(receipt.logs.length, 1);
  assert.equal(receipt.logsBloom, expectedBloom(receipt.logs), 'bloom of the Transfer event (Yellow Paper M3:2048)');
  assert.match(receipt.nativeUsed, /^0x[0-9a-f]+$/);
  const tx = await rpc('eth_getTransactionByHash', hash);
  assert.equal(tx.hash, hash);
  assert.equal(tx.input, data);
  const block = await rpc('eth_getBlockByNumber', '0x1', true);
  assert.equal(block.transactions[0].hash, hash);
  const structLogs = await rpc('debug_traceTransaction', hash, {});
  assert.equal(structLogs.failed, false);
  assert.ok(structLogs.structLogs.length > 10);
  assert.equal(structLogs.structLogs[0].op, 'PUSH1');
});

test('block-indexed queries, uncles, block receipts and traces, web3_sha3 (geth shapes)', async () => {
  const { rpc } = await setup();
  const data = encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: ['0x10000000000000000000000000000000000000bb', 9n] });
  const raw = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, to: TOKEN, data, gas: 200000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
  const hash = await rpc('eth_sendRawTransaction', raw);
  const block = await rpc('eth_getBlockByNumber', '0x1', false);
  const byHash = await rpc('eth_getTransactionByHash', hash);
  assert.equal(await rpc('eth_getBlockTransactionCountByHash', block.hash), '0x1');
  assert.deepEqual(await rpc('eth_getTransactionByBlockNumberAndIndex', '0x1', '0x0'), byHash);
  assert.deepEqual(await rpc('eth_getTransactionByBlockHashAndIndex', block.hash, '0x0'), byHash);
  assert.equal(await rpc('eth_getTransactionByBlockNumberAndIndex', '0x1', '0x1'), null, 'index past the block');
  assert.equal(await rpc('eth_getTransactionByBlockHashAndIndex', '0x' + '22'.repeat(32), '0x0'), null, 'unknown block');
  const receipt = await rpc('eth_getTransactionReceipt', hash);
  assert.deepEqual(await rpc('eth_getBlockReceipts', '0x1'), [receipt]);
  assert.deepEqual(await rpc('eth_getBlockReceipts', block.hash), [receipt]);
  assert.deepEqual(await rpc('eth_getBlockReceipts', 'earliest'), [], 'genesis has no transactions');
  assert.equal(await rpc('eth_getBlockReceipts', '0x9'), null);
  // geth's BlockNumberOrHash: an EIP-1898 object names the block by number or by hash, not both.
  assert.deepEqual(await rpc('eth_getBlockReceipts', { blockHash: block.hash }), [receipt]);
  assert.deepEqual(await rpc('eth_getBlockReceipts', { blockHash: block.hash, requireCanonical: true }), [receipt]);
  assert.deepEqual(await rpc('eth_getBlockReceipts', { blockNumber: '0x1' }), [receipt]);
  assert.deepEqual(await rpc('eth_getBlockReceipts', { blockNumber: 'earliest' }), []);
  const refused = [
    [{}, /neither block nor hash specified/],
    [{ foo: '0x1' }, /neither block nor hash specified/],
    [{ blockNumber: '0x1', blockHash: block.hash }, /cannot specify both BlockHash and BlockNumber/],
    [{ blockNumber: { blockNumber: '0x1' } }, /blockNumber: expected a block number or tag, got object/],
    [{ blockHash: '0x12' }, /blockHash/],
    [{ blockHash: block.hash, requireCanonical: 'yes' }, /requireCanonical: expected a boolean/],
    [true, /expected a block number, tag or hash, or \{ blockNumber \} \/ \{ blockHash \}, got boolean/],
    [null, /missing parameter 0/],
    [['0x1'], /got array/],
  ];
  for (const [param, message] of refused) {
    await rejectsWith(rpc('eth_getBlockReceipts', param), -32602, (e) => {
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /undefined/);
    });
  }
  await rejectsWith(rpc('eth_getBalance', a.address, { blockNumber: '0x1', blockHash: block.hash }), -32602, (e) => assert.match(e.message, /cannot specify both/));
  assert.equal(await rpc('eth_getUncleCountByBlockNumber', 'latest'), '0x0');
  assert.equal(await rpc('eth_getUncleCountByBlockHash', block.hash), '0x0');
  assert.equal(await rpc('eth_getUncleCountByBlockNumber', '0x9'), null);
  assert.equal(await rpc('eth_getUncleByBlockNumberAndIndex', '0x1', '0x0'), null);
  assert.equal(await rpc('eth_getUncleByBlockHashAndIndex', block.hash, '0x0'), null);
  await rejectsWith(rpc('eth_getUncleByBlockHashAndIndex', 'nope', '0x0'), -32602);
  await rejectsWith(rpc('eth_getTransactionByBlockNumberAndIndex', '0x1'), -32602, (e) => assert.match(e.message, /index/));
  const traced = await rpc('debug_traceBlockByNumber', '0x1', { tracer: 'callTracer' });
  assert.deepEqual(traced, [{ txHash: hash, result: await rpc('debug_traceTransaction', hash, { tracer: 'callTracer' }) }]);
  assert.deepEqual(await rpc('debug_traceBlockByHash', block.hash, { tracer: 'callTracer' }), traced);
  assert.equal(traced[0].result.to, TOKEN.toLowerCase());
  await rejectsWith(rpc('debug_traceBlockByNumber', '0x9'), -32000);
  assert.equal(await rpc('web3_sha3', '0x68656c6c6f'), keccak256('0x68656c6c6f'));
  assert.equal(await rpc('web3_sha3', '0x'), keccak256('0x'));
});
