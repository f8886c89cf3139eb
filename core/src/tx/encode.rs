//! Encoding of [`Transaction`] into envelopes, and the hashes derived from encodings.

use super::rlp::{
    list_payload_without_last, write_bytes, write_list, write_list_header, write_u128, write_u256,
    write_u64,
};
use super::{
    abi, decode, AccessListItem, Authorization, Transaction, TxDecodeError, TxEncodeError, TxField,
    EIP1559_TX_TYPE, EIP2930_TX_TYPE, EIP4844_TX_TYPE, EIP7702_AUTHORIZATION_MAGIC,
    EIP7702_TX_TYPE, L1_PRIORITY_TX_TYPE, LEGACY_TX_TYPE, UPGRADE_TX_TYPE,
};
use crate::primitives::{keccak256, keccak256_concat, B256, U256};
use alloc::vec::Vec;

/// Encodes `tx` as its envelope (what [`super::decode`] accepts). Fails if a field the type
/// needs is missing (the signature of an L2 type, the chain id of a typed one, ...) or a field
/// the type does not carry is set.
pub fn encode(tx: &Transaction) -> Result<Vec<u8>, TxEncodeError> {
    check_shape(tx)?;
    if tx.is_l1() {
        return abi::encode_envelope(tx);
    }
    if tx.signature.is_none() {
        return Err(TxEncodeError::MissingField(TxField::Signature));
    }
    Ok(rlp_envelope(tx, true))
}

/// The hash of the transaction whose envelope is `bytes`, taken from the bytes as received:
/// keccak256 of the envelope for L2 types, keccak256(abi.encode(transaction)) =
/// keccak256(word(0x20) ‖ body) for L1 priority and upgrade transactions. For bytes that
/// [`super::decode`] accepts this equals [`Transaction::tx_hash`] of the decoded transaction
/// (decoding is canonical), without encoding it again.
pub fn envelope_hash(bytes: &[u8]) -> B256 {
    match bytes.split_first() {
        Some((&(L1_PRIORITY_TX_TYPE | UPGRADE_TX_TYPE), body)) => abi::body_hash(body),
        _ => keccak256(bytes),
    }
}

/// [`decode`] of `bytes`, with where the hash its sender signed lies in them when it is a
/// signed L2 transaction (`None` for an L1 one), to hash on demand
/// ([`SigningPayload::hash`]).
pub fn decode_with_signing_payload(
    bytes: &[u8],
) -> Result<(Transaction, Option<SigningPayload<'_>>), TxDecodeError> {
    let tx = decode(bytes)?;
    let payload = (!tx.is_l1() && check_shape(&tx).is_ok()).then_some(SigningPayload {
        envelope: bytes,
        tx_type: tx.tx_type,
        chain_id: tx.chain_id,
    });
    Ok((tx, payload))
}

/// The signing payload of a transaction inside the envelope it was decoded from (see
/// [`decode_with_signing_payload`]), to hash without encoding the transaction again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningPayload<'a> {
    envelope: &'a [u8],
    tx_type: u8,
    chain_id: Option<u64>,
}

impl SigningPayload<'_> {
    /// The transaction's [`Transaction::signing_hash`], read from the envelope. Decoding is
    /// canonical, so the encodings of the fields before the signature (the list's last three
    /// items: `y_parity, r, s`, or a legacy `v, r, s`) are byte for byte those of the signing
    /// payload: a typed payload is them under their own list header after the type byte; a
    /// legacy one adds the EIP-155 chain id and two zeros when it has a chain id. `None` only
    /// for an envelope of another shape, which decoding never returns.
    pub fn hash(&self) -> Option<B256> {
        let mut head = Vec::with_capacity(10);
        let list = if self.tx_type == LEGACY_TX_TYPE {
            self.envelope
        } else {
            let (&tx_type, list) = self.envelope.split_first()?;
            head.push(tx_type);
            list
        };
        let fields = list_payload_without_last(list, 3).ok()?;
        let mut chain_id = Vec::new();
        if let (LEGACY_TX_TYPE, Some(id)) = (self.tx_type, self.chain_id) {
            write_u64(&mut chain_id, id);
            write_u64(&mut chain_id, 0);
            write_u64(&mut chain_id, 0);
        }
        write_list_header(&mut head, fields.len() + chain_id.len());
        Some(keccak256_concat(&[&head, fields, &chain_id]))
    }
}

