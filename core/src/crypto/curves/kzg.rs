//! The proof check of KZG point evaluation (EIP-4844): `e(commitment - [y]G1, G2) ==
//! e(proof, [τ]G2 - [z]G2)`. Length, gas, native and the versioned hash are the precompile's
//! (`precompiles::point_evaluation`).

use super::sizes::G1_COMPRESSED_LEN;
use crate::primitives::hex;
use alloc::vec::Vec;
use ark_bls12_381::{Bls12_381, Fr, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInt, PrimeField, Zero};
use ark_serialize::CanonicalDeserialize;

/// Bytes of a scalar (`z`, `y`).
const SCALAR_LEN: usize = 32;
/// Bytes of the opening `z ‖ y ‖ commitment ‖ proof`.
const OPENING_LEN: usize = 2 * SCALAR_LEN + 2 * G1_COMPRESSED_LEN;

/// `[τ]G2` of the Ethereum KZG ceremony (g2_monomial[1] of the mainnet trusted setup),
/// compressed. Verification needs no other setup point.
const TAU_G2_COMPRESSED: [u8; 96] = hex!(
    "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d"
    "2914e5870cb452d2afaaab24f3499f72185cbfee53492714734429b7b38608e2"
    "3926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2"
);

/// An empty output if the opening `z ‖ y ‖ commitment ‖ proof` (160 bytes) holds; `None` if it
/// does not or a field element or point is malformed.
pub(super) fn verify_proof(opening: &[u8]) -> Option<Vec<u8>> {
    if opening.len() != OPENING_LEN {
        return None;
    }
    let (z, rest) = opening.split_at(SCALAR_LEN);
    let (y, rest) = rest.split_at(SCALAR_LEN);
    let (commitment, proof) = rest.split_at(G1_COMPRESSED_LEN);
    let z = decode_scalar(z)?;
    let y = decode_scalar(y)?;
    let commitment = decode_g1(commitment)?;
    let proof = decode_g1(proof)?;
    // A compile-time constant from the ceremony; the subgroup check is skipped for it.
    let tau_g2 = G2Affine::deserialize_compressed_unchecked(TAU_G2_COMPRESSED.as_slice()).ok()?;
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    let commitment_minus_y = (commitment.into_group() - g1 * y).into_affine();
    let tau_minus_z = (tau_g2.into_group() - g2 * z).into_affine();
    let lhs: Vec<G1Affine> = alloc::vec![commitment_minus_y, proof];
    let rhs: Vec<G2Affine> = alloc::vec![-g2, tau_minus_z];
    Bls12_381::multi_pairing(lhs, rhs).is_zero().then(Vec::new)
}

/// A scalar from 32 big-endian bytes; `None` if not below BLS_MODULUS.
fn decode_scalar(bytes: &[u8]) -> Option<Fr> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    Fr::from_bigint(BigInt::new(limbs))
}

/// A G1 point from its 48-byte compressed encoding, checked to be in the subgroup. The
/// infinity encoding must be exactly `0xc0` followed by zeros.
fn decode_g1(bytes: &[u8]) -> Option<G1Affine> {
    let point = G1Affine::deserialize_compressed(bytes).ok()?;
    if point.is_zero() {
        let (first, rest) = bytes.split_first()?;
        if *first != 0xc0 || rest.iter().any(|&b| b != 0) {
            return None;
        }
    }
    Some(point)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_matches_the_ceremony_generators() {
        // g1 and g2 generators as the trusted setup file encodes them (g2_monomial[0]).
        let g1 = hex!("97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
        assert_eq!(decode_g1(&g1), Some(G1Affine::generator()));
        let g2 = hex!(
            "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
            "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        );
        let g2 = G2Affine::deserialize_compressed(g2.as_slice()).unwrap();
        assert_eq!(g2, G2Affine::generator());
    }

    #[test]
    fn tau_g2_is_a_valid_subgroup_point() {
        let point = G2Affine::deserialize_compressed(TAU_G2_COMPRESSED.as_slice()).unwrap();
        assert!(!point.is_zero());
        assert_ne!(point, G2Affine::generator());
    }
}
