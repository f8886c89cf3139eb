//! The seeded block generator: a pre-state with senders, holders and helper contracts, fee
//! regimes from cheap to unpayable pubdata, and transactions of every scenario the issue names.

use super::case::{BlockCase, BlockParams, CaseTx, PreAccount};
use super::contracts::{self, TokenCode};
use super::edge_scenarios::EDGE_SCENARIOS;
use super::rng::Rng;
use super::sign::{self, AccessItem, SignedTx, TxRequest};
use alloy_primitives::{Address, B256, U256};
use k256::ecdsa::SigningKey;
use std::collections::BTreeMap;

/// Chain id of the generated blocks (the oracle examples' chain).
pub const CHAIN_ID: u64 = 270;
/// Block gas limit (the oracle's default).
const BLOCK_GAS_LIMIT: u64 = 100_000_000;
/// Largest gas limit given to one transaction, so a full block of them fits the block.
const TX_GAS_CAP: u64 = 12_000_000;
/// Most transactions in one block.
const MAX_TXS_PER_BLOCK: u64 = 8;
/// Number of signing senders.
pub(super) const SENDERS: u64 = 4;
/// Balance of a funded sender: 1,000 ETH.
const RICH_WEI: u128 = 1_000_000_000_000_000_000_000;
/// Balance of a poor sender: 0.001 ETH.
const POOR_WEI: u128 = 1_000_000_000_000_000;
/// Token balance of every holder in the pre-state: 10^24 base units.
const TOKEN_HOLDING: u128 = 1_000_000_000_000_000_000_000_000;
/// Slots 0..this of the storage helpers exist in the pre-state.
pub(super) const EXISTING_SLOTS: u64 = 8;

/// Where the helper contracts live (all above the 0x10000 kernel bound).
pub mod at {
    use alloy_primitives::{address, Address};
    /// The Solidity ERC-20 fixture.
    pub const TOKEN: Address = address!("7070707070707070707070707070707070707070");
    /// [`super::contracts::storage_writer`].
    pub const STORAGE_WRITER: Address = address!("c0de000000000000000000000000000000000001");
    /// [`super::contracts::storage_reader`].
    pub const STORAGE_READER: Address = address!("c0de000000000000000000000000000000000002");
    /// [`super::contracts::keccak_loop`].
    pub const KECCAK: Address = address!("c0de000000000000000000000000000000000003");
    /// [`super::contracts::call_proxy`].
    pub const PROXY: Address = address!("c0de000000000000000000000000000000000004");
    /// [`super::contracts::logger`].
    pub const LOGGER: Address = address!("c0de000000000000000000000000000000000005");
    /// [`super::contracts::reverter`].
    pub const REVERTER: Address = address!("c0de000000000000000000000000000000000006");
    /// [`super::contracts::burner`].
    pub const BURNER: Address = address!("c0de000000000000000000000000000000000007");
    /// Externally owned accounts that exist before the block.
    pub const HOLDERS: [Address; 3] = [
        address!("ee00000000000000000000000000000000000001"),
        address!("ee00000000000000000000000000000000000002"),
        address!("ee00000000000000000000000000000000000003"),
    ];
}

/// Scenarios with their weights.
const SCENARIOS: &[(&str, u64)] = &[
    ("transfer-new", 10),
    ("transfer-existing", 7),
    ("transfer-kernel", 5),
    ("erc20-deploy", 3),
    ("erc20-transfer", 8),
    ("erc20-revert", 3),
    ("erc20-panic", 2),
    ("erc20-nested", 2),
    ("deploy", 3),
    ("storage-write", 6),
    ("storage-read", 4),
    ("keccak", 5),
    ("precompile", 12),
    ("calldata", 4),
    ("access-list", 4),
    ("logs", 3),
    ("revert", 3),
    ("out-of-gas", 3),
    ("out-of-native", 3),
    ("invalid", 5),
];

/// Environment variable naming the one scenario every draw takes (e.g. `contract-web`), to
/// run a dimension alone; unset, empty or unknown, the weights decide.
pub const SCENARIO_ENV: &str = "ORACLE_DIFF_SCENARIO";

