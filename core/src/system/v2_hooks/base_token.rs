//! 0x800a, the L2 base token of protocol version 2: a system hook in the snapshot (upstream
//! `system_hooks/src/l2_base_token.rs`), serving Era's two withdrawal methods.
//!
//! - Calls: `CALL` and `STATICCALL` (payable: the value has been moved to 0x800a when the hook
//!   runs); `DELEGATECALL`/`CALLCODE` are refused before anything is charged.
//! - `withdraw(address)` (0x51cff8d9), at least 36 bytes of calldata: burns the value from 0x800a,
//!   then (refusing a receiver word with non-zero high bytes) sends from 0x800a the message
//!   `finalizeEthWithdrawal selector (0x6c0960f9) ‖ receiver ‖ value` (56 bytes).
//! - `withdrawWithMessage(address,bytes)` (0x84bc3eb0): decodes the `bytes` at the offset the
//!   calldata gives (any offset), refuses a receiver word with non-zero high bytes, burns the
//!   value, and sends from 0x800a `selector ‖ receiver ‖ value ‖ caller ‖ bytes`.
//! - Neither in a static context. Both return nothing.
//! - The burn is a balance update of 0x800a: 100 gas under an EVM caller (a warm access) and
//!   the account cache's access and write native (`basic_system/src/system_implementation/
//!   flat_storage_model/account_cache.rs`, `update_nominal_token_value_inner`); the message
//!   costs what [`super::messenger::send_to_l1`] charges.

