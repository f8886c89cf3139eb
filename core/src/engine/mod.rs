//! The engine facade: one object that holds a chain (state, blocks, receipts) and answers
//! everything a provider, a CLI or a playground asks: accounts, block production, calls, gas
//! estimation, traces and stepping sessions. Every outcome is decided here or below; bindings
//! only translate values.

mod block;
mod call;
mod error;
mod estimate;
mod exec;
mod session;
mod state;
mod trace;

pub use block::{
    BlockHeader, BlockOverrides, BlockReport, BlockTx, LogRecord, Receipt, Rejected, TxRecord,
};
pub use call::{CallRequest, CallResult};
pub use error::EngineError;
pub use estimate::{Estimate, EstimateError};
pub use session::{
    Breakpoint, Costs, FrameView, Phase, Session, SessionLog, SessionMessage, SlotView, StepReport,
    StorageView,
};
pub use state::{AccountOverride, StateOverride};
pub use trace::{
    Prestate, PrestateAccount, PrestateConfig, TraceOutput, TraceResult, TracerConfig,
};

use crate::config::{ChainConfig, Flow, Hardfork};
use crate::primitives::{keccak256, Address, Bytes, B256, KECCAK_EMPTY, U256};
use crate::resources::gas::MAX_TX_GAS_LIMIT_OSAKA;
use crate::resources::native::NativeCostTable;
use crate::system::genesis::L1_MESSENGER_CODE;
use crate::system::L1_MESSENGER_ADDRESS;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::rc::Rc;
use alloc::vec::Vec;
use state::WorldState;

/// Base fee per gas used when none is configured: 1000 wei (the ZKsync OS server default).
pub const DEFAULT_BASE_FEE_WEI: u64 = 1_000;
/// Price of one unit of native used when none is configured: 1 wei (the server default).
pub const DEFAULT_NATIVE_PRICE_WEI: u64 = 1;
/// Price of one pubdata byte used when none is configured: 1 wei (the server default).
pub const DEFAULT_PUBDATA_PRICE_WEI: u64 = 1;
/// Pubdata a block may publish when no limit is configured (ours).
pub const DEFAULT_PUBDATA_LIMIT_BYTES: u64 = 1_000_000;
/// Block gas limit used when none is configured (ours: room for six transactions at the
/// EIP-7825 cap).
pub const DEFAULT_BLOCK_GAS_LIMIT_GAS: u64 = 100_000_000;

/// Fee and block parameters applied to new blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeParams {
    /// EIP-1559 base fee per gas, in wei.
    pub base_fee: U256,
    /// Price of one unit of native, in wei.
    pub native_price: U256,
    /// Price of one byte of pubdata, in wei.
    pub pubdata_price: U256,
    /// Block gas limit.
    pub block_gas_limit: u64,
    /// Most pubdata bytes a block may publish.
    pub pubdata_limit: u64,
    /// Fee recipient.
    pub coinbase: Address,
}

impl Default for FeeParams {
    fn default() -> Self {
        Self {
            base_fee: U256::from(DEFAULT_BASE_FEE_WEI),
            native_price: U256::from(DEFAULT_NATIVE_PRICE_WEI),
            pubdata_price: U256::from(DEFAULT_PUBDATA_PRICE_WEI),
            block_gas_limit: DEFAULT_BLOCK_GAS_LIMIT_GAS,
            pubdata_limit: DEFAULT_PUBDATA_LIMIT_BYTES,
            coinbase: Address::ZERO,
        }
    }
}

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

/// How many recent blocks keep their pre-state so their transactions can be traced again.
pub const TRACE_HISTORY_BLOCKS: usize = 16;

/// A block's pre-state kept for re-tracing its transactions.
struct History {
    number: u64,
    pre_state: WorldState,
}

/// A local chain: world state, blocks, transactions and receipts.
pub struct Engine {
    config: ChainConfig,
    fees: FeeParams,
    costs: Rc<NativeCostTable>,
    state: WorldState,
    genesis: block::StoredBlock,
    blocks: Vec<block::StoredBlock>,
    tx_index: BTreeMap<B256, (u64, usize)>,
    history: VecDeque<History>,
}

