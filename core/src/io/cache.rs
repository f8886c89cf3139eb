//! The journaled cache of accounts, storage, transient storage and events. What an access
//! costs follows the native table's [`ChargingModel`]; the protocol-version-2 shape is in
//! [`materialised`].

mod cache_log;
mod curves;
mod events;
mod hash_slot;
mod materialised;
mod misses;
mod rejected;
mod slot_hash;
mod slot_index;
mod slot_table;
mod storage;

use super::access::{Log, OutOfNative};
use super::account::{Account, AccountValues};
use super::journal::{Checkpoint, ChunkedLog, Journal, JournalEntry};
use super::messages::L2ToL1Message;
use super::source::{StateKey, StateSource, Unknown};
use crate::bytecode::Bytecode;
use crate::crypto::curves::{CurveBackend, DEFAULT_CURVES};
use crate::primitives::{Address, B256, U256};
use crate::resources::native::{ChargingModel, NativeCostTable};
use alloc::rc::Rc;
use alloc::vec::Vec;
use cache_log::CacheEntry;
use hashbrown::hash_map::Entry;
use hashbrown::{HashMap, HashSet};
use slot_hash::SlotHashBuilder;
use slot_index::SlotIndex;
use slot_table::SlotTable;

/// Accounts, storage and events of a block in progress, with a journal for rollback, a
/// native meter for the current transaction, and the backend of the curve precompiles.
pub struct Io<S> {
    source: S,
    costs: Rc<NativeCostTable>,
    curves: &'static dyn CurveBackend,
    /// Whether `curves` refused an operation: nothing run on this IO since is a result.
    curves_refused: bool,
    pub(super) accounts: HashMap<Address, Account>,
    pub(super) storage: SlotTable,
    /// The cached slots of each account (whether it has storage, wiping it).
    slot_index: SlotIndex,
    transient: HashMap<(Address, U256), U256, SlotHashBuilder>,
    pub(super) journal: Journal,
    logs: Vec<Log>,
    messages: Vec<L2ToL1Message>,
    tx_number: u16,
    native_limit: u64,
    /// `native_limit` minus the native used: one compare and subtract per charge.
    native_left: u64,
    empty_code: Rc<Bytecode>,
    code_cache: HashMap<B256, Rc<Bytecode>>,
    /// Whether the source can answer "unknown" (then reads are checked ahead, see
    /// [`Io::require_account`]).
    may_miss: bool,
    /// Keys found unknown by the checks since [`Io::take_missing`].
    missing: Vec<StateKey>,
    /// Whether a read met an unknown value no check had asked for (its result is wrong).
    unanswered: bool,
    /// Accounts warmed while the source did not know them, with their warmth: they count as
    /// loaded (as they would be over a source that knows everything) and are read from the
    /// source at their first real access.
    placeholders: HashMap<Address, bool>,
    /// Protocol version 1: the code whose jumpdest analysis the block has charged, by hash.
    analysed_code: HashSet<B256>,
    /// What the running transaction added to the block's caches (see [`rejected`]), but the
    /// slots it loaded: those are the storage cache's slots from `slots_before_tx` on.
    cache_log: ChunkedLog<CacheEntry>,
    /// How many slots were cached when the running transaction started.
    slots_before_tx: usize,
    /// Protocol version 2: the preimages the block has fetched or recorded, by what identifies
    /// them (see [`materialised`]); a rollback keeps them.
    preimages: HashSet<PreimageKey>,
    /// Protocol version 2: the sequence number of the running transaction (one per
    /// [`Io::start_tx_caches`]), which tells the properties hash slots it read (see
    /// [`hash_slot`]).
    tx_seq: u32,
}

/// What identifies a preimage in the block's preimage cache (protocol version 2): an account
/// record by its fields, a bytecode by its padded preimage (`bytecode::preimage::
/// preimage_identity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum PreimageKey {
    /// An account record: nonce, balance and code hash.
    Record(u64, U256, B256),
    /// A bytecode preimage.
    Code(B256),
}

