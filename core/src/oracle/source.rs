//! The proving state source: takes each first read from the oracle, caches it, and at block end
//! proves every read and applies every net write against the previous commitment in one batch.
//!
//! Preimages are checked when they arrive (blake2s of the bytes must equal the hash asked
//! for). A failed check cannot be reported through [`StateSource`], so the source remembers
//! the first error, answers every later query with "absent" without asking the oracle, and
//! [`ProvingSource::verify_and_apply`] returns the error: a block with a bad answer never
//! yields a result.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::error::ProvingError;
use super::queries::Oracle;
use crate::io::{Lookup, SourceAccount, StateSource};
use crate::primitives::{blake2s256, Address, Bytes, B256, U256};
use crate::state::account::AccountProperties;
use crate::state::flat_key::{account_properties_flat_key, flat_key};
use crate::state::proof::apply_batch;
use crate::state::tree::StateCommitment;

fn source_account(record: &AccountProperties, code: Bytes) -> SourceAccount {
    SourceAccount {
        nonce: record.nonce,
        balance: record.balance,
        code,
        code_hash: Some(record.observable_bytecode_hash),
        has_storage: false,
    }
}

/// A [`StateSource`] answering from an [`Oracle`], with every answer verified at block end.
pub struct ProvingSource<O> {
    oracle: O,
    reads: BTreeMap<B256, Option<B256>>,
    accounts: BTreeMap<Address, Option<(AccountProperties, Bytes)>>,
    error: Option<ProvingError>,
}

impl<O: Oracle> ProvingSource<O> {
    /// A source over `oracle` with nothing read yet.
    pub fn new(oracle: O) -> Self {
        Self {
            oracle,
            reads: BTreeMap::new(),
            accounts: BTreeMap::new(),
            error: None,
        }
    }

    /// The oracle.
    pub fn oracle_mut(&mut self) -> &mut O {
        &mut self.oracle
    }

    /// Gives the oracle back.
    pub fn into_oracle(self) -> O {
        self.oracle
    }

    /// The first error met while answering reads, if any.
    pub fn error(&self) -> Option<&ProvingError> {
        self.error.as_ref()
    }

    /// The record `address` had at the start of the block (`None` when absent or not read).
    pub fn initial_account(&self, address: &Address) -> Option<AccountProperties> {
        self.accounts
            .get(address)
            .and_then(|known| known.as_ref().map(|(record, _)| *record))
    }

    /// Every first read `(flat key, value)`, sorted by key; `None` = no leaf.
    pub fn read_claims(&self) -> Vec<(B256, Option<B256>)> {
        self.reads
            .iter()
            .map(|(key, value)| (*key, *value))
            .collect()
    }

    fn fail(&mut self, error: ProvingError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// The initial value of tree key `key`, from the cache or the oracle.
    fn read(&mut self, key: B256) -> Option<B256> {
        if let Some(value) = self.reads.get(&key) {
            return *value;
        }
        if self.error.is_some() {
            return None;
        }
        match self.oracle.storage_read(&key) {
            Ok(value) => {
                self.reads.insert(key, value);
                value
            }
            Err(error) => {
                self.fail(ProvingError::Oracle(error));
                None
            }
        }
    }

    fn load_account(&mut self, address: &Address) -> Result<Option<SourceAccount>, ProvingError> {
        let key = account_properties_flat_key(*address);
        let hash = match self.read(key) {
            Some(hash) if !hash.is_zero() => hash,
            _ => {
                self.accounts.insert(*address, None);
                return Ok(None);
            }
        };
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let record_bytes = self
            .oracle
            .account_preimage(&hash)
            .map_err(ProvingError::Oracle)?;
        if blake2s256(&record_bytes) != hash {
            return Err(ProvingError::PreimageMismatch(hash));
        }
        let record =
            AccountProperties::decode(&record_bytes).map_err(ProvingError::BadAccountRecord)?;
        let code_len = record.bytecode_len as usize;
        let code = if code_len == 0 {
            Bytes::new()
        } else {
            let preimage = self
                .oracle
                .bytecode_preimage(&record.bytecode_hash)
                .map_err(ProvingError::Oracle)?;
            if blake2s256(&preimage) != record.bytecode_hash {
                return Err(ProvingError::PreimageMismatch(record.bytecode_hash));
            }
            let code = preimage
                .get(..code_len)
                .ok_or(ProvingError::BytecodeTooShort(record.bytecode_hash))?;
            Bytes::copy_from_slice(code)
        };
        self.accounts.insert(*address, Some((record, code.clone())));
        Ok(Some(source_account(&record, code)))
    }

    /// Verifies every read claim against `previous` and applies the net `writes` (sorted by
    /// key, each key once) with the oracle's batch proof; returns the new commitment.
    pub fn verify_and_apply(
        &mut self,
        previous: &StateCommitment,
        writes: &[(B256, B256)],
    ) -> Result<StateCommitment, ProvingError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let claims = self.read_claims();
        let keys: Vec<B256> = claims.iter().map(|(key, _)| *key).collect();
        let proof = self
            .oracle
            .batch_proof(&keys, writes)
            .map_err(ProvingError::Oracle)?;
        apply_batch(previous, &proof, &claims, writes).map_err(ProvingError::Proof)
    }
}

impl<O: Oracle> StateSource for ProvingSource<O> {
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>> {
        if let Some(known) = self.accounts.get(address) {
            return Ok(known
                .as_ref()
                .map(|(record, code)| source_account(record, code.clone())));
        }
        Ok(match self.load_account(address) {
            Ok(account) => account,
            Err(error) => {
                self.accounts.insert(*address, None);
                self.fail(error);
                None
            }
        })
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        Ok(self
            .read(flat_key(*address, B256::from(*key)))
            .map(|value| U256::from_be_bytes(value.0)))
    }
}