impl Transaction {
    /// Transaction hash: keccak256 of the envelope bytes. Decoding is canonical, so the
    /// re-encoding equals the bytes received (see [`envelope_hash`], which hashes them as
    /// received). For L1 priority and upgrade transactions it is
    /// keccak256(abi.encode(transaction)) as computed on L1 (see [`abi`]).
    pub fn tx_hash(&self) -> Result<B256, TxEncodeError> {
        if self.is_l1() {
            check_shape(self)?;
            return abi::l1_tx_hash(self);
        }
        Ok(keccak256(&encode(self)?))
    }

    /// Hash the sender signs: keccak256(rlp(6 fields)) for pre-EIP-155 legacy,
    /// keccak256(rlp(6 fields, chain_id, 0, 0)) for EIP-155 legacy, and
    /// keccak256(type ‖ rlp(fields without signature)) for typed transactions. L1 priority and
    /// upgrade transactions are not signed; for them this is the [`Transaction::tx_hash`].
    pub fn signing_hash(&self) -> Result<B256, TxEncodeError> {
        check_shape(self)?;
        if self.is_l1() {
            return abi::l1_tx_hash(self);
        }
        Ok(keccak256(&rlp_envelope(self, false)))
    }
}

impl Transaction {
    /// Lengths of the two encodings the ZKsync OS bootloader hashes while validating (protocol
    /// version 2 charges keccak of each, upstream `transaction/mod.rs`): the signed encoding,
    /// as long as the envelope, and the signing payload. An unsigned transaction (a
    /// simulation) is measured with a signature whose `r` and `s` take 32 bytes each and, when
    /// legacy with a chain id, as the longer of its legacy and its EIP-2930 envelope (an empty
    /// access list): a request names no type, and a wallet may sign either, whose encodings
    /// can fall on two sides of a keccak block.
    pub fn hashed_encoding_lengths(&self) -> (usize, usize) {
        if self.signature.is_some() {
            return (
                rlp_envelope(self, true).len(),
                rlp_envelope(self, false).len(),
            );
        }
        let mut signed = self.clone();
        signed.signature = Some(super::Signature {
            y_parity: true,
            r: U256::MAX,
            s: U256::MAX,
        });
        let mut lengths = (
            rlp_envelope(&signed, true).len(),
            rlp_envelope(self, false).len(),
        );
        if self.tx_type == LEGACY_TX_TYPE && self.chain_id.is_some() {
            signed.tx_type = EIP2930_TX_TYPE;
            let unsigned = Transaction {
                signature: None,
                ..signed.clone()
            };
            lengths.0 = lengths.0.max(rlp_envelope(&signed, true).len());
            lengths.1 = lengths.1.max(rlp_envelope(&unsigned, false).len());
        }
        lengths
    }

