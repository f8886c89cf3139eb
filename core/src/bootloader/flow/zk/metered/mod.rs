//! The ZKsync OS flow under [`TxCharging::Metered`](super::rules::TxCharging::Metered)
//! (protocol version 2): upstream ZKsync OS's transaction processing (ADI-Stack-zkOS @
//! 8035ac6f, `basic_bootloader/src/bootloader/process_transaction.rs`,
//! `transaction_flow/zk/mod.rs`, `gas_helpers.rs`, `bootloader/mod.rs::run_prepared`).
//!
//! Validation ([`validate`]) runs on the transaction's native meter and changes the state as
//! upstream's does: it heats the coinbase, reads the sender, warms the access list, hashes the
//! transaction, checks nonce and balance, verifies the signature, bumps the nonce, moves
//! `gas limit × fee cap` to the bootloader's formal account 0x8001 and the excess over the gas
//! price back, then measures and pays the validation pubdata. Settlement ([`settle`]) measures
//! the execution pubdata against the block start, reverts execution when it cannot be paid,
//! reports gas without EVM refunds (plus deltaGas for native), returns the unused gas from
//! 0x8001 and sweeps 0x8001 into the coinbase.

pub(crate) mod settle;
pub(crate) mod validate;

use crate::io::{Io, StateSource};
use crate::primitives::Address;
use crate::system::BOOTLOADER_FORMAL_ADDRESS;

/// Moves the whole balance of the bootloader's formal account 0x8001 to `coinbase`, as upstream
/// does after every transaction, valid or not (unmetered; reading 0x8001 puts it in the block's
/// account cache, so later transactions do not pay for materialising it).
pub(crate) fn sweep_to_coinbase<S: StateSource>(io: &mut Io<S>, coinbase: &Address) {
    io.heat_account(&BOOTLOADER_FORMAL_ADDRESS);
    io.reset_native(u64::MAX);
    let balance = io.account(&BOOTLOADER_FORMAL_ADDRESS).balance;
    if !balance.is_zero() {
        let _ = io.transfer(&BOOTLOADER_FORMAL_ADDRESS, coinbase, balance);
    }
}
