//! Blocks at the edge of the block's fixed capacities: its computational native (2^35) and its
//! L2→L1 logs (16,384). Loops of empty bn254 pairings or of empty `sendToL1` messages fill the
//! block transaction by transaction until zkos refuses one for the block's limit; that one is
//! then signed at the lowest gas limit at which zkos refuses it, one less (the most it can do
//! and still fit: with messages, the block's logs can land exactly on the limit) or one more,
//! found by bisection on zkos. A transfer from a sender of its own follows.

use super::case::{BlockCase, CaseTx};
use super::edge_block::LIMIT_TX_GAS;
use super::edge_bounds::lowest;
use super::generate::{Builder, Draft};
use super::outcome::Status;
use super::zkos;

/// Most loop transactions a capacity block tries before giving up on reaching the limit.
const MOST_LOOPS: u64 = 24;

impl Builder<'_> {
    /// Whether zkos refuses the last of `txs` (after the others) for a block limit.
    fn last_refused(&self, txs: &[CaseTx]) -> bool {
        let case = BlockCase {
            seed: 0,
            chain_id: self.chain_id,
            params: self.params.clone(),
            pre_state: self.pre_state.clone(),
            txs: txs.to_vec(),
        };
        zkos::run(&case).is_ok_and(|o| {
            o.txs.last().is_some_and(|t| {
                t.status == Status::Invalid
                    && t.reason.as_deref().is_some_and(|r| r.starts_with("Block"))
            })
        })
    }

    /// A block at its native (`logs` false) or L2→L1 log capacity (see the module docs).
    pub(super) fn capacity_bound_block(&mut self, logs: bool) -> Vec<CaseTx> {
        let name = if logs { "logs" } else { "native" };
        let (script_at, data) = self.limit_script(logs, LIMIT_TX_GAS * (MOST_LOOPS + 2));
        let loop_tx = |b: &mut Self, i: u64, gas: u64, label: &str| {
            let mut d = Draft::call(&format!("{name}-bound@{label}"), script_at, data.clone());
            d.gas_limit = Some(gas);
            d.fee = Some((1_000_000_000, 0));
            d.tx_type = Some(2);
            let sender = (i % 4) as usize;
            let nonce = b.nonces[sender];
            (b.finish(d, sender), sender, nonce)
        };
        let mut txs = Vec::new();
        for i in 0..MOST_LOOPS {
            let (tx, sender, nonce) = loop_tx(self, i, LIMIT_TX_GAS, "loop");
            txs.push(tx);
            if !self.last_refused(&txs) {
                continue;
            }
            txs.pop();
            self.nonces[sender] = nonce;
            let refused_at = lowest(21_000, LIMIT_TX_GAS, |gas| {
                let (mut trial, _, _) = loop_tx(self, i, gas, "trial");
                self.nonces[sender] = nonce;
                trial.kind.clear();
                let mut all = txs.clone();
                all.push(trial);
                self.last_refused(&all)
            });
            if let Some(bound) = refused_at {
                let (label, gas) = self.rng.pick(&[
                    ("edge-1", bound - 1),
                    ("edge", bound),
                    ("edge+1", bound + 1),
                ]);
                let (tx, _, _) = loop_tx(self, i, gas, label);
                if label != "edge-1" {
                    self.nonces[sender] = nonce;
                }
                txs.push(tx);
            }
            break;
        }
        txs.push(self.transfer_after(&format!("{name}-bound")));
        txs
    }
}
