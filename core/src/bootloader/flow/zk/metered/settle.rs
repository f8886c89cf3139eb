//! The end of a transaction under protocol version 2 (upstream `process_transaction.rs::
//! transaction_execution`, `refund_transaction` and `compute_gas_refund`, `bootloader/mod.rs::
//! run_prepared`).

use super::sweep_to_coinbase;
use crate::bootloader::flow::breakdown::GasBreakdown;
use crate::bootloader::flow::phases::{Admitted, Executed, PubdataCharge, Settled};
use crate::bootloader::flow::zk::budget::NativeBudget;
use crate::bootloader::flow::zk::rules::ZkRules;
use crate::bootloader::pubdata::touched_pubdata_bytes;
use crate::ee::evm::{FrameEnd, Halt};
use crate::io::{Io, StateSource};
use crate::primitives::{Bytes, U256};
use crate::resources::ErgsPerGas;
use crate::system::BOOTLOADER_FORMAL_ADDRESS;

/// Whether execution ran out of native: upstream then drops what execution spent, as it ran on
/// a copy of the resources.
fn ran_out_of_native(executed: &Executed) -> bool {
    matches!(executed.outcome.end, FrameEnd::Halt(Halt::OutOfNative))
}

/// Pubdata execution added: what the transaction's touched accounts, slots and messages
/// publish now, less what validation paid for.
fn execution_pubdata<S: StateSource>(
    io: &Io<S>,
    rules: &ZkRules,
    budget: &NativeBudget,
    executed: &Executed,
) -> u64 {
    let messages = io
        .messages()
        .get(executed.messages_before..)
        .unwrap_or_default();
    touched_pubdata_bytes(io, messages, rules.message_overhead_pubdata)
        .saturating_sub(budget.intrinsic_pubdata)
}

/// The pubdata phase: execution's pubdata is measured and must be payable from the native left
/// (the withheld native reclaimed); when it is not, execution is rolled back and only the
/// pubdata left after the rollback is charged, and a successful execution's output (a top-level
/// deployment's code) is kept as revert data. Execution that did not succeed is rolled back
/// entirely first, its top-level reads included, as upstream rolls back to where execution
/// started.
pub(crate) fn charge_pubdata<S: StateSource>(
    io: &mut Io<S>,
    rules: &ZkRules,
    budget: &NativeBudget,
    executed: &Executed,
) -> PubdataCharge {
    let out_of_native = ran_out_of_native(executed);
    let succeeded = matches!(executed.outcome.end, FrameEnd::Success(_));
    if !succeeded {
        io.rollback(executed.exec_start);
    }
    let main_left = if out_of_native {
        budget.execution_start()
    } else {
        io.native_remaining()
    };
    let available = main_left.saturating_add(budget.withheld);
    let mut net_pubdata = execution_pubdata(io, rules, budget, executed);
    let mut paid = true;
    let mut kept_output = None;
    if succeeded && net_pubdata.saturating_mul(budget.native_per_pubdata) > available {
        if let Some(created) = executed.outcome.created {
            kept_output = Some(Bytes::copy_from_slice(io.account(&created).code.bytes()));
        } else if let FrameEnd::Success(output) = &executed.outcome.end {
            kept_output = Some(output.clone());
        }
        io.rollback(executed.exec_start);
        paid = false;
        net_pubdata = execution_pubdata(io, rules, budget, executed);
    }
    PubdataCharge {
        native_remaining: available
            .saturating_sub(net_pubdata.saturating_mul(budget.native_per_pubdata)),
        main_left,
        net_pubdata,
        paid,
        kept_output,
    }
}

/// The refund phase: gas used is what execution left unused (all of it after running out of
/// native), raised to the gas the native used buys (deltaGas), with no EVM refund; the unused
/// gas goes back from 0x8001 to the sender and 0x8001 is swept to the coinbase. A top-level
/// deployment returns the deployed code.
pub(crate) fn refund<S: StateSource>(
    io: &mut Io<S>,
    tx: &Admitted,
    budget: &NativeBudget,
    executed: &Executed,
    pubdata: &PubdataCharge,
) -> Settled {
    let outcome = &executed.outcome;
    let gas_limit = tx.transaction().gas_limit;
    // No EVM refund and no EIP-7623 floor (neither is in the snapshot's production build).
    let gas_left = if ran_out_of_native(executed) {
        0
    } else {
        ErgsPerGas::ZK.gas(outcome.ergs_left)
    };
    let mut gas = GasBreakdown::after_execution(gas_limit, tx.intrinsic.gas, gas_left, 0, None);
    // The whole native limit (unlimited when native per gas is 0, as in a simulation without a
    // price), so a simulation reports the native used either way. A block's transaction at 0
    // native per gas (a zero gas price) reports none: upstream measures the native used from
    // `gas_limit × native_per_gas`, here 0, less what is left, saturating
    // (`basic_bootloader/src/bootloader/process_transaction.rs::compute_gas_refund`).
    let native_used = if budget.native_per_gas == 0 && !tx.tx.simulated {
        0
    } else {
        budget.total.saturating_sub(pubdata.native_remaining)
    };
    gas.cover_native(native_used, budget.native_per_gas);
    gas.cap(gas_limit);
    let gas_used = gas.gas_used();
    let computational_native_used = budget
        .intrinsic_native
        .saturating_add(budget.execution.saturating_sub(pubdata.main_left));
    let pubdata_used = budget.intrinsic_pubdata + pubdata.net_pubdata;

    let gas_price = tx.charged.gas_price;
    let refund = U256::from(gas_limit - gas_used) * gas_price;
    io.reset_native(u64::MAX);
    let _ = io.transfer(&BOOTLOADER_FORMAL_ADDRESS, &tx.tx.sender, refund);
    sweep_to_coinbase(io, &tx.env.block.coinbase);

    let paid_success = pubdata.paid && matches!(outcome.end, FrameEnd::Success(_));
    let end = match (&pubdata.kept_output, outcome.created) {
        (Some(output), _) => FrameEnd::Revert(output.clone()),
        (None, Some(created)) if paid_success => {
            FrameEnd::Success(Bytes::copy_from_slice(io.account(&created).code.bytes()))
        }
        _ => outcome.end.clone(),
    };
    Settled {
        success: paid_success,
        gas,
        native_used,
        computational_native_used,
        pubdata_used,
        end,
        created: if paid_success { outcome.created } else { None },
    }
}
