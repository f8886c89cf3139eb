//! End-to-end tests of the block loop: signed transactions in, receipts, block output and
//! state out, checked against figures derived by hand from the spec's formulas.
//!
//! Every block here uses the same prices: base fee 1,000 wei, native price 10 wei, pubdata price
//! 1,000 wei. Transactions pay max fee 1,000 with no tip, so gas price = 1,000,
//! native per gas = ceil(1,000 / 10) = 100 and native per pubdata = 1,000 / 10 = 100.

mod bad_input;
mod block;
mod ethereum;
mod flows;
mod v2_bounds;
mod v2_edges;
mod v2_opcodes;
mod v2_preimages;
mod v2_web;

use super::{run_block, BlockOutput, BlockTransaction, TxReceipt};
use crate::config::{ChainConfig, ProtocolVersion};
use crate::context::BlockContext;
use crate::ee::evm::NoopTracer;
use crate::io::{InMemoryState, Io};
use crate::primitives::{keccak256, Address, Bytes, U256};
use crate::resources::native::NativeCostTable;
use crate::tx::{encode, Transaction, EIP1559_TX_TYPE};
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use k256::ecdsa::SigningKey;

const CHAIN_ID: u64 = 270;
const COINBASE: Address = Address::repeat_byte(0xc0);
const BASE_FEE: u64 = 1_000;
const GAS_PRICE: u64 = 1_000;
const NATIVE_PER_PUBDATA: u64 = 100;
/// One ether.
const ETHER: u64 = 1_000_000_000_000_000_000;
/// Block gas limit.
const BLOCK_GAS_LIMIT: u64 = 30_000_000;

/// An externally owned account with its secret key.
struct Key {
    key: SigningKey,
    address: Address,
}

impl Key {
    fn new(seed: u8) -> Self {
        let key = SigningKey::from_slice(&[seed; 32]).expect("valid secret key");
        let mut this = Self {
            key,
            address: Address::ZERO,
        };
        // The address is what recovery yields for any signature of the key.
        let mut probe = Transaction::empty(EIP1559_TX_TYPE);
        probe.chain_id = Some(CHAIN_ID);
        probe.to = Some(Address::ZERO);
        this.sign(&mut probe);
        this.address = crate::tx::recover_sender(&probe).expect("recovers");
        this
    }

    fn sign(&self, tx: &mut Transaction) {
        crate::tx::test_signing::sign_with_key(&self.key, tx);
    }

    /// A signed EIP-1559 transaction at the test prices.
    fn tx(&self, nonce: u64, to: Option<Address>, value: U256, data: &[u8], gas: u64) -> Bytes {
        let mut tx = Transaction::empty(EIP1559_TX_TYPE);
        tx.chain_id = Some(CHAIN_ID);
        tx.nonce = nonce;
        tx.gas_limit = gas;
        tx.max_fee_per_gas = u128::from(GAS_PRICE);
        tx.max_priority_fee_per_gas = 0;
        tx.to = to;
        tx.value = value;
        tx.data = Bytes::copy_from_slice(data);
        self.sign(&mut tx);
        Bytes::from(encode(&tx).expect("encodes"))
    }
}

fn context() -> BlockContext {
    BlockContext {
        number: 1,
        timestamp: 1_700_000_000,
        coinbase: COINBASE,
        gas_limit: BLOCK_GAS_LIMIT,
        base_fee: U256::from(BASE_FEE),
        native_price: U256::from(10u64),
        pubdata_price: U256::from(1_000u64),
        pubdata_limit: 1_000_000,
        blob_base_fee: U256::from(1u64),
        ..BlockContext::default()
    }
}

/// A state with the genesis contracts and `accounts` funded with `balance` each.
fn state(accounts: &[Address], balance: U256) -> InMemoryState {
    let mut state = InMemoryState::new();
    crate::system::genesis::install(&mut state);
    for address in accounts {
        state.set_account(*address, 0, balance, Bytes::new());
    }
    state
}

fn io(state: &mut InMemoryState) -> Io<&mut InMemoryState> {
    Io::new(
        state,
        Rc::new(NativeCostTable::for_version(ProtocolVersion::V1)),
    )
}

/// Runs `txs` as one ZKsync OS block over `io`.
fn run(io: &mut Io<&mut InMemoryState>, txs: Vec<BlockTransaction>) -> BlockOutput {
    run_block(
        io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1),
        &context(),
        txs.iter().map(BlockTransaction::decode),
        &mut NoopTracer,
    )
}

fn encoded(bytes: Bytes) -> BlockTransaction {
    BlockTransaction::Encoded(bytes)
}

/// The receipt of the `index`-th transaction, which must have been included.
fn receipt(output: &BlockOutput, index: usize) -> &TxReceipt {
    match &output.results[index].outcome {
        Ok(receipt) => receipt,
        Err(reason) => panic!("transaction {index} rejected: {reason:?}"),
    }
}
