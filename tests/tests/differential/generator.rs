//! Deterministic generator of random, mostly well-formed EVM programs.

use super::bls::bls_input;
use zkos_core::primitives::Address;

// Generator features that can be switched off while a zkos bug they expose is open. All are on:
// no mismatch has needed one switched off.

/// CALL, CALLCODE, DELEGATECALL and STATICCALL into the other contracts (and precompiles).
pub const GENERATE_CALLS: bool = true;
/// Calls into the precompiles 0x01..=0x11 (0x0b..=0x11 are the BLS12-381 ones from Prague).
pub const GENERATE_PRECOMPILE_CALLS: bool = true;
/// CREATE and CREATE2.
pub const GENERATE_CREATES: bool = true;
/// SELFDESTRUCT (EIP-6780 rules).
pub const GENERATE_SELFDESTRUCT: bool = true;

/// xorshift64* pseudo-random numbers.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Binary and ternary operators, with the number of operands.
const ARITH: &[(u8, usize)] = &[
    (0x01, 2), // ADD
    (0x02, 2), // MUL
    (0x03, 2), // SUB
    (0x04, 2), // DIV
    (0x05, 2), // SDIV
    (0x06, 2), // MOD
    (0x07, 2), // SMOD
    (0x08, 3), // ADDMOD
    (0x09, 3), // MULMOD
    (0x0a, 2), // EXP
    (0x0b, 2), // SIGNEXTEND
    (0x10, 2), // LT
    (0x11, 2), // GT
    (0x12, 2), // SLT
    (0x13, 2), // SGT
    (0x14, 2), // EQ
    (0x15, 1), // ISZERO
    (0x16, 2), // AND
    (0x17, 2), // OR
    (0x18, 2), // XOR
    (0x19, 1), // NOT
    (0x1a, 2), // BYTE
    (0x1b, 2), // SHL
    (0x1c, 2), // SHR
    (0x1d, 2), // SAR
    (0x1e, 1), // CLZ (Osaka; an invalid opcode before)
];

/// Opcodes without operands that push one value about the environment.
const ENV: &[u8] = &[
    0x30, // ADDRESS
    0x32, // ORIGIN
    0x33, // CALLER
    0x34, // CALLVALUE
    0x36, // CALLDATASIZE
    0x38, // CODESIZE
    0x3a, // GASPRICE
    0x3d, // RETURNDATASIZE
    0x41, // COINBASE
    0x42, // TIMESTAMP
    0x43, // NUMBER
    0x45, // GASLIMIT
    0x46, // CHAINID
    0x47, // SELFBALANCE
    0x44, // PREVRANDAO
    0x48, // BASEFEE
    0x58, // PC
    0x59, // MSIZE
    0x5a, // GAS
];

/// Opcodes taking one address operand.
const ADDRESS_OPS: &[u8] = &[
    0x31, // BALANCE
    0x3b, // EXTCODESIZE
    0x3f, // EXTCODEHASH
];

/// A program under construction with its pending forward jumps.
struct Program {
    code: Vec<u8>,
    /// Positions of PUSH2 immediates waiting for the next JUMPDEST.
    pending_jumps: Vec<usize>,
    /// Approximate stack depth at the end of the code (ignores jumps and junk).
    depth: u64,
}

impl Program {
    fn push(&mut self, value: u64) {
        let bytes = value.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
        let imm = &bytes[skip..];
        self.code.push(0x5f + imm.len() as u8);
        self.code.extend_from_slice(imm);
    }

    fn push_bytes(&mut self, imm: &[u8]) {
        self.code.push(0x5f + imm.len() as u8);
        self.code.extend_from_slice(imm);
    }

    fn push_address(&mut self, address: Address) {
        self.push_bytes(address.as_slice());
    }

    fn op(&mut self, opcode: u8) {
        self.code.push(opcode);
    }

    fn jumpdest(&mut self) {
        let here = self.code.len() as u16;
        for at in self.pending_jumps.drain(..) {
            self.code[at..at + 2].copy_from_slice(&here.to_be_bytes());
        }
        self.code.push(0x5b);
    }
}

