// A caller's own values that throw when read (a getter, a Proxy trap) given to the engine API,
// createEngine and createProvider: each is INVALID_ARGUMENT naming what could not be read, and
// nothing else fails with it (the engine goes on; no engine is reported poisoned).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createEngineSync, createProvider } from '../dist/esm/node.js';

const boom = () => {
  throw new Error('boom');
};
/** An object whose own enumerable `key` throws when read. */
const throwing = (key) => Object.defineProperty({}, key, { get: boom, enumerable: true });
const TO = '0x' + '11'.repeat(20);
const unreadable = (what) => (err) => err.code === 'INVALID_ARGUMENT' && err.message.startsWith(what) && err.message.includes('could not be read (boom)');

// Before: each was INTERNAL_ERROR "zkos: call failed: boom", as if the package had failed.
test('engine methods: an argument that throws when read is INVALID_ARGUMENT, and the engine goes on', async () => {
  const e = await createEngine();
  const head = e.blockNumber();
  const cases = [
    ['call', () => e.call(throwing('to'))],
    ['call', () => e.call(new Proxy({}, { get: boom, ownKeys: boom }))],
    ['call', () => e.call({ to: TO }, throwing('stateOverride'))],
    ['call', () => e.call({ to: TO }, { stateOverride: { [TO]: throwing('balance') } })],
    ['estimateGas', () => e.estimateGas(throwing('data'))],
    ['setAccount', () => e.setAccount(TO, throwing('balance'))],
    ['runBlock', () => e.runBlock(throwing('transactions'))],
    ['runBlock', () => e.runBlock({ transactions: [throwing('to')] })],
    ['trace', () => e.trace({ to: TO }, throwing('tracer'))],
  ];
  for (const [name, f] of cases) assert.throws(f, unreadable(`${name}: argument`), name);
  assert.equal(e.blockNumber(), head);
  assert.equal(e.getAccount(TO), undefined);
  assert.equal(e.call({ to: TO }).status, 'success');
});

// Before: a throwing options getter was ENGINE_ERROR; a throwing getter or Proxy inside
// blobSchedule was read by the wasm and trapped it: ENGINE_POISONED for an engine never made.
test('createEngine: options that throw when read are INVALID_ARGUMENT, never ENGINE_POISONED', async () => {
  const proxy = new Proxy({}, { get: boom, ownKeys: boom, getOwnPropertyDescriptor: boom });
  for (const options of [throwing('chainId'), proxy, throwing('blobSchedule'), { blobSchedule: throwing('cancun') }, { blobSchedule: proxy }, { blobSchedule: { cancun: throwing('target') } }]) {
    await assert.rejects(createEngine(options), unreadable('options'));
    assert.throws(() => createEngineSync(options), unreadable('options'));
  }
  // The fork option is read first.
  await assert.rejects(createEngine(throwing('fork')), unreadable('options'));
  const e = await createEngine({ blobSchedule: { cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 } } });
  assert.equal(e.call({ to: TO }).status, 'success');
});

// Before: the wasm's trap while the engine was made answered ENGINE_POISONED ("this engine and
// its sessions can no longer be used"), of an engine that never existed.
test('createEngine: a trap while the engine is made is ENGINE_ERROR', async () => {
  // The engine's initial memory and not a page more: making it runs out of memory.
  assert.throws(() => createEngineSync({ maxMemoryBytes: 17 * 65_536 }), (err) => err.code === 'ENGINE_ERROR' && /^zkos: the engine could not be created: its wasm instance failed \(RuntimeError/.test(err.message) && !/can no longer be used/.test(err.message));
  assert.equal((await createEngine()).call({ to: TO }).status, 'success');
});

// Before: createProvider() without an engine returned, then a queued task threw a TypeError
// reading its chainId, which ended the process.
test('createProvider: no engine, or options that throw when read, are INVALID_ARGUMENT at once', async () => {
  for (const engine of [undefined, null, 5, {}]) assert.throws(() => createProvider(engine), (err) => err.code === 'INVALID_ARGUMENT' && /createProvider: expected an engine/.test(err.message));
  const e = await createEngine();
  assert.throws(() => createProvider(e, throwing('evmTimeoutMs')), unreadable('createProvider: options'));
  // A tick for any queued task to run (before, the process ended here).
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(await createProvider(e).request({ method: 'eth_chainId' }), '0x10e');
});