impl<S: StateSource> Io<S> {
    /// A fresh cache over `source`, charging native from `costs`.
    pub fn new(source: S, costs: Rc<NativeCostTable>) -> Self {
        Self {
            may_miss: source.may_miss(),
            missing: Vec::new(),
            unanswered: false,
            placeholders: HashMap::new(),
            source,
            costs,
            curves: DEFAULT_CURVES,
            curves_refused: false,
            accounts: HashMap::new(),
            storage: SlotTable::default(),
            slot_index: SlotIndex::default(),
            transient: HashMap::default(),
            journal: Journal::default(),
            logs: Vec::new(),
            messages: Vec::new(),
            tx_number: 0,
            native_limit: u64::MAX,
            native_left: u64::MAX,
            empty_code: Rc::new(Bytecode::new(&[])),
            code_cache: HashMap::new(),
            analysed_code: HashSet::new(),
            cache_log: ChunkedLog::default(),
            slots_before_tx: 0,
            preimages: HashSet::new(),
            tx_seq: 0,
        }
    }

    /// The native cost table.
    #[inline]
    pub fn costs(&self) -> &NativeCostTable {
        &self.costs
    }

    /// The native cost table, shared (the interpreter holds it while it borrows the IO mutably).
    #[inline]
    pub fn shared_costs(&self) -> Rc<NativeCostTable> {
        self.costs.clone()
    }

    /// The shared empty bytecode.
    pub fn empty_code(&self) -> Rc<Bytecode> {
        self.empty_code.clone()
    }

    // ---- native meter ----

    /// Starts metering a transaction with `limit` native.
    pub fn reset_native(&mut self, limit: u64) {
        self.native_limit = limit;
        self.native_left = limit;
    }

    /// Native used since [`Self::reset_native`].
    #[inline]
    pub fn native_used(&self) -> u64 {
        self.native_limit - self.native_left
    }

    /// Native left.
    #[inline]
    pub fn native_remaining(&self) -> u64 {
        self.native_left
    }

    /// Charges `amount` native; fails when the limit would be exceeded (nothing is charged then,
    /// and the meter is set to exhausted).
    #[inline]
    pub fn charge_native(&mut self, amount: u64) -> Result<(), OutOfNative> {
        if amount > self.native_left {
            self.native_left = 0;
            return Err(OutOfNative);
        }
        self.native_left -= amount;
        Ok(())
    }

    /// Gives back `amount` native charged in advance for work that did not happen (the native
    /// left never exceeds the limit).
    pub fn refund_native(&mut self, amount: u64) {
        self.native_left = self
            .native_left
            .saturating_add(amount)
            .min(self.native_limit);
    }

    // ---- accounts ----

    /// Loads `address` into the cache; returns whether it was loaded now (first access in the
    /// block) and the cached account.
    fn load(&mut self, address: &Address) -> (bool, &mut Account) {
        // One lookup: a cached account is found by the entry itself.
        let entry = match self.accounts.entry(*address) {
            Entry::Occupied(entry) => return (false, entry.into_mut()),
            Entry::Vacant(entry) => entry,
        };
        if self.costs.model == ChargingModel::PerBlock {
            self.cache_log.push(CacheEntry::AccountLoaded(*address));
        }
        // A placeholder was loaded when it was warmed.
        let warm = self.placeholders.remove(address);
        let first = warm.is_none();
        let stored = self.source.account(address).unwrap_or_else(|Unknown| {
            self.unanswered = true;
            None
        });
        let account = entry.insert({
            let existed = stored.is_some();
            let stored = stored.unwrap_or_default();
            // A record's observable hash is keccak(empty) for deployed empty code, zero for
            // none (upstream `account_cache.rs::deploy_code`).
            let deployed_empty =
                stored.code.is_empty() && stored.code_hash == Some(crate::primitives::KECCAK_EMPTY);
            let code = shared_code(
                &mut self.code_cache,
                &self.empty_code,
                &stored.code,
                stored.code_hash,
            );
            Account {
                nonce: stored.nonce,
                balance: stored.balance,
                block_start: AccountValues {
                    nonce: stored.nonce,
                    balance: stored.balance,
                    code: code.clone(),
                    deployed_empty,
                },
                code,
                deployed_empty,
                exists: existed,
                existed_at_block_start: existed,
                had_storage_at_block_start: stored.has_storage,
                created_in_tx: false,
                warm: warm.unwrap_or(false),
                touched: false,
                selfdestructed: false,
                materialised: false,
                accessed: false,
                hash_slot_read_in: None,
            }
        });
        (first, account)
    }

