//! End to end: a forward block, its recorded word stream, and proving runs over the replayed
//! (and tampered) stream.

use super::*;
use crate::config::{ChainConfig, Hardfork, ProtocolVersion};
use crate::context::BlockContext;
use crate::io::StateSource;
use crate::oracle::{OracleError, ProvingError, Replay};
use crate::primitives::{address, hex, Address, U256};
use crate::primitives::{Bytes, B256};
use crate::state::account::AccountProperties;
use crate::state::flat_key::account_properties_flat_key;
use crate::state::pubdata::{decode_block_pubdata, DecodedSlot, PubdataContext};
use crate::state::world::{account_slot_value, AccountState, WorldState};
use crate::tx::{encode, Transaction, EIP1559_TX_TYPE};
use alloc::vec;
use alloc::vec::Vec;

/// Secret key of the ethereum/tests sender 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b.
const SECRET_KEY: [u8; 32] =
    hex!("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
const SENDER: Address = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
const COUNTER: Address = address!("00000000000000000000000000000000000c0de0");
const RECIPIENT: Address = address!("0000000000000000000000000000000000000bee");
const COINBASE: Address = address!("00000000000000000000000000000000000c0ffe");
const CHAIN_ID: u64 = 1;

/// SLOAD slot 0, add 1, SSTORE slot 0: 60 00 54 60 01 01 60 00 55 00.
const COUNTER_CODE: [u8; 10] = hex!("60005460010160005500");
/// Returns the two-byte runtime 5b00: PUSH2 5b00, PUSH1 0, MSTORE, PUSH1 2, PUSH1 30, RETURN.
const INITCODE: [u8; 11] = hex!("615b006000526002601ef3");

fn config() -> ChainConfig {
    ChainConfig::ethereum(CHAIN_ID, Hardfork::Cancun)
}

fn signed(nonce: u64, to: Option<Address>, value: u64, data: &[u8]) -> Bytes {
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(CHAIN_ID);
    tx.nonce = nonce;
    tx.gas_limit = 200_000;
    tx.max_fee_per_gas = 2_000_000_000;
    tx.max_priority_fee_per_gas = 1_000_000_000;
    tx.to = to;
    tx.value = U256::from(value);
    tx.data = Bytes::copy_from_slice(data);
    crate::tx::test_signing::sign_with(&SECRET_KEY, &mut tx);
    Bytes::from(encode(&tx).unwrap())
}

fn genesis() -> WorldState {
    let mut world = WorldState::new();
    world
        .set_account(
            SENDER,
            AccountState {
                nonce: 0,
                balance: U256::from(10u64).pow(U256::from(18u8)),
                code: Bytes::new(),
                code_hash: None,
            },
            &[],
        )
        .unwrap();
    world
        .set_account(
            COUNTER,
            AccountState {
                nonce: 1,
                balance: U256::ZERO,
                code: Bytes::from_static(&COUNTER_CODE),
                code_hash: None,
            },
            &[(U256::ZERO, U256::from(5u8))],
        )
        .unwrap();
    world.set_last_block_timestamp(900);
    world
}

fn context() -> BlockContext {
    BlockContext {
        number: 1,
        timestamp: 1_000,
        coinbase: COINBASE,
        gas_limit: 30_000_000,
        base_fee: U256::from(1_000_000_000u64),
        prevrandao: B256::repeat_byte(0x5a),
        blob_base_fee: U256::from(1u8),
        block_hashes: vec![B256::repeat_byte(0x99)],
        ..BlockContext::default()
    }
}

fn transactions() -> Vec<Bytes> {
    vec![
        signed(0, Some(COUNTER), 0, &[]),
        signed(1, Some(RECIPIENT), 1_000, &[]),
        signed(2, None, 0, &INITCODE),
    ]
}

/// Runs the block forward with a recorder; returns the block, the stream and the new world.
fn recorded_block() -> (ProvenBlock, Vec<u32>, WorldState) {
    let mut world = genesis();
    let mut words = Vec::new();
    let block = run_block_forward(
        &mut world,
        &config(),
        context(),
        transactions(),
        Some(&mut words),
    )
    .unwrap();
    (block, words, world)
}

#[test]
fn forward_and_replayed_proving_runs_agree() {
    let (block, words, world) = recorded_block();
    for result in &block.output.results {
        let receipt = result.outcome.as_ref().unwrap();
        assert!(receipt.success, "{receipt:?}");
    }
    // The counter went 5 -> 6, the recipient exists, the deployed contract holds 5b00.
    assert_eq!(world.slot(&COUNTER, &U256::ZERO), Some(U256::from(6u8)));
    let mut state = world.clone();
    assert_eq!(
        StateSource::account(&mut state, &RECIPIENT).map(|a| a.map(|a| a.balance)),
        Ok(Some(U256::from(1_000u32)))
    );
    let created = block.output.results[2]
        .outcome
        .as_ref()
        .unwrap()
        .created
        .unwrap();
    assert_eq!(
        StateSource::account(&mut state, &created).map(|a| a.map(|a| a.code)),
        Ok(Some(Bytes::from_static(&hex!("5b00"))))
    );

    // Without a recorder, the same block gives the same commitments.
    let mut plain = genesis();
    let unrecorded =
        run_block_forward(&mut plain, &config(), context(), transactions(), None).unwrap();
    assert_eq!(unrecorded, block);
    assert_eq!(plain.commitment(), world.commitment());

    // The proving run over the replayed stream reaches the same public inputs.
    let proven = prove_block(&config(), Replay::new(&words).unwrap()).unwrap();
    assert_eq!(proven, block);
    let c = &proven.commitments;
    assert_eq!(c.state_after.state, world.commitment());
    assert_eq!(c.state_before.state, genesis().commitment());
    assert_eq!(c.state_before.block_number, 0);
    assert_eq!(c.state_after.block_number, 1);
    assert_eq!(c.state_after.last_block_timestamp, 1_000);
    assert_eq!(c.header.parent_hash, B256::repeat_byte(0x99));
    assert_eq!(c.block_hash, c.header.hash());
    // Pubdata: version, block hash, timestamp, then three derived-key diffs at least (two
    // storage-free accounts changed, the counter slot, the coinbase, the new contract).
    assert_eq!(c.pubdata[0], 0x01);
    assert_eq!(&c.pubdata[1..33], c.block_hash.as_slice());
    assert_eq!(&c.pubdata[33..41], &1_000u64.to_be_bytes());
    let diff_count = u32::from_be_bytes(c.pubdata[41..45].try_into().unwrap());
    // sender, recipient, coinbase, created contract (accounts) + counter slot 0.
    assert_eq!(diff_count, 5);
    assert_eq!(
        c.block_public_input,
        crate::state::public_input::block_public_input(
            &c.state_before.hash(),
            &c.state_after.hash(),
            &c.blocks_output.hash()
        )
    );
    // The created contract's record is published with its code.
    let record = world.properties(&created).unwrap();
    let key = account_properties_flat_key(created);
    let at = c
        .pubdata
        .windows(32)
        .position(|w| w == key.as_slice())
        .unwrap();
    assert_eq!(c.pubdata[at + 32], 0x15, "marker | full | code published");
    assert_eq!(record.bytecode_len, 2);
    assert_ne!(record, AccountProperties::default());
}

/// `(tag, first payload word index, payload length)` of every record.
fn records(words: &[u32]) -> Vec<(u32, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 3;
    while at < words.len() {
        let (tag, len) = (words[at], words[at + 1] as usize);
        out.push((tag, at + 2, len));
        at += 2 + len;
    }
    out
}

fn prove(words: &[u32]) -> Result<ProvenBlock, ProvingError> {
    prove_block(&config(), Replay::new(words).map_err(ProvingError::Oracle)?)
}

#[test]
fn tampered_streams_never_prove() {
    let (block, words, _) = recorded_block();
    let records = records(&words);
    let of_tag = |tag: u32| -> Vec<(usize, usize)> {
        records
            .iter()
            .filter(|(t, _, _)| *t == tag)
            .map(|(_, start, len)| (*start, *len))
            .collect()
    };
    let mut positions = Vec::new();
    // Storage values: the last value word of every read that found a leaf (flag word 1 at
    // payload index 8, value at 9..17).
    for (start, _) in of_tag(4) {
        if words[start + 8] == 1 {
            positions.push(start + 16);
            positions.push(start + 9);
        }
    }
    // Account records and bytecode preimages: a byte in the middle of each.
    for (start, len) in of_tag(5).into_iter().chain(of_tag(6)) {
        positions.push(start + 9 + (len - 9) / 2);
    }
    // Transactions: the first, middle and last words of each.
    for (start, len) in of_tag(2) {
        positions.extend([start + 1, start + len / 2, start + len - 1]);
    }
    // Proof nodes: a spread of words through the batch proof.
    let (proof_start, proof_len) = of_tag(7)[0];
    positions.extend(
        (1..proof_len)
            .step_by(proof_len / 40 + 1)
            .map(|i| proof_start + i),
    );
    // The previous root in the block input (after the 4 + 360 leading bytes of the payload:
    // length word, then number..blob fee = 8+8+20+8+32·3+8+32+32 = 212, count 4, one hash 32).
    let (input_start, _) = of_tag(1)[0];
    positions.push(input_start + 1 + (212 + 4 + 32) / 4);

    assert!(positions.len() > 50, "{} positions", positions.len());
    for position in positions {
        for mask in [0x0000_0001u32, 0x8000_0000] {
            let mut tampered = words.clone();
            tampered[position] ^= mask;
            let result = prove(&tampered);
            assert!(
                result.is_err(),
                "word {position} ^ {mask:#x} proved: {:?}",
                result.map(|b| b.commitments.batch_public_input)
            );
        }
    }
    // The untampered stream still proves the forward result.
    assert_eq!(prove(&words), Ok(block));
}

/// Byte offset, in the block input record's byte string, of the last (least significant) byte
/// of each input upstream commits nowhere. The layout (`oracle::words`): number 8, timestamp
/// 8, coinbase 20, gas limit 8, base fee 32 (76 bytes), native price 32 (ends at byte 107),
/// pubdata price 32 (139), pubdata limit 8 (147), prevrandao 32, blob base fee 32 (211).
const FEE_INPUT_LAST_BYTES: [(&str, usize); 4] = [
    ("native price", 107),
    ("pubdata price", 139),
    ("pubdata limit", 147),
    ("blob base fee", 211),
];

/// Flips a low bit of each fee input in the recorded block input: no such stream proves to the
/// forward block's public input (it fails, or proves another block).
fn assert_fee_inputs_committed(config: &ChainConfig, words: &[u32], block: &ProvenBlock) {
    let (tag, start, _) = records(words)[0];
    assert_eq!(tag, 1, "the first record is the block input");
    for (field, byte) in FEE_INPUT_LAST_BYTES {
        for bit in [0, 1, 7] {
            let mut tampered = words.to_vec();
            // Payload: the byte length word, then the bytes packed four per word, little-endian.
            tampered[start + 1 + byte / 4] ^= 1 << (8 * (byte % 4) + bit);
            if let Ok(proven) = prove_block(config, Replay::new(&tampered).unwrap()) {
                assert_ne!(
                    proven.commitments.block_public_input, block.commitments.block_public_input,
                    "{field} bit {bit} proved to the same public input"
                );
            }
        }
    }
}

#[test]
fn tampered_fee_inputs_never_prove_the_same_block() {
    // The Ethereum flow ignores these inputs, so only a commitment can tell them apart.
    let (block, words, _) = recorded_block();
    assert_fee_inputs_committed(&config(), &words, &block);
}

#[test]
fn word_sweep_never_proves_a_different_block() {
    let (block, words, _) = recorded_block();
    let (_, input_start, input_len) = records(&words)[0];
    let mut errors = 0;
    // Every 23rd word after the block input record (whose fields are the operator's choice).
    for position in (input_start + input_len..words.len()).step_by(23) {
        let mut tampered = words.clone();
        tampered[position] ^= 0x0100_0000;
        match prove(&tampered) {
            Err(_) => errors += 1,
            Ok(proven) => assert_eq!(proven, block, "word {position} changed the result"),
        }
    }
    // Every word there is an answer, a proof or framing: all flips are caught.
    assert_eq!(errors, (words.len() - input_start - input_len).div_ceil(23));
}

#[test]
fn every_framing_word_is_checked() {
    let (block, words, _) = recorded_block();
    // Each record's tag and length word: any change is an error.
    for (_, start, _) in records(&words) {
        for position in [start - 2, start - 1] {
            let mut tampered = words.clone();
            tampered[position] ^= 1;
            assert!(prove(&tampered).is_err(), "framing word {position}");
        }
    }
    // Dropping the last record or adding a word fails too.
    let (_, last_start, _) = *records(&words).last().unwrap();
    let mut short = words[..last_start - 2].to_vec();
    short[2] = (short.len() - 3) as u32;
    assert!(matches!(
        prove(&short),
        Err(ProvingError::Oracle(OracleError::UnexpectedRecord { .. }))
            | Err(ProvingError::Oracle(OracleError::Truncated))
    ));
    let mut long = words.clone();
    long.push(0);
    long[2] += 1;
    assert_eq!(
        prove(&long),
        Err(ProvingError::Oracle(OracleError::TrailingWords(1)))
    );
    assert_eq!(prove(&words), Ok(block));
}

/// Initial values for decoding pubdata, read from a world state by derived key only.
struct FromWorld<'a>(&'a WorldState);

