//! The charging shape of protocol version 2, [`ChargingModel::Materialised`]: upstream ZKsync
//! OS's account cache, storage cache and preimage cache (ADI-Stack-zkOS @ 8035ac6f,
//! `basic_system/src/system_implementation/flat_storage_model/{account_cache,storage_cache,
//! preimage_cache}.rs`, costs in its `cost_constants.rs`).
//!
//! - **Accounts.** Every access pays a cache access. The first access in the block
//!   materialises the account: its hash slot under 0x8003 is read through the storage cache (a
//!   warm read plus a cold read of an existing or an absent slot) and, when the account exists,
//!   its 124-byte record is fetched from the preimage cache. A write adds the write extra. The
//!   materialisation survives rollbacks (the cache keeps its first record).
//! - **Storage.** Every access pays a warm read; the first access in a transaction adds a cold
//!   read (of an existing or absent slot the first time in the block, of an existing one after
//!   that); every write adds a write extra, the larger one while the slot is still unset in the
//!   block (absent at its start and not written since).
//! - **Preimages.** A preimage is fetched once per block (a get plus blake2s of its bytes), then
//!   each further get pays the get alone; a deployment records its bytecode preimage.
//!
//! What the transaction accessed is journaled, so that its pubdata can count every account and
//! slot it touched ([`Io::accessed_accounts`], [`Io::accessed_slots`]).

use super::cache_log::CacheEntry;
use super::{Io, JournalEntry, PreimageKey};
use crate::bytecode::preimage::{
    artifacts_len_v1, artifacts_len_v2, padding_len_bytes, preimage_identity,
};
use crate::bytecode::{Bytecode, DELEGATION_PREFIX};
use crate::io::{Account, OutOfNative, SlotAccess, StateSource, StorageWrite};
use crate::primitives::{Address, U256};
use crate::resources::native::ChargingModel;

/// Length of an account record, the preimage materialising an account fetches (the state's
/// `ACCOUNT_RECORD_LEN_BYTES`; the IO sits below the state layer).
const ACCOUNT_RECORD_LEN_BYTES: usize = 124;

/// Length of a bytecode preimage under protocol version 2: the code, its padding to 8 bytes and
/// the jumpdest bitmap in whole 64-bit words.
pub fn bytecode_preimage_len_v2(code_len: usize) -> u64 {
    (code_len + padding_len_bytes(code_len) + artifacts_len_v2(code_len)) as u64
}

/// Length of a bytecode preimage under protocol version 1: the code, its padding to 8 bytes and
/// the jumpdest bitmap in whole bytes (`state::account::jumpdest_bitmap`).
fn bytecode_preimage_len_v1(code_len: usize) -> u64 {
    (code_len + padding_len_bytes(code_len) + artifacts_len_v1(code_len)) as u64
}

impl<S: StateSource> Io<S> {
    /// Native of materialising an account that `existed` at the block start with record `key`
    /// (see the module documentation), whose properties hash slot was last read by transaction
    /// `hash_slot_read_in` (see [`super::hash_slot`]).
    fn materialisation_native(
        &self,
        existed: bool,
        key: &PreimageKey,
        hash_slot_read_in: Option<u32>,
    ) -> u64 {
        let costs = &self.costs;
        let mut native =
            costs.warm_storage_read_native + self.hash_slot_cold_native(existed, hash_slot_read_in);
        if existed {
            native += costs.preimage_access_native;
            if !self.preimages.contains(key) {
                native += costs.blake2s_native(ACCOUNT_RECORD_LEN_BYTES as u64);
            }
        }
        native
    }

    /// Charges a cache access of `address`, materialising it the first time in the block, and
    /// marks it accessed by the transaction. All or nothing: out of native charges nothing
    /// more and leaves it as it was.
    pub(crate) fn charge_account_access(&mut self, address: &Address) -> Result<(), OutOfNative> {
        let mut native = self.costs.account_access_native;
        let account = self.load(address).1;
        if !account.materialised {
            let (existed, key) = (account.existed_at_block_start, record_key(account));
            let read_in = account.hash_slot_read_in;
            native += self.materialisation_native(existed, &key, read_in);
        }
        self.charge_native(native)?;
        self.materialise(address);
        Ok(())
    }

