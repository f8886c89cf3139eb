import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { assemble, disassemble, disassembleText, hexToBytes, bytesToHex, looksLikeHex, AsmError } from '../../src/evm/asm.js';
import { MNEMONIC, OPCODE } from '../../src/evm/opcodes.js';

test('assembles the Solidity prologue to its well-known bytes', () => {
  // Every solc output starts with 6080604052: PUSH1 0x80 PUSH1 0x40 MSTORE.
  assert.equal(bytesToHex(assemble('PUSH1 0x80\nPUSH1 0x40\nMSTORE')), '0x6080604052');
});

test('PUSH picks the smallest size, PUSH0 for zero, decimal allowed', () => {
  assert.equal(bytesToHex(assemble('PUSH 0 PUSH 255 PUSH 256 PUSH 0x010000')), '0x5f60ff6101006201' + '0000');
  const max = '0x' + 'ff'.repeat(32);
  assert.equal(bytesToHex(assemble(`PUSH ${max}`)), '0x7f' + 'ff'.repeat(32));
  assert.throws(() => assemble(`PUSH 0x01${'00'.repeat(32)}`), AsmError);
});

test('labels resolve forward and backward to PUSH2 offsets', () => {
  // top: at 0; JUMPDEST(0) PUSH2 @end (1..3) JUMP (4) end: at 5 JUMPDEST PUSH2 @top (6..8) JUMP (9)
  const code = assemble('top: JUMPDEST PUSH @end JUMP end: JUMPDEST PUSH @top JUMP');
  assert.equal(bytesToHex(code), '0x5b610005565b61000056');
  assert.equal(bytesToHex(assemble('x: PUSH1 @x')), '0x6000');
});

test('errors name the line', () => {
  assert.throws(() => assemble('ADD\nFOO'), (e) => e instanceof AsmError && e.line === 2);
  assert.throws(() => assemble('PUSH1 0x100'), /does not fit/);
  assert.throws(() => assemble('PUSH1'), /needs an argument/);
  assert.throws(() => assemble('PUSH @nowhere'), /unknown label/);
  assert.throws(() => assemble('a: a:'), /defined twice/);
  assert.throws(() => hexToBytes('0x123'), /odd/);
  assert.throws(() => hexToBytes('0xzz'), /not a hex/);
});

test('every opcode byte has a name or none, and names map back', () => {
  let named = 0;
  for (let b = 0; b < 256; b++) if (MNEMONIC[b]) { named++; assert.equal(OPCODE.get(MNEMONIC[b]), b); }
  // 0x00-0x0b 12, 0x10-0x1d 14, KECCAK256 1, 0x30-0x3f 16, 0x40-0x4a 11, 0x50-0x5f 16,
  // PUSH1-32 32, DUP/SWAP 32, LOG0-4 5, CREATE..CREATE2 6, STATICCALL/REVERT/INVALID/SELFDESTRUCT 4
  // = 149 Cancun names, plus CLZ (Osaka) = 150.
  assert.equal(named, 150);
});

test('disassembly marks junk bytes and truncated PUSH as DATA', () => {
  const items = disassemble(hexToBytes('0x600c0c61ff'));
  assert.deepEqual(items.map((i) => [i.pc, i.name, i.immediate]), [
    [0, 'PUSH1', '0x0c'], [2, 'DATA', '0x0c'], [3, 'DATA', '0x61ff'],
  ]);
});

test('disassemble then assemble round-trips the shared benchmark workloads and all bytes', () => {
  const dir = new URL('../../../../shared/bench/workloads/', import.meta.url);
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.hex')); } catch { /* not on this machine */ }
  const all = new Uint8Array(256 * 33);
  for (let b = 0; b < 256; b++) all[b * 33] = b;
  const codes = [all, ...files.map((f) => hexToBytes(readFileSync(new URL(f, dir), 'utf8').replace(/;.*$/gm, '')))];
  for (const code of codes) assert.equal(bytesToHex(assemble(disassembleText(code))), bytesToHex(code));
});

test('hex detection', () => {
  assert.ok(looksLikeHex('0x6001 6002'));
  assert.ok(!looksLikeHex('PUSH1 1'));
  assert.ok(!looksLikeHex('  '));
});
