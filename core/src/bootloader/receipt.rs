//! What the bootloader reports per transaction: receipts of included transactions, the
//! reasons of rejected ones, and the L2→L1 logs a block commits to.

use super::validation::InvalidTransaction;
use crate::ee::evm::Halt;
use crate::io::Log;
use crate::primitives::{Address, Bytes, B256, U256};
use alloc::vec::Vec;

pub use crate::io::L2ToL1Message;

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

/// One 88-byte L2→L1 log: `shard (0) ‖ is_service ‖ tx_number ‖ sender ‖ key ‖ value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2ToL1Log {
    /// Whether the log was emitted by the system (always true for the logs zkos emits).
    pub is_service: bool,
    /// Index of the emitting transaction in the block.
    pub tx_number: u16,
    /// Emitter: the bootloader (0x8001) for priority logs, the L1 messenger for messages.
    pub sender: Address,
    /// Priority log: the tx hash; message log: the message sender (left-padded).
    pub key: B256,
    /// Priority log: the success flag; message log: keccak of the message.
    pub value: B256,
}

/// Bytes of one packed L2→L1 log.
pub const L2_TO_L1_LOG_BYTES: u64 = 88;

impl L2ToL1Log {
    /// The 88-byte packed encoding the L1 contracts hash.
    pub fn encode(&self) -> [u8; 88] {
        let mut out = [0u8; 88];
        out[1] = u8::from(self.is_service);
        out[2..4].copy_from_slice(&self.tx_number.to_be_bytes());
        out[4..24].copy_from_slice(self.sender.as_slice());
        out[24..56].copy_from_slice(self.key.as_slice());
        out[56..88].copy_from_slice(self.value.as_slice());
        out
    }
}

/// One transaction of a block: included with its receipt, or rejected with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxResult {
    /// Transaction hash (keccak of the bytes received when they do not decode).
    pub tx_hash: B256,
    /// Receipt of an included transaction, or why it was not included.
    pub outcome: Result<TxReceipt, InvalidTransaction>,
}
