//! Full blocks: 16 to 48 transactions from one or two senders, as a busy wallet or a bot sends
//! them (nonces in a chain with gaps, replays and a pair that arrives swapped), writing fresh
//! slots, paying new accounts, moving tokens and deploying small contracts, in a block whose
//! pubdata limit, gas limit or both run out part way, so later transactions are refused for the
//! block's limit while smaller ones after them may still fit.

use super::case::CaseTx;
use super::contracts;
use super::generate::{at, Builder, Draft};
use alloy_primitives::U256;

/// Fewest and most transactions of a full block.
const TXS: (u64, u64) = (16, 48);
/// First slot the block's writers write (past the writer's existing slots).
const FRESH_SLOTS_FROM: u64 = 1_000;

/// How one transaction of the chain treats its sender's nonce.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nonce {
    /// The next nonce.
    Next,
    /// One past the next (refused: too high).
    Gap,
    /// The last nonce used again (refused: too low).
    Replay,
    /// The next nonce + 1 now and the next nonce right after: the first is refused, the
    /// second valid, and the chain goes on from there.
    Swapped,
}

impl Builder<'_> {
    /// A full block edge: its limits bent, then the chain of transactions.
    pub(super) fn fill_block(&mut self) -> Vec<CaseTx> {
        let limit = match self.rng.below(3) {
            0 => "pubdata",
            1 => "gas",
            _ => "both",
        };
        if limit != "gas" {
            self.params.pubdata_limit = self.rng.range(400, 6_000);
        }
        if limit != "pubdata" {
            self.params.gas_limit = self.rng.range(400_000, 4_000_000);
        }
        let count = self.rng.range(TXS.0, TXS.1);
        let senders: Vec<usize> = if self.rng.chance(50) {
            vec![self.rng.below(4) as usize]
        } else {
            vec![0, 1]
        };
        let mut txs = Vec::new();
        let mut next_slot = FRESH_SLOTS_FROM;
        while (txs.len() as u64) < count {
            let sender = self.rng.pick(&senders);
            let nonce = match self.rng.below(20) {
                0 => Nonce::Gap,
                1 if self.nonces[sender] > 0 => Nonce::Replay,
                2 => Nonce::Swapped,
                _ => Nonce::Next,
            };
            let label = format!("fill-{limit}");
            let next = self.nonces[sender];
            match nonce {
                Nonce::Next => {
                    let d = self.fill_draft(&label, &mut next_slot);
                    txs.push(self.finish(d, sender));
                }
                Nonce::Gap | Nonce::Replay => {
                    let (name, used) = if nonce == Nonce::Gap {
                        ("nonce-gap", next + 1)
                    } else {
                        ("nonce-replay", next - 1)
                    };
                    let mut d = self.fill_draft(&label, &mut next_slot);
                    d.kind = format!("{label}@invalid-{name}");
                    self.nonces[sender] = used;
                    txs.push(self.finish(d, sender));
                    self.nonces[sender] = next;
                }
                Nonce::Swapped => {
                    let mut ahead = self.fill_draft(&label, &mut next_slot);
                    ahead.kind = format!("{label}@invalid-nonce-swapped");
                    self.nonces[sender] = next + 1;
                    txs.push(self.finish(ahead, sender));
                    self.nonces[sender] = next;
                    let d = self.fill_draft(&label, &mut next_slot);
                    txs.push(self.finish(d, sender));
                }
            }
        }
        txs
    }

    /// One transaction of a full block: fresh slots, a new account, a token transfer or a
    /// small deployment.
    fn fill_draft(&mut self, label: &str, next_slot: &mut u64) -> Draft {
        match self.rng.below(4) {
            0 | 1 => {
                let slots = self.rng.range(1, 12);
                let start = *next_slot;
                *next_slot += slots;
                let value = self.rng.range(1, u64::MAX);
                Draft::call(
                    &format!("{label}@write-{slots}"),
                    at::STORAGE_WRITER,
                    contracts::words(&[start, slots, value]),
                )
                .costs(30_000 + 22_200 * slots, 800_000 * slots, 150 + 70 * slots)
            }
            2 => {
                let to = self.fresh_address();
                let mut d =
                    Draft::call(&format!("{label}@transfer-new"), to, Vec::new()).costs(0, 0, 120);
                d.value = U256::from(self.rng.range(1, 1_000_000));
                d
            }
            _ if self.rng.chance(50) => {
                let to = self.fresh_address();
                let amount = U256::from(self.rng.range(1, 1_000));
                Draft::call(
                    &format!("{label}@erc20-transfer"),
                    at::TOKEN,
                    contracts::transfer_call(&to, amount),
                )
                .costs(60_000, 3_000_000, 250)
            }
            _ => {
                let len = self.rng.range(1, 600) as usize;
                let mut runtime = self.rng.bytes(len);
                runtime[0] = 0;
                let mut d = Draft::call(
                    &format!("{label}@deploy"),
                    at::TOKEN,
                    contracts::deployer(&runtime),
                )
                .costs(
                    40_000 + 220 * len as u64,
                    6_000_000 + 400 * len as u64,
                    300 + len as u64,
                );
                d.to = None;
                d
            }
        }
    }
}
