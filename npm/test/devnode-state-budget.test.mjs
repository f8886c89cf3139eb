// What a hostile client may add to a dev node's engine (npm/src/devnode/state-budget.ts). Before
// these bounds, 478 `anvil_setCode` calls of 8 MiB each (to different addresses) filled the
// engine's 4 GiB wasm memory, and from then on every request answered -32603 "the engine's wasm
// instance failed" until the process restarted. Here the bounds are small, so the same sequence
// runs in seconds: the write past the budget (or past the memory reserve) is refused with -32005,
// the state before it is intact, and the node goes on answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, MAX_IMPERSONATED, MAX_SET_CODE_BYTES, MAX_SET_STATE_BYTES, MEMORY_RESERVE_BYTES, createDevProvider, createEngine, serve } from '../dist/esm/node.js';
import { startNode, rpc } from './devnode/spawn.mjs';

const MIB = 1024 * 1024;
const CODE_BYTES = 4 * MIB;
/** 4 MiB of JUMPDESTs ending in `tag`, so each address gets code of its own. */
const code = (tag) => '0x' + '5b'.repeat(CODE_BYTES - 2) + tag.toString(16).padStart(4, '0');
const address = (i) => '0x' + (0xc0de0000 + i).toString(16).padStart(40, '0');
const SLOT = '0x' + '00'.repeat(31) + '07';
const VALUE = '0x' + '00'.repeat(31) + '2a';
/** What one write counts (state-budget.ts): 640 for the account, the code, an eighth of it for its jump-destination bitmap; a slot 1,280. */
const codeCost = (bytes) => 640 + bytes + Math.ceil(bytes / 8);
const SLOT_COST = 1280;

test('the defaults: a 1 GiB budget, 8 MiB per anvil_setCode, a 512 MiB memory reserve, 100,000 impersonated accounts', () => {
  assert.equal(MAX_SET_STATE_BYTES, 1024 * MIB);
  assert.equal(MAX_SET_CODE_BYTES, 8 * MIB);
  assert.equal(MEMORY_RESERVE_BYTES, 512 * MIB);
  assert.equal(MAX_IMPERSONATED, 100_000);
});

