//! Transient storage, events and L2→L1 messages of the block in progress: what [`Io`] records
//! besides accounts and storage.

use super::{Io, JournalEntry, Log, OutOfNative};
use crate::io::{L2ToL1Message, StateSource};
use crate::primitives::{Address, Bytes, U256};

impl<S: StateSource> Io<S> {
    /// `TLOAD`.
    pub fn tload(&mut self, address: &Address, key: &U256) -> Result<U256, OutOfNative> {
        self.charge_native(self.costs.transient_access_native)?;
        Ok(self
            .transient
            .get(&(*address, *key))
            .copied()
            .unwrap_or_default())
    }

    /// `TSTORE`.
    pub fn tstore(
        &mut self,
        address: &Address,
        key: &U256,
        value: U256,
    ) -> Result<(), OutOfNative> {
        self.charge_native(self.costs.transient_access_native)?;
        let old = self
            .transient
            .insert((*address, *key), value)
            .unwrap_or_default();
        self.journal
            .push(JournalEntry::Transient(*address, *key, old));
        Ok(())
    }

    /// Records an event.
    pub fn log(&mut self, log: Log) -> Result<(), OutOfNative> {
        self.charge_native(
            self.costs
                .event_native(log.topics.len() as u64, log.data.len() as u64),
        )?;
        self.log_free(log);
        Ok(())
    }

    /// Records an event whose native the caller has charged (a system hook that charges in
    /// upstream's order).
    pub(crate) fn log_free(&mut self, log: Log) {
        self.logs.push(log);
    }

    /// Events recorded so far in the block.
    pub fn logs(&self) -> &[Log] {
        &self.logs
    }

    /// Takes the events recorded since `from`.
    pub fn logs_since(&self, from: usize) -> &[Log] {
        &self.logs[from.min(self.logs.len())..]
    }

    /// Sets the index in the block of the transaction about to run (stamped on its messages).
    pub fn set_tx_number(&mut self, tx_number: u16) {
        self.tx_number = tx_number;
    }

    /// Index in the block of the running transaction.
    pub fn tx_number(&self) -> u16 {
        self.tx_number
    }

    /// Records an L2→L1 message from `sender` (rolled back with the sending frame).
    pub fn send_message(&mut self, sender: Address, data: Bytes) {
        self.messages.push(L2ToL1Message {
            tx_number: self.tx_number,
            sender,
            data,
        });
    }

    /// L2→L1 messages recorded so far in the block.
    pub fn messages(&self) -> &[L2ToL1Message] {
        &self.messages
    }
}
