//! Opcode programs: straight-line code over every computing, environment, memory and
//! transient-storage opcode of the Cancun set with operands at the word's edges (0, 1, 31, 32,
//! 255, 256, 2^255 − 1, 2^255, 2^256 − 1, random words), addresses from the precompiles to the
//! system range 0x8000–0x8010 and the top of kernel space, and block numbers just out of
//! `BLOCKHASH`'s window. Each result is stored so the return data checks the semantics. The
//! program then returns, reverts, or ends as a frame can fail: an undefined or `INVALID`
//! opcode, a stack under- or overflow, a `JUMP` into `PUSH` data, past the code's end or onto a
//! non-`JUMPDEST`, a `JUMPI` taken or not to a bad destination, a `RETURNDATACOPY` past the
//! end, running off the code or a truncated `PUSH32`. One in three runs behind a calling
//! script ([`edge::caller`], any call kind and gas), one in five with a gas limit from EVM gas
//! alone (native may run out inside).

use super::edge_contracts::{self as edge, CallPlan};
use super::generate::{at, Builder, Draft};
use alloy_primitives::{Address, U256};
use zkos_core::bytecode::opcode::{self as op, info};

/// Where the program stores its results (its memory operands stay below).
const RESULTS_AT: u64 = 0x1000;
/// The largest length a memory operand of the program takes.
const MAX_LEN: u64 = 200;

/// Opcodes of the mix whose operands are all plain words.
const WORD_OPS: &[u8] = &[
    op::ADD,
    op::MUL,
    op::SUB,
    op::DIV,
    op::SDIV,
    op::MOD,
    op::SMOD,
    op::ADDMOD,
    op::MULMOD,
    op::EXP,
    op::SIGNEXTEND,
    op::LT,
    op::GT,
    op::SLT,
    op::SGT,
    op::EQ,
    op::ISZERO,
    op::AND,
    op::OR,
    op::XOR,
    op::NOT,
    op::BYTE,
    op::SHL,
    op::SHR,
    op::SAR,
    op::POP,
    op::TLOAD,
    op::TSTORE,
    op::SLOAD,
    op::CALLDATALOAD,
    op::BLOBHASH,
];

/// Opcodes of the mix that take no operands.
const NULLARY_OPS: &[u8] = &[
    op::ADDRESS,
    op::ORIGIN,
    op::CALLER,
    op::CALLVALUE,
    op::CALLDATASIZE,
    op::CODESIZE,
    op::GASPRICE,
    op::RETURNDATASIZE,
    op::COINBASE,
    op::TIMESTAMP,
    op::NUMBER,
    op::PREVRANDAO,
    op::GASLIMIT,
    op::CHAINID,
    op::SELFBALANCE,
    op::BASEFEE,
    op::BLOBBASEFEE,
    op::PC,
    op::MSIZE,
    op::GAS,
    op::PUSH0,
];

/// Bytes no Cancun opcode has (0x1e is Osaka's `CLZ`), and `INVALID`.
const UNDEFINED: &[u8] = &[
    0x0c, 0x0f, 0x1e, 0x1f, 0x21, 0x2f, 0x4b, 0x4f, 0xa5, 0xb0, 0xe0, 0xef, 0xf6, 0xf9, 0xfb, 0xfc,
    0xfe,
];

/// Opcodes the stack-underflow ending runs on a short stack: upstream pops the operands of
/// `EXP`, `KECCAK256`, `MCOPY` and the copies before it charges them, of the others after.
const UNDERFLOWING: &[u8] = &[
    op::ADD,
    op::ADDMOD,
    op::POP,
    op::DUP16,
    op::SWAP16,
    op::MSTORE,
    op::EXP,
    op::KECCAK256,
    op::MCOPY,
    op::CALLDATACOPY,
    op::CODECOPY,
    op::RETURNDATACOPY,
    op::EXTCODECOPY,
    op::SLOAD,
    op::LOG2,
    op::JUMP,
];

