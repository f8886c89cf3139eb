//! Rules both flows share: the chain id and intrinsic gas checks, blob limits, the fee charge
//! with the warm set and EIP-7702 authorizations, the refund cap, and the block limits every
//! block has.

use super::breakdown::GasBreakdown;
use super::phases::{Admitted, BlockUsage, Charged, Settled};
use crate::bootloader::authorization::apply_authorizations;
use crate::bootloader::invalid::InvalidTransaction;
use crate::config::{ChainConfig, Hardfork};
use crate::io::{Io, StateSource};
use crate::precompiles::Precompile;
use crate::primitives::{Address, U256};
use crate::resources::blob::BlobSchedule;
use crate::resources::gas::{GAS_PER_BLOB, MAX_BLOBS_PER_TX_OSAKA};
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::{Transaction, UPGRADE_TX_TYPE};

/// Largest number of blobs one transaction may carry under `hardfork`: from Osaka EIP-7594's
/// `MAX_BLOBS_PER_TX` (6), before it the block's maximum.
pub(crate) fn max_blobs_per_tx(hardfork: Hardfork) -> usize {
    if hardfork >= Hardfork::Osaka {
        MAX_BLOBS_PER_TX_OSAKA
    } else {
        BlobSchedule::of(hardfork).max as usize
    }
}

/// Blob gas of a transaction.
pub(crate) fn blob_gas(tx: &Transaction) -> u64 {
    GAS_PER_BLOB * tx.blob_versioned_hashes.len() as u64
}

/// Blob gas a block may hold under `hardfork`.
pub(crate) fn max_blob_gas_per_block(hardfork: Hardfork) -> u64 {
    BlobSchedule::of(hardfork).max_blob_gas()
}

/// The transaction's nonce must be the sender's.
pub(crate) fn check_nonce(expected: u64, got: u64) -> Result<(), InvalidTransaction> {
    if got < expected {
        Err(InvalidTransaction::NonceTooLow { expected, got })
    } else if got > expected {
        Err(InvalidTransaction::NonceTooHigh { expected, got })
    } else {
        Ok(())
    }
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

/// The fee charge both flows apply, unmetered: mints an L1 deposit to the payer, takes the fee,
/// bumps the nonce, warms the EIP-2929 / EIP-3651 set (sender, coinbase, precompiles, access
/// list) and applies EIP-7702 authorizations. Returns the refund the authorizations earned.
pub(crate) fn charge_fee<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    tx: &Admitted,
) -> i64 {
    io.reset_native(u64::MAX);
    let charged: &Charged = &tx.charged;
    let payer = &charged.payer;
    let balance = io.account(payer).balance;
    let _ = io.set_balance(
        payer,
        balance
            .saturating_add(charged.mint)
            .saturating_sub(charged.fee),
    );
    if charged.bump_nonce {
        let _ = io.set_nonce(payer, charged.sender_nonce.saturating_add(1));
    }
    warm_up(
        io,
        config,
        &tx.env.block.coinbase,
        tx.transaction(),
        &tx.tx.sender,
    );
    if config.hardfork >= Hardfork::Prague && !tx.transaction().authorization_list.is_empty() {
        apply_authorizations(io, config, tx.transaction())
    } else {
        0
    }
}

/// EIP-2929 / EIP-3651 warm set: sender, coinbase, precompiles, access list.
pub(crate) fn warm_up<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    coinbase: &Address,
    tx: &Transaction,
    sender: &Address,
) {
    io.warm_account(sender);
    io.warm_account(coinbase);
    let set = io.costs().precompiles.set;
    for precompile in Precompile::active(config.hardfork, config.flow, set) {
        io.warm_account(&precompile);
    }
    for item in &tx.access_list {
        io.warm_account(&item.address);
        for key in &item.storage_keys {
            io.warm_slot(&item.address, &U256::from_be_bytes(key.0));
        }
    }
}

/// The gas terms after execution left `ergs_left` of `tx`'s gas limit and earned `refund`: the
/// refund counter capped at a fifth of the gas used (EIP-3529), then from Prague the EIP-7623
/// floor.
pub(crate) fn gas_after_refund(tx: &Admitted, ergs_left: u64, refund: i64) -> GasBreakdown {
    let floor = (tx.env.hardfork >= Hardfork::Prague).then_some(tx.intrinsic.floor_gas);
    GasBreakdown::after_execution(
        tx.transaction().gas_limit,
        tx.intrinsic.gas,
        tx.env.ergs_per_gas().gas(ergs_left),
        refund,
        floor,
    )
}

/// The limits every block has: a failed upgrade transaction is never included, the block's gas
/// stays within its gas limit and its blob gas within its blob schedule's.
pub(crate) fn check_shared_block_limits(
    tx: &Admitted,
    settled: &Settled,
    gas_limit: u64,
    used: &BlockUsage,
) -> Result<(), InvalidTransaction> {
    if tx.transaction().tx_type == UPGRADE_TX_TYPE && !settled.success {
        return Err(InvalidTransaction::UpgradeTxFailed);
    }
    // Checked, not saturating: a block gas limit of 2^64 - 1 must not let the sum wrap.
    let fits =
        |used: u64, more: u64, limit: u64| used.checked_add(more).is_some_and(|t| t <= limit);
    if !fits(used.gas, settled.gas.gas_used(), gas_limit) {
        return Err(InvalidTransaction::BlockGasLimitReached);
    }
    let blob_gas = blob_gas(tx.transaction());
    if blob_gas > 0 && !fits(used.blob_gas, blob_gas, used.max_blob_gas) {
        return Err(InvalidTransaction::BlockBlobGasLimitReached);
    }
    Ok(())
}
