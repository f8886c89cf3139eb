use super::*;
use crate::primitives::hex;
use crate::primitives::test_rng::TestRng;
use crate::primitives::Address;
use crate::state::flat_key::{account_properties_flat_key, flat_key};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec;

fn word(value: u128) -> B256 {
    B256::from(U256::from(value))
}

fn compressed(initial: B256, final_: B256) -> Vec<u8> {
    let mut out = Vec::new();
    compress_value(&initial, &final_, &mut out);
    assert_eq!(out.len(), compressed_value_len(&initial, &final_));
    assert_eq!(
        out[0] & ACCOUNT_DIFF_MARKER,
        0,
        "metadata never has the marker bit"
    );
    assert_eq!(decompress_value(&initial, &out), Ok((final_, out.len())));
    out
}

#[test]
fn value_compression_picks_the_shortest_with_documented_ties() {
    // 0 -> 1: add 1 (len 1) ties transform 1 (len 1); add has the smaller op id.
    // metadata (1 << 3) | 1 = 0x09.
    assert_eq!(compressed(word(0), word(1)), hex!("09 01"));
    // 5 -> 3: add would need 32 bytes; sub 2 (0x0a = 1<<3|2) ties transform 3 (0x0b); sub wins.
    assert_eq!(compressed(word(5), word(3)), hex!("0a 02"));
    // 0x0100 -> 0x0200: add 0x0100 (len 2) ties transform 0x0200; add: (2<<3)|1 = 0x11.
    assert_eq!(compressed(word(0x100), word(0x200)), hex!("11 0100"));
    // 0x0200 -> 0x01ff: sub 1 (len 1) beats transform (len 2): 0x0a 01.
    assert_eq!(compressed(word(0x200), word(0x1ff)), hex!("0a 01"));
    // big -> 0xff: add and sub need 32 bytes; transform len 1: (1<<3)|3 = 0x0b.
    let big = B256::repeat_byte(0x12);
    assert_eq!(compressed(big, word(0xff)), hex!("0b ff"));
    // big -> 0: transform with length 0 is the single metadata byte 0x03.
    assert_eq!(compressed(big, word(0)), hex!("03"));
    // Unchanged: add 0 with length 0 (0x01).
    assert_eq!(compressed(big, big), hex!("01"));
    // 0 -> 0x12…12: every option needs 32 bytes; written in full (0x00 then 32 bytes).
    let mut full = vec![0u8];
    full.extend_from_slice(&[0x12; 32]);
    assert_eq!(compressed(word(0), big), full);
    assert_eq!(compressed_value_len(&word(0), &big), 33);
    // 2^248 (32-byte word 01 00…00): transform needs 32 bytes, add 31+1... 2^248 has 249 bits
    // = 32 bytes, so from 0 it is written in full; from 2^248 - 1 it is add 1.
    let two_248 = B256::from(U256::from(1u8) << 248);
    let below = B256::from((U256::from(1u8) << 248) - U256::from(1u8));
    assert_eq!(compressed_value_len(&word(0), &two_248), 33);
    assert_eq!(compressed(below, two_248), hex!("09 01"));
    // 2^248 - 1 has 31 bytes: transform (31<<3)|3 = 0xfb.
    let mut thirty_one = vec![0xfb];
    thirty_one.extend_from_slice(&[0xff; 31]);
    assert_eq!(compressed(big, below), thirty_one);
    // Wrapping: max -> 1 is add 2 (mod 2^256).
    assert_eq!(compressed(B256::repeat_byte(0xff), word(1)), hex!("09 02"));
}

#[test]
fn value_compression_round_trips_pseudo_random_pairs() {
    let mut rng = TestRng::new(0x2545_f491_4f6c_dd1d);
    let mut next = || rng.next();
    for _ in 0..500 {
        let a = U256::from(next()) << (next() % 256);
        let delta = U256::from(next() >> (next() % 64));
        let b = if next() % 2 == 0 {
            a.wrapping_add(delta)
        } else {
            a.wrapping_sub(delta)
        };
        let out = compressed(B256::from(a), B256::from(b));
        assert!(out.len() <= 33);
    }
}