impl PubdataContext for FromWorld<'_> {
    fn initial_value(&self, key: &B256) -> B256 {
        self.0.get(key).unwrap_or_default()
    }
    fn initial_account(&self, key: &B256) -> AccountProperties {
        self.0
            .get(key)
            .and_then(|hash| self.0.preimage(&hash))
            .and_then(|bytes| AccountProperties::decode(bytes).ok())
            .unwrap_or_default()
    }
    fn preimage(&self, hash: &B256) -> Option<Vec<u8>> {
        self.0.preimage(hash).map(<[u8]>::to_vec)
    }
}

#[test]
fn pubdata_replays_into_the_same_tree() {
    let (block, _, world) = recorded_block();
    let before = genesis();
    let decoded = decode_block_pubdata(&block.commitments.pubdata, &FromWorld(&before)).unwrap();
    assert_eq!(decoded.block_hash, block.commitments.block_hash);
    let writes: Vec<(B256, B256)> = decoded
        .slots
        .iter()
        .map(|slot| match slot {
            DecodedSlot::Value(key, value) => (*key, *value),
            DecodedSlot::Account(key, record) => (*key, account_slot_value(record)),
        })
        .collect();
    let mut tree = before.tree().clone();
    assert_eq!(tree.apply_writes(&writes), Ok(world.commitment()));
}

