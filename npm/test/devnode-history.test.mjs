// `zkos node` answers for recent blocks: eth_getBalance, eth_getTransactionCount, eth_getCode,
// eth_getStorageAt, eth_call, eth_estimateGas and debug_traceCall with a block number, tag or
// hash, through viem and ethers; geth's errors beyond the history window (--history-blocks) and
// above the head; and anvil_dumpState → anvil_loadState keeping the head's number and timestamp.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { createPublicClient, createTestClient, createWalletClient, defineChain, encodeFunctionData, http } from 'viem';
import { JsonRpcProvider } from 'ethers';
import { TOKEN_ABI, TOKEN_BYTECODE } from './fixtures/erc20.mjs';
import { startNode, rpc } from './devnode/spawn.mjs';

/** The history window the node under test keeps. */
const WINDOW = 4;
const HOLDER = '0x00000000000000000000000000000000000a11ce';
/** Returns slot 0: `PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`. */
const READ_SLOT0 = '0x60005460005260206000f3';
const READER = '0x00000000000000000000000000000000000a11c1';

let node;
let pub;
let testClient;
let wallet;
let ethers;
/** What the chain looked like after each block the tests mined: { number, holderBalance, senderNonce, token balance of HOLDER, slot 0 of READER }. */
const seen = [];
let sender;
let token;

const word = (n) => '0x' + n.toString(16).padStart(64, '0');
const balanceOf = (who) => encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [who] });

before(async () => {
  node = await startNode(['--history-blocks', String(WINDOW)]);
  const id = Number((await rpc(node.url, 'eth_chainId')).result);
  const chain = defineChain({ id, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  pub = createPublicClient({ chain, transport: http(node.url), pollingInterval: 20, cacheTime: 0 });
  testClient = createTestClient({ chain, mode: 'anvil', transport: http(node.url) });
  wallet = createWalletClient({ chain, transport: http(node.url) });
  ethers = new JsonRpcProvider(node.url, id, { staticNetwork: true, cacheTimeout: -1 });
  [sender] = await wallet.getAddresses();
  await testClient.setCode({ address: READER, bytecode: READ_SLOT0 });
  // Block 1 deploys the token; blocks 2 and 3 pay HOLDER ether and tokens; edits between
  // blocks belong to the state at the block before them.
  const deployed = await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ account: sender, abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE }) });
  token = deployed.contractAddress;
  const snap = async () =>
    seen.push({
      number: await pub.getBlockNumber(),
      holderBalance: await pub.getBalance({ address: HOLDER }),
      senderNonce: await pub.getTransactionCount({ address: sender }),
      tokens: await pub.readContract({ address: token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [HOLDER] }),
      slot: await pub.getStorageAt({ address: READER, slot: '0x0' }),
    });
  await testClient.setStorageAt({ address: READER, index: 0, value: word(11n) });
  await snap();
  await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: sender, to: HOLDER, value: 5n }) });
  await testClient.setStorageAt({ address: READER, index: 0, value: word(22n) });
  await snap();
  await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ account: sender, address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [HOLDER, 7n] }) });
  await testClient.setBalance({ address: HOLDER, value: 1000n });
  await snap();
  assert.deepEqual(seen.map((s) => s.number), [1n, 2n, 3n]);
});

after(async () => {
  await node?.stop();
});

test('viem: balance, nonce, code, storage, eth_call and estimateGas at each recent block', async () => {
  assert.match(node.banner, new RegExp(`State kept for the head and the ${WINDOW} blocks before it`));
  assert.equal(await pub.getBalance({ address: HOLDER, blockNumber: 0n }), 0n);
  assert.equal(await pub.getBytecode({ address: token, blockNumber: 0n }), undefined);
  assert.equal(await pub.getBytecode({ address: token, blockNumber: 1n }), await pub.getBytecode({ address: token }));
  for (const s of seen) {
    const at = { blockNumber: s.number };
    assert.equal(await pub.getBalance({ address: HOLDER, ...at }), s.holderBalance, `balance at ${s.number}`);
    assert.equal(await pub.getTransactionCount({ address: sender, ...at }), s.senderNonce, `nonce at ${s.number}`);
    assert.equal(await pub.readContract({ address: token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [HOLDER], ...at }), s.tokens, `tokens at ${s.number}`);
    assert.equal(await pub.getStorageAt({ address: READER, slot: '0x0', ...at }), s.slot, `slot at ${s.number}`);
    assert.equal((await pub.call({ to: READER, ...at })).data, s.slot, `eth_call at ${s.number}`);
  }
  // The values differ from block to block, so a node answering the head's state fails above.
  assert.deepEqual(seen.map((s) => s.holderBalance), [0n, 5n, 1000n]);
  assert.deepEqual(seen.map((s) => s.tokens), [0n, 0n, 7n]);
  assert.deepEqual(seen.map((s) => BigInt(s.slot)), [11n, 22n, 22n]);
  // Tags and EIP-1898 block hashes.
  const block2 = await pub.getBlock({ blockNumber: 2n });
  assert.equal(BigInt((await rpc(node.url, 'eth_getBalance', [HOLDER, { blockHash: block2.hash }])).result), 5n);
  assert.equal(BigInt((await rpc(node.url, 'eth_getBalance', [HOLDER, 'earliest'])).result), 0n);
  assert.equal(BigInt((await rpc(node.url, 'eth_getBalance', [HOLDER, 'latest'])).result), 1000n);
  // Estimates read the block's state: a token transfer to HOLDER writes a fresh balance slot at
  // block 2 (no tokens yet: SSTORE from zero) and an existing one at block 3; at the head the
  // token's state is block 3's.
  const data = encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [HOLDER, 1n] });
  const at2 = BigInt((await rpc(node.url, 'eth_estimateGas', [{ from: sender, to: token, data }, '0x2'])).result);
  const at3 = await pub.estimateGas({ account: sender, to: token, data, blockNumber: 3n });
  assert.ok(at2 > at3, `estimate at block 2 (${at2}) above block 3's (${at3})`);
  assert.equal(at3, await pub.estimateGas({ account: sender, to: token, data }));
});