    /// Materialises `address` without charging (the bootloader's reads with infinite
    /// resources: heating the coinbase) and marks it accessed.
    pub fn heat_account(&mut self, address: &Address) {
        if self.costs.model == ChargingModel::Materialised {
            self.materialise(address);
        }
    }

    fn materialise(&mut self, address: &Address) {
        let seq = self.tx_seq;
        let account = self.load(address).1;
        let first = !account.materialised;
        let key = record_key(account);
        let existed = account.existed_at_block_start;
        account.materialised = true;
        if first {
            account.hash_slot_read_in = Some(seq);
        }
        if first && existed {
            self.preimages.insert(key);
        }
        self.mark_accessed(address);
    }

    fn mark_accessed(&mut self, address: &Address) {
        let account = self.load(address).1;
        if !account.accessed {
            account.accessed = true;
            self.journal.push(JournalEntry::Accessed(*address));
        }
    }

    /// Whether the transaction has accessed `address` through the account cache (rolled back
    /// with the frame that accessed it, as upstream's cache warmth is).
    pub fn accessed_in_tx(&self, address: &Address) -> bool {
        self.accounts.get(address).is_some_and(|a| a.accessed)
    }

    /// Charges fetching the code of `address` from the preimage cache, as protocol version 2
    /// does when it reads an account's bytecode (a deployment's target, `EXTCODECOPY`):
    /// nothing for an account without deployed code (deployed empty code is fetched). Free
    /// under version 1.
    pub fn charge_code_fetch(&mut self, address: &Address) -> Result<(), OutOfNative> {
        if self.costs.model == ChargingModel::PerBlock {
            return Ok(());
        }
        self.charge_deployed_code_load(address)
    }

    /// Charges fetching the code of `address` when the account has deployed code (empty code
    /// a deployment installed included: upstream fetches its preimage like any other). No frame
    /// runs it, so a delegation designator is not analysed.
    fn charge_deployed_code_load(&mut self, address: &Address) -> Result<(), OutOfNative> {
        let account = self.account(address);
        if account.record_code_hash().is_none() {
            return Ok(());
        }
        let code = account.code.clone();
        self.charge_code(&code, false)
    }

    /// The state change of `SELFDESTRUCT` under protocol version 2 (upstream
    /// `account_cache.rs::mark_for_deconstruction`): the originator is materialised and written,
    /// then its whole balance moves to `beneficiary` through a charged transfer (charged for a
    /// zero balance too), or, when it names itself and is `deconstructed`, is zeroed. Returns
    /// the balance moved.
    pub fn selfdestruct_transfer(
        &mut self,
        originator: &Address,
        beneficiary: &Address,
        deconstructed: bool,
    ) -> Result<U256, OutOfNative> {
        self.charge_account_write(originator)?;
        let balance = self.account(originator).balance;
        if originator != beneficiary {
            self.transfer_materialised(originator, beneficiary, balance)?;
        } else if deconstructed {
            self.set_balance_free(originator, U256::ZERO);
        }
        Ok(balance)
    }

    /// What protocol version 2's `SELFDESTRUCT` has spent when it finds its gas short of the
    /// beneficiary's access: the originator read and written for the deconstruction, then again
    /// as the transfer's sender, then the native of the beneficiary's cache access, which
    /// upstream charges before that access's gas (`account_cache.rs::mark_for_deconstruction`,
    /// `transfer_nominal_token_value_inner`, `materialize_element`).
    pub fn charge_selfdestruct_short_of_gas(
        &mut self,
        originator: &Address,
    ) -> Result<(), OutOfNative> {
        self.charge_account_write(originator)?;
        self.charge_account_write(originator)?;
        self.charge_native(self.costs.account_access_native)
    }

    /// A read of `address` that protocol version 2 charges and version 1 does not (the
    /// bootloader's and the system's own reads: the caller before a call, the balance before a
    /// transfer, the nonce before a deployment).
    pub fn charge_account_read(&mut self, address: &Address) -> Result<(), OutOfNative> {
        match self.costs.model {
            ChargingModel::PerBlock => Ok(()),
            ChargingModel::Materialised => self.charge_account_access(address),
        }
    }

    /// Protocol version 2's nonce bump of `address` that finds the nonce at its maximum: the
    /// write is charged before the overflow is found (upstream
    /// `account_cache.rs::increment_nonce`). Free under version 1.
    pub fn charge_nonce_overflow(&mut self, address: &Address) -> Result<(), OutOfNative> {
        match self.costs.model {
            ChargingModel::PerBlock => Ok(()),
            ChargingModel::Materialised => self.charge_account_write(address),
        }
    }

