//! L2→L1 messages: user messages sent through the L1 messenger, kept per block and rolled back
//! with the frame that sent them.

use crate::primitives::{Address, Bytes};

/// A user L2→L1 message. It is published in full in the block's pubdata; on L1 it is proven
/// through the L2→L1 log `(sender = L1 messenger, key = sender, value = keccak(data))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2ToL1Message {
    /// Index of the sending transaction in the block.
    pub tx_number: u16,
    /// The contract (or account) that sent the message.
    pub sender: Address,
    /// The message.
    pub data: Bytes,
}
