//! Deterministic generator of random, mostly well-formed EVM programs.

use zkos_core::primitives::Address;

// Generator features that can be switched off while a zkos bug they expose is open. All are on:
// no mismatch has needed one switched off.

/// CALL, CALLCODE, DELEGATECALL and STATICCALL into the other contracts (and precompiles).
pub const GENERATE_CALLS: bool = true;
/// Calls into the precompiles 0x01..=0x0a.
pub const GENERATE_PRECOMPILE_CALLS: bool = true;
/// Calls into the BLS12-381 precompiles 0x0b..=0x11 (EIP-2537; plain accounts before Prague).
pub const GENERATE_BLS_CALLS: bool = true;
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
        p.push(1 + rng.below(10));
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

/// BLS12-381 base-field coordinates (EIP-2537 "Curve parameters"), 48 big-endian bytes each.
mod bls {
    use zkos_core::primitives::hex;

    /// G1 generator x.
    pub const G1_X: [u8; 48] = hex!("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
    /// G1 generator y.
    pub const G1_Y: [u8; 48] = hex!("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
    /// p - G1 generator y: the negated generator.
    pub const G1_NEG_Y: [u8; 48] = hex!("114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca");
    /// y of the G1 curve point with x = 4 (y = (4^3 + 4)^((p+1)/4)); r times it is not the
    /// identity, so it lies outside the subgroup.
    pub const OUTSIDE_Y: [u8; 48] = hex!("0a989badd40d6212b33cffc3f3763e9bc760f988c9926b26da9dd85e928483446346b8ed00e1de5d5ea93e354abe706c");
    /// G2 generator x (c0, c1) and y (c0, c1).
    pub const G2: [[u8; 48]; 4] = [
        hex!("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
        hex!("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"),
        hex!("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
        hex!("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"),
    ];
    /// p - G2 generator y (c0, c1): the negated generator.
    pub const G2_NEG_Y: [[u8; 48]; 2] = [
        hex!("0d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa"),
        hex!("13fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed"),
    ];
    /// The base-field modulus p: an invalid coordinate.
    pub const P: [u8; 48] = hex!("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
}

/// Appends a base-field element in its 64-byte EIP-2537 encoding.
fn bls_fp(out: &mut Vec<u8>, value: &[u8; 48]) {
    out.extend_from_slice(&[0u8; 16]);
    out.extend_from_slice(value);
}

/// An encoded G1 point: mostly the generator or its negation, sometimes infinity, a point
/// outside the subgroup, a point off the curve or a coordinate equal to p.
fn bls_g1(rng: &mut Rng, out: &mut Vec<u8>) {
    let (x, y) = match rng.below(10) {
        0 => return out.extend_from_slice(&[0u8; 128]),
        1 => {
            let mut x = [0u8; 48];
            x[47] = 4;
            (x, bls::OUTSIDE_Y)
        }
        2 => (bls::G1_X, bls::G1_X),
        3 => (bls::P, bls::G1_Y),
        4..=6 => (bls::G1_X, bls::G1_NEG_Y),
        _ => (bls::G1_X, bls::G1_Y),
    };
    bls_fp(out, &x);
    bls_fp(out, &y);
}

/// An encoded G2 point: mostly the generator or its negation, sometimes infinity, a point off
/// the curve or non-zero padding.
fn bls_g2(rng: &mut Rng, out: &mut Vec<u8>) {
    let [x0, x1, y0, y1] = bls::G2;
    let coordinates = match rng.below(10) {
        0 => return out.extend_from_slice(&[0u8; 256]),
        1 => [x0, x1, y1, y0],
        2..=4 => [x0, x1, bls::G2_NEG_Y[0], bls::G2_NEG_Y[1]],
        _ => [x0, x1, y0, y1],
    };
    let start = out.len();
    for coordinate in &coordinates {
        bls_fp(out, coordinate);
    }
    if rng.chance(5) {
        out[start + rng.below(16) as usize] = 1;
    }
}

/// A 32-byte scalar: small, random, or all ones.
fn bls_scalar(rng: &mut Rng, out: &mut Vec<u8>) {
    match rng.below(4) {
        0 => out.extend_from_slice(&[0xff; 32]),
        1 => out.extend_from_slice(&rng.bytes(32)),
        _ => {
            out.extend_from_slice(&[0u8; 31]);
            out.push(rng.below(5) as u8);
        }
    }
}

/// A STATICCALL of one of the BLS12-381 precompiles (EIP-2537) on an input laid out at memory 0:
/// additions, MSMs of 1 to 4 pairs, pairings of 1 or 2 pairs, field-to-curve maps, with valid
/// and invalid points and field elements, sometimes a wrong length, with all or little gas.
fn bls_call(rng: &mut Rng, p: &mut Program) {
    let mut input = Vec::new();
    let (address, output_len) = match rng.below(7) {
        0 => {
            bls_g1(rng, &mut input);
            bls_g1(rng, &mut input);
            (0x0b, 128)
        }
        1 => {
            for _ in 0..1 + rng.below(4) {
                bls_g1(rng, &mut input);
                bls_scalar(rng, &mut input);
            }
            (0x0c, 128)
        }
        2 => {
            bls_g2(rng, &mut input);
            bls_g2(rng, &mut input);
            (0x0d, 256)
        }
        3 => {
            for _ in 0..1 + rng.below(4) {
                bls_g2(rng, &mut input);
                bls_scalar(rng, &mut input);
            }
            (0x0e, 256)
        }
        4 => {
            for _ in 0..1 + rng.below(2) {
                bls_g1(rng, &mut input);
                bls_g2(rng, &mut input);
            }
            (0x0f, 32)
        }
        map => {
            for _ in 0..map - 4 {
                let mut value = [0u8; 48];
                value.copy_from_slice(&rng.bytes(48));
                value[0] %= if rng.chance(10) { 0xff } else { 0x1a };
                bls_fp(&mut input, &value);
            }
            (if map == 5 { 0x10 } else { 0x11 }, 128 * (map - 4))
        }
    };
    for (i, word) in input.chunks(32).enumerate() {
        p.push_bytes(word);
        p.push(32 * i as u64);
        p.op(0x52); // MSTORE
    }
    let args_size = match rng.below(10) {
        0 => input.len() as u64 - 1,
        1 => input.len() as u64 + 32,
        _ => input.len() as u64,
    };
    p.push(output_len);
    p.push(small_offset(rng));
    p.push(args_size);
    p.push(0);
    p.push(address);
    if rng.chance(70) {
        p.op(0x5a); // GAS
    } else {
        p.push(rng.below(60_000));
    }
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
        92 if GENERATE_BLS_CALLS => bls_call(rng, p),
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
            0x15 | 0x19 | 0x31 | 0x35 | 0x3b | 0x3f | 0x51 | 0x54 | 0x5c => (1, 1),
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
