//! The EVM interpreter loop: runs one frame until it ends, asks the runner for a call or a
//! deployment, or uses up its step budget.
//!
//! Every opcode is charged twice from static tables (ergs and native) and its stack bounds are
//! checked once, all derived from the opcode table, before its body runs; dynamic parts (memory
//! expansion, copies, cold accesses, IO) are charged by the body itself (see [`instructions`]).
//! The bodies live in [`instructions`], one file per family; this file only dispatches.

use super::context::{CodeView, Env, Exit, Limit, Registers, Step, Yield, MAX_BATCH_STEPS};
use super::frame::{Frame, FrameEnd, Halt};
use super::instructions::{
    arithmetic, bitwise, charge_order, control, environment, host, memory, stack, system,
};
use super::reads::state_ready;
use super::tracer::Tracer;
use crate::bytecode::opcode as op;
use crate::config::Hardfork;
use crate::io::{Io, StateSource};

/// Opcodes run between two settlements of the pending native (see [`Registers`]). A step adds
/// its static native and at most one expansion into the zeroed backing store, of at most
/// [`MAX_ZEROED_AHEAD_BYTES`](super::memory::MAX_ZEROED_AHEAD_BYTES); a test checks on each table
/// that a full batch of the largest such steps stays below `u32::MAX` (the native half of the
/// [`Tally`]).
const NATIVE_FLUSH_STEPS: usize = MAX_BATCH_STEPS;

/// Whether a `JUMP` or `JUMPI` after `PUSH2` .. `PUSH4` may run in the push's dispatch (see
/// [`control::push_jump`]). Not in the riscv guest, where the look at the next byte costs every
/// such push more cycles than its native price covers (`make riscv-calibrate`: `PUSH2` measured
/// 82 against a price of 80).
const FUSED_JUMPS: bool = !cfg!(target_arch = "riscv32");

/// Whether `SLOAD` runs in the hot dispatch ([`step`]) rather than in [`step_cold`]: in wasm,
/// where it skips the cold dispatch's second `match` and snailtracer (1.2% of its steps are
/// `SLOAD`s) took 0.98–1.00 of the time in one process; not natively, where `storage_loop` took
/// 4% longer with it, nor in the riscv guest.
const HOT_SLOAD: bool = cfg!(target_arch = "wasm32");

/// Settles the registers after a step and decides whether the loop stops: `None` to go on,
/// else what [`run_frame`] returns. A native shortfall wins over any other end.
#[inline(always)]
fn settle<S: StateSource>(
    mut exit: Option<Exit>,
    regs: &mut Registers,
    frame: &mut Frame,
    io: &mut Io<S>,
    code: CodeView<'_>,
    outbox: &mut Yield,
) -> Option<Yield> {
    match exit {
        Some(Exit::NeedStateCharged) => {
            // Give back the static charge and the step: the opcode runs again once the state is
            // known.
            let (ergs, charge) = code.static_costs.of(code.opcode_at(regs.pc));
            regs.ergs += ergs;
            regs.tally.give_back(charge);
            exit = Some(Exit::NeedState);
        }
        Some(Exit::ShortOfStaticGas) => {
            // The dispatch took the static ergs wrapping and charged the opcode's tally: the
            // ergs come back, and version 1 keeps the step alone (version 2 charges the opcode's
            // native before its gas, and what comes with that gas upstream below).
            let (ergs, charge) = code.static_costs.of(code.opcode_at(regs.pc));
            regs.ergs = regs.ergs.wrapping_add(ergs);
            if !code.costs.opcode_native_before_gas {
                regs.tally.keep_step_of(charge);
            }
        }
        _ => {}
    }
    let exit = match regs.sync(frame, io) {
        Ok(()) => exit?,
        Err(shortfall) => {
            *outbox = Yield::Paused;
            shortfall
        }
    };
    Some(match exit {
        Exit::Halt(halt) => {
            if halt == Halt::StackUnderflow {
                charge_order::underflow_settled(frame, regs.pc, io);
            }
            frame.ergs = 0;
            Yield::End(FrameEnd::Halt(halt))
        }
        Exit::ShortOfStaticGas => {
            let halt = charge_order::short_of_static_gas(frame, io);
            frame.ergs = 0;
            Yield::End(FrameEnd::Halt(halt))
        }
        Exit::Outbox => core::mem::replace(outbox, Yield::Paused),
        Exit::NeedState | Exit::NeedStateCharged => Yield::NeedState,
    })
}

