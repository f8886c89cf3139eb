import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileInput, decodeHash, encodeHash, InputError, DEPLOYED, SETUP_GAS_LIMIT } from '../../src/input.js';
import { EXAMPLES, CONTRACT, SENDER, findExample } from '../../src/examples/index.js';
import { assemble, bytesToHex } from '../../src/evm/asm.js';

test('every bytecode example compiles to a request with one transaction', () => {
  for (const ex of EXAMPLES.filter((e) => e.input.mode !== 'solidity')) {
    const r = compileInput({ ...ex.input, config: { flow: 'zk' } });
    assert.equal(r.txs.length, 1, ex.id);
    assert.equal(r.txs[0].from, SENDER);
    assert.deepEqual(r.setup, []);
    if (ex.input.code) assert.ok(r.accounts.find((a) => a.address === CONTRACT).code.length > 4, ex.id);
  }
});

test('a Solidity input deploys in a setup transaction and calls the deployed contract', () => {
  const input = findExample('erc20').input;
  assert.throws(() => compileInput(input), (e) => e instanceof InputError && e.field === 'source');
  const r = compileInput(input, { deployData: '0x6080', callData: '0xa9059cbb' });
  assert.equal(r.setup.length, 1);
  assert.equal(r.setup[0].to, null);
  assert.equal(r.setup[0].data, '0x6080');
  assert.equal(r.setup[0].value, 0n);
  assert.equal(r.setup[0].gasLimit, SETUP_GAS_LIMIT);
  assert.deepEqual(r.txs.map((t) => [t.to, t.data, t.gasLimit]), [[DEPLOYED, '0xa9059cbb', 1_000_000n]]);
  // Without a call, the deployment itself is the stepped transaction.
  const d = compileInput(input, { deployData: '0x6080', callData: null });
  assert.deepEqual(d.setup, []);
  assert.deepEqual(d.txs.map((t) => [t.to, t.data]), [[null, '0x6080']]);
});

test('the ERC-20 bytecode example calls transfer(recipient, 100e18) and funds the sender at the mapping slot', () => {
  const r = compileInput(findExample('erc20-bytecode').input);
  // transfer(address,uint256) = 0xa9059cbb; 100e18 = 0x56bc75e2d63100000.
  assert.equal(r.txs[0].data, '0xa9059cbb' + '2000000000000000000000000000000000000002'.padStart(64, '0') + '56bc75e2d63100000'.padStart(64, '0'));
  const token = r.accounts.find((a) => a.address === CONTRACT);
  assert.deepEqual(Object.values(token.storage), [1000n * 10n ** 18n]);
});

test('assembly code is assembled into the account at "to"', () => {
  const r = compileInput({ ...findExample('storage-loop').input });
  const code = r.accounts.find((a) => a.address === CONTRACT).code;
  assert.equal(code, bytesToHex(assemble(findExample('storage-loop').input.code)));
  // PUSH0 CALLDATALOAD JUMPDEST DUP1 DUP1 SSTORE PUSH1 1 SWAP1 SUB DUP1 PUSH2 0x0002 JUMPI STOP
  assert.equal(code, '0x5f355b80805560019003806100025700');
});

test('each flow defaults to its network\'s hardfork unless one is chosen', () => {
  const base = findExample('erc20-bytecode').input;
  assert.equal(compileInput({ ...base, config: { flow: 'zk' } }).config.hardfork, 'cancun');
  assert.equal(compileInput({ ...base, config: { flow: 'ethereum' } }).config.hardfork, 'osaka');
  assert.equal(compileInput({ ...base, config: { flow: 'ethereum', hardfork: 'prague' } }).config.hardfork, 'prague');
});

test('errors name the field', () => {
  const base = findExample('erc20-bytecode').input;
  const field = (patch) => { try { compileInput({ ...base, ...patch }); } catch (e) { assert.ok(e instanceof InputError); return e.field; } return null; };
  assert.equal(field({ sender: '0x12' }), 'tx.sender');
  assert.equal(field({ code: 'PUSH1 0x100' }), 'code');
  assert.equal(field({ calldata: '0xabc' }), 'tx.calldata');
  assert.equal(field({ gasLimit: '-1' }), 'tx.gasLimit');
  assert.equal(field({ accounts: '{' }), 'accounts');
  assert.equal(field({ config: { flow: 'mars' } }), 'flow');
  assert.equal(field({ mode: 'block', block: '[]' }), 'block');
  assert.equal(field({}), null);
});

test('block mode takes a JSON array of transactions', () => {
  const block = JSON.stringify([{ sender: SENDER, to: CONTRACT, calldata: '0x', value: '1', gasLimit: '50000', gasPrice: '1' }, { sender: SENDER, to: null, calldata: '0x00', gasLimit: '90000', gasPrice: '1' }]);
  const r = compileInput({ ...findExample('transfer').input, mode: 'block', block });
  assert.equal(r.txs.length, 2);
  assert.equal(r.txs[1].to, null);
  assert.equal(r.txs[0].value, 1n);
});

