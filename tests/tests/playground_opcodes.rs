//! The playground's opcode list is generated from the opcode table, never edited by hand.

use zkos_tests::playground;

#[test]
fn checked_in_opcodes_js_is_current() {
    let path = playground::opcodes_js_path();
    let on_disk = std::fs::read_to_string(&path).expect("playground/src/evm/opcodes.js exists");
    assert!(
        on_disk == playground::opcodes_js(),
        "{} is stale: run `cargo run -p zkos-tests --bin playground-opcodes`",
        path.display()
    );
}
