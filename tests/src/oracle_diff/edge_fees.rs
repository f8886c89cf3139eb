//! Fee edges: an EIP-1559 fee cap equal to the base fee with a tip (the tip paid is zero), a tip
//! cap above the fee cap, fee caps near 2^128 (gas limit × fee cap overflows upstream's u128),
//! and a legacy gas price equal to the base fee. Types 3 and 4 are left out: the oracle's
//! encoder (the snapshot's `tests/rig/src/utils.rs::encode_alloy_rpc_tx`) panics on them.

use super::generate::{Builder, Draft};
use alloy_primitives::U256;

impl Builder<'_> {
    /// The fee edge scenario.
    pub(super) fn fee_edge(&mut self) -> Draft {
        let to = self.fresh_address();
        let base = self.params.base_fee;
        let mut d = Draft::call("fee-edge", to, Vec::new()).costs(0, 0, 150);
        d.value = U256::from(self.rng.range(0, 1_000));
        match self.rng.below(4) {
            0 => {
                d.kind = "fee-edge:cap-is-base-fee+tip".into();
                d.tx_type = Some(2);
                d.fee = Some((base, self.rng.pick(&[1, base, base * 2])));
            }
            1 => {
                d.kind = "invalid-fee-edge:tip-above-cap".into();
                d.tx_type = Some(2);
                d.fee = Some((base * 2, base * 2 + 1));
            }
            2 => {
                d.kind = "invalid-fee-edge:cap-near-2^128".into();
                d.tx_type = self.rng.pick(&[Some(0), Some(2)]);
                d.fee = Some((u128::MAX - self.rng.below(2) as u128, 0));
            }
            _ => {
                d.kind = "fee-edge:legacy-price-is-base-fee".into();
                d.tx_type = Some(self.rng.pick(&[0, 1]));
                d.fee = Some((base, 0));
            }
        }
        d
    }
}
