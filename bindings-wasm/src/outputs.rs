//! Engine results → plain JS objects.

use crate::convert::{addr, array, big, big64, data, hash, Obj};
use wasm_bindgen::JsValue;
use zkos_core::engine::{
    AccessListResult, AccountInfo, BlockInfo, BlockReport, CallResult, Estimate, FeeParams,
    GasBreakdown, L2ToL1Message, Log, LogRecord, NativeBudget, PendingTx, Receipt, Rejected,
    StateCommitment, TxRecord, MAX_NATIVE_COMPUTATIONAL,
};
use zkos_core::primitives::U256;
use zkos_core::tx::{AccessListItem, Authorization};

/// `{balance, nonce, codeHash, code}`.
pub fn account(info: &AccountInfo) -> JsValue {
    Obj::new()
        .set("balance", big(info.balance))
        .set("nonce", big64(info.nonce))
        .set("codeHash", hash(&info.code_hash))
        .set("code", data(&info.code))
        .build()
}

/// `{address, topics, data}`.
pub fn log(log: &Log) -> JsValue {
    Obj::new()
        .set("address", addr(&log.address))
        .set("topics", array(&log.topics, hash))
        .set("data", data(&log.data))
        .build()
}

fn log_record(record: &LogRecord, receipt: &Receipt) -> JsValue {
    Obj::new()
        .set("address", addr(&record.log.address))
        .set("topics", array(&record.log.topics, hash))
        .set("data", data(&record.log.data))
        .set("logIndex", big64(record.log_index))
        .set("transactionIndex", big64(receipt.tx_index))
        .set("transactionHash", hash(&receipt.tx_hash))
        .set("blockNumber", big64(receipt.block_number))
        .set("blockHash", hash(&receipt.block_hash))
        .build()
}

/// `{sender, data}`.
pub fn message(message: &L2ToL1Message) -> JsValue {
    Obj::new()
        .set("sender", addr(&message.sender))
        .set("data", data(&message.data))
        .build()
}

/// An Ethereum-style receipt plus `nativeUsed`, `computationalNativeUsed`, `pubdataUsed`,
/// `gasRefunded`, `output`, `halt` and `l2ToL1Messages`.
pub fn receipt(r: &Receipt) -> JsValue {
    Obj::new()
        .set("transactionHash", hash(&r.tx_hash))
        .set("transactionIndex", big64(r.tx_index))
        .set("blockNumber", big64(r.block_number))
        .set("blockHash", hash(&r.block_hash))
        .set("from", addr(&r.from))
        .set_opt("to", r.to.as_ref().map(addr))
        .set("type", big64(u64::from(r.tx_type)))
        .set("status", big64(u64::from(r.status)))
        .set("gasUsed", big64(r.gas_used))
        .set("cumulativeGasUsed", big64(r.cumulative_gas_used))
        .set("effectiveGasPrice", big(r.effective_gas_price))
        .set_opt("contractAddress", r.contract_address.as_ref().map(addr))
        .set("logs", array(&r.logs, |l| log_record(l, r)))
        .set("logsBloom", data(r.logs_bloom.as_slice()))
        .set("gasRefunded", big64(r.gas_refunded))
        .set("nativeUsed", big64(r.native_used))
        .set(
            "computationalNativeUsed",
            big64(r.computational_native_used),
        )
        .set("pubdataUsed", big64(r.pubdata_used))
        .set("l2ToL1Messages", array(&r.l2_to_l1_messages, message))
        .set("output", data(&r.output))
        .set_opt("halt", r.halt.map(|h| JsValue::from_str(&format!("{h:?}"))))
        .build()
}

/// `{hash, from, to, nonce, gas, value, input, type, chainId, gasPrice?, maxFeePerGas,
/// maxPriorityFeePerGas, blockNumber, transactionIndex}`.
pub fn transaction(t: &TxRecord) -> JsValue {
    let tx = &t.tx;
    Obj::new()
        .set("hash", hash(&t.hash))
        .set("from", addr(&t.from))
        .set_opt("to", tx.to.as_ref().map(addr))
        .set("nonce", big64(tx.nonce))
        .set("gas", big64(tx.gas_limit))
        .set("value", big(tx.value))
        .set("input", data(&tx.data))
        .set("type", big64(u64::from(tx.tx_type)))
        .set_opt("chainId", tx.chain_id.map(big64))
        .set("maxFeePerGas", JsValue::from(tx.max_fee_per_gas))
        .set(
            "maxPriorityFeePerGas",
            JsValue::from(tx.max_priority_fee_per_gas),
        )
        .set("accessList", access_list(&tx.access_list))
        .set(
            "authorizationList",
            authorization_list(&tx.authorization_list),
        )
        .set("blockNumber", big64(t.block_number))
        .set("transactionIndex", big64(t.index))
        .build()
}

