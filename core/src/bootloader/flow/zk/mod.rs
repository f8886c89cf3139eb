//! The ZKsync OS transaction flow (spec §3 "Deriving the native limit" and §4): gas and native
//! are both metered, pubdata is paid from native, the whole fee goes to the coinbase, and
//! L1→L2 priority and upgrade transactions run without validation. The figures a protocol
//! version fixes are in [`rules`].

pub(crate) mod budget;
mod metered;
pub mod rules;
mod settle;
mod validate;

pub use budget::{NativeBudget, MAX_NATIVE_COMPUTATIONAL, UNLIMITED_NATIVE};
pub use rules::{TxCharging, ZkRules};

use budget::{div_u64, effective_gas_price};

use super::breakdown::GasBreakdown;
use super::common::{charge_fee, check_shared_block_limits, warm_up};
use super::phases::{Admitted, BlockUsage, Charged, Executed, Flow, PubdataCharge, Settled};
use crate::bigint;
use crate::bootloader::input::DecodedTx;
use crate::bootloader::invalid::InvalidTransaction;
use crate::bootloader::receipt::TxReceipt;
use crate::config::ChainConfig;
use crate::context::BlockContext;
use crate::io::{Io, StateSource};
use crate::primitives::U256;
use crate::resources::gas::MAX_TX_GAS_LIMIT_OSAKA;
use crate::state::l2_logs::L2_TO_L1_LOGS_TREE_LEAVES;
use crate::system::genesis::GenesisAccount;
use crate::system::BOOTLOADER_FORMAL_ADDRESS;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::{Transaction, L1_PRIORITY_TX_TYPE};

/// Most L2→L1 logs a block may hold: the leaves of its logs tree (2^14).
pub const MAX_L2_TO_L1_LOGS_PER_BLOCK: u64 = L2_TO_L1_LOGS_TREE_LEAVES as u64;

/// The ZKsync OS flow of a chain, with the rules of its protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZkFlow {
    config: ChainConfig,
    rules: &'static ZkRules,
}

impl ZkFlow {
    /// The ZKsync OS flow of a chain with `config`, on the rules of its protocol version.
    pub fn new(config: ChainConfig) -> Self {
        Self {
            config,
            rules: ZkRules::for_version(config.protocol_version),
        }
    }

    /// The chain configuration.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// Whether `tx` is an L2 transaction charged as [`TxCharging::Metered`].
    fn metered(&self, tx: &Admitted) -> bool {
        self.rules.charging == TxCharging::Metered && !tx.transaction().is_l1()
    }
}

impl Flow for ZkFlow {
    /// Nothing: ZKsync OS runs no system call before a block's transactions.
    fn start_block<S: StateSource>(&self, _io: &mut Io<S>, _block: &BlockContext) -> bool {
        true
    }

    /// L2 transactions are validated (spec §4); L1 priority and upgrade transactions only have
    /// their fee charge planned.
    fn validate<S: StateSource>(
        &self,
        io: &mut Io<S>,
        block: &BlockContext,
        tx: &DecodedTx,
        intrinsic: &IntrinsicGas,
    ) -> Result<Charged, InvalidTransaction> {
        match (tx.tx.is_l1(), self.rules.charging) {
            (true, _) => validate::plan_l1(io, self.rules, block, tx, intrinsic),
            (false, TxCharging::FixedIntrinsic) => {
                validate::validate_l2(io, &self.config, self.rules, block, tx, intrinsic)
            }
            (false, TxCharging::Metered) => {
                metered::validate::validate_l2(io, &self.config, self.rules, block, tx, intrinsic)
            }
        }
    }

    /// The shared fee charge, then execution's native limit: what the budget leaves after the
    /// intrinsic costs. Under [`TxCharging::Metered`] validation took the fee already: only the
    /// EIP-2929 warm set (with the bootloader's formal account, which validation touched) is
    /// applied and execution continues on the native validation left.
    fn charge_fee<S: StateSource>(&self, io: &mut Io<S>, tx: &Admitted) -> i64 {
        if self.metered(tx) {
            warm_up(
                io,
                &self.config,
                &tx.env.block.coinbase,
                tx.transaction(),
                &tx.tx.sender,
            );
            io.warm_account(&BOOTLOADER_FORMAL_ADDRESS);
            if let Some(budget) = &tx.charged.budget {
                io.reset_native(budget.execution_start());
            }
            return 0;
        }
        let refund = charge_fee(io, &self.config, tx);
        if let Some(budget) = &tx.charged.budget {
            io.reset_native(budget.execution);
        }
        refund
    }