    /// A transfer as protocol version 2's bootloader makes it: charged even for a zero value
    /// (see `transfer_materialised`).
    pub fn transfer_charged(
        &mut self,
        from: &Address,
        to: &Address,
        value: U256,
    ) -> Result<bool, OutOfNative> {
        self.transfer_materialised(from, to, value)
    }

    /// Version 2 transfer: the sender is charged and debited (or found short, which changes
    /// nothing more), then the recipient is charged and credited (or found at the top of the
    /// range, which undoes the debit and fails the transfer as a short balance does).
    pub(super) fn transfer_materialised(
        &mut self,
        from: &Address,
        to: &Address,
        value: U256,
    ) -> Result<bool, OutOfNative> {
        self.charge_account_write(from)?;
        let from_balance = self.account_mut(from).balance;
        let Some(new_from) = from_balance.checked_sub(value) else {
            return Ok(false);
        };
        self.set_balance_free(from, new_from);
        self.charge_account_write(to)?;
        let to_balance = self.account_mut(to).balance;
        // A credit past 2^256 − 1 fails the transfer once both sides are charged, and the
        // debit goes back (upstream `account_cache.rs::transfer_nominal_token_value_inner`,
        // `BalanceError::Overflow`, handled as a balance too low).
        let Some(new_to) = to_balance.checked_add(value) else {
            self.set_balance_free(from, from_balance);
            return Ok(false);
        };
        self.set_balance_free(to, new_to);
        Ok(true)
    }

    /// Charges loading an account's `code` into a frame. Version 1: a preimage read plus, the
    /// first time the code is seen in the block, its jumpdest analysis (done here). Version 2:
    /// a preimage get plus, the first time in the block, blake2s of the whole preimage (the
    /// analysis is stored with it). The code's hash is the account record's (no hashing).
    pub fn charge_code_load(&mut self, code: &Bytecode) -> Result<(), OutOfNative> {
        self.charge_code(code, true)
    }

    /// [`Self::charge_code_load`], for a frame that runs `code` (`runs`) or for a fetch alone
    /// (`EXTCODECOPY`, a deployment's target, a refused call's callee): under version 2 only a
    /// frame analyses a delegation designator, as upstream builds the missing bitmap when the
    /// interpreter starts on it (`evm_interpreter/src/ee_trait_impl.rs`); a fetch reads the
    /// preimage alone (`basic_system/src/system_implementation/system/io_subsystem.rs::
    /// get_observable_bytecode`, `basic_bootloader/src/bootloader/runner.rs::
    /// read_callee_account_properties`).
    fn charge_code(&mut self, code: &Bytecode, runs: bool) -> Result<(), OutOfNative> {
        let mut native = self.costs.preimage_access_native;
        let hash = code.hash();
        match self.costs.model {
            ChargingModel::PerBlock => {
                if self.analysed_code.contains(&hash) {
                    return self.charge_native(native);
                }
                native += self.costs.bytecode_analysis_byte_native * code.len() as u64;
                self.charge_native(native)?;
                code.jump_table();
                self.analysed_code.insert(hash);
                self.log_cache(CacheEntry::CodeAnalysed(hash));
            }
            ChargingModel::Materialised => {
                // Upstream reads the jumpdest bitmap stored in the preimage and charges no
                // analysis here (`evm_interpreter/src/lib.rs`, `parse_bytecode`); zkos rebuilds
                // it on the first jump, work this charge does not cover. Code that begins with
                // the EIP-7702 marker is stored as a delegation, without a bitmap and at the
                // default code version, so each frame that runs it analyses its padded bytes
                // (`api/src/helpers.rs::set_properties_code`, `evm_interpreter/src/
                // ee_trait_impl.rs`, `create_artifacts`).
                let delegation = code.bytes().starts_with(&DELEGATION_PREFIX);
                let padded = (code.len() + padding_len_bytes(code.len())) as u64;
                let key = PreimageKey::Code(preimage_identity(code.bytes(), || hash));
                if !self.preimages.contains(&key) {
                    let preimage_len = if delegation {
                        padded
                    } else {
                        bytecode_preimage_len_v2(code.len())
                    };
                    native += self.costs.blake2s_native(preimage_len);
                }
                if delegation && runs {
                    native += self.costs.bytecode_analysis_byte_native * padded;
                }
                self.charge_native(native)?;
                self.preimages.insert(key);
            }
        }
        Ok(())
    }

