//! What a contract makes the prover hash and analyse when it deploys code is charged: a
//! `CREATE2` factory's native grows with the size of the code it deploys by at least the keccak,
//! jumpdest analysis and blake2s of each deployed code (protocol version 1's figures).

use super::harness::{Call, TARGET};
use crate::bytecode::preimage::{artifacts_len_v1, padding_len_bytes};
use crate::config::ProtocolVersion;
use crate::ee::evm::frame::create2_address;
use crate::ee::evm::FrameEnd;
use crate::primitives::{keccak256, B256, U256};
use crate::resources::native::NativeCostTable;

/// Deployments the factory makes.
const DEPLOYMENTS: u8 = 3;

/// A factory that deploys `code_len` zero bytes `DEPLOYMENTS` times with `CREATE2` (salts
/// `DEPLOYMENTS` down to 1). The init code `PUSH2 code_len PUSH1 0 RETURN` is stored at memory
/// 26..32 (`PUSH6 init PUSH1 0 MSTORE`); the loop (from 12) is `JUMPDEST DUP1 PUSH1 6 PUSH1 26
/// PUSH1 0 CREATE2 POP PUSH1 1 SWAP1 SUB DUP1 PUSH1 12 JUMPI STOP`.
fn factory(code_len: u16) -> alloc::vec::Vec<u8> {
    let [high, low] = code_len.to_be_bytes();
    let mut code = alloc::vec![0x65, 0x61, high, low, 0x60, 0x00, 0xf3];
    code.extend_from_slice(&[0x60, 0x00, 0x52, 0x60, DEPLOYMENTS, 0x5b]);
    code.extend_from_slice(&[0x80, 0x60, 6, 0x60, 26, 0x60, 0, 0xf5, 0x50]);
    code.extend_from_slice(&[0x60, 1, 0x90, 0x03, 0x80, 0x60, 12, 0x57, 0x00]);
    code
}

fn factory_native(code_len: u16) -> u64 {
    let mut call = Call::to_code(&factory(code_len));
    call.gas = 30_000_000;
    let mut out = call.run();
    assert!(matches!(out.outcome.end, FrameEnd::Success(_)));
    let [high, low] = code_len.to_be_bytes();
    let init_hash = keccak256(&[0x61, high, low, 0x60, 0x00, 0xf3]);
    for salt in 1..=DEPLOYMENTS {
        let address = create2_address(&TARGET, &B256::from(U256::from(salt)), &init_hash);
        assert_eq!(out.io.account(&address).code.len(), usize::from(code_len));
    }
    out.native_used
}

/// What deploying `len` bytes computes under protocol version 1: keccak of the code, its
/// analysis and blake2s of its preimage (code, padding, bitmap).
fn deployment_work_native(len: usize) -> u64 {
    let costs = NativeCostTable::for_version(ProtocolVersion::V1);
    let preimage = (len + padding_len_bytes(len) + artifacts_len_v1(len)) as u64;
    costs.keccak_native(len as u64)
        + costs.bytecode_analysis_byte_native * len as u64
        + costs.blake2s_native(preimage)
}

#[test]
fn create2_factory_pays_for_hashing_what_it_deploys() {
    let (small, large) = (1_024u16, 8_192u16);
    let grown = factory_native(large) - factory_native(small);
    let work = deployment_work_native(large.into()) - deployment_work_native(small.into());
    // 8 KiB: keccak 2,500 + 61 rounds × 17,500, analysis 6 × 8,192, blake2s of 9,216 bytes
    // 800 + 144 × 340; 1 KiB: 2,500 + 8 × 17,500, 6 × 1,024, 800 + 18 × 340.
    assert_eq!(
        work,
        (1_070_000 + 49_152 + 49_760) - (142_500 + 6_144 + 6_920)
    );
    assert!(
        grown >= u64::from(DEPLOYMENTS) * work,
        "native grew by {grown}, the prover's extra hashing is {}",
        u64::from(DEPLOYMENTS) * work
    );
}
