//! Account edge scenarios: calls of every kind into an account deployed with empty code (in the
//! same frame, or in a later transaction of the block, from a script or at the top level),
//! value-carrying calls into new, existing, contract, kernel and own accounts with the caller's
//! balance short, exact or ample, value passed through frames that revert, and nonces at
//! 2^64 − 2 and 2^64 − 1 (senders and creating contracts).

use super::asm::op;
use super::case::{CaseTx, PreAccount};
use super::contracts;
use super::edge_contracts::{self as edge, CallPlan, CreatePlan};
use super::edge_scripts::{self as script, ThenCall};
use super::generate::{address_from, at, Builder, Draft};
use super::sign::{self, AccessItem};
use alloy_primitives::{Address, B256, U256};

/// First key index of the senders made for the nonce scenarios.
const NONCE_KEY_BASE: u64 = 2_000;

/// Initcodes that deploy empty code: none at all, a bare `STOP`, and a constructor that
/// self-destructs to its creator.
const EMPTY_INITCODES: [(&str, &[u8]); 3] = [
    ("init-empty", &[]),
    ("init-stop", &[op::STOP]),
    ("init-selfdestructs", &[op::CALLER, op::SELFDESTRUCT]),
];

fn call_name(opcode: u8) -> &'static str {
    match opcode {
        op::CALL => "call",
        op::CALLCODE => "callcode",
        op::DELEGATECALL => "delegatecall",
        _ => "staticcall",
    }
}

