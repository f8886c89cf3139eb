//! Transaction validity rules, checked before any state changes.

use crate::config::{ChainConfig, Hardfork};
use crate::env::BlockEnv;
use crate::io::{Io, StateSource};
use crate::primitives::{Address, U256};
use crate::resources::gas;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::{SignatureError, Transaction, TxDecodeError};

/// Why a transaction cannot be included. The state is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidTransaction {
    /// The transaction type is not enabled under the chain's hardfork.
    TypeNotSupported(u8),
    /// The transaction is signed for another chain.
    ChainIdMismatch {
        /// Chain id of the chain.
        expected: u64,
        /// Chain id in the transaction.
        got: u64,
    },
    /// The gas limit does not cover the intrinsic gas.
    IntrinsicGasTooLow {
        /// Intrinsic gas.
        intrinsic: u64,
        /// Gas limit.
        limit: u64,
    },
    /// The gas limit does not cover the EIP-7623 calldata floor.
    FloorGasTooLow {
        /// Floor gas.
        floor: u64,
        /// Gas limit.
        limit: u64,
    },
    /// The gas limit exceeds what the block has left.
    GasLimitAboveBlock {
        /// Gas limit.
        limit: u64,
        /// Gas available in the block.
        available: u64,
    },
    /// The gas limit exceeds the EIP-7825 cap.
    GasLimitAboveCap {
        /// Gas limit.
        limit: u64,
    },
    /// The sender's nonce is at its maximum (EIP-2681).
    NonceMax,
    /// The nonce is below the sender's.
    NonceTooLow {
        /// Sender's nonce.
        expected: u64,
        /// Transaction nonce.
        got: u64,
    },
    /// The nonce is above the sender's.
    NonceTooHigh {
        /// Sender's nonce.
        expected: u64,
        /// Transaction nonce.
        got: u64,
    },
    /// The sender has code (EIP-3607).
    SenderHasCode,
    /// The sender cannot pay gas limit × fee cap + value (+ blob fee).
    InsufficientFunds,
    /// The fee cap is below the block's base fee.
    FeeCapBelowBaseFee,
    /// The priority fee exceeds the fee cap.
    PriorityFeeAboveFeeCap,
    /// The initcode exceeds 49,152 bytes (EIP-3860).
    InitcodeTooLarge,
    /// A blob transaction cannot create a contract.
    BlobCreate,
    /// A blob transaction carries no blob.
    NoBlobs,
    /// A blob versioned hash does not start with 0x01.
    BlobVersion,
    /// More blobs than a block may hold.
    TooManyBlobs,
    /// The blob fee cap is below the blob base fee.
    BlobFeeCapTooLow,
    /// An EIP-7702 transaction with no authorization.
    EmptyAuthorizationList,
    /// An EIP-7702 transaction cannot create a contract.
    AuthorizationCreate,
    /// Native ran out while validating (ZKsync OS flow).
    OutOfNativeInValidation,
    /// The bytes are not a well-formed transaction envelope.
    Malformed(TxDecodeError),
    /// The signature is invalid or no sender recovers from it.
    InvalidSignature(SignatureError),
    /// An L1 priority or upgrade transaction without its L1 fields (sender, mint, refund
    /// recipient).
    L1FieldsMissing,
    /// The block's gas would exceed its gas limit; the transaction was rolled back.
    BlockGasLimitReached,
    /// The block's computational native would exceed 2^35; the transaction was rolled back.
    BlockNativeLimitReached,
    /// The block's pubdata would exceed its pubdata limit; the transaction was rolled back.
    BlockPubdataLimitReached,
    /// The block's L2→L1 logs would exceed the logs tree capacity; the transaction was rolled
    /// back.
    BlockL2ToL1LogLimitReached,
    /// The block's blob gas would exceed its limit; the transaction was rolled back.
    BlockBlobGasLimitReached,
    /// An upgrade transaction that is not the first transaction of the block.
    UpgradeTxNotFirst,
    /// An upgrade transaction that did not succeed (it must); the transaction was rolled back.
    UpgradeTxFailed,
    /// The deposit of an L1 transaction does not cover gas limit × gas price + value.
    L1DepositTooLow,
}

/// What validation computed for execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checked {
    /// Price per gas actually paid.
    pub effective_gas_price: U256,
    /// Deducted from the sender before execution: gas limit × effective price + blob fee.
    pub upfront_fee: U256,
}

/// Largest number of blobs per block under `hardfork`.
pub(crate) fn max_blobs_per_block(hardfork: Hardfork) -> usize {
    if hardfork >= Hardfork::Prague {
        9
    } else {
        6
    }
}

/// Ethereum validity checks (execution-specs order: static checks, fees, then sender state).
pub fn check_ethereum<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    sender: &Address,
    intrinsic: &IntrinsicGas,
) -> Result<Checked, InvalidTransaction> {
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
    if hardfork >= Hardfork::Osaka && tx.gas_limit > gas::MAX_TX_GAS_LIMIT_OSAKA {
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
        if tx.blob_versioned_hashes.len() > max_blobs_per_block(hardfork) {
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
    if !account.code.is_empty() && !is_delegation {
        return Err(InvalidTransaction::SenderHasCode);
    }
    if tx.nonce < account.nonce {
        return Err(InvalidTransaction::NonceTooLow {
            expected: account.nonce,
            got: tx.nonce,
        });
    }
    if tx.nonce > account.nonce {
        return Err(InvalidTransaction::NonceTooHigh {
            expected: account.nonce,
            got: tx.nonce,
        });
    }
    let total = max_cost.checked_add(tx.value);
    if total.is_none_or(|total| account.balance < total) {
        return Err(InvalidTransaction::InsufficientFunds);
    }
    Ok(Checked {
        effective_gas_price,
        upfront_fee,
    })
}

/// A transaction that names a chain must name this one.
pub(crate) fn check_chain_id(
    config: &ChainConfig,
    tx: &Transaction,
) -> Result<(), InvalidTransaction> {
    match tx.chain_id {
        Some(chain_id) if chain_id != config.chain_id => Err(InvalidTransaction::ChainIdMismatch {
            expected: config.chain_id,
            got: chain_id,
        }),
        _ => Ok(()),
    }
}

/// The gas limit must cover the intrinsic gas and the EIP-7623 floor.
pub(crate) fn check_intrinsic(
    tx: &Transaction,
    intrinsic: &IntrinsicGas,
) -> Result<(), InvalidTransaction> {
    if intrinsic.gas > tx.gas_limit {
        return Err(InvalidTransaction::IntrinsicGasTooLow {
            intrinsic: intrinsic.gas,
            limit: tx.gas_limit,
        });
    }
    if intrinsic.floor_gas > tx.gas_limit {
        return Err(InvalidTransaction::FloorGasTooLow {
            floor: intrinsic.floor_gas,
            limit: tx.gas_limit,
        });
    }
    Ok(())
}
