//! Gas estimation: geth's search (one run at the cap, the 21000 shortcut for plain transfers,
//! an optimistic probe, then a binary search to 1.5 %), made native-aware for the ZKsync OS
//! flow: an estimate is only accepted when its native allowance at the given prices covers the
//! native and pubdata the transaction uses, so the transaction cannot run out of native
//! on-chain; when native decides, the exact cover is tried first. Under protocol version 2 the
//! cover also keeps the pubdata of the coinbase's diff, which a transaction after others in its
//! block pays and a simulation at the block's start does not see (up to what the sender can
//! pay). The estimate says what its limit pays for ([`EstimateBreakdown`]).

use super::chain::Engine;
use super::error::EngineError;
use super::overrides::StateOverride;
use super::request::{BlockOverrides, TxRequest};
use super::runs::Runs;
use crate::bootloader::{Flow, InvalidTransaction, TxReceipt};
use crate::ee::evm::Halt;
use crate::ee::evm::NoopTracer;
use crate::io::StateSource;
use crate::primitives::{Bytes, U256};
use crate::resources::gas::CALL_STIPEND_GAS;
use crate::tx::intrinsic::TX_BASE_GAS;
use alloc::rc::Rc;

/// The search stops when `(hi − lo) / hi` is below this many thousandths (1.5 %).
const ESTIMATE_ERROR_PER_MILLE: u64 = 15;
/// Runs the search spends at most on a limit decided by native, each at the native bound of
/// the one before.
const NATIVE_BOUND_TRIES: usize = 3;

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
    /// Smallest gas limit whose native allowance covers native and pubdata, with the pubdata
    /// reserve of the flow (the coinbase's diff under protocol version 2) as far as the search's
    /// cap allows (0 in the Ethereum flow, where native is unlimited).
    pub native_cover_gas: u64,
    /// Price per gas the estimate assumes: the request's, or the base fee when it names none
    /// (the price its native cover is computed at).
    pub gas_price: U256,
    /// The fee the gas limit costs at that price, the most the sender pays:
    /// `gas_limit × gas_price`.
    pub max_fee: U256,
    /// Expected fee at the engine's prices (a zero price counts as the base fee): in the
    /// ZKsync OS flow `max(gas_used × price, computational native × native price + pubdata ×
    /// pubdata price)`, else `gas_used × price`.
    pub fee: U256,
    /// What the gas limit pays for.
    pub breakdown: EstimateBreakdown,
}

/// The parts of an estimate's gas limit, as a wallet shows them:
/// `evm_gas + delta_gas + pubdata_gas = gas_limit`. The native parts are the gas beyond the
/// EVM's charge that the native allowance needs (limit × native per gas must cover the native
/// used): first the computational native (deltaGas), then the pubdata's native (the pubdata
/// reserve's included); both are 0 when the EVM's charge already buys all the native, and
/// always in the Ethereum flow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EstimateBreakdown {
    /// The EVM's part: its charge at the limit (intrinsic and execution gas less the refund,
    /// EIP-7623 floor) and the headroom execution needs above it (63/64 of each call, `GAS`
    /// checks, the search's 1.5 % tolerance).
    pub evm_gas: u64,
    /// deltaGas: gas beyond the EVM's charge that buys the computational native,
    /// `ceil(computational native ÷ native per gas) − EVM charge` when positive.
    pub delta_gas: u64,
    /// Gas beyond the EVM's charge and deltaGas that buys the pubdata's native (pubdata bytes,
    /// the reserve's included, × native per pubdata byte).
    pub pubdata_gas: u64,
    /// Native one gas buys at the estimate's price (0: native is not priced).
    pub native_per_gas: u64,
}