/// `{root, nextFreeSlot}`.
fn state_commitment(c: &StateCommitment) -> JsValue {
    Obj::new()
        .set("root", hash(&c.root))
        .set("nextFreeSlot", big64(c.next_free_slot))
        .build()
}

/// `{baseFeePerGas, blobBaseFee, nativePrice, pubdataPrice, blockGasLimit, coinbase}` of the
/// next block.
pub fn next_fees(fees: &FeeParams, blob_base_fee: U256) -> JsValue {
    Obj::new()
        .set("baseFeePerGas", big(fees.base_fee))
        .set("blobBaseFee", big(blob_base_fee))
        .set("nativePrice", big(fees.native_price))
        .set("pubdataPrice", big(fees.pubdata_price))
        .set("blockGasLimit", big64(fees.block_gas_limit))
        .set("coinbase", addr(&fees.coinbase))
        .build()
}

/// `{number, hash, parentHash, timestamp, miner, gasLimit, gasUsed, baseFeePerGas, blobGasUsed,
/// excessBlobGas, nativePrice, pubdataPrice, mixHash, stateRoot, stateCommitment, transactions,
/// pubdata, publicInput, batchPublicInput}`.
pub fn block(h: &BlockInfo) -> JsValue {
    block_fields(h).build()
}

/// A block as `block` gives it, with `blobBaseFee`, the blob base fee it ran with.
pub fn block_with_blob_fee(h: &BlockInfo, blob_base_fee: U256) -> JsValue {
    block_fields(h)
        .set("blobBaseFee", big(blob_base_fee))
        .build()
}

fn block_fields(h: &BlockInfo) -> Obj {
    Obj::new()
        .set("number", big64(h.number))
        .set("hash", hash(&h.hash))
        .set("parentHash", hash(&h.parent_hash))
        .set("timestamp", big64(h.timestamp))
        .set("miner", addr(&h.coinbase))
        .set("gasLimit", big64(h.gas_limit))
        .set("gasUsed", big64(h.gas_used))
        .set("baseFeePerGas", big(h.base_fee))
        .set("blobGasUsed", big64(h.blob_gas_used))
        .set("excessBlobGas", big64(h.excess_blob_gas))
        .set("nativePrice", big(h.native_price))
        .set("pubdataPrice", big(h.pubdata_price))
        .set("mixHash", hash(&h.prevrandao))
        .set("stateRoot", hash(&h.state_commitment.root))
        .set("stateCommitment", state_commitment(&h.state_commitment))
        .set("transactions", array(&h.transactions, hash))
        .set("pubdata", data(&h.pubdata))
        .set("publicInput", hash(&h.block_public_input))
        .set("batchPublicInput", hash(&h.batch_public_input))
}

fn rejected(r: &Rejected) -> JsValue {
    Obj::new()
        .set("position", big64(r.position as u64))
        .set_opt("transactionHash", r.tx_hash.as_ref().map(hash))
        .set("code", JsValue::from_str(r.error.code()))
        .set_opt("reason", r.error.reason().map(JsValue::from_str))
        .set("message", JsValue::from_str(&r.error.message()))
        .build()
}

/// `{block, receipts, rejected}`.
pub fn block_report(report: &BlockReport) -> JsValue {
    Obj::new()
        .set("block", block(&report.header))
        .set("receipts", array(&report.receipts, receipt))
        .set("rejected", array(&report.rejected, rejected))
        .build()
}

/// `{success, output, gasUsed, gasRefunded, nativeUsed, pubdataUsed, halt, logs,
/// l2ToL1Messages, contractAddress}`.
pub fn call_result(r: &CallResult) -> JsValue {
    Obj::new()
        .set("success", JsValue::from_bool(r.success))
        .set("output", data(&r.output))
        .set("gasUsed", big64(r.gas_used))
        .set("gasRefunded", big64(r.gas_refunded))
        .set("nativeUsed", big64(r.native_used))
        .set("pubdataUsed", big64(r.pubdata_used))
        .set_opt("halt", r.halt.map(|h| JsValue::from_str(&format!("{h:?}"))))
        .set("logs", array(&r.logs, log))
        .set("l2ToL1Messages", array(&r.l2_to_l1_messages, message))
        .set_opt("contractAddress", r.created.as_ref().map(addr))
        .build()
}

