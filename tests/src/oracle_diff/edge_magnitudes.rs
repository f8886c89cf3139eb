//! Magnitude edges: modexp length fields past 64 bits (refused by the snapshot's `usize`
//! casts, `system_functions/modexp/mod.rs`) or huge with zero base and modulus (the 200-gas
//! minimum), blake2f rounds up to 2^32 − 1, bn254 pairings of up to 12 pairs, the hashes and
//! identity on 128 kB to 1 MB, P256 inputs with zero, out-of-range and off-curve parts;
//! balances at the top of the 256-bit range (a value transfer that would overflow the
//! recipient); access lists of up to 300 keys naming precompiles, system addresses, the
//! sender, the recipient and the coinbase; top-level deployments of code at and past 24,576
//! bytes or starting with 0xEF; and recursion to exactly 1,023, 1,024 and 1,025 frames.

use super::asm::op;
use super::case::PreAccount;
use super::contracts::{self, BN254_G1_GENERATOR, BN254_G1_NEG_GENERATOR, BN254_G2_GENERATOR};
use super::edge_contracts::{self as edge, CallPlan};
use super::edge_precompiles::CallerInput;
use super::generate::{address_from, at, Builder, Draft};
use super::sign::AccessItem;
use alloy_primitives::{hex, Address, B256, U256};

