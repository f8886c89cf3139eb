//! Every error variant, reached by a crafted input.

use super::super::rlp::{write_bytes, write_list, write_u64};
use super::super::*;
use super::vectors::{decode_round_trip, eip7702_vector, l1_vector_envelope};
use crate::crypto::secp256k1::recover_address;
use crate::primitives::{hex, Address, B256, U256};
use alloc::vec::Vec;

/// Items of the EIP-155 example transaction, each already RLP-encoded.
fn eip155_items() -> Vec<Vec<u8>> {
    [
        &hex!("09")[..],
        &hex!("8504a817c800"),
        &hex!("825208"),
        &hex!("943535353535353535353535353535353535353535"),
        &hex!("880de0b6b3a7640000"),
        &hex!("80"),
        &hex!("25"),
        &hex!("a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"),
        &hex!("a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"),
    ]
    .iter()
    .map(|item| item.to_vec())
    .collect()
}

/// `prefix ‖ rlp_list(items)`.
fn envelope(prefix: &[u8], items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = prefix.to_vec();
    write_list(&mut out, &items.concat());
    out
}

/// The EIP-155 example with item `index` replaced by `item`.
fn legacy_with(index: usize, item: &[u8]) -> Vec<u8> {
    let mut items = eip155_items();
    items[index] = item.to_vec();
    envelope(&[], &items)
}

/// Items of a type-2 transaction with all fields zero except a valid-looking r and s.
fn eip1559_items() -> Vec<Vec<u8>> {
    let mut items: Vec<Vec<u8>> = Vec::new();
    for value in [1u64, 0, 0, 0, 21_000] {
        let mut item = Vec::new();
        write_u64(&mut item, value);
        items.push(item);
    }
    let mut to = Vec::new();
    write_bytes(&mut to, &[0x11; 20]);
    items.push(to);
    items.push(hex!("80").to_vec()); // value
    items.push(hex!("80").to_vec()); // data
    items.push(hex!("c0").to_vec()); // access list
    items.push(hex!("80").to_vec()); // y parity
    items.push(hex!("01").to_vec()); // r
    items.push(hex!("01").to_vec()); // s
    items
}

#[test]
fn crafted_items_match_the_vector() {
    // Guards the helpers: unmodified, they rebuild the EIP-155 example byte for byte.
    let raw = envelope(&[], &eip155_items());
    assert_eq!(decode_round_trip(&raw).chain_id, Some(1));
    let typed = envelope(&[EIP1559_TX_TYPE], &eip1559_items());
    assert_eq!(decode_round_trip(&typed).gas_limit, 21_000);
}

#[test]
fn envelope_errors() {
    assert_eq!(decode(&[]), Err(TxDecodeError::Empty));
    for byte in [0x00, 0x05, 0x7f, 0x80, 0xbf] {
        assert_eq!(
            decode(&[byte, 0xc0]),
            Err(TxDecodeError::UnsupportedType(byte))
        );
    }
    let raw = envelope(&[], &eip155_items());
    assert_eq!(
        decode(&raw[..raw.len() - 1]),
        Err(TxDecodeError::UnexpectedEnd)
    );
    let mut extended = raw.clone();
    extended.push(0x80);
    assert_eq!(decode(&extended), Err(TxDecodeError::TrailingBytes));
    // A typed payload that is a string, not a list.
    assert_eq!(decode(&hex!("0280")), Err(TxDecodeError::ExpectedList));
}

#[test]
fn non_canonical_rlp_errors() {
    // List header 0xf8 0x05: long form for a 5-byte payload.
    assert_eq!(
        decode(&hex!("02f8058080808080")),
        Err(TxDecodeError::NonCanonicalLength)
    );
    assert_eq!(
        decode(&legacy_with(0, &hex!("8109"))),
        Err(TxDecodeError::NonCanonicalSingleByte)
    );
    assert_eq!(
        decode(&legacy_with(0, &hex!("820009"))),
        Err(TxDecodeError::LeadingZero)
    );
    assert_eq!(
        decode(&legacy_with(0, &hex!("89010000000000000000"))),
        Err(TxDecodeError::IntegerTooWide)
    );
}

