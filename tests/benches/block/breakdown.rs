//! Where a forward block's time goes: the forward driver's pipeline (`zkos_core::driver`'s
//! `run_block_forward` without a recorder) re-run step by step through the same public
//! functions, with the thread's CPU clock read between the steps and between each transaction's bootloader phases.
//! The harness checks that it produced exactly the block `run_block_forward` produces.

use std::rc::Rc;
use std::time::Duration;
use zkos_core::bootloader::{BlockBuilder, DecodedTx, TxPhase};
use zkos_core::commitment::block_commitments;
use zkos_core::config::ChainConfig;
use zkos_core::context::BlockContext;
use zkos_core::crypto::secp256k1::recover_addresses;
use zkos_core::driver::ProvenBlock;
use zkos_core::io::Io;
use zkos_core::oracle::{ForwardOracle, Oracle, ProvingSource};
use zkos_core::primitives::{Address, Bytes, B256, U256};
use zkos_core::resources::native::NativeCostTable;
use zkos_core::state::pubdata::{encode_block_pubdata, BlockPubdataInput};
use zkos_core::state::world::{tree_changes, AccountState, WorldState};
use zkos_core::tx::{self, Transaction};

use super::clock::thread_cpu_time;

/// The timed steps of one forward block, in pipeline order.
pub const PHASES: [&str; 14] = [
    "RLP decode",
    "signing hash (RLP re-encode + keccak)",
    "ECDSA recovery (the block's senders together) + address keccak",
    "tx hash (keccak of the envelope)",
    "block start (system calls)",
    "validation (block room, intrinsic, nonce, balance, fee checks)",
    "fee charge + top-level frame entry",
    "execution (EVM; value transfer; their state reads/writes, journal)",
    "pubdata charge (net diff measured)",
    "refund, fees to coinbase, receipt, rolling hashes",
    "net changes (account records, flat keys, preimages, state diffs)",
    "tree update (Blake2s paths)",
    "header, pubdata, public inputs (all commitments)",
    "of which pubdata encoding",
];

/// One block's time per phase (same order as [`PHASES`]).
pub type Breakdown = [Duration; PHASES.len()];

/// Runs the block forward over a copy of `world`, timing each phase; panics unless the result
/// equals `expected` (the same block through `run_block_forward`).
pub fn forward_breakdown(
    world: &WorldState,
    config: &ChainConfig,
    context: &BlockContext,
    encoded: &[Bytes],
    expected: &ProvenBlock,
) -> Breakdown {
    let mut times = [Duration::ZERO; PHASES.len()];
    let mut world = world.clone();
    let mut lap = Lap::new();

    let txs: Vec<Transaction> = encoded
        .iter()
        .map(|bytes| tx::decode(bytes).expect("decodes"))
        .collect();
    times[0] = lap.take();
    let prehashes: Vec<B256> = txs
        .iter()
        .map(|tx| tx.signing_hash().expect("hashable"))
        .collect();
    times[1] = lap.take();
    // The forward driver recovers a block's senders together.
    let signatures: Vec<(B256, B256, B256, bool)> = txs
        .iter()
        .zip(&prehashes)
        .map(|(tx, prehash)| {
            let signature = tx.signature.expect("signed");
            (
                *prehash,
                B256::from(signature.r),
                B256::from(signature.s),
                signature.y_parity,
            )
        })
        .collect();
    let senders: Vec<Address> = recover_addresses(&signatures)
        .into_iter()
        .map(|sender| sender.expect("recovers"))
        .collect();
    times[2] = lap.take();
    let hashes: Vec<B256> = encoded
        .iter()
        .map(|bytes| tx::envelope_hash(bytes))
        .collect();
    times[3] = lap.take();
    let decoded: Vec<DecodedTx> = txs
        .into_iter()
        .zip(senders)
        .zip(hashes)
        .map(|((tx, sender), hash)| DecodedTx {
            hash,
            ..DecodedTx::recovered(tx, sender)
        })
        .collect();
    for (decoded, bytes) in decoded.iter().zip(encoded) {
        assert_eq!(Ok(decoded), DecodedTx::from_envelope(bytes).as_ref());
    }

    let mut source = ProvingSource::new(ForwardOracle::new(
        &world,
        context.clone(),
        encoded.to_vec(),
    ));
    let input = source.oracle_mut().block_input().expect("block input");
    while source
        .oracle_mut()
        .next_transaction()
        .expect("transactions")
        .is_some()
    {}
    let costs = Rc::new(NativeCostTable::for_version(config.protocol_version));
    let mut io = Io::new(&mut source, costs);
    let mut builder = BlockBuilder::new(config);
    lap.take();
    assert!(builder.begin(&mut io, context), "the block starts");
    times[4] = lap.take();
    for tx in decoded {
        let mut execution = builder
            .start(&mut io, context, tx)
            .expect("every transaction is valid");
        times[5] += lap.take();
        for (slot, phase) in [
            (6, TxPhase::FeeCharge),
            (7, TxPhase::Execution),
            (8, TxPhase::Pubdata),
        ] {
            assert_eq!(execution.phase(), phase);
            execution.advance(&mut io);
            times[slot] += lap.take();
        }
        builder.end(&mut io, context, Ok(execution));
        times[9] += lap.take();
    }
    let output = builder.into_output();

    let accounts: Vec<(Address, Option<AccountState>)> = io
        .accounts()
        .filter(|(_, account)| account.changed_in_block())
        .map(|(address, account)| {
            let state = account.exists.then(|| AccountState {
                nonce: account.nonce,
                balance: account.balance,
                code: Bytes::copy_from_slice(account.code.bytes()),
                code_hash: account.record_code_hash(),
            });
            (*address, state)
        })
        .collect();
    let storage: Vec<(Address, U256, U256, U256)> = io.storage_diffs().collect();
    drop(io);
    let changes = tree_changes(&accounts, &storage, &mut |address| {
        source.initial_account(address)
    })
    .expect("tree changes");
    drop(source);
    times[10] = lap.take();
    let new_state = world.apply_tree_changes(&changes).expect("tree update");
    times[11] = lap.take();
    let commitments = block_commitments(
        config,
        context,
        &output,
        &changes,
        input.previous_state,
        input.previous_timestamp,
        new_state,
    )
    .expect("commitments");
    times[12] = lap.take();
    let pubdata = encode_block_pubdata(&BlockPubdataInput {
        block_hash: commitments.block_hash,
        timestamp: context.timestamp,
        state_diffs: changes.state_diffs.clone(),
        l2_to_l1_logs: output.logs.clone(),
        messages: output.messages.iter().map(|m| m.data.clone()).collect(),
    })
    .expect("pubdata");
    times[13] = lap.take();

    assert_eq!(pubdata, commitments.pubdata);
    assert_eq!(&output, &expected.output);
    assert_eq!(&commitments, &expected.commitments);
    times
}

/// Per phase, the median over `runs`.
pub fn median_breakdown(runs: &[Breakdown]) -> Breakdown {
    std::array::from_fn(|phase| {
        let mut samples: Vec<Duration> = runs.iter().map(|run| run[phase]).collect();
        samples.sort();
        samples[samples.len() / 2]
    })
}

/// Thread CPU time since the last lap.
struct Lap(Duration);

impl Lap {
    fn new() -> Self {
        Self(thread_cpu_time())
    }

    fn take(&mut self) -> Duration {
        let now = thread_cpu_time();
        let elapsed = now - self.0;
        self.0 = now;
        elapsed
    }
}