/// A random stack operand: small numbers mostly, sometimes a full random word.
fn operand(rng: &mut Rng, p: &mut Program) {
    match rng.below(10) {
        0 => p.push_bytes(&rng.bytes(32)),
        1 => p.push(u64::MAX - rng.below(4)),
        2 => p.op(0x5a), // GAS
        _ => p.push(rng.below(40)),
    }
}

fn small_offset(rng: &mut Rng) -> u64 {
    rng.below(128)
}

fn small_size(rng: &mut Rng) -> u64 {
    rng.pick(&[0, 1, 4, 20, 32, 33, 64, 100])
}

/// Initcode that fits one word: returns a short random runtime code, reverts, or stores.
fn initcode(rng: &mut Rng) -> [u8; 32] {
    let mut code = Vec::new();
    match rng.below(4) {
        0 => {
            // PUSH1 7 PUSH1 0 SSTORE, then return 3 bytes of zero memory.
            code.extend_from_slice(&[0x60, 0x07, 0x60, 0x00, 0x55, 0x60, 0x03, 0x60, 0x00, 0xf3]);
        }
        1 => {
            // REVERT(0, 2)
            code.extend_from_slice(&[0x60, 0x02, 0x60, 0x00, 0xfd]);
        }
        _ => {
            // PUSHn runtime PUSH1 0 MSTORE PUSH1 n PUSH1 32-n RETURN
            let n = 1 + rng.below(12) as usize;
            let mut runtime = rng.bytes(n);
            if rng.chance(50) {
                runtime[0] = rng.pick(&[0x00, 0x60, 0x5f, 0xfe, 0xef]);
            }
            code.push(0x5f + n as u8);
            code.extend_from_slice(&runtime);
            code.extend_from_slice(&[0x60, 0x00, 0x52, 0x60, n as u8, 0x60, 32 - n as u8, 0xf3]);
        }
    }
    let mut word = [0u8; 32];
    word[..code.len()].copy_from_slice(&code);
    word
}

fn call(rng: &mut Rng, p: &mut Program, others: &[Address]) {
    let opcode = rng.pick(&[0xf1, 0xf2, 0xf4, 0xfa]); // CALL CALLCODE DELEGATECALL STATICCALL
                                                      // Stack top to bottom: gas, address, [value], argsOffset, argsSize, retOffset, retSize.
    p.push(small_size(rng));
    p.push(small_offset(rng));
    let precompile = GENERATE_PRECOMPILE_CALLS && rng.chance(30);
    let args_size = if precompile {
        rng.pick(&[0, 32, 64, 96, 128, 192, 213])
    } else {
        small_size(rng)
    };
    p.push(args_size);
    p.push(small_offset(rng));
    if opcode == 0xf1 || opcode == 0xf2 {
        p.push(rng.pick(&[0, 0, 1, 1000]));
    }
    if precompile {
        p.push(1 + rng.below(0x11));
    } else if rng.chance(10) {
        p.push(0xdead_0000 + rng.below(2));
    } else {
        p.push_address(rng.pick(others));
    }
    match rng.below(3) {
        0 => p.op(0x5a),
        1 => p.push(rng.below(5000)),
        _ => p.push(rng.below(200_000)),
    }
    p.op(opcode);
}

/// A STATICCALL of MODEXP on a well-formed input of small lengths laid out at memory 0.
fn modexp(rng: &mut Rng, p: &mut Program) {
    let lengths = [1 + rng.below(40), rng.below(40), 1 + rng.below(40)];
    for (i, length) in lengths.into_iter().enumerate() {
        p.push(length);
        p.push(32 * i as u64);
        p.op(0x52); // MSTORE
    }
    for i in 0..4 {
        p.push_bytes(&rng.bytes(32));
        p.push(96 + 32 * i);
        p.op(0x52);
    }
    p.push(rng.pick(&[0, 32, 40]));
    p.push(small_offset(rng));
    p.push(96 + lengths.iter().sum::<u64>());
    p.push(0);
    p.push(5);
    p.op(0x5a); // GAS
    p.op(0xfa); // STATICCALL
}