use super::messenger::send_to_l1;
use super::meter::HookMeter;
use crate::io::{Io, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::ErgsPerGas;
use crate::system::hooks::HookError;
use crate::system::BASE_TOKEN_ADDRESS;
use alloc::vec::Vec;

/// `bytes4(keccak256("withdraw(address)"))`.
pub const WITHDRAW_SELECTOR: [u8; 4] = [0x51, 0xcf, 0xf8, 0xd9];
/// `bytes4(keccak256("withdrawWithMessage(address,bytes)"))`.
pub const WITHDRAW_WITH_MESSAGE_SELECTOR: [u8; 4] = [0x84, 0xbc, 0x3e, 0xb0];
/// `bytes4(keccak256("finalizeEthWithdrawal(uint256,uint256,uint16,bytes,bytes32[])"))`, the
/// head of every withdrawal message.
pub const FINALIZE_ETH_WITHDRAWAL_SELECTOR: [u8; 4] = [0x6c, 0x09, 0x60, 0xf9];
/// Gas of a warm account access (EIP-2929), what a balance update costs an EVM caller.
const WARM_ACCOUNT_ACCESS_GAS: u64 = 100;

/// Serves a call with `input` and `value` from `caller`.
pub fn call<S: StateSource>(
    io: &mut Io<S>,
    meter: &mut HookMeter,
    caller: Address,
    input: &[u8],
    value: U256,
    is_static: bool,
) -> Result<Bytes, HookError> {
    let selector = input.get(..4).ok_or(HookError::Rejected)?;
    if (selector != WITHDRAW_SELECTOR && selector != WITHDRAW_WITH_MESSAGE_SELECTOR) || is_static {
        return Err(HookError::Rejected);
    }
    let message = if selector == WITHDRAW_SELECTOR {
        if input.len() < 36 {
            return Err(HookError::Rejected);
        }
        burn(io, meter, value)?;
        let receiver = receiver(input)?;
        withdrawal_message(&receiver, value, &[])
    } else {
        let extra = message_argument(input).ok_or(HookError::Rejected)?;
        let receiver = receiver(input)?;
        burn(io, meter, value)?;
        withdrawal_message(&receiver, value, &[caller.as_slice(), extra].concat())
    };
    send_to_l1(io, meter, BASE_TOKEN_ADDRESS, &message)?;
    Ok(Bytes::new())
}

/// The receiver: the address in the first argument word, refused unless its 12 high bytes are
/// zero.
fn receiver(input: &[u8]) -> Result<Address, HookError> {
    let word = input.get(4..36).ok_or(HookError::Rejected)?;
    if word[..12].iter().any(|byte| *byte != 0) {
        return Err(HookError::Rejected);
    }
    Ok(Address::from_slice(&word[12..]))
}

/// The `bytes` argument of `withdrawWithMessage`: at least 68 bytes of calldata, an offset
/// (second word) and a length that fit 32 bits, the bytes inside the calldata.
fn message_argument(input: &[u8]) -> Option<&[u8]> {
    let word_u32 = |offset: usize| {
        let word = input.get(offset..offset + 32)?;
        u32::try_from(U256::from_be_slice(word)).ok()
    };
    if input.len() < 68 {
        return None;
    }
    let length_end = word_u32(36)?.checked_add(36)?;
    let length = word_u32(length_end as usize - 32)?;
    let end = length_end.checked_add(length)?;
    input.get(length_end as usize..end as usize)
}

/// Burns `value` from the base token account (it arrived with the call). Upstream charges the
/// access's native and ergs together, then the write's native: short of the ergs, only the
/// access native is spent.
fn burn<S: StateSource>(
    io: &mut Io<S>,
    meter: &mut HookMeter,
    value: U256,
) -> Result<(), HookError> {
    let ergs = meter.evm_ergs(ErgsPerGas::ZK.ergs(WARM_ACCOUNT_ACCESS_GAS));
    if ergs > meter.ergs {
        io.charge_account_read(&BASE_TOKEN_ADDRESS)?;
        return meter.charge(io, ergs, 0);
    }
    meter.charge(io, ergs, 0)?;
    let balance = io.account(&BASE_TOKEN_ADDRESS).balance;
    let left = balance.checked_sub(value).ok_or(HookError::Rejected)?;
    io.set_balance(&BASE_TOKEN_ADDRESS, left)?;
    Ok(())
}

/// `message` ABI-encoded as `bytes` with the withdrawal head: offset 32, length, then
/// `selector ‖ receiver ‖ value ‖ tail`, zero-padded to a multiple of 32 bytes.
fn withdrawal_message(receiver: &Address, value: U256, tail: &[u8]) -> Vec<u8> {
    let length = 4 + 20 + 32 + tail.len();
    let mut out = Vec::with_capacity(64 + length.div_ceil(32) * 32);
    out.extend_from_slice(&U256::from(32).to_be_bytes::<32>());
    out.extend_from_slice(&U256::from(length).to_be_bytes::<32>());
    out.extend_from_slice(&FINALIZE_ETH_WITHDRAWAL_SELECTOR);
    out.extend_from_slice(receiver.as_slice());
    out.extend_from_slice(&value.to_be_bytes::<32>());
    out.extend_from_slice(tail);
    out.resize(64 + length.div_ceil(32) * 32, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::keccak256;

    #[test]
    fn selectors_are_the_keccak_of_their_signatures() {
        assert_eq!(keccak256(b"withdraw(address)")[..4], WITHDRAW_SELECTOR[..]);
        assert_eq!(
            keccak256(b"withdrawWithMessage(address,bytes)")[..4],
            WITHDRAW_WITH_MESSAGE_SELECTOR[..]
        );
        assert_eq!(
            keccak256(b"finalizeEthWithdrawal(uint256,uint256,uint16,bytes,bytes32[])")[..4],
            FINALIZE_ETH_WITHDRAWAL_SELECTOR[..]
        );
    }

    /// `withdrawWithMessage` to 0x…01 of 5 wei from 0x…02 with the two bytes 0xabcd: the
    /// message is 4 + 20 + 32 + 20 + 2 = 78 bytes, ABI-encoded as offset 32, length 78 and the
    /// bytes padded to 96.
    #[test]
    fn a_withdrawal_message_is_abi_encoded_bytes() {
        let receiver = Address::with_last_byte(1);
        let sender = Address::with_last_byte(2);
        let tail = [sender.as_slice(), &[0xab, 0xcd]].concat();
        let out = withdrawal_message(&receiver, U256::from(5), &tail);
        assert_eq!(out.len(), 64 + 96);
        assert_eq!(U256::from_be_slice(&out[..32]), U256::from(32));
        assert_eq!(U256::from_be_slice(&out[32..64]), U256::from(78));
        assert_eq!(out[64..68], FINALIZE_ETH_WITHDRAWAL_SELECTOR);
        assert_eq!(&out[68..88], receiver.as_slice());
        assert_eq!(U256::from_be_slice(&out[88..120]), U256::from(5));
        assert_eq!(&out[120..140], sender.as_slice());
        assert_eq!(out[140..142], [0xab, 0xcd]);
        assert!(out[142..].iter().all(|byte| *byte == 0));
    }

    /// The `bytes` argument at offset 64 (the standard encoding) and at offset 96 (a word
    /// skipped), and refusals: calldata under 68 bytes, a length past the end.
    #[test]
    fn the_message_argument_follows_the_given_offset() {
        let head = [&WITHDRAW_WITH_MESSAGE_SELECTOR[..], &[0u8; 32]].concat();
        let word = |v: u64| U256::from(v).to_be_bytes::<32>();
        let standard = [&head[..], &word(64), &word(2), &[7, 8]].concat();
        assert_eq!(message_argument(&standard), Some(&[7u8, 8][..]));
        let skipped = [&head[..], &word(96), &word(0), &word(1), &[9]].concat();
        assert_eq!(message_argument(&skipped), Some(&[9u8][..]));
        assert_eq!(message_argument(&standard[..67]), None);
        let past_end = [&head[..], &word(64), &word(3), &[7, 8]].concat();
        assert_eq!(message_argument(&past_end), None);
    }
}
