//! The benchmark workloads of `shared/bench/workloads`: parsing the annotated hex files and
//! running them on zkos.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use zkos_core::bootloader::{execute_transaction, TxReceipt};
use zkos_core::config::{ChainConfig, Hardfork, ProtocolVersion};
use zkos_core::ee::evm::NoopTracer;
use zkos_core::env::BlockEnv;
use zkos_core::io::{InMemoryState, Io};
use zkos_core::primitives::{address, Address, U256};
use zkos_core::resources::native::NativeCostTable;
use zkos_core::tx::Transaction;

/// Address the workload contract is installed at.
pub const CONTRACT: Address = address!("00000000000000000000000000000000c0de0001");
/// Account that calls it.
pub const CALLER: Address = address!("00000000000000000000000000000000ca11e401");
/// Gas limit of a workload call.
pub const GAS_LIMIT: u64 = 4_000_000_000;

/// One workload: runtime bytecode and the calldata to call it with.
#[derive(Clone, Debug)]
pub struct Workload {
    /// File stem, e.g. `arith_loop`.
    pub name: String,
    /// Runtime bytecode.
    pub code: Vec<u8>,
    /// Calldata.
    pub calldata: Vec<u8>,
}

/// The workload folder beside the checkout (`../shared/bench/workloads`).
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/workloads")
}

/// Parses an annotated hex file: `;` starts a comment, whitespace is ignored.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text
        .lines()
        .map(|line| line.split(';').next().unwrap_or(""))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    zkos_core::primitives::hex::decode(&digits).map_err(|e| format!("bad hex: {e}"))
}

fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes::<32>()
}

/// The calldata each workload is measured with (the conventions in the files' headers).
pub fn calldata_for(name: &str) -> Vec<u8> {
    match name {
        "arith_loop" => word(1_000_000).to_vec(),
        "keccak_loop" => [word(100_000), word(32)].concat(),
        "storage_loop" => word(10_000).to_vec(),
        // Benchmark() of the snailtracer contract.
        "snailtracer" => vec![0x30, 0x62, 0x7b, 0x7c],
        _ => Vec::new(),
    }
}

/// Loads every `*.hex` file of `dir`, sorted by name.
pub fn load(dir: &Path) -> Result<Vec<Workload>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "hex"))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let code = parse_hex(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let calldata = calldata_for(&name);
            Ok(Workload {
                name,
                code,
                calldata,
            })
        })
        .collect()
}

/// The pre-state a workload runs on: the contract and a funded caller.
pub fn pre_state(workload: &Workload) -> InMemoryState {
    let mut state = InMemoryState::new();
    state.set_account(CONTRACT, 1, U256::ZERO, workload.code.clone().into());
    state.set_account(
        CALLER,
        0,
        U256::from(10).pow(U256::from(30)),
        Default::default(),
    );
    state
}

/// The call transaction of a workload.
pub fn transaction(workload: &Workload) -> Transaction {
    let mut tx = Transaction::empty(2);
    tx.chain_id = Some(1);
    tx.gas_limit = GAS_LIMIT;
    tx.max_fee_per_gas = 1;
    tx.to = Some(CONTRACT);
    tx.data = workload.calldata.clone().into();
    tx
}

/// The block a workload runs in.
pub fn block() -> BlockEnv {
    BlockEnv {
        number: 1,
        timestamp: 1,
        gas_limit: GAS_LIMIT,
        ..BlockEnv::default()
    }
}

/// Runs `workload` once on a fresh state (Ethereum flow, native counted without a limit).
pub fn run_zkos(workload: &Workload) -> TxReceipt {
    let mut state = pre_state(workload);
    let config = ChainConfig::ethereum(1, Hardfork::Cancun);
    let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
    let mut io = Io::new(&mut state, costs);
    match execute_transaction(
        &mut io,
        &config,
        &block(),
        &transaction(workload),
        CALLER,
        &mut NoopTracer,
    ) {
        Ok(receipt) => receipt,
        Err(invalid) => panic!("workload {} rejected: {invalid:?}", workload.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload(name: &str) -> Workload {
        load(&default_dir())
            .expect("workloads present")
            .into_iter()
            .find(|w| w.name == name)
            .expect("named workload")
    }

    #[test]
    fn arith_loop_gas_matches_its_header() {
        // Header: 46 gas per iteration. Prologue PUSH1 PUSH1 CALLDATALOAD = 3+3+3, the last
        // iteration's JUMPI falls through (same cost), epilogue POP PUSH1 MSTORE(+3 memory)
        // PUSH1 PUSH1 RETURN = 2+3+3+3+3+3+0. Intrinsic: 21,000 plus calldata 0x..03e8:
        // 30 zero bytes × 4 + 2 non-zero × 16 = 152.
        let mut w = workload("arith_loop");
        w.calldata = word(1000).to_vec();
        let receipt = run_zkos(&w);
        assert!(receipt.success);
        let expected = 21_000 + 30 * 4 + 2 * 16 + 9 + 46 * 1000 + 17;
        assert_eq!(receipt.gas_used, expected);
        // acc = acc*3+7 a thousand times from 1, modulo 2^256.
        let mut acc = U256::from(1);
        for _ in 0..1000 {
            acc = acc * U256::from(3) + U256::from(7);
        }
        assert_eq!(receipt.output.as_ref(), acc.to_be_bytes::<32>().as_slice());
    }

    #[test]
    fn storage_loop_returns_n() {
        let mut w = workload("storage_loop");
        w.calldata = word(10).to_vec();
        let receipt = run_zkos(&w);
        assert!(receipt.success, "{receipt:?}");
        assert_eq!(receipt.output.as_ref(), word(10).as_slice());
    }
}
