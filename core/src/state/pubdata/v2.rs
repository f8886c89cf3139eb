//! Pubdata under protocol version 2: upstream ZKsync OS's encoding (ADI-Stack-zkOS @ 8035ac6f,
//! `basic_system/src/system_implementation/system/io_subsystem.rs::finish`,
//! `flat_storage_model/mod.rs::finish`, `account_cache_entry.rs::diff_compression`,
//! `zk_ee/src/common_structs/pubdata_compression.rs`).
//!
//! **Values.** A change is written as a metadata byte `(len << 3) | op` and `len` payload bytes:
//! op 0 the whole final value (33 bytes), 1 add (`final − initial`, only when `final ≥
//! initial`), 2 sub (`initial − final`, only when `final ≤ initial`), 3 transform (the final
//! value); payloads of 32 bytes are not allowed, the shortest option wins and a tie keeps the
//! earlier op. Unlike version 1, add and sub never wrap.
//!
//! **Accounts.** A flags byte with low bits `0b100`: when only nonce and balance changed, bit 3
//! says a compressed nonce follows and bit 4 a compressed balance (`0x0c`, `0x14`, `0x1c`);
//! otherwise `0x04`, the final versioning data (u64 BE), the compressed nonce and balance (both
//! always), the code length and artifacts length (u32 BE each), the whole bytecode preimage
//! (`code ‖ padding to 8 ‖ jumpdest bitmap in 64-bit words`) and the observable code length
//! (u32 BE).
//!
//! **Block.** `block hash ‖ u32 BE count ‖ per changed slot: derived key ‖ value or account diff
//! ‖ u32 BE log count ‖ 88-byte logs ‖ u32 BE message count ‖ (u32 BE length ‖ message)*`, the
//! slots in upstream's storage-cache order: by owner address compared as its three
//! little-endian 64-bit limbs (the low eight bytes first), then by key.

use alloc::vec::Vec;

use super::{BlockPubdataInput, PubdataError, SlotChange, StateDiff};
use crate::bytecode::preimage::artifacts_len_v2;
use crate::primitives::{sort_by_key, Address, B256, U256};
use crate::state::account::{
    bytecode_padding_len_bytes, jumpdest_bitmap_in_words, AccountProperties,
};

/// Length of a value written in full: metadata byte plus 32 bytes.
const FULL_VALUE_LEN_BYTES: usize = 33;
/// Longest payload of a compressed (not full) value.
const MAX_PAYLOAD_LEN_BYTES: usize = 31;
/// Low three bits of every account diff's flags byte.
pub const ACCOUNT_DIFF_TAG: u8 = 0b100;
/// Account diff flag: a compressed nonce follows.
pub const ACCOUNT_DIFF_NONCE: u8 = 1 << 3;
/// Account diff flag: a compressed balance follows.
pub const ACCOUNT_DIFF_BALANCE: u8 = 2 << 3;
/// Bytes of a full account diff besides its nonce, balance and bytecode: flags, versioning
/// data, code length, artifacts length and observable code length.
const FULL_ACCOUNT_DIFF_FIXED_BYTES: usize = 1 + 8 + 4 + 4 + 4;

/// The compression of `initial → final_`: op and payload length, `None` for the full value.
fn best(initial: U256, final_: U256) -> Option<(u8, U256, usize)> {
    let mut candidates = [
        (1u8, final_.checked_sub(initial)),
        (2, initial.checked_sub(final_)),
        (3, Some(final_)),
    ]
    .into_iter()
    .filter_map(|(op, payload)| {
        let payload = payload?;
        let len = payload.bit_len().div_ceil(8);
        (len <= MAX_PAYLOAD_LEN_BYTES).then_some((op, payload, len))
    });
    let first = candidates.next()?;
    Some(candidates.fold(
        first,
        |best, next| if next.2 < best.2 { next } else { best },
    ))
}

/// Bytes the change `initial → final_` takes (metadata byte included).
pub fn compressed_value_len(initial: U256, final_: U256) -> usize {
    best(initial, final_).map_or(FULL_VALUE_LEN_BYTES, |(_, _, len)| 1 + len)
}

/// Appends the change `initial → final_`.
pub fn compress_value(initial: U256, final_: U256, out: &mut Vec<u8>) {
    match best(initial, final_) {
        Some((op, payload, len)) => {
            // len ≤ 31 fits the five length bits.
            out.push(((len as u8) << 3) | op);
            out.extend_from_slice(&payload.to_be_bytes::<32>()[32 - len..]);
        }
        None => {
            out.push(0);
            out.extend_from_slice(&final_.to_be_bytes::<32>());
        }
    }
}

