// Opcode cards: what an opcode does to the stack, its gas rule and its native cost under a
// protocol version, written from the generated facts (src/evm/opcodes.js, from core's tables)
// so no figure is copied by hand.

import { GAS_RULES as G, NATIVE_RULES, OPCODE_FACTS, OPCODE_NATIVE, MNEMONIC, opName } from '../evm/opcodes.js';

const fmt = (n) => Number(n).toLocaleString('en-US');

/** Names of the stack inputs (top first) and outputs of the opcodes where they help. */
const STACK_NAMES = {
  KECCAK256: [['offset', 'size'], ['hash']], SLOAD: [['key'], ['value']], SSTORE: [['key', 'value'], []],
  MLOAD: [['offset'], ['value']], MSTORE: [['offset', 'value'], []], MSTORE8: [['offset', 'byte'], []],
  TLOAD: [['key'], ['value']], TSTORE: [['key', 'value'], []], JUMP: [['destination'], []], JUMPI: [['destination', 'condition'], []],
  CALLDATALOAD: [['offset'], ['word']], CALLDATACOPY: [['destOffset', 'offset', 'size'], []], CODECOPY: [['destOffset', 'offset', 'size'], []],
  RETURNDATACOPY: [['destOffset', 'offset', 'size'], []], MCOPY: [['destOffset', 'offset', 'size'], []],
  EXTCODECOPY: [['address', 'destOffset', 'offset', 'size'], []], BALANCE: [['address'], ['balance']],
  EXTCODESIZE: [['address'], ['size']], EXTCODEHASH: [['address'], ['hash']], EXP: [['base', 'exponent'], ['result']],
  RETURN: [['offset', 'size'], []], REVERT: [['offset', 'size'], []],
  CALL: [['gas', 'address', 'value', 'argsOffset', 'argsSize', 'retOffset', 'retSize'], ['success']],
  CALLCODE: [['gas', 'address', 'value', 'argsOffset', 'argsSize', 'retOffset', 'retSize'], ['success']],
  DELEGATECALL: [['gas', 'address', 'argsOffset', 'argsSize', 'retOffset', 'retSize'], ['success']],
  STATICCALL: [['gas', 'address', 'argsOffset', 'argsSize', 'retOffset', 'retSize'], ['success']],
  CREATE: [['value', 'offset', 'size'], ['address']], CREATE2: [['value', 'offset', 'size', 'salt'], ['address']],
  SELFDESTRUCT: [['beneficiary'], []], ADD: [['a', 'b'], ['a + b']], SUB: [['a', 'b'], ['a − b']], MUL: [['a', 'b'], ['a × b']],
  DIV: [['a', 'b'], ['a ÷ b']], LT: [['a', 'b'], ['a < b']], GT: [['a', 'b'], ['a > b']], EQ: [['a', 'b'], ['a = b']],
  ISZERO: [['a'], ['a = 0']], AND: [['a', 'b'], ['a & b']], OR: [['a', 'b'], ['a | b']], SHL: [['shift', 'value'], ['value << shift']],
  SHR: [['shift', 'value'], ['value >> shift']], POP: [['a'], []],
};

const memory = (n) => `memory growth: ${fmt(n.memoryExpansionBase)} + ${fmt(n.memoryExpansionByte)} per new byte`;
const memoryGas = () => `memory growth (${G.memoryWord} per word + words² ÷ ${G.memoryQuadraticDivisor})`;
const copyNative = (n) => `${fmt(n.copyBase)} + ${fmt(n.copyByte)} per byte copied`;