mod zk_flow {
    //! The same checks on a ZKsync OS block: an L1 deposit, an L2→L1 message through the
    //! genesis messenger at 0x8008, and a deployment.

    use super::*;
    use crate::system::genesis::L1_MESSENGER_CODE;
    use crate::system::L1_MESSENGER_ADDRESS;
    use crate::tx::{L1Fields, L1_PRIORITY_TX_TYPE};

    const ZK_CHAIN_ID: u64 = 270;
    const GAS_PRICE: u64 = 1_000;
    /// Forwards its calldata to 0x8008: `CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY; PUSH1 32
    /// PUSH1 0 CALLDATASIZE PUSH1 0 PUSH1 0 PUSH2 0x8008 GAS CALL POP; PUSH1 32 PUSH1 0
    /// RETURN`.
    const MESSAGE_SENDER_CODE: [u8; 26] =
        hex!("3660006000376020600036600060006180085af15060206000f3");
    const MESSAGE_SENDER: Address = address!("00000000000000000000000000000000005e5e5e");
    const DEPOSITOR: Address = address!("00000000000000000000000000000000000d0d0d");
    /// Above kernel space (0x10000), where plain transfers are allowed.
    const DEPOSIT_RECIPIENT: Address = address!("000000000000000000000000000000000b0b0b0b");

