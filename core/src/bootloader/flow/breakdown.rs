//! How a transaction's gas used adds up ([`GasBreakdown`]): what the settlement of either flow
//! charges, term by term, so that hosts can show where every unit of gas came from.

use crate::config::FlowKind;

/// The terms of a transaction's gas used: `intrinsic + execution − refunded + floor + delta −
/// capped` ([`GasBreakdown::gas_used`]). Each term is fixed by the settlement that builds it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GasBreakdown {
    /// Intrinsic gas the fee charge covered (at most the gas used before refunds).
    pub intrinsic_gas: u64,
    /// Gas execution used: the gas limit less the intrinsic gas and the gas left over.
    pub execution_gas: u64,
    /// Gas given back by the refund counter (EIP-3529 cap applied).
    pub refunded_gas: u64,
    /// Gas added to reach the EIP-7623 calldata floor (Prague on).
    pub floor_gas: u64,
    /// Native used expressed in gas: native used ÷ native per gas, rounded down (ZKsync OS
    /// flow; 0 when native is not priced).
    pub native_gas: u64,
    /// deltaGas: gas added so that the gas charged covers the native used (ZKsync OS flow).
    pub delta_gas: u64,
    /// Gas above the gas limit that is not charged.
    pub capped_gas: u64,
}

impl GasBreakdown {
    /// The breakdown of a transaction with `gas_limit` and `intrinsic_gas` whose execution left
    /// `gas_left` and earned `refund`: the refund is capped at a fifth of the gas used
    /// (EIP-3529), then with `floor` (EIP-7623, Prague on) the gas used is raised to the floor.
    pub fn after_execution(
        gas_limit: u64,
        intrinsic_gas: u64,
        gas_left: u64,
        refund: i64,
        floor: Option<u64>,
    ) -> Self {
        let before_refund = gas_limit.saturating_sub(gas_left);
        let execution_gas = before_refund.saturating_sub(intrinsic_gas);
        let refunded_gas = (refund.max(0) as u64).min(before_refund / 5);
        let after_refund = before_refund - refunded_gas;
        Self {
            intrinsic_gas: before_refund - execution_gas,
            execution_gas,
            refunded_gas,
            floor_gas: floor.map_or(0, |f| f.saturating_sub(after_refund)),
            ..Self::default()
        }
    }

    /// Raises the gas used to cover `native_used` at `native_per_gas` (deltaGas); unchanged
    /// when native per gas is 0 (native not priced).
    pub fn cover_native(&mut self, native_used: u64, native_per_gas: u64) {
        if let Some(native_gas) = native_used.checked_div(native_per_gas) {
            self.native_gas = native_gas;
            self.delta_gas = native_gas.saturating_sub(self.gas_used());
        }
    }

    /// Caps the gas used at `gas_limit`.
    pub fn cap(&mut self, gas_limit: u64) {
        self.capped_gas = self.gas_used().saturating_sub(gas_limit);
    }

    /// The refund a receipt reports. ZKsync OS reports the refund counter's gas; Ethereum clients
    /// charge the EIP-7623 floor, when it sets the gas used, in place of execution's gas and its
    /// refund, and report nothing refunded (revm's `set_refund(0)`), so the Ethereum flow does.
    pub fn reported_refund(&self, flow: FlowKind) -> u64 {
        if flow == FlowKind::Ethereum && self.floor_gas > 0 {
            0
        } else {
            self.refunded_gas
        }
    }

    /// Gas the EVM's rules charge: intrinsic and execution gas less the refund, raised to the
    /// EIP-7623 floor (the gas used before deltaGas).
    pub fn evm_gas(&self) -> u64 {
        (self.intrinsic_gas + self.execution_gas - self.refunded_gas).saturating_add(self.floor_gas)
    }

    /// Gas charged to the payer: the sum of the terms.
    pub fn gas_used(&self) -> u64 {
        self.evm_gas()
            .saturating_add(self.delta_gas)
            .saturating_sub(self.capped_gas)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_add_up_as_the_settlement_charges() {
        // 100,000 gas limit, 21,000 intrinsic, 50,000 left: 50,000 used before refunds, of
        // which 29,000 by execution; a refund of 15,000 is capped at 50,000 / 5 = 10,000.
        let mut gas = GasBreakdown::after_execution(100_000, 21_000, 50_000, 15_000, None);
        assert_eq!(
            (gas.intrinsic_gas, gas.execution_gas, gas.refunded_gas),
            (21_000, 29_000, 10_000)
        );
        assert_eq!(gas.gas_used(), 40_000);
        assert_eq!(gas.evm_gas(), 40_000);
        // 5,000,000 native at 100 per gas is 50,000 gas: deltaGas 10,000 on top of 40,000.
        gas.cover_native(5_000_099, 100);
        assert_eq!(
            (gas.native_gas, gas.delta_gas, gas.gas_used()),
            (50_000, 10_000, 50_000)
        );
        assert_eq!(gas.evm_gas(), 40_000);
        // Native below the gas charged adds nothing; unpriced native changes nothing.
        let mut cheap = GasBreakdown::after_execution(100_000, 21_000, 50_000, 0, None);
        cheap.cover_native(1_000, 100);
        assert_eq!(
            (cheap.native_gas, cheap.delta_gas, cheap.gas_used()),
            (10, 0, 50_000)
        );
        cheap.cover_native(u64::MAX, 0);
        assert_eq!(cheap.native_gas, 10);
        // Native worth 150,000 gas under a 100,000 limit: 50,000 capped.
        let mut over = GasBreakdown::after_execution(100_000, 21_000, 0, 0, None);
        over.cover_native(15_000_000, 100);
        over.cap(100_000);
        assert_eq!(
            (over.delta_gas, over.capped_gas, over.gas_used()),
            (50_000, 50_000, 100_000)
        );
    }

    #[test]
    fn floor_raises_and_intrinsic_never_exceeds_the_gas_used() {
        // EIP-7623: 21,000 used, floor 30,000 → 9,000 added.
        let gas = GasBreakdown::after_execution(40_000, 21_000, 19_000, 0, Some(30_000));
        assert_eq!((gas.floor_gas, gas.gas_used()), (9_000, 30_000));
        // An L1 transaction whose gas limit is below its intrinsic gas uses its gas limit.
        let short = GasBreakdown::after_execution(10_000, 21_000, 0, 0, None);
        assert_eq!((short.intrinsic_gas, short.execution_gas), (10_000, 0));
        assert_eq!(short.gas_used(), 10_000);
    }

    #[test]
    fn the_ethereum_flow_reports_no_refund_under_the_floor() {
        // 30,000 used before refunds, 5,000 refunded (a fifth caps it at 6,000), floor 29,000:
        // the floor sets the gas used (29,000 > 25,000) and Ethereum reports nothing refunded.
        let floored = GasBreakdown::after_execution(40_000, 21_000, 10_000, 5_000, Some(29_000));
        assert_eq!(floored.gas_used(), 29_000);
        assert_eq!(floored.reported_refund(FlowKind::Ethereum), 0);
        assert_eq!(floored.reported_refund(FlowKind::Zk), 5_000);
        // Above the floor the refund is reported in both flows.
        let above = GasBreakdown::after_execution(40_000, 21_000, 10_000, 5_000, Some(22_000));
        assert_eq!(above.gas_used(), 25_000);
        assert_eq!(above.reported_refund(FlowKind::Ethereum), 5_000);
    }
}
