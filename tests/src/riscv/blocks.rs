//! A short ZKsync OS chain for the PROVE mode: seven blocks (ETH transfer, ERC-20 deployment,
//! ERC-20 transfers, a reverting call, an L1→L2 deposit, an L2→L1 message, a mix) run forward
//! on a [`WorldState`] with their oracle answers recorded as word streams.

use k256::ecdsa::SigningKey;
use zkos_core::config::{ChainConfig, ProtocolVersion};
use zkos_core::context::BlockContext;
use zkos_core::driver::{run_block_forward, ProvenBlock};
use zkos_core::ee::evm::frame::create_address;
use zkos_core::oracle::ProvingError;
use zkos_core::primitives::{address, keccak256, Address, Bytes, B256, U256};
use zkos_core::state::world::{AccountState, WorldState};
use zkos_core::system::genesis::L1_MESSENGER_CODE;
use zkos_core::system::L1_MESSENGER_ADDRESS;
use zkos_core::tx::{
    encode, L1Fields, Signature, Transaction, EIP1559_TX_TYPE, L1_PRIORITY_TX_TYPE,
};

/// The message the "L2→L1 message" block sends.
pub const MESSAGE: &[u8] = b"zkos riscv proving build";
/// Chain id of the test chain.
pub const CHAIN_ID: u64 = 270;
/// Base fee and max fee per gas of every transaction, in wei.
pub(crate) const GAS_PRICE_WEI: u64 = 1_000;
/// Gas limit of every L2 transaction.
pub(crate) const TX_GAS_LIMIT: u64 = 500_000;
/// Gas limit of every L1 deposit.
const DEPOSIT_GAS_LIMIT: u64 = 300_000;
/// One ether in wei.
pub(crate) const ETHER_WEI: u64 = 1_000_000_000_000_000_000;
/// Token units the deployer holds after deployment.
pub(crate) const TOKEN_SUPPLY: u64 = 1_000_000;

/// The L2 sender's secret key (any scalar below the group order).
const ALICE_KEY: [u8; 32] = [0x11; 32];
/// Receives ETH and tokens (every account here lies above kernel space, 0x10000).
pub(crate) const BOB: Address = address!("0000000000000000000000000000000000b0b0b0");
/// Receives tokens.
pub(crate) const CAROL: Address = address!("00000000000000000000000000000000000ca201");
/// The L1 account behind the deposits.
const DEPOSITOR: Address = address!("00000000000000000000000000000000000d0d0d");
/// Receives deposits (above kernel space).
const DEPOSIT_RECIPIENT: Address = address!("000000000000000000000000000000000de90517");
/// Fee recipient of every block.
const COINBASE: Address = address!("0000000000000000000000000000000000c0ffee");
/// Forwards its calldata to the L1 messenger (installed at genesis).
pub(crate) const FORWARDER: Address = address!("00000000000000000000000000000000f0a4a4d0");

/// `CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY; PUSH1 32 PUSH0 CALLDATASIZE PUSH0 PUSH0 PUSH2 0x8008
/// GAS CALL POP STOP`: calls the L1 messenger with this call's calldata.
const FORWARDER_CODE: [u8; 17] = [
    0x36, 0x5f, 0x5f, 0x37, 0x60, 0x20, 0x5f, 0x36, 0x5f, 0x5f, 0x61, 0x80, 0x08, 0x5a, 0xf1, 0x50,
    0x00,
];

/// A minimal token. Calldata is `selector ‖ to ‖ amount` (any selector); balances live at
/// slot = holder. It reverts when the caller holds less than `amount`, else moves it, logs
/// `Transfer(caller, to, amount)` and stops.
fn token_runtime() -> Vec<u8> {
    let topic = keccak256(b"Transfer(address,address,uint256)");
    let mut code = vec![
        0x60, 0x24, 0x35, // 00 PUSH1 0x24 CALLDATALOAD          [amount]
        0x33, 0x54, // 03 CALLER SLOAD                           [amount, from_balance]
        0x81, 0x81, 0x10, // 05 DUP2 DUP2 LT                     [.., from_balance < amount]
        0x60, 0x4f, 0x57, // 08 PUSH1 0x4f JUMPI
        0x81, 0x90,
        0x03, // 0b DUP2 SWAP1 SUB                   [amount, from_balance - amount]
        0x33, 0x55, // 0e CALLER SSTORE                          [amount]
        0x60, 0x04, 0x35, // 10 PUSH1 4 CALLDATALOAD             [amount, to]
        0x80, 0x54, // 13 DUP1 SLOAD                             [amount, to, to_balance]
        0x82,
        0x01, // 15 DUP3 ADD                               [amount, to, to_balance + amount]
        0x90, 0x55, // 17 SWAP1 SSTORE                           [amount]
        0x5f, 0x52, // 19 PUSH0 MSTORE                           []
        0x60, 0x04, 0x35, 0x33, // 1b PUSH1 4 CALLDATALOAD CALLER
        0x7f, // 1f PUSH32 topic
    ];
    code.extend_from_slice(topic.as_slice());
    code.extend_from_slice(&[
        0x60, 0x20, 0x5f, 0xa3, // 40 PUSH1 32 PUSH0 LOG3
        0x00, // 44 STOP
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 45..4e padding
        0x5b, 0x5f, 0x5f, 0xfd, // 4f JUMPDEST PUSH0 PUSH0 REVERT
    ]);
    code
}

