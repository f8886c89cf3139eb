//! EIP-2935 (Prague): the last 8,191 block hashes kept in the storage of a system contract,
//! written by a system call at the start of every block of the Ethereum flow. `BLOCKHASH` is
//! unchanged (it still serves the last 256 hashes from the block context).
//!
//! Figures and bytecode from the EIP text (`EIPS/eip-2935.md`, final).

use crate::config::ChainConfig;
use crate::context::BlockContext;
use crate::ee::evm::{CallKind, CallRequest, Env, NoopTracer, StaticCosts};
use crate::env::TxEnv;
use crate::io::{Io, StateSource};
use crate::primitives::{address, hex, Address, Bytes, U256};
use crate::runner::{Message, RunStatus, Runner};
use crate::system::genesis::GenesisAccount;
use alloc::vec::Vec;

/// The history contract's address.
pub const HISTORY_STORAGE_ADDRESS: Address = address!("0000F90827F1C53a10cb7A02335B175320002935");
/// The caller of system calls (EIP-4788's convention).
pub const SYSTEM_ADDRESS: Address = address!("fffffffffffffffffffffffffffffffffffffffe");
/// Gas a system call runs with; it is not counted against the block's gas limit.
pub const SYSTEM_CALL_GAS: u64 = 30_000_000;
/// Number of block hashes the contract keeps (its ring buffer's length).
pub const HISTORY_SERVE_WINDOW: u64 = 8_191;

/// The history contract's runtime code (the EIP's `sys-asm` program): called by
/// [`SYSTEM_ADDRESS`] it stores its 32-byte calldata at slot `(number - 1) % 8191`; called by
/// anyone else with a 32-byte block number in `[number - 8191, number - 1]` it returns that
/// slot, and reverts otherwise.
pub const HISTORY_STORAGE_CODE: [u8; 83] = hex!(
    "3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257"
    "611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500"
);

/// The history contract as an Ethereum chain holds it from Prague on (nonce 1, as deployed on
/// mainnet; EIP-161 never removes it).
pub const HISTORY_GENESIS: [GenesisAccount; 1] = [GenesisAccount {
    address: HISTORY_STORAGE_ADDRESS,
    nonce: 1,
    code: &HISTORY_STORAGE_CODE,
}];

/// The EIP-2935 system call of a block: [`SYSTEM_ADDRESS`] calls the history contract with the
/// parent block's hash (zero when the context does not know it), [`SYSTEM_CALL_GAS`] gas and no
/// value. Nothing happens for block 0 or when the contract has no code ("the call must fail
/// silently"). The call pays no fee, counts against no limit and leaves nothing warm for the
/// block's transactions. Returns false, with nothing changed and the missing keys recorded in
/// `io`, when the source does not know the state the call reads yet.
pub(crate) fn store_parent_hash<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
) -> bool {
    let Some(parent) = block.number.checked_sub(1) else {
        return true;
    };
    if io.may_miss() {
        // The contract and the slot its code writes, `(number - 1) % 8191`, asked together so
        // that a forked chain fetches them in one round.
        let slot = U256::from(parent % HISTORY_SERVE_WINDOW);
        let contract_known = io.require_account(&HISTORY_STORAGE_ADDRESS);
        if !(io.require_slot(&HISTORY_STORAGE_ADDRESS, &slot) && contract_known) {
            return false;
        }
    }
    if io.account(&HISTORY_STORAGE_ADDRESS).code.is_empty() {
        return true;
    }
    let evm_block = block.evm_env();
    let parent_hash = evm_block.block_hash(U256::from(parent));
    let env = Env {
        hardfork: config.hardfork,
        flow: config.flow,
        chain_id: config.chain_id,
        protocol_version: config.protocol_version,
        block: evm_block,
        tx: TxEnv {
            origin: SYSTEM_ADDRESS,
            gas_price: U256::ZERO,
            blob_hashes: Vec::new(),
        },
        static_costs: StaticCosts::for_chain(config, io.costs()),
    };
    let mut runner = Runner::new(Message::Call(CallRequest {
        kind: CallKind::Call,
        target: HISTORY_STORAGE_ADDRESS,
        code_address: HISTORY_STORAGE_ADDRESS,
        delegated: false,
        caller: SYSTEM_ADDRESS,
        transfer_value: U256::ZERO,
        apparent_value: U256::ZERO,
        input: Bytes::copy_from_slice(parent_hash.as_slice()),
        ergs: env.ergs_per_gas().ergs(SYSTEM_CALL_GAS),
        is_static: false,
        return_memory: (0, 0),
    }));
    let start = io.checkpoint();
    io.reset_native(u64::MAX);
    loop {
        match runner.run(io, &env, &mut NoopTracer, u64::MAX) {
            RunStatus::Paused => {}
            RunStatus::Done(_) => break,
            // Code other than the EIP's read more than asked ahead: undone, run again once the
            // host supplied it.
            RunStatus::NeedState => {
                io.rollback(start);
                return false;
            }
        }
    }
    io.finish_tx(true);
    true
}
