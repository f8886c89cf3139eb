//! The state at a recent block: which state version answers for a block number, how many
//! blocks stay readable (the history window), and the account queries at a block. Simulations
//! at a block ([`Engine::call_at`], ...) read the same version, in that block's own context.
//!
//! The state *at* block `n` is the state the next block (`n + 1`, or the next number held after
//! a gap) ran on: block `n`'s changes and every edit made after it (a balance set, ...) before
//! the next block. For the head it is the current state. Nothing is copied: the store keeps what
//! later versions replaced ([`super::versions`]).

use super::chain::{AccountInfo, Engine, MAX_HISTORY_BLOCKS};
use super::error::EngineError;
use super::records::BlockInfo;
use super::request::BlockOverrides;
use crate::context::BlockContext;
use crate::io::{StateKey, Unknown};
use crate::primitives::{keccak256, Address, KECCAK_EMPTY, U256};

impl Engine {
    /// How many blocks before the head keep their state readable (default
    /// [`DEFAULT_HISTORY_BLOCKS`](super::DEFAULT_HISTORY_BLOCKS)): with a window of `n`, the state at the head and at the `n`
    /// blocks before it can be read, and the transactions of the last `n` blocks re-traced.
    pub fn history_blocks(&self) -> u64 {
        self.history_blocks
    }

    /// Sets [`Engine::history_blocks`]; a smaller window forgets older states at once. Fails
    /// (changing nothing) above [`MAX_HISTORY_BLOCKS`].
    pub fn set_history_blocks(&mut self, blocks: u64) -> Result<(), EngineError> {
        if blocks > MAX_HISTORY_BLOCKS {
            return Err(EngineError::BadInput(
                "the history window may keep at most 2^20 blocks",
            ));
        }
        self.history_blocks = blocks;
        self.trim_history();
        Ok(())
    }

    /// Drops the blocks beyond the history window and the state versions only they needed.
    pub(super) fn trim_history(&mut self) {
        let keep = usize::try_from(self.history_blocks).unwrap_or(usize::MAX);
        while self.history.len() > keep {
            self.history.pop_front();
        }
        self.keep_history();
    }

    /// The state version that answers for block `number`: the current one for the head, the
    /// version the next block ran on for an older block in the window.
    /// [`EngineError::UnknownBlock`] for a number the engine holds no block at (above the head,
    /// a gap left by a number override, over a fork before the fork block);
    /// [`EngineError::HistoryUnavailable`] for a block older than the window.
    pub(super) fn version_at(&self, number: u64) -> Result<u64, EngineError> {
        if number == self.head().number {
            return Ok(self.state.version());
        }
        let next = self.block_after(number)?;
        self.history
            .iter()
            .find(|h| h.number == next.number)
            .map(|h| h.pre_version)
            .ok_or(EngineError::HistoryUnavailable)
    }

    /// The block after block `number` (which must be held and below the head).
    fn block_after(&self, number: u64) -> Result<&BlockInfo, EngineError> {
        self.get_block(number).ok_or(EngineError::UnknownBlock)?;
        let index = self.blocks.partition_point(|b| b.header.number <= number);
        self.blocks
            .get(index)
            .map(|b| &b.header)
            .ok_or(EngineError::UnknownBlock)
    }

    /// The state version and the block a simulation at block `at` runs with, `overrides`
    /// applied. At block `n` (the head included: "latest") it runs over the state at `n` with
    /// block `n`'s own context: its number, timestamp, fees, coinbase, gas limit and
    /// `PREVRANDAO`, the hashes of the 256 blocks before it (`BLOCKHASH(n)` is zero), as geth's
    /// `DoCall` runs on the requested header (go-ethereum internal/ethapi/api.go), anvil and
    /// upstream's `resolve_block_context` (zksync-os-server lib/rpc/src/eth_call_handler.rs) do.
    /// Without a block (`None`: "pending") it runs over the head's state in the next block to
    /// produce. An overridden number is taken as it is (geth's `BlockOverrides.Apply` checks
    /// none for a call) and the block hashes follow it.
    pub(super) fn simulated_block(
        &self,
        at: Option<u64>,
        overrides: &BlockOverrides,
    ) -> Result<(Option<u64>, BlockContext), EngineError> {
        let Some(number) = at else {
            return Ok((None, self.next_block_context(overrides)?));
        };
        let version = self.version_at(number)?;
        let header = self.get_block(number).ok_or(EngineError::UnknownBlock)?;
        let mut context = self.context_of(header);
        overrides.apply(&mut context);
        if overrides.number.is_some() {
            context.block_hashes = self.hashes_before(context.number);
        }
        Ok((Some(version), context))
    }

    /// The account at `address` in the state at block `number` (`None`: it does not exist).
    /// Over a fork, a value not fetched yet is [`EngineError::StateNeeded`].
    pub fn account_at(
        &self,
        address: &Address,
        number: u64,
    ) -> Result<Option<AccountInfo>, EngineError> {
        let view = self.state.view(Some(self.version_at(number)?))?;
        let account = view.account(address).map_err(|Unknown| {
            EngineError::StateNeeded(alloc::vec![StateKey::Account(*address)])
        })?;
        Ok(account.map(|a| AccountInfo {
            balance: a.balance,
            nonce: a.nonce,
            code_hash: if a.code.is_empty() {
                KECCAK_EMPTY
            } else {
                keccak256(&a.code)
            },
            code: a.code,
        }))
    }

    /// Slot `key` of `address` in the state at block `number` (zero when unset). Over a fork,
    /// a value not fetched yet is [`EngineError::StateNeeded`].
    pub fn storage_at(
        &self,
        address: &Address,
        key: &U256,
        number: u64,
    ) -> Result<U256, EngineError> {
        let view = self.state.view(Some(self.version_at(number)?))?;
        view.slot(address, key)
            .map(Option::unwrap_or_default)
            .map_err(|Unknown| {
                EngineError::StateNeeded(alloc::vec![StateKey::Storage(*address, *key)])
            })
    }
}
