//! Validation of an L2 transaction under protocol version 2, in upstream's order
//! (`process_transaction.rs::process_l2_transaction` and `transaction_validation`,
//! `transaction_flow/zk/mod.rs::validate` and `pay_for_transaction`, `gas_helpers.rs::
//! get_resources_for_tx`): each step charges the transaction's native (and its gas) as it goes,
//! so the first step that cannot be paid decides the rejection.

use super::sweep_to_coinbase;
use crate::bootloader::flow::common::{check_chain_id, check_nonce};
use crate::bootloader::flow::phases::Charged;
use crate::bootloader::flow::zk::budget::{
    div_ceil_u64, div_u64, effective_gas_price, NativeBudget, MAX_NATIVE_COMPUTATIONAL,
};
use crate::bootloader::flow::zk::rules::ZkRules;
use crate::bootloader::input::DecodedTx;
use crate::bootloader::invalid::InvalidTransaction;
use crate::bootloader::pubdata::touched_pubdata_bytes;
use crate::bytecode::DELEGATION_PREFIX;
use crate::config::ChainConfig;
use crate::context::BlockContext;
use crate::io::{Io, OutOfNative, StateSource};
use crate::primitives::U256;
use crate::resources::gas;
use crate::resources::MAX_GAS_LIMIT;
use crate::system::BOOTLOADER_FORMAL_ADDRESS;
use crate::tx::intrinsic::{
    calldata_tokens, IntrinsicGas, ACCESS_LIST_ADDRESS_GAS, ACCESS_LIST_STORAGE_KEY_GAS,
    CALLDATA_TOKEN_GAS, INITCODE_WORD_GAS, TX_CREATE_GAS,
};
use crate::tx::Transaction;

/// Intrinsic gas of an L2 transaction before the signature check (upstream
/// `L2_TX_INTRINSIC_GAS`, `basic_bootloader/src/bootloader/constants.rs`).
pub const L2_TX_INTRINSIC_GAS: u64 = 18_000;
/// Gas of the signature check, charged by validation (upstream `ECRECOVER_COST_ERGS`,
/// `basic_system/src/cost_constants.rs`).
pub const SIGNATURE_CHECK_GAS: u64 = 3_000;
/// Gas of one validation access to a delegated sender's account: a warm access (upstream
/// `WARM_PROPERTIES_ACCESS_COST_ERGS`, `flat_storage_model/cost_constants.rs`).
const DELEGATED_ACCESS_GAS: u64 = gas::WARM_STORAGE_READ_GAS;

/// Why validation stopped, and whether what it changed stays.
struct Stop {
    reason: InvalidTransaction,
    /// The fee was taken already: upstream keeps the nonce bump and the payment (and sweeps
    /// them to the coinbase) although the transaction is invalid.
    keeps_state: bool,
}

impl From<InvalidTransaction> for Stop {
    fn from(reason: InvalidTransaction) -> Self {
        Stop {
            reason,
            keeps_state: false,
        }
    }
}

/// Out of native before the fee is taken: nothing stays.
fn out_of_native(_: OutOfNative) -> Stop {
    Stop::from(InvalidTransaction::OutOfNativeInValidation)
}

/// Out of native once the fee was taken: the state stays as upstream leaves it.
fn out_of_native_after_fee(_: OutOfNative) -> Stop {
    Stop {
        reason: InvalidTransaction::OutOfNativeInValidation,
        keeps_state: true,
    }
}

/// Gas validation has charged so far; the gas limit must cover it at every step.
struct GasMeter {
    used: u64,
    limit: u64,
    intrinsic: u64,
}

impl GasMeter {
    fn charge(&mut self, gas: u64) -> Result<(), Stop> {
        self.used = self.used.saturating_add(gas);
        if self.used > self.limit {
            return Err(Stop::from(InvalidTransaction::IntrinsicGasTooLow {
                intrinsic: self.intrinsic,
                limit: self.limit,
            }));
        }
        Ok(())
    }
}

