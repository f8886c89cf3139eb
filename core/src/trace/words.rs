//! Small readers shared by the collecting tracers.

use crate::ee::evm::{Frame, Halt};
use crate::primitives::{Address, U256};

/// The `n`-th stack word from the top, if the stack holds it.
pub(crate) fn stack_word(frame: &Frame, n: usize) -> Option<U256> {
    frame.stack.as_slice().iter().rev().nth(n).copied()
}

/// A stack word read as an address (its low 20 bytes).
pub(crate) fn word_address(word: U256) -> Address {
    let bytes = word.to_be_bytes::<32>();
    Address::from_slice(&bytes[12..])
}

/// geth's wording of an exceptional halt (its `Display`).
pub fn halt_message(halt: &Halt) -> alloc::string::String {
    use alloc::string::ToString;
    halt.to_string()
}

/// The message of a Solidity `Error(string)` revert payload, if `data` is one.
pub fn revert_reason(data: &[u8]) -> Option<alloc::string::String> {
    const ERROR_SELECTOR: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];
    if data.get(..4)? != ERROR_SELECTOR {
        return None;
    }
    let body = data.get(4..)?;
    let offset = usize::try_from(U256::from_be_slice(body.get(..32)?)).ok()?;
    let len_end = offset.checked_add(32)?;
    let len = usize::try_from(U256::from_be_slice(body.get(offset..len_end)?)).ok()?;
    let text = body.get(len_end..len_end.checked_add(len)?)?;
    core::str::from_utf8(text)
        .ok()
        .map(alloc::string::String::from)
}
