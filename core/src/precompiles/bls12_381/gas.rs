//! EIP-2537 gas (final text, `EIPS/eip-2537.md` "Gas schedule"): fixed costs, the MSM discount
//! tables and the pairing formula.

/// BLS12_G1ADD, per call.
pub(super) const G1_ADD_GAS: u64 = 375;
/// BLS12_G2ADD, per call.
pub(super) const G2_ADD_GAS: u64 = 600;
/// One G1 multiplication, the base of the G1 MSM price.
const G1_MUL_GAS: u64 = 12_000;
/// One G2 multiplication, the base of the G2 MSM price.
const G2_MUL_GAS: u64 = 22_500;
/// BLS12_PAIRING_CHECK, per (G1, G2) pair.
const PAIRING_PER_PAIR_GAS: u64 = 32_600;
/// BLS12_PAIRING_CHECK, per call.
const PAIRING_BASE_GAS: u64 = 37_700;
/// BLS12_MAP_FP_TO_G1, per call.
pub(super) const MAP_FP_TO_G1_GAS: u64 = 5_500;
/// BLS12_MAP_FP2_TO_G2, per call.
pub(super) const MAP_FP2_TO_G2_GAS: u64 = 23_800;
/// The discounts are in thousandths.
const DISCOUNT_MULTIPLIER: u64 = 1_000;

/// G1 MSM discount for k = 1..=128 pairs (the EIP's table; `max_discount` 519 beyond).
const G1_DISCOUNTS: [u16; 128] = [
    1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665,
    661, 658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615,
    613, 611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585,
    584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563,
    562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545,
    544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529,
    528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
];
/// G1 MSM discount for more than 128 pairs.
const G1_MAX_DISCOUNT: u16 = 519;

/// G2 MSM discount for k = 1..=128 pairs (the EIP's table; `max_discount` 524 beyond).
const G2_DISCOUNTS: [u16; 128] = [
    1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704,
    699, 693, 688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632,
    629, 627, 624, 622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593,
    592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568,
    567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549,
    548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534,
    533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
];
/// G2 MSM discount for more than 128 pairs.
const G2_MAX_DISCOUNT: u16 = 524;

/// Which group an MSM runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Group {
    /// G1 (pairs of 160 bytes).
    G1,
    /// G2 (pairs of 288 bytes).
    G2,
}

/// Gas of an MSM over `pairs` pairs: `k × multiplication cost × discount(k) / 1000`, 0 for no
/// pair (the call fails on its length then).
pub(super) fn msm_gas(group: Group, pairs: usize) -> u64 {
    let (table, max, mul_gas) = match group {
        Group::G1 => (&G1_DISCOUNTS, G1_MAX_DISCOUNT, G1_MUL_GAS),
        Group::G2 => (&G2_DISCOUNTS, G2_MAX_DISCOUNT, G2_MUL_GAS),
    };
    let Some(index) = pairs.checked_sub(1) else {
        return 0;
    };
    let discount = table.get(index).copied().unwrap_or(max);
    let gas = (pairs as u128) * u128::from(mul_gas) * u128::from(discount)
        / u128::from(DISCOUNT_MULTIPLIER);
    u64::try_from(gas).unwrap_or(u64::MAX)
}

/// Gas of a pairing check over `pairs` pairs: 32,600 × k + 37,700.
pub(super) fn pairing_gas(pairs: usize) -> u64 {
    (pairs as u64)
        .saturating_mul(PAIRING_PER_PAIR_GAS)
        .saturating_add(PAIRING_BASE_GAS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msm_prices_follow_the_discount_tables() {
        // k = 1: the full multiplication; k = 2 in G1: 2 × 12,000 × 949 / 1000 = 22,776 (the
        // EIP vector "bls_g1msm_(2g1+inf)" charges that too); G2 has no discount at 2.
        assert_eq!(msm_gas(Group::G1, 1), 12_000);
        assert_eq!(msm_gas(Group::G1, 2), 22_776);
        assert_eq!(msm_gas(Group::G2, 2), 45_000);
        // k = 128 and beyond: 519 (G1) and 524 (G2) thousandths.
        assert_eq!(msm_gas(Group::G1, 128), 128 * 12_000 * 519 / 1000);
        assert_eq!(msm_gas(Group::G1, 200), 200 * 12_000 * 519 / 1000);
        assert_eq!(msm_gas(Group::G2, 129), 129 * 22_500 * 524 / 1000);
        assert_eq!(msm_gas(Group::G1, 0), 0);
    }

    #[test]
    fn pairing_price_is_linear() {
        assert_eq!(pairing_gas(0), 37_700);
        assert_eq!(pairing_gas(2), 2 * 32_600 + 37_700);
    }
}
