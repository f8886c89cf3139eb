//! The block a simulation runs in: at block `n` (the head included, "latest") block `n`'s own
//! context over the state after it, as geth's `DoCall` (go-ethereum internal/ethapi/api.go),
//! anvil and upstream's `resolve_block_context` (zksync-os-server
//! lib/rpc/src/eth_call_handler.rs) run a call; without a block ("pending") the next block's.

use super::*;

/// Answers eight words: `NUMBER`, `TIMESTAMP`, `BLOCKHASH(NUMBER)`, `BLOCKHASH(NUMBER - 1)`,
/// `BASEFEE`, `COINBASE`, `GASLIMIT`, `PREVRANDAO`:
/// `NUMBER PUSH1 0 MSTORE TIMESTAMP PUSH1 32 MSTORE NUMBER BLOCKHASH PUSH1 64 MSTORE`,
/// `PUSH1 1 NUMBER SUB BLOCKHASH PUSH1 96 MSTORE BASEFEE PUSH1 128 MSTORE`,
/// `COINBASE PUSH1 160 MSTORE GASLIMIT PUSH1 192 MSTORE PREVRANDAO PUSH1 224 MSTORE`,
/// `PUSH2 256 PUSH1 0 RETURN`.
const CONTEXT_READER: [u8; 43] = hex!(
    "4360005242602052434060405260014303406060524860805241 60a05245 60c05244 60e052 610100 6000f3"
);
const READER: Address = address!("00000000000000000000000000000000000c7c70");
/// A fee cap above every base fee the tests set, so `BASEFEE` is the block's (an unpriced call
/// runs with a base fee of zero, as geth's).
const FEE_CAP_WEI: u128 = 1_000_000;

/// What [`CONTEXT_READER`] answered.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    number: u64,
    timestamp: u64,
    hash_of_number: B256,
    hash_of_parent: B256,
    base_fee: U256,
    coinbase: Address,
    gas_limit: u64,
    prevrandao: B256,
}

impl Seen {
    fn read(output: &[u8]) -> Self {
        let word = |i: usize| &output[i * 32..(i + 1) * 32];
        let small = |i: usize| u64::try_from(U256::from_be_slice(word(i))).expect("64 bits");
        Self {
            number: small(0),
            timestamp: small(1),
            hash_of_number: B256::from_slice(word(2)),
            hash_of_parent: B256::from_slice(word(3)),
            base_fee: U256::from_be_slice(word(4)),
            coinbase: Address::from_slice(&word(5)[12..]),
            gas_limit: small(6),
            prevrandao: B256::from_slice(word(7)),
        }
    }

    /// What a call in the context of block `header` reads.
    fn block(header: &BlockInfo) -> Self {
        Self {
            number: header.number,
            timestamp: header.timestamp,
            hash_of_number: B256::ZERO,
            hash_of_parent: header.parent_hash,
            base_fee: header.base_fee,
            coinbase: header.coinbase,
            gas_limit: header.gas_limit,
            prevrandao: header.prevrandao,
        }
    }
}

fn priced_call() -> TxRequest {
    TxRequest {
        max_fee_per_gas: Some(FEE_CAP_WEI),
        ..call_to(READER, Some(100_000))
    }
}

fn seen(engine: &Engine, at: Option<u64>, block: Option<&BlockOverrides>) -> Seen {
    let result = engine
        .call_at(&priced_call(), &StateOverride::default(), block, at)
        .expect("call");
    assert!(result.success, "{result:?}");
    Seen::read(&result.output)
}

/// Blocks 1 to 3, each with a timestamp, coinbase, base fee, gas limit and `PREVRANDAO` of its
/// own.
fn three_blocks() -> Engine {
    let mut engine = funded_engine(Hardfork::Cancun);
    engine
        .set_account(
            READER,
            AccountInput {
                code: Bytes::copy_from_slice(&CONTEXT_READER),
                ..Default::default()
            },
        )
        .expect("stored");
    for n in 1..=3u8 {
        let block = BlockOverrides {
            timestamp: Some(1_000 * u64::from(n)),
            coinbase: Some(Address::repeat_byte(n)),
            base_fee: Some(U256::from(100 * u64::from(n))),
            gas_limit: Some(30_000_000 + u64::from(n)),
            prevrandao: Some(B256::repeat_byte(0x10 + n)),
            ..Default::default()
        };
        engine.run_block(&[], Some(block)).expect("block");
    }
    engine
}

#[test]
fn a_call_at_the_head_runs_in_the_heads_own_block() {
    let engine = three_blocks();
    let head = engine.get_block(3).expect("head").clone();
    assert_eq!(seen(&engine, Some(3), None), Seen::block(&head));
    // Its parent's hash is block 2's, its own is not readable yet.
    assert_eq!(head.parent_hash, engine.get_block(2).expect("2").hash);
    // A trace at the head reads the same values.
    let trace = engine
        .trace_call_at(
            &priced_call(),
            &StateOverride::default(),
            (None, Some(3)),
            TracerConfig::OpcodeStats,
            TraceBudget::default(),
        )
        .expect("trace");
    assert_eq!(Seen::read(&trace.output), Seen::block(&head));
}