    fn zk_signed(nonce: u64, to: Option<Address>, data: &[u8]) -> Bytes {
        let mut tx = Transaction::empty(EIP1559_TX_TYPE);
        tx.chain_id = Some(ZK_CHAIN_ID);
        tx.nonce = nonce;
        tx.gas_limit = 500_000;
        tx.max_fee_per_gas = u128::from(GAS_PRICE);
        tx.to = to;
        tx.data = Bytes::copy_from_slice(data);
        crate::tx::test_signing::sign_with(&SECRET_KEY, &mut tx);
        Bytes::from(encode(&tx).unwrap())
    }

    fn deposit() -> Bytes {
        let mut tx = Transaction::empty(L1_PRIORITY_TX_TYPE);
        tx.to = Some(DEPOSIT_RECIPIENT);
        tx.gas_limit = 300_000;
        tx.max_fee_per_gas = u128::from(GAS_PRICE);
        tx.value = U256::from(5_000u32);
        tx.l1 = Some(L1Fields {
            from: DEPOSITOR,
            mint: U256::from(5_000u32 + 300_000 * 1_000),
            refund_recipient: DEPOSITOR,
            gas_per_pubdata_limit: 800,
            factory_deps: Vec::new(),
        });
        Bytes::from(encode(&tx).unwrap())
    }

