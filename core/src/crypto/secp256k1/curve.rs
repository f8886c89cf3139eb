//! The constants of secp256k1 (SEC 2 v2, section 2.4.1): `y² = x³ + 7` over the field of
//! `p = 2²⁵⁶ − 2³² − 977` with a group of prime order `n`; the Montgomery constants are
//! derived and checked in this module's tests.

use crate::bigint::montgomery::MontgomeryField;
use crate::primitives::U256;
use ruint::uint;

/// The base field: residues modulo `p`.
pub const FIELD: MontgomeryField = MontgomeryField::new(
    uint!(0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f_U256),
    uint!(0x3642e6faeaac7c6663b93d3d6a0d489e434ddc0123db5fa627c7f6e22ddacacf_U256),
    uint!(0x1000007a2000e90a1_U256),
    uint!(0x1000003d1_U256),
);

/// The scalar field: residues modulo the group order `n`.
pub const SCALARS: MontgomeryField = MontgomeryField::new(
    uint!(0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141_U256),
    uint!(0x261776f29b6b106c7680cf3ed83054a1af5ae537cb4613dbb4f20099aa774ec1_U256),
    uint!(0x9d671cd581c69bc5e697f5e45bcd07c6741496c20e7cf878896cf21467d7d140_U256),
    uint!(0x14551231950b75fc4402da1732fc9bebf_U256),
);

/// `n − 2`: `x^(n−2) = x⁻¹` modulo `n`.
pub const SCALAR_INVERSE_EXPONENT: U256 =
    uint!(0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd036413f_U256);

/// The curve's `b = 7` in Montgomery form (`7·2²⁵⁶ mod p`).
pub const B_MONTGOMERY: U256 = uint!(0x700001ab7_U256);

/// The endomorphism's `β` (a cube root of unity modulo `p`) in Montgomery form:
/// `λ·(x, y) = (β·x, y)`. `β` and `λ` as libsecp256k1 and `k256` (`arithmetic/projective.rs`,
/// `arithmetic/mul.rs`) have them.
pub const BETA_MONTGOMERY: U256 =
    uint!(0x7a4a36aebcbb3d53f8e98978d02e390503fde1631c4b80af58a4361c8e81894e_U256);

/// The endomorphism's `β`, plain (libsecp256k1's and `k256`'s value; checked against
/// [`BETA_MONTGOMERY`] in the tests).
pub const BETA: U256 =
    uint!(0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501ee_U256);

/// The endomorphism's `λ` (a cube root of unity modulo `n`) in Montgomery form.
pub const LAMBDA_MONTGOMERY: U256 =
    uint!(0x532840178558d63973a9660652697d912c93e7ad83c6944cf07deb3dc9926c9e_U256);

/// `⌊n / 2⌋`: scalars above it are taken as negative in the endomorphism split.
pub const HALF_ORDER: U256 =
    uint!(0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0_U256);

/// `g1 = round(2³⁸⁴·b2 / n)` of the endomorphism split (`k256`'s `arithmetic/mul/glv.rs`).
pub const GLV_G1: U256 =
    uint!(0x3086d221a7d46bcde86c90e49284eb153daa8a1471e8ca7fe893209a45dbb031_U256);

/// `g2 = round(2³⁸⁴·(−b1) / n)`.
pub const GLV_G2: U256 =
    uint!(0xe4437ed6010e88286f547fa90abfe4c4221208ac9df506c61571b4ae8ac47f71_U256);

/// `−b1 = 0xe4437ed6010e88286f547fa90abfe4c3` in Montgomery form modulo `n`.
pub const GLV_MINUS_B1_MONTGOMERY: U256 =
    uint!(0x221208ac9df506c61571b4ae8ac47f711b1c8205faa6ed42c50468d00ad9263c_U256);

/// `−b2 mod n` with `b2 = 0x3086d221a7d46bcde86c90e49284eb15`, in Montgomery form.
pub const GLV_MINUS_B2_MONTGOMERY: U256 =
    uint!(0xc25575eb8e173580176cdf65ba244fce1e8a8dc5f3ba59390cac5e506a144696_U256);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bigint::montgomery::tests::derive;

    #[test]
    fn montgomery_constants_match_their_derivation() {
        assert_eq!(FIELD, derive(*FIELD.modulus()));
        assert_eq!(SCALARS, derive(*SCALARS.modulus()));
        // p = 2²⁵⁶ − 2³² − 977 (SEC 2's definition) and the exponent from the modulus.
        let p = U256::MAX - U256::from((1u64 << 32) + 977) + U256::from(1);
        assert_eq!(*FIELD.modulus(), p);
        assert_eq!(SCALAR_INVERSE_EXPONENT, *SCALARS.modulus() - U256::from(2));
        // n and G as k256 has them.
        use k256::elliptic_curve::Curve;
        let order = k256::Secp256k1::ORDER.to_be_bytes();
        assert_eq!(*SCALARS.modulus(), U256::from_be_slice(&order));
        assert_eq!(B_MONTGOMERY, FIELD.to_montgomery(&U256::from(7)));
        assert_eq!(HALF_ORDER, *SCALARS.modulus() >> 1);
    }

    #[test]
    fn endomorphism_constants_are_consistent() {
        let one = U256::from(1);
        let n = *SCALARS.modulus();
        let p = *FIELD.modulus();
        let beta = FIELD.from_montgomery(&BETA_MONTGOMERY);
        let lambda = SCALARS.from_montgomery(&LAMBDA_MONTGOMERY);
        // Non-trivial cube roots of one in both fields.
        assert_ne!(beta, one);
        assert_eq!(beta, BETA);
        assert_ne!(lambda, one);
        assert_eq!(beta.pow_mod(U256::from(3), p), one);
        assert_eq!(lambda.pow_mod(U256::from(3), n), one);
        // The lattice (a1, b1), (a2, b2) of the split: a1 = b2, a1 + b1·λ ≡ 0 and
        // a2 + b2·λ ≡ 0 (mod n), with a2 = a1 − b1 (libsecp256k1's basis).
        let minus_b1 = SCALARS.from_montgomery(&GLV_MINUS_B1_MONTGOMERY);
        let b2 = n - SCALARS.from_montgomery(&GLV_MINUS_B2_MONTGOMERY);
        let a1 = b2;
        let a2 = a1 + minus_b1;
        assert_eq!(a1.add_mod(n - minus_b1.mul_mod(lambda, n), n), U256::ZERO);
        assert_eq!(a2.add_mod(b2.mul_mod(lambda, n), n), U256::ZERO);
        // g1 = round(2³⁸⁴·b2 / n), g2 = round(2³⁸⁴·(−b1) / n).
        type U640 = ruint::Uint<640, 10>;
        let rounded = |b: U256| {
            let wide: U640 = (U640::from(b) << 384) + (U640::from(n) >> 1);
            let quotient: U640 = wide / U640::from(n);
            let quotient: [u64; 4] = quotient.as_limbs()[..4].try_into().unwrap();
            U256::from_limbs(quotient)
        };
        assert_eq!(GLV_G1, rounded(b2));
        assert_eq!(GLV_G2, rounded(minus_b1));
    }
}
