//! One EVM call frame and the requests it hands to the runner.

use super::memory::Memory;
use super::stack::Stack;
use crate::bytecode::Bytecode;
use crate::io::Checkpoint;
use crate::primitives::{Address, Bytes, B256, U256};
use crate::resources::ErgsPerGas;
use alloc::rc::Rc;
use core::fmt;

/// Why a frame stopped abnormally. An exceptional halt consumes all ergs given to the frame;
/// [`Halt::OutOfNative`] additionally reverts the whole transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Halt {
    /// Not enough ergs.
    OutOfGas,
    /// The transaction's native resource is exhausted.
    OutOfNative,
    /// An instruction needed more items than the stack holds.
    StackUnderflow,
    /// The stack would exceed 1024 items.
    StackOverflow,
    /// `JUMP`/`JUMPI` to a non-`JUMPDEST`.
    InvalidJump,
    /// An undefined opcode or `INVALID` (0xFE).
    InvalidOpcode(u8),
    /// A state change in a static context.
    StaticStateChange,
    /// `RETURNDATACOPY` past the end of the return data.
    ReturnDataOutOfBounds,
    /// Deployed code starts with 0xEF (EIP-3541).
    InvalidCodePrefix,
    /// Deployed code exceeds 24,576 bytes (EIP-170).
    CodeTooLarge,
    /// Initcode exceeds 49,152 bytes (EIP-3860).
    InitcodeTooLarge,
    /// A precompile rejected its input.
    PrecompileFailed,
}

impl fmt::Display for Halt {
    /// geth's wording, which traces and RPC errors show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Halt::OutOfGas => f.write_str("out of gas"),
            Halt::OutOfNative => f.write_str("out of native resource"),
            Halt::StackUnderflow => f.write_str("stack underflow"),
            Halt::StackOverflow => f.write_str("stack limit reached 1024"),
            Halt::InvalidJump => f.write_str("invalid jump destination"),
            Halt::InvalidOpcode(opcode) => write!(f, "invalid opcode: 0x{opcode:02x}"),
            Halt::StaticStateChange => f.write_str("write protection"),
            Halt::ReturnDataOutOfBounds => f.write_str("return data out of bounds"),
            Halt::InvalidCodePrefix => f.write_str("invalid code: must not begin with 0xef"),
            Halt::CodeTooLarge => f.write_str("max code size exceeded"),
            Halt::InitcodeTooLarge => f.write_str("max initcode size exceeded"),
            Halt::PrecompileFailed => f.write_str("precompile failed"),
        }
    }
}

impl core::error::Error for Halt {}

/// How a call frame was entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// `CALL` (or the transaction's top-level call).
    Call,
    /// `CALLCODE`.
    CallCode,
    /// `DELEGATECALL`.
    DelegateCall,
    /// `STATICCALL`.
    StaticCall,
    /// `CREATE` (or a deployment transaction).
    Create,
    /// `CREATE2`.
    Create2,
}

/// A request to call another account.
#[derive(Clone, Debug)]
pub struct CallRequest {
    /// Call flavour.
    pub kind: CallKind,
    /// The account whose storage and balance the callee uses (`ADDRESS`).
    pub target: Address,
    /// The account whose code runs.
    pub code_address: Address,
    /// The delegated code when `code_address` is reached through an EIP-7702 designator.
    pub delegated: bool,
    /// `CALLER` in the callee.
    pub caller: Address,
    /// Value moved from `caller` to `target` (zero for delegate and static calls).
    pub transfer_value: U256,
    /// `CALLVALUE` in the callee.
    pub apparent_value: U256,
    /// Calldata.
    pub input: Bytes,
    /// Ergs given to the callee (including the stipend), in the caller's unit.
    pub ergs: u64,
    /// Whether the callee runs in a static context.
    pub is_static: bool,
    /// Where the caller wants the output in its memory.
    pub return_memory: (usize, usize),
}

/// A request to deploy a contract.
#[derive(Clone, Debug)]
pub struct CreateRequest {
    /// `Create` or `Create2`.
    pub kind: CallKind,
    /// The deploying account.
    pub caller: Address,
    /// The new contract's address.
    pub address: Address,
    /// Endowment.
    pub value: U256,
    /// Initcode.
    pub init_code: Bytes,
    /// Ergs given to the constructor, in the caller's unit.
    pub ergs: u64,
}

/// What a frame hands back to the runner when it cannot continue on its own.
#[derive(Clone, Debug)]
pub enum Request {
    /// Run a call and resume with its result.
    Call(CallRequest),
    /// Run a deployment and resume with its result.
    Create(CreateRequest),
}

/// How a frame ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameEnd {
    /// `STOP` or `RETURN`.
    Success(Bytes),
    /// `REVERT` with its data.
    Revert(Bytes),
    /// Exceptional halt.
    Halt(Halt),
}

