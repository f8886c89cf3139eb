//! The recovery over the bigint arithmetic ([`recovery`]) against `k256` ([`public_key`] on
//! the host) on signatures, random inputs and edge cases, and the constant table against
//! `k256`'s own multiples of `G`.

use super::affine_tables;
use super::curve::{FIELD, SCALARS};
use super::ecmult::{split_by_lambda, wnaf};
use super::field::{Affine, CurveField};
use super::field_10x26::Fe26;
use super::field_4x64::Fe64;
use super::generator_runtime;
use super::generator_table_plain::{GENERATOR_ODD_MULTIPLES, SHIFTED_GENERATOR_ODD_MULTIPLES};
use super::montgomery_element::Montgomery;
use super::recovery;
use super::*;
use crate::primitives::{address, b256, U256};
use alloc::format;
use alloc::vec::Vec;
use k256::ecdsa::SigningKey;
use k256::elliptic_curve::ff::PrimeField;
use k256::{ProjectivePoint, Scalar};

/// splitmix64: a seeded stream of test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn word(&mut self) -> B256 {
        B256::from(U256::from_limbs([
            self.next(),
            self.next(),
            self.next(),
            self.next(),
        ]))
    }
}

/// The key `k256` recovers: `Signature::from_scalars` and `recover_from_prehash`.
fn k256_public_key(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<[u8; 64]> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    let signature = Signature::from_scalars(r.0, s.0).ok()?;
    let recovery_id = RecoveryId::new(y_parity, false);
    let key =
        VerifyingKey::recover_from_prehash(prehash.as_slice(), &signature, recovery_id).ok()?;
    key.to_sec1_point(false).as_bytes()[1..].try_into().ok()
}

