//! The edge scenarios of the generator: each installs a script of [`super::edge_contracts`] at a
//! fresh address of the pre-state and calls it, or bends one transaction-level rule (exact
//! intrinsic gas, a balance exact or one wei short, no chain id (pre-EIP-155), calldata near
//! the limits, a block whose gas runs out).

use super::asm::op;
use super::case::{CaseTx, PreAccount};
use super::contracts::{self, deployer};
use super::edge_contracts::{self as edge, CallPlan, CreatePlan, LogShape, Write};
use super::generate::{address_from, at, Builder, Draft};
use super::sign;
use alloy_primitives::{Address, B256, U256};
use std::collections::BTreeMap;

/// Kernel-space addresses the call scripts call: system addresses, unused precompile slots,
/// the hook addresses of zkos's version 1 (plain accounts under version 2) and the top of
/// kernel space. The version-2 hooks have their own scenario ([`super::edge_hooks`]).
const KERNEL_TARGETS: [u64; 13] = [
    0x0b, 0x0c, 0x11, 0x100, 0x7001, 0x7002, 0x7100, 0x8001, 0x8002, 0x8003, 0x800b, 0x8010, 0xffff,
];

/// The edge scenarios with their weights (drawn after the generator's own).
pub(super) const EDGE_SCENARIOS: &[(&str, u64)] = &[
    ("call-kinds", 8),
    ("call-depth", 2),
    ("create-contract", 8),
    ("selfdestruct", 3),
    ("transient", 3),
    ("memory", 3),
    ("environment", 3),
    ("storage-plan", 5),
    ("many-logs", 2),
    ("tx-edge", 6),
    ("hooks", 8),
    ("empty-code", 6),
    ("value-call", 5),
    ("value-revert", 3),
    ("nonce-max", 2),
    ("precompile-edge", 10),
    ("fee-edge", 3),
    ("operand-edge", 6),
    ("validation-edge", 5),
    ("sequence-edge", 4),
    ("exact-gas", 8),
    ("magnitude-edge", 6),
    ("opcode-mix", 8),
    ("frame-stress", 6),
    ("contract-web", 10),
    ("resource-bound", 8),
    ("delegated", 5),
    // Weight 0: drawn only when `ORACLE_DIFF_SCENARIO` names it, so the other seeds' blocks
    // stay as they were.
    ("party-edge", 0),
];

/// EIP-3860's initcode limit, in bytes.
const MAX_INITCODE_BYTES: usize = 49_152;
/// EIP-170's deployed code limit, in bytes.
const MAX_CODE_BYTES: usize = 24_576;

/// First key index of the senders made for one transaction (balance edges).
pub(super) const EXTRA_KEY_BASE: u64 = 1_000;

/// Calldata gas of `data` (EIP-2028).
fn calldata_gas(data: &[u8]) -> u64 {
    data.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum()
}