impl Builder<'_> {
    fn any_call_kind(&mut self) -> u8 {
        self.rng
            .pick(&[op::CALL, op::CALLCODE, op::DELEGATECALL, op::STATICCALL])
    }

    fn call_value(&mut self, opcode: u8) -> u64 {
        if matches!(opcode, op::CALL | op::CALLCODE) && self.rng.chance(50) {
            self.rng.range(1, 2_000_000_000)
        } else {
            0
        }
    }

    fn call_gas(&mut self) -> Option<u64> {
        if self.rng.chance(50) {
            None
        } else {
            Some(self.rng.pick(&[0, 1, 100, 2_300, 9_000, 100_000]))
        }
    }

    /// The transactions of the empty-code scenario: one that creates and calls in one frame,
    /// or a deployment followed by calls into it in later transactions.
    pub(super) fn empty_code(&mut self, sender: usize) -> Vec<CaseTx> {
        let (init_kind, initcode) = self.rng.pick(&EMPTY_INITCODES);
        if self.rng.chance(40) {
            let opcode = self.any_call_kind();
            let call = ThenCall {
                opcode,
                value: self.call_value(opcode),
                gas: self.call_gas(),
            };
            let salt = self.rng.chance(50).then(|| B256::from(self.rng.word()));
            let endowment = self.rng.pick(&[0, 0, 1_000]);
            let balance = self.rng.range(0, 3_000_000_000);
            let code = script::create_then_call(salt, endowment, &call);
            let to = self.install(code, balance);
            let kind = format!(
                "empty-code:same-frame-{}-{init_kind}{}",
                call_name(opcode),
                if call.value > 0 { "+value" } else { "" }
            );
            let d = Draft::call(&kind, to, initcode.to_vec()).costs(300_000, 60_000_000, 600);
            return vec![self.finish(d, sender)];
        }
        let mut txs = Vec::new();
        let created = if self.rng.chance(40) {
            let deployer = self.senders[sender];
            let created = deployer.create(self.nonces[sender]);
            let mut d = Draft::call(&format!("empty-code:deploy-top-{init_kind}"), at::TOKEN, {
                initcode.to_vec()
            })
            .costs(60_000, 20_000_000, 400);
            d.to = None;
            d.value = U256::from(self.rng.pick(&[0, 0, 7_000]));
            txs.push(self.finish(d, sender));
            created
        } else {
            let salt = self.rng.chance(50).then(|| B256::from(self.rng.word()));
            let plan = CreatePlan {
                salt,
                value: self.rng.pick(&[0, 0, 5_000]),
                twice: false,
            };
            let creator = self.install(edge::creator(&plan), 1_000_000);
            let created = match salt {
                Some(salt) => edge::create2_address(&creator, &salt, initcode),
                None => creator.create(1),
            };
            let d = Draft::call(
                &format!("empty-code:deploy-script-{init_kind}"),
                creator,
                initcode.to_vec(),
            )
            .costs(100_000, 30_000_000, 400);
            txs.push(self.finish(d, sender));
            created
        };
        for _ in 0..self.rng.range(1, 3) {
            let later_sender = self.rng.below(self.senders.len().min(4) as u64) as usize;
            let d = self.call_into(created);
            txs.push(self.finish(d, later_sender));
        }
        txs
    }

    /// A later transaction into `created`: directly, or through a script with any call kind.
    fn call_into(&mut self, created: Address) -> Draft {
        let data_len = self.rng.pick(&[0, 0, 4, 36]) as usize;
        let data = self.rng.bytes(data_len);
        if self.rng.chance(30) {
            let mut d = Draft::call("empty-code:later-direct", created, data)
                .costs(20_000, 10_000_000, 200);
            d.value = U256::from(self.rng.pick(&[0, 1, 3_000]));
            return d;
        }
        let opcode = self.any_call_kind();
        let plan = CallPlan {
            opcode,
            target: created,
            value: self.call_value(opcode),
            gas: self.call_gas(),
            ret_size: self.rng.pick(&[0, 32]),
            copy: None,
        };
        let balance = self.rng.range(0, 3_000_000_000);
        let to = self.install(edge::caller(&plan), balance);
        let kind = format!(
            "empty-code:later-{}{}",
            call_name(opcode),
            if plan.value > 0 { "+value" } else { "" }
        );
        Draft::call(&kind, to, data).costs(300_000, 60_000_000, 600)
    }

    /// A `CALL` or `CALLCODE` with value into a new, existing, contract, kernel or own
    /// account, the caller's balance short by one wei, exact or ample, the callee warm (in the
    /// access list) or cold.
    pub(super) fn value_call(&mut self) -> Draft {
        let script = self.fresh_address();
        let (target_kind, target) = match self.rng.below(9) {
            0 => ("new", self.fresh_address()),
            1 => ("holder", self.rng.pick(&at::HOLDERS)),
            2 => ("sender", self.rng.pick(&self.senders)),
            3 => ("coinbase", self.params.coinbase),
            4 => ("logger", at::LOGGER),
            5 => ("self", script),
            6 => ("precompile", address_from(self.rng.pick(&[0x02, 0x04]))),
            7 => (
                "kernel",
                address_from(self.rng.pick(&[0x0b, 0x8001, 0xffff])),
            ),
            _ => ("reverter", at::REVERTER),
        };
        let opcode = self.rng.pick(&[op::CALL, op::CALL, op::CALLCODE]);
        let value = self.rng.range(1, 2_000_000_000);
        let (balance_kind, balance) = match self.rng.below(3) {
            0 => ("short", value - 1),
            1 => ("exact", value),
            _ => ("ample", value + self.rng.range(1, 1_000_000_000)),
        };
        let plan = CallPlan {
            opcode,
            target,
            value,
            gas: self.call_gas(),
            ret_size: 32,
            copy: None,
        };
        self.pre_state.insert(
            script,
            PreAccount {
                balance: U256::from(balance),
                nonce: 1,
                code: edge::caller(&plan),
                ..PreAccount::default()
            },
        );
        let warm = self.rng.chance(30);
        // One in five from inside a `STATICCALL`, where a `CALL` with value is a violation.
        let from_static = self.rng.chance(20);
        let kind = format!(
            "value-call:{}-{target_kind}-{balance_kind}{}{}",
            call_name(opcode),
            if warm { "+warm" } else { "" },
            if from_static { "+in-static" } else { "" }
        );
        let to = if from_static {
            let outer = CallPlan {
                opcode: op::STATICCALL,
                target: script,
                value: 0,
                gas: None,
                ret_size: 32,
                copy: None,
            };
            self.install(edge::caller(&outer), 0)
        } else {
            script
        };
        let data_len = self.rng.range(0, 40) as usize;
        let mut d =
            Draft::call(&kind, to, self.rng.bytes(data_len)).costs(200_000, 40_000_000, 500);
        if warm {
            d.access_list = vec![AccessItem {
                address: target,
                keys: Vec::new(),
            }];
        }
        d
    }

    /// Value sent through a middle contract that forwards part of it and may revert, from an
    /// outer script that may revert too.
    pub(super) fn value_revert(&mut self) -> Draft {
        let target = match self.rng.below(3) {
            0 => self.fresh_address(),
            1 => self.rng.pick(&at::HOLDERS),
            _ => at::LOGGER,
        };
        let inner_value = self.rng.pick(&[0, 1, 1_000, 5_000_000]);
        let middle_reverts = self.rng.chance(50);
        let middle_balance = self.rng.pick(&[0, 0, 2_000]);
        let middle = self.install(
            script::forwarder(&target, inner_value, middle_reverts),
            middle_balance,
        );
        let outer_value = self.rng.pick(&[0, 1_000, 5_000_000, 9_000_000]);
        let outer_reverts = self.rng.chance(25);
        let outer_balance = self.rng.pick(&[0, 1_000, 10_000_000]);
        let outer = self.install(
            script::value_chain(&middle, &target, outer_value, outer_reverts),
            outer_balance,
        );
        let kind = format!(
            "value-revert:{}{}",
            if middle_reverts {
                "middle-reverts"
            } else {
                "middle-returns"
            },
            if outer_reverts { "+outer-reverts" } else { "" }
        );
        Draft::call(&kind, outer, Vec::new()).costs(200_000, 40_000_000, 500)
    }

    /// Senders at nonce 2^64 − 2 sending twice (the second is past the last nonce) or at
    /// 2^64 − 1, and a contract at 2^64 − 2 creating twice.
    pub(super) fn nonce_max(&mut self) -> Vec<CaseTx> {
        if self.rng.chance(30) {
            let plan = CreatePlan {
                salt: self.rng.chance(50).then(|| B256::from(self.rng.word())),
                value: 0,
                twice: true,
            };
            let creator = self.fresh_address();
            self.pre_state.insert(
                creator,
                PreAccount {
                    nonce: u64::MAX - 1,
                    code: edge::creator(&plan),
                    ..PreAccount::default()
                },
            );
            let sender = self.rng.below(self.senders.len().min(4) as u64) as usize;
            let d = Draft::call(
                "nonce-max:contract-creates-twice",
                creator,
                contracts::deployer(&[op::STOP]),
            )
            .costs(200_000, 50_000_000, 600);
            return vec![self.finish(d, sender)];
        }
        let index = self.keys.len();
        let key = sign::test_key(NONCE_KEY_BASE + index as u64);
        let address = sign::address_of(&key);
        self.keys.push(key);
        self.senders.push(address);
        let start = if self.rng.chance(50) {
            u64::MAX - 1
        } else {
            u64::MAX
        };
        self.nonces.push(start);
        self.pre_state.insert(
            address,
            PreAccount {
                balance: U256::from(10u128.pow(21)),
                nonce: start,
                ..PreAccount::default()
            },
        );
        let mut txs = Vec::new();
        for step in 0..2 {
            let nonce = self.nonces[index];
            let deploy = self.rng.chance(30);
            let kind = format!(
                "{}nonce-max:{}-at-{}",
                if nonce == u64::MAX { "invalid-" } else { "" },
                if deploy { "deploy" } else { "transfer" },
                if nonce == u64::MAX {
                    "max"
                } else {
                    "max-minus-1"
                },
            );
            let mut d = if deploy {
                let mut d = Draft::call(&kind, at::TOKEN, contracts::deployer(&[op::STOP]))
                    .costs(60_000, 20_000_000, 400);
                d.to = None;
                d
            } else {
                let to = self.fresh_address();
                Draft::call(&kind, to, Vec::new()).costs(0, 0, 150)
            };
            d.value = U256::from(self.rng.range(0, 1_000));
            txs.push(self.finish(d, index));
            if nonce == u64::MAX || step == 1 {
                break;
            }
            self.nonces[index] = u64::MAX;
        }
        txs
    }
}
