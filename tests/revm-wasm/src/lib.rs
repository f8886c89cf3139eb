//! revm on wasm32 for the npm benchmark: `input(len)` returns the address of a zeroed `len`-byte
//! buffer, the caller writes `code ‖ calldata` there, and `run(code_len)` executes the calldata
//! against the code (the setup of `tests/benches/evm.rs`: Cancun, the contract at
//! `0x…c0de0001` with nonce 1, a rich caller) and returns the transaction's gas, or -1 when
//! revm rejects or the call does not succeed.

use revm::context::{BlockEnv, Context, TxEnv};
use revm::context_interface::result::ExecutionResult;
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{address, Address, Bytes, TxKind, U256};
use revm::state::{AccountInfo, Bytecode};
use revm::{ExecuteEvm, MainBuilder, MainContext};
use std::cell::RefCell;

/// The workload contract (as in `tests/benches/evm.rs` and `npm/scripts/bench.mjs`).
const CONTRACT: Address = address!("00000000000000000000000000000000c0de0001");
/// The caller.
const CALLER: Address = address!("00000000000000000000000000000000ca11e401");
/// Block and transaction gas limit.
const GAS_LIMIT: u64 = 4_000_000_000;

/// No randomness on this target: revm's execution never asks for it.
fn no_randomness(_buffer: &mut [u8]) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}
getrandom::register_custom_getrandom!(no_randomness);

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` zero bytes long and returns its address.
#[no_mangle]
pub extern "C" fn input(len: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|buffer| {
        buffer.clear();
        buffer.resize(len, 0);
        buffer.as_mut_ptr()
    })
}

/// Runs the input's calldata (after `code_len` bytes of code); the gas used, or -1.
#[no_mangle]
pub extern "C" fn run(code_len: usize) -> i64 {
    let (code, data) = INPUT.with_borrow(|input| {
        let (code, data) = input.split_at(code_len.min(input.len()));
        (Bytes::copy_from_slice(code), Bytes::copy_from_slice(data))
    });
    let mut db = CacheDB::new(EmptyDB::default());
    db.insert_account_info(
        CONTRACT,
        AccountInfo::default()
            .with_nonce(1)
            .with_code(Bytecode::new_raw(code)),
    );
    db.insert_account_info(
        CALLER,
        AccountInfo::default().with_balance(U256::from(10).pow(U256::from(30))),
    );
    let mut evm = Context::mainnet()
        .with_db(db)
        .modify_cfg_chained(|cfg| cfg.set_spec_and_mainnet_gas_params(SpecId::CANCUN))
        .modify_block_chained(|block: &mut BlockEnv| {
            block.number = U256::from(1);
            block.timestamp = U256::from(1);
            block.gas_limit = GAS_LIMIT;
            block.basefee = 0;
            block.prevrandao = Some(Default::default());
        })
        .build_mainnet();
    let tx = TxEnv {
        tx_type: 2,
        caller: CALLER,
        gas_limit: GAS_LIMIT,
        gas_price: 1,
        gas_priority_fee: Some(0),
        kind: TxKind::Call(CONTRACT),
        data,
        chain_id: Some(1),
        ..TxEnv::default()
    };
    match evm.transact(tx) {
        Ok(out) => match out.result {
            ExecutionResult::Success { .. } => {
                i64::try_from(out.result.tx_gas_used()).unwrap_or(-1)
            }
            _ => -1,
        },
        Err(_) => -1,
    }
}
