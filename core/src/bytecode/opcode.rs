//! Every EVM opcode in one table, and what derives from it: the opcode constants, facts by byte
//! ([`info`], [`name`], [`immediate_len`]) and the stack bounds of the interpreter's central
//! check ([`stack_admits`]). `resources` derives the static gas table per hardfork and the native
//! table per protocol version from the same rows.
//!
//! Native figures exclude the per-step cost every dispatch pays (added by `resources::native`).
//! Protocol version 1 follows the ZKsync OS 2026 model ("\[new\]" in
//! `shared/spec/zksync-os-facts.md` §3); where the spec lists no figure for an opcode the value is
//! ours, chosen from the nearest listed opcode of the same shape, and the row is marked `ours`
//! (the mark is about the V1 column). Protocol version 2 is upstream ZKsync OS's own constant
//! (`evm_interpreter/src/native_resource_constants.rs` at the snapshot the oracle runs): STOP and
//! INVALID charge nothing beyond the step there, MCOPY only its copy, and CLZ, which the snapshot
//! predates, keeps the V1 figure.
//!
//! A row's static gas holds from the hardfork in its `since` column on (no supported hardfork
//! reprices an opcode). A new protocol version is a data addition: one more figure in every
//! row's native column, `PROTOCOL_VERSIONS` and its line in `version_column`.

use super::static_gas::*;
use super::STACK_LIMIT;
use crate::config::{Hardfork, ProtocolVersion};

/// Protocol versions the native column holds, oldest first.
const PROTOCOL_VERSIONS: usize = 2;

/// The facts of one opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpcodeInfo {
    /// The opcode byte.
    pub byte: u8,
    /// Mnemonic.
    pub name: &'static str,
    /// Bytes of immediate data that follow the opcode (PUSH1..PUSH32).
    pub immediate_bytes: u8,
    /// Words the opcode pops.
    pub stack_inputs: u8,
    /// Words the opcode pushes.
    pub stack_outputs: u8,
    /// The first hardfork that defines the opcode.
    pub since: Hardfork,
    /// Gas charged before the opcode runs; dynamic parts are charged by the instruction.
    pub static_gas: u64,
    /// Own native per protocol version (index: [`version_column`]).
    native: [u64; PROTOCOL_VERSIONS],
}

impl OpcodeInfo {
    /// Whether `hardfork` defines this opcode.
    pub fn is_defined_at(&self, hardfork: Hardfork) -> bool {
        hardfork >= self.since
    }

    /// The opcode's own native under `version`, without the per-step cost.
    pub const fn native(&self, version: ProtocolVersion) -> u64 {
        self.native[version_column(version)]
    }
}

/// The column of `version` in [`OpcodeInfo`]'s native figures.
const fn version_column(version: ProtocolVersion) -> usize {
    match version {
        ProtocolVersion::V1 => 0,
        ProtocolVersion::V2 => 1,
    }
}

/// Native of PUSHn under protocol version 1: 50 for PUSH1, 60 for PUSH2, 290 for PUSH32 (spec);
/// linear in between (ours).
const fn v1_push(bytes: u64) -> u64 {
    match bytes {
        1 => 50,
        n => 60 + (230 * (n - 2)).div_ceil(30),
    }
}

/// Expands the table: one constant per opcode and [`OPCODES`].
macro_rules! opcodes {
    ($($byte:literal $name:ident $imm:literal $inputs:literal $outputs:literal $since:ident
        $gas:expr, [$($native:expr),+];)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "`.")]
            pub const $name: u8 = $byte;
        )*

        /// Every opcode any supported hardfork defines, in byte order.
        pub const OPCODES: &[OpcodeInfo] = &[$(OpcodeInfo {
            byte: $byte,
            name: stringify!($name),
            immediate_bytes: $imm,
            stack_inputs: $inputs,
            stack_outputs: $outputs,
            since: Hardfork::$since,
            static_gas: $gas,
            native: [$($native),+],
        }),*];
    };
}

