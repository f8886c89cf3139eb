// Generated from zkos-core's opcode table (core/src/bytecode/opcode.rs), gas schedule
// (core/src/resources/gas.rs) and native tables (core/src/resources/native.rs) by
// `cargo run -p zkos-tests --bin playground-opcodes`; do not edit by hand (a test fails
// when this file is stale). The figures here only explain opcodes: what a step cost is
// decided by the engine and reported per step.

/** Mnemonic of every byte under the newest hardfork; bytes that are not opcodes have `null`. */
export const MNEMONIC = Object.freeze([
  /* 0x00 */ 'STOP', 'ADD', 'MUL', 'SUB', 'DIV', 'SDIV', 'MOD', 'SMOD',
  /* 0x08 */ 'ADDMOD', 'MULMOD', 'EXP', 'SIGNEXTEND', null, null, null, null,
  /* 0x10 */ 'LT', 'GT', 'SLT', 'SGT', 'EQ', 'ISZERO', 'AND', 'OR',
  /* 0x18 */ 'XOR', 'NOT', 'BYTE', 'SHL', 'SHR', 'SAR', 'CLZ', null,
  /* 0x20 */ 'KECCAK256', null, null, null, null, null, null, null,
  /* 0x28 */ null, null, null, null, null, null, null, null,
  /* 0x30 */ 'ADDRESS', 'BALANCE', 'ORIGIN', 'CALLER', 'CALLVALUE', 'CALLDATALOAD', 'CALLDATASIZE', 'CALLDATACOPY',
  /* 0x38 */ 'CODESIZE', 'CODECOPY', 'GASPRICE', 'EXTCODESIZE', 'EXTCODECOPY', 'RETURNDATASIZE', 'RETURNDATACOPY', 'EXTCODEHASH',
  /* 0x40 */ 'BLOCKHASH', 'COINBASE', 'TIMESTAMP', 'NUMBER', 'PREVRANDAO', 'GASLIMIT', 'CHAINID', 'SELFBALANCE',
  /* 0x48 */ 'BASEFEE', 'BLOBHASH', 'BLOBBASEFEE', null, null, null, null, null,
  /* 0x50 */ 'POP', 'MLOAD', 'MSTORE', 'MSTORE8', 'SLOAD', 'SSTORE', 'JUMP', 'JUMPI',
  /* 0x58 */ 'PC', 'MSIZE', 'GAS', 'JUMPDEST', 'TLOAD', 'TSTORE', 'MCOPY', 'PUSH0',
  /* 0x60 */ 'PUSH1', 'PUSH2', 'PUSH3', 'PUSH4', 'PUSH5', 'PUSH6', 'PUSH7', 'PUSH8',
  /* 0x68 */ 'PUSH9', 'PUSH10', 'PUSH11', 'PUSH12', 'PUSH13', 'PUSH14', 'PUSH15', 'PUSH16',
  /* 0x70 */ 'PUSH17', 'PUSH18', 'PUSH19', 'PUSH20', 'PUSH21', 'PUSH22', 'PUSH23', 'PUSH24',
  /* 0x78 */ 'PUSH25', 'PUSH26', 'PUSH27', 'PUSH28', 'PUSH29', 'PUSH30', 'PUSH31', 'PUSH32',
  /* 0x80 */ 'DUP1', 'DUP2', 'DUP3', 'DUP4', 'DUP5', 'DUP6', 'DUP7', 'DUP8',
  /* 0x88 */ 'DUP9', 'DUP10', 'DUP11', 'DUP12', 'DUP13', 'DUP14', 'DUP15', 'DUP16',
  /* 0x90 */ 'SWAP1', 'SWAP2', 'SWAP3', 'SWAP4', 'SWAP5', 'SWAP6', 'SWAP7', 'SWAP8',
  /* 0x98 */ 'SWAP9', 'SWAP10', 'SWAP11', 'SWAP12', 'SWAP13', 'SWAP14', 'SWAP15', 'SWAP16',
  /* 0xa0 */ 'LOG0', 'LOG1', 'LOG2', 'LOG3', 'LOG4', null, null, null,
  /* 0xa8 */ null, null, null, null, null, null, null, null,
  /* 0xb0 */ null, null, null, null, null, null, null, null,
  /* 0xb8 */ null, null, null, null, null, null, null, null,
  /* 0xc0 */ null, null, null, null, null, null, null, null,
  /* 0xc8 */ null, null, null, null, null, null, null, null,
  /* 0xd0 */ null, null, null, null, null, null, null, null,
  /* 0xd8 */ null, null, null, null, null, null, null, null,
  /* 0xe0 */ null, null, null, null, null, null, null, null,
  /* 0xe8 */ null, null, null, null, null, null, null, null,
  /* 0xf0 */ 'CREATE', 'CALL', 'CALLCODE', 'RETURN', 'DELEGATECALL', 'CREATE2', null, null,
  /* 0xf8 */ null, null, 'STATICCALL', null, null, 'REVERT', 'INVALID', 'SELFDESTRUCT',
]);