/// The key the host's recovery (64-bit limbs) finds.
fn recover_public_key(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> Option<[u8; 64]> {
    recovery::recover_public_key::<Fe64>(prehash, r, s, y_parity)
}

/// Asserts the three field representations agree with `k256` on the input; returns whether it
/// was accepted.
fn agree(prehash: &B256, r: &B256, s: &B256, y_parity: bool) -> bool {
    let expected = k256_public_key(prehash, r, s, y_parity);
    let case = format!("prehash {prehash}, r {r}, s {s}, y_parity {y_parity}");
    assert_eq!(
        recover_public_key(prehash, r, s, y_parity),
        expected,
        "{case}"
    );
    assert_eq!(
        recovery::recover_public_key::<Montgomery>(prehash, r, s, y_parity),
        expected,
        "{case}"
    );
    assert_eq!(
        recovery::recover_public_key::<Fe26>(prehash, r, s, y_parity),
        expected,
        "{case}"
    );
    // A batch of one: the block's path (`recover_public_keys`).
    assert_eq!(
        recovery::recover_public_keys::<Fe64>(&[(*prehash, *r, *s, y_parity)]),
        [expected],
        "{case}"
    );
    expected.is_some()
}

fn word(x: U256) -> B256 {
    B256::from(x)
}

fn scalar(x: &B256) -> Scalar {
    Scalar::from_repr(x.0.into()).expect("below n")
}

/// The SEC1 coordinates `x ‖ y` of `k256`'s `k·G`.
fn k256_multiple(k: u64) -> [u8; 64] {
    k256_point(&Scalar::from(k))
}

/// Checks that `tables` hold `(2i + 1)·G` and `(2i + 1)·2¹²⁸·G` at index `i`, as `k256`
/// computes them, with `len` entries each.
fn check_generator_tables<F: CurveField>(len: usize) {
    check_odd_multiples(F::generator_tables(), len);
}

/// Checks that `[table, shifted_table]` hold `(2i + 1)·G` and `(2i + 1)·2¹²⁸·G` at index `i`,
/// as `k256` computes them, with `len` entries each.
fn check_odd_multiples<F: CurveField>([table, shifted_table]: [&[Affine<F>]; 2], len: usize) {
    let shift = scalar(&word(U256::from(1) << 128));
    assert_eq!((table.len(), shifted_table.len()), (len, len));
    for (i, (entry, shifted)) in table.iter().zip(shifted_table).enumerate() {
        let odd = Scalar::from(2 * i as u64 + 1);
        for (entry, expected) in [
            (entry, k256_point(&odd)),
            (shifted, k256_point(&(odd * shift))),
        ] {
            assert_eq!(coordinates(entry), expected, "entry {i}");
        }
    }
}

#[test]
fn generator_tables_hold_the_odd_multiples() {
    check_generator_tables::<Montgomery>(64); // window 8
    check_generator_tables::<Fe26>(32); // window 7
    check_generator_tables::<Fe64>(1024); // window 12, built on first use
}

#[test]
fn tables_built_at_run_time_hold_the_odd_multiples() {
    // The 26-bit field's tables as wasm builds them at its first recovery.
    let table = generator_runtime::odd_multiples::<Fe26>(&GENERATOR_ODD_MULTIPLES[0], 32);
    let shifted = generator_runtime::odd_multiples::<Fe26>(&SHIFTED_GENERATOR_ODD_MULTIPLES[0], 32);
    check_odd_multiples([&table, &shifted], 32);
}

/// Checks that the shared-`Z` table of `k·G` holds `(2i + 1)·k·G` over its `Z`, as `k256`
/// computes them.
fn check_shared_z_table<F: CurveField>(k: &Scalar) {
    let point = k256_point(k);
    let p = Affine {
        x: F::from_u256(&U256::from_be_slice(&point[..32])),
        y: F::from_u256(&U256::from_be_slice(&point[32..])),
    };
    let (table, z) = point::Jacobian::odd_multiples_shared_z::<8>(&p);
    let z_inverse = z.invert();
    let z_inverse_2 = z_inverse.square();
    let z_inverse_3 = z_inverse_2.mul(&z_inverse);
    for (i, entry) in table.iter().enumerate() {
        let affine = Affine {
            x: entry.x.mul(&z_inverse_2),
            y: entry.y.mul(&z_inverse_3),
        };
        let odd = Scalar::from(2 * i as u64 + 1);
        assert_eq!(coordinates(&affine), k256_point(&(odd * k)), "entry {i}");
    }
}

#[test]
fn shared_z_tables_hold_the_odd_multiples() {
    let mut rng = Rng(9);
    let mut scalars = alloc::vec![Scalar::ONE, -Scalar::ONE];
    scalars.extend((0..50).map(|_| {
        scalar(&word(
            U256::from_be_bytes(rng.word().0) % *SCALARS.modulus(),
        ))
    }));
    for k in &scalars {
        check_shared_z_table::<Fe64>(k);
        check_shared_z_table::<Fe26>(k);
        check_shared_z_table::<Montgomery>(k);
    }
}

/// Checks that the affine tables of `±k·G` for each `k` of `scalars`, built together, hold
/// `(2i + 1)·(±k)·G` as `k256` computes them; `−k·G` enters with its `y` negated, at
/// magnitude 2, as recovery passes `R` after choosing its parity.
fn check_affine_tables<F: CurveField>(scalars: &[Scalar]) {
    let mut points = Vec::new();
    let mut signed_scalars = Vec::new();
    for k in scalars {
        let point = k256_point(k);
        let x = F::from_u256(&U256::from_be_slice(&point[..32]));
        let y = F::from_u256(&U256::from_be_slice(&point[32..]));
        points.extend([Affine { x, y }, Affine { x, y: y.negate(1) }]);
        signed_scalars.extend([*k, -*k]);
    }
    let tables = affine_tables::odd_multiples::<F, 8>(&points);
    assert_eq!(tables.len(), points.len());
    for (k, table) in signed_scalars.iter().zip(&tables) {
        for (i, entry) in table.iter().enumerate() {
            let odd = Scalar::from(2 * i as u64 + 1);
            assert_eq!(coordinates(entry), k256_point(&(odd * k)), "entry {i}");
        }
    }
}

#[test]
fn affine_tables_hold_the_odd_multiples() {
    let mut rng = Rng(10);
    let mut scalars = alloc::vec![Scalar::ONE, Scalar::from(2u64), -Scalar::ONE];
    scalars.extend((0..30).map(|_| {
        scalar(&word(
            U256::from_be_bytes(rng.word().0) % *SCALARS.modulus(),
        ))
    }));
    check_affine_tables::<Fe64>(&scalars);
    check_affine_tables::<Fe26>(&scalars);
    check_affine_tables::<Montgomery>(&scalars);
    assert!(affine_tables::odd_multiples::<Fe64, 8>(&[]).is_empty());
}

/// The big-endian coordinates `x ‖ y` of an affine point.
fn coordinates<F: CurveField>(point: &Affine<F>) -> [u8; 64] {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(&point.x.to_u256().to_be_bytes::<32>());
    bytes[32..].copy_from_slice(&point.y.to_u256().to_be_bytes::<32>());
    bytes
}

/// The value of a w-NAF, checking its digit rules on the way.
fn wnaf_value(digits: &[i16], window: u32) -> ruint::Uint<320, 5> {
    type Wide = ruint::Uint<320, 5>;
    let mut positive = Wide::ZERO;
    let mut negative = Wide::ZERO;
    let mut last = None;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            continue;
        }
        assert!(
            d % 2 != 0 && i32::from(d).abs() < 1 << (window - 1),
            "digit {d}"
        );
        if let Some(last) = last {
            assert!(i - last >= window as usize, "digits at {last} and {i}");
        }
        last = Some(i);
        let term = Wide::from(i32::from(d).unsigned_abs()) << i;
        if d > 0 {
            positive += term;
        } else {
            negative += term;
        }
    }
    assert!(positive >= negative);
    positive - negative
}