/// A STATICCALL with all the gas left of a BLS12-381 precompile (EIP-2537) on an input laid out
/// at memory 0 (see [`bls_input`]), its output copied to memory 0.
fn bls(rng: &mut Rng, p: &mut Program) {
    let (precompile, input) = bls_input(rng);
    for (i, chunk) in input.chunks(32).enumerate() {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        p.push_bytes(&word);
        p.push(32 * i as u64);
        p.op(0x52); // MSTORE
    }
    p.push(rng.pick(&[0, 32, 128]));
    p.push(0);
    p.push(input.len() as u64);
    p.push(0);
    p.push(precompile);
    p.op(0x5a); // GAS
    p.op(0xfa); // STATICCALL
}

fn create(rng: &mut Rng, p: &mut Program) {
    let offset = rng.below(64);
    p.push_bytes(&initcode(rng));
    p.push(offset);
    p.op(0x52); // MSTORE
    let is_create2 = rng.chance(50);
    if is_create2 {
        p.push(rng.below(3)); // salt
    }
    p.push(rng.pick(&[32, 32, 20, 0]));
    p.push(offset);
    p.push(rng.pick(&[0, 0, 5]));
    p.op(if is_create2 { 0xf5 } else { 0xf0 });
}

fn instruction(rng: &mut Rng, p: &mut Program, others: &[Address]) {
    match rng.below(100) {
        0..=19 => {
            let (opcode, arity) = rng.pick(ARITH);
            for _ in 0..arity {
                operand(rng, p);
            }
            p.op(opcode);
        }
        20..=24 => operand(rng, p),
        25..=29 => p.op(rng.pick(ENV)),
        30..=31 => {
            p.push_address(rng.pick(others));
            p.op(rng.pick(ADDRESS_OPS));
        }
        // DUP1..DUP4, SWAP1..SWAP3 and POP, mostly only when the stack is deep enough.
        32..=36 => {
            let n = 1 + rng.below(4);
            if n <= p.depth || rng.chance(5) {
                p.op(0x7f + n as u8);
            }
        }
        37..=40 => {
            let n = 1 + rng.below(3);
            if n < p.depth || rng.chance(5) {
                p.op(0x8f + n as u8);
            }
        }
        41..=43 => {
            if p.depth > 0 || rng.chance(5) {
                p.op(0x50);
            }
        }
        44..=47 => {
            operand(rng, p);
            p.push(small_offset(rng));
            p.op(rng.pick(&[0x52, 0x53])); // MSTORE MSTORE8
        }
        48..=49 => {
            p.push(small_offset(rng));
            p.op(0x51); // MLOAD
        }
        50..=51 => {
            p.push(small_size(rng));
            p.push(small_offset(rng));
            p.push(small_offset(rng));
            p.op(0x5e); // MCOPY
        }
        52..=56 => {
            // Zero often, to clear slots and earn refunds.
            if rng.chance(40) {
                p.push(0);
            } else {
                operand(rng, p);
            }
            p.push(rng.below(4));
            p.op(rng.pick(&[0x55, 0x5d])); // SSTORE TSTORE
        }
        57..=59 => {
            p.push(rng.below(4));
            p.op(rng.pick(&[0x54, 0x5c])); // SLOAD TLOAD
        }
        60..=62 => {
            let topics = rng.below(5);
            for _ in 0..topics {
                operand(rng, p);
            }
            p.push(small_size(rng));
            p.push(small_offset(rng));
            p.op(0xa0 + topics as u8);
        }
        63..=64 => {
            p.push(small_size(rng));
            p.push(small_offset(rng));
            p.op(0x20); // KECCAK256
        }
        65..=66 => {
            if rng.chance(70) {
                p.op(0x3d); // RETURNDATASIZE
                p.push(0);
            } else {
                p.push(rng.below(8));
                p.push(rng.below(3));
            }
            p.push(small_offset(rng));
            p.op(0x3e); // RETURNDATACOPY
        }
        67 => match rng.below(5) {
            0 => {
                p.push(rng.below(40));
                p.op(0x35); // CALLDATALOAD
            }
            1 => {
                p.push(rng.below(3));
                p.op(0x49); // BLOBHASH
            }
            op => {
                // CALLDATACOPY, CODECOPY, EXTCODECOPY: size, offset, destOffset[, address].
                p.push(small_size(rng));
                p.push(rng.below(80));
                p.push(small_offset(rng));
                if op == 4 {
                    p.push_address(rng.pick(others));
                    p.op(0x3c);
                } else {
                    p.op(if op == 2 { 0x37 } else { 0x39 });
                }
            }
        },
        68..=75 if GENERATE_CALLS => call(rng, p, others),
        76..=78 if GENERATE_CREATES => create(rng, p),
        79..=82 => {
            // A forward jump to the next JUMPDEST, sometimes conditional.
            let conditional = rng.chance(50);
            if conditional {
                operand(rng, p);
            }
            p.code.push(0x61);
            p.pending_jumps.push(p.code.len());
            p.code.extend_from_slice(&[0, 0]);
            p.op(if conditional { 0x57 } else { 0x56 });
        }
        83..=86 => p.jumpdest(),
        87 if rng.chance(25) => {
            // A jump to a random place (usually not a JUMPDEST).
            p.push(rng.below(p.code.len() as u64 + 10));
            p.op(0x56);
        }
        88 if rng.chance(25) => p.op(rng.next() as u8), // junk
        89 => {
            p.push(small_size(rng));
            p.push(small_offset(rng));
            p.op(rng.pick(&[0xf3, 0xfd])); // RETURN REVERT
        }
        90 if GENERATE_SELFDESTRUCT && rng.chance(25) => {
            p.push_address(rng.pick(&[others[0], others[1], Address::repeat_byte(0xbe)]));
            p.op(0xff);
        }
        90 if rng.chance(25) => p.op(rng.pick(&[0x00, 0xfe])), // STOP INVALID
        91 if GENERATE_PRECOMPILE_CALLS => modexp(rng, p),
        92 if GENERATE_PRECOMPILE_CALLS => bls(rng, p),
        _ => {
            operand(rng, p);
            operand(rng, p);
            p.op(rng.pick(&[0x01, 0x16, 0x18]));
        }
    }
}

