// Dumped states edited by hand (or by a tool) and loaded back: a head no block can follow is
// refused, by anvil_loadState and by `zkos node --state`, and nothing is loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';
import { rpc, startNode } from './devnode/spawn.mjs';

let zkos;
before(async () => {
  zkos = await startNode();
});
after(async () => {
  await zkos?.stop();
});

const MAX_U64 = '0xffffffffffffffff';
const ADDR = '0x' + '5a'.repeat(20);

// Before: both loads were taken; every eth_sendTransaction then failed ("the next block's number
// does not fit in 64 bits", "... timestamp ...") and every mine too, until anvil_reset.
test('anvil_loadState: a head at block number or timestamp 2^64-1 is refused (-32602), nothing loaded; 2^64-2 loads and mines once', async () => {
  const [from] = (await rpc(zkos.url, 'eth_accounts')).result;
  for (const block of [{ number: MAX_U64, timestamp: '0x10' }, { number: '0x10', timestamp: MAX_U64 }]) {
    const reply = await rpc(zkos.url, 'anvil_loadState', [{ block, accounts: { [ADDR]: { balance: '0x7' } } }]);
    assert.equal(reply.error?.code, -32602, JSON.stringify(reply));
    assert.match(reply.error.message, /leaves no (number|timestamp) for a next block/);
    assert.equal((await rpc(zkos.url, 'eth_getBalance', [ADDR, 'latest'])).result, '0x0');
    const sent = await rpc(zkos.url, 'eth_sendTransaction', [{ from, to: from, value: '0x1' }]);
    assert.equal(typeof sent.result, 'string', JSON.stringify(sent));
  }
  const last = await rpc(zkos.url, 'anvil_loadState', [{ block: { number: '0xfffffffffffffffe', timestamp: '0x10' }, accounts: {} }]);
  assert.equal(last.result, true, JSON.stringify(last));
  assert.equal(typeof (await rpc(zkos.url, 'eth_sendTransaction', [{ from, to: ADDR, value: '0x1' }])).result, 'string');
  assert.equal((await rpc(zkos.url, 'eth_blockNumber')).result, MAX_U64);
});

test('zkos node --state: a file whose head no block can follow ends the start with one line and exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-state-edit-'));
  try {
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ version: 1, block: { number: MAX_U64, timestamp: '0x10' }, accounts: {} }));
    const started = spawnSync(process.execPath, [join(ROOT, 'dist/esm/cli.js'), 'node', '--port', '0', '--state', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(started.status, 1, started.stderr);
    assert.match(started.stderr, /^zkos node: --state: cannot load .*state\.json \(state\.block\.number: 18446744073709551615 leaves no number for a next block .*\)\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
