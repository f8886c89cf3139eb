//! The architecture of the repository, checked from the source text (no compilation; see
//! ARCHITECTURE.md at the top of the repository):
//! - `core`'s top-level modules sit in the layers of [`LAYERS`]; a module names only modules of
//!   lower layers and, of its own layer, those listed before it;
//! - only the engine (the bindings' facade) re-exports another module's names;
//! - no circle of files in `core`, `bindings-wasm` (with its curve module, `bindings-wasm/curves`)
//!   or `riscv-build`, an edge running to the file that defines the named item;
//! - `bindings-wasm` and `bindings-wasm/curves` name nothing in `zkos_core` but the engine and
//!   the value modules they need;
//! - no source file over 800 lines outside tests.
//!
//! Test code (`#[cfg(test)]` items and modules, `tests.rs`, `tests/` directories) is exempt.

mod architecture {
    pub mod lexer;
    pub mod model;
    pub mod parse;
    pub mod rules;
    mod selftest;
}

use architecture::model::Crate;
use architecture::rules::{self, Layers};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// `core`'s top-level modules from the bottom layer up. Within a layer the order is the one
/// direction in which those modules may name each other.
const LAYERS: Layers = &[
    (
        "foundations",
        &[
            "hash",
            "primitives",
            "bigint",
            "crypto",
            "config",
            "env",
            "context",
        ],
    ),
    ("transactions", &["tx"]),
    ("bytecode", &["bytecode"]),
    ("resources", &["resources"]),
    ("io", &["io"]),
    ("state", &["state"]),
    ("oracle", &["oracle"]),
    ("execution", &["ee", "precompiles", "system", "trace"]),
    ("runner", &["runner"]),
    ("bootloader", &["bootloader"]),
    ("commitment", &["commitment"]),
    ("drivers", &["driver", "engine"]),
];

/// The modules that may re-export other modules' names: the engine is the bindings' facade.
const FACADES: &[&str] = &["engine"];

/// The `zkos_core` modules `bindings-wasm` may name: the engine facade and the plain values its
/// API takes and returns (chain configuration, access lists, addresses and words).
const BINDINGS_MAY_NAME: &[&str] = &["engine", "config", "tx", "primitives"];

/// The longest a source file may be, in lines.
const MAX_FILE_LINES: usize = 800;

/// Directories whose source files the line limit covers, relative to the repository.
const SOURCE_DIRS: &[&str] = &[
    "core/src",
    "bindings-wasm/src",
    "bindings-wasm/curves/src",
    "riscv-build/src",
    "tests/src",
    "tests/benches",
    "tests/fuzz/fuzz_targets",
    "npm/src",
    "npm/scripts",
    "playground/src",
    "playground/scripts",
];

/// Extensions of the source files the line limit covers.
const SOURCE_EXTENSIONS: &[&str] = &["rs", "ts", "js", "mjs", "cjs"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the repository")
        .to_path_buf()
}

/// Every file under `dir` with one of `extensions`, by path relative to `dir`.
fn files_under(dir: &Path, extensions: &[&str]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        let entries = fs::read_dir(&at).unwrap_or_else(|e| panic!("{}: {e}", at.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if !matches!(name, "node_modules" | "dist" | "target" | "pkg") {
                    pending.push(path);
                }
            } else if extensions.iter().any(|e| name.ends_with(&format!(".{e}"))) {
                let text =
                    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let relative = path.strip_prefix(dir).expect("under dir");
                found.insert(relative.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    found
}

fn read_crate(dir: &str, root: &str) -> Crate {
    let sources = files_under(&repo().join(dir), &["rs"]);
    Crate::read(&sources, root, &format!("{dir}/"))
}

fn assert_none(rule: &str, messages: Vec<String>) {
    assert!(
        messages.is_empty(),
        "{rule}: {} violation(s)\n{}",
        messages.len(),
        messages.join("\n")
    );
}

#[test]
fn every_core_module_has_a_layer() {
    assert_none(
        "layers",
        rules::unlayered(&read_crate("core/src", "lib.rs"), LAYERS),
    );
}

#[test]
fn core_modules_import_only_their_layer_and_below() {
    assert_none(
        "layer order",
        rules::upward_imports(&read_crate("core/src", "lib.rs"), LAYERS),
    );
}

#[test]
fn only_the_engine_reexports_other_modules() {
    assert_none(
        "re-exports",
        rules::cross_module_reexports(&read_crate("core/src", "lib.rs"), FACADES),
    );
}

#[test]
fn core_has_no_file_circles() {
    assert_none(
        "file circles",
        rules::file_circles(&read_crate("core/src", "lib.rs")),
    );
}

#[test]
fn bindings_and_guest_have_no_file_circles() {
    assert_none(
        "file circles",
        rules::file_circles(&read_crate("bindings-wasm/src", "lib.rs")),
    );
    assert_none(
        "file circles",
        rules::file_circles(&read_crate("bindings-wasm/curves/src", "lib.rs")),
    );
    assert_none(
        "file circles",
        rules::file_circles(&read_crate("riscv-build/src", "main.rs")),
    );
}

#[test]
fn bindings_name_only_the_engine_facade_and_values() {
    for dir in ["bindings-wasm/src", "bindings-wasm/curves/src"] {
        let bindings = read_crate(dir, "lib.rs");
        assert_none(
            "bindings",
            rules::foreign_modules(&bindings, "zkos_core", BINDINGS_MAY_NAME),
        );
    }
}

/// Whether `path` (relative to the repository) is test code: a `tests.rs`, a file under a
/// `tests/` or `test/` directory of a crate or package, or a `*.test.*` file.
fn is_test_file(path: &str) -> bool {
    let inside = path.split_once('/').map_or(path, |(_, rest)| rest);
    let mut parts = inside.split('/');
    let name = parts.next_back().unwrap_or("");
    name == "tests.rs" || name.contains(".test.") || parts.any(|d| d == "tests" || d == "test")
}

#[test]
fn no_source_file_over_800_lines_outside_tests() {
    let core_test_files: Vec<String> = read_crate("core/src", "lib.rs")
        .files
        .into_iter()
        .filter(|f| f.test)
        .map(|f| f.display)
        .collect();
    let mut messages = Vec::new();
    for dir in SOURCE_DIRS {
        for (path, text) in files_under(&repo().join(dir), SOURCE_EXTENSIONS) {
            let path = format!("{dir}/{path}");
            let lines = text.lines().count();
            if lines > MAX_FILE_LINES && !is_test_file(&path) && !core_test_files.contains(&path) {
                messages.push(format!("{path}: {lines} lines (at most {MAX_FILE_LINES})"));
            }
        }
    }
    assert_none("file length", messages);
}