/// Stores [`TOKEN_SUPPLY`] for the deployer, then returns the runtime (which follows the
/// 17-byte prefix).
pub(crate) fn token_initcode() -> Vec<u8> {
    let runtime = token_runtime();
    let len = runtime.len() as u8;
    let supply = (TOKEN_SUPPLY as u32).to_be_bytes();
    // PUSH4 supply CALLER SSTORE; PUSH1 len PUSH1 17 PUSH0 CODECOPY; PUSH1 len PUSH0 RETURN
    let mut code = vec![0x63, supply[0], supply[1], supply[2], supply[3], 0x33, 0x55];
    code.extend_from_slice(&[0x60, len, 0x60, 17, 0x5f, 0x39, 0x60, len, 0x5f, 0xf3]);
    code.extend_from_slice(&runtime);
    code
}

/// Calldata of `transfer(to, amount)`.
pub(crate) fn token_transfer(to: Address, amount: u64) -> Vec<u8> {
    let mut data = vec![0xa9, 0x05, 0x9c, 0xbb];
    data.extend_from_slice(to.into_word().as_slice());
    data.extend_from_slice(&U256::from(amount).to_be_bytes::<32>());
    data
}

/// Calldata of the messenger's `sendToL1(bytes)` with `message`.
pub(crate) fn send_to_l1(message: &[u8]) -> Vec<u8> {
    let mut data = vec![0x62, 0xf8, 0x4b, 0x24];
    data.extend_from_slice(&U256::from(32u64).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(message.len()).to_be_bytes::<32>());
    data.extend_from_slice(message);
    let padded = 4 + 64 + message.len().div_ceil(32) * 32;
    data.resize(padded, 0);
    data
}

/// Builds and signs the L2 sender's transactions, counting its nonce.
#[derive(Clone)]
pub(crate) struct Sender {
    key: SigningKey,
    pub(crate) address: Address,
    nonce: u64,
}

impl Sender {
    pub(crate) fn new() -> Self {
        let key = SigningKey::from_slice(&ALICE_KEY).expect("ALICE_KEY is a valid scalar");
        let point = key.verifying_key().to_sec1_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Self {
            key,
            address,
            nonce: 0,
        }
    }

    /// The nonce of the next transaction.
    pub(crate) fn nonce(&self) -> u64 {
        self.nonce
    }

    pub(crate) fn tx(&mut self, to: Option<Address>, value: u64, data: &[u8]) -> Bytes {
        self.tx_with_gas(TX_GAS_LIMIT, to, value, data)
    }

    /// A signed EIP-1559 transaction with `gas_limit`.
    pub(crate) fn tx_with_gas(
        &mut self,
        gas_limit: u64,
        to: Option<Address>,
        value: u64,
        data: &[u8],
    ) -> Bytes {
        let mut tx = Transaction::empty(EIP1559_TX_TYPE);
        tx.chain_id = Some(CHAIN_ID);
        tx.nonce = self.nonce;
        tx.gas_limit = gas_limit;
        tx.max_fee_per_gas = u128::from(GAS_PRICE_WEI);
        tx.to = to;
        tx.value = U256::from(value);
        tx.data = Bytes::copy_from_slice(data);
        let prehash = tx
            .signing_hash()
            .expect("an EIP-1559 transaction has a signing hash");
        let (signature, recovery) = self.key.sign_prehash_recoverable(prehash.as_slice());
        let bytes = signature.to_bytes();
        tx.signature = Some(Signature {
            y_parity: recovery.is_y_odd(),
            r: U256::from_be_slice(&bytes[..32]),
            s: U256::from_be_slice(&bytes[32..]),
        });
        self.nonce += 1;
        Bytes::from(encode(&tx).expect("a signed EIP-1559 transaction encodes"))
    }
}

/// An L1→L2 deposit of `value` wei to [`DEPOSIT_RECIPIENT`].
pub(crate) fn deposit(value: u64) -> Bytes {
    let mut tx = Transaction::empty(L1_PRIORITY_TX_TYPE);
    tx.to = Some(DEPOSIT_RECIPIENT);
    tx.gas_limit = DEPOSIT_GAS_LIMIT;
    tx.max_fee_per_gas = u128::from(GAS_PRICE_WEI);
    tx.value = U256::from(value);
    tx.l1 = Some(L1Fields {
        from: DEPOSITOR,
        mint: U256::from(value + DEPOSIT_GAS_LIMIT * GAS_PRICE_WEI),
        refund_recipient: DEPOSITOR,
        gas_per_pubdata_limit: 800,
        factory_deps: Vec::new(),
    });
    Bytes::from(encode(&tx).expect("an L1 transaction encodes"))
}

