//! The runner: an explicit stack of call frames. Frames never recurse on the host stack: a frame
//! that calls returns a request here, the runner pushes the callee, and resumes the caller with
//! the callee's result. Because all state lives in [`Runner`], execution can stop after any
//! number of steps and continue later — also when it needs state the source does not know yet
//! ([`RunStatus::NeedState`]): the opcode or the frame entry that needs it waits, and runs once
//! the host supplied the values.

use crate::bytecode::Bytecode;
use crate::config::{FlowKind, ProtocolVersion};
use crate::ee::evm::stack::Stack;
use crate::ee::evm::{
    callee_ready, run_frame, CallKind, CallRequest, CreateRequest, Env, Frame, FrameEnd, Halt,
    Request, Resume, Tracer, Yield,
};
use crate::io::{Checkpoint, Io, StateSource};
use crate::precompiles::{self, Precompile, PrecompileFailureKind};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::gas;
use crate::resources::native::ChargingModel;
use crate::system::hooks::{HookError, SystemHook};
use crate::system::v2_hooks::V2Hook;
use crate::system::{is_kernel_space, BOOTLOADER_FORMAL_ADDRESS};
use alloc::rc::Rc;
use alloc::vec::Vec;

/// How a transaction's top-level frame ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutionOutcome {
    /// Success, revert or halt, with output.
    pub end: FrameEnd,
    /// Ergs not used by the top-level frame.
    pub ergs_left: u64,
    /// Gas refund counter of the top-level frame (zero unless it succeeded).
    pub refund: i64,
    /// The deployed contract's address for a successful deployment.
    pub created: Option<Address>,
}

/// Whether [`Runner::run`] finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// The step budget ran out; call [`Runner::run`] again.
    Paused,
    /// State the source does not know yet is needed (the keys are recorded in the IO); call
    /// [`Runner::run`] again once the host supplied them.
    NeedState,
    /// The top-level frame ended.
    Done(ExecutionOutcome),
}

/// A frame's result on its way back to its caller.
struct Completed {
    end: FrameEnd,
    ergs_left: u64,
    refund: i64,
    created: Option<Address>,
}

impl Completed {
    /// A result that returns `ergs_left` to the caller and created nothing.
    fn returning(end: FrameEnd, ergs_left: u64) -> Self {
        Self {
            end,
            ergs_left,
            refund: 0,
            created: None,
        }
    }
}

/// What the top-level message is.
#[derive(Clone, Debug)]
pub enum Message {
    /// A call (the transaction has a recipient).
    Call(CallRequest),
    /// A deployment.
    Create(CreateRequest),
}

/// The frame stack of one transaction's execution.
#[derive(Default)]
pub struct Runner {
    frames: Vec<Frame>,
    /// Operand stacks of finished frames, for the next frames (of this transaction or, handed
    /// on by [`Self::take_spare_stacks`], of the block's next ones).
    spare_stacks: Vec<Stack>,
    pending: Option<Message>,
    /// A call or deployment waiting for state, with the depth it enters at.
    stalled: Option<(Request, usize)>,
    done: Option<ExecutionOutcome>,
}

impl Runner {
    /// A runner that will execute `message` as the transaction's top-level frame.
    pub fn new(message: Message) -> Self {
        Self::with_spare_stacks(message, Vec::new())
    }

    /// [`Self::new`], its frames running on `spare_stacks` (finished frames' operand stacks)
    /// before it allocates new ones.
    pub fn with_spare_stacks(message: Message, spare_stacks: Vec<Stack>) -> Self {
        Self {
            frames: Vec::new(),
            spare_stacks,
            pending: Some(message),
            stalled: None,
            done: None,
        }
    }

    /// The operand stacks of the frames that finished (all of them once execution ended), for
    /// another runner (see [`Self::with_spare_stacks`]).
    pub fn take_spare_stacks(&mut self) -> Vec<Stack> {
        core::mem::take(&mut self.spare_stacks)
    }