#[test]
fn value_decoding_rejects_malformed_input() {
    // op 4 is unknown.
    assert_eq!(
        decompress_value(&B256::ZERO, &[0x0c, 0x01]),
        Err(PubdataError::BadMetadata(0x0c))
    );
    // A full value must have length field 0.
    assert_eq!(
        decompress_value(&B256::ZERO, &[0x08; 33]),
        Err(PubdataError::BadMetadata(0x08))
    );
    assert_eq!(
        decompress_value(&B256::ZERO, &[0x11, 0x01]),
        Err(PubdataError::UnexpectedEnd)
    );
    assert_eq!(
        decompress_value(&B256::ZERO, &[0x00; 32]),
        Err(PubdataError::UnexpectedEnd)
    );
    assert_eq!(
        decompress_value(&B256::ZERO, &[]),
        Err(PubdataError::UnexpectedEnd)
    );
}

fn no_preimages(_: &B256) -> Option<Vec<u8>> {
    None
}

#[test]
fn nonce_balance_account_diff() {
    let initial = AccountProperties {
        nonce: 1,
        balance: U256::from(1000u32),
        ..Default::default()
    };
    let final_ = AccountProperties {
        nonce: 2,
        balance: U256::from(900u32),
        ..initial
    };
    // flags marker|nonce|balance = 0x04|0x02|0x08 = 0x0e; nonce 1 -> 2 = add 1 (09 01); balance 1000 -> 900 = sub 100
    // (0a 64) since transform 900 = 0x0384 needs two bytes.
    let mut out = Vec::new();
    encode_account_diff(&initial, &final_, None, &mut out).unwrap();
    assert_eq!(out, hex!("0e 0901 0a64"));
    assert_eq!(account_diff_len(&initial, &final_, None), 5);
    assert_eq!(
        decode_account_diff(&initial, &out, &no_preimages),
        Ok((final_, 5))
    );

    // Balance only: flags marker|balance = 0x0c, then 1000 -> 1001 = add 1.
    let richer = AccountProperties {
        balance: U256::from(1001u32),
        ..initial
    };
    out.clear();
    encode_account_diff(&initial, &richer, None, &mut out).unwrap();
    assert_eq!(out, hex!("0c 0901"));
    assert_eq!(account_diff_len(&initial, &richer, None), 3);
    assert_eq!(
        decode_account_diff(&initial, &out, &no_preimages),
        Ok((richer, 3))
    );
}

#[test]
fn full_account_diff_with_published_code() {
    let initial = AccountProperties::default();
    let mut final_ = AccountProperties {
        nonce: 1,
        ..Default::default()
    };
    let code = hex!("5b00");
    final_.deploy_evm_code(&code).unwrap();
    let mut out = Vec::new();
    encode_account_diff(&initial, &final_, Some(&code), &mut out).unwrap();
    // flags marker|full|code = 0x04|0x01|0x10 = 0x15; versioning 0x0101_0100_0000_0000 (deployed, EVM, artifacts in
    // preimage); nonce 0 -> 1 = 09 01; balance 0 -> 0 = add 0 (01); code length 2, code 5b00;
    // artifacts_len 1 (one bitmap byte); observable length 2.
    let expected = hex!("15 0101010000000000 0901 01 00000002 5b00 00000001 00000002");
    assert_eq!(out, expected);
    assert_eq!(account_diff_len(&initial, &final_, Some(2)), expected.len());
    assert_eq!(
        decode_account_diff(&initial, &out, &no_preimages),
        Ok((final_, expected.len()))
    );
}

#[test]
fn full_account_diff_with_hash_only() {
    let initial = AccountProperties {
        nonce: 7,
        ..Default::default()
    };
    let mut final_ = initial;
    let code = hex!("6001600055");
    let preimage = final_.deploy_evm_code(&code).unwrap();
    let mut out = Vec::new();
    encode_account_diff(&initial, &final_, None, &mut out).unwrap();
    // flags marker|full = 0x05; versioning; nonce 7 -> 7 = 01; balance = 01; 32-byte hash; 0x01; 0x05.
    let mut expected = hex!("05 0101010000000000 01 01").to_vec();
    expected.extend_from_slice(final_.bytecode_hash.as_slice());
    expected.extend_from_slice(&hex!("00000001 00000005"));
    assert_eq!(out, expected);
    assert_eq!(account_diff_len(&initial, &final_, None), expected.len());
    let hash = final_.bytecode_hash;
    let lookup = move |h: &B256| (*h == hash).then(|| preimage.clone());
    assert_eq!(
        decode_account_diff(&initial, &out, &lookup),
        Ok((final_, expected.len()))
    );
    assert_eq!(
        decode_account_diff(&initial, &out, &no_preimages),
        Err(PubdataError::UnknownBytecode(hash))
    );
    // Unknown flag bits are rejected in both forms, and so is a missing marker.
    assert_eq!(
        decode_account_diff(&initial, &[0x24], &no_preimages),
        Err(PubdataError::BadAccountFlags(0x24))
    );
    assert_eq!(
        decode_account_diff(&initial, &[0x1c], &no_preimages),
        Err(PubdataError::BadAccountFlags(0x1c))
    );
    assert_eq!(
        decode_account_diff(&initial, &[0x0d], &no_preimages),
        Err(PubdataError::BadAccountFlags(0x0d))
    );
    assert_eq!(
        decode_account_diff(&initial, &[0x02], &no_preimages),
        Err(PubdataError::BadAccountFlags(0x02))
    );
}

