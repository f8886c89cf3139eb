//! The engine itself: one local chain with its configuration, fee parameters, state and
//! blocks, and the account queries and edits. Block production, simulation, estimation,
//! tracing and stepping sessions are implemented beside it.

use super::chain_state::ChainState;
use super::error::EngineError;
use super::fees::{BlockParams, FeeParams, MAX_SET_BASE_FEE_WEI};
use super::fork_point::ForkPoint;
use super::overrides::EngineSource;
use super::records::StoredBlock;
use crate::bootloader::{ChainFlow, Flow, RecoveredSenders};
use crate::config::{ChainConfig, FlowKind};
use crate::crypto::curves::{CurveBackend, DEFAULT_CURVES};
use crate::io::{Io, StateKey};
use crate::primitives::{keccak256, Address, Bytes, B256, KECCAK_EMPTY, U256};
use crate::resources::blob_schedule::BlobSchedules;
use crate::resources::native::NativeCostTable;
use crate::state::tree::StateCommitment;
use crate::tx::intrinsic::TX_BASE_GAS;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::vec::Vec;
use hashbrown::HashMap;

/// An account as a user sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountInput {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Code (empty for an EOA).
    pub code: Bytes,
    /// Slots to set (other slots keep their values; a zero value clears a slot).
    pub storage: Vec<(U256, U256)>,
}

/// An account as the engine reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountInfo {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// keccak256 of the code.
    pub code_hash: B256,
    /// Code.
    pub code: Bytes,
}

/// How many blocks before the head keep their state readable (queries and simulations at a
/// block, and re-tracing a block's transactions) unless the engine is told otherwise: geth's
/// in-memory state window (`TriesInMemory = 128`, go-ethereum `core/state/statedb.go`; in
/// `core/blockchain.go` before v1.13).
pub const DEFAULT_HISTORY_BLOCKS: u64 = 128;

/// Most blocks a history window may keep (bounds what a caller can ask the engine to hold).
pub const MAX_HISTORY_BLOCKS: u64 = 1 << 20;

/// Gas a simulation (call, estimate, trace, session) may use when the engine is not told
/// otherwise: geth's default RPC gas cap (`--rpc.gascap`, 50,000,000).
pub const DEFAULT_RPC_GAS_CAP_GAS: u64 = 50_000_000;

/// A recent block whose pre-state stays readable (the state at the block before it, and for
/// re-tracing its transactions).
#[derive(Clone)]
pub(super) struct History {
    /// The block's number.
    pub(super) number: u64,
    /// The state version before the block.
    pub(super) pre_version: u64,
}

/// A local chain: its state, blocks, transactions and receipts. A clone is an independent
/// copy of the whole chain; [`Engine::checkpoint`] is a point to return to without one.
#[derive(Clone)]
pub struct Engine {
    pub(super) config: ChainConfig,
    /// The chain's transaction flow, chosen once from `config`.
    pub(super) flow: ChainFlow,
    pub(super) fees: FeeParams,
    pub(super) costs: Rc<NativeCostTable>,
    pub(super) state: ChainState,
    pub(super) genesis: StoredBlock,
    pub(super) blocks: Vec<StoredBlock>,
    /// Block number and index within the block of each included transaction (a hash map: a
    /// rewind removes entries, and removal from a `BTreeMap` of these took 2.1 KB of gzipped
    /// wasm).
    pub(super) tx_index: HashMap<B256, (u64, usize)>,
    pub(super) history: VecDeque<History>,
    /// How many blocks `history` keeps (see [`Engine::history_blocks`]).
    pub(super) history_blocks: u64,
    /// Where the on-demand precompiles' arithmetic runs (see [`Engine::set_curves`]).
    pub(super) curves: &'static dyn CurveBackend,
    /// The block of a forked chain the engine builds on.
    pub(super) fork: Option<ForkPoint>,
    /// The blob schedule of each block by hardfork and timestamp (see
    /// [`Engine::set_blob_schedules`]).
    pub(super) blob_schedules: BlobSchedules,
    /// Test support: every operation reads over a source that knows nothing until told (see
    /// [`crate::io::forgetful`]); set for a whole test run by `ZKOS_TEST_FORGETFUL_STATE`.
    #[cfg(test)]
    pub(super) forgetful: bool,
    /// Test support: rounds of state the forgetful source was told, over all operations.
    #[cfg(test)]
    pub(super) rounds: core::cell::Cell<u64>,
    /// Most gas a simulation may use (see [`Engine::set_rpc_gas_cap`]).
    pub(super) rpc_gas_cap: u64,
    /// Senders recovered when transactions were admitted ([`Engine::pending_tx`]), taken
    /// again when the same bytes come in a block.
    pub(super) senders: RecoveredSenders,
}

