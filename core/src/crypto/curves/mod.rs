//! The arithmetic of the rarely used heavy precompiles, behind a host boundary: the elliptic
//! curves of bn254 (0x06–0x08), KZG (0x0a), BLS12-381 (0x0b–0x11) and P256VERIFY (0x100), and
//! with them RIPEMD-160 (0x03) and modexp's big numbers (0x05), whose code is as large and as
//! seldom needed.
//!
//! The precompiles check lengths and charge gas and native, then hand the arithmetic to a
//! [`CurveBackend`]. With the `curves` feature (native, riscv32, the core's own wasm32 build)
//! the default backend, [`Linked`], runs [`CurveOp::compute`] in the same binary. The npm
//! package builds the engine without the feature, so its main wasm module carries none of this
//! code, and runs [`CurveOp::compute`] in a second wasm module (`bindings-wasm/curves`) it
//! loads on first use. Either way the answer is [`CurveOp::compute`]'s, so a result never
//! depends on the host. A backend that cannot answer yet refuses ([`CurvesNotLoaded`]); the
//! engine then fails the request that needed it and changes nothing (see
//! [`crate::io::Io::curves_refused`]).

#[cfg(feature = "curves")]
mod bls12_381;
#[cfg(feature = "curves")]
mod bn254;
#[cfg(all(
    feature = "curves",
    any(test, all(target_arch = "riscv32", feature = "delegation"))
))]
mod bn254_delegated;
#[cfg(all(
    feature = "curves",
    any(test, all(target_arch = "riscv32", feature = "delegation"))
))]
mod bn254_g1;
#[cfg(feature = "curves")]
mod kzg;
#[cfg(feature = "curves")]
mod modexp;
#[cfg(all(
    feature = "curves",
    any(test, all(target_arch = "riscv32", feature = "delegation"))
))]
mod modexp_word;
#[cfg(feature = "curves")]
mod p256;
#[cfg(feature = "curves")]
mod ripemd160;
pub(crate) mod sizes;

use alloc::vec::Vec;

/// One operation of the on-demand arithmetic (see the module). Its code is the address of the
/// precompile it serves; the inputs are the precompile's after its length checks and padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub enum CurveOp {
    /// RIPEMD-160 of the whole input → a 32-byte word (the digest, left-padded).
    Ripemd160 = 0x03,
    /// modexp of the precompile's whole input (EIP-198 layout, lengths already priced) →
    /// `mod_len` bytes.
    ModExp = 0x05,
    /// bn254 `p1 + p2` of `p1 ‖ p2` (128 bytes) → 64 bytes.
    Bn254Add = 0x06,
    /// bn254 `k * p` of `p ‖ k` (96 bytes) → 64 bytes.
    Bn254Mul = 0x07,
    /// bn254 pairing check of `k` pairs (192 bytes each) → a 32-byte word, 1 or 0.
    Bn254Pairing = 0x08,
    /// KZG proof check of `z ‖ y ‖ commitment ‖ proof` (160 bytes) → empty if it holds.
    KzgProof = 0x0a,
    /// BLS12-381 G1 addition of `a ‖ b` (256 bytes) → 128 bytes.
    Bls12G1Add = 0x0b,
    /// BLS12-381 G1 MSM of `k >= 1` pairs `point ‖ scalar` (160 bytes each) → 128 bytes.
    Bls12G1Msm = 0x0c,
    /// BLS12-381 G2 addition of `a ‖ b` (512 bytes) → 256 bytes.
    Bls12G2Add = 0x0d,
    /// BLS12-381 G2 MSM of `k >= 1` pairs `point ‖ scalar` (288 bytes each) → 256 bytes.
    Bls12G2Msm = 0x0e,
    /// BLS12-381 pairing check of `k >= 1` pairs (384 bytes each) → a 32-byte word, 1 or 0.
    Bls12PairingCheck = 0x0f,
    /// BLS12-381 map of one Fp element (64 bytes) to G1 → 128 bytes.
    Bls12MapFpToG1 = 0x10,
    /// BLS12-381 map of one Fp2 element (128 bytes) to G2 → 256 bytes.
    Bls12MapFp2ToG2 = 0x11,
    /// secp256r1 verification of `hash ‖ r ‖ s ‖ qx ‖ qy` (160 bytes) → a 32-byte word 1 if
    /// it holds, else empty (never malformed).
    P256Verify = 0x100,
}

