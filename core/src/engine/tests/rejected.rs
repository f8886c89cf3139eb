//! A transaction rejected after it ran (over the block's pubdata limit) leaves no trace in what
//! the block's other transactions pay under protocol version 1: its receipt, a trace of it and
//! the same transaction in a block without the rejected one agree on native. Protocol version
//! 2 keeps what the rejected transaction cached, as upstream ZKsync OS does (the oracle
//! differential's `rejected-then-valid` case checks the figures), so a trace replays the
//! rejected transaction too and agrees with the receipt.

use super::*;
use crate::config::ProtocolVersion;

/// Reads slots 0 and 1 and the balance of [`OTHER`] without calldata; with calldata, writes 1
/// to both slots and reads the balance:
/// `CALLDATASIZE PUSH1 36 JUMPI` (to the writer),
/// `PUSH1 0 SLOAD POP PUSH1 1 SLOAD POP PUSH20 OTHER BALANCE POP STOP`,
/// `JUMPDEST PUSH1 1 PUSH1 0 SSTORE PUSH1 1 PUSH1 1 SSTORE PUSH20 OTHER BALANCE POP STOP`.
fn reader_writer() -> Bytes {
    let mut code = hex!("36602457 6000545060015450 73").to_vec();
    code.extend_from_slice(OTHER.as_slice());
    code.extend_from_slice(&hex!("315000 5b 6001600055 6001600155 73"));
    code.extend_from_slice(OTHER.as_slice());
    code.extend_from_slice(&hex!("315000"));
    assert_eq!(code[36], 0x5b, "the writer starts at 36");
    Bytes::from(code)
}

/// A block pubdata limit that the sender's call of the reader stays within and the writer's
/// exceeds (version 1 publishes a little more for the reader than version 2's 78 bytes, the
/// writer 146 under version 2).
fn pubdata_limit_bytes(version: ProtocolVersion) -> u64 {
    match version {
        ProtocolVersion::V1 => 150,
        ProtocolVersion::V2 => 100,
    }
}

fn engine_at(version: ProtocolVersion) -> Engine {
    let fees = FeeParams {
        pubdata_limit: pubdata_limit_bytes(version),
        ..FeeParams::default()
    };
    let mut engine = Engine::with_fees(ChainConfig::zk_at(1, version), fees);
    for (address, input) in [
        (
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        ),
        (
            CONTRACT,
            AccountInput {
                nonce: 1,
                code: reader_writer(),
                ..Default::default()
            },
        ),
        (
            OTHER,
            AccountInput {
                balance: U256::from(5u64),
                ..Default::default()
            },
        ),
    ] {
        engine.set_account(address, input).expect("stored");
    }
    engine
}

/// Native of the reader's transaction: in its receipt, in a trace of it, and alone in a block.
fn reader_native(version: ProtocolVersion) -> (u64, u64, u64) {
    let writer = BlockTx::Raw(signed_raw(0, Some(CONTRACT), 500_000, &[1]));
    let reader = BlockTx::Raw(signed_raw(0, Some(CONTRACT), 500_000, &[]));
    let mut engine = engine_at(version);
    let report = engine
        .run_block(&[writer, reader.clone()], None)
        .expect("block");
    assert_eq!(
        report.rejected.len(),
        1,
        "the writer is over the pubdata limit"
    );
    assert_eq!(report.rejected[0].position, 0);
    let receipt = &report.receipts[0];
    let traced = engine
        .trace_transaction(
            &receipt.tx_hash,
            TracerConfig::OpcodeStats,
            TraceBudget::default(),
        )
        .expect("trace");
    let mut alone = engine_at(version);
    let report_alone = alone.run_block(&[reader], None).expect("block");
    (
        receipt.native_used,
        traced.native_used,
        report_alone.receipts[0].native_used,
    )
}

#[test]
fn v1_rejected_transaction_leaves_the_caches_as_it_found_them() {
    let (receipt, traced, alone) = reader_native(ProtocolVersion::V1);
    assert_eq!(receipt, alone);
    assert_eq!(traced, receipt);
}

#[test]
fn v2_rejected_transaction_keeps_its_cache_warming_as_upstream() {
    // Upstream materialises the slots and the account for good: the reader pays less after the
    // rejected writer than alone, and a trace of it replays the rejected writer too.
    let (receipt, traced, alone) = reader_native(ProtocolVersion::V2);
    assert!(receipt < alone, "{receipt} < {alone}");
    assert_eq!(traced, receipt, "the trace agrees with the receipt");
}
