//! The call's and the block's context: `ADDRESS` .. `RETURNDATASIZE` (call values, calldata,
//! code size, gas price) and `BLOCKHASH` .. `BLOBBASEFEE` (block and transaction values). None of
//! them touches the state, except `BLOCKHASH` of a forked chain's older blocks, which the state
//! source answers.

use super::{address_to_word, b256_to_word, be_word, tail_from};
use crate::ee::evm::context::Env;
use crate::ee::evm::frame::Frame;
use crate::env::BlockHashAt;
use crate::io::{Io, StateSource};
use crate::primitives::U256;

/// `ADDRESS`.
#[inline(always)]
pub(crate) fn address(frame: &mut Frame) {
    frame.stack.push(address_to_word(&frame.address));
}

/// `ORIGIN`.
#[inline(always)]
pub(crate) fn origin(frame: &mut Frame, env: &Env) {
    frame.stack.push(address_to_word(&env.tx.origin));
}

/// `CALLER`.
#[inline(always)]
pub(crate) fn caller(frame: &mut Frame) {
    frame.stack.push(address_to_word(&frame.caller));
}

/// `CALLVALUE`.
#[inline(always)]
pub(crate) fn callvalue(frame: &mut Frame) {
    frame.stack.push(frame.value);
}

/// `CALLDATALOAD`: the 32 calldata bytes at the offset, zero past the end.
#[inline(always)]
pub(crate) fn calldataload(frame: &mut Frame) {
    let offset = frame.stack.pop();
    let tail = tail_from(&frame.input, offset);
    let word = match tail.get(..32) {
        Some(word) => be_word(word),
        None => {
            let mut word = [0u8; 32];
            word[..tail.len()].copy_from_slice(tail);
            be_word(&word)
        }
    };
    frame.stack.push(word);
}

/// `CALLDATASIZE`.
#[inline(always)]
pub(crate) fn calldatasize(frame: &mut Frame) {
    frame.stack.push(U256::from(frame.input.len()));
}

/// `CODESIZE`.
#[inline(always)]
pub(crate) fn codesize(frame: &mut Frame) {
    frame.stack.push(U256::from(frame.code.len()));
}

/// `GASPRICE`.
#[inline(always)]
pub(crate) fn gasprice(frame: &mut Frame, env: &Env) {
    frame.stack.push(env.tx.gas_price);
}

/// `RETURNDATASIZE`.
#[inline(always)]
pub(crate) fn returndatasize(frame: &mut Frame) {
    frame.stack.push(U256::from(frame.return_data.len()));
}

/// `BLOCKHASH`: the hash of a recent block, zero outside the 256-block window.
#[inline(always)]
pub(crate) fn blockhash<S: StateSource>(frame: &mut Frame, env: &Env, io: &mut Io<S>) {
    let top = frame.stack.top_mut();
    let hash = match env.block.block_hash_at(*top) {
        BlockHashAt::Known(hash) => hash,
        BlockHashAt::Source(number) => io.block_hash(number),
    };
    *top = b256_to_word(hash);
}

/// `COINBASE`.
#[inline(always)]
pub(crate) fn coinbase(frame: &mut Frame, env: &Env) {
    frame.stack.push(address_to_word(&env.block.coinbase));
}

/// `TIMESTAMP`.
#[inline(always)]
pub(crate) fn timestamp(frame: &mut Frame, env: &Env) {
    frame.stack.push(U256::from(env.block.timestamp));
}

/// `NUMBER`.
#[inline(always)]
pub(crate) fn number(frame: &mut Frame, env: &Env) {
    frame.stack.push(U256::from(env.block.number));
}

/// `PREVRANDAO`.
#[inline(always)]
pub(crate) fn prevrandao(frame: &mut Frame, env: &Env) {
    frame.stack.push(b256_to_word(env.block.prevrandao));
}

/// `GASLIMIT`.
#[inline(always)]
pub(crate) fn gaslimit(frame: &mut Frame, env: &Env) {
    frame.stack.push(U256::from(env.block.gas_limit));
}

/// `CHAINID`.
#[inline(always)]
pub(crate) fn chainid(frame: &mut Frame, env: &Env) {
    frame.stack.push(U256::from(env.chain_id));
}

/// `BASEFEE`.
#[inline(always)]
pub(crate) fn basefee(frame: &mut Frame, env: &Env) {
    frame.stack.push(env.block.base_fee);
}

/// `BLOBHASH`: the transaction's versioned hash at the index, zero past the last.
#[inline(always)]
pub(crate) fn blobhash(frame: &mut Frame, env: &Env) {
    let top = frame.stack.top_mut();
    *top = usize::try_from(*top)
        .ok()
        .and_then(|i| env.tx.blob_hashes.get(i))
        .map(|h| b256_to_word(*h))
        .unwrap_or_default();
}

/// `BLOBBASEFEE`.
#[inline(always)]
pub(crate) fn blobbasefee(frame: &mut Frame, env: &Env) {
    frame.stack.push(env.block.blob_base_fee);
}
