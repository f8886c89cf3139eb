//! The builder of a real-contract flow: several signers with their nonces, blocks of signed
//! transactions, each with what it is expected to do (checked on both sides, so a flow that
//! went wrong, e.g. every call reverting, cannot pass unnoticed).

use super::abi::{self, Arg};
use super::builds::Build;
use crate::oracle_diff::case::{BlockParams, CaseTx, PreAccount};
use crate::oracle_diff::generate::CHAIN_ID;
use crate::oracle_diff::sign::{self, AccessItem, TxRequest};
use alloy_primitives::{address, Address, B256, U256};
use k256::ecdsa::SigningKey;
use std::collections::BTreeMap;

/// Gas limit of a deployment.
pub const DEPLOY_GAS: u64 = 10_000_000;
/// Gas limit of an ordinary call.
pub const CALL_GAS: u64 = 1_000_000;
/// Gas limit of a call that deploys on the way (a Uniswap pair, a Safe proxy).
pub const HEAVY_CALL_GAS: u64 = 5_000_000;
/// Gas limit of a plain transfer that cannot pay dear pubdata.
pub const TRANSFER_GAS: u64 = 21_000;
/// Gas limit of a plain transfer (its pubdata may cost more than its 21,000 gas).
const PAID_TRANSFER_GAS: u64 = 60_000;
/// Wei each signer holds before the first block (1,000 ether).
pub const SIGNER_WEI: u128 = 1_000_000_000_000_000_000_000;
/// Gas limit of a block unless the flow sets another.
const BLOCK_GAS_LIMIT: u64 = 100_000_000;
/// The fee recipient of every block.
pub const COINBASE: Address = address!("c0ffee0000000000000000000000000000c0ffee");

/// What a transaction of a flow is expected to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Succeed.
    Success,
    /// Revert with `Error(reason)` as its return data.
    Revert(&'static str),
    /// Revert with empty return data (out of gas, a bare `require`).
    RevertBare,
    /// Be left out of the block with this reason (as `compare::normalise_reason` names it);
    /// the sender's nonce is not used.
    Invalid(&'static str),
    /// Anything upstream does (random calls: only the comparison with upstream counts); the
    /// sender's nonce is taken as used.
    Any,
}

/// What one transaction does: recipient (`None` deploys), value, calldata and gas limit.
#[derive(Clone, Debug)]
pub struct Tx {
    /// Recipient; `None` deploys.
    pub to: Option<Address>,
    /// Value in wei.
    pub value: U256,
    /// Calldata or initcode.
    pub data: Vec<u8>,
    /// Gas limit.
    pub gas_limit: u64,
}

/// The fee regime of a block: base fee, native price and pubdata price, in wei.
#[derive(Clone, Copy, Debug)]
pub struct Fees {
    /// Base fee per gas.
    pub base_fee: u128,
    /// Price of one unit of native.
    pub native_price: u128,
    /// Price of one pubdata byte.
    pub pubdata_price: u128,
}

/// One block of a flow.
#[derive(Clone, Debug)]
pub struct FlowBlock {
    /// Its parameters.
    pub params: BlockParams,
    /// Its transactions, in order.
    pub txs: Vec<CaseTx>,
    /// What each transaction is expected to do.
    pub expect: Vec<Expect>,
}

/// A whole flow: the accounts before its first block and its blocks.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Accounts before the first block (the funded signers).
    pub pre_state: BTreeMap<Address, PreAccount>,
    /// Blocks in order; each starts from the state the previous one left.
    pub blocks: Vec<FlowBlock>,
}

/// Builds a flow block by block.
pub struct Plan {
    keys: Vec<SigningKey>,
    /// The signers' addresses.
    pub addr: Vec<Address>,
    nonces: Vec<u64>,
    fees: Fees,
    /// Gas and pubdata limits of the current block.
    limits: (u64, u64),
    sent: u64,
    current: Vec<(CaseTx, Expect)>,
    flow: Flow,
}

/// First test-key index of the flows' signers (apart from the generator's).
pub const KEY_BASE: u64 = 500;

