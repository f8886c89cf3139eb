//! The playground's opcode list (`playground/src/evm/opcodes.js`), generated from zkos-core's
//! opcode table so the two cannot drift: `cargo run -p zkos-tests --bin playground-opcodes`
//! writes it, and a test fails when the checked-in file differs from [`opcodes_js`].

use std::fmt::Write;
use std::path::PathBuf;
use zkos_core::bytecode::opcode;

/// Opcode bytes per line of the generated arrays.
const BYTES_PER_LINE: usize = 8;

/// Where the playground keeps its opcode list.
pub fn opcodes_js_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../playground/src/evm/opcodes.js")
}

/// The text of `playground/src/evm/opcodes.js`: every byte's mnemonic and immediate size under
/// the newest hardfork, the mnemonic → byte map (with the common aliases `SHA3` and
/// `DIFFICULTY`) and `opName`.
pub fn opcodes_js() -> String {
    let mut js = String::from(
        "// Generated from zkos-core's opcode table (core/src/bytecode/opcode.rs) by\n\
         // `cargo run -p zkos-tests --bin playground-opcodes`; do not edit by hand (a test fails\n\
         // when this file is stale). Gas and native costs are not kept here: the engine decides\n\
         // them and reports them per step.\n\n\
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
    js
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
        // 256 bytes in rows of 8, for both arrays.
        assert_eq!(js.matches("  /* 0x").count(), 2 * 256 / BYTES_PER_LINE);
        assert!(js.contains("  /* 0xf8 */ null, null, 'STATICCALL', null, null, 'REVERT', 'INVALID', 'SELFDESTRUCT',\n"));
        assert!(js.contains("  /* 0x78 */ 25, 26, 27, 28, 29, 30, 31, 32,\n"));
        assert!(
            js.contains("  /* 0x18 */ 'XOR', 'NOT', 'BYTE', 'SHL', 'SHR', 'SAR', 'CLZ', null,\n")
        );
    }
}