#[test]
fn structural_errors() {
    assert_eq!(
        decode(&legacy_with(0, &hex!("c0"))),
        Err(TxDecodeError::ExpectedString)
    );
    let mut short = eip155_items();
    short.pop();
    assert_eq!(
        decode(&envelope(&[], &short)),
        Err(TxDecodeError::WrongFieldCount)
    );
    let mut long = eip155_items();
    long.push(hex!("80").to_vec());
    assert_eq!(
        decode(&envelope(&[], &long)),
        Err(TxDecodeError::WrongFieldCount)
    );
    assert_eq!(
        decode(&legacy_with(
            3,
            &hex!("9335353535353535353535353535353535353535")
        )),
        Err(TxDecodeError::InvalidAddressLength)
    );
    // An access list entry whose storage key is 31 bytes long.
    let mut items = eip1559_items();
    let mut entry = Vec::new();
    write_bytes(&mut entry, &[0x22; 20]);
    let mut keys = Vec::new();
    write_bytes(&mut keys, &[0x33; 31]);
    write_list(&mut entry, &keys);
    let mut access_list = Vec::new();
    write_list(&mut access_list, &entry);
    let mut wrapped = Vec::new();
    write_list(&mut wrapped, &access_list);
    items[8] = wrapped;
    assert_eq!(
        decode(&envelope(&[EIP1559_TX_TYPE], &items)),
        Err(TxDecodeError::InvalidHashLength)
    );
    // An access list entry with an empty address, and one with a third item.
    let mut items = eip1559_items();
    items[8] = hex!("c3c280c0").to_vec();
    assert_eq!(
        decode(&envelope(&[EIP1559_TX_TYPE], &items)),
        Err(TxDecodeError::InvalidAddressLength)
    );
    let mut entry = Vec::new();
    write_bytes(&mut entry, &[0x22; 20]);
    entry.extend_from_slice(&hex!("c080"));
    let mut access_list = Vec::new();
    write_list(&mut access_list, &entry);
    let mut wrapped = Vec::new();
    write_list(&mut wrapped, &access_list);
    items[8] = wrapped;
    assert_eq!(
        decode(&envelope(&[EIP1559_TX_TYPE], &items)),
        Err(TxDecodeError::WrongFieldCount)
    );
}

#[test]
fn signature_field_errors() {
    for v in [0u8, 26, 29, 34] {
        let mut item = Vec::new();
        write_u64(&mut item, u64::from(v));
        assert_eq!(
            decode(&legacy_with(6, &item)),
            Err(TxDecodeError::InvalidV),
            "v = {v}"
        );
    }
    // v = 2^65 + 35: the chain id 2^64 does not fit u64.
    assert_eq!(
        decode(&legacy_with(6, &hex!("89020000000000000023"))),
        Err(TxDecodeError::IntegerTooWide)
    );
    let mut items = eip1559_items();
    items[9] = hex!("02").to_vec();
    assert_eq!(
        decode(&envelope(&[EIP1559_TX_TYPE], &items)),
        Err(TxDecodeError::InvalidYParity)
    );
}

#[test]
fn creation_is_rejected_for_blob_and_set_code_types() {
    let mut items = eip1559_items();
    items[5] = hex!("80").to_vec();
    // Type 2 may create ...
    assert!(decode(&envelope(&[EIP1559_TX_TYPE], &items))
        .expect("create decodes")
        .is_create());
    // ... types 3 and 4 may not (the error comes before their extra fields are read).
    for ty in [EIP4844_TX_TYPE, EIP7702_TX_TYPE] {
        assert_eq!(
            decode(&envelope(&[ty], &items)),
            Err(TxDecodeError::MissingTo)
        );
    }
}

/// The L1 vector envelope with the 32-byte word `index` of the body replaced.
fn l1_with_word(index: usize, word: U256) -> Vec<u8> {
    let mut envelope = l1_vector_envelope();
    let start = 1 + index * 32;
    envelope[start..start + 32].copy_from_slice(&word.to_be_bytes::<32>());
    envelope
}