impl Builder<'_> {
    /// The value and gas of a generated call with `opcode`: half the `CALL`s and `CALLCODE`s send
    /// 1 to `max_value` wei, half the calls pass one of `gas_picks` (the rest pass `GAS`). Draws
    /// in that order, so a seed generates the same blocks.
    pub(super) fn call_value_and_gas(
        &mut self,
        opcode: u8,
        max_value: u64,
        gas_picks: &[u64],
    ) -> (u64, Option<u64>) {
        let value = if matches!(opcode, op::CALL | op::CALLCODE) && self.rng.chance(50) {
            self.rng.range(1, max_value)
        } else {
            0
        };
        let gas = if self.rng.chance(50) {
            None
        } else {
            Some(self.rng.pick(gas_picks))
        };
        (value, gas)
    }

    /// Installs `code` with `balance` wei at `address`.
    pub(super) fn install_at(&mut self, address: Address, code: Vec<u8>, balance: u64) {
        self.pre_state.insert(
            address,
            PreAccount {
                balance: U256::from(balance),
                nonce: 1,
                code,
                ..PreAccount::default()
            },
        );
    }

    /// Installs `code` with `balance` wei at a fresh address.
    pub(super) fn install(&mut self, code: Vec<u8>, balance: u64) -> Address {
        let address = self.fresh_address();
        self.install_at(address, code, balance);
        address
    }

    fn random_runtime(&mut self, max_len: u64) -> Vec<u8> {
        let len = self.rng.range(1, max_len) as usize;
        let mut runtime = self.rng.bytes(len);
        if runtime[0] == 0xef {
            runtime[0] = 0;
        }
        runtime
    }

    /// The draft of edge scenario `scenario`.
    pub(super) fn edge(&mut self, scenario: &str, sender: usize) -> Draft {
        match scenario {
            "call-kinds" => self.call_kinds(),
            "call-depth" => {
                let depth = self.rng.range(1, 1_100);
                let script = self.install(edge::recursive(), 0);
                Draft::call(scenario, script, contracts::words(&[depth])).costs(
                    (depth * 3_000).min(6_000_000) + 85_000,
                    (depth * 400_000).min(80_000_000) + 500_000,
                    400,
                )
            }
            "create-contract" => self.create_contract(),
            "selfdestruct" => self.selfdestruct(),
            "transient" => {
                let code = edge::transient(self.rng.chance(50), self.rng.chance(25));
                let script = self.install(code, 0);
                Draft::call(scenario, script, Vec::new()).costs(100_000, 10_000_000, 200)
            }
            "memory" => self.memory(),
            "environment" => self.environment(sender),
            "storage-plan" => self.storage_plan(),
            "many-logs" => self.many_logs(),
            "hooks" => self.hook_call(),
            "value-call" => self.value_call(),
            "value-revert" => self.value_revert(),
            "precompile-edge" => self.precompile_edge(),
            "fee-edge" => self.fee_edge(),
            "operand-edge" => self.operand_edge(),
            "exact-gas" => self.exact_gas(),
            "magnitude-edge" => self.magnitude_edge(sender),
            "opcode-mix" => self.opcode_mix(),
            "frame-stress" => self.frame_stress(),
            _ => self.tx_edge_draft(),
        }
    }

    fn call_kinds(&mut self) -> Draft {
        let opcode = self
            .rng
            .pick(&[op::CALL, op::CALLCODE, op::DELEGATECALL, op::STATICCALL]);
        let (target_kind, target, data) = match self.rng.below(9) {
            0 => {
                let p = self.rng.range(1, 8);
                let len = self.rng.range(0, 200) as usize;
                ("precompile", address_from(p), self.rng.bytes(len))
            }
            1 => ("empty", self.fresh_address(), Vec::new()),
            2 => {
                let low = self.rng.pick(&KERNEL_TARGETS);
                let len = self.rng.range(0, 100) as usize;
                ("kernel", address_from(low), self.rng.bytes(len))
            }
            3 => {
                let start = self.rng.below(12);
                let count = self.rng.range(1, 5);
                let value = self.rng.range(0, 3);
                (
                    "writer",
                    at::STORAGE_WRITER,
                    contracts::words(&[start, count, value]),
                )
            }
            4 => {
                let mut data = self.rng.word().to_vec();
                data.extend_from_slice(&self.rng.word());
                let len = self.rng.range(0, 100) as usize;
                data.extend(self.rng.bytes(len));
                ("logger", at::LOGGER, data)
            }
            5 => {
                let len = self.rng.range(0, 100) as usize;
                ("reverter", at::REVERTER, self.rng.bytes(len))
            }
            6 => ("burner", at::BURNER, Vec::new()),
            7 => {
                let to = self.fresh_address();
                (
                    "token",
                    at::TOKEN,
                    contracts::transfer_call(&to, U256::from(self.rng.below(3))),
                )
            }
            _ => ("holder", at::HOLDERS[2], Vec::new()),
        };
        let (value, gas) = self.call_value_and_gas(
            opcode,
            2_000_000_000,
            &[0, 1, 100, 2_300, 2_301, 9_000, 25_000, 100_000, 1 << 40],
        );
        let copy = if self.rng.chance(30) {
            Some((
                self.rng.pick(&[0, 1, 31, 32, 33]),
                self.rng.pick(&[0, 1, 32, 64]),
            ))
        } else {
            None
        };
        let plan = CallPlan {
            opcode,
            target,
            value,
            gas,
            ret_size: self.rng.pick(&[0, 32, 64]),
            copy,
        };
        let balance = self.rng.range(0, 3_000_000_000);
        let script = self.install(edge::caller(&plan), balance);
        let name = match opcode {
            op::CALL => "call",
            op::CALLCODE => "callcode",
            op::DELEGATECALL => "delegatecall",
            _ => "staticcall",
        };
        Draft::call(&format!("call-kinds:{name}-{target_kind}"), script, data)
            .costs(300_000, 60_000_000, 600)
    }

    /// A deployment from a contract, of code, of empty code (empty initcode, a constructor that
    /// returns nothing or self-destructs to its creator) or failing.
    fn create_contract(&mut self) -> Draft {
        let (init_kind, initcode, runtime_len) = match self.rng.below(11) {
            0 => {
                let runtime = self.random_runtime(3_000);
                let len = runtime.len();
                ("plain", deployer(&runtime), len)
            }
            1 => {
                let mut runtime = self.random_runtime(100);
                runtime[0] = 0xef;
                ("ef-code", deployer(&runtime), runtime.len())
            }
            2 => {
                let len = MAX_CODE_BYTES + self.rng.below(2) as usize;
                ("code-size-limit", deployer(&vec![0; len]), len)
            }
            3 => {
                let len = MAX_INITCODE_BYTES + self.rng.below(2) as usize;
                let mut initcode = deployer(&[0]);
                initcode.resize(len, 0);
                ("initcode-limit", initcode, 1)
            }
            4 => (
                "init-reverts",
                edge::reverting_initcode(self.rng.range(0, 100)),
                0,
            ),
            5 => ("init-invalid", vec![0xfe], 0),
            8 => ("init-empty", Vec::new(), 0),
            9 => ("init-returns-nothing", vec![op::STOP], 0),
            10 => ("init-selfdestructs", vec![op::CALLER, op::SELFDESTRUCT], 0),
            7 => {
                let runtime = self.random_runtime(200);
                let slots = self.rng.range(0, 5);
                let len = runtime.len();
                ("init-writes", edge::writing_initcode(slots, &runtime), len)
            }
            _ => {
                let runtime = self.random_runtime(200);
                let len = runtime.len();
                ("init-creates", edge::nesting_initcode(&runtime), len)
            }
        };
        let salt = self.rng.chance(50).then(|| B256::from(self.rng.word()));
        let value = if self.rng.chance(50) {
            0
        } else {
            self.rng.range(1, 1_000_000_000)
        };
        let plan = CreatePlan {
            salt,
            value,
            twice: self.rng.chance(30),
        };
        let balance = self.rng.range(0, 2_000_000_000);
        let script = self.fresh_address();
        self.install_at(script, edge::creator(&plan), balance);
        let mut kind = format!(
            "create-contract:{}-{init_kind}{}{}",
            if salt.is_some() { "create2" } else { "create" },
            if value > 0 { "+value" } else { "" },
            if plan.twice { "+twice" } else { "" },
        );
        if let Some(salt) = salt {
            if self.rng.chance(30) {
                let taken = edge::create2_address(&script, &salt, &initcode);
                let (what, account) = match self.rng.below(4) {
                    0 => (
                        "nonce",
                        PreAccount {
                            nonce: 1,
                            ..PreAccount::default()
                        },
                    ),
                    1 => (
                        "code",
                        PreAccount {
                            code: vec![0x00],
                            ..PreAccount::default()
                        },
                    ),
                    2 => (
                        "balance",
                        PreAccount {
                            balance: U256::from(1_000u64),
                            ..PreAccount::default()
                        },
                    ),
                    // With a balance: the oracle's pre-state would keep an all-default
                    // record as an existing account, which no block can produce.
                    _ => (
                        "storage",
                        PreAccount {
                            balance: U256::from(1u64),
                            storage: BTreeMap::from([(B256::ZERO, B256::with_last_byte(1))]),
                            ..PreAccount::default()
                        },
                    ),
                };
                self.pre_state.insert(taken, account);
                kind = format!("{kind}+taken-{what}");
            }
        }
        let len = runtime_len as u64;
        Draft::call(&kind, script, initcode).costs(
            2 * (150_000 + 250 * len),
            2 * (40_000_000 + 3_000 * len),
            1_000 + 2 * len,
        )
    }

    fn selfdestruct(&mut self) -> Draft {
        let victim = self.fresh_address();
        let (to_kind, beneficiary) = match self.rng.below(5) {
            0 => ("new", self.fresh_address()),
            1 => ("holder", at::HOLDERS[1]),
            2 => ("self", victim),
            3 => ("kernel", address_from(0x8001)),
            _ => ("precompile", address_from(0x04)),
        };
        let balance = self.rng.range(0, 1_000_000_000_000);
        self.install_at(victim, edge::selfdestructor(&beneficiary), balance);
        // One probe in three passes a fixed gas around what the self-destruct costs (5,000,
        // a cold beneficiary's 2,600, a new account's 25,000).
        let gas = self.rng.chance(33).then(|| {
            self.rng
                .pick(&[4_999, 5_000, 5_001, 7_599, 7_600, 29_999, 32_600])
        });
        let (how, to) = if self.rng.chance(40) {
            ("direct".to_string(), victim)
        } else {
            (
                gas.map_or("probed".to_string(), |g| format!("probed-gas-{g}")),
                self.install(edge::selfdestruct_prober(&victim, gas), 0),
            )
        };
        Draft::call(&format!("selfdestruct:{how}-{to_kind}"), to, Vec::new())
            .costs(100_000, 30_000_000, 400)
    }

    fn memory(&mut self) -> Draft {
        let far = match self.rng.below(6) {
            0 => 1 << 32,
            1 => 1 << 40,
            2 => self.rng.range(0, 1_500_000),
            _ => self.rng.range(0, 100_000),
        };
        let dst = self.rng.range(0, 4_096);
        let src = self.rng.range(0, 4_096);
        let len = self.rng.range(0, 4_096);
        let script = self.install(edge::memory(far, dst, src, len), 0);
        let words = far.min(1_600_000) / 32 + 200;
        let data_len = self.rng.range(0, 200) as usize;
        let data = self.rng.bytes(data_len);
        let kind = if far >= 1 << 32 {
            "memory:huge"
        } else {
            "memory"
        };
        Draft::call(kind, script, data).costs(
            3 * words + words * words / 512 + 60_000,
            5_000_000 + 200 * far.min(1_600_000),
            200,
        )
    }

    /// The environment script. It reads no `BLOCKHASH` of a past block within reach: the oracle
    /// runs one block with zero block hashes, where zkos keeps its own history.
    fn environment(&mut self, sender: usize) -> Draft {
        let script = self.fresh_address();
        let probes = [
            script,
            self.fresh_address(),
            address_from(0x01),
            address_from(0x04),
            address_from(0x8001),
            address_from(0x7001),
            address_from(0x8008),
            address_from(0x800a),
            Address::ZERO,
            self.senders[sender],
            at::TOKEN,
            at::HOLDERS[2],
            self.params.coinbase,
        ];
        let balance = self.rng.range(0, 1_000_000);
        self.install_at(script, edge::environment(&probes), balance);
        let mut d =
            Draft::call("environment", script, self.rng.bytes(3)).costs(250_000, 60_000_000, 300);
        d.value = U256::from(self.rng.below(1_000));
        d
    }

    fn storage_plan(&mut self) -> Draft {
        let originals: Vec<u64> = (0..4).map(|_| self.rng.range(1, u64::MAX)).collect();
        let writes = |rng: &mut super::rng::Rng| -> Vec<Write> {
            (0..rng.below(5))
                .map(|_| {
                    let slot = rng.below(6);
                    let value = match rng.below(4) {
                        0 => 0,
                        1 => originals.get(slot as usize).copied().unwrap_or(0),
                        2 => 1,
                        _ => rng.range(1, u64::MAX),
                    };
                    Write { slot, value }
                })
                .collect()
        };
        let before = writes(&mut self.rng);
        let inner = writes(&mut self.rng);
        let after = writes(&mut self.rng);
        let reverts = self.rng.chance(50);
        let ops = (before.len() + inner.len() + after.len()) as u64;
        let code = edge::storage_plan(&before, &inner, reverts, &after);
        let script = self.fresh_address();
        let storage = originals
            .iter()
            .enumerate()
            .map(|(slot, v)| (B256::from(U256::from(slot)), B256::from(U256::from(*v))))
            .collect();
        self.pre_state.insert(
            script,
            PreAccount {
                nonce: 1,
                code,
                storage,
                ..PreAccount::default()
            },
        );
        let kind = if reverts {
            "storage-plan:inner-reverts"
        } else {
            "storage-plan"
        };
        Draft::call(kind, script, Vec::new()).costs(
            60_000 + 25_000 * ops,
            2_000_000 + 1_000_000 * ops,
            200 + 80 * ops,
        )
    }

    fn many_logs(&mut self) -> Draft {
        let count = self.rng.range(1, 60);
        let big = self.rng.chance(30);
        let shapes: Vec<LogShape> = (0..count)
            .map(|_| LogShape {
                topics: self.rng.below(5) as u8,
                len: if big {
                    self.rng.range(0, 3_000)
                } else {
                    self.rng.range(0, 100)
                },
            })
            .collect();
        let max_len = shapes.iter().map(|s| s.len).max().unwrap_or(0);
        let data = self.rng.bytes(max_len as usize);
        let gas: u64 = shapes
            .iter()
            .map(|s| 375 + 375 * u64::from(s.topics) + 8 * s.len + 50)
            .sum();
        let bytes: u64 = shapes.iter().map(|s| 100 + s.len).sum();
        let script = self.install(edge::many_logs(&shapes), 0);
        Draft::call("many-logs", script, data).costs(gas + 50_000, 2_000_000 + 100 * bytes, bytes)
    }

    /// Transaction-level edges that go through [`Builder::finish`] unchanged.
    fn tx_edge_draft(&mut self) -> Draft {
        let to = at::HOLDERS[1];
        match self.rng.below(4) {
            0 => {
                let len = self.rng.range(0, 300) as usize;
                let data = self.rng.bytes(len);
                let mut d = Draft::call("tx-intrinsic-exact", to, data);
                d.gas_limit = Some(21_000 + calldata_gas(&d.data));
                d
            }
            1 => {
                let mut d = Draft::call("tx-legacy-pre155", to, Vec::new()).costs(0, 0, 120);
                d.chain_id = Some(0);
                d.tx_type = Some(0);
                d
            }
            2 => {
                let len = self.rng.range(60_000, 126_000) as usize;
                let data = (0..len).map(|i| (i as u8) | 1).collect();
                Draft::call("tx-calldata-large", to, data).costs(0, 0, 150)
            }
            _ => {
                let limit = self.rng.range(13_000_000, 30_000_000);
                self.params.gas_limit = self.params.gas_limit.min(limit);
                let mut d = Draft::call("tx-block-gas", at::BURNER, Vec::new());
                d.gas_limit = Some(self.rng.range(5_000_000, 12_000_000));
                d
            }
        }
    }

    /// A transfer from a sender made for it, funded with exactly what the transaction may cost
    /// (value + gas limit × fee cap), or one wei less.
    pub(super) fn balance_edge(&mut self) -> CaseTx {
        let index = self.keys.len();
        let key = sign::test_key(EXTRA_KEY_BASE + index as u64);
        let address = sign::address_of(&key);
        self.keys.push(key);
        self.senders.push(address);
        self.nonces.push(0);
        let short = self.rng.chance(50);
        let kind = if short {
            "invalid-balance-short"
        } else {
            "tx-balance-exact"
        };
        let to = self.fresh_address();
        let mut d = Draft::call(kind, to, Vec::new()).costs(0, 0, 120);
        d.value = U256::from(self.rng.range(0, 1_000_000_000));
        let (tx, req) = self.finish_request(d, index);
        let cost = U256::from(req.gas_limit) * U256::from(req.max_fee_per_gas) + req.value;
        let balance = if short { cost - U256::from(1) } else { cost };
        self.pre_state.insert(
            address,
            PreAccount {
                balance,
                ..PreAccount::default()
            },
        );
        tx
    }
}
