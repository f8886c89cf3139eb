// `zkos node` as a child process on a free port, driven over HTTP by viem (http transport, test
// client in anvil mode) and ethers v6 (JsonRpcProvider): dev accounts, unsigned sends,
// impersonation, mining control, time, snapshots, logs and filters, signing, dump/load, the
// pool, a Uniswap V2 flow, and bad requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createTestClient, createWalletClient, defineChain, http, parseEther, parseAbiItem, recoverMessageAddress, recoverTypedDataAddress, getAddress } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { JsonRpcProvider, ContractFactory, Contract } from 'ethers';
import { TOKEN_ABI, TOKEN_BYTECODE } from './fixtures/erc20.mjs';
import { UNI, AMOUNTS, deployScenario, amountOut } from './fork/scenario.mjs';
import { startNode, post, rpc } from './devnode/spawn.mjs';

const MNEMONIC = 'test test test test test test test test test test test junk';
const STRANGER = '0x00000000000000000000000000000000000b0b00';
const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');

let node;
let chain;
let pub;
let testClient;
let wallet;

before(async () => {
  node = await startNode();
  const id = Number((await rpc(node.url, 'eth_chainId')).result);
  chain = defineChain({ id, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  pub = createPublicClient({ chain, transport: http(node.url), pollingInterval: 20, cacheTime: 0 });
  testClient = createTestClient({ chain, mode: 'anvil', transport: http(node.url) });
  wallet = createWalletClient({ chain, transport: http(node.url) });
});

after(async () => {
  await node?.stop();
});

/** Runs `body` between evm_snapshot and evm_revert, so tests leave the chain as they found it. */
async function isolated(body) {
  const id = await testClient.snapshot();
  try {
    return await body();
  } finally {
    assert.equal(await testClient.revert({ id }), undefined);
  }
}

test('banner and eth_accounts: the test mnemonic accounts (viem derives the same), funded, localhost', async () => {
  const accounts = await wallet.getAddresses();
  assert.equal(accounts.length, 10);
  for (let i = 0; i < 10; i++) {
    const expected = mnemonicToAccount(MNEMONIC, { addressIndex: i });
    assert.equal(accounts[i], expected.address);
    assert.ok(node.banner.includes(`(${i}) ${expected.address}`), `banner lists account ${i} checksummed`);
  }
  // anvil's published account 0 and its key.
  assert.equal(accounts[0], '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  assert.ok(node.banner.includes('(0) 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'));
  assert.match(node.banner, /Listening on http:\/\/127\.0\.0\.1:\d+ \(this machine only/);
  assert.equal(await pub.getBalance({ address: accounts[0] }), parseEther('10000'));
});

test('viem test client: setBalance, impersonate, unsigned send, stop impersonating', async () => {
  await isolated(async () => {
    await testClient.setBalance({ address: STRANGER, value: parseEther('3') });
    assert.equal(await pub.getBalance({ address: STRANGER }), parseEther('3'));
    await assert.rejects(wallet.sendTransaction({ account: STRANGER, to: STRANGER, value: 1n }), /neither a dev account nor impersonated/);
    await testClient.impersonateAccount({ address: STRANGER });
    const hash = await wallet.sendTransaction({ account: STRANGER, to: '0x00000000000000000000000000000000000c0c00', value: parseEther('1') });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.from, STRANGER);
    assert.equal(await pub.getBalance({ address: '0x00000000000000000000000000000000000c0c00' }), parseEther('1'));
    const fee = receipt.gasUsed * receipt.effectiveGasPrice;
    assert.equal(await pub.getBalance({ address: STRANGER }), parseEther('2') - fee);
    assert.equal(await pub.getTransactionCount({ address: STRANGER }), 1);
    // The receipt keeps the ZKsync OS figures.
    const raw = await rpc(node.url, 'eth_getTransactionReceipt', [hash]);
    assert.ok(BigInt(raw.result.nativeUsed) > 0n);
    assert.ok('pubdataBytes' in raw.result);
    await testClient.stopImpersonatingAccount({ address: STRANGER });
    await assert.rejects(wallet.sendTransaction({ account: STRANGER, to: STRANGER, value: 1n }), /neither a dev account nor impersonated/);
    // eth_sendUnsignedTransaction sends from any account.
    const unsigned = await testClient.sendUnsignedTransaction({ from: STRANGER, to: STRANGER, value: 1n });
    assert.equal((await pub.waitForTransactionReceipt({ hash: unsigned })).status, 'success');
  });
});

test('dev account send (signed by the node), deploy, getLogs, watchEvent over filters', async () => {
  await isolated(async () => {
    const [a, b] = await wallet.getAddresses();
    const deployHash = await wallet.deployContract({ account: a, abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE });
    const deployed = await pub.waitForTransactionReceipt({ hash: deployHash });
    const token = deployed.contractAddress;
    // Signed by the node with account 0's key: a real signature that recovers to it.
    const tx = await pub.getTransaction({ hash: deployHash });
    assert.equal(tx.from, a.toLowerCase());
    assert.ok(tx.r !== '0x0' && tx.s !== '0x0');

    const seen = [];
    const unwatch = pub.watchEvent({ address: token, event: TRANSFER, poll: true, pollingInterval: 20, onLogs: (logs) => seen.push(...logs) });
    await new Promise((r) => setTimeout(r, 100));
    const hashes = [];
    for (const amount of [5n, 7n]) hashes.push(await wallet.writeContract({ account: a, address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [b, amount] }));
    for (const h of hashes) await pub.waitForTransactionReceipt({ hash: h });
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    unwatch();
    assert.deepEqual(seen.map((l) => l.args.value), [5n, 7n]);

    const logs = await pub.getLogs({ address: token, event: TRANSFER, args: { to: b }, fromBlock: deployed.blockNumber });
    assert.deepEqual(logs.map((l) => [l.args.to, l.args.value, l.transactionHash]), [[b, 5n, hashes[0]], [b, 7n, hashes[1]]]);
    // The mint in the constructor is the only Transfer from zero.
    const mints = await pub.getLogs({ event: TRANSFER, args: { from: '0x0000000000000000000000000000000000000000' }, fromBlock: 0n });
    assert.equal(mints.length, 1);
    assert.equal(mints[0].transactionHash, deployHash);

    const filter = await pub.createEventFilter({ address: token, event: TRANSFER, fromBlock: deployed.blockNumber });
    assert.equal((await pub.getFilterLogs({ filter })).length, 3);
    assert.equal((await pub.getFilterChanges({ filter })).length, 3);
    assert.equal((await pub.getFilterChanges({ filter })).length, 0);
    await pub.uninstallFilter({ filter });
    await assert.rejects(pub.getFilterChanges({ filter }), /filter not found/);

    const blocks = await pub.createBlockFilter();
    await testClient.mine({ blocks: 2 });
    assert.equal((await pub.getFilterChanges({ filter: blocks })).length, 2);
  });
});

test('mining control: automine off pools transactions by fee and nonce, txpool, mine, drop', async () => {
  await isolated(async () => {
    const [a, b] = await wallet.getAddresses();
    await testClient.setAutomine(false);
    assert.equal(await testClient.request({ method: 'anvil_getAutomine' }), false);
    const head = await pub.getBlockNumber();
    const pending = await pub.createPendingTransactionFilter();
    const a0 = await wallet.sendTransaction({ account: a, to: STRANGER, value: 1n, maxPriorityFeePerGas: 1n });
    const a1 = await wallet.sendTransaction({ account: a, to: STRANGER, value: 2n, maxPriorityFeePerGas: 50n, maxFeePerGas: 10_000n });
    const b0 = await wallet.sendTransaction({ account: b, to: STRANGER, value: 3n, maxPriorityFeePerGas: 10n, maxFeePerGas: 10_000n });
    const dropped = await wallet.sendTransaction({ account: b, to: STRANGER, value: 4n, maxPriorityFeePerGas: 10n, maxFeePerGas: 10_000n });
    assert.equal(await pub.getBlockNumber(), head);
    assert.equal(await pub.getTransactionReceipt({ hash: a0 }).catch(() => null), null);
    assert.deepEqual(await testClient.getTxpoolStatus(), { pending: 4, queued: 0 });
    const content = await testClient.getTxpoolContent();
    assert.equal(content.pending[a.toLowerCase()]['1'].hash, a1);
    assert.deepEqual(await pub.getFilterChanges({ filter: pending }), [a0, a1, b0, dropped]);
    assert.equal((await pub.getTransaction({ hash: b0 })).blockNumber, null);
    assert.equal(await pub.getTransactionCount({ address: a, blockTag: 'pending' }), 2);
    await testClient.dropTransaction({ hash: dropped });
    await testClient.mine({ blocks: 1 });
    const block = await pub.getBlock({ blockNumber: head + 1n });
    // b0 pays a tip of 10 against a0's 1; a1's higher tip waits for a0 (same sender, nonce order).
    assert.deepEqual(block.transactions, [b0, a0, a1]);
    assert.deepEqual(await testClient.getTxpoolStatus(), { pending: 0, queued: 0 });
    assert.equal(await pub.getTransactionReceipt({ hash: dropped }).catch(() => null), null);

    await testClient.mine({ blocks: 3, interval: 10 });
    const last = await pub.getBlock();
    const third = await pub.getBlock({ blockNumber: last.number - 2n });
    assert.equal(last.number, head + 4n);
    assert.equal(last.timestamp - third.timestamp, 20n);
    await testClient.setAutomine(true);
  });
});

test('interval mining: blocks come on a timer until it is stopped', async () => {
  await isolated(async () => {
    const start = await pub.getBlockNumber();
    await testClient.setIntervalMining({ interval: 0 });
    assert.equal(await testClient.request({ method: 'evm_setIntervalMining', params: [50] }), true);
    const deadline = Date.now() + 10_000;
    while ((await pub.getBlockNumber()) < start + 2n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await testClient.request({ method: 'evm_setIntervalMining', params: [0] });
    const stopped = await pub.getBlockNumber();
    assert.ok(stopped >= start + 2n, `${stopped} blocks after ${start}`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await pub.getBlockNumber(), stopped);
    assert.equal((await rpc(node.url, 'evm_setIntervalMining', [2 ** 31])).error.code, -32602);
    await testClient.setAutomine(true);
  });
});

test('time: increaseTime, setNextBlockTimestamp, evm_mine', async () => {
  await isolated(async () => {
    const before = await pub.getBlock();
    await testClient.increaseTime({ seconds: 3600 });
    await testClient.mine({ blocks: 1 });
    const later = await pub.getBlock();
    assert.ok(later.timestamp - before.timestamp >= 3600n, `${later.timestamp} - ${before.timestamp}`);
    const target = later.timestamp + 1000n;
    await testClient.setNextBlockTimestamp({ timestamp: target });
    assert.equal(await testClient.request({ method: 'evm_mine' }), '0x0');
    assert.equal((await pub.getBlock()).timestamp, target);
    await assert.rejects(testClient.setNextBlockTimestamp({ timestamp: 1n }), /below the head/);
  });
});

test('snapshot and revert restore state, blocks and the pool; a used snapshot is gone', async () => {
  const [a] = await wallet.getAddresses();
  const balance = await pub.getBalance({ address: a });
  const head = await pub.getBlockNumber();
  const id = await testClient.snapshot();
  const hash = await wallet.sendTransaction({ account: a, to: STRANGER, value: parseEther('1') });
  await pub.waitForTransactionReceipt({ hash });
  await testClient.setCode({ address: STRANGER, bytecode: '0x6001' });
  assert.equal(await pub.getBlockNumber(), head + 1n);
  await testClient.revert({ id });
  assert.equal(await pub.getBalance({ address: a }), balance);
  assert.equal(await pub.getBlockNumber(), head);
  assert.equal(await pub.getBytecode({ address: STRANGER }), undefined);
  assert.equal(await pub.getTransactionReceipt({ hash }).catch(() => null), null);
  assert.equal((await rpc(node.url, 'evm_revert', [id])).result, false);
});

test('setCode, setNonce, setStorageAt; dumpState, reset, loadState', async () => {
  await isolated(async () => {
    await testClient.setCode({ address: STRANGER, bytecode: '0x60005460005260206000f3' });
    await testClient.setNonce({ address: STRANGER, nonce: 7 });
    await testClient.setStorageAt({ address: STRANGER, index: 0, value: '0x' + '00'.repeat(31) + '2a' });
    assert.equal(await pub.call({ to: STRANGER }).then((r) => BigInt(r.data)), 42n);
    assert.equal(await pub.getTransactionCount({ address: STRANGER }), 7);
    const state = await testClient.dumpState();
    await testClient.reset();
    assert.equal(await pub.getBlockNumber(), 0n);
    assert.equal(await pub.getBytecode({ address: STRANGER }), undefined);
    await testClient.loadState({ state });
    assert.equal(await pub.getStorageAt({ address: STRANGER, slot: '0x0' }), '0x' + '00'.repeat(31) + '2a');
    assert.equal(await pub.getTransactionCount({ address: STRANGER }), 7);
    await assert.rejects(testClient.loadState({ state: '0x1234' }), /not valid JSON/);
  });
});

/** The accounts of an anvil_dumpState answer (0x-hex of gzipped JSON). */
const dumpedAccounts = (hex) => JSON.parse(gunzipSync(Buffer.from(hex.slice(2), 'hex')).toString('utf8')).accounts;

test('dumpState → loadState restores every dumped account exactly (storage it lacks is cleared); a fresh node from --state reads the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-state-'));
  try {
    await isolated(async () => {
      const [a, b] = await wallet.getAddresses();
      const deployHash = await wallet.deployContract({ account: a, abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE });
      const token = (await pub.waitForTransactionReceipt({ hash: deployHash })).contractAddress.toLowerCase();
      await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ account: a, address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [b, 5n] }) });
      await testClient.setCode({ address: STRANGER, bytecode: '0x60005460005260206000f3' });
      await testClient.setNonce({ address: STRANGER, nonce: 3 });
      await testClient.setStorageAt({ address: STRANGER, index: 1, value: '0x' + '00'.repeat(31) + '11' });
      const hex = await testClient.dumpState();
      const dumped = dumpedAccounts(hex);
      assert.ok(dumped[token] !== undefined && dumped[STRANGER] !== undefined);

      // Change every kind of field of dumped accounts, and add slots the dump does not have.
      await testClient.setStorageAt({ address: token, index: 0x99, value: '0x' + '00'.repeat(31) + '01' });
      await testClient.setStorageAt({ address: STRANGER, index: 1, value: '0x' + '00'.repeat(32) });
      await testClient.setStorageAt({ address: STRANGER, index: 2, value: '0x' + '00'.repeat(31) + '22' });
      await testClient.setNonce({ address: STRANGER, nonce: 9 });
      await testClient.setCode({ address: STRANGER, bytecode: '0x00' });
      await testClient.setBalance({ address: b, value: 1n });
      await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ account: a, address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [b, 7n] }) });

      await testClient.loadState({ state: hex });
      const restored = dumpedAccounts(await testClient.dumpState());
      for (const [address, account] of Object.entries(dumped)) assert.deepEqual(restored[address], account, `account ${address} reads as dumped`);
      assert.equal(await pub.getStorageAt({ address: STRANGER, slot: '0x2' }), '0x' + '00'.repeat(32));
      assert.equal(await pub.readContract({ address: token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [b] }), 5n);

      // A fresh node loading the same state (JSON, as --state FILE holds it) reads the same.
      const file = join(dir, 'state.json');
      writeFileSync(file, JSON.stringify({ accounts: dumped }));
      const fresh = await startNode(['--state', file]);
      try {
        const there = dumpedAccounts((await rpc(fresh.url, 'anvil_dumpState')).result);
        for (const [address, account] of Object.entries(dumped)) assert.deepEqual(there[address], account, `fresh node: account ${address}`);
      } finally {
        await fresh.stop();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A nonce ahead of the sender's waits in the queue (as geth and anvil keep it) instead of being
// refused, which it was before the queue: parallel clients send nonces out of order.
test('impersonated sends have their nonce checked like signed ones (ZKsync OS flow)', async () => {
  // An address no other test touches (an earlier test's reset leaves STRANGER with code).
  const SENDER = '0x00000000000000000000000000000000000d00d0';
  await isolated(async () => {
    await testClient.setBalance({ address: SENDER, value: parseEther('1') });
    await testClient.impersonateAccount({ address: SENDER });
    const send = (nonce) => rpc(node.url, 'eth_sendTransaction', [{ from: SENDER, to: SENDER, value: '0x1', nonce: `0x${nonce.toString(16)}` }]);
    const n = BigInt(await pub.getTransactionCount({ address: SENDER }));
    const head = await pub.getBlockNumber();
    const high = await send(n + 3n);
    assert.match(high.result, /^0x[0-9a-f]{64}$/);
    assert.equal(await pub.getBlockNumber(), head, 'nothing mined');
    assert.equal((await rpc(node.url, 'txpool_status')).result.queued, '0x1', 'queued until n + 1 and n + 2 arrive');
    assert.equal(await pub.getTransactionReceipt({ hash: high.result }).catch(() => null), null);
    assert.match((await send(n)).result, /^0x[0-9a-f]{64}$/);
    assert.match((await send(n)).error?.message ?? '', /nonce too low/i);
    assert.equal(BigInt(await pub.getTransactionCount({ address: SENDER })), n + 1n);
    assert.equal((await rpc(node.url, 'txpool_status')).result.queued, '0x1');
    await testClient.stopImpersonatingAccount({ address: SENDER });
  });
});

test('signing with dev accounts: personal_sign, eth_sign, eth_signTypedData_v4 recover to the account', async () => {
  const [a] = await wallet.getAddresses();
  const message = 'hello zkos';
  const sig = await wallet.signMessage({ account: a, message });
  assert.equal(await recoverMessageAddress({ message, signature: sig }), a);
  // The same signature viem makes with the key (deterministic RFC 6979 nonces).
  assert.equal(sig, await mnemonicToAccount(MNEMONIC).signMessage({ message }));
  const ethSign = await rpc(node.url, 'eth_sign', [a, '0x68656c6c6f207a6b6f73']);
  assert.equal(ethSign.result, sig);
  const typed = {
    domain: { name: 'Mail', version: '1', chainId: chain.id, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
    types: { Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }], Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person[]' }, { name: 'contents', type: 'string' }, { name: 'n', type: 'uint256' }, { name: 'tag', type: 'bytes32' }] },
    primaryType: 'Mail',
    message: { from: { name: 'Cow', wallet: STRANGER }, to: [{ name: 'Bob', wallet: a }], contents: 'Hello, Bob!', n: 5n, tag: '0x' + 'ab'.repeat(32) },
  };
  const typedSig = await wallet.signTypedData({ account: a, ...typed });
  assert.equal(await recoverTypedDataAddress({ ...typed, signature: typedSig }), a);
  assert.equal(typedSig, await mnemonicToAccount(MNEMONIC).signTypedData(typed));
  const notDev = await rpc(node.url, 'personal_sign', ['0x00', STRANGER]);
  assert.equal(notDev.error.code, -32602);
});

/** `sendToL1(bytes)` calldata for the UTF-8 `text` (selector 0x62f84b24 = keccak256("sendToL1(bytes)")[0..4]; offset 32, length, the bytes padded to 32). */
function sendToL1(text) {
  const bytes = Buffer.from(text).toString('hex');
  return '0x62f84b24' + (32).toString(16).padStart(64, '0') + text.length.toString(16).padStart(64, '0') + bytes.padEnd(Math.ceil(bytes.length / 64) * 64, '0');
}

test('hardhat_ names answer as Hardhat does; pending-transaction filter; receipts and traces keep ergs, native, pubdata and L2→L1 messages', async () => {
  const HOLDER = '0x0000000000000000000000000000000000c0ffee';
  const IMPERSONATED = '0x00000000000000000000000000000000000d00d1';
  const call = async (method, params) => {
    const reply = await rpc(node.url, method, params);
    assert.equal(reply.error, undefined, `${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };
  await isolated(async () => {
    assert.equal(await call('hardhat_setBalance', [HOLDER, '0x64']), true);
    assert.equal(await pub.getBalance({ address: HOLDER }), 100n);
    assert.equal(await call('hardhat_setCode', [HOLDER, '0x60005460005260206000f3']), true);
    assert.equal(await call('hardhat_setStorageAt', [HOLDER, '0x0', '0x' + '00'.repeat(31) + '05']), true);
    assert.equal(BigInt((await pub.call({ to: HOLDER })).data), 5n);
    assert.equal(await call('hardhat_setNonce', [HOLDER, '0x3']), true);
    assert.equal(await pub.getTransactionCount({ address: HOLDER }), 3);
    assert.equal(await call('hardhat_getAutomine', []), true);
    const head = await pub.getBlockNumber();
    assert.equal(await call('hardhat_mine', ['0x2']), true);
    assert.equal(await pub.getBlockNumber(), head + 2n);

    await call('hardhat_setBalance', [IMPERSONATED, '0xde0b6b3a7640000']);
    assert.equal(await call('hardhat_impersonateAccount', [IMPERSONATED]), true);
    const sent = await call('eth_sendTransaction', [{ from: IMPERSONATED, to: STRANGER, value: '0x1' }]);
    assert.equal((await pub.getTransactionReceipt({ hash: sent })).status, 'success');
    assert.equal(await call('hardhat_stopImpersonatingAccount', [IMPERSONATED]), true);
    const refused = await rpc(node.url, 'eth_sendTransaction', [{ from: IMPERSONATED, to: STRANGER, value: '0x1' }]);
    assert.equal(refused.error?.code, -32000);
    assert.match(refused.error.message, /neither a dev account nor impersonated/);

    // With automine off, a pooled transaction shows in a pending filter and hardhat_dropTransaction removes it.
    const pending = await call('eth_newPendingTransactionFilter', []);
    await testClient.setAutomine(false);
    const [a] = await wallet.getAddresses();
    const pooled = await call('eth_sendTransaction', [{ from: a, to: STRANGER, value: '0x2' }]);
    assert.deepEqual(await call('eth_getFilterChanges', [pending]), [pooled]);
    assert.equal(await call('hardhat_dropTransaction', [pooled]), true);
    assert.equal((await call('txpool_status', [])).pending, '0x0');
    assert.equal(await call('eth_uninstallFilter', [pending]), true);
    await testClient.setAutomine(true);

    // A message to L1 through the L1 messenger (0x…8008): the receipt and the traces keep the ZKsync OS figures.
    const hash = await call('eth_sendTransaction', [{ from: a, to: '0x0000000000000000000000000000000000008008', data: sendToL1('hello L1') }]);
    const receipt = await call('eth_getTransactionReceipt', [hash]);
    assert.equal(receipt.status, '0x1');
    assert.deepEqual(receipt.l2ToL1Messages, [{ sender: a.toLowerCase(), data: '0x' + Buffer.from('hello L1').toString('hex') }]);
    assert.ok(BigInt(receipt.nativeUsed) > 0n && BigInt(receipt.pubdataBytes) > 0n, JSON.stringify(receipt));
    const frame = await call('debug_traceTransaction', [hash, { tracer: 'callTracer' }]);
    assert.ok(BigInt(frame.ergsUsed) > 0n && BigInt(frame.nativeUsed) > 0n, JSON.stringify(frame));
    // Under protocol version 2 (the default) 0x8008 is a system hook: it runs no EVM step.
    const steps = await call('debug_traceTransaction', [hash, {}]);
    assert.deepEqual(steps.structLogs, []);
  });
});

test('ethers v6 JsonRpcProvider: signer from eth_accounts, deploy, transfer, events, revert', async () => {
  await isolated(async () => {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 20 });
    try {
      const signer = await provider.getSigner(0);
      assert.equal(await signer.getAddress(), getAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'));
      const factory = new ContractFactory(TOKEN_ABI, TOKEN_BYTECODE, signer);
      const token = await factory.deploy();
      await token.waitForDeployment();
      const tx = await token.transfer(STRANGER, 11n);
      const receipt = await tx.wait();
      assert.equal(receipt.status, 1);
      assert.equal(await token.balanceOf(STRANGER), 11n);
      const events = await token.queryFilter(token.filters.Transfer(null, STRANGER));
      assert.equal(events.length, 1);
      assert.equal(events[0].args.value, 11n);
      const readOnly = new Contract(await token.getAddress(), TOKEN_ABI, provider);
      assert.equal(await readOnly.balanceOf(STRANGER), 11n);
      // eth_blockNumber asked directly: ethers reuses a getBlockNumber answer for 250 ms.
      assert.equal(Number(await provider.send('eth_blockNumber', [])), receipt.blockNumber);
    } finally {
      provider.destroy();
    }
  });
});

test('Uniswap V2 over HTTP: factory, pair, WETH, router; liquidity and swaps', async () => {
  await isolated(async () => {
    const s = await deployScenario(node.url);
    const [r0, r1] = await pub.readContract({ address: s.pair, abi: UNI.pair.abi, functionName: 'getReserves' });
    const [rx, ry] = s.xIsToken0 ? [r0, r1] : [r1, r0];
    // Reserves follow from the liquidity and the two swaps by Uniswap's own formula.
    const routerOut = amountOut(AMOUNTS.routerSwapIn, AMOUNTS.liquidityX, AMOUNTS.liquidityY);
    assert.equal(rx, AMOUNTS.liquidityX + AMOUNTS.routerSwapIn + AMOUNTS.pairSwapIn);
    assert.equal(ry, AMOUNTS.liquidityY - routerOut - s.pairSwapOut);
    assert.equal(await pub.readContract({ address: s.tokenY, abi: UNI.erc20.abi, functionName: 'balanceOf', args: [s.b] }), routerOut + s.pairSwapOut);
    const swaps = await pub.getLogs({ address: s.pair, event: parseAbiItem('event Swap(address indexed sender, uint amount0In, uint amount1In, uint amount0Out, uint amount1Out, address indexed to)'), fromBlock: 0n });
    assert.equal(swaps.length, 2);
  });
});

test('bad requests get JSON-RPC errors and the server keeps answering', async () => {
  const parse = await post(node.url, '{"jsonrpc":"2.0","id":1,"method":');
  assert.equal(parse.body.error.code, -32700);
  const notObject = await post(node.url, '42');
  assert.equal(notObject.body.error.code, -32600);
  const unknown = await rpc(node.url, 'eth_noSuchMethod');
  assert.equal(unknown.error.code, -32601);
  const badParams = await rpc(node.url, 'anvil_setBalance', ['0x12', '0x1']);
  assert.equal(badParams.error.code, -32602);
  const tooMany = await rpc(node.url, 'evm_snapshot', [1, 2]);
  assert.equal(tooMany.error.code, -32602);
  const batch = await post(node.url, JSON.stringify([{ jsonrpc: '2.0', id: 'a', method: 'eth_chainId' }, { jsonrpc: '2.0', method: 'eth_blockNumber' }, { jsonrpc: '2.0', id: 2, method: 'nope' }, 7]));
  assert.equal(batch.body.length, 3, 'the notification gets no reply');
  assert.equal(batch.body[0].id, 'a');
  assert.equal(batch.body[1].error.code, -32601);
  assert.equal(batch.body[2].error.code, -32600);
  const huge = await post(node.url, JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' }))));
  assert.equal(huge.body.error.code, -32600);
  assert.match(huge.body.error.message, /at most 1000/);
  const big = await post(node.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ data: '0x' + '00'.repeat(9 * 1024 * 1024) }] }));
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, -32600);
  const get = await fetch(node.url);
  assert.equal(get.status, 405);
  const preflight = await fetch(node.url, { method: 'OPTIONS', headers: { origin: 'http://example.com', 'access-control-request-method': 'POST' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  const forked = await rpc(node.url, 'anvil_reset', [{ forking: { jsonRpcUrl: 'http://127.0.0.1:1' } }]);
  assert.equal(forked.error.code, -32602);
  assert.equal((await rpc(node.url, 'eth_chainId')).result, `0x${chain.id.toString(16)}`);
});

test('--flow, --hardfork, --protocol-version, --block-time, --host: the chain they ask for', async () => {
  const eth = await startNode(['--flow', 'ethereum', '--hardfork', 'prague', '--block-time', '1', '--host', '127.0.0.1', '--accounts', '1']);
  try {
    assert.match(eth.banner, /flow ethereum, hardfork prague/);
    assert.match(eth.banner, /Mining a block every 1 s/);
    assert.match(eth.banner, /Listening on http:\/\/127\.0\.0\.1:\d+ \(this machine only/);
    // Prague on an Ethereum chain: the EIP-2935 history contract is there from genesis.
    assert.notEqual((await rpc(eth.url, 'eth_getCode', ['0x0000F90827F1C53a10cb7A02335B175320002935', 'latest'])).result, '0x');
    // Blocks come on the timer, and a sent transaction waits for the next one.
    const [a] = (await rpc(eth.url, 'eth_accounts')).result;
    const hash = (await rpc(eth.url, 'eth_sendTransaction', [{ from: a, to: STRANGER, value: '0x1' }])).result;
    const deadline = Date.now() + 10_000;
    let receipt = null;
    while (receipt === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      receipt = (await rpc(eth.url, 'eth_getTransactionReceipt', [hash])).result;
    }
    assert.equal(receipt?.status, '0x1');
    assert.ok(BigInt((await rpc(eth.url, 'eth_blockNumber')).result) >= 1n);
  } finally {
    await eth.stop();
  }
  const v1 = await startNode(['--protocol-version', '1']);
  try {
    assert.match(v1.banner, /flow zk, hardfork cancun, protocol version 1/);
  } finally {
    await v1.stop();
  }
});

test('--state FILE: accounts saved on exit and loaded at the next start; --accounts, --balance, --chain-id', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-node-'));
  const file = join(dir, 'state.json');
  try {
    const first = await startNode(['--state', file, '--accounts', '2', '--balance', '1.5', '--chain-id', '31337']);
    assert.equal((await rpc(first.url, 'eth_chainId')).result, '0x7a69');
    assert.equal((await rpc(first.url, 'eth_accounts')).result.length, 2);
    assert.equal(BigInt((await rpc(first.url, 'eth_getBalance', ['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', 'latest'])).result), 15n * 10n ** 17n);
    await rpc(first.url, 'anvil_setStorageAt', [STRANGER, '0x5', '0x' + '00'.repeat(31) + '09']);
    assert.equal((await first.stop()).code, 0);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.accounts[STRANGER].storage['0x' + '00'.repeat(31) + '05'], '0x' + '00'.repeat(31) + '09');
    const second = await startNode(['--state', file]);
    try {
      assert.equal((await rpc(second.url, 'eth_getStorageAt', [STRANGER, '0x5', 'latest'])).result, '0x' + '00'.repeat(31) + '09');
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
