//! Mode CALIBRATE: run one EVM call through `zkos_core::runner::Runner` on an in-memory state and
//! report the ergs and native it was charged. The host counts the instructions the run retired;
//! comparing two runs that differ by one opcode gives the opcode's cycle cost beside its table
//! price.
//!
//! Input (after the mode word), little-endian:
//! `gas_limit: u64`, `code: u32 len + bytes`, `calldata: u32 len + bytes`,
//! `slot_count: u32`, then `slot_count × (key: [u8; 32] BE, value: [u8; 32] BE)` — the storage of
//! the called contract. The caller and the contract each hold 10^18 wei.
//!
//! Output: `status: u8` (0 success, 1 revert, 2 halt), `ergs_used: u64`, `native_used: u64`,
//! `return_data: u32 len + bytes`.

use crate::input::{InputError, Reader};
use alloc::rc::Rc;
use alloc::vec::Vec;
use zkos_core::config::{FlowKind, Hardfork, ProtocolVersion};
use zkos_core::ee::evm::NoopTracer;
use zkos_core::ee::evm::{CallKind, CallRequest, Env, FrameEnd, StaticCosts};
use zkos_core::env::{BlockEnv, TxEnv};
use zkos_core::io::{InMemoryState, Io};
use zkos_core::primitives::{address, Address, Bytes, U256};
use zkos_core::resources::gas::StaticErgsTable;
use zkos_core::resources::native::NativeCostTable;
use zkos_core::resources::ErgsPerGas;
use zkos_core::runner::{Message, RunStatus, Runner};

/// The account that sends the call.
const CALLER: Address = address!("00000000000000000000000000000000ca11e401");
/// The account that holds the code under measurement.
const TARGET: Address = address!("00000000000000000000000000000000c0de0001");
/// Wei the caller and the called contract each hold.
const BALANCE_WEI: u64 = 1_000_000_000_000_000_000;

/// Runs the call the input describes and returns the output bytes.
pub fn run(mut input: Reader<'_>) -> Result<Vec<u8>, InputError> {
    let gas_limit = input.u64()?;
    let code = input.prefixed()?;
    let calldata = input.prefixed()?;
    let slot_count = input.u32()?;
    let mut state = InMemoryState::new();
    state.set_account(CALLER, 0, U256::from(BALANCE_WEI), Bytes::new());
    state.set_account(
        TARGET,
        1,
        U256::from(BALANCE_WEI),
        Bytes::copy_from_slice(code),
    );
    for _ in 0..slot_count {
        let key = U256::from_be_bytes(input.array::<32>()?);
        let value = U256::from_be_bytes(input.array::<32>()?);
        state.set_storage(TARGET, key, value);
    }
    let calldata = Bytes::copy_from_slice(calldata);
    input.finish()?;

    let hardfork = Hardfork::Cancun;
    let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
    let env = Env {
        hardfork,
        flow: FlowKind::Ethereum,
        protocol_version: ProtocolVersion::V1,
        chain_id: 1,
        block: BlockEnv {
            number: 1,
            timestamp: 1,
            gas_limit,
            ..BlockEnv::default()
        },
        tx: TxEnv {
            origin: CALLER,
            gas_price: U256::from(1),
            blob_hashes: Vec::new(),
        },
        static_costs: Rc::new(StaticCosts::new(
            &StaticErgsTable::for_hardfork(hardfork, ErgsPerGas::ZK),
            &costs,
            hardfork,
        )),
    };
    let mut io = Io::new(state, costs);
    io.warm_account(&CALLER);
    io.warm_account(&TARGET);
    let ergs = ErgsPerGas::ZK.ergs(gas_limit);
    let mut runner = Runner::new(Message::Call(CallRequest {
        kind: CallKind::Call,
        target: TARGET,
        code_address: TARGET,
        delegated: false,
        caller: CALLER,
        transfer_value: U256::ZERO,
        apparent_value: U256::ZERO,
        input: calldata,
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
        FrameEnd::Success(data) => (0u8, data.clone()),
        FrameEnd::Revert(data) => (1, data.clone()),
        FrameEnd::Halt(_) => (2, Bytes::new()),
    };
    let mut out = Vec::with_capacity(21 + data.len());
    out.push(status);
    out.extend_from_slice(&(ergs - outcome.ergs_left).to_le_bytes());
    out.extend_from_slice(&io.native_used().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    Ok(out)
}
