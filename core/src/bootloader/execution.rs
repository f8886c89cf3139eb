//! One transaction as a resumable state machine: [`TxExecution::start`] validates and charges
//! the fee, [`TxExecution::run`] executes for a bounded number of EVM steps at a time, and
//! [`TxExecution::finish`] settles pubdata, refund and fees. The block loop and
//! [`super::ethereum::execute_transaction`] are built from it, so there is one flow whether a
//! transaction runs in one go or is stepped by a debugger.

use super::authorization::apply_authorizations;
use super::block::{BlockContext, BlockOutput, BlockTransaction};
use super::ethereum;
use super::receipt::{L2ToL1Log, TxReceipt};
use super::validation::InvalidTransaction;
use super::zk::{self, NativeBudget, Pricing};
use crate::config::{ChainConfig, Flow, Hardfork};
use crate::ee::evm::{CallKind, CallRequest, CreateRequest, Env, FrameEnd, Halt};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Checkpoint, Io, StateSource};
use crate::precompiles::Precompile;
use crate::primitives::{Address, Bytes, B256, KECCAK_EMPTY, U256};
use crate::resources::gas::StaticErgsTable;
use crate::resources::gas_to_ergs;
use crate::runner::{ExecutionOutcome, Message, RunStatus, Runner};
use crate::system::BOOTLOADER_FORMAL_ADDRESS;
use crate::trace::{NoopTracer, Tracer};
use crate::tx::intrinsic::{intrinsic_gas, IntrinsicGas};
use crate::tx::{self, Transaction, L1_PRIORITY_TX_TYPE, UPGRADE_TX_TYPE};
use alloc::vec::Vec;

/// The phases of a transaction, in the order the bootloader runs them (spec §3-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxPhase {
    /// Decoding, signature, nonce, balance and gas checks; no state is changed.
    Validation,
    /// The nonce is bumped and gas limit × gas price is taken from the payer.
    FeeCharge,
    /// The EVM runs the top-level call or deployment.
    Execution,
    /// The transaction's net pubdata is measured, checked and charged (ZKsync OS flow).
    Pubdata,
    /// Unused gas goes back to the payer and the fee to the coinbase.
    Refund,
    /// The receipt is ready.
    Finished,
}

/// Whether [`TxExecution::run`] finished the execution phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxProgress {
    /// The step budget ran out; call [`TxExecution::run`] again.
    Paused,
    /// Execution ended; call [`TxExecution::finish`].
    Executed,
}

/// What the fee charge fixed, for execution and settlement.
pub(crate) struct Charged {
    /// Price per gas.
    pub gas_price: U256,
    /// The sender's nonce before the bump (the `CREATE` address nonce).
    pub sender_nonce: u64,
    /// Native budget (ZKsync OS flow; the Ethereum flow has unlimited native).
    pub budget: Option<NativeBudget>,
    /// Who receives the unused gas.
    pub refund_recipient: Address,
    /// Whether execution is skipped (an L1 transaction that cannot cover its intrinsic
    /// costs); it then fails, using all its gas.
    pub skip_execution: bool,
}

/// A transaction between [`TxExecution::start`] and [`TxExecution::finish`].
pub struct TxExecution {
    phase: TxPhase,
    tx: Transaction,
    tx_hash: B256,
    sender: Address,
    env: Env,
    intrinsic: IntrinsicGas,
    charged: Charged,
    /// Gas refund earned before execution (EIP-7702 authorities that exist).
    refund: i64,
    /// `None` when there is nothing to run (a deployment onto an occupied address, or an L1
    /// transaction whose gas cannot cover its intrinsic costs).
    runner: Option<Runner>,
    outcome: Option<ExecutionOutcome>,
    /// Before the fee charge: where a transaction that overflows the block rolls back to.
    tx_start: Checkpoint,
    /// After the fee charge: where a transaction that cannot pay its pubdata rolls back to.
    exec_start: Checkpoint,
    logs_before: usize,
    messages_before: usize,
}

