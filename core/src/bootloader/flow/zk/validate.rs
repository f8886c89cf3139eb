//! Validation in the ZKsync OS flow (spec §4): an L2 transaction is checked in the spec's order
//! and its native budget derived; an L1 priority or upgrade transaction is not validated, only
//! its fee charge planned.

use super::budget::{div_ceil_u64, div_u64, effective_gas_price, NativeBudget};
use super::rules::ZkRules;
use crate::bootloader::flow::common::{check_chain_id, check_intrinsic, check_nonce};
use crate::bootloader::flow::phases::Charged;
use crate::bootloader::input::DecodedTx;
use crate::bootloader::invalid::InvalidTransaction;
use crate::config::{ChainConfig, Hardfork};
use crate::context::BlockContext;
use crate::io::{Io, StateSource};
use crate::primitives::U256;
use crate::resources::gas;
use crate::resources::MAX_GAS_LIMIT;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::UPGRADE_TX_TYPE;

/// Validation of an L2 transaction in the order of spec §4, fixing its fee charge. A simulation
/// skips the nonce check (an impersonated block transaction does not); neither has its
/// signature checked. Types 0x00-0x02 are accepted, 0x04
/// from Prague; EIP-4844 transactions are not (ZKsync OS production disables them). Changes no
/// state: the charge is applied by the fee charge phase.
pub(crate) fn validate_l2<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    rules: &ZkRules,
    block: &BlockContext,
    decoded: &DecodedTx,
    intrinsic: &IntrinsicGas,
) -> Result<Charged, InvalidTransaction> {
    let (tx, sender, simulated) = (&decoded.tx, &decoded.sender, decoded.simulated);
    let hardfork = config.hardfork;
    match tx.tx_type {
        0..=2 => {}
        4 if hardfork >= Hardfork::Prague => {}
        other => return Err(InvalidTransaction::TypeNotSupported(other)),
    }
    check_chain_id(config, tx)?;
    // 1. Gas limit within the block's (and within what ergs can hold).
    let available = block.gas_limit.min(MAX_GAS_LIMIT);
    if tx.gas_limit > available {
        return Err(InvalidTransaction::GasLimitAboveBlock {
            limit: tx.gas_limit,
            available,
        });
    }
    // 2. Intrinsic gas and the EIP-7623 minimum.
    check_intrinsic(tx, intrinsic)?;
    if hardfork >= Hardfork::Osaka && tx.gas_limit > gas::MAX_TX_GAS_LIMIT_OSAKA {
        return Err(InvalidTransaction::GasLimitAboveCap {
            limit: tx.gas_limit,
        });
    }
    if tx.is_create() && tx.data.len() > gas::MAX_INITCODE_SIZE {
        return Err(InvalidTransaction::InitcodeTooLarge);
    }
    if tx.tx_type == 4 {
        if tx.is_create() {
            return Err(InvalidTransaction::AuthorizationCreate);
        }
        if tx.authorization_list.is_empty() {
            return Err(InvalidTransaction::EmptyAuthorizationList);
        }
    }
    // 3. Gas price, native per gas and per pubdata, and the native budget. A simulation may
    // ask for gas price 0 (fee checks skipped); its native is then priced at the base fee.
    let free_simulation = simulated && tx.max_fee_per_gas == 0;
    let gas_price = if free_simulation {
        U256::ZERO
    } else {
        let max_fee = U256::from(tx.max_fee_per_gas);
        if max_fee < U256::from(tx.max_priority_fee_per_gas) {
            return Err(InvalidTransaction::PriorityFeeAboveFeeCap);
        }
        if max_fee < block.base_fee {
            return Err(InvalidTransaction::FeeCapBelowBaseFee);
        }
        effective_gas_price(tx, block.base_fee, rules.free_at_zero_base_fee)
    };
    let priced = if free_simulation {
        block.base_fee
    } else {
        gas_price
    };
    let native_per_gas = div_ceil_u64(priced, block.native_price);
    let native_per_pubdata = div_u64(block.pubdata_price, block.native_price);
    let budget = NativeBudget::derive(
        tx.gas_limit,
        native_per_gas,
        native_per_pubdata,
        rules.l2_intrinsic_pubdata(tx),
        rules.l2_intrinsic_native(tx),
    )
    .ok_or(InvalidTransaction::OutOfNativeInValidation)?;
    // 6. The sender: EIP-3607, allowing an EIP-7702 delegation.
    let account = io.account(sender);
    let (nonce, has_code, delegated) = (
        account.nonce,
        !account.code.is_empty(),
        account.code.delegation_target().is_some(),
    );
    if has_code && !(delegated && hardfork >= Hardfork::Prague) && !decoded.skip_sender_code {
        return Err(InvalidTransaction::SenderHasCode);
    }
    // 7. The nonce (bumped first).
    if nonce == u64::MAX {
        return Err(InvalidTransaction::NonceMax);
    }
    if !decoded.skip_nonce {
        check_nonce(nonce, tx.nonce)?;
    }
    // 8-9. The access list is warmed and authorizations applied after the charge (both are
    // intrinsic, so the order changes no outcome).
    // 10. Balance covers gas limit × gas price + value (the nonce bump leaves it unchanged).
    let fee = U256::from(tx.gas_limit) * gas_price;
    let balance = io.account(sender).balance;
    if fee
        .checked_add(tx.value)
        .and_then(|cost| balance.checked_sub(cost))
        .is_none()
    {
        return Err(InvalidTransaction::InsufficientFunds);
    }
    // 11. The fee charge: bump the nonce, pre-charge the fee.
    Ok(Charged {
        gas_price,
        sender_nonce: nonce,
        budget: Some(budget),
        payer: *sender,
        mint: U256::ZERO,
        fee,
        bump_nonce: true,
        refund_recipient: *sender,
        skip_execution: false,
        validation_gas: 0,
    })
}

