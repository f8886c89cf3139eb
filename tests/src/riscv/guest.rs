//! Building the riscv-build guest and speaking its input/output format
//! (`riscv-build/src/main.rs`, `riscv-build/src/calibrate.rs`).

use super::emulator::{Emulator, EmulatorError, Run};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The bare-metal target the guest is built for.
pub const TARGET: &str = "riscv32im-unknown-none-elf";
/// Mode word of a CALIBRATE run.
pub const MODE_CALIBRATE: u32 = 1;
/// Mode word of a PROVE run.
pub const MODE_PROVE: u32 = 2;
/// Exit code: success.
pub const EXIT_OK: u32 = 0;
/// Exit code: malformed input.
pub const EXIT_BAD_INPUT: u32 = 1;
/// Exit code: unknown mode word.
pub const EXIT_UNKNOWN_MODE: u32 = 2;
/// Exit code: the block does not prove.
pub const EXIT_PROVING_FAILED: u32 = 3;
/// Exit code: the guest panicked.
pub const EXIT_PANIC: u32 = 101;
/// Step limit of a guest run: far above any test input (about a minute of emulation).
pub const MAX_STEPS: u64 = 20_000_000_000;

/// The repository root (the parent of `tests/`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Builds the guest in release mode with its own target dir (`target/riscv-build`) and returns
/// the ELF's path. Runs cargo at most once per process.
pub fn build() -> Result<PathBuf, String> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let root = repo_root();
            let target_dir = root.join("target").join("riscv-build");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Command::new(cargo)
                .arg("build")
                .arg("--release")
                .arg("--quiet")
                .arg("--manifest-path")
                .arg(root.join("riscv-build").join("Cargo.toml"))
                .arg("--target")
                .arg(TARGET)
                .arg("--target-dir")
                .arg(&target_dir)
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err(format!("guest build failed: {status}"));
            }
            Ok(target_dir.join(TARGET).join("release").join("zkos-riscv"))
        })
        .clone()
}

/// Builds the guest and loads it into an emulator.
pub fn emulator() -> Result<Emulator, String> {
    let path = build()?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Emulator::new(&bytes).map_err(|e| format!("{}: {e:?}", path.display()))
}

fn push_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// One EVM call to measure: the contract's code and storage, the calldata and the gas limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalibrateCall {
    /// Gas limit of the call.
    pub gas_limit: u64,
    /// Runtime code of the called contract.
    pub code: Vec<u8>,
    /// Calldata.
    pub calldata: Vec<u8>,
    /// Storage of the called contract: (key, value), both big-endian words.
    pub storage: Vec<([u8; 32], [u8; 32])>,
}

impl CalibrateCall {
    /// The guest input blob (mode word first).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MODE_CALIBRATE.to_le_bytes().to_vec();
        out.extend_from_slice(&self.gas_limit.to_le_bytes());
        push_prefixed(&mut out, &self.code);
        push_prefixed(&mut out, &self.calldata);
        out.extend_from_slice(&(self.storage.len() as u32).to_le_bytes());
        for (key, value) in &self.storage {
            out.extend_from_slice(key);
            out.extend_from_slice(value);
        }
        out
    }
}

/// How the measured call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallStatus {
    /// STOP or RETURN.
    Success,
    /// REVERT.
    Revert,
    /// Exceptional halt.
    Halt,
}

/// What a CALIBRATE run reports, plus the instructions the host counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalibrateResult {
    /// How the call ended.
    pub status: CallStatus,
    /// Ergs the call used.
    pub ergs_used: u64,
    /// Native the table charged.
    pub native_used: u64,
    /// Return or revert data.
    pub return_data: Vec<u8>,
    /// Instructions the whole guest run retired.
    pub instructions: u64,
    /// Bigint delegations among them.
    pub bigint_delegations: u64,
    /// Blake2s round delegations among them.
    pub blake_delegations: u64,
    /// Keccak-f\[1600\] delegations among them.
    pub keccak_delegations: u64,
}

/// Why a CALIBRATE run gave no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalibrateError {
    /// The emulator stopped without an exit.
    Emulator(EmulatorError),
    /// The guest exited with a failure code; its output (a panic message, if any).
    Exit(u32, String),
    /// The output does not follow the CALIBRATE format.
    BadOutput,
}

/// Runs `call` in the guest.
pub fn calibrate(
    emulator: &Emulator,
    call: &CalibrateCall,
) -> Result<CalibrateResult, CalibrateError> {
    let run = emulator
        .run(&call.encode(), MAX_STEPS)
        .map_err(CalibrateError::Emulator)?;
    parse_calibrate(&run)
}