impl Engine {
    /// A chain with an empty state, the default fee parameters and a genesis block 0 at
    /// timestamp 0.
    pub fn new(config: ChainConfig) -> Self {
        Self::with_fees(config, FeeParams::default())
    }

    /// A chain with the given fee parameters and the genesis state of its flow: empty for
    /// Ethereum and for ZKsync OS protocol version 2 (whose L1 messenger at 0x8008 is a hook);
    /// for version 1 the L1 messenger forwarder at 0x8008 ([`crate::system::genesis`]), so
    /// contracts can send L2→L1 messages as on Era.
    pub fn with_fees(config: ChainConfig, fees: FeeParams) -> Self {
        Self::build(config, fees, None)
    }

    /// A chain that builds on block `point` of a forked chain: new blocks follow it (number,
    /// timestamp, parent hash, and `fees` as the caller derived them from it), and every value
    /// of the forked chain is asked of the host as the engine needs it (see
    /// [`EngineError::StateNeeded`] and [`Engine::supply`]). Nothing of the flow's genesis is
    /// written: the EIP-2935 history contract (Ethereum flow from Prague) and the L1 messenger
    /// forwarder (ZKsync OS flow) are what the forked chain holds at their addresses.
    pub fn fork(config: ChainConfig, fees: FeeParams, point: ForkPoint) -> Self {
        Self::build(config, fees, Some(point))
    }

    fn build(config: ChainConfig, fees: FeeParams, fork: Option<ForkPoint>) -> Self {
        let flow = ChainFlow::of(&config);
        let state = ChainState::new(config.flow == FlowKind::Ethereum, fork.is_some());
        // A forked chain's own accounts win: its genesis accounts (the history contract, the
        // messenger forwarder) are there or not as that chain says, read like any other.
        let genesis_accounts = if fork.is_some() {
            &[][..]
        } else {
            flow.genesis()
        };
        for account in genesis_accounts {
            // Genesis code is a few dozen bytes and always fits an account record, so this
            // cannot fail.
            let _ = state.set_account(
                account.address,
                (account.nonce, U256::ZERO, Bytes::from_static(account.code)),
                &[],
            );
        }
        let genesis = match &fork {
            Some(point) => StoredBlock::fork_point(point, &fees),
            None => StoredBlock::genesis(&fees),
        };
        let engine = Self {
            genesis,
            config,
            flow,
            fees,
            costs: Rc::new(NativeCostTable::for_version(config.protocol_version)),
            state,
            blocks: Vec::new(),
            tx_index: HashMap::new(),
            history: VecDeque::new(),
            history_blocks: DEFAULT_HISTORY_BLOCKS,
            curves: DEFAULT_CURVES,
            #[cfg(test)]
            forgetful: forgetful_tests(),
            #[cfg(test)]
            rounds: core::cell::Cell::new(0),
            rpc_gas_cap: DEFAULT_RPC_GAS_CAP_GAS,
            senders: RecoveredSenders::default(),
            blob_schedules: match &fork {
                Some(_) => BlobSchedules::of_network(config.chain_id),
                None => BlobSchedules::default(),
            },
            fork,
        };
        #[cfg(test)]
        if engine.forgetful {
            engine.state.set_forgetful();
        }
        engine.keep_history();
        engine
    }

    /// Sets the blob schedules blocks run under (a chain's own EIP-7840 `blobSchedule`). By
    /// default each hardfork's own, and for an engine forking a network zkos knows (Ethereum
    /// mainnet, Sepolia, Hoodi, Holesky) also its blob-parameter-only forks (EIP-7892).
    pub fn set_blob_schedules(&mut self, schedules: BlobSchedules) {
        self.blob_schedules = schedules;
    }

