//! Real contracts on both sides: a flow of blocks over published builds (Uniswap V2 with
//! WETH9, OpenZeppelin ERC-20/721/1155 presets, a Safe multisig) with several signers, each
//! block run on zkos and on the oracle from the state the previous block left, compared per
//! transaction as the generated blocks are, and on the state after each block (see
//! [`run`]).

pub mod abi;
pub mod builds;
pub mod dex;
pub mod edges;
pub mod fuzz;
pub mod limits;
pub mod multisig;
pub mod plan;
pub mod run;
pub mod state;
pub mod tokens;

use plan::{Fees, Flow, Plan};
use tokens::{Tokens, ALICE, BOB, DAVE, E18, ERIN};

/// Signers of the flow: test keys `plan::KEY_BASE` onwards.
pub const SIGNERS: u64 = 5;

/// The fee regimes of the flow's blocks, by the role each block's regime plays.
#[derive(Clone, Copy, Debug)]
pub struct Regimes {
    /// Blocks with pubdata free or nearly.
    pub free: Fees,
    /// Blocks where pubdata is paid.
    pub paid: Fees,
    /// Blocks where pubdata is dear enough to reach the gas charged.
    pub dear: Fees,
    /// The block with little native per gas.
    pub tight: Fees,
}

const fn fees(base_fee: u128, native_price: u128, pubdata_price: u128) -> Fees {
    Fees {
        base_fee,
        native_price,
        pubdata_price,
    }
}

/// The regimes the flow's expected outcomes are written for: 100 native per gas with free
/// pubdata, 100 and 10,000 native per pubdata byte (the latter at a base fee of 0.25 gwei),
/// and 4 native per gas with 50 native per pubdata byte.
pub const REGIMES: Regimes = Regimes {
    free: fees(1_000, 10, 0),
    paid: fees(1_000, 10, 1_000),
    dear: fees(250_000_000, 2_500_000, 25_000_000_000),
    tight: fees(1_000, 250, 12_500),
};

/// Other regimes the same transactions run under, compared with upstream without expected
/// outcomes (many are left out or revert there): 7 native per gas at a base fee of 7 wei,
/// 1,000 per gas at 1 gwei, 1,000 per gas with 100,000 per pubdata byte, fractional prices.
pub const OTHER_REGIMES: [Regimes; 2] = [
    Regimes {
        free: fees(7, 1, 0),
        paid: fees(1_000_000_000, 1_000_000, 3_000_000_000),
        dear: fees(50_000, 50, 5_000_000),
        tight: fees(1_000, 250, 12_500),
    },
    Regimes {
        free: fees(1_000, 1, 0),
        paid: fees(1_000, 1, 100_000),
        dear: fees(1_000, 4, 7),
        tight: fees(1_000, 333, 1),
    },
];

/// The flow under [`REGIMES`].
pub fn flow() -> Result<Flow, String> {
    flow_under(&REGIMES)
}

/// The flow: thirteen blocks of deployments, token traffic, Uniswap, NFTs and a multisig, mixed
/// with plain transfers, over five signers, under `r`.
pub fn flow_under(r: &Regimes) -> Result<Flow, String> {
    flow_plan(r).map(|(p, _)| p.finish())
}

/// What the flow deployed.
#[derive(Clone, Debug)]
pub struct Deployed {
    /// The token contracts.
    pub tokens: Tokens,
    /// The exchange.
    pub dex: dex::Dex,
    /// The Safe.
    pub safe: multisig::SafeDeployment,
}

/// The flow's plan after its thirteen blocks (more blocks may follow), with what it deployed.
pub fn flow_plan(r: &Regimes) -> Result<(Plan, Deployed), String> {
    let mut p = Plan::new(SIGNERS);
    let fresh = alloy_primitives::Address::repeat_byte(0xbe);
    p.begin(r.free);
    let (tka, tkb, weth) = tokens::deploy_fungibles(&mut p)?;
    let dex = dex::deploy(&mut p, weth)?;
    p.transfer(BOB, fresh, E18);
    p.end();
    p.begin(r.paid);
    let (nft, items, holder) = tokens::deploy_collectibles(&mut p)?;
    p.transfer(ERIN, p.addr[ALICE], 5 * E18);
    p.end();
    let t = Tokens {
        tka,
        tkb,
        weth,
        nft,
        items,
        holder,
    };
    p.begin(r.free);
    tokens::erc20_block(&mut p, &t);
    p.end();
    p.begin(r.dear);
    dex::liquidity_block(&mut p, &t, &dex);
    p.end();
    p.begin(r.paid);
    dex::swap_block(&mut p, &t, &dex);
    p.end();
    p.begin(r.free);
    dex::remove_block(&mut p, &t, &dex)?;
    tokens::weth_block(&mut p, &t);
    p.transfer(DAVE, fresh, 1);
    p.end();
    p.begin(r.dear);
    tokens::collectibles_block(&mut p, &t);
    p.end();
    p.begin(r.dear);
    let safe = multisig::create_block(&mut p, &t)?;
    p.end();
    p.begin(r.free);
    multisig::exec_block(&mut p, &t, safe.safe);
    p.end();
    p.begin(r.paid);
    tokens::pause_block(&mut p, &t);
    dex::permit_block(&mut p, &t, &dex)?;
    multisig::failing_exec_block(&mut p, &t, safe.safe);
    p.end();
    p.begin(r.tight);
    limits::tight_native_block(&mut p, &t, &dex)?;
    p.end();
    p.begin(r.paid);
    edges::edge_block(&mut p, &t, &dex, &safe)?;
    p.end();
    p.begin_limited(r.paid, 12_000_000, 8_000);
    edges::limits_block(&mut p, &t)?;
    p.end();
    let deployed = Deployed {
        tokens: t,
        dex,
        safe,
    };
    Ok((p, deployed))
}
