// Hostile in-process callers of the EIP-1193 providers (createProvider, createDevProvider): params
// no JSON-RPC server could have parsed (Proxies whose traps throw, cycles, sparse arrays of 2^32 - 1
// holes) are refused as invalid params, -32602, with nothing changed; and the dev provider's
// `block` event follows every block of the chain. Each case failed before its fix: a throwing
// getter answered -32603 (internal error) from the engine's provider and a raw Error, no JSON-RPC
// error at all, from the dev provider; a sparse blockStateCalls array was walked for 105 s; the
// `block` event never fired for blocks the dev methods mined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DevChain, ProviderRpcError, createDevProvider, createEngineSync, createProvider } from '../dist/esm/node.js';

const TARGET = '0x0000000000000000000000000000000000000001';
const DEV = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

/** A Proxy every read of which throws. */
const throwing = (target = {}) =>
  new Proxy(target, {
    get: () => {
      throw new Error('hostile proxy');
    },
    ownKeys: () => {
      throw new Error('hostile proxy');
    },
  });

function providers() {
  const engine = createEngineSync();
  const chain = new DevChain(createEngineSync());
  return [
    { name: 'createProvider', provider: createProvider(engine), engine },
    { name: 'createDevProvider', provider: createDevProvider(chain), engine: chain.engine },
  ];
}

const state = (engine) => JSON.stringify({ head: engine.blockNumber().toString(), root: engine.getBlock('latest').stateRoot, dev: engine.getAccount(DEV)?.balance?.toString() });

async function invalid(provider, args, pattern) {
  await assert.rejects(provider.request(args), (e) => {
    assert.ok(e instanceof ProviderRpcError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, -32602, e.message);
    if (pattern !== undefined) assert.match(e.message, pattern);
    return true;
  });
}

test('params that cannot be read (throwing getters and Proxy traps) are -32602 invalid params, as a JSON-RPC server answers params it cannot decode; nothing changes', async () => {
  for (const { name, provider, engine } of providers()) {
    const before = state(engine);
    const getter = {
      get to() {
        throw new Error('hostile getter');
      },
    };
    await invalid(provider, throwing(), /could not be read \(hostile proxy\)/);
    await invalid(provider, { method: 'eth_call', params: throwing([]) }, /^eth_call: params could not be read/);
    await invalid(provider, { method: 'eth_call', params: [getter] }, /hostile getter/);
    await invalid(provider, { method: 'eth_call', params: [{ to: TARGET }, 'latest', throwing()] });
    await invalid(provider, { method: 'debug_traceCall', params: [{ to: TARGET }, 'latest', { tracer: 'callTracer', tracerConfig: throwing() }] });
    await invalid(provider, { method: 'eth_sendRawTransaction', params: [throwing(new Uint8Array(4))] });
    if (name === 'createDevProvider') {
      for (const method of ['eth_sendTransaction', 'eth_getLogs', 'eth_simulateV1', 'anvil_loadState', 'eth_signTypedData_v4']) {
        await invalid(provider, { method, params: method === 'eth_signTypedData_v4' ? [DEV, throwing()] : [throwing()] }, new RegExp(`^${method}: params could not be read`));
      }
    }
    assert.equal(state(engine), before, `${name}: nothing changed`);
    // The provider goes on: a call answers.
    assert.equal(await provider.request({ method: 'eth_call', params: [{ to: TARGET, data: '0x' }] }), '0x');
  }
});

test('cycles and sparse arrays are refused at once (-32602); eth_simulateV1 refuses more than 256 blocks before reading any (geth\'s -38026)', async () => {
  for (const { name, provider, engine } of providers()) {
    const before = state(engine);
    const entry = { address: TARGET };
    entry.storageKeys = [entry];
    await invalid(provider, { method: 'eth_call', params: [{ to: TARGET, accessList: [entry] }] }, /inside itself/);
    const loop = [];
    loop.push(loop);
    await invalid(provider, { method: 'eth_call', params: loop }, /inside itself/);
    // One object met twice (not inside itself) is plain data.
    const key = '0x' + '00'.repeat(32);
    const shared = [key];
    assert.equal(await provider.request({ method: 'eth_call', params: [{ to: TARGET, accessList: [{ address: TARGET, storageKeys: shared }, { address: DEV, storageKeys: shared }] }] }), '0x');
    const holes = new Array(2 ** 32 - 1);
    await invalid(provider, { method: 'eth_call', params: [{ to: TARGET, accessList: holes }] }, /more than 16777216 items/);
    if (name === 'createDevProvider') {
      // Before: walked hole by hole for 105 s, then answered [].
      await invalid(provider, { method: 'eth_simulateV1', params: [{ blockStateCalls: holes }] }, /more than 16777216 items/);
      await assert.rejects(provider.request({ method: 'eth_simulateV1', params: [{ blockStateCalls: Array.from({ length: 257 }, () => 'not a block') }] }), (e) => e.code === -38026 && /too many blocks/.test(e.message));
      await invalid(provider, { method: 'eth_getLogs', params: [{ topics: holes }] }, /more than 16777216 items/);
    }
    assert.equal(state(engine), before, `${name}: nothing changed`);
  }
});

test("the dev provider's block event fires for every way the chain mines (anvil_mine, evm_mine, hardhat_mine, eth_sendTransaction, the interval timer), and stops on removeListener", async () => {
  const chain = new DevChain(createEngineSync());
  const provider = createDevProvider(chain);
  const seen = [];
  const listener = (n) => seen.push(n);
  provider.on('block', listener);
  await provider.request({ method: 'anvil_mine', params: ['0x3'] });
  // One event per slice of 20 ms (on a loaded machine one block may fill a slice), the last at the head.
  assert.equal(seen.at(-1), '0x3');
  assert.ok(seen.length <= 3 && seen.every((n, i) => i === 0 || BigInt(n) > BigInt(seen[i - 1])), seen.join());
  seen.length = 0;
  await provider.request({ method: 'evm_mine', params: [] });
  await provider.request({ method: 'hardhat_mine', params: [] });
  await provider.request({ method: 'eth_sendTransaction', params: [{ from: DEV, to: TARGET, value: '0x1' }] });
  assert.deepEqual(seen, ['0x4', '0x5', '0x6']);
  // A listener that throws does not stop the others, nor the request.
  provider.on('block', () => {
    throw new Error('listener failure');
  });
  await provider.request({ method: 'anvil_setIntervalMining', params: [1] });
  const deadline = Date.now() + 10_000;
  while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await provider.request({ method: 'anvil_setIntervalMining', params: [0] });
  assert.equal(seen[3], '0x7', 'the interval timer\'s block');
  const count = seen.length;
  provider.removeListener('block', listener);
  await provider.request({ method: 'evm_mine', params: [] });
  assert.equal(seen.length, count);
  chain.close();
});