/// The chain's configuration.
pub fn config() -> ChainConfig {
    ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1)
}

/// Genesis: the L1 messenger, the forwarder and the funded sender.
pub(crate) fn genesis(sender: Address) -> WorldState {
    let mut world = WorldState::new();
    let contract = |code: &[u8]| AccountState {
        nonce: 1,
        balance: U256::ZERO,
        code: Bytes::copy_from_slice(code),
        code_hash: None,
    };
    world
        .set_account(L1_MESSENGER_ADDRESS, contract(&L1_MESSENGER_CODE), &[])
        .expect("genesis account");
    world
        .set_account(FORWARDER, contract(&FORWARDER_CODE), &[])
        .expect("genesis account");
    world
        .set_account(
            sender,
            AccountState {
                nonce: 0,
                balance: U256::from(ETHER_WEI) * U256::from(100u64),
                code: Bytes::new(),
                code_hash: None,
            },
            &[],
        )
        .expect("genesis account");
    world.set_last_block_timestamp(1_700_000_000);
    world
}

/// The context of block `number` (1 is the first after genesis) after the blocks whose hashes
/// are `hashes`.
pub(crate) fn context(number: u64, hashes: &[B256]) -> BlockContext {
    BlockContext {
        number,
        timestamp: 1_700_000_000 + 12 * number,
        coinbase: COINBASE,
        gas_limit: 30_000_000,
        base_fee: U256::from(GAS_PRICE_WEI),
        native_price: U256::from(10u64),
        pubdata_price: U256::from(1_000u64),
        pubdata_limit: 1_000_000,
        prevrandao: B256::repeat_byte(number as u8),
        blob_base_fee: U256::from(1u64),
        block_hashes: hashes.to_vec(),
    }
}

/// One block of the chain: what it holds, its forward result and its recorded stream.
#[derive(Clone, Debug)]
pub struct RecordedBlock {
    /// What the block exercises.
    pub name: &'static str,
    /// Its transactions, as sent.
    pub txs: Vec<Bytes>,
    /// The forward run's output and commitments.
    pub block: ProvenBlock,
    /// The oracle answers of the forward run.
    pub words: Vec<u32>,
}

/// Runs the chain forward from genesis and returns every block with its word stream.
pub fn chain() -> Result<Vec<RecordedBlock>, ProvingError> {
    let mut alice = Sender::new();
    let message = MESSAGE.to_vec();
    let mut plan: Vec<(&'static str, Vec<Bytes>)> = Vec::new();
    plan.push(("ETH transfer", vec![alice.tx(Some(BOB), ETHER_WEI, &[])]));
    plan.push((
        "two ETH transfers",
        vec![
            alice.tx(Some(BOB), ETHER_WEI, &[]),
            alice.tx(Some(CAROL), ETHER_WEI, &[]),
        ],
    ));
    let token = create_address(&alice.address, alice.nonce);
    plan.push((
        "ERC-20 deployment",
        vec![alice.tx(None, 0, &token_initcode())],
    ));
    plan.push((
        "ERC-20 transfers",
        vec![
            alice.tx(Some(token), 0, &token_transfer(BOB, 1_000)),
            alice.tx(Some(token), 0, &token_transfer(CAROL, 250)),
        ],
    ));
    plan.push((
        "reverting call",
        vec![alice.tx(Some(token), 0, &token_transfer(BOB, 10 * TOKEN_SUPPLY))],
    ));
    plan.push(("L1→L2 deposit", vec![deposit(5_000)]));
    plan.push((
        "L2→L1 message",
        vec![alice.tx(Some(FORWARDER), 0, &send_to_l1(&message))],
    ));
    plan.push((
        "mix",
        vec![
            deposit(7_000),
            alice.tx(Some(CAROL), 12_345, &[]),
            alice.tx(Some(token), 0, &token_transfer(CAROL, 1)),
            alice.tx(Some(FORWARDER), 0, &send_to_l1(b"second message")),
            alice.tx(Some(token), 0, &token_transfer(BOB, 10 * TOKEN_SUPPLY)),
            alice.tx(None, 0, &token_initcode()),
        ],
    ));
    let mut world = genesis(alice.address);
    let mut hashes = vec![B256::repeat_byte(0x42)];
    let mut blocks = Vec::new();
    for (index, (name, txs)) in plan.into_iter().enumerate() {
        let context = context(index as u64 + 1, &hashes);
        let mut words = Vec::new();
        let block = run_block_forward(
            &mut world,
            &config(),
            context,
            txs.clone(),
            Some(&mut words),
        )?;
        hashes.push(block.commitments.block_hash);
        blocks.push(RecordedBlock {
            name,
            txs,
            block,
            words,
        });
    }
    Ok(blocks)
}