/// Runs `frame` for at most `budget` opcodes (decremented as they run).
///
/// Natively kept out of its caller: inlined into the runner's loop, the dispatch loses
/// registers to the runner's values and loads the frame through a spilled pointer every step.
#[cfg_attr(
    not(any(target_arch = "wasm32", target_arch = "riscv32")),
    inline(never)
)]
pub fn run_frame<S: StateSource, T: Tracer>(
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    budget: &mut u64,
) -> Yield {
    let code = frame.code.clone();
    let costs = io.shared_costs();
    let view = CodeView {
        bytes: code.padded(),
        jumps: code.jump_table(),
        costs: &costs,
        static_costs: &env.static_costs,
    };
    // A native-width counter (one register on riscv32); a budget above it only pauses early.
    let mut steps_left = usize::try_from(*budget).unwrap_or(usize::MAX);
    let started_with = steps_left;
    let mut regs = Registers::load(frame, view);
    let mut outbox = Yield::Paused;
    let result = loop {
        let batch = steps_left.min(NATIVE_FLUSH_STEPS);
        if batch == 0 {
            break Yield::Paused;
        }
        let limit = regs.tally.start(batch);
        // Checked at the bottom, so a step's `Ok` branches to the count rather than to the loop
        // header, and the compiler can fold the check away on every arm that cannot fail. Each
        // step counts itself in the tally (a step that asks for state it lacks takes itself back).
        let ended = loop {
            let opcode = view.opcode_at(regs.pc);
            if T::STEPS {
                // Checked before the tracer sees the step, so a paused opcode is traced once.
                if io.may_miss() && !state_ready(opcode, frame, io, env) {
                    break settle(
                        Some(Exit::NeedState),
                        &mut regs,
                        frame,
                        io,
                        view,
                        &mut outbox,
                    );
                }
                tracer.before_step(frame, opcode, io.native_used());
            }
            let stepped = step(
                opcode,
                &mut regs,
                frame,
                io,
                env,
                tracer,
                view,
                &mut outbox,
                limit,
            );
            if T::STEPS {
                let ended = settle(stepped.err(), &mut regs, frame, io, view, &mut outbox);
                tracer.after_step(frame, opcode, io.native_used());
                if ended.is_some() {
                    break ended;
                }
            } else if let Err(exit) = stepped {
                break settle(Some(exit), &mut regs, frame, io, view, &mut outbox);
            }
            if regs.tally.reached(limit) {
                break settle(None, &mut regs, frame, io, view, &mut outbox);
            }
        };
        steps_left -= regs.tally.take_steps(limit);
        if let Some(ended) = ended {
            break ended;
        }
    };
    *budget -= (started_with - steps_left) as u64;
    result
}

