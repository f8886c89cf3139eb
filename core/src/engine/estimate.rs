//! Gas estimation: geth's search (one run at the cap, the 21000 shortcut for plain transfers,
//! an optimistic probe, then a binary search to 1.5 %), made native-aware for the ZKsync OS
//! flow: an estimate is only accepted when its native allowance at the given prices covers the
//! native and pubdata the transaction uses, so the transaction cannot run out of native
//! on-chain.

use super::chain::Engine;
use super::error::EngineError;
use super::overrides::StateOverride;
use super::request::{BlockOverrides, TxRequest};
use crate::bootloader::{Flow, TxReceipt};
use crate::ee::evm::Halt;
use crate::ee::evm::NoopTracer;
use crate::io::StateSource;
use crate::primitives::{Bytes, U256};
use crate::resources::gas::CALL_STIPEND_GAS;
use crate::tx::intrinsic::TX_BASE_GAS;

/// The search stops when `(hi − lo) / hi` is below this many thousandths (1.5 %).
const ESTIMATE_ERROR_PER_MILLE: u64 = 15;

/// A gas estimate with what it pays for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estimate {
    /// Gas limit to send the transaction with.
    pub gas_limit: u64,
    /// EVM gas the transaction is charged at that limit.
    pub gas_used: u64,
    /// Native used.
    pub native_used: u64,
    /// Pubdata bytes.
    pub pubdata_used: u64,
    /// Smallest gas limit whose native allowance covers native and pubdata (0 in the Ethereum
    /// flow, where native is unlimited).
    pub native_cover_gas: u64,
    /// Price per gas the estimate assumes.
    pub gas_price: U256,
    /// Most the sender pays: `gas_limit × gas_price`.
    pub max_fee: U256,
    /// Expected fee at the engine's prices (a zero price counts as the base fee): in the
    /// ZKsync OS flow `max(gas_used × price, computational native × native price + pubdata ×
    /// pubdata price)`, else `gas_used × price`.
    pub fee: U256,
}

/// Why no gas limit makes the transaction succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EstimateError {
    /// Execution reverts even with the highest allowed gas limit.
    Reverted {
        /// Revert data.
        data: Bytes,
    },
    /// Execution runs out of gas even at the cap.
    OutOfGasAtCap {
        /// The cap that was tried.
        cap: u64,
    },
    /// The native the transaction needs cannot be bought within the cap at these prices.
    OutOfNative,
    /// Execution halts for a reason gas cannot fix (invalid opcode, bad jump, ...).
    Halted(Halt),
    /// The request itself is invalid (nonce, funds, fee fields, overrides, ...), or a curve
    /// precompile it reaches is not loaded ([`EngineError::CurvesNotLoaded`]).
    Invalid(EngineError),
}

impl EstimateError {
    /// Stable machine-readable code (`ZKOS_…`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Reverted { .. } => "ZKOS_ESTIMATE_REVERTED",
            Self::OutOfGasAtCap { .. } => "ZKOS_ESTIMATE_OUT_OF_GAS",
            Self::OutOfNative => "ZKOS_ESTIMATE_OUT_OF_NATIVE",
            Self::Halted(_) => "ZKOS_ESTIMATE_HALTED",
            Self::Invalid(e) => e.code(),
        }
    }
}

/// The price that decides the native cover of a transaction.
struct Cover {
    native_per_gas: Option<u64>,
}

impl Cover {
    /// Smallest gas limit whose native allowance pays for `executed`'s native (which includes
    /// the native its pubdata costs).
    fn gas_needed(&self, executed: &TxReceipt) -> u64 {
        let Some(per_gas) = self.native_per_gas else {
            return 0;
        };
        executed.native_used.div_ceil(per_gas.max(1))
    }
}

