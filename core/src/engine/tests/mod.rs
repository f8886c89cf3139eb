//! Engine tests, by topic: accounts, blocks, calls, estimation, traces and sessions. The
//! helpers they share (keys, engines, contracts) are here.

mod access_list;
mod accounts;
mod admission;
mod balances;
mod blobs;
mod block_params;
mod blocks;
mod call_context;
mod calls;
mod checkpoints;
mod estimate;
mod estimate_breakdown;
mod fee_refund;
mod forked;
mod history;
mod limits;
mod recording;
mod rejected;
mod sessions;
mod sliced;
mod state_at;
mod traces;
mod zeroed_slots;

use super::*;
use crate::config::Hardfork;
use crate::config::{ChainConfig, ProtocolVersion};
use crate::ee::evm::CallKind;
use crate::primitives::{address, hex};
use crate::primitives::{Address, Bytes, B256, U256};
use crate::tx::{Transaction, EIP1559_TX_TYPE};
use alloc::vec::Vec;

/// Secret key of the ethereum/tests sender 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b.
const SECRET_KEY: [u8; 32] =
    hex!("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
const SENDER: Address = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
const CONTRACT: Address = address!("00000000000000000000000000000000000c0de0");
const OTHER: Address = address!("00000000000000000000000000000000000beef0");
const ETHER_WEI: u64 = 1_000_000_000_000_000_000;

/// Stores 1 in slot 0 only if more than 50,000 gas is left at its `GAS` opcode, else reverts:
/// `PUSH3 50000 GAS GT PUSH1 13 JUMPI PUSH1 0 DUP1 REVERT JUMPDEST PUSH1 1 PUSH1 0 SSTORE STOP`.
const GAS_GATED: [u8; 20] = hex!("6200c3505a11600d57600080fd5b6001600055 00");

/// Reverts with the 4 bytes 0xdeadbeef: `PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT`.
const REVERTER: [u8; 13] = hex!("63deadbeef6000526004601cfd");

/// Returns slot 0: `PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`.
const READ_SLOT0: [u8; 11] = hex!("60005460005260206000f3");

/// An Ethereum-flow engine at `hardfork` with [`SENDER`] holding one ether.
fn funded_engine(hardfork: Hardfork) -> Engine {
    let mut engine = Engine::new(ChainConfig::ethereum(1, hardfork));
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

fn engine() -> Engine {
    let mut engine = funded_engine(Hardfork::Cancun);
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&GAS_GATED),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

fn sign(tx: &mut Transaction) {
    crate::tx::test_signing::sign_with(&SECRET_KEY, tx);
}

fn transfer(nonce: u64, value: u64) -> Transaction {
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(1);
    tx.nonce = nonce;
    tx.gas_limit = 21_000;
    tx.max_fee_per_gas = 2_000;
    tx.max_priority_fee_per_gas = 10;
    tx.to = Some(OTHER);
    tx.value = U256::from(value);
    tx
}

fn call_to(to: Address, gas: Option<u64>) -> TxRequest {
    TxRequest {
        from: Some(SENDER),
        to: Some(to),
        gas,
        ..Default::default()
    }
}

/// `STATICCALL` the identity precompile with no input, then `CALL` [`OTHER`], then stop.
fn caller_code() -> Bytes {
    let mut code = hex!("60006000600060006004 5afa50").to_vec();
    code.extend_from_slice(&hex!("6000600060006000600073"));
    code.extend_from_slice(OTHER.as_slice());
    code.extend_from_slice(&hex!("5af15000"));
    Bytes::from(code)
}

type BTreeMapU = alloc::collections::BTreeMap<U256, U256>;

fn zk_engine(fees: FeeParams) -> Engine {
    zk_engine_at(fees, ProtocolVersion::V1)
}

/// A ZKsync OS engine on protocol `version` with the sender funded and [`GAS_GATED`] at
/// [`CONTRACT`].
fn zk_engine_at(fees: FeeParams, version: ProtocolVersion) -> Engine {
    let mut engine = Engine::with_fees(ChainConfig::zk_at(1, version), fees);
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&GAS_GATED),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

/// Stores the hash of the previous block in slot 0:
/// `PUSH1 1 NUMBER SUB BLOCKHASH PUSH1 0 SSTORE STOP`.
const STORE_PARENT_HASH: [u8; 9] = hex!("600143034060005500");
const PARENT_HASH_READER: Address = address!("00000000000000000000000000000000000b10c4");

/// A signed EIP-1559 transaction from the sender, encoded.
fn signed_raw(nonce: u64, to: Option<Address>, gas_limit: u64, data: &[u8]) -> Bytes {
    let mut tx = transfer(nonce, 0);
    tx.to = to;
    tx.gas_limit = gas_limit;
    tx.data = Bytes::copy_from_slice(data);
    sign(&mut tx);
    crate::tx::encode(&tx).expect("encodes").into()
}

/// A minimal token: `transfer(to, amount)` moves `amount` from the caller's balance (slot =
/// address) to `to`'s without checks and emits `Transfer(caller, to, amount)`:
/// `PUSH1 0x24 CALLDATALOAD CALLER SLOAD DUP2 SWAP1 SUB CALLER SSTORE` (caller -= amount);
/// `PUSH1 4 CALLDATALOAD DUP1 SLOAD DUP3 ADD SWAP1 SSTORE` (to += amount);
/// `PUSH1 0 MSTORE PUSH1 4 CALLDATALOAD CALLER PUSH32 <Transfer> PUSH1 32 PUSH1 0 LOG3 STOP`.
const TOKEN_RUNTIME: [u8; 65] = hex!(
    "6024353354819003335560043580548201905560005260043533"
    "7fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
    "60206000a300"
);
const TOKEN: Address = address!("0000000000000000000000000000000000070c00");
const MESSAGE: &[u8] = b"hello zkos";

/// `sendToL1(MESSAGE)` calldata: selector, offset 32, length 10, the message padded to 32.
fn send_to_l1_call() -> Vec<u8> {
    let mut data = hex!("62f84b24").to_vec();
    data.extend_from_slice(&U256::from(32u64).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(MESSAGE.len()).to_be_bytes::<32>());
    data.extend_from_slice(MESSAGE);
    data.resize(4 + 64 + 32, 0);
    data
}

/// A ZKsync OS engine with the sender funded and holding 10,000 tokens.
fn token_engine() -> Engine {
    let mut engine = zk_engine(FeeParams::default());
    engine
        .set_account(
            TOKEN,
            AccountInput {
                nonce: 1,
                code: Bytes::copy_from_slice(&TOKEN_RUNTIME),
                storage: alloc::vec![(
                    U256::from_be_slice(SENDER.as_slice()),
                    U256::from(10_000u64)
                )],
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

/// An ETH transfer, an ERC-20 transfer and an L2→L1 message, signed.
fn mixed_block() -> Vec<BlockTx> {
    let mut token_call = hex!("a9059cbb").to_vec();
    token_call.extend_from_slice(OTHER.into_word().as_slice());
    token_call.extend_from_slice(&U256::from(250u64).to_be_bytes::<32>());
    let mut eth = transfer(0, 1_000);
    eth.gas_limit = 500_000;
    sign(&mut eth);
    alloc::vec![
        BlockTx::Raw(crate::tx::encode(&eth).expect("encodes").into()),
        BlockTx::Raw(signed_raw(1, Some(TOKEN), 500_000, &token_call)),
        BlockTx::Raw(signed_raw(
            2,
            Some(crate::system::L1_MESSENGER_ADDRESS),
            500_000,
            &send_to_l1_call()
        )),
    ]
}

/// Logs and reverts: `PUSH1 0 PUSH1 0 LOG0 PUSH1 0 PUSH1 0 REVERT`.
const LOG_THEN_REVERT: [u8; 10] = hex!("60006000a060006000fd");
