//! The world state of forward mode: the flat Blake2s tree, with the preimages its values commit
//! to (124-byte account records and bytecode preimages `code ‖ pad ‖ artifacts`).
//!
//! Storage slot `(address, key)` lives in the tree at `flat_key(address, key)`; the account of
//! `address` is the tree value at its account-properties key, which is the blake2s hash of its
//! record (zero or absent = no account). A record's `bytecode_hash` names the bytecode preimage.
//!
//! An account whose record would be all zero (nonce 0, balance 0, no code) is stored as zero,
//! i.e. it does not exist in the next block.
//!
//! [`StateSource::account`] reports `has_storage: false` for every account: the tree cannot
//! show (or prove) that no slot of an address is set, so zkos uses the ZKsync OS collision
//! rule (nonce or code) in both forward and proving mode.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::account::{AccountError, AccountProperties, VersioningData};
use super::flat_key::{account_properties_flat_key, flat_key, ACCOUNT_PROPERTIES_STORAGE_ADDRESS};
use super::pubdata::{AccountChange, SlotChange, StateDiff};
use super::tree::{StateCommitment, StateTree, TreeError, TreeUndo};
use crate::io::{InMemoryState, Lookup, SourceAccount, StateSource};
use crate::primitives::{keccak256, Address, Bytes, B256, U256};

/// An account's state at the end of a block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Code (empty for accounts without code).
    pub code: Bytes,
    /// keccak256 of `code` when the caller knows it (a block's accounts: the account record's
    /// hash, or the one a deployment computed and paid for), so that the block's end does not
    /// hash the code again; `None` hashes it when needed. For empty code, `Some` says a
    /// deployment installed it (protocol version 2 records such an account as deployed, with
    /// the empty code's hashes) and `None` that no code was deployed.
    pub code_hash: Option<B256>,
}

/// Errors from changing the world state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorldError {
    /// The tree rejected the writes.
    Tree(TreeError),
    /// An account's code could not be stored.
    Account(AccountError),
}

/// The net changes of a block in tree form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeChanges {
    /// Net writes `(flat key, value)`, sorted by key, no key twice.
    pub writes: Vec<(B256, B256)>,
    /// New preimages `(blake2s hash, bytes)`: account records and bytecode preimages.
    pub preimages: Vec<(B256, Vec<u8>)>,
    /// The same changes as pubdata sees them (new code is published).
    pub state_diffs: Vec<StateDiff>,
}

/// The record an account has after a block, given its record before (`None` = absent) and its
/// final state; also returns the new bytecode preimage when the code changed. Version bytes
/// and code fields are kept when the code is unchanged; new code is deployed as EVM code.
///
/// Whether code of the record's length is unchanged is decided by its keccak hash, taken from
/// `state` when known: hashing every touched contract's code at the block's end would be work
/// a transaction never pays for (upstream's account cache keeps the record itself, with the
/// observable hash a deployment set, and writes back only records that differ:
/// `basic_system/src/system_implementation/flat_storage_model/account_cache.rs`,
/// `persist_changes`).
pub fn final_properties(
    initial: Option<&AccountProperties>,
    state: &AccountState,
) -> Result<(AccountProperties, Option<Vec<u8>>), AccountError> {
    let mut record = initial.copied().unwrap_or_default();
    record.nonce = state.nonce;
    record.balance = state.balance;
    let code_len = u32::try_from(state.code.len()).map_err(|_| AccountError::CodeTooLong)?;
    let known_hash = core::cell::OnceCell::new();
    let code_hash =
        || *known_hash.get_or_init(|| state.code_hash.unwrap_or_else(|| keccak256(&state.code)));
    let deployed_empty = code_len == 0 && state.code_hash.is_some();
    let unchanged = match initial {
        Some(before) if before.observable_bytecode_len == code_len => {
            if code_len == 0 {
                before.versioning_data.is_deployed() == deployed_empty
            } else {
                before.observable_bytecode_hash == code_hash()
            }
        }
        None => code_len == 0 && !deployed_empty,
        Some(_) => false,
    };
    if unchanged {
        return Ok((record, None));
    }
    if state.code.is_empty() && !deployed_empty {
        let cleared = AccountProperties {
            nonce: record.nonce,
            balance: record.balance,
            versioning_data: VersioningData::default(),
            ..AccountProperties::default()
        };
        return Ok((cleared, None));
    }
    let preimage = record.deploy_evm_code_hashed(&state.code, code_hash())?;
    Ok((record, Some(preimage)))
}

