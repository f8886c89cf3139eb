//! secp256k1 public-key recovery. On riscv32 with the `delegation` feature the guest runs its
//! own arithmetic over the bigint coprocessor ([`recovery`]); every other target uses `k256`.
//! Both make the same decisions on every input (tested against each other here).

mod curve;
mod ecmult;
mod generator_table;
mod point;
pub mod recovery;

use crate::primitives::{keccak256, Address, B256};

/// Recovers the address that signed the 32-byte `prehash` with signature `(r, s)` and
/// recovery id `y_parity`. Returns `None` for any invalid signature (zero or out-of-range
/// scalars, no point on the curve, a recovered point at infinity). Does not enforce the low-s
/// rule; callers that need it check `s` themselves.
pub fn recover_address(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<Address> {
    let key = public_key(prehash, r, s, y_parity)?;
    let hash = keccak256(key.as_slice());
    Some(Address::from_slice(&hash[12..]))
}

/// The uncompressed public key (`x ‖ y`) through the coprocessor.
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
fn public_key(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<[u8; 64]> {
    recovery::recover_public_key(prehash, r, s, y_parity)
}

/// The uncompressed public key (`x ‖ y`) through `k256`.
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
fn public_key(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<[u8; 64]> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    let signature = Signature::from_scalars(r.0, s.0).ok()?;
    let recovery_id = RecoveryId::new(y_parity, false);
    let key =
        VerifyingKey::recover_from_prehash(prehash.as_slice(), &signature, recovery_id).ok()?;
    let point = key.to_sec1_point(false);
    point.as_bytes()[1..].try_into().ok()
}

#[cfg(test)]
mod tests;