struct Context {
    values: BTreeMap<B256, B256>,
    accounts: BTreeMap<B256, AccountProperties>,
}

impl PubdataContext for Context {
    fn initial_value(&self, key: &B256) -> B256 {
        self.values.get(key).copied().unwrap_or_default()
    }
    fn initial_account(&self, key: &B256) -> AccountProperties {
        self.accounts.get(key).copied().unwrap_or_default()
    }
    fn preimage(&self, _: &B256) -> Option<Vec<u8>> {
        None
    }
}

#[test]
fn block_pubdata_layout_and_round_trip() {
    let who = Address::repeat_byte(0x11);
    let slot_key = flat_key(who, word(1));
    let account_key = account_properties_flat_key(who);
    let initial_account = AccountProperties {
        nonce: 1,
        balance: U256::from(1000u32),
        ..Default::default()
    };
    let final_account = AccountProperties {
        nonce: 2,
        balance: U256::from(900u32),
        ..initial_account
    };
    let log = L2ToL1Log {
        is_service: true,
        tx_number: 0,
        sender: crate::system::L1_MESSENGER_ADDRESS,
        key: who.into_word(),
        value: crate::primitives::keccak256(b"hi"),
    };
    let input = BlockPubdataInput {
        block_hash: B256::repeat_byte(0xbb),
        timestamp: 0x0102_0304,
        state_diffs: vec![
            StateDiff {
                derived_key: slot_key,
                owner: Address::ZERO,
                key: B256::ZERO,
                change: SlotChange::Value {
                    initial: word(0),
                    final_: word(1),
                },
            },
            StateDiff {
                derived_key: account_key,
                owner: Address::ZERO,
                key: B256::ZERO,
                change: SlotChange::Account(Box::new(AccountChange {
                    initial: initial_account,
                    final_: final_account,
                    published_code: None,
                })),
            },
        ],
        l2_to_l1_logs: vec![log.clone()],
        messages: vec![Bytes::from_static(b"hi")],
    };
    let bytes = encode_block_pubdata(&input).unwrap();

    let mut expected = vec![0x01];
    expected.extend_from_slice(&[0xbb; 32]);
    expected.extend_from_slice(&hex!("0000000001020304 00000002"));
    // Sorted by derived key: 0x36ee… (account) before 0x5146… (slot); see flat_key's tests.
    assert!(account_key < slot_key);
    expected.extend_from_slice(account_key.as_slice());
    expected.extend_from_slice(&hex!("0e 0901 0a64"));
    expected.extend_from_slice(slot_key.as_slice());
    expected.extend_from_slice(&hex!("09 01"));
    expected.extend_from_slice(&hex!("00000001"));
    expected.extend_from_slice(&log.encode());
    expected.extend_from_slice(&hex!("00000001 00000002 6869"));
    assert_eq!(bytes, expected);

    let context = Context {
        values: BTreeMap::new(),
        accounts: BTreeMap::from([(account_key, initial_account)]),
    };
    let decoded = decode_block_pubdata(&bytes, &context).unwrap();
    assert_eq!(decoded.block_hash, input.block_hash);
    assert_eq!(decoded.timestamp, 0x0102_0304);
    assert_eq!(
        decoded.slots,
        vec![
            DecodedSlot::Account(account_key, final_account),
            DecodedSlot::Value(slot_key, word(1)),
        ]
    );
    assert_eq!(decoded.l2_to_l1_logs, vec![log]);
    assert_eq!(decoded.messages, input.messages);

    // Every truncation fails with a typed error; a trailing byte too.
    for len in 0..bytes.len() {
        assert!(decode_block_pubdata(&bytes[..len], &context).is_err());
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        decode_block_pubdata(&longer, &context),
        Err(PubdataError::TrailingBytes(1))
    );
    let mut wrong_version = bytes;
    wrong_version[0] = 2;
    assert_eq!(
        decode_block_pubdata(&wrong_version, &context),
        Err(PubdataError::UnknownVersion(2))
    );
}
