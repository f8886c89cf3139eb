//! Generator tables built at run time, once, instead of shipped as constant data: the odd
//! multiples of `G` and of `2¹²⁸·G` from the first entries of the plain tables
//! ([`super::generator_table_plain`]), for the 64-bit field on 64-bit hosts (a window too wide
//! for constant data) and the 26-bit field in wasm (whose constant tables were 5 KiB of the
//! module's download that gzip cannot shrink).

use alloc::boxed::Box;
use alloc::vec::Vec;
use once_cell::race::OnceBox;

use super::field::{Affine, CurveField};
use super::generator_table_plain as table;
use super::point::Jacobian;
use crate::primitives::U256;

/// The odd multiples `P, 3P, …` (`len` of them) of `G` and of `2¹²⁸·G`, built at the first
/// call into `cell` and kept there.
pub(super) fn generator_tables<F: CurveField>(
    cell: &'static OnceBox<[Vec<Affine<F>>; 2]>,
    len: usize,
) -> [&'static [Affine<F>]; 2] {
    // The two points as constants of their own, so that only they, not the whole plain
    // tables, end up in the module's data.
    const GENERATOR: [U256; 2] = table::GENERATOR_ODD_MULTIPLES[0];
    const SHIFTED_GENERATOR: [U256; 2] = table::SHIFTED_GENERATOR_ODD_MULTIPLES[0];
    let tables = cell.get_or_init(|| {
        Box::new([
            odd_multiples(&GENERATOR, len),
            odd_multiples(&SHIFTED_GENERATOR, len),
        ])
    });
    [&tables[0], &tables[1]]
}

/// `P, 3P, …, (2·len − 1)P` of the point `P` with plain coordinates, affine: repeated mixed
/// additions of `2P`, one inversion for them all. No sum meets an equal or opposite point
/// (`P`'s order is `n`, far above the table's multiples).
pub(super) fn odd_multiples<F: CurveField>(p: &[U256; 2], len: usize) -> Vec<Affine<F>> {
    let p = Affine {
        x: F::from_u256(&p[0]),
        y: F::from_u256(&p[1]),
    };
    let mut twice = Jacobian::from_affine(&p);
    twice.double_in_place();
    let twice = twice.to_affine().unwrap_or(p);
    let mut entry = Jacobian::from_affine(&p);
    let mut entries = Vec::with_capacity(len);
    for _ in 0..len {
        entries.push(entry);
        entry.add_affine_in_place(&twice, false);
    }
    Jacobian::batch_to_affine(&entries)
        .into_iter()
        .flatten()
        .collect()
}
