//! Runs bytecode installed in an [`InMemoryState`] through [`Runner`] and collects what a test
//! needs to check: outcome, ergs, native, storage changes and logs.

use crate::config::{FlowKind, Hardfork, ProtocolVersion};
use crate::ee::evm::{CallKind, CallRequest, Env, FrameEnd};
use crate::ee::evm::{NoopTracer, Tracer};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{InMemoryState, Io, Log};
use crate::primitives::{address, Address, Bytes, U256};
use crate::resources::gas::StaticErgsTable;
use crate::resources::native::NativeCostTable;
use crate::resources::ErgsPerGas;
use crate::runner::{ExecutionOutcome, Message, RunStatus, Runner};
use alloc::rc::Rc;
use alloc::vec::Vec;

/// The externally owned account that sends every test call.
pub const CALLER: Address = address!("0000000000000000000000000000000000001000");
/// The contract every test calls.
pub const TARGET: Address = address!("0000000000000000000000000000000000002000");
/// A second contract.
pub const OTHER: Address = address!("0000000000000000000000000000000000003000");
/// A third contract.
pub const THIRD: Address = address!("0000000000000000000000000000000000004000");
/// An address absent from the state.
pub const ABSENT: Address = address!("0000000000000000000000000000000000005000");

/// Chain id seen by `CHAINID`.
pub const CHAIN_ID: u64 = 270;
/// Gas given to a call unless a test says otherwise.
pub const DEFAULT_GAS: u64 = 1_000_000;
/// Native of loading code into a frame the first time: preimage read 500 + 6 per byte analysed.
pub fn decommit_native(code_len: usize) -> u64 {
    500 + 6 * code_len as u64
}

/// One top-level call.
pub struct Call {
    /// Initial state.
    pub state: InMemoryState,
    /// Calldata.
    pub input: Bytes,
    /// Value sent by [`CALLER`].
    pub value: U256,
    /// Gas limit of the frame.
    pub gas: u64,
    /// Slots of [`TARGET`] warmed before the call (as an access list would).
    pub warm_slots: Vec<U256>,
    /// EVM semantics.
    pub hardfork: Hardfork,
}

impl Call {
    /// A call to [`TARGET`] running `code`; [`CALLER`] holds 10^18 wei, [`TARGET`] has nonce 1.
    pub fn to_code(code: &[u8]) -> Self {
        let mut state = InMemoryState::new();
        state.set_account(
            CALLER,
            0,
            U256::from(1_000_000_000_000_000_000u64),
            Bytes::new(),
        );
        state.set_account(TARGET, 1, U256::ZERO, Bytes::copy_from_slice(code));
        Self {
            state,
            input: Bytes::new(),
            value: U256::ZERO,
            gas: DEFAULT_GAS,
            warm_slots: Vec::new(),
            hardfork: Hardfork::Prague,
        }
    }

    /// Installs `code` at `address` with `balance` (nonce 1).
    pub fn with_contract(mut self, address: Address, balance: u64, code: &[u8]) -> Self {
        self.state.set_account(
            address,
            1,
            U256::from(balance),
            Bytes::copy_from_slice(code),
        );
        self
    }

    /// Runs with an unlimited step budget and no tracer.
    pub fn run(self) -> Outcome {
        self.run_with(&mut NoopTracer, u64::MAX)
    }

    /// Runs with `budget` opcodes per [`Runner::run`] call, looping until done.
    pub fn run_with<T: Tracer>(self, tracer: &mut T, budget: u64) -> Outcome {
        let env = Env {
            hardfork: self.hardfork,
            flow: FlowKind::Ethereum,
            protocol_version: ProtocolVersion::V1,
            chain_id: CHAIN_ID,
            block: BlockEnv {
                number: 100,
                timestamp: 1_700_000_000,
                gas_limit: 30_000_000,
                base_fee: U256::from(7),
                ..BlockEnv::default()
            },
            tx: TxEnv {
                origin: CALLER,
                gas_price: U256::from(9),
                blob_hashes: Vec::new(),
            },
            ergs_table: StaticErgsTable::for_hardfork(self.hardfork, ErgsPerGas::ZK),
        };
        let mut io = Io::new(
            self.state,
            Rc::new(NativeCostTable::for_version(ProtocolVersion::V1)),
        );
        // The transaction-level warm set (EIP-2929): sender and recipient.
        io.warm_account(&CALLER);
        io.warm_account(&TARGET);
        for key in &self.warm_slots {
            io.warm_slot(&TARGET, key);
        }
        let ergs = ErgsPerGas::ZK.ergs(self.gas);
        let mut runner = Runner::new(Message::Call(CallRequest {
            kind: CallKind::Call,
            target: TARGET,
            code_address: TARGET,
            delegated: false,
            caller: CALLER,
            transfer_value: self.value,
            apparent_value: self.value,
            input: self.input,
            ergs,
            is_static: false,
            return_memory: (0, 0),
        }));
        let mut runs = 0u64;
        let outcome = loop {
            runs += 1;
            match runner.run(&mut io, &env, tracer, budget) {
                RunStatus::Done(outcome) => break outcome,
                RunStatus::Paused => {}
            }
        };
        let mut storage: Vec<_> = io.storage_diffs().collect();
        storage.sort();
        Outcome {
            ergs_used: ergs - outcome.ergs_left,
            native_used: io.native_used(),
            logs: io.logs().to_vec(),
            storage,
            runs,
            outcome,
            io,
        }
    }
}

