//! The Ethereum transaction flow: Ethereum's validation and fee rules (base fee burnt, tip to
//! the coinbase, no pubdata, unlimited native, EIP-161 clean-up), on the same EVM and IO as the
//! ZKsync OS flow. This is what the Ethereum state tests check.

use super::common::{
    blob_gas, charge_fee, check_chain_id, check_intrinsic, check_nonce, check_shared_block_limits,
    gas_after_refund, max_blobs_per_tx,
};
use super::history::{store_parent_hash, HISTORY_GENESIS};
use super::phases::{Admitted, BlockUsage, Charged, Executed, Flow, PubdataCharge, Settled};
use crate::bootloader::input::DecodedTx;
use crate::bootloader::invalid::InvalidTransaction;
use crate::bootloader::receipt::TxReceipt;
use crate::config::{ChainConfig, Hardfork};
use crate::context::BlockContext;
use crate::ee::evm::FrameEnd;
use crate::io::{Io, StateSource};
use crate::primitives::{Bytes, U256};
use crate::resources::gas;
use crate::system::genesis::GenesisAccount;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::Transaction;

/// The Ethereum flow of a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthereumFlow {
    config: ChainConfig,
}

impl EthereumFlow {
    /// The Ethereum flow of a chain with `config`.
    pub fn new(config: ChainConfig) -> Self {
        Self { config }
    }

    /// The chain configuration.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }
}

/// Price per gas and the wei validation takes up front.
struct Fees {
    effective_gas_price: U256,
    upfront_fee: U256,
}

impl Flow for EthereumFlow {
    /// From Prague, the EIP-2935 system call that stores the parent block's hash.
    fn start_block<S: StateSource>(&self, io: &mut Io<S>, block: &BlockContext) -> bool {
        !self.config.is_active(Hardfork::Prague) || store_parent_hash(io, &self.config, block)
    }

    /// Ethereum validity checks (execution-specs order: static checks, fees, then sender
    /// state); the charge bumps the nonce and buys the gas at the effective price plus the blob
    /// fee. L1 transactions do not exist in this flow.
    fn validate<S: StateSource>(
        &self,
        io: &mut Io<S>,
        block: &BlockContext,
        tx: &DecodedTx,
        intrinsic: &IntrinsicGas,
    ) -> Result<Charged, InvalidTransaction> {
        let decoded = tx;
        let (sender, tx) = (&decoded.sender, &decoded.tx);
        if tx.is_l1() {
            return Err(InvalidTransaction::TypeNotSupported(tx.tx_type));
        }
        let fees = check(io, &self.config, block, decoded, intrinsic)?;
        Ok(Charged {
            gas_price: fees.effective_gas_price,
            sender_nonce: io.account(sender).nonce,
            budget: None,
            payer: *sender,
            mint: U256::ZERO,
            fee: fees.upfront_fee,
            bump_nonce: true,
            refund_recipient: *sender,
            skip_execution: false,
            validation_gas: 0,
        })
    }

    fn charge_fee<S: StateSource>(&self, io: &mut Io<S>, tx: &Admitted) -> i64 {
        charge_fee(io, &self.config, tx)
    }

    fn charge_pubdata<S: StateSource>(
        &self,
        _io: &mut Io<S>,
        _tx: &Admitted,
        _executed: &Executed,
    ) -> Option<PubdataCharge> {
        None
    }