    /// The hash ZKsync OS's bootloader computes for a signed L2 transaction and rolls into the
    /// block header's transactions root (protocol version 2, upstream
    /// `transaction/mod.rs::*_calculate_hash`): keccak of the transaction's RLP with the
    /// signature last as `r, s, v`, where `v` is `27 + y parity` for typed transactions (after
    /// the type byte) and the EIP-155 or legacy `v` for legacy ones. `None` for a transaction
    /// without a signature or an L1 one.
    pub fn bootloader_hash(&self) -> Option<B256> {
        let signature = self.signature?;
        if self.is_l1() {
            return None;
        }
        let mut unsigned = self.clone();
        unsigned.signature = None;
        let mut fields = Vec::new();
        let mut out = Vec::new();
        let parity = u128::from(signature.y_parity);
        let v = if self.tx_type == LEGACY_TX_TYPE {
            write_legacy_fields(&mut fields, &unsigned, false);
            // The signing payload of an EIP-155 transaction ends with chain id, 0, 0: drop them.
            if let Some(chain_id) = self.chain_id {
                fields.clear();
                write_legacy_fields(
                    &mut fields,
                    &Transaction {
                        chain_id: None,
                        ..unsigned
                    },
                    false,
                );
                u128::from(chain_id) * 2 + 35 + parity
            } else {
                27 + parity
            }
        } else {
            out.push(self.tx_type);
            write_typed_fields(&mut fields, &unsigned, false);
            27 + parity
        };
        write_u256(&mut fields, &signature.r);
        write_u256(&mut fields, &signature.s);
        write_u128(&mut fields, v);
        write_list(&mut out, &fields);
        Some(keccak256(&out))
    }
}

impl Authorization {
    /// Hash the authority signs: keccak256(0x05 ‖ rlp([chain_id, address, nonce])).
    pub fn signing_hash(&self) -> B256 {
        let mut fields = Vec::new();
        write_u256(&mut fields, &self.chain_id);
        write_bytes(&mut fields, self.address.as_slice());
        write_u64(&mut fields, self.nonce);
        let mut list = Vec::new();
        write_list(&mut list, &fields);
        keccak256_concat(&[&[EIP7702_AUTHORIZATION_MAGIC], &list])
    }
}

/// Fails unless `tx` carries exactly the fields its type has.
fn check_shape(tx: &Transaction) -> Result<(), TxEncodeError> {
    let ty = tx.tx_type;
    let typed_l2 = matches!(
        ty,
        EIP2930_TX_TYPE | EIP1559_TX_TYPE | EIP4844_TX_TYPE | EIP7702_TX_TYPE
    );
    if !(ty == LEGACY_TX_TYPE || typed_l2 || tx.is_l1()) {
        return Err(TxEncodeError::UnsupportedType(ty));
    }
    let unexpected = |present: bool, field| {
        if present {
            Err(TxEncodeError::UnexpectedField(field))
        } else {
            Ok(())
        }
    };
    let missing = |absent: bool, field| {
        if absent {
            Err(TxEncodeError::MissingField(field))
        } else {
            Ok(())
        }
    };
    if tx.is_l1() {
        missing(tx.l1.is_none(), TxField::L1)?;
        missing(tx.to.is_none(), TxField::To)?;
        unexpected(tx.chain_id.is_some(), TxField::ChainId)?;
        unexpected(tx.signature.is_some(), TxField::Signature)?;
    } else {
        unexpected(tx.l1.is_some(), TxField::L1)?;
    }
    if typed_l2 {
        missing(tx.chain_id.is_none(), TxField::ChainId)?;
    }
    let needs_to = matches!(ty, EIP4844_TX_TYPE | EIP7702_TX_TYPE);
    missing(needs_to && tx.to.is_none(), TxField::To)?;
    let has_access_list = typed_l2;
    unexpected(
        !has_access_list && !tx.access_list.is_empty(),
        TxField::AccessList,
    )?;
    unexpected(
        ty != EIP7702_TX_TYPE && !tx.authorization_list.is_empty(),
        TxField::AuthorizationList,
    )?;
    let has_blob_fields = tx.max_fee_per_blob_gas != 0 || !tx.blob_versioned_hashes.is_empty();
    unexpected(ty != EIP4844_TX_TYPE && has_blob_fields, TxField::Blob)?;
    let single_price = matches!(ty, LEGACY_TX_TYPE | EIP2930_TX_TYPE);
    unexpected(
        single_price && tx.max_priority_fee_per_gas != tx.max_fee_per_gas,
        TxField::PriorityFee,
    )?;
    Ok(())
}