    /// An operand stack for a new frame: a finished frame's, or a new one.
    fn stack(&mut self) -> Stack {
        self.spare_stacks.pop().unwrap_or_default()
    }

    /// The live frames, outermost first.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// Runs for at most `budget` opcodes.
    pub fn run<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        env: &Env,
        tracer: &mut T,
        budget: u64,
    ) -> RunStatus {
        let mut budget = budget;
        if let Some(outcome) = &self.done {
            return RunStatus::Done(outcome.clone());
        }
        if let Some(message) = self.pending.take() {
            let ready = match &message {
                Message::Call(request) => call_ready(io, env, request),
                Message::Create(request) => create_ready(io, request),
            };
            if !ready {
                self.pending = Some(message);
                return RunStatus::NeedState;
            }
            let started = match message {
                Message::Call(request) => self.start_call(io, env, tracer, request, 0),
                Message::Create(request) => self.start_create(io, env, tracer, request, 0),
            };
            if let Some(completed) = started {
                return self.complete(completed);
            }
        }
        if let Some((request, depth)) = self.stalled.take() {
            if let Some(status) = self.enter(io, env, tracer, request, depth) {
                return status;
            }
        }
        loop {
            let Some(frame) = self.frames.last_mut() else {
                return RunStatus::Done(self.done.clone().unwrap_or(ExecutionOutcome {
                    end: FrameEnd::Halt(Halt::OutOfGas),
                    ergs_left: 0,
                    refund: 0,
                    created: None,
                }));
            };
            let depth = frame.depth;
            match run_frame(frame, io, env, tracer, &mut budget) {
                Yield::Paused => return RunStatus::Paused,
                Yield::NeedState => return RunStatus::NeedState,
                Yield::Request(request) => {
                    if let Some(status) = self.enter(io, env, tracer, request, depth + 1) {
                        return status;
                    }
                }
                Yield::End(end) => {
                    let (completed, resume) = self.finish_frame(io, tracer, end);
                    if let Some(status) = self.deliver(io, completed, resume) {
                        return status;
                    }
                }
            }
        }
    }

    /// Starts the call or deployment a frame requested (or waits for the state it needs) and
    /// hands the result of one that ended at once to its caller; `Some` when the run stops.
    fn enter<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        env: &Env,
        tracer: &mut T,
        request: Request,
        depth: usize,
    ) -> Option<RunStatus> {
        let ready = match &request {
            Request::Call(call) => call_ready(io, env, call),
            Request::Create(create) => create_ready(io, create),
        };
        if !ready {
            self.stalled = Some((request, depth));
            return Some(RunStatus::NeedState);
        }
        let (completed, resume) = match request {
            Request::Call(request) => {
                let resume = Resume::Call(request.return_memory.0, request.return_memory.1);
                (self.start_call(io, env, tracer, request, depth)?, resume)
            }
            Request::Create(request) => (
                self.start_create(io, env, tracer, request, depth)?,
                Resume::Create,
            ),
        };
        self.deliver(io, completed, resume)
    }

    /// Hands a completed child to its caller, or finishes the run when there is none.
    fn deliver<S: StateSource>(
        &mut self,
        io: &mut Io<S>,
        completed: Completed,
        resume: Resume,
    ) -> Option<RunStatus> {
        if matches!(completed.end, FrameEnd::Halt(Halt::OutOfNative)) {
            if let Some(outermost) = self.frames.first() {
                io.rollback(outermost.checkpoint);
            }
            return Some(self.complete(completed));
        }
        let Some(parent) = self.frames.last_mut() else {
            return Some(self.complete(completed));
        };
        parent.ergs += completed.ergs_left;
        let (success, output) = match completed.end {
            FrameEnd::Success(output) => {
                parent.refund += completed.refund;
                (true, output)
            }
            FrameEnd::Revert(output) => (false, output),
            FrameEnd::Halt(_) => (false, Bytes::new()),
        };
        match resume {
            Resume::Create => {
                let address = completed
                    .created
                    .map(|a| U256::from_be_slice(a.as_slice()))
                    .unwrap_or_default();
                parent.stack.push(address);
                parent.return_data = if success { Bytes::new() } else { output };
            }
            Resume::Call(offset, len) => {
                let n = len.min(output.len());
                if n > 0 {
                    parent
                        .memory
                        .slice_mut(offset, n)
                        .copy_from_slice(&output[..n]);
                }
                parent.stack.push(U256::from(success));
                parent.return_data = output;
            }
            Resume::TopLevel => {}
        }
        None
    }

    fn complete(&mut self, completed: Completed) -> RunStatus {
        let outcome = ExecutionOutcome {
            refund: if matches!(completed.end, FrameEnd::Success(_)) {
                completed.refund
            } else {
                0
            },
            end: completed.end,
            ergs_left: completed.ergs_left,
            created: completed.created,
        };
        self.frames.clear();
        self.done = Some(outcome.clone());
        RunStatus::Done(outcome)
    }

    /// Enters a call: transfers value and runs a precompile inline, or pushes a frame.
    /// Returns the result when no frame was pushed.
    fn start_call<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        env: &Env,
        tracer: &mut T,
        request: CallRequest,
        depth: usize,
    ) -> Option<Completed> {
        let checkpoint = io.checkpoint();
        let precompile = if request.delegated {
            None
        } else {
            Precompile::at(
                &request.code_address,
                env.hardfork,
                env.flow,
                io.costs().precompiles.set,
            )
        };
        let zk = env.flow == FlowKind::Zk;
        let v2 = env.protocol_version >= ProtocolVersion::V2;
        let v2_hook = (zk && v2 && !request.delegated)
            .then(|| V2Hook::at(&request.code_address))
            .flatten();
        if zk && !v2 && precompile.is_none() {
            if let Some(completed) = enter_kernel_space(io, env, tracer, &request, checkpoint) {
                return Some(completed);
            }
        }
        let target_exists = io.account(&request.target).exists;
        if !target_exists
            && precompile.is_none()
            && v2_hook.is_none()
            && request.transfer_value.is_zero()
            && request.kind == CallKind::Call
        {
            return Some(Completed::returning(
                FrameEnd::Success(Bytes::new()),
                request.ergs,
            ));
        }
        io.touch(&request.target);
        if !request.transfer_value.is_zero() && io.charge_account_read(&request.caller).is_err() {
            return Some(out_of_native());
        }
        match io.transfer(&request.caller, &request.target, request.transfer_value) {
            Ok(true) => {}
            Ok(false) => {
                io.rollback(checkpoint);
                // The caller's balance was checked before, so under version 2 this is a
                // credit past 2^256 − 1, found after upstream read the callee's properties
                // with its code (`runner.rs::prepare_for_call`, then
                // `perform_transfer_if_required`).
                if io.charge_code_fetch(&request.code_address).is_err() {
                    return Some(out_of_native());
                }
                return Some(Completed::returning(
                    FrameEnd::Revert(Bytes::new()),
                    request.ergs,
                ));
            }
            Err(_) => return Some(out_of_native()),
        }
        if let Some(hook) = v2_hook {
            return Some(run_v2_hook(io, tracer, hook, &request, depth, checkpoint));
        }
        if let Some(precompile) = precompile {
            let (end, ergs_left) = match run_precompile(io, env, precompile, &request) {
                Ok((gas_used, output)) => (
                    FrameEnd::Success(output),
                    request
                        .ergs
                        .saturating_sub(env.ergs_per_gas().ergs(gas_used)),
                ),
                Err(halt) => {
                    io.rollback(checkpoint);
                    (FrameEnd::Halt(halt), 0)
                }
            };
            tracer.precompile_call(
                &request.code_address,
                &request.input,
                &end,
                request.ergs - ergs_left,
            );
            return Some(Completed::returning(end, ergs_left));
        }
        let code = io.account(&request.code_address).code.clone();
        if code.is_empty() {
            // Version 2 runs deployed empty code like any other (upstream `runner.rs`
            // `call_execute_callee_frame` starts an EVM frame for a deployed account): its
            // preimage is fetched and the frame pays the `STOP` it reads past the end.
            if io.costs().model == ChargingModel::Materialised
                && io.account(&request.code_address).deployed_empty
                && (io.charge_code_load(&code).is_err() || charge_empty_frame(io).is_err())
            {
                return Some(out_of_native());
            }
            return Some(Completed::returning(
                FrameEnd::Success(Bytes::new()),
                request.ergs,
            ));
        }
        if io.charge_code_load(&code).is_err() {
            return Some(out_of_native());
        }
        let frame = Frame::new(
            request.kind,
            request.target,
            request.code_address,
            request.caller,
            request.apparent_value,
            request.input,
            request.is_static,
            depth,
            code,
            request.ergs,
            env.ergs_per_gas(),
            checkpoint,
            self.stack(),
        );
        self.push(
            tracer,
            frame,
            Resume::Call(request.return_memory.0, request.return_memory.1),
        );
        None
    }

    /// Enters a deployment: creates the account, transfers the endowment, pushes the
    /// constructor frame.
    fn start_create<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        env: &Env,
        tracer: &mut T,
        request: CreateRequest,
        depth: usize,
    ) -> Option<Completed> {
        let checkpoint = io.checkpoint();
        io.mark_created(&request.address);
        io.touch(&request.address);
        // Protocol version 2 reads the deployer's balance before a deployment that carries
        // value; a deployment from a frame has read it in `CREATE` already.
        let balance_read = if request.value.is_zero() || depth > 0 {
            Ok(())
        } else {
            io.charge_account_read(&request.caller)
        };
        let entered = balance_read
            .and_then(|()| io.set_nonce(&request.address, 1))
            .and_then(|()| io.transfer(&request.caller, &request.address, request.value));
        match entered {
            Ok(true) => {}
            Ok(false) => {
                io.rollback(checkpoint);
                return Some(Completed::returning(
                    FrameEnd::Revert(Bytes::new()),
                    request.ergs,
                ));
            }
            Err(_) => return Some(out_of_native()),
        }
        let code = Rc::new(Bytecode::new(&request.init_code));
        if io.charge_init_code(&code).is_err() {
            return Some(out_of_native());
        }
        let frame = Frame::new(
            request.kind,
            request.address,
            request.address,
            request.caller,
            request.value,
            Bytes::new(),
            false,
            depth,
            code,
            request.ergs,
            env.ergs_per_gas(),
            checkpoint,
            self.stack(),
        );
        if request.init_code.is_empty() {
            // Nothing to run: deploy empty code right away. Version 2 runs the empty constructor,
            // which pays one `STOP` (upstream `evm_interpreter/src/interpreter.rs` reads past the
            // end of the code as `STOP`).
            if io.costs().model == ChargingModel::Materialised && charge_empty_frame(io).is_err() {
                return Some(out_of_native());
            }
            self.frames.push(frame);
            return Some(
                self.finish_frame(io, tracer, FrameEnd::Success(Bytes::new()))
                    .0,
            );
        }
        self.push(tracer, frame, Resume::Create);
        None
    }

    fn push<T: Tracer>(&mut self, tracer: &mut T, mut frame: Frame, resume: Resume) {
        frame.resume = if frame.depth == 0 {
            Resume::TopLevel
        } else {
            resume
        };
        tracer.frame_enter(&frame);
        self.frames.push(frame);
    }

    /// Pops the top frame, applies deployment rules and rolls back on failure.
    fn finish_frame<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        tracer: &mut T,
        end: FrameEnd,
    ) -> (Completed, Resume) {
        let Some(mut frame) = self.frames.pop() else {
            return (out_of_native(), Resume::TopLevel);
        };
        let mut created = None;
        // A creation returns no data to its caller; the tracer sees the code it deployed.
        let mut deployed = None;
        let end = match end {
            FrameEnd::Success(output) if frame.is_create() => {
                match deploy(io, &mut frame, &output) {
                    Ok(()) => {
                        created = Some(frame.address);
                        deployed = Some(FrameEnd::Success(output));
                        FrameEnd::Success(Bytes::new())
                    }
                    Err(halt) => FrameEnd::Halt(halt),
                }
            }
            other => other,
        };
        match &end {
            FrameEnd::Success(_) => {}
            FrameEnd::Revert(_) => io.rollback(frame.checkpoint),
            FrameEnd::Halt(_) => {
                frame.ergs = 0;
                io.rollback(frame.checkpoint);
            }
        }
        tracer.frame_exit(frame.depth, deployed.as_ref().unwrap_or(&end), frame.ergs);
        self.spare_stacks.push(frame.stack);
        (
            Completed {
                end,
                ergs_left: frame.ergs,
                refund: frame.refund,
                created,
            },
            frame.resume,
        )
    }
}

