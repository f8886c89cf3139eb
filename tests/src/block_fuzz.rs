//! Whole blocks built from fuzz bytes, run on the forward path (with the oracle answers
//! recorded) and on the proving path (replaying them): both must produce the same block, public
//! inputs included, and neither may panic. The bytes choose the flow, the genesis contracts
//! (bytecode drawn from fragments that real contracts are made of: loops, calls of every kind,
//! creations, storage, logs, self-destructs, hooks), the block's inputs and its transactions
//! (signed by known keys, with nonces, limits, fees and values near and beyond the edges).
//!
//! The cargo-fuzz target `blocks` (`tests/fuzz`) feeds it libFuzzer's bytes; the seeded test
//! `tests/tests/block_fuzz.rs` feeds it a pseudo-random stream for a bounded time in `make test`.

use k256::ecdsa::SigningKey;
use zkos_core::config::{ChainConfig, Hardfork, ProtocolVersion};
use zkos_core::context::BlockContext;
use zkos_core::driver::{prove_block, run_block_forward};
use zkos_core::oracle::Replay;
use zkos_core::primitives::{keccak256, Address, Bytes, B256, U256};
use zkos_core::state::world::{AccountState, WorldState};
use zkos_core::system::genesis::L1_MESSENGER_CODE;
use zkos_core::system::{BASE_TOKEN_ADDRESS, L1_MESSENGER_ADDRESS};
use zkos_core::tx::{
    encode, L1Fields, Signature, Transaction, EIP1559_TX_TYPE, EIP2930_TX_TYPE,
    L1_PRIORITY_TX_TYPE, LEGACY_TX_TYPE,
};

/// Chain id of both chains.
const CHAIN_ID: u64 = 270;
/// Secret keys of the senders (scalars below the group order).
const SENDER_KEYS: [[u8; 32]; 3] = [[0x11; 32], [0x22; 32], [0x33; 32]];
/// Most genesis contracts a case has.
const MAX_CONTRACTS: usize = 4;
/// Most bytecode fragments of one contract.
const MAX_FRAGMENTS: usize = 48;
/// Most transactions of one block.
const MAX_TXS: usize = 8;
/// Timestamp the world's last block had.
const GENESIS_TIMESTAMP: u64 = 1_700_000_000;
/// First address of the genesis contracts (above kernel space, 0x10000).
const CONTRACT_BASE: u64 = 0xc0_0000;

/// Reads choices from the fuzz bytes; past their end every choice is zero.
struct Choices<'a> {
    data: &'a [u8],
    at: usize,
}

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        let byte = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |acc, _| (acc << 8) | u64::from(self.byte()))
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| self.byte()).collect()
    }

    /// A word near an edge: small, a power of two or one below, all ones, or raw bytes.
    fn word(&mut self) -> U256 {
        match self.below(6) {
            0 => U256::from(self.byte()),
            1 => U256::ONE << self.byte(),
            2 => (U256::ONE << self.byte()).wrapping_sub(U256::ONE),
            3 => U256::MAX,
            _ => U256::from(self.u64()),
        }
    }
}

/// One generated block: the chain, its world before the block, the block and its transactions.
pub struct BlockCase {
    /// The chain's configuration (the flow is a choice).
    pub config: ChainConfig,
    /// The world the block runs on.
    pub world: WorldState,
    /// The block's inputs.
    pub context: BlockContext,
    /// The block's transactions, encoded (some invalid on purpose).
    pub txs: Vec<Bytes>,
}

/// What a checked block held: how its transactions fared (to judge what the generator reaches).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Transactions sent.
    pub sent: u64,
    /// Included and successful.
    pub succeeded: u64,
    /// Included and failed (reverted or halted).
    pub failed: u64,
    /// Left out as invalid.
    pub rejected: u64,
}

impl Tally {
    /// Adds `other` to this tally.
    pub fn add(&mut self, other: Tally) {
        self.sent += other.sent;
        self.succeeded += other.succeeded;
        self.failed += other.failed;
        self.rejected += other.rejected;
    }
}

/// How a case broke the property.
#[derive(Debug)]
pub enum Finding {
    /// The forward run failed on a well-formed world and block.
    Forward(String),
    /// The proving run refused the stream the forward run recorded.
    Proving(String),
    /// Both ran, to different blocks (public inputs, receipts or state).
    Mismatch(String),
}

