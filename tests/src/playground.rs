//! The playground's opcode list (`playground/src/evm/opcodes.js`), generated from zkos-core's
//! opcode table, gas schedule and native tables so the two cannot drift: `cargo run -p
//! zkos-tests --bin playground-opcodes` writes it, and a test fails when the checked-in file
//! differs from [`opcodes_js`].

use std::fmt::Write;
use std::path::PathBuf;
use zkos_core::bytecode::opcode;
use zkos_core::config::{Hardfork, ProtocolVersion};
use zkos_core::resources::gas;
use zkos_core::resources::native::{NativeCostTable, STEP_NATIVE};
use zkos_core::resources::ERGS_PER_GAS;

/// Protocol versions whose native figures the playground explains, oldest first.
const PROTOCOL_VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::V1, ProtocolVersion::V2];

/// The playground's name of a protocol version (its selector's value).
fn version_name(version: ProtocolVersion) -> &'static str {
    match version {
        ProtocolVersion::V1 => "v1",
        ProtocolVersion::V2 => "v2",
    }
}

/// The playground's name of a hardfork (its selector's value).
fn hardfork_name(hardfork: Hardfork) -> &'static str {
    match hardfork {
        Hardfork::Cancun => "cancun",
        Hardfork::Prague => "prague",
        Hardfork::Osaka => "osaka",
    }
}

/// Opcode bytes per line of the generated arrays.
const BYTES_PER_LINE: usize = 8;

/// Where the playground keeps its opcode list.
pub fn opcodes_js_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../playground/src/evm/opcodes.js")
}

/// The text of `playground/src/evm/opcodes.js`: every byte's mnemonic and immediate size under
/// the newest hardfork, the mnemonic → byte map (with the common aliases `SHA3` and
/// `DIFFICULTY`) and `opName`, then the facts the opcode cards explain: stack effect, static
/// gas and first hardfork per byte, the native each opcode is charged per protocol version,
/// and the figures of the dynamic gas and native rules.
pub fn opcodes_js() -> String {
    let mut js = String::from(
        "// Generated from zkos-core's opcode table (core/src/bytecode/opcode.rs), gas schedule\n\
         // (core/src/resources/gas.rs) and native tables (core/src/resources/native.rs) by\n\
         // `cargo run -p zkos-tests --bin playground-opcodes`; do not edit by hand (a test fails\n\
         // when this file is stale). The figures here only explain opcodes: what a step cost is\n\
         // decided by the engine and reported per step.\n\n\
         /** Mnemonic of every byte under the newest hardfork; bytes that are not opcodes have `null`. */\n\
         export const MNEMONIC = Object.freeze([\n",
    );
    write_rows(&mut js, |byte| match opcode::name(byte) {
        Some(name) => format!("'{name}'"),
        None => "null".to_string(),
    });
    js.push_str(
        "]);\n\n\
         /** Immediate size in bytes after each opcode byte (PUSH1..PUSH32 only). */\n\
         export const IMMEDIATE_BYTES = Uint8Array.from([\n",
    );
    write_rows(&mut js, |byte| opcode::immediate_len(byte).to_string());
    js.push_str(
        "]);\n\n\
         /** Mnemonic → opcode byte (upper case), with the common aliases SHA3 and DIFFICULTY. */\n\
         export const OPCODE = new Map();\n\
         MNEMONIC.forEach((name, byte) => { if (name) OPCODE.set(name, byte); });\n",
    );
    for (alias, byte) in [
        ("SHA3", opcode::KECCAK256),
        ("DIFFICULTY", opcode::PREVRANDAO),
    ] {
        // Writing to a String cannot fail.
        let _ = writeln!(js, "OPCODE.set('{alias}', 0x{byte:02x});");
    }
    js.push_str(
        "\n/** Display name of an opcode byte, also for bytes that are not opcodes. */\n\
         export function opName(byte) {\n  \
         return MNEMONIC[byte] ?? `0x${byte.toString(16).padStart(2, '0')}`;\n\
         }\n",
    );
    write_facts(&mut js);
    write_native(&mut js);
    write_gas_rules(&mut js);
    js
}