impl Engine {
    /// Estimates the gas limit `request` needs on the head state with `overrides`.
    pub fn estimate_gas(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
    ) -> Result<Estimate, EstimateError> {
        let block = BlockOverrides::default();
        let base = self
            .simulation(request, overrides, &block, None)
            .map_err(EstimateError::Invalid)?;
        let price = self.flow.gas_price(&base.tx, base.env.base_fee);
        let cover = Cover {
            native_per_gas: self.flow.native_per_gas(
                price,
                self.fees.base_fee,
                self.fees.native_price,
            ),
        };
        let attempt = |gas: u64| -> Result<TxReceipt, EngineError> {
            let mut simulation = self.simulation(request, overrides, &block, Some(gas))?;
            simulation.tx.gas_limit = gas;
            self.simulate_with(&simulation, overrides, &mut NoopTracer, |_, e| e)
        };
        let fits = |gas: u64, e: &TxReceipt| e.success && cover.gas_needed(e) <= gas;
        let fee_price = if price.is_zero() {
            self.fees.base_fee
        } else {
            price
        };
        let finish = |gas: u64, e: TxReceipt| Estimate {
            gas_limit: gas,
            gas_used: e.gas_used,
            native_used: e.native_used,
            pubdata_used: e.pubdata_used,
            native_cover_gas: cover.gas_needed(&e),
            gas_price: price,
            max_fee: U256::from(gas).saturating_mul(price),
            fee: self.flow.expected_fee(
                &e,
                fee_price,
                self.fees.native_price,
                self.fees.pubdata_price,
            ),
        };

        let mut hi = base.tx.gas_limit;
        if let Some(to) = request.to {
            let code_empty = self
                .state
                .source(overrides)
                .account(&to)
                .is_none_or(|a| a.code.is_empty());
            if request.data.is_empty() && code_empty && hi >= TX_BASE_GAS {
                if let Ok(e) = attempt(TX_BASE_GAS) {
                    if fits(TX_BASE_GAS, &e) {
                        return Ok(finish(TX_BASE_GAS, e));
                    }
                }
            }
        }

        let at_cap = attempt(hi).map_err(EstimateError::Invalid)?;
        if !at_cap.success {
            return Err(match at_cap.halt {
                None => EstimateError::Reverted {
                    data: at_cap.output,
                },
                Some(Halt::OutOfGas) => EstimateError::OutOfGasAtCap { cap: hi },
                Some(Halt::OutOfNative) => EstimateError::OutOfNative,
                Some(other) => EstimateError::Halted(other),
            });
        }
        if !fits(hi, &at_cap) {
            return Err(EstimateError::OutOfNative);
        }
        let mut lo = at_cap
            .gas_used
            .max(cover.gas_needed(&at_cap))
            .saturating_sub(1);
        let mut best = at_cap;

        let optimistic = at_cap_probe(&best);
        if optimistic < hi && optimistic > lo {
            match attempt(optimistic) {
                Ok(e) if fits(optimistic, &e) => {
                    hi = optimistic;
                    best = e;
                }
                Err(EngineError::CurvesNotLoaded) => {
                    return Err(EstimateError::Invalid(EngineError::CurvesNotLoaded))
                }
                _ => lo = optimistic,
            }
        }
        while lo + 1 < hi {
            if (hi - lo).saturating_mul(1000) < hi.saturating_mul(ESTIMATE_ERROR_PER_MILLE) {
                break;
            }
            let mut mid = lo + (hi - lo) / 2;
            if mid > lo.saturating_mul(2) {
                mid = lo * 2;
            }
            match attempt(mid) {
                Ok(e) if fits(mid, &e) => {
                    hi = mid;
                    best = e;
                }
                Err(EngineError::CurvesNotLoaded) => {
                    return Err(EstimateError::Invalid(EngineError::CurvesNotLoaded))
                }
                _ => lo = mid,
            }
        }
        Ok(finish(hi, best))
    }
}

/// geth's optimistic first guess: `(used + refund + 2300) × 64 / 63`.
fn at_cap_probe(e: &TxReceipt) -> u64 {
    let needed = e
        .gas_used
        .saturating_add(e.gas_refunded)
        .saturating_add(CALL_STIPEND_GAS);
    needed.saturating_mul(64) / 63
}