/// The P256 group order n.
const P256_N: [u8; 32] = hex!("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
/// The P256 base field modulus p.
const P256_P: [u8; 32] = hex!("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
/// EIP-170's deployed code limit, in bytes.
const MAX_CODE_BYTES: usize = 24_576;

/// A length word: `value` with `high` set in its top byte.
fn length_word(value: u64, high: u8) -> [u8; 32] {
    let mut word = contracts::word(value);
    word[0] = high;
    word
}

impl Builder<'_> {
    /// The magnitude edge scenario.
    pub(super) fn magnitude_edge(&mut self, sender: usize) -> Draft {
        match self.rng.below(9) {
            0..=2 => self.big_precompile(),
            3 | 4 => self.balance_top(),
            5 | 6 => self.long_access_list(sender),
            7 => self.deploy_code_limit(),
            _ => {
                let depth = self.rng.pick(&[1_022u64, 1_023, 1_024, 1_025]);
                let script = self.install(edge::recursive(), 0);
                Draft::call(
                    &format!("magnitude:depth-{depth}"),
                    script,
                    contracts::words(&[depth]),
                )
                .costs(5_000_000, 500_000_000, 400)
            }
        }
    }

    /// A precompile input of large or extreme magnitude: the name, the address, the input,
    /// the declared input length and the gas and native it may need.
    fn big_input(&mut self) -> CallerInput {
        match self.rng.below(5) {
            0 => {
                let (name, head) = match self.rng.below(5) {
                    0 => (
                        "base-len-2^64",
                        [length_word(0, 0), length_word(0, 0), length_word(1, 0)],
                    ),
                    1 => (
                        "base-len-2^255",
                        [length_word(1, 0x80), length_word(1, 0), length_word(0, 0)],
                    ),
                    2 => (
                        "mod-len-2^255",
                        [length_word(1, 0), length_word(1, 0), length_word(1, 0x80)],
                    ),
                    3 => (
                        "exp-len-2^255-zero",
                        [length_word(0, 0), length_word(0, 0x80), length_word(0, 0)],
                    ),
                    _ => (
                        "exp-len-2^255",
                        [length_word(1, 0), length_word(0, 0x80), length_word(1, 0)],
                    ),
                };
                let mut head = head;
                if name == "base-len-2^64" {
                    // 2^64 exactly: bit 64 set, low 64 bits zero.
                    head[0][23] = 1;
                }
                let mut input: Vec<u8> = head.concat();
                input.extend(self.rng.bytes(40));
                let len = input.len() as u64;
                (format!("modexp-{name}"), 0x05, input, len, 2_000, 2_000_000)
            }
            1 => {
                let mut input = contracts::BLAKE2F_VALID_INPUT.to_vec();
                let rounds = self.rng.pick(&[1u32 << 24, u32::MAX - 1, u32::MAX]);
                input[..4].copy_from_slice(&rounds.to_be_bytes());
                let len = self.rng.pick(&[212, 213, 213]);
                (
                    format!("blake2f-r{rounds}-{len}"),
                    0x09,
                    input,
                    len,
                    10_000,
                    2_000_000,
                )
            }
            2 => {
                let pairs = self.rng.range(4, 12);
                let bad = self.rng.chance(30).then(|| self.rng.below(pairs));
                let mut input = Vec::new();
                for i in 0..pairs {
                    if bad == Some(i) {
                        input.extend_from_slice(&contracts::words(&[1, 3]));
                    } else {
                        input.extend_from_slice(if i % 2 == 0 {
                            &BN254_G1_GENERATOR
                        } else {
                            &BN254_G1_NEG_GENERATOR
                        });
                    }
                    input.extend_from_slice(&BN254_G2_GENERATOR);
                }
                let len = input.len() as u64;
                let name = format!(
                    "bn254-pairing-{pairs}{}",
                    if bad.is_some() { "-bad" } else { "" }
                );
                (
                    name,
                    0x08,
                    input,
                    len,
                    45_000 + 34_000 * pairs,
                    30_000_000 * (pairs + 1),
                )
            }
            3 => {
                let (name, address, per_word) =
                    self.rng
                        .pick(&[("sha256", 2, 12), ("ripemd160", 3, 120), ("identity", 4, 3)]);
                let len = self.rng.pick(&[131_072u64, 262_144, 1_000_000, 1 << 20]);
                let prefix = self.rng.bytes(300);
                (
                    format!("{name}-{len}"),
                    address,
                    prefix,
                    len,
                    600 + per_word * len.div_ceil(32),
                    2_000_000 + 200 * len,
                )
            }
            _ => self.p256_malformed(),
        }
    }

    fn p256_malformed(&mut self) -> CallerInput {
        let mut input = contracts::P256_VALID_INPUT.to_vec();
        // hash 0..32, r 32..64, s 64..96, x 96..128, y 128..160.
        let name = match self.rng.below(7) {
            0 => {
                input[32..64].fill(0);
                "r-zero"
            }
            1 => {
                input[64..96].fill(0);
                "s-zero"
            }
            2 => {
                input[32..64].copy_from_slice(&P256_N);
                "r-order"
            }
            3 => {
                input[64..96].copy_from_slice(&P256_N);
                "s-order"
            }
            4 => {
                input[96..160].fill(0);
                "key-zero"
            }
            5 => {
                input[96..128].copy_from_slice(&P256_P);
                "x-over-field"
            }
            _ => {
                input[159] ^= 1;
                "key-off-curve"
            }
        };
        (format!("p256-{name}"), 0x100, input, 160, 10_000, 2_000_000)
    }

    fn big_precompile(&mut self) -> Draft {
        let call = self.big_input();
        let call_gas = self.rng.chance(30).then_some(call.4);
        self.precompile_caller_draft("magnitude", call, call_gas)
    }

    /// A value transfer into an account whose balance sits at the top of the 256-bit range,
    /// from the transaction (up to the top) or from a contract (also past it: the call fails).
    /// Not generated, because upstream fails the whole block (no outcome of zkos can match):
    /// a transaction's own value, a self-destruct or the fees carrying a balance past
    /// 2^256 − 1 (`runner.rs` `TopLevelInsufficientBalance`, `host.rs` `Deconstruction`,
    /// "must be able to move funds to coinbase"); no state of a chain reaches it.
    fn balance_top(&mut self) -> Draft {
        let to = self.fresh_address();
        let headroom = self.rng.pick(&[0u64, 1, 1_000]);
        let value = self.rng.pick(&[0u64, 1, 1_000, 1_001]);
        let is_contract = self.rng.chance(30);
        self.pre_state.insert(
            to,
            PreAccount {
                balance: U256::MAX - U256::from(headroom),
                nonce: u64::from(is_contract),
                code: if is_contract { vec![0x00] } else { Vec::new() },
                ..PreAccount::default()
            },
        );
        let overflow = if value > headroom { "-overflow" } else { "" };
        let target = if is_contract { "contract" } else { "account" };
        if self.rng.chance(50) {
            let mut d = Draft::call(
                &format!("magnitude:balance-top-direct-{target}"),
                to,
                Vec::new(),
            )
            .costs(30_000, 3_000_000, 150);
            d.value = U256::from(value.min(headroom));
            d
        } else {
            let plan = CallPlan {
                opcode: op::CALL,
                target: to,
                value,
                gas: None,
                ret_size: 0,
                copy: None,
            };
            let caller = self.install(edge::caller(&plan), 0);
            // The caller itself holds nearly all wei there is minus the recipient's.
            if let Some(account) = self.pre_state.get_mut(&caller) {
                account.balance = U256::from(headroom) + U256::from(value);
            }
            Draft::call(
                &format!("magnitude:balance-top-call-{target}{overflow}"),
                caller,
                Vec::new(),
            )
            .costs(60_000, 6_000_000, 300)
        }
    }

    /// An access list of many keys over precompiles, system addresses, the sender, the
    /// recipient and the coinbase.
    fn long_access_list(&mut self, sender: usize) -> Draft {
        let addresses = [
            address_from(0x01),
            address_from(0x05),
            address_from(0x100),
            address_from(0x8001),
            address_from(0x8003),
            address_from(0x8008),
            self.senders[sender],
            at::STORAGE_READER,
            self.params.coinbase,
            at::TOKEN,
        ];
        let items = self.rng.range(1, 10);
        let keys_total = self.rng.pick(&[0u64, 10, 64, 300]);
        let mut list: Vec<AccessItem> = (0..items)
            .map(|_| AccessItem {
                address: self.rng.pick(&addresses),
                keys: Vec::new(),
            })
            .collect();
        for k in 0..keys_total {
            let item = self.rng.below(items) as usize;
            let key = if self.rng.chance(50) {
                B256::from(U256::from(k % 12))
            } else {
                B256::from(self.rng.word())
            };
            list[item].keys.push(key);
        }
        let count = self.rng.range(1, 10);
        let mut d = Draft::call(
            &format!("magnitude:access-list-{items}x{keys_total}"),
            at::STORAGE_READER,
            contracts::words(&[self.rng.below(8), count]),
        )
        .costs(30_000 + 2_300 * count, 300_000 * count, 150);
        d.access_list = list;
        d
    }

    /// A top-level deployment of code at EIP-170's limit, one byte past it, or starting
    /// with 0xEF.
    fn deploy_code_limit(&mut self) -> Draft {
        let (name, runtime) = match self.rng.below(3) {
            0 => ("code-24576", vec![0x5b; MAX_CODE_BYTES]),
            1 => ("code-24577", vec![0x5b; MAX_CODE_BYTES + 1]),
            _ => {
                let len = self.rng.range(1, 40) as usize;
                let mut runtime = self.rng.bytes(len);
                runtime[0] = 0xef;
                ("code-ef", runtime)
            }
        };
        let len = runtime.len() as u64;
        let mut d = Draft::call(
            &format!("magnitude:deploy-{name}"),
            Address::ZERO,
            contracts::deployer(&runtime),
        )
        .costs(40_000 + 220 * len, 6_000_000 + 400 * len, 300 + len);
        d.to = None;
        d
    }
}
