//! One transaction as a resumable state machine: [`TxExecution::start`] validates and charges
//! the fee, [`TxExecution::run`] executes for a bounded number of EVM steps at a time, and
//! [`TxExecution::finish`] settles pubdata, refund and fees. The block loop and
//! [`super::ethereum::execute_transaction`] are built from it, so there is one flow whether a
//! transaction runs in one go or is stepped by a debugger.

use super::authorization::apply_authorizations;
use super::block::{BlockContext, BlockTransaction};
use super::ethereum;
use super::receipt::TxReceipt;
use super::validation::InvalidTransaction;
use crate::config::{ChainConfig, Flow, Hardfork};
use crate::ee::evm::{CallKind, CallRequest, CreateRequest, Env, FrameEnd, Halt};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Io, StateSource};
use crate::precompiles::Precompile;
use crate::primitives::{Address, Bytes, B256, KECCAK_EMPTY, U256};
use crate::resources::gas::StaticErgsTable;
use crate::runner::{ExecutionOutcome, Message, RunStatus, Runner};
use crate::trace::Tracer;
use crate::tx::intrinsic::{intrinsic_gas, IntrinsicGas};
use crate::tx::{self, Transaction};

/// The phases of a transaction, in the order the bootloader runs them.
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

/// A transaction between [`TxExecution::start`] and [`TxExecution::finish`].
pub struct TxExecution {
    phase: TxPhase,
    tx: Transaction,
    tx_hash: B256,
    sender: Address,
    env: Env,
    intrinsic: IntrinsicGas,
    /// Gas refund earned before execution (EIP-7702 authorities that exist).
    refund: i64,
    /// `None` when there is nothing to run (a deployment onto an occupied address).
    runner: Option<Runner>,
    outcome: Option<ExecutionOutcome>,
    logs_before: usize,
    messages_before: usize,
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
        let (tx, sender) = match tx {
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
                (tx, sender)
            }
            BlockTransaction::Simulated { tx, from } => (tx.clone(), *from),
        };
        Self::start_recovered(io, config, &block.evm_env(), tx, sender)
    }

    /// Starts `tx` whose sender is already known (recovered by the caller): validation and fee
    /// charge. An invalid transaction leaves the state untouched.
    pub fn start_recovered<S: StateSource>(
        io: &mut Io<S>,
        config: &ChainConfig,
        block: &BlockEnv,
        tx: Transaction,
        sender: Address,
    ) -> Result<Self, InvalidTransaction> {
        let hardfork = config.hardfork;
        let intrinsic = intrinsic_gas(&tx, hardfork);
        let tx_hash = hash_of(&tx);
        let charged = match config.flow {
            Flow::Ethereum => ethereum::validate_and_charge(io, config, block, &tx, &sender)?,
            Flow::Zk => return Err(InvalidTransaction::ZkFlowPending),
        };
        let logs_before = io.logs().len();
        let messages_before = io.messages().len();
        warm_up(io, config, block, &tx, &sender);
        let mut refund = 0;
        if hardfork >= Hardfork::Prague && !tx.authorization_list.is_empty() {
            refund += apply_authorizations(io, config, &tx);
        }
        let env = Env {
            hardfork,
            flow: config.flow,
            chain_id: config.chain_id,
            block: block.clone(),
            tx: TxEnv {
                origin: sender,
                gas_price: charged.gas_price,
                blob_hashes: tx.blob_versioned_hashes.clone(),
            },
            ergs_table: StaticErgsTable::for_hardfork(hardfork),
        };
        let ergs = crate::resources::gas_to_ergs(tx.gas_limit - intrinsic.gas);
        let runner = top_level_message(io, hardfork, &tx, sender, charged.sender_nonce, ergs)
            .map(Runner::new);
        Ok(Self {
            phase: TxPhase::Execution,
            tx,
            tx_hash,
            sender,
            env,
            intrinsic,
            refund,
            runner,
            outcome: None,
            logs_before,
            messages_before,
        })
    }

    /// The phase the transaction is in: [`TxPhase::Execution`] until [`Self::run`] reports
    /// [`TxProgress::Executed`], then [`TxPhase::Pubdata`] (the next step of
    /// [`Self::finish`]).
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

    /// The live EVM frames (empty before the first step and after execution).
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
    /// fee; ends the transaction in `io` and returns its receipt.
    pub fn finish<S: StateSource>(mut self, io: &mut Io<S>) -> TxReceipt {
        while self.run(io, &mut crate::trace::NoopTracer, u64::MAX) == TxProgress::Paused {}
        let outcome = self.outcome.take().unwrap_or(ExecutionOutcome {
            end: FrameEnd::Halt(Halt::OutOfGas),
            ergs_left: 0,
            refund: 0,
            created: None,
        });
        let settled = ethereum::settle(
            io,
            &self.env,
            &self.tx,
            &self.sender,
            &self.intrinsic,
            outcome.ergs_left,
            self.refund + outcome.refund,
        );
        let success = matches!(outcome.end, FrameEnd::Success(_));
        let logs = io.logs_since(self.logs_before).to_vec();
        let messages = io
            .messages()
            .get(self.messages_before..)
            .unwrap_or_default()
            .to_vec();
        let native_used = io.native_used();
        io.finish_tx(true);
        let (output, halt) = match outcome.end {
            FrameEnd::Success(out) | FrameEnd::Revert(out) => (out, None),
            FrameEnd::Halt(h) => (Bytes::new(), Some(h)),
        };
        TxReceipt {
            tx_hash: self.tx_hash,
            tx_type: self.tx.tx_type,
            success,
            gas_used: settled.gas_used,
            gas_refunded: settled.gas_refunded,
            native_used,
            computational_native_used: native_used,
            pubdata_used: 0,
            output,
            halt,
            logs,
            l2_to_l1_messages: messages,
            created: if success { outcome.created } else { None },
        }
    }
}

/// The transaction hash: of the envelope for signed and L1 transactions, of the signing
/// payload for an unsigned (simulated) one.
pub(crate) fn hash_of(tx: &Transaction) -> B256 {
    tx.tx_hash()
        .or_else(|_| tx.signing_hash())
        .unwrap_or(KECCAK_EMPTY)
}

/// EIP-2929 / EIP-3651 warm set: sender, coinbase, precompiles, access list.
fn warm_up<S: StateSource>(
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
