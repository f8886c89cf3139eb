//! The sender cache decodes exactly as `decode_envelope` does, and only the same bytes take a
//! kept sender.

use super::*;
use crate::bootloader::{decode_envelope, InvalidTransaction};
use crate::primitives::{keccak256, Bytes, U256};
use crate::tx::test_signing::sign_with;
use crate::tx::{
    encode, L1Fields, SignatureError, Transaction, EIP1559_TX_TYPE, L1_PRIORITY_TX_TYPE,
    SECP256K1_N,
};
use alloc::vec::Vec;

const CHAIN_ID: u64 = 270;

fn unsigned(nonce: u64) -> Transaction {
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(CHAIN_ID);
    tx.nonce = nonce;
    tx.gas_limit = 21_000;
    tx.max_fee_per_gas = 1_000;
    tx.to = Some(Address::repeat_byte(0xbe));
    tx.value = U256::from(1u8);
    tx
}

/// `tx` signed by the key whose secret is 32 × `seed`.
fn signed_by(seed: u8, mut tx: Transaction) -> Transaction {
    sign_with(&[seed; 32], &mut tx);
    tx
}

fn bytes(tx: &Transaction) -> Bytes {
    Bytes::from(encode(tx).expect("encodes"))
}

fn deposit() -> Bytes {
    let mut tx = Transaction::empty(L1_PRIORITY_TX_TYPE);
    tx.to = Some(Address::repeat_byte(0xbe));
    tx.gas_limit = 300_000;
    tx.max_fee_per_gas = 1_000;
    tx.l1 = Some(L1Fields {
        from: Address::repeat_byte(0xd0),
        mint: U256::from(300_000_000u64),
        refund_recipient: Address::repeat_byte(0xd0),
        gas_per_pubdata_limit: 800,
        factory_deps: Vec::new(),
    });
    bytes(&tx)
}

#[test]
fn admitted_envelopes_decode_as_decode_envelope_does() {
    let envelopes = [
        bytes(&signed_by(1, unsigned(0))),
        bytes(&signed_by(2, unsigned(7))),
        deposit(),
        Bytes::from_static(&[0x02, 0xc0]),
    ];
    let mut senders = RecoveredSenders::default();
    for envelope in &envelopes {
        assert_eq!(senders.admit(envelope), decode_envelope(envelope));
    }
    // The two signed ones are kept; the deposit's sender is in its fields, the last does not
    // decode.
    assert_eq!(senders.len(), 2);
    for envelope in &envelopes {
        assert_eq!(senders.decode(envelope), decode_envelope(envelope));
    }
}

#[test]
fn a_kept_sender_is_taken_for_the_same_bytes() {
    let envelope = bytes(&signed_by(1, unsigned(0)));
    let mut senders = RecoveredSenders::default();
    let admitted = senders.admit(&envelope).expect("recovers");
    assert_eq!(
        senders.senders.get(&keccak256(&envelope)),
        Some(&admitted.sender)
    );
    // What is kept is what decoding takes: a (test-only) forged entry for these bytes shows it.
    let forged = Address::repeat_byte(0xee);
    senders.senders.insert(keccak256(&envelope), forged);
    assert_eq!(senders.decode(&envelope).map(|d| d.sender), Ok(forged));
}

#[test]
fn an_entry_for_other_bytes_is_not_taken() {
    let tx = unsigned(0);
    let first = bytes(&signed_by(1, tx.clone()));
    let mut senders = RecoveredSenders::default();
    senders.admit(&first).expect("recovers");
    // A forged sender under the first envelope's hash is never used for other bytes: the same
    // transaction signed by another key recovers that key's address.
    senders
        .senders
        .insert(keccak256(&first), Address::repeat_byte(0xee));
    let other = bytes(&signed_by(2, tx.clone()));
    assert_eq!(senders.decode(&other), decode_envelope(&other));
    assert_ne!(
        senders.decode(&other).map(|d| d.sender),
        Ok(Address::repeat_byte(0xee))
    );
    // The first envelope's high-s twin (s -> n - s, parity flipped: the same public key
    // before EIP-2) is still rejected.
    let mut twin = signed_by(1, tx);
    let signature = twin.signature.as_mut().expect("signed");
    signature.s = SECP256K1_N - signature.s;
    signature.y_parity = !signature.y_parity;
    let twin = bytes(&twin);
    assert_eq!(
        senders.decode(&twin).map_err(|r| r.reason),
        Err(InvalidTransaction::InvalidSignature(SignatureError::HighS))
    );
}

#[test]
fn a_rejected_envelope_is_not_kept() {
    let mut tx = signed_by(1, unsigned(0));
    tx.signature.as_mut().expect("signed").r = U256::ZERO;
    let envelope = bytes(&tx);
    let mut senders = RecoveredSenders::default();
    assert_eq!(senders.admit(&envelope), decode_envelope(&envelope));
    assert!(senders.admit(&envelope).is_err());
    assert!(senders.is_empty());
}

#[test]
fn a_full_cache_starts_over() {
    let envelopes: Vec<Bytes> = (0..3)
        .map(|nonce| bytes(&signed_by(1, unsigned(nonce))))
        .collect();
    let mut senders = RecoveredSenders::with_capacity(2);
    senders.admit(&envelopes[0]).expect("recovers");
    senders.admit(&envelopes[1]).expect("recovers");
    // Admitting the same bytes again keeps one entry.
    senders.admit(&envelopes[1]).expect("recovers");
    assert_eq!(senders.len(), 2);
    senders.admit(&envelopes[2]).expect("recovers");
    assert_eq!(senders.len(), 1);
    assert!(senders.senders.contains_key(&keccak256(&envelopes[2])));
    // A forgotten sender is recovered again.
    assert_eq!(
        senders.decode(&envelopes[0]),
        decode_envelope(&envelopes[0])
    );
}

#[test]
fn a_block_decoded_together_is_each_envelope_decoded_alone() {
    // Signed envelopes, kept and not, among every kind of rejection: a zero r, a high s, an x
    // off the curve (no key recovers), bytes that do not decode, and a deposit.
    let mut zero_r = signed_by(3, unsigned(1));
    zero_r.signature.as_mut().expect("signed").r = U256::ZERO;
    let mut high_s = signed_by(3, unsigned(2));
    let signature = high_s.signature.as_mut().expect("signed");
    signature.s = SECP256K1_N - signature.s;
    let mut off_curve = signed_by(3, unsigned(3));
    off_curve.signature.as_mut().expect("signed").r = U256::from(5u8);
    let mut envelopes = alloc::vec![
        bytes(&signed_by(1, unsigned(0))),
        bytes(&zero_r),
        deposit(),
        bytes(&high_s),
        bytes(&off_curve),
        Bytes::from_static(&[0x02, 0xc0]),
    ];
    envelopes.extend((0..8).map(|nonce| bytes(&signed_by(nonce as u8 + 4, unsigned(nonce)))));
    let expected: Vec<_> = envelopes.iter().map(|e| decode_envelope(e)).collect();
    assert_eq!(
        expected.iter().filter(|decoded| decoded.is_err()).count(),
        4,
        "the rejections are rejected alone"
    );
    let mut senders = RecoveredSenders::default();
    let all = |senders: &RecoveredSenders| senders.decode_all(envelopes.iter().map(|e| e.as_ref()));
    assert_eq!(all(&senders), expected);
    // With some senders kept, the rest recovered together.
    senders.admit(&envelopes[0]).expect("recovers");
    senders.admit(&envelopes[9]).expect("recovers");
    assert_eq!(all(&senders), expected);
    assert!(senders.decode_all([]).is_empty());
}