test('zkos node --max-set-state-bytes: anvil_setCode to address after address is refused at the budget (-32005), state intact, the node answers and mines; a revert gives the budget back', async () => {
  const budget = 40_000_000;
  const node = await startNode(['--max-set-state-bytes', String(budget)]);
  const call = (method, params) => rpc(node.url, method, params);
  try {
    assert.match(node.banner, /40000000 bytes set by anvil_set\*/);
    const [dev] = (await call('eth_accounts')).result;
    assert.equal((await call('anvil_setStorageAt', [address(999), SLOT, VALUE])).result, true);
    const snapshot = (await call('evm_snapshot')).result;
    // Writes fit while the count stays within the budget: the slot's, then 4 MiB codes.
    const fits = Math.floor((budget - SLOT_COST) / codeCost(CODE_BYTES));
    assert.equal(fits, 8);
    for (let i = 0; i < fits; i++) assert.equal((await call('anvil_setCode', [address(i), code(i)])).result, null, `write ${i}`);
    const refused = await call('anvil_setCode', [address(fits), code(fits)]);
    assert.equal(refused.error?.code, -32005, JSON.stringify(refused.error));
    assert.match(refused.error.message, /budget of 40000000/);
    // Refused and unchanged: no code there; the earlier writes and the slot are as they were.
    assert.equal((await call('eth_getCode', [address(fits), 'latest'])).result, '0x');
    assert.equal((await call('eth_getCode', [address(fits - 1), 'latest'])).result, code(fits - 1));
    assert.equal((await call('eth_getStorageAt', [address(999), SLOT, 'latest'])).result, VALUE);
    // Overwriting counts again (the engine keeps the replaced code while its history may read it).
    assert.equal((await call('anvil_setCode', [address(0), code(100)])).error?.code, -32005);
    // To the byte: 40,000,000 - 1,280 - 8 x 4,719,232 = 2,244,864 left. A slot, then code of
    // 2 MiB (2,359,936) is refused and of 1,990,000 bytes (2,239,390) fits; 4,194 are left then,
    // two slots and an account (640) fit, then a slot is refused (994 left), an account fits and
    // the next is refused (354 left).
    assert.equal((await call('anvil_setStorageAt', [address(999), SLOT, VALUE])).result, true, 'a slot still fits');
    assert.equal((await call('hardhat_setCode', [address(997), '0x' + '00'.repeat(2 * MIB)])).error?.code, -32005);
    assert.equal((await call('hardhat_setCode', [address(997), '0x' + '00'.repeat(1_990_000)])).result, true);
    assert.equal((await call('hardhat_setStorageAt', [address(998), SLOT, VALUE])).result, true);
    assert.equal((await call('hardhat_setStorageAt', [address(998), VALUE, VALUE])).result, true);
    assert.equal((await call('anvil_setNonce', [address(998), '0x1'])).result, null);
    assert.equal((await call('hardhat_setStorageAt', [address(998), SLOT, SLOT])).error?.code, -32005);
    assert.equal((await call('eth_getStorageAt', [address(998), SLOT, 'latest'])).result, VALUE);
    assert.equal((await call('anvil_setBalance', [address(998), '0x1'])).result, null);
    assert.equal((await call('anvil_setBalance', [address(998), '0x2'])).error?.code, -32005);
    assert.equal((await call('eth_getBalance', [address(998), 'latest'])).result, '0x1');
    // Reads, calls and a normal transaction go on.
    const sent = await call('eth_sendTransaction', [{ from: dev, to: address(500), value: '0x2a' }]);
    assert.equal(sent.error, undefined, JSON.stringify(sent.error));
    assert.equal((await call('eth_getTransactionReceipt', [sent.result])).result.status, '0x1');
    assert.equal((await call('eth_getBalance', [address(500), 'latest'])).result, '0x2a');
    assert.equal((await call('eth_call', [{ to: address(1), data: '0x' }, 'latest'])).result, '0x');
    assert.equal((await call('anvil_mine', ['0x2'])).error, undefined);
    // A revert to the snapshot gives back what was counted since: the codes fit again.
    assert.equal((await call('evm_revert', [snapshot])).result, true);
    assert.equal((await call('eth_getCode', [address(0), 'latest'])).result, '0x');
    assert.equal((await call('anvil_setCode', [address(fits), code(fits)])).result, null);
  } finally {
    await node.stop();
  }
});

test('one anvil_setCode sets at most 8 MiB (-32005 beyond, nothing set); an impersonated set past 100,000 accounts is refused', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  try {
    const over = '0x' + '00'.repeat(MAX_SET_CODE_BYTES + 1);
    await assert.rejects(provider.request({ method: 'anvil_setCode', params: [address(1), over] }), (e) => e.code === -32005 && /8388608/.test(e.message));
    assert.equal(await provider.request({ method: 'eth_getCode', params: [address(1), 'latest'] }), '0x');
    assert.equal(chain.budget.used, 0);
    assert.throws(() => new DevChain(chain.engine, { maxSetStateBytes: -1 }), (e) => e.code === 'INVALID_ARGUMENT' && /maxSetStateBytes/.test(e.message));
    for (let i = 0; i < MAX_IMPERSONATED; i++) chain.impersonated.add(address(i));
    await assert.rejects(provider.request({ method: 'anvil_impersonateAccount', params: [address(MAX_IMPERSONATED)] }), (e) => e.code === -32005);
    assert.equal(chain.impersonated.has(address(MAX_IMPERSONATED)), false);
    // One already impersonated is no new entry; stopping one frees a place.
    assert.equal(await provider.request({ method: 'hardhat_impersonateAccount', params: [address(5)] }), true);
    assert.equal(await provider.request({ method: 'anvil_stopImpersonatingAccount', params: [address(5)] }), null);
    assert.equal(await provider.request({ method: 'anvil_impersonateAccount', params: [address(MAX_IMPERSONATED)] }), null);
  } finally {
    chain.close();
  }
});