impl CurveOp {
    /// Every operation, in code order.
    pub const ALL: [CurveOp; 14] = [
        CurveOp::Ripemd160,
        CurveOp::ModExp,
        CurveOp::Bn254Add,
        CurveOp::Bn254Mul,
        CurveOp::Bn254Pairing,
        CurveOp::KzgProof,
        CurveOp::Bls12G1Add,
        CurveOp::Bls12G1Msm,
        CurveOp::Bls12G2Add,
        CurveOp::Bls12G2Msm,
        CurveOp::Bls12PairingCheck,
        CurveOp::Bls12MapFpToG1,
        CurveOp::Bls12MapFp2ToG2,
        CurveOp::P256Verify,
    ];

    /// The operation's code (what crosses a host boundary).
    pub fn code(self) -> u16 {
        self as u16
    }

    /// The operation with `code`, if any.
    pub fn from_code(code: u16) -> Option<CurveOp> {
        CurveOp::ALL.into_iter().find(|op| op.code() == code)
    }

    /// The output of this operation on `input`; `None` when the input is malformed (a wrong
    /// length, a value out of range, a point off the curve or outside the subgroup) or a proof
    /// does not hold.
    #[cfg(feature = "curves")]
    pub fn compute(self, input: &[u8]) -> Option<Vec<u8>> {
        match self {
            CurveOp::Ripemd160 => Some(ripemd160::word(input)),
            CurveOp::ModExp => modexp::result(input),
            #[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
            CurveOp::Bn254Add => bn254::add(input),
            #[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
            CurveOp::Bn254Mul => bn254::mul(input),
            #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
            CurveOp::Bn254Add => bn254_g1::add(input),
            #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
            CurveOp::Bn254Mul => bn254_g1::mul(input),
            #[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
            CurveOp::Bn254Pairing => bn254::pairing::<ark_bn254::Config>(input),
            #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
            CurveOp::Bn254Pairing => bn254::pairing::<bn254_delegated::Config>(input),
            CurveOp::KzgProof => kzg::verify_proof(input),
            CurveOp::Bls12G1Add => bls12_381::g1_add(input),
            CurveOp::Bls12G1Msm => bls12_381::g1_msm(input),
            CurveOp::Bls12G2Add => bls12_381::g2_add(input),
            CurveOp::Bls12G2Msm => bls12_381::g2_msm(input),
            CurveOp::Bls12PairingCheck => bls12_381::pairing_check(input),
            CurveOp::Bls12MapFpToG1 => bls12_381::map_fp_to_g1(input),
            CurveOp::Bls12MapFp2ToG2 => bls12_381::map_fp2_to_g2(input),
            CurveOp::P256Verify => p256::verify(input),
        }
    }
}

/// A backend refused an operation: the code that computes it is not loaded (yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurvesNotLoaded;

/// Runs curve operations for the precompiles. Every implementation must answer with
/// [`CurveOp::compute`]'s result (the same code, in this binary or another), or refuse.
pub trait CurveBackend {
    /// The output of `op` on `input`, `Ok(None)` when the input is malformed, or
    /// `Err(CurvesNotLoaded)` when this backend cannot run it now.
    fn run(&self, op: CurveOp, input: &[u8]) -> Result<Option<Vec<u8>>, CurvesNotLoaded>;
}

/// The backend that runs [`CurveOp::compute`] in this binary.
#[cfg(feature = "curves")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Linked;

#[cfg(feature = "curves")]
impl CurveBackend for Linked {
    fn run(&self, op: CurveOp, input: &[u8]) -> Result<Option<Vec<u8>>, CurvesNotLoaded> {
        Ok(op.compute(input))
    }
}

/// The backend that has no curve code: it refuses every operation (the default of a build
/// without the `curves` feature until the host installs its own).
#[derive(Clone, Copy, Debug, Default)]
pub struct Unlinked;

