//! 0x8008, the L1 messenger of protocol version 2: the snapshot serves it as a system hook
//! (upstream `system_hooks/src/l1_messenger.rs`, `docs/system_hooks.md`), not as a contract.
//!
//! - Calls: `CALL` and `STATICCALL` only; `DELEGATECALL`/`CALLCODE` and any value are refused
//!   before anything is charged (the value moved in is moved back).
//! - `sendToL1(bytes)` (0x62f84b24), not in a static context: the ABI argument must use the
//!   strict encoding (offset 32, the message inside, total length a multiple of 32, trailing
//!   bytes allowed). Records the message from the caller, emits
//!   `L1MessageSent(caller, keccak(message), <the argument bytes as given>)` from 0x8008 and
//!   returns `keccak(message)`.
//! - Costs (besides the 10 entry ergs): native keccak(88) + 3 × keccak(64) + keccak(len) +
//!   6,000 + 2 per message byte (`basic_system/src/system_implementation/system/io_subsystem.rs`,
//!   `emit_l1_message`); then the keccak system function, 30 + 6 per word gas and keccak(len)
//!   native (`basic_system/src/system_functions/keccak256.rs`); then the event, LOG3 gas of the
//!   argument bytes (only under an EVM caller) and 6,000 + 200 × 3 + 2 per byte native
//!   (`emit_event`).

use super::meter::HookMeter;
use crate::bytecode::static_gas;
use crate::io::{Io, Log, StateSource};
use crate::primitives::{keccak256, Address, Bytes, B256, U256};
use crate::resources::{gas, ErgsPerGas};
use crate::system::hooks::{HookError, L1_MESSAGE_SENT_TOPIC, SEND_TO_L1_SELECTOR};
use crate::system::L1_MESSENGER_ADDRESS;
use alloc::vec;

/// Bytes of a serialised L2→L1 log, hashed when the log is rebuilt (upstream
/// `zk_ee/src/common_structs/logs_storage.rs`, `L2_TO_L1_LOG_SERIALIZE_SIZE`).
const L2_TO_L1_LOG_BYTES: u64 = 88;
/// Bytes of each of the three 64-byte keccak inputs a message costs (log rebuild, message
/// rebuild, Merkle tree node; upstream `emit_l1_message`).
const MESSAGE_TREE_HASH_BYTES: u64 = 64;
/// Topics of `L1MessageSent`.
const EVENT_TOPICS: u64 = 3;

/// Serves a call to the messenger with `input` from `caller` (`is_static`: in a static context).
pub fn call<S: StateSource>(
    io: &mut Io<S>,
    meter: &mut HookMeter,
    caller: Address,
    input: &[u8],
    is_static: bool,
) -> Result<Bytes, HookError> {
    if input.get(..4) != Some(&SEND_TO_L1_SELECTOR[..]) || is_static {
        return Err(HookError::Rejected);
    }
    let hash = send_to_l1(io, meter, caller, &input[4..])?;
    Ok(Bytes::copy_from_slice(hash.as_slice()))
}

/// The word at `offset` as a `u32`, if `input` holds it and it fits.
fn word_u32(input: &[u8], offset: usize) -> Option<u32> {
    let word = input.get(offset..offset.checked_add(32)?)?;
    u32::try_from(U256::from_be_slice(word)).ok()
}

/// Sends the message ABI-encoded as `bytes` in `encoded` from `sender` (shared with the base
/// token's withdrawals, upstream `send_to_l1_inner`); returns its keccak hash.
pub fn send_to_l1<S: StateSource>(
    io: &mut Io<S>,
    meter: &mut HookMeter,
    sender: Address,
    encoded: &[u8],
) -> Result<B256, HookError> {
    let encoded_len = u32::try_from(encoded.len()).map_err(|_| HookError::Rejected)?;
    if word_u32(encoded, 0) != Some(32) {
        return Err(HookError::Rejected);
    }
    let len = word_u32(encoded, 32).ok_or(HookError::Rejected)?;
    let end = len.checked_add(64).ok_or(HookError::Rejected)?;
    if encoded_len < end || encoded_len % 32 != 0 {
        return Err(HookError::Rejected);
    }
    let message = &encoded[64..end as usize];
    let message_len = message.len() as u64;
    let costs = io.costs();
    let record_native = costs.keccak_native(L2_TO_L1_LOG_BYTES)
        + 3 * costs.keccak_native(MESSAGE_TREE_HASH_BYTES)
        + costs.keccak_native(message_len)
        + costs.event_native(0, message_len);
    let hash_native = costs.keccak_native(message_len);
    let event_native = costs.event_native(EVENT_TOPICS, encoded.len() as u64);
    let unit = ErgsPerGas::ZK;
    meter.charge(io, 0, record_native)?;
    let hash_gas = static_gas::KECCAK256_GAS + gas::KECCAK256_WORD_GAS * gas::words(message_len);
    meter.charge(io, unit.ergs(hash_gas), hash_native)?;
    let hash = keccak256(message);
    io.send_message(sender, Bytes::copy_from_slice(message));
    let event_gas = static_gas::LOG_GAS
        + static_gas::LOG_TOPIC_GAS * EVENT_TOPICS
        + gas::LOG_DATA_BYTE_GAS * encoded.len() as u64;
    meter.charge(io, meter.evm_ergs(unit.ergs(event_gas)), event_native)?;
    let mut sender_word = [0u8; 32];
    sender_word[12..].copy_from_slice(sender.as_slice());
    io.log_free(Log {
        address: L1_MESSENGER_ADDRESS,
        topics: vec![L1_MESSAGE_SENT_TOPIC, B256::from(sender_word), hash],
        data: Bytes::copy_from_slice(encoded),
    });
    Ok(hash)
}