impl EstimateBreakdown {
    /// Splits `gas_limit` for a run that charged `executed` at `native_per_gas` (`None`:
    /// unlimited native, the EVM's part is the whole limit) and `native_per_pubdata`, with
    /// `reserve_native` kept for pubdata beyond the run's. The pubdata's native is its bytes ×
    /// native per byte, whenever the flow charged it (protocol version 2 pays validation's
    /// pubdata as computation), plus the reserve.
    pub(super) fn split(
        gas_limit: u64,
        executed: &TxReceipt,
        (native_per_gas, native_per_pubdata): (Option<u64>, u64),
        reserve_native: u64,
    ) -> Self {
        let Some(per_gas) = native_per_gas.filter(|&n| n > 0) else {
            return Self {
                evm_gas: gas_limit,
                ..Self::default()
            };
        };
        let evm_charge = executed.gas_breakdown.evm_gas();
        let native = executed.native_used.saturating_add(reserve_native);
        let pubdata_native = executed
            .pubdata_used
            .saturating_mul(native_per_pubdata)
            .min(executed.native_used)
            .saturating_add(reserve_native);
        let native_gas = native.div_ceil(per_gas);
        let computational_gas = (native - pubdata_native).div_ceil(per_gas);
        let extra = native_gas.saturating_sub(evm_charge).min(gas_limit);
        let delta_gas = computational_gas.saturating_sub(evm_charge).min(extra);
        Self {
            evm_gas: gas_limit - extra,
            delta_gas,
            pubdata_gas: extra - delta_gas,
            native_per_gas: per_gas,
        }
    }
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

/// The prices that decide the native cover of a transaction, the native kept for the pubdata
/// reserve and the search's cap.
struct Cover {
    native_per_gas: Option<u64>,
    native_per_pubdata: u64,
    reserve_native: u64,
    cap: u64,
}

impl Cover {
    /// [`EstimateBreakdown::split`] at these prices.
    fn breakdown(&self, gas_limit: u64, executed: &TxReceipt) -> EstimateBreakdown {
        EstimateBreakdown::split(
            gas_limit,
            executed,
            (self.native_per_gas, self.native_per_pubdata),
            self.reserve_native,
        )
    }

    /// Smallest gas limit whose native allowance pays for `executed`'s native (which includes
    /// the native its pubdata costs) and the reserve, lowered to the cap as long as it still
    /// pays for the native alone (the sender cannot pay for the whole reserve, and the
    /// transaction runs where the reserve is not needed, first in its block).
    fn gas_needed(&self, executed: &TxReceipt) -> u64 {
        let Some(per_gas) = self.native_per_gas else {
            return 0;
        };
        let per_gas = per_gas.max(1);
        let bare = executed.native_used.div_ceil(per_gas);
        let reserved = executed
            .native_used
            .saturating_add(self.reserve_native)
            .div_ceil(per_gas);
        reserved.min(self.cap).max(bare)
    }
}

impl Engine {
    /// Estimates the gas limit `request` needs on the head state with `overrides`, in the next
    /// block ("pending": where it will be included).
    pub fn estimate_gas(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
    ) -> Result<Estimate, EstimateError> {
        self.estimate_gas_at(request, overrides, None, None)
    }

    /// [`Engine::estimate_gas`] on the state at block `at`, in block `at`'s own context
    /// (`None`: the head's state in the next block) with `block`'s values (as [`Engine::call_at`]'s block overrides: geth's
    /// `eth_estimateGas` takes them too); fails for a block outside the history window.
    pub fn estimate_gas_at(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
        at: Option<u64>,
    ) -> Result<Estimate, EstimateError> {
        let overrides = Rc::new(overrides.clone());
        let block = block.cloned().unwrap_or_default();
        self.drive(|runs| self.estimate_in(runs, request, &overrides, (at, &block)))
    }

    /// [`Engine::estimate_gas`] in a next block whose values `block` replaces (as the block
    /// overrides of `eth_call`): a transaction estimated where it will be included.
    pub fn estimate_gas_in_block(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: &BlockOverrides,
    ) -> Result<Estimate, EstimateError> {
        let overrides = Rc::new(overrides.clone());
        self.drive(|runs| self.estimate_in(runs, request, &overrides, (None, block)))
    }