/// The tree value of an account record: its blake2s hash, or zero for the all-zero record (an
/// empty account without code is not kept, so pubdata can always be replayed into the tree).
pub fn account_slot_value(record: &AccountProperties) -> B256 {
    if *record == AccountProperties::default() {
        B256::ZERO
    } else {
        record.hash()
    }
}

/// Flat keys, values, preimages and pubdata diffs for a block's final accounts and its
/// changed storage slots `(address, key, initial, final)`. `initial_of` gives each account's
/// record before the block.
pub fn tree_changes(
    accounts: &[(Address, Option<AccountState>)],
    storage: &[(Address, U256, U256, U256)],
    initial_of: &mut dyn FnMut(&Address) -> Option<AccountProperties>,
) -> Result<TreeChanges, AccountError> {
    let mut writes = BTreeMap::new();
    let mut preimages = Vec::new();
    let mut state_diffs = Vec::new();
    for (address, state) in accounts {
        let initial = initial_of(address);
        let (value, record, published_code) = match state {
            None => (B256::ZERO, AccountProperties::default(), None),
            Some(state) => {
                let (record, bytecode) = final_properties(initial.as_ref(), state)?;
                let hash = account_slot_value(&record);
                let published_code = bytecode.map(|bytecode| {
                    preimages.push((record.bytecode_hash, bytecode));
                    state.code.clone()
                });
                if !hash.is_zero() {
                    preimages.push((hash, record.encode().to_vec()));
                }
                (hash, record, published_code)
            }
        };
        let before = initial
            .map(|record| account_slot_value(&record))
            .unwrap_or_default();
        if value != before {
            let derived_key = account_properties_flat_key(*address);
            writes.insert(derived_key, value);
            state_diffs.push(StateDiff {
                derived_key,
                owner: ACCOUNT_PROPERTIES_STORAGE_ADDRESS,
                key: address.into_word(),
                change: SlotChange::Account(Box::new(AccountChange {
                    initial: initial.unwrap_or_default(),
                    final_: record,
                    published_code,
                })),
            });
        }
    }
    for (address, key, initial, value) in storage {
        let derived_key = flat_key(*address, B256::from(*key));
        writes.insert(derived_key, B256::from(*value));
        state_diffs.push(StateDiff {
            derived_key,
            owner: *address,
            key: B256::from(*key),
            change: SlotChange::Value {
                initial: B256::from(*initial),
                final_: B256::from(*value),
            },
        });
    }
    Ok(TreeChanges {
        writes: writes.into_iter().collect(),
        preimages,
        state_diffs,
    })
}

/// The forward world state.
#[derive(Clone, Debug, Default)]
pub struct WorldState {
    tree: StateTree,
    preimages: BTreeMap<B256, Vec<u8>>,
    last_block_timestamp: u64,
}

impl WorldState {
    /// An empty state (the tree holds only its two sentinels).
    pub fn new() -> Self {
        Self::default()
    }

    /// The state tree.
    pub fn tree(&self) -> &StateTree {
        &self.tree
    }

    /// Root and next free slot of the tree.
    pub fn commitment(&self) -> StateCommitment {
        self.tree.commitment()
    }

    /// Timestamp of the last block applied (0 at genesis).
    pub fn last_block_timestamp(&self) -> u64 {
        self.last_block_timestamp
    }

    /// Records the timestamp of the block just applied.
    pub fn set_last_block_timestamp(&mut self, timestamp: u64) {
        self.last_block_timestamp = timestamp;
    }

    /// The preimage of a blake2s `hash`, if known.
    pub fn preimage(&self, hash: &B256) -> Option<&[u8]> {
        self.preimages.get(hash).map(Vec::as_slice)
    }

    /// The tree value at `key` (`None` when the key has no leaf).
    pub fn get(&self, key: &B256) -> Option<B256> {
        self.tree.get(key)
    }