    fn account_mut(&mut self, address: &Address) -> &mut Account {
        self.load(address).1
    }

    /// The cached account (loading it without charging native).
    pub fn account(&mut self, address: &Address) -> &Account {
        self.account_mut(address)
    }

    /// Reads `address` for an instruction: charges native for a cache access (or a tree read the
    /// first time in the block), warms it, and returns whether it was cold (EIP-2929).
    pub fn access_account(&mut self, address: &Address) -> Result<bool, OutOfNative> {
        if self.costs.model == ChargingModel::Materialised {
            self.charge_account_access(address)?;
            return Ok(self.warm_account(address));
        }
        let (first, account) = self.load(address);
        let existed = account.existed_at_block_start;
        let native = match (first, existed) {
            (true, true) => {
                self.costs.cold_read_existing_native + self.costs.preimage_access_native
            }
            (true, false) => self.costs.cold_read_new_native,
            (false, _) => self.costs.account_access_native,
        };
        self.charge_native(native)?;
        Ok(self.warm_account(address))
    }

    /// Marks `address` warm; returns whether it was cold. An account the source does not know
    /// yet stays unread (a placeholder) until something reads it.
    pub fn warm_account(&mut self, address: &Address) -> bool {
        if self.may_miss && !self.accounts.contains_key(address) {
            if let Some(warm) = self.placeholders.get_mut(address) {
                let cold = !core::mem::replace(warm, true);
                if cold {
                    self.journal.push(JournalEntry::AccountWarmed(*address));
                }
                return cold;
            }
            if self.source.account(address).is_err() {
                self.placeholders.insert(*address, true);
                self.journal.push(JournalEntry::AccountWarmed(*address));
                return true;
            }
        }
        let account = self.account_mut(address);
        if account.warm {
            false
        } else {
            account.warm = true;
            self.journal.push(JournalEntry::AccountWarmed(*address));
            true
        }
    }

    /// Whether `address` is warm.
    pub fn is_warm(&self, address: &Address) -> bool {
        match self.accounts.get(address) {
            Some(account) => account.warm,
            None => self.placeholders.get(address) == Some(&true),
        }
    }

    /// Forgets the warmth of `address` without loading it.
    fn cool_account(&mut self, address: &Address) {
        if let Some(account) = self.accounts.get_mut(address) {
            account.warm = false;
        } else if let Some(warm) = self.placeholders.get_mut(address) {
            *warm = false;
        }
    }

    /// The state source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// Marks the account touched (EIP-161).
    pub fn touch(&mut self, address: &Address) {
        let account = self.account_mut(address);
        if !account.touched {
            account.touched = true;
            self.journal.push(JournalEntry::Touched(*address));
        }
    }

    /// Charges a write to `address`: a cache access plus the write extra (under protocol version
    /// 2 the access may materialise the account).
    fn charge_account_write(&mut self, address: &Address) -> Result<(), OutOfNative> {
        if self.costs.model == ChargingModel::Materialised {
            self.charge_account_access(address)?;
            return self.charge_native(self.costs.account_write_extra_native);
        }
        self.charge_native(self.costs.account_access_native + self.costs.account_write_extra_native)
    }

    /// Sets the balance of `address`.
    pub fn set_balance(&mut self, address: &Address, balance: U256) -> Result<(), OutOfNative> {
        self.charge_account_write(address)?;
        self.set_balance_free(address, balance);
        Ok(())
    }