    /// `sendToL1("hello zkos")` calldata: selector, offset 32, length 10, padded message.
    fn send_to_l1() -> Vec<u8> {
        let message = b"hello zkos";
        let mut data = hex!("62f84b24").to_vec();
        data.extend_from_slice(&U256::from(32u64).to_be_bytes::<32>());
        data.extend_from_slice(&U256::from(message.len()).to_be_bytes::<32>());
        data.extend_from_slice(message);
        data.resize(4 + 64 + 32, 0);
        data
    }

    fn zk_genesis() -> WorldState {
        let mut world = WorldState::new();
        let code = |bytes: &[u8]| AccountState {
            nonce: 1,
            balance: U256::ZERO,
            code: Bytes::copy_from_slice(bytes),
            code_hash: None,
        };
        world
            .set_account(L1_MESSENGER_ADDRESS, code(&L1_MESSENGER_CODE), &[])
            .unwrap();
        world
            .set_account(MESSAGE_SENDER, code(&MESSAGE_SENDER_CODE), &[])
            .unwrap();
        world
            .set_account(
                SENDER,
                AccountState {
                    nonce: 0,
                    balance: U256::from(10u64).pow(U256::from(18u8)),
                    code: Bytes::new(),
                    code_hash: None,
                },
                &[],
            )
            .unwrap();
        world
    }

    fn zk_context() -> BlockContext {
        BlockContext {
            number: 7,
            timestamp: 1_700_000_000,
            coinbase: COINBASE,
            gas_limit: 30_000_000,
            base_fee: U256::from(GAS_PRICE),
            native_price: U256::from(10u64),
            pubdata_price: U256::from(1_000u64),
            pubdata_limit: 1_000_000,
            blob_base_fee: U256::from(1u64),
            block_hashes: vec![B256::repeat_byte(1), B256::repeat_byte(2)],
            ..BlockContext::default()
        }
    }

