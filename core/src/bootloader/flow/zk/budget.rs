//! A ZKsync OS transaction's native budget (spec §3 "Deriving the native limit") and the
//! price arithmetic it is derived with.

use crate::bigint;
use crate::primitives::U256;
use crate::tx::Transaction;

/// Most computational native one transaction (and one block) may use: 2^35.
pub const MAX_NATIVE_COMPUTATIONAL: u64 = 1 << 35;
/// The native limit of a transaction whose native per gas is zero ("unlimited").
pub const UNLIMITED_NATIVE: u64 = u64::MAX - 1;

/// A transaction's native budget, fixed before execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NativeBudget {
    /// Native per gas (0 = unlimited native).
    pub native_per_gas: u64,
    /// Native per pubdata byte.
    pub native_per_pubdata: u64,
    /// gas limit × native per gas (or [`UNLIMITED_NATIVE`]).
    pub total: u64,
    /// Native above the computational cap, usable for pubdata only.
    pub withheld: u64,
    /// Intrinsic pubdata bytes.
    pub intrinsic_pubdata: u64,
    /// Intrinsic computational native.
    pub intrinsic_native: u64,
    /// Native left after the intrinsic costs: for execution under protocol version 1; under
    /// version 2 validation spends [`Self::validation_native`] of it first.
    pub execution: u64,
    /// Native validation spent after the intrinsic costs (protocol version 2: the sender's and
    /// the fee accounts' IO, the access list, the hashes, the signature and the validation
    /// pubdata; 0 under version 1).
    pub validation_native: u64,
}

impl NativeBudget {
    /// Derives the budget (spec §3 steps 2-4); `None` when the native cannot cover the intrinsic
    /// pubdata and computation.
    pub fn derive(
        gas_limit: u64,
        native_per_gas: u64,
        native_per_pubdata: u64,
        intrinsic_pubdata: u64,
        intrinsic_native: u64,
    ) -> Option<Self> {
        let total = if native_per_gas == 0 {
            UNLIMITED_NATIVE
        } else {
            gas_limit
                .saturating_mul(native_per_gas)
                .min(UNLIMITED_NATIVE)
        };
        let pubdata_native = intrinsic_pubdata.checked_mul(native_per_pubdata)?;
        let after_pubdata = total.checked_sub(pubdata_native)?;
        let computational = after_pubdata.min(MAX_NATIVE_COMPUTATIONAL);
        let withheld = after_pubdata - computational;
        let execution = computational.checked_sub(intrinsic_native)?;
        Some(Self {
            native_per_gas,
            native_per_pubdata,
            total,
            withheld,
            intrinsic_pubdata,
            intrinsic_native,
            execution,
            validation_native: 0,
        })
    }

    /// Native left when execution starts.
    pub fn execution_start(&self) -> u64 {
        self.execution.saturating_sub(self.validation_native)
    }
}

/// `ceil(a / b)` as `u64`, saturating; 0 when `b` is 0.
pub(crate) fn div_ceil_u64(a: U256, b: U256) -> u64 {
    if b.is_zero() {
        return 0;
    }
    u64::try_from(bigint::div_ceil(&a, &b)).unwrap_or(u64::MAX)
}

/// `a / b` as `u64`, saturating; 0 when `b` is 0.
pub(crate) fn div_u64(a: U256, b: U256) -> u64 {
    if b.is_zero() {
        return 0;
    }
    u64::try_from(bigint::div_rem(&a, &b).0).unwrap_or(u64::MAX)
}

/// `gasPrice = min(maxFee, baseFee + min(maxPrio, maxFee − baseFee))`; 0 when the base fee is 0
/// and `free_at_zero_base_fee` (the tip is then ignored).
pub fn effective_gas_price(tx: &Transaction, base_fee: U256, free_at_zero_base_fee: bool) -> U256 {
    if base_fee.is_zero() && free_at_zero_base_fee {
        return U256::ZERO;
    }
    let max_fee = U256::from(tx.max_fee_per_gas);
    let tip = U256::from(tx.max_priority_fee_per_gas).min(max_fee.saturating_sub(base_fee));
    max_fee.min(base_fee + tip)
}
