//! The state a transaction reads before its first opcode — validation, the fee charge, the
//! top-level frame and settlement — asked of the state source in one go when it may not know
//! it yet, so that a forked chain fetches it in one round: the sender (and an L1 transaction's
//! refund recipient), the coinbase, the access list's accounts and slots, the EIP-7702
//! authorities, the recipient with the account its code delegates to, or the address a
//! deployment creates; in the ZKsync OS flow also the bootloader's formal address, through which
//! protocol version 2 settles fees. Precompiles the fee charge warms are not read until used
//! (see [`Io::warm_account`]).

use crate::bootloader::input::DecodedTx;
use crate::config::{ChainConfig, FlowKind, Hardfork};
use crate::context::BlockContext;
use crate::ee::evm::callee_ready;
use crate::ee::evm::frame::create_address;
use crate::io::{Io, StateSource};
use crate::primitives::U256;
use crate::system::BOOTLOADER_FORMAL_ADDRESS;

/// Whether everything `tx` reads before its first opcode is known; the missing keys are
/// recorded in `io` (all of them, so the host fetches them together). Always true over a source
/// that knows everything, without asking it.
pub fn tx_state_ready<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
    decoded: &DecodedTx,
) -> bool {
    if !io.may_miss() {
        return true;
    }
    let tx = &decoded.tx;
    let sender = decoded.sender;
    let mut ready = io.require_account(&sender);
    ready &= io.require_account(&block.coinbase);
    if config.flow == FlowKind::Zk {
        ready &= io.require_account(&BOOTLOADER_FORMAL_ADDRESS);
    }
    if let Some(l1) = &tx.l1 {
        ready &= io.require_account(&l1.refund_recipient);
    }
    for item in &tx.access_list {
        ready &= io.require_account(&item.address);
        for key in &item.storage_keys {
            ready &= io.require_slot(&item.address, &U256::from_be_bytes(key.0));
        }
    }
    if config.hardfork >= Hardfork::Prague {
        for authority in tx.authorization_list.iter().filter_map(|a| a.authority()) {
            ready &= io.require_account(&authority);
        }
    }
    match tx.to {
        Some(to) => ready &= callee_ready(io, &to, config.hardfork),
        // The deployment's address follows from the sender's nonce, once the sender is known.
        None if io.require_account(&sender) => {
            let nonce = io.account(&sender).nonce;
            ready &= io.require_account(&create_address(&sender, nonce));
        }
        None => ready = false,
    }
    ready
}