/// The RLP envelope of an L2 transaction whose shape was checked: signed (with the signature
/// fields) or as the signing payload. The caller guarantees a signature when `signed`.
fn rlp_envelope(tx: &Transaction, signed: bool) -> Vec<u8> {
    let mut fields = Vec::new();
    let mut out = Vec::new();
    if tx.tx_type == LEGACY_TX_TYPE {
        write_legacy_fields(&mut fields, tx, signed);
    } else {
        out.push(tx.tx_type);
        write_typed_fields(&mut fields, tx, signed);
    }
    write_list(&mut out, &fields);
    out
}

fn write_legacy_fields(out: &mut Vec<u8>, tx: &Transaction, signed: bool) {
    write_u64(out, tx.nonce);
    write_u128(out, tx.max_fee_per_gas);
    write_u64(out, tx.gas_limit);
    write_destination(out, tx);
    write_u256(out, &tx.value);
    write_bytes(out, &tx.data);
    match (signed, tx.signature, tx.chain_id) {
        (true, Some(signature), chain_id) => {
            let parity = u128::from(signature.y_parity);
            let v = match chain_id {
                Some(id) => u128::from(id) * 2 + 35 + parity,
                None => 27 + parity,
            };
            write_u128(out, v);
            write_u256(out, &signature.r);
            write_u256(out, &signature.s);
        }
        (_, _, Some(chain_id)) => {
            write_u64(out, chain_id);
            write_u64(out, 0);
            write_u64(out, 0);
        }
        (_, _, None) => {}
    }
}

fn write_typed_fields(out: &mut Vec<u8>, tx: &Transaction, signed: bool) {
    write_u64(out, tx.chain_id.unwrap_or_default());
    write_u64(out, tx.nonce);
    if tx.tx_type != EIP2930_TX_TYPE {
        write_u128(out, tx.max_priority_fee_per_gas);
    }
    write_u128(out, tx.max_fee_per_gas);
    write_u64(out, tx.gas_limit);
    write_destination(out, tx);
    write_u256(out, &tx.value);
    write_bytes(out, &tx.data);
    write_access_list(out, &tx.access_list);
    if tx.tx_type == EIP4844_TX_TYPE {
        write_u128(out, tx.max_fee_per_blob_gas);
        let mut hashes = Vec::new();
        for hash in &tx.blob_versioned_hashes {
            write_bytes(&mut hashes, hash.as_slice());
        }
        write_list(out, &hashes);
    }
    if tx.tx_type == EIP7702_TX_TYPE {
        write_authorization_list(out, &tx.authorization_list);
    }
    if let (true, Some(signature)) = (signed, tx.signature) {
        write_u64(out, u64::from(signature.y_parity));
        write_u256(out, &signature.r);
        write_u256(out, &signature.s);
    }
}

fn write_destination(out: &mut Vec<u8>, tx: &Transaction) {
    match &tx.to {
        Some(address) => write_bytes(out, address.as_slice()),
        None => write_bytes(out, &[]),
    }
}

fn write_access_list(out: &mut Vec<u8>, access_list: &[AccessListItem]) {
    let mut items = Vec::new();
    for item in access_list {
        let mut keys = Vec::new();
        for key in &item.storage_keys {
            write_bytes(&mut keys, key.as_slice());
        }
        let mut entry = Vec::new();
        write_bytes(&mut entry, item.address.as_slice());
        write_list(&mut entry, &keys);
        write_list(&mut items, &entry);
    }
    write_list(out, &items);
}

fn write_authorization_list(out: &mut Vec<u8>, authorizations: &[Authorization]) {
    let mut items = Vec::new();
    for authorization in authorizations {
        let mut entry = Vec::new();
        write_u256(&mut entry, &authorization.chain_id);
        write_bytes(&mut entry, authorization.address.as_slice());
        write_u64(&mut entry, authorization.nonce);
        write_u64(&mut entry, u64::from(authorization.y_parity));
        write_u256(&mut entry, &authorization.r);
        write_u256(&mut entry, &authorization.s);
        write_list(&mut items, &entry);
    }
    write_list(out, &items);
}
