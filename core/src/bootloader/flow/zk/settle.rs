//! The end of a ZKsync OS transaction (spec §3 steps 6-7): its net pubdata is measured and paid
//! from native, then the refund is capped, deltaGas added for the native used, unused gas
//! returned and the whole fee paid to the coinbase.

use super::budget::NativeBudget;
use super::rules::ZkRules;
use crate::bootloader::flow::common::gas_after_refund;
use crate::bootloader::flow::phases::{Admitted, Executed, PubdataCharge, Settled};
use crate::bootloader::pubdata::net_pubdata_bytes;
use crate::ee::evm::FrameEnd;
use crate::io::{Checkpoint, Io, L2ToL1Message, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::tx::L1_PRIORITY_TX_TYPE;

/// Pubdata bytes of `messages`.
fn messages_pubdata(rules: &ZkRules, messages: &[L2ToL1Message]) -> u64 {
    messages
        .iter()
        .map(|message| rules.message_overhead_pubdata + message.data.len() as u64)
        .sum()
}

/// Net pubdata bytes of execution: state diffs since `exec_start` plus the messages sent since
/// `messages_before`. The account diffs of `covered` (the payer, the coinbase, an L1 refund
/// recipient) are paid by the intrinsic pubdata and not counted again.
fn execution_pubdata<S: StateSource>(
    io: &Io<S>,
    rules: &ZkRules,
    exec_start: Checkpoint,
    messages_before: usize,
    covered: &[Address],
) -> u64 {
    let mut changes = io.changes_since(exec_start);
    changes
        .accounts
        .retain(|change| !covered.contains(&change.address));
    let diffs = net_pubdata_bytes(&changes).max(0) as u64;
    let messages = io.messages().get(messages_before..).unwrap_or_default();
    diffs + messages_pubdata(rules, messages)
}

/// Accounts whose diffs the intrinsic pubdata pays for: the sender, the coinbase and the
/// refund recipient.
fn covered(tx: &Admitted) -> [Address; 3] {
    [
        tx.tx.sender,
        tx.env.block.coinbase,
        tx.charged.refund_recipient,
    ]
}

/// The pubdata phase: reclaims the withheld native, measures the net pubdata and charges it in
/// native, reverting execution (back to its start) when native cannot pay it.
pub(crate) fn charge_pubdata<S: StateSource>(
    io: &mut Io<S>,
    rules: &ZkRules,
    tx: &Admitted,
    budget: &NativeBudget,
    executed: &Executed,
) -> PubdataCharge {
    let covered = covered(tx);
    let measure = |io: &Io<S>| {
        execution_pubdata(
            io,
            rules,
            executed.exec_start,
            executed.messages_before,
            &covered,
        )
    };
    let native_remaining = io.native_remaining().saturating_add(budget.withheld);
    let mut net_pubdata = measure(io);
    let mut paid = true;
    if net_pubdata.saturating_mul(budget.native_per_pubdata) > native_remaining {
        io.rollback(executed.exec_start);
        paid = false;
        net_pubdata = measure(io);
    }
    PubdataCharge {
        native_remaining: native_remaining
            .saturating_sub(net_pubdata.saturating_mul(budget.native_per_pubdata)),
        main_left: 0,
        net_pubdata,
        paid,
        kept_output: None,
    }
}

/// The refund phase: caps the refund (none when the pubdata was not paid), applies the EIP-7623
/// floor, adds deltaGas for native, returns unused gas to the refund recipient and pays the
/// whole fee to the coinbase. A transaction whose pubdata was not paid fails with empty revert
/// data; a failed deposit's value goes to the refund recipient with the unused gas.
pub(crate) fn refund<S: StateSource>(
    io: &mut Io<S>,
    tx: &Admitted,
    budget: &NativeBudget,
    executed: &Executed,
    pubdata: &PubdataCharge,
) -> Settled {
    let outcome = &executed.outcome;
    let refund = if pubdata.paid { executed.refund } else { 0 };
    let gas_limit = tx.transaction().gas_limit;
    let mut gas = gas_after_refund(tx, outcome.ergs_left, refund);
    let native_used = budget.total.saturating_sub(pubdata.native_remaining);
    gas.cover_native(native_used, budget.native_per_gas);
    gas.cap(gas_limit);
    let gas_used = gas.gas_used();
    let pubdata_used = budget.intrinsic_pubdata + pubdata.net_pubdata;
    let computational_native_used =
        native_used.saturating_sub(pubdata_used.saturating_mul(budget.native_per_pubdata));

    // Bookkeeping transfers are intrinsic: unmetered.
    io.reset_native(u64::MAX);
    let gas_price = tx.charged.gas_price;
    let recipient = &tx.charged.refund_recipient;
    let coinbase = &tx.env.block.coinbase;
    let returned = U256::from(gas_limit - gas_used) * gas_price;
    let _ = io.credit(recipient, returned);
    let fee = U256::from(gas_used) * gas_price;
    if !fee.is_zero() {
        let _ = io.credit(coinbase, fee);
    }

    let mut success = matches!(outcome.end, FrameEnd::Success(_));
    let mut end = outcome.end.clone();
    if !pubdata.paid {
        success = false;
        end = FrameEnd::Revert(Bytes::new());
    }
    if !success && tx.transaction().tx_type == L1_PRIORITY_TX_TYPE {
        let _ = io.transfer(&tx.tx.sender, recipient, tx.transaction().value);
    }
    Settled {
        success,
        gas,
        native_used,
        computational_native_used,
        pubdata_used,
        end,
        created: outcome.created,
    }
}
