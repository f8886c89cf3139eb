//! The generator's precompile calls: well-formed inputs of each (direct or through the proxy),
//! and precompiles at their edges: modexp with zero, small and large base, exponent and modulus
//! lengths (inputs shorter than declared, lengths too large to pay), bn254 add, mul and
//! pairing with points off the curve, coordinates over the field, the point at infinity and
//! odd sizes, blake2f with any round count, final flag and size, the hashes and identity at
//! their block boundaries and up to 64 kB from memory, point evaluation and P256 at and around
//! their sizes, and ecrecover with malformed `v`, `r`, `s` and sizes. Each is called from a
//! script with all gas or a fixed amount (an amount it may not cover), by `CALL` or
//! `STATICCALL`; one in five transactions gets a gas limit from EVM gas alone, so native may
//! run out inside the precompile.

use super::contracts::{
    self, BLAKE2F_VALID_INPUT, BN254_G1_GENERATOR, BN254_G1_NEG_GENERATOR, BN254_G2_GENERATOR,
    P256_VALID_INPUT, POINT_EVALUATION_VALID_INPUT,
};
use super::edge_scripts::{self as script, PrecompileCall};
use super::generate::{address_from, at, Builder, Draft};
use alloy_primitives::{hex, B256, U256};

/// A precompile the generator calls, with its address.
#[derive(Clone, Copy, Debug)]
pub(super) struct Precompile {
    name: &'static str,
    pub(super) address: u64,
}

/// A precompile named `name` at `address`.
const fn precompile(name: &'static str, address: u64) -> Precompile {
    Precompile { name, address }
}

pub(super) const PRECOMPILES: [Precompile; 11] = [
    precompile("ecrecover", 0x01),
    precompile("sha256", 0x02),
    precompile("ripemd160", 0x03),
    precompile("identity", 0x04),
    precompile("modexp", 0x05),
    precompile("bn254-add", 0x06),
    precompile("bn254-mul", 0x07),
    precompile("bn254-pairing", 0x08),
    precompile("blake2f", 0x09),
    precompile("point-evaluation", 0x0a),
    precompile("p256verify", 0x100),
];

/// The bn254 base field modulus p.
const BN254_P: [u8; 32] = hex!("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");
/// The bn254 group order r.
const BN254_R: [u8; 32] = hex!("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001");
/// The secp256k1 group order n.
const SECP256K1_N: [u8; 32] =
    hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

/// A 32-byte big-endian word of `value`.
fn word(value: u64) -> [u8; 32] {
    contracts::word(value)
}

/// A precompile call a generated caller makes: its name, the precompile, the calldata (of which
/// the caller passes the first `in_len` bytes), `in_len`, and the precompile's own gas and
/// native.
pub(super) type CallerInput = (String, u64, Vec<u8>, u64, u64, u64);

