//! secp256k1 public-key recovery (pure Rust, via `k256`).

use crate::primitives::{keccak256, Address, B256};
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};

/// Recovers the address that signed the 32-byte `prehash` with signature `(r, s)` and
/// recovery id `y_parity`. Returns `None` for any invalid signature (zero or out-of-range
/// scalars, no point on the curve). Does not enforce the low-s rule; callers that need it
/// check `s` themselves.
pub fn recover_address(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<Address> {
    let signature = Signature::from_scalars(r.0, s.0).ok()?;
    let recovery_id = RecoveryId::new(y_parity, false);
    let key =
        VerifyingKey::recover_from_prehash(prehash.as_slice(), &signature, recovery_id).ok()?;
    let point = key.to_sec1_point(false);
    let hash = keccak256(&point.as_bytes()[1..]);
    Some(Address::from_slice(&hash[12..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{address, b256};

    #[test]
    fn recovers_eip155_example_signer() {
        // EIP-155 example: private key 0x4646..46 signs the legacy transfer whose signing hash is
        // daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53 (v = 37 -> parity 0).
        let hash = b256!("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
        let r = b256!("28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276");
        let s = b256!("67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
        assert_eq!(
            recover_address(&hash, &r, &s, false),
            Some(address!("9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"))
        );
    }

    #[test]
    fn rejects_zero_scalars() {
        let hash = B256::repeat_byte(1);
        assert_eq!(
            recover_address(&hash, &B256::ZERO, &B256::repeat_byte(1), false),
            None
        );
    }
}