/// Applies the code-deposit rules to a constructor's output and installs the code.
fn deploy<S: StateSource>(io: &mut Io<S>, frame: &mut Frame, output: &[u8]) -> Result<(), Halt> {
    if output.first() == Some(&0xef) {
        return Err(Halt::InvalidCodePrefix);
    }
    let deposit = frame
        .ergs_per_gas
        .ergs(gas::CODE_DEPOSIT_BYTE_GAS * output.len() as u64);
    if frame.ergs < deposit {
        return Err(Halt::OutOfGas);
    }
    frame.ergs -= deposit;
    if output.len() > gas::MAX_CODE_SIZE {
        return Err(Halt::CodeTooLarge);
    }
    io.set_code(&frame.address, output)
        .map_err(|_| Halt::OutOfNative)
}

/// ZKsync OS kernel space under protocol version 1: serves a call to a system hook, and refuses
/// value sent into kernel space (except to the bootloader's formal address). Returns `None` for
/// a call that proceeds normally. (Version 2's production build has `transfers_to_kernel_space`
/// and its own hooks, see [`run_v2_hook`].)
fn enter_kernel_space<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    request: &CallRequest,
    checkpoint: Checkpoint,
) -> Option<Completed> {
    if !request.delegated {
        if let Some(hook) = SystemHook::at(&request.code_address) {
            let unit = env.ergs_per_gas();
            let (end, ergs_left) = match hook.call(io, request, unit.gas(request.ergs)) {
                Ok(result) => (
                    FrameEnd::Success(result.output),
                    request.ergs.saturating_sub(unit.ergs(result.gas_used)),
                ),
                Err(error) => {
                    io.rollback(checkpoint);
                    match error {
                        HookError::Rejected => (FrameEnd::Revert(Bytes::new()), request.ergs),
                        HookError::OutOfGas => (FrameEnd::Halt(Halt::OutOfGas), 0),
                        HookError::OutOfNative => return Some(out_of_native()),
                    }
                }
            };
            tracer.precompile_call(
                &request.code_address,
                &request.input,
                &end,
                request.ergs - ergs_left,
            );
            return Some(Completed::returning(end, ergs_left));
        }
    }
    let value_into_kernel = !request.transfer_value.is_zero()
        && is_kernel_space(&request.target)
        && request.target != BOOTLOADER_FORMAL_ADDRESS;
    value_into_kernel.then(|| Completed::returning(FrameEnd::Revert(Bytes::new()), request.ergs))
}

