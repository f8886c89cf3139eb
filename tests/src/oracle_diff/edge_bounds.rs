//! Resource boundaries, where wallets set their gas limits: a transaction signed at exactly the
//! gas limit zkos finds it needs, one less or one more. The limits are searched on zkos (protocol
//! version 2) by bisection over the block as generated so far (the transactions before it in
//! its block run first): the lowest limit at which the transaction is valid (the intrinsic gas,
//! or the intrinsic native at the block's native price), the lowest at which it succeeds, the
//! gas it uses at a generous limit, and, where pubdata has a price, a limit between the lowest
//! that succeeds with free pubdata and the lowest that pays for it (the execution covered, the
//! pubdata not). The transactions: calldata of zero and non-zero bytes, access lists of
//! addresses and keys, deployments of initcode of 0 to 1,600 words (and one byte either side of
//! a word), fresh slots, logs and L2→L1 messages (pubdata), keccak loops (native under cheap
//! gas), and the generator's own scenarios; first in its block, one time in three under a bent
//! fee regime (native dearer than gas, pubdata at 2^32 to 2^44 native per byte, a zero base
//! fee). A limit at which zkos leaves the transaction out for its fee refund is not taken
//! (upstream fails the whole block there, see [`super::excluded`]). The oracle then says
//! whether the boundary is upstream's too. A block edge (`Builder::limit_bound_block`; all
//! blocks with `ORACLE_DIFF_SCENARIO=limit-bound`) does the same for the block's gas and pubdata
//! limits: the lowest at which a chosen transaction of the block is included, one less or one
//! more ([`super::edge_capacity`] for the fixed native and L2→L1 log capacities).

use super::case::{BlockCase, BlockParams, CaseTx};
use super::contracts::{self, deployer};
use super::edge_hooks::SEND_TO_L1;
use super::excluded::FEE_REFUND_REASON;
use super::generate::{address_from, at, Builder, Draft, EXISTING_SLOTS, SENDERS};
use super::outcome::{Status, TxOutcome};
use super::sign::{self, AccessItem, TxRequest};
use super::zkos;
use alloy_primitives::{B256, U256};

/// Highest transaction gas limit the searches try (the generator's per-transaction cap).
const SEARCH_CAP: u64 = 12_000_000;
/// First slot the fresh-slot writes use (past every other scenario's).
const FRESH_SLOTS_FROM: u64 = 1_000_000;
/// The generator's scenarios a boundary transaction may take (their own gas limits replaced).
const DRAWN: [&str; 15] = [
    "transfer-new",
    "transfer-existing",
    "transfer-kernel",
    "erc20-deploy",
    "erc20-transfer",
    "erc20-revert",
    "erc20-nested",
    "deploy",
    "storage-write",
    "storage-read",
    "keccak",
    "precompile",
    "logs",
    "revert",
    "create-contract",
];

