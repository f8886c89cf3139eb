//! Native (proving-cost) tables, one per protocol version.
//!
//! Version 1 follows the ZKsync OS 2026 model ("\[new\]" in `shared/spec/zksync-os-facts.md` §3);
//! version 2 is upstream ZKsync OS as the oracle runs it (ADI-Stack-zkOS @ 8035ac6f; the files
//! are named at each constant). Each opcode's own figure is a column of the opcode table
//! (`bytecode::opcode`); this table adds the step cost to it. Where the two versions charge the
//! same IO in a different shape, [`ChargingModel`] says which shape applies.

use super::precompile_native::{
    PrecompileNativeCosts, PRECOMPILE_NATIVE_COSTS_V1, PRECOMPILE_NATIVE_COSTS_V2,
};
use crate::bytecode::opcode;
use crate::config::ProtocolVersion;

/// How the IO charges accounts, storage and code: the shape of the rules, which the figures of
/// [`NativeCostTable`] fill in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChargingModel {
    /// Protocol version 1: an account's or slot's first access in the block pays a tree read
    /// and later ones a cache access; a slot's first write in the block pays the write extra;
    /// code pays its jumpdest analysis when first loaded in the block; the transaction's own
    /// accounts are covered by a fixed intrinsic figure.
    PerBlock,
    /// Protocol version 2 (upstream ZKsync OS): every account access pays a cache access, and
    /// the first in the block also materialises the account (its hash slot read through the
    /// storage cache, then its record's preimage); a slot pays a warm read on every access, a
    /// cold read on its first access in each transaction and a write extra on every write;
    /// code preimages are fetched once per block and analysed only when deployed; the
    /// transaction's own accounts are charged through the same cache.
    Materialised,
}

/// How many keccak rounds a hashed length costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeccakRounds {
    /// `⌊len / 136⌋ + 1`: the padding block counts (version 1).
    WithPaddingBlock,
    /// `max(1, ⌈len / 136⌉)` (version 2, upstream
    /// `basic_system/src/system_functions/keccak256.rs`).
    AtLeastOne,
}

/// Every native price the system and the EVM charge, for one protocol version.
#[derive(Clone, Debug)]
pub struct NativeCostTable {
    /// The shape of the IO charges.
    pub model: ChargingModel,
    /// How keccak rounds are counted.
    pub keccak_rounds: KeccakRounds,
    /// Whether the EVM's `KECCAK256` of zero bytes pays a keccak invocation (version 2 hashes
    /// nothing and pays only the opcode).
    pub keccak_opcode_hashes_empty_input: bool,
    /// Whether an opcode whose static gas, memory expansion or copy gas cannot be paid still
    /// pays their native (version 2 charges native before gas: upstream
    /// `zk_ee/src/reference_implementations/mod.rs`, `BaseResources::charge`).
    pub opcode_native_before_gas: bool,
    /// Whether `LOG0`..`LOG4` charge all their gas (static, topics and data) with the event,
    /// after the memory expansion and after the event's native (version 2: upstream
    /// `evm_interpreter/src/instructions/host.rs`, `log`, which leaves the gas to
    /// `basic_system/src/system_implementation/system/io_subsystem.rs`, `emit_event`), rather
    /// than the static part with the opcode and the data bytes before the expansion.
    pub log_gas_with_event: bool,
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
    /// Native of recording a preimage (version 2: a deployed bytecode).
    pub preimage_set_native: u64,
    /// Native of one blake2s invocation, plus a per-chunk part (version 2: preimages fetched
    /// or deployed).
    pub blake2s_base_native: u64,
    /// Native per 64-byte blake2s chunk.
    pub blake2s_round_native: u64,
    /// Native of a warm storage read.
    pub warm_storage_read_native: u64,
    /// Extra native of a storage write over a read (version 1; version 2 has only the write
    /// extras below).
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
    /// Extra native of a write to a slot that exists in the tree (version 1: the first write in
    /// the block; version 2: every write to a slot that exists or was written in the block).
    pub cold_write_existing_extra_native: u64,
    /// Extra native of a write to a slot absent from the tree (version 1: the first write in
    /// the block; version 2: every write while the slot is still unset in the block).
    pub cold_write_new_extra_native: u64,
    /// Native formulas of the precompiles.
    pub precompiles: PrecompileNativeCosts,
}

/// Native of every opcode dispatch (fetch, decode, table lookups).
pub const STEP_NATIVE: u64 = 20;

/// Native of one Merkle path of the depth-64 tree: 100,000 + 1,320 × 16.
pub const MERKLE_PATH_NATIVE: u64 = 100_000 + 1_320 * 16;

/// Bytes hashed per blake2s round.
pub const BLAKE2S_CHUNK_BYTES: u64 = 64;
/// Bytes hashed per keccak256 round.
pub const KECCAK_CHUNK_BYTES: u64 = 136;

/// Version 2: native of a write to a slot that exists: 40,000 + 660 × 16 (upstream
/// `basic_system/src/system_implementation/flat_storage_model/cost_constants.rs`,
/// `COLD_EXISTING_STORAGE_WRITE_EXTRA_NATIVE_COST`).
pub const V2_EXISTING_SLOT_WRITE_EXTRA_NATIVE: u64 = 40_000 + 660 * 16;
/// Version 2: native of a write to a slot still unset in the block: 100,000 + 1,300 × 16
/// (same file, `COLD_NEW_STORAGE_WRITE_EXTRA_NATIVE_COST`).
pub const V2_NEW_SLOT_WRITE_EXTRA_NATIVE: u64 = 100_000 + 1_300 * 16;

