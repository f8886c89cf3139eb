//! One transaction of a generated block on the oracle at other gas limits (signed again each
//! time), in its place in the block or first in a block on the state it meets there, and the
//! bisection for upstream's smallest succeeding limit.

use super::case::{BlockCase, CaseTx, PreAccount};
use super::estimate::Keys;
use super::oracle;
use super::outcome::{Status, TxOutcome};
use alloy_primitives::{Address, B256};
use std::path::Path;
use zkos_core::engine::Engine;

/// A gas limit below every transaction's intrinsic gas: the bisection's known failure.
const BELOW_INTRINSIC: u64 = 20_999;

/// Transaction `index` of `case` on the oracle at `binary`.
pub struct Probe<'a> {
    /// The oracle binary.
    pub binary: &'a Path,
    /// The keys that sign the block's transactions.
    pub keys: &'a Keys,
    /// The block.
    pub case: &'a BlockCase,
    /// The transaction's position.
    pub index: usize,
}

/// Whether `got` succeeded with `want`'s logs and deployed address, and with its return data
/// when `with_output`.
pub fn matches(got: &TxOutcome, want: &TxOutcome, with_output: bool) -> bool {
    got.status == Status::Success
        && got.logs == want.logs
        && got.contract_address == want.contract_address
        && (!with_output || got.return_data == want.return_data)
}

impl Probe<'_> {
    /// The transaction signed again with gas limit `gas`.
    fn signed_at(&self, gas: u64) -> Result<CaseTx, String> {
        let tx = &self.case.txs[self.index];
        let signed = self
            .keys
            .resign(&tx.signed, gas)
            .ok_or("the transaction cannot be signed again")?;
        Ok(CaseTx {
            kind: tx.kind.clone(),
            signed,
        })
    }

    /// The oracle's outcome of the last transaction of `case`.
    fn last(&self, case: &BlockCase) -> Result<TxOutcome, String> {
        oracle::run(self.binary, case)?
            .txs
            .pop()
            .ok_or_else(|| "the oracle answered no transaction".to_string())
    }

    /// The block up to the transaction, which has gas limit `gas`.
    pub fn block_at(&self, gas: u64) -> Result<BlockCase, String> {
        let mut case = self.case.clone();
        case.txs.truncate(self.index);
        case.txs.push(self.signed_at(gas)?);
        Ok(case)
    }

    /// The oracle's outcome of the transaction with gas limit `gas`, after the block's
    /// earlier transactions.
    pub fn at(&self, gas: u64) -> Result<TxOutcome, String> {
        self.last(&self.block_at(gas)?)
    }

    /// The oracle's outcome of the transaction with gas limit `gas` first in a block (same
    /// context) whose pre-state is `engine`'s state (the state the transaction meets in its
    /// block).
    pub fn first_at(&self, gas: u64, engine: &Engine) -> Result<TxOutcome, String> {
        let pre_state = engine
            .addresses()
            .into_iter()
            .filter_map(|address| {
                let account = engine.get_account(&address)?;
                let storage = engine
                    .get_storage_all(&address)
                    .into_iter()
                    .map(|(k, v)| (B256::from(k), B256::from(v)))
                    .collect();
                Some((
                    address,
                    PreAccount {
                        balance: account.balance,
                        nonce: account.nonce,
                        code: account.code.to_vec(),
                        storage,
                    },
                ))
            })
            .collect::<std::collections::BTreeMap<Address, PreAccount>>();
        let case = BlockCase {
            pre_state,
            txs: vec![self.signed_at(gas)?],
            ..self.case.clone()
        };
        self.last(&case)
    }

    /// The smallest gas limit at most `hi` (at which the oracle gave `at_hi`) at which the
    /// oracle still succeeds as there ([`matches`], return data compared when `with_output`),
    /// trying `first` before halving. A limit at which the oracle refuses the whole block
    /// (upstream's fee transfer can run out of native at a low limit) does not succeed.
    pub fn minimum(
        &self,
        hi: u64,
        first: u64,
        at_hi: &TxOutcome,
        with_output: bool,
    ) -> Result<u64, String> {
        let (mut lo, mut hi) = (BELOW_INTRINSIC, hi);
        let mut guess = Some(first);
        while lo + 1 < hi {
            let mid = guess
                .take()
                .filter(|g| *g > lo && *g < hi)
                .unwrap_or(lo + (hi - lo) / 2);
            if self
                .at(mid)
                .is_ok_and(|got| matches(&got, at_hi, with_output))
            {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    }
}