/// Serves a call to a protocol-version-2 system hook once the value has moved; a failure rolls
/// back to `checkpoint` (the value included).
fn run_v2_hook<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    tracer: &mut T,
    hook: V2Hook,
    request: &CallRequest,
    depth: usize,
    checkpoint: Checkpoint,
) -> Completed {
    let served = hook.call(io, request, depth == 0);
    let (end, ergs_left) = match served.result {
        Ok(output) => (FrameEnd::Success(output), served.ergs_left),
        Err(error) => {
            io.rollback(checkpoint);
            match error {
                HookError::Rejected => (FrameEnd::Revert(Bytes::new()), served.ergs_left),
                HookError::OutOfGas => (FrameEnd::Halt(Halt::OutOfGas), 0),
                HookError::OutOfNative => return out_of_native(),
            }
        }
    };
    tracer.precompile_call(
        &request.code_address,
        &request.input,
        &end,
        request.ergs - ergs_left,
    );
    Completed::returning(end, ergs_left)
}

/// Whether the accounts entering a call reads are known: the callee and the code it runs (a
/// precompile's or a hook's account included), and what a system hook writes. Always true over
/// a source that knows everything.
fn call_ready<S: StateSource>(io: &mut Io<S>, env: &Env, request: &CallRequest) -> bool {
    if !io.may_miss() {
        return true;
    }
    let mut ready = callee_ready(io, &request.target, env.hardfork);
    ready &= io.require_account(&request.code_address);
    ready &= io.require_account(&request.caller);
    let v1_hook = (env.protocol_version < ProtocolVersion::V2)
        .then(|| SystemHook::at(&request.code_address))
        .flatten();
    if let Some(written) = v1_hook.and_then(|hook| hook.account_written(&request.input)) {
        ready &= io.require_account(&written);
    }
    ready
}

