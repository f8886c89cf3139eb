//! The Ethereum transaction flow: Ethereum's validation and fee rules (base fee burnt, tip to
//! the coinbase, no pubdata, unlimited native, EIP-161 clean-up), on the same EVM and IO as the
//! ZKsync OS flow. This is what the Ethereum state tests check.

use super::block::BlockContext;
use super::execution::{Charged, TxExecution};
use super::validation::{self, InvalidTransaction};
use crate::config::{ChainConfig, Hardfork};
use crate::ee::evm::Env;
use crate::env::BlockEnv;
use crate::io::{Io, StateSource};
use crate::primitives::{Address, U256};
use crate::resources::ergs_to_gas;
use crate::trace::Tracer;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::Transaction;

pub use super::receipt::TxReceipt;

/// Executes one signed-and-recovered transaction from `sender` in the Ethereum flow.
/// An invalid transaction leaves the state untouched.
pub fn execute_transaction<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    sender: Address,
    tracer: &mut T,
) -> Result<TxReceipt, InvalidTransaction> {
    let context = BlockContext::from_evm_env(block);
    let mut execution = TxExecution::start_recovered(io, config, &context, tx.clone(), sender)?;
    execution.run(io, tracer, u64::MAX);
    Ok(execution.finish(io))
}

/// Validation: checks the transaction and fixes the fee charge (bump the nonce, buy the gas at
/// the effective price plus the blob fee). Native is unlimited. Changes no state.
pub(crate) fn validate<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    sender: &Address,
    intrinsic: &IntrinsicGas,
) -> Result<Charged, InvalidTransaction> {
    if tx.is_l1() {
        return Err(InvalidTransaction::TypeNotSupported(tx.tx_type));
    }
    let checked = validation::check_ethereum(io, config, block, tx, sender, intrinsic)?;
    Ok(Charged {
        gas_price: checked.effective_gas_price,
        sender_nonce: io.account(sender).nonce,
        budget: None,
        payer: *sender,
        mint: U256::ZERO,
        fee: checked.upfront_fee,
        bump_nonce: true,
        refund_recipient: *sender,
        skip_execution: false,
    })
}

/// Gas figures of a settled transaction.
pub(crate) struct Settled {
    /// Gas charged after refund and floor.
    pub gas_used: u64,
    /// Refund granted (EIP-3529 cap applied).
    pub gas_refunded: u64,
}

/// Refund and fees: caps the refund at a fifth of the gas used, applies the EIP-7623 floor,
/// returns unused gas to the sender and pays the tip to the coinbase (the base fee is burnt).
pub(crate) fn settle<S: StateSource>(
    io: &mut Io<S>,
    env: &Env,
    tx: &Transaction,
    sender: &Address,
    intrinsic: &IntrinsicGas,
    ergs_left: u64,
    refund: i64,
) -> Settled {
    let gas_left = ergs_to_gas(ergs_left);
    let gas_used_before_refund = tx.gas_limit - gas_left;
    let gas_refunded = (refund.max(0) as u64).min(gas_used_before_refund / 5);
    let mut gas_used = gas_used_before_refund - gas_refunded;
    if env.hardfork >= Hardfork::Prague {
        gas_used = gas_used.max(intrinsic.floor_gas);
    }
    let price = env.tx.gas_price;
    let coinbase = env.block.coinbase;
    let returned = U256::from(tx.gas_limit - gas_used) * price;
    let sender_balance = io.account(sender).balance;
    let _ = io.set_balance(sender, sender_balance + returned);
    let tip = U256::from(gas_used) * (price - env.block.base_fee);
    let account = io.account(&coinbase);
    let (coinbase_balance, coinbase_empty) =
        (account.balance, account.exists && account.is_empty());
    if !tip.is_zero() {
        let _ = io.set_balance(&coinbase, coinbase_balance + tip);
    } else if coinbase_empty {
        io.touch(&coinbase);
    }
    Settled {
        gas_used,
        gas_refunded,
    }
}
