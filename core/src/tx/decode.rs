//! Strict decoding of EIP-2718 envelopes into [`Transaction`].

use super::rlp::{decode_list, ListReader};
use super::{
    abi, AccessListItem, Authorization, Signature, Transaction, TxDecodeError, EIP1559_TX_TYPE,
    EIP2930_TX_TYPE, EIP4844_TX_TYPE, EIP7702_TX_TYPE, L1_PRIORITY_TX_TYPE, LEGACY_TX_TYPE,
    UPGRADE_TX_TYPE,
};
use crate::primitives::U256;
use alloc::vec::Vec;

/// Decodes one transaction envelope. A pure function of `bytes`: it accepts exactly the
/// canonical encodings [`super::encode`] produces and returns a typed error for anything else.
pub fn decode(bytes: &[u8]) -> Result<Transaction, TxDecodeError> {
    let (&first, payload) = bytes.split_first().ok_or(TxDecodeError::Empty)?;
    match first {
        L1_PRIORITY_TX_TYPE | UPGRADE_TX_TYPE => abi::decode_body(first, payload),
        0xc0..=0xfd => decode_legacy(bytes),
        EIP2930_TX_TYPE | EIP1559_TX_TYPE | EIP4844_TX_TYPE | EIP7702_TX_TYPE => {
            decode_typed(first, payload)
        }
        other => Err(TxDecodeError::UnsupportedType(other)),
    }
}

/// `[nonce, gas_price, gas_limit, to, value, data, v, r, s]`; `v` carries the EIP-155 chain id.
fn decode_legacy(bytes: &[u8]) -> Result<Transaction, TxDecodeError> {
    let mut fields = decode_list(bytes)?;
    let mut tx = Transaction::empty(LEGACY_TX_TYPE);
    tx.nonce = fields.u64()?;
    tx.max_fee_per_gas = fields.u128()?;
    tx.max_priority_fee_per_gas = tx.max_fee_per_gas;
    tx.gas_limit = fields.u64()?;
    tx.to = fields.destination()?;
    tx.value = fields.u256()?;
    tx.data = fields.owned_bytes()?;
    let v = fields.u256()?;
    let r = fields.u256()?;
    let s = fields.u256()?;
    fields.finish()?;
    let (chain_id, y_parity) = split_legacy_v(v)?;
    tx.chain_id = chain_id;
    tx.signature = Some(Signature { y_parity, r, s });
    Ok(tx)
}

/// Splits a legacy `v` into the EIP-155 chain id (if any) and the parity.
fn split_legacy_v(v: U256) -> Result<(Option<u64>, bool), TxDecodeError> {
    if v == U256::from(27u8) || v == U256::from(28u8) {
        return Ok((None, v == U256::from(28u8)));
    }
    let Some(offset) = v.checked_sub(U256::from(35u8)) else {
        return Err(TxDecodeError::InvalidV);
    };
    let chain_id = u64::try_from(offset >> 1).map_err(|_| TxDecodeError::IntegerTooWide)?;
    Ok((Some(chain_id), offset.bit(0)))
}

/// Typed RLP payloads: fields in the order each EIP defines, signature last.
fn decode_typed(tx_type: u8, payload: &[u8]) -> Result<Transaction, TxDecodeError> {
    let mut fields = decode_list(payload)?;
    let mut tx = Transaction::empty(tx_type);
    tx.chain_id = Some(fields.u64()?);
    tx.nonce = fields.u64()?;
    if tx_type == EIP2930_TX_TYPE {
        tx.max_fee_per_gas = fields.u128()?;
        tx.max_priority_fee_per_gas = tx.max_fee_per_gas;
    } else {
        tx.max_priority_fee_per_gas = fields.u128()?;
        tx.max_fee_per_gas = fields.u128()?;
    }
    tx.gas_limit = fields.u64()?;
    tx.to = fields.destination()?;
    if tx.to.is_none() && matches!(tx_type, EIP4844_TX_TYPE | EIP7702_TX_TYPE) {
        return Err(TxDecodeError::MissingTo);
    }
    tx.value = fields.u256()?;
    tx.data = fields.owned_bytes()?;
    tx.access_list = decode_access_list(fields.list()?)?;
    if tx_type == EIP4844_TX_TYPE {
        tx.max_fee_per_blob_gas = fields.u128()?;
        tx.blob_versioned_hashes = fields.b256_list()?;
    }
    if tx_type == EIP7702_TX_TYPE {
        tx.authorization_list = decode_authorization_list(fields.list()?)?;
    }
    let y_parity = match fields.u8()? {
        0 => false,
        1 => true,
        _ => return Err(TxDecodeError::InvalidYParity),
    };
    let r = fields.u256()?;
    let s = fields.u256()?;
    fields.finish()?;
    tx.signature = Some(Signature { y_parity, r, s });
    Ok(tx)
}

/// `[[address, [key, ...]], ...]`.
fn decode_access_list(mut list: ListReader<'_>) -> Result<Vec<AccessListItem>, TxDecodeError> {
    let mut items = Vec::new();
    while !list.is_empty() {
        let mut entry = list.list()?;
        let address = entry.address()?;
        let storage_keys = entry.b256_list()?;
        entry.finish()?;
        items.push(AccessListItem {
            address,
            storage_keys,
        });
    }
    Ok(items)
}

/// `[[chain_id, address, nonce, y_parity, r, s], ...]`.
fn decode_authorization_list(
    mut list: ListReader<'_>,
) -> Result<Vec<Authorization>, TxDecodeError> {
    let mut items = Vec::new();
    while !list.is_empty() {
        let mut entry = list.list()?;
        let authorization = Authorization {
            chain_id: entry.u256()?,
            address: entry.address()?,
            nonce: entry.u64()?,
            y_parity: entry.u8()?,
            r: entry.u256()?,
            s: entry.u256()?,
        };
        entry.finish()?;
        items.push(authorization);
    }
    Ok(items)
}
