//! Party edges (scenario `party-edge`, run alone with `ORACLE_DIFF_SCENARIO=party-edge`): who
//! is who in a block. The coinbase is drawn once a block among a sender, a contract the
//! block's transactions call, the bootloader's formal address 0x8001 (where upstream collects
//! each fee before moving it on), a hook, a precompile, the zero address, a holder and a fresh
//! address; then transactions to their own sender, to the coinbase (with value and calldata),
//! from the coinbase, deployments from it, `SELFDESTRUCT`s whose beneficiary is `COINBASE`,
//! `ORIGIN`, `CALLER` or the contract itself (standing or created in the same transaction),
//! senders drained to exactly zero by their own transaction and probed afterwards (a nonce
//! without balance), and senders funded in the block by another transaction with exactly what
//! they then spend (or one wei less). Probes return `BALANCE`, `EXTCODESIZE`, `EXTCODEHASH` and
//! `EXTCODECOPY` of the coinbase, every sender and 0x8001, so return data shows who holds what
//! when.

use super::asm::{assemble, op, Item};
use super::case::CaseTx;
use super::contracts;
use super::edge_contracts::{self as edge, CreatePlan};
use super::generate::{address_from, at, Builder, Draft, SENDERS};
use alloy_primitives::{Address, B256, U256};

/// Gas of a plain transfer, the limit the drained and funded senders sign.
const TRANSFER_GAS: u64 = 21_000;

