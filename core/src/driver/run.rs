//! The block run both drivers share: the block's input and transactions read from an oracle,
//! `run_block` over a [`ProvingSource`], and the block's net changes in tree form.

use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::bootloader::{decode_envelope, BlockOutput, BlockRun, RecoveredSenders};
use crate::commitment::{block_commitments, BlockCommitments};
use crate::config::ChainConfig;
use crate::ee::evm::NoopTracer;
use crate::io::Io;
use crate::oracle::{BlockInput, Oracle, ProvingError, ProvingSource};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::blob_schedule::BlobSchedules;
use crate::resources::native::NativeCostTable;
use crate::state::tree::StateCommitment;
use crate::state::world::{tree_changes, AccountState, TreeChanges};

/// A block's execution output and its commitments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenBlock {
    /// Receipts, logs and totals from the block loop.
    pub output: BlockOutput,
    /// Header, pubdata, chain states and public inputs.
    pub commitments: BlockCommitments,
}

/// A block run up to its net changes.
pub(super) struct ExecutedBlock {
    /// What the block started from.
    pub(super) input: BlockInput,
    /// What the block loop produced.
    pub(super) output: BlockOutput,
    /// The net changes in tree form.
    pub(super) changes: TreeChanges,
}

/// Reads the block from `oracle`, runs it over a [`ProvingSource`] and collects the net
/// changes; with `verify`, proves the reads and applies the writes to the previous commitment.
/// With `senders` (forward mode), a signed transaction whose bytes are in them takes the sender
/// recovered there and the others are recovered together before the block runs; without
/// (proving), each is recovered at its turn.
pub(super) fn execute<O: Oracle>(
    config: &ChainConfig,
    oracle: O,
    verify: bool,
    senders: Option<&RecoveredSenders>,
) -> Result<(ExecutedBlock, Option<StateCommitment>, O), ProvingError> {
    let mut source = ProvingSource::new(oracle);
    let input = source
        .oracle_mut()
        .block_input()
        .map_err(ProvingError::Oracle)?;
    if input.context.timestamp < input.previous_timestamp {
        return Err(ProvingError::TimestampDecreasing {
            previous: input.previous_timestamp,
            current: input.context.timestamp,
        });
    }
    let mut txs: Vec<Bytes> = Vec::new();
    while let Some(tx) = source
        .oracle_mut()
        .next_transaction()
        .map_err(ProvingError::Oracle)?
    {
        txs.push(tx);
    }
    let costs = Rc::new(NativeCostTable::for_version(config.protocol_version));
    let mut io = Io::new(&mut source, costs);
    // The block's blob limit is its chain's at its timestamp (a known network's
    // blob-parameter-only forks, EIP-7892), as an engine forking that chain mines it.
    let max_blob_gas = BlobSchedules::of_network(config.chain_id)
        .at(config.hardfork, input.context.timestamp)
        .max_blob_gas();
    // Forward mode recovers the block's senders together; proving (the guest) one at a time,
    // at each transaction's turn.
    let mut run = match senders {
        Some(senders) => {
            BlockRun::new(config, senders.decode_all(txs.iter().map(|tx| tx.as_ref())))
        }
        None => BlockRun::new(config, txs.iter().map(|tx| decode_envelope(tx))),
    }
    .with_max_blob_gas(max_blob_gas);
    run.resume(&mut io, &input.context, &mut NoopTracer, u64::MAX);
    let output = run.into_output();
    if io.curves_refused() {
        return Err(ProvingError::CurvesNotLoaded);
    }
    // Accounts only read need no write (their records stay as they are), and the code of a
    // changed one comes with its known hash: nothing is hashed here that no one paid for.
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
    if let Some(error) = source.error() {
        return Err(error.clone());
    }
    let changes = tree_changes(&accounts, &storage, &mut |address| {
        source.initial_account(address)
    })
    .map_err(ProvingError::Account)?;
    let new_state = if verify {
        Some(source.verify_and_apply(&input.previous_state, &changes.writes)?)
    } else {
        None
    };
    source.oracle_mut().finish().map_err(ProvingError::Oracle)?;
    let executed = ExecutedBlock {
        input,
        output,
        changes,
    };
    Ok((executed, new_state, source.into_oracle()))
}

impl ExecutedBlock {
    /// The block's output with its commitments, given the state it leaves.
    pub(super) fn prove(
        self,
        config: &ChainConfig,
        new_state: StateCommitment,
    ) -> Result<ProvenBlock, ProvingError> {
        let commitments = block_commitments(
            config,
            &self.input.context,
            &self.output,
            &self.changes,
            self.input.previous_state,
            self.input.previous_timestamp,
            new_state,
        )?;
        Ok(ProvenBlock {
            output: self.output,
            commitments,
        })
    }
}
