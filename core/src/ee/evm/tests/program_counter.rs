//! A frame whose program counter lies past its code (`Frame::pc` is public) stops there, as at
//! the end of its code: the loop fetches opcodes without a bound check (see `CodeView`), so it
//! puts such a counter back inside the code's bytes first (a debug build asserts the fetch's
//! bound).

use super::harness::{env, CALLER, TARGET};
use crate::bytecode::Bytecode;
use crate::config::{Hardfork, ProtocolVersion};
use crate::ee::evm::stack::Stack;
use crate::ee::evm::{run_frame, CallKind, Frame, FrameEnd, NoopTracer, Yield};
use crate::io::{InMemoryState, Io};
use crate::primitives::{Bytes, U256};
use crate::resources::native::NativeCostTable;
use crate::resources::ErgsPerGas;
use alloc::rc::Rc;

#[test]
fn a_counter_past_the_code_stops() {
    // PUSH1 1, PUSH1 2, ADD: 5 bytes and 33 of padding.
    let code = Rc::new(Bytecode::new(&[0x60, 1, 0x60, 2, 0x01]));
    for pc in [5, 37, 38, 39, 1 << 20, usize::MAX] {
        let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
        let env = env(Hardfork::Prague, &costs);
        let mut io = Io::new(InMemoryState::new(), costs);
        let checkpoint = io.checkpoint();
        let mut frame = Frame::new(
            CallKind::Call,
            TARGET,
            TARGET,
            CALLER,
            U256::ZERO,
            Bytes::new(),
            false,
            0,
            code.clone(),
            1_000_000,
            ErgsPerGas::ZK,
            checkpoint,
            Stack::new(),
        );
        frame.pc = pc;
        let mut budget = 10;
        let ended = run_frame(&mut frame, &mut io, &env, &mut NoopTracer, &mut budget);
        assert!(
            matches!(ended, Yield::End(FrameEnd::Success(ref output)) if output.is_empty()),
            "pc {pc}: {ended:?}"
        );
        assert_eq!(budget, 9, "pc {pc}: one step, the STOP");
        assert!(frame.stack.is_empty(), "pc {pc}");
    }
}