/** The dynamic parts of an opcode's gas and native, by mnemonic (`n`: the version's native figures). */
const DYNAMIC = {
  KECCAK256: (n) => [`+ ${G.keccakWord} per word hashed + ${memoryGas()}`, `+ ${fmt(n.keccakBase)} + ${fmt(n.keccakRound)} per 136-byte keccak round, + ${memory(n)}`],
  SLOAD: (n) => [`${G.warmAccess} if the slot is warm, ${fmt(G.coldSload)} the first time (cold, EIP-2929)`, `+ ${fmt(n.warmStorageRead)} per read; the first read of a slot walks the state tree: + ${fmt(n.coldReadExisting)} (slot exists) or ${fmt(n.coldReadNew)} (new slot)`],
  SSTORE: (n) => [`${fmt(G.sstoreSet)} to set a zero slot, ${fmt(G.sstoreReset)} to change a set one, ${G.warmAccess} when nothing changes; + ${fmt(G.coldSload)} when the slot is cold; clearing refunds ${fmt(G.sstoreClearsRefund)}`, `+ ${fmt(n.warmStorageRead)} + ${fmt(n.warmStorageWriteExtra)} per write; the first write of a slot also pays its tree update: + ${fmt(n.coldWriteExistingExtra)} (slot exists) or ${fmt(n.coldWriteNewExtra)} (new slot), besides the first read`],
  TLOAD: (n) => ['', `+ ${fmt(n.transientAccess)}`],
  TSTORE: (n) => ['', `+ ${fmt(n.transientAccess)}`],
  MLOAD: (n) => [`+ ${memoryGas()}`, `+ ${memory(n)}`],
  MSTORE: (n) => [`+ ${memoryGas()}`, `+ ${memory(n)}`],
  MSTORE8: (n) => [`+ ${memoryGas()}`, `+ ${memory(n)}`],
  CALLDATACOPY: (n) => [`+ ${G.copyWord} per word + ${memoryGas()}`, `+ ${copyNative(n)}, + ${memory(n)}`],
  CODECOPY: (n) => [`+ ${G.copyWord} per word + ${memoryGas()}`, `+ ${copyNative(n)}, + ${memory(n)}`],
  RETURNDATACOPY: (n) => [`+ ${G.copyWord} per word + ${memoryGas()}`, `+ ${copyNative(n)}, + ${memory(n)}`],
  MCOPY: (n) => [`+ ${G.copyWord} per word + ${memoryGas()}`, `+ ${copyNative(n)}, + ${memory(n)}`],
  EXTCODECOPY: (n) => [`${G.warmAccess} warm / ${fmt(G.coldAccountAccess)} cold account, + ${G.copyWord} per word + ${memoryGas()}`, `+ ${fmt(n.accountAccess)} account access + ${copyNative(n)}`],
  BALANCE: (n) => [`${G.warmAccess} warm / ${fmt(G.coldAccountAccess)} cold account (EIP-2929)`, `+ ${fmt(n.accountAccess)} account access; a first read walks the state tree`],
  EXTCODESIZE: (n) => [`${G.warmAccess} warm / ${fmt(G.coldAccountAccess)} cold account (EIP-2929)`, `+ ${fmt(n.accountAccess)} account access; a first read walks the state tree`],
  EXTCODEHASH: (n) => [`${G.warmAccess} warm / ${fmt(G.coldAccountAccess)} cold account (EIP-2929)`, `+ ${fmt(n.accountAccess)} account access; a first read walks the state tree`],
  EXP: (n) => [`+ ${G.expByte} per byte of the exponent`, `+ ${fmt(n.expByte)} per byte of the exponent`],
  RETURN: (n) => [`+ ${memoryGas()}`, `+ ${memory(n)}`],
  REVERT: (n) => [`+ ${memoryGas()}`, `+ ${memory(n)}`],
  CALL: (n) => [`${G.warmAccess} warm / ${fmt(G.coldAccountAccess)} cold callee, + ${fmt(G.callValue)} with value (+ ${fmt(G.newAccount)} to a new account, ${fmt(G.callStipend)} given free to the callee), + ${memoryGas()}; the callee gets at most 63/64 of the gas left`, `+ ${fmt(n.accountAccess)} account access; the callee gets all native left (no 63/64 rule)`],
  CREATE: (n) => [`+ ${G.initcodeWord} per init-code word + ${memoryGas()}, + ${G.codeDepositByte} per deployed byte`, `+ account creation, + ${fmt(n.bytecodeAnalysisByte)} per deployed byte for jump analysis`],
  CREATE2: (n) => [`+ ${G.initcodeWord} + ${G.keccakWord} per init-code word (it is hashed) + ${memoryGas()}, + ${G.codeDepositByte} per deployed byte`, `+ keccak of the init code, + ${fmt(n.bytecodeAnalysisByte)} per deployed byte for jump analysis`],
  SELFDESTRUCT: (n) => [`+ ${fmt(G.coldAccountAccess)} for a cold beneficiary, + ${fmt(G.newAccount)} when it is new and value moves`, `+ ${fmt(n.accountAccess)} account access`],
};
DYNAMIC.CALLCODE = DYNAMIC.CALL;
DYNAMIC.DELEGATECALL = DYNAMIC.CALL;
DYNAMIC.STATICCALL = DYNAMIC.CALL;
for (let t = 0; t <= 4; t++) {
  DYNAMIC[`LOG${t}`] = (n) => [`+ ${G.logDataByte} per data byte + ${memoryGas()}`, `+ ${fmt(n.eventBase)} + ${fmt(n.eventTopic)} per topic + ${fmt(n.eventByte)} per data byte`];
}

/**
 * The card of opcode `byte` under protocol `version` (e.g. 'v1') and `hardfork`: `{name,
 * stack, gas, native, note}` as sentences, or null for a byte that is no opcode.
 */
export function opcodeCard(byte, version, hardfork) {
  const facts = OPCODE_FACTS[byte];
  if (!facts) return null;
  const [pops, pushes, staticGas, since] = facts;
  const name = MNEMONIC[byte];
  const names = STACK_NAMES[name];
  const stack = names
    ? `pops ${names[0].length ? names[0].join(', ') : 'nothing'}; pushes ${names[1].length ? names[1].join(', ') : 'nothing'}`
    : `pops ${pops}, pushes ${pushes}`;
  const table = OPCODE_NATIVE[version], rules = NATIVE_RULES[version];
  const [gasMore, nativeMore] = table ? DYNAMIC[name]?.(rules) ?? ['', ''] : ['', ''];
  const gas = `${fmt(staticGas)} gas${gasMore ? ` ${gasMore.startsWith('+') ? gasMore : `(static); ${gasMore}`}` : ''}`;
  const native = table
    ? `${fmt(table[byte])} native (the dispatch step included)${nativeMore ? ` ${nativeMore}` : ''}`
    : `no native table for protocol ${version} in this build`;
  const order = ['cancun', 'prague', 'osaka'];
  const note = order.indexOf(hardfork) < order.indexOf(since) ? `${opName(byte)} arrives with ${since}: under ${hardfork} it halts as an undefined opcode.` : '';
  return { name, stack, gas, native, note };
}
