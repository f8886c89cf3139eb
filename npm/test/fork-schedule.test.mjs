// A fork of a known network runs the rules of its fork block: anvil started here as chain 1
// (Ethereum mainnet's id) at a past timestamp, forked without a hardfork. The activation
// timestamps (core `config::KNOWN_HARDFORKS`) are execution-specs' upgrade schedules; the blob
// schedule of each block follows the same table (`resources::blob_schedule`, checked there
// against hand-computed fees, as anvil cannot be made to carry excess blob gas without blobs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, ZkosError } from '../dist/esm/node.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode } from './fork/node.mjs';
import { startNode as startDevNode } from './devnode/spawn.mjs';
import { ROOT } from './helpers.mjs';

/** Mainnet's Prague and Osaka activation timestamps (execution-specs `forks/{prague,osaka}`). */
const MAINNET_PRAGUE = 1_746_612_311;
const MAINNET_OSAKA = 1_764_798_551;
/** Returns CLZ(1) (255 from Osaka, EIP-7939): PUSH1 1, CLZ, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN. */
const CLZ_CODE = '0x60011e60005260206000f3';
const PROBE = '0x00000000000000000000000000000000000c1a00';
const clzCall = (engine) => engine.call({ to: PROBE }, { stateOverride: { [PROBE]: { code: CLZ_CODE } } });

/** anvil as chain 1 from genesis timestamp `timestamp`, one block mined (block 0 cannot be verified). */
async function mainnetAt(timestamp, hardfork) {
  const node = await startNode({ chainId: 1, hardfork, extraArgs: ['--timestamp', String(timestamp)] });
  await node.rpc('evm_mine', [timestamp + 12]);
  return node;
}

test('a mainnet fork without a hardfork runs the fork block\'s: Prague between Prague and Osaka', async () => {
  const node = await mainnetAt(MAINNET_PRAGUE + 1_000, 'prague');
  try {
    const engine = await createEngine({ flow: 'ethereum', fork: { url: node.url } });
    assert.equal(engine.chainId, 1n);
    assert.ok(engine.getBlock('latest').timestamp < BigInt(MAINNET_OSAKA));
    assert.equal(engine.hardfork, 'prague');
    // CLZ (0x1e) is Osaka's: under Prague it is an invalid opcode, so the call fails.
    const clz = await clzCall(engine);
    assert.notEqual(clz.status, 'success');
    engine.free();
    // Without a flow, a fork of mainnet runs mainnet's rules: the Ethereum flow at its block's fork.
    const plain = await createEngine({ fork: { url: node.url } });
    assert.equal(plain.flow, 'ethereum');
    assert.equal(plain.hardfork, 'prague');
    assert.equal(plain.protocolVersion, 1);
    plain.free();
    // Given, the hardfork is the caller's; an unknown chain id keeps the flow's default.
    const given = await createEngine({ flow: 'ethereum', hardfork: 'osaka', fork: { url: node.url } });
    assert.equal(given.hardfork, 'osaka');
    given.free();
  } finally {
    await node.stop();
  }
});

test('a mainnet fork after Osaka runs Osaka; a given blobSchedule is checked', async () => {
  const node = await mainnetAt(MAINNET_OSAKA + 1_000, 'osaka');
  try {
    const engine = await createEngine({ flow: 'ethereum', fork: { url: node.url } });
    assert.equal(engine.hardfork, 'osaka');
    const clz = await clzCall(engine);
    assert.equal(clz.status, 'success');
    assert.equal(BigInt(clz.returnData), 255n);
    engine.free();
    const bad = createEngine({ flow: 'ethereum', fork: { url: node.url }, blobSchedule: { bpo1: { target: 10, max: 15, baseFeeUpdateFraction: 8346193 } } });
    await assert.rejects(bad, (e) => e instanceof ZkosError && /bpo1\.timestamp missing/.test(e.message));
    const inverted = createEngine({ flow: 'ethereum', fork: { url: node.url }, blobSchedule: { osaka: { target: 10, max: 9, baseFeeUpdateFraction: 1 } } });
    await assert.rejects(inverted, (e) => e instanceof ZkosError && /target must not exceed its max/.test(e.message));
  } finally {
    await node.stop();
  }
});

test('the ZKsync OS flow and unknown chains keep their default hardfork', async () => {
  const node = await startNode({ chainId: 31337, hardfork: 'prague', extraArgs: ['--timestamp', String(MAINNET_PRAGUE + 1_000)] });
  try {
    await node.rpc('evm_mine', [MAINNET_PRAGUE + 1_012]);
    const eth = await createEngine({ flow: 'ethereum', fork: { url: node.url } });
    assert.equal(eth.hardfork, 'osaka');
    eth.free();
    // Without a flow an unknown chain is forked as a ZKsync OS chain.
    const zk = await createEngine({ fork: { url: node.url } });
    assert.equal(zk.flow, 'zk');
    assert.equal(zk.hardfork, 'cancun');
    zk.free();
  } finally {
    await node.stop();
  }
});

test('zkos node --blob-schedule reads a geth genesis (bpoNTime as timestamps) and refuses a bad one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-blob-schedule-'));
  const write = (name, json) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(json));
    return file;
  };
  const bpo = { target: 10, max: 15, baseFeeUpdateFraction: 8346193 };
  try {
    const genesis = write('genesis.json', { config: { chainId: 7, bpo1Time: 1000, blobSchedule: { cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 }, bpo1: bpo } }, alloc: {} });
    const dev = await startDevNode(['--flow', 'ethereum', '--blob-schedule', genesis]);
    await dev.stop();
    const run = (file) => spawnSync(process.execPath, [join(ROOT, 'dist/esm/cli.js'), 'node', '--port', '0', '--flow', 'ethereum', '--blob-schedule', file], { encoding: 'utf8', timeout: 30_000 });
    const untimed = run(write('untimed.json', { blobSchedule: { bpo1: bpo } }));
    assert.equal(untimed.status, 2);
    assert.match(untimed.stderr, /--blob-schedule: bpo1: no timestamp \(nor bpo1Time\)/);
    const inverted = run(write('inverted.json', { osaka: { target: 16, max: 15, baseFeeUpdateFraction: 1 } }));
    assert.notEqual(inverted.status, 0);
    assert.match(inverted.stderr, /blobSchedule: a blob schedule's target must not exceed its max/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