#[test]
fn abi_errors() {
    let mut mismatched = l1_vector_envelope();
    mismatched[0] = UPGRADE_TX_TYPE;
    assert_eq!(decode(&mismatched), Err(TxDecodeError::AbiTypeMismatch));
    // gas limit 2^64, and an address with a bit above 160 set.
    assert_eq!(
        decode(&l1_with_word(3, U256::from(1u128 << 64))),
        Err(TxDecodeError::IntegerTooWide)
    );
    assert_eq!(
        decode(&l1_with_word(1, U256::from(1u8) << 160)),
        Err(TxDecodeError::IntegerTooWide)
    );
    // Paymaster, reserved[2], reserved[3].
    for index in [7, 12, 13] {
        assert_eq!(
            decode(&l1_with_word(index, U256::from(1u8))),
            Err(TxDecodeError::AbiUnsupportedField),
            "word {index}"
        );
    }
    // Data offset one word too far, and the signature offset pointing back at data.
    assert_eq!(
        decode(&l1_with_word(14, U256::from(20 * 32))),
        Err(TxDecodeError::AbiBadOffset)
    );
    assert_eq!(
        decode(&l1_with_word(15, U256::from(19 * 32))),
        Err(TxDecodeError::AbiBadOffset)
    );
    // Data is 9 bytes at body offset 19*32 + 32; byte 9 of its word is padding.
    let mut dirty = l1_vector_envelope();
    dirty[1 + 20 * 32 + 9] = 1;
    assert_eq!(decode(&dirty), Err(TxDecodeError::AbiBadPadding));
    // Data length claiming more bytes than exist, and one near usize::MAX.
    assert_eq!(
        decode(&l1_with_word(19, U256::from(10_000u32))),
        Err(TxDecodeError::UnexpectedEnd)
    );
    assert_eq!(
        decode(&l1_with_word(19, U256::from(usize::MAX - 3))),
        Err(TxDecodeError::UnexpectedEnd)
    );
    assert_eq!(
        decode(&l1_with_word(19, U256::MAX)),
        Err(TxDecodeError::UnexpectedEnd)
    );
    // A head shorter than 19 words.
    assert_eq!(
        decode(&l1_vector_envelope()[..19 * 32]),
        Err(TxDecodeError::UnexpectedEnd)
    );
    let mut extended = l1_vector_envelope();
    extended.extend_from_slice(&[0; 32]);
    assert_eq!(decode(&extended), Err(TxDecodeError::TrailingBytes));
}

#[test]
fn abi_rejects_non_empty_signature() {
    // Re-layout by hand: a 65-byte signature moves the later offsets by three words.
    let base = l1_vector_envelope();
    let mut body = base[1..].to_vec();
    let signature_at = 21 * 32;
    let shift = U256::from(3 * 32);
    for index in 16..19 {
        let start = index * 32;
        let word = U256::from_be_slice(&body[start..start + 32]) + shift;
        body[start..start + 32].copy_from_slice(&word.to_be_bytes::<32>());
    }
    let mut signature = U256::from(65u8).to_be_bytes::<32>().to_vec();
    signature.extend_from_slice(&[0x1b; 65]);
    signature.resize(4 * 32, 0);
    body.splice(signature_at..signature_at + 32, signature);
    let mut envelope = [L1_PRIORITY_TX_TYPE].to_vec();
    envelope.extend_from_slice(&body);
    assert_eq!(decode(&envelope), Err(TxDecodeError::AbiUnsupportedField));
}

fn signed_legacy() -> Transaction {
    decode(&envelope(&[], &eip155_items())).expect("vector decodes")
}

/// A change to a valid transaction and the encode error it must cause.
type EncodeCase = (fn(&mut Transaction), TxEncodeError);

#[test]
fn encode_errors() {
    let mut tx = signed_legacy();
    tx.tx_type = 0x05;
    assert_eq!(encode(&tx), Err(TxEncodeError::UnsupportedType(0x05)));

    let cases: [EncodeCase; 9] = [
        (
            |tx| tx.max_priority_fee_per_gas = 1,
            TxEncodeError::UnexpectedField(TxField::PriorityFee),
        ),
        (
            |tx| {
                tx.access_list.push(AccessListItem {
                    address: Address::ZERO,
                    storage_keys: Vec::new(),
                })
            },
            TxEncodeError::UnexpectedField(TxField::AccessList),
        ),
        (
            |tx| tx.blob_versioned_hashes.push(B256::ZERO),
            TxEncodeError::UnexpectedField(TxField::Blob),
        ),
        (
            |tx| tx.max_fee_per_blob_gas = 1,
            TxEncodeError::UnexpectedField(TxField::Blob),
        ),
        (
            |tx| tx.authorization_list = eip7702_vector().authorization_list,
            TxEncodeError::UnexpectedField(TxField::AuthorizationList),
        ),
        (
            |tx| tx.l1 = decode(&l1_vector_envelope()).expect("vector decodes").l1,
            TxEncodeError::UnexpectedField(TxField::L1),
        ),
        (
            |tx| tx.signature = None,
            TxEncodeError::MissingField(TxField::Signature),
        ),
        (
            |tx| {
                tx.tx_type = EIP1559_TX_TYPE;
                tx.chain_id = None;
            },
            TxEncodeError::MissingField(TxField::ChainId),
        ),
        (
            |tx| {
                tx.tx_type = EIP7702_TX_TYPE;
                tx.to = None;
            },
            TxEncodeError::MissingField(TxField::To),
        ),
    ];
    for (mutate, expected) in cases {
        let mut tx = signed_legacy();
        mutate(&mut tx);
        assert_eq!(encode(&tx), Err(expected));
        assert_eq!(tx.tx_hash(), Err(expected));
    }
}