/// How a program ends.
const ENDINGS: &[&str] = &[
    "return",
    "return",
    "return",
    "revert",
    "undefined",
    "underflow",
    "overflow",
    "jump-push-data",
    "jump-past-end",
    "jump-not-dest",
    "jumpi-taken-bad",
    "jumpi-not-taken-bad",
    "jump-good",
    "returndatacopy-oob",
    "off-the-end",
    "truncated-push",
];

/// A program under construction: its code and how many results it stored.
struct Program {
    code: Vec<u8>,
    results: u64,
}

impl Program {
    fn push(&mut self, word: U256) {
        let bytes = word.to_be_bytes::<32>();
        let first = bytes.iter().position(|b| *b != 0).unwrap_or(31);
        self.code.push(op::PUSH1 + (31 - first) as u8);
        self.code.extend_from_slice(&bytes[first..]);
    }

    fn push_u64(&mut self, value: u64) {
        self.push(U256::from(value));
    }

    /// Stores the top of the stack as the next result.
    fn store_result(&mut self) {
        self.push_u64(RESULTS_AT + 32 * self.results);
        self.code.push(op::MSTORE);
        self.results += 1;
    }

    /// Returns (or reverts with) the stored results.
    fn finish(&mut self, opcode: u8) {
        self.push_u64(32 * self.results);
        self.push_u64(RESULTS_AT);
        self.code.push(opcode);
    }

    /// `PUSH2 destination`, then `jump` (the destination patched by the caller): the offset of
    /// the destination's bytes.
    fn jump_to_later(&mut self, jump: u8) -> usize {
        self.code.push(op::PUSH2);
        let at = self.code.len();
        self.code.extend_from_slice(&[0, 0]);
        self.code.push(jump);
        at
    }

    fn patch(&mut self, at: usize, destination: usize) {
        let bytes = (destination as u16).to_be_bytes();
        self.code[at..at + 2].copy_from_slice(&bytes);
    }
}

