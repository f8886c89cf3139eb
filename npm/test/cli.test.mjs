// The `zkos` command: run, estimate, call and trace on the example files; JSON on stdout, no
// progress bar without a TTY, errors with a non-zero exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';

const CLI = join(ROOT, 'dist/esm/cli.js');
const run = (...args) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

test('zkos run examples/block.json', () => {
  const r = run('run', 'examples/block.json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no progress bar without a TTY');
  const block = JSON.parse(r.stdout);
  assert.equal(block.transactions.length, 3);
  assert.deepEqual(block.transactions.map((t) => t.status), ['success', 'success', 'reverted']);
  assert.ok(block.transactions[0].contractAddress);
  assert.deepEqual(block.transactions[2].revertReason, { kind: 'Error', message: 'insufficient balance' });
});

test('zkos estimate / call / trace examples/tx.json', () => {
  const est = run('estimate', 'examples/tx.json');
  assert.equal(est.status, 0, est.stderr);
  const e = JSON.parse(est.stdout);
  assert.ok(BigInt(e.gasLimit) > 21000n);
  assert.ok(BigInt(e.nativeUsed) > 0n);

  const call = run('call', 'examples/tx.json');
  assert.equal(call.status, 0, call.stderr);
  assert.equal(BigInt(JSON.parse(call.stdout).returnData), 1000000n);

  const tr = run('trace', 'examples/tx.json', '--tracer', 'callTracer');
  assert.equal(tr.status, 0, tr.stderr);
  const t = JSON.parse(tr.stdout);
  assert.equal(t.type, 'CALL');
  assert.equal(t.calls[0].type, 'STATICCALL');

  const lines = run('trace', 'examples/tx.json', '--tracer', 'eip3155');
  assert.equal(lines.status, 0, lines.stderr);
  const parsed = lines.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(parsed.length > 10);
  assert.equal(parsed[0].pc, 0);
});