    #[test]
    fn deposit_message_and_deployment_prove_to_the_forward_result() {
        let config = ChainConfig::zk_at(ZK_CHAIN_ID, ProtocolVersion::V1);
        let txs = vec![
            deposit(),
            zk_signed(0, Some(MESSAGE_SENDER), &send_to_l1()),
            zk_signed(1, None, &INITCODE),
        ];
        let mut world = zk_genesis();
        let mut words = Vec::new();
        let block =
            run_block_forward(&mut world, &config, zk_context(), txs, Some(&mut words)).unwrap();
        for result in &block.output.results {
            assert!(result.outcome.as_ref().unwrap().success, "{result:?}");
        }
        let c = &block.commitments;
        // One deposit log and one message log; the message is published in full.
        assert_eq!(block.output.logs.len(), 2);
        assert_eq!(c.batch_output.number_of_l1_txs, 1);
        assert_eq!(c.batch_output.number_of_l2_txs, 2);
        assert_eq!(
            c.batch_output.priority_operations_hash,
            block.output.priority_rolling_hash
        );
        assert_eq!(
            c.batch_output.l2_logs_tree_root,
            crate::state::l2_logs::l2_to_l1_logs_tree_root(&block.output.logs).unwrap()
        );
        assert!(c.pubdata.ends_with(b"hello zkos"));
        assert_eq!(c.state_before.block_number, 6);
        assert_eq!(c.header.parent_hash, B256::repeat_byte(2));

        let proven = prove_block(&config, Replay::new(&words).unwrap()).unwrap();
        assert_eq!(proven, block);

        let decoded = decode_block_pubdata(&c.pubdata, &FromWorld(&zk_genesis())).unwrap();
        assert_eq!(decoded.l2_to_l1_logs, block.output.logs);
        assert_eq!(decoded.messages, vec![Bytes::from_static(b"hello zkos")]);
        let writes: Vec<(B256, B256)> = decoded
            .slots
            .iter()
            .map(|slot| match slot {
                DecodedSlot::Value(key, value) => (*key, *value),
                DecodedSlot::Account(key, record) => (*key, account_slot_value(record)),
            })
            .collect();
        let mut tree = zk_genesis().tree().clone();
        assert_eq!(tree.apply_writes(&writes), Ok(world.commitment()));

        // The fee inputs decide the fees here: a tampered one proves to no other public input.
        assert_fee_inputs_committed(&config, &words, &block);

        // A tampered stream never proves: one word in each transaction record.
        let records = records(&words);
        for (_, start, len) in records.iter().filter(|(tag, _, _)| *tag == 2) {
            let mut tampered = words.clone();
            tampered[start + len / 2] ^= 1;
            assert!(prove_block(&config, Replay::new(&tampered).unwrap()).is_err());
        }
    }

    #[test]
    fn senders_recovered_at_arrival_change_nothing_the_block_charges_or_commits() {
        use crate::bootloader::RecoveredSenders;
        let config = ChainConfig::zk_at(ZK_CHAIN_ID, ProtocolVersion::V1);
        let txs = vec![
            deposit(),
            zk_signed(0, Some(MESSAGE_SENDER), &send_to_l1()),
            zk_signed(1, None, &INITCODE),
        ];
        let mut senders = RecoveredSenders::default();
        for tx in &txs {
            senders.admit(tx).unwrap();
        }
        assert_eq!(
            senders.len(),
            2,
            "the signed transactions' senders are kept"
        );

        let mut cold_world = zk_genesis();
        let mut cold_words = Vec::new();
        let cold = run_block_forward(
            &mut cold_world,
            &config,
            zk_context(),
            txs.clone(),
            Some(&mut cold_words),
        )
        .unwrap();
        let mut warm_world = zk_genesis();
        let mut warm_words = Vec::new();
        let warm = run_block_forward_with_senders(
            &mut warm_world,
            &config,
            zk_context(),
            txs.clone(),
            Some(&mut warm_words),
            &senders,
        )
        .unwrap();
        // Gas, native, pubdata per transaction, the commitments and the recorded stream.
        assert_eq!(warm, cold);
        assert_eq!(warm_words, cold_words);
        assert_eq!(warm_world.commitment(), cold_world.commitment());
        let mut unrecorded_world = zk_genesis();
        let unrecorded = run_block_forward_with_senders(
            &mut unrecorded_world,
            &config,
            zk_context(),
            txs,
            None,
            &senders,
        )
        .unwrap();
        assert_eq!(unrecorded, cold);
        // The proof of the stream recovers every sender itself and reaches the same block.
        assert_eq!(
            prove_block(&config, Replay::new(&warm_words).unwrap()).unwrap(),
            cold
        );
    }
}