/// The settled figures of a transaction, before the block accepts it.
struct Settled {
    success: bool,
    gas_used: u64,
    gas_refunded: u64,
    native_used: u64,
    computational_native_used: u64,
    pubdata_used: u64,
    end: FrameEnd,
    created: Option<Address>,
}

impl TxExecution {
    /// Decodes `tx` (recovering its sender) and starts it: validation and fee charge. An
    /// invalid transaction leaves the state untouched.
    pub fn start<S: StateSource>(
        io: &mut Io<S>,
        config: &ChainConfig,
        block: &BlockContext,
        tx: &BlockTransaction,
    ) -> Result<Self, InvalidTransaction> {
        match tx {
            BlockTransaction::Encoded(bytes) => {
                let tx = tx::decode(bytes).map_err(InvalidTransaction::Malformed)?;
                let sender = if tx.is_l1() {
                    tx.l1
                        .as_ref()
                        .map(|l1| l1.from)
                        .ok_or(InvalidTransaction::L1FieldsMissing)?
                } else {
                    tx::recover_sender(&tx).map_err(InvalidTransaction::InvalidSignature)?
                };
                Self::start_with(io, config, block, tx, sender, false)
            }
            BlockTransaction::Simulated { tx, from } => {
                Self::start_with(io, config, block, tx.clone(), *from, true)
            }
        }
    }

    /// Starts `tx` whose sender the caller recovered: validation and fee charge. An invalid
    /// transaction leaves the state untouched.
    pub fn start_recovered<S: StateSource>(
        io: &mut Io<S>,
        config: &ChainConfig,
        block: &BlockContext,
        tx: Transaction,
        sender: Address,
    ) -> Result<Self, InvalidTransaction> {
        Self::start_with(io, config, block, tx, sender, false)
    }

    fn start_with<S: StateSource>(
        io: &mut Io<S>,
        config: &ChainConfig,
        block: &BlockContext,
        tx: Transaction,
        sender: Address,
        simulated: bool,
    ) -> Result<Self, InvalidTransaction> {
        let hardfork = config.hardfork;
        let block_env = block.evm_env();
        let pricing = Pricing {
            native_price: block.native_price,
            pubdata_price: block.pubdata_price,
        };
        let intrinsic = intrinsic_gas(&tx, hardfork);
        let tx_start = io.checkpoint();
        let charged = match config.flow {
            Flow::Ethereum => {
                ethereum::validate_and_charge(io, config, &block_env, &tx, &sender, &intrinsic)?
            }
            Flow::Zk if tx.is_l1() => zk::charge_l1(io, &pricing, &tx, &intrinsic)?,
            Flow::Zk => zk::validate_and_charge_l2(
                io, config, &block_env, &pricing, &tx, &sender, &intrinsic, simulated,
            )?,
        };
        let tx_hash = hash_of(&tx);
        warm_up(io, config, &block_env, &tx, &sender);
        let mut refund = 0;
        if hardfork >= Hardfork::Prague && !tx.authorization_list.is_empty() {
            refund += apply_authorizations(io, config, &tx);
        }
        if let Some(budget) = &charged.budget {
            io.reset_native(budget.execution);
        }
        let exec_start = io.checkpoint();
        let env = Env {
            hardfork,
            flow: config.flow,
            chain_id: config.chain_id,
            block: block_env,
            tx: TxEnv {
                origin: sender,
                gas_price: charged.gas_price,
                blob_hashes: tx.blob_versioned_hashes.clone(),
            },
            ergs_table: StaticErgsTable::for_hardfork(hardfork),
        };
        let runner = if charged.skip_execution {
            None
        } else {
            let ergs = gas_to_ergs(tx.gas_limit - intrinsic.gas);
            top_level_message(io, hardfork, &tx, sender, charged.sender_nonce, ergs)
                .map(Runner::new)
        };
        Ok(Self {
            phase: TxPhase::Execution,
            logs_before: io.logs().len(),
            messages_before: io.messages().len(),
            tx,
            tx_hash,
            sender,
            env,
            intrinsic,
            charged,
            refund,
            runner,
            outcome: None,
            tx_start,
            exec_start,
        })
    }