test('ethers: getBalance, getTransactionCount, getCode, getStorage and call with a blockTag', async () => {
  for (const s of seen) {
    const tag = Number(s.number);
    assert.equal(await ethers.getBalance(HOLDER, tag), s.holderBalance);
    assert.equal(await ethers.getTransactionCount(sender, tag), s.senderNonce);
    assert.equal(await ethers.getStorage(READER, 0, tag), s.slot);
    assert.equal(await ethers.call({ to: READER, blockTag: tag }), s.slot);
    assert.equal(BigInt(await ethers.call({ to: token, data: balanceOf(HOLDER), blockTag: tag })), s.tokens);
  }
  assert.equal(await ethers.getCode(token, 0), '0x');
});

test('debug_traceCall at a block reads that block\'s state', async () => {
  const trace = async (block) => (await rpc(node.url, 'debug_traceCall', [{ to: READER }, block, { tracer: 'callTracer' }])).result;
  assert.equal((await trace('0x1')).output, word(11n));
  assert.equal((await trace('0x2')).output, word(22n));
  const prestate = (await rpc(node.url, 'debug_traceCall', [{ to: token, data: balanceOf(HOLDER) }, '0x1', { tracer: 'prestateTracer' }])).result;
  assert.ok(prestate[token.toLowerCase()] !== undefined);
});

test('beyond the window: geth\'s -32000 "missing trie node"; above the head: "header not found"; the window moves with the head', async () => {
  const above = await rpc(node.url, 'eth_getBalance', [HOLDER, '0x63']);
  assert.equal(above.error.code, -32000);
  assert.match(above.error.message, /header not found/);
  await testClient.mine({ blocks: WINDOW });
  const head = await pub.getBlockNumber();
  assert.equal(head, 3n + BigInt(WINDOW));
  // The head and the WINDOW blocks before it: blocks 3.. are kept, 2 is not.
  assert.equal(await pub.getBalance({ address: HOLDER, blockNumber: head - BigInt(WINDOW) }), 1000n);
  for (const [method, params] of [
    ['eth_getBalance', [HOLDER, '0x2']],
    ['eth_getTransactionCount', [sender, '0x2']],
    ['eth_getCode', [token, '0x2']],
    ['eth_getStorageAt', [READER, '0x0', '0x2']],
    ['eth_call', [{ to: READER }, '0x2']],
    ['eth_estimateGas', [{ from: sender, to: READER }, '0x2']],
    ['debug_traceCall', [{ to: READER }, '0x2', { tracer: 'callTracer' }]],
  ]) {
    const reply = await rpc(node.url, method, params);
    assert.equal(reply.error?.code, -32000, `${method}: ${JSON.stringify(reply)}`);
    assert.match(reply.error.message, /historical state of block 2 is not available \(missing trie node\)/, method);
  }
  await assert.rejects(pub.getBalance({ address: HOLDER, blockNumber: 2n }), /missing trie node/);
  await assert.rejects(ethers.getBalance(HOLDER, 2), /missing trie node/);
});

test('anvil_dumpState → anvil_loadState on a fresh node restores the head\'s number and timestamp', async () => {
  const dumpedHead = await pub.getBlock();
  const hex = await testClient.dumpState();
  const dumped = JSON.parse(gunzipSync(Buffer.from(hex.slice(2), 'hex')).toString('utf8'));
  assert.equal(BigInt(dumped.block.number), dumpedHead.number);
  assert.equal(BigInt(dumped.block.timestamp), dumpedHead.timestamp);
  const fresh = await startNode();
  try {
    const freshPub = createPublicClient({ transport: http(fresh.url), cacheTime: 0 });
    const freshTest = createTestClient({ mode: 'anvil', transport: http(fresh.url) });
    assert.equal(await freshPub.getBlockNumber(), 0n);
    await freshTest.loadState({ state: hex });
    assert.equal(await freshPub.getBlockNumber(), dumpedHead.number);
    const head = await freshPub.getBlock();
    assert.equal(head.timestamp, dumpedHead.timestamp);
    assert.equal(await freshPub.getBalance({ address: HOLDER }), 1000n);
    // The chain goes on from there: the next block follows the loaded head.
    await freshTest.mine({ blocks: 1 });
    const next = await freshPub.getBlock();
    assert.equal(next.number, dumpedHead.number + 1n);
    assert.ok(next.timestamp > dumpedHead.timestamp);
  } finally {
    await fresh.stop();
  }
});
