//! The checks as a host asks for them in bytes (the npm package's fork fetcher, through the
//! on-demand wasm module): the node's JSON answers carried over as RLP, every hex string as its
//! bytes (an odd number of digits padded with a leading zero), anything else as an empty list.
//!
//! A header request is `[hash, [[name, value], ...]]`: the block hash the header must hash to,
//! then every field of the node's block object. Fields this engine knows go into the header;
//! fields known to be outside it (`hash`, `size`, `totalDifficulty`, `transactions`, `uncles`,
//! `withdrawals`) are skipped; any other marks the header as carrying unknown fields.
//!
//! A proof request is `[stateRoot, address, nonce, balance, storageHash, codeHash,
//! [accountProof...], [[key, value, [proof...]], ...], [code] or []]`, from `eth_getProof`
//! (and `eth_getCode`).

use super::{verify_answer, AccountClaim, EthHeader, ProofAnswer, ProofError, SlotClaim};
use crate::primitives::{Address, B256, U256};
use crate::tx::rlp::{decode_list, Item, ListReader};
use crate::tx::TxDecodeError;
use alloc::vec::Vec;

/// Block object fields that are not header fields.
const NOT_HASHED: [&str; 6] = [
    "hash",
    "size",
    "totalDifficulty",
    "transactions",
    "uncles",
    "withdrawals",
];

/// A request that cannot be read (becomes [`ProofError::MalformedRequest`]).
struct Malformed;

impl From<TxDecodeError> for Malformed {
    fn from(_: TxDecodeError) -> Self {
        Self
    }
}

/// Checks a header request: the header its fields make hashes to its hash.
pub fn verify_header_request(request: &[u8]) -> Result<(), ProofError> {
    let (header, hash, unknown) = read_header(request).map_err(|_| ProofError::MalformedRequest)?;
    header.verify(&hash, unknown)
}

/// Checks a proof request against its state root.
pub fn verify_proof_request(request: &[u8]) -> Result<(), ProofError> {
    let (state_root, answer) = read_proof(request).map_err(|_| ProofError::MalformedRequest)?;
    verify_answer(&state_root, &answer)
}

fn read_header(request: &[u8]) -> Result<(EthHeader, B256, bool), Malformed> {
    let mut items = decode_list(request)?;
    let hash = items.b256()?;
    let mut fields = items.list()?;
    items.finish()?;
    let mut header = Draft::default();
    let mut unknown = false;
    while !fields.is_empty() {
        let mut pair = fields.list()?;
        let name = pair.bytes()?;
        let (value, _) = pair.item()?;
        pair.finish()?;
        let value = match value {
            Item::String(bytes) => Some(bytes),
            Item::List(_) => None,
        };
        if !header.set(name, value) && !NOT_HASHED.iter().any(|n| n.as_bytes() == name) {
            unknown = true;
        }
    }
    Ok((header.finish()?, hash, unknown))
}

fn read_proof(request: &[u8]) -> Result<(B256, ProofAnswer), Malformed> {
    let mut items = decode_list(request)?;
    let state_root = items.b256()?;
    let address = Address::try_from(items.bytes()?).map_err(|_| Malformed)?;
    let account = AccountClaim {
        nonce: u64_of(items.bytes()?)?,
        balance: u256_of(items.bytes()?)?,
        storage_hash: items.b256()?,
        code_hash: items.b256()?,
    };
    let account_proof = nodes(items.list()?)?;
    let mut slot_list = items.list()?;
    let mut slots = Vec::new();
    while !slot_list.is_empty() {
        let mut entry = slot_list.list()?;
        slots.push(SlotClaim {
            slot: u256_of(entry.bytes()?)?,
            value: u256_of(entry.bytes()?)?,
            proof: nodes(entry.list()?)?,
        });
        entry.finish()?;
    }
    let mut code_item = items.list()?;
    let code = if code_item.is_empty() {
        None
    } else {
        Some(code_item.bytes()?.to_vec())
    };
    code_item.finish()?;
    items.finish()?;
    let answer = ProofAnswer {
        address,
        account,
        account_proof,
        slots,
        code,
    };
    Ok((state_root, answer))
}

