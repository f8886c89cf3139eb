//! Transactions as the bootloader receives them: one struct for every type, strict decoding of
//! EIP-2718 envelopes (RLP for L2 types, the ABI layout for L1 priority and upgrade
//! transactions), encoding, hashes, sender recovery and intrinsic gas.
//!
//! Envelopes: a legacy transaction is a bare RLP list (first byte >= 0xc0); a typed L2
//! transaction is `type ‖ rlp(fields)` with type 0x01..=0x04; an L1 priority (0xFF) or upgrade
//! (0xFE) transaction is `type ‖ abi_body` (see [`abi`]). 0xFE and 0xFF would also start an RLP
//! list with a 7- or 8-byte length, i.e. a payload of at least 2^48 bytes; such lists cannot
//! occur, so those two bytes always select the ABI layout.

pub mod abi;
mod decode;
mod encode;
mod error;
pub mod intrinsic;
pub(crate) mod rlp;
mod signature;

#[cfg(test)]
pub(crate) mod test_signing;
#[cfg(test)]
mod tests;

pub use decode::decode;
pub use encode::{decode_with_signing_payload, encode, envelope_hash, SigningPayload};
pub use error::{TxDecodeError, TxEncodeError, TxField};
pub use signature::{
    recover_sender, recover_sender_hashed, recover_senders, SignatureError, SECP256K1_HALF_N,
    SECP256K1_N,
};

use crate::primitives::{Address, Bytes, B256, U256};
use alloc::vec::Vec;

/// Type byte of a legacy transaction (never written on the wire).
pub const LEGACY_TX_TYPE: u8 = 0x00;
/// Type byte of an EIP-2930 (access list) transaction.
pub const EIP2930_TX_TYPE: u8 = 0x01;
/// Type byte of an EIP-1559 (dynamic fee) transaction.
pub const EIP1559_TX_TYPE: u8 = 0x02;
/// Type byte of an EIP-4844 (blob) transaction.
pub const EIP4844_TX_TYPE: u8 = 0x03;
/// Type byte of an EIP-7702 (set code) transaction.
pub const EIP7702_TX_TYPE: u8 = 0x04;
/// Type byte of a protocol upgrade transaction (ABI layout).
pub const UPGRADE_TX_TYPE: u8 = 0xFE;
/// Type byte of an L1 -> L2 priority transaction (ABI layout).
pub const L1_PRIORITY_TX_TYPE: u8 = 0xFF;

/// Prefix byte of an EIP-7702 authorization signing message.
pub const EIP7702_AUTHORIZATION_MAGIC: u8 = 0x05;

/// One entry of an EIP-2930 access list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessListItem {
    /// Account to warm.
    pub address: Address,
    /// Storage slots of `address` to warm.
    pub storage_keys: Vec<B256>,
}

/// One EIP-7702 authorization tuple `[chain_id, address, nonce, y_parity, r, s]`, as decoded.
/// Its validity (parity 0/1, scalar ranges, chain id, nonce) is checked when it is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Chain the authorization is valid on (0 = any chain).
    pub chain_id: U256,
    /// Contract whose code the authority delegates to.
    pub address: Address,
    /// Nonce the authority must have.
    pub nonce: u64,
    /// Signature recovery id as sent (valid values are 0 and 1).
    pub y_parity: u8,
    /// Signature `r`.
    pub r: U256,
    /// Signature `s`.
    pub s: U256,
}

/// ECDSA signature of an L2 transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// Recovery id: parity of the `y` coordinate of the signature point.
    pub y_parity: bool,
    /// Signature `r`.
    pub r: U256,
    /// Signature `s`.
    pub s: U256,
}

/// Fields that only L1 priority and upgrade transactions carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct L1Fields {
    /// Sender, set on L1 (there is no signature).
    pub from: Address,
    /// Total deposit minted on L2 (`reserved[0]`); covers the fee and the value.
    pub mint: U256,
    /// Receiver of the unused part of the deposit (`reserved[1]`).
    pub refund_recipient: Address,
    /// Maximum gas the sender pays per pubdata byte.
    pub gas_per_pubdata_limit: u32,
    /// Hashes of the bytecodes published with this transaction.
    pub factory_deps: Vec<B256>,
}

/// A transaction of any supported type. Fields a type does not carry stay at their empty or
/// zero value; [`encode`] rejects a transaction where they do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// EIP-2718 type byte ([`LEGACY_TX_TYPE`] for legacy).
    pub tx_type: u8,
    /// Chain id: always set for typed L2 transactions, set for legacy ones only with EIP-155,
    /// never set for L1 priority and upgrade transactions.
    pub chain_id: Option<u64>,
    /// Sender nonce (for L1 transactions: the priority operation id).
    pub nonce: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Maximum fee per gas; the gas price of legacy and EIP-2930 transactions.
    pub max_fee_per_gas: u128,
    /// Maximum priority fee per gas; equals the gas price for legacy and EIP-2930 transactions.
    pub max_priority_fee_per_gas: u128,
    /// Callee; `None` creates a contract.
    pub to: Option<Address>,
    /// Value transferred to the callee.
    pub value: U256,
    /// Calldata or initcode.
    pub data: Bytes,
    /// EIP-2930 access list (types 0x01..=0x04).
    pub access_list: Vec<AccessListItem>,
    /// EIP-7702 authorization list (type 0x04).
    pub authorization_list: Vec<Authorization>,
    /// Maximum fee per blob gas (type 0x03).
    pub max_fee_per_blob_gas: u128,
    /// Versioned hashes of the blobs (type 0x03).
    pub blob_versioned_hashes: Vec<B256>,
    /// Signature (L2 types; `None` before signing).
    pub signature: Option<Signature>,
    /// L1 priority and upgrade fields (types 0xFF and 0xFE only).
    pub l1: Option<L1Fields>,
}

impl Transaction {
    /// A transaction of type `tx_type` with every field empty or zero.
    pub fn empty(tx_type: u8) -> Self {
        Self {
            tx_type,
            chain_id: None,
            nonce: 0,
            gas_limit: 0,
            max_fee_per_gas: 0,
            max_priority_fee_per_gas: 0,
            to: None,
            value: U256::ZERO,
            data: Bytes::new(),
            access_list: Vec::new(),
            authorization_list: Vec::new(),
            max_fee_per_blob_gas: 0,
            blob_versioned_hashes: Vec::new(),
            signature: None,
            l1: None,
        }
    }

    /// Whether this is an L1 priority or upgrade transaction (ABI layout, no signature).
    pub fn is_l1(&self) -> bool {
        matches!(self.tx_type, L1_PRIORITY_TX_TYPE | UPGRADE_TX_TYPE)
    }

    /// Whether this transaction creates a contract.
    pub fn is_create(&self) -> bool {
        self.to.is_none()
    }
}