    /// Charges reading the code of `address` through the account cache (protocol version 2:
    /// an account access plus a preimage get; the bootloader reads a top-level deployment's
    /// code to return it). Free under version 1.
    pub fn charge_code_read(&mut self, address: &Address) -> Result<(), OutOfNative> {
        if self.costs.model == ChargingModel::PerBlock {
            return Ok(());
        }
        self.charge_account_access(address)?;
        self.charge_deployed_code_load(address)
    }

    /// Charges starting a constructor with `init_code` (never hashed: see
    /// [`Bytecode`]). Version 1: a preimage read and its jumpdest analysis, done here, every
    /// time; version 2 charges the analysis alone (6 native per byte), every time.
    pub fn charge_init_code(&mut self, init_code: &Bytecode) -> Result<(), OutOfNative> {
        let analysis = self.costs.bytecode_analysis_byte_native * init_code.len() as u64;
        match self.costs.model {
            ChargingModel::PerBlock => {
                self.charge_native(self.costs.preimage_access_native + analysis)?;
                init_code.jump_table();
                Ok(())
            }
            ChargingModel::Materialised => self.charge_native(analysis),
        }
    }

    /// Charges deploying `code` at `address`: keccak of the code (its observable hash), its
    /// jumpdest analysis and blake2s of its bytecode preimage (the record's code hash), which
    /// the deployment computes, plus recording the preimage and writing the account. Version 2
    /// follows upstream `account_cache.rs::deploy_code`: a cache access, those three, a
    /// preimage set and the write extra. Version 1: an account write, those three and a
    /// preimage access.
    pub(super) fn charge_deployment(
        &mut self,
        address: &Address,
        code: &[u8],
    ) -> Result<(), OutOfNative> {
        let len = code.len() as u64;
        if self.costs.model == ChargingModel::PerBlock {
            let costs = &self.costs;
            // Empty code is neither hashed, analysed nor stored.
            let native = if code.is_empty() {
                costs.preimage_access_native
            } else {
                costs
                    .keccak_native(len)
                    .saturating_add(costs.bytecode_analysis_byte_native * len)
                    .saturating_add(costs.blake2s_native(bytecode_preimage_len_v1(code.len())))
                    .saturating_add(costs.preimage_access_native)
            };
            self.charge_account_write(address)?;
            return self.charge_native(native);
        }
        self.charge_account_access(address)?;
        let costs = &self.costs;
        let native = costs
            .keccak_native(len)
            .saturating_add(costs.bytecode_analysis_byte_native * len)
            .saturating_add(costs.blake2s_native(bytecode_preimage_len_v2(code.len())))
            .saturating_add(costs.preimage_set_native)
            .saturating_add(costs.account_write_extra_native);
        self.charge_native(native)?;
        self.preimages
            .insert(PreimageKey::Code(preimage_identity(code, || {
                crate::primitives::keccak256(code)
            })));
        Ok(())
    }

    /// Version 2 cold part of a slot access: none once the transaction touched it; else a
    /// cold read of an existing or absent slot the first time in the block, of an existing one
    /// after that.
    fn slot_cold_native(&mut self, address: &Address, key: &U256) -> u64 {
        let costs = self.costs.clone();
        let slot = self.load_slot(address, key);
        if slot.warm {
            0
        } else if !slot.materialised && !slot.existed_at_block_start {
            costs.cold_read_new_native
        } else {
            costs.cold_read_existing_native
        }
    }

    /// Marks a charged slot as in the block's cache and warm; returns whether it was cold.
    fn warm_materialised_slot(&mut self, address: &Address, key: &U256) -> bool {
        let slot = self.load_slot(address, key);
        slot.materialised = true;
        let cold = !slot.warm;
        slot.warm = true;
        if cold {
            self.journal.push(JournalEntry::SlotWarmed(*address, *key));
        }
        cold
    }

