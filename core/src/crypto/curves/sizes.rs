//! Byte lengths of the curve precompiles' encodings, shared by the gas side
//! (`precompiles::{bn254, point_evaluation, bls12_381}`) and the arithmetic (`curves::*`).

/// bn254: bytes of one (G1, G2) pair in the pairing input (EIP-197).
pub(crate) const BN254_PAIR_LEN: usize = 192;
/// bn254: bytes of the addition input (`p1 ‖ p2`) once zero-padded (EIP-196).
pub(crate) const BN254_ADD_INPUT_LEN: usize = 128;
/// bn254: bytes of the multiplication input (`p ‖ k`) once zero-padded (EIP-196).
pub(crate) const BN254_MUL_INPUT_LEN: usize = 96;

/// KZG: bytes of a compressed BLS12-381 G1 point (the commitment and the proof, EIP-4844).
pub(crate) const G1_COMPRESSED_LEN: usize = 48;

/// BLS12-381 (EIP-2537): bytes of an encoded base-field element (the top 16 are zero padding).
pub(crate) const FP_LEN: usize = 64;
/// BLS12-381: bytes of an encoded Fp2 element.
pub(crate) const FP2_LEN: usize = 2 * FP_LEN;
/// BLS12-381: bytes of an encoded G1 point.
pub(crate) const G1_LEN: usize = 2 * FP_LEN;
/// BLS12-381: bytes of an encoded G2 point.
pub(crate) const G2_LEN: usize = 2 * FP2_LEN;
/// BLS12-381: bytes of an encoded scalar.
pub(crate) const SCALAR_LEN: usize = 32;