#[test]
fn wnaf_digits_sum_to_the_scalar() {
    let mut rng = Rng(5);
    let top = (U256::from(1) << 128) - U256::from(1);
    let mut values = alloc::vec![
        U256::ZERO,
        U256::from(1),
        top,
        top >> 1,
        top - U256::from(1)
    ];
    values.extend((0..500).map(|_| U256::from_be_bytes(rng.word().0) & top));
    for x in values {
        for window in [5, 7, 8, 12] {
            assert_eq!(
                wnaf_value(&wnaf(&x, window, false), window),
                ruint::Uint::from(x)
            );
            let negated = wnaf(&x, window, true).map(|d| -d);
            assert_eq!(wnaf_value(&negated, window), ruint::Uint::from(x));
        }
    }
}

#[test]
fn endomorphism_split_is_exact_and_short() {
    let n = *SCALARS.modulus();
    let lambda = SCALARS.from_montgomery(&super::curve::LAMBDA_MONTGOMERY);
    let bound = U256::from(1) << 128;
    let mut rng = Rng(6);
    let mut values = alloc::vec![
        U256::ZERO,
        U256::from(1),
        n - U256::from(1),
        n >> 1,
        (n >> 1) + U256::from(1),
        lambda,
        n - lambda,
        bound,
        bound - U256::from(1),
    ];
    values.extend((0..2000).map(|_| U256::from_be_bytes(rng.word().0) % n));
    for k in values {
        let (k1, k2) = split_by_lambda(&k);
        assert_eq!(k1.add_mod(k2.mul_mod(lambda, n), n), k, "k = {k}");
        for part in [k1, k2] {
            assert!(part < bound || n - part < bound, "k = {k}: {part}");
        }
    }
}

#[test]
fn recovers_what_k256_signs() {
    let mut rng = Rng(1);
    let n = *SCALARS.modulus();
    for _ in 0..500 {
        let key = SigningKey::from_slice(rng.word().as_slice()).expect("a key below n");
        let prehash = rng.word();
        let (signature, recovery_id) = key.sign_prehash_recoverable(prehash.as_slice());
        let bytes = signature.to_bytes();
        let r = B256::from_slice(&bytes[..32]);
        let s = B256::from_slice(&bytes[32..]);
        let parity = recovery_id.is_y_odd();
        assert!(agree(&prehash, &r, &s, parity));
        let expected_key: [u8; 64] = key.verifying_key().to_sec1_point(false).as_bytes()[1..]
            .try_into()
            .unwrap();
        assert_eq!(
            recover_public_key(&prehash, &r, &s, parity),
            Some(expected_key)
        );
        // The other parity recovers another key (or none); the high-s twin (n − s with the
        // other parity) recovers the same key: neither implementation applies the low-s rule.
        agree(&prehash, &r, &s, !parity);
        let high_s = word(n - U256::from_be_bytes(s.0));
        assert!(agree(&prehash, &r, &high_s, !parity));
        assert_eq!(
            recover_public_key(&prehash, &r, &high_s, !parity),
            Some(expected_key)
        );
    }
}