/// The state of one EVM call frame.
#[derive(Debug)]
pub struct Frame {
    /// How this frame was entered.
    pub kind: CallKind,
    /// `ADDRESS`: whose storage and balance this frame uses.
    pub address: Address,
    /// Whose code runs.
    pub code_address: Address,
    /// `CALLER`.
    pub caller: Address,
    /// `CALLVALUE`.
    pub value: U256,
    /// Calldata (empty for deployments).
    pub input: Bytes,
    /// Whether state changes are forbidden.
    pub is_static: bool,
    /// Call depth (0 for the transaction's frame).
    pub depth: usize,
    /// The code being run.
    pub code: Rc<Bytecode>,
    /// Program counter.
    pub pc: usize,
    /// Operand stack.
    pub stack: Stack,
    /// Memory.
    pub memory: Memory,
    /// Ergs left, in [`Self::ergs_per_gas`].
    pub ergs: u64,
    /// The unit of [`Self::ergs`] (the flow's; every frame of a transaction has the same).
    pub ergs_per_gas: ErgsPerGas,
    /// Gas refund counter (EIP-3529), may go negative within a frame.
    pub refund: i64,
    /// Output of the last call this frame made.
    pub return_data: Bytes,
    /// State to roll back to if this frame fails.
    pub checkpoint: Checkpoint,
    /// How the caller takes this frame's result.
    pub resume: Resume,
}

/// How a caller takes a child frame's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// A call: copy the output to `(offset, len)` of memory and push the success flag.
    Call(usize, usize),
    /// A deployment: push the new address (or zero).
    Create,
    /// The transaction's top-level frame: nobody resumes.
    TopLevel,
}

impl Frame {
    /// A fresh frame about to run `code` from pc 0, on `stack` (emptied here: a finished
    /// frame's stack can be handed on, so its 32 KiB need not be allocated and zeroed again).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: CallKind,
        address: Address,
        code_address: Address,
        caller: Address,
        value: U256,
        input: Bytes,
        is_static: bool,
        depth: usize,
        code: Rc<Bytecode>,
        ergs: u64,
        ergs_per_gas: ErgsPerGas,
        checkpoint: Checkpoint,
        mut stack: Stack,
    ) -> Self {
        stack.clear();
        Self {
            kind,
            address,
            code_address,
            caller,
            value,
            input,
            is_static,
            depth,
            code,
            pc: 0,
            stack,
            memory: Memory::new(),
            ergs,
            ergs_per_gas,
            refund: 0,
            return_data: Bytes::new(),
            checkpoint,
            resume: Resume::TopLevel,
        }
    }

    /// Whether this frame runs initcode.
    pub fn is_create(&self) -> bool {
        matches!(self.kind, CallKind::Create | CallKind::Create2)
    }

    /// Whole gas left (what `GAS` pushes).
    #[inline]
    pub fn gas_left(&self) -> u64 {
        self.ergs_per_gas.gas(self.ergs)
    }
}

/// The keccak hash used for `CREATE2` addresses: keccak(0xff ‖ sender ‖ salt ‖ keccak(initcode)).
pub fn create2_address(sender: &Address, salt: &B256, init_code_hash: &B256) -> Address {
    let hash = crate::primitives::keccak256_concat(&[
        &[0xff],
        sender.as_slice(),
        salt.as_slice(),
        init_code_hash.as_slice(),
    ]);
    Address::from_slice(&hash[12..])
}

/// The `CREATE` address: keccak(rlp([sender, nonce]))[12..].
pub fn create_address(sender: &Address, nonce: u64) -> Address {
    let mut encoded = [0u8; 31];
    encoded[1] = 0x80 + 20;
    encoded[2..22].copy_from_slice(sender.as_slice());
    let nonce_bytes = nonce.to_be_bytes();
    let skip = nonce_bytes.iter().take_while(|b| **b == 0).count();
    let len = match nonce {
        0 => {
            encoded[22] = 0x80;
            23
        }
        1..=0x7f => {
            encoded[22] = nonce as u8;
            23
        }
        _ => {
            let n = 8 - skip;
            encoded[22] = 0x80 + n as u8;
            encoded[23..23 + n].copy_from_slice(&nonce_bytes[skip..]);
            23 + n
        }
    };
    encoded[0] = 0xc0 + (len - 1) as u8;
    let hash = crate::primitives::keccak256(&encoded[..len]);
    Address::from_slice(&hash[12..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::address;

    #[test]
    fn create_addresses_match_known_deployments() {
        // The first contract deployed by 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0 (nonce 0..3
        // give these addresses, a widely published example).
        let sender = address!("6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        assert_eq!(
            create_address(&sender, 0),
            address!("cd234a471b72ba2f1ccf0a70fcaba648a5eecd8d")
        );
        assert_eq!(
            create_address(&sender, 1),
            address!("343c43a37d37dff08ae8c4a11544c718abb4fcf8")
        );
        assert_eq!(
            create_address(&sender, 2),
            address!("f778b86fa74e846c4f0a1fbd1335fe81c00a0c91")
        );
        assert_eq!(
            create_address(&sender, 3),
            address!("fffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c")
        );
    }

    #[test]
    fn halts_display_in_geths_words() {
        use alloc::string::ToString;
        assert_eq!(Halt::OutOfGas.to_string(), "out of gas");
        assert_eq!(Halt::StackOverflow.to_string(), "stack limit reached 1024");
        assert_eq!(
            Halt::InvalidOpcode(0xfe).to_string(),
            "invalid opcode: 0xfe"
        );
        assert_eq!(
            Halt::InvalidOpcode(0x0c).to_string(),
            "invalid opcode: 0x0c"
        );
        let error: &dyn core::error::Error = &Halt::StaticStateChange;
        assert_eq!(error.to_string(), "write protection");
    }

    #[test]
    fn create2_address_matches_eip1014_example() {
        // EIP-1014 example 1: address 0, salt 0, initcode 0x00.
        let hash = crate::primitives::keccak256(&[0x00]);
        assert_eq!(
            create2_address(&Address::ZERO, &B256::ZERO, &hash),
            address!("4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38")
        );
    }
}