    /// Version 2 `SLOAD`: upstream `storage_cache.rs::materialize_element` charges a warm
    /// read, then the cold part; the slot enters the block's cache only when both are paid.
    pub(super) fn sload_materialised(
        &mut self,
        address: &Address,
        key: &U256,
    ) -> Result<SlotAccess, OutOfNative> {
        let native = self.costs.warm_storage_read_native + self.slot_cold_native(address, key);
        self.charge_native(native)?;
        let cold = self.warm_materialised_slot(address, key);
        let value = self.load_slot(address, key).present;
        Ok(SlotAccess { value, cold })
    }

    /// Version 2 `SLOAD` of a cold slot by a frame short of the cold read's gas: upstream
    /// `storage_cache.rs::materialize_element` charges the warm read, then the cold part, each
    /// native before gas, and the cold part's gas fails inside the closure that would insert a
    /// slot new to the block's cache. So the native is spent and the slot stays out of the
    /// cache (a later read pays the first read again, 242,240 for an absent slot) and cold.
    pub fn sload_short_of_cold_gas(
        &mut self,
        address: &Address,
        key: &U256,
    ) -> Result<(), OutOfNative> {
        let native = self.costs.warm_storage_read_native + self.slot_cold_native(address, key);
        self.charge_native(native)
    }

    /// Version 2 access-list entry for a slot (upstream `storage_touch`): a slot read that
    /// warms it; a key of 0x8003 naming an account reads that account's properties hash slot.
    pub fn touch_slot(&mut self, address: &Address, key: &U256) -> Result<(), OutOfNative> {
        if self.costs.model == ChargingModel::PerBlock {
            self.warm_slot(address, key);
            return Ok(());
        }
        if let Some(owner) = super::hash_slot::hash_slot_owner(address, key) {
            return self.touch_hash_slot(&owner);
        }
        self.sload_materialised(address, key).map(|_| ())
    }

    /// Version 2 `SSTORE`, in upstream's order (`storage_cache.rs::apply_write_impl`, each
    /// charge native first): the read's native (a warm read and the cold part), after which
    /// the slot is in the block's cache for good; then the write extra's native; only then the
    /// gas (`price`; the read's own gas cannot run short above the stipend). So a write that
    /// runs out of native in its write extra, or out of gas, has spent that native and leaves
    /// the slot materialised, neither warm nor written.
    pub(super) fn sstore_materialised<E: From<OutOfNative>>(
        &mut self,
        address: &Address,
        key: &U256,
        value: U256,
        price: impl FnOnce(&StorageWrite) -> Result<(), E>,
    ) -> Result<(), E> {
        let costs = self.costs.clone();
        let cold_native = self.slot_cold_native(address, key);
        self.charge_native(costs.warm_storage_read_native + cold_native)?;
        let slot = self.load_slot(address, key);
        slot.materialised = true;
        let unset = !slot.existed_at_block_start && !slot.written;
        let write = StorageWrite {
            original: slot.original,
            present: slot.present,
            cold: !slot.warm,
        };
        self.charge_native(if unset {
            costs.cold_write_new_extra_native
        } else {
            costs.cold_write_existing_extra_native
        })?;
        price(&write)?;
        self.warm_materialised_slot(address, key);
        let slot = self.load_slot(address, key);
        slot.present = value;
        let first_write = !slot.written;
        slot.written = true;
        self.slot_index
            .changed(address, key, &write.present, &value);
        if first_write {
            self.journal.push(JournalEntry::SlotWritten(*address, *key));
        }
        self.journal
            .push(JournalEntry::Storage(*address, *key, write.present));
        Ok(())
    }

    /// The accounts the running transaction accessed (protocol version 2), each once.
    pub fn accessed_accounts(&self) -> impl Iterator<Item = &Account> + '_ {
        self.journal.iter().filter_map(|entry| match entry {
            JournalEntry::Accessed(address) => self.accounts.get(address),
            _ => None,
        })
    }

    /// The slots the running transaction accessed, each once: `(value at the block start,
    /// value now)`.
    pub fn accessed_slots(&self) -> impl Iterator<Item = (U256, U256)> + '_ {
        self.journal.iter().filter_map(|entry| match entry {
            JournalEntry::SlotWarmed(address, key) => self
                .storage
                .get(address, key)
                .map(|slot| (slot.initial, slot.present)),
            _ => None,
        })
    }
}

/// The preimage-cache key of `account`'s record at the start of the block.
fn record_key(account: &Account) -> PreimageKey {
    let start = &account.block_start;
    PreimageKey::Record(start.nonce, start.balance, start.code.hash())
}
