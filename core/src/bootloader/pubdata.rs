//! Pubdata bytes a transaction adds to the block, measured with the block pubdata encoder's own
//! length functions ([`crate::state::pubdata`]): per changed slot its 32-byte derived key and
//! compressed value, per changed account its key and account diff (new code is published in
//! full). Protocol version 1 counts the net change of what a stretch of the transaction wrote
//! ([`net_pubdata_bytes`]); version 2 every diff of what the transaction touched
//! ([`touched_pubdata_bytes`]).

use crate::io::{AccountValues, Io, L2ToL1Message, NetChanges, StateSource};
use crate::primitives::{B256, U256};
use crate::state::account::AccountProperties;
use crate::state::pubdata::v2::{account_diff_len, compressed_value_len, AccountSide};
use crate::state::pubdata::{self, needs_full_account_diff, DERIVED_KEY_LEN_BYTES};

/// Bytes one storage slot publishes for a net change `initial → final_value` (0 if none).
pub fn slot_diff_bytes(initial: U256, final_value: U256) -> u64 {
    if initial == final_value {
        return 0;
    }
    (DERIVED_KEY_LEN_BYTES
        + pubdata::compressed_value_len(&B256::from(initial), &B256::from(final_value))) as u64
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
    (DERIVED_KEY_LEN_BYTES + pubdata::account_diff_len(&before, &after, published_code_len)) as u64
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

/// The [`AccountSide`] of cached account values.
fn side(values: &AccountValues) -> AccountSide {
    AccountSide {
        nonce: values.nonce,
        balance: values.balance,
        code_hash: values.record_code_hash().unwrap_or(B256::ZERO),
        code_len: values.code.len(),
    }
}

/// Pubdata bytes of the running transaction under protocol version 2 (upstream
/// `calculate_pubdata_used_by_tx` of the account and storage caches): for every account and slot
/// the transaction accessed, its key and its diff against the block start; plus `messages`
/// (each its bytes and `message_overhead` bytes).
pub fn touched_pubdata_bytes<S: StateSource>(
    io: &Io<S>,
    messages: &[L2ToL1Message],
    message_overhead: u64,
) -> u64 {
    let accounts: u64 = io
        .accessed_accounts()
        .map(|account| {
            let len = account_diff_len(&side(&account.block_start), &side(&account.values()));
            if len == 0 {
                0
            } else {
                (DERIVED_KEY_LEN_BYTES + len) as u64
            }
        })
        .sum();
    let slots: u64 = io
        .accessed_slots()
        .filter(|(initial, now)| initial != now)
        .map(|(initial, now)| (DERIVED_KEY_LEN_BYTES + compressed_value_len(initial, now)) as u64)
        .sum();
    let messages: u64 = messages
        .iter()
        .map(|message| message_overhead + message.data.len() as u64)
        .sum();
    accounts + slots + messages
}
