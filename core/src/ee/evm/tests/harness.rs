//! Runs bytecode installed in an [`InMemoryState`] through [`Runner`] and collects what a test
//! needs to check: outcome, ergs, native, storage changes and logs.

use crate::config::{FlowKind, Hardfork, ProtocolVersion};
use crate::ee::evm::{CallKind, CallRequest, Env, FrameEnd, StaticCosts};
use crate::ee::evm::{NoopTracer, Tracer};
use crate::env::{BlockEnv, TxEnv};
use crate::io::forgetful::Forgetful;
use crate::io::{InMemoryState, Io, Log, StateKey, StateSource};
use crate::primitives::{address, Address, Bytes, B256, U256};
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

    /// Runs with `budget` opcodes per [`Runner::run`] call, looping until done. The call is
    /// run a second time over a [`Forgetful`] copy of the state, which pauses at every first
    /// read until the state is supplied: both runs must end alike.
    pub fn run_with<T: Tracer>(self, tracer: &mut T, budget: u64) -> Outcome {
        let (forgetful, known) = Forgetful::new(self.state.clone());
        let setup = Setup {
            input: self.input,
            value: self.value,
            gas: self.gas,
            warm_slots: self.warm_slots,
            hardfork: self.hardfork,
        };
        let outcome = setup.run(self.state, tracer, budget, |_| {
            unreachable!("nothing missing")
        });
        let again = setup.run(forgetful, &mut NoopTracer, budget, |keys| {
            known.borrow_mut().learn(keys)
        });
        assert!(!again.io.unanswered(), "a read was not checked ahead");
        assert_eq!(
            (&again.outcome, again.ergs_used, again.native_used),
            (&outcome.outcome, outcome.ergs_used, outcome.native_used),
            "the run over a forgetful source ended differently"
        );
        assert_eq!(again.storage, outcome.storage);
        assert_eq!(again.logs, outcome.logs);
        // The forgetful run never reads an account that was only warmed; every account it read
        // ends as in the first run, and the others did not change there.
        let read = accounts(&again.io);
        for account in accounts(&outcome.io) {
            if !read.contains(&account) {
                let (address, ..) = account;
                let cached = outcome.io.accounts().find(|(a, _)| **a == address);
                let (_, cached) = cached.expect("listed");
                assert!(
                    !read.iter().any(|(a, ..)| *a == address),
                    "{address} differs"
                );
                assert_eq!(
                    (cached.nonce, cached.balance, cached.exists),
                    (
                        cached.block_start.nonce,
                        cached.block_start.balance,
                        cached.existed_at_block_start
                    ),
                    "{address} changed but was never read"
                );
            }
        }
        assert!(read.len() <= accounts(&outcome.io).len());
        assert!(known.borrow().rounds >= 1);
        outcome
    }
}

impl Call {
    /// The keys each pause asked for, in order, when the call runs over a source that knows
    /// nothing until asked (with an unlimited step budget).
    pub fn pauses(self) -> Vec<Vec<StateKey>> {
        let (forgetful, known) = Forgetful::new(self.state);
        let setup = Setup {
            input: self.input,
            value: self.value,
            gas: self.gas,
            warm_slots: self.warm_slots,
            hardfork: self.hardfork,
        };
        let mut rounds = Vec::new();
        setup.run(forgetful, &mut NoopTracer, u64::MAX, |keys| {
            known.borrow_mut().learn(keys);
            rounds.push(keys.to_vec());
        });
        rounds
    }
}

/// What a call runs with besides its state.
struct Setup {
    input: Bytes,
    value: U256,
    gas: u64,
    warm_slots: Vec<U256>,
    hardfork: Hardfork,
}

impl Setup {
    /// Runs over `state`; `supply` is told the missing keys at every pause.
    fn run<S: StateSource, T: Tracer>(
        &self,
        state: S,
        tracer: &mut T,
        budget: u64,
        mut supply: impl FnMut(&[StateKey]),
    ) -> Outcome<S> {
        let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
        let env = env(self.hardfork, &costs);
        let mut io = Io::new(state, costs);
        // The transaction-level warm set (EIP-2929): sender and recipient.
        io.warm_account(&CALLER);
        io.warm_account(&TARGET);
        for key in &self.warm_slots {
            while !io.require_slot(&TARGET, key) {
                supply(&io.take_missing());
            }
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
            input: self.input.clone(),
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
                RunStatus::NeedState => supply(&io.take_missing()),
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

/// The environment every test call runs in, under `hardfork` with the native prices of `costs`.
pub fn env(hardfork: Hardfork, costs: &NativeCostTable) -> Env {
    Env {
        hardfork,
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
        static_costs: Rc::new(StaticCosts::new(
            &StaticErgsTable::for_hardfork(hardfork, ErgsPerGas::ZK),
            costs,
            hardfork,
        )),
    }
}

/// The cached accounts: address, nonce, balance, code hash, existence; sorted.
fn accounts<S: StateSource>(io: &Io<S>) -> Vec<(Address, u64, U256, B256, bool)> {
    let mut all: Vec<_> = io
        .accounts()
        .map(|(a, acc)| (*a, acc.nonce, acc.balance, acc.code.hash(), acc.exists))
        .collect();
    all.sort();
    all
}

/// What a run produced.
pub struct Outcome<S = InMemoryState> {
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
    pub io: Io<S>,
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
