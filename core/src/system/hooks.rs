//! System hooks: kernel-space addresses whose calls the system serves instead of code
//! (spec §6). Each hook accepts one caller only, refuses static, delegate and value-carrying
//! calls, and rolls back everything it did when it fails.

use super::{kernel_address, BASE_TOKEN_ADDRESS, CONTRACT_DEPLOYER_ADDRESS, L1_MESSENGER_ADDRESS};
use crate::bytecode::static_gas;
use crate::ee::evm::{CallKind, CallRequest};
use crate::io::{Io, Log, OutOfNative, StateSource};
use crate::primitives::{keccak256, Address, Bytes, B256, U256};
use crate::resources::gas;
use alloc::vec::Vec;

/// `bytes4(keccak256("sendToL1(bytes)"))`.
pub const SEND_TO_L1_SELECTOR: [u8; 4] = [0x62, 0xf8, 0x4b, 0x24];

/// Topic 0 of `L1MessageSent(address indexed, bytes32 indexed, bytes)`.
pub const L1_MESSAGE_SENT_TOPIC: B256 =
    crate::primitives::b256!("3a36e47291f4201faf137fab081d92295bce2d53be2c6ca68ba82c7faa9ce241");

/// A system hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SystemHook {
    /// 0x7001: records an L2→L1 message (caller: the L1 messenger, 0x8008).
    L1Messenger,
    /// 0x7002: installs code at an address (caller: the contract deployer, 0x8006).
    SetBytecode,
    /// 0x7100: mints base token to its caller (caller: the base token contract, 0x800a).
    MintBaseToken,
}

/// Why a hook call failed. Every failure rolls the hook's changes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookError {
    /// Wrong caller, call kind, static context, value, or malformed input: the call reverts.
    Rejected,
    /// Not enough ergs for the hook's gas.
    OutOfGas,
    /// The transaction's native ran out.
    OutOfNative,
}

impl From<OutOfNative> for HookError {
    fn from(_: OutOfNative) -> Self {
        HookError::OutOfNative
    }
}

/// What a successful hook call returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookOutput {
    /// Gas used.
    pub gas_used: u64,
    /// Return data.
    pub output: Bytes,
}

impl SystemHook {
    /// The hook at `address`, if any.
    pub fn at(address: &Address) -> Option<Self> {
        [Self::L1Messenger, Self::SetBytecode, Self::MintBaseToken]
            .into_iter()
            .find(|hook| hook.address() == *address)
    }

    /// The hook's address.
    pub const fn address(self) -> Address {
        match self {
            Self::L1Messenger => kernel_address(0x7001),
            Self::SetBytecode => kernel_address(0x7002),
            Self::MintBaseToken => kernel_address(0x7100),
        }
    }

    /// The only account allowed to call the hook.
    pub const fn allowed_caller(self) -> Address {
        match self {
            Self::L1Messenger => L1_MESSENGER_ADDRESS,
            Self::SetBytecode => CONTRACT_DEPLOYER_ADDRESS,
            Self::MintBaseToken => BASE_TOKEN_ADDRESS,
        }
    }

    /// The account a call with `input` writes besides its caller (0x7002 installs code at an
    /// address named in its input): what the call reads from the state ahead.
    pub fn account_written(self, input: &[u8]) -> Option<Address> {
        match self {
            Self::SetBytecode => word_address(input),
            Self::L1Messenger | Self::MintBaseToken => None,
        }
    }

    /// Serves `request`, which has `gas_limit` gas. The caller rolls back on error.
    pub fn call<S: StateSource>(
        self,
        io: &mut Io<S>,
        request: &CallRequest,
        gas_limit: u64,
    ) -> Result<HookOutput, HookError> {
        if request.kind != CallKind::Call
            || request.is_static
            || !request.transfer_value.is_zero()
            || request.caller != self.allowed_caller()
        {
            return Err(HookError::Rejected);
        }
        match self {
            Self::L1Messenger => send_to_l1(io, &request.input, gas_limit),
            Self::SetBytecode => set_bytecode(io, &request.input),
            Self::MintBaseToken => mint(io, &request.caller, &request.input),
        }
    }
}

/// Reads the 32-byte big-endian word at `offset`, if the input holds it.
fn word(input: &[u8], offset: usize) -> Option<U256> {
    let end = offset.checked_add(32)?;
    input.get(offset..end).map(U256::from_be_slice)
}

