// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// Sends an L2→L1 message through the L1 messenger system contract (0x8008).
contract Messenger {
    function send(bytes calldata message) external {
        (bool ok, ) = address(0x8008).call(abi.encodeWithSignature("sendToL1(bytes)", message));
        require(ok, "Messenger: sendToL1 failed");
    }
}
