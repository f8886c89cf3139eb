//! The figures of the ZKsync OS flow that a protocol version fixes: intrinsic native and pubdata
//! of L2 and L1 transactions and the pubdata of a message ([`ZkRules`]), one table per
//! [`ProtocolVersion`], and the shape of the transaction's own charges ([`TxCharging`]). A new
//! protocol version adds a table (and, where a rule changes shape, a field); a shipped table
//! never changes.

use crate::config::ProtocolVersion;
use crate::resources::native::MERKLE_PATH_NATIVE;
use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;
use crate::state::l2_logs::L2_TO_L1_LOG_ENCODED_LEN_BYTES;
use crate::system::genesis::{GenesisAccount, GENESIS_ACCOUNTS};
use crate::tx::Transaction;

/// Native of verifying the signature: one ecrecover.
pub const SIGNATURE_VERIFICATION_NATIVE: u64 = PRECOMPILE_NATIVE_COSTS_V1.ecrecover_native;
/// Native of reading the sender's account, worst case (absent from the tree: two paths).
pub const SENDER_COLD_READ_NATIVE: u64 = 2 * MERKLE_PATH_NATIVE;
/// Native of persisting the sender's nonce update (one path of an existing account).
pub const NONCE_UPDATE_NATIVE: u64 = MERKLE_PATH_NATIVE;
/// Native of the fixed part of the two keccak passes over the transaction (signing hash and
/// transaction hash); the per-byte part is [`CALLDATA_BYTE_NATIVE`].
pub const TX_HASHES_BASE_NATIVE: u64 = 2 * 2_500;
/// Native of the fee debit from the sender and the credit to the coinbase: two account writes
/// (cache access 4,000 + write 1,000 each).
pub const FEE_TRANSFERS_NATIVE: u64 = 2 * (4_000 + 1_000);
/// Native of folding the transaction hash into the block's rolling hash: keccak of 64 bytes
/// (2,500 + one 17,500 round).
pub const ROLLING_HASH_NATIVE: u64 = 2_500 + 17_500;
/// Intrinsic computational native of an L2 transaction: 522,000 + 242,240 + 121,120 + 5,000 +
/// 10,000 + 20,000 = 920,360 (the spec's "about 922k").
pub const L2_TX_INTRINSIC_NATIVE: u64 = SIGNATURE_VERIFICATION_NATIVE
    + SENDER_COLD_READ_NATIVE
    + NONCE_UPDATE_NATIVE
    + TX_HASHES_BASE_NATIVE
    + FEE_TRANSFERS_NATIVE
    + ROLLING_HASH_NATIVE;
/// Native per calldata byte: one copy (1) plus two keccak passes (17,500 / 136 each),
/// ceil(1 + 257.35) = 259.
pub const CALLDATA_BYTE_NATIVE: u64 = 259;
/// Native per access-list address (ours, spec ≈ 260k): 2,000 handling + a cold read of an
/// absent account (242,240) + one keccak (20,000).
pub const ACCESS_LIST_ADDRESS_NATIVE: u64 = 2_000 + 2 * MERKLE_PATH_NATIVE + 20_000;
/// Native per access-list storage key (ours, spec ≈ 253k): 2,000 handling + a cold read of an
/// absent slot (242,240) + the blake2s flat-key derivation of one 64-byte block (1,140).
pub const ACCESS_LIST_STORAGE_KEY_NATIVE: u64 = 2_000 + 2 * MERKLE_PATH_NATIVE + 1_140;
/// Native per EIP-7702 authorization (ours, spec ≈ 0.86M): 2,000 handling + ecrecover +
/// keccak of the authorization (20,000) + a cold read of an absent authority (242,240) + nonce
/// and code writes (2 × 5,000) + the code preimage (500).
pub const AUTHORIZATION_NATIVE: u64 =
    2_000 + SIGNATURE_VERIFICATION_NATIVE + 20_000 + 2 * MERKLE_PATH_NATIVE + 10_000 + 500;

/// Intrinsic pubdata of the sender's diff: key 32 + metadata 1 + nonce (1 + 1) + balance
/// (1 + 32).
pub const SENDER_DIFF_PUBDATA: u64 = 68;
/// Intrinsic pubdata of the coinbase's diff: key 32 + metadata 1 + balance (1 + 32).
pub const COINBASE_DIFF_PUBDATA: u64 = 66;
/// Version 2: pubdata an estimate keeps for the coinbase's diff. Upstream charges a transaction
/// the diff against the block start of every account it accesses (`basic_system/src/
/// system_implementation/flat_storage_model/account_cache.rs`, `calculate_pubdata_used_by_tx`)
/// and validation reads the coinbase, so every transaction after the first in its block pays
/// the diff the earlier fees left on the coinbase, which a simulation at the block's start does
/// not see: at most the full form of a balance diff, as [`COINBASE_DIFF_PUBDATA`].
pub const V2_ESTIMATE_COINBASE_PUBDATA: u64 = COINBASE_DIFF_PUBDATA;
/// Intrinsic pubdata of an L2 transaction: 68 + 66 = 134 bytes.
pub const L2_TX_INTRINSIC_PUBDATA: u64 = SENDER_DIFF_PUBDATA + COINBASE_DIFF_PUBDATA;
/// Intrinsic pubdata per EIP-7702 authorization.
pub const AUTHORIZATION_PUBDATA: u64 = 80;