    /// The phase the transaction is in: [`TxPhase::Execution`] until [`Self::run`] reports
    /// [`TxProgress::Executed`], then [`TxPhase::Pubdata`] (the first step of
    /// [`Self::finish`]). Validation and fee charge are done by [`Self::start`].
    pub fn phase(&self) -> TxPhase {
        self.phase
    }

    /// The transaction.
    pub fn transaction(&self) -> &Transaction {
        &self.tx
    }

    /// The transaction hash.
    pub fn tx_hash(&self) -> B256 {
        self.tx_hash
    }

    /// The sender (for L1 transactions: `l1.from`).
    pub fn sender(&self) -> Address {
        self.sender
    }

    /// The price per gas the transaction pays.
    pub fn gas_price(&self) -> U256 {
        self.charged.gas_price
    }

    /// The native budget fixed by the fee charge (`None` in the Ethereum flow).
    pub fn native_budget(&self) -> Option<&NativeBudget> {
        self.charged.budget.as_ref()
    }

    /// The EVM frame stack (`None` when there is nothing to run).
    pub fn runner(&self) -> Option<&Runner> {
        self.runner.as_ref()
    }

    /// Runs at most `step_budget` EVM steps.
    pub fn run<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        tracer: &mut T,
        step_budget: u64,
    ) -> TxProgress {
        if self.outcome.is_some() {
            return TxProgress::Executed;
        }
        let outcome = match self.runner.as_mut() {
            Some(runner) => match runner.run(io, &self.env, tracer, step_budget) {
                RunStatus::Paused => return TxProgress::Paused,
                RunStatus::Done(outcome) => outcome,
            },
            None => ExecutionOutcome {
                end: FrameEnd::Halt(Halt::OutOfGas),
                ergs_left: 0,
                refund: 0,
                created: None,
            },
        };
        self.outcome = Some(outcome);
        self.phase = TxPhase::Pubdata;
        TxProgress::Executed
    }

    /// Settles the transaction (running any execution left first, untraced): pubdata, refund,
    /// fee; ends the transaction in `io` and returns its receipt. Block limits are not checked
    /// (see [`Self::finish_in_block`]).
    pub fn finish<S: StateSource>(mut self, io: &mut Io<S>) -> TxReceipt {
        let settled = self.settle(io);
        self.complete(io, settled)
    }

    /// [`Self::finish`] within a block that has already produced `block`: a transaction that
    /// would take the block over one of its limits (gas, computational native, pubdata, L2→L1
    /// logs, blob gas), or an upgrade transaction that failed, is rolled back entirely and
    /// reported invalid.
    pub fn finish_in_block<S: StateSource>(
        mut self,
        io: &mut Io<S>,
        context: &BlockContext,
        block: &BlockOutput,
    ) -> Result<TxReceipt, InvalidTransaction> {
        let settled = self.settle(io);
        if let Err(reason) = self.check_block_limits(io, &settled, context, block) {
            io.rollback(self.tx_start);
            io.finish_tx(false);
            return Err(reason);
        }
        Ok(self.complete(io, settled))
    }

    fn check_block_limits<S: StateSource>(
        &self,
        io: &Io<S>,
        settled: &Settled,
        context: &BlockContext,
        block: &BlockOutput,
    ) -> Result<(), InvalidTransaction> {
        if self.tx.tx_type == UPGRADE_TX_TYPE && !settled.success {
            return Err(InvalidTransaction::UpgradeTxFailed);
        }
        if block.gas_used.saturating_add(settled.gas_used) > context.gas_limit {
            return Err(InvalidTransaction::BlockGasLimitReached);
        }
        let blob_gas = zk::blob_gas(&self.tx);
        if blob_gas > 0
            && block.blob_gas_used.saturating_add(blob_gas)
                > zk::max_blob_gas_per_block(self.env.hardfork)
        {
            return Err(InvalidTransaction::BlockBlobGasLimitReached);
        }
        if self.env.flow == Flow::Ethereum {
            return Ok(());
        }
        if block
            .computational_native_used
            .saturating_add(settled.computational_native_used)
            > zk::MAX_NATIVE_COMPUTATIONAL
        {
            return Err(InvalidTransaction::BlockNativeLimitReached);
        }
        if block.pubdata_used.saturating_add(settled.pubdata_used) > context.pubdata_limit {
            return Err(InvalidTransaction::BlockPubdataLimitReached);
        }
        let messages = io.messages().len().saturating_sub(self.messages_before) as u64;
        let priority = u64::from(self.tx.tx_type == L1_PRIORITY_TX_TYPE);
        if (block.logs.len() as u64).saturating_add(messages + priority)
            > zk::MAX_L2_TO_L1_LOGS_PER_BLOCK
        {
            return Err(InvalidTransaction::BlockL2ToL1LogLimitReached);
        }
        Ok(())
    }

    /// Runs what is left of execution, then the pubdata and refund phases.
    fn settle<S: StateSource>(&mut self, io: &mut Io<S>) -> Settled {
        while self.run(io, &mut NoopTracer, u64::MAX) == TxProgress::Paused {}
        let outcome = self.outcome.take().unwrap_or(ExecutionOutcome {
            end: FrameEnd::Halt(Halt::OutOfGas),
            ergs_left: 0,
            refund: 0,
            created: None,
        });
        let mut success = matches!(outcome.end, FrameEnd::Success(_));
        let mut end = outcome.end;
        let refund = self.refund + outcome.refund;
        self.phase = TxPhase::Refund;
        let Some(budget) = self.charged.budget else {
            let settled = ethereum::settle(
                io,
                &self.env,
                &self.tx,
                &self.sender,
                &self.intrinsic,
                outcome.ergs_left,
                refund,
            );
            let native_used = io.native_used();
            return Settled {
                success,
                gas_used: settled.gas_used,
                gas_refunded: settled.gas_refunded,
                native_used,
                computational_native_used: native_used,
                pubdata_used: 0,
                end,
                created: outcome.created,
            };
        };
        let covered = [
            self.sender,
            self.env.block.coinbase,
            self.charged.refund_recipient,
        ];
        let settled = zk::settle(
            io,
            &zk::Settlement {
                tx: &self.tx,
                hardfork: self.env.hardfork,
                intrinsic: &self.intrinsic,
                budget: &budget,
                gas_price: self.charged.gas_price,
                coinbase: self.env.block.coinbase,
                refund_recipient: self.charged.refund_recipient,
                ergs_left: outcome.ergs_left,
                refund,
                exec_start: self.exec_start,
                messages_before: self.messages_before,
                covered: &covered,
            },
        );
        if !settled.pubdata_paid {
            success = false;
            end = FrameEnd::Revert(Bytes::new());
        }
        if !success && self.tx.tx_type == L1_PRIORITY_TX_TYPE {
            // A failed deposit's value goes to the refund recipient with the unused gas.
            let _ = io.transfer(&self.sender, &self.charged.refund_recipient, self.tx.value);
        }
        Settled {
            success,
            gas_used: settled.gas_used,
            gas_refunded: settled.gas_refunded,
            native_used: settled.native_used,
            computational_native_used: settled.computational_native_used,
            pubdata_used: settled.pubdata_used,
            end,
            created: outcome.created,
        }
    }

    /// Ends the transaction in `io` and builds its receipt.
    fn complete<S: StateSource>(mut self, io: &mut Io<S>, settled: Settled) -> TxReceipt {
        let logs = io.logs_since(self.logs_before).to_vec();
        let messages = io
            .messages()
            .get(self.messages_before..)
            .unwrap_or_default()
            .to_vec();
        io.finish_tx(true);
        self.phase = TxPhase::Finished;
        let success = settled.success;
        let (output, halt) = match settled.end {
            FrameEnd::Success(out) | FrameEnd::Revert(out) => (out, None),
            FrameEnd::Halt(h) => (Bytes::new(), Some(h)),
        };
        TxReceipt {
            tx_hash: self.tx_hash,
            tx_type: self.tx.tx_type,
            success,
            gas_used: settled.gas_used,
            gas_refunded: settled.gas_refunded,
            native_used: settled.native_used,
            computational_native_used: settled.computational_native_used,
            pubdata_used: settled.pubdata_used,
            output,
            halt,
            logs,
            l2_to_l1_messages: messages,
            created: if success { settled.created } else { None },
        }
    }
}

