// One long request must not make `zkos node` look dead. `anvil_mine` takes up to 100,000 blocks
// (anvil takes any count, and governance tests mine a voting period of 50,400 blocks at once);
// before, the node mined them in one go, 17 to 25 s for 100,000 with the event loop held: a read
// sent meanwhile waited for the whole mine (20.4 s measured) and WebSocket pings went unanswered.
// Now it mines in slices of about 20 ms and lets the requests waiting run between them, as
// anvil's requests run between its blocks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { JsonRpcProvider, Wallet } from 'ethers';
import { startNode, rpc, post } from './devnode/spawn.mjs';
import { clientFrame, rawConnect } from './devnode/ws-raw.mjs';
import { KEY_A, KEY_B } from './helpers.mjs';

const BLOCKS = 20_000;
let node;

before(async () => {
  node = await startNode();
});

after(async () => {
  await node?.stop();
});

const call = (method, params = []) => rpc(node.url, method, params);

test(`anvil_mine ${BLOCKS}: reads, a transaction and a WebSocket ping sent meanwhile are answered before it ends; newHeads still gets the last 1,000 blocks once`, async () => {
  const ws = rawConnect(node.url);
  ws.send(clientFrame(1, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] })));
  const sub = await ws.nextJson();
  assert.match(sub.result, /^0x/);
  const [dev] = (await call('eth_accounts')).result;
  const start = BigInt((await call('eth_blockNumber')).result);
  let mineDone = false;
  const mined = call('anvil_mine', ['0x' + BLOCKS.toString(16)]).then((r) => ((mineDone = true), r));
  // Wait until the mine has started (the head moved), then ask while it runs.
  let during;
  for (;;) {
    during = BigInt((await call('eth_blockNumber')).result);
    if (during > start) break;
  }
  assert.equal(mineDone, false, 'answered while the mine ran');
  assert.ok(during < start + BigInt(BLOCKS), `head ${during} read before the mine's last block`);
  const framesBefore = ws.frames.length;
  ws.send(clientFrame(9, 'still there?'));
  assert.ok(await ws.until(() => ws.frames.slice(framesBefore).some((f) => f.opcode === 10)), 'pong');
  const sent = await call('eth_sendTransaction', [{ from: dev, to: '0x00000000000000000000000000000000000b0b00', value: '0x1' }]);
  assert.match(sent.result, /^0x[0-9a-f]{64}$/);
  assert.equal(mineDone, false, 'the transaction was mined between two slices');
  const reply = await mined;
  assert.equal(reply.result, null, JSON.stringify(reply));
  // The mine's blocks and the transaction's: all of them, none lost.
  const end = BigInt((await call('eth_blockNumber')).result);
  assert.equal(end, start + BigInt(BLOCKS) + 1n);
  const receipt = (await call('eth_getTransactionReceipt', [sent.result])).result;
  assert.equal(receipt.status, '0x1');
  assert.ok(BigInt(receipt.blockNumber) > start + 1n && BigInt(receipt.blockNumber) < end, `mined between the slices, at ${receipt.blockNumber}`);
  // newHeads: the transaction's block, and the mine's last 1,000 blocks (the bound of one mining
  // request, over all its slices), each once and in order.
  await ws.until(() => heads(ws, sub.result).length >= 1001);
  await new Promise((r) => setTimeout(r, 200));
  const numbers = heads(ws, sub.result).map((h) => BigInt(h.number));
  const mineHeads = numbers.filter((n) => n !== BigInt(receipt.blockNumber));
  assert.equal(numbers.length, 1001);
  assert.equal(mineHeads.length, 1000);
  assert.deepEqual(mineHeads, Array.from({ length: 1000 }, (_, i) => end - 999n + BigInt(i)));
  ws.end();
});

/** The newHeads notifications of subscription `id` received so far. */
function heads(ws, id) {
  return ws.frames
    .filter((f) => f.opcode === 1)
    .map((f) => JSON.parse(f.payload.toString('utf8')))
    .filter((m) => m.method === 'eth_subscription' && m.params.subscription === id)
    .map((m) => m.params.result);
}

