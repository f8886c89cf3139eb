// Generated from zkos-core's opcode table (core/src/bytecode/opcode.rs) by
// `cargo run -p zkos-tests --bin playground-opcodes`; do not edit by hand (a test fails
// when this file is stale). Gas and native costs are not kept here: the engine decides
// them and reports them per step.

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