/** A dev node on 127.0.0.1 over an engine of at most `maxMemoryBytes`, its budget out of the way. */
async function smallNode(maxMemoryBytes, memoryReserveBytes) {
  const chain = new DevChain(await createEngine({ maxMemoryBytes }), { accounts: 1, maxSetStateBytes: 2 ** 40, memoryReserveBytes });
  const server = await serve(createDevProvider(chain), '127.0.0.1', 0);
  const call = (method, params) => rpc(server.url, method, params);
  const stop = async () => {
    await server.close();
    chain.close();
  };
  return { chain, call, stop };
}

/** anvil_setCode of 4 MiB to address after address until one is refused; returns the count set and the refusal. */
async function fill(call, most) {
  for (let i = 0; i < most; i++) {
    const r = await call('anvil_setCode', [address(i), code(i)]);
    if (r.error !== undefined) return { set: i, error: r.error };
  }
  return { set: most, error: undefined };
}

test('the memory reserve: past it, requests that add to the chain are refused (-32005) and the engine keeps answering; without it the same writes kill the engine', async () => {
  const MAX = 160 * MIB;
  const guarded = await smallNode(MAX, 48 * MIB);
  try {
    const { call, chain } = guarded;
    const [dev] = (await call('eth_accounts')).result;
    const { set, error } = await fill(call, 60);
    assert.ok(set > 5, `set ${set}`);
    assert.equal(error?.code, -32005, JSON.stringify(error));
    assert.match(error.message, /engine's memory has grown/);
    const memory = chain.engine.wasmMemory();
    assert.equal(memory.maxBytes, MAX);
    assert.ok(memory.bytes + 48 * MIB > MAX && memory.bytes <= MAX, JSON.stringify(memory));
    // Every request that adds to the chain is refused; reads and calls answer, the state is intact.
    assert.equal((await call('anvil_setBalance', [address(900), '0x1'])).error?.code, -32005);
    assert.equal((await call('anvil_mine', ['0x1'])).error?.code, -32005);
    assert.equal((await call('eth_sendTransaction', [{ from: dev, to: address(900), value: '0x1' }])).error?.code, -32005);
    assert.equal((await call('eth_getCode', [address(set - 1), 'latest'])).result, code(set - 1));
    assert.equal((await call('eth_getCode', [address(set), 'latest'])).result, '0x');
    assert.equal((await call('eth_blockNumber')).result, '0x0');
    assert.equal((await call('eth_call', [{ to: address(0), data: '0x' }, 'latest'])).result, '0x');
    assert.equal(BigInt((await call('eth_getBalance', [dev, 'latest'])).result), 10_000n * 10n ** 18n);
  } finally {
    await guarded.stop();
  }
  // The same writes with no reserve: the engine's memory runs out and every request fails after.
  const bare = await smallNode(MAX, 0);
  try {
    const { error } = await fill(bare.call, 60);
    assert.equal(error?.code, -32603, JSON.stringify(error));
    assert.match((await bare.call('eth_blockNumber')).error?.message ?? '', /wasm instance failed/);
  } finally {
    await bare.stop();
  }
});

test('anvil_loadState counts toward the budget as the setters\' writes do: past it -32005 and nothing loaded; a revert gives it back', async () => {
  // Before: a state of any size loaded past the budget (no count at all), so repeated loads of
  // fresh accounts filled the engine's memory the budget guards.
  const codeBytes = 1 * MIB;
  const dump = (from, count, slots) => ({
    accounts: Object.fromEntries(
      Array.from({ length: count }, (_, i) => [address(from + i), { balance: '0x1', nonce: '0x0', code: '0x' + '5b'.repeat(codeBytes - 2) + (from + i).toString(16).padStart(4, '0'), storage: Object.fromEntries(Array.from({ length: slots }, (_, j) => ['0x' + (j + 1).toString(16).padStart(64, '0'), VALUE])) }]),
    ),
  });
  const one = codeCost(codeBytes) + 10 * SLOT_COST;
  const budget = 3 * one + 1000;
  const chain = new DevChain(await createEngine(), { accounts: 1, maxSetStateBytes: budget });
  const provider = createDevProvider(chain);
  const request = (method, ...params) => provider.request({ method, params });
  try {
    const snapshot = await request('evm_snapshot');
    assert.equal(await request('anvil_loadState', dump(0, 2, 10)), true);
    assert.equal(chain.budget.used, 2 * one);
    // Two more such accounts do not fit the third's room: refused whole, nothing loaded or counted.
    await assert.rejects(request('anvil_loadState', dump(2, 2, 10)), (e) => e.code === -32005 && /anvil_loadState: .*budget of/.test(e.message));
    assert.equal(chain.budget.used, 2 * one);
    assert.equal(await request('eth_getCode', address(2), 'latest'), '0x');
    assert.equal(await request('eth_getBalance', address(3), 'latest'), '0x0');
    // Loading again over the same accounts counts again (the engine keeps the values replaced),
    // and so do the slots the dump clears: 10 held, 0 listed.
    await assert.rejects(request('anvil_loadState', dump(0, 2, 0)), (e) => e.code === -32005);
    assert.equal(await request('anvil_loadState', dump(0, 1, 0)), true);
    assert.equal(chain.budget.used, 3 * one);
    assert.equal(await request('eth_getStorageAt', address(0), '0x1', 'latest'), '0x' + '00'.repeat(32));
    // The setters see the same count.
    await assert.rejects(request('anvil_setCode', address(9), '0x' + '00'.repeat(1000)), (e) => e.code === -32005);
    // A code past what one anvil_setCode takes is refused in a load too.
    await assert.rejects(request('anvil_loadState', { accounts: { [address(8)]: { code: '0x' + '00'.repeat(MAX_SET_CODE_BYTES + 1) } } }), (e) => e.code === -32005 && /bytes of code/.test(e.message));
    assert.equal(await request('evm_revert', snapshot), true);
    assert.equal(chain.budget.used, 0);
    assert.equal(await request('anvil_loadState', dump(2, 2, 10)), true);
    assert.equal(await request('eth_getBalance', address(3), 'latest'), '0x1');
  } finally {
    chain.close();
  }
});

test('anvil_dumpState of a state whose JSON passes 2^29 - 24 characters (what a load reads back) is -32005, and the node goes on (before: -32603 "Invalid string length")', async () => {
  const chain = new DevChain(await createEngine(), { accounts: 1 });
  const provider = createDevProvider(chain);
  const request = (method, ...params) => provider.request({ method, params });
  try {
    // 33 codes of 8 MiB are 528 MiB of hex: past the 512 MiB a dump may take.
    for (let i = 0; i < 33; i++) await request('anvil_setCode', address(i), '0x' + '5b'.repeat(MAX_SET_CODE_BYTES - 2) + i.toString(16).padStart(4, '0'));
    await assert.rejects(request('anvil_dumpState'), (e) => e.code === -32005 && /passes 536870888 characters/.test(e.message));
    assert.equal(await request('eth_getCode', address(32), 'latest'), '0x' + '5b'.repeat(MAX_SET_CODE_BYTES - 2) + '0020');
    // Within the bound it dumps, and the dump loads back.
    for (let i = 0; i < 30; i++) await request('anvil_setCode', address(i), '0x');
    const dump = await request('anvil_dumpState');
    const other = new DevChain(await createEngine(), { accounts: 0 });
    try {
      assert.equal(await createDevProvider(other).request({ method: 'anvil_loadState', params: [dump] }), true);
      assert.equal(other.engine.getAccount(address(31)).code, chain.engine.getAccount(address(31)).code);
    } finally {
      other.close();
    }
  } finally {
    chain.close();
  }
});