test('a mine with an interval keeps its spacing across slices; one past timestamp 2^64-1 still mines nothing', async () => {
  const head = (await call('eth_getBlockByNumber', ['latest', false])).result;
  assert.equal((await call('anvil_mine', ['0x1388', '0xc'])).result, null);
  const last = (await call('eth_getBlockByNumber', ['latest', false])).result;
  assert.equal(BigInt(last.number), BigInt(head.number) + 5000n);
  const first = (await call('eth_getBlockByNumber', ['0x' + (BigInt(head.number) + 1n).toString(16), false])).result;
  assert.equal(BigInt(last.timestamp) - BigInt(first.timestamp), 4999n * 12n);
  const overflow = await call('anvil_mine', ['0x2', '0x' + (2n ** 64n).toString(16)]);
  assert.equal(overflow.error?.code, -32000);
  assert.equal((await call('eth_blockNumber')).result, last.number);
});

test("evm_mine takes anvil's { timestamp, blocks } (before: { blocks } alone was refused -32602, and with a timestamp only one block was mined); a count out of range sets nothing", async () => {
  const head = (await call('eth_getBlockByNumber', ['latest', false])).result;
  const at = BigInt(head.timestamp) + 1000n;
  assert.equal((await call('evm_mine', [{ blocks: 3, timestamp: '0x' + at.toString(16) }])).result, '0x0');
  const last = (await call('eth_getBlockByNumber', ['latest', false])).result;
  assert.equal(BigInt(last.number), BigInt(head.number) + 3n);
  const first = (await call('eth_getBlockByNumber', ['0x' + (BigInt(head.number) + 1n).toString(16), false])).result;
  assert.equal(BigInt(first.timestamp), at);
  assert.equal((await call('evm_mine', [{ blocks: '0x2' }])).result, '0x0');
  assert.equal(BigInt((await call('eth_blockNumber')).result), BigInt(head.number) + 5n);
  for (const blocks of [0, 100_001, -1]) {
    const far = at + 10_000_000n;
    const refused = await call('evm_mine', [{ blocks, timestamp: '0x' + far.toString(16) }]);
    assert.equal(refused.error?.code, -32602, JSON.stringify(refused));
    assert.equal((await call('evm_mine', [])).result, '0x0');
    assert.ok(BigInt((await call('eth_getBlockByNumber', ['latest', false])).result.timestamp) < far, 'the refused timestamp was not kept');
  }
});