    /// The value of storage slot `key` of `address` (`None` when the slot has no leaf).
    pub fn slot(&self, address: &Address, key: &U256) -> Option<U256> {
        self.tree
            .get(&flat_key(*address, B256::from(*key)))
            .map(|value| U256::from_be_bytes(value.0))
    }

    /// The record of `address`, `None` when it has none.
    pub fn properties(&self, address: &Address) -> Option<AccountProperties> {
        let hash = self.tree.get(&account_properties_flat_key(*address))?;
        if hash.is_zero() {
            return None;
        }
        AccountProperties::decode(self.preimage(&hash)?).ok()
    }

    /// The code of an account record (empty without code).
    pub fn code_of(&self, record: &AccountProperties) -> Bytes {
        let len = record.bytecode_len as usize;
        if len == 0 {
            return Bytes::new();
        }
        self.preimage(&record.bytecode_hash)
            .and_then(|preimage| preimage.get(..len))
            .map(Bytes::copy_from_slice)
            .unwrap_or_default()
    }

    /// Applies a block's net changes: stores the preimages, then the writes in order.
    pub fn apply_tree_changes(
        &mut self,
        changes: &TreeChanges,
    ) -> Result<StateCommitment, WorldError> {
        let commitment = self
            .tree
            .apply_writes(&changes.writes)
            .map_err(WorldError::Tree)?;
        for (hash, bytes) in &changes.preimages {
            self.preimages.insert(*hash, bytes.clone());
        }
        Ok(commitment)
    }

    /// [`Self::apply_tree_changes`], also returning how to undo the tree writes (preimages are
    /// kept: they are named by their hash).
    pub fn apply_tree_changes_undoable(
        &mut self,
        changes: &TreeChanges,
    ) -> Result<(StateCommitment, TreeUndo), WorldError> {
        let applied = self
            .tree
            .apply_writes_undoable(&changes.writes)
            .map_err(WorldError::Tree)?;
        for (hash, bytes) in &changes.preimages {
            self.preimages.insert(*hash, bytes.clone());
        }
        Ok(applied)
    }

    /// Applies tree writes again (preimages known), returning how to undo them.
    pub fn apply_writes_undoable(
        &mut self,
        writes: &[(B256, B256)],
    ) -> Result<(StateCommitment, TreeUndo), WorldError> {
        self.tree
            .apply_writes_undoable(writes)
            .map_err(WorldError::Tree)
    }

    /// Puts back the tree as it was before a batch (see [`StateTree::undo`]).
    pub fn undo(&mut self, undo: &TreeUndo) {
        self.tree.undo(undo);
    }

    /// Applies final account states (`None` deletes the account) and storage values.
    pub fn apply(
        &mut self,
        accounts: &[(Address, Option<AccountState>)],
        storage: &[(Address, U256, U256)],
    ) -> Result<StateCommitment, WorldError> {
        let slots: Vec<(Address, U256, U256, U256)> = storage
            .iter()
            .map(|(address, key, value)| {
                let initial = self.slot(address, key).unwrap_or_default();
                (*address, *key, initial, *value)
            })
            .collect();
        let changes = tree_changes(accounts, &slots, &mut |address| self.properties(address))
            .map_err(WorldError::Account)?;
        self.apply_tree_changes(&changes)
    }

    /// Genesis helper: a world holding every account and slot of `state` (e.g. one prepared with
    /// [`crate::system::genesis::install`]).
    pub fn from_in_memory(state: &InMemoryState) -> Result<Self, WorldError> {
        let mut accounts = Vec::new();
        let mut storage = Vec::new();
        for address in state.addresses() {
            if let Some((nonce, balance, code)) = state.get_account(address) {
                accounts.push((
                    *address,
                    Some(AccountState {
                        nonce,
                        balance,
                        code: code.clone(),
                        code_hash: None,
                    }),
                ));
            }
            storage.extend(
                state
                    .storage_of(address)
                    .map(|(key, value)| (*address, *key, *value)),
            );
        }
        let mut world = Self::new();
        world.apply(&accounts, &storage)?;
        Ok(world)
    }

