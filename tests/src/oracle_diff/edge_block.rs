//! Block edges: one block in [`EVERY_PERCENT`] bends a block parameter and fills the block with
//! the generator's own scenarios (each labelled `edge@scenario`), or has a shape of its own: a
//! coinbase that is a sender, a recipient, a precompile, a system address, a contract or the
//! address a deployment of the block creates; a zero base fee (zero gas prices: unlimited
//! native upstream); native prices at and above the gas price; pubdata prices up to 2^44
//! native per byte; block numbers from 257 to 2^64 − 1 and timestamps from 0; chain ids past
//! 2^32; block gas limits at one transfer and at the ergs bound (`MAX_BLOCK_GAS_LIMIT`); no
//! transactions at all; and transactions that run the block past its computational native
//! (2^35) or its L2→L1 log capacity (16,384) in the middle of the block; and full blocks
//! ([`super::edge_fill`]).

use super::asm::{assemble, op, Item};
use super::case::{CaseTx, PreAccount};
use super::contracts;
use super::generate::{address_from, at, Builder, Draft, SCENARIO_ENV};
use alloy_primitives::{Address, U256};

/// Percentage of blocks (not rejection blocks) that are block edges.
const EVERY_PERCENT: u64 = 10;
/// The block edges with their weights.
const BLOCK_EDGES: &[(&str, u64)] = &[
    ("coinbase", 6),
    ("base-fee-zero", 3),
    ("native-price", 3),
    ("pubdata-price", 2),
    ("number-time", 2),
    ("chain-id", 2),
    ("block-gas-limit", 3),
    ("empty", 1),
    ("native-limit", 1),
    ("l2-to-l1-limit", 1),
    ("fill", 4),
    ("limit-bound", 4),
    ("capacity-bound", 2),
];
/// Upstream's largest block gas limit: the one whose ergs fit a u64 (`u64::MAX / 256`,
/// `basic_bootloader/src/bootloader/constants.rs::MAX_BLOCK_GAS_LIMIT`).
const MAX_BLOCK_GAS_LIMIT: u64 = u64::MAX / 256;
/// Gas limit of each transaction of the native and log limit blocks.
pub(super) const LIMIT_TX_GAS: u64 = 12_000_000;
/// Transactions of the native and log limit blocks (their sum is past the limit).
const LIMIT_TXS: u64 = 11;
/// `sendToL1(bytes)` of an empty message.
const SEND_EMPTY_TO_L1: [u8; 68] = {
    let mut data = [0u8; 68];
    data[0] = 0x62;
    data[1] = 0xf8;
    data[2] = 0x4b;
    data[3] = 0x24;
    data[35] = 32;
    data
};

/// A loop that makes `CALL`s (`STATICCALL` when `is_static`) with all gas to `target`, its
/// input the script's calldata, while more than `reserve` gas is left.
pub fn call_loop(target: Address, is_static: bool, reserve: u64) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Op(op::CALLDATASIZE),
        Push(0),
        Push(0),
        Op(op::CALLDATACOPY),
        Dest("loop"),
        Op(op::GAS),
        Push(reserve),
        Op(op::GT),
        Label("end"),
        Op(op::JUMPI),
        Push(0),
        Push(0),
        Op(op::CALLDATASIZE),
        Push(0),
    ];
    if !is_static {
        items.push(Push(0));
    }
    items.extend([
        Word(target.into_word().0),
        Op(op::GAS),
        Op(if is_static { op::STATICCALL } else { op::CALL }),
        Op(op::POP),
        Label("loop"),
        Op(op::JUMP),
        Dest("end"),
        Op(op::STOP),
    ]);
    assemble(&items)
}