    /// The forked chain's block the engine builds on, when it forks one.
    pub fn fork_point(&self) -> Option<&ForkPoint> {
        self.fork.as_ref()
    }

    /// Keeps the state versions the block history needs readable, and no more.
    pub(super) fn keep_history(&self) {
        let oldest = self
            .history
            .front()
            .map(|h| h.pre_version)
            .unwrap_or_else(|| self.state.version());
        self.state.keep_from(oldest);
    }

    /// Which of `keys` the engine does not know yet (over a forked chain: not fetched).
    pub fn unknown(&self, keys: &[StateKey]) -> Vec<StateKey> {
        self.state.unknown(keys)
    }

    /// The chain configuration.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// Runs the arithmetic of the on-demand precompiles — RIPEMD-160 (0x03), modexp (0x05),
    /// bn254 (0x06–0x08), KZG (0x0a), BLS12-381 (0x0b–0x11) and P256VERIFY (0x100) — on
    /// `curves` from now on (the default is [`crate::crypto::curves::DEFAULT_CURVES`]). A
    /// request that reaches one `curves` refuses fails with [`EngineError::CurvesNotLoaded`]
    /// and changes nothing; a stepping session that reaches one fails the same way from then
    /// on.
    pub fn set_curves(&mut self, curves: &'static dyn CurveBackend) {
        self.curves = curves;
    }

    /// A fresh IO over `source` with the engine's cost table and curve backend.
    pub(super) fn io(&self, source: EngineSource) -> Io<EngineSource> {
        let mut io = Io::new(source, self.costs.clone());
        io.set_curves(self.curves);
        io
    }

    /// The fee parameters new blocks use.
    pub fn fees(&self) -> &FeeParams {
        &self.fees
    }

    /// Changes the fee parameters for blocks produced from now on.
    pub fn set_fees(&mut self, fees: FeeParams) {
        self.fees = fees;
    }

    /// Changes the base fee, coinbase and gas limit of the blocks produced from now on, all or
    /// nothing. ZKsync OS's base fee is a chain parameter, not EIP-1559's: it stays as set until
    /// set again. Fails (changing nothing) for a base fee above [`MAX_SET_BASE_FEE_WEI`] or a gas
    /// limit below [`TX_BASE_GAS`] (no transaction could be mined, nor any call run).
    pub fn set_block_params(&mut self, params: BlockParams) -> Result<(), EngineError> {
        if params
            .base_fee
            .is_some_and(|fee| fee > U256::from(MAX_SET_BASE_FEE_WEI))
        {
            return Err(EngineError::BadInput(
                "the base fee must be at most 2^128 - 1 wei (the most a fee cap holds)",
            ));
        }
        if params.gas_limit.is_some_and(|limit| limit < TX_BASE_GAS) {
            return Err(EngineError::BadInput(
                "the block gas limit must be at least 21000 (the least a transaction needs)",
            ));
        }
        let fees = &mut self.fees;
        fees.base_fee = params.base_fee.unwrap_or(fees.base_fee);
        fees.coinbase = params.coinbase.unwrap_or(fees.coinbase);
        fees.block_gas_limit = params.gas_limit.unwrap_or(fees.block_gas_limit);
        Ok(())
    }

    /// Most gas a simulation ([`Engine::call`], [`Engine::estimate_gas`], [`Engine::trace_call`],
    /// [`Engine::session`]) may use, and the default gas limit of a block's request
    /// transactions (default [`DEFAULT_RPC_GAS_CAP_GAS`]).
    pub fn rpc_gas_cap(&self) -> u64 {
        self.rpc_gas_cap
    }

    /// Sets [`Engine::rpc_gas_cap`]; fails (changing nothing) below 21,000, the least any
    /// transaction needs.
    pub fn set_rpc_gas_cap(&mut self, cap: u64) -> Result<(), EngineError> {
        if cap < TX_BASE_GAS {
            return Err(EngineError::BadInput(
                "the RPC gas cap must be at least 21000",
            ));
        }
        self.rpc_gas_cap = cap;
        Ok(())
    }

    /// Largest gas limit one transaction may have: the block gas limit, and under Osaka or the
    /// ZKsync OS flow also the EIP-7825 cap of 2^24.
    pub fn tx_gas_cap(&self) -> u64 {
        self.flow.tx_gas_cap(self.fees.block_gas_limit)
    }