#[test]
fn l1_encode_errors() {
    let l1_tx = decode(&l1_vector_envelope()).expect("vector decodes");
    let cases: [EncodeCase; 4] = [
        (|tx| tx.l1 = None, TxEncodeError::MissingField(TxField::L1)),
        (|tx| tx.to = None, TxEncodeError::MissingField(TxField::To)),
        (
            |tx| tx.chain_id = Some(1),
            TxEncodeError::UnexpectedField(TxField::ChainId),
        ),
        (
            |tx| tx.signature = signed_legacy().signature,
            TxEncodeError::UnexpectedField(TxField::Signature),
        ),
    ];
    for (mutate, expected) in cases {
        let mut tx = l1_tx.clone();
        mutate(&mut tx);
        assert_eq!(encode(&tx), Err(expected));
        assert_eq!(tx.tx_hash(), Err(expected));
        assert_eq!(tx.signing_hash(), Err(expected));
    }
}

#[test]
fn signature_errors() {
    let n = SECP256K1_N;
    assert_eq!(SECP256K1_HALF_N * U256::from(2) + U256::from(1), n);
    let with = |r: U256, s: U256| {
        let mut tx = signed_legacy();
        let signature = tx.signature.as_mut().expect("signed");
        signature.r = r;
        signature.s = s;
        recover_sender(&tx)
    };
    let good = signed_legacy().signature.expect("signed");
    assert_eq!(with(U256::ZERO, good.s), Err(SignatureError::InvalidR));
    assert_eq!(with(n, good.s), Err(SignatureError::InvalidR));
    assert_eq!(with(good.r, U256::ZERO), Err(SignatureError::InvalidS));
    assert_eq!(with(good.r, n), Err(SignatureError::InvalidS));
    assert_eq!(
        with(good.r, SECP256K1_HALF_N + U256::from(1)),
        Err(SignatureError::HighS)
    );
    // x = 5 is not on the curve: 5^3 + 7 is a non-residue mod p.
    assert_eq!(
        with(U256::from(5), good.s),
        Err(SignatureError::RecoveryFailed)
    );

    // The malleable twin (n - s, flipped parity) recovers the same key, and is rejected.
    let mut twin = signed_legacy();
    let signature = twin.signature.as_mut().expect("signed");
    signature.s = n - good.s;
    signature.y_parity = !good.y_parity;
    let prehash = twin.signing_hash().expect("hashable");
    assert_eq!(
        recover_address(
            &prehash,
            &B256::from(good.r),
            &B256::from(n - good.s),
            !good.y_parity
        ),
        recover_sender(&signed_legacy()).ok()
    );
    assert_eq!(recover_sender(&twin), Err(SignatureError::HighS));

    let mut unsupported = signed_legacy();
    unsupported.tx_type = 0x05;
    assert_eq!(
        recover_sender(&unsupported),
        Err(SignatureError::Malformed(TxEncodeError::UnsupportedType(
            0x05
        )))
    );
}

#[test]
fn invalid_authorizations_have_no_authority() {
    let valid = eip7702_vector().authorization_list[0].clone();
    assert!(valid.authority().is_some());
    let mut bad_parity = valid.clone();
    bad_parity.y_parity = 2;
    assert_eq!(bad_parity.authority(), None);
    let mut high_s = valid.clone();
    high_s.s = SECP256K1_N - valid.s;
    high_s.y_parity ^= 1;
    assert_eq!(high_s.authority(), None);
    let mut zero_r = valid.clone();
    zero_r.r = U256::ZERO;
    assert_eq!(zero_r.authority(), None);
    // Another nonce signs a different message: a different (or no) authority.
    let mut other_nonce = valid.clone();
    other_nonce.nonce += 1;
    assert_ne!(other_nonce.authority(), valid.authority());
}