    /// Caps the refund at a fifth of the gas used, applies the EIP-7623 floor, returns unused
    /// gas to the sender and pays the tip to the coinbase (the base fee is burnt).
    fn settle<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
        _pubdata: Option<&PubdataCharge>,
    ) -> Settled {
        let outcome = &executed.outcome;
        let gas = gas_after_refund(tx, outcome.ergs_left, executed.refund);
        let gas_used = gas.gas_used();
        let price = tx.env.tx.gas_price;
        let coinbase = tx.env.block.coinbase;
        let sender = &tx.tx.sender;
        let returned = U256::from(tx.transaction().gas_limit - gas_used) * price;
        let _ = io.credit(sender, returned);
        let tip = U256::from(gas_used) * (price - tx.env.block.base_fee);
        let account = io.account(&coinbase);
        let coinbase_empty = account.exists && account.is_empty();
        if !tip.is_zero() {
            let _ = io.credit(&coinbase, tip);
        } else if coinbase_empty {
            io.touch(&coinbase);
        }
        let native_used = io.native_used();
        let end = match (&outcome.end, outcome.created) {
            // A top-level creation's output is the code it deployed, as geth's `ApplyMessage`
            // returns the constructor's return data (go-ethereum core/vm/evm.go `create`), so
            // `eth_call` without `to` answers it (viem's deployless calls read it); a CREATE
            // inside a transaction still returns nothing to its caller (runner.rs).
            (FrameEnd::Success(_), Some(created)) => {
                FrameEnd::Success(Bytes::copy_from_slice(io.account(&created).code.bytes()))
            }
            (end, _) => end.clone(),
        };
        Settled {
            success: matches!(end, FrameEnd::Success(_)),
            gas,
            native_used,
            computational_native_used: native_used,
            pubdata_used: 0,
            end,
            created: outcome.created,
        }
    }

    /// The gas limit within the gas the block has left, and the blobs within its blob gas
    /// (execution-specs `check_transaction`): a transaction that does not fit is invalid before
    /// it runs.
    fn check_block_room(
        &self,
        tx: &Transaction,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction> {
        let available = block.gas_limit.saturating_sub(used.gas);
        if tx.gas_limit > available {
            return Err(InvalidTransaction::GasLimitAboveBlock {
                limit: tx.gas_limit,
                available,
            });
        }
        let blob_gas = blob_gas(tx);
        if blob_gas > used.max_blob_gas.saturating_sub(used.blob_gas) {
            return Err(InvalidTransaction::BlockBlobGasLimitReached);
        }
        Ok(())
    }

    fn check_block_limits(
        &self,
        tx: &Admitted,
        settled: &Settled,
        _messages: u64,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction> {
        check_shared_block_limits(tx, settled, block.gas_limit, used)
    }

    /// EIP-1559 (legacy prices are both caps).
    fn gas_price(&self, tx: &Transaction, base_fee: U256) -> U256 {
        let max_fee = U256::from(tx.max_fee_per_gas);
        let tip = U256::from(tx.max_priority_fee_per_gas);
        max_fee.min(base_fee.saturating_add(tip))
    }

    /// The block gas limit, and from Osaka also the EIP-7825 cap of 2^24.
    fn tx_gas_cap(&self, block_gas_limit: u64) -> u64 {
        if self.config.is_active(Hardfork::Osaka) {
            block_gas_limit.min(gas::MAX_TX_GAS_LIMIT_OSAKA)
        } else {
            block_gas_limit
        }
    }

    /// The block gas limit: a simulation is not held to EIP-7825's cap.
    fn simulation_gas_cap(&self, block_gas_limit: u64) -> u64 {
        block_gas_limit
    }

    /// Native is unlimited.
    fn native_per_gas(
        &self,
        _gas_price: U256,
        _base_fee: U256,
        _native_price: U256,
    ) -> Option<u64> {
        None
    }

    /// No pubdata.
    fn native_per_pubdata(&self, _pubdata_price: U256, _native_price: U256) -> u64 {
        0
    }

    /// No pubdata.
    fn estimate_pubdata_reserve(&self) -> u64 {
        0
    }

    /// Gas used × gas price.
    fn expected_fee(
        &self,
        receipt: &TxReceipt,
        gas_price: U256,
        _native_price: U256,
        _pubdata_price: U256,
    ) -> U256 {
        U256::from(receipt.gas_used).saturating_mul(gas_price)
    }

    /// From Prague the EIP-2935 history contract; before, none (an Ethereum chain starts
    /// empty).
    fn genesis(&self) -> &'static [GenesisAccount] {
        if self.config.is_active(Hardfork::Prague) {
            &HISTORY_GENESIS
        } else {
            &[]
        }
    }
}

