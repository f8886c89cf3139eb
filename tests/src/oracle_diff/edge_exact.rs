//! Exact-gas edges: a precompile called with exactly its EVM gas, one less or one more (the
//! gas computed here from the snapshot's cost constants, `basic_system/src/cost_constants.rs`
//! and `system_functions/modexp/mod.rs::ergs_cost`, for inputs of any size and modexp exponent
//! heads), from the script's frame or one frame deeper behind the proxy; `SSTORE` with gas
//! left at EIP-2200's 2,300 sentry, one below and above it (also from a value call's stipend
//! alone); a `LOG0` sized to end exactly at the stipend; and `CREATE` given gas around what
//! its initcode and code deposit (200 per byte) take.

use super::asm::{assemble, op, Item};
use super::case::PreAccount;
use super::contracts::{self, BLAKE2F_VALID_INPUT, BN254_G1_GENERATOR, BN254_G2_GENERATOR};
use super::edge_contracts::{self as edge, CallPlan, CreatePlan};
use super::edge_scripts::{self as script, PrecompileCall};
use super::generate::{address_from, at, Builder, Draft};
use alloy_primitives::{B256, U256};
use std::collections::BTreeMap;

/// The call stipend of a value transfer.
const STIPEND: u64 = 2_300;

/// Words of `len` bytes.
fn words(len: u64) -> u64 {
    len.div_ceil(32)
}

/// EIP-2565 gas of a modexp with these lengths and exponent head (the first
/// `min(exp_len, 32)` exponent bytes), as the snapshot computes it.
pub(super) fn modexp_gas(base_len: u64, exp_len: u64, mod_len: u64, head: &[u8]) -> u64 {
    let head_bits = U256::from_be_slice(head).bit_len() as u64;
    let iterations = if exp_len <= 32 {
        head_bits.saturating_sub(1)
    } else {
        8 * (exp_len - 32) + head_bits.max(1) - 1
    }
    .max(1);
    let words = base_len.max(mod_len).div_ceil(8);
    (words * words * iterations / 3).max(200)
}

/// Memory gas of `len` bytes.
fn memory_gas(len: u64) -> u64 {
    let w = words(len);
    3 * w + w * w / 512
}