/// The L2→L1 logs of an included transaction: one per user message (sender = the L1
/// messenger, key = the message sender, value = keccak of the message), then, for a priority
/// transaction, its priority log (sender = 0x8001, key = tx hash, value = success).
pub(crate) fn l2_to_l1_logs(receipt: &TxReceipt, tx_number: u16) -> Vec<L2ToL1Log> {
    let mut logs: Vec<L2ToL1Log> = receipt
        .l2_to_l1_messages
        .iter()
        .map(|message| L2ToL1Log {
            is_service: true,
            tx_number,
            sender: crate::system::L1_MESSENGER_ADDRESS,
            key: message.sender.into_word(),
            value: crate::primitives::keccak256(&message.data),
        })
        .collect();
    if receipt.tx_type == L1_PRIORITY_TX_TYPE {
        logs.push(L2ToL1Log {
            is_service: true,
            tx_number,
            sender: BOOTLOADER_FORMAL_ADDRESS,
            key: receipt.tx_hash,
            value: B256::from(U256::from(u8::from(receipt.success))),
        });
    }
    logs
}

/// The transaction hash: of the envelope for signed and L1 transactions, of the signing
/// payload for an unsigned (simulated) one.
pub(crate) fn hash_of(tx: &Transaction) -> B256 {
    tx.tx_hash()
        .or_else(|_| tx.signing_hash())
        .unwrap_or(KECCAK_EMPTY)
}