#[test]
fn agrees_with_k256_on_random_inputs() {
    let mut rng = Rng(2);
    let mut accepted = 0;
    let cases = 3000;
    for i in 0..cases {
        let (prehash, r, s) = (rng.word(), rng.word(), rng.word());
        // Random words are below n almost always; every fourth case sets the top bits so r or
        // s (or both) may reach n.
        let (r, s) = if i % 4 == 3 {
            let mut r = r;
            let mut s = s;
            r.0[..15].fill(0xff);
            s.0[..15].fill(0xff);
            (r, s)
        } else {
            (r, s)
        };
        if agree(&prehash, &r, &s, rng.next() & 1 == 1) {
            accepted += 1;
        }
    }
    // About half of the random x are on the curve (and three in four cases have r, s < n).
    assert!(
        accepted > cases / 4 && accepted < cases * 3 / 4,
        "{accepted}"
    );
}

#[test]
fn agrees_with_k256_on_edge_values() {
    let n = *SCALARS.modulus();
    let p = *FIELD.modulus();
    let g_x = U256::from_be_slice(&k256_multiple(1)[..32]);
    let values = [
        U256::ZERO,
        U256::from(1),
        U256::from(2),
        U256::from(3),
        n >> 1,
        (n >> 1) + U256::from(1),
        n - U256::from(1),
        n,
        n + U256::from(1),
        p - n,
        p - U256::from(1),
        p,
        U256::MAX,
        g_x,
    ];
    let mut accepted = 0;
    for r in values {
        for s in values {
            for z in [
                U256::ZERO,
                U256::from(1),
                n - U256::from(1),
                n,
                U256::MAX,
                g_x,
            ] {
                for parity in [false, true] {
                    if agree(&word(z), &word(r), &word(s), parity) {
                        accepted += 1;
                    }
                }
            }
        }
    }
    assert!(accepted > 0);
    // Small x, some on the curve and some not (x³ + 7 a non-residue).
    let on_curve = (1..64u64)
        .filter(|&x| {
            agree(
                &word(U256::from(99)),
                &word(U256::from(x)),
                &word(U256::from(5)),
                x % 2 == 0,
            )
        })
        .count();
    assert!(on_curve > 0 && on_curve < 63, "{on_curve}");
}

#[test]
fn rejects_a_recovered_point_at_infinity() {
    // With R = k·G and s = z·k⁻¹, s·R − z·G = 0: no key.
    let mut rng = Rng(3);
    for _ in 0..20 {
        let k = scalar(&word(
            U256::from_be_bytes(rng.word().0) % *SCALARS.modulus(),
        ));
        let prehash = word(U256::from_be_bytes(rng.word().0) % *SCALARS.modulus());
        let r_point = k256_point(&k);
        let r_x = U256::from_be_slice(&r_point[..32]);
        if r_x >= *SCALARS.modulus() {
            continue;
        }
        let parity = r_point[63] & 1 == 1;
        let s = scalar(&prehash) * k.invert().unwrap();
        let s = B256::from_slice(&s.to_repr());
        assert!(!agree(&prehash, &word(r_x), &s, parity));
    }
}

#[test]
fn agrees_with_k256_when_additions_meet_equal_or_opposite_points() {
    // R = ±G and s = −z make u1 = u2 (u1 = −z·r⁻¹, u2 = s·r⁻¹): the two digit strings are
    // equal, so the loop adds G's multiple and then the same (R = G) or the opposite (R = −G)
    // point of R's table.
    let g_x = word(U256::from_be_slice(&k256_multiple(1)[..32]));
    let mut rng = Rng(4);
    for _ in 0..20 {
        let z = U256::from_be_bytes(rng.word().0) % *SCALARS.modulus();
        let s = word(*SCALARS.modulus() - z);
        assert!(agree(&word(z), &g_x, &s, false));
        agree(&word(z), &g_x, &s, true);
    }
}