impl Builder<'_> {
    /// The opcode program scenario.
    pub(super) fn opcode_mix(&mut self) -> Draft {
        let mut program = Program {
            code: Vec::new(),
            results: 0,
        };
        let steps = self.rng.range(1, 40);
        for _ in 0..steps {
            self.opcode_step(&mut program);
        }
        let ending = self.rng.pick(ENDINGS);
        self.opcode_ending(&mut program, ending);
        let nested = self.rng.chance(33);
        let mut kind = format!("opcode-mix:{ending}");
        let balance = self.rng.below(1_000);
        let target = self.install(program.code, balance);
        let to = if nested {
            let opcode = self
                .rng
                .pick(&[op::CALL, op::CALLCODE, op::DELEGATECALL, op::STATICCALL]);
            let gas = self
                .rng
                .pick(&[None, None, Some(0), Some(5_000), Some(60_000)]);
            kind.push_str(&format!("+nested-{}", info(opcode).map_or("?", |i| i.name)));
            self.install(
                edge::caller(&CallPlan {
                    opcode,
                    target,
                    value: 0,
                    gas,
                    ret_size: 64,
                    copy: None,
                }),
                0,
            )
        } else {
            target
        };
        let len = self.rng.below(100) as usize;
        let mut d = Draft::call(&kind, to, self.rng.bytes(len)).costs(400_000, 80_000_000, 400);
        d.gas_only = self.rng.chance(20);
        d
    }

    /// One opcode with its operands, its results stored.
    fn opcode_step(&mut self, p: &mut Program) {
        match self.rng.below(10) {
            0..=3 => {
                let opcode = self.rng.pick(WORD_OPS);
                self.word_op(p, opcode);
            }
            4 => {
                let opcode = self.rng.pick(NULLARY_OPS);
                p.code.push(opcode);
                p.store_result();
            }
            5 => {
                let opcode = self.rng.pick(&[
                    op::BALANCE,
                    op::EXTCODESIZE,
                    op::EXTCODEHASH,
                    op::EXTCODECOPY,
                ]);
                let address = self.probe_address();
                if opcode == op::EXTCODECOPY {
                    let (dest, offset, len) = self.copy_operands();
                    p.push_u64(len);
                    p.push(offset);
                    p.push_u64(dest);
                    p.push(address.into_word().into());
                    p.code.push(opcode);
                } else {
                    p.push(address.into_word().into());
                    p.code.push(opcode);
                    p.store_result();
                }
            }
            6 => {
                // Not a past block within reach: the oracle's block hashes are all zero.
                let number = self.params.number;
                let asked =
                    self.rng
                        .pick(&[number, number.saturating_sub(257), number + 1, u64::MAX]);
                p.push_u64(asked);
                p.code.push(op::BLOCKHASH);
                p.store_result();
            }
            7 => self.memory_op(p),
            8 => self.stack_op(p),
            _ => {
                let topics = self.rng.below(5) as u8;
                for _ in 0..topics {
                    let topic = self.operand();
                    p.push(topic);
                }
                p.push_u64(self.rng.below(MAX_LEN));
                p.push_u64(self.rng.below(RESULTS_AT - MAX_LEN));
                p.code.push(op::LOG0 + topics);
            }
        }
    }

    /// An opcode of [`WORD_OPS`] on edge operands (pushed last-operand first).
    fn word_op(&mut self, p: &mut Program, opcode: u8) {
        let facts = info(opcode).expect("a defined opcode");
        let operands: Vec<U256> = (0..facts.stack_inputs).map(|_| self.operand()).collect();
        for word in operands.iter().rev() {
            p.push(*word);
        }
        p.code.push(opcode);
        for _ in 0..facts.stack_outputs {
            p.store_result();
        }
    }

    /// `MLOAD`, `MSTORE`, `MSTORE8`, `KECCAK256`, `MCOPY`, `CALLDATACOPY`, `CODECOPY` or an
    /// empty `RETURNDATACOPY`, within the program's memory below [`RESULTS_AT`].
    fn memory_op(&mut self, p: &mut Program) {
        let offset = self.rng.below(RESULTS_AT - MAX_LEN);
        let len = self.rng.below(MAX_LEN);
        match self.rng.below(8) {
            0 => {
                p.push_u64(offset);
                p.code.push(op::MLOAD);
                p.store_result();
            }
            1 | 2 => {
                let value = self.operand();
                p.push(value);
                p.push_u64(offset);
                p.code.push(self.rng.pick(&[op::MSTORE, op::MSTORE8]));
            }
            3 => {
                p.push_u64(len);
                p.push_u64(offset);
                p.code.push(op::KECCAK256);
                p.store_result();
            }
            4 => {
                p.push_u64(len);
                p.push_u64(self.rng.below(RESULTS_AT - MAX_LEN));
                p.push_u64(offset);
                p.code.push(op::MCOPY);
            }
            5 => {
                p.push_u64(0);
                p.push_u64(0);
                p.push_u64(offset);
                p.code.push(op::RETURNDATACOPY);
            }
            _ => {
                let (dest, source, len) = self.copy_operands();
                p.push_u64(len);
                p.push(source);
                p.push_u64(dest);
                p.code
                    .push(self.rng.pick(&[op::CALLDATACOPY, op::CODECOPY]));
            }
        }
    }

    /// `DUPn` or `SWAPn` over n + 1 pushed words, every word left stored.
    fn stack_op(&mut self, p: &mut Program) {
        let n = self.rng.range(1, 16) as u8;
        for _ in 0..=n {
            let word = self.operand();
            p.push(word);
        }
        let (opcode, left) = if self.rng.chance(50) {
            (op::DUP1 + n - 1, n + 2)
        } else {
            (op::SWAP1 + n - 1, n + 1)
        };
        p.code.push(opcode);
        for _ in 0..left {
            p.store_result();
        }
    }

    /// (destination, source offset, length) of a copy: sources past the data's end and at
    /// 2^256 − 1 included.
    fn copy_operands(&mut self) -> (u64, U256, u64) {
        let source = match self.rng.below(4) {
            0 => U256::MAX,
            1 => U256::from(1u64 << 32),
            _ => U256::from(self.rng.below(2_000)),
        };
        let dest = self.rng.below(RESULTS_AT - MAX_LEN);
        (dest, source, self.rng.below(MAX_LEN))
    }

    /// A word at the edges of its range, or a random one.
    fn operand(&mut self) -> U256 {
        let half = U256::from(1u8) << 255;
        match self.rng.below(14) {
            0 => U256::ZERO,
            1 => U256::from(1u8),
            2 => U256::from(2u8),
            3 => U256::from(31u8),
            4 => U256::from(32u8),
            5 => U256::from(255u8),
            6 => U256::from(256u16),
            7 => half - U256::from(1u8),
            8 => half,
            9 => U256::MAX,
            10 => U256::MAX - U256::from(1u8),
            11 => U256::from(self.rng.below(1 << 20)),
            _ => U256::from_be_bytes(self.rng.word()),
        }
    }

    /// An account to probe: precompiles, the system range, the top of kernel space and past
    /// it, the sender side, the coinbase, contracts and a fresh address.
    fn probe_address(&mut self) -> Address {
        let low = |v: u64| Address::left_padding_from(&v.to_be_bytes());
        match self.rng.below(6) {
            0 => low(self.rng.range(1, 0x11)),
            1 => low(self.rng.pick(&[0x100, 0x7fff, 0xffff, 0x1_0000])),
            2 | 3 => low(self.rng.range(0x8000, 0x8010)),
            4 => self.rng.pick(&[
                at::TOKEN,
                at::STORAGE_WRITER,
                at::HOLDERS[0],
                self.params.coinbase,
                self.senders[0],
            ]),
            _ => self.fresh_address(),
        }
    }

    /// Ends the program per `ending`.
    fn opcode_ending(&mut self, p: &mut Program, ending: &str) {
        match ending {
            "revert" => p.finish(op::REVERT),
            "undefined" => p.code.push(self.rng.pick(UNDEFINED)),
            "underflow" => {
                let opcode = self.rng.pick(UNDERFLOWING);
                let needed = info(opcode).map_or(1, |i| i.stack_inputs);
                let depth = self.rng.below(u64::from(needed)) as usize;
                p.code.extend(std::iter::repeat_n(op::PUSH0, depth));
                p.code.push(opcode);
            }
            "overflow" => {
                let extra = self.rng.range(1_020, 1_030);
                p.code
                    .extend(std::iter::repeat_n(op::PUSH0, extra as usize));
                p.finish(op::RETURN);
            }
            "jump-push-data" | "jump-past-end" | "jump-not-dest" | "jump-good" => {
                let at = p.jump_to_later(op::JUMP);
                let target = match ending {
                    "jump-push-data" => {
                        p.code
                            .extend_from_slice(&[op::PUSH2, op::JUMPDEST, op::JUMPDEST]);
                        p.code.len() - 2
                    }
                    "jump-past-end" => 0xfff0,
                    "jump-not-dest" => {
                        p.code.push(op::PC);
                        p.code.len() - 1
                    }
                    _ => {
                        p.code.push(op::INVALID);
                        p.code.push(op::JUMPDEST);
                        p.code.len() - 1
                    }
                };
                p.patch(at, target);
                p.finish(op::RETURN);
            }
            "jumpi-taken-bad" | "jumpi-not-taken-bad" => {
                p.push_u64(u64::from(ending == "jumpi-taken-bad"));
                let at = p.jump_to_later(op::JUMPI);
                let target = p.code.len() + 1;
                p.code.extend_from_slice(&[op::PUSH1, op::JUMPDEST]);
                p.patch(at, target);
                p.finish(op::RETURN);
            }
            "returndatacopy-oob" => {
                p.push_u64(1);
                p.push_u64(0);
                p.push_u64(0);
                p.code.push(op::RETURNDATACOPY);
                p.finish(op::RETURN);
            }
            "off-the-end" => {}
            "truncated-push" => {
                p.code.push(op::PUSH32);
                let len = self.rng.below(31) as usize;
                p.code.extend(self.rng.bytes(len));
            }
            _ => p.finish(op::RETURN),
        }
    }
}
