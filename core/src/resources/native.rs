//! Native (proving-cost) tables, one per protocol version.
//!
//! Values follow the ZKsync OS 2026 model ("\[new\]" in `shared/spec/zksync-os-facts.md` §3). Each
//! opcode's own figure is a column of the opcode table (`bytecode::opcode`, where figures that
//! are ours rather than the spec's are marked); this table adds the step cost to it.

use super::precompile_native::{PrecompileNativeCosts, PRECOMPILE_NATIVE_COSTS_V1};
use crate::bytecode::opcode;
use crate::config::ProtocolVersion;

/// Every native price the system and the EVM charge, for one protocol version.
#[derive(Clone, Debug)]
pub struct NativeCostTable {
    /// Per-opcode native: the step cost plus the opcode's own constant (every figure fits
    /// `u32`, which keeps the interpreter's per-opcode charge to 32-bit loads on riscv32).
    pub opcode_native: [u32; 256],
    /// Native per byte of the `EXP` exponent.
    pub exp_byte_native: u64,
    /// Native of a memory expansion, plus [`Self::memory_expansion_byte_native`] per new byte
    /// (`u32`, so the interpreter can add small expansions to its 32-bit pending native).
    pub memory_expansion_base_native: u32,
    /// Native per newly expanded memory byte.
    pub memory_expansion_byte_native: u32,
    /// Native of a copy (`*COPY`, return data, calldata), plus a per-byte part.
    pub copy_base_native: u64,
    /// Native per copied byte.
    pub copy_byte_native: u64,
    /// Native of one keccak256 invocation, plus a per-round part.
    pub keccak_base_native: u64,
    /// Native per 136-byte keccak256 round.
    pub keccak_round_native: u64,
    /// Native per bytecode byte for jumpdest analysis.
    pub bytecode_analysis_byte_native: u64,
    /// Native of a warm storage read.
    pub warm_storage_read_native: u64,
    /// Extra native of a storage write over a read.
    pub warm_storage_write_extra_native: u64,
    /// Native of an account-cache access.
    pub account_access_native: u64,
    /// Extra native of an account write over an access.
    pub account_write_extra_native: u64,
    /// Native of a transient-storage read or write.
    pub transient_access_native: u64,
    /// Native of a preimage-cache get or set.
    pub preimage_access_native: u64,
    /// Native of recording an event, plus per-topic and per-byte parts.
    pub event_base_native: u64,
    /// Native per event topic.
    pub event_topic_native: u64,
    /// Native per event data byte.
    pub event_byte_native: u64,
    /// Native of the first read of a slot that exists in the tree (one Merkle path).
    pub cold_read_existing_native: u64,
    /// Native of the first read of a slot absent from the tree (two paths).
    pub cold_read_new_native: u64,
    /// Extra native of the first write to a slot that exists in the tree.
    pub cold_write_existing_extra_native: u64,
    /// Extra native of the first write to a slot absent from the tree.
    pub cold_write_new_extra_native: u64,
    /// Native formulas of the precompiles.
    pub precompiles: PrecompileNativeCosts,
}

/// Native of every opcode dispatch (fetch, decode, table lookups).
pub const STEP_NATIVE: u64 = 20;

/// Native of one Merkle path of the depth-64 tree: 100,000 + 1,320 × 16.
pub const MERKLE_PATH_NATIVE: u64 = 100_000 + 1_320 * 16;

impl NativeCostTable {
    /// The table of `version`.
    pub fn for_version(version: ProtocolVersion) -> Self {
        match version {
            ProtocolVersion::V1 => Self::v1(),
        }
    }

    /// Per-opcode native of `version`: the step cost, plus the opcode's own figure where the
    /// byte is an opcode.
    fn opcode_native(version: ProtocolVersion) -> [u32; 256] {
        let mut native = [STEP_NATIVE; 256];
        for info in opcode::OPCODES {
            native[info.byte as usize] = STEP_NATIVE + info.native(version);
        }
        native.map(|n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    fn v1() -> Self {
        Self {
            opcode_native: Self::opcode_native(ProtocolVersion::V1),
            exp_byte_native: 5_000,
            memory_expansion_base_native: 35,
            memory_expansion_byte_native: 1,
            copy_base_native: 80,
            copy_byte_native: 1,
            keccak_base_native: 2_500,
            keccak_round_native: 17_500,
            bytecode_analysis_byte_native: 6,
            warm_storage_read_native: 4_000,
            warm_storage_write_extra_native: 1_000,
            account_access_native: 4_000,
            account_write_extra_native: 1_000,
            transient_access_native: 4_000,
            preimage_access_native: 500,
            event_base_native: 6_000,
            event_topic_native: 200,
            event_byte_native: 2,
            cold_read_existing_native: MERKLE_PATH_NATIVE,
            cold_read_new_native: 2 * MERKLE_PATH_NATIVE,
            cold_write_existing_extra_native: MERKLE_PATH_NATIVE,
            cold_write_new_extra_native: 3 * MERKLE_PATH_NATIVE,
            precompiles: PRECOMPILE_NATIVE_COSTS_V1,
        }
    }

    /// Native of hashing `len` bytes with keccak256.
    #[inline]
    pub fn keccak_native(&self, len: u64) -> u64 {
        let rounds = len / 136 + 1;
        self.keccak_base_native
            .saturating_add(rounds.saturating_mul(self.keccak_round_native))
    }

    /// Native of expanding memory by `bytes` new bytes.
    #[inline]
    pub fn memory_expansion_native(&self, bytes: usize) -> u64 {
        u64::from(self.memory_expansion_base_native)
            + u64::from(self.memory_expansion_byte_native) * bytes as u64
    }

    /// Native of copying `len` bytes. Callers pass lengths bounded by the EVM memory limit, far
    /// below where the product could overflow.
    #[inline]
    pub fn copy_native(&self, len: usize) -> u64 {
        self.copy_base_native + self.copy_byte_native * len as u64
    }

    /// Native of recording an event with `topics` topics and `len` data bytes.
    #[inline]
    pub fn event_native(&self, topics: u64, len: u64) -> u64 {
        self.event_base_native
            .saturating_add(topics * self.event_topic_native)
            .saturating_add(len.saturating_mul(self.event_byte_native))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::opcode as op;

    #[test]
    fn v1_matches_spec_figures() {
        let t = NativeCostTable::for_version(ProtocolVersion::V1);
        // Step 20 + opcode constant, spec §3 [new] column.
        assert_eq!(t.opcode_native[op::ADD as usize], 60);
        assert_eq!(t.opcode_native[op::SDIV as usize], 600);
        assert_eq!(t.opcode_native[op::PUSH1 as usize], 70);
        assert_eq!(t.opcode_native[op::PUSH2 as usize], 80);
        assert_eq!(t.opcode_native[op::PUSH32 as usize], 310);
        assert_eq!(t.opcode_native[op::SELFDESTRUCT as usize], 3_100);
        assert_eq!(MERKLE_PATH_NATIVE, 121_120);
        assert_eq!(t.cold_write_new_extra_native, 363_360);
        // keccak of 136 bytes is two rounds (the padding block): 2,500 + 2 × 17,500.
        assert_eq!(t.keccak_native(136), 37_500);
        assert_eq!(t.keccak_native(135), 20_000);
    }
}
