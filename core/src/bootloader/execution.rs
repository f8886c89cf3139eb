//! One transaction as a resumable state machine, one bootloader phase at a time:
//! [`TxExecution::start`] validates (changing no state), [`TxExecution::advance`] applies the
//! next phase (fee charge, the rest of execution, pubdata, refund), [`TxExecution::run`]
//! executes for a bounded number of EVM steps at a time, and [`TxExecution::finish`] drives
//! what is left and returns the receipt. The block loop and
//! [`super::ethereum::execute_transaction`] are built from it, so there is one flow whether a
//! transaction runs in one go or is stepped by a debugger.

use super::authorization::apply_authorizations;
use super::block::{BlockContext, BlockOutput, BlockTransaction};
use super::ethereum;
use super::receipt::{L2ToL1Log, L2ToL1Message, TxReceipt};
use super::validation::InvalidTransaction;
use super::zk::{self, NativeBudget, Pricing, PubdataCharge};
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
    /// Execution ended; the transaction is in [`TxPhase::Pubdata`].
    Executed,
}

/// What validation fixed: the fee charge, and figures for execution and settlement.
pub(crate) struct Charged {
    /// Price per gas.
    pub gas_price: U256,
    /// The sender's nonce before the bump (the `CREATE` address nonce).
    pub sender_nonce: u64,
    /// Who pays the fee (the sender; for L1 transactions `l1.from`).
    pub payer: Address,
    /// Wei minted to the payer before the fee is taken (an L1 deposit).
    pub mint: U256,
    /// Wei taken from the payer.
    pub fee: U256,
    /// Whether the payer's nonce is bumped.
    pub bump_nonce: bool,
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
    config: ChainConfig,
    tx: Transaction,
    tx_hash: B256,
    sender: Address,
    env: Env,
    intrinsic: IntrinsicGas,
    charged: Charged,
    /// Gas refund earned before execution (EIP-7702 authorities that exist).
    refund: i64,
    /// `None` before the fee charge and when there is nothing to run (a deployment onto an
    /// occupied address, or an L1 transaction whose gas cannot cover its intrinsic costs).
    runner: Option<Runner>,
    outcome: Option<ExecutionOutcome>,
    /// What the pubdata phase settled (ZKsync OS flow).
    pubdata: Option<PubdataCharge>,
    /// What the refund phase settled.
    settled: Option<Settled>,
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
    /// Decodes `tx` (recovering its sender) and validates it; the transaction is then in
    /// [`TxPhase::FeeCharge`]. No state is changed.
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