/// Per byte: words popped, words pushed, static gas and the first hardfork that defines it
/// (`null` where no opcode).
fn write_facts(js: &mut String) {
    js.push_str(
        "\n/** Per byte: [words popped, words pushed, static gas, first hardfork], or null. */\n\
         export const OPCODE_FACTS = Object.freeze([\n",
    );
    write_rows(js, |byte| match opcode::info(byte) {
        Some(info) => format!(
            "[{}, {}, {}, '{}']",
            info.stack_inputs,
            info.stack_outputs,
            info.static_gas,
            hardfork_name(info.since)
        ),
        None => "null".to_string(),
    });
    js.push_str("]);\n");
}

/// The native every byte is charged before it runs (the dispatch step included) and the
/// figures of the dynamic native rules, per protocol version.
fn write_native(js: &mut String) {
    let names: Vec<String> = PROTOCOL_VERSIONS
        .iter()
        .map(|v| format!("'{}'", version_name(*v)))
        .collect();
    // Writing to a String cannot fail.
    let _ = write!(
        js,
        "\n/** Protocol versions with a native table, oldest first. */\n\
         export const NATIVE_VERSIONS = Object.freeze([{}]);\n\n\
         /** Native of the dispatch step every opcode pays (included in OPCODE_NATIVE). */\n\
         export const STEP_NATIVE = {STEP_NATIVE};\n\n\
         /** Ergs per gas. */\n\
         export const ERGS_PER_GAS = {ERGS_PER_GAS};\n\n\
         /** Per protocol version: the native each byte is charged before it runs. */\n\
         export const OPCODE_NATIVE = Object.freeze({{\n",
        names.join(", ")
    );
    for version in PROTOCOL_VERSIONS {
        let table = NativeCostTable::for_version(version);
        let _ = writeln!(js, "  {}: Object.freeze([", version_name(version));
        let mut rows = String::new();
        write_rows(&mut rows, |byte| {
            table.opcode_native[byte as usize].to_string()
        });
        for line in rows.lines() {
            let _ = writeln!(js, "  {line}");
        }
        js.push_str("  ]),\n");
    }
    js.push_str(
        "});\n\n/** Per protocol version: the figures of the dynamic native rules. */\n\
         export const NATIVE_RULES = Object.freeze({\n",
    );
    for version in PROTOCOL_VERSIONS {
        let t = NativeCostTable::for_version(version);
        let figures = [
            ("expByte", t.exp_byte_native),
            (
                "memoryExpansionBase",
                u64::from(t.memory_expansion_base_native),
            ),
            (
                "memoryExpansionByte",
                u64::from(t.memory_expansion_byte_native),
            ),
            ("copyBase", t.copy_base_native),
            ("copyByte", t.copy_byte_native),
            ("keccakBase", t.keccak_base_native),
            ("keccakRound", t.keccak_round_native),
            ("bytecodeAnalysisByte", t.bytecode_analysis_byte_native),
            ("warmStorageRead", t.warm_storage_read_native),
            ("warmStorageWriteExtra", t.warm_storage_write_extra_native),
            ("accountAccess", t.account_access_native),
            ("accountWriteExtra", t.account_write_extra_native),
            ("transientAccess", t.transient_access_native),
            ("preimageAccess", t.preimage_access_native),
            ("eventBase", t.event_base_native),
            ("eventTopic", t.event_topic_native),
            ("eventByte", t.event_byte_native),
            ("coldReadExisting", t.cold_read_existing_native),
            ("coldReadNew", t.cold_read_new_native),
            ("coldWriteExistingExtra", t.cold_write_existing_extra_native),
            ("coldWriteNewExtra", t.cold_write_new_extra_native),
        ];
        let _ = writeln!(js, "  {}: Object.freeze({{", version_name(version));
        for (name, value) in figures {
            let _ = writeln!(js, "    {name}: {value},");
        }
        js.push_str("  }),\n");
    }
    js.push_str("});\n");
}