fn parse_calibrate(run: &Run) -> Result<CalibrateResult, CalibrateError> {
    if run.exit_code != EXIT_OK {
        return Err(CalibrateError::Exit(
            run.exit_code,
            String::from_utf8_lossy(&run.output).into_owned(),
        ));
    }
    let out = &run.output;
    if out.len() < 21 {
        return Err(CalibrateError::BadOutput);
    }
    let status = match out[0] {
        0 => CallStatus::Success,
        1 => CallStatus::Revert,
        2 => CallStatus::Halt,
        _ => return Err(CalibrateError::BadOutput),
    };
    let word = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&out[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let mut len = [0u8; 4];
    len.copy_from_slice(&out[17..21]);
    let len = u32::from_le_bytes(len) as usize;
    let return_data = out
        .get(21..)
        .filter(|rest| rest.len() == len)
        .ok_or(CalibrateError::BadOutput)?;
    Ok(CalibrateResult {
        status,
        ergs_used: word(1),
        native_used: word(9),
        return_data: return_data.to_vec(),
        instructions: run.instructions,
        bigint_delegations: run.bigint_delegations,
        blake_delegations: run.blake_delegations,
        keccak_delegations: run.keccak_delegations,
    })
}

/// The caller of a CALIBRATE call (as in the guest).
pub const CALIBRATE_CALLER: zkos_core::primitives::Address =
    zkos_core::primitives::address!("00000000000000000000000000000000ca11e401");
/// The called contract of a CALIBRATE call (as in the guest).
pub const CALIBRATE_TARGET: zkos_core::primitives::Address =
    zkos_core::primitives::address!("00000000000000000000000000000000c0de0001");

impl CalibrateCall {
    /// Runs the call natively with the guest's set-up (same accounts, block and table), for
    /// comparing the two hosts. `instructions` and the delegation counts are 0.
    pub fn run_on_host(&self) -> CalibrateResult {
        use std::rc::Rc;
        use zkos_core::config::{FlowKind, Hardfork, ProtocolVersion};
        use zkos_core::ee::evm::NoopTracer;
        use zkos_core::ee::evm::{CallKind, CallRequest, Env, FrameEnd, StaticCosts};
        use zkos_core::env::{BlockEnv, TxEnv};
        use zkos_core::io::{InMemoryState, Io};
        use zkos_core::primitives::{Bytes, U256};
        use zkos_core::resources::gas::StaticErgsTable;
        use zkos_core::resources::native::NativeCostTable;
        use zkos_core::resources::ErgsPerGas;
        use zkos_core::runner::{Message, RunStatus, Runner};

        let mut state = InMemoryState::new();
        state.set_account(
            CALIBRATE_CALLER,
            0,
            U256::from(1_000_000_000_000_000_000u64),
            Bytes::new(),
        );
        state.set_account(
            CALIBRATE_TARGET,
            1,
            U256::from(1_000_000_000_000_000_000u64),
            Bytes::copy_from_slice(&self.code),
        );
        for (key, value) in &self.storage {
            state.set_storage(
                CALIBRATE_TARGET,
                U256::from_be_bytes(*key),
                U256::from_be_bytes(*value),
            );
        }
        let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
        let env = Env {
            hardfork: Hardfork::Cancun,
            flow: FlowKind::Ethereum,
            protocol_version: ProtocolVersion::V1,
            chain_id: 1,
            block: BlockEnv {
                number: 1,
                timestamp: 1,
                gas_limit: self.gas_limit,
                ..BlockEnv::default()
            },
            tx: TxEnv {
                origin: CALIBRATE_CALLER,
                gas_price: U256::from(1),
                blob_hashes: Vec::new(),
            },
            static_costs: Rc::new(StaticCosts::new(
                &StaticErgsTable::for_hardfork(Hardfork::Cancun, ErgsPerGas::ZK),
                &costs,
                Hardfork::Cancun,
            )),
        };
        let mut io = Io::new(state, costs);
        io.warm_account(&CALIBRATE_CALLER);
        io.warm_account(&CALIBRATE_TARGET);
        let ergs = ErgsPerGas::ZK.ergs(self.gas_limit);
        let mut runner = Runner::new(Message::Call(CallRequest {
            kind: CallKind::Call,
            target: CALIBRATE_TARGET,
            code_address: CALIBRATE_TARGET,
            delegated: false,
            caller: CALIBRATE_CALLER,
            transfer_value: U256::ZERO,
            apparent_value: U256::ZERO,
            input: Bytes::copy_from_slice(&self.calldata),
            ergs,
            is_static: false,
            return_memory: (0, 0),
        }));
        let outcome = loop {
            if let RunStatus::Done(outcome) = runner.run(&mut io, &env, &mut NoopTracer, u64::MAX) {
                break outcome;
            }
        };
        let (status, data) = match &outcome.end {
            FrameEnd::Success(data) => (CallStatus::Success, data.to_vec()),
            FrameEnd::Revert(data) => (CallStatus::Revert, data.to_vec()),
            FrameEnd::Halt(_) => (CallStatus::Halt, Vec::new()),
        };
        CalibrateResult {
            status,
            ergs_used: ergs - outcome.ergs_left,
            native_used: io.native_used(),
            return_data: data,
            instructions: 0,
            bigint_delegations: 0,
            blake_delegations: 0,
            keccak_delegations: 0,
        }
    }
}

/// The guest input of a PROVE run: the chain configuration and the recorded word stream.
pub fn prove_input(config: &zkos_core::config::ChainConfig, words: &[u32]) -> Vec<u8> {
    use zkos_core::config::{FlowKind, Hardfork};
    let mut out = MODE_PROVE.to_le_bytes().to_vec();
    out.extend_from_slice(&config.chain_id.to_le_bytes());
    out.push(match config.flow {
        FlowKind::Zk => 0,
        FlowKind::Ethereum => 1,
    });
    out.push(match config.hardfork {
        Hardfork::Cancun => 0,
        Hardfork::Prague => 1,
        Hardfork::Osaka => 2,
    });
    out.push(config.protocol_version.number());
    out.extend_from_slice(&(words.len() as u32).to_le_bytes());
    for word in words {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out
}

/// The public inputs a PROVE run outputs: the block's, then the batch's.
pub fn public_inputs(block: &zkos_core::driver::ProvenBlock) -> Vec<u8> {
    [
        block.commitments.block_public_input.as_slice(),
        block.commitments.batch_public_input.as_slice(),
    ]
    .concat()
}