impl Builder<'_> {
    /// The transactions of the party edge scenario (the block's coinbase was drawn by
    /// [`Builder::party_coinbase`] before them).
    pub(super) fn party_edge(&mut self) -> Vec<CaseTx> {
        let sender = self.rng.below(SENDERS) as usize;
        match self.rng.below(9) {
            0 => vec![self.self_transfer(sender)],
            1 => vec![self.pay_coinbase(sender)],
            2 => vec![self.party_probe(sender)],
            3 => vec![self.selfdestruct_to_party(sender)],
            4 => self.drained_sender(sender),
            5 => self.funded_in_block(sender),
            6 => vec![self.coinbase_sends(sender, true)],
            7 => vec![self.coinbase_sends(sender, false)],
            _ => vec![self.party_probe(sender)],
        }
    }

    /// The coinbase of a block of this scenario: a sender, a probing contract, 0x8001, a hook
    /// or precompile, zero, a holder or a fresh address.
    pub(super) fn party_coinbase(&mut self) -> Address {
        match self.rng.below(10) {
            0..=2 => self.rng.pick(&self.senders),
            3 | 4 => {
                let script = self.fresh_address();
                let probes = self.party_probes(script);
                let balance = self.rng.range(0, 1_000_000);
                self.install_at(script, edge::environment(&probes), balance);
                script
            }
            5 => address_from(0x8001),
            6 => address_from(self.rng.pick(&[0x8008, 0x800a, 0x01, 0x04])),
            7 => Address::ZERO,
            8 => at::HOLDERS[self.rng.below(3) as usize],
            _ => self.fresh_address(),
        }
    }

    /// The sender index of the coinbase, if a sender is the coinbase.
    fn coinbase_sender(&self) -> Option<usize> {
        self.senders.iter().position(|s| *s == self.params.coinbase)
    }

    /// What a probe reads: `own`, the coinbase, 0x8001 and the last eight senders (those made
    /// for this block among them).
    fn party_probes(&self, own: Address) -> Vec<Address> {
        let mut probes = vec![own, self.params.coinbase, address_from(0x8001)];
        let from = self.senders.len().saturating_sub(8);
        probes.extend_from_slice(&self.senders[from..]);
        probes
    }

    fn value_or_zero(&mut self) -> U256 {
        match self.rng.below(4) {
            0 => U256::ZERO,
            1 => U256::from(1u64),
            _ => U256::from(self.rng.range(1, 1_000_000) * 1_000),
        }
    }

    fn self_transfer(&mut self, sender: usize) -> CaseTx {
        let to = self.senders[sender];
        let len = self.rng.pick(&[0u64, 0, 1, 64, 3_000]) as usize;
        let data = self.random_calldata(len, 30);
        let mut d = Draft::call(&format!("party:self-transfer-{len}"), to, data).costs(0, 0, 150);
        d.value = self.value_or_zero();
        self.finish(d, sender)
    }

    fn pay_coinbase(&mut self, sender: usize) -> CaseTx {
        let to = self.params.coinbase;
        let len = self.rng.pick(&[0u64, 0, 4, 100]) as usize;
        let data = self.rng.bytes(len);
        let mut d = Draft::call(&format!("party:to-coinbase-{len}"), to, data)
            .costs(300_000, 60_000_000, 300);
        d.value = self.value_or_zero();
        self.finish(d, sender)
    }

    fn party_probe(&mut self, sender: usize) -> CaseTx {
        let script = self.fresh_address();
        let probes = self.party_probes(script);
        let balance = self.rng.range(0, 1_000);
        self.install_at(script, edge::environment(&probes), balance);
        let mut d = Draft::call("party:probe", script, Vec::new()).costs(400_000, 80_000_000, 300);
        d.value = self.value_or_zero();
        self.finish(d, sender)
    }

    fn selfdestruct_to_party(&mut self, sender: usize) -> CaseTx {
        let (name, beneficiary) = self.rng.pick(&[
            ("coinbase", op::COINBASE),
            ("coinbase", op::COINBASE),
            ("origin", op::ORIGIN),
            ("caller", op::CALLER),
            ("self", op::ADDRESS),
        ]);
        let victim = assemble(&[Item::Op(beneficiary), Item::Op(op::SELFDESTRUCT)]);
        let balance = self.rng.pick(&[0, 1, 5_000_000]);
        let mut d = if self.rng.chance(50) {
            let at = self.install(victim, balance);
            Draft::call(&format!("party:selfdestruct-{name}"), at, Vec::new())
        } else {
            // Created and destroyed in one transaction (EIP-6780: the account goes).
            let plan = CreatePlan {
                salt: self
                    .rng
                    .chance(50)
                    .then(|| B256::from(U256::from(self.rng.below(3)))),
                value: balance,
                twice: self.rng.chance(30),
            };
            let creator = self.install(edge::creator(&plan), 2 * balance);
            Draft::call(&format!("party:born-selfdestruct-{name}"), creator, victim)
        };
        d = d.costs(200_000, 60_000_000, 400);
        d.value = self.value_or_zero();
        self.finish(d, sender)
    }

    /// A transfer at exactly [`TRANSFER_GAS`] and the base fee from a sender made with exactly
    /// its value and fee (or one wei less: refused), then a probe of that sender.
    fn drained_sender(&mut self, prober: usize) -> Vec<CaseTx> {
        let value = self.value_or_zero();
        let short = self.rng.chance(25);
        let to = match self.rng.below(3) {
            0 => self.params.coinbase,
            1 => self.fresh_address(),
            _ => self.rng.pick(&self.senders),
        };
        let (index, d) = self.exact_spender("party:drained", to, value, short);
        let first = self.finish(d, index);
        vec![first, self.party_probe(prober)]
    }

    /// A sender made empty, funded by `funder`'s transfer with exactly what its own transfer
    /// then costs (or one wei less: refused), then that transfer.
    fn funded_in_block(&mut self, funder: usize) -> Vec<CaseTx> {
        let value = self.value_or_zero();
        let short = self.rng.chance(25);
        let to = if self.rng.chance(50) {
            self.params.coinbase
        } else {
            self.senders[funder]
        };
        let (index, d) = self.exact_spender("party:funded", to, value, short);
        // Absent from the pre-state, not present and empty: the oracle's rig writes a leaf for
        // every pre-state account, so an empty one would exist upstream and not on zkos.
        let needed = self
            .pre_state
            .remove(&self.senders[index])
            .map_or(U256::ZERO, |account| account.balance);
        let mut funding =
            Draft::call("party:funding", self.senders[index], Vec::new()).costs(0, 0, 150);
        funding.value = needed;
        let first = self.finish(funding, funder);
        vec![first, self.finish(d, index)]
    }

    /// A sender made with exactly `value` plus [`TRANSFER_GAS`] at the base fee (less one wei
    /// when `short`) and its transfer of `value` to `to`, signed at that gas and price.
    fn exact_spender(
        &mut self,
        kind: &str,
        to: Address,
        value: U256,
        short: bool,
    ) -> (usize, Draft) {
        let index = self.made_sender(Vec::new());
        let base = self.params.base_fee;
        let fee = U256::from(base) * U256::from(TRANSFER_GAS);
        let balance = (fee + value).saturating_sub(U256::from(u64::from(short)));
        if balance.is_zero() {
            // A zero fee and value (a zero base fee): absent, not present and empty (see
            // `funded_in_block`).
            self.pre_state.remove(&self.senders[index]);
        } else if let Some(account) = self.pre_state.get_mut(&self.senders[index]) {
            account.balance = balance;
        }
        let name = if short {
            format!("invalid-{kind}-short")
        } else {
            kind.to_string()
        };
        let mut d = Draft::call(&name, to, Vec::new());
        d.value = value;
        d.gas_limit = Some(TRANSFER_GAS);
        d.fee = Some((base, 0));
        d.tx_type = Some(self.rng.pick(&[0, 2]));
        (index, d)
    }

    /// A transaction from the coinbase when a sender is the coinbase (a deployment when
    /// `deploy`, else a transfer or a call of the token), from `sender` otherwise.
    fn coinbase_sends(&mut self, sender: usize, deploy: bool) -> CaseTx {
        let from = self.coinbase_sender().unwrap_or(sender);
        let d = if deploy {
            let len = self.rng.range(1, 200) as usize;
            let runtime = self.rng.bytes(len);
            let mut d = Draft::call(
                "party:coinbase-deploys",
                Address::ZERO,
                contracts::deployer(&runtime),
            )
            .costs(60_000 + 200 * len as u64, 20_000_000, 400 + len as u64);
            d.to = None;
            d.value = self.value_or_zero();
            d
        } else if self.rng.chance(50) {
            let to = self.fresh_or_holder();
            let mut d = Draft::call("party:coinbase-sends", to, Vec::new()).costs(0, 0, 150);
            d.value = self.value_or_zero();
            d
        } else {
            let to = self.params.coinbase;
            let amount = U256::from(self.rng.range(0, 1_000));
            Draft::call(
                "party:coinbase-token",
                at::TOKEN,
                contracts::transfer_call(&to, amount),
            )
            .costs(60_000, 3_000_000, 250)
        };
        self.finish(d, from)
    }
}