/// Ethereum validity checks (execution-specs order: static checks, fees, then sender state);
/// the EIP-7825 cap and EIP-3607 only where `decoded` keeps them ([`DecodedTx::skip_gas_cap`],
/// [`DecodedTx::skip_sender_code`]).
fn check<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
    decoded: &DecodedTx,
    intrinsic: &IntrinsicGas,
) -> Result<Fees, InvalidTransaction> {
    let (tx, sender) = (&decoded.tx, &decoded.sender);
    let hardfork = config.hardfork;
    match tx.tx_type {
        0..=2 => {}
        3 if hardfork >= Hardfork::Cancun => {}
        4 if hardfork >= Hardfork::Prague => {}
        other => return Err(InvalidTransaction::TypeNotSupported(other)),
    }
    check_chain_id(config, tx)?;
    check_intrinsic(tx, intrinsic)?;
    if tx.nonce == u64::MAX {
        return Err(InvalidTransaction::NonceMax);
    }
    if tx.is_create() && tx.data.len() > gas::MAX_INITCODE_SIZE {
        return Err(InvalidTransaction::InitcodeTooLarge);
    }
    if !decoded.skip_gas_cap
        && hardfork >= Hardfork::Osaka
        && tx.gas_limit > gas::MAX_TX_GAS_LIMIT_OSAKA
    {
        return Err(InvalidTransaction::GasLimitAboveCap {
            limit: tx.gas_limit,
        });
    }
    if tx.gas_limit > block.gas_limit {
        return Err(InvalidTransaction::GasLimitAboveBlock {
            limit: tx.gas_limit,
            available: block.gas_limit,
        });
    }
    let max_fee = U256::from(tx.max_fee_per_gas);
    let max_priority = U256::from(tx.max_priority_fee_per_gas);
    if max_fee < max_priority {
        return Err(InvalidTransaction::PriorityFeeAboveFeeCap);
    }
    if max_fee < block.base_fee {
        return Err(InvalidTransaction::FeeCapBelowBaseFee);
    }
    let effective_gas_price = max_fee.min(block.base_fee + max_priority);
    let mut max_cost = U256::from(tx.gas_limit) * max_fee;
    let mut upfront_fee = U256::from(tx.gas_limit) * effective_gas_price;
    if tx.tx_type == 3 {
        if tx.is_create() {
            return Err(InvalidTransaction::BlobCreate);
        }
        if tx.blob_versioned_hashes.is_empty() {
            return Err(InvalidTransaction::NoBlobs);
        }
        if tx.blob_versioned_hashes.iter().any(|h| h[0] != 0x01) {
            return Err(InvalidTransaction::BlobVersion);
        }
        if tx.blob_versioned_hashes.len() > max_blobs_per_tx(hardfork) {
            return Err(InvalidTransaction::TooManyBlobs);
        }
        if U256::from(tx.max_fee_per_blob_gas) < block.blob_base_fee {
            return Err(InvalidTransaction::BlobFeeCapTooLow);
        }
        let blob_gas = U256::from(gas::GAS_PER_BLOB * tx.blob_versioned_hashes.len() as u64);
        max_cost += blob_gas * U256::from(tx.max_fee_per_blob_gas);
        upfront_fee += blob_gas * block.blob_base_fee;
    }
    if tx.tx_type == 4 {
        if tx.is_create() {
            return Err(InvalidTransaction::AuthorizationCreate);
        }
        if tx.authorization_list.is_empty() {
            return Err(InvalidTransaction::EmptyAuthorizationList);
        }
    }
    let account = io.account(sender);
    let is_delegation = hardfork >= Hardfork::Prague && account.code.delegation_target().is_some();
    if !account.code.is_empty() && !is_delegation && !decoded.skip_sender_code {
        return Err(InvalidTransaction::SenderHasCode);
    }
    check_nonce(account.nonce, tx.nonce)?;
    let total = max_cost.checked_add(tx.value);
    if total.is_none_or(|total| account.balance < total) {
        return Err(InvalidTransaction::InsufficientFunds);
    }
    Ok(Fees {
        effective_gas_price,
        upfront_fee,
    })
}