/// Whether the accounts a deployment reads are known: the new address and the deployer.
fn create_ready<S: StateSource>(io: &mut Io<S>, request: &CreateRequest) -> bool {
    if !io.may_miss() {
        return true;
    }
    let ready = io.require_account(&request.address);
    io.require_account(&request.caller) && ready
}

/// Charges the one `STOP` a version-2 frame of empty code runs (upstream
/// `evm_interpreter/src/interpreter.rs` reads past the end of the code as `STOP`).
fn charge_empty_frame<S: StateSource>(io: &mut Io<S>) -> Result<(), crate::io::OutOfNative> {
    let stop = u64::from(io.costs().opcode_native[crate::bytecode::opcode::STOP as usize]);
    io.charge_native(stop)
}

fn out_of_native() -> Completed {
    Completed::returning(FrameEnd::Halt(Halt::OutOfNative), 0)
}

/// Runs a precompile, charging its native; returns the gas it used and its output. A refusal
/// of the curve backend is recorded on `io` (the transaction is then no result, see
/// [`Io::curves_refused`]) and halts the call.
fn run_precompile<S: StateSource>(
    io: &mut Io<S>,
    env: &Env,
    precompile: Precompile,
    request: &CallRequest,
) -> Result<(u64, Bytes), Halt> {
    let gas_limit = env.ergs_per_gas().gas(request.ergs);
    // A call short of modexp's minimal native fails out of gas before it starts (see
    // `PrecompileNativeCosts::modexp_minimal_native`): a failed call, not out of native.
    if precompile == Precompile::Modexp
        && io.native_remaining() < io.costs().precompiles.modexp_minimal_native
    {
        return Err(Halt::OutOfGas);
    }
    let result = precompiles::run_with(
        precompile,
        &request.input,
        gas_limit,
        env.hardfork,
        &io.costs().precompiles,
        io.curves(),
    );
    let native = match &result {
        Ok(output) => output.native_used,
        Err(failure) => failure.native_used,
    };
    io.charge_native(native).map_err(|_| Halt::OutOfNative)?;
    match result {
        Ok(output) => Ok((output.gas_used, Bytes::from(output.output))),
        Err(failure) => Err(match failure.kind {
            PrecompileFailureKind::OutOfGas => Halt::OutOfGas,
            PrecompileFailureKind::InvalidInput => Halt::PrecompileFailed,
            PrecompileFailureKind::CurvesNotLoaded => {
                io.note_curves_refused();
                Halt::PrecompileFailed
            }
        }),
    }
}
