//! Whole-transaction calibration: per kind of transaction, the native its receipt charges
//! against the effective cycles it adds to a proved block in the guest.
//!
//! Each kind is measured at the margin on the same prepared state: the next block proved with
//! the transaction minus the same block proved empty. Everything the transaction makes the guest
//! do is in the difference (signature recovery, execution, the Merkle proofs of what it reads
//! and writes, its pubdata and its part of the commitments); what a block costs with no
//! transaction at all is the empty block, charged to nobody.

use super::blocks::{self, Sender, BOB, ETHER_WEI, FORWARDER, MESSAGE};
use super::emulator::{Emulator, Run, DELEGATION_WEIGHTS};
use super::{guest, uniswap};
use crate::oracle_diff::contracts;
use zkos_core::driver::{run_block_forward, ProvenBlock};
use zkos_core::ee::evm::frame::create_address;
use zkos_core::primitives::{Bytes, B256, U256};
use zkos_core::state::world::WorldState;

/// Gas limit of the measured deployment (the Token's creation takes about 0.5 M).
const DEPLOY_GAS_LIMIT: u64 = 2_000_000;
/// Token units the measured ERC-20 transfer moves.
const TOKEN_TRANSFER_UNITS: u64 = 1_000;
/// Wei the measured deposit brings.
const DEPOSIT_WEI: u64 = 5_000;
/// Charged above this many times the effective cycles, a row is loose.
const LOOSE_FACTOR: u64 = 3;

/// Why a transaction kind could not be measured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxMeasureError {
    /// The forward run of a block failed.
    Forward(String, String),
    /// A set-up or measured transaction was not included or did not succeed.
    Failed(String),
    /// The guest did not prove a block to the forward run's public inputs.
    Prove(String, String),
}

/// A proved block: its forward result and the guest run that proved it.
pub struct ProvedBlock {
    /// The forward run's output and commitments.
    pub block: ProvenBlock,
    /// The guest's PROVE run.
    pub run: Run,
}

impl ProvedBlock {
    /// Computational native charged to the block's included transactions.
    pub fn charged(&self) -> u64 {
        self.block
            .output
            .results
            .iter()
            .filter_map(|result| result.outcome.as_ref().ok())
            .map(|receipt| receipt.computational_native_used)
            .sum()
    }

    /// Effective cycles of the block not covered by what its transactions were charged.
    pub fn uncharged(&self) -> i64 {
        self.run.effective_cycles() as i64 - self.charged() as i64
    }
}

/// One measured kind of transaction.
pub struct TxRow {
    /// What the transaction does.
    pub name: String,
    /// Computational native its receipt charges (what stands for proving cost).
    pub charged: u64,
    /// Native its receipt charges in total (pubdata included).
    pub native_total: u64,
    /// Instructions it adds to the proved block.
    pub instructions: i64,
    /// Delegations of each kind ([`DELEGATION_WEIGHTS`] order) it adds.
    pub delegations: Vec<i64>,
    /// Effective cycles it adds (instructions plus weighted delegations).
    pub effective: i64,
    /// Why the charge is loose, for kinds known to be.
    pub loose_reason: &'static str,
    /// The block with the transaction.
    pub with: ProvedBlock,
}

impl TxRow {
    /// Whether the receipt charges less than the cycles the transaction adds.
    pub fn under_charged(&self) -> bool {
        (self.charged as i64) < self.effective
    }

    /// `UNDER`, `loose >3×: reason` or empty.
    pub fn verdict(&self) -> String {
        if self.under_charged() {
            "UNDER".into()
        } else if self.charged as i64 > LOOSE_FACTOR as i64 * self.effective {
            format!("loose >{LOOSE_FACTOR}×: {}", self.loose_reason)
        } else {
            String::new()
        }
    }
}

/// The prepared state every kind is measured on.
struct Base {
    world: WorldState,
    hashes: Vec<B256>,
    sender: Sender,
}

impl Base {
    fn number(&self) -> u64 {
        self.hashes.len() as u64
    }

    /// Runs `txs` forward as the next block on a copy of the state and proves it in the guest.
    fn prove(
        &self,
        emulator: &Emulator,
        name: &str,
        txs: Vec<Bytes>,
    ) -> Result<ProvedBlock, TxMeasureError> {
        let mut world = self.world.clone();
        let mut words = Vec::new();
        let block = run_block_forward(
            &mut world,
            &blocks::config(),
            blocks::context(self.number(), &self.hashes),
            txs,
            Some(&mut words),
        )
        .map_err(|e| TxMeasureError::Forward(name.into(), format!("{e:?}")))?;
        let input = guest::prove_input(&blocks::config(), &words);
        let run = emulator
            .run(&input, guest::MAX_STEPS)
            .map_err(|e| TxMeasureError::Prove(name.into(), format!("{e:?}")))?;
        if run.exit_code != guest::EXIT_OK || run.output != guest::public_inputs(&block) {
            return Err(TxMeasureError::Prove(
                name.into(),
                format!("exit {}, output differs", run.exit_code),
            ));
        }
        Ok(ProvedBlock { block, run })
    }