    /// Adds `amount` to the balance of `address`, charged as [`Self::set_balance`]. Balances
    /// never wrap: a credit that would pass 2^256 − 1 leaves the balance there (the excess is
    /// lost). Every credit (fees, refunds, mints, value received) follows this rule.
    pub fn credit(&mut self, address: &Address, amount: U256) -> Result<(), OutOfNative> {
        let balance = self.account_mut(address).balance;
        self.set_balance(address, balance.saturating_add(amount))
    }

    fn set_balance_free(&mut self, address: &Address, balance: U256) {
        let account = self.account_mut(address);
        let old = account.balance;
        account.balance = balance;
        self.journal.push(JournalEntry::Balance(*address, old));
        self.make_exist(address);
    }

    /// Moves `value` from `from` to `to`; returns `Ok(false)` (and changes nothing) when `from`
    /// cannot afford it. Under protocol version 2 each side is charged as it is updated (the
    /// sender first), as upstream does.
    pub fn transfer(
        &mut self,
        from: &Address,
        to: &Address,
        value: U256,
    ) -> Result<bool, OutOfNative> {
        if value.is_zero() {
            return Ok(true);
        }
        if self.costs.model == ChargingModel::Materialised {
            return self.transfer_materialised(from, to, value);
        }
        self.charge_account_write(from)?;
        self.charge_account_write(to)?;
        let from_balance = self.account_mut(from).balance;
        let Some(new_from) = from_balance.checked_sub(value) else {
            return Ok(false);
        };
        self.set_balance_free(from, new_from);
        // Balances never wrap (see `credit`).
        let to_balance = self.account_mut(to).balance;
        self.set_balance_free(to, to_balance.saturating_add(value));
        Ok(true)
    }

    /// Sets the nonce of `address`.
    pub fn set_nonce(&mut self, address: &Address, nonce: u64) -> Result<(), OutOfNative> {
        self.charge_account_write(address)?;
        let account = self.account_mut(address);
        let old = account.nonce;
        account.nonce = nonce;
        self.journal.push(JournalEntry::Nonce(*address, old));
        self.make_exist(address);
        Ok(())
    }

    /// Installs `code` at `address`, charging the deployment's hashing, analysis and preimage
    /// (see `charge_deployment`).
    pub fn set_code(&mut self, address: &Address, code: &[u8]) -> Result<(), OutOfNative> {
        self.charge_deployment(address, code)?;
        let code = shared_code(&mut self.code_cache, &self.empty_code, code, None);
        let account = self.account_mut(address);
        let old = core::mem::replace(&mut account.code, code);
        self.journal.push(JournalEntry::Code(*address, old));
        // Version 2 marks the account deployed even for empty code (upstream
        // `account_cache.rs::deploy_code` sets the deployed bit and the empty code's hashes).
        let marks_empty = self.costs.model == ChargingModel::Materialised;
        let account = self.account_mut(address);
        if marks_empty && account.code.is_empty() && !account.deployed_empty {
            account.deployed_empty = true;
            self.journal.push(JournalEntry::DeployedEmpty(*address));
        }
        self.make_exist(address);
        Ok(())
    }

    /// Makes `address` exist (journaled).
    fn make_exist(&mut self, address: &Address) {
        let account = self.account_mut(address);
        if !account.exists {
            account.exists = true;
            self.journal.push(JournalEntry::Exists(*address));
        }
    }

    /// Marks `address` as created by this transaction (EIP-6780) and makes it exist.
    pub fn mark_created(&mut self, address: &Address) {
        let account = self.account_mut(address);
        let existed = account.exists;
        account.created_in_tx = true;
        account.exists = true;
        self.journal.push(JournalEntry::Created {
            address: *address,
            existed,
        });
    }

    /// Whether `address` has non-zero storage now or had any at the start of the block.
    pub fn has_storage(&mut self, address: &Address) -> bool {
        self.account_mut(address).had_storage_at_block_start || self.slot_index.has_nonzero(address)
    }

    /// Records that `address` self-destructed in this transaction.
    pub fn mark_selfdestructed(&mut self, address: &Address) {
        let account = self.account_mut(address);
        if !account.selfdestructed {
            account.selfdestructed = true;
            self.journal.push(JournalEntry::SelfDestructed(*address));
        }
    }

