//! Delegated-account edges: accounts of the pre-state whose code is an EIP-7702 delegation
//! designator (`0xef0100 ‖ address`, or one a byte short or long), delegating to a contract,
//! an empty or new account, a precompile, a kernel address, itself or another delegated
//! account. The snapshot's production build (`pectra` off) stores such code as a delegation
//! without a jumpdest bitmap and never follows it, so a call runs the designator (0xef halts).
//! Each is probed (`BALANCE`, `EXTCODESIZE`, `EXTCODEHASH`, `EXTCODECOPY`), called by every
//! call kind with and without value and gas (the caller's balance sometimes short, so the call
//! is refused after the callee's code was read), called directly by a transaction, taken as a
//! `CREATE`/`CREATE2` target (a collision), or is itself the sender, calling itself or
//! another delegated account. Types 3 and 4 cannot reach the oracle (its rig's encoder unwraps
//! a gas price those envelopes lack), so delegations are set in the pre-state. Beside them,
//! preimage twins: contracts whose codes differ only in trailing zero bytes (inside their last
//! 8-byte word or past it, so sharing upstream's padded preimage or not), called one after
//! the other in a block, directly or through a script.

use super::asm::op;
use super::case::{CaseTx, PreAccount};
use super::edge_contracts::{self as edge, CallPlan, CreatePlan};
use super::generate::{address_from, at, Builder, Draft};
use alloy_primitives::{Address, B256, U256};

/// The three bytes that begin a delegation designator.
const DESIGNATOR_PREFIX: [u8; 3] = [0xef, 0x01, 0x00];