/// The stack depth after running `code` (straight-line, no jumps taken) from `depth`.
fn depth_after(code: &[u8], mut depth: u64) -> u64 {
    let mut i = 0;
    while let Some(&op) = code.get(i) {
        let (pops, pushes) = match op {
            0x5f..=0x7f => {
                i += (op - 0x5f) as usize;
                (0, 1)
            }
            0x80..=0x8f => (0, 1),
            0x90..=0x9f | 0x5b | 0x00 => (0, 0),
            0x01..=0x07 | 0x0a..=0x0b | 0x10..=0x14 | 0x16..=0x18 | 0x1a..=0x1d | 0x20 => (2, 1),
            0x08 | 0x09 => (3, 1),
            0x15 | 0x19 | 0x1e | 0x31 | 0x35 | 0x3b | 0x3f | 0x51 | 0x54 | 0x5c => (1, 1),
            0x50 | 0x56 => (1, 0),
            0x52 | 0x53 | 0x55 | 0x57 | 0x5d | 0xf3 | 0xfd => (2, 0),
            0x37 | 0x39 | 0x3e | 0x5e => (3, 0),
            0x3c => (4, 0),
            0x49 => (1, 1),
            0xff => (1, 0),
            0xa0..=0xa4 => (2 + (op - 0xa0) as u64, 0),
            0xf0 => (3, 1),
            0xf5 => (4, 1),
            0xf1 | 0xf2 => (7, 1),
            0xf4 | 0xfa => (6, 1),
            _ => (0, 1),
        };
        depth = depth.saturating_sub(pops) + pushes;
        i += 1;
    }
    depth
}

/// A program of about `len` instructions calling into `others`.
pub fn program(rng: &mut Rng, len: usize, others: &[Address]) -> Vec<u8> {
    let mut p = Program {
        code: Vec::new(),
        pending_jumps: Vec::new(),
        depth: 0,
    };
    for _ in 0..len {
        let before = p.code.len();
        instruction(rng, &mut p, others);
        p.depth = depth_after(&p.code[before..], p.depth);
    }
    if !p.pending_jumps.is_empty() {
        p.jumpdest();
    }
    match rng.below(4) {
        0 => p.op(0x00),
        1 => {
            p.push(small_size(rng));
            p.push(small_offset(rng));
            p.op(0xfd);
        }
        _ => {
            p.push(small_size(rng));
            p.push(small_offset(rng));
            p.op(0xf3);
        }
    }
    p.code
}