/// What a run produced.
pub struct Outcome {
    /// The top-level frame's result.
    pub outcome: ExecutionOutcome,
    /// Ergs used by the top-level frame.
    pub ergs_used: u64,
    /// Native used by the whole run.
    pub native_used: u64,
    /// Changed slots `(address, key, initial, final)`, sorted.
    pub storage: Vec<(Address, U256, U256, U256)>,
    /// Events.
    pub logs: Vec<Log>,
    /// How many [`Runner::run`] calls it took.
    pub runs: u64,
    /// The IO after the run (accounts can be inspected).
    pub io: Io<InMemoryState>,
}

impl Outcome {
    /// The success output, panicking with the end otherwise.
    pub fn output(&self) -> &Bytes {
        match &self.outcome.end {
            FrameEnd::Success(output) => output,
            other => panic!("expected success, got {other:?}"),
        }
    }

    /// The returned 32-byte word.
    pub fn word(&self) -> U256 {
        let output = self.output();
        assert_eq!(output.len(), 32, "output {output:?}");
        U256::from_be_slice(output)
    }

    /// Asserts exact gas (as ergs) and native.
    pub fn assert_cost(&self, gas: u64, native: u64) {
        assert_eq!(
            (self.ergs_used, self.native_used),
            (ErgsPerGas::ZK.ergs(gas), native),
            "(ergs, native) used; ergs = gas {gas} × 256"
        );
    }
}

/// `PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: returns the top of the stack as one word.
pub const RETURN_TOP: [u8; 8] = [0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];
/// Gas of [`RETURN_TOP`] when memory is still empty: PUSH1 3 + MSTORE 3 + one new word 3 +
/// PUSH1 3 + PUSH1 3 + RETURN 0.
pub const RETURN_TOP_FRESH_GAS: u64 = 15;
/// Native of [`RETURN_TOP`] when memory is still empty: PUSH1 70 + MSTORE 270 + expansion
/// (35 + 32 bytes) 67 + PUSH1 70 + PUSH1 70 + RETURN 90.
pub const RETURN_TOP_FRESH_NATIVE: u64 = 637;
/// Gas of [`RETURN_TOP`] when the first word is already in memory.
pub const RETURN_TOP_WARM_GAS: u64 = 12;
/// Native of [`RETURN_TOP`] when the first word is already in memory.
pub const RETURN_TOP_WARM_NATIVE: u64 = 570;

/// `prefix` followed by [`RETURN_TOP`].
pub fn returning(prefix: &[u8]) -> Vec<u8> {
    let mut code = prefix.to_vec();
    code.extend_from_slice(&RETURN_TOP);
    code
}

/// Runs `prefix` + [`RETURN_TOP`] and checks the returned word, the gas and the native.
/// `prefix_gas` and `prefix_native` are the prefix's own costs; `memory_used` says whether the
/// prefix already expanded memory over the first word.
pub fn check_word(
    call: Call,
    prefix: &[u8],
    expected: U256,
    prefix_gas: u64,
    prefix_native: u64,
    memory_used: bool,
) -> Outcome {
    let code = returning(prefix);
    let mut call = call;
    let balance = call
        .state
        .get_account(&TARGET)
        .map(|(_, balance, _)| balance)
        .unwrap_or_default();
    call.state
        .set_account(TARGET, 1, balance, Bytes::copy_from_slice(&code));
    let out = call.run();
    assert_eq!(out.word(), expected, "returned word");
    let (suffix_gas, suffix_native) = if memory_used {
        (RETURN_TOP_WARM_GAS, RETURN_TOP_WARM_NATIVE)
    } else {
        (RETURN_TOP_FRESH_GAS, RETURN_TOP_FRESH_NATIVE)
    };
    out.assert_cost(
        prefix_gas + suffix_gas,
        decommit_native(code.len()) + prefix_native + suffix_native,
    );
    out
}

/// [`check_word`] on a plain call with `prefix`.
pub fn word(prefix: &[u8], expected: U256, gas: u64, native: u64) -> Outcome {
    check_word(Call::to_code(&[]), prefix, expected, gas, native, false)
}

/// `-n` as a 256-bit two's complement word.
pub fn neg(n: u64) -> U256 {
    U256::ZERO.wrapping_sub(U256::from(n))
}

/// `PUSH32 value`.
pub fn push32(value: U256) -> Vec<u8> {
    let mut code = alloc::vec![0x7f];
    code.extend_from_slice(&value.to_be_bytes::<32>());
    code
}

/// Concatenates code pieces.
pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}