/// EIP-2929 / EIP-3651 warm set: sender, coinbase, precompiles, access list.
pub(crate) fn warm_up<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    sender: &Address,
) {
    io.warm_account(sender);
    io.warm_account(&block.coinbase);
    for precompile in Precompile::active(config.hardfork, config.flow) {
        io.warm_account(&precompile);
    }
    for item in &tx.access_list {
        io.warm_account(&item.address);
        for key in &item.storage_keys {
            io.warm_slot(&item.address, &U256::from_be_bytes(key.0));
        }
    }
}

/// The top-level call or deployment; `None` for a deployment onto an address that already has
/// a nonce, code or storage (it fails, consuming all gas).
fn top_level_message<S: StateSource>(
    io: &mut Io<S>,
    hardfork: Hardfork,
    tx: &Transaction,
    sender: Address,
    sender_nonce: u64,
    ergs: u64,
) -> Option<Message> {
    match tx.to {
        Some(to) => {
            io.warm_account(&to);
            let mut code_address = to;
            let mut delegated = false;
            if hardfork >= Hardfork::Prague {
                if let Some(target) = io.account(&to).code.delegation_target() {
                    io.warm_account(&target);
                    code_address = target;
                    delegated = true;
                }
            }
            Some(Message::Call(CallRequest {
                kind: CallKind::Call,
                target: to,
                code_address,
                delegated,
                caller: sender,
                transfer_value: tx.value,
                apparent_value: tx.value,
                input: tx.data.clone(),
                ergs,
                is_static: false,
                return_memory: (0, 0),
            }))
        }
        None => {
            let address = crate::ee::evm::frame::create_address(&sender, sender_nonce);
            io.warm_account(&address);
            let target = io.account(&address);
            let collision = target.nonce != 0 || !target.code.is_empty();
            if collision || io.has_storage(&address) {
                None
            } else {
                Some(Message::Create(CreateRequest {
                    kind: CallKind::Create,
                    caller: sender,
                    address,
                    value: tx.value,
                    init_code: tx.data.clone(),
                    ergs,
                }))
            }
        }
    }
}
