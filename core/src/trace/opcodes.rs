//! Opcode statistics: how often each opcode ran and the ergs and native it cost.

use crate::bytecode::opcode;
use crate::ee::evm::Frame;
use crate::ee::evm::Tracer;
use alloc::vec::Vec;

/// Totals of one opcode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpcodeStat {
    /// The opcode.
    pub op: u8,
    /// Times it ran.
    pub count: u64,
    /// Ergs it cost, gas × 256 in either flow (for calls and creates: including what the
    /// callee used, not what it returned).
    pub ergs: u64,
    /// Native it cost (for calls and creates: not counting the callee's steps).
    pub native: u64,
}

/// Collects [`OpcodeStat`]s.
#[derive(Debug)]
pub struct OpcodeStats {
    stats: [OpcodeStat; 256],
    before: (u64, u64),
    /// A call or create whose caller has not resumed: depth, opcode, ergs after the opcode.
    pending_call: Option<(usize, u8, u64)>,
}

impl Default for OpcodeStats {
    fn default() -> Self {
        let mut stats = [OpcodeStat::default(); 256];
        for (op, stat) in stats.iter_mut().enumerate() {
            stat.op = op as u8;
        }
        Self {
            stats,
            before: (0, 0),
            pending_call: None,
        }
    }
}

fn is_call(op: u8) -> bool {
    matches!(
        op,
        opcode::CALL
            | opcode::CALLCODE
            | opcode::DELEGATECALL
            | opcode::STATICCALL
            | opcode::CREATE
            | opcode::CREATE2
    )
}

impl OpcodeStats {
    /// Opcodes that ran at least once, by opcode.
    pub fn into_stats(self) -> Vec<OpcodeStat> {
        self.stats.into_iter().filter(|s| s.count > 0).collect()
    }
}

impl Tracer for OpcodeStats {
    const STEPS: bool = true;

    fn before_step(&mut self, frame: &Frame, _op: u8, native_used: u64) {
        if let Some((depth, op, ergs_after)) = self.pending_call {
            if depth == frame.depth {
                // The callee returned what it did not use: that was never the opcode's cost.
                let returned = frame
                    .ergs_per_gas
                    .zk_ergs(frame.ergs.saturating_sub(ergs_after));
                if let Some(stat) = self.stats.get_mut(op as usize) {
                    stat.ergs = stat.ergs.saturating_sub(returned);
                }
                self.pending_call = None;
            }
        }
        self.before = (frame.ergs, native_used);
    }

    fn after_step(&mut self, frame: &Frame, op: u8, native_used: u64) {
        let stat = &mut self.stats[op as usize];
        stat.count += 1;
        let used = self.before.0.saturating_sub(frame.ergs);
        stat.ergs = stat.ergs.saturating_add(frame.ergs_per_gas.zk_ergs(used));
        stat.native += native_used.saturating_sub(self.before.1);
        if is_call(op) {
            self.pending_call = Some((frame.depth, op, frame.ergs));
        }
    }
}