    /// Largest gas limit a simulation may have before the RPC gas cap: the block gas limit,
    /// and in the ZKsync OS flow also its cap of 2^24 (the Ethereum flow's simulations skip
    /// EIP-7825's, as geth's do).
    pub(super) fn simulation_gas_cap(&self) -> u64 {
        self.flow.simulation_gas_cap(self.fees.block_gas_limit)
    }

    /// Sets nonce, balance and code of `address` and the listed slots. Fails (changing
    /// nothing) when the code cannot be stored (longer than 2^32 bytes).
    pub fn set_account(
        &mut self,
        address: Address,
        account: AccountInput,
    ) -> Result<(), EngineError> {
        self.state.set_account(
            address,
            (account.nonce, account.balance, account.code),
            &account.storage,
        )?;
        self.keep_history();
        Ok(())
    }

    /// The state commitment of the current state (Blake2s tree root and next free slot).
    pub fn state_commitment(&self) -> StateCommitment {
        self.state.commitment()
    }

    /// Sets one storage slot of `address` (zero clears it; a missing account is created).
    pub fn set_storage(&mut self, address: Address, key: U256, value: U256) {
        self.state.set_storage(address, &[(key, value)]);
        self.keep_history();
    }

    /// Nonce, balance and code of `address` as far as the engine knows them (over a forked
    /// chain, an account not fetched yet reads as absent: see [`Engine::unknown`]).
    fn known_account(&self, address: &Address) -> Option<(u64, U256, Bytes)> {
        self.state.account(address).ok().flatten()
    }

    /// The account at `address`, or `None` if it does not exist.
    pub fn get_account(&self, address: &Address) -> Option<AccountInfo> {
        self.known_account(address)
            .map(|(nonce, balance, code)| AccountInfo {
                balance,
                nonce,
                code_hash: if code.is_empty() {
                    KECCAK_EMPTY
                } else {
                    keccak256(&code)
                },
                code: code.clone(),
            })
    }

    /// Balance of `address` (zero when absent).
    pub fn get_balance(&self, address: &Address) -> U256 {
        self.known_account(address)
            .map(|(_, b, _)| b)
            .unwrap_or_default()
    }

    /// Nonce of `address` (zero when absent).
    pub fn get_nonce(&self, address: &Address) -> u64 {
        self.known_account(address)
            .map(|(n, _, _)| n)
            .unwrap_or_default()
    }

    /// Code of `address` (empty when absent).
    pub fn get_code(&self, address: &Address) -> Bytes {
        self.known_account(address)
            .map(|(_, _, c)| c)
            .unwrap_or_default()
    }

    /// Value of slot `key` of `address` (zero when absent, or not fetched yet over a fork).
    pub fn get_storage(&self, address: &Address, key: &U256) -> U256 {
        self.state.storage(address, key).unwrap_or_default()
    }

    /// Every non-zero slot of `address`, in key order. Over a forked chain: the slots the
    /// engine holds (fetched, or written locally), not the chain's others (JSON-RPC cannot list
    /// them), as anvil's state dump of a fork holds what it fetched and changed.
    pub fn get_storage_all(&self, address: &Address) -> Vec<(U256, U256)> {
        self.state.storage_of(address)
    }

    /// Whether `address` was written since the fork block, in the latest state: its account
    /// (nonce, balance, code; set or deleted, even to the same values) or any of its slots, by a
    /// block or an edit. When not, its account and storage in every block of this engine are the
    /// fork block's, so a proof of them against the fork block's state root proves them here
    /// too. On an engine of its own chain, whether the state holds the address at all.
    pub fn changed_since_fork(&self, address: &Address) -> bool {
        self.state.written(address)
    }

    /// Addresses of every existing account and of every address holding storage without one
    /// (see [`Engine::get_storage_all`]), in address order. Over a forked chain: the accounts
    /// the engine holds (fetched, or written locally), not the chain's others.
    pub fn addresses(&self) -> Vec<Address> {
        self.state.addresses()
    }
}

/// Test support: whether this test run reads every operation over a forgetful source.
#[cfg(test)]
fn forgetful_tests() -> bool {
    extern crate std;
    std::env::var_os("ZKOS_TEST_FORGETFUL_STATE").is_some_and(|v| v != "0")
}