/// A `match` on the opcode that runs the stack check ([`check_stack`]) at the head of every arm
/// but the `unchecked` ones. Inside an arm for one opcode the compiler knows it, so the check folds
/// to that opcode's own bounds (a comparison or two with constants) where one lookup before the
/// `match` would cost a table load every step. A `uniform` arm covers a range of opcodes with the
/// same bounds (asserted at compile time) and is checked as its first; any other arm for several
/// opcodes looks its bounds up.
macro_rules! checked_match {
    (
        $opcode:ident, $regs:ident,
        {$($(#[$attr:meta])* $pat:pat $(if $guard:expr)? => $body:expr,)*}
        $(uniform {$($first:ident..=$last:ident => $uniform_body:expr,)*})?
        $(unchecked {$($unchecked_pat:pat => $unchecked_body:expr,)*})?
    ) => {
        match $opcode {
            $($(#[$attr])* $pat $(if $guard)? => {
                check_stack($opcode, $regs.height)?;
                $body
            })*
            $($(op::$first..=op::$last => {
                const { assert!(op::same_stack_bounds(op::$first, op::$last)) };
                check_stack(op::$first, $regs.height)?;
                $uniform_body
            })*)?
            $($($unchecked_pat => $unchecked_body,)*)?
        }
    };
}

/// Charges an opcode's static ergs and native, checks its stack bounds and runs it: the common
/// opcodes here, the rest in [`step_cold`]. Without a stepping tracer, a `JUMP` or `JUMPI` after
/// `PUSH2` .. `PUSH4` may run in the push's dispatch, as its own step of the batch of `limit`
/// (see [`FUSED_JUMPS`]).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn step<S: StateSource, T: Tracer>(
    opcode: u8,
    regs: &mut Registers,
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    code: CodeView<'_>,
    outbox: &mut Yield,
    limit: Limit,
) -> Step {
    let (ergs, charge) = code.static_costs.of(opcode);
    // Charged before the ergs are checked, and the ergs' new value replaces the old (wrapping
    // when they fall short: the loop gives the charge back where it settles), so neither old
    // value lives past the check: the compiler keeps each counter in one register rather than
    // computing into a second one and copying it back at the loop's end.
    regs.tally.add(charge);
    let (left, short) = regs.ergs.overflowing_sub(ergs);
    regs.ergs = left;
    if short {
        return Err(Exit::ShortOfStaticGas);
    }

    // The frame's stack with the height in `regs` (a register in this loop).
    macro_rules! words {
        () => {
            &mut frame.stack.with_height(&mut regs.height)
        };
    }
    checked_match!(opcode, regs, {
        op::ADD => arithmetic::add(words!()),
        op::MUL => arithmetic::mul(words!()),
        op::SUB => arithmetic::sub(words!()),
        op::DIV => arithmetic::div(words!()),
        op::SDIV => arithmetic::sdiv(words!()),
        op::MOD => arithmetic::rem(words!()),
        op::SMOD => arithmetic::smod(words!()),
        op::SIGNEXTEND => arithmetic::signextend(words!()),
        op::LT => bitwise::lt(words!()),
        op::GT => bitwise::gt(words!()),
        op::SLT => bitwise::slt(words!()),
        op::SGT => bitwise::sgt(words!()),
        op::EQ => bitwise::eq(words!()),
        op::ISZERO => bitwise::iszero(words!()),
        op::AND => bitwise::and(words!()),
        op::OR => bitwise::or(words!()),
        op::XOR => bitwise::xor(words!()),
        op::NOT => bitwise::not(words!()),
        op::BYTE => bitwise::byte(words!()),
        op::SHL => bitwise::shl(words!()),
        op::SHR => bitwise::shr(words!()),
        op::SAR => bitwise::sar(words!()),
        op::POP => stack::pop(words!()),
        op::MLOAD => memory::mload(frame, regs, io, code.costs)?,
        op::MSTORE => memory::mstore(frame, regs, io, code.costs)?,
        op::MSTORE8 => memory::mstore8(frame, regs, io, code.costs)?,
        op::JUMP => return control::jump(words!(), &mut regs.pc, code.jumps),
        op::JUMPI => return control::jumpi(words!(), &mut regs.pc, code.jumps),
        op::JUMPDEST => {},
        op::PUSH0 => stack::push0(words!()),
        op::PUSH1 => {
            stack::push1(words!(), &mut regs.pc, code.bytes);
            return Ok(());
        },
        op::SLOAD if HOT_SLOAD => {
            frame.stack.set_len(regs.height);
            if !T::STEPS && io.may_miss() && !state_ready(opcode, frame, io, env) {
                return Err(Exit::NeedStateCharged);
            }
            regs.sync(frame, io)?;
            let loaded = host::sload(frame, io, tracer);
            regs.reload(frame, code);
            loaded?;
        },
        op::CALLDATACOPY | op::CODECOPY | op::RETURNDATACOPY | op::MCOPY => {
            regs.sync(frame, io)?;
            let copied = memory::copy(opcode, frame, io);
            regs.reload(frame, code);
            copied?;
        },
        // One arm per DUP and SWAP: each passes its depth as a constant, and with this many
        // distinct arms the compiler dispatches every opcode through one jump table. wasm keeps
        // two range arms, which hold its module inside the size budget.
        #[cfg(target_arch = "wasm32")]
        op::DUP1..=op::DUP16 => stack::dup(words!(), usize::from(opcode - op::DUP1) + 1),
        #[cfg(target_arch = "wasm32")]
        op::SWAP1..=op::SWAP16 => {
            stack::swap(words!(), usize::from(opcode - op::SWAP1) + 1)
        },
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP1 => stack::dup(words!(), 1),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP2 => stack::dup(words!(), 2),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP3 => stack::dup(words!(), 3),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP4 => stack::dup(words!(), 4),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP5 => stack::dup(words!(), 5),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP6 => stack::dup(words!(), 6),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP7 => stack::dup(words!(), 7),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP8 => stack::dup(words!(), 8),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP9 => stack::dup(words!(), 9),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP10 => stack::dup(words!(), 10),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP11 => stack::dup(words!(), 11),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP12 => stack::dup(words!(), 12),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP13 => stack::dup(words!(), 13),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP14 => stack::dup(words!(), 14),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP15 => stack::dup(words!(), 15),
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP16 => stack::dup(words!(), 16),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP1 => stack::swap(words!(), 1),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP2 => stack::swap(words!(), 2),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP3 => stack::swap(words!(), 3),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP4 => stack::swap(words!(), 4),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP5 => stack::swap(words!(), 5),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP6 => stack::swap(words!(), 6),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP7 => stack::swap(words!(), 7),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP8 => stack::swap(words!(), 8),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP9 => stack::swap(words!(), 9),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP10 => stack::swap(words!(), 10),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP11 => stack::swap(words!(), 11),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP12 => stack::swap(words!(), 12),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP13 => stack::swap(words!(), 13),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP14 => stack::swap(words!(), 14),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP15 => stack::swap(words!(), 15),
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP16 => stack::swap(words!(), 16),
    } uniform {
        PUSH2..=PUSH4 => {
            let n = usize::from(opcode - op::PUSH0);
            if FUSED_JUMPS && !T::STEPS {
                if let Some(jumped) = control::push_jump(n, regs, &mut frame.stack, code, limit) {
                    return jumped;
                }
            }
            stack::push_small(words!(), &mut regs.pc, code.bytes, n);
            return Ok(());
        },
        PUSH5..=PUSH32 => {
            let n = usize::from(opcode - op::PUSH0);
            stack::push_large(words!(), &mut regs.pc, code.bytes, n);
            return Ok(());
        },
    } unchecked {
        // Every other byte, listed rather than `_`: a match that covers all 256 values without a
        // default compiles to one jump table with no range check. Checked in `step_cold`.
        op::STOP
        | op::ADDMOD..=op::EXP
        | 0x0c..=0x0f
        | op::CLZ..=op::CALLDATASIZE
        | op::CODESIZE
        | op::GASPRICE..=op::RETURNDATASIZE
        | op::EXTCODEHASH..=0x4f
        | op::SLOAD
        | op::SSTORE
        | op::PC..=op::GAS
        | op::TLOAD
        | op::TSTORE
        | op::LOG0..=0xff => {
            frame.stack.set_len(regs.height);
            if !T::STEPS && io.may_miss() && !state_ready(opcode, frame, io, env) {
                return Err(Exit::NeedStateCharged);
            }
            regs.sync(frame, io)?;
            let stepped = step_cold(opcode, frame, io, env, tracer, outbox);
            regs.reload(frame, code);
            return stepped;
        },
    });
    regs.pc += 1;
    Ok(())
}

/// The rarer opcodes, out of line so the hot loop keeps its values in registers. Static costs
/// are already charged. The stack check here is one table lookup before the `match` rather than
/// one folded check per arm: a few instructions more per cold opcode, for a smaller function
/// (the wasm module stays inside its size budget).
#[inline(never)]
fn step_cold<S: StateSource, T: Tracer>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    outbox: &mut Yield,
) -> Step {
    let height = frame.stack.len();
    if !op::stack_admits(opcode, height) {
        return Err(stack_fault(opcode, height, env.hardfork).into());
    }
    match opcode {
        op::STOP => return control::stop(outbox),
        op::ADDMOD => arithmetic::addmod(&mut frame.stack.words()),
        op::MULMOD => arithmetic::mulmod(&mut frame.stack.words()),
        op::EXP => arithmetic::exp(frame, io)?,
        op::CLZ if op::is_defined(op::CLZ, env.hardfork) => bitwise::clz(&mut frame.stack.words()),
        op::KECCAK256 => memory::keccak(frame, io)?,
        op::ADDRESS => environment::address(frame),
        op::BALANCE => host::balance(frame, io)?,
        op::ORIGIN => environment::origin(frame, env),
        op::CALLER => environment::caller(frame),
        op::CALLVALUE => environment::callvalue(frame),
        op::CALLDATALOAD => environment::calldataload(frame),
        op::CALLDATASIZE => environment::calldatasize(frame),
        op::CODESIZE => environment::codesize(frame),
        op::GASPRICE => environment::gasprice(frame, env),
        op::EXTCODESIZE => host::extcodesize(frame, io)?,
        op::EXTCODECOPY => host::extcodecopy(frame, io)?,
        op::RETURNDATASIZE => environment::returndatasize(frame),
        op::EXTCODEHASH => host::extcodehash(frame, io)?,
        op::BLOCKHASH => environment::blockhash(frame, env, io),
        op::COINBASE => environment::coinbase(frame, env),
        op::TIMESTAMP => environment::timestamp(frame, env),
        op::NUMBER => environment::number(frame, env),
        op::PREVRANDAO => environment::prevrandao(frame, env),
        op::GASLIMIT => environment::gaslimit(frame, env),
        op::CHAINID => environment::chainid(frame, env),
        op::SELFBALANCE => host::selfbalance(frame, io),
        op::BASEFEE => environment::basefee(frame, env),
        op::BLOBHASH => environment::blobhash(frame, env),
        op::BLOBBASEFEE => environment::blobbasefee(frame, env),
        op::SLOAD => host::sload(frame, io, tracer)?,
        op::SSTORE => host::sstore(frame, io, tracer)?,
        op::PC => control::pc(frame),
        op::MSIZE => memory::msize(frame),
        op::GAS => control::gas(frame),
        op::TLOAD => host::tload(frame, io, tracer)?,
        op::TSTORE => host::tstore(frame, io, tracer)?,
        op::LOG0..=op::LOG4 => host::log(opcode, frame, io, tracer)?,
        op::CREATE | op::CREATE2 => return system::create(opcode, frame, io, outbox),
        op::CALL | op::CALLCODE | op::DELEGATECALL | op::STATICCALL => {
            return system::call(opcode, frame, io, env, outbox)
        }
        op::RETURN | op::REVERT => return control::return_or_revert(opcode, frame, io, outbox),
        op::SELFDESTRUCT => return system::selfdestruct(frame, io, outbox),
        _ => return Err(Halt::InvalidOpcode(opcode).into()),
    }
    frame.pc += 1;
    Ok(())
}

/// The stack check of a hot opcode from the opcode table (see [`checked_match`]). Where the
/// opcode is a constant the check and the halt fold, so every arm's failure is one of two shared
/// exits. The hot dispatch holds only opcodes every supported hardfork defines, so a failure is
/// an underflow or an overflow.
#[inline(always)]
fn check_stack(opcode: u8, height: usize) -> Result<(), Halt> {
    if op::stack_admits(opcode, height) {
        Ok(())
    } else if op::stack_underflows(opcode, height) {
        Err(Halt::StackUnderflow)
    } else {
        Err(Halt::StackOverflow)
    }
}

/// Why `opcode` cannot run on a stack of `height` words: the hardfork does not define it yet (the
/// table knows it from a later one), its inputs are missing, or its outputs do not fit.
#[cold]
#[inline(never)]
fn stack_fault(opcode: u8, height: usize, hardfork: Hardfork) -> Halt {
    if !op::is_defined(opcode, hardfork) {
        Halt::InvalidOpcode(opcode)
    } else if op::stack_underflows(opcode, height) {
        Halt::StackUnderflow
    } else {
        Halt::StackOverflow
    }
}

#[cfg(test)]
mod tests {
    use super::NATIVE_FLUSH_STEPS;
    use crate::config::ProtocolVersion;
    use crate::ee::evm::memory::MAX_ZEROED_AHEAD_BYTES;
    use crate::resources::native::NativeCostTable;

    #[test]
    fn pending_native_of_a_full_batch_fits_u32() {
        let table = NativeCostTable::for_version(ProtocolVersion::V1);
        let most_static = table.opcode_native.iter().copied().max().unwrap_or(0);
        let most_inline_growth = table.memory_expansion_native(MAX_ZEROED_AHEAD_BYTES);
        let most_per_step = u64::from(most_static) + most_inline_growth;
        assert!(most_per_step * NATIVE_FLUSH_STEPS as u64 <= u64::from(u32::MAX));
    }
}