/// The fee charge of an L1 priority (0xFF) or upgrade (0xFE) transaction, which has no
/// validation: the deposit is to be minted to `from` and the fee taken from it. Native that
/// cannot cover the intrinsic costs makes the transaction fail, never invalid. The only
/// rejections: a deposit that does not cover gas limit × gas price + value (L1 guarantees it
/// does), and an upgrade transaction that is not the block's first.
pub(crate) fn plan_l1<S: StateSource>(
    io: &mut Io<S>,
    rules: &ZkRules,
    block: &BlockContext,
    decoded: &DecodedTx,
    intrinsic: &IntrinsicGas,
) -> Result<Charged, InvalidTransaction> {
    let tx = &decoded.tx;
    let l1 = tx.l1.as_ref().ok_or(InvalidTransaction::L1FieldsMissing)?;
    if tx.tx_type == UPGRADE_TX_TYPE && io.tx_number() != 0 {
        return Err(InvalidTransaction::UpgradeTxNotFirst);
    }
    let gas_price = U256::from(tx.max_fee_per_gas);
    let fee = U256::from(tx.gas_limit) * gas_price;
    if fee.checked_add(tx.value).is_none_or(|cost| cost > l1.mint) {
        return Err(InvalidTransaction::L1DepositTooLow);
    }
    // Version 2 prices L1 transactions at its own native price and their pubdata at the gas per
    // pubdata byte the transaction names (upstream `process_l1_transaction`).
    let native_price = rules.l1_native_price.map_or(block.native_price, U256::from);
    let native_per_gas = if tx.tx_type == UPGRADE_TX_TYPE {
        rules.upgrade_native_per_gas
    } else {
        div_ceil_u64(gas_price, native_price)
    };
    let native_per_pubdata = match rules.l1_native_price {
        Some(_) => u64::from(l1.gas_per_pubdata_limit).saturating_mul(native_per_gas),
        None => div_u64(block.pubdata_price, native_price),
    };
    let intrinsic_native = rules
        .l1_intrinsic_native
        .saturating_add((tx.data.len() as u64).saturating_mul(rules.l1_calldata_byte_native));
    let derived = NativeBudget::derive(
        tx.gas_limit.min(MAX_GAS_LIMIT),
        native_per_gas,
        native_per_pubdata,
        rules.l1_intrinsic_pubdata,
        intrinsic_native,
    );
    let skip_execution = derived.is_none() || intrinsic.gas > tx.gas_limit;
    let budget = derived.unwrap_or(NativeBudget {
        native_per_gas,
        native_per_pubdata,
        total: tx.gas_limit.saturating_mul(native_per_gas),
        withheld: 0,
        intrinsic_pubdata: rules.l1_intrinsic_pubdata,
        intrinsic_native,
        execution: 0,
        validation_native: 0,
    });
    // A deployment from L1 uses `from`'s nonce for the address and bumps it, as an L2 one does.
    Ok(Charged {
        gas_price,
        sender_nonce: io.account(&l1.from).nonce,
        budget: Some(budget),
        payer: l1.from,
        mint: l1.mint,
        fee,
        bump_nonce: tx.is_create(),
        refund_recipient: l1.refund_recipient,
        skip_execution,
        validation_gas: 0,
    })
}