impl CurveBackend for Unlinked {
    fn run(&self, _op: CurveOp, _input: &[u8]) -> Result<Option<Vec<u8>>, CurvesNotLoaded> {
        Err(CurvesNotLoaded)
    }
}

/// The backend engines start with: [`Linked`] with the `curves` feature, else [`Unlinked`].
#[cfg(feature = "curves")]
pub const DEFAULT_CURVES: &dyn CurveBackend = &Linked;
/// The backend engines start with: [`Linked`] with the `curves` feature, else [`Unlinked`].
#[cfg(not(feature = "curves"))]
pub const DEFAULT_CURVES: &dyn CurveBackend = &Unlinked;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_precompile_addresses() {
        use crate::precompiles::Precompile;
        for op in CurveOp::ALL {
            let mut bytes = [0u8; 20];
            bytes[18..].copy_from_slice(&op.code().to_be_bytes());
            let address = crate::primitives::Address::from(bytes);
            assert!(Precompile::at(
                &address,
                crate::config::Hardfork::Osaka,
                crate::config::FlowKind::Ethereum,
                crate::resources::precompile_native::PrecompileSet::Full
            )
            .is_some());
            assert_eq!(CurveOp::from_code(op.code()), Some(op));
        }
        // ecrecover, SHA-256 and identity stay in every build.
        for code in [0x01, 0x02, 0x04, 0x09] {
            assert_eq!(CurveOp::from_code(code), None);
        }
        assert_eq!(CurveOp::from_code(0x12), None);
        assert_eq!(CurveOp::from_code(0x101), None);
    }

    #[test]
    fn unlinked_refuses() {
        assert_eq!(
            Unlinked.run(CurveOp::Bn254Add, &[0u8; 128]),
            Err(CurvesNotLoaded)
        );
    }

    #[cfg(feature = "curves")]
    #[test]
    fn ripemd160_and_modexp_answer_any_input() {
        // RIPEMD-160("abc") = 8eb208f7e05d987a9b044a8e98c6b087f15a0bfc (the reference vectors
        // of Bosselaers' RIPEMD-160 page), left-padded to a word.
        let mut word = [0u8; 32];
        word[12..].copy_from_slice(&crate::primitives::hex!(
            "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"
        ));
        assert_eq!(CurveOp::Ripemd160.compute(b"abc"), Some(word.to_vec()));
        // Seven zero bytes read as three zero lengths: an empty result.
        assert_eq!(CurveOp::ModExp.compute(&[0u8; 7]), Some(Vec::new()));
        // 3^5 mod 7 = 243 mod 7 = 5, lengths 1, 1, 1.
        let mut input = [0u8; 99];
        for (field, value) in [(0, 1u8), (1, 1), (2, 1)] {
            input[field * 32 + 31] = value;
        }
        input[96..].copy_from_slice(&[3, 5, 7]);
        assert_eq!(CurveOp::ModExp.compute(&input), Some(alloc::vec![5]));
        // A length field beyond 64 bits cannot be addressed: malformed.
        let mut huge = input;
        huge[0] = 1;
        assert_eq!(CurveOp::ModExp.compute(&huge), None);
    }

    #[cfg(feature = "curves")]
    #[test]
    fn compute_rejects_wrong_lengths() {
        // RIPEMD-160 and modexp take input of any length.
        for op in CurveOp::ALL
            .into_iter()
            .filter(|op| !matches!(op, CurveOp::Ripemd160 | CurveOp::ModExp))
        {
            // P256VERIFY answers every input: a wrong length is a signature that does not hold.
            let expected = (op == CurveOp::P256Verify).then(Vec::new);
            assert_eq!(op.compute(&[0u8; 7]), expected, "{op:?}");
        }
        // The empty bn254 pairing is the empty product (1); an empty BLS12-381 one is malformed.
        assert_eq!(CurveOp::Bn254Pairing.compute(&[]).map(|w| w[31]), Some(1));
        assert_eq!(CurveOp::Bls12PairingCheck.compute(&[]), None);
    }
}