/// The scenario [`SCENARIO_ENV`] names, if it names one.
fn only_scenario() -> Option<&'static str> {
    static ONLY: std::sync::OnceLock<Option<&'static str>> = std::sync::OnceLock::new();
    *ONLY.get_or_init(|| {
        let wanted = std::env::var(SCENARIO_ENV).ok()?;
        SCENARIOS
            .iter()
            .chain(EDGE_SCENARIOS)
            .map(|(name, _)| *name)
            .find(|name| *name == wanted)
    })
}

/// The address whose low eight bytes are `value`.
pub(super) fn address_from(value: u64) -> Address {
    Address::left_padding_from(&value.to_be_bytes())
}

fn u256(value: u128) -> U256 {
    U256::from(value)
}

/// What one scenario asks for before fees and limits are settled.
pub(super) struct Draft {
    pub(super) kind: String,
    pub(super) to: Option<Address>,
    pub(super) value: U256,
    pub(super) data: Vec<u8>,
    pub(super) access_list: Vec<AccessItem>,
    /// EVM gas the scenario needs beyond the intrinsic gas (generous).
    exec_gas: u64,
    /// Native the scenario needs beyond a plain transfer (generous).
    exec_native: u64,
    /// Pubdata bytes the scenario writes (generous).
    pubdata: u64,
    /// Set the gas limit from EVM gas alone (so native may run out).
    pub(super) gas_only: bool,
    /// A fixed gas limit.
    pub(super) gas_limit: Option<u64>,
    /// Sign for this chain id instead of [`CHAIN_ID`] (0 with type 0: pre-EIP-155).
    pub(super) chain_id: Option<u64>,
    /// Force this envelope type.
    pub(super) tx_type: Option<u8>,
    /// A fixed (fee cap, tip cap) per gas, in wei.
    pub(super) fee: Option<(u128, u128)>,
}

impl Draft {
    pub(super) fn call(kind: &str, to: Address, data: Vec<u8>) -> Self {
        Draft {
            kind: kind.to_string(),
            to: Some(to),
            value: U256::ZERO,
            data,
            access_list: Vec::new(),
            exec_gas: 0,
            exec_native: 0,
            pubdata: 150,
            gas_only: false,
            gas_limit: None,
            chain_id: None,
            tx_type: None,
            fee: None,
        }
    }

    pub(super) fn costs(mut self, exec_gas: u64, exec_native: u64, pubdata: u64) -> Self {
        self.exec_gas = exec_gas;
        self.exec_native = exec_native;
        self.pubdata = pubdata;
        self
    }
}

/// The block generator state: the pre-state being built and each sender's next nonce.
pub(super) struct Builder<'a> {
    pub(super) rng: Rng,
    token: &'a TokenCode,
    pub(super) keys: Vec<SigningKey>,
    pub(super) senders: Vec<Address>,
    pub(super) nonces: Vec<u64>,
    pub(super) params: BlockParams,
    pub(super) pre_state: BTreeMap<Address, PreAccount>,
    /// Chain id of the block (what its transactions sign for unless a draft says otherwise).
    pub(super) chain_id: u64,
    /// The block's transactions drawn so far through [`Builder::transactions`] (what a
    /// resource-boundary search runs first).
    pub(super) made: Vec<CaseTx>,
}

/// Generates the block of `seed`.
pub fn block(seed: u64, token: &TokenCode) -> BlockCase {
    let mut rng = Rng::new(seed);
    let params = block_params(&mut rng);
    let keys: Vec<SigningKey> = (0..SENDERS).map(sign::test_key).collect();
    let senders: Vec<Address> = keys.iter().map(sign::address_of).collect();
    let mut b = Builder {
        rng,
        token,
        keys,
        senders,
        nonces: Vec::new(),
        params,
        pre_state: BTreeMap::new(),
        chain_id: CHAIN_ID,
        made: Vec::new(),
    };
    b.build_pre_state();
    if only_scenario() == Some("party-edge") {
        b.params.coinbase = b.party_coinbase();
    }
    let mut txs = if super::rejected_block::is_rejection_block(seed) {
        b.rejection_block()
    } else if let Some(txs) = b.block_edge() {
        txs
    } else {
        let count = b.rng.range(1, MAX_TXS_PER_BLOCK);
        (0..count).flat_map(|_| b.transactions()).collect()
    };
    super::edge_validation::last_unrecoverable(&mut txs);
    BlockCase {
        seed,
        chain_id: b.chain_id,
        params: b.params,
        pre_state: b.pre_state,
        txs,
    }
}

