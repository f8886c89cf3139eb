//! The system layer beneath the execution environment: the kernel address space (below
//! 0x10000), its reserved addresses, the system hooks that calls into it reach, and the
//! genesis contracts zkos installs there.
//!
//! Kernel space follows ZKsync OS (spec §6): a call to a hook address never runs code, it is
//! intercepted and served by the system; value cannot be sent into kernel space, except to the
//! bootloader's formal address 0x8001. Code at other kernel addresses runs like any contract;
//! only genesis puts code there (a `CREATE`/`CREATE2` address lands below 0x10000 only with
//! negligible probability), see [`genesis`].

pub mod genesis;
pub mod hooks;
pub mod v2_hooks;

use crate::primitives::Address;

/// Addresses below this are kernel space.
pub const KERNEL_SPACE_BOUND: u64 = 0x1_0000;

/// The address whose last two bytes are `low` and all others zero.
pub const fn kernel_address(low: u16) -> Address {
    let mut bytes = [0u8; 20];
    let [high, low] = low.to_be_bytes();
    bytes[18] = high;
    bytes[19] = low;
    Address::new(bytes)
}

/// The bootloader's formal address: sender of priority-transaction L2→L1 logs; the only kernel
/// address that may receive value.
pub const BOOTLOADER_FORMAL_ADDRESS: Address = kernel_address(0x8001);
/// Era's ContractDeployer: the only caller of the set-bytecode hook.
pub const CONTRACT_DEPLOYER_ADDRESS: Address = kernel_address(0x8006);
/// The L1 messenger contract: the only caller of the L1-messenger hook, and the sender of the
/// L2→L1 logs of user messages.
pub const L1_MESSENGER_ADDRESS: Address = kernel_address(0x8008);
/// The L2 base token contract: the only caller of the mint hook.
pub const BASE_TOKEN_ADDRESS: Address = kernel_address(0x800a);

/// Whether `address` lies in kernel space (below 0x10000).
pub fn is_kernel_space(address: &Address) -> bool {
    address.as_slice()[..18].iter().all(|byte| *byte == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::address;

    #[test]
    fn kernel_space_is_below_0x10000() {
        assert_eq!(
            L1_MESSENGER_ADDRESS,
            address!("0000000000000000000000000000000000008008")
        );
        assert!(is_kernel_space(&address!(
            "000000000000000000000000000000000000ffff"
        )));
        assert!(!is_kernel_space(&address!(
            "0000000000000000000000000000000000010000"
        )));
        assert!(!is_kernel_space(&address!(
            "1000000000000000000000000000000000000000"
        )));
    }
}
