//! The EIP-2537 MSM discount: the tables and the formula that prices gas and native per pair.

/// Divisor of the discount factors.
const DISCOUNT_MULTIPLIER: u64 = 1_000;

/// G1 MSM discount per number of pairs `k` (index `k - 1`); `k > 128` uses the last entry
/// (EIP-2537, "G1 discounts").
pub(super) const G1_DISCOUNTS: [u16; 128] = [
    1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665,
    661, 658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615,
    613, 611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585,
    584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563,
    562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545,
    544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529,
    528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
];

/// G2 MSM discount per number of pairs `k` (index `k - 1`); `k > 128` uses the last entry
/// (EIP-2537, "G2 discounts").
pub(super) const G2_DISCOUNTS: [u16; 128] = [
    1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704,
    699, 693, 688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632,
    629, 627, 624, 622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593,
    592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568,
    567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549,
    548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534,
    533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
];

/// `k * per_pair * discount(k) / 1000` (EIP-2537 "Gas schedule clarifications for G1/G2 MSM"),
/// 0 for `k = 0`, saturating. The same formula prices native per pair (as upstream ZKsync OS
/// `basic_system/src/system_functions/bls12_381/msm.rs` does).
pub(super) fn discounted_cost(pairs: u64, per_pair: u64, discounts: &[u16; 128]) -> u64 {
    let Some(index) = pairs.checked_sub(1) else {
        return 0;
    };
    let discount = discounts[usize::try_from(index).map_or(127, |i| i.min(127))];
    let product = u128::from(pairs) * u128::from(per_pair) * u128::from(discount);
    u64::try_from(product / u128::from(DISCOUNT_MULTIPLIER)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discount_formula() {
        assert_eq!(discounted_cost(0, 12_000, &G1_DISCOUNTS), 0);
        // 2 * 12000 * 949 / 1000 = 22776.
        assert_eq!(discounted_cost(2, 12_000, &G1_DISCOUNTS), 22_776);
        // 128 * 12000 * 519 / 1000 = 797184; past 128 the cap stays 519: 129 * 12000 * 519 /
        // 1000 = 803412.
        assert_eq!(discounted_cost(128, 12_000, &G1_DISCOUNTS), 797_184);
        assert_eq!(discounted_cost(129, 12_000, &G1_DISCOUNTS), 803_412);
        // G2: 2 * 22500 * 1000 / 1000 = 45000; 3 * 22500 * 923 / 1000 = 62302.5 -> 62302.
        assert_eq!(discounted_cost(2, 22_500, &G2_DISCOUNTS), 45_000);
        assert_eq!(discounted_cost(3, 22_500, &G2_DISCOUNTS), 62_302);
        // 1000 * 22500 * 524 / 1000 = 11790000.
        assert_eq!(discounted_cost(1_000, 22_500, &G2_DISCOUNTS), 11_790_000);
        assert_eq!(discounted_cost(u64::MAX, u64::MAX, &G2_DISCOUNTS), u64::MAX);
    }
}
