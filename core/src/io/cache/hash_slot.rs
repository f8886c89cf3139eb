//! Protocol version 2: an account's properties hash slot under 0x8003 as a storage slot.
//!
//! Upstream keeps the hash of each account's record in the storage cache, as slot `address`
//! (left-padded) of 0x8003, and reads it there when it materialises the account
//! (ADI-Stack-zkOS @ 8035ac6f, `basic_system/src/system_implementation/flat_storage_model/
//! storage_cache.rs::read_special_account_property`). An access-list key naming that slot
//! reads the same cache element (`storage_cache.rs::touch`, `materialize_element`): warm when
//! the transaction already read it, a cold read of an existing slot when an earlier
//! transaction did, else a cold read of an existing or absent slot as the account exists or
//! not; and an account materialised after such a key finds its hash slot cached the same way.

use super::Io;
use crate::io::{OutOfNative, StateSource};
use crate::primitives::{address, Address, U256};

/// Where upstream stores account properties hashes (the state's
/// `ACCOUNT_PROPERTIES_STORAGE_ADDRESS`; the IO sits below the state layer).
const ACCOUNT_PROPERTIES_ADDRESS: Address = address!("0000000000000000000000000000000000008003");

/// The account whose properties hash slot `(address, key)` is: a key of 0x8003 whose top 12
/// bytes are zero.
pub(super) fn hash_slot_owner(address: &Address, key: &U256) -> Option<Address> {
    if *address != ACCOUNT_PROPERTIES_ADDRESS {
        return None;
    }
    let word = key.to_be_bytes::<32>();
    word[..12]
        .iter()
        .all(|b| *b == 0)
        .then(|| Address::from_slice(&word[12..]))
}

impl<S: StateSource> Io<S> {
    /// The cold part of reading the properties hash slot of an account that `existed` at the
    /// block start, last read by the transaction of sequence number `read_in`.
    pub(super) fn hash_slot_cold_native(&self, existed: bool, read_in: Option<u32>) -> u64 {
        match read_in {
            Some(seq) if seq == self.tx_seq => 0,
            Some(_) => self.costs.cold_read_existing_native,
            None if existed => self.costs.cold_read_existing_native,
            None => self.costs.cold_read_new_native,
        }
    }

    /// An access-list key naming `owner`'s properties hash slot: a warm read and its cold
    /// part; the slot is then read by this transaction.
    pub(super) fn touch_hash_slot(&mut self, owner: &Address) -> Result<(), OutOfNative> {
        let account = self.load(owner).1;
        let (existed, read_in) = (account.existed_at_block_start, account.hash_slot_read_in);
        let native =
            self.costs.warm_storage_read_native + self.hash_slot_cold_native(existed, read_in);
        self.charge_native(native)?;
        let seq = self.tx_seq;
        self.load(owner).1.hash_slot_read_in = Some(seq);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_address_keys_of_0x8003_are_hash_slots() {
        let owner = address!("00000000000000000000000000000000000000ee");
        let key = U256::from_be_slice(owner.as_slice());
        assert_eq!(
            hash_slot_owner(&ACCOUNT_PROPERTIES_ADDRESS, &key),
            Some(owner)
        );
        assert_eq!(hash_slot_owner(&owner, &key), None);
        let high = key | (U256::from(1u8) << 160);
        assert_eq!(hash_slot_owner(&ACCOUNT_PROPERTIES_ADDRESS, &high), None);
    }
}
