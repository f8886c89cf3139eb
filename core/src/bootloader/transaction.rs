//! One transaction as a resumable state machine, one bootloader phase at a time:
//! [`TxExecution::start`] validates (changing no state), [`TxExecution::advance`] applies the
//! next phase (fee charge, the rest of execution, pubdata, settlement), [`TxExecution::run`]
//! executes for a bounded number of EVM steps at a time, and [`TxExecution::finish`] drives
//! what is left and returns the receipt. What each phase does is the chain's [`Flow`]'s; this
//! file only orders the phases, steps the EVM and keeps the checkpoints. The block loop, the
//! engine's single transactions and a debugger's stepping all go through it.

use super::flow::{
    Admitted, BlockUsage, ChainFlow, Executed, Flow, GasBreakdown, NativeBudget, PubdataCharge,
    Settled,
};
use super::input::DecodedTx;
use super::invalid::InvalidTransaction;
use super::receipt::TxReceipt;
use crate::config::{ChainConfig, Hardfork};
use crate::context::BlockContext;
use crate::ee::evm::stack::Stack;
use crate::ee::evm::{CallKind, CallRequest, CreateRequest, Env, FrameEnd, Halt, StaticCosts};
use crate::ee::evm::{NoopTracer, Tracer};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Checkpoint, Io, OutOfNative, StateSource};
use crate::primitives::{Address, Bytes, B256, U256};
use crate::resources::native::{ChargingModel, NativeCostTable};
use crate::runner::{ExecutionOutcome, Message, RunStatus, Runner};
use crate::state::header::mix_hash;
use crate::tx::intrinsic::{intrinsic_gas, IntrinsicGas};
use crate::tx::Transaction;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// The phases of a transaction, in the order the bootloader runs them (spec §3-4). A
/// [`TxExecution`] is *in* the phase it applies next.
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
    /// All phases are applied; the receipt is ready.
    Finished,
}

/// Whether [`TxExecution::run`] finished the execution phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxProgress {
    /// The step budget ran out; call [`TxExecution::run`] again.
    Paused,
    /// Execution needs state the source does not know yet (recorded in the IO); call
    /// [`TxExecution::run`] again once the host supplied it.
    NeedState,
    /// Execution ended; the transaction is in [`TxPhase::Pubdata`].
    Executed,
}

/// A transaction between [`TxExecution::start`] and [`TxExecution::finish`].
///
/// The block loop moves it several times a transaction (started, held while it runs, ended),
/// so its two large parts sit behind boxes: the admitted transaction (about 1 KB) and the
/// frame stack (about 500 B); what moves is under 500 bytes.
pub struct TxExecution {
    phase: TxPhase,
    flow: ChainFlow,
    admitted: Box<Admitted>,
    /// Gas refund earned before execution (EIP-7702 authorities that exist).
    refund: i64,
    /// `None` before the fee charge and when there is nothing to run (a deployment onto an
    /// occupied address, or an L1 transaction whose gas cannot cover its intrinsic costs).
    runner: Option<Box<Runner>>,
    /// What execution left, once it ended.
    executed: Option<Executed>,
    /// What the pubdata phase settled (ZKsync OS flow).
    pubdata: Option<PubdataCharge>,
    /// How execution ends when nothing runs: out of gas, or out of native when protocol
    /// version 2's top-level reads could not be paid.
    nothing_ran: Halt,
    /// What the refund phase settled.
    settled: Option<Settled>,
    /// Before the fee charge: where a transaction that overflows the block rolls back to.
    tx_start: Checkpoint,
    /// After the fee charge: where a transaction that cannot pay its pubdata rolls back to.
    exec_start: Checkpoint,
    logs_before: usize,
    messages_before: usize,
    /// Operand stacks of the block's finished frames, for this transaction's (see
    /// [`Runner::with_spare_stacks`]).
    spare_stacks: Vec<Stack>,
}

impl TxExecution {
    /// Validates `tx` under `flow`; the transaction is then in [`TxPhase::FeeCharge`]. No state
    /// is changed, and an invalid transaction leaves the block's caches as they were (protocol
    /// version 1; see [`Io::forget_rejected_tx_caches`]).
    pub fn start<S: StateSource>(
        io: &mut Io<S>,
        flow: &ChainFlow,
        block: &BlockContext,
        tx: DecodedTx,
    ) -> Result<Self, InvalidTransaction> {
        Self::start_with(
            io,
            flow,
            block,
            tx,
            &mut BlockStaticCosts::default(),
            &mut Vec::new(),
        )
    }

