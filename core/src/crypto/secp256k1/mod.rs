//! secp256k1 public-key recovery: one group law and recovery ([`point`], [`recovery`]) over a
//! field representation per target ([`field`]): on riscv32 with the `delegation` feature the
//! guest multiplies in Montgomery form on the bigint coprocessor ([`montgomery_element`]);
//! every other target uses limbs with secp256k1's fast reduction: 64-bit limbs where a
//! 64×64→128 product is one instruction ([`field_4x64`]), 26-bit limbs on 32-bit targets such
//! as wasm32 ([`field_10x26`]).
//! Both make the decisions `k256` makes on every input (tested against it here).

mod affine_tables;
mod curve;
mod ecmult;
pub mod field;
pub mod field_10x26;
#[cfg(target_pointer_width = "64")]
pub mod field_4x64;
#[cfg(any(target_pointer_width = "64", target_arch = "wasm32"))]
mod generator_runtime;
mod generator_table;
mod generator_table_plain;
mod inverse;
pub mod montgomery_element;
pub mod point;
mod power_chain;
pub mod recovery;

use alloc::vec::Vec;

use crate::primitives::{keccak256, Address, B256};

/// Recovers the address that signed the 32-byte `prehash` with signature `(r, s)` and
/// recovery id `y_parity`. Returns `None` for any invalid signature (zero or out-of-range
/// scalars, no point on the curve, a recovered point at infinity). Does not enforce the low-s
/// rule; callers that need it check `s` themselves.
pub fn recover_address(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<Address> {
    public_key(prehash, r, s, y_parity).map(|key| address_of(&key))
}

/// [`recover_address`] of each of `signatures` (`(prehash, r, s, y_parity)`), in order, with
/// the two inversions of a recovery shared by all of them
/// ([`recovery::recover_public_keys`]): the same answers, each signature's alone.
pub fn recover_addresses(signatures: &[recovery::Signed]) -> Vec<Option<Address>> {
    public_keys(signatures)
        .into_iter()
        .map(|key| key.map(|key| address_of(&key)))
        .collect()
}

/// The address of an uncompressed public key: the low 20 bytes of its keccak.
fn address_of(key: &[u8; 64]) -> Address {
    Address::from_slice(&keccak256(key.as_slice())[12..])
}

/// The uncompressed public keys of [`recover_addresses`] through the coprocessor.
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
fn public_keys(signatures: &[recovery::Signed]) -> Vec<Option<[u8; 64]>> {
    recovery::recover_public_keys::<montgomery_element::Montgomery>(signatures)
}

/// The uncompressed public keys of [`recover_addresses`] in the target's limbs.
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
fn public_keys(signatures: &[recovery::Signed]) -> Vec<Option<[u8; 64]>> {
    recovery::recover_public_keys::<LimbedField>(signatures)
}

/// The uncompressed public key (`x ‖ y`) through the coprocessor.
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
fn public_key(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<[u8; 64]> {
    recovery::recover_public_key::<montgomery_element::Montgomery>(prehash, r, s, y_parity)
}

/// The uncompressed public key (`x ‖ y`) in the target's limbs.
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
fn public_key(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<[u8; 64]> {
    recovery::recover_public_key::<LimbedField>(prehash, r, s, y_parity)
}

/// The base field's representation on 64-bit targets.
#[cfg(all(
    not(all(target_arch = "riscv32", feature = "delegation")),
    target_pointer_width = "64"
))]
type LimbedField = field_4x64::Fe64;

/// The base field's representation on 32-bit targets: wasm32 pays a library call for each
/// 64×64→128 product, so 52-bit limbs took 490 µs per recovery in Node against 303 µs in
/// 26-bit limbs (k256: 567 µs; 2026-12-05, README "Sizes").
#[cfg(all(
    not(all(target_arch = "riscv32", feature = "delegation")),
    not(target_pointer_width = "64")
))]
type LimbedField = field_10x26::Fe26;

/// The tests check every limb representation against `k256`, the 64-bit one included, so they
/// build for 64-bit hosts only.
#[cfg(all(test, target_pointer_width = "64"))]
mod tests;
