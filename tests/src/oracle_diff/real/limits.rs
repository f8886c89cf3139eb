//! Real contracts where upstream's resource model bites: a block with little native per gas,
//! where deployments and heavy calls run near (or past) the native their gas limit buys:
//! left out in validation, or reverted out of native in execution.

use super::abi::{call, uint, Arg};
use super::builds;
use super::dex::Dex;
use super::plan::{Expect, Plan, Tx, HEAVY_CALL_GAS};
use super::tokens::{transfer, Tokens, ALICE, BOB, CAROL, DAVE, E18, ERIN};
use alloy_primitives::{Address, U256};

/// Deployments, a swap, mints and transfers at 4 native per gas.
pub fn tight_native_block(p: &mut Plan, t: &Tokens, d: &Dex) -> Result<(), String> {
    let a = p.addr.clone();
    p.deploy(
        ALICE,
        "oz-erc20-deploy-tight",
        &builds::OZ_ERC20,
        &[Arg::Str("Token C"), Arg::Str("TKC")],
    )?;
    let swap = call(
        "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
        &[
            uint(5 * E18),
            uint(0),
            Arg::Addrs(vec![t.tka, t.tkb]),
            Arg::Addr(a[BOB]),
            Arg::Uint(U256::MAX),
        ],
    );
    let tx = Tx {
        to: Some(d.router),
        value: U256::ZERO,
        data: swap.clone(),
        gas_limit: HEAVY_CALL_GAS,
    };
    p.send(BOB, "uniswap-swap-tight", tx, Expect::Success);
    let invalid = Expect::Invalid("OutOfNativeInValidation");
    let send = |p: &mut Plan, who: usize, kind: &str, tx: (Address, Vec<u8>, u64), expect| {
        let (to, data, gas_limit) = tx;
        let tx = Tx {
            to: Some(to),
            value: U256::ZERO,
            data,
            gas_limit,
        };
        p.send(who, kind, tx, expect);
    };
    send(
        p,
        BOB,
        "uniswap-swap-tight-low-gas",
        (d.router, swap.clone(), 150_000),
        invalid.clone(),
    );
    send(
        p,
        BOB,
        "uniswap-swap-tight-out-of-native",
        (d.router, swap, 400_000),
        Expect::RevertBare,
    );
    let mint = call("mint(address)", &[Arg::Addr(a[ERIN])]);
    p.call(CAROL, "oz-erc721-mint-tight", t.nft, mint);
    p.call(
        ALICE,
        "oz-erc20-transfer-tight",
        t.tka,
        transfer(a[DAVE], E18),
    );
    let low = (t.tka, transfer(a[ERIN], E18), 40_000);
    send(
        p,
        ALICE,
        "oz-erc20-transfer-tight-low-gas",
        low,
        invalid.clone(),
    );
    send(
        p,
        DAVE,
        "transfer-tight-low-gas",
        (a[CAROL], Vec::new(), 60_000),
        invalid,
    );
    send(
        p,
        DAVE,
        "transfer-tight",
        (a[CAROL], Vec::new(), 500_000),
        Expect::Success,
    );
    let withdraw = call("withdraw(uint256)", &[uint(E18 / 10)]);
    p.call(BOB, "weth-withdraw-tight", t.weth, withdraw);
    Ok(())
}