#[test]
fn a_call_at_a_past_block_runs_in_that_block() {
    let engine = three_blocks();
    for n in 1..=2 {
        let header = engine.get_block(n).expect("held").clone();
        assert_eq!(
            seen(&engine, Some(n), None),
            Seen::block(&header),
            "block {n}"
        );
    }
}

#[test]
fn a_call_at_genesis_runs_in_the_genesis_block() {
    let engine = three_blocks();
    let genesis = engine.get_block(0).expect("genesis").clone();
    let at_genesis = seen(&engine, Some(0), None);
    assert_eq!(at_genesis, Seen::block(&genesis));
    assert_eq!(at_genesis.number, 0);
    // BLOCKHASH(2^256 - 1) is zero.
    assert_eq!(at_genesis.hash_of_parent, B256::ZERO);
}

#[test]
fn a_pending_call_runs_in_the_next_block() {
    let engine = three_blocks();
    let head = engine.get_block(3).expect("head").clone();
    let pending = seen(&engine, None, None);
    assert_eq!(pending.number, 4);
    assert_eq!(pending.timestamp, head.timestamp + 1);
    // The head's hash is readable from the block after it.
    assert_eq!(pending.hash_of_parent, head.hash);
    assert_eq!(pending.hash_of_number, B256::ZERO);
}

#[test]
fn block_overrides_apply_over_the_blocks_own_context() {
    let engine = three_blocks();
    let head = engine.get_block(3).expect("head").clone();
    let timestamp = BlockOverrides {
        timestamp: Some(5),
        coinbase: Some(Address::repeat_byte(0xcc)),
        ..Default::default()
    };
    let at_head = seen(&engine, Some(3), Some(&timestamp));
    assert_eq!(
        at_head,
        Seen {
            timestamp: 5,
            coinbase: Address::repeat_byte(0xcc),
            ..Seen::block(&head)
        }
    );
    // A number below the block's is taken as it is (geth checks none for a call); the hashes
    // follow it.
    let number = BlockOverrides {
        number: Some(2),
        ..Default::default()
    };
    let lowered = seen(&engine, Some(3), Some(&number));
    assert_eq!(lowered.number, 2);
    assert_eq!(lowered.timestamp, head.timestamp);
    assert_eq!(lowered.hash_of_parent, engine.get_block(1).expect("1").hash);
}

/// Over a fork, "latest" before any local block is the fork block: its own header.
#[test]
fn a_call_at_the_fork_block_runs_in_the_forked_chains_block() {
    let point = ForkPoint {
        number: 100,
        hash: B256::repeat_byte(0xab),
        parent_hash: B256::repeat_byte(0xaa),
        timestamp: 1_000,
        gas_limit: 30_000_000,
        base_fee: U256::from(77),
        coinbase: Address::repeat_byte(0xc0),
        prevrandao: B256::repeat_byte(0x5e),
        ..Default::default()
    };
    let mut engine = Engine::fork(
        ChainConfig::ethereum(1, Hardfork::Cancun),
        FeeParams::default(),
        point.clone(),
    );
    let mut at = |at: Option<u64>| {
        let op = Operation::Call {
            request: priced_call(),
            overrides: StateOverride::new(),
            block: None,
            at,
        };
        let mut job = engine.start(op).expect("started");
        loop {
            match engine.resume(&mut job).expect("runs") {
                JobStatus::Done(JobOutput::Call(result)) => return Seen::read(&result.output),
                JobStatus::Done(_) => panic!("a call"),
                JobStatus::NeedState(keys) => {
                    let values: Vec<_> = keys.iter().map(|key| (*key, forked_value(key))).collect();
                    engine.supply(&values).expect("supplied");
                }
            }
        }
    };
    assert_eq!(
        at(Some(100)),
        Seen {
            number: 100,
            timestamp: 1_000,
            hash_of_number: B256::ZERO,
            hash_of_parent: point.parent_hash,
            base_fee: U256::from(77),
            coinbase: point.coinbase,
            gas_limit: 30_000_000,
            prevrandao: point.prevrandao,
        }
    );
    let pending = at(None);
    assert_eq!((pending.number, pending.timestamp), (101, 1_001));
    assert_eq!(pending.hash_of_parent, point.hash);
}

/// The forked chain the fork test reads: the sender funded, [`CONTEXT_READER`] at [`READER`].
fn forked_value(key: &StateKey) -> ForkValue {
    match key {
        StateKey::Account(address) if *address == SENDER => ForkValue::Account {
            nonce: 0,
            balance: U256::from(ETHER_WEI),
            code: Bytes::new(),
            has_storage: false,
        },
        StateKey::Account(address) if *address == READER => ForkValue::Account {
            nonce: 1,
            balance: U256::ZERO,
            code: Bytes::copy_from_slice(&CONTEXT_READER),
            has_storage: false,
        },
        StateKey::Account(_) => ForkValue::Account {
            nonce: 0,
            balance: U256::ZERO,
            code: Bytes::new(),
            has_storage: false,
        },
        StateKey::Storage(..) => ForkValue::Slot(U256::ZERO),
        StateKey::BlockHash(_) => ForkValue::BlockHash(B256::repeat_byte(0x11)),
    }
}