    /// Validates `tx` whose sender the caller recovered; the transaction is then in
    /// [`TxPhase::FeeCharge`]. No state is changed.
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
            Flow::Ethereum => ethereum::validate(io, config, &block_env, &tx, &sender, &intrinsic)?,
            Flow::Zk if tx.is_l1() => zk::plan_l1(io, &pricing, &tx, &intrinsic)?,
            Flow::Zk => zk::validate_l2(
                io, config, &block_env, &pricing, &tx, &sender, &intrinsic, simulated,
            )?,
        };
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
        Ok(Self {
            phase: TxPhase::FeeCharge,
            config: *config,
            logs_before: io.logs().len(),
            messages_before: io.messages().len(),
            tx_hash: hash_of(&tx),
            tx,
            sender,
            env,
            intrinsic,
            charged,
            refund: 0,
            runner: None,
            outcome: None,
            pubdata: None,
            settled: None,
            tx_start,
            exec_start: tx_start,
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
    /// [`TxPhase::Finished`].
    pub fn advance<S: StateSource>(&mut self, io: &mut Io<S>) -> TxPhase {
        match self.phase {
            TxPhase::Validation | TxPhase::FeeCharge => self.charge(io),
            TxPhase::Execution => {
                while self.run(io, &mut NoopTracer, u64::MAX) == TxProgress::Paused {}
            }
            TxPhase::Pubdata => self.charge_pubdata(io),
            TxPhase::Refund => self.settle_refund(io),
            TxPhase::Finished => {}
        }
        self.phase
    }

    /// Fee charge: takes the fee (and bumps the nonce), warms the EIP-2929 set, applies
    /// authorizations and prepares the top-level frame.
    fn charge<S: StateSource>(&mut self, io: &mut Io<S>) {
        let hardfork = self.env.hardfork;
        charge_fee(io, &self.charged);
        warm_up(io, &self.config, &self.env.block, &self.tx, &self.sender);
        if hardfork >= Hardfork::Prague && !self.tx.authorization_list.is_empty() {
            self.refund += apply_authorizations(io, &self.config, &self.tx);
        }
        if let Some(budget) = &self.charged.budget {
            io.reset_native(budget.execution);
        }
        self.exec_start = io.checkpoint();
        self.runner = if self.charged.skip_execution {
            None
        } else {
            let ergs = gas_to_ergs(self.tx.gas_limit - self.intrinsic.gas);
            top_level_message(
                io,
                hardfork,
                &self.tx,
                self.sender,
                self.charged.sender_nonce,
                ergs,
            )
            .map(Runner::new)
        };
        self.logs_before = io.logs().len();
        self.messages_before = io.messages().len();
        self.phase = TxPhase::Execution;
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

    /// The native budget fixed by validation (`None` in the Ethereum flow).
    pub fn native_budget(&self) -> Option<&NativeBudget> {
        self.charged.budget.as_ref()
    }

    /// The EVM frame stack (`None` when there is nothing to run).
    pub fn runner(&self) -> Option<&Runner> {
        self.runner.as_ref()
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

    /// Applies every phase left (execution untraced): pubdata, refund, fee; ends the
    /// transaction in `io` and returns its receipt. Block limits are not checked (see
    /// [`Self::finish_in_block`]).
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

    /// Applies every phase left and returns the settled figures.
    fn settle<S: StateSource>(&mut self, io: &mut Io<S>) -> Settled {
        while self.phase != TxPhase::Finished {
            self.advance(io);
        }
        self.settled.take().unwrap_or(Settled {
            success: false,
            gas_used: self.tx.gas_limit,
            gas_refunded: 0,
            native_used: 0,
            computational_native_used: 0,
            pubdata_used: 0,
            end: FrameEnd::Halt(Halt::OutOfGas),
            created: None,
        })
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

    /// The outcome of execution (a failure using all gas when there was nothing to run).
    fn outcome(&self) -> ExecutionOutcome {
        self.outcome.clone().unwrap_or(ExecutionOutcome {
            end: FrameEnd::Halt(Halt::OutOfGas),
            ergs_left: 0,
            refund: 0,
            created: None,
        })
    }

    /// The inputs of the ZKsync OS pubdata and refund phases.
    fn settlement<'a>(
        &'a self,
        budget: &'a NativeBudget,
        outcome: &ExecutionOutcome,
    ) -> zk::Settlement<'a> {
        zk::Settlement {
            tx: &self.tx,
            hardfork: self.env.hardfork,
            intrinsic: &self.intrinsic,
            budget,
            gas_price: self.charged.gas_price,
            coinbase: self.env.block.coinbase,
            refund_recipient: self.charged.refund_recipient,
            ergs_left: outcome.ergs_left,
            refund: self.refund + outcome.refund,
            exec_start: self.exec_start,
            messages_before: self.messages_before,
            covered: [
                self.sender,
                self.env.block.coinbase,
                self.charged.refund_recipient,
            ],
        }
    }

    /// Pubdata phase: in the ZKsync OS flow the net pubdata is charged in native (execution
    /// is reverted when it cannot be paid); the Ethereum flow has no pubdata.
    fn charge_pubdata<S: StateSource>(&mut self, io: &mut Io<S>) {
        if let Some(budget) = self.charged.budget {
            let outcome = self.outcome();
            let charge = zk::charge_pubdata(io, &self.settlement(&budget, &outcome));
            self.pubdata = Some(charge);
        }
        self.phase = TxPhase::Refund;
    }

    /// Pubdata bytes charged so far: `None` before the pubdata phase (and in the Ethereum
    /// flow), then the intrinsic pubdata plus execution's net pubdata.
    pub fn pubdata_used(&self) -> Option<u64> {
        let budget = self.charged.budget.as_ref()?;
        self.pubdata
            .map(|charge| budget.intrinsic_pubdata + charge.net_pubdata)
    }

    /// Gas refunded, once the refund phase is applied.
    pub fn gas_refunded(&self) -> Option<u64> {
        self.settled.as_ref().map(|settled| settled.gas_refunded)
    }

    /// Refund phase: unused gas back to the payer (refund recipient), the fee to the coinbase.
    fn settle_refund<S: StateSource>(&mut self, io: &mut Io<S>) {
        let outcome = self.outcome();
        let mut success = matches!(outcome.end, FrameEnd::Success(_));
        let mut end = outcome.end.clone();
        let settled = match (self.charged.budget, self.pubdata) {
            (Some(budget), Some(pubdata)) => {
                let zk = zk::refund(io, &self.settlement(&budget, &outcome), &pubdata);
                if !zk.pubdata_paid {
                    success = false;
                    end = FrameEnd::Revert(Bytes::new());
                }
                if !success && self.tx.tx_type == L1_PRIORITY_TX_TYPE {
                    // A failed deposit's value goes to the refund recipient with the unused gas.
                    let _ =
                        io.transfer(&self.sender, &self.charged.refund_recipient, self.tx.value);
                }
                Settled {
                    success,
                    gas_used: zk.gas_used,
                    gas_refunded: zk.gas_refunded,
                    native_used: zk.native_used,
                    computational_native_used: zk.computational_native_used,
                    pubdata_used: zk.pubdata_used,
                    end,
                    created: outcome.created,
                }
            }
            _ => {
                let eth = ethereum::settle(
                    io,
                    &self.env,
                    &self.tx,
                    &self.sender,
                    &self.intrinsic,
                    outcome.ergs_left,
                    self.refund + outcome.refund,
                );
                let native_used = io.native_used();
                Settled {
                    success,
                    gas_used: eth.gas_used,
                    gas_refunded: eth.gas_refunded,
                    native_used,
                    computational_native_used: native_used,
                    pubdata_used: 0,
                    end,
                    created: outcome.created,
                }
            }
        };
        self.settled = Some(settled);
        self.phase = TxPhase::Finished;
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
            gas_price: self.charged.gas_price,
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
        .map(|message| message_log(message, tx_number))
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

/// The L2→L1 log of a user message sent by transaction `tx_number` of the block.
pub(crate) fn message_log(message: &L2ToL1Message, tx_number: u16) -> L2ToL1Log {
    L2ToL1Log {
        is_service: true,
        tx_number,
        sender: crate::system::L1_MESSENGER_ADDRESS,
        key: message.sender.into_word(),
        value: crate::primitives::keccak256(&message.data),
    }
}

/// The transaction hash: of the envelope for signed and L1 transactions, of the signing
/// payload for an unsigned (simulated) one.
pub(crate) fn hash_of(tx: &Transaction) -> B256 {
    tx.tx_hash()
        .or_else(|_| tx.signing_hash())
        .unwrap_or(KECCAK_EMPTY)
}

/// Fee charge: mints an L1 deposit to the payer, takes the fee and bumps the nonce. Writes are
/// unmetered (the native budget is set after the charge).
pub(crate) fn charge_fee<S: StateSource>(io: &mut Io<S>, charged: &Charged) {
    io.reset_native(u64::MAX);
    let payer = &charged.payer;
    let balance = io.account(payer).balance;
    let _ = io.set_balance(
        payer,
        balance
            .saturating_add(charged.mint)
            .saturating_sub(charged.fee),
    );
    if charged.bump_nonce {
        let _ = io.set_nonce(payer, charged.sender_nonce.saturating_add(1));
    }
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
