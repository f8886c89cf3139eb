//! Frame stress: one contract calls itself down to a depth of up to 1,030 frames, each frame
//! growing its memory (up to 64 kB), sending value to itself and to a new account, writing a
//! fresh slot (pubdata-heavy), and passing its child's return data up with one word of its own
//! (so return data grows to tens of kB on the way up, from a bottom that returns or reverts up
//! to 100 kB); one frame may revert everything below it, and the gas passed on is all, or a
//! fixed amount the deep frames run short of. The gas limit is generous, from EVM gas alone
//! (native runs out in the middle of a frame, deep in the stack) or drawn at random.

use super::asm::{assemble, op, Item};
use super::generate::{Builder, Draft};

/// First of the addresses the frames pay (frame `d` pays `PAYEE_BASE + d`).
const PAYEE_BASE: u64 = 0x00f1_0000_0000;

/// What each frame of [`frame_stress`] does.
#[derive(Clone, Debug)]
pub struct FramePlan {
    /// Memory bytes each frame touches before calling on.
    pub memory: u64,
    /// Wei each frame sends with its call to itself.
    pub self_value: u64,
    /// Wei each frame sends to a new account (with the stipend alone); 0 sends nothing.
    pub pay: u64,
    /// Each frame writes slot `depth` (a fresh slot each).
    pub write: bool,
    /// Bytes the bottom frame returns (or reverts with).
    pub bottom_len: u64,
    /// The bottom frame reverts.
    pub bottom_reverts: bool,
    /// The frame at this remaining depth reverts with what it passes up.
    pub revert_at: Option<u64>,
    /// Gas each call passes on; `None` passes `GAS`.
    pub gas: Option<u64>,
}

/// `calldata = depth`: a frame with depth 0 is the bottom; any other does what `plan` says and
/// calls itself with `depth − 1`, then returns (or reverts at [`FramePlan::revert_at`]) its
/// child's return data followed by the word `ok × 2^32 + depth`.
pub fn frame_stress(plan: &FramePlan) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Push(0),
        Op(op::CALLDATALOAD),
        Op(op::DUP1),
        Op(op::ISZERO),
        Label("bottom"),
        Op(op::JUMPI),
    ];
    // Stack: [depth].
    if plan.memory > 0 {
        items.extend([Push(1), Push(plan.memory - 1), Op(op::MSTORE8)]);
    }
    if plan.write {
        items.extend([Op(op::DUP1), Op(op::DUP1), Op(op::SSTORE)]);
    }
    if plan.pay > 0 {
        items.extend([
            Push(0),
            Push(0),
            Push(0),
            Push(0),
            Push(plan.pay),
            Op(op::DUP6),
            Push(PAYEE_BASE),
            Op(op::ADD),
            Push(0),
            Op(op::CALL),
            Op(op::POP),
        ]);
    }
    items.extend([
        Push(1),
        Op(op::DUP2),
        Op(op::SUB),
        Push(0),
        Op(op::MSTORE),
        Push(0),
        Push(0),
        Push(32),
        Push(0),
        Push(plan.self_value),
        Op(op::ADDRESS),
    ]);
    items.push(match plan.gas {
        Some(gas) => Push(gas),
        None => Op(op::GAS),
    });
    items.push(Op(op::CALL));
    // Stack: [depth, ok]. Memory: the child's return data, then ok × 2^32 + depth.
    items.extend([
        Op(op::RETURNDATASIZE),
        Push(0),
        Push(0),
        Op(op::RETURNDATACOPY),
        Push(32),
        Op(op::SHL),
        Op(op::ADD),
        Op(op::RETURNDATASIZE),
        Op(op::MSTORE),
    ]);
    let size = [Push(32), Op(op::RETURNDATASIZE), Op(op::ADD), Push(0)];
    if let Some(at) = plan.revert_at {
        items.extend([
            Push(0),
            Op(op::CALLDATALOAD),
            Push(at),
            Op(op::EQ),
            Label("revert"),
            Op(op::JUMPI),
        ]);
        items.extend(size.clone());
        items.extend([Op(op::RETURN), Dest("revert")]);
        items.extend(size);
        items.push(Op(op::REVERT));
    } else {
        items.extend(size);
        items.push(Op(op::RETURN));
    }
    items.extend([
        Dest("bottom"),
        Op(op::GAS),
        Push(plan.bottom_len.max(32) - 32),
        Op(op::MSTORE),
        Push(plan.bottom_len),
        Push(0),
        Op(if plan.bottom_reverts {
            op::REVERT
        } else {
            op::RETURN
        }),
    ]);
    assemble(&items)
}

impl Builder<'_> {
    /// The frame stress scenario: a [`frame_stress`] script funded for its value, called with
    /// its depth.
    pub(super) fn frame_stress(&mut self) -> Draft {
        let depth = self.rng.pick(&[1, 2, 8, 60, 300, 1_023, 1_024, 1_030]);
        let plan = FramePlan {
            memory: self.rng.pick(&[0, 0, 32, 1_024, 4_096, 65_536]),
            self_value: self.rng.pick(&[0, 0, 1]),
            pay: self.rng.pick(&[0, 0, 0, 7]),
            write: self.rng.chance(40),
            bottom_len: self.rng.pick(&[0, 32, 1_000, 24_577, 100_000]),
            bottom_reverts: self.rng.chance(30),
            revert_at: self
                .rng
                .chance(25)
                .then(|| self.rng.range(1, depth.min(40))),
            gas: self
                .rng
                .chance(30)
                .then(|| self.rng.pick(&[2_300, 30_000, 400_000, 3_000_000])),
        };
        // Enough for every frame, or for half of them (the deep frames' sends then fail).
        let balance = depth * (plan.self_value + plan.pay) / self.rng.pick(&[1, 1, 1, 2]);
        let script = self.install(frame_stress(&plan), balance);
        let mut kind = format!("frames:d{depth}-m{}", plan.memory);
        for (on, tag) in [
            (plan.self_value > 0, "+value"),
            (plan.pay > 0, "+pay"),
            (plan.write, "+write"),
            (plan.bottom_reverts, "+bottom-reverts"),
            (plan.revert_at.is_some(), "+frame-reverts"),
            (plan.gas.is_some(), "+fixed-gas"),
        ] {
            if on {
                kind.push_str(tag);
            }
        }
        let words = plan.memory.div_ceil(32);
        let per_frame_gas = 2_000
            + 3 * words
            + words * words / 512
            + if plan.self_value > 0 { 9_000 } else { 0 }
            + if plan.pay > 0 { 34_000 } else { 0 }
            + if plan.write { 22_200 } else { 0 }
            + 3 * depth.min(1_024);
        let per_frame_native = 300_000
            + 40 * plan.memory
            + if plan.pay > 0 { 1_500_000 } else { 0 }
            + if plan.write { 1_000_000 } else { 0 }
            + 100 * depth.min(1_024);
        let per_frame_pubdata = if plan.write { 40 } else { 0 } + if plan.pay > 0 { 60 } else { 0 };
        let mut d = Draft::call(&kind, script, super::contracts::words(&[depth])).costs(
            depth * per_frame_gas + 40_000 + plan.bottom_len,
            depth * per_frame_native + 2_000_000 + 200 * plan.bottom_len,
            depth * per_frame_pubdata + 300,
        );
        match self.rng.below(10) {
            0..=4 => {}
            5..=7 => {
                d.gas_only = true;
                d.kind.push_str("+gas-only");
            }
            _ => {
                d.gas_limit = Some(self.rng.range(30_000, 6_000_000));
                d.kind.push_str("+random-limit");
            }
        }
        d
    }
}
