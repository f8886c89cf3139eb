//! The two transaction flows behind one [`Flow`] trait (one method per bootloader phase, the
//! shape of revm's `Handler`): [`EthereumFlow`] and [`ZkFlow`]. [`ChainFlow::of`] is the one
//! place where a chain's configuration picks its flow.

mod breakdown;
mod common;
mod ethereum;
pub mod history;
mod phases;
pub mod zk;

pub use breakdown::GasBreakdown;
pub use ethereum::EthereumFlow;
pub use phases::{Admitted, BlockUsage, Charged, Executed, Flow, PubdataCharge, Settled};
pub use zk::{NativeBudget, ZkFlow};

pub(crate) use common::{blob_gas, check_chain_id, check_intrinsic, max_blob_gas_per_block};

use crate::bootloader::input::DecodedTx;
use crate::bootloader::invalid::InvalidTransaction;
use crate::bootloader::receipt::TxReceipt;
use crate::config::{ChainConfig, FlowKind};
use crate::context::BlockContext;
use crate::io::{Io, StateSource};
use crate::primitives::U256;
use crate::system::genesis::GenesisAccount;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::Transaction;

/// The flow a chain follows, chosen once from its configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainFlow {
    /// Ethereum's rules.
    Ethereum(EthereumFlow),
    /// ZKsync OS's rules.
    Zk(ZkFlow),
}

impl ChainFlow {
    /// The flow `config` selects.
    pub fn of(config: &ChainConfig) -> Self {
        match config.flow {
            FlowKind::Ethereum => Self::Ethereum(EthereumFlow::new(*config)),
            FlowKind::Zk => Self::Zk(ZkFlow::new(*config)),
        }
    }

    /// The chain configuration the flow was chosen for.
    pub fn config(&self) -> &ChainConfig {
        match self {
            Self::Ethereum(flow) => flow.config(),
            Self::Zk(flow) => flow.config(),
        }
    }
}

/// Calls `$method` on the chosen flow.
macro_rules! delegate {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match $self {
            ChainFlow::Ethereum(flow) => flow.$method($($arg),*),
            ChainFlow::Zk(flow) => flow.$method($($arg),*),
        }
    };
}

impl Flow for ChainFlow {
    fn start_block<S: StateSource>(&self, io: &mut Io<S>, block: &BlockContext) -> bool {
        delegate!(self.start_block(io, block))
    }

    fn validate<S: StateSource>(
        &self,
        io: &mut Io<S>,
        block: &BlockContext,
        tx: &DecodedTx,
        intrinsic: &IntrinsicGas,
    ) -> Result<Charged, InvalidTransaction> {
        delegate!(self.validate(io, block, tx, intrinsic))
    }

    fn charge_fee<S: StateSource>(&self, io: &mut Io<S>, tx: &Admitted) -> i64 {
        delegate!(self.charge_fee(io, tx))
    }

    fn charge_pubdata<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
    ) -> Option<PubdataCharge> {
        delegate!(self.charge_pubdata(io, tx, executed))
    }

    fn settle<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
        pubdata: Option<&PubdataCharge>,
    ) -> Settled {
        delegate!(self.settle(io, tx, executed, pubdata))
    }

    fn check_block_room(
        &self,
        tx: &Transaction,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction> {
        delegate!(self.check_block_room(tx, block, used))
    }

    fn check_block_limits(
        &self,
        tx: &Admitted,
        settled: &Settled,
        messages: u64,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction> {
        delegate!(self.check_block_limits(tx, settled, messages, block, used))
    }

    fn gas_price(&self, tx: &Transaction, base_fee: U256) -> U256 {
        delegate!(self.gas_price(tx, base_fee))
    }

    fn tx_gas_cap(&self, block_gas_limit: u64) -> u64 {
        delegate!(self.tx_gas_cap(block_gas_limit))
    }

    fn simulation_gas_cap(&self, block_gas_limit: u64) -> u64 {
        delegate!(self.simulation_gas_cap(block_gas_limit))
    }

    fn native_per_gas(&self, gas_price: U256, base_fee: U256, native_price: U256) -> Option<u64> {
        delegate!(self.native_per_gas(gas_price, base_fee, native_price))
    }

    fn native_per_pubdata(&self, pubdata_price: U256, native_price: U256) -> u64 {
        delegate!(self.native_per_pubdata(pubdata_price, native_price))
    }

    fn estimate_pubdata_reserve(&self) -> u64 {
        delegate!(self.estimate_pubdata_reserve())
    }

    fn expected_fee(
        &self,
        receipt: &TxReceipt,
        gas_price: U256,
        native_price: U256,
        pubdata_price: U256,
    ) -> U256 {
        delegate!(self.expected_fee(receipt, gas_price, native_price, pubdata_price))
    }

    fn genesis(&self) -> &'static [GenesisAccount] {
        delegate!(self.genesis())
    }
}
