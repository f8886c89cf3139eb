//! Pubdata byte counts of state diffs: what a transaction's net writes add to the block's
//! published data. Only lengths are computed here (the bootloader charges for bytes; the
//! encoder that produces the bytes lives with the block commitment).
//!
//! Layout counted (spec §5): per slot, the 32-byte derived key and the value compressed
//! against the block-start value; per account (its properties slot), the key, one metadata
//! byte and, for a nonce/balance-only diff, each changed field compressed; a code change
//! publishes the full diff (8 bytes of versioning, nonce, balance, 4-byte bytecode length, the
//! bytecode with its 8-byte padding and jumpdest artifacts, 4-byte artifacts length, 4-byte
//! observable length).

use crate::io::{AccountValues, NetChanges};
use crate::primitives::U256;

/// Bytes of a derived storage key.
pub const DERIVED_KEY_BYTES: u64 = 32;
/// Bytes of a compressed value's metadata (`len << 3 | op`).
pub const VALUE_METADATA_BYTES: u64 = 1;
/// Bytes of an account diff's metadata.
pub const ACCOUNT_METADATA_BYTES: u64 = 1;
/// Bytes of the versioning word of a full account diff.
pub const ACCOUNT_VERSIONING_BYTES: u64 = 8;
/// Bytes of each of the three length fields (bytecode, artifacts, observable) of a full diff.
pub const ACCOUNT_LENGTH_FIELD_BYTES: u64 = 4;
/// Published bytecode is padded to a multiple of this many bytes.
pub const BYTECODE_ALIGNMENT_BYTES: u64 = 8;

/// Minimal big-endian byte length of `value` (0 for zero).
fn byte_len(value: U256) -> u64 {
    value.bit_len().div_ceil(8) as u64
}

/// Bytes of `final_value` compressed against `initial`: the metadata byte plus the shortest of
/// the full 32 bytes, the addition `final − initial`, the subtraction `initial − final` and the
/// plain final value.
pub fn compressed_value_bytes(initial: U256, final_value: U256) -> u64 {
    let add = byte_len(final_value.wrapping_sub(initial));
    let sub = byte_len(initial.wrapping_sub(final_value));
    let transform = byte_len(final_value);
    VALUE_METADATA_BYTES + add.min(sub).min(transform).min(32)
}

/// Bytes one storage slot publishes for a net change `initial → final_value` (0 if none).
pub fn slot_diff_bytes(initial: U256, final_value: U256) -> u64 {
    if initial == final_value {
        0
    } else {
        DERIVED_KEY_BYTES + compressed_value_bytes(initial, final_value)
    }
}

/// Bytes of published bytecode: the code padded to 8 bytes plus its jumpdest bitmap (one bit
/// per code byte, in 8-byte words).
fn published_code_bytes(code_len: u64) -> u64 {
    let padded = code_len.div_ceil(BYTECODE_ALIGNMENT_BYTES) * BYTECODE_ALIGNMENT_BYTES;
    let artifacts = code_len.div_ceil(64) * 8;
    padded + artifacts
}

/// Bytes one account publishes for a net change `initial → final_values` (0 if none).
pub fn account_diff_bytes(initial: &AccountValues, final_values: &AccountValues) -> u64 {
    let nonce_changed = initial.nonce != final_values.nonce;
    let balance_changed = initial.balance != final_values.balance;
    let code_changed = initial.code.hash() != final_values.code.hash();
    if !nonce_changed && !balance_changed && !code_changed {
        return 0;
    }
    let nonce = compressed_value_bytes(U256::from(initial.nonce), U256::from(final_values.nonce));
    let balance = compressed_value_bytes(initial.balance, final_values.balance);
    let mut bytes = DERIVED_KEY_BYTES + ACCOUNT_METADATA_BYTES;
    if code_changed {
        bytes += ACCOUNT_VERSIONING_BYTES
            + nonce
            + balance
            + 3 * ACCOUNT_LENGTH_FIELD_BYTES
            + published_code_bytes(final_values.code.len() as u64);
    } else {
        bytes += if nonce_changed { nonce } else { 0 };
        bytes += if balance_changed { balance } else { 0 };
    }
    bytes
}

/// Pubdata bytes `changes` add to the block: for every slot and account, its diff against the
/// block start now minus the same diff at the checkpoint. Negative when the writes undo
/// earlier diffs of the block.
pub fn net_pubdata_bytes(changes: &NetChanges) -> i64 {
    let mut delta: i64 = 0;
    for slot in &changes.slots {
        delta += slot_diff_bytes(slot.block_start, slot.now) as i64;
        delta -= slot_diff_bytes(slot.block_start, slot.at_checkpoint) as i64;
    }
    for account in &changes.accounts {
        delta += account_diff_bytes(&account.block_start, &account.now) as i64;
        delta -= account_diff_bytes(&account.block_start, &account.at_checkpoint) as i64;
    }
    delta
}