fn nodes(mut list: ListReader<'_>) -> Result<Vec<Vec<u8>>, Malformed> {
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(list.bytes()?.to_vec());
    }
    Ok(out)
}

/// A big-endian integer, leading zeros allowed (hex quantities arrive padded).
fn u256_of(bytes: &[u8]) -> Result<U256, Malformed> {
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    U256::try_from_be_slice(bytes.get(skip..).unwrap_or_default()).ok_or(Malformed)
}

fn u64_of(bytes: &[u8]) -> Result<u64, Malformed> {
    u64::try_from(u256_of(bytes)?).map_err(|_| Malformed)
}

fn b256_of(bytes: &[u8]) -> Result<B256, Malformed> {
    B256::try_from(bytes).map_err(|_| Malformed)
}

/// A header's fields as they arrive, by name.
#[derive(Default)]
struct Draft<'a> {
    fields: [Option<&'a [u8]>; 21],
}

/// Header fields by JSON name, in [`EthHeader`]'s order.
const HEADER_FIELDS: [&str; 21] = [
    "parentHash",
    "sha3Uncles",
    "miner",
    "stateRoot",
    "transactionsRoot",
    "receiptsRoot",
    "logsBloom",
    "difficulty",
    "number",
    "gasLimit",
    "gasUsed",
    "timestamp",
    "extraData",
    "mixHash",
    "nonce",
    "baseFeePerGas",
    "withdrawalsRoot",
    "blobGasUsed",
    "excessBlobGas",
    "parentBeaconBlockRoot",
    "requestsHash",
];

impl<'a> Draft<'a> {
    /// Takes the field `name`; whether it is a header field. A header field whose value is not
    /// bytes (a JSON `null` or an object) counts as absent.
    fn set(&mut self, name: &[u8], value: Option<&'a [u8]>) -> bool {
        let at = HEADER_FIELDS.iter().position(|f| f.as_bytes() == name);
        match at.and_then(|at| self.fields.get_mut(at)) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    }

    fn finish(self) -> Result<EthHeader, Malformed> {
        let [parent_hash, ommers_hash, miner, state_root, transactions_root, receipts_root, logs_bloom, difficulty, number, gas_limit, gas_used, timestamp, extra_data, mix_hash, nonce, base_fee, withdrawals_root, blob_gas_used, excess_blob_gas, parent_beacon_block_root, requests_hash] =
            self.fields;
        let need = |f: Option<&'a [u8]>| f.ok_or(Malformed);
        let opt_hash = |f: Option<&[u8]>| f.map(b256_of).transpose();
        let opt_u64 = |f: Option<&[u8]>| f.map(u64_of).transpose();
        Ok(EthHeader {
            parent_hash: b256_of(need(parent_hash)?)?,
            ommers_hash: b256_of(need(ommers_hash)?)?,
            beneficiary: Address::try_from(need(miner)?).map_err(|_| Malformed)?,
            state_root: b256_of(need(state_root)?)?,
            transactions_root: b256_of(need(transactions_root)?)?,
            receipts_root: b256_of(need(receipts_root)?)?,
            logs_bloom: need(logs_bloom)?.to_vec(),
            difficulty: u256_of(need(difficulty)?)?,
            number: u64_of(need(number)?)?,
            gas_limit: u64_of(need(gas_limit)?)?,
            gas_used: u64_of(need(gas_used)?)?,
            timestamp: u64_of(need(timestamp)?)?,
            extra_data: need(extra_data)?.to_vec(),
            mix_hash: b256_of(need(mix_hash)?)?,
            nonce: need(nonce)?.to_vec(),
            base_fee: base_fee.map(u256_of).transpose()?,
            withdrawals_root: opt_hash(withdrawals_root)?,
            blob_gas_used: opt_u64(blob_gas_used)?,
            excess_blob_gas: opt_u64(excess_blob_gas)?,
            parent_beacon_block_root: opt_hash(parent_beacon_block_root)?,
            requests_hash: opt_hash(requests_hash)?,
        })
    }
}