impl NativeCostTable {
    /// The table of `version`.
    pub fn for_version(version: ProtocolVersion) -> Self {
        match version {
            ProtocolVersion::V1 => Self::v1(),
            ProtocolVersion::V2 => Self::v2(),
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
            model: ChargingModel::PerBlock,
            keccak_rounds: KeccakRounds::WithPaddingBlock,
            keccak_opcode_hashes_empty_input: true,
            opcode_native_before_gas: false,
            log_gas_with_event: false,
            opcode_native: Self::opcode_native(ProtocolVersion::V1),
            exp_byte_native: 5_000,
            memory_expansion_base_native: 35,
            memory_expansion_byte_native: 1,
            copy_base_native: 80,
            copy_byte_native: 1,
            keccak_base_native: 2_500,
            keccak_round_native: 17_500,
            bytecode_analysis_byte_native: 6,
            preimage_set_native: 500,
            blake2s_base_native: 800,
            blake2s_round_native: 340,
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

    /// Upstream ZKsync OS. Files are relative to the snapshot (ADI-Stack-zkOS @ 8035ac6f):
    /// `evm_interpreter/src/native_resource_constants.rs` (memory, copies, bytecode
    /// preprocessing), `basic_system/src/cost_constants.rs` (keccak),
    /// `basic_system/src/system_implementation/flat_storage_model/cost_constants.rs` (storage,
    /// accounts, transient storage, events, preimages, blake2s).
    fn v2() -> Self {
        Self {
            model: ChargingModel::Materialised,
            keccak_rounds: KeccakRounds::AtLeastOne,
            keccak_opcode_hashes_empty_input: false,
            opcode_native_before_gas: true,
            log_gas_with_event: true,
            opcode_native: Self::opcode_native(ProtocolVersion::V2),
            exp_byte_native: 5_000,
            memory_expansion_base_native: 35,
            memory_expansion_byte_native: 1,
            copy_base_native: 80,
            copy_byte_native: 1,
            keccak_base_native: 2_500,
            keccak_round_native: 17_500,
            bytecode_analysis_byte_native: 6,
            preimage_set_native: 500,
            blake2s_base_native: 800,
            blake2s_round_native: 340,
            warm_storage_read_native: 4_000,
            warm_storage_write_extra_native: 0,
            account_access_native: 4_000,
            account_write_extra_native: 1_000,
            transient_access_native: 4_000,
            preimage_access_native: 500,
            event_base_native: 6_000,
            event_topic_native: 200,
            event_byte_native: 2,
            cold_read_existing_native: MERKLE_PATH_NATIVE,
            cold_read_new_native: 2 * MERKLE_PATH_NATIVE,
            cold_write_existing_extra_native: V2_EXISTING_SLOT_WRITE_EXTRA_NATIVE,
            cold_write_new_extra_native: V2_NEW_SLOT_WRITE_EXTRA_NATIVE,
            precompiles: PRECOMPILE_NATIVE_COSTS_V2,
        }
    }

    /// Native of hashing `len` bytes with keccak256.
    #[inline]
    pub fn keccak_native(&self, len: u64) -> u64 {
        let rounds = match self.keccak_rounds {
            KeccakRounds::WithPaddingBlock => len / KECCAK_CHUNK_BYTES + 1,
            KeccakRounds::AtLeastOne => len.div_ceil(KECCAK_CHUNK_BYTES).max(1),
        };
        self.keccak_base_native
            .saturating_add(rounds.saturating_mul(self.keccak_round_native))
    }

    /// Native of the EVM's `KECCAK256` hashing `len` bytes (the opcode's own figure apart).
    #[inline]
    pub fn keccak_opcode_native(&self, len: u64) -> u64 {
        if len == 0 && !self.keccak_opcode_hashes_empty_input {
            0
        } else {
            self.keccak_native(len)
        }
    }

    /// Native of hashing `len` bytes with blake2s: the base plus one round per started 64-byte
    /// chunk (upstream `blake2s_native_cost`).
    #[inline]
    pub fn blake2s_native(&self, len: u64) -> u64 {
        self.blake2s_base_native.saturating_add(
            len.div_ceil(BLAKE2S_CHUNK_BYTES)
                .saturating_mul(self.blake2s_round_native),
        )
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

    #[test]
    fn v2_matches_upstream_figures() {
        let t = NativeCostTable::for_version(ProtocolVersion::V2);
        // Step 20 + upstream's own constant: ADD 140, DIV 1,500, PUSH1 60, PUSH32 300, SWAP 90;
        // STOP and INVALID charge only the step.
        assert_eq!(t.opcode_native[op::ADD as usize], 160);
        assert_eq!(t.opcode_native[op::DIV as usize], 1_520);
        assert_eq!(t.opcode_native[op::PUSH1 as usize], 80);
        assert_eq!(t.opcode_native[op::PUSH32 as usize], 320);
        assert_eq!(t.opcode_native[op::SWAP1 as usize], 110);
        assert_eq!(t.opcode_native[op::STOP as usize], 20);
        assert_eq!(t.opcode_native[op::INVALID as usize], 20);
        // Storage writes: 40,000 + 660 × 16 and 100,000 + 1,300 × 16.
        assert_eq!(t.cold_write_existing_extra_native, 50_560);
        assert_eq!(t.cold_write_new_extra_native, 120_800);
        // keccak rounds are ⌈len / 136⌉, at least one: 136 bytes is one round, 137 two.
        assert_eq!(t.keccak_native(0), 20_000);
        assert_eq!(t.keccak_native(136), 20_000);
        assert_eq!(t.keccak_native(137), 37_500);
        assert_eq!(t.keccak_opcode_native(0), 0);
        // blake2s of a 124-byte account record: 800 + 2 × 340.
        assert_eq!(t.blake2s_native(124), 1_480);
    }
}
