//! The access collector: which accounts and storage slots a transaction touched, the input of
//! the prestate tracer (the engine reads the values before and after), and what its opcodes
//! named by geth's access-list rules (`eth_createAccessList`).

use super::access_list::NamedAccess;
use super::words::{stack_word, word_address};
use crate::bytecode::opcode;
use crate::ee::evm::Frame;
use crate::ee::evm::Tracer;
use crate::primitives::{Address, U256};
use alloc::collections::BTreeSet;

/// Accounts and slots touched.
#[derive(Debug, Default)]
pub struct AccessCollector {
    /// Accounts read or written.
    pub accounts: BTreeSet<Address>,
    /// Persistent storage slots read or written.
    pub slots: BTreeSet<(Address, U256)>,
    /// What the opcodes named, as `eth_createAccessList` lists it.
    pub named: NamedAccess,
}

impl Tracer for AccessCollector {
    const STEPS: bool = true;

    fn before_step(&mut self, frame: &Frame, op: u8, _native_used: u64) {
        self.named.observe(frame, op);
        let target = match op {
            opcode::BALANCE
            | opcode::EXTCODESIZE
            | opcode::EXTCODECOPY
            | opcode::EXTCODEHASH
            | opcode::SELFDESTRUCT => stack_word(frame, 0),
            opcode::CALL | opcode::CALLCODE | opcode::DELEGATECALL | opcode::STATICCALL => {
                stack_word(frame, 1)
            }
            _ => None,
        };
        if let Some(word) = target {
            self.accounts.insert(word_address(word));
        }
    }

    fn frame_enter(&mut self, frame: &Frame) {
        self.accounts.insert(frame.address);
        self.accounts.insert(frame.code_address);
        self.accounts.insert(frame.caller);
    }

    fn storage_read(&mut self, address: &Address, key: &U256, _value: &U256, transient: bool) {
        if !transient {
            self.slots.insert((*address, *key));
        }
    }

    fn storage_write(&mut self, address: &Address, key: &U256, _value: &U256, transient: bool) {
        if !transient {
            self.slots.insert((*address, *key));
        }
    }
}
