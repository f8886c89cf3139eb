//! The rules run on small crates written here, each with a known violation or none, so that a
//! rule that stops seeing violations fails here rather than passing silently on the repository.

use super::model::Crate;
use super::rules::{self, Layers};
use std::collections::BTreeMap;

const LAYERS: Layers = &[("low", &["low", "base"]), ("high", &["high"])];

fn krate(files: &[(&str, &str)]) -> Crate {
    let sources: BTreeMap<String, String> = files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    Crate::read(&sources, "lib.rs", "src/")
}

#[test]
fn an_import_from_a_higher_layer_is_named_with_both_layers() {
    let k = krate(&[
        ("lib.rs", "mod low; mod base; mod high;"),
        ("low.rs", "use crate::high::Thing;\n"),
        ("base.rs", ""),
        ("high.rs", "pub struct Thing;"),
    ]);
    let messages = rules::upward_imports(&k, LAYERS);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("src/low.rs:1: `crate::high::Thing`: `low` (layer 1, low)"));
    assert!(messages[0].contains("`high` (layer 2, high), a layer above it"));
}

#[test]
fn super_paths_resolve_from_the_module_they_are_written_in() {
    let k = krate(&[
        ("lib.rs", "mod low; mod base; mod high;"),
        ("low/mod.rs", "mod inner;"),
        (
            "low/inner.rs",
            "mod deeper { fn f() { super::super::super::high::g(); } }\nuse super::super::base::x;",
        ),
        ("base.rs", "use super::low::y;"),
        ("high.rs", "pub fn g() {} use super::low::z;"),
    ]);
    let mut messages = rules::upward_imports(&k, LAYERS);
    messages.sort();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("src/low/inner.rs:1: `super::super::super::high::g`"));
    assert!(messages[0].contains("a layer above it"));
    assert!(messages[1].starts_with("src/low/inner.rs:2: `super::super::base::x`"));
    assert!(messages[1].contains("listed after it in the same layer"));
}

#[test]
fn test_code_may_import_from_anywhere() {
    let k = krate(&[
        ("lib.rs", "mod low; mod base; mod high;"),
        (
            "low.rs",
            "#[cfg(test)]\nmod tests;\n#[cfg(test)]\nmod inline { use crate::high::Thing; }\n\
             #[cfg(test)]\nuse crate::high::Other;\n// crate::high::InAComment\n\
             const S: &str = \"crate::high::InAString\";",
        ),
        ("low/tests.rs", "use crate::high::Thing;"),
        ("base.rs", ""),
        ("high.rs", ""),
    ]);
    assert_eq!(rules::upward_imports(&k, LAYERS), Vec::<String>::new());
}

#[test]
fn every_module_needs_a_layer() {
    let k = krate(&[
        ("lib.rs", "mod low; mod stray;"),
        ("low.rs", ""),
        ("stray.rs", ""),
    ]);
    let messages = rules::unlayered(&k, LAYERS);
    assert_eq!(
        messages,
        [
            "module `stray` has no layer: add it to LAYERS",
            "LAYERS names `base`, which is not a top-level module",
            "LAYERS names `high`, which is not a top-level module",
        ]
    );
}

#[test]
fn a_child_using_its_parents_item_while_the_parent_calls_it_is_a_circle() {
    let k = krate(&[
        ("lib.rs", "mod low;"),
        (
            "low/mod.rs",
            "mod child;\npub fn run() { child::work() }\nfn helper() {}",
        ),
        (
            "low/child.rs",
            "use super::helper;\npub fn work() { helper() }",
        ),
    ]);
    let circles = rules::file_circles(&k);
    assert_eq!(circles.len(), 1, "{circles:?}");
    assert!(circles[0].starts_with("file circle: src/low/mod.rs, src/low/child.rs"));
    assert!(circles[0].contains("src/low/child.rs:1 `super::helper` -> src/low/mod.rs"));
    assert!(circles[0].contains("src/low/mod.rs:2 `child::work` -> src/low/child.rs"));
}

#[test]
fn a_re_export_in_mod_rs_is_no_edge_and_a_sibling_breaks_the_circle() {
    let k = krate(&[
        ("lib.rs", "mod low;"),
        (
            "low/mod.rs",
            "mod child; mod shared;\npub use shared::Helper;\npub fn run() { child::work() }",
        ),
        ("low/shared.rs", "pub struct Helper;"),
        ("low/child.rs", "use super::Helper;\npub fn work() {}"),
    ]);
    assert_eq!(rules::file_circles(&k), Vec::<String>::new());
    let edges: Vec<(&str, &str)> = rules::file_edges(&k)
        .keys()
        .map(|&(a, b)| (k.files[a].display.as_str(), k.files[b].display.as_str()))
        .collect();
    assert!(edges.contains(&("src/low/child.rs", "src/low/shared.rs")));
    assert!(!edges.contains(&("src/low/mod.rs", "src/low/shared.rs")));
}

#[test]
fn a_re_export_the_module_also_uses_is_an_edge() {
    let k = krate(&[
        ("lib.rs", "mod low;"),
        (
            "low/mod.rs",
            "mod child;\npub use child::Thing;\nfn make() -> Thing { Thing }\npub struct Root;",
        ),
        ("low/child.rs", "pub struct Thing; use super::Root;"),
    ]);
    assert_eq!(rules::file_circles(&k).len(), 1);
}

#[test]
fn only_facades_re_export_other_modules() {
    let k = krate(&[
        ("lib.rs", "mod low; mod high; mod facade;"),
        ("low.rs", "pub struct A;"),
        (
            "high.rs",
            "pub(crate) use crate::low::A;\npub use self::inner::B; mod inner;",
        ),
        ("high/inner.rs", "pub struct B;"),
        ("facade.rs", "pub use crate::low::A;"),
    ]);
    let messages = rules::cross_module_reexports(&k, &["facade"]);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("src/high.rs:1: `pub use crate::low::A`"));
}

#[test]
fn bindings_may_name_only_the_allowed_modules() {
    let k = krate(&[(
        "lib.rs",
        "use dep::{engine::Engine, io::Io};\nuse dep::config;\n\
         fn f() -> dep::state::World { todo!() }",
    )]);
    let messages = rules::foreign_modules(&k, "dep", &["engine", "config"]);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("src/lib.rs:1: `dep::io::Io` names `dep::io`"));
    assert!(messages[1].starts_with("src/lib.rs:3: `dep::state::World` names `dep::state`"));
}
