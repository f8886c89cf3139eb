//! Contracts zkos installs in kernel space at genesis under ZKsync OS protocol version 1
//! (version 2 serves 0x8008 as a hook, [`super::v2_hooks`], and installs nothing).
//!
//! zkos does not ship Era's system contracts, yet ZKsync OS lets only the L1 messenger contract
//! (0x8008) call the L1-messenger hook (0x7001). zkos keeps that rule and installs at 0x8008 a
//! 45-byte forwarder, written for zkos: it calls the hook with `CALLER` (as a 32-byte word)
//! followed by its own calldata, and returns (or reverts with) whatever the hook returns. So a
//! contract sends a message exactly as on Era: `IL1Messenger(0x8008).sendToL1(bytes)`, which
//! returns `keccak256(message)` and emits `L1MessageSent(address indexed sender,
//! bytes32 indexed hash, bytes message)` from 0x8008; the hook does the decoding, the event and
//! the recording.

use super::L1_MESSENGER_ADDRESS;
use crate::io::InMemoryState;
use crate::primitives::{hex, Address, Bytes, U256};

/// The L1 messenger forwarder, instruction by instruction:
/// `CALLER PUSH1 0 MSTORE` (word 0 = caller);
/// `CALLDATASIZE PUSH1 0 PUSH1 0x20 CALLDATACOPY` (calldata after it);
/// `PUSH1 0 PUSH1 0 CALLDATASIZE PUSH1 0x20 ADD PUSH1 0 PUSH1 0 PUSH2 0x7001 GAS CALL`;
/// `RETURNDATASIZE PUSH1 0 PUSH1 0 RETURNDATACOPY PUSH1 0x28 JUMPI`;
/// `RETURNDATASIZE PUSH1 0 REVERT`; at 0x28: `JUMPDEST RETURNDATASIZE PUSH1 0 RETURN`.
pub const L1_MESSENGER_CODE: [u8; 45] = hex!(
    "33600052366000602037600060003660200160006000617001"
    "5af13d600060003e6028573d6000fd5b3d6000f3"
);

/// An account the chain holds from genesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenesisAccount {
    /// Its address.
    pub address: Address,
    /// Its nonce.
    pub nonce: u64,
    /// Its code.
    pub code: &'static [u8],
}

/// The accounts zkos installs at genesis in the ZKsync OS flow: the L1 messenger forwarder.
pub const GENESIS_ACCOUNTS: [GenesisAccount; 1] = [GenesisAccount {
    address: L1_MESSENGER_ADDRESS,
    nonce: 1,
    code: &L1_MESSENGER_CODE,
}];

/// Installs the genesis contracts into `state`.
pub fn install(state: &mut InMemoryState) {
    for account in &GENESIS_ACCOUNTS {
        state.set_account(
            account.address,
            account.nonce,
            U256::ZERO,
            Bytes::from_static(account.code),
        );
    }
}
