//! Building transactions by hand (as a client does), signing them, and reading them back.

use super::super::*;
use crate::primitives::{address, Address, Bytes, B256, U256};
use alloc::vec::Vec;

/// Secret key of the ethereum/tests sender 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b.
const SECRET_KEY: [u8; 32] =
    crate::primitives::hex!("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
const SENDER: Address = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");

fn sign(tx: &mut Transaction) {
    crate::tx::test_signing::sign_with(&SECRET_KEY, tx);
}

fn build(tx_type: u8) -> Transaction {
    let mut tx = Transaction::empty(tx_type);
    tx.chain_id = Some(324);
    tx.nonce = 7;
    tx.gas_limit = 1_000_000;
    tx.max_fee_per_gas = 3_000_000_000;
    tx.max_priority_fee_per_gas = if matches!(tx_type, LEGACY_TX_TYPE | EIP2930_TX_TYPE) {
        tx.max_fee_per_gas
    } else {
        1
    };
    tx.to = Some(Address::repeat_byte(0x44));
    tx.value = U256::from(12_345u32);
    tx.data = Bytes::from_static(&[0xde, 0xad, 0x00, 0xbe, 0xef]);
    if tx_type != LEGACY_TX_TYPE {
        tx.access_list = [AccessListItem {
            address: Address::repeat_byte(0x55),
            storage_keys: [B256::ZERO, B256::repeat_byte(0xff)].to_vec(),
        }]
        .to_vec();
    }
    if tx_type == EIP4844_TX_TYPE {
        tx.max_fee_per_blob_gas = 9;
        tx.blob_versioned_hashes = [B256::repeat_byte(1)].to_vec();
    }
    if tx_type == EIP7702_TX_TYPE {
        tx.authorization_list = [Authorization {
            chain_id: U256::from(324u32),
            address: Address::repeat_byte(0x66),
            nonce: 8,
            y_parity: 1,
            r: U256::from(1u8),
            s: U256::from(2u8),
        }]
        .to_vec();
    }
    tx
}

#[test]
fn built_transactions_round_trip_and_recover_their_signer() {
    let mut built: Vec<Transaction> = [
        LEGACY_TX_TYPE,
        EIP2930_TX_TYPE,
        EIP1559_TX_TYPE,
        EIP4844_TX_TYPE,
        EIP7702_TX_TYPE,
    ]
    .iter()
    .map(|&ty| build(ty))
    .collect();
    let mut pre_eip155 = build(LEGACY_TX_TYPE);
    pre_eip155.chain_id = None;
    built.push(pre_eip155);
    let mut create = build(EIP1559_TX_TYPE);
    create.to = None;
    built.push(create);
    for mut tx in built {
        sign(&mut tx);
        let raw = encode(&tx).expect("encodes");
        assert_eq!(decode(&raw).as_ref(), Ok(&tx));
        assert_eq!(recover_sender(&tx), Ok(SENDER), "type {}", tx.tx_type);
        // A signature over one type does not verify as another's: the type is hashed in.
        if tx.tx_type == EIP1559_TX_TYPE && tx.to.is_some() {
            let mut retyped = tx.clone();
            retyped.tx_type = EIP4844_TX_TYPE;
            assert_ne!(recover_sender(&retyped), Ok(SENDER));
        }
    }
}

#[test]
fn built_l1_transaction_round_trips() {
    let mut tx = Transaction::empty(L1_PRIORITY_TX_TYPE);
    tx.to = Some(Address::repeat_byte(0x77));
    tx.gas_limit = 72_000;
    tx.max_fee_per_gas = 1;
    tx.nonce = u64::MAX;
    tx.value = U256::MAX;
    tx.data = Bytes::from_static(&[0x01; 64]);
    tx.l1 = Some(L1Fields {
        from: Address::repeat_byte(0x88),
        mint: U256::MAX,
        refund_recipient: Address::repeat_byte(0x99),
        gas_per_pubdata_limit: u32::MAX,
        factory_deps: Vec::new(),
    });
    let raw = encode(&tx).expect("encodes");
    // 1 type byte + 19 head words + data (length word + 2 words) + 4 empty dynamic fields.
    assert_eq!(raw.len(), 1 + 32 * (19 + 3 + 4));
    assert_eq!(decode(&raw), Ok(tx));
}

/// A simulation's legacy transaction is measured for hashing as the longer of its legacy and
/// EIP-2930 envelopes, each signed or not: a request names no type and the wallet may sign
/// either (a signed type-1 transaction with an empty access list of 32 calldata bytes is 137
/// bytes, its legacy form 134: one keccak block apart).
#[test]
fn unsigned_legacy_hashes_as_its_longest_envelope() {
    for len in [0usize, 32, 64, 100] {
        let mut legacy = build(LEGACY_TX_TYPE);
        legacy.data = Bytes::from(alloc::vec![0x11u8; len]);
        let mut typed = legacy.clone();
        typed.tx_type = EIP2930_TX_TYPE;
        let measured = legacy.hashed_encoding_lengths();
        for mut signed in [legacy.clone(), typed.clone()] {
            sign(&mut signed);
            let (real_signed, real_unsigned) = signed.hashed_encoding_lengths();
            assert!(
                measured.0 >= real_signed,
                "{len}: {measured:?} {real_signed}"
            );
            assert!(
                measured.1 >= real_unsigned,
                "{len}: {measured:?} {real_unsigned}"
            );
        }
        // An EIP-1559 simulation has one envelope: measured as signed with long `r`, `s`.
        let mut fee_market = build(EIP1559_TX_TYPE);
        let unsigned = fee_market.hashed_encoding_lengths();
        sign(&mut fee_market);
        assert!(unsigned.0 >= fee_market.hashed_encoding_lengths().0);
    }
}

/// The signing hash read from an envelope is the one encoding the transaction gives, for every
/// type and shape: calldata of every length up to 70 bytes (the list headers of the signed and
/// the unsigned encoding go long at different lengths), a single calldata byte under and over
/// 0x80, a creation, chain ids of every width (EIP-155's `v` with them) and signatures whose
/// `r` and `s` take 1 to 32 bytes; the senders recovered with it are the same.
#[test]
fn signing_hash_read_from_the_envelope_is_the_encoded_ones() {
    let mut shapes = Vec::new();
    for tx_type in [
        LEGACY_TX_TYPE,
        EIP2930_TX_TYPE,
        EIP1559_TX_TYPE,
        EIP4844_TX_TYPE,
        EIP7702_TX_TYPE,
    ] {
        for len in 0..=70u8 {
            let mut tx = build(tx_type);
            tx.data = Bytes::from((0..len).map(|i| i.wrapping_mul(37)).collect::<Vec<u8>>());
            shapes.push(tx);
        }
        for data in [&[0x05u8][..], &[0x80], &[0xff, 0x00]] {
            let mut tx = build(tx_type);
            tx.data = Bytes::copy_from_slice(data);
            shapes.push(tx);
        }
        for chain_id in [0, 1, 0x7f, 0x80, 324, u64::from(u32::MAX), u64::MAX / 4] {
            let mut tx = build(tx_type);
            tx.chain_id = Some(chain_id);
            shapes.push(tx);
        }
    }
    let mut pre_eip155 = build(LEGACY_TX_TYPE);
    pre_eip155.chain_id = None;
    shapes.push(pre_eip155);
    for tx_type in [LEGACY_TX_TYPE, EIP2930_TX_TYPE, EIP1559_TX_TYPE] {
        let mut create = build(tx_type);
        create.to = None;
        shapes.push(create);
    }
    for (index, mut tx) in shapes.into_iter().enumerate() {
        let width = index % 32 + 1;
        let scalar = U256::from(0x7fu8) << (8 * (width - 1));
        tx.signature = Some(Signature {
            y_parity: index % 2 == 1,
            r: scalar,
            s: scalar + U256::from(1u8),
        });
        let raw = encode(&tx).expect("encodes");
        let expected = tx.signing_hash().expect("hashable");
        let (decoded, payload) = decode_with_signing_payload(&raw).expect("decodes");
        assert_eq!(decoded, tx);
        assert_eq!(
            payload.and_then(|payload| payload.hash()),
            Some(expected),
            "type {} data {} chain {:?}",
            tx.tx_type,
            tx.data.len(),
            tx.chain_id
        );
        if index % 16 == 0 {
            sign(&mut tx);
            let raw = encode(&tx).expect("encodes");
            let (decoded, payload) = decode_with_signing_payload(&raw).expect("decodes");
            let signing_hash = payload.and_then(|payload| payload.hash());
            assert_eq!(recover_sender_hashed(&decoded, signing_hash), Ok(SENDER));
            assert_eq!(
                recover_senders(&[(&decoded, signing_hash), (&decoded, None)]),
                [Ok(SENDER), Ok(SENDER)]
            );
        }
    }
}

/// An L1 transaction has no signing hash to read (its sender is `l1.from`), and bytes that do
/// not decode fail as [`decode`] fails.
#[test]
fn no_signing_hash_for_l1_or_undecodable_bytes() {
    let mut tx = Transaction::empty(L1_PRIORITY_TX_TYPE);
    tx.to = Some(Address::repeat_byte(0x77));
    tx.l1 = Some(L1Fields {
        from: Address::repeat_byte(0x88),
        mint: U256::ZERO,
        refund_recipient: Address::repeat_byte(0x99),
        gas_per_pubdata_limit: 800,
        factory_deps: Vec::new(),
    });
    let raw = encode(&tx).expect("encodes");
    assert_eq!(decode_with_signing_payload(&raw), Ok((tx, None)));
    let mut signed = build(EIP1559_TX_TYPE);
    sign(&mut signed);
    let raw = encode(&signed).expect("encodes");
    for cut in [&raw[..raw.len() - 1], &raw[..1], &[][..]] {
        assert_eq!(
            decode_with_signing_payload(cut).map(|(tx, _)| tx),
            decode(cut)
        );
        assert!(decode(cut).is_err());
    }
}