    /// Runs `tx` forward as a block of its own and keeps the state; fails unless it succeeds.
    fn advance(&mut self, tx: Bytes) -> Result<(), TxMeasureError> {
        let context = blocks::context(self.number(), &self.hashes);
        let block = run_block_forward(&mut self.world, &blocks::config(), context, vec![tx], None)
            .map_err(|e| TxMeasureError::Forward("set-up".into(), format!("{e:?}")))?;
        succeeded(&block, "set-up")?;
        self.hashes.push(block.commitments.block_hash);
        Ok(())
    }
}

fn succeeded(block: &ProvenBlock, name: &str) -> Result<(), TxMeasureError> {
    let ok = block
        .output
        .results
        .iter()
        .all(|result| matches!(&result.outcome, Ok(receipt) if receipt.success));
    if ok {
        Ok(())
    } else {
        Err(TxMeasureError::Failed(name.into()))
    }
}

/// The kinds measured: name, transaction, and the reason a loose charge is expected.
type Kind = (String, Bytes, &'static str);

/// Genesis, the Token deployed, and Uniswap set up when its builds are installed (else the
/// reason it is left out). Returns the state and the kinds to measure on it.
fn prepare() -> Result<(Base, Vec<Kind>, Option<String>), TxMeasureError> {
    let token =
        contracts::token().map_err(|e| TxMeasureError::Forward("Token fixture".into(), e))?;
    let mut sender = Sender::new();
    let mut base = Base {
        world: blocks::genesis(sender.address),
        hashes: vec![B256::repeat_byte(0x42)],
        sender: sender.clone(),
    };
    let token_address = create_address(&sender.address, sender.nonce());
    base.advance(sender.tx_with_gas(DEPLOY_GAS_LIMIT, None, 0, &token.initcode))?;
    let (swap, skipped) = match uniswap::plan(&mut sender, BOB) {
        Ok(plan) => {
            for tx in plan.setup {
                base.advance(tx)?;
            }
            (Some(plan.swap), None)
        }
        Err(reason) => (None, Some(reason)),
    };
    base.sender = sender;
    let mut kinds: Vec<Kind> = Vec::new();
    let sign = |to, value, data: &[u8], gas| base.sender.clone().tx_with_gas(gas, to, value, data);
    kinds.push((
        "ETH transfer".into(),
        sign(Some(BOB), ETHER_WEI, &[], blocks::TX_GAS_LIMIT),
        "",
    ));
    kinds.push((
        "ERC-20 transfer (Token.sol)".into(),
        sign(
            Some(token_address),
            0,
            &contracts::transfer_call(&BOB, U256::from(TOKEN_TRANSFER_UNITS)),
            blocks::TX_GAS_LIMIT,
        ),
        "",
    ));
    kinds.push((
        "deployment (Token.sol)".into(),
        sign(None, 0, &token.initcode, DEPLOY_GAS_LIMIT),
        "",
    ));
    kinds.push((
        "L2→L1 message".into(),
        sign(
            Some(FORWARDER),
            0,
            &blocks::send_to_l1(MESSAGE),
            blocks::TX_GAS_LIMIT,
        ),
        "",
    ));
    // Protocol version 1's L1 intrinsic native (2,875,420, `flow/zk/rules.rs`) prices upstream's
    // asset-tracker and treasury notifications, which this flow does not run.
    let deposit_reason = "the L1 intrinsic native prices upstream's asset-tracker calls";
    kinds.push((
        "L1→L2 deposit".into(),
        blocks::deposit(DEPOSIT_WEI),
        deposit_reason,
    ));
    if let Some(swap) = swap {
        kinds.push(("Uniswap V2 swap (router, 2 tokens)".into(), swap, ""));
    }
    Ok((base, kinds, skipped))
}

/// Every kind measured, the empty block they are measured against, and why Uniswap is left
/// out, if it is.
pub struct TxCalibration {
    /// One row per kind.
    pub rows: Vec<TxRow>,
    /// The empty block on the prepared state.
    pub empty: ProvedBlock,
    /// Why the swap row is missing.
    pub skipped: Option<String>,
}

/// Measures every kind of transaction at the margin.
pub fn measure(emulator: &Emulator) -> Result<TxCalibration, TxMeasureError> {
    let (base, kinds, skipped) = prepare()?;
    let empty = base.prove(emulator, "empty block", Vec::new())?;
    let mut rows = Vec::new();
    for (name, tx, loose_reason) in kinds {
        let with = base.prove(emulator, &name, vec![tx])?;
        succeeded(&with.block, &name)?;
        let receipt = match with.block.output.results.first().map(|r| &r.outcome) {
            Some(Ok(receipt)) => receipt.clone(),
            _ => return Err(TxMeasureError::Failed(name)),
        };
        let margin = |count: fn(&Run) -> u64| count(&with.run) as i64 - count(&empty.run) as i64;
        rows.push(TxRow {
            charged: receipt.computational_native_used,
            native_total: receipt.native_used,
            instructions: margin(|run| run.instructions),
            delegations: DELEGATION_WEIGHTS
                .iter()
                .map(|weight| margin(weight.count))
                .collect(),
            effective: margin(Run::effective_cycles),
            loose_reason,
            name,
            with,
        });
    }
    Ok(TxCalibration {
        rows,
        empty,
        skipped,
    })
}