    /// [`Self::start`] with the static cost table of `costs` (built there if it has none for
    /// `io`'s native prices); a valid transaction takes `spare_stacks` for its frames (see
    /// [`Self::take_spare_stacks`]).
    pub(super) fn start_with<S: StateSource>(
        io: &mut Io<S>,
        flow: &ChainFlow,
        block: &BlockContext,
        tx: DecodedTx,
        costs: &mut BlockStaticCosts,
        spare_stacks: &mut Vec<Stack>,
    ) -> Result<Self, InvalidTransaction> {
        let config = flow.config();
        let static_costs = costs.get(config, io.shared_costs());
        let hardfork = config.hardfork;
        let intrinsic = intrinsic_gas(&tx.tx, hardfork);
        let tx_start = io.checkpoint();
        io.start_tx_caches();
        let charged = flow
            .validate(io, block, &tx, &intrinsic)
            .inspect_err(|_| io.forget_rejected_tx_caches())?;
        let env = Env {
            hardfork,
            flow: config.flow,
            protocol_version: config.protocol_version,
            chain_id: config.chain_id,
            block: BlockEnv {
                prevrandao: mix_hash(config.protocol_version, block.prevrandao),
                ..block.evm_env()
            },
            tx: TxEnv {
                origin: tx.sender,
                gas_price: charged.gas_price,
                blob_hashes: tx.tx.blob_versioned_hashes.clone(),
            },
            static_costs,
        };
        Ok(Self {
            phase: TxPhase::FeeCharge,
            flow: *flow,
            logs_before: io.logs().len(),
            messages_before: io.messages().len(),
            admitted: Box::new(Admitted {
                tx,
                env,
                intrinsic: IntrinsicGas {
                    gas: intrinsic.gas.saturating_add(charged.validation_gas),
                    ..intrinsic
                },
                charged,
            }),
            refund: 0,
            runner: None,
            executed: None,
            pubdata: None,
            nothing_ran: Halt::OutOfGas,
            settled: None,
            tx_start,
            exec_start: tx_start,
            spare_stacks: core::mem::take(spare_stacks),
        })
    }

    /// The phase the transaction is in (the one [`Self::advance`] or [`Self::run`] applies
    /// next): [`TxPhase::FeeCharge`] after [`Self::start`], then in turn
    /// [`TxPhase::Execution`], [`TxPhase::Pubdata`], [`TxPhase::Refund`] and
    /// [`TxPhase::Finished`].
    pub fn phase(&self) -> TxPhase {
        self.phase
    }

    /// Applies the phase the transaction is in and returns the next one: the fee charge
    /// (with the warm set, authorizations and the top-level frame), the rest of execution
    /// (untraced), the pubdata charge, or the refund and fees. Does nothing once
    /// [`TxPhase::Finished`]. Execution that needs state the source does not know yet stays in
    /// [`TxPhase::Execution`] (the keys are recorded in the IO).
    pub fn advance<S: StateSource>(&mut self, io: &mut Io<S>) -> TxPhase {
        match self.phase {
            TxPhase::Validation | TxPhase::FeeCharge => self.charge(io),
            TxPhase::Execution => {
                while self.run(io, &mut NoopTracer, u64::MAX) == TxProgress::Paused {}
            }
            TxPhase::Pubdata => {
                if let Some(executed) = &self.executed {
                    self.pubdata = self.flow.charge_pubdata(io, &self.admitted, executed);
                }
                self.phase = TxPhase::Refund;
            }
            TxPhase::Refund => {
                if let Some(executed) = &self.executed {
                    let settled =
                        self.flow
                            .settle(io, &self.admitted, executed, self.pubdata.as_ref());
                    self.settled = Some(settled);
                }
                self.phase = TxPhase::Finished;
            }
            TxPhase::Finished => {}
        }
        self.phase
    }

    /// Fee charge (the flow's), then the top-level frame.
    fn charge<S: StateSource>(&mut self, io: &mut Io<S>) {
        self.refund += self.flow.charge_fee(io, &self.admitted);
        self.exec_start = io.checkpoint();
        self.runner = if self.admitted.charged.skip_execution {
            None
        } else {
            match top_level_message(io, &self.admitted) {
                Ok(message) => message.map(|message| {
                    Box::new(Runner::with_spare_stacks(
                        message,
                        core::mem::take(&mut self.spare_stacks),
                    ))
                }),
                Err(OutOfNative) => {
                    self.nothing_ran = Halt::OutOfNative;
                    None
                }
            }
        };
        self.logs_before = io.logs().len();
        self.messages_before = io.messages().len();
        self.phase = TxPhase::Execution;
    }

    /// The transaction.
    pub fn transaction(&self) -> &Transaction {
        self.admitted.transaction()
    }

    /// The transaction hash.
    pub fn tx_hash(&self) -> B256 {
        self.admitted.hash()
    }