#[test]
fn batch_recovery_answers_each_signature_as_alone() {
    // Valid signatures among invalid ones of every kind: zero and out-of-range scalars, an x
    // off the curve, a sum at infinity (R = k·G, s = z·k⁻¹), random words.
    let mut rng = Rng(6);
    let n = *SCALARS.modulus();
    let g_x = word(U256::from_be_slice(&k256_multiple(1)[..32]));
    let mut set: Vec<recovery::Signed> = Vec::new();
    for i in 0..40u64 {
        let key = SigningKey::from_slice(&word(U256::from(i + 1) << 64).0).unwrap();
        let prehash = rng.word();
        let (signature, id) = key.sign_prehash_recoverable(prehash.as_slice());
        let bytes = signature.to_bytes();
        let (r, s) = (
            B256::from_slice(&bytes[..32]),
            B256::from_slice(&bytes[32..]),
        );
        set.push((prehash, r, s, id.is_y_odd()));
        set.push((rng.word(), rng.word(), rng.word(), i % 2 == 0));
        match i % 4 {
            0 => set.push((prehash, B256::ZERO, s, false)),
            1 => set.push((prehash, r, word(n), true)),
            2 => {
                let k = scalar(&word(U256::from(i + 2)));
                let r_point = k256_point(&k);
                let s = B256::from_slice(&(scalar(&prehash) * k.invert().unwrap()).to_repr());
                let r_x = B256::from_slice(&r_point[..32]);
                set.push((prehash, r_x, s, r_point[63] & 1 == 1));
            }
            _ => set.push((prehash, word(U256::from(5)), s, false)),
        }
        // R = ±G and s = −z: sums meeting the same or the opposite point (see
        // `agrees_with_k256_when_additions_meet_equal_or_opposite_points`) beside the others.
        if i % 3 == 0 {
            let z = U256::from_be_bytes(prehash.0) % n;
            set.push((word(z), g_x, word(n - z), i % 2 == 0));
        }
    }
    let expected: Vec<_> = set
        .iter()
        .map(|(prehash, r, s, parity)| k256_public_key(prehash, r, s, *parity))
        .collect();
    let accepted = expected.iter().flatten().count();
    assert!(accepted > 40 && accepted < 120, "{accepted}");
    assert_eq!(recovery::recover_public_keys::<Fe64>(&set), expected);
    assert_eq!(recovery::recover_public_keys::<Fe26>(&set), expected);
    assert_eq!(recovery::recover_public_keys::<Montgomery>(&set), expected);
    let addresses: Vec<_> = set
        .iter()
        .map(|(prehash, r, s, parity)| recover_address(prehash, r, s, *parity))
        .collect();
    assert_eq!(recover_addresses(&set), addresses);
    assert!(recover_addresses(&[]).is_empty());
}

#[test]
fn batch_recovery_spans_batches_of_tables() {
    // More valid signatures than two batches of tables, the last batch short, with invalid
    // ones between them: each answer is the signature's alone.
    let mut rng = Rng(12);
    let mut set: Vec<recovery::Signed> = Vec::new();
    for i in 0..2 * recovery::TABLE_BATCH as u64 + 41 {
        let key = SigningKey::from_slice(&word(U256::from(i + 7) << 32).0).unwrap();
        let prehash = rng.word();
        let (signature, id) = key.sign_prehash_recoverable(prehash.as_slice());
        let bytes = signature.to_bytes();
        set.push((
            prehash,
            B256::from_slice(&bytes[..32]),
            B256::from_slice(&bytes[32..]),
            id.is_y_odd(),
        ));
        if i % 8 == 0 {
            set.push((rng.word(), word(U256::from(i + 1)), rng.word(), i % 2 == 0));
        }
    }
    let expected: Vec<_> = set
        .iter()
        .map(|(prehash, r, s, parity)| k256_public_key(prehash, r, s, *parity))
        .collect();
    assert!(expected.iter().flatten().count() > 2 * recovery::TABLE_BATCH);
    assert!(expected.iter().any(Option::is_none));
    assert_eq!(recovery::recover_public_keys::<Fe64>(&set), expected);
    assert_eq!(recovery::recover_public_keys::<Fe26>(&set), expected);
}

