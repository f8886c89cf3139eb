//! The [`Flow`] trait: one method per bootloader phase of a transaction (spec §3-4), and the
//! values the phases hand each other. A flow decides only what differs between the Ethereum
//! and the ZKsync OS rules; [`crate::bootloader::TxExecution`] runs the phases in order, steps
//! the EVM between them and keeps the checkpoints.
//!
//! Every phase reads the state through the [`Io`] it is given and changes it only where its
//! documentation says so; validation changes nothing, so it can be asked again.

use super::breakdown::GasBreakdown;
use super::zk::budget::NativeBudget;
use crate::bootloader::input::DecodedTx;
use crate::bootloader::invalid::InvalidTransaction;
use crate::bootloader::receipt::TxReceipt;
use crate::context::BlockContext;
use crate::ee::evm::{Env, FrameEnd};
use crate::io::{Checkpoint, Io, StateSource};
use crate::primitives::{Address, Bytes, B256, U256};
use crate::runner::ExecutionOutcome;
use crate::system::genesis::GenesisAccount;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::Transaction;

/// The rules of one transaction flow, one method per phase, plus the questions hosts ask before
/// a transaction runs (its price, its gas cap, its native, its expected fee).
pub trait Flow {
    /// Block start: the system operations that run before a block's first transaction (in the
    /// Ethereum flow from Prague, the EIP-2935 block-hash history). Returns false, having changed
    /// nothing and recorded the missing keys in `io`, when they read state the source does not
    /// know yet; run it again once the host supplied it.
    fn start_block<S: StateSource>(&self, io: &mut Io<S>, block: &BlockContext) -> bool;

    /// Validation: checks `tx` against the state and the block and fixes its fee charge. Changes
    /// no state.
    fn validate<S: StateSource>(
        &self,
        io: &mut Io<S>,
        block: &BlockContext,
        tx: &DecodedTx,
        intrinsic: &IntrinsicGas,
    ) -> Result<Charged, InvalidTransaction>;

    /// Fee charge: applies the charge validation fixed (mint, fee, nonce), warms the EIP-2929
    /// set, applies EIP-7702 authorizations and sets the native limit of execution. Returns the
    /// gas refund earned before execution.
    fn charge_fee<S: StateSource>(&self, io: &mut Io<S>, tx: &Admitted) -> i64;

    /// Pubdata: measures the net pubdata of execution and charges it, reverting execution when
    /// it cannot be paid. `None` when the flow has no pubdata.
    fn charge_pubdata<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
    ) -> Option<PubdataCharge>;

    /// Settlement: caps the refund, returns unused gas to the payer and pays the fee.
    fn settle<S: StateSource>(
        &self,
        io: &mut Io<S>,
        tx: &Admitted,
        executed: &Executed,
        pubdata: Option<&PubdataCharge>,
    ) -> Settled;

    /// Block room: whether a block that has used `used` has room for `tx` before it runs (its
    /// gas limit and blob gas, where the flow's rules check them up front).
    fn check_block_room(
        &self,
        tx: &Transaction,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction>;

    /// Block limits: whether the block that has used `used` can take the settled transaction,
    /// which sent `messages` L2→L1 messages.
    fn check_block_limits(
        &self,
        tx: &Admitted,
        settled: &Settled,
        messages: u64,
        block: &BlockContext,
        used: &BlockUsage,
    ) -> Result<(), InvalidTransaction>;

    /// Price per gas `tx` will pay under `base_fee` (for estimates, before it runs).
    fn gas_price(&self, tx: &Transaction, base_fee: U256) -> U256;

    /// Largest gas limit one transaction may have in a block with `block_gas_limit`.
    fn tx_gas_cap(&self, block_gas_limit: u64) -> u64;

    /// Largest gas limit a simulation may have in a block with `block_gas_limit` (it skips
    /// the checks [`crate::bootloader::DecodedTx::skip_gas_cap`] names).
    fn simulation_gas_cap(&self, block_gas_limit: u64) -> u64;

    /// Native one gas buys at `gas_price` (a zero price stands for `base_fee`, as in a
    /// simulation) and `native_price`; `None` when native is unlimited.
    fn native_per_gas(&self, gas_price: U256, base_fee: U256, native_price: U256) -> Option<u64>;

    /// Native one pubdata byte of an L2 transaction costs at `pubdata_price` and
    /// `native_price` (0 where there is no pubdata).
    fn native_per_pubdata(&self, pubdata_price: U256, native_price: U256) -> u64;

    /// Pubdata bytes an estimate covers beyond what its simulation measured: what a
    /// transaction may pay after others in its block (0 where there is no pubdata).
    fn estimate_pubdata_reserve(&self) -> u64;

    /// The fee a transaction with `receipt` is expected to cost at `gas_price` per gas, the
    /// block's native price and its pubdata price.
    fn expected_fee(
        &self,
        receipt: &TxReceipt,
        gas_price: U256,
        native_price: U256,
        pubdata_price: U256,
    ) -> U256;

    /// Accounts the chain holds at genesis besides the ones users set.
    fn genesis(&self) -> &'static [GenesisAccount];
}