opcodes! {
//  byte name           imm in out since   static gas                    native [V1, V2]
    0x00 STOP             0  0  0  Cancun  0,                            [0, 0];   // ours
    0x01 ADD              0  2  1  Cancun  VERYLOW_GAS,                  [40, 140];
    0x02 MUL              0  2  1  Cancun  LOW_GAS,                      [40, 400];
    0x03 SUB              0  2  1  Cancun  VERYLOW_GAS,                  [40, 140];
    0x04 DIV              0  2  1  Cancun  LOW_GAS,                      [270, 1_500];
    0x05 SDIV             0  2  1  Cancun  LOW_GAS,                      [580, 1_000];
    0x06 MOD              0  2  1  Cancun  LOW_GAS,                      [220, 1_300];
    0x07 SMOD             0  2  1  Cancun  LOW_GAS,                      [580, 800]; // ours: as SDIV
    0x08 ADDMOD           0  3  1  Cancun  MID_GAS,                      [780, 1_700];
    0x09 MULMOD           0  3  1  Cancun  MID_GAS,                      [470, 2_300];
    0x0a EXP              0  2  1  Cancun  EXP_GAS,                      [700, 700];
    0x0b SIGNEXTEND       0  2  1  Cancun  LOW_GAS,                      [80, 400];  // ours: as LT
    0x10 LT               0  2  1  Cancun  VERYLOW_GAS,                  [80, 190];
    0x11 GT               0  2  1  Cancun  VERYLOW_GAS,                  [80, 190];
    0x12 SLT              0  2  1  Cancun  VERYLOW_GAS,                  [80, 430];  // ours: as LT
    0x13 SGT              0  2  1  Cancun  VERYLOW_GAS,                  [80, 430];  // ours: as GT
    0x14 EQ               0  2  1  Cancun  VERYLOW_GAS,                  [60, 500];
    0x15 ISZERO           0  1  1  Cancun  VERYLOW_GAS,                  [50, 300];
    0x16 AND              0  2  1  Cancun  VERYLOW_GAS,                  [70, 100];
    0x17 OR               0  2  1  Cancun  VERYLOW_GAS,                  [70, 90];
    0x18 XOR              0  2  1  Cancun  VERYLOW_GAS,                  [70, 90];
    0x19 NOT              0  1  1  Cancun  VERYLOW_GAS,                  [60, 60];
    0x1a BYTE             0  2  1  Cancun  VERYLOW_GAS,                  [70, 160];  // ours: as AND
    0x1b SHL              0  2  1  Cancun  VERYLOW_GAS,                  [150, 240];
    0x1c SHR              0  2  1  Cancun  VERYLOW_GAS,                  [150, 240];
    0x1d SAR              0  2  1  Cancun  VERYLOW_GAS,                  [270, 400];
    0x1e CLZ              0  1  1  Osaka   LOW_GAS,                      [130, 130];
    0x20 KECCAK256        0  2  1  Cancun  KECCAK256_GAS,                [90, 90];
    0x30 ADDRESS          0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours: as PUSH0
    0x31 BALANCE          0  1  1  Cancun  0,                            [60, 60];
    0x32 ORIGIN           0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x33 CALLER           0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x34 CALLVALUE        0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x35 CALLDATALOAD     0  1  1  Cancun  VERYLOW_GAS,                  [300, 280];
    0x36 CALLDATASIZE     0  0  1  Cancun  BASE_GAS,                     [40, 40];  // ours
    0x37 CALLDATACOPY     0  3  0  Cancun  VERYLOW_GAS,                  [100, 100]; // ours, plus copy
    0x38 CODESIZE         0  0  1  Cancun  BASE_GAS,                     [40, 40];  // ours
    0x39 CODECOPY         0  3  0  Cancun  VERYLOW_GAS,                  [100, 100]; // ours, plus copy
    0x3a GASPRICE         0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x3b EXTCODESIZE      0  1  1  Cancun  0,                            [60, 60];  // ours: as BALANCE
    0x3c EXTCODECOPY      0  4  0  Cancun  0,                            [100, 100]; // ours, plus copy
    0x3d RETURNDATASIZE   0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x3e RETURNDATACOPY   0  3  0  Cancun  VERYLOW_GAS,                  [100, 100]; // ours, plus copy
    0x3f EXTCODEHASH      0  1  1  Cancun  0,                            [60, 60];  // ours: as BALANCE
    0x40 BLOCKHASH        0  1  1  Cancun  BLOCKHASH_GAS,                [190, 60];
    0x41 COINBASE         0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x42 TIMESTAMP        0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x43 NUMBER           0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x44 PREVRANDAO       0  0  1  Cancun  BASE_GAS,                     [40, 40];  // ours
    0x45 GASLIMIT         0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x46 CHAINID          0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x47 SELFBALANCE      0  0  1  Cancun  LOW_GAS,                      [650, 60];
    0x48 BASEFEE          0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x49 BLOBHASH         0  1  1  Cancun  VERYLOW_GAS,                  [60, 40];  // ours
    0x4a BLOBBASEFEE      0  0  1  Cancun  BASE_GAS,                     [40, 40];  // ours
    0x50 POP              0  1  0  Cancun  BASE_GAS,                     [30, 40];
    0x51 MLOAD            0  1  1  Cancun  VERYLOW_GAS,                  [250, 250];
    0x52 MSTORE           0  2  0  Cancun  VERYLOW_GAS,                  [250, 250];
    0x53 MSTORE8          0  2  0  Cancun  VERYLOW_GAS,                  [80, 250];
    0x54 SLOAD            0  1  1  Cancun  0,                            [100, 100];
    0x55 SSTORE           0  2  0  Cancun  0,                            [100, 100];
    0x56 JUMP             0  1  0  Cancun  MID_GAS,                      [60, 70];
    0x57 JUMPI            0  2  0  Cancun  HIGH_GAS,                     [90, 300];
    0x58 PC               0  0  1  Cancun  BASE_GAS,                     [40, 40];  // ours
    0x59 MSIZE            0  0  1  Cancun  BASE_GAS,                     [40, 40];  // ours
    0x5a GAS              0  0  1  Cancun  BASE_GAS,                     [40, 60];  // ours
    0x5b JUMPDEST         0  0  0  Cancun  JUMPDEST_GAS,                 [30, 40];
    0x5c TLOAD            0  1  1  Cancun  TRANSIENT_GAS,                [100, 100];
    0x5d TSTORE           0  2  0  Cancun  TRANSIENT_GAS,                [100, 100];
    0x5e MCOPY            0  3  0  Cancun  VERYLOW_GAS,                  [100, 0]; // ours, plus copy
    0x5f PUSH0            0  0  1  Cancun  BASE_GAS,                     [40, 50];
    0x60 PUSH1            1  0  1  Cancun  VERYLOW_GAS,                  [v1_push(1), 60];
    0x61 PUSH2            2  0  1  Cancun  VERYLOW_GAS,                  [v1_push(2), 120];
    0x62 PUSH3            3  0  1  Cancun  VERYLOW_GAS,                  [v1_push(3), 140];
    0x63 PUSH4            4  0  1  Cancun  VERYLOW_GAS,                  [v1_push(4), 140];
    0x64 PUSH5            5  0  1  Cancun  VERYLOW_GAS,                  [v1_push(5), 150];
    0x65 PUSH6            6  0  1  Cancun  VERYLOW_GAS,                  [v1_push(6), 160];
    0x66 PUSH7            7  0  1  Cancun  VERYLOW_GAS,                  [v1_push(7), 170];
    0x67 PUSH8            8  0  1  Cancun  VERYLOW_GAS,                  [v1_push(8), 180];
    0x68 PUSH9            9  0  1  Cancun  VERYLOW_GAS,                  [v1_push(9), 190];
    0x69 PUSH10          10  0  1  Cancun  VERYLOW_GAS,                  [v1_push(10), 200];
    0x6a PUSH11          11  0  1  Cancun  VERYLOW_GAS,                  [v1_push(11), 210];
    0x6b PUSH12          12  0  1  Cancun  VERYLOW_GAS,                  [v1_push(12), 210];
    0x6c PUSH13          13  0  1  Cancun  VERYLOW_GAS,                  [v1_push(13), 220];
    0x6d PUSH14          14  0  1  Cancun  VERYLOW_GAS,                  [v1_push(14), 230];
    0x6e PUSH15          15  0  1  Cancun  VERYLOW_GAS,                  [v1_push(15), 240];
    0x6f PUSH16          16  0  1  Cancun  VERYLOW_GAS,                  [v1_push(16), 240];
    0x70 PUSH17          17  0  1  Cancun  VERYLOW_GAS,                  [v1_push(17), 240];
    0x71 PUSH18          18  0  1  Cancun  VERYLOW_GAS,                  [v1_push(18), 240];
    0x72 PUSH19          19  0  1  Cancun  VERYLOW_GAS,                  [v1_push(19), 240];
    0x73 PUSH20          20  0  1  Cancun  VERYLOW_GAS,                  [v1_push(20), 240];
    0x74 PUSH21          21  0  1  Cancun  VERYLOW_GAS,                  [v1_push(21), 250];
    0x75 PUSH22          22  0  1  Cancun  VERYLOW_GAS,                  [v1_push(22), 260];
    0x76 PUSH23          23  0  1  Cancun  VERYLOW_GAS,                  [v1_push(23), 260];
    0x77 PUSH24          24  0  1  Cancun  VERYLOW_GAS,                  [v1_push(24), 260];
    0x78 PUSH25          25  0  1  Cancun  VERYLOW_GAS,                  [v1_push(25), 260];
    0x79 PUSH26          26  0  1  Cancun  VERYLOW_GAS,                  [v1_push(26), 270];
    0x7a PUSH27          27  0  1  Cancun  VERYLOW_GAS,                  [v1_push(27), 280];
    0x7b PUSH28          28  0  1  Cancun  VERYLOW_GAS,                  [v1_push(28), 280];
    0x7c PUSH29          29  0  1  Cancun  VERYLOW_GAS,                  [v1_push(29), 290];
    0x7d PUSH30          30  0  1  Cancun  VERYLOW_GAS,                  [v1_push(30), 290];
    0x7e PUSH31          31  0  1  Cancun  VERYLOW_GAS,                  [v1_push(31), 300];
    0x7f PUSH32          32  0  1  Cancun  VERYLOW_GAS,                  [v1_push(32), 300];
    0x80 DUP1             0  1  2  Cancun  VERYLOW_GAS,                  [50, 60];
    0x81 DUP2             0  2  3  Cancun  VERYLOW_GAS,                  [50, 60];
    0x82 DUP3             0  3  4  Cancun  VERYLOW_GAS,                  [50, 60];
    0x83 DUP4             0  4  5  Cancun  VERYLOW_GAS,                  [50, 60];
    0x84 DUP5             0  5  6  Cancun  VERYLOW_GAS,                  [50, 60];
    0x85 DUP6             0  6  7  Cancun  VERYLOW_GAS,                  [50, 60];
    0x86 DUP7             0  7  8  Cancun  VERYLOW_GAS,                  [50, 60];
    0x87 DUP8             0  8  9  Cancun  VERYLOW_GAS,                  [50, 60];
    0x88 DUP9             0  9 10  Cancun  VERYLOW_GAS,                  [50, 60];
    0x89 DUP10            0 10 11  Cancun  VERYLOW_GAS,                  [50, 60];
    0x8a DUP11            0 11 12  Cancun  VERYLOW_GAS,                  [50, 60];
    0x8b DUP12            0 12 13  Cancun  VERYLOW_GAS,                  [50, 60];
    0x8c DUP13            0 13 14  Cancun  VERYLOW_GAS,                  [50, 60];
    0x8d DUP14            0 14 15  Cancun  VERYLOW_GAS,                  [50, 60];
    0x8e DUP15            0 15 16  Cancun  VERYLOW_GAS,                  [50, 60];
    0x8f DUP16            0 16 17  Cancun  VERYLOW_GAS,                  [50, 60];
    0x90 SWAP1            0  2  2  Cancun  VERYLOW_GAS,                  [60, 90];
    0x91 SWAP2            0  3  3  Cancun  VERYLOW_GAS,                  [60, 90];
    0x92 SWAP3            0  4  4  Cancun  VERYLOW_GAS,                  [60, 90];
    0x93 SWAP4            0  5  5  Cancun  VERYLOW_GAS,                  [60, 90];
    0x94 SWAP5            0  6  6  Cancun  VERYLOW_GAS,                  [60, 90];
    0x95 SWAP6            0  7  7  Cancun  VERYLOW_GAS,                  [60, 90];
    0x96 SWAP7            0  8  8  Cancun  VERYLOW_GAS,                  [60, 90];
    0x97 SWAP8            0  9  9  Cancun  VERYLOW_GAS,                  [60, 90];
    0x98 SWAP9            0 10 10  Cancun  VERYLOW_GAS,                  [60, 90];
    0x99 SWAP10           0 11 11  Cancun  VERYLOW_GAS,                  [60, 90];
    0x9a SWAP11           0 12 12  Cancun  VERYLOW_GAS,                  [60, 90];
    0x9b SWAP12           0 13 13  Cancun  VERYLOW_GAS,                  [60, 90];
    0x9c SWAP13           0 14 14  Cancun  VERYLOW_GAS,                  [60, 90];
    0x9d SWAP14           0 15 15  Cancun  VERYLOW_GAS,                  [60, 90];
    0x9e SWAP15           0 16 16  Cancun  VERYLOW_GAS,                  [60, 90];
    0x9f SWAP16           0 17 17  Cancun  VERYLOW_GAS,                  [60, 90];
    0xa0 LOG0             0  2  0  Cancun  LOG_GAS,                      [50, 50];
    0xa1 LOG1             0  3  0  Cancun  LOG_GAS + LOG_TOPIC_GAS,      [50, 50];
    0xa2 LOG2             0  4  0  Cancun  LOG_GAS + 2 * LOG_TOPIC_GAS,  [50, 50];
    0xa3 LOG3             0  5  0  Cancun  LOG_GAS + 3 * LOG_TOPIC_GAS,  [50, 50];
    0xa4 LOG4             0  6  0  Cancun  LOG_GAS + 4 * LOG_TOPIC_GAS,  [50, 50];
    0xf0 CREATE           0  3  1  Cancun  CREATE_GAS,                   [25_000, 25_000];
    0xf1 CALL             0  7  1  Cancun  0,                            [1_500, 1_500];
    0xf2 CALLCODE         0  7  1  Cancun  0,                            [1_500, 1_500];
    0xf3 RETURN           0  2  0  Cancun  0,                            [70, 40];
    0xf4 DELEGATECALL     0  6  1  Cancun  0,                            [1_500, 1_500];
    0xf5 CREATE2          0  4  1  Cancun  CREATE_GAS,                   [25_000, 25_000];
    0xfa STATICCALL       0  6  1  Cancun  0,                            [1_500, 1_500];
    0xfd REVERT           0  2  0  Cancun  0,                            [180, 50];
    0xfe INVALID          0  0  0  Cancun  0,                            [0, 0];   // ours
    0xff SELFDESTRUCT     0  1  0  Cancun  SELFDESTRUCT_GAS,             [3_080, 100];
}