/// 0x7001. Input: `sender (32-byte word) ‖ sendToL1(bytes message)` calldata. Records the
/// message, emits `L1MessageSent(sender, keccak(message), message)` from the messenger, and
/// returns `keccak(message)`. Gas: what the same work costs in EVM opcodes (`KECCAK256` of the
/// message and a `LOG3` of its ABI encoding).
fn send_to_l1<S: StateSource>(
    io: &mut Io<S>,
    input: &[u8],
    gas_limit: u64,
) -> Result<HookOutput, HookError> {
    let sender_word = word(input, 0).ok_or(HookError::Rejected)?;
    let sender_bytes = sender_word.to_be_bytes::<32>();
    if sender_bytes[..12].iter().any(|byte| *byte != 0) {
        return Err(HookError::Rejected);
    }
    let sender = Address::from_slice(&sender_bytes[12..]);
    let call = input.get(32..).ok_or(HookError::Rejected)?;
    if call.get(..4) != Some(&SEND_TO_L1_SELECTOR[..]) {
        return Err(HookError::Rejected);
    }
    let args = &call[4..];
    if word(args, 0) != Some(U256::from(32)) {
        return Err(HookError::Rejected);
    }
    let len = word(args, 32)
        .and_then(|len| usize::try_from(len).ok())
        .ok_or(HookError::Rejected)?;
    let message = 64usize
        .checked_add(len)
        .and_then(|end| args.get(64..end))
        .ok_or(HookError::Rejected)?;
    let len_u64 = message.len() as u64;
    let padded_len = gas::words(len_u64) * 32;
    let event_data_len = 64 + padded_len;
    let gas_used = static_gas::KECCAK256_GAS
        + gas::KECCAK256_WORD_GAS * gas::words(len_u64)
        + static_gas::LOG_GAS
        + 3 * static_gas::LOG_TOPIC_GAS
        + gas::LOG_DATA_BYTE_GAS * event_data_len;
    if gas_used > gas_limit {
        return Err(HookError::OutOfGas);
    }
    io.charge_native(io.costs().keccak_native(len_u64))?;
    let hash = keccak256(message);
    let mut data = Vec::with_capacity(event_data_len as usize);
    data.extend_from_slice(&U256::from(32).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(len_u64).to_be_bytes::<32>());
    data.extend_from_slice(message);
    data.resize(event_data_len as usize, 0);
    io.log(Log {
        address: L1_MESSENGER_ADDRESS,
        topics: alloc::vec![L1_MESSAGE_SENT_TOPIC, B256::from(sender_word), hash],
        data: Bytes::from(data),
    })?;
    io.send_message(sender, Bytes::copy_from_slice(message));
    Ok(HookOutput {
        gas_used,
        output: Bytes::copy_from_slice(hash.as_slice()),
    })
}

/// The address in the first 32-byte word of `input`, if the word holds one (12 zero bytes).
fn word_address(input: &[u8]) -> Option<Address> {
    let bytes = word(input, 0)?.to_be_bytes::<32>();
    bytes[..12]
        .iter()
        .all(|byte| *byte == 0)
        .then(|| Address::from_slice(&bytes[12..]))
}

/// 0x7002. Input: `address (32-byte word) ‖ code`. Installs `code` at the address (EIP-170
/// size limit). ZKsync OS passes the code's hashes and finds the preimage through its oracle;
/// zkos has no preimage oracle, so the code itself is passed.
fn set_bytecode<S: StateSource>(io: &mut Io<S>, input: &[u8]) -> Result<HookOutput, HookError> {
    let target = word_address(input).ok_or(HookError::Rejected)?;
    let code = &input[32..];
    if code.len() > gas::MAX_CODE_SIZE {
        return Err(HookError::Rejected);
    }
    io.set_code(&target, code)?;
    Ok(HookOutput {
        gas_used: 0,
        output: Bytes::new(),
    })
}

/// 0x7100. Input: a 32-byte amount, minted to the caller (credited as every credit: the balance
/// stops at 2^256 − 1, see [`Io::credit`]).
fn mint<S: StateSource>(
    io: &mut Io<S>,
    caller: &Address,
    input: &[u8],
) -> Result<HookOutput, HookError> {
    if input.len() != 32 {
        return Err(HookError::Rejected);
    }
    io.credit(caller, U256::from_be_slice(input))?;
    Ok(HookOutput {
        gas_used: 0,
        output: Bytes::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_and_topic_are_the_keccak_of_their_signatures() {
        assert_eq!(keccak256(b"sendToL1(bytes)")[..4], SEND_TO_L1_SELECTOR[..]);
        assert_eq!(
            keccak256(b"L1MessageSent(address,bytes32,bytes)"),
            L1_MESSAGE_SENT_TOPIC
        );
    }

    #[test]
    fn hooks_sit_at_their_spec_addresses() {
        assert_eq!(
            SystemHook::at(&kernel_address(0x7001)),
            Some(SystemHook::L1Messenger)
        );
        assert_eq!(
            SystemHook::at(&kernel_address(0x7002)),
            Some(SystemHook::SetBytecode)
        );
        assert_eq!(
            SystemHook::at(&kernel_address(0x7100)),
            Some(SystemHook::MintBaseToken)
        );
        assert_eq!(SystemHook::at(&kernel_address(0x7003)), None);
    }
}