    /// The sender (for L1 transactions: `l1.from`).
    pub fn sender(&self) -> Address {
        self.admitted.tx.sender
    }

    /// The price per gas the transaction pays.
    pub fn gas_price(&self) -> U256 {
        self.admitted.charged.gas_price
    }

    /// The intrinsic gas the fee charge covers.
    pub fn intrinsic_gas(&self) -> u64 {
        self.admitted.intrinsic.gas
    }

    /// The native budget fixed by validation (`None` in the Ethereum flow).
    pub fn native_budget(&self) -> Option<&NativeBudget> {
        self.admitted.charged.budget.as_ref()
    }

    /// The operand stacks of this transaction's finished frames and of those it was given,
    /// for the block's next transaction.
    pub(super) fn take_spare_stacks(&mut self) -> Vec<Stack> {
        match self.runner.as_mut() {
            Some(runner) => runner.take_spare_stacks(),
            None => core::mem::take(&mut self.spare_stacks),
        }
    }

    /// The EVM frame stack (`None` when there is nothing to run).
    pub fn runner(&self) -> Option<&Runner> {
        self.runner.as_deref()
    }

    /// Runs at most `step_budget` EVM steps, applying the fee charge first when it is still
    /// pending (a zero budget enters the top-level frame without running an opcode).
    pub fn run<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        tracer: &mut T,
        step_budget: u64,
    ) -> TxProgress {
        if matches!(self.phase, TxPhase::Validation | TxPhase::FeeCharge) {
            self.charge(io);
        }
        if self.executed.is_some() {
            return TxProgress::Executed;
        }
        let outcome = match self.runner.as_mut() {
            Some(runner) => match runner.run(io, &self.admitted.env, tracer, step_budget) {
                RunStatus::Paused => return TxProgress::Paused,
                RunStatus::NeedState => return TxProgress::NeedState,
                RunStatus::Done(outcome) => self.read_deployed_code(io, outcome),
            },
            None => ExecutionOutcome {
                end: FrameEnd::Halt(self.nothing_ran),
                ergs_left: 0,
                refund: 0,
                created: None,
            },
        };
        self.executed = Some(Executed {
            refund: self.refund + outcome.refund,
            outcome,
            exec_start: self.exec_start,
            messages_before: self.messages_before,
        });
        self.phase = TxPhase::Pubdata;
        TxProgress::Executed
    }

    /// A successful top-level deployment's code is read back to be returned (protocol version
    /// 2 charges the read as part of execution; running out of native there fails execution).
    fn read_deployed_code<S: StateSource>(
        &self,
        io: &mut Io<S>,
        outcome: ExecutionOutcome,
    ) -> ExecutionOutcome {
        let Some(created) = outcome.created else {
            return outcome;
        };
        match io.charge_code_read(&created) {
            Ok(()) => outcome,
            Err(OutOfNative) => {
                io.rollback(self.exec_start);
                ExecutionOutcome {
                    end: FrameEnd::Halt(Halt::OutOfNative),
                    ergs_left: 0,
                    refund: 0,
                    created: None,
                }
            }
        }
    }

    /// Applies every phase left (execution untraced): pubdata, refund, fee; ends the
    /// transaction in `io` and returns its receipt. Block limits are not checked (see
    /// [`Self::finish_in_block`]).
    pub fn finish<S: StateSource>(mut self, io: &mut Io<S>) -> TxReceipt {
        let settled = self.settle(io);
        self.complete(io, settled)
    }

    /// [`Self::finish`] within a block that has used `used` so far: a transaction that would
    /// take the block over one of its limits (gas, computational native, pubdata, L2→L1 logs,
    /// blob gas), or an upgrade transaction that failed, is rolled back entirely, with what it
    /// added to the block's caches under protocol version 1, and reported invalid.
    pub fn finish_in_block<S: StateSource>(
        mut self,
        io: &mut Io<S>,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<TxReceipt, InvalidTransaction> {
        let settled = self.settle(io);
        let messages = io.messages().len().saturating_sub(self.messages_before) as u64;
        let limits = self
            .flow
            .check_block_limits(&self.admitted, &settled, messages, block, used);
        if let Err(reason) = limits {
            io.rollback(self.tx_start);
            io.finish_tx(false);
            io.forget_rejected_tx_caches();
            return Err(reason);
        }
        Ok(self.complete(io, settled))
    }

    /// Applies every phase left and returns the settled figures. Execution that cannot go on
    /// for state the source does not know (a caller that did not wait for [`TxProgress::Executed`])
    /// settles as a failure using all gas.
    fn settle<S: StateSource>(&mut self, io: &mut Io<S>) -> Settled {
        while self.phase != TxPhase::Finished {
            let phase = self.phase;
            if self.advance(io) == phase {
                break;
            }
        }
        self.settled.take().unwrap_or(Settled {
            success: false,
            gas: GasBreakdown::after_execution(
                self.transaction().gas_limit,
                self.admitted.intrinsic.gas,
                0,
                0,
                None,
            ),
            native_used: 0,
            computational_native_used: 0,
            pubdata_used: 0,
            end: FrameEnd::Halt(Halt::OutOfGas),
            created: None,
        })
    }

    /// Pubdata bytes charged so far: `None` before the pubdata phase (and in the Ethereum
    /// flow), then the intrinsic pubdata plus execution's net pubdata.
    pub fn pubdata_used(&self) -> Option<u64> {
        let budget = self.native_budget()?;
        self.pubdata
            .as_ref()
            .map(|charge| budget.intrinsic_pubdata + charge.net_pubdata)
    }

    /// Gas refunded, once the refund phase is applied.
    pub fn gas_refunded(&self) -> Option<u64> {
        self.settled
            .as_ref()
            .map(|settled| settled.gas.reported_refund(self.admitted.env.flow))
    }

    /// How the gas used adds up, once the refund phase is applied.
    pub fn gas_breakdown(&self) -> Option<GasBreakdown> {
        self.settled.as_ref().map(|settled| settled.gas)
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
            tx_hash: self.admitted.hash(),
            tx_type: self.transaction().tx_type,
            success,
            gas_used: settled.gas.gas_used(),
            gas_refunded: settled.gas.reported_refund(self.admitted.env.flow),
            gas_breakdown: settled.gas,
            native_used: settled.native_used,
            computational_native_used: settled.computational_native_used,
            pubdata_used: settled.pubdata_used,
            output,
            halt,
            logs,
            l2_to_l1_messages: messages,
            created: if success { settled.created } else { None },
            gas_price: self.admitted.charged.gas_price,
        }
    }
}