impl Builder<'_> {
    /// The transactions of the delegated-account scenario.
    pub(super) fn delegated_edge(&mut self, sender: usize) -> Vec<CaseTx> {
        if self.rng.chance(20) {
            return self.preimage_twins(sender);
        }
        let (target_kind, delegated) = self.delegated_account();
        match self.rng.below(5) {
            0 => {
                let script = self.fresh_address();
                let probes = [delegated, script];
                self.install_at(script, edge::environment(&probes), 0);
                let kind = format!("delegated:probe-{target_kind}");
                let d = Draft::call(&kind, script, Vec::new()).costs(150_000, 30_000_000, 300);
                vec![self.finish(d, sender)]
            }
            1 => vec![self.call_delegated(delegated, target_kind, sender)],
            2 => {
                let data_len = self.rng.pick(&[0, 0, 4, 68]) as usize;
                let data = self.rng.bytes(data_len);
                let kind = format!("delegated:direct-{target_kind}");
                let mut d = Draft::call(&kind, delegated, data).costs(10_000, 5_000_000, 200);
                d.value = U256::from(self.rng.pick(&[0, 0, 1, 5_000]));
                vec![self.finish(d, sender)]
            }
            3 => vec![self.create_onto_delegated(target_kind, sender)],
            _ => vec![self.delegated_sender(delegated, target_kind)],
        }
    }

    /// A fresh account holding a designator (well formed four times in five), and what it
    /// delegates to.
    fn delegated_account(&mut self) -> (&'static str, Address) {
        let address = self.fresh_address();
        let (kind, target) = self.delegation_target(address);
        let code = self.designator(&target);
        let balance = self.rng.pick(&[0, 1, 1_000_000]);
        let nonce = self.rng.below(3);
        self.pre_state.insert(
            address,
            PreAccount {
                balance: U256::from(balance),
                nonce,
                code,
                ..PreAccount::default()
            },
        );
        (kind, address)
    }

    fn delegation_target(&mut self, itself: Address) -> (&'static str, Address) {
        match self.rng.below(8) {
            0 => ("logger", at::LOGGER),
            1 => ("token", at::TOKEN),
            2 => ("new", self.fresh_address()),
            3 => ("holder", self.rng.pick(&at::HOLDERS)),
            4 => (
                "precompile",
                address_from(self.rng.pick(&[0x01, 0x02, 0x04])),
            ),
            5 => ("kernel", address_from(self.rng.pick(&[0x8001, 0x8008]))),
            6 => ("self", itself),
            _ => {
                let (_, other) = self.delegated_account_to(at::PROXY);
                ("delegated", other)
            }
        }
    }

    /// A fresh account delegating to `target` with a well-formed designator.
    fn delegated_account_to(&mut self, target: Address) -> (&'static str, Address) {
        let address = self.fresh_address();
        let mut code = DESIGNATOR_PREFIX.to_vec();
        code.extend_from_slice(target.as_slice());
        self.install_at(address, code, 0);
        ("delegated", address)
    }

    /// The designator of `target`; one time in five a byte short or a byte long.
    fn designator(&mut self, target: &Address) -> Vec<u8> {
        let mut code = DESIGNATOR_PREFIX.to_vec();
        code.extend_from_slice(target.as_slice());
        if self.rng.chance(10) {
            code.pop();
        } else if self.rng.chance(10) {
            code.push(0x00);
        }
        code
    }

    fn call_delegated(&mut self, delegated: Address, target_kind: &str, sender: usize) -> CaseTx {
        let opcode = self
            .rng
            .pick(&[op::CALL, op::CALLCODE, op::DELEGATECALL, op::STATICCALL]);
        let (value, gas) =
            self.call_value_and_gas(opcode, 1_000_000, &[0, 100, 2_300, 2_700, 30_000]);
        let plan = CallPlan {
            opcode,
            target: delegated,
            value,
            gas,
            ret_size: 32,
            copy: None,
        };
        // One time in three the script holds less than the value: refused after the read.
        let balance = if value > 0 && self.rng.chance(33) {
            value - 1
        } else {
            value + self.rng.range(0, 1_000)
        };
        let script = self.install(edge::caller(&plan), balance);
        let name = match opcode {
            op::CALL => "call",
            op::CALLCODE => "callcode",
            op::DELEGATECALL => "delegatecall",
            _ => "staticcall",
        };
        let kind = format!(
            "delegated:{name}{}-{target_kind}",
            if value > 0 { "+value" } else { "" }
        );
        let data_len = self.rng.pick(&[0, 4, 36]) as usize;
        let data = self.rng.bytes(data_len);
        let d = Draft::call(&kind, script, data).costs(100_000, 30_000_000, 300);
        self.finish(d, sender)
    }

    /// A script whose `CREATE` or `CREATE2` lands on an account holding a designator.
    fn create_onto_delegated(&mut self, target_kind: &str, sender: usize) -> CaseTx {
        let initcode: Vec<u8> = self
            .rng
            .pick(&[
                &[][..],
                &[op::STOP][..],
                &[0x60, 0x01, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xf3],
            ])
            .to_vec();
        let salt = self.rng.chance(50).then(|| B256::from(self.rng.word()));
        let plan = CreatePlan {
            salt,
            value: self.rng.pick(&[0, 0, 3_000]),
            twice: false,
        };
        let creator = self.install(edge::creator(&plan), 1_000_000);
        let created = match salt {
            Some(salt) => edge::create2_address(&creator, &salt, &initcode),
            None => creator.create(1),
        };
        let (_, target) = self.delegation_target(created);
        let code = self.designator(&target);
        self.pre_state.insert(
            created,
            PreAccount {
                nonce: self.rng.below(2),
                code,
                ..PreAccount::default()
            },
        );
        let kind = format!(
            "delegated:{}-onto-{target_kind}",
            if salt.is_some() { "create2" } else { "create" }
        );
        let d = Draft::call(&kind, creator, initcode).costs(100_000, 30_000_000, 300);
        self.finish(d, sender)
    }

    /// A sender made for this transaction whose own code is a designator, sending to itself
    /// or calling `delegated`.
    fn delegated_sender(&mut self, delegated: Address, target_kind: &str) -> CaseTx {
        let target = if self.rng.chance(50) {
            at::LOGGER
        } else {
            delegated
        };
        let mut code = DESIGNATOR_PREFIX.to_vec();
        code.extend_from_slice(target.as_slice());
        let index = self.made_sender(code);
        let (name, to) = if self.rng.chance(50) {
            ("self", self.senders[index])
        } else {
            ("other", delegated)
        };
        let kind = format!("delegated:sender-to-{name}-{target_kind}");
        let data_len = self.rng.pick(&[0, 4]) as usize;
        let data = self.rng.bytes(data_len);
        let mut d = Draft::call(&kind, to, data).costs(10_000, 5_000_000, 250);
        d.value = U256::from(self.rng.pick(&[0, 7]));
        self.finish(d, index)
    }

    /// Two or three calls into contracts whose codes are one random runtime followed by 0 to
    /// 12 zero bytes each (a designator one time in four).
    fn preimage_twins(&mut self, sender: usize) -> Vec<CaseTx> {
        let mut runtime = if self.rng.chance(25) {
            let mut code = DESIGNATOR_PREFIX.to_vec();
            code.extend_from_slice(at::LOGGER.as_slice());
            code
        } else {
            let len = self.rng.range(1, 40) as usize;
            let mut code = self.rng.bytes(len);
            code[0] = self.rng.pick(&[0x00, 0x5f, 0x60, 0x5b]);
            code
        };
        while runtime.last() == Some(&0) {
            runtime.pop();
        }
        let mut txs = Vec::new();
        for _ in 0..self.rng.range(2, 4) {
            let zeros = self.rng.range(0, 13) as usize;
            let mut code = runtime.clone();
            code.resize(runtime.len() + zeros, 0);
            let twin = self.install(code, 0);
            let d = if self.rng.chance(50) {
                let kind = format!("preimage-twin:direct+{zeros}");
                Draft::call(&kind, twin, Vec::new()).costs(30_000, 5_000_000, 200)
            } else {
                let plan = CallPlan {
                    opcode: self.rng.pick(&[op::CALL, op::STATICCALL, op::DELEGATECALL]),
                    target: twin,
                    value: 0,
                    gas: None,
                    ret_size: 32,
                    copy: None,
                };
                let script = self.install(edge::caller(&plan), 0);
                let kind = format!("preimage-twin:script+{zeros}");
                Draft::call(&kind, script, Vec::new()).costs(60_000, 10_000_000, 250)
            };
            txs.push(self.finish(d, sender));
        }
        txs
    }
}