    // ---- checkpoints ----

    /// The current point to roll back to.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            journal_len: self.journal.len(),
            logs_len: self.logs.len(),
            messages_len: self.messages.len(),
        }
    }

    /// Undoes everything after `checkpoint`.
    pub fn rollback(&mut self, checkpoint: Checkpoint) {
        self.logs.truncate(checkpoint.logs_len);
        self.messages.truncate(checkpoint.messages_len);
        while self.journal.len() > checkpoint.journal_len {
            let Some(entry) = self.journal.pop() else {
                break;
            };
            self.undo(entry);
        }
    }

    fn undo(&mut self, entry: JournalEntry) {
        match entry {
            JournalEntry::AccountWarmed(a) => self.cool_account(&a),
            JournalEntry::SlotWarmed(a, k) => {
                if let Some(slot) = self.storage.get_mut(&a, &k) {
                    slot.warm = false;
                }
            }
            JournalEntry::Balance(a, old) => self.account_mut(&a).balance = old,
            JournalEntry::Nonce(a, old) => self.account_mut(&a).nonce = old,
            JournalEntry::Code(a, old) => self.account_mut(&a).code = old,
            JournalEntry::DeployedEmpty(a) => self.account_mut(&a).deployed_empty = false,
            JournalEntry::Created { address, existed } => {
                let account = self.account_mut(&address);
                account.created_in_tx = false;
                account.exists = existed;
            }
            JournalEntry::Storage(a, k, old) => {
                if let Some(slot) = self.storage.get_mut(&a, &k) {
                    let now = core::mem::replace(&mut slot.present, old);
                    self.slot_index.changed(&a, &k, &now, &old);
                }
            }
            JournalEntry::Transient(a, k, old) => {
                self.transient.insert((a, k), old);
            }
            JournalEntry::Exists(a) => self.account_mut(&a).exists = false,
            JournalEntry::Touched(a) => self.account_mut(&a).touched = false,
            JournalEntry::SelfDestructed(a) => self.account_mut(&a).selfdestructed = false,
            JournalEntry::Accessed(a) => self.account_mut(&a).accessed = false,
            JournalEntry::SlotWritten(a, k) => {
                if let Some(slot) = self.storage.get_mut(&a, &k) {
                    slot.written = false;
                }
            }
        }
    }

    /// Ends a transaction: deletes self-destructed accounts created in it (EIP-6780) and, when
    /// `clear_empty_touched`, touched empty accounts (EIP-161); then resets warmth, transient
    /// storage and the journal.
    pub fn finish_tx(&mut self, clear_empty_touched: bool) {
        let journal = core::mem::take(&mut self.journal);
        // Every warm slot has its `SlotWarmed` entry in this journal (slots start a transaction
        // cold, and undoing that entry cools the slot), so when the journal is at least half as
        // long as the cache, one pass over the cache cools them for less than a lookup each.
        let sweep_slots = journal.len() >= self.storage.len() / 2;
        if sweep_slots {
            for slot in self.storage.values_mut().filter(|slot| slot.warm) {
                slot.warm = false;
                slot.original = slot.present;
            }
        }
        let mut to_delete: Vec<Address> = Vec::new();
        for entry in journal.iter() {
            match entry {
                JournalEntry::AccountWarmed(a) => {
                    if let Some(account) = self.accounts.get_mut(a) {
                        account.warm = false;
                    } else if let Some(warm) = self.placeholders.get_mut(a) {
                        *warm = false;
                    }
                }
                JournalEntry::Accessed(a) => {
                    if let Some(account) = self.accounts.get_mut(a) {
                        account.accessed = false;
                    }
                }
                // Only the warming entries (unless swept above): a written slot is warm, so a
                // `Storage` entry adds nothing to do.
                JournalEntry::SlotWarmed(a, k) if !sweep_slots => {
                    if let Some(slot) = self.storage.get_mut(a, k) {
                        slot.warm = false;
                        slot.original = slot.present;
                    }
                }
                JournalEntry::SelfDestructed(a) => to_delete.extend(
                    self.accounts
                        .get(a)
                        .filter(|acc| acc.selfdestructed && acc.created_in_tx)
                        .map(|_| *a),
                ),
                JournalEntry::Touched(a) if clear_empty_touched => to_delete.extend(
                    self.accounts
                        .get(a)
                        .filter(|acc| acc.touched && acc.exists && acc.is_empty())
                        .map(|_| *a),
                ),
                _ => {}
            }
        }
        for entry in journal.iter() {
            if let JournalEntry::Created { address, .. }
            | JournalEntry::Touched(address)
            | JournalEntry::SelfDestructed(address) = entry
            {
                if let Some(account) = self.accounts.get_mut(address) {
                    account.created_in_tx = false;
                    account.touched = false;
                    account.selfdestructed = false;
                }
            }
        }
        if self.costs.model == ChargingModel::Materialised && !to_delete.is_empty() {
            self.unset_slots_written(&journal, &to_delete);
        }
        for address in to_delete {
            self.delete_account(&address);
        }
        self.transient.clear();
    }

    /// Version 2: the slots `journal` wrote of the accounts in `deleted` count as never set
    /// again, so their next write pays a new slot's write extra. Upstream deletes a
    /// self-destructed account at the end of the transaction that created it by zeroing every
    /// cached slot of it and marking each unset (`account_cache.rs::finish_tx`,
    /// `storage_cache.rs::clear_state_impl`), and prices a write by that mark.
    /// `deleted` goes into a set first: a transaction can delete thousands of accounts and write
    /// hundreds of thousands of slots.
    fn unset_slots_written(&mut self, journal: &ChunkedLog<JournalEntry>, deleted: &[Address]) {
        let deleted: HashSet<&Address> = deleted.iter().collect();
        for entry in journal.iter() {
            if let JournalEntry::SlotWritten(address, key) = entry {
                if deleted.contains(address) {
                    if let Some(slot) = self.storage.get_mut(address, key) {
                        slot.written = false;
                        slot.existed_at_block_start = false;
                    }
                }
            }
        }
    }

    fn delete_account(&mut self, address: &Address) {
        let empty = self.empty_code.clone();
        let account = self.account_mut(address);
        account.nonce = 0;
        account.balance = U256::ZERO;
        account.code = empty;
        account.deployed_empty = false;
        account.exists = false;
        for key in self.slot_index.wipe(address) {
            if let Some(slot) = self.storage.get_mut(address, &key) {
                slot.present = U256::ZERO;
                slot.original = U256::ZERO;
            }
        }
    }

    // ---- block results ----

    /// Accounts whose state may have changed in the block, with their current state.
    pub fn accounts(&self) -> impl Iterator<Item = (&Address, &Account)> {
        self.accounts.iter()
    }

    /// Slots whose value differs from the start of the block: `(address, key, initial, final)`.
    pub fn storage_diffs(&self) -> impl Iterator<Item = (Address, U256, U256, U256)> + '_ {
        self.storage
            .iter()
            .filter(|(_, slot)| slot.present != slot.initial)
            .map(|((a, k), slot)| (*a, *k, slot.initial, slot.present))
    }

    /// Whether `address` is cached (was accessed in this block).
    pub fn is_cached(&self, address: &Address) -> bool {
        self.accounts.contains_key(address) || self.placeholders.contains_key(address)
    }
}

/// The cached `Bytecode` for `code`: one shared instance per code hash in the block. `hash`
/// is the code's keccak hash when known (an account record's); otherwise the code is hashed
/// here (a deployment, which pays for it).
fn shared_code(
    cache: &mut HashMap<B256, Rc<Bytecode>>,
    empty: &Rc<Bytecode>,
    code: &[u8],
    hash: Option<B256>,
) -> Rc<Bytecode> {
    if code.is_empty() {
        return empty.clone();
    }
    let fresh = match hash {
        Some(hash) => Bytecode::with_hash(code, hash),
        None => Bytecode::new(code),
    };
    cache
        .entry(fresh.hash())
        .or_insert_with(|| Rc::new(fresh))
        .clone()
}