/// Warms the top-level target; protocol version 2 reads it through the account cache, charged.
fn enter<S: StateSource>(io: &mut Io<S>, target: &Address) -> Result<(), OutOfNative> {
    match io.costs().model {
        ChargingModel::PerBlock => {
            io.warm_account(target);
            Ok(())
        }
        ChargingModel::Materialised => io.access_account(target).map(|_| ()),
    }
}

/// The top-level call or deployment; `None` for a deployment onto an address that already has
/// a nonce, code or storage (it fails, consuming all gas). Protocol version 2 charges the
/// bootloader's reads before it: the caller (of a call) and the target.
fn top_level_message<S: StateSource>(
    io: &mut Io<S>,
    admitted: &Admitted,
) -> Result<Option<Message>, OutOfNative> {
    let tx = admitted.transaction();
    let sender = admitted.tx.sender;
    let ergs = admitted
        .env
        .ergs_per_gas()
        .ergs(tx.gas_limit - admitted.intrinsic.gas);
    Ok(match tx.to {
        Some(to) => {
            io.charge_account_read(&sender)?;
            enter(io, &to)?;
            let mut code_address = to;
            let mut delegated = false;
            if admitted.env.hardfork >= Hardfork::Prague {
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
            let address =
                crate::ee::evm::frame::create_address(&sender, admitted.charged.sender_nonce);
            enter(io, &address)?;
            let target = io.account(&address);
            let collision = target.nonce != 0 || !target.code.is_empty();
            if collision || io.has_storage(&address) {
                // Version 2 reads the address's properties with its code, then (for a
                // deployment carrying value) the sender's balance before it finds the
                // collision (upstream `basic_bootloader/src/bootloader/runner.rs::
                // read_callee_account_properties`, then `evm_interpreter/src/ee_trait_impl.rs::
                // before_executing_frame`); both are free under version 1.
                io.charge_code_fetch(&address)?;
                if !tx.value.is_zero() {
                    io.charge_account_read(&sender)?;
                }
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
    })
}

/// The static cost table of a block's transactions, built by the first and shared by the rest
/// while the IO's native prices stay the same table.
#[derive(Clone, Debug, Default)]
pub(super) struct BlockStaticCosts(Option<(Rc<NativeCostTable>, Rc<StaticCosts>)>);

impl BlockStaticCosts {
    /// The table of `config` with the prices of `native`.
    pub(super) fn get(
        &mut self,
        config: &ChainConfig,
        native: Rc<NativeCostTable>,
    ) -> Rc<StaticCosts> {
        match &self.0 {
            Some((built_for, costs)) if Rc::ptr_eq(built_for, &native) => costs.clone(),
            _ => {
                let costs = StaticCosts::for_chain(config, &native);
                self.0 = Some((native, costs.clone()));
                costs
            }
        }
    }
}