/** Immediate size in bytes after each opcode byte (PUSH1..PUSH32 only). */
export const IMMEDIATE_BYTES = Uint8Array.from([
  /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x08 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x18 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x20 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x28 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x30 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x38 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x40 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x48 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x50 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x58 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x60 */ 1, 2, 3, 4, 5, 6, 7, 8,
  /* 0x68 */ 9, 10, 11, 12, 13, 14, 15, 16,
  /* 0x70 */ 17, 18, 19, 20, 21, 22, 23, 24,
  /* 0x78 */ 25, 26, 27, 28, 29, 30, 31, 32,
  /* 0x80 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x88 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x90 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x98 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xa0 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xa8 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xb0 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xb8 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xc0 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xc8 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xd0 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xd8 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xe0 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xe8 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xf0 */ 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xf8 */ 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** Mnemonic → opcode byte (upper case), with the common aliases SHA3 and DIFFICULTY. */
export const OPCODE = new Map();
MNEMONIC.forEach((name, byte) => { if (name) OPCODE.set(name, byte); });
OPCODE.set('SHA3', 0x20);
OPCODE.set('DIFFICULTY', 0x44);

/** Display name of an opcode byte, also for bytes that are not opcodes. */
export function opName(byte) {
  return MNEMONIC[byte] ?? `0x${byte.toString(16).padStart(2, '0')}`;
}

/** Per byte: [words popped, words pushed, static gas, first hardfork], or null. */
export const OPCODE_FACTS = Object.freeze([
  /* 0x00 */ [0, 0, 0, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 5, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 5, 'cancun'], [2, 1, 5, 'cancun'], [2, 1, 5, 'cancun'], [2, 1, 5, 'cancun'],
  /* 0x08 */ [3, 1, 8, 'cancun'], [3, 1, 8, 'cancun'], [2, 1, 10, 'cancun'], [2, 1, 5, 'cancun'], null, null, null, null,
  /* 0x10 */ [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [1, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'],
  /* 0x18 */ [2, 1, 3, 'cancun'], [1, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [2, 1, 3, 'cancun'], [1, 1, 5, 'osaka'], null,
  /* 0x20 */ [2, 1, 30, 'cancun'], null, null, null, null, null, null, null,
  /* 0x28 */ null, null, null, null, null, null, null, null,
  /* 0x30 */ [0, 1, 2, 'cancun'], [1, 1, 0, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [1, 1, 3, 'cancun'], [0, 1, 2, 'cancun'], [3, 0, 3, 'cancun'],
  /* 0x38 */ [0, 1, 2, 'cancun'], [3, 0, 3, 'cancun'], [0, 1, 2, 'cancun'], [1, 1, 0, 'cancun'], [4, 0, 0, 'cancun'], [0, 1, 2, 'cancun'], [3, 0, 3, 'cancun'], [1, 1, 0, 'cancun'],
  /* 0x40 */ [1, 1, 20, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 5, 'cancun'],
  /* 0x48 */ [0, 1, 2, 'cancun'], [1, 1, 3, 'cancun'], [0, 1, 2, 'cancun'], null, null, null, null, null,
  /* 0x50 */ [1, 0, 2, 'cancun'], [1, 1, 3, 'cancun'], [2, 0, 3, 'cancun'], [2, 0, 3, 'cancun'], [1, 1, 0, 'cancun'], [2, 0, 0, 'cancun'], [1, 0, 8, 'cancun'], [2, 0, 10, 'cancun'],
  /* 0x58 */ [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 1, 2, 'cancun'], [0, 0, 1, 'cancun'], [1, 1, 100, 'cancun'], [2, 0, 100, 'cancun'], [3, 0, 3, 'cancun'], [0, 1, 2, 'cancun'],
  /* 0x60 */ [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'],
  /* 0x68 */ [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'],
  /* 0x70 */ [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'],
  /* 0x78 */ [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'], [0, 1, 3, 'cancun'],
  /* 0x80 */ [1, 2, 3, 'cancun'], [2, 3, 3, 'cancun'], [3, 4, 3, 'cancun'], [4, 5, 3, 'cancun'], [5, 6, 3, 'cancun'], [6, 7, 3, 'cancun'], [7, 8, 3, 'cancun'], [8, 9, 3, 'cancun'],
  /* 0x88 */ [9, 10, 3, 'cancun'], [10, 11, 3, 'cancun'], [11, 12, 3, 'cancun'], [12, 13, 3, 'cancun'], [13, 14, 3, 'cancun'], [14, 15, 3, 'cancun'], [15, 16, 3, 'cancun'], [16, 17, 3, 'cancun'],
  /* 0x90 */ [2, 2, 3, 'cancun'], [3, 3, 3, 'cancun'], [4, 4, 3, 'cancun'], [5, 5, 3, 'cancun'], [6, 6, 3, 'cancun'], [7, 7, 3, 'cancun'], [8, 8, 3, 'cancun'], [9, 9, 3, 'cancun'],
  /* 0x98 */ [10, 10, 3, 'cancun'], [11, 11, 3, 'cancun'], [12, 12, 3, 'cancun'], [13, 13, 3, 'cancun'], [14, 14, 3, 'cancun'], [15, 15, 3, 'cancun'], [16, 16, 3, 'cancun'], [17, 17, 3, 'cancun'],
  /* 0xa0 */ [2, 0, 375, 'cancun'], [3, 0, 750, 'cancun'], [4, 0, 1125, 'cancun'], [5, 0, 1500, 'cancun'], [6, 0, 1875, 'cancun'], null, null, null,
  /* 0xa8 */ null, null, null, null, null, null, null, null,
  /* 0xb0 */ null, null, null, null, null, null, null, null,
  /* 0xb8 */ null, null, null, null, null, null, null, null,
  /* 0xc0 */ null, null, null, null, null, null, null, null,
  /* 0xc8 */ null, null, null, null, null, null, null, null,
  /* 0xd0 */ null, null, null, null, null, null, null, null,
  /* 0xd8 */ null, null, null, null, null, null, null, null,
  /* 0xe0 */ null, null, null, null, null, null, null, null,
  /* 0xe8 */ null, null, null, null, null, null, null, null,
  /* 0xf0 */ [3, 1, 32000, 'cancun'], [7, 1, 0, 'cancun'], [7, 1, 0, 'cancun'], [2, 0, 0, 'cancun'], [6, 1, 0, 'cancun'], [4, 1, 32000, 'cancun'], null, null,
  /* 0xf8 */ null, null, [6, 1, 0, 'cancun'], null, null, [2, 0, 0, 'cancun'], [0, 0, 0, 'cancun'], [1, 0, 5000, 'cancun'],
]);

/** Protocol versions with a native table, oldest first. */
export const NATIVE_VERSIONS = Object.freeze(['v1']);

/** Native of the dispatch step every opcode pays (included in OPCODE_NATIVE). */
export const STEP_NATIVE = 20;

/** Ergs per gas. */
export const ERGS_PER_GAS = 256;

/** Per protocol version: the native each byte is charged before it runs. */
export const OPCODE_NATIVE = Object.freeze({
  v1: Object.freeze([
    /* 0x00 */ 20, 60, 60, 60, 290, 600, 240, 600,
    /* 0x08 */ 800, 490, 720, 100, 20, 20, 20, 20,
    /* 0x10 */ 100, 100, 100, 100, 80, 70, 90, 90,
    /* 0x18 */ 90, 80, 90, 170, 170, 290, 150, 20,
    /* 0x20 */ 110, 20, 20, 20, 20, 20, 20, 20,
    /* 0x28 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0x30 */ 60, 80, 60, 60, 60, 320, 60, 120,
    /* 0x38 */ 60, 120, 60, 80, 120, 60, 120, 80,
    /* 0x40 */ 210, 60, 60, 60, 60, 60, 60, 670,
    /* 0x48 */ 60, 80, 60, 20, 20, 20, 20, 20,
    /* 0x50 */ 50, 270, 270, 100, 120, 120, 80, 110,
    /* 0x58 */ 60, 60, 60, 50, 120, 120, 120, 60,
    /* 0x60 */ 70, 80, 88, 96, 103, 111, 119, 126,
    /* 0x68 */ 134, 142, 149, 157, 165, 172, 180, 188,
    /* 0x70 */ 195, 203, 211, 218, 226, 234, 241, 249,
    /* 0x78 */ 257, 264, 272, 280, 287, 295, 303, 310,
    /* 0x80 */ 70, 70, 70, 70, 70, 70, 70, 70,
    /* 0x88 */ 70, 70, 70, 70, 70, 70, 70, 70,
    /* 0x90 */ 80, 80, 80, 80, 80, 80, 80, 80,
    /* 0x98 */ 80, 80, 80, 80, 80, 80, 80, 80,
    /* 0xa0 */ 70, 70, 70, 70, 70, 20, 20, 20,
    /* 0xa8 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xb0 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xb8 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xc0 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xc8 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xd0 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xd8 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xe0 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xe8 */ 20, 20, 20, 20, 20, 20, 20, 20,
    /* 0xf0 */ 25020, 1520, 1520, 90, 1520, 25020, 20, 20,
    /* 0xf8 */ 20, 20, 1520, 20, 20, 200, 20, 3100,
  ]),
});

/** Per protocol version: the figures of the dynamic native rules. */
export const NATIVE_RULES = Object.freeze({
  v1: Object.freeze({
    expByte: 5000,
    memoryExpansionBase: 35,
    memoryExpansionByte: 1,
    copyBase: 80,
    copyByte: 1,
    keccakBase: 2500,
    keccakRound: 17500,
    bytecodeAnalysisByte: 6,
    warmStorageRead: 4000,
    warmStorageWriteExtra: 1000,
    accountAccess: 4000,
    accountWriteExtra: 1000,
    transientAccess: 4000,
    preimageAccess: 500,
    eventBase: 6000,
    eventTopic: 200,
    eventByte: 2,
    coldReadExisting: 121120,
    coldReadNew: 242240,
    coldWriteExistingExtra: 121120,
    coldWriteNewExtra: 363360,
  }),
});

/** The figures of the dynamic gas rules (Ethereum's schedule). */
export const GAS_RULES = Object.freeze({
  expByte: 50,
  keccakWord: 6,
  copyWord: 3,
  warmAccess: 100,
  coldAccountAccess: 2600,
  coldSload: 2100,
  sstoreSet: 20000,
  sstoreReset: 2900,
  sstoreClearsRefund: 4800,
  sstoreStipend: 2300,
  logDataByte: 8,
  initcodeWord: 2,
  codeDepositByte: 200,
  callValue: 9000,
  newAccount: 25000,
  callStipend: 2300,
  memoryWord: 3,
  memoryQuadraticDivisor: 512,
  logTopic: 375,
});