test('viem and ethers send transfers and wait for their receipts while another client loops anvil_mine 50,000 and 1,000-request batches: every request answers within 8 s, the timeout viem is given (before: "The request took too long to respond")', async () => {
  const chain = defineChain({ id: 270, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  const a = privateKeyToAccount(KEY_A);
  // cacheTimeout -1: ethers answers a request equal to one made within 250 ms from its cache, so a
  // transfer whose receipt came that fast would be sent again with the nonce read before it.
  const b = new Wallet(KEY_B, new JsonRpcProvider(node.url, 270, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 }));
  for (const address of [a.address, b.address]) await call('anvil_setBalance', [address, '0x' + (10n ** 20n).toString(16)]);
  const pub = createPublicClient({ chain, transport: http(node.url, { timeout: 8_000, retryCount: 0 }), pollingInterval: 100, cacheTime: 0 });
  const wallet = createWalletClient({ chain, account: a, transport: http(node.url, { timeout: 8_000, retryCount: 0 }) });
  let stop = false;
  const batch = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_getBlockByNumber', params: ['latest', true] })));
  const flood = Promise.all([
    (async () => {
      while (!stop) assert.equal((await call('anvil_mine', ['0xc350'])).error, undefined);
    })(),
    (async () => {
      while (!stop) assert.equal((await post(node.url, batch)).status, 200);
    })(),
  ]);
  const to = ['0x00000000000000000000000000000000000b0b01', '0x00000000000000000000000000000000000b0b02'];
  const before = await Promise.all(to.map((address) => pub.getBalance({ address })));
  try {
    // Let the first mine start.
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all([
      (async () => {
        for (let i = 0; i < 3; i++) {
          const hash = await wallet.sendTransaction({ to: to[0], value: 1n });
          assert.equal((await pub.waitForTransactionReceipt({ hash, timeout: 30_000 })).status, 'success');
        }
      })(),
      (async () => {
        for (let i = 0; i < 3; i++) {
          const tx = await b.sendTransaction({ to: to[1], value: 1n });
          assert.equal((await tx.wait(1, 30_000)).status, 1);
        }
      })(),
    ]);
  } finally {
    stop = true;
    await flood;
  }
  assert.deepEqual(await Promise.all(to.map((address) => pub.getBalance({ address }))), before.map((x) => x + 3n));
});

test('automine off: a transaction pooled while anvil_mine runs goes into the mine\'s next block, as anvil mines its pool in each block', async () => {
  const [dev] = (await call('eth_accounts')).result;
  assert.equal((await call('evm_setAutomine', [false])).result, true);
  try {
    const start = BigInt((await call('eth_blockNumber')).result);
    const mined = call('anvil_mine', ['0x' + BLOCKS.toString(16)]);
    while (BigInt((await call('eth_blockNumber')).result) === start);
    const sent = await call('eth_sendTransaction', [{ from: dev, to: '0x00000000000000000000000000000000000b0b03', value: '0x1' }]);
    assert.match(sent.result, /^0x[0-9a-f]{64}$/);
    assert.equal((await mined).result, null);
    const receipt = (await call('eth_getTransactionReceipt', [sent.result])).result;
    assert.ok(receipt !== null, 'mined by the mine, not left in the pool');
    assert.ok(BigInt(receipt.blockNumber) < start + BigInt(BLOCKS));
    assert.equal((await call('txpool_status')).result.pending, '0x0');
  } finally {
    await call('evm_setAutomine', [true]);
  }
});

test('a batch of 200 gas-bound eth_calls and a WebSocket client\'s 100 pipelined ones leave the event loop free: a read and a ping are answered before they end (before: after, 25.5 s behind a batch of 1,000)', async () => {
  const LOOP = '0x00000000000000000000000000000000000100b0';
  // JUMPDEST PUSH0 JUMP: loops until the 50,000,000 gas of the RPC gas cap are spent.
  assert.equal((await call('anvil_setCode', [LOOP, '0x5b5f56'])).result, null);
  const loop = (id) => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [{ to: LOOP }] });
  let batchDone = false;
  const batch = post(node.url, JSON.stringify(Array.from({ length: 200 }, (_, i) => loop(i)))).then((r) => ((batchDone = true), r));
  await new Promise((r) => setTimeout(r, 200));
  assert.match((await call('eth_blockNumber')).result, /^0x/);
  assert.equal(batchDone, false, 'the read was answered while the batch ran');
  const replies = (await batch).body;
  assert.equal(replies.length, 200);
  assert.ok(replies.every((r) => r.error?.code === -32000 || r.result === '0x'), JSON.stringify(replies[0]));
  const piped = rawConnect(node.url, {}, Buffer.concat(Array.from({ length: 100 }, (_, i) => clientFrame(1, JSON.stringify(loop(i))))));
  const other = rawConnect(node.url);
  try {
    assert.ok(await piped.until(() => piped.frames.some((f) => f.opcode === 1)), 'the pipeline started');
    other.send(clientFrame(9, 'ping'));
    assert.ok(await other.until(() => other.frames.some((f) => f.opcode === 10)), 'pong');
    const answered = piped.frames.filter((f) => f.opcode === 1).length;
    assert.ok(answered < 100, `the pong came while the pipeline ran (${answered} of 100 answered)`);
    const all = () => piped.frames.filter((f) => f.opcode === 1).length === 100;
    for (let i = 0; i < 12 && !all(); i++) await piped.until(all);
    assert.ok(all(), 'every pipelined call answered');
  } finally {
    piped.end();
    other.end();
  }
});