fn sender_address(key: &SigningKey) -> Address {
    let point = key.verifying_key().to_sec1_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

fn contract_address(index: usize) -> Address {
    let mut bytes = [0u8; 20];
    bytes[12..].copy_from_slice(&(CONTRACT_BASE + index as u64).to_be_bytes());
    Address::from(bytes)
}

/// Addresses a fragment may name: the contracts, the senders, precompiles, system hooks and
/// contracts, the coinbase, empty accounts.
fn targets(senders: &[Address]) -> Vec<Address> {
    let mut targets: Vec<Address> = (0..MAX_CONTRACTS).map(contract_address).collect();
    targets.extend_from_slice(senders);
    for low in [
        1u64, 2, 4, 5, 8, 0x0a, 0x100, 0x7100, 0x8008, 0x800a, 0xdead,
    ] {
        let mut bytes = [0u8; 20];
        bytes[12..].copy_from_slice(&low.to_be_bytes());
        targets.push(Address::from(bytes));
    }
    targets.push(BASE_TOKEN_ADDRESS);
    targets
}

fn push_address(code: &mut Vec<u8>, address: &Address) {
    code.push(0x73);
    code.extend_from_slice(address.as_slice());
}

/// Bytecode from fragments. Jump targets are small numbers, so jumps land on the fragments'
/// `JUMPDEST`s (and loop) as often as they fail.
fn bytecode(choices: &mut Choices, targets: &[Address]) -> Vec<u8> {
    let mut code = Vec::new();
    for _ in 0..choices.below(MAX_FRAGMENTS + 1) {
        match choices.below(16) {
            // Any byte: an opcode, or an invalid one.
            0 => code.push(choices.byte()),
            1 => code.extend_from_slice(&[0x60, choices.byte()]),
            2 => code.push(0x5b),
            // PUSH1 target JUMP / JUMPI (JUMPI with the condition under it).
            3 => code.extend_from_slice(&[0x60, choices.byte() % 64, choices.pick(&[0x56, 0x57])]),
            // CALL family: gas, address, (value), in and out ranges.
            4 | 5 => {
                let kind = choices.pick(&[0xf1, 0xf2, 0xf4, 0xfa]);
                code.extend_from_slice(&[0x60, 0x20, 0x60, 0x00, 0x60, choices.byte(), 0x60, 0x00]);
                if matches!(kind, 0xf1 | 0xf2) {
                    code.extend_from_slice(&[0x60, choices.byte() % 4]);
                }
                push_address(&mut code, &choices.pick(targets));
                code.extend_from_slice(&[0x5a, kind]);
            }
            // SSTORE / SLOAD / TSTORE / TLOAD of small keys.
            6 => code.extend_from_slice(&[0x60, choices.byte(), 0x60, choices.byte() % 8, 0x55]),
            7 => code.extend_from_slice(&[
                0x60,
                choices.byte() % 8,
                choices.pick(&[0x54, 0x5c]),
                0x50,
            ]),
            // CREATE / CREATE2 of a slice of this code (copied to memory first).
            8 => {
                let len = choices.byte();
                code.extend_from_slice(&[0x60, len, 0x60, 0x00, 0x60, 0x00, 0x39]);
                if choices.below(2) == 0 {
                    code.extend_from_slice(&[0x60, len, 0x60, 0x00, 0x60, 0x00, 0xf0]);
                } else {
                    let salt = choices.byte();
                    code.extend_from_slice(&[0x60, salt, 0x60, len, 0x60, 0x00, 0x60, 0x00, 0xf5]);
                }
            }
            // LOG0..LOG4 of memory with small topics.
            9 => {
                let topics = choices.below(5) as u8;
                for _ in 0..topics {
                    code.extend_from_slice(&[0x60, choices.byte()]);
                }
                code.extend_from_slice(&[0x60, choices.byte(), 0x60, 0x00, 0xa0 + topics]);
            }
            // Memory growth, copies and hashing.
            10 => code.extend_from_slice(&[
                0x60,
                choices.byte(),
                0x61,
                choices.byte() % 4,
                choices.byte(),
                choices.pick(&[0x52, 0x53, 0x20]),
            ]),
            11 => code.extend_from_slice(&[0x60, choices.byte(), 0x60, 0x00, 0x60, 0x00, 0x37]),
            // SELFDESTRUCT to a target.
            12 => {
                push_address(&mut code, &choices.pick(targets));
                code.push(0xff);
            }
            // RETURN / REVERT of memory.
            13 => code.extend_from_slice(&[
                0x60,
                choices.byte() % 64,
                0x60,
                0x00,
                choices.pick(&[0xf3, 0xfd]),
            ]),
            // An environment or arithmetic opcode.
            14 => code.push(choices.pick(&[
                0x01, 0x02, 0x04, 0x0a, 0x16, 0x1b, 0x30, 0x31, 0x33, 0x34, 0x36, 0x3a, 0x3b, 0x3d,
                0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x59, 0x5a,
                0x5f, 0x80, 0x90,
            ])),
            // A word near an edge.
            _ => {
                code.push(0x7f);
                code.extend_from_slice(&choices.word().to_be_bytes::<32>());
            }
        }
    }
    code
}

/// The genesis world: the L1 messenger (ZKsync OS flow), the contracts, the funded senders.
fn genesis(choices: &mut Choices, zk: bool, senders: &[Address]) -> WorldState {
    let mut world = WorldState::new();
    let targets = targets(senders);
    if zk {
        let messenger = AccountState {
            nonce: 1,
            balance: U256::ZERO,
            code: Bytes::from_static(&L1_MESSENGER_CODE),
            code_hash: None,
        };
        world
            .set_account(L1_MESSENGER_ADDRESS, messenger, &[])
            .expect("genesis account");
    }
    for index in 0..1 + choices.below(MAX_CONTRACTS) {
        let slots: Vec<(U256, U256)> = (0..choices.below(4))
            .map(|_| (U256::from(choices.byte() % 8), choices.word()))
            .collect();
        let account = AccountState {
            nonce: 1,
            balance: choices.word(),
            code: Bytes::from(bytecode(choices, &targets)),
            code_hash: None,
        };
        world
            .set_account(contract_address(index), account, &slots)
            .expect("genesis account");
    }
    for sender in senders {
        let balance = match choices.below(8) {
            0 => choices.word(),
            _ => U256::from(10u64).pow(U256::from(21u8)),
        };
        let account = AccountState {
            nonce: 0,
            balance,
            code: Bytes::new(),
            code_hash: None,
        };
        world
            .set_account(*sender, account, &[])
            .expect("genesis account");
    }
    world.set_last_block_timestamp(GENESIS_TIMESTAMP);
    world
}

/// The block's inputs: a valid successor of the genesis world (the timestamp does not go
/// back), with limits and prices near their edges.
fn context(choices: &mut Choices, zk: bool) -> BlockContext {
    let gas_limit = if choices.below(8) == 0 {
        choices.pick(&[100_000, 21_000, 1 << 24])
    } else {
        30_000_000
    };
    let base_fee = choices.pick(&[0u64, 1, 1_000, 1_000_000_000]);
    BlockContext {
        number: 1 + u64::from(choices.byte()),
        timestamp: GENESIS_TIMESTAMP + u64::from(choices.byte()),
        coinbase: choices.pick(&[contract_address(0), Address::repeat_byte(0xc0)]),
        gas_limit,
        base_fee: U256::from(base_fee),
        native_price: if zk {
            U256::from(choices.pick(&[1u64, 10, 1_000]))
        } else {
            U256::ZERO
        },
        pubdata_price: U256::from(choices.pick(&[0u64, 1, 1_000])),
        pubdata_limit: choices.pick(&[1_000_000, 1_000_000, 1_000_000, 100, 0]),
        prevrandao: B256::repeat_byte(choices.byte()),
        blob_base_fee: U256::ONE,
        block_hashes: vec![B256::repeat_byte(0x99)],
    }
}

fn sign(tx: &mut Transaction, key: &SigningKey) {
    let Ok(prehash) = tx.signing_hash() else {
        return;
    };
    let (signature, recovery) = key.sign_prehash_recoverable(prehash.as_slice());
    let bytes = signature.to_bytes();
    tx.signature = Some(Signature {
        y_parity: recovery.is_y_odd(),
        r: U256::from_be_slice(&bytes[..32]),
        s: U256::from_be_slice(&bytes[32..]),
    });
}

/// A transaction: signed by a sender (nonce usually the next, sometimes off), or in the
/// ZKsync OS flow sometimes an L1 deposit; to a contract, a target, or a creation.
fn transaction(
    choices: &mut Choices,
    zk: bool,
    keys: &[SigningKey],
    nonces: &mut [u64],
    targets: &[Address],
) -> Bytes {
    let to = match choices.below(4) {
        0 => None,
        _ => Some(choices.pick(targets)),
    };
    // Mostly valid, so that later transactions of the same sender find their nonce.
    let edgy = choices.below(8) == 0;
    let gas_limit = if edgy {
        choices.pick(&[21_000, 20_999, 0, 1 << 25])
    } else {
        choices.pick(&[200_000, 1_000_000, 3_000_000])
    };
    let value = match choices.below(8) {
        0 => choices.word(),
        _ => U256::from(choices.byte()),
    };
    let data = if to.is_none() {
        bytecode(choices, targets)
    } else {
        choices.bytes(100)
    };
    if zk && choices.below(8) == 0 {
        let mut tx = Transaction::empty(L1_PRIORITY_TX_TYPE);
        tx.to = to;
        tx.gas_limit = gas_limit;
        tx.max_fee_per_gas = u128::from(choices.pick(&[0u64, 1_000]));
        tx.value = value;
        tx.data = Bytes::from(data);
        tx.l1 = Some(L1Fields {
            from: choices.pick(targets),
            mint: choices.word(),
            refund_recipient: choices.pick(targets),
            gas_per_pubdata_limit: choices.pick(&[800, 0, 50_000]),
            factory_deps: Vec::new(),
        });
        return encode(&tx).map(Bytes::from).unwrap_or_default();
    }
    let signer = choices.below(keys.len());
    let mut tx =
        Transaction::empty(choices.pick(&[EIP1559_TX_TYPE, LEGACY_TX_TYPE, EIP2930_TX_TYPE]));
    tx.chain_id = Some(if edgy && choices.below(2) == 0 {
        1
    } else {
        CHAIN_ID
    });
    tx.nonce = match (edgy, choices.below(2)) {
        (true, 0) => nonces[signer] + 1,
        (true, _) => u64::MAX,
        _ => nonces[signer],
    };
    tx.gas_limit = gas_limit;
    // The fee cap: the block's highest base fee (1 gwei) and more, or an edge.
    let fee = if edgy {
        u128::from(choices.pick(&[0u64, 1, 1_000]))
    } else {
        u128::from(choices.pick(&[1_000_000_000u64, 2_000_000_000]))
    };
    tx.max_fee_per_gas = fee;
    tx.max_priority_fee_per_gas = if tx.tx_type == EIP1559_TX_TYPE {
        fee.min(u128::from(choices.byte()))
    } else {
        fee
    };
    tx.to = to;
    tx.value = value;
    tx.data = Bytes::from(data);
    sign(&mut tx, &keys[signer]);
    if tx.nonce == nonces[signer] {
        nonces[signer] += 1;
    }
    encode(&tx).map(Bytes::from).unwrap_or_default()
}

impl BlockCase {
    /// The case `data` describes (any bytes describe one).
    pub fn from_bytes(data: &[u8]) -> Self {
        let mut choices = Choices { data, at: 0 };
        let zk = choices.below(2) == 1;
        let config = if zk {
            ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1)
        } else {
            ChainConfig::ethereum(CHAIN_ID, Hardfork::Prague)
        };
        let keys: Vec<SigningKey> = SENDER_KEYS
            .iter()
            .map(|k| SigningKey::from_slice(k).expect("a valid scalar"))
            .collect();
        let senders: Vec<Address> = keys.iter().map(sender_address).collect();
        let world = genesis(&mut choices, zk, &senders);
        let context = context(&mut choices, zk);
        let targets = targets(&senders);
        let mut nonces = vec![0u64; keys.len()];
        let txs = (0..choices.below(MAX_TXS + 1))
            .map(|_| transaction(&mut choices, zk, &keys, &mut nonces, &targets))
            .collect();
        Self {
            config,
            world,
            context,
            txs,
        }
    }

    /// Runs the block forward (recording the oracle's answers), then proves the recording:
    /// both must succeed with equal blocks (receipts, state, public inputs).
    pub fn check(self) -> Result<Tally, Finding> {
        let mut world = self.world;
        let mut words = Vec::new();
        let forward = run_block_forward(
            &mut world,
            &self.config,
            self.context,
            self.txs,
            Some(&mut words),
        )
        .map_err(|e| Finding::Forward(format!("{e:?}")))?;
        let replay = Replay::new(&words).map_err(|e| Finding::Proving(format!("{e:?}")))?;
        let proven =
            prove_block(&self.config, replay).map_err(|e| Finding::Proving(format!("{e:?}")))?;
        if proven != forward {
            return Err(Finding::Mismatch(format!(
                "forward {:?}\nproven {:?}",
                forward.commitments, proven.commitments
            )));
        }
        if forward.commitments.state_after.state != world.commitment() {
            return Err(Finding::Mismatch(
                "the world after the block differs from the committed state".into(),
            ));
        }
        let mut tally = Tally::default();
        for result in &forward.output.results {
            tally.sent += 1;
            match &result.outcome {
                Ok(receipt) if receipt.success => tally.succeeded += 1,
                Ok(_) => tally.failed += 1,
                Err(_) => tally.rejected += 1,
            }
        }
        Ok(tally)
    }
}

/// Checks the case `data` describes (see [`BlockCase::check`]).
pub fn check_bytes(data: &[u8]) -> Result<Tally, Finding> {
    BlockCase::from_bytes(data).check()
}
