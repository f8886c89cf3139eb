//! Validation edges: gas limits past 2^24 (upstream caps a transaction at the block's gas
//! limit alone), senders with code (plain, an EIP-7702 delegation designator, a lone `0xef01`),
//! high-s signatures of the right key (last in their block) and signatures with the wrong
//! parity, deployments from the transaction onto an address that already has a nonce, code,
//! storage or only a balance, and deployment initcode at and one byte past EIP-3860's limit.

use super::case::{CaseTx, PreAccount};
use super::contracts;
use super::edge_scenarios::EXTRA_KEY_BASE;
use super::generate::{at, Builder, Draft};
use super::sign::{self, Tweak};
use alloy_primitives::{B256, U256};
use std::collections::BTreeMap;

/// EIP-3860's initcode limit, in bytes.
const MAX_INITCODE_BYTES: usize = 49_152;
/// Balance of a sender made for one transaction: 1,000 ETH.
const MADE_SENDER_WEI: u128 = 1_000_000_000_000_000_000_000;

impl Builder<'_> {
    /// The transactions of the validation edge scenario.
    pub(super) fn validation_edge(&mut self, sender: usize) -> Vec<CaseTx> {
        match self.rng.below(6) {
            0 => vec![self.gas_above_2_24(sender)],
            1 => vec![self.sender_with_code()],
            2 => vec![self.tweaked_signature(sender)],
            3 | 4 => vec![self.deploy_collision(sender)],
            _ => vec![self.initcode_limit(sender)],
        }
    }

    fn gas_above_2_24(&mut self, sender: usize) -> CaseTx {
        let gas = self
            .rng
            .pick(&[1 << 24, (1 << 24) + 1, 20_000_000, 30_000_000]);
        let (name, to) = if self.rng.chance(50) {
            ("transfer", self.fresh_address())
        } else {
            ("burner", at::BURNER)
        };
        let mut d = Draft::call(&format!("validation:gas-{gas}-{name}"), to, Vec::new());
        d.gas_limit = Some(gas);
        self.finish(d, sender)
    }

    /// A sender made for this transaction (funded, nonce 0), with `code`.
    pub(super) fn made_sender(&mut self, code: Vec<u8>) -> usize {
        let index = self.keys.len();
        let key = sign::test_key(EXTRA_KEY_BASE + index as u64);
        let address = sign::address_of(&key);
        self.keys.push(key);
        self.senders.push(address);
        self.nonces.push(0);
        self.pre_state.insert(
            address,
            PreAccount {
                balance: U256::from(MADE_SENDER_WEI),
                code,
                ..PreAccount::default()
            },
        );
        index
    }

    fn sender_with_code(&mut self) -> CaseTx {
        let (name, code) = match self.rng.below(4) {
            0 => {
                let len = self.rng.range(1, 100) as usize;
                let mut code = self.rng.bytes(len);
                code[0] = 0x60;
                ("code", code)
            }
            1 => {
                let mut code = vec![0xef, 0x01, 0x00];
                let fresh = self.fresh_address();
                let target = self.rng.pick(&[at::TOKEN, at::LOGGER, fresh]);
                code.extend_from_slice(target.as_slice());
                ("delegation", code)
            }
            2 => ("ef01", vec![0xef, 0x01]),
            _ => ("stop", vec![0x00]),
        };
        let index = self.made_sender(code);
        let to = self.fresh_address();
        let mut d =
            Draft::call(&format!("validation:sender-{name}"), to, Vec::new()).costs(0, 0, 150);
        d.value = U256::from(self.rng.range(0, 1_000));
        self.finish(d, index)
    }

    fn tweaked_signature(&mut self, sender: usize) -> CaseTx {
        let tweak = self
            .rng
            .pick(&[Tweak::HighS, Tweak::HighS, Tweak::FlippedParity]);
        let name = match tweak {
            Tweak::HighS => "high-s",
            Tweak::FlippedParity => "flipped-parity",
        };
        // A high-s transaction from a sender of its own, so that it stays valid in all but
        // its signature where [`last_unrecoverable`] moves it.
        let sender = if tweak == Tweak::HighS {
            self.made_sender(Vec::new())
        } else {
            sender
        };
        let to = self.fresh_address();
        let mut d = Draft::call(&format!("validation:{name}"), to, Vec::new()).costs(0, 0, 150);
        d.value = U256::from(self.rng.range(0, 1_000));
        let nonce = self.nonces[sender];
        let (mut tx, req) = self.finish_request(d, sender);
        tx.signed = sign::sign_tweaked(&req, &self.keys[sender], tweak);
        // Refused (high s), or sent by another, unfunded address: the sender's next
        // transaction reuses the nonce.
        self.nonces[sender] = nonce;
        tx
    }

    fn deploy_collision(&mut self, sender: usize) -> CaseTx {
        let created = self.senders[sender].create(self.nonces[sender]);
        let (name, account) = match self.rng.below(5) {
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
                "storage",
                PreAccount {
                    balance: U256::from(1u64),
                    storage: BTreeMap::from([(B256::ZERO, B256::with_last_byte(1))]),
                    ..PreAccount::default()
                },
            ),
            _ => (
                "balance",
                PreAccount {
                    balance: U256::from(self.rng.range(1, 1_000_000)),
                    ..PreAccount::default()
                },
            ),
        };
        self.pre_state.insert(created, account);
        let runtime_len = self.rng.range(1, 50) as usize;
        let runtime = self.rng.bytes(runtime_len);
        let mut d = Draft::call(
            &format!("validation:deploy-onto-{name}"),
            at::TOKEN,
            contracts::deployer(&runtime),
        )
        .costs(60_000, 20_000_000, 400);
        d.to = None;
        d.value = U256::from(self.rng.pick(&[0, 0, 5_000]));
        self.finish(d, sender)
    }

    fn initcode_limit(&mut self, sender: usize) -> CaseTx {
        let len = MAX_INITCODE_BYTES + self.rng.below(2) as usize;
        let mut initcode = contracts::deployer(&[0x00]);
        initcode.resize(len, 0);
        // One byte over the limit is refused: the sender's nonce stays.
        let kind = if len > MAX_INITCODE_BYTES {
            format!("invalid-validation:initcode-{len}")
        } else {
            format!("validation:initcode-{len}")
        };
        let mut d = Draft::call(&kind, at::TOKEN, initcode).costs(60_000, 20_000_000, 400);
        d.to = None;
        self.finish(d, sender)
    }
}

/// Moves the high-s transactions to the end of the block. The oracle's rig recovers every
/// sender before the bootloader runs and drops a transaction it cannot recover, which upstream's
/// bootloader would count (refused as `MalleableSignature`): the transaction numbers in the
/// L2→L1 logs of the transactions after it would differ for that reason alone.
pub(super) fn last_unrecoverable(txs: &mut [CaseTx]) {
    txs.sort_by_key(|tx| tx.kind.contains("high-s"));
}
