//! Blob transactions in the Ethereum flow across forks: the per-transaction cap of EIP-7594 and
//! the excess blob gas each block hands to the next (EIP-4844, bounded from Osaka by EIP-7918).

use super::*;
use crate::resources::blob::{blob_base_fee, BlobSchedule};
use crate::resources::blob_schedule::BlobSchedules;
use crate::resources::gas::GAS_PER_BLOB;
use alloc::vec;

fn blob_engine(hardfork: Hardfork) -> Engine {
    funded_engine(hardfork)
}

/// A signed EIP-4844 transfer to [`OTHER`] carrying `blobs` blobs.
fn blob_tx(nonce: u64, blobs: usize) -> BlockTx {
    let mut tx = Transaction::empty(crate::tx::EIP4844_TX_TYPE);
    tx.chain_id = Some(1);
    tx.nonce = nonce;
    tx.gas_limit = 21_000;
    tx.max_fee_per_gas = 2_000;
    tx.max_priority_fee_per_gas = 10;
    tx.to = Some(OTHER);
    tx.max_fee_per_blob_gas = 10;
    tx.blob_versioned_hashes = (0..blobs)
        .map(|i| {
            let mut hash = B256::repeat_byte(i as u8);
            hash.0[0] = 0x01;
            hash
        })
        .collect();
    sign(&mut tx);
    BlockTx::Raw(crate::tx::encode(&tx).expect("encodes").into())
}

#[test]
fn osaka_caps_blobs_per_transaction_at_six() {
    // EIP-7594: MAX_BLOBS_PER_TX = 6; Prague allows up to the block's 9.
    let mut osaka = blob_engine(Hardfork::Osaka);
    let report = osaka
        .run_block(&[blob_tx(0, 7), blob_tx(0, 6)], None)
        .expect("block");
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].error.reason(), Some("TooManyBlobs"));
    assert_eq!(report.receipts.len(), 1);
    let mut prague = blob_engine(Hardfork::Prague);
    let report = prague.run_block(&[blob_tx(0, 7)], None).expect("block");
    assert!(report.rejected.is_empty());
    assert_eq!(report.header.blob_gas_used, 7 * GAS_PER_BLOB);
}

#[test]
fn excess_blob_gas_follows_the_fork_rules() {
    // Six blobs at the engine's base fee of 1,000 wei. Prague's target is six: the excess stays
    // zero. In Osaka a blob at 1 wei per blob gas (2^17 wei) costs less than its reserve price
    // of 2^13 gas × 1,000 wei, so the excess grows by 6 × (9 − 6) / 9 = 2 blobs (EIP-7918).
    let mut prague = blob_engine(Hardfork::Prague);
    prague.run_block(&[blob_tx(0, 6)], None).expect("block 1");
    prague.run_block(&[], None).expect("block 2");
    assert_eq!(prague.head().excess_blob_gas, 0);
    let mut osaka = blob_engine(Hardfork::Osaka);
    osaka
        .set_account(
            BLOB_BASE_FEE_READER,
            AccountInput {
                code: Bytes::copy_from_slice(&READ_BLOB_BASE_FEE),
                ..Default::default()
            },
        )
        .expect("stored");
    osaka.run_block(&[blob_tx(0, 6)], None).expect("block 1");
    assert_eq!(osaka.head().excess_blob_gas, 0);
    assert_eq!(osaka.head().blob_gas_used, 6 * GAS_PER_BLOB);
    for nonce in 1..15 {
        osaka.run_block(&[blob_tx(nonce, 6)], None).expect("block");
    }
    // Block 15's excess: 2 blobs for each of blocks 1 to 14.
    assert_eq!(osaka.head().excess_blob_gas, 28 * GAS_PER_BLOB);
    // The next block's is 30 blobs: e^(30 × 2^17 / 5,007,716) = e^0.785 = 2.19, so 2 wei.
    let fee = osaka
        .call(
            &call_to(BLOB_BASE_FEE_READER, None),
            &StateOverride::new(),
            None,
        )
        .expect("call")
        .output;
    assert_eq!(U256::from_be_slice(&fee), U256::from(2u64));
    assert_eq!(
        blob_base_fee(30 * GAS_PER_BLOB, &BlobSchedule::of(Hardfork::Osaka)),
        U256::from(2u64)
    );
}

#[test]
fn a_blob_parameter_only_fork_sets_the_block_blob_limit() {
    // BPO2 (EIP-8135) from the start: 21 blobs a block. Three transactions of 6 blobs fit, a
    // fourth (24 > 21) does not; under Osaka's own schedule (9) only the first fits.
    let bpo2 = BlobSchedule {
        target: 14,
        max: 21,
        update_fraction: 11_684_671,
    };
    let txs = [blob_tx(0, 6), blob_tx(1, 6), blob_tx(2, 6), blob_tx(3, 6)];
    let mut engine = blob_engine(Hardfork::Osaka);
    engine.set_blob_schedules(BlobSchedules::new([None; 3], vec![(0, bpo2)]).expect("valid"));
    let report = engine.run_block(&txs, None).expect("block");
    assert_eq!(report.receipts.len(), 3);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        report.rejected[0].error.reason(),
        Some("BlockBlobGasLimitReached")
    );
    assert_eq!(report.header.blob_gas_used, 18 * GAS_PER_BLOB);
    let mut osaka = blob_engine(Hardfork::Osaka);
    let report = osaka.run_block(&txs[..2], None).expect("block");
    assert_eq!(report.receipts.len(), 1);
    assert_eq!(report.header.blob_gas_used, 6 * GAS_PER_BLOB);
}

/// Returns `BLOBBASEFEE`: `BLOBBASEFEE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`.
const READ_BLOB_BASE_FEE: [u8; 9] = hex!("4a60005260206000f3");
const BLOB_BASE_FEE_READER: Address = address!("00000000000000000000000000000000000b10bf");