/// The figures of the dynamic gas rules (Ethereum's schedule, the same in every flow).
fn write_gas_rules(js: &mut String) {
    let figures: [(&str, i128); 19] = [
        ("expByte", gas::EXP_BYTE_GAS.into()),
        ("keccakWord", gas::KECCAK256_WORD_GAS.into()),
        ("copyWord", gas::COPY_WORD_GAS.into()),
        ("warmAccess", gas::WARM_STORAGE_READ_GAS.into()),
        ("coldAccountAccess", gas::COLD_ACCOUNT_ACCESS_GAS.into()),
        ("coldSload", gas::COLD_SLOAD_GAS.into()),
        ("sstoreSet", gas::SSTORE_SET_GAS.into()),
        ("sstoreReset", gas::SSTORE_RESET_GAS.into()),
        (
            "sstoreClearsRefund",
            gas::SSTORE_CLEARS_SCHEDULE_REFUND.into(),
        ),
        ("sstoreStipend", gas::SSTORE_STIPEND_GAS.into()),
        ("logDataByte", gas::LOG_DATA_BYTE_GAS.into()),
        ("initcodeWord", gas::INITCODE_WORD_GAS.into()),
        ("codeDepositByte", gas::CODE_DEPOSIT_BYTE_GAS.into()),
        ("callValue", gas::CALL_VALUE_GAS.into()),
        ("newAccount", gas::NEW_ACCOUNT_GAS.into()),
        ("callStipend", gas::CALL_STIPEND_GAS.into()),
        ("memoryWord", gas::MEMORY_WORD_GAS.into()),
        (
            "memoryQuadraticDivisor",
            gas::MEMORY_QUADRATIC_DIVISOR.into(),
        ),
        (
            "logTopic",
            zkos_core::bytecode::static_gas::LOG_TOPIC_GAS.into(),
        ),
    ];
    js.push_str(
        "\n/** The figures of the dynamic gas rules (Ethereum's schedule). */\n\
         export const GAS_RULES = Object.freeze({\n",
    );
    for (name, value) in figures {
        // Writing to a String cannot fail.
        let _ = writeln!(js, "  {name}: {value},");
    }
    js.push_str("});\n");
}

/// One line per [`BYTES_PER_LINE`] bytes, each line led by its first byte.
fn write_rows(js: &mut String, entry: impl Fn(u8) -> String) {
    for first in (0..=255u8).step_by(BYTES_PER_LINE) {
        let entries: Vec<String> = (first..=first.saturating_add(BYTES_PER_LINE as u8 - 1))
            .map(&entry)
            .collect();
        // Writing to a String cannot fail.
        let _ = writeln!(js, "  /* 0x{first:02x} */ {},", entries.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cover_every_byte_once() {
        let js = opcodes_js();
        // 256 bytes in rows of 8: mnemonics, immediates, facts and one native row per
        // protocol version.
        assert_eq!(
            js.matches("/* 0x00 */").count(),
            3 + PROTOCOL_VERSIONS.len()
        );
        assert_eq!(
            js.matches("/* 0x").count(),
            (3 + PROTOCOL_VERSIONS.len()) * 256 / BYTES_PER_LINE
        );
        assert!(js.contains("  /* 0xf8 */ null, null, 'STATICCALL', null, null, 'REVERT', 'INVALID', 'SELFDESTRUCT',\n"));
        assert!(js.contains("  /* 0x78 */ 25, 26, 27, 28, 29, 30, 31, 32,\n"));
        assert!(
            js.contains("  /* 0x18 */ 'XOR', 'NOT', 'BYTE', 'SHL', 'SHR', 'SAR', 'CLZ', null,\n")
        );
    }

    #[test]
    fn facts_and_native_follow_the_tables() {
        let js = opcodes_js();
        // ADD pops two, pushes one, costs 3 gas from Cancun; CLZ arrives with Osaka; 0x0c is
        // no opcode. Under protocol version 1 every opcode pays the 20 native step on top of
        // its own figure (spec §3 [new]): STOP 20 + 0, ADD 20 + 40.
        assert!(js.contains("  /* 0x00 */ [0, 0, 0, 'cancun'], [2, 1, 3, 'cancun'],"));
        assert!(js.contains("[1, 1, 5, 'osaka'], null,\n"));
        assert!(js.contains("  v1: Object.freeze([\n    /* 0x00 */ 20, 60, 60, 60,"));
        // PUSH1 20 + 50, PUSH2 20 + 60, PUSH32 20 + 290.
        assert!(js.contains("    /* 0x60 */ 70, 80, "));
        assert!(js.contains(", 310,\n    /* 0x80 */ "));
        assert!(js.contains("    keccakRound: 17500,\n"));
        assert!(js.contains("  sstoreSet: 20000,\n"));
        // Both versions are explained (the playground offers both, version 2 by default).
        assert!(js.contains("export const NATIVE_VERSIONS = Object.freeze(['v1', 'v2']);"));
    }
}