/// The length of a bytecode preimage under protocol version 2 for `code_len` bytes of code.
pub fn bytecode_preimage_len(code_len: usize) -> usize {
    code_len + bytecode_padding_len_bytes(code_len) + artifacts_len_v2(code_len)
}

/// What an account diff compares: nonce, balance and the code's identity and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountSide {
    /// Nonce.
    pub nonce: u64,
    /// Balance.
    pub balance: U256,
    /// keccak256 of the code (zero without code).
    pub code_hash: B256,
    /// Length of the code.
    pub code_len: usize,
}

/// Bytes the account diff `initial → final_` takes (zero when nothing changed).
pub fn account_diff_len(initial: &AccountSide, final_: &AccountSide) -> usize {
    if initial == final_ {
        return 0;
    }
    let nonce = compressed_value_len(U256::from(initial.nonce), U256::from(final_.nonce));
    let balance = compressed_value_len(initial.balance, final_.balance);
    if initial.code_hash != final_.code_hash || initial.code_len != final_.code_len {
        return FULL_ACCOUNT_DIFF_FIXED_BYTES
            + nonce
            + balance
            + bytecode_preimage_len(final_.code_len);
    }
    1 + if initial.nonce != final_.nonce {
        nonce
    } else {
        0
    } + if initial.balance != final_.balance {
        balance
    } else {
        0
    }
}

/// The [`AccountSide`] of a record.
fn side_of(record: &AccountProperties) -> AccountSide {
    AccountSide {
        nonce: record.nonce,
        balance: record.balance,
        code_hash: record.observable_bytecode_hash,
        code_len: record.observable_bytecode_len as usize,
    }
}

/// Appends the account diff `initial → final_`; `code` is the final code (used when the code
/// changed).
fn encode_account_diff(
    initial: &AccountProperties,
    final_: &AccountProperties,
    code: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), PubdataError> {
    let (before, after) = (side_of(initial), side_of(final_));
    let nonce = (U256::from(initial.nonce), U256::from(final_.nonce));
    let code_changed = before.code_hash != after.code_hash
        || before.code_len != after.code_len
        || initial.versioning_data != final_.versioning_data;
    if code_changed {
        let len = u32::try_from(code.len()).map_err(|_| PubdataError::TooLong)?;
        let artifacts = jumpdest_bitmap_in_words(code);
        let artifacts_len = u32::try_from(artifacts.len()).map_err(|_| PubdataError::TooLong)?;
        out.push(ACCOUNT_DIFF_TAG);
        out.extend_from_slice(&final_.versioning_data.0.to_be_bytes());
        compress_value(nonce.0, nonce.1, out);
        compress_value(initial.balance, final_.balance, out);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&artifacts_len.to_be_bytes());
        out.extend_from_slice(code);
        out.resize(out.len() + bytecode_padding_len_bytes(code.len()), 0);
        out.extend_from_slice(&artifacts);
        out.extend_from_slice(&len.to_be_bytes());
        return Ok(());
    }
    let mut flags = ACCOUNT_DIFF_TAG;
    if nonce.0 != nonce.1 {
        flags |= ACCOUNT_DIFF_NONCE;
    }
    if initial.balance != final_.balance {
        flags |= ACCOUNT_DIFF_BALANCE;
    }
    out.push(flags);
    if nonce.0 != nonce.1 {
        compress_value(nonce.0, nonce.1, out);
    }
    if initial.balance != final_.balance {
        compress_value(initial.balance, final_.balance, out);
    }
    Ok(())
}

/// Upstream's storage-cache order of an owner address: its little-endian 64-bit limbs compared
/// from the least significant one.
fn owner_order(owner: &Address) -> [u64; 3] {
    let bytes = owner.as_slice();
    let limb = |range: core::ops::Range<usize>| {
        let mut word = [0u8; 8];
        let part = &bytes[range];
        word[8 - part.len()..].copy_from_slice(part);
        u64::from_be_bytes(word)
    };
    [limb(12..20), limb(4..12), limb(0..4)]
}

fn push_len(out: &mut Vec<u8>, len: usize) -> Result<(), PubdataError> {
    let len = u32::try_from(len).map_err(|_| PubdataError::TooLong)?;
    out.extend_from_slice(&len.to_be_bytes());
    Ok(())
}

