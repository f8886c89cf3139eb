//! Failures real deployments meet: a constructor that reverts, a CREATE2 address already
//! taken, a pair that exists, a deployment short of gas; and storage cleared (burns, a
//! transfer to oneself) for refunds.

use super::abi::{call, uint, Arg};
use super::builds;
use super::dex::Dex;
use super::multisig::SafeDeployment;
use super::plan::{Expect, Plan, Tx, DEPLOY_GAS, HEAVY_CALL_GAS};
use super::tokens::{transfer, Tokens, ALICE, BOB, CAROL, DAVE, E18, ERIN};
use alloy_primitives::{Address, U256};

fn tx(to: Option<Address>, data: Vec<u8>, gas_limit: u64) -> Tx {
    Tx {
        to,
        value: U256::ZERO,
        data,
        gas_limit,
    }
}

/// The block.
pub fn edge_block(p: &mut Plan, t: &Tokens, d: &Dex, safe: &SafeDeployment) -> Result<(), String> {
    let a = p.addr.clone();
    let mut proxy = builds::SAFE_PROXY.creation_code()?;
    proxy.extend([0u8; 32]);
    let reason = "Invalid singleton address provided";
    p.send(
        DAVE,
        "safe-proxy-deploy-zero-singleton",
        tx(None, proxy, DEPLOY_GAS),
        Expect::Revert(reason),
    );
    let again = tx(Some(safe.factory), safe.create.clone(), HEAVY_CALL_GAS);
    p.send(
        ERIN,
        "safe-create-taken",
        again,
        Expect::Revert("Create2 call failed"),
    );
    let pair = call(
        "createPair(address,address)",
        &[Arg::Addr(t.tkb), Arg::Addr(t.tka)],
    );
    p.send(
        BOB,
        "uniswap-create-pair-exists",
        tx(Some(d.factory), pair, HEAVY_CALL_GAS),
        Expect::Revert("UniswapV2: PAIR_EXISTS"),
    );
    let singleton = builds::SAFE_SINGLETON.creation_code()?;
    p.send(
        CAROL,
        "safe-singleton-deploy-short-gas",
        tx(None, singleton, 3_000_000),
        Expect::RevertBare,
    );
    p.call(
        BOB,
        "oz-erc721-burn",
        t.nft,
        call("burn(uint256)", &[uint(0)]),
    );
    p.call(
        ALICE,
        "oz-erc20-burn",
        t.tka,
        call("burn(uint256)", &[uint(1_000 * E18)]),
    );
    p.call(
        ALICE,
        "oz-erc20-transfer-self",
        t.tkb,
        transfer(a[ALICE], 7 * E18),
    );
    let all = call("approve(address,uint256)", &[Arg::Addr(a[DAVE]), uint(0)]);
    p.call(CAROL, "oz-erc20-approve-zero", t.tka, all);
    p.transfer(ALICE, a[ALICE], E18);
    Ok(())
}

/// A block with a gas limit of 12 M and a pubdata limit of 8,000 bytes: a transaction asking
/// for more gas than the block has; a deployment that fits, then one that does not and a
/// token transfer that no longer does either (both left out), while a plain transfer still
/// does.
pub fn limits_block(p: &mut Plan, t: &Tokens) -> Result<(), String> {
    let a = p.addr.clone();
    let code = builds::OZ_ERC20.creation_code()?;
    let mut initcode = code.clone();
    initcode.extend(super::abi::encode(&[Arg::Str("Token D"), Arg::Str("TKD")]));
    p.send(
        DAVE,
        "oz-erc20-deploy-limited",
        tx(None, initcode.clone(), DEPLOY_GAS),
        Expect::Success,
    );
    p.send(
        ERIN,
        "transfer-above-block-gas",
        tx(Some(a[ALICE]), Vec::new(), 13_000_000),
        Expect::Invalid("GasLimitAboveBlock"),
    );
    p.send(
        ERIN,
        "oz-erc20-deploy-past-pubdata",
        tx(None, initcode, DEPLOY_GAS),
        Expect::Invalid("BlockPubdataLimitReached"),
    );
    let late = tx(Some(t.tka), transfer(a[BOB], E18), 1_000_000);
    p.send(
        CAROL,
        "oz-erc20-transfer-past-pubdata",
        late,
        Expect::Invalid("BlockPubdataLimitReached"),
    );
    p.transfer(BOB, a[DAVE], 1);
    Ok(())
}
