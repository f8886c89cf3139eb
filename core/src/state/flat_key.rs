//! Flat storage keys: every (address, slot) pair maps to one 32-byte key of the state tree.

use crate::primitives::{address, blake2s256_concat, Address, B256};

/// System address under which account properties hashes are stored (slot key = the account address).
pub const ACCOUNT_PROPERTIES_STORAGE_ADDRESS: Address =
    address!("0000000000000000000000000000000000008003");

/// The tree key of storage slot `key` of `address`: blake2s(12 zero bytes ‖ address ‖ key).
pub fn flat_key(address: Address, key: B256) -> B256 {
    blake2s256_concat(&[&[0u8; 12], address.as_slice(), key.as_slice()])
}

/// The tree key holding the account properties hash of `address`.
pub fn account_properties_flat_key(address: Address) -> B256 {
    flat_key(ACCOUNT_PROPERTIES_STORAGE_ADDRESS, address.into_word())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::b256;

    #[test]
    fn flat_key_matches_independent_blake2s() {
        // Expected values computed with Python's hashlib.blake2s over the 64-byte preimages.
        let address = address!("1111111111111111111111111111111111111111");
        let mut slot = [0u8; 32];
        slot[31] = 1;
        assert_eq!(
            flat_key(address, B256::new(slot)),
            b256!("51466073591bd99529b7cee8e9cf8f7b0a9b5b770f90e5caf2b6b6d4b3ee5ae3")
        );
        // 12 zeros ‖ 0x…8003 ‖ 12 zeros ‖ 0x1111…11
        assert_eq!(
            account_properties_flat_key(address),
            b256!("36ee0477e38756352977e661e86bedbaefb444d7957c202e199e060fc93d798c")
        );
    }
}