/// The block's pubdata under protocol version 2 (see the module documentation; the timestamp
/// of `input` is not part of it).
pub fn encode_block_pubdata(input: &BlockPubdataInput) -> Result<Vec<u8>, PubdataError> {
    let mut out = Vec::new();
    out.extend_from_slice(input.block_hash.as_slice());
    push_len(&mut out, input.state_diffs.len())?;
    let mut diffs: Vec<&StateDiff> = input.state_diffs.iter().collect();
    sort_by_key(&mut diffs, |diff| (owner_order(&diff.owner), diff.key));
    for diff in diffs {
        out.extend_from_slice(diff.derived_key.as_slice());
        match &diff.change {
            SlotChange::Value { initial, final_ } => compress_value(
                U256::from_be_bytes(initial.0),
                U256::from_be_bytes(final_.0),
                &mut out,
            ),
            SlotChange::Account(account) => encode_account_diff(
                &account.initial,
                &account.final_,
                account
                    .published_code
                    .as_ref()
                    .map_or(&[][..], |code| code.as_ref()),
                &mut out,
            )?,
        }
    }
    push_len(&mut out, input.l2_to_l1_logs.len())?;
    for log in &input.l2_to_l1_logs {
        out.extend_from_slice(&log.encode());
    }
    push_len(&mut out, input.messages.len())?;
    for message in &input.messages {
        push_len(&mut out, message.len())?;
        out.extend_from_slice(message);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::hex;
    use alloc::vec;

    #[test]
    fn values_never_wrap() {
        // 5 → 3: sub 2 (2 bytes); add would wrap, so it is not an option.
        let mut out = Vec::new();
        compress_value(U256::from(5u8), U256::from(3u8), &mut out);
        assert_eq!(out, hex!("0a02"));
        // 0 → 2^256 − 1: no op fits 31 bytes, so the full value (33 bytes); version 1's
        // wrapping sub would write 1.
        assert_eq!(compressed_value_len(U256::ZERO, U256::MAX), 33);
        // Unchanged: add of zero, the metadata byte alone.
        assert_eq!(compressed_value_len(U256::from(7u8), U256::from(7u8)), 1);
    }

    #[test]
    fn account_diffs_match_upstream_examples() {
        // The oracle's example a_pd0 publishes the coinbase as `14 21 01406f40` (balance add
        // 21,000,000 = 0x01406f40) and the sender as `1c 09 01 22 3cdb3940` (nonce add 1,
        // balance sub 1,021,000,000 = 0x3cdb3940).
        let coinbase = AccountProperties {
            balance: U256::from(21_000_000u64),
            ..AccountProperties::default()
        };
        let mut out = Vec::new();
        encode_account_diff(&AccountProperties::default(), &coinbase, &[], &mut out).unwrap();
        assert_eq!(out, hex!("14 21 01406f40"));
        let start = AccountProperties {
            balance: U256::from(10u64).pow(U256::from(18u8)),
            ..AccountProperties::default()
        };
        let end = AccountProperties {
            nonce: 1,
            balance: start.balance - U256::from(1_021_000_000u64),
            ..start
        };
        out.clear();
        encode_account_diff(&start, &end, &[], &mut out).unwrap();
        assert_eq!(out, hex!("1c 09 01 22 3cdb3940"));
        assert_eq!(
            account_diff_len(&side_of(&start), &side_of(&end)),
            out.len()
        );
    }

    #[test]
    fn full_diff_publishes_the_word_padded_preimage() {
        // Code 5b00: padding to 8 bytes, then the bitmap 0x01 in one 8-byte word.
        let mut deployed = AccountProperties {
            nonce: 1,
            ..AccountProperties::default()
        };
        deployed.deploy_evm_code(&hex!("5b00")).unwrap();
        let mut out = Vec::new();
        encode_account_diff(
            &AccountProperties::default(),
            &deployed,
            &hex!("5b00"),
            &mut out,
        )
        .unwrap();
        let mut expected = vec![0x04];
        expected.extend_from_slice(&deployed.versioning_data.0.to_be_bytes());
        expected.extend_from_slice(&hex!("09 01 01 00000002 00000008"));
        expected.extend_from_slice(&hex!("5b00000000000000 0100000000000000 00000002"));
        assert_eq!(out, expected);
        let sides = (side_of(&AccountProperties::default()), side_of(&deployed));
        assert_eq!(account_diff_len(&sides.0, &sides.1), out.len());
    }

    #[test]
    fn owners_sort_by_their_low_limb_first() {
        let high = Address::with_last_byte(1);
        let mut low_limb_big = [0u8; 20];
        low_limb_big[0] = 0xff;
        let low_limb_big = Address::new(low_limb_big);
        // 0xff00…00 has low limb 0 and sorts before 0x00…01.
        assert!(owner_order(&low_limb_big) < owner_order(&high));
    }
}