/// Fee regime: a base fee, native per gas from 1 to 1,000 and native per pubdata byte from 0
/// (free pubdata) to 100,000 (pubdata most transactions cannot pay).
fn block_params(rng: &mut Rng) -> BlockParams {
    let base_fee: u128 = rng.pick(&[1_000, 1_000, 1_000, 1_000, 7, 50_000, 1_000_000_000]);
    let native_price = if rng.chance(30) {
        10
    } else {
        let native_per_gas: u128 = rng.pick(&[100, 100, 10, 27, 250, 1_000, 3]);
        (base_fee / native_per_gas).max(1)
    };
    let native_per_pubdata: u128 = rng.pick(&[0, 0, 1, 10, 100, 1_000, 100_000]);
    let pubdata_price = native_price * native_per_pubdata
        + u128::from(rng.chance(20)) * rng.below(native_price as u64).max(1) as u128;
    let coinbase = match rng.below(4) {
        0 => Address::ZERO,
        1 => at::HOLDERS[0],
        _ => Address::from_slice(&rng.bytes(20)),
    };
    BlockParams {
        number: rng.range(1, 10_000),
        timestamp: 1_700_000_000 + rng.below(10_000_000),
        base_fee,
        native_price,
        pubdata_price,
        gas_limit: BLOCK_GAS_LIMIT,
        coinbase,
        pubdata_limit: u64::MAX,
    }
}