impl Builder<'_> {
    /// One precompile edge: the case name, the precompile, the input (its calldata prefix) and
    /// the declared input length, and the gas and native it may need.
    fn precompile_edge_input(&mut self) -> CallerInput {
        match self.rng.below(10) {
            0 | 1 => self.modexp_edge(),
            2 => self.bn254_add_edge(),
            3 => self.bn254_mul_edge(),
            4 => self.bn254_pairing_edge(),
            5 => {
                let mut input = BLAKE2F_VALID_INPUT.to_vec();
                let rounds = self.rng.pick(&[0u32, 1, 12, 1_000, 100_000]);
                input[..4].copy_from_slice(&rounds.to_be_bytes());
                input[212] = self.rng.pick(&[0, 1, 1, 2]);
                let len = self.rng.pick(&[212, 213, 213, 213, 214]);
                let name = format!("blake2f-r{rounds}-f{}-{len}", input[212]);
                (name, 0x09, input, len, 120_000, 2_000_000)
            }
            6 => {
                let (name, address) =
                    self.rng
                        .pick(&[("sha256", 0x02), ("ripemd160", 0x03), ("identity", 0x04)]);
                let len = self.rng.pick(&[
                    0, 1, 31, 32, 33, 55, 56, 63, 64, 65, 119, 120, 128, 4_096, 65_536,
                ]);
                let prefix = self.rng.bytes(len.min(300) as usize);
                let size = if len > 1_000 { "large" } else { "small" };
                (
                    format!("{name}-{size}"),
                    address,
                    prefix,
                    len,
                    10_000 + 200 * len,
                    500_000 + 3_000 * len,
                )
            }
            7 => {
                let mut input = POINT_EVALUATION_VALID_INPUT.to_vec();
                if self.rng.chance(30) {
                    let at = self.rng.below(192) as usize;
                    input[at] ^= 1;
                }
                let len = self.rng.pick(&[0, 191, 192, 192, 193]);
                (
                    format!("point-evaluation-{len}"),
                    0x0a,
                    input,
                    len,
                    60_000,
                    80_000_000,
                )
            }
            8 => {
                let mut input = P256_VALID_INPUT.to_vec();
                if self.rng.chance(30) {
                    let at = self.rng.below(160) as usize;
                    input[at] ^= 1;
                }
                let len = self.rng.pick(&[0, 159, 160, 160, 161]);
                (format!("p256-{len}"), 0x100, input, len, 10_000, 2_000_000)
            }
            _ => self.ecrecover_edge(),
        }
    }

    fn modexp_edge(&mut self) -> CallerInput {
        let sizes = [0u64, 0, 1, 31, 32, 33, 64, 65, 128, 256];
        let base_len = self.rng.pick(&sizes);
        let exp_len = self.rng.pick(&sizes);
        let mod_len = self.rng.pick(&sizes);
        let mut input = contracts::words(&[base_len, exp_len, mod_len]);
        let base = self.rng.bytes(base_len as usize);
        let exp = match self.rng.below(3) {
            0 => vec![0; exp_len as usize],
            1 => vec![0xff; exp_len as usize],
            _ => self.rng.bytes(exp_len as usize),
        };
        let modulus = match self.rng.below(3) {
            0 => vec![0; mod_len as usize],
            _ => self.rng.bytes(mod_len as usize),
        };
        input.extend(base);
        input.extend(exp);
        input.extend(modulus);
        let mut name = "modexp".to_string();
        let declared = input.len() as u64;
        let len = match self.rng.below(8) {
            0 => {
                name.push_str("-short");
                self.rng.range(0, declared)
            }
            1 => {
                // A length no gas can pay (2^32 bytes of modulus).
                name.push_str("-huge");
                input[64..96].copy_from_slice(&word(1 << 32));
                declared
            }
            _ => declared,
        };
        if exp_len > 32 {
            name.push_str("-long-exp");
        }
        if mod_len == 0 {
            name.push_str("-mod0");
        }
        (name, 0x05, input, len, 2_000_000, 200_000_000)
    }

    fn bn254_point(&mut self) -> (&'static str, Vec<u8>) {
        match self.rng.below(6) {
            0 => ("g", BN254_G1_GENERATOR.to_vec()),
            1 => ("neg-g", BN254_G1_NEG_GENERATOR.to_vec()),
            2 => ("infinity", vec![0; 64]),
            3 => {
                let mut p = word(1).to_vec();
                p.extend_from_slice(&word(3));
                ("off-curve", p)
            }
            4 => {
                let mut p = BN254_P.to_vec();
                p.extend_from_slice(&word(2));
                ("x-over-field", p)
            }
            _ => {
                let mut p = word(1).to_vec();
                p.extend_from_slice(&BN254_P);
                ("y-over-field", p)
            }
        }
    }

    fn bn254_add_edge(&mut self) -> CallerInput {
        let (a, mut input) = self.bn254_point();
        let (b, second) = self.bn254_point();
        input.extend(second);
        let len = self.rng.pick(&[0, 63, 64, 127, 128, 128, 128, 200]);
        (
            format!("bn254-add-{a}-{b}-{len}"),
            0x06,
            input,
            len,
            1_000,
            2_000_000,
        )
    }

    fn bn254_mul_edge(&mut self) -> CallerInput {
        let (a, mut input) = self.bn254_point();
        let (s, scalar) = match self.rng.below(5) {
            0 => ("0", word(0)),
            1 => ("1", word(1)),
            2 => ("r", BN254_R),
            3 => ("max", [0xff; 32]),
            _ => ("random", self.rng.word()),
        };
        input.extend_from_slice(&scalar);
        let len = self.rng.pick(&[0, 64, 95, 96, 96, 96, 128]);
        (
            format!("bn254-mul-{a}-{s}-{len}"),
            0x07,
            input,
            len,
            10_000,
            10_000_000,
        )
    }

    fn bn254_pairing_edge(&mut self) -> CallerInput {
        let pairs = self.rng.range(0, 3);
        let mut input = Vec::new();
        let mut name = format!("bn254-pairing-{pairs}");
        for _ in 0..pairs {
            let (g1, point) = self.bn254_point();
            input.extend(point);
            let g2 = match self.rng.below(4) {
                0 => {
                    name.push_str("-g2-infinity");
                    vec![0; 128]
                }
                1 => {
                    name.push_str("-g2-off-curve");
                    let mut g2 = BN254_G2_GENERATOR.to_vec();
                    g2[127] ^= 1;
                    g2
                }
                _ => BN254_G2_GENERATOR.to_vec(),
            };
            input.extend(g2);
            name.push('-');
            name.push_str(g1);
        }
        let declared = input.len() as u64;
        let len = if self.rng.chance(25) {
            name.push_str("-odd-size");
            declared + self.rng.pick(&[1, 32, 191])
        } else {
            declared
        };
        (
            name,
            0x08,
            input,
            len,
            50_000 + 40_000 * pairs,
            30_000_000 + 30_000_000 * pairs,
        )
    }

    fn ecrecover_edge(&mut self) -> CallerInput {
        let hash = self.rng.word();
        let (sig, rec) = self.keys[0].sign_prehash_recoverable(hash.as_slice());
        let bytes = sig.to_bytes();
        let mut r = [0u8; 32];
        let mut s = [0u8; 32];
        r.copy_from_slice(&bytes[..32]);
        s.copy_from_slice(&bytes[32..]);
        let mut v = word(27 + u64::from(rec.is_y_odd()));
        let case = match self.rng.below(9) {
            0 => "valid",
            1 => {
                v = word(self.rng.pick(&[0, 1, 26, 29, 255]));
                "bad-v"
            }
            2 => {
                v[0] = 1;
                "v-high-bytes"
            }
            3 => {
                r = [0; 32];
                "r-zero"
            }
            4 => {
                s = [0; 32];
                "s-zero"
            }
            5 => {
                r = SECP256K1_N;
                "r-order"
            }
            6 => {
                // n − s: the other valid signature, s in the upper half.
                let n = U256::from_be_bytes(SECP256K1_N);
                s = (n - U256::from_be_bytes(s)).to_be_bytes();
                v = word(55 - (27 + u64::from(rec.is_y_odd())));
                "s-high"
            }
            7 => {
                s = [0xff; 32];
                "s-max"
            }
            _ => "hash-zero",
        };
        let mut input = if case == "hash-zero" {
            vec![0; 32]
        } else {
            hash.to_vec()
        };
        input.extend_from_slice(&v);
        input.extend_from_slice(&r);
        input.extend_from_slice(&s);
        let len = self.rng.pick(&[0, 64, 127, 128, 128, 128, 128, 200]);
        (
            format!("ecrecover-{case}-{len}"),
            0x01,
            input,
            len,
            5_000,
            2_000_000,
        )
    }

    /// The precompile edge scenario.
    pub(super) fn precompile_edge(&mut self) -> Draft {
        let call = self.precompile_edge_input();
        let call_gas = if self.rng.chance(60) {
            None
        } else {
            Some(
                self.rng
                    .pick(&[0, 1, 60, 100, 600, 3_000, 2_999, 6_000, 45_000]),
            )
        };
        self.precompile_caller_draft("precompile-edge", call, call_gas)
    }

    /// A transaction of scenario `scenario` into a freshly installed caller that makes `call`
    /// (forwarding `call_gas`, or all gas when `None`; static or not at random), its limits the
    /// precompile's gas and native plus the caller's memory expansion and margins; a fifth of
    /// them gas-only.
    pub(super) fn precompile_caller_draft(
        &mut self,
        scenario: &str,
        call: CallerInput,
        call_gas: Option<u64>,
    ) -> Draft {
        let (name, address, input, in_len, gas, native) = call;
        let plan = PrecompileCall {
            target: address_from(address),
            in_len,
            gas: call_gas,
            static_call: self.rng.chance(30),
        };
        let script = self.install(script::precompile_caller(&plan), 0);
        let words = in_len.max(160).div_ceil(32);
        let memory_gas = 3 * words + words * words / 512;
        let mut d = Draft::call(&format!("{scenario}:{name}"), script, input).costs(
            gas + memory_gas + 30_000,
            native + 300 * in_len + 1_000_000,
            200,
        );
        if self.rng.chance(20) {
            d.kind.push_str("+gas-only");
            d.gas_only = true;
        }
        d
    }

    /// A call of a precompile with a well-formed input, direct or through the proxy.
    pub(super) fn precompile_call(&mut self) -> Draft {
        let p = self.rng.pick(&PRECOMPILES);
        let (input, gas, native): (Vec<u8>, u64, u64) = match p.name {
            "ecrecover" => {
                let hash = B256::from(self.rng.word());
                let mut input = hash.to_vec();
                if self.rng.chance(75) {
                    let key = self.keys[0].clone();
                    let (sig, rec) = key.sign_prehash_recoverable(hash.as_slice());
                    input.extend_from_slice(&contracts::word(27 + u64::from(rec.is_y_odd())));
                    input.extend_from_slice(&sig.to_bytes());
                } else {
                    input.extend(self.rng.bytes(96));
                }
                (input, 3_000, 1_000_000)
            }
            "sha256" | "ripemd160" | "identity" => {
                let len = self.rng.range(0, 3_000);
                (
                    self.rng.bytes(len as usize),
                    1_000 + len,
                    50_000 + 1_000 * len,
                )
            }
            "modexp" => {
                let base_len = self.rng.range(1, 64);
                let exp_len = self.rng.range(1, 32);
                let mod_len = self.rng.range(1, 64);
                let mut input = contracts::words(&[base_len, exp_len, mod_len]);
                input.extend(self.rng.bytes((base_len + exp_len + mod_len) as usize));
                (input, 200_000, 80_000_000)
            }
            "bn254-add" => {
                let mut input = contracts::BN254_G1_GENERATOR.to_vec();
                input.extend_from_slice(if self.rng.chance(50) {
                    &contracts::BN254_G1_GENERATOR
                } else {
                    &contracts::BN254_G1_NEG_GENERATOR
                });
                (input, 150, 500_000)
            }
            "bn254-mul" => {
                let mut input = contracts::BN254_G1_GENERATOR.to_vec();
                input.extend_from_slice(&self.rng.word());
                (input, 6_000, 5_000_000)
            }
            "bn254-pairing" => {
                let pairs = self.rng.below(3);
                let mut input = Vec::new();
                for i in 0..pairs {
                    let g1 = if i % 2 == 0 {
                        contracts::BN254_G1_GENERATOR
                    } else {
                        contracts::BN254_G1_NEG_GENERATOR
                    };
                    input.extend_from_slice(&g1);
                    input.extend_from_slice(&contracts::BN254_G2_GENERATOR);
                }
                (
                    input,
                    45_000 + 34_000 * pairs,
                    20_000_000 + 20_000_000 * pairs,
                )
            }
            "blake2f" => (contracts::BLAKE2F_VALID_INPUT.to_vec(), 1_000, 2_000_000),
            "point-evaluation" => {
                let mut input = contracts::POINT_EVALUATION_VALID_INPUT.to_vec();
                if self.rng.chance(25) {
                    input[100] ^= 1;
                }
                (input, 50_000, 80_000_000)
            }
            _ => {
                let mut input = contracts::P256_VALID_INPUT.to_vec();
                if self.rng.chance(25) {
                    input[0] ^= 1;
                }
                (input, 7_000, 2_000_000)
            }
        };
        let target = address_from(p.address);
        let direct = self.rng.chance(30);
        let (kind, to, data) = if direct {
            (format!("precompile-direct:{}", p.name), target, input)
        } else {
            let mut data = target.into_word().to_vec();
            data.extend_from_slice(&input);
            (format!("precompile:{}", p.name), at::PROXY, data)
        };
        Draft::call(&kind, to, data).costs(gas + 30_000, native, 150)
    }
}