/// The smallest `limit` in `(lo, hi]` at which `holds` is true, given that it holds at `hi`
/// (`None` when it does not): bisection, so the answer is a point where it turns true.
pub fn lowest(lo: u64, hi: u64, mut holds: impl FnMut(u64) -> bool) -> Option<u64> {
    if !holds(hi) {
        return None;
    }
    let (mut lo, mut hi) = (lo, hi);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if holds(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

impl Builder<'_> {
    /// The block as generated so far followed by `extra`, under `params`.
    fn probe_case(&self, params: &BlockParams, extra: Option<CaseTx>) -> BlockCase {
        let mut txs = self.made.clone();
        txs.extend(extra);
        BlockCase {
            seed: 0,
            chain_id: self.chain_id,
            params: params.clone(),
            pre_state: self.pre_state.clone(),
            txs,
        }
    }

    /// What zkos does with `req` signed at `limit` after the block so far, under `params`.
    fn probe(
        &self,
        req: &TxRequest,
        sender: usize,
        limit: u64,
        params: &BlockParams,
    ) -> Option<TxOutcome> {
        let signed = sign::sign(
            &TxRequest {
                gas_limit: limit,
                ..req.clone()
            },
            &self.keys[sender],
        );
        let tx = CaseTx {
            kind: String::new(),
            signed,
        };
        let outcome = zkos::run(&self.probe_case(params, Some(tx))).ok()?;
        outcome.txs.last().cloned()
    }

    /// A resource-boundary transaction (see the module docs).
    pub(super) fn resource_bound(&mut self) -> Vec<CaseTx> {
        // A rich sender, so the searches' cap is affordable (the limit alone decides).
        let first = self.rng.below(SENDERS) as usize;
        let sender = (0..SENDERS as usize)
            .map(|i| (first + i) % SENDERS as usize)
            .find(|i| {
                self.pre_state
                    .get(&self.senders[*i])
                    .is_some_and(|a| a.balance > U256::from(10u128.pow(20)))
            })
            .unwrap_or(first);
        // First in its block, one time in three under a bent fee regime: native dearer than
        // gas, pubdata at 2^32 to 2^44 native per byte, or a zero base fee.
        let mut bent = String::new();
        if self.made.is_empty() && self.rng.chance(33) {
            let edge = self
                .rng
                .pick(&["native-price", "pubdata-price", "base-fee-zero"]);
            bent = format!("{}+", self.bend_params(edge));
        }
        let d = self.bound_draft(sender);
        let base = format!("{bent}{}", d.kind);
        let (_, req) = self.finish_request(d, sender);
        let params = self.params.clone();
        let status = |b: &Self, limit: u64| b.probe(&req, sender, limit, &params).map(|o| o.status);
        let mut choices: Vec<(String, u64)> = Vec::new();
        if let Some(valid) = lowest(0, SEARCH_CAP, |l| {
            status(self, l).is_some_and(|s| s != Status::Invalid)
        }) {
            for (name, limit) in [
                ("intrinsic-1", valid - 1),
                ("intrinsic", valid),
                ("intrinsic+1", valid + 1),
            ] {
                choices.push((name.into(), limit));
            }
        }
        let success = lowest(0, SEARCH_CAP, |l| status(self, l) == Some(Status::Success));
        if let Some(success) = success {
            for (name, limit) in [
                ("success-1", success - 1),
                ("success", success),
                ("success+1", success + 1),
            ] {
                choices.push((name.into(), limit));
            }
            if params.pubdata_price > 0 {
                let free = BlockParams {
                    pubdata_price: 0,
                    ..params.clone()
                };
                let exec = lowest(0, success, |l| {
                    self.probe(&req, sender, l, &free)
                        .is_some_and(|o| o.status == Status::Success)
                });
                if let Some(exec) = exec.filter(|e| *e + 1 < success) {
                    choices.push(("pubdata-short".into(), self.rng.range(exec, success - 1)));
                }
            }
        }
        if let Some(used) = self
            .probe(&req, sender, SEARCH_CAP, &params)
            .filter(|o| o.status != Status::Invalid)
            .map(|o| o.gas_used)
        {
            choices.push(("used".into(), used));
            choices.push(("used-1".into(), used - 1));
        }
        // A limit that leaves the transaction short of native for its fee refund is not
        // taken: upstream fails the whole block there, and the harness's rerun without it
        // cannot show the reads it left warm in zkos (see `excluded`).
        let mut chosen = ("cap".to_string(), SEARCH_CAP);
        while !choices.is_empty() {
            let at = self.rng.below(choices.len() as u64) as usize;
            let candidate = choices.swap_remove(at);
            let outcome = self.probe(&req, sender, candidate.1, &params);
            if outcome.is_some_and(|o| o.reason.as_deref() != Some(FEE_REFUND_REASON)) {
                chosen = candidate;
                break;
            }
        }
        let (which, limit) = chosen;
        if status(self, limit) == Some(Status::Invalid) {
            self.nonces[sender] = req.nonce;
        }
        let signed = sign::sign(
            &TxRequest {
                gas_limit: limit,
                ..req
            },
            &self.keys[sender],
        );
        vec![CaseTx {
            kind: format!("resource-bound:{base}@{which}"),
            signed,
        }]
    }

    /// The transaction of a resource boundary.
    fn bound_draft(&mut self, sender: usize) -> Draft {
        match self.rng.below(9) {
            0 => {
                let len = self.rng.range(0, 400) as usize;
                let zeros = self.rng.pick(&[0, 10, 50, 90, 100]);
                let data = self.random_calldata(len, zeros);
                let to = self.fresh_or_holder();
                let mut d = Draft::call(&format!("calldata-z{zeros}"), to, data);
                d.value = U256::from(self.rng.below(1_000_000));
                d
            }
            1 => {
                let items = self.rng.range(1, 5);
                let list = (0..items)
                    .map(|_| {
                        let address = self.access_list_address();
                        let keys = (0..self.rng.below(6))
                            .map(|_| B256::from(U256::from(self.rng.below(EXISTING_SLOTS + 4))))
                            .collect();
                        AccessItem { address, keys }
                    })
                    .collect();
                let (to, data) = if self.rng.chance(50) {
                    (
                        at::STORAGE_READER,
                        contracts::words(&[0, self.rng.range(1, 8)]),
                    )
                } else {
                    (at::HOLDERS[2], Vec::new())
                };
                let mut d = Draft::call("access-list", to, data);
                d.access_list = list;
                d
            }
            2 => {
                let words: u64 = self
                    .rng
                    .pick(&[0, 1, 2, 3, 10, 100, 767, 768, 1_535, 1_536]);
                let len = (words * 32 + self.rng.pick(&[0, 0, 1, 31]))
                    .saturating_sub(self.rng.pick(&[0, 0, 1])) as usize;
                let runtime_len =
                    self.rng.range(0, 200).min(len.saturating_sub(16) as u64) as usize;
                let mut runtime = self.rng.bytes(runtime_len);
                if let Some(first @ 0xef) = runtime.first_mut() {
                    *first = 0;
                }
                let mut initcode = if len < 16 {
                    Vec::new()
                } else {
                    deployer(&runtime)
                };
                initcode.resize(len, 0);
                let mut d = Draft::call(&format!("create-w{words}"), at::TOKEN, initcode);
                d.to = None;
                d
            }
            3 => {
                let slots = self.rng.range(1, 40);
                let start = FRESH_SLOTS_FROM + self.rng.below(1 << 40);
                Draft::call(
                    &format!("fresh-slots-{}", slots.next_power_of_two()),
                    at::STORAGE_WRITER,
                    contracts::words(&[start, slots, self.rng.range(1, u64::MAX)]),
                )
            }
            4 => {
                let len = self.rng.pick(&[0u64, 1, 32, 100, 1_000, 4_000]) as usize;
                let message = self.rng.bytes(len);
                let mut data = SEND_TO_L1.to_vec();
                data.extend(contracts::word(32));
                data.extend(contracts::word(len as u64));
                data.extend(&message);
                data.resize(4 + 64 + len.div_ceil(32) * 32, 0);
                Draft::call(&format!("message-{len}"), address_from(0x8008), data)
            }
            5 => {
                let iterations = self.rng.range(1, 3_000);
                let len = self.rng.range(0, 600);
                Draft::call(
                    "keccak-loop",
                    at::KECCAK,
                    contracts::words(&[iterations, len]),
                )
            }
            6 => {
                let len = self.rng.range(0, 3_000) as usize;
                let mut data = self.rng.word().to_vec();
                data.extend_from_slice(&self.rng.word());
                data.extend(self.rng.bytes(len));
                Draft::call("logs", at::LOGGER, data)
            }
            _ => {
                let scenario = self.rng.pick(&DRAWN);
                let mut d = self.draft(scenario, sender);
                d.gas_limit = None;
                d
            }
        }
    }

    /// A block whose gas or pubdata limit sits at the lowest value that includes one of its
    /// transactions, one less or one more (the search on zkos over the whole block).
    pub(super) fn limit_bound_block(&mut self) -> Vec<CaseTx> {
        let count = self.rng.range(2, 7);
        let mut txs: Vec<CaseTx> = (0..count).flat_map(|_| self.transactions()).collect();
        let gas = self.rng.chance(50);
        let name = if gas { "gas" } else { "pubdata" };
        let full = self.probe_case(&self.params, None);
        let included: Vec<usize> = match zkos::run(&full) {
            Ok(o) => (0..o.txs.len())
                .filter(|i| o.txs[*i].status != Status::Invalid)
                .collect(),
            Err(_) => Vec::new(),
        };
        let mut label = format!("limit-bound-{name}@none");
        if !included.is_empty() {
            let target = self.rng.pick(&included);
            let hi = if gas {
                self.params.gas_limit
            } else {
                self.params.pubdata_limit.min(1 << 24)
            };
            let bound = lowest(0, hi, |limit| {
                let mut params = self.params.clone();
                if gas {
                    params.gas_limit = limit;
                } else {
                    params.pubdata_limit = limit;
                }
                zkos::run(&self.probe_case(&params, None))
                    .is_ok_and(|o| o.txs[target].status != Status::Invalid)
            });
            if let Some(bound) = bound {
                let (which, limit) =
                    self.rng
                        .pick(&[("-1", bound - 1), ("", bound), ("+1", bound + 1)]);
                if gas {
                    self.params.gas_limit = limit;
                } else {
                    self.params.pubdata_limit = limit;
                }
                label = format!("limit-bound-{name}{which}@tx{target}");
            }
        }
        for tx in &mut txs {
            tx.kind = format!("{label}:{}", tx.kind);
        }
        txs
    }
}