/// Intrinsic computational native of an L1 priority or upgrade transaction.
pub const L1_TX_INTRINSIC_NATIVE: u64 = 2_875_420;
/// Intrinsic pubdata of an L1 transaction: its priority log (88) + three balance diffs (3 × 66)
/// + 65.
pub const L1_TX_INTRINSIC_PUBDATA: u64 = 351;
/// Native per gas of upgrade transactions (they pay no fee).
pub const UPGRADE_TX_NATIVE_PER_GAS: u64 = 10_000;

/// Pubdata of a user message besides its bytes: its 88-byte log and a 4-byte length.
pub const MESSAGE_OVERHEAD_PUBDATA: u64 = L2_TO_L1_LOG_ENCODED_LEN_BYTES as u64 + 4;

/// Version 2: intrinsic native of an L2 transaction: the fee transfer to the coinbase, the
/// refund and the rolling hash (upstream `basic_bootloader/src/bootloader/constants.rs`,
/// `L2_TX_INTRINSIC_NATIVE_COST`).
pub const V2_L2_TX_INTRINSIC_NATIVE: u64 = 30_000;
/// Version 2: native per calldata byte, the copy alone (upstream
/// `evm_interpreter/src/native_resource_constants.rs`, `COPY_BYTE_NATIVE_COST`; the hashes are
/// charged as keccak of the encodings).
pub const V2_CALLDATA_BYTE_NATIVE: u64 = 1;
/// Version 2: intrinsic pubdata of an L2 transaction: none, its diffs are measured
/// (`constants.rs`, `L2_TX_INTRINSIC_PUBDATA`).
pub const V2_L2_TX_INTRINSIC_PUBDATA: u64 = 0;
/// Version 2: intrinsic native of an L1 priority or upgrade transaction (`constants.rs`,
/// `L1_TX_INTRINSIC_NATIVE_COST`).
pub const V2_L1_TX_INTRINSIC_NATIVE: u64 = 130_000;
/// Version 2: intrinsic pubdata of an L1 transaction, its priority log (`constants.rs`,
/// `L1_TX_INTRINSIC_PUBDATA`).
pub const V2_L1_TX_INTRINSIC_PUBDATA: u64 = 88;
/// Version 2: the native price L1 transactions pay at, whatever the block's (`constants.rs`,
/// `L1_TX_NATIVE_PRICE`).
pub const V2_L1_TX_NATIVE_PRICE_WEI: u64 = 10;

/// How the ZKsync OS flow charges a transaction's own work besides execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxCharging {
    /// Version 1: fixed intrinsic native and pubdata figures ([`ZkRules`]) cover the
    /// signature, the sender's and the fee accounts' IO and their diffs; the fee is taken and
    /// paid out unmetered; execution pubdata is the net change of what execution wrote; the
    /// EIP-3529 refund applies.
    FixedIntrinsic,
    /// Version 2, upstream ZKsync OS (`basic_bootloader/src/bootloader/process_transaction.rs`):
    /// validation reads and writes the sender, the access list and the bootloader's formal
    /// account 0x8001 through the metered account cache and hashes the transaction; the fee
    /// moves to 0x8001 and from there to the coinbase after the transaction; pubdata is every
    /// diff against the block start of the accounts and slots the transaction touched,
    /// measured after validation (paid then, as computation) and after execution; no EVM
    /// refund; running out of native in execution reports only the native spent before it.
    Metered,
}

/// What a protocol version fixes about the ZKsync OS flow's intrinsic costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZkRules {
    /// How the transaction's own work is charged.
    pub charging: TxCharging,
    /// Fixed intrinsic computational native of an L2 transaction.
    pub l2_intrinsic_native: u64,
    /// Intrinsic native per calldata byte of an L2 transaction.
    pub calldata_byte_native: u64,
    /// Intrinsic native per access-list address.
    pub access_list_address_native: u64,
    /// Intrinsic native per access-list storage key.
    pub access_list_storage_key_native: u64,
    /// Intrinsic native per EIP-7702 authorization.
    pub authorization_native: u64,
    /// Fixed intrinsic pubdata of an L2 transaction.
    pub l2_intrinsic_pubdata: u64,
    /// Intrinsic pubdata per EIP-7702 authorization.
    pub authorization_pubdata: u64,
    /// Pubdata an estimate's native cover keeps beyond what its simulation measured, for what
    /// the transaction may pay after others in its block.
    pub estimate_pubdata_reserve: u64,
    /// Intrinsic computational native of an L1 priority or upgrade transaction.
    pub l1_intrinsic_native: u64,
    /// Intrinsic pubdata of an L1 priority or upgrade transaction.
    pub l1_intrinsic_pubdata: u64,
    /// Native per gas of an upgrade transaction.
    pub upgrade_native_per_gas: u64,
    /// Pubdata of an L2→L1 message besides its bytes.
    pub message_overhead_pubdata: u64,
    /// Native price L1 transactions pay at (`None`: the block's); when set, their native per
    /// pubdata byte is their gas per pubdata byte × native per gas, not the block's.
    pub l1_native_price: Option<u64>,
    /// Intrinsic native per calldata byte of an L1 transaction.
    pub l1_calldata_byte_native: u64,
    /// Whether a zero base fee makes the gas price zero, the tip ignored (spec §3 step 1).
    /// Upstream's snapshot charges the base fee plus the tip whatever the base fee
    /// (`basic_bootloader/src/bootloader/process_transaction.rs::get_gas_price`).
    pub free_at_zero_base_fee: bool,
    /// The accounts a new chain holds from genesis.
    pub genesis: &'static [GenesisAccount],
}