impl Plan {
    /// A plan with `signers` funded signers.
    pub fn new(signers: u64) -> Self {
        let keys: Vec<SigningKey> = (0..signers).map(|i| sign::test_key(KEY_BASE + i)).collect();
        let addr: Vec<Address> = keys.iter().map(sign::address_of).collect();
        let pre_state = addr
            .iter()
            .map(|a| {
                let account = PreAccount {
                    balance: U256::from(SIGNER_WEI),
                    ..PreAccount::default()
                };
                (*a, account)
            })
            .collect();
        Self {
            nonces: vec![0; keys.len()],
            keys,
            addr,
            fees: Fees {
                base_fee: 1_000,
                native_price: 10,
                pubdata_price: 0,
            },
            limits: (BLOCK_GAS_LIMIT, u64::MAX),
            sent: 0,
            current: Vec::new(),
            flow: Flow {
                pre_state,
                blocks: Vec::new(),
            },
        }
    }

    /// The key of signer `who` (for signatures inside calldata).
    pub fn key(&self, who: usize) -> &SigningKey {
        &self.keys[who]
    }

    /// Starts a block under `fees` (the transactions signed next pay them).
    pub fn begin(&mut self, fees: Fees) {
        self.begin_limited(fees, BLOCK_GAS_LIMIT, u64::MAX);
    }

    /// Starts a block under `fees` with a block gas limit and a pubdata limit in bytes.
    pub fn begin_limited(&mut self, fees: Fees, gas_limit: u64, pubdata_limit: u64) {
        self.fees = fees;
        self.limits = (gas_limit, pubdata_limit);
    }

    /// Ends the block: its number follows the previous one, 12 s later.
    pub fn end(&mut self) {
        let params = self.params();
        let (txs, expect) = std::mem::take(&mut self.current).into_iter().unzip();
        self.flow.blocks.push(FlowBlock {
            params,
            txs,
            expect,
        });
    }

    /// The parameters of the current block.
    pub fn params(&self) -> BlockParams {
        let number = self.flow.blocks.len() as u64 + 1;
        BlockParams {
            number,
            timestamp: 1_700_000_000 + 12 * number,
            base_fee: self.fees.base_fee,
            native_price: self.fees.native_price,
            pubdata_price: self.fees.pubdata_price,
            gas_limit: self.limits.0,
            coinbase: COINBASE,
            pubdata_limit: self.limits.1,
        }
    }

    /// The transactions of the current block queued so far.
    pub fn queued(&self) -> Vec<CaseTx> {
        self.current.iter().map(|(tx, _)| tx.clone()).collect()
    }

    /// The blocks ended so far.
    pub fn blocks(&self) -> &[FlowBlock] {
        &self.flow.blocks
    }

    /// The accounts before the first block.
    pub fn pre_state(&self) -> &BTreeMap<Address, PreAccount> {
        &self.flow.pre_state
    }

    /// The transaction [`Self::send`] would queue next for `who`, not queued.
    pub fn preview(&self, who: usize, tx: Tx) -> CaseTx {
        let req = self.request(who, self.envelope(), tx);
        CaseTx {
            kind: String::new(),
            signed: sign::sign(&req, &self.keys[who]),
        }
    }

    /// The finished flow.
    pub fn finish(self) -> Flow {
        self.flow
    }

    /// Signs and queues `tx` of `who`; the envelope type and tip rotate (EIP-1559, legacy
    /// EIP-155, EIP-2930) so every flow covers the three. An EIP-2930 envelope lists the
    /// recipient with its slots 0 to 2 (and one unrelated account), as a wallet's
    /// `eth_createAccessList` might.
    pub fn send(&mut self, who: usize, kind: &str, tx: Tx, expect: Expect) {
        let envelope = self.envelope();
        self.sent += 1;
        self.sign_queued(who, kind, envelope, tx, expect);
    }

    /// The envelope type and (fee cap, tip) of the next [`Self::send`].
    fn envelope(&self) -> (u8, (u128, u128)) {
        let base = self.fees.base_fee;
        let tx_type = [2, 0, 2, 1][(self.sent % 4) as usize];
        let price = match tx_type {
            2 => (2 * base, [0, base / 10, 1][(self.sent % 3) as usize]),
            _ => (base + base / 2, 0),
        };
        (tx_type, price)
    }