impl Builder<'_> {
    /// The exact-gas scenario.
    pub(super) fn exact_gas(&mut self) -> Draft {
        match self.rng.below(6) {
            0..=2 => self.precompile_at_cost(),
            3 => self.sstore_sentry(),
            4 => self.log_at_stipend(),
            _ => self.create_at_deposit(),
        }
    }

    /// A well-formed input of a precompile, its name and its exact gas.
    fn costed_input(&mut self) -> (String, u64, Vec<u8>, u64) {
        match self.rng.below(9) {
            0 => {
                let mut input = self.rng.word().to_vec();
                let (sig, rec) = self.keys[0].sign_prehash_recoverable(&input);
                input.extend_from_slice(&contracts::word(27 + u64::from(rec.is_y_odd())));
                input.extend_from_slice(&sig.to_bytes());
                ("ecrecover".into(), 0x01, input, 3_000)
            }
            1 | 2 => {
                let len = match self.rng.below(3) {
                    0 => self.rng.range(0, 64),
                    1 => self.rng.range(65, 4_096),
                    _ => self.rng.range(4_097, 70_000),
                };
                let input = self.rng.bytes(len as usize);
                let (name, address, base, per_word) = self.rng.pick(&[
                    ("sha256", 2, 60, 12),
                    ("ripemd160", 3, 600, 120),
                    ("identity", 4, 15, 3),
                ]);
                (name.into(), address, input, base + per_word * words(len))
            }
            3 | 4 => self.modexp_costed(),
            5 => {
                let mut input = BN254_G1_GENERATOR.to_vec();
                input.extend_from_slice(&BN254_G1_GENERATOR);
                ("bn254-add".into(), 0x06, input, 150)
            }
            6 => {
                let mut input = BN254_G1_GENERATOR.to_vec();
                input.extend_from_slice(&self.rng.word());
                ("bn254-mul".into(), 0x07, input, 6_000)
            }
            7 => {
                let pairs = self.rng.range(0, 4);
                let mut input = Vec::new();
                for _ in 0..pairs {
                    input.extend_from_slice(&BN254_G1_GENERATOR);
                    input.extend_from_slice(&BN254_G2_GENERATOR);
                }
                (
                    format!("bn254-pairing-{pairs}"),
                    0x08,
                    input,
                    45_000 + 34_000 * pairs,
                )
            }
            _ => {
                if self.rng.chance(50) {
                    let input = contracts::P256_VALID_INPUT.to_vec();
                    ("p256verify".into(), 0x100, input, 6_900)
                } else {
                    // Mocked in the snapshot: free at 213 bytes.
                    let mut input = BLAKE2F_VALID_INPUT.to_vec();
                    let rounds = self.rng.pick(&[0u32, 12, 1 << 20, u32::MAX]);
                    input[..4].copy_from_slice(&rounds.to_be_bytes());
                    (format!("blake2f-r{rounds}"), 0x09, input, u64::from(rounds))
                }
            }
        }
    }

    /// Modexp at lengths whose exponent head decides the price: exponents of 1 to 64 bytes
    /// whose first 32 bytes are zero, one, a single high bit or leading zero bytes.
    fn modexp_costed(&mut self) -> (String, u64, Vec<u8>, u64) {
        let base_len = self.rng.pick(&[0u64, 1, 8, 9, 32, 33, 64, 100]);
        let exp_len = self.rng.pick(&[0u64, 1, 2, 31, 32, 33, 34, 40, 64]);
        let mod_len = self.rng.pick(&[0u64, 1, 8, 9, 32, 33, 64, 100]);
        let mut exp = vec![0u8; exp_len as usize];
        let head_len = exp_len.min(32) as usize;
        let shape = match self.rng.below(5) {
            0 => "zero",
            1 => {
                if head_len > 0 {
                    exp[head_len - 1] = 1;
                }
                "one"
            }
            2 => {
                if head_len > 0 {
                    exp[0] = 0x80;
                }
                "high-bit"
            }
            3 => {
                let zeros = self.rng.range(0, head_len as u64) as usize;
                for byte in exp.iter_mut().skip(zeros) {
                    *byte = self.rng.next_u64() as u8 | 1;
                }
                "leading-zeros"
            }
            _ => {
                // Zero head, non-zero tail.
                for byte in exp.iter_mut().skip(32) {
                    *byte = 0xff;
                }
                "zero-head"
            }
        };
        let gas = modexp_gas(base_len, exp_len, mod_len, &exp[..head_len]);
        let mut input = contracts::words(&[base_len, exp_len, mod_len]);
        input.extend(self.rng.bytes(base_len as usize));
        input.extend(exp);
        let mut modulus = self.rng.bytes(mod_len as usize);
        if let Some(last) = modulus.last_mut() {
            *last |= 1;
        }
        input.extend(modulus);
        let name = format!("modexp-{base_len}-{exp_len}-{mod_len}-{shape}");
        (name, 0x05, input, gas)
    }

    /// A precompile called with its exact gas, one less or one more.
    fn precompile_at_cost(&mut self) -> Draft {
        let (name, address, input, cost) = self.costed_input();
        let delta = self.rng.pick(&[-1i64, 0, 0, 1]);
        let gas = cost.saturating_add_signed(delta);
        let plan = PrecompileCall {
            target: address_from(address),
            in_len: input.len() as u64,
            gas: Some(gas),
            static_call: self.rng.chance(30),
        };
        let caller = self.install(script::precompile_caller(&plan), 0);
        let nested = self.rng.chance(40);
        let (to, data) = if nested {
            let mut data = caller.into_word().to_vec();
            data.extend_from_slice(&input);
            (at::PROXY, data)
        } else {
            (caller, input)
        };
        let len = data.len() as u64;
        let mut d = Draft::call(
            &format!(
                "exact-gas:{name}{}{}",
                match delta {
                    -1 => "-short",
                    0 => "-exact",
                    _ => "-over",
                },
                if nested { "+nested" } else { "" }
            ),
            to,
            data,
        )
        .costs(
            cost.min(1 << 24) + memory_gas(len.max(160)) + 40_000,
            3_000_000 + 40 * len + 300 * cost.min(1 << 20) + 60_000_000,
            200,
        );
        if self.rng.chance(20) {
            d.kind.push_str("+gas-only");
            d.gas_only = true;
        }
        d
    }

    /// `SSTORE` reached with gas left at the sentry (2,300), one below or one above.
    fn sstore_sentry(&mut self) -> Draft {
        let slot = self.rng.below(3);
        let value = self.rng.pick(&[0u64, 1, 7]);
        let callee_code = assemble(&[
            Item::Push(value),
            Item::Push(slot),
            Item::Op(op::SSTORE),
            Item::Op(op::STOP),
        ]);
        // Slot 0 holds 7, slot 1 holds 1, slot 2 is empty.
        let storage = BTreeMap::from([
            (B256::ZERO, B256::from(U256::from(7u64))),
            (B256::with_last_byte(1), B256::from(U256::from(1u64))),
        ]);
        let callee = self.fresh_address();
        self.pre_state.insert(
            callee,
            PreAccount {
                nonce: 1,
                code: callee_code,
                storage,
                ..PreAccount::default()
            },
        );
        // Two pushes (6 gas) run before the SSTORE.
        let left = self.rng.pick(&[2_299u64, 2_300, 2_301, 2_302]);
        let with_value = self.rng.chance(30);
        let (gas, value_sent) = if with_value {
            (left + 6 - STIPEND, 1)
        } else {
            (left + 6, 0)
        };
        let plan = CallPlan {
            opcode: op::CALL,
            target: callee,
            value: value_sent,
            gas: Some(gas),
            ret_size: 0,
            copy: None,
        };
        let caller = self.install(edge::caller(&plan), 1_000);
        let kind = format!(
            "exact-gas:sstore-sentry-{left}-slot{slot}-v{value}{}",
            if with_value { "+stipend" } else { "" }
        );
        Draft::call(&kind, caller, Vec::new()).costs(60_000, 3_000_000, 300)
    }

    /// A value call whose callee's `LOG0` ends exactly at the stipend, one byte under or over.
    fn log_at_stipend(&mut self) -> Draft {
        // PUSH len, PUSH 0, LOG0: 6 + 375 + 8 per byte + memory.
        let cost = |len: u64| 6 + 375 + 8 * len + memory_gas(len);
        let fits = (0..300u64)
            .take_while(|len| cost(*len) <= STIPEND)
            .last()
            .unwrap_or(0);
        let len = fits + self.rng.pick(&[0u64, 0, 1, 2]);
        let callee = self.install(
            assemble(&[
                Item::Push(len),
                Item::Push(0),
                Item::Op(op::LOG0),
                Item::Op(op::STOP),
            ]),
            0,
        );
        let plan = CallPlan {
            opcode: op::CALL,
            target: callee,
            value: 1,
            gas: Some(0),
            ret_size: 0,
            copy: None,
        };
        let caller = self.install(edge::caller(&plan), 1_000);
        Draft::call(&format!("exact-gas:log-stipend-{len}"), caller, Vec::new())
            .costs(60_000, 3_000_000, 400)
    }

    /// `CREATE` from a script called with gas around what the initcode and the code deposit
    /// take: out of gas in the initcode, at the deposit, or just enough.
    fn create_at_deposit(&mut self) -> Draft {
        let len = self.rng.range(1, 2_000);
        let mut runtime = self.rng.bytes(len as usize);
        runtime[0] = 0x00;
        let initcode = contracts::deployer(&runtime);
        let creator = self.install(
            edge::creator(&CreatePlan {
                salt: None,
                value: 0,
                twice: false,
            }),
            0,
        );
        // CREATE 32,000 + initcode words + the initcode's few dozen gas + 200 per byte; the
        // creator keeps 1/64.
        let need = 32_000 + 2 * words(initcode.len() as u64) + 200 * len + 3 * words(len) + 200;
        let gas = need * 64 / 63 + 2_000 + memory_gas(initcode.len() as u64 + 224);
        let swing = self.rng.range(0, 10_000);
        let gas = (gas + swing).saturating_sub(self.rng.range(0, 10_000));
        let plan = CallPlan {
            opcode: op::CALL,
            target: creator,
            value: 0,
            gas: Some(gas),
            ret_size: 64,
            copy: None,
        };
        let caller = self.install(edge::caller(&plan), 0);
        Draft::call("exact-gas:create-deposit", caller, initcode).costs(
            gas + 60_000,
            60_000_000 + 3_000 * len,
            1_000 + len,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::modexp_gas;

    #[test]
    fn modexp_gas_follows_eip_2565() {
        // EIP-2565's example 1: base 1, exponent 32 bytes 0xff..fc2e (bit length 256), modulus
        // 32 bytes: words 4, complexity 16, iterations 255: 16 * 255 / 3 = 1,360.
        let head = [0xffu8; 32];
        assert_eq!(modexp_gas(1, 32, 32, &head), 1_360);
        // Empty exponent and small lengths pay the 200 minimum.
        assert_eq!(modexp_gas(1, 0, 1, &[]), 200);
        // 33-byte exponent with a zero head: 8 iterations, 64-byte modulus: 64 * 8 / 3 = 170 -> 200.
        assert_eq!(modexp_gas(64, 33, 64, &[0; 32]), 200);
        // 256-byte operands, 40-byte exponent with head 1: 32 words: 1,024 * 64 / 3 = 21,845.
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(modexp_gas(256, 40, 256, &one), 21_845);
    }
}