test('zkos errors: usage, missing file, bad JSON, malformed tx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-cli-'));
  try {
    assert.match(execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }), /usage:/);
    const missing = run('run', join(dir, 'nope.json'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read/);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    assert.equal(run('estimate', join(dir, 'bad.json')).status, 2);
    writeFileSync(join(dir, 'badtx.json'), JSON.stringify({ tx: { to: '0x12', data: '0x' } }));
    const bad = run('estimate', join(dir, 'badtx.json'));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /INVALID_ARGUMENT/);
    assert.equal(bad.stdout, '');
    assert.equal(run('frobnicate', join(dir, 'bad.json')).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Before: a file without end was read whole, never finishing (5 GB held after a minute); now the
// read stops past V8's longest string (2^29 - 24 bytes), which no JSON text can exceed anyway.
test('zkos: a file without end (/dev/zero) as input or --state is refused once past 2^29 - 24 bytes', { skip: !existsSync('/dev/zero') && 'no /dev/zero' }, () => {
  const endless = spawnSync(process.execPath, [CLI, 'run', '/dev/zero'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(endless.status, 2, endless.stderr);
  assert.equal(endless.stderr, 'zkos: cannot read /dev/zero: larger than 536870888 bytes\n');
  const state = spawnSync(process.execPath, [CLI, 'node', '--port', '0', '--state', '/dev/zero'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(state.status, 2, state.stderr);
  assert.match(state.stderr, /--state: cannot read \/dev\/zero \(larger than 536870888 bytes\)/);
});

test('zkos run examples/blocks.json: several blocks; progress bar only on a TTY', { skip: !existsSync('/usr/bin/script') && 'no script(1) for a pseudo-terminal' }, () => {
  const r = run('run', 'examples/blocks.json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const blocks = JSON.parse(r.stdout);
  assert.deepEqual(blocks.map((b) => BigInt(b.number)), [1n, 2n, 3n]);
  assert.ok(blocks.every((b) => b.transactions[0].status === 'success'));
  // Under a pseudo-terminal (script(1)) the bar is drawn on stderr and ends at 3/3.
  const tty = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${CLI} run examples/blocks.json >/dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stderr);
  assert.match(tty.stdout, /blocks \[#+\] 3\/3/);
  const noBar = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${CLI} run examples/blocks.json --no-progress >/dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
  assert.doesNotMatch(noBar.stdout, /blocks \[/);
});

test('zkos: unknown commands and options are named, malformed blocks and preState refused (before: --tracr was ignored, blocks: [null] a TypeError stack)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-cli-'));
  try {
    const refused = (r, message) => {
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /TypeError|at .*\.js:\d+/);
    };
    refused(run('trace', 'examples/tx.json', '--tracr', 'prestateTracer'), /^zkos: trace: unknown option --tracr\n/);
    refused(run('call', 'examples/tx.json', '--chainid', '1'), /^zkos: call: unknown option --chainid\n/);
    refused(run('run', 'examples/block.json', '--tracer', 'callTracer'), /^zkos: run: unknown option --tracer\n/);
    refused(run('run', 'examples/block.json', '--fork', 'http://127.0.0.1:1'), /^zkos: run: unknown option --fork\n/);
    refused(run('frobnicate'), /^zkos: unknown command "frobnicate"\n/);
    refused(run('run', 'examples/block.json', 'examples/blocks.json'), /^zkos: run: one file argument, got 2\n/);
    const file = (name, value) => {
      writeFileSync(join(dir, name), JSON.stringify(value));
      return join(dir, name);
    };
    refused(run('run', file('null-block.json', { blocks: [{ transactions: [] }, null] })), /blocks\[1\] must be an object/);
    refused(run('run', file('number-block.json', { blocks: [7] })), /blocks\[0\] must be an object/);
    refused(run('run', file('pre5.json', { preState: 5, transactions: [] })), /"preState" must be an object of accounts/);
    refused(run('call', file('pre-list.json', { preState: [1], tx: { to: '0x1000000000000000000000000000000000000002' } })), /"preState" must be an object of accounts/);
    // Before: "chain" of another type was dropped (the default chain ran) or read as options
    // "0", "1", ...; "blocks" of another type ran the file as one block.
    for (const chain of [5, true, 'zk', [1]]) refused(run('run', file('chain.json', { chain, transactions: [] })), /^zkos: \S+chain\.json: "chain" must be an object of engine options\n$/);
    refused(run('call', file('chain-tx.json', { chain: 1, tx: { to: '0x1000000000000000000000000000000000000002' } })), /chain-tx\.json: "chain" must be an object/);
    for (const blocks of [{ length: 2 }, 'blocks', 3]) refused(run('run', file('blocks.json', { blocks, transactions: [] })), /"blocks" must be a list of blocks\n$/);
    // A null preState is none, as before.
    const ok = run('run', file('pre-null.json', { preState: null, transactions: [] }));
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).transactions.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zkos node: a busy port, a host that does not resolve and a --state file past the set-state budget end with one line and exit 1 (before: an uncaught exception\'s stack)', async () => {
  const { createServer } = await import('node:net');
  const busy = createServer();
  await new Promise((r) => busy.listen(0, '127.0.0.1', r));
  try {
    const taken = run('node', '--port', String(busy.address().port));
    assert.equal(taken.status, 1, taken.stderr);
    assert.match(taken.stderr, /^zkos node: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE: .*\)\n$/);
  } finally {
    busy.close();
  }
  const nowhere = run('node', '--host', 'no-such-host.invalid', '--port', '0');
  assert.equal(nowhere.status, 1, nowhere.stderr);
  assert.match(nowhere.stderr, /^zkos node: cannot listen on no-such-host\.invalid:0 \((ENOTFOUND|EAI_AGAIN): .*\)\n$/);
  const dir = mkdtempSync(join(tmpdir(), 'zkos-cli-state-'));
  try {
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ accounts: { ['0x' + '11'.repeat(20)]: { balance: '0x1', code: '0x' + '5b'.repeat(10_000) } } }));
    const over = run('node', '--port', '0', '--state', file, '--max-set-state-bytes', '5000');
    assert.equal(over.status, 1, over.stderr);
    assert.match(over.stderr, /^zkos node: --state: cannot load .*state\.json \(anvil_loadState: .*budget of 5000 .*\)\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Before: an option the engine refuses was 'zkos: INVALID_ARGUMENT: ...' with exit 1 (an error of
// the environment), where the options checked by the command are usage errors (exit 2); a
// duration past the bound said 'got number'.
test('zkos node: options the engine refuses are usage errors (exit 2, one line)', () => {
  for (const [args, message] of [
    [['--chain-id', '0xffffffffffffffffffff'], /^zkos node: options\.chainId: above 2\^64-1\n$/],
    [['--protocol-version', '3'], /^zkos node: options\.protocolVersion: expected 1 or 2, got number\n$/],
    [['--hardfork', 'london'], /^zkos node: options\.hardfork: expected one of cancun, prague, osaka, got "london"\n$/],
    [['--flow', 'optimism'], /^zkos node: options\.flow: expected "zk" or "ethereum", got "optimism"\n$/],
  ]) {
    const r = run('node', '--port', '0', ...args);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
  }
  const long = run('node', '--port', '0', '--evm-timeout', '9999999999h');
  assert.equal(long.status, 2, long.stderr);
  assert.match(long.stderr, /^zkos node: --evm-timeout: expected milliseconds from 0 \(no bound\) to 2147483647, got 35999999996400000\n/);
});

// Before: a file saved with a UTF-8 byte order mark (as editors on Windows save it) was refused,
// "Unexpected token '﻿' ... is not valid JSON".
test('zkos call: a UTF-8 byte order mark before the JSON is read past', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-bom-'));
  try {
    const file = join(dir, 'tx.json');
    writeFileSync(file, '\uFEFF' + JSON.stringify({ tx: { to: '0x' + '11'.repeat(20) } }));
    const r = run('call', file);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, 'success');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