    /// Signs and queues an EIP-1559 transaction of `who` paying exactly the base fee (so its
    /// native per gas is the block's lowest).
    pub fn send_at_base_fee(
        &mut self,
        who: usize,
        kind: &str,
        to: Address,
        value: U256,
        gas_limit: u64,
        expect: Expect,
    ) {
        let price = (self.fees.base_fee, 0);
        let tx = Tx {
            to: Some(to),
            value,
            data: Vec::new(),
            gas_limit,
        };
        self.sign_queued(who, kind, (2, price), tx, expect);
    }

    /// Signs `tx` of `who` as envelope `tx_type` at (fee cap, tip) and queues it.
    fn sign_queued(
        &mut self,
        who: usize,
        kind: &str,
        envelope: (u8, (u128, u128)),
        tx: Tx,
        expect: Expect,
    ) {
        let req = self.request(who, envelope, tx);
        if !matches!(expect, Expect::Invalid(_)) {
            self.nonces[who] += 1;
        }
        let signed = sign::sign(&req, &self.keys[who]);
        self.current.push((
            CaseTx {
                kind: format!("real-{kind}"),
                signed,
            },
            expect,
        ));
    }

    /// The request of `tx` from `who` at its next nonce as envelope `tx_type` at (fee cap,
    /// tip).
    fn request(
        &self,
        who: usize,
        (tx_type, (max_fee, tip)): (u8, (u128, u128)),
        tx: Tx,
    ) -> TxRequest {
        TxRequest {
            tx_type,
            chain_id: CHAIN_ID,
            nonce: self.nonces[who],
            gas_limit: tx.gas_limit,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: tip,
            to: tx.to,
            value: tx.value,
            access_list: match (tx_type, tx.to) {
                (1, Some(to)) => vec![
                    AccessItem {
                        address: to,
                        keys: (0u8..3).map(B256::with_last_byte).collect(),
                    },
                    AccessItem {
                        address: COINBASE,
                        keys: Vec::new(),
                    },
                ],
                _ => Vec::new(),
            },
            data: tx.data,
            authorizations: Vec::new(),
        }
    }

    /// Queues a call of `who` to `to` expected to succeed.
    pub fn call(&mut self, who: usize, kind: &str, to: Address, data: Vec<u8>) {
        self.send(
            who,
            kind,
            Tx {
                to: Some(to),
                value: U256::ZERO,
                data,
                gas_limit: CALL_GAS,
            },
            Expect::Success,
        );
    }

    /// Queues a call of `who` to `to` expected to revert with `Error(reason)`.
    pub fn fail(
        &mut self,
        who: usize,
        kind: &str,
        to: Address,
        data: Vec<u8>,
        reason: &'static str,
    ) {
        let expect = Expect::Revert(reason);
        self.send(
            who,
            kind,
            Tx {
                to: Some(to),
                value: U256::ZERO,
                data,
                gas_limit: CALL_GAS,
            },
            expect,
        );
    }

    /// Queues a plain transfer of `wei` from `who` to `to`.
    pub fn transfer(&mut self, who: usize, to: Address, wei: u128) {
        let value = U256::from(wei);
        self.send(
            who,
            "transfer",
            Tx {
                to: Some(to),
                value,
                data: Vec::new(),
                gas_limit: PAID_TRANSFER_GAS,
            },
            Expect::Success,
        );
    }

    /// Queues the deployment of `build` by `who` with constructor `args`; its address (from
    /// the sender and nonce, as CREATE gives it).
    pub fn deploy(
        &mut self,
        who: usize,
        kind: &str,
        build: &Build,
        args: &[Arg],
    ) -> Result<Address, String> {
        let address = self.addr[who].create(self.nonces[who]);
        let mut initcode = build.creation_code()?;
        initcode.extend(abi::encode(args));
        self.send(
            who,
            kind,
            Tx {
                to: None,
                value: U256::ZERO,
                data: initcode,
                gas_limit: DEPLOY_GAS,
            },
            Expect::Success,
        );
        Ok(address)
    }
}
