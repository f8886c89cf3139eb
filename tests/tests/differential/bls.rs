//! BLS12-381 (EIP-2537) inputs for the differential test: a precompile of 0x0b..=0x11 and an
//! input built from the points of the EIP's vectors (`tests/vectors/eip-2537/`): valid points, infinity,
//! points off the curve or outside the subgroup, field elements at or above p, MSMs of 1 to 4
//! pairs, and lengths one byte off.

use super::generator::Rng;
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Bytes of an encoded G1 point.
const G1_LEN: usize = 128;
/// Bytes of an encoded G2 point.
const G2_LEN: usize = 256;
/// Bytes of an encoded Fp element.
const FP_LEN: usize = 64;

/// Points taken from the vectors, in their encodings.
struct Material {
    /// G1 points of the success vectors (on the curve, mostly in the subgroup) and of the
    /// failure vectors (off the curve, outside the subgroup, bad encodings).
    g1: Vec<Vec<u8>>,
    /// The same for G2.
    g2: Vec<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    input: String,
}

/// The inputs of a vector file.
fn inputs(file: &str) -> Vec<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/eip-2537")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vectors: Vec<Input> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    vectors
        .iter()
        .filter_map(|v| zkos_core::primitives::hex::decode(&v.input).ok())
        .collect()
}

/// The first `len` bytes of every input at least that long.
fn points(files: &[&str], len: usize) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = files
        .iter()
        .flat_map(|file| inputs(file))
        .filter(|input| input.len() >= len)
        .map(|input| input[..len].to_vec())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| Material {
        g1: points(
            &[
                "add_G1_bls.json",
                "mul_G1_bls.json",
                "fail-add_G1_bls.json",
                "fail-mul_G1_bls.json",
            ],
            G1_LEN,
        ),
        g2: points(
            &[
                "add_G2_bls.json",
                "mul_G2_bls.json",
                "fail-add_G2_bls.json",
                "fail-mul_G2_bls.json",
            ],
            G2_LEN,
        ),
    })
}

/// A field element: random below 2^381 (mostly below p), p's top bytes, or padding broken.
fn field_element(rng: &mut Rng) -> Vec<u8> {
    let mut element = vec![0u8; FP_LEN];
    element[17..].copy_from_slice(&rng.bytes(FP_LEN - 17));
    match rng.below(10) {
        0 => element[16..].fill(0xff),
        1 => element[rng.below(16) as usize] = 1,
        _ => element[16] = rng.below(0x1a) as u8,
    }
    element
}

/// A point of `points` (infinity one time in eight).
fn point(rng: &mut Rng, points: &[Vec<u8>], len: usize) -> Vec<u8> {
    if rng.chance(12) || points.is_empty() {
        vec![0u8; len]
    } else {
        points[rng.below(points.len() as u64) as usize].clone()
    }
}

/// A 32-byte scalar: small, random, or all ones (above the group order).
fn scalar(rng: &mut Rng) -> Vec<u8> {
    match rng.below(4) {
        0 => {
            let mut word = vec![0u8; 32];
            word[31] = rng.below(4) as u8;
            word
        }
        1 => vec![0xff; 32],
        _ => rng.bytes(32),
    }
}

/// A BLS12-381 precompile number and an input for it.
pub fn bls_input(rng: &mut Rng) -> (u64, Vec<u8>) {
    let m = material();
    let pairs = 1 + rng.below(4) as usize;
    let precompile = 0x0b + rng.below(7);
    let mut input = Vec::new();
    match precompile {
        0x0b => (0..2).for_each(|_| input.extend(point(rng, &m.g1, G1_LEN))),
        0x0d => (0..2).for_each(|_| input.extend(point(rng, &m.g2, G2_LEN))),
        0x0c => (0..pairs).for_each(|_| {
            input.extend(point(rng, &m.g1, G1_LEN));
            input.extend(scalar(rng));
        }),
        0x0e => (0..pairs).for_each(|_| {
            input.extend(point(rng, &m.g2, G2_LEN));
            input.extend(scalar(rng));
        }),
        0x0f => (0..pairs).for_each(|_| {
            input.extend(point(rng, &m.g1, G1_LEN));
            input.extend(point(rng, &m.g2, G2_LEN));
        }),
        0x10 => input = field_element(rng),
        _ => {
            input = field_element(rng);
            input.extend(field_element(rng));
        }
    }
    if rng.chance(5) {
        // One byte short or long: a length error.
        if rng.chance(50) {
            input.pop();
        } else {
            input.push(0);
        }
    }
    (precompile, input)
}
