//! Real contracts on both sides: a flow of blocks over published builds (Uniswap V2 with
//! WETH9, OpenZeppelin ERC-20/721/1155 presets, a Safe multisig) with several signers, each
//! block run on zkos and on the oracle from the state the previous block left, compared per
//! transaction as the generated blocks are, and on the state after each block (see
//! [`run`]).

pub mod abi;
pub mod builds;
pub mod dex;
pub mod edges;
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

/// Free pubdata.
const FREE_PUBDATA: Fees = Fees {
    base_fee: 1_000,
    native_price: 10,
    pubdata_price: 0,
};
/// 100 native per pubdata byte.
const PAID_PUBDATA: Fees = Fees {
    base_fee: 1_000,
    native_price: 10,
    pubdata_price: 1_000,
};
/// Pubdata dear enough to reach the gas charged (10,000 native per byte), at a higher base fee.
const DEAR_PUBDATA: Fees = Fees {
    base_fee: 250_000_000,
    native_price: 2_500_000,
    pubdata_price: 25_000_000_000,
};

/// Little native per gas (4) and pubdata at 50 native per byte: heavy calls and deployments
/// near their native limit.
const TIGHT_NATIVE: Fees = Fees {
    base_fee: 1_000,
    native_price: 250,
    pubdata_price: 12_500,
};

/// The flow: thirteen blocks of deployments, token traffic, Uniswap, NFTs and a multisig, mixed
/// with plain transfers, over five signers.
pub fn flow() -> Result<Flow, String> {
    let mut p = Plan::new(SIGNERS);
    let fresh = alloy_primitives::Address::repeat_byte(0xbe);
    p.begin(FREE_PUBDATA);
    let (tka, tkb, weth) = tokens::deploy_fungibles(&mut p)?;
    let dex = dex::deploy(&mut p, weth)?;
    p.transfer(BOB, fresh, E18);
    p.end();
    p.begin(PAID_PUBDATA);
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
    p.begin(FREE_PUBDATA);
    tokens::erc20_block(&mut p, &t);
    p.end();
    p.begin(DEAR_PUBDATA);
    dex::liquidity_block(&mut p, &t, &dex);
    p.end();
    p.begin(PAID_PUBDATA);
    dex::swap_block(&mut p, &t, &dex);
    p.end();
    p.begin(FREE_PUBDATA);
    dex::remove_block(&mut p, &t, &dex)?;
    tokens::weth_block(&mut p, &t);
    p.transfer(DAVE, fresh, 1);
    p.end();
    p.begin(DEAR_PUBDATA);
    tokens::collectibles_block(&mut p, &t);
    p.end();
    p.begin(DEAR_PUBDATA);
    let safe = multisig::create_block(&mut p, &t)?;
    p.end();
    p.begin(FREE_PUBDATA);
    multisig::exec_block(&mut p, &t, safe.safe);
    p.end();
    p.begin(PAID_PUBDATA);
    tokens::pause_block(&mut p, &t);
    dex::permit_block(&mut p, &t, &dex)?;
    multisig::failing_exec_block(&mut p, &t, safe.safe);
    p.end();
    p.begin(TIGHT_NATIVE);
    limits::tight_native_block(&mut p, &t, &dex)?;
    p.end();
    p.begin(PAID_PUBDATA);
    edges::edge_block(&mut p, &t, &dex, &safe)?;
    p.end();
    p.begin_limited(PAID_PUBDATA, 12_000_000, 8_000);
    edges::limits_block(&mut p, &t)?;
    p.end();
    Ok(p.finish())
}
