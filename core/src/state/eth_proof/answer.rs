//! An `eth_getProof` answer checked against a state root: the account (or its absence) by its
//! proof, each slot by its proof against the proven storage root, the code by the proven code
//! hash.

use super::trie::prove;
use super::{ProofError, EMPTY_TRIE_ROOT};
use crate::primitives::{keccak256, Address, B256, KECCAK_EMPTY, U256};
use crate::tx::rlp::{decode_item, decode_list, Item};
use alloc::vec::Vec;

/// An account as the node reported it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountClaim {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Root of the account's storage trie (`storageHash`).
    pub storage_hash: B256,
    /// keccak256 of the account's code.
    pub code_hash: B256,
}

impl AccountClaim {
    /// Whether this is what nodes report for an account the trie lacks: zero nonce and
    /// balance, the empty (or zero) code hash and storage root.
    fn is_absent(&self) -> bool {
        self.nonce == 0
            && self.balance.is_zero()
            && (self.code_hash == KECCAK_EMPTY || self.code_hash.is_zero())
            && (self.storage_hash == EMPTY_TRIE_ROOT || self.storage_hash.is_zero())
    }
}

/// A slot as the node reported it, with its proof.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlotClaim {
    /// The slot key.
    pub slot: U256,
    /// The value.
    pub value: U256,
    /// The storage trie's nodes from its root along keccak(slot).
    pub proof: Vec<Vec<u8>>,
}

/// One `eth_getProof` answer (and the account's code, when it was asked beside it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProofAnswer {
    /// The account's address.
    pub address: Address,
    /// The account the node reported.
    pub account: AccountClaim,
    /// The state trie's nodes from its root along keccak(address).
    pub account_proof: Vec<Vec<u8>>,
    /// The slots the node reported.
    pub slots: Vec<SlotClaim>,
    /// The code from `eth_getCode`, if it was fetched.
    pub code: Option<Vec<u8>>,
}

/// Checks every value of `answer` against the state root `state_root`.
pub fn verify_answer(state_root: &B256, answer: &ProofAnswer) -> Result<(), ProofError> {
    let claim = &answer.account;
    let proven = prove(
        state_root,
        &keccak256(answer.address.as_slice()).0,
        &answer.account_proof,
    )?;
    let (storage_root, code_hash) = match proven {
        Some(rlp) => {
            if decode_account(rlp)? != *claim {
                return Err(ProofError::AccountMismatch);
            }
            (claim.storage_hash, claim.code_hash)
        }
        None if claim.is_absent() => (EMPTY_TRIE_ROOT, KECCAK_EMPTY),
        None => return Err(ProofError::AccountMismatch),
    };
    for slot in &answer.slots {
        let key = keccak256(&slot.slot.to_be_bytes::<32>());
        let value = match prove(&storage_root, &key.0, &slot.proof)? {
            Some(rlp) => decode_value(rlp)?,
            None => U256::ZERO,
        };
        if value != slot.value {
            return Err(ProofError::SlotMismatch);
        }
    }
    match &answer.code {
        Some(code) if keccak256(code) != code_hash => Err(ProofError::CodeMismatch),
        _ => Ok(()),
    }
}

/// A state trie leaf: `[nonce, balance, storageRoot, codeHash]`.
fn decode_account(rlp: &[u8]) -> Result<AccountClaim, ProofError> {
    let mut fields = decode_list(rlp)?;
    let account = AccountClaim {
        nonce: fields.u64()?,
        balance: fields.u256()?,
        storage_hash: fields.b256()?,
        code_hash: fields.b256()?,
    };
    fields.finish()?;
    Ok(account)
}

/// A storage trie leaf: an integer, minimal big-endian. Ethereum deletes a slot set to zero, but
/// some nodes keep it as the empty string (anvil after `anvil_setStorageAt` to zero): it reads
/// as zero.
fn decode_value(rlp: &[u8]) -> Result<U256, ProofError> {
    match decode_item(rlp)? {
        Item::String(bytes) if bytes.first() != Some(&0) => {
            U256::try_from_be_slice(bytes).ok_or(ProofError::MalformedNode)
        }
        _ => Err(ProofError::MalformedNode),
    }
}