#[test]
fn timestamps_never_decrease() {
    let mut world = genesis();
    let mut context = context();
    context.timestamp = 899;
    let before = world.commitment();
    assert_eq!(
        run_block_forward(&mut world, &config(), context, transactions(), None),
        Err(ProvingError::TimestampDecreasing {
            previous: 900,
            current: 899
        })
    );
    assert_eq!(world.commitment(), before);
}

/// A type-3 transfer of `SENDER` to `RECIPIENT` on chain `chain_id` carrying `blobs` blobs.
fn blob_transfer(chain_id: u64, nonce: u64, blobs: u8) -> Bytes {
    let mut tx = Transaction::empty(crate::tx::EIP4844_TX_TYPE);
    tx.chain_id = Some(chain_id);
    tx.nonce = nonce;
    tx.gas_limit = 21_000;
    tx.max_fee_per_gas = 2_000_000_000;
    tx.max_priority_fee_per_gas = 1;
    tx.to = Some(RECIPIENT);
    tx.max_fee_per_blob_gas = 10;
    tx.blob_versioned_hashes = (0..blobs)
        .map(|i| {
            let mut hash = B256::repeat_byte(i);
            hash.0[0] = 0x01;
            hash
        })
        .collect();
    crate::tx::test_signing::sign_with(&SECRET_KEY, &mut tx);
    Bytes::from(encode(&tx).unwrap())
}

#[test]
fn the_block_blob_limit_follows_the_chain_and_the_timestamp() {
    // Mainnet's BPO2 (EIP-8135, from 1,767,747,671) holds 21 blobs a block, Osaka's own 9: three
    // transactions of six blobs all fit after it and only the first before BPO1, forward and in
    // the proving run of the recorded stream alike (before, proving runs took Osaka's 9 at any
    // timestamp). A chain zkos does not know keeps the hardfork's schedule.
    use crate::resources::gas::GAS_PER_BLOB;
    let cases = [
        (CHAIN_ID, 1_767_747_671 + 12, 3),
        (CHAIN_ID, 1_765_290_071 - 12, 1),
        (31_337, 1_767_747_671 + 12, 1),
    ];
    for (chain_id, timestamp, included) in cases {
        let config = ChainConfig::ethereum(chain_id, Hardfork::Osaka);
        let mut context = context();
        context.timestamp = timestamp;
        let raw = (0..3)
            .map(|nonce| blob_transfer(chain_id, nonce, 6))
            .collect();
        let mut world = genesis();
        let mut words = Vec::new();
        let block = run_block_forward(&mut world, &config, context, raw, Some(&mut words)).unwrap();
        let ok = block
            .output
            .results
            .iter()
            .filter(|r| r.outcome.is_ok())
            .count();
        assert_eq!(ok, included, "chain {chain_id} at {timestamp}");
        assert_eq!(
            block.output.blob_gas_used,
            6 * included as u64 * GAS_PER_BLOB
        );
        assert_eq!(
            prove_block(&config, Replay::new(&words).unwrap()).unwrap(),
            block
        );
    }
}