/// Validates the L2 transaction `decoded` and takes its fee (see [`super`]). On a rejection the
/// state is as before (but for the accounts the block's cache now holds), except when native ran
/// out after the fee was taken: then, as upstream, the nonce bump and the fee stay, 0x8001 is
/// swept to the coinbase and the transaction ends.
pub(crate) fn validate_l2<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    rules: &ZkRules,
    block: &BlockContext,
    decoded: &DecodedTx,
    intrinsic: &IntrinsicGas,
) -> Result<Charged, InvalidTransaction> {
    let start = io.checkpoint();
    // Upstream reads the coinbase with infinite resources before every transaction.
    io.heat_account(&block.coinbase);
    match validate(io, config, rules, block, decoded, intrinsic) {
        Ok(charged) => Ok(charged),
        Err(stop) => {
            if stop.keeps_state {
                sweep_to_coinbase(io, &block.coinbase);
                io.finish_tx(true);
            } else {
                io.rollback(start);
                // The sweep after the transaction reads 0x8001 (its balance is zero here).
                io.heat_account(&BOOTLOADER_FORMAL_ADDRESS);
                io.rollback(start);
            }
            Err(stop.reason)
        }
    }
}

fn validate<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    rules: &ZkRules,
    block: &BlockContext,
    decoded: &DecodedTx,
    intrinsic: &IntrinsicGas,
) -> Result<Charged, Stop> {
    let (tx, sender, simulated) = (&decoded.tx, decoded.sender, decoded.simulated);
    // Types 0-2 only: the production build has neither blobs nor `pectra`.
    if tx.tx_type > 2 {
        return Err(InvalidTransaction::TypeNotSupported(tx.tx_type).into());
    }
    // Upstream refuses a block gas limit whose ergs overflow a u64 before anything else
    // (`basic_bootloader/src/bootloader/process_transaction.rs::process_l2_transaction`,
    // `BlockGasLimitTooHigh`).
    if block.gas_limit > MAX_GAS_LIMIT {
        return Err(InvalidTransaction::BlockGasLimitTooHigh.into());
    }
    let available = block.gas_limit;
    if tx.gas_limit > available {
        return Err(InvalidTransaction::GasLimitAboveBlock {
            limit: tx.gas_limit,
            available,
        }
        .into());
    }
    let free_simulation = simulated && tx.max_fee_per_gas == 0;
    let gas_price = if free_simulation {
        U256::ZERO
    } else {
        let max_fee = U256::from(tx.max_fee_per_gas);
        if max_fee < U256::from(tx.max_priority_fee_per_gas) {
            return Err(InvalidTransaction::PriorityFeeAboveFeeCap.into());
        }
        if max_fee < block.base_fee {
            return Err(InvalidTransaction::FeeCapBelowBaseFee.into());
        }
        effective_gas_price(tx, block.base_fee, rules.free_at_zero_base_fee)
    };
    if block.native_price.is_zero() {
        return Err(InvalidTransaction::NativePriceZero.into());
    }
    let priced = if free_simulation {
        block.base_fee
    } else {
        gas_price
    };
    let native_per_gas = div_ceil_u64(priced, block.native_price);
    let native_per_pubdata = div_u64(block.pubdata_price, block.native_price);

    // Resources: the native limit (unlimited at native per gas 0), capped for computation with
    // the rest withheld for pubdata, less the intrinsic native; then the intrinsic gas.
    let total = if native_per_gas == 0 {
        u64::MAX
    } else {
        tx.gas_limit.saturating_mul(native_per_gas)
    };
    let computational = total.min(MAX_NATIVE_COMPUTATIONAL);
    let withheld = total - computational;
    let intrinsic_native = rules
        .l2_intrinsic_native
        .saturating_add((tx.data.len() as u64).saturating_mul(rules.calldata_byte_native));
    let execution = computational
        .checked_sub(intrinsic_native)
        .ok_or(InvalidTransaction::OutOfNativeInValidation)?;
    let mut gas_meter = GasMeter {
        used: 0,
        limit: tx.gas_limit,
        intrinsic: intrinsic.gas,
    };
    gas_meter.charge(
        L2_TX_INTRINSIC_GAS
            .saturating_add(calldata_tokens(&tx.data).saturating_mul(CALLDATA_TOKEN_GAS)),
    )?;
    io.reset_native(execution);

    // The sender's account, then the deployment's intrinsic gas.
    io.charge_account_read(&sender).map_err(out_of_native)?;
    if tx.is_create() {
        if tx.data.len() > gas::MAX_INITCODE_SIZE {
            return Err(InvalidTransaction::InitcodeTooLarge.into());
        }
        let words = (tx.data.len() as u64).div_ceil(32);
        gas_meter.charge(TX_CREATE_GAS.saturating_add(words.saturating_mul(INITCODE_WORD_GAS)))?;
    }
    // The access list, entry by entry. Each access charges its native before its gas (upstream
    // charges both at once, native first), the account's or slot's cold part after.
    let access_native = io.costs().account_access_native;
    let slot_native = io.costs().warm_storage_read_native;
    for item in &tx.access_list {
        check_native(io, access_native)?;
        gas_meter.charge(ACCESS_LIST_ADDRESS_GAS)?;
        io.charge_account_read(&item.address)
            .map_err(out_of_native)?;
        io.warm_account(&item.address);
        for key in &item.storage_keys {
            check_native(io, slot_native)?;
            gas_meter.charge(ACCESS_LIST_STORAGE_KEY_GAS)?;
            io.touch_slot(&item.address, &U256::from_be_bytes(key.0))
                .map_err(out_of_native)?;
        }
    }
    charge_hashes(io, tx).map_err(out_of_native)?;

    let nonce = io.account(&sender).nonce;
    if !decoded.skip_nonce {
        check_nonce(nonce, tx.nonce)?;
    }
    // EIP-3607. Upstream stores code that begins with the EIP-7702 marker as a delegation,
    // whatever follows (`api/src/helpers.rs::set_properties_code`), and a delegated account is
    // no contract (`zk_ee/src/system/io.rs::is_contract`): its owner may send.
    let code = io.account(&sender).code.bytes();
    let delegated = code.starts_with(&DELEGATION_PREFIX);
    if !code.is_empty() && !delegated && !decoded.skip_sender_code {
        return Err(InvalidTransaction::SenderHasCode.into());
    }
    // A delegated account is an EVM account upstream (the helper sets its EE version), so the
    // account cache charges a warm access's gas for each of its validation accesses that an
    // EOA's (no EE) makes for free: the balance check, the nonce bump, and the fee transfer's
    // two (`basic_system/src/system_implementation/flat_storage_model/account_cache.rs::
    // materialize_element`, `transaction_flow/zk/mod.rs::validate`, `charge_fees`).
    let evm_access_gas = if delegated { DELEGATED_ACCESS_GAS } else { 0 };
    // Balance: gas limit × fee cap + value. Upstream computes gas limit × fee cap in u128 and
    // refuses a product past it before reading the balance
    // (`transaction/mod.rs::required_balance`, `OverflowPaymentInTransaction`).
    if u128::from(tx.gas_limit)
        .checked_mul(tx.max_fee_per_gas)
        .is_none()
    {
        return Err(InvalidTransaction::InsufficientFunds.into());
    }
    io.charge_account_read(&sender).map_err(out_of_native)?;
    gas_meter.charge(evm_access_gas)?;
    let max_fee = U256::from(tx.gas_limit) * U256::from(tx.max_fee_per_gas);
    let required = max_fee.checked_add(tx.value);
    let balance = io.account(&sender).balance;
    if required.is_none_or(|required| required > balance) {
        return Err(InvalidTransaction::InsufficientFunds.into());
    }
    // The signature check (charged in simulations too; native before gas), then the nonce
    // bump.
    io.charge_native(io.costs().precompiles.ecrecover_native)
        .map_err(out_of_native)?;
    gas_meter.charge(SIGNATURE_CHECK_GAS)?;
    // Upstream hashes the signed transaction with the chain's own id, so a transaction signed
    // for another chain recovers another address and fails here, after the sender's reads and
    // the recovery's charge (`basic_bootloader/src/bootloader/transaction_flow/zk/mod.rs`,
    // `IncorrectFrom`). zkos names the cause.
    check_chain_id(config, tx)?;
    if nonce == u64::MAX {
        return Err(InvalidTransaction::NonceMax.into());
    }
    gas_meter.charge(evm_access_gas)?;
    io.set_nonce(&sender, nonce + 1).map_err(out_of_native)?;

    // The fee: gas limit × fee cap to 0x8001, the excess over the gas price back.
    let bootloader = BOOTLOADER_FORMAL_ADDRESS;
    io.charge_account_read(&bootloader)
        .map_err(out_of_native_after_fee)?;
    gas_meter.charge(2 * evm_access_gas)?;
    if !io
        .transfer_charged(&sender, &bootloader, max_fee)
        .map_err(out_of_native_after_fee)?
    {
        return Err(InvalidTransaction::InsufficientFunds.into());
    }
    io.charge_account_read(&bootloader)
        .map_err(out_of_native_after_fee)?;
    let fee = U256::from(tx.gas_limit) * gas_price;
    let excess = max_fee.saturating_sub(fee);
    // A simulation stands for a transaction a wallet usually sends with a fee cap above its
    // price: it pays for returning an excess even without one, so that an estimate holds for
    // any cap (the transfer of nothing changes no balance).
    if !excess.is_zero() || simulated {
        // Upstream runs this transfer with infinite ergs and fails the block when its native
        // runs out (see `InvalidTransaction::OutOfNativeInFeeRefund`).
        io.transfer_charged(&bootloader, &sender, excess)
            .map_err(|_| Stop::from(InvalidTransaction::OutOfNativeInFeeRefund))?;
    }
    // The validation pubdata (no message is sent before execution), paid from the
    // computational native.
    let validation_pubdata = touched_pubdata_bytes(io, &[], rules.message_overhead_pubdata);
    io.charge_native(validation_pubdata.saturating_mul(native_per_pubdata))
        .map_err(out_of_native_after_fee)?;

    Ok(Charged {
        gas_price,
        sender_nonce: nonce,
        budget: Some(NativeBudget {
            native_per_gas,
            native_per_pubdata,
            total,
            withheld,
            intrinsic_pubdata: validation_pubdata,
            intrinsic_native,
            execution,
            validation_native: execution - io.native_remaining(),
        }),
        payer: sender,
        mint: U256::ZERO,
        fee,
        bump_nonce: false,
        refund_recipient: sender,
        skip_execution: false,
        validation_gas: 4 * evm_access_gas,
    })
}

/// Fails as out of native unless `native` is left (the native part of a charge upstream makes
/// together with gas, checked first).
fn check_native<S: StateSource>(io: &Io<S>, native: u64) -> Result<(), Stop> {
    if io.native_remaining() < native {
        return Err(Stop::from(InvalidTransaction::OutOfNativeInValidation));
    }
    Ok(())
}

/// Charges keccak of the two encodings validation hashes: the transaction hash and the signed
/// hash.
fn charge_hashes<S: StateSource>(io: &mut Io<S>, tx: &Transaction) -> Result<(), OutOfNative> {
    let (signed, unsigned) = tx.hashed_encoding_lengths();
    let costs = io.costs();
    let native = costs
        .keccak_native(signed as u64)
        .saturating_add(costs.keccak_native(unsigned as u64));
    io.charge_native(native)
}