    /// Genesis helper: sets one account (with `code` deployed as EVM code) and its storage.
    pub fn set_account(
        &mut self,
        address: Address,
        state: AccountState,
        storage: &[(U256, U256)],
    ) -> Result<StateCommitment, WorldError> {
        let slots: Vec<(Address, U256, U256)> =
            storage.iter().map(|(k, v)| (address, *k, *v)).collect();
        self.apply(&[(address, Some(state))], &slots)
    }
}

impl StateSource for WorldState {
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>> {
        Ok(self.properties(address).map(|record| SourceAccount {
            nonce: record.nonce,
            balance: record.balance,
            code: self.code_of(&record),
            code_hash: Some(record.observable_bytecode_hash),
            has_storage: false,
        }))
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        Ok(self.slot(address, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{blake2s256, hex};

    fn eoa(nonce: u64, balance: u64) -> AccountState {
        AccountState {
            nonce,
            balance: U256::from(balance),
            code: Bytes::new(),
            code_hash: None,
        }
    }

    #[test]
    fn accounts_and_storage_round_trip_through_the_tree() {
        let mut world = WorldState::new();
        let empty = world.commitment();
        let alice = Address::repeat_byte(0xa1);
        let contract = Address::repeat_byte(0xc0);
        world.set_account(alice, eoa(1, 100), &[]).unwrap();
        let code = Bytes::from_static(&hex!("5b600160005500"));
        let after = world
            .set_account(
                contract,
                AccountState {
                    nonce: 1,
                    balance: U256::ZERO,
                    code: code.clone(),
                    code_hash: None,
                },
                &[(U256::from(1u8), U256::from(7u8))],
            )
            .unwrap();
        assert_ne!(after, empty);
        // Two accounts and one slot: three leaves after the two sentinels.
        assert_eq!(after.next_free_slot, 5);

        let got = world.account(&alice).unwrap().unwrap();
        assert_eq!((got.nonce, got.balance), (1, U256::from(100u8)));
        assert!(got.code.is_empty());
        let got = world.account(&contract).unwrap().unwrap();
        assert_eq!(got.code, code);
        assert_eq!(
            world.storage(&contract, &U256::from(1u8)),
            Ok(Some(U256::from(7u8)))
        );
        assert_eq!(world.storage(&contract, &U256::from(2u8)), Ok(None));
        assert_eq!(world.account(&Address::repeat_byte(9)), Ok(None));

        // The same accounts from an in-memory state, applied as one batch (new keys take leaf
        // indices in key order, so the root differs from the two-step build above).
        let mut memory = InMemoryState::new();
        memory.set_account(alice, 1, U256::from(100u8), Bytes::new());
        memory.set_account(contract, 1, U256::ZERO, code.clone());
        memory.set_storage(contract, U256::from(1u8), U256::from(7u8));
        let mut batch = WorldState::new();
        let contract_state = AccountState {
            nonce: 1,
            balance: U256::ZERO,
            code: code.clone(),
            code_hash: None,
        };
        let one_batch = batch
            .apply(
                &[(alice, Some(eoa(1, 100))), (contract, Some(contract_state))],
                &[(contract, U256::from(1u8), U256::from(7u8))],
            )
            .unwrap();
        assert_ne!(one_batch, after);
        assert_eq!(one_batch.next_free_slot, 5);
        let from_memory = WorldState::from_in_memory(&memory).unwrap();
        assert_eq!(from_memory.commitment(), one_batch);
        assert_eq!(
            from_memory.clone().account(&contract),
            world.account(&contract)
        );

        // The tree value is blake2s of the 124-byte record, and the record names the preimage.
        let record = world.properties(&contract).unwrap();
        assert_eq!(
            world.get(&account_properties_flat_key(contract)),
            Some(blake2s256(&record.encode()))
        );
        assert_eq!(
            world.preimage(&record.bytecode_hash).map(blake2s256),
            Some(record.bytecode_hash)
        );
        // code (7 bytes) ‖ 1 zero byte of padding ‖ the one-byte jumpdest bitmap (pc 0 = 0x01).
        assert_eq!(
            world.preimage(&record.bytecode_hash),
            Some(&hex!("5b600160005500 00 01")[..])
        );
    }

    #[test]
    fn a_known_code_hash_decides_without_hashing_the_code() {
        let who = Address::repeat_byte(0x43);
        let mut world = WorldState::new();
        let state = AccountState {
            nonce: 1,
            balance: U256::ZERO,
            code: Bytes::from_static(&hex!("6000")),
            code_hash: None,
        };
        world.set_account(who, state.clone(), &[]).unwrap();
        let before = world.properties(&who).unwrap();
        // Other code of the same length, given with the record's hash: taken as given, so it
        // counts as unchanged (the block's end trusts the hash the block knew, never hashing
        // the code of an account that kept it).
        let told = AccountState {
            code: Bytes::from_static(&hex!("6001")),
            code_hash: Some(before.observable_bytecode_hash),
            ..state.clone()
        };
        let (record, bytecode) = final_properties(Some(&before), &told).unwrap();
        assert_eq!((record, bytecode), (before, None));
        // Without a hash the code is hashed, found changed and deployed.
        let untold = AccountState {
            code_hash: None,
            ..told.clone()
        };
        let (record, bytecode) = final_properties(Some(&before), &untold).unwrap();
        assert!(bytecode.is_some());
        assert_eq!(record.observable_bytecode_hash, keccak256(&hex!("6001")));
        // A deployment given its hash records that hash as the observable one.
        let deployed = AccountState {
            code_hash: Some(keccak256(&hex!("6001"))),
            ..told
        };
        assert_eq!(
            final_properties(Some(&before), &deployed).unwrap().0,
            record
        );
    }

    #[test]
    fn deployed_empty_code_is_recorded_as_deployed() {
        // The oracle's record of an account whose constructor returned nothing: deployed bit,
        // EVM, code version 1, the Blake2s hash of the empty preimage, observable keccak(empty).
        let state = AccountState {
            nonce: 1,
            balance: U256::ZERO,
            code: Bytes::new(),
            code_hash: Some(crate::primitives::KECCAK_EMPTY),
        };
        let (record, preimage) = final_properties(None, &state).unwrap();
        assert_eq!(record.versioning_data.0, 0x0101_0100_0000_0000);
        assert_eq!(
            record.bytecode_hash,
            B256::from(hex!(
                "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"
            ))
        );
        assert_eq!(
            record.observable_bytecode_hash,
            crate::primitives::KECCAK_EMPTY
        );
        assert_eq!(preimage, Some(Vec::new()));
        assert_eq!(
            final_properties(Some(&record), &state).unwrap(),
            (record, None)
        );
        // Empty code no deployment installed leaves the record undeployed.
        let none = AccountState {
            code_hash: None,
            ..state
        };
        let (plain, _) = final_properties(None, &none).unwrap();
        assert!(!plain.versioning_data.is_deployed());
        assert_eq!(plain.bytecode_hash, B256::ZERO);
    }

    #[test]
    fn unchanged_code_keeps_record_fields_and_deletion_zeroes_the_slot() {
        let mut world = WorldState::new();
        let who = Address::repeat_byte(0x42);
        let code = Bytes::from_static(&hex!("00"));
        let state = AccountState {
            nonce: 1,
            balance: U256::ZERO,
            code: code.clone(),
            code_hash: None,
        };
        world.set_account(who, state.clone(), &[]).unwrap();
        let before = world.properties(&who).unwrap();
        let (record, bytecode) = final_properties(
            Some(&before),
            &AccountState {
                nonce: 2,
                ..state.clone()
            },
        )
        .unwrap();
        assert!(bytecode.is_none());
        assert_eq!(record, AccountProperties { nonce: 2, ..before });
        // Same final state: no write at all.
        let changes = tree_changes(&[(who, Some(state))], &[], &mut |_| Some(before)).unwrap();
        assert!(changes.writes.is_empty());
        // Deleting writes zero to the account key; the account reads as absent.
        world.apply(&[(who, None)], &[]).unwrap();
        assert_eq!(world.account(&who), Ok(None));
        assert_eq!(
            world.get(&account_properties_flat_key(who)),
            Some(B256::ZERO)
        );
    }
}