/// Marks a byte without a row in [`ROW_BY_BYTE`].
const NO_ROW: u8 = u8::MAX;

/// The row of [`OPCODES`] for each byte, or [`NO_ROW`] where no supported hardfork defines an
/// opcode. Building it fails the compilation if two rows share a byte.
const ROW_BY_BYTE: [u8; 256] = {
    assert!(OPCODES.len() < NO_ROW as usize);
    let mut rows = [NO_ROW; 256];
    let mut i = 0;
    while i < OPCODES.len() {
        let byte = OPCODES[i].byte as usize;
        assert!(rows[byte] == NO_ROW, "two rows share a byte");
        rows[byte] = i as u8;
        i += 1;
    }
    rows
};

/// The facts of `opcode`, or `None` for a byte no supported hardfork defines.
#[inline]
pub fn info(opcode: u8) -> Option<&'static OpcodeInfo> {
    OPCODES.get(usize::from(ROW_BY_BYTE[opcode as usize]))
}

/// Mnemonic of `opcode` under the newest hardfork, or `None` for an undefined opcode.
pub fn name(opcode: u8) -> Option<&'static str> {
    info(opcode).map(|info| info.name)
}

/// Whether `hardfork` defines `opcode`.
pub fn is_defined(opcode: u8, hardfork: Hardfork) -> bool {
    info(opcode).is_some_and(|info| info.is_defined_at(hardfork))
}

