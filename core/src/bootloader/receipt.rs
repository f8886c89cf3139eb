//! What the bootloader reports per transaction: receipts of included transactions and the
//! reasons of rejected ones.

use super::flow::GasBreakdown;
use super::invalid::InvalidTransaction;
use crate::ee::evm::Halt;
use crate::io::{L2ToL1Message, Log};
use crate::primitives::{Address, Bytes, B256, U256};
use alloc::vec::Vec;

/// The result of an executed (included) transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxReceipt {
    /// Transaction hash.
    pub tx_hash: B256,
    /// EIP-2718 type byte (0xFF L1 priority, 0xFE upgrade).
    pub tx_type: u8,
    /// Whether the top-level frame succeeded.
    pub success: bool,
    /// Gas charged to the payer (after refund, floor and, in the ZKsync OS flow, deltaGas).
    pub gas_used: u64,
    /// Gas refunded by the refund counter (EIP-3529 cap applied).
    pub gas_refunded: u64,
    /// How `gas_used` adds up, term by term.
    pub gas_breakdown: GasBreakdown,
    /// Native used in total: intrinsic, execution and pubdata.
    pub native_used: u64,
    /// Native used for computation only (everything but pubdata); counts against the block's
    /// computational native limit.
    pub computational_native_used: u64,
    /// Pubdata bytes the transaction adds to the block (intrinsic plus its net writes).
    pub pubdata_used: u64,
    /// Output (return or revert data).
    pub output: Bytes,
    /// Halt reason when the top-level frame halted.
    pub halt: Option<Halt>,
    /// Events emitted (empty when the transaction failed).
    pub logs: Vec<Log>,
    /// L2→L1 messages sent (empty when the transaction failed).
    pub l2_to_l1_messages: Vec<L2ToL1Message>,
    /// Address of the deployed contract for a successful deployment.
    pub created: Option<Address>,
    /// Price per gas the transaction paid.
    pub gas_price: U256,
}

/// One transaction of a block: included with its receipt, or rejected with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxResult {
    /// Transaction hash (keccak of the bytes received when they do not decode).
    pub tx_hash: B256,
    /// Receipt of an included transaction, or why it was not included.
    pub outcome: Result<TxReceipt, InvalidTransaction>,
}
