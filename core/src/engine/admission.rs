//! What a transaction pool refuses at once: a transaction no block could take at the head's
//! state. The rules are a pool's (go-ethereum `core/txpool/validation.go`,
//! `ValidateTransaction` and `ValidateTransactionWithState`: chain, gas against the block,
//! intrinsic gas, EIP-7825's cap, fee cap against tip, nonce below the sender's, funds for the
//! gas limit at the fee cap plus the value) and the base fee check anvil's pool adds (a dev
//! chain's base fee does not move on its own, so a transaction below it would wait for good).
//! A nonce ahead of the sender's is admitted: it waits for the ones before it.

use super::chain::Engine;
use super::error::EngineError;
use crate::bootloader::flow::{check_chain_id, check_intrinsic};
use crate::bootloader::{DecodedTx, InvalidTransaction};
use crate::config::Hardfork;
use crate::context::BlockContext;
use crate::primitives::U256;
use crate::resources::{gas, MAX_GAS_LIMIT};
use crate::tx::intrinsic::intrinsic_gas;

impl Engine {
    /// Refuses `decoded` when the next block (`context`) could not take it whatever waits
    /// before it: its chain, a gas limit above the block's or below its intrinsic gas, a tip
    /// above its fee cap, a fee cap below the base fee, a nonce below the sender's, or a sender
    /// who cannot pay gas limit × fee cap + value. Over a fork, an account not fetched yet is
    /// not checked (the block will be). Changes nothing.
    pub(super) fn check_admission(
        &self,
        decoded: &DecodedTx,
        context: &BlockContext,
    ) -> Result<(), EngineError> {
        let tx = &decoded.tx;
        check_chain_id(&self.config, tx)?;
        let available = context.gas_limit.min(MAX_GAS_LIMIT);
        if tx.gas_limit > available {
            return Err(InvalidTransaction::GasLimitAboveBlock {
                limit: tx.gas_limit,
                available,
            }
            .into());
        }
        check_intrinsic(tx, &intrinsic_gas(tx, self.config.hardfork))?;
        if self.config.hardfork >= Hardfork::Osaka && tx.gas_limit > gas::MAX_TX_GAS_LIMIT_OSAKA {
            return Err(InvalidTransaction::GasLimitAboveCap {
                limit: tx.gas_limit,
            }
            .into());
        }
        if tx.max_priority_fee_per_gas > tx.max_fee_per_gas {
            return Err(InvalidTransaction::PriorityFeeAboveFeeCap.into());
        }
        if U256::from(tx.max_fee_per_gas) < context.base_fee {
            return Err(InvalidTransaction::FeeCapBelowBaseFee.into());
        }
        let Ok(account) = self.state.account(&decoded.sender) else {
            return Ok(());
        };
        let (nonce, balance) = account.map(|(n, b, _)| (n, b)).unwrap_or_default();
        if tx.nonce < nonce {
            return Err(InvalidTransaction::NonceTooLow {
                expected: nonce,
                got: tx.nonce,
            }
            .into());
        }
        let cost = U256::from(tx.gas_limit)
            .checked_mul(U256::from(tx.max_fee_per_gas))
            .and_then(|fee| fee.checked_add(tx.value));
        if cost.is_none_or(|cost| balance < cost) {
            return Err(InvalidTransaction::InsufficientFunds.into());
        }
        Ok(())
    }
}