/// Immediate bytes by opcode.
const IMMEDIATE_BYTES: [u8; 256] = {
    let mut bytes = [0; 256];
    let mut i = 0;
    while i < OPCODES.len() {
        bytes[OPCODES[i].byte as usize] = OPCODES[i].immediate_bytes;
        i += 1;
    }
    bytes
};

/// Number of immediate bytes that follow `opcode` (PUSH1..PUSH32), else 0.
#[inline]
pub const fn immediate_len(opcode: u8) -> usize {
    IMMEDIATE_BYTES[opcode as usize] as usize
}

/// The stack an opcode needs: `min` words present, and room for `growth` more (0 or 1).
#[derive(Clone, Copy)]
struct StackBounds {
    min: u8,
    growth: u8,
}

/// [`StackBounds`] by opcode; bytes without an opcode run at any height (they halt as undefined).
/// A `const`, not a `static`, so that where the opcode is known the compiler folds the lookup.
const STACK_BOUNDS: [StackBounds; 256] = {
    let mut bounds = [StackBounds { min: 0, growth: 0 }; 256];
    let mut i = 0;
    while i < OPCODES.len() {
        let info = OPCODES[i];
        bounds[info.byte as usize] = StackBounds {
            min: info.stack_inputs,
            growth: info.stack_outputs.saturating_sub(info.stack_inputs),
        };
        i += 1;
    }
    bounds
};