    /// [`Engine::estimate_gas_at`] as an operation over `runs`: every attempt is a unit.
    pub(super) fn estimate_in(
        &self,
        runs: &mut Runs,
        request: &TxRequest,
        overrides: &Rc<StateOverride>,
        (at, block): (Option<u64>, &BlockOverrides),
    ) -> Result<Estimate, EstimateError> {
        let base = self
            .simulation(request, overrides, (at, block), None)
            .map_err(EstimateError::Invalid)?;
        let price = self.flow.gas_price(&base.tx, base.env.base_fee);
        // As geth's: at most what a transaction may have (EIP-7825's 2^24 under Osaka, go-ethereum
        // `eth/gasestimator`), so the estimate is a limit a transaction can use.
        let cap = base.tx.gas_limit.min(self.tx_gas_cap());
        let native_per_pubdata = self
            .flow
            .native_per_pubdata(self.fees.pubdata_price, self.fees.native_price);
        let cover = Cover {
            native_per_gas: self.flow.native_per_gas(
                price,
                self.fees.base_fee,
                self.fees.native_price,
            ),
            native_per_pubdata,
            reserve_native: self
                .flow
                .estimate_pubdata_reserve()
                .saturating_mul(native_per_pubdata),
            cap,
        };
        let mut attempt = |gas: u64| -> Result<Result<TxReceipt, EngineError>, EstimateError> {
            let simulation = self
                .simulation(request, overrides, (at, block), Some(gas))
                .map(|mut simulation| {
                    simulation.tx.gas_limit = gas;
                    simulation
                });
            let outcome = simulation.and_then(|simulation| {
                runs.run(|| self.simulation_run(&simulation, overrides, NoopTracer))
            });
            match outcome {
                // A pause ends the search for now; any other failure is the attempt's.
                Err(error @ EngineError::StateNeeded(_)) => Err(EstimateError::Invalid(error)),
                Err(error) => Ok(Err(error)),
                Ok(receipt) => Ok(receipt.map_err(EngineError::from)),
            }
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
            gas_price: fee_price,
            max_fee: U256::from(gas).saturating_mul(fee_price),
            fee: self.flow.expected_fee(
                &e,
                fee_price,
                self.fees.native_price,
                self.fees.pubdata_price,
            ),
            breakdown: cover.breakdown(gas, &e),
        };

        let mut hi = cap;
        if let Some(to) = request.to {
            let code_empty = self
                .source(base.version, overrides.clone())
                .map_err(EstimateError::Invalid)?
                .account(&to)
                .ok()
                .flatten()
                .is_none_or(|a| a.code.is_empty());
            if request.data.is_empty() && code_empty && hi >= TX_BASE_GAS {
                if let Ok(e) = attempt(TX_BASE_GAS)? {
                    if fits(TX_BASE_GAS, &e) {
                        return Ok(finish(TX_BASE_GAS, e));
                    }
                }
            }
        }

        let at_cap = attempt(hi)?.map_err(EstimateError::Invalid)?;
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
        // Pubdata does not shrink with the limit: a transaction that publishes more than the
        // block may hold is never included (upstream reports it invalid at any limit).
        if at_cap.pubdata_used > base.env.pubdata_limit {
            return Err(EstimateError::Invalid(EngineError::Invalid(
                InvalidTransaction::BlockPubdataLimitReached,
            )));
        }
        if !fits(hi, &at_cap) {
            return Err(EstimateError::OutOfNative);
        }
        // A limit decided by native: the smallest allowance that covers the native, when it
        // runs, is the answer (a lower limit cannot pay for that native). The native used can
        // shrink with the limit (a smaller fee is a shorter balance diff in pubdata), so the
        // bound is taken again from the run at the bound, a few times.
        let native_bound = cover.gas_needed(&at_cap);
        if native_bound > at_cap.gas_breakdown.evm_gas() && native_bound < hi {
            let mut bound = native_bound;
            let mut found = None;
            for _ in 0..NATIVE_BOUND_TRIES {
                match attempt(bound)? {
                    Ok(e) if fits(bound, &e) => {
                        let next = cover.gas_needed(&e);
                        found = Some((bound, e));
                        if next >= bound {
                            break;
                        }
                        bound = next;
                    }
                    _ => break,
                }
            }
            if let Some((gas, e)) = found {
                return Ok(finish(gas, e));
            }
        }
        let mut lo = at_cap.gas_used.max(native_bound).saturating_sub(1);
        let mut best = at_cap;

        let optimistic = at_cap_probe(&best);
        if optimistic < hi && optimistic > lo {
            match attempt(optimistic)? {
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
            match attempt(mid)? {
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