/// Protocol version 1 (the 2026 cost model).
pub const ZK_RULES_V1: ZkRules = ZkRules {
    charging: TxCharging::FixedIntrinsic,
    l2_intrinsic_native: L2_TX_INTRINSIC_NATIVE,
    calldata_byte_native: CALLDATA_BYTE_NATIVE,
    access_list_address_native: ACCESS_LIST_ADDRESS_NATIVE,
    access_list_storage_key_native: ACCESS_LIST_STORAGE_KEY_NATIVE,
    authorization_native: AUTHORIZATION_NATIVE,
    l2_intrinsic_pubdata: L2_TX_INTRINSIC_PUBDATA,
    authorization_pubdata: AUTHORIZATION_PUBDATA,
    // The coinbase's diff is in the fixed intrinsic pubdata.
    estimate_pubdata_reserve: 0,
    l1_intrinsic_native: L1_TX_INTRINSIC_NATIVE,
    l1_intrinsic_pubdata: L1_TX_INTRINSIC_PUBDATA,
    upgrade_native_per_gas: UPGRADE_TX_NATIVE_PER_GAS,
    message_overhead_pubdata: MESSAGE_OVERHEAD_PUBDATA,
    l1_native_price: None,
    l1_calldata_byte_native: 0,
    free_at_zero_base_fee: true,
    genesis: &GENESIS_ACCOUNTS,
};

/// Protocol version 2: upstream ZKsync OS. Access lists and EIP-7702 authorizations have no
/// fixed figure (the access list is charged through the cache; type 4 is not accepted).
pub const ZK_RULES_V2: ZkRules = ZkRules {
    charging: TxCharging::Metered,
    l2_intrinsic_native: V2_L2_TX_INTRINSIC_NATIVE,
    calldata_byte_native: V2_CALLDATA_BYTE_NATIVE,
    access_list_address_native: 0,
    access_list_storage_key_native: 0,
    authorization_native: 0,
    l2_intrinsic_pubdata: V2_L2_TX_INTRINSIC_PUBDATA,
    authorization_pubdata: 0,
    estimate_pubdata_reserve: V2_ESTIMATE_COINBASE_PUBDATA,
    l1_intrinsic_native: V2_L1_TX_INTRINSIC_NATIVE,
    l1_intrinsic_pubdata: V2_L1_TX_INTRINSIC_PUBDATA,
    upgrade_native_per_gas: UPGRADE_TX_NATIVE_PER_GAS,
    message_overhead_pubdata: MESSAGE_OVERHEAD_PUBDATA,
    l1_native_price: Some(V2_L1_TX_NATIVE_PRICE_WEI),
    l1_calldata_byte_native: V2_CALLDATA_BYTE_NATIVE,
    free_at_zero_base_fee: false,
    // The snapshot serves 0x8008 as a hook (`crate::system::v2_hooks`): nothing to install.
    genesis: &[],
};

impl ZkRules {
    /// The rules of protocol `version`.
    pub const fn for_version(version: ProtocolVersion) -> &'static ZkRules {
        match version {
            ProtocolVersion::V1 => &ZK_RULES_V1,
            ProtocolVersion::V2 => &ZK_RULES_V2,
        }
    }

    /// Intrinsic computational native of the L2 transaction `tx` (spec §3).
    pub fn l2_intrinsic_native(&self, tx: &Transaction) -> u64 {
        let keys: u64 = tx
            .access_list
            .iter()
            .map(|item| item.storage_keys.len() as u64)
            .sum();
        self.l2_intrinsic_native
            .saturating_add((tx.data.len() as u64).saturating_mul(self.calldata_byte_native))
            .saturating_add(
                (tx.access_list.len() as u64).saturating_mul(self.access_list_address_native),
            )
            .saturating_add(keys.saturating_mul(self.access_list_storage_key_native))
            .saturating_add(
                (tx.authorization_list.len() as u64).saturating_mul(self.authorization_native),
            )
    }

    /// Intrinsic pubdata of the L2 transaction `tx`.
    pub fn l2_intrinsic_pubdata(&self, tx: &Transaction) -> u64 {
        self.l2_intrinsic_pubdata.saturating_add(
            (tx.authorization_list.len() as u64).saturating_mul(self.authorization_pubdata),
        )
    }
}
