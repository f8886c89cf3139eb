//! The hook scenarios of the generator: calls to the snapshot's system hooks at 0x8008 (L1
//! messenger), 0x800a (base token) and 0x8006 (contract deployer), from the transaction itself
//! or through a call script (every call kind, value, gas), with well-formed and malformed
//! calldata of each method (`sendToL1(bytes)`, `withdraw(address)`,
//! `withdrawWithMessage(address,bytes)`, `setBytecodeDetailsEVM(address,bytes32,uint32,bytes32)`).

use super::asm::op;
use super::edge_contracts::{self as edge, CallPlan};
use super::generate::{address_from, Builder, Draft};
use alloy_primitives::U256;

/// `sendToL1(bytes)`.
pub(super) const SEND_TO_L1: [u8; 4] = [0x62, 0xf8, 0x4b, 0x24];
/// `withdraw(address)`.
const WITHDRAW: [u8; 4] = [0x51, 0xcf, 0xf8, 0xd9];
/// `withdrawWithMessage(address,bytes)`.
const WITHDRAW_WITH_MESSAGE: [u8; 4] = [0x84, 0xbc, 0x3e, 0xb0];
/// `setBytecodeDetailsEVM(address,bytes32,uint32,bytes32)`.
const SET_BYTECODE_DETAILS: [u8; 4] = [0xf6, 0xec, 0xa0, 0xb0];

fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

impl Builder<'_> {
    /// A call to a hook, top-level or through a call script.
    pub(super) fn hook_call(&mut self) -> Draft {
        let (name, low) = self.rng.pick(&[
            ("messenger", 0x8008),
            ("messenger", 0x8008),
            ("base-token", 0x800a),
            ("base-token", 0x800a),
            ("deployer", 0x8006),
        ]);
        let (shape, data) = match low {
            0x8008 => self.send_to_l1_input(),
            0x800a => self.withdrawal_input(),
            _ => self.deployer_input(),
        };
        let value = if self.rng.chance(40) {
            self.rng.range(1, 2_000_000_000)
        } else {
            0
        };
        let hook = address_from(low);
        if self.rng.chance(30) {
            let mut d = Draft::call(&format!("hook:tx-{name}-{shape}"), hook, data)
                .costs(100_000, 20_000_000, 400);
            d.value = U256::from(value);
            return d;
        }
        let opcode = self.rng.pick(&[
            op::CALL,
            op::CALL,
            op::CALL,
            op::STATICCALL,
            op::DELEGATECALL,
            op::CALLCODE,
        ]);
        let gas = if self.rng.chance(60) {
            None
        } else {
            Some(
                self.rng
                    .pick(&[0, 9, 10, 100, 2_300, 5_000, 12_000, 30_000]),
            )
        };
        let plan = CallPlan {
            opcode,
            target: hook,
            value: if matches!(opcode, op::CALL | op::CALLCODE) {
                value
            } else {
                0
            },
            gas,
            ret_size: self.rng.pick(&[0, 32]),
            copy: None,
        };
        let balance = self.rng.range(0, 3_000_000_000);
        let script = self.install(edge::caller(&plan), balance);
        let kind = match opcode {
            op::CALL => "call",
            op::CALLCODE => "callcode",
            op::DELEGATECALL => "delegatecall",
            _ => "staticcall",
        };
        Draft::call(&format!("hook:{kind}-{name}-{shape}"), script, data)
            .costs(300_000, 40_000_000, 600)
    }

    /// `sendToL1(bytes)` calldata: strict, with trailing words, or malformed.
    fn send_to_l1_input(&mut self) -> (&'static str, Vec<u8>) {
        let len = self
            .rng
            .pick(&[0, 1, 31, 32, 33, 56, 100, 136, 300, 2_000, 10_000]) as usize;
        let message = self.rng.bytes(len);
        let mut data = SEND_TO_L1.to_vec();
        data.extend(word(32));
        data.extend(word(len as u64));
        data.extend(&message);
        data.resize(4 + 64 + len.div_ceil(32) * 32, 0);
        let shape = match self.rng.below(8) {
            0 => {
                data.extend(word(self.rng.next_u64()));
                "trailing-word"
            }
            1 => {
                data.push(0);
                "unaligned"
            }
            2 => {
                data[4..36].copy_from_slice(&word(64));
                "offset-64"
            }
            3 => {
                data[36..68].copy_from_slice(&word(len as u64 + 64));
                "too-long"
            }
            4 => {
                data.truncate(self.rng.below(68) as usize);
                "truncated"
            }
            5 => {
                data[0] ^= 1;
                "unknown-selector"
            }
            _ => "strict",
        };
        (shape, data)
    }

    /// `withdraw(address)` or `withdrawWithMessage(address,bytes)` calldata.
    fn withdrawal_input(&mut self) -> (&'static str, Vec<u8>) {
        let mut receiver = [0u8; 32];
        receiver[12..].copy_from_slice(&self.rng.bytes(20));
        let dirty = self.rng.chance(15);
        if dirty {
            receiver[0] = 1;
        }
        if self.rng.chance(50) {
            let mut data = WITHDRAW.to_vec();
            data.extend(receiver);
            let shape = match self.rng.below(6) {
                0 => {
                    data.truncate(self.rng.below(36) as usize);
                    "withdraw-short"
                }
                1 => {
                    data.extend(self.rng.bytes(5));
                    "withdraw-trailing"
                }
                _ if dirty => "withdraw-dirty-receiver",
                _ => "withdraw",
            };
            return (shape, data);
        }
        let len = self.rng.pick(&[0, 1, 20, 32, 77, 200]) as usize;
        let mut data = WITHDRAW_WITH_MESSAGE.to_vec();
        data.extend(receiver);
        let offset = match self.rng.below(5) {
            0 => 96,
            _ => 64,
        };
        data.extend(word(offset));
        if offset == 96 {
            data.extend(word(7));
        }
        data.extend(word(len as u64));
        data.extend(self.rng.bytes(len));
        let shape = match self.rng.below(6) {
            0 => {
                let cut = self.rng.range(4, data.len() as u64) as usize;
                data.truncate(cut);
                "message-truncated"
            }
            1 => {
                data[36..68].copy_from_slice(&word(u64::from(u32::MAX)));
                "message-offset-overflow"
            }
            _ if dirty => "message-dirty-receiver",
            _ if offset == 96 => "message-offset-96",
            _ => "message",
        };
        (shape, data)
    }

    /// `setBytecodeDetailsEVM` calldata (refused to every caller but 0x800f) or junk.
    fn deployer_input(&mut self) -> (&'static str, Vec<u8>) {
        if self.rng.chance(25) {
            let len = self.rng.range(0, 8) as usize;
            return ("junk", self.rng.bytes(len));
        }
        let mut data = SET_BYTECODE_DETAILS.to_vec();
        let mut target = [0u8; 32];
        target[12..].copy_from_slice(self.fresh_address().as_slice());
        data.extend(target);
        data.extend(self.rng.word());
        data.extend(word(self.rng.below(30_000)));
        data.extend(self.rng.word());
        ("set-bytecode-details", data)
    }
}