    fn charge_pubdata<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
    ) -> Option<PubdataCharge> {
        let budget = tx.charged.budget.as_ref()?;
        Some(match self.metered(tx) {
            true => metered::settle::charge_pubdata(io, self.rules, budget, executed),
            false => settle::charge_pubdata(io, self.rules, tx, budget, executed),
        })
    }

    fn settle<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
        pubdata: Option<&PubdataCharge>,
    ) -> Settled {
        match (tx.charged.budget.as_ref(), pubdata) {
            (Some(budget), Some(pubdata)) if self.metered(tx) => {
                metered::settle::refund(io, tx, budget, executed, pubdata)
            }
            (Some(budget), Some(pubdata)) => settle::refund(io, tx, budget, executed, pubdata),
            // The ZKsync OS flow fixes a budget for every transaction it admits and charges
            // its pubdata; without both there is nothing to settle and the transaction fails.
            _ => Settled {
                success: false,
                gas: GasBreakdown::after_execution(
                    tx.transaction().gas_limit,
                    tx.intrinsic.gas,
                    0,
                    0,
                    None,
                ),
                native_used: 0,
                computational_native_used: 0,
                pubdata_used: 0,
                end: executed.outcome.end.clone(),
                created: None,
            },
        }
    }

    /// Nothing up front: ZKsync OS checks the block's limits on what a transaction used.
    fn check_block_room(
        &self,
        _tx: &Transaction,
        _block: &BlockContext,
        _used: &BlockUsage,
    ) -> Result<(), InvalidTransaction> {
        Ok(())
    }

    /// The shared limits, then the block's computational native (2^35), its pubdata limit and
    /// its L2→L1 log capacity (a priority transaction adds its own log).
    fn check_block_limits(
        &self,
        tx: &Admitted,
        settled: &Settled,
        messages: u64,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction> {
        check_shared_block_limits(tx, settled, block.gas_limit, used)?;
        if used
            .computational_native
            .saturating_add(settled.computational_native_used)
            > MAX_NATIVE_COMPUTATIONAL
        {
            return Err(InvalidTransaction::BlockNativeLimitReached);
        }
        if used.pubdata.saturating_add(settled.pubdata_used) > block.pubdata_limit {
            return Err(InvalidTransaction::BlockPubdataLimitReached);
        }
        let priority = u64::from(tx.transaction().tx_type == L1_PRIORITY_TX_TYPE);
        if used.l2_to_l1_logs.saturating_add(messages + priority) > MAX_L2_TO_L1_LOGS_PER_BLOCK {
            return Err(InvalidTransaction::BlockL2ToL1LogLimitReached);
        }
        Ok(())
    }

    /// EIP-1559; zero when the base fee is zero if the version says so
    /// ([`ZkRules::free_at_zero_base_fee`]).
    fn gas_price(&self, tx: &Transaction, base_fee: U256) -> U256 {
        effective_gas_price(tx, base_fee, self.rules.free_at_zero_base_fee)
    }

    /// The block gas limit and always the EIP-7825 cap of 2^24.
    fn tx_gas_cap(&self, block_gas_limit: u64) -> u64 {
        block_gas_limit.min(MAX_TX_GAS_LIMIT_OSAKA)
    }

    /// As a transaction's: the cap is part of the chain's configuration (`max_tx_gas_limit`).
    fn simulation_gas_cap(&self, block_gas_limit: u64) -> u64 {
        self.tx_gas_cap(block_gas_limit)
    }

    /// `ceil(price / native_price)`, the base fee standing in for a zero price; unlimited when
    /// either price is zero.
    fn native_per_gas(&self, gas_price: U256, base_fee: U256, native_price: U256) -> Option<u64> {
        let price = if gas_price.is_zero() {
            base_fee
        } else {
            gas_price
        };
        if native_price.is_zero() || price.is_zero() {
            return None;
        }
        Some(u64::try_from(bigint::div_ceil(&price, &native_price)).unwrap_or(u64::MAX))
    }

    /// `pubdata_price / native_price`, rounded down (as validation derives it).
    fn native_per_pubdata(&self, pubdata_price: U256, native_price: U256) -> u64 {
        div_u64(pubdata_price, native_price)
    }

    /// The protocol version's reserve (`ZkRules::estimate_pubdata_reserve`).
    fn estimate_pubdata_reserve(&self) -> u64 {
        self.rules.estimate_pubdata_reserve
    }

    /// `max(gas_used × price, computational native × native price + pubdata × pubdata price)`.
    fn expected_fee(
        &self,
        receipt: &TxReceipt,
        gas_price: U256,
        native_price: U256,
        pubdata_price: U256,
    ) -> U256 {
        let gas_fee = U256::from(receipt.gas_used).saturating_mul(gas_price);
        let resource_fee = U256::from(receipt.computational_native_used)
            .saturating_mul(native_price)
            .saturating_add(U256::from(receipt.pubdata_used).saturating_mul(pubdata_price));
        gas_fee.max(resource_fee)
    }

    /// Version 1: the L1 messenger forwarder ([`crate::system::genesis`]); version 2: none.
    fn genesis(&self) -> &'static [GenesisAccount] {
        self.rules.genesis
    }
}