fn k256_point(k: &Scalar) -> [u8; 64] {
    use k256::elliptic_curve::sec1::ToSec1Point;
    let point = (ProjectivePoint::GENERATOR * k).to_affine();
    point.to_sec1_point(false).as_bytes()[1..]
        .try_into()
        .unwrap()
}

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

/// An element of magnitude `magnitude` (the sum of that many elements from values below
/// 2²⁵⁶, some with every limb full) and its value modulo `p`.
fn element<F: CurveField>(rng: &mut Rng, magnitude: u32) -> (F, U256) {
    let p = *FIELD.modulus();
    let mut sum = F::from_u256(&U256::ZERO);
    let mut value = U256::ZERO;
    for _ in 0..magnitude {
        let x = match rng.next() % 4 {
            0 => U256::MAX,
            1 => p - U256::from(1),
            _ => U256::from_be_bytes(rng.word().0),
        };
        sum = sum.add(&F::from_u256(&x));
        value = value.add_mod(x % p, p);
    }
    (sum, value)
}

/// Checks every operation of `F` against `ruint`'s modular arithmetic at each magnitude of
/// `magnitudes` (the largest the representation's products accept).
fn check_field<F: CurveField>(magnitudes: &[u32]) {
    let p = *FIELD.modulus();
    let mut rng = Rng(7);
    for round in 0..400 {
        for &magnitude in magnitudes {
            let (x, a) = element::<F>(&mut rng, magnitude);
            let (y, b) = element::<F>(&mut rng, magnitude);
            let case = format!("round {round}, a {a}, b {b}, magnitude {magnitude}");
            assert_eq!(x.to_u256(), a, "{case}");
            assert_eq!(x.mul(&y).to_u256(), a.mul_mod(b, p), "{case}");
            assert_eq!(x.square().to_u256(), a.mul_mod(a, p), "{case}");
            assert_eq!(x.add(&y).to_u256(), a.add_mod(b, p), "{case}");
            assert_eq!(x.double().to_u256(), a.add_mod(a, p), "{case}");
            let difference = x.sub(&y, magnitude);
            assert_eq!(difference.to_u256(), a.add_mod(p - b, p), "{case}");
            // A difference (magnitude up to 2·magnitude + 1 when unreduced) still multiplies.
            let product = difference.mul(&F::from_u256(&U256::from(3)));
            assert_eq!(
                product.to_u256(),
                a.add_mod(p - b, p).mul_mod(U256::from(3), p)
            );
            assert_eq!(x.negate(magnitude).to_u256(), (p - a) % p, "{case}");
            check_in_place(x, y, a, b, magnitude);
            assert_eq!(x.is_zero(), a == U256::ZERO, "{case}");
            // Zero in unreduced limbs (a multiple of p), at up to twice the magnitude.
            assert!(x.sub(&x, magnitude).is_zero(), "{case}");
            assert!(x.add(&x.negate(magnitude)).is_zero(), "{case}");
            assert_eq!(x.is_odd(), a.bit(0), "{case}");
        }
        let (x, a) = element::<F>(&mut rng, 1);
        let zero = F::from_u256(&p);
        assert!(zero.is_zero() && !zero.is_odd());
        // Non-zero values whose low bits are those of 0 or of p.
        for low in [U256::ZERO, p & U256::from((1u64 << 52) - 1)] {
            for high in [
                U256::from(1) << 52,
                U256::from(1) << 200,
                U256::from(1) << 255,
            ] {
                let value = low | high;
                assert!(!F::from_u256(&value).is_zero(), "{value}");
                assert!(!F::from_u256(&value).add(&zero).is_zero(), "{value}");
            }
        }
        let inverse = x.invert().to_u256();
        if a == U256::ZERO {
            assert_eq!(inverse, U256::ZERO);
        } else {
            assert_eq!(inverse.mul_mod(a, p), U256::from(1), "a {a}");
        }
        let root = x.sqrt().map(|r| r.to_u256());
        let expected = a.pow_mod((p + U256::from(1)) >> 2, p);
        let is_square = expected.mul_mod(expected, p) == a;
        assert_eq!(root, is_square.then_some(expected), "a {a}");
    }
}