impl Builder<'_> {
    /// `len` bytes of calldata, each zero with `zeros` percent chance, else a random odd byte.
    pub(super) fn random_calldata(&mut self, len: usize, zeros: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                if self.rng.chance(zeros) {
                    0
                } else {
                    (self.rng.next_u64() as u8) | 1
                }
            })
            .collect()
    }

    /// An access list's address: the storage reader, the token, a fresh address or a sender.
    pub(super) fn access_list_address(&mut self) -> Address {
        match self.rng.below(4) {
            0 => at::STORAGE_READER,
            1 => at::TOKEN,
            2 => self.fresh_address(),
            _ => self.rng.pick(&self.senders),
        }
    }

    /// A fresh address or the second holder, at even odds.
    pub(super) fn fresh_or_holder(&mut self) -> Address {
        if self.rng.chance(50) {
            self.fresh_address()
        } else {
            at::HOLDERS[1]
        }
    }

    fn build_pre_state(&mut self) {
        for sender in self.senders.clone() {
            let balance = if self.rng.chance(5) {
                POOR_WEI
            } else {
                RICH_WEI
            };
            let nonce = self.rng.below(4);
            self.nonces.push(nonce);
            self.pre_state.insert(
                sender,
                PreAccount {
                    balance: u256(balance),
                    nonce,
                    ..PreAccount::default()
                },
            );
        }
        for holder in at::HOLDERS {
            let balance = u256(u128::from(self.rng.range(1, 1_000_000)) * 1_000_000_000);
            self.pre_state.insert(
                holder,
                PreAccount {
                    balance,
                    ..PreAccount::default()
                },
            );
        }
        let mut token_storage = BTreeMap::new();
        for holder in self.senders.iter().chain(&at::HOLDERS[..1]) {
            token_storage.insert(
                contracts::token_balance_slot(holder),
                B256::from(u256(TOKEN_HOLDING)),
            );
        }
        token_storage.insert(
            B256::from(U256::from(contracts::TOKEN_TOTAL_SUPPLY_SLOT)),
            B256::from(u256(TOKEN_HOLDING * 8)),
        );
        self.pre_state.insert(
            at::TOKEN,
            PreAccount {
                balance: U256::ZERO,
                nonce: 1,
                code: self.token.runtime.clone(),
                storage: token_storage,
            },
        );
        for (address, code) in [
            (at::STORAGE_WRITER, contracts::storage_writer()),
            (at::STORAGE_READER, contracts::storage_reader()),
        ] {
            let storage = (0..EXISTING_SLOTS)
                .map(|slot| {
                    (
                        B256::from(U256::from(slot)),
                        B256::from(U256::from(self.rng.range(1, u64::MAX))),
                    )
                })
                .collect();
            self.pre_state.insert(
                address,
                PreAccount {
                    nonce: 1,
                    code,
                    storage,
                    ..PreAccount::default()
                },
            );
        }
        for (address, code) in [
            (at::KECCAK, contracts::keccak_loop()),
            (at::PROXY, contracts::call_proxy()),
            (at::LOGGER, contracts::logger()),
            (at::REVERTER, contracts::reverter()),
            (at::BURNER, contracts::burner()),
        ] {
            self.pre_state.insert(
                address,
                PreAccount {
                    nonce: 1,
                    code,
                    ..PreAccount::default()
                },
            );
        }
    }

    pub(super) fn fresh_address(&mut self) -> Address {
        let mut bytes = self.rng.bytes(20);
        // Keep fresh addresses out of kernel space.
        bytes[0] |= 0x10;
        Address::from_slice(&bytes)
    }

    fn scenario(&mut self) -> &'static str {
        let all = || SCENARIOS.iter().chain(EDGE_SCENARIOS);
        if let Some(only) = only_scenario() {
            return only;
        }
        let total: u64 = all().map(|(_, w)| w).sum();
        let mut roll = self.rng.below(total);
        for (name, weight) in all() {
            if roll < *weight {
                return name;
            }
            roll -= weight;
        }
        SCENARIOS[0].0
    }

    /// The transactions of one scenario (most scenarios have one), also kept in
    /// [`Builder::made`].
    pub(super) fn transactions(&mut self) -> Vec<CaseTx> {
        let txs = self.scenario_transactions();
        self.made.extend(txs.iter().cloned());
        txs
    }

    fn scenario_transactions(&mut self) -> Vec<CaseTx> {
        let sender = self.rng.below(SENDERS) as usize;
        let scenario = self.scenario();
        match scenario {
            "tx-edge" if self.rng.chance(30) => vec![self.balance_edge()],
            "empty-code" => self.empty_code(sender),
            "nonce-max" => self.nonce_max(),
            "validation-edge" => self.validation_edge(sender),
            "delegated" => self.delegated_edge(sender),
            "party-edge" => self.party_edge(),
            "sequence-edge" => self.sequence_edge(),
            "contract-web" => self.contract_web(),
            "resource-bound" => self.resource_bound(),
            "magnitude-edge" if self.rng.chance(25) => self.hash_slot_sequence(sender),
            _ => {
                let draft = self.draft(scenario, sender);
                vec![self.finish(draft, sender)]
            }
        }
    }

    pub(super) fn draft(&mut self, scenario: &str, sender: usize) -> Draft {
        let rng_value = |rng: &mut Rng| u256(u128::from(rng.range(1, 1_000_000)) * 1_000);
        match scenario {
            "transfer-new" => {
                let to = self.fresh_address();
                let mut d = Draft::call(scenario, to, Vec::new()).costs(0, 0, 120);
                d.value = rng_value(&mut self.rng);
                d
            }
            "transfer-existing" => {
                let to = if self.rng.chance(50) {
                    self.rng.pick(&at::HOLDERS)
                } else {
                    self.rng.pick(&self.senders)
                };
                let mut d = Draft::call(scenario, to, Vec::new()).costs(0, 0, 120);
                d.value = if self.rng.chance(10) {
                    U256::ZERO
                } else {
                    rng_value(&mut self.rng)
                };
                d
            }
            "transfer-kernel" => {
                let low = match self.rng.below(3) {
                    0 => self.rng.pick(&super::edge_precompiles::PRECOMPILES).address,
                    1 => self.rng.range(0x0b, 0x11),
                    _ => self.rng.range(1, 0xffff),
                };
                let mut d = Draft::call("transfer-kernel", address_from(low), Vec::new())
                    .costs(60_000, 40_000_000, 120);
                d.value = rng_value(&mut self.rng);
                d
            }
            "erc20-deploy" => Draft {
                to: None,
                ..Draft::call(scenario, Address::ZERO, self.token.initcode.clone())
            }
            .costs(900_000, 12_000_000, 4_000),
            "erc20-transfer" => {
                let to = match self.rng.below(3) {
                    0 => self.fresh_address(),
                    1 => at::HOLDERS[0],
                    _ => self.rng.pick(&self.senders),
                };
                let amount = u256(u128::from(self.rng.range(0, 1_000_000)));
                Draft::call(scenario, at::TOKEN, contracts::transfer_call(&to, amount))
                    .costs(60_000, 3_000_000, 250)
            }
            "erc20-revert" => {
                let to = self.fresh_address();
                let amount = u256(TOKEN_HOLDING + 1);
                Draft::call(scenario, at::TOKEN, contracts::transfer_call(&to, amount))
                    .costs(40_000, 2_000_000, 150)
            }
            "erc20-panic" => {
                let a = self.rng.below(1_000);
                Draft::call(scenario, at::TOKEN, contracts::divide_call(a, 0))
                    .costs(30_000, 2_000_000, 150)
            }
            "erc20-nested" => {
                let who = if self.rng.chance(50) {
                    self.senders[sender]
                } else {
                    self.fresh_address()
                };
                Draft::call(
                    scenario,
                    at::TOKEN,
                    contracts::balance_via_call(&at::TOKEN, &who),
                )
                .costs(40_000, 3_000_000, 150)
            }
            "deploy" => {
                // Empty code too (about one deployment in 40).
                let len = self.rng.range(0, 6_000).saturating_sub(150) as usize;
                let mut runtime = self.rng.bytes(len);
                if let Some(first @ 0xef) = runtime.first_mut() {
                    *first = 0x00;
                }
                let initcode = contracts::deployer(&runtime);
                Draft {
                    to: None,
                    ..Draft::call(scenario, Address::ZERO, initcode)
                }
                .costs(
                    40_000 + 220 * len as u64,
                    6_000_000 + 400 * len as u64,
                    300 + len as u64,
                )
            }
            "storage-write" => {
                let start = self.rng.below(EXISTING_SLOTS + 4);
                let count = self.rng.range(1, 40);
                let value = if self.rng.chance(20) {
                    0
                } else {
                    self.rng.range(1, u64::MAX)
                };
                Draft::call(
                    scenario,
                    at::STORAGE_WRITER,
                    contracts::words(&[start, count, value]),
                )
                .costs(30_000 + 22_200 * count, 800_000 * count, 150 + 70 * count)
            }
            "storage-read" => {
                let start = self.rng.below(EXISTING_SLOTS + 4);
                let count = self.rng.range(1, 60);
                Draft::call(
                    scenario,
                    at::STORAGE_READER,
                    contracts::words(&[start, count]),
                )
                .costs(30_000 + 2_300 * count, 300_000 * count, 150)
            }
            "keccak" => {
                let iterations = self.rng.range(1, 200);
                let len = self.rng.range(0, 600);
                Draft::call(scenario, at::KECCAK, contracts::words(&[iterations, len])).costs(
                    30_000 + iterations * (100 + len / 5),
                    iterations * (30_000 + 200 * len),
                    150,
                )
            }
            "out-of-native" => {
                let iterations = self.rng.range(500, 3_000);
                let len = self.rng.range(0, 300);
                let mut d = Draft::call(scenario, at::KECCAK, contracts::words(&[iterations, len]))
                    .costs(30_000 + iterations * (100 + len / 5), 0, 150);
                d.gas_only = true;
                d
            }
            "precompile" => self.precompile_call(),
            "calldata" => {
                let len = self.rng.range(100, 20_000) as usize;
                let zeros = self.rng.below(100);
                let data = self.random_calldata(len, zeros);
                let to = self.fresh_or_holder();
                Draft::call(scenario, to, data).costs(0, 0, 150)
            }
            "access-list" => {
                let items = self.rng.range(1, 4);
                let mut list = Vec::new();
                for _ in 0..items {
                    let address = self.access_list_address();
                    let keys = (0..self.rng.below(6))
                        .map(|_| {
                            if self.rng.chance(50) {
                                B256::from(U256::from(self.rng.below(EXISTING_SLOTS + 4)))
                            } else {
                                B256::from(self.rng.word())
                            }
                        })
                        .collect();
                    list.push(AccessItem { address, keys });
                }
                // The same address twice, and a key twice: each entry is charged.
                let mut kind = scenario.to_string();
                if self.rng.chance(25) {
                    let mut again = list[0].clone();
                    if let Some(key) = again.keys.first().copied() {
                        again.keys.push(key);
                    }
                    list.push(again);
                    kind.push_str(":duplicates");
                }
                let count = self.rng.range(1, 10);
                let mut d = Draft::call(
                    &kind,
                    at::STORAGE_READER,
                    contracts::words(&[self.rng.below(EXISTING_SLOTS), count]),
                )
                .costs(30_000 + 2_300 * count, 300_000 * count, 150);
                d.access_list = list;
                d
            }
            "logs" => {
                let len = self.rng.range(0, 2_000) as usize;
                let mut data = self.rng.word().to_vec();
                data.extend_from_slice(&self.rng.word());
                data.extend(self.rng.bytes(len));
                Draft::call(scenario, at::LOGGER, data).costs(
                    5_000 + 10 * len as u64,
                    100_000 + 5 * len as u64,
                    150,
                )
            }
            "revert" => {
                let len = self.rng.range(0, 200) as usize;
                Draft::call(scenario, at::REVERTER, self.rng.bytes(len)).costs(5_000, 100_000, 150)
            }
            "out-of-gas" => {
                let mut d = Draft::call(scenario, at::BURNER, Vec::new());
                d.gas_limit = Some(self.rng.range(21_500, 300_000));
                d
            }
            "invalid" => self.invalid(sender),
            _ => self.edge(scenario, sender),
        }
    }

    pub(super) fn invalid(&mut self, sender: usize) -> Draft {
        let to = self.fresh_address();
        let mut d = Draft::call("invalid", to, Vec::new()).costs(0, 0, 120);
        match self.rng.below(8) {
            6 => {
                d.kind = "invalid-chain-id".into();
                let other = self.rng.pick(&[1, CHAIN_ID + 1, 324]);
                d.chain_id = Some(if other == self.chain_id {
                    other + 1
                } else {
                    other
                });
            }
            0 => {
                d.kind = "invalid-nonce-high".into();
                self.nonces[sender] += 1;
            }
            1 if self.nonces[sender] > 0 => {
                d.kind = "invalid-nonce-low".into();
                self.nonces[sender] -= 1;
            }
            2 => {
                d.kind = "invalid-funds".into();
                d.value = u256(RICH_WEI * 2);
            }
            3 => {
                d.kind = "invalid-intrinsic-gas".into();
                d.gas_limit = Some(self.rng.range(1, 20_999));
            }
            4 => {
                d.kind = "invalid-gas-above-block".into();
                d.gas_limit = Some(BLOCK_GAS_LIMIT + 1);
            }
            5 if self.params.base_fee > 1 => d.kind = "invalid-fee-cap".into(),
            _ => {
                // Valid or not depending on native per gas: 21,000 gas must also buy the
                // intrinsic native.
                d.kind = "transfer-min-gas".into();
                d.gas_limit = Some(21_000);
            }
        }
        d
    }

    /// Prices, sizes and signs a draft: its gas limit covers the EVM gas, and (unless the
    /// scenario says otherwise) the native and pubdata the draft expects at this block's prices.
    pub(super) fn finish(&mut self, d: Draft, sender: usize) -> CaseTx {
        self.finish_request(d, sender).0
    }

    /// [`Self::finish`], also returning the request that was signed.
    pub(super) fn finish_request(&mut self, d: Draft, sender: usize) -> (CaseTx, TxRequest) {
        let p = &self.params;
        let tx_type = if let Some(forced) = d.tx_type {
            forced
        } else if !d.access_list.is_empty() {
            self.rng.pick(&[1u8, 2])
        } else {
            self.rng.pick(&[0u8, 0, 1, 2, 2, 2, 2, 2])
        };
        let (max_fee, tip) = match d.fee {
            Some(fee) => fee,
            None => {
                let tip: u128 = if tx_type >= 2 {
                    self.rng.pick(&[0, 0, 1, 100, p.base_fee])
                } else {
                    0
                };
                let max_fee = if d.kind == "invalid-fee-cap" {
                    p.base_fee - 1
                } else {
                    p.base_fee * self.rng.pick(&[1u128, 1, 2, 3]) + tip
                };
                (max_fee, tip)
            }
        };
        let gas_price = max_fee.min(p.base_fee.saturating_add(tip)).max(1);
        let native_per_gas = u64::try_from(gas_price.div_ceil(p.native_price))
            .unwrap_or(u64::MAX)
            .max(1);
        let native_per_pubdata = (p.pubdata_price / p.native_price) as u64;
        let calldata_gas: u64 = d.data.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
        let access_gas: u64 = d
            .access_list
            .iter()
            .map(|i| 2_400 + 1_900 * i.keys.len() as u64)
            .sum();
        let create_gas = if d.to.is_none() {
            32_000 + 2 * d.data.len().div_ceil(32) as u64
        } else {
            0
        };
        let gas = 21_000 + calldata_gas + access_gas + create_gas + d.exec_gas;
        let native = 2_000_000
            + 300 * d.data.len() as u64
            + 300_000
                * d.access_list
                    .iter()
                    .map(|i| 1 + i.keys.len() as u64)
                    .sum::<u64>()
            + d.exec_native;
        let pay_pubdata = self.rng.chance(85);
        let pubdata_native = if pay_pubdata {
            d.pubdata.saturating_mul(native_per_pubdata)
        } else {
            0
        };
        let needed = if d.gas_only {
            gas
        } else {
            gas.max((native.saturating_add(pubdata_native)).div_ceil(native_per_gas))
        };
        let margin = self.rng.range(110, 200);
        let gas_limit = d
            .gas_limit
            .unwrap_or_else(|| (needed.saturating_mul(margin) / 100).min(TX_GAS_CAP));
        let kind = if d.to.is_none() || d.kind.starts_with("invalid") || d.gas_limit.is_some() {
            d.kind
        } else if !pay_pubdata && native_per_pubdata > 0 {
            format!("{}+pubdata-unpriced", d.kind)
        } else {
            d.kind
        };
        let nonce = self.nonces[sender];
        let req = TxRequest {
            tx_type,
            chain_id: d.chain_id.unwrap_or(self.chain_id),
            nonce,
            gas_limit,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: tip,
            to: d.to,
            value: d.value,
            data: d.data,
            access_list: d.access_list,
            authorizations: Vec::new(),
        };
        let signed: SignedTx = sign::sign(&req, &self.keys[sender]);
        self.settle_nonce(sender, &kind, nonce);
        (CaseTx { kind, signed }, req)
    }

    /// The sender's next nonce after this transaction: unchanged for the invalid scenarios
    /// (a nonce-high/low draft moved it away from the sender's; move it back).
    fn settle_nonce(&mut self, sender: usize, kind: &str, used: u64) {
        self.nonces[sender] = match kind {
            k if k.starts_with("invalid-nonce-high") => used - 1,
            "invalid-nonce-low" => used + 1,
            k if k.starts_with("invalid") => used,
            _ => used + 1,
        };
    }
}
