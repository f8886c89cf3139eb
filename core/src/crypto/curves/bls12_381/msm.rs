//! The bucket (Pippenger) multi-scalar multiplication of G1MSM and G2MSM.

use alloc::vec;
use alloc::vec::Vec;
use ark_bls12_381::Fr;
use ark_ec::CurveGroup;
use ark_ff::{BigInt, PrimeField};

/// Bits of a reduced scalar.
const SCALAR_BITS: usize = Fr::MODULUS_BIT_SIZE as usize;
/// Widest bucket window: 4095 buckets.
const MAX_WINDOW_BITS: usize = 12;

/// `Σ scalars[i] * bases[i]`, by separate scalar multiplications for a few pairs (one pair is a
/// plain multiplication, as EIP-2537 suggests) and by the bucket method above that: the scalars
/// are cut into windows of `c` bits, each window sorts the bases into `2^c - 1` buckets by digit,
/// and the buckets are summed with running sums; windows are combined from the top with `c`
/// doublings each.
pub(super) fn msm<G: CurveGroup<ScalarField = Fr>>(bases: &[G::Affine], scalars: &[Fr]) -> G {
    let Some(c) = bucket_window(bases.len()) else {
        return bases.iter().zip(scalars).map(|(b, s)| *b * s).sum();
    };
    let scalars: Vec<BigInt<4>> = scalars.iter().map(|s| s.into_bigint()).collect();
    let windows = SCALAR_BITS.div_ceil(c);
    let mut buckets = vec![G::zero(); (1 << c) - 1];
    let mut result = G::zero();
    for window in (0..windows).rev() {
        for _ in 0..c {
            result.double_in_place();
        }
        buckets.fill(G::zero());
        for (base, scalar) in bases.iter().zip(&scalars) {
            if let Some(bucket) = digit(scalar, window * c, c).checked_sub(1) {
                buckets[bucket] += base;
            }
        }
        let mut running = G::zero();
        for bucket in buckets.iter().rev() {
            running += bucket;
            result += running;
        }
    }
    result
}

/// The `c` bits of `scalar` from bit `start` (`c < 64`, `start < 256`).
fn digit(scalar: &BigInt<4>, start: usize, c: usize) -> usize {
    let (limb, offset) = (start / 64, start % 64);
    let mut bits = scalar.0.get(limb).map_or(0, |l| l >> offset);
    if offset + c > 64 {
        bits |= scalar.0.get(limb + 1).map_or(0, |l| l << (64 - offset));
    }
    (bits & ((1u64 << c) - 1)) as usize
}

/// The bucket window width for `n` pairs, or `None` when `n` separate double-and-add
/// multiplications (about 1.5 group operations per scalar bit each) cost less. A window of `c`
/// bits costs about `n + 2^(c+1)` additions per window, plus one doubling per bit.
fn bucket_window(n: usize) -> Option<usize> {
    let separate = n.saturating_mul(SCALAR_BITS + SCALAR_BITS / 2);
    (1..=MAX_WINDOW_BITS)
        .map(|c| {
            let per_window = n.saturating_add(2 << c);
            let cost = SCALAR_BITS.div_ceil(c).saturating_mul(per_window);
            (c, cost.saturating_add(SCALAR_BITS))
        })
        .min_by_key(|&(_, cost)| cost)
        .filter(|&(_, cost)| cost < separate)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::{G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::AffineRepr;

    #[test]
    fn msm_matches_the_naive_sum() {
        let g1 = G1Affine::generator();
        let g2 = G2Affine::generator();
        for n in [1usize, 2, 3, 7, 8, 33, 200] {
            let bases1: Vec<G1Affine> = (1..=n as u64)
                .map(|i| (g1 * Fr::from(i)).into_affine())
                .collect();
            let bases2: Vec<G2Affine> = (1..=n as u64)
                .map(|i| (g2 * Fr::from(i + 5)).into_affine())
                .collect();
            let scalars: Vec<Fr> = (0..n as u64)
                .map(|i| -Fr::from(i * 0x1234_5678_9abc + 3))
                .collect();
            let naive1: G1Projective = bases1.iter().zip(&scalars).map(|(b, s)| *b * s).sum();
            let naive2: G2Projective = bases2.iter().zip(&scalars).map(|(b, s)| *b * s).sum();
            assert_eq!(msm::<G1Projective>(&bases1, &scalars), naive1);
            assert_eq!(msm::<G2Projective>(&bases2, &scalars), naive2);
        }
    }

    #[test]
    fn digits_cross_limbs() {
        let scalar = BigInt::new([0xf000_0000_0000_0001, 0b1011, 0, 1 << 62]);
        assert_eq!(digit(&scalar, 0, 4), 1);
        assert_eq!(digit(&scalar, 60, 8), 0b1011_1111);
        assert_eq!(digit(&scalar, 62, 2), 0b11);
        assert_eq!(digit(&scalar, 254, 4), 0b01);
    }

    #[test]
    fn window_widths() {
        // n = 4: c = 2 costs 128 * (4 + 8) + 255 = 1791 > 4 * 382 = 1528 separately.
        assert_eq!(bucket_window(1), None);
        assert_eq!(bucket_window(4), None);
        // n = 8: c = 3 costs 85 * (8 + 16) + 255 = 2295 < 3056.
        assert_eq!(bucket_window(8), Some(3));
        // n = 128: c = 5 costs 51 * (128 + 64) + 255 = 10047, c = 6 costs 43 * 256 + 255.
        assert_eq!(bucket_window(128), Some(5));
        assert_eq!(bucket_window(1_000_000), Some(MAX_WINDOW_BITS));
    }
}
