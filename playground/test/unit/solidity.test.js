import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import compiled from '../../src/examples/compiled.json' with { type: 'json' };
import { decodeSourceMap, lineStarts, lineOf, pcTable, JUMP } from '../../src/solidity/sourcemap.js';
import { encodeArguments, decodeOutputs, AbiError } from '../../src/solidity/abi.js';
import { lineStep, stepLines, isFunctionHeader } from '../../src/solidity/lines.js';
import { lineHeat } from '../../src/solidity/heatmap.js';
import { TraceStore, COLUMNS, NO_OPCODE, PHASES } from '../../src/trace-store.js';
import { disassemble, hexToBytes } from '../../src/evm/asm.js';

const require = createRequire(import.meta.url);

test('source maps decode with solc\'s compression', () => {
  // Empty fields repeat the previous entry; a missing entry repeats all of it.
  assert.deepEqual(decodeSourceMap('1:2:0:-;:3;;4::1:i;:::o'), [
    { start: 1, length: 2, file: 0, jump: JUMP.none },
    { start: 1, length: 3, file: 0, jump: JUMP.none },
    { start: 1, length: 3, file: 0, jump: JUMP.none },
    { start: 4, length: 3, file: 1, jump: JUMP.into },
    { start: 4, length: 3, file: 1, jump: JUMP.out },
  ]);
  // Offsets are UTF-8 bytes: "é" is two.
  const starts = lineStarts('aé\nb\n\nc');
  assert.deepEqual(starts, [0, 4, 6, 7]);
  assert.deepEqual([0, 3, 4, 5, 6, 7].map((o) => lineOf(starts, o)), [0, 0, 1, 1, 2, 3]);
});

test('solc\'s own source map puts Token.transfer\'s storage writes and event on their lines', () => {
  // Compiled here by the npm solc with the settings the page uses; the truth is solc's map.
  const solc = require('solc');
  const source = compiled.sources['Token.sol'];
  const out = JSON.parse(solc.compile(JSON.stringify({
    language: 'Solidity', sources: { 'Contract.sol': { content: source } },
    settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['evm.deployedBytecode'] } } },
  })));
  const c = out.contracts['Contract.sol'].Token.evm.deployedBytecode;
  const code = '0x' + c.object;
  const { line } = pcTable(code, c.sourceMap, source, out.sources['Contract.sol'].id);
  const text = source.split('\n');
  const lineOfOp = (name) => disassemble(hexToBytes(code)).filter((i) => i.name === name).map((i) => text[line[i.pc]]?.trim());
  assert.deepEqual(lineOfOp('SSTORE'), ['balanceOf[msg.sender] = balance - amount;', 'balanceOf[to] += amount;']);
  assert.deepEqual(lineOfOp('LOG3'), ['emit Transfer(msg.sender, to, amount);']);
  assert.ok(lineOfOp('SLOAD').every((l) => /balance/.test(l)), lineOfOp('SLOAD').join(' | '));
});

test('ABI encoding follows the spec\'s example and the ERC-20 call', () => {
  // The Solidity ABI spec's example: f(uint256,uint32[],bytes10,bytes) with
  // (0x123, [0x456, 0x789], "1234567890", "Hello, world!").
  const inputs = ['uint256', 'uint32[]', 'bytes10', 'bytes'].map((type) => ({ type, name: '' }));
  const hex = encodeArguments(inputs, ['0x123', '["0x456", "0x789"]', '0x31323334353637383930', '0x48656c6c6f2c20776f726c6421']);
  assert.equal(hex, [
    '0000000000000000000000000000000000000000000000000000000000000123',
    '0000000000000000000000000000000000000000000000000000000000000080',
    '3132333435363738393000000000000000000000000000000000000000000000',
    '00000000000000000000000000000000000000000000000000000000000000e0',
    '0000000000000000000000000000000000000000000000000000000000000002',
    '0000000000000000000000000000000000000000000000000000000000000456',
    '0000000000000000000000000000000000000000000000000000000000000789',
    '000000000000000000000000000000000000000000000000000000000000000d',
    '48656c6c6f2c20776f726c642100000000000000000000000000000000000000',
  ].join(''));
  // transfer(recipient, 100e18): 100e18 = 0x56bc75e2d63100000.
  const transfer = encodeArguments([{ type: 'address', name: 'to' }, { type: 'uint256', name: 'amount' }], ['0x2000000000000000000000000000000000000002', '100e18']);
  assert.equal(transfer, '2000000000000000000000000000000000000002'.padStart(64, '0') + '56bc75e2d63100000'.padStart(64, '0'));
  // int8 −1 is 32 bytes of 0xff; a string is its length and its UTF-8 bytes.
  assert.equal(encodeArguments([{ type: 'int8' }], ['-1']), 'f'.repeat(64));
  assert.equal(encodeArguments([{ type: 'string' }], ['hi']), '20'.padStart(64, '0') + '2'.padStart(64, '0') + '6869'.padEnd(64, '0'));
  for (const [type, value, why] of [['uint8', '256', /does not fit/], ['address', '0x12', /20-byte/], ['bool', 'yes', /true or false/], ['uint256[2]', '[1]', /needs 2/], ['uint256', '1.5', /whole/]]) {
    assert.throws(() => encodeArguments([{ type, name: 'x' }], [value]), (e) => e instanceof AbiError && why.test(e.message) && e.index === 0, `${type} ${value}`);
  }
  assert.throws(() => encodeArguments([{ type: 'tuple', name: 's' }], ['']), /tuple/);
  assert.deepEqual(decodeOutputs([{ type: 'bool' }], '0x' + '1'.padStart(64, '0')), ['true']);
  assert.deepEqual(decodeOutputs([{ type: 'string' }, { type: 'int8' }], '0x' + '40'.padStart(64, '0') + 'f'.repeat(64) + '2'.padStart(64, '0') + '6869'.padEnd(64, '0')), ['"hi"', '-1']);
  assert.equal(decodeOutputs([{ type: 'uint256' }], '0x12'), null);
});

