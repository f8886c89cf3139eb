//! Pubdata bytes a transaction's net writes add to the block, measured with the block
//! pubdata encoder's own length functions ([`crate::state::pubdata`]): per changed slot its
//! 32-byte derived key and compressed value, per changed account its key and account diff (new
//! code is published in full).

use crate::io::{AccountValues, NetChanges};
use crate::primitives::{B256, U256};
use crate::state::account::AccountProperties;
use crate::state::pubdata::{
    account_diff_len, compressed_value_len, needs_full_account_diff, DERIVED_KEY_LEN_BYTES,
};

/// Bytes one storage slot publishes for a net change `initial → final_value` (0 if none).
pub fn slot_diff_bytes(initial: U256, final_value: U256) -> u64 {
    if initial == final_value {
        return 0;
    }
    (DERIVED_KEY_LEN_BYTES + compressed_value_len(&B256::from(initial), &B256::from(final_value)))
        as u64
}

/// The record fields pubdata lengths depend on: nonce, balance and the code's identity. Two
/// records differ in their code fields exactly when the code differs.
fn record_of(values: &AccountValues) -> AccountProperties {
    let code = &values.code;
    let code_len = u32::try_from(code.len()).unwrap_or(u32::MAX);
    AccountProperties {
        nonce: values.nonce,
        balance: values.balance,
        bytecode_len: code_len,
        observable_bytecode_len: code_len,
        observable_bytecode_hash: if code.is_empty() {
            B256::ZERO
        } else {
            code.hash()
        },
        ..AccountProperties::default()
    }
}

/// Bytes one account publishes for a net change `initial → final_values` (0 if none); new
/// code is published, removed code is named by its hash.
pub fn account_diff_bytes(initial: &AccountValues, final_values: &AccountValues) -> u64 {
    let before = record_of(initial);
    let after = record_of(final_values);
    if before == after {
        return 0;
    }
    let published_code_len = (needs_full_account_diff(&before, &after)
        && !final_values.code.is_empty())
    .then(|| final_values.code.len());
    (DERIVED_KEY_LEN_BYTES + account_diff_len(&before, &after, published_code_len)) as u64
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