/// Checks the in-place operations of `F` on `x` and `y` (values `a` and `b`, magnitude
/// `magnitude`) against `ruint`'s modular arithmetic.
fn check_in_place<F: CurveField>(x: F, y: F, a: U256, b: U256, magnitude: u32) {
    let p = *FIELD.modulus();
    let case = format!("a {a}, b {b}, magnitude {magnitude}");
    let apply = |operation: &dyn Fn(&mut F)| {
        let mut z = x;
        operation(&mut z);
        z.to_u256()
    };
    assert_eq!(apply(&|z| z.mul_assign(&y)), a.mul_mod(b, p), "{case}");
    assert_eq!(apply(&|z| z.square_assign()), a.mul_mod(a, p), "{case}");
    assert_eq!(apply(&|z| z.add_assign(&y)), a.add_mod(b, p), "{case}");
    assert_eq!(apply(&|z| z.double_assign()), a.add_mod(a, p), "{case}");
    let minus_b = (p - b) % p;
    assert_eq!(
        apply(&|z| z.sub_assign(&y, magnitude)),
        a.add_mod(minus_b, p),
        "{case}"
    );
    assert_eq!(
        apply(&|z| z.sub_from_assign(&y, magnitude)),
        b.add_mod((p - a) % p, p),
        "{case}"
    );
    // The group law subtracts twice an element of magnitude at most 4 (a doubling's `S`).
    if magnitude <= 4 {
        assert_eq!(
            apply(&|z| z.sub_twice_assign(&y, magnitude)),
            a.add_mod(minus_b, p).add_mod(minus_b, p),
            "{case}"
        );
    }
    assert_eq!(
        apply(&|z| z.negate_assign(magnitude)),
        (p - a) % p,
        "{case}"
    );
    // The group law multiplies elements of magnitude at most 8 by 3, 4 and 8.
    if magnitude <= 8 {
        for k in 1..=8 {
            assert_eq!(
                apply(&|z| z.mul_small_assign(k)),
                a.mul_mod(U256::from(k), p),
                "{case}, k {k}"
            );
        }
    }
}

#[test]
fn fe64_arithmetic_matches_ruint() {
    check_field::<Fe64>(&[1, 2, 8, 64]);
}

#[test]
fn fe26_arithmetic_matches_ruint_at_every_magnitude() {
    check_field::<Fe26>(&[1, 2, 8, 16]);
}

#[test]
fn the_montgomery_field_matches_ruint() {
    check_field::<Montgomery>(&[1, 2]);
}

#[test]
fn limbed_constants_are_the_montgomery_ones() {
    for (beta, b, one) in [
        (Fe64::BETA.to_u256(), Fe64::B.to_u256(), Fe64::ONE.to_u256()),
        (Fe26::BETA.to_u256(), Fe26::B.to_u256(), Fe26::ONE.to_u256()),
    ] {
        assert_eq!(beta, Montgomery::BETA.to_u256());
        assert_eq!(b, Montgomery::B.to_u256());
        assert_eq!(one, Montgomery::ONE.to_u256());
    }
}

#[test]
fn vartime_inverse_inverts_modulo_p_and_n() {
    let mut rng = Rng(8);
    for m in [*FIELD.modulus(), *SCALARS.modulus()] {
        let mut values = alloc::vec![
            U256::from(1),
            U256::from(2),
            m - U256::from(1),
            m - U256::from(2),
            m >> 1
        ];
        values.extend((0..500).map(|_| U256::from_be_bytes(rng.word().0) % m));
        // Powers of two and their distances to m: long runs of divsteps on even g.
        values.extend((0..256).map(|k| U256::from(1) << k).filter(|x| *x < m));
        values.extend(
            (0..256)
                .map(|k| m - (U256::from(1) << k))
                .filter(|x| *x < m),
        );
        // Small values with a small difference from m's low bits.
        values.extend((3..200).map(U256::from));
        for a in values.into_iter().filter(|a| *a != U256::ZERO) {
            let inverse = inverse::invert_vartime(&a, &m);
            assert!(inverse < m, "a {a}");
            assert_eq!(inverse.mul_mod(a, m), U256::from(1), "a {a}");
        }
        assert_eq!(inverse::invert_vartime(&U256::ZERO, &m), U256::ZERO);
    }
}