/** A store of one chunk from per-step rows `[op, depth, pc, phase, ergsCost, nativeCost]`. */
function storeOf(rows) {
  const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, T]) => [k, new T(rows.length)]));
  rows.forEach(([op, depth, pc, phase, ergs, native], i) => {
    cols.op[i] = op; cols.depth[i] = depth; cols.pc[i] = pc; cols.phase[i] = phase;
    cols.ergsCost[i] = ergs; cols.nativeCost[i] = native; cols.code[i] = op === NO_OPCODE ? 0xffff : 0;
  });
  const s = new TraceStore();
  s.append({ start: 0, count: rows.length, cols });
  return s;
}

const [VALIDATION, FEE, EXECUTION, PUBDATA, REFUND] = ['validation', 'fee charge', 'execution', 'pubdata', 'refund'].map((p) => PHASES.indexOf(p));

test('source-level steps: into, over an internal call, out of it, and the end of execution', () => {
  // pc → line and jump kind: pc 0-1 line 5, pc 2 line 6 jumping into a function at pc 10
  // (lines 10-11, pc 12 jumps out), back at pc 3 (line 6) and pc 4 (line 7); pc 20 has no line.
  const line = new Int32Array(32).fill(-1), jump = new Uint8Array(32);
  Object.assign(line, { 0: 5, 1: 5, 2: 6, 3: 6, 4: 7, 10: 10, 11: 11, 12: 11 });
  jump[2] = JUMP.into; jump[12] = JUMP.out;
  const E = EXECUTION;
  const store = storeOf([
    [NO_OPCODE, 0, 0, VALIDATION, 0, 10], [NO_OPCODE, 0, 0, FEE, 256, 0],
    [0x60, 0, 0, E, 256, 1], [0x60, 0, 1, E, 256, 1], [0x56, 0, 2, E, 256, 1], [0x5b, 0, 20, E, 256, 1],
    [0x60, 0, 10, E, 256, 1], [0x60, 0, 11, E, 256, 1], [0x56, 0, 12, E, 256, 1], [0x5b, 0, 3, E, 256, 1], [0x00, 0, 4, E, 0, 1],
    [NO_OPCODE, 0, 0, PUBDATA, 0, 5], [NO_OPCODE, 0, 0, REFUND, 512, 0],
  ]);
  const lines = stepLines(store, [{ line, jump }]);
  assert.deepEqual([...lines.line], [-1, -1, 5, 5, 6, -1, 10, 11, 11, 6, 7, -1, -1]);
  const view = { length: store.length, line: lines.line, jump: lines.jump, depth: (i) => store.get('depth', i), op: (i) => store.get('op', i) };
  const at = (p, mode) => lineStep(view, p, mode);
  // From the bootloader, every mode goes to the first line.
  assert.deepEqual(['into', 'over', 'out'].map((m) => at(0, m)), [2, 2, 2]);
  assert.equal(at(2, 'into'), 4); // line 5 → line 6
  assert.equal(at(4, 'into'), 6); // line 6 → into the function, line 10
  assert.equal(at(4, 'over'), 10); // line 6 → over the call (back on line 6 is the same line) to line 7
  assert.equal(at(6, 'over'), 7); // line 10 → line 11, inside the function
  assert.equal(at(6, 'out'), 9); // out of the function, to the caller's line
  assert.equal(at(9, 'over'), 10); // line 6 → line 7
  assert.equal(at(10, 'into'), 11); // execution ends: the pubdata step
  assert.equal(at(2, 'out'), 11); // out of the top-level function: the end of execution
  assert.equal(at(12, 'into'), 13);
  // On a function's header line, "over" goes into the body (the dispatcher's jump is its entry).
  assert.equal(lineStep({ ...view, isHeader: (l) => l === 6 }, 4, 'over'), 6);
  assert.ok(isFunctionHeader('    function transfer(address to) external {') && isFunctionHeader('constructor() {'));
  assert.ok(!isFunctionHeader('        balanceOf[to] += amount; // function'));
  // The heatmap adds every step to a line, code without one, or a phase; the total is everything.
  const heat = lineHeat(store, lines);
  assert.deepEqual(Object.fromEntries([...heat.lines].map(([l, c]) => [l, [c.ergs, c.native, c.steps]])), { 5: [512, 2, 2], 6: [512, 2, 2], 7: [0, 1, 1], 10: [256, 1, 1], 11: [512, 2, 2] });
  assert.deepEqual([heat.generated.ergs, heat.generated.steps, heat.other.steps], [256, 1, 0]);
  assert.deepEqual(Object.fromEntries([...heat.phases].map(([p, c]) => [PHASES[p], c.ergs])), { validation: 0, 'fee charge': 256, pubdata: 0, refund: 512 });
  assert.deepEqual([heat.total.ergs, heat.total.native], [256 * 11, 10 + 9 + 5]);
});