test('the URL hash round-trips input and step, and rejects damage', () => {
  const input = { ...findExample('erc20').input, note: 'ünïcode ✓' };
  const hash = encodeHash(input, 42);
  assert.match(hash, /^#s=42&in=[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeHash(hash), { input, step: 42, breakpoints: [] });
  // Breakpoints travel as their texts.
  const withBreakpoints = encodeHash(input, 7, ['op:SSTORE', 'phase:fee charge', 'pc:0x1f']);
  assert.match(withBreakpoints, /^#s=7&bp=op%3ASSTORE,phase%3Afee%20charge,pc%3A0x1f&in=/);
  assert.deepEqual(decodeHash(withBreakpoints).breakpoints, ['op:SSTORE', 'phase:fee charge', 'pc:0x1f']);
  assert.match(decodeHash('#s=1&in=%%%').problem, /not base64url-encoded JSON/);
  assert.equal(decodeHash(''), null);
});

// Before: each of these was null (the first example opened without a word) or an input the page
// could not start with: null and a list stopped it with an uncaught TypeError, 100,000-deep
// lists past the stack, and 20,000 breakpoints froze the tab (each redrew the list and the link).
test('a damaged or hostile link is a problem to show, not an input', () => {
  const link = (json, extra = '') => `#s=0${extra}&in=${Buffer.from(json).toString('base64url')}`;
  for (const json of ['null', '5', '"text"', '[1,2]', 'true']) assert.match(decodeHash(link(json)).problem, /not an object of form fields/, json);
  assert.match(decodeHash(link('{"env":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}')).problem, /more than 32 deep/);
  // Brackets inside strings are text, not nesting.
  assert.equal(decodeHash(link(JSON.stringify({ code: '['.repeat(1000) }))).input.code, '['.repeat(1000));
  assert.match(decodeHash(link('{}', '&bp=' + Array(20_000).fill('op%3ASSTORE').join(','))).problem, /20000 breakpoints, more than 64/);
  assert.equal(decodeHash(link('{}', '&bp=' + Array(64).fill('op%3ASSTORE').join(','))).breakpoints.length, 64);
  assert.match(decodeHash(link('{}', '&bp=%E0%A4%A')).problem, /breakpoints are not URL-encoded/);
  assert.match(decodeHash('#in=' + 'A'.repeat(1001)).problem, /not base64url-encoded JSON/);
});

// Before: each threw a TypeError ("Cannot read properties of null", "Cannot convert object to
// primitive value") shown as is, and an account of 5 was read as an empty account.
test('a link\'s input of the wrong shape is an InputError naming the field', () => {
  const base = { mode: 'tx', sender: '0x' + '11'.repeat(20), to: '0x' + '22'.repeat(20), calldata: '0x', value: '0', gasLimit: '100000', gasPrice: '0', code: '', accounts: '{}', env: {} };
  const at = '0x' + '33'.repeat(20);
  const cases = [
    [{ accounts: JSON.stringify({ [at]: null }) }, 'accounts'],
    [{ accounts: JSON.stringify({ [at]: 5 }) }, 'accounts'],
    [{ accounts: JSON.stringify({ [at]: { storage: [1] } }) }, 'accounts'],
    [{ accounts: { [at]: {} } }, 'accounts'],
    [{ mode: 'block', block: '[null]' }, 'block[0]'],
    [{ mode: 'block', block: '[5]' }, 'block[0]'],
    [{ sender: { toString: 1 } }, 'tx.sender'],
    [{ value: [] }, 'tx.value'],
    [{ code: {} }, 'code'],
    [{ config: { flow: { toString: 1 } } }, 'flow'],
    [{ config: { hardfork: {} } }, 'hardfork'],
  ];
  for (const [change, field] of cases) {
    assert.throws(() => compileInput({ ...base, ...change }), (e) => e instanceof InputError && e.field === field, JSON.stringify(change));
  }
  assert.equal(compileInput({ ...base, accounts: JSON.stringify({ [at]: { balance: '5', storage: { 1: 2 } } }) }).accounts[0].balance, 5n);
});

// The digit count judged before parsing (a link's million digits were parsed first, 0.3 s):
// the bound stays 2^256 - 1 in both bases, leading zeros not counted.
test('a quantity is judged by its digits: 2^256 - 1 fits, 2^256 does not, in decimal and hex', () => {
  const base = findExample('erc20-bytecode').input;
  const max = (1n << 256n) - 1n;
  for (const value of [max.toString(), '0x' + 'f'.repeat(64), '000' + max.toString(), '0x000' + 'f'.repeat(64)]) assert.equal(compileInput({ ...base, value }).txs[0].value, max, value);
  for (const value of [(max + 1n).toString(), '0x1' + '0'.repeat(64), '9'.repeat(1_000_000)]) assert.throws(() => compileInput({ ...base, value }), (e) => e instanceof InputError && /does not fit in 256 bits/.test(e.message), value.slice(0, 80));
});