impl Builder<'_> {
    /// The transactions of a block edge, or `None` for an ordinary block.
    pub(super) fn block_edge(&mut self) -> Option<Vec<CaseTx>> {
        if std::env::var(SCENARIO_ENV).is_ok_and(|only| only == "limit-bound") {
            return Some(if self.rng.chance(25) {
                let logs = self.rng.chance(50);
                self.capacity_bound_block(logs)
            } else {
                self.limit_bound_block()
            });
        }
        if !self.rng.chance(EVERY_PERCENT) {
            return None;
        }
        let total: u64 = BLOCK_EDGES.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.below(total);
        let mut edge = BLOCK_EDGES[0].0;
        for (name, weight) in BLOCK_EDGES {
            if roll < *weight {
                edge = name;
                break;
            }
            roll -= weight;
        }
        Some(match edge {
            "coinbase" => self.coinbase_block(),
            "empty" => Vec::new(),
            "native-limit" => self.limit_block("native-limit", false),
            "l2-to-l1-limit" => self.limit_block("l2-to-l1-limit", true),
            "fill" => self.fill_block(),
            "limit-bound" => self.limit_bound_block(),
            "capacity-bound" => {
                let logs = self.rng.chance(50);
                self.capacity_bound_block(logs)
            }
            _ => {
                let label = self.bend_params(edge);
                let count = self.rng.range(1, 6);
                self.drawn(&label, count)
            }
        })
    }

    /// `count` draws of the generator's scenarios, labelled `label@scenario`.
    fn drawn(&mut self, label: &str, count: u64) -> Vec<CaseTx> {
        let mut txs: Vec<CaseTx> = (0..count).flat_map(|_| self.transactions()).collect();
        for tx in &mut txs {
            tx.kind = format!("{label}@{}", tx.kind);
        }
        txs
    }

    /// Bends the block parameter of `edge`; the label names the value.
    pub(super) fn bend_params(&mut self, edge: &str) -> String {
        let p = &mut self.params;
        match edge {
            "base-fee-zero" => {
                p.base_fee = 0;
                p.native_price = self.rng.pick(&[1, 10, 1_000]);
                p.pubdata_price = p.native_price * self.rng.pick(&[0, 10, 1_000]);
                "base-fee-zero".into()
            }
            "native-price" => {
                let (name, price) = self.rng.pick(&[
                    ("1", 1),
                    ("base-fee", p.base_fee),
                    ("above-base-fee", p.base_fee + 1),
                    ("10x-base-fee", p.base_fee * 10),
                    ("2^64", 1u128 << 64),
                ]);
                p.native_price = price.max(1);
                p.pubdata_price = p.native_price * self.rng.pick(&[0, 1, 17]);
                format!("native-price-{name}")
            }
            "pubdata-price" => {
                // Not past 2^44 native per byte: upstream computes pubdata × native per byte
                // in u64 and fails the whole block past it (`gas_helpers.rs::
                // get_resources_to_charge_for_pubdata`, "cps*epp"), a block no outcome of
                // zkos's can match.
                let (name, per_byte) = self.rng.pick(&[
                    ("2^32", 1u128 << 32),
                    ("2^40", 1u128 << 40),
                    ("2^44", 1u128 << 44),
                ]);
                p.pubdata_price = p.native_price.saturating_mul(per_byte);
                format!("pubdata-price-{name}")
            }
            "number-time" => {
                // Not below 257: zkos's engine holds a genesis block 0 (a block must come
                // after it) whose hash the oracle, with zero block hashes, lacks.
                let (name, number, timestamp) = self.rng.pick(&[
                    ("257", 257, 0),
                    ("2^32", 1 << 32, 1),
                    ("max", u64::MAX, u64::MAX),
                    ("max-1", u64::MAX - 1, 1 << 63),
                ]);
                p.number = number;
                p.timestamp = timestamp;
                format!("number-time-{name}")
            }
            "chain-id" => {
                let (name, id) = self.rng.pick(&[
                    ("1", 1),
                    ("2^31-1", (1 << 31) - 1),
                    ("2^32+1", (1 << 32) + 1),
                    ("2^53+5", (1 << 53) + 5),
                    ("2^62", 1 << 62),
                ]);
                self.chain_id = id;
                format!("chain-id-{name}")
            }
            _ => {
                let (name, limit) = self.rng.pick(&[
                    ("21000", 21_000),
                    ("50000", 50_000),
                    ("ergs-bound", MAX_BLOCK_GAS_LIMIT),
                    ("ergs-bound+1", MAX_BLOCK_GAS_LIMIT + 1),
                    ("u64-max", u64::MAX),
                ]);
                p.gas_limit = limit;
                format!("block-gas-{name}")
            }
        }
    }

    /// A coinbase that is a party to the block's transactions, then a few draws, a transfer to
    /// the coinbase and, when the coinbase is a sender, a transfer from it.
    fn coinbase_block(&mut self) -> Vec<CaseTx> {
        let sender = self.rng.below(4) as usize;
        let mut txs = Vec::new();
        let (name, coinbase) = match self.rng.below(8) {
            0 | 1 => ("sender", self.senders[sender]),
            2 => ("holder", at::HOLDERS[1]),
            3 => (
                "precompile",
                address_from(self.rng.pick(&[0x01, 0x02, 0x04, 0x0a, 0x100])),
            ),
            4 => (
                "system",
                address_from(self.rng.pick(&[0x8001, 0x8006, 0x8008, 0x800a, 0xffff])),
            ),
            5 => ("token", at::TOKEN),
            6 => ("writer", at::STORAGE_WRITER),
            _ => {
                // The address the block's first transaction deploys to.
                let created = self.senders[sender].create(self.nonces[sender]);
                let mut d = Draft::call("coinbase-created@deploy", at::TOKEN, {
                    contracts::deployer(&[op::CALLER, op::BALANCE, op::POP])
                })
                .costs(60_000, 20_000_000, 400);
                d.to = None;
                txs.push(self.finish(d, sender));
                ("created", created)
            }
        };
        self.params.coinbase = coinbase;
        let label = format!("coinbase-{name}");
        let count = self.rng.range(1, 4);
        txs.extend(self.drawn(&label, count));
        let mut to_coinbase = Draft::call(&format!("{label}@transfer-to"), coinbase, Vec::new())
            .costs(60_000, 40_000_000, 150);
        to_coinbase.value = U256::from(self.rng.range(0, 1_000_000));
        let from = self.rng.below(4) as usize;
        txs.push(self.finish(to_coinbase, from));
        if name == "sender" {
            let to = self.fresh_address();
            let mut d =
                Draft::call(&format!("{label}@transfer-from"), to, Vec::new()).costs(0, 0, 150);
            d.value = U256::from(self.rng.range(1, 1_000_000));
            txs.push(self.finish(d, sender));
        }
        txs
    }

    /// Prices a block of gas limit `block_gas` for the limit scripts (gas at 1 gwei, native at
    /// 10⁶, pubdata free) and deploys the script that loops calls of empty `sendToL1` messages
    /// (`logs`) or of empty bn254 pairings: its address and the calldata each call sends.
    pub(super) fn limit_script(&mut self, logs: bool, block_gas: u64) -> (Address, Vec<u8>) {
        let p = &mut self.params;
        p.base_fee = 1_000_000_000;
        p.native_price = 1_000_000;
        p.pubdata_price = 0;
        p.gas_limit = block_gas;
        let (script, data) = if logs {
            (
                call_loop(address_from(0x8008), false, 40_000),
                SEND_EMPTY_TO_L1.to_vec(),
            )
        } else {
            (call_loop(address_from(0x08), true, 60_000), Vec::new())
        };
        let script_at = self.fresh_address();
        self.pre_state.insert(
            script_at,
            PreAccount {
                nonce: 1,
                code: script,
                ..PreAccount::default()
            },
        );
        (script_at, data)
    }

    /// [`LIMIT_TXS`] transactions of [`LIMIT_TX_GAS`] each looping calls of empty `sendToL1`
    /// messages (`logs`: one L2→L1 log each) or of empty bn254 pairings (333 native per gas),
    /// in a block with room for their gas, then a transfer.
    fn limit_block(&mut self, label: &str, logs: bool) -> Vec<CaseTx> {
        let (script_at, data) = self.limit_script(logs, LIMIT_TX_GAS * (LIMIT_TXS + 2));
        let mut txs = Vec::new();
        for i in 0..LIMIT_TXS {
            let mut d = Draft::call(&format!("{label}@loop"), script_at, data.clone());
            d.gas_limit = Some(LIMIT_TX_GAS);
            d.fee = Some((1_000_000_000, 0));
            d.tx_type = Some(2);
            txs.push(self.finish(d, (i % 4) as usize));
        }
        txs.push(self.transfer_after(label));
        txs
    }

    /// The transfer that closes a limit block, labelled `{label}@transfer-after`, from a sender
    /// of its own (the refused transactions leave their senders' nonces behind).
    pub(super) fn transfer_after(&mut self, label: &str) -> CaseTx {
        let to = self.fresh_address();
        let mut d = Draft::call(&format!("{label}@transfer-after"), to, Vec::new());
        d.value = U256::from(1_000u64);
        d.fee = Some((1_000_000_000, 0));
        let sender = self.made_sender(Vec::new());
        self.finish(d, sender)
    }
}