/// Whether `opcode` can run on a stack of `height` words: its inputs are there and its outputs
/// fit [`STACK_LIMIT`]. A byte without an opcode always can. Where `opcode` is a known constant
/// this folds to one or two comparisons with constants.
#[inline(always)]
pub const fn stack_admits(opcode: u8, height: usize) -> bool {
    let bounds = STACK_BOUNDS[opcode as usize];
    height >= bounds.min as usize
        && (bounds.growth == 0 || height <= STACK_LIMIT - bounds.growth as usize)
}

/// Whether a stack of `height` words lacks inputs of `opcode` (when it cannot run on it and this
/// is false, its outputs would not fit).
#[inline(always)]
pub const fn stack_underflows(opcode: u8, height: usize) -> bool {
    height < STACK_BOUNDS[opcode as usize].min as usize
}

/// Whether every byte from `first` to `last` has the stack bounds of `first` (a dispatch arm for
/// the range may then check them as `first`'s).
pub const fn same_stack_bounds(first: u8, last: u8) -> bool {
    let bounds = STACK_BOUNDS[first as usize];
    let mut opcode = first as usize;
    while opcode <= last as usize {
        let other = STACK_BOUNDS[opcode];
        if other.min != bounds.min || other.growth != bounds.growth {
            return false;
        }
        opcode += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_follow_their_numbering() {
        // PUSHn = 0x5f + n carries n immediate bytes; DUPn = 0x7f + n needs n words and adds
        // one; SWAPn = 0x8f + n needs n + 1; LOGn = 0xa0 + n pops n topics besides offset and
        // length. Checked from the bytes, independently of how the rows were written.
        for n in 1..=32u8 {
            let push = info(PUSH0 + n).unwrap();
            assert_eq!(
                (push.name, push.immediate_bytes),
                (&*alloc::format!("PUSH{n}"), n)
            );
        }
        for n in 1..=16u8 {
            let dup = info(DUP1 + n - 1).unwrap();
            assert_eq!((dup.stack_inputs, dup.stack_outputs), (n, n + 1));
            let swap = info(SWAP1 + n - 1).unwrap();
            assert_eq!((swap.stack_inputs, swap.stack_outputs), (n + 1, n + 1));
        }
        for n in 0..=4u8 {
            assert_eq!(info(LOG0 + n).unwrap().stack_inputs, n + 2);
        }
        assert_eq!(immediate_len(PUSH32), 32);
        assert_eq!(immediate_len(PUSH0), 0);
        assert_eq!(immediate_len(0xef), 0);
    }

    #[test]
    fn names_and_definitions() {
        assert_eq!(name(KECCAK256), Some("KECCAK256"));
        assert_eq!(name(0x0c), None);
        assert_eq!(OPCODES.len(), 150);
        assert!(!is_defined(CLZ, Hardfork::Prague));
        assert!(is_defined(CLZ, Hardfork::Osaka));
        assert!(is_defined(PUSH0, Hardfork::Cancun));
        assert!(OPCODES.windows(2).all(|pair| pair[0].byte < pair[1].byte));
    }

    #[test]
    fn stack_bounds_check_both_ends() {
        // ADD needs two words and never grows the stack.
        assert!(!stack_admits(ADD, 1));
        assert!(stack_admits(ADD, 2));
        assert!(stack_admits(ADD, STACK_LIMIT));
        // PUSH1 needs none and grows by one, so a full stack cannot take it.
        assert!(stack_admits(PUSH1, 0));
        assert!(stack_admits(PUSH1, STACK_LIMIT - 1));
        assert!(!stack_admits(PUSH1, STACK_LIMIT));
        // DUP16 needs 16 and grows by one; SWAP16 needs 17.
        assert!(!stack_admits(DUP16, 15));
        assert!(stack_admits(DUP16, 16));
        assert!(!stack_admits(DUP16, STACK_LIMIT));
        assert!(!stack_admits(SWAP16, 16));
        assert!(stack_admits(SWAP16, STACK_LIMIT));
        // CALL pops seven and pushes one.
        assert!(!stack_admits(CALL, 6));
        assert!(stack_underflows(CALL, 6));
        assert!(!stack_underflows(PUSH1, STACK_LIMIT));
        assert!(stack_admits(CALL, STACK_LIMIT));
        // PUSH5..PUSH32 share their bounds; the DUPs do not.
        assert!(same_stack_bounds(PUSH5, PUSH32));
        assert!(!same_stack_bounds(DUP1, DUP2));
        // An undefined byte runs at every height and then halts as undefined.
        assert!(stack_admits(0x0c, 0));
        assert!(stack_admits(0x0c, STACK_LIMIT));
    }
}
