// Fork fetcher against a real node (anvil from npm, started here): the ERC-20 fixture and Uniswap V2
// deployed and driven there, then their state fetched at a pinned block and checked against what
// the node itself reports; pinning, round trips cold and warm, eth_getProof fallback, persistent cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAbiParameters, keccak256 } from 'viem';
import { createForkFetcher, directoryCache, ZkosError } from '../dist/esm/node.js';
import { TOKEN_ABI, erc20BalanceSlot } from './fixtures/erc20.mjs';
import { startNode } from './fork/node.mjs';
import { AMOUNTS, UNI, amountOut, clients, decodeLog, deployScenario } from './fork/scenario.mjs';

let node;
let s;
let pub;
let pin;

before(async () => {
  node = await startNode();
  s = await deployScenario(node.url);
  ({ pub } = await clients(node.url));
  pin = await pub.getBlockNumber();
});

after(async () => {
  await node?.stop();
});

const word = (n) => '0x' + BigInt(n).toString(16).padStart(64, '0');
/** Slot of `mapping(address => …)` at `index` for `key` (Solidity: keccak256(key . index)). */
const mappingSlot = (key, index) => keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [key, BigInt(index)]));
/** The ERC-20 transfer working set: sender, recipient, token, and the two balance slots. */
const transferKeys = () => [
  { kind: 'account', address: s.a },
  { kind: 'account', address: s.b },
  { kind: 'account', address: s.token },
  { kind: 'storage', address: s.token, slot: erc20BalanceSlot(s.a) },
  { kind: 'storage', address: s.token, slot: erc20BalanceSlot(s.b) },
];

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof ZkosError, `a ZkosError, got ${err}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

/** What the node reports for a key at `blockNumber`, through viem: the independent side of each comparison. */
async function nodeValue(key, blockNumber) {
  if (key.kind === 'account') {
    const [balance, nonce, code] = await Promise.all([
      pub.getBalance({ address: key.address, blockNumber }),
      pub.getTransactionCount({ address: key.address, blockNumber }),
      pub.getCode({ address: key.address, blockNumber }),
    ]);
    return { balance, nonce: BigInt(nonce), code: code ?? '0x' };
  }
  return { value: await pub.getStorageAt({ address: key.address, slot: key.slot, blockNumber }) };
}

test('node: the scenario transactions succeeded in their blocks and did what they say', async () => {
  assert.equal(s.txs.length, 14);
  for (const tx of s.txs) {
    assert.equal(tx.status, 'success', tx.name);
    assert.ok(tx.gasUsed > 21000n, `${tx.name} used ${tx.gasUsed}`);
    const block = await pub.getBlock({ blockNumber: tx.blockNumber });
    assert.equal(block.hash, tx.blockHash, tx.name);
    assert.ok(block.transactions.includes(tx.hash), `${tx.name} is in block ${tx.blockNumber}`);
  }
  const transfer = s.tx['token.transfer'].logs.map((l) => decodeLog(TOKEN_ABI, l));
  assert.deepEqual(transfer.map((e) => e?.eventName), ['Transfer']);
  assert.equal(transfer[0].args.to.toLowerCase(), s.b);
  assert.equal(transfer[0].args.value, AMOUNTS.tokenTransfer);

  const [x0, y0] = s.xIsToken0 ? [0, 1] : [1, 0];
  const events = (name) => s.tx[name].logs.filter((l) => l.address === s.pair).map((l) => decodeLog(UNI.pair.abi, l));
  const mint = events('router.addLiquidity').find((e) => e?.eventName === 'Mint');
  assert.deepEqual([mint.args.amount0, mint.args.amount1][x0], AMOUNTS.liquidityX);
  assert.deepEqual([mint.args.amount0, mint.args.amount1][y0], AMOUNTS.liquidityY);

  // Router swap: X in, Y out to B, priced by the constant-product formula with the 0.3% fee.
  const routerSwap = events('router.swap').find((e) => e?.eventName === 'Swap');
  const routerOut = amountOut(AMOUNTS.routerSwapIn, AMOUNTS.liquidityX, AMOUNTS.liquidityY);
  assert.equal([routerSwap.args.amount0In, routerSwap.args.amount1In][x0], AMOUNTS.routerSwapIn);
  assert.equal([routerSwap.args.amount0Out, routerSwap.args.amount1Out][y0], routerOut);
  assert.equal(routerSwap.args.to.toLowerCase(), s.b);
  const pairSwap = events('pair.swap').find((e) => e?.eventName === 'Swap');
  assert.equal([pairSwap.args.amount0Out, pairSwap.args.amount1Out][y0], s.pairSwapOut);
  assert.equal(s.pairSwapOut, amountOut(AMOUNTS.pairSwapIn, AMOUNTS.liquidityX + AMOUNTS.routerSwapIn, AMOUNTS.liquidityY - routerOut));
});

test('fetcher: pins the block; its header, chain id and block hashes are the node\'s', async () => {
  const fork = await createForkFetcher({ url: node.url });
  assert.equal(fork.chainId, 31337n);
  const block = await pub.getBlock({ blockNumber: pin });
  assert.deepEqual(
    { ...fork.block },
    {
      number: block.number,
      hash: block.hash,
      parentHash: block.parentHash,
      stateRoot: block.stateRoot,
      timestamp: block.timestamp,
      gasLimit: block.gasLimit,
      gasUsed: block.gasUsed,
      baseFeePerGas: block.baseFeePerGas,
      blobGasUsed: block.blobGasUsed,
      excessBlobGas: block.excessBlobGas,
      miner: block.miner.toLowerCase(),
      mixHash: block.mixHash,
      difficulty: block.difficulty,
    },
  );
  const numbers = Array.from({ length: Number(pin) + 1 }, (_, i) => BigInt(i));
  const hashes = await fork.fetch(numbers.map((number) => ({ kind: 'blockHash', number })));
  for (const [i, number] of numbers.entries()) assert.equal(hashes[i].hash, (await pub.getBlock({ blockNumber: number })).hash, `block ${number}`);

  const older = await createForkFetcher({ url: node.url, blockNumber: pin - 3n, chainId: 5 });
  assert.equal(older.block.hash, (await pub.getBlock({ blockNumber: pin - 3n })).hash);
  assert.equal(older.chainId, 5n, 'a given chain id is kept');
  await rejectsWith(createForkFetcher({ url: node.url, blockNumber: pin + 1000n }), 'NOT_FOUND');
  await rejectsWith(older.fetch([{ kind: 'blockHash', number: pin }]), 'INVALID_ARGUMENT');
  await rejectsWith(older.fetch([{ kind: 'storage', address: s.token, slot: '0xzz' }]), 'INVALID_HEX');
  await rejectsWith(older.fetch([{ kind: 'balance', address: s.token }]), 'INVALID_ARGUMENT');
  await rejectsWith(older.fetch([{ kind: 'code', codeHash: word(1) }]), 'INVALID_ARGUMENT');
  await rejectsWith(createForkFetcher({ url: node.url, provider: pub }), 'INVALID_ARGUMENT');
  await rejectsWith(createForkFetcher({ url: 'ftp://127.0.0.1/' }), 'INVALID_ARGUMENT');
  await rejectsWith(createForkFetcher({ url: node.url, retries: -1 }), 'INVALID_ARGUMENT');
});

test('fetcher: the ERC-20\'s and the Uniswap pair\'s state equal what the node reports at the pinned block', async () => {
  const fork = await createForkFetcher({ url: node.url });
  const accounts = [s.a, s.b, s.token, s.tokenX, s.tokenY, s.factory, s.pair, s.weth, s.router].map((address) => ({ kind: 'account', address }));
  const slots = [
    ...[erc20BalanceSlot(s.a), erc20BalanceSlot(s.b), word(1)].map((slot) => ({ kind: 'storage', address: s.token, slot })),
    // Uniswap's ERC-20: totalSupply at 0, balanceOf at 1.
    ...[s.tokenX, s.tokenY].flatMap((address) => [word(0), mappingSlot(s.pair, 1), mappingSlot(s.a, 1), mappingSlot(s.b, 1)].map((slot) => ({ kind: 'storage', address, slot }))),
    // The pair's 13 slots (UniswapV2ERC20's five, then factory, token0, token1, reserves, price accumulators, kLast, lock).
    ...Array.from({ length: 13 }, (_, i) => ({ kind: 'storage', address: s.pair, slot: word(i) })),
    // The factory: feeTo, feeToSetter, getPair[x][y] (nested mapping), allPairs.length.
    ...[word(0), word(1), keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'bytes32' }], [s.tokenY, mappingSlot(s.tokenX, 2)])), word(3)].map((slot) => ({ kind: 'storage', address: s.factory, slot })),
  ];
  const keys = [...accounts, ...slots];
  const values = await fork.fetch(keys);
  for (const [i, key] of keys.entries()) {
    const expected = await nodeValue(key, pin);
    const got = values[i];
    if (key.kind === 'account') {
      assert.deepEqual({ balance: got.balance, nonce: got.nonce, code: got.code }, expected, key.address);
      assert.equal(got.codeHash, keccak256(got.code), `code hash of ${key.address}`);
    } else {
      assert.equal(got.value, expected.value, `${key.address} slot ${key.slot}`);
    }
  }
  const byKey = new Map(keys.map((k, i) => [k.kind === 'account' ? k.address : `${k.address}:${k.slot}`, values[i]]));
  const slot = (address, slotKey) => BigInt(byKey.get(`${address}:${slotKey}`).value);
  // Known values, decoded: balances after the transfer, the pair's tokens, factory and reserves.
  assert.equal(slot(s.token, erc20BalanceSlot(s.b)), AMOUNTS.tokenTransfer);
  assert.equal(slot(s.token, word(1)), 10n ** 24n);
  assert.equal(slot(s.pair, word(5)), BigInt(s.factory));
  assert.deepEqual([slot(s.pair, word(6)), slot(s.pair, word(7))].sort(), [BigInt(s.tokenX), BigInt(s.tokenY)].sort());
  const [reserve0, reserve1, lastTimestamp] = await pub.readContract({ address: s.pair, abi: UNI.pair.abi, functionName: 'getReserves', blockNumber: pin });
  const packed = slot(s.pair, word(8));
  const MASK_112 = (1n << 112n) - 1n;
  assert.deepEqual([packed & MASK_112, (packed >> 112n) & MASK_112, packed >> 224n], [reserve0, reserve1, BigInt(lastTimestamp)]);
  assert.equal(slot(s.tokenX, mappingSlot(s.pair, 1)), s.xIsToken0 ? reserve0 : reserve1);
  assert.equal(slot(s.factory, word(1)), BigInt(s.a), 'feeToSetter');
  assert.equal(slot(s.factory, word(3)), 1n, 'one pair');
  assert.equal(byKey.get(s.token).hasStorage, true);
  assert.equal(byKey.get(s.b).hasStorage, false);
  assert.equal(byKey.get(s.b).code, '0x');
});

test('fetcher: every read names the pinned block, and reads at it stay put while the node moves on', async () => {
  const bodies = [];
  const recording = async (url, init) => {
    bodies.push(JSON.parse(init.body));
    return fetch(url, init);
  };
  const keys = transferKeys();
  const first = await createForkFetcher({ url: node.url, blockNumber: pin });
  const before = await first.fetch(keys);

  const { wallet } = await clients(node.url);
  const { DEV_KEYS } = await import('./fork/scenario.mjs');
  const a = wallet(DEV_KEYS[0]);
  const hash = await a.writeContract({ address: s.token, abi: TOKEN_ABI, functionName: 'transfer', args: [s.b, 7n] });
  await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  await node.rpc('anvil_mine', ['0x5']);
  assert.equal(await pub.getBlockNumber({ cacheTime: 0 }), pin + 6n);

  const again = await createForkFetcher({ url: node.url, blockNumber: pin, fetch: recording });
  assert.deepEqual(await again.fetch(keys), before);
  assert.deepEqual(await first.fetch(keys), before);
  const latest = await createForkFetcher({ url: node.url });
  const now = await latest.fetch(keys);
  assert.equal(BigInt(now[4].value), BigInt(before[4].value) + 7n, 'the latest block sees the new transfer');
  assert.equal(now[0].nonce, before[0].nonce + 1n);

  const pinHex = '0x' + pin.toString(16);
  const calls = bodies.flatMap((b) => (Array.isArray(b) ? b : [b]));
  assert.ok(calls.length >= 6);
  // The pin is asked by number once; every read after names it by hash (EIP-1898).
  for (const call of calls) {
    if (call.method === 'eth_chainId') continue;
    if (call.method === 'eth_getBlockByNumber') assert.equal(call.params[0], pinHex);
    else assert.deepEqual(call.params.at(-1), { blockHash: again.block.hash }, `${call.method} names the pinned block`);
  }
});

test('round trips: an ERC-20 transfer\'s working set cold and warm, and a Uniswap swap\'s', async (t) => {
  const keys = transferKeys();
  const viaProvider = { request: (args) => pub.request(args) };
  const cases = [
    ['HTTP batch, eth_getProof', { url: node.url, blockNumber: pin }, { requests: 1, calls: 6 }],
    ['HTTP batch, plain reads', { url: node.url, blockNumber: pin, proofs: 'never', verify: false }, { requests: 1, calls: 11 }],
    ['EIP-1193 provider', { provider: viaProvider, blockNumber: pin }, { requests: 6, calls: 6 }],
  ];
  let reference;
  for (const [name, options, expected] of cases) {
    const fork = await createForkFetcher(options);
    fork.resetStats();
    const values = await fork.fetch(keys);
    const cold = fork.stats();
    assert.ok(cold.roundTrips <= 2, `${name}: ${cold.roundTrips} round trips cold`);
    assert.deepEqual({ roundTrips: cold.roundTrips, requests: cold.requests, calls: cold.calls, keysFetched: cold.keysFetched }, { roundTrips: 1, ...expected, keysFetched: 5 }, name);
    fork.resetStats();
    await fork.fetch(keys);
    assert.deepEqual({ roundTrips: fork.stats().roundTrips, requests: fork.stats().requests, memoryHits: fork.stats().memoryHits }, { roundTrips: 0, requests: 0, memoryHits: 5 }, `${name}, warm`);
    const plain = values.map(({ hasStorage: _, ...v }) => v);
    reference ??= plain;
    assert.deepEqual(plain, reference, `${name}: same values`);
    t.diagnostic(`ERC-20 transfer, ${name}: cold ${cold.roundTrips} round trip, ${cold.requests} request(s), ${cold.calls} calls, ${cold.bytesReceived} bytes; warm 0`);
  }

  // The router swap's working set: every account and slot it touched, from the node's prestate tracer.
  const prestate = await node.rpc('debug_traceTransaction', [s.tx['router.swap'].hash, { tracer: 'prestateTracer' }]);
  const swapKeys = Object.entries(prestate).flatMap(([address, account]) => [
    { kind: 'account', address },
    ...Object.keys(account.storage ?? {}).map((slot) => ({ kind: 'storage', address, slot })),
  ]);
  assert.ok(swapKeys.filter((k) => k.kind === 'storage').length >= 8, 'the swap touches the pair and both tokens');
  const fork = await createForkFetcher({ url: node.url, blockNumber: pin });
  fork.resetStats();
  await fork.fetch(swapKeys);
  const cold = fork.stats();
  assert.equal(cold.roundTrips, 1);
  assert.equal(cold.keysFetched, swapKeys.length);
  fork.resetStats();
  await fork.fetch(swapKeys);
  assert.equal(fork.stats().roundTrips, 0);
  t.diagnostic(`Uniswap router swap: ${swapKeys.length} keys, cold ${cold.roundTrips} round trip (${cold.calls} calls, ${cold.bytesReceived} bytes), warm 0`);
});

test('a node without eth_getProof: auto mode falls back once (with verify: false), then reads plainly', async () => {
  const asked = [];
  // The real node behind a provider that refuses one method, as Hardhat's and many hosted nodes do.
  const noProofs = {
    request: async (args) => {
      asked.push(args.method);
      if (args.method === 'eth_getProof') throw Object.assign(new Error('the method eth_getProof does not exist/is not available'), { code: -32601 });
      return pub.request(args);
    },
  };
  // Verifying (the default), plain reads cannot be checked: no fallback, whatever the node says.
  const verifying = await createForkFetcher({ provider: noProofs, blockNumber: pin });
  await rejectsWith(verifying.fetch(transferKeys()), 'FORK_UNAVAILABLE');
  await assert.rejects(verifying.fetch(transferKeys()), /plain reads cannot be verified; pass verify: false/);
  await rejectsWith(createForkFetcher({ url: node.url, proofs: 'never' }), 'INVALID_ARGUMENT');
  await rejectsWith(createForkFetcher({ url: node.url, verify: 'no' }), 'INVALID_ARGUMENT');
  asked.length = 0;
  const fork = await createForkFetcher({ provider: noProofs, blockNumber: pin, verify: false });
  fork.resetStats();
  const values = await fork.fetch(transferKeys());
  assert.equal(fork.stats().roundTrips, 2, 'one wave refused, one of plain reads');
  for (const [i, key] of transferKeys().entries()) {
    const expected = await nodeValue(key, pin);
    if (key.kind === 'account') assert.deepEqual({ balance: values[i].balance, nonce: values[i].nonce, code: values[i].code }, expected);
    else assert.equal(values[i].value, expected.value);
  }
  fork.resetStats();
  await fork.fetch([{ kind: 'account', address: s.pair }, { kind: 'storage', address: s.pair, slot: word(8) }]);
  assert.equal(fork.stats().roundTrips, 1);
  assert.equal(asked.filter((m) => m === 'eth_getProof').length, 3, 'only the first wave asked for proofs');

  const strict = await createForkFetcher({ provider: noProofs, blockNumber: pin, proofs: 'always' });
  await rejectsWith(strict.fetch(transferKeys()), 'FORK_UNAVAILABLE');

  // Another code, but the words say the method is missing: fall back. Any other error is the node's failure.
  const refusing = (message) => ({
    request: async (args) => {
      if (args.method === 'eth_getProof') throw Object.assign(new Error(message), { code: -32000 });
      return pub.request(args);
    },
  });
  const worded = await createForkFetcher({ provider: refusing('method eth_getProof is not supported'), blockNumber: pin, verify: false });
  assert.equal((await worded.fetch(transferKeys())).length, 5);
  const failing = await createForkFetcher({ provider: refusing('header not found'), blockNumber: pin });
  await rejectsWith(failing.fetch(transferKeys()), 'FORK_UNAVAILABLE');
});

test('persistent cache: a second fetcher and another process start warm from a directory; bad entries are refetched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-fork-cache-'));
  try {
    const keys = [...transferKeys(), { kind: 'blockHash', number: 2 }];
    const first = await createForkFetcher({ url: node.url, blockNumber: pin, cache: directoryCache(dir) });
    const values = await first.fetch(keys);

    const second = await createForkFetcher({ url: node.url, blockNumber: pin, cache: directoryCache(dir) });
    second.resetStats();
    assert.deepEqual(await second.fetch(keys), values);
    assert.deepEqual([second.stats().roundTrips, second.stats().keysFromCache, second.stats().keysFetched], [0, 6, 0]);
    assert.deepEqual(await second.fetch([{ kind: 'code', codeHash: values[2].codeHash }]), [{ kind: 'code', codeHash: values[2].codeHash, code: values[2].code }]);

    // Another process starts warm too.
    const script = `
      import { createForkFetcher, directoryCache } from ${JSON.stringify(new URL('../dist/esm/node.js', import.meta.url).href)};
      const fork = await createForkFetcher({ url: ${JSON.stringify(node.url)}, blockNumber: ${pin}, cache: directoryCache(${JSON.stringify(dir)}) });
      fork.resetStats();
      const values = await fork.fetch(${JSON.stringify(keys)});
      console.log(JSON.stringify({ stats: fork.stats(), token: values[2].codeHash, slot: values[3].value }));`;
    const child = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
    assert.deepEqual([child.stats.roundTrips, child.stats.keysFromCache, child.token, child.slot], [0, 6, values[2].codeHash, values[3].value]);

    // Another block is another scope: nothing is shared.
    const other = await createForkFetcher({ url: node.url, blockNumber: pin - 1n, cache: directoryCache(dir) });
    other.resetStats();
    await other.fetch(keys);
    assert.deepEqual([other.stats().keysFromCache, other.stats().keysFetched], [0, 6]);

    // A corrupted code entry (its hash no longer matches) and a torn line are misses, fetched again.
    const [file] = readdirSync(dir).filter((f) => f.startsWith(`31337-${pin}-`));
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
    const tampered = lines.map((line) => {
      const [key, value] = JSON.parse(line);
      return JSON.stringify([key, key.startsWith('c:') ? value.slice(0, -2) + '00' : value]);
    });
    writeFileSync(join(dir, file), tampered.join('\n') + '\n{"torn');
    const third = await createForkFetcher({ url: node.url, blockNumber: pin, cache: directoryCache(dir) });
    third.resetStats();
    assert.deepEqual(await third.fetch(keys), values);
    assert.deepEqual([third.stats().keysFromCache, third.stats().keysFetched, third.stats().cacheErrors, third.stats().roundTrips], [5, 1, 1, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('concurrent fetches of the same keys share one round trip', async () => {
  const fork = await createForkFetcher({ url: node.url, blockNumber: pin });
  fork.resetStats();
  const [one, two] = await Promise.all([fork.fetch(transferKeys()), fork.fetch(transferKeys().reverse())]);
  assert.deepEqual(one, two.reverse());
  assert.deepEqual([fork.stats().roundTrips, fork.stats().keysFetched], [1, 5]);
  assert.equal(fork.peek({ kind: 'account', address: s.token }).codeHash, one[2].codeHash);
  assert.equal(fork.peek({ kind: 'account', address: s.pair }), undefined);
});