/// What validation fixed: the fee charge, and figures for execution and settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Charged {
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
    /// Gas validation charged beyond the intrinsic gas (ZKsync OS version 2: a delegated
    /// sender's account accesses); execution starts with that much less.
    pub validation_gas: u64,
}

/// A transaction validation admitted: what every later phase reads.
#[derive(Clone, Debug)]
pub struct Admitted {
    /// The transaction, its sender and its hash.
    pub tx: DecodedTx,
    /// What the EVM reads while it runs.
    pub env: Env,
    /// Its intrinsic gas.
    pub intrinsic: IntrinsicGas,
    /// The charge validation fixed.
    pub charged: Charged,
}

/// What execution left for the pubdata and settlement phases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executed {
    /// How the top-level frame ended (a failure using all gas when nothing ran).
    pub outcome: ExecutionOutcome,
    /// Gas refund earned in total: before execution and by it.
    pub refund: i64,
    /// Where execution started (after the fee charge).
    pub exec_start: Checkpoint,
    /// L2→L1 messages in the `Io` when execution started.
    pub messages_before: usize,
}

/// What the pubdata phase settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PubdataCharge {
    /// Native left after paying for pubdata (the withheld native reclaimed).
    pub native_remaining: u64,
    /// Native left for computation when execution ended, before pubdata (protocol version 2;
    /// after running out of native, what was left when execution started).
    pub main_left: u64,
    /// Net pubdata bytes of execution (after a rollback, of what is left).
    pub net_pubdata: u64,
    /// False when native could not pay the pubdata and execution was reverted.
    pub paid: bool,
    /// Protocol version 2: the output a successful execution had when it was reverted for its
    /// pubdata (a top-level deployment's code), reported as revert data.
    pub kept_output: Option<Bytes>,
}

/// The settled figures of a transaction, before the block accepts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// Whether the top-level frame succeeded (and, in the ZKsync OS flow, its pubdata was
    /// paid).
    pub success: bool,
    /// The gas charged to the payer, term by term.
    pub gas: GasBreakdown,
    /// Native used in total.
    pub native_used: u64,
    /// Native used for computation only.
    pub computational_native_used: u64,
    /// Pubdata bytes the transaction adds to the block.
    pub pubdata_used: u64,
    /// How the top-level frame ended, as reported.
    pub end: FrameEnd,
    /// The deployed contract's address.
    pub created: Option<Address>,
}

/// What a block has used so far, as its limits count it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockUsage {
    /// Gas of the included transactions.
    pub gas: u64,
    /// Blob gas of the included transactions.
    pub blob_gas: u64,
    /// Computational native of the included transactions.
    pub computational_native: u64,
    /// Pubdata bytes of the included transactions.
    pub pubdata: u64,
    /// L2→L1 logs of the included transactions.
    pub l2_to_l1_logs: u64,
    /// Most blob gas the block may hold: its blob schedule's max blobs × 2^17.
    pub max_blob_gas: u64,
}

impl Admitted {
    /// The transaction.
    pub fn transaction(&self) -> &Transaction {
        &self.tx.tx
    }

    /// The transaction hash.
    pub fn hash(&self) -> B256 {
        self.tx.hash
    }
}
