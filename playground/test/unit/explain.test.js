import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainEngineError, explainCompileErrors, explainInputError } from '../../src/errors.js';
import { InputError } from '../../src/input.js';
import { formatWord, shorten } from '../../src/values.js';
import { opcodeCard } from '../../src/explain/opcode-card.js';
import { OPCODE, OPCODE_NATIVE, NATIVE_RULES, GAS_RULES } from '../../src/evm/opcodes.js';

test('engine refusals become sentences naming the field to fix, never the Rust names', () => {
  const e = explainEngineError({ code: 'INVALID_TRANSACTION', reason: 'IntrinsicGasTooLow', message: 'invalid transaction: gas limit 21000 is below the intrinsic gas 21428' });
  assert.equal(e.field, 'gasLimit');
  assert.match(e.message, /gas limit \(21,000\) does not cover the transaction's intrinsic gas \(21,428/);
  assert.doesNotMatch(e.message, /IntrinsicGasTooLow|\{/);
  // In a block the field is the block's JSON, and the transaction is named.
  const b = explainEngineError({ reason: 'FeeCapBelowBaseFee', message: 'x' }, 2);
  assert.deepEqual([b.field, b.message.startsWith('Transaction 2: ')], ['block', true]);
  // An unknown rule falls back to the engine's own sentence.
  assert.match(explainEngineError({ reason: 'Novel', message: 'invalid transaction: something new' }).message, /refused the transaction: something new\./);
  const c = explainCompileErrors([{ severity: 'error', kind: 'ParserError', message: "Expected ';' but got '}'", line: 12, column: 5 }]);
  assert.deepEqual([c.field, c.line], ['source', 12]);
  assert.match(c.message, /Line 12, column 5: Expected ';' but got '}' \(syntax error\)\./);
  const i = explainInputError(new InputError('tx.gasLimit', '"abc" is not a number'));
  assert.deepEqual(i, { field: 'gasLimit', message: 'Gas limit: "abc" is not a number.' });
  assert.equal(explainInputError(new InputError('block[1].sender', 'bad')).message, 'Transaction 1 of the block: bad.');
});

test('words show compact, in full or in decimal', () => {
  assert.equal(formatWord('0x' + '0'.repeat(62) + '80'), '0x80');
  assert.equal(formatWord('0x0'), '0x0');
  assert.equal(formatWord('0x80', { full: true }), '0x' + '80'.padStart(64, '0'));
  assert.equal(formatWord('0x' + 'f'.repeat(64), { radix: 'dec' }), (2n ** 256n - 1n).toString());
  assert.equal(shorten('0123456789abcdef', 9), '0123…cdef');
  assert.equal(shorten('short', 9), 'short');
});

test('opcode cards state the generated figures', () => {
  const sstore = opcodeCard(OPCODE.get('SSTORE'), 'v1', 'cancun');
  assert.equal(sstore.stack, 'pops key, value; pushes nothing');
  assert.ok(sstore.native.startsWith(`${OPCODE_NATIVE.v1[0x55].toLocaleString('en-US')} native`));
  assert.ok(sstore.native.includes(NATIVE_RULES.v1.coldWriteNewExtra.toLocaleString('en-US')));
  assert.ok(sstore.gas.includes(GAS_RULES.sstoreSet.toLocaleString('en-US')));
  assert.match(opcodeCard(OPCODE.get('CLZ'), 'v1', 'cancun').note, /arrives with osaka/);
  assert.match(opcodeCard(OPCODE.get('ADD'), 'v99', 'cancun').native, /no native table for protocol v99/);
  assert.equal(opcodeCard(0x0c, 'v1', 'cancun'), null);
});