/// `[{address, storageKeys}]`.
fn access_list(items: &[AccessListItem]) -> JsValue {
    array(items, |item| {
        Obj::new()
            .set("address", addr(&item.address))
            .set("storageKeys", array(&item.storage_keys, hash))
            .build()
    })
}

/// `[{chainId, address, nonce, yParity, r, s}]`.
fn authorization_list(items: &[Authorization]) -> JsValue {
    array(items, |a| {
        Obj::new()
            .set("chainId", big(a.chain_id))
            .set("address", addr(&a.address))
            .set("nonce", big64(a.nonce))
            .set("yParity", JsValue::from(a.y_parity))
            .set("r", big(a.r))
            .set("s", big(a.s))
            .build()
    })
}

/// `{accessList: [{address, storageKeys}], call}` (`call` as [`call_result`]).
pub fn access_list_result(r: &AccessListResult) -> JsValue {
    Obj::new()
        .set("accessList", access_list(&r.access_list))
        .set("call", call_result(&r.call))
        .build()
}

/// `{gasLimit, gasUsed, nativeUsed, pubdataUsed, nativeCoverGas, gasPrice, maxFee, fee,
/// evmGas, deltaGas, pubdataGas, nativePerGas}`.
pub fn estimate(e: &Estimate) -> JsValue {
    Obj::new()
        .set("gasLimit", big64(e.gas_limit))
        .set("gasUsed", big64(e.gas_used))
        .set("nativeUsed", big64(e.native_used))
        .set("pubdataUsed", big64(e.pubdata_used))
        .set("nativeCoverGas", big64(e.native_cover_gas))
        .set("gasPrice", big(e.gas_price))
        .set("maxFee", big(e.max_fee))
        .set("fee", big(e.fee))
        .set("evmGas", big64(e.breakdown.evm_gas))
        .set("deltaGas", big64(e.breakdown.delta_gas))
        .set("pubdataGas", big64(e.breakdown.pubdata_gas))
        .set("nativePerGas", big64(e.breakdown.native_per_gas))
        .build()
}

/// `{nativePerGas, nativePerPubdata, limit, withheld, intrinsicPubdata, intrinsicNative,
/// execution, computationalCap}`.
pub fn native_budget(b: &NativeBudget) -> JsValue {
    Obj::new()
        .set("nativePerGas", JsValue::from(b.native_per_gas))
        .set("nativePerPubdata", JsValue::from(b.native_per_pubdata))
        .set("limit", JsValue::from(b.total))
        .set("withheld", JsValue::from(b.withheld))
        .set("intrinsicPubdata", JsValue::from(b.intrinsic_pubdata))
        .set("intrinsicNative", JsValue::from(b.intrinsic_native))
        .set("execution", JsValue::from(b.execution))
        .set("computationalCap", JsValue::from(MAX_NATIVE_COMPUTATIONAL))
        .build()
}

/// `{intrinsicGas, executionGas, refundedGas, floorGas, nativeGas, deltaGas, cappedGas,
/// gasUsed}`.
pub fn gas_breakdown(g: &GasBreakdown) -> JsValue {
    Obj::new()
        .set("intrinsicGas", JsValue::from(g.intrinsic_gas))
        .set("executionGas", JsValue::from(g.execution_gas))
        .set("refundedGas", JsValue::from(g.refunded_gas))
        .set("floorGas", JsValue::from(g.floor_gas))
        .set("nativeGas", JsValue::from(g.native_gas))
        .set("deltaGas", JsValue::from(g.delta_gas))
        .set("cappedGas", JsValue::from(g.capped_gas))
        .set("gasUsed", JsValue::from(g.gas_used()))
        .build()
}

/// `{hash, from, nonce, gas, maxFeePerGas, maxPriorityFeePerGas, type, to, value, input}`.
pub fn pending(p: &PendingTx) -> JsValue {
    Obj::new()
        .set("hash", hash(&p.hash))
        .set("from", addr(&p.sender))
        .set("nonce", big64(p.nonce))
        .set("gas", big64(p.gas_limit))
        .set("maxFeePerGas", JsValue::from(p.max_fee_per_gas))
        .set(
            "maxPriorityFeePerGas",
            JsValue::from(p.max_priority_fee_per_gas),
        )
        .set("type", JsValue::from(p.tx_type))
        .set_opt("to", p.to.as_ref().map(addr))
        .set("value", big(p.value))
        .set("input", data(&p.input))
        .set("accessList", access_list(&p.access_list))
        .set(
            "authorizationList",
            authorization_list(&p.authorization_list),
        )
        .build()
}