impl Engine {
    /// A chain with an empty state, the default fee parameters and a genesis block 0 at
    /// timestamp 0.
    pub fn new(config: ChainConfig) -> Self {
        Self::with_fees(config, FeeParams::default())
    }

    /// A chain with the given fee parameters and the genesis state of its flow: empty for
    /// Ethereum; for ZKsync OS the L1 messenger forwarder at 0x8008
    /// ([`crate::system::genesis`]), so contracts can send L2→L1 messages as on Era.
    pub fn with_fees(config: ChainConfig, fees: FeeParams) -> Self {
        let mut state = WorldState::default();
        if config.flow == Flow::Zk {
            // A 45-byte code always fits an account record, so this cannot fail.
            let _ = state.set_account(
                L1_MESSENGER_ADDRESS,
                1,
                U256::ZERO,
                Bytes::copy_from_slice(&L1_MESSENGER_CODE),
            );
        }
        Self {
            genesis: block::StoredBlock::genesis(&fees),
            config,
            fees,
            costs: Rc::new(NativeCostTable::for_version(config.protocol_version)),
            state,
            blocks: Vec::new(),
            tx_index: BTreeMap::new(),
            history: VecDeque::new(),
        }
    }

    /// The chain configuration.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// The fee parameters new blocks use.
    pub fn fees(&self) -> &FeeParams {
        &self.fees
    }

    /// Changes the fee parameters for blocks produced from now on.
    pub fn set_fees(&mut self, fees: FeeParams) {
        self.fees = fees;
    }

    /// Largest gas limit one transaction may have: the block gas limit, and under Osaka or the
    /// ZKsync OS flow also the EIP-7825 cap of 2^24.
    pub fn tx_gas_cap(&self) -> u64 {
        let capped = self.config.flow == Flow::Zk || self.config.is_active(Hardfork::Osaka);
        if capped {
            self.fees.block_gas_limit.min(MAX_TX_GAS_LIMIT_OSAKA)
        } else {
            self.fees.block_gas_limit
        }
    }

    /// Sets nonce, balance and code of `address` and the listed slots. Fails (changing
    /// nothing) when the code cannot be stored (longer than 2^32 bytes).
    pub fn set_account(
        &mut self,
        address: Address,
        account: AccountInput,
    ) -> Result<(), EngineError> {
        self.state
            .set_account(address, account.nonce, account.balance, account.code)?;
        for (key, value) in account.storage {
            self.state.set_storage(address, key, value);
        }
        Ok(())
    }

    /// The state commitment of the current state (Blake2s tree root and next free slot).
    pub fn state_commitment(&self) -> crate::state::tree::StateCommitment {
        self.state.commitment()
    }

    /// Sets one storage slot of `address` (zero clears it; a missing account is created).
    pub fn set_storage(&mut self, address: Address, key: U256, value: U256) {
        self.state.set_storage(address, key, value);
    }

    /// The account at `address`, or `None` if it does not exist.
    pub fn get_account(&self, address: &Address) -> Option<AccountInfo> {
        self.state
            .account(address)
            .map(|(nonce, balance, code)| AccountInfo {
                balance,
                nonce,
                code_hash: if code.is_empty() {
                    KECCAK_EMPTY
                } else {
                    keccak256(code)
                },
                code: code.clone(),
            })
    }

    /// Balance of `address` (zero when absent).
    pub fn get_balance(&self, address: &Address) -> U256 {
        self.state
            .account(address)
            .map(|(_, b, _)| b)
            .unwrap_or_default()
    }

    /// Nonce of `address` (zero when absent).
    pub fn get_nonce(&self, address: &Address) -> u64 {
        self.state
            .account(address)
            .map(|(n, _, _)| n)
            .unwrap_or_default()
    }

    /// Code of `address` (empty when absent).
    pub fn get_code(&self, address: &Address) -> Bytes {
        self.state
            .account(address)
            .map(|(_, _, c)| c.clone())
            .unwrap_or_default()
    }

    /// Value of slot `key` of `address`.
    pub fn get_storage(&self, address: &Address, key: &U256) -> U256 {
        self.state.storage(address, key)
    }

    /// Every non-zero slot of `address`, in key order.
    pub fn get_storage_all(&self, address: &Address) -> Vec<(U256, U256)> {
        self.state.storage_of(address)
    }
}

#[cfg(test)]
mod tests;
