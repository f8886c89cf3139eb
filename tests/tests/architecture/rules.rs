//! The rules, each returning one message per violation. Only code that ships is checked: paths
//! written in test code (`#[cfg(test)]` items and modules, files declared under them) are not.

use super::model::{Crate, Target, Use};
use super::parse::ModPath;
use std::collections::{BTreeMap, BTreeSet};

/// The paths named in code that ships.
fn shipped(krate: &Crate) -> impl Iterator<Item = &Use> {
    krate
        .uses
        .iter()
        .filter(|u| !u.reference.test && !krate.files[u.file].test)
}

/// Where a path is written, for messages: `core/src/io/cache.rs:12`.
fn at(krate: &Crate, u: &Use) -> String {
    format!("{}:{}", krate.files[u.file].display, u.reference.line)
}

/// Layers from the bottom, each a named list of top-level modules. A module may name modules of
/// lower layers, and of its own layer those listed before it; nothing else.
pub type Layers<'a> = &'a [(&'a str, &'a [&'a str])];

/// The rank of each top-level module (its position in the flattened layer list) and its layer.
fn ranks<'a>(layers: Layers<'a>) -> BTreeMap<&'a str, (usize, usize, &'a str)> {
    let mut ranks = BTreeMap::new();
    for (layer, (name, modules)) in layers.iter().enumerate() {
        for module in modules.iter() {
            let rank = ranks.len();
            ranks.insert(*module, (rank, layer + 1, *name));
        }
    }
    ranks
}

/// Every top-level module of the crate without a layer, and every layer entry that is no module.
pub fn unlayered(krate: &Crate, layers: Layers) -> Vec<String> {
    let ranks = ranks(layers);
    let tops: BTreeSet<&str> = krate
        .modules
        .keys()
        .filter(|path| path.len() == 1)
        .map(|path| path[0].as_str())
        .collect();
    let mut messages: Vec<String> = tops
        .iter()
        .filter(|top| !ranks.contains_key(*top))
        .map(|top| format!("module `{top}` has no layer: add it to LAYERS"))
        .collect();
    messages.extend(
        ranks
            .keys()
            .filter(|m| !tops.contains(*m))
            .map(|m| format!("LAYERS names `{m}`, which is not a top-level module")),
    );
    messages
}

/// Every path that names a module above the one it is written in.
pub fn upward_imports(krate: &Crate, layers: Layers) -> Vec<String> {
    let ranks = ranks(layers);
    let mut messages = Vec::new();
    for u in shipped(krate) {
        let Some(from) = u.module.first() else {
            continue;
        };
        let Some(to) =
            Crate::absolute(&u.module, &u.reference.path).and_then(|p| p.first().cloned())
        else {
            continue;
        };
        if *from == to {
            continue;
        }
        let (Some(&(from_rank, from_layer, from_name)), Some(&(to_rank, to_layer, to_name))) =
            (ranks.get(from.as_str()), ranks.get(to.as_str()))
        else {
            continue;
        };
        if to_rank > from_rank {
            let relation = if to_layer == from_layer {
                "listed after it in the same layer"
            } else {
                "a layer above it"
            };
            messages.push(format!(
                "{}: `{}`: `{from}` (layer {from_layer}, {from_name}) imports `{to}` (layer \
                 {to_layer}, {to_name}), {relation}",
                at(krate, u),
                u.reference.text(),
            ));
        }
    }
    messages
}

/// Every `pub use` (any `pub(…)` included) of another top-level module's item, outside the
/// modules allowed to re-export (`facades`).
pub fn cross_module_reexports(krate: &Crate, facades: &[&str]) -> Vec<String> {
    let mut messages = Vec::new();
    for u in shipped(krate).filter(|u| u.reference.use_decl == Some(true)) {
        let Some(from) = u.module.first() else {
            continue;
        };
        let Some(to) =
            Crate::absolute(&u.module, &u.reference.path).and_then(|p| p.first().cloned())
        else {
            continue;
        };
        if *from != to && !facades.contains(&from.as_str()) {
            messages.push(format!(
                "{}: `pub use {}` re-exports a name of `{to}` from `{from}`: import it from \
                 `{to}` where it is used",
                at(krate, u),
                u.reference.text(),
            ));
        }
    }
    messages
}

/// The file-to-file edges of code that ships, each with the first path that makes it: an edge
/// runs to the file that defines the named item. A `pub use` whose name the module does not use
/// itself is a re-export, not an edge; a glob is an edge to the file holding the module.
pub fn file_edges(krate: &Crate) -> BTreeMap<(usize, usize), String> {
    let mut edges = BTreeMap::new();
    for u in shipped(krate) {
        if u.reference.use_decl == Some(true) {
            let used_here = u.reference.bound.as_ref().is_some_and(|name| {
                krate
                    .modules
                    .get(&u.module)
                    .is_some_and(|m| m.body.named.contains(name))
            });
            if !used_here {
                continue;
            }
        }
        let target = match krate.resolve(&u.module, &u.reference.path) {
            Target::Item(file) => Some(file),
            Target::Module(module) if u.reference.glob => {
                krate.modules.get(&module).map(|m| m.file)
            }
            Target::Module(_) | Target::Outside => None,
        };
        if let Some(to) = target.filter(|to| *to != u.file) {
            edges
                .entry((u.file, to))
                .or_insert_with(|| format!("{} `{}`", at(krate, u), u.reference.text()));
        }
    }
    edges
}

/// Every circle of files (strongly connected set of more than one file) with the edges inside it.
pub fn file_circles(krate: &Crate) -> Vec<String> {
    let edges = file_edges(krate);
    let mut next: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    strongly_connected(krate.files.len(), &next)
        .into_iter()
        .filter(|set| set.len() > 1)
        .map(|set| {
            let names: Vec<&str> = set
                .iter()
                .map(|&f| krate.files[f].display.as_str())
                .collect();
            let inside: Vec<String> = edges
                .iter()
                .filter(|((from, to), _)| set.contains(from) && set.contains(to))
                .map(|((_, to), why)| format!("    {why} -> {}", krate.files[*to].display))
                .collect();
            format!("file circle: {}\n{}", names.join(", "), inside.join("\n"))
        })
        .collect()
}

/// Tarjan's strongly connected components of the graph `next` on nodes `0..nodes`.
fn strongly_connected(nodes: usize, next: &BTreeMap<usize, Vec<usize>>) -> Vec<BTreeSet<usize>> {
    struct Walk<'g> {
        next: &'g BTreeMap<usize, Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        found: Vec<BTreeSet<usize>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.counter);
            self.low[v] = self.counter;
            self.counter += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in self.next.get(&v).map(Vec::as_slice).unwrap_or_default() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(index) if self.on_stack[w] => self.low[v] = self.low[v].min(index),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut set = BTreeSet::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    set.insert(w);
                    if w == v {
                        break;
                    }
                }
                self.found.push(set);
            }
        }
    }
    let mut walk = Walk {
        next,
        index: vec![None; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        counter: 0,
        found: Vec::new(),
    };
    for v in 0..nodes {
        if walk.index[v].is_none() {
            walk.visit(v);
        }
    }
    walk.found
}

/// Every path in `krate` (a crate depending on `dependency`) naming a module of `dependency`
/// other than `allowed`.
pub fn foreign_modules(krate: &Crate, dependency: &str, allowed: &[&str]) -> Vec<String> {
    let mut messages = Vec::new();
    for u in shipped(krate) {
        let path: &ModPath = &u.reference.path;
        if path.first().map(String::as_str) != Some(dependency) {
            continue;
        }
        let module = path.get(1).map(String::as_str);
        if !module.is_some_and(|m| allowed.contains(&m)) {
            messages.push(format!(
                "{}: `{}` names `{dependency}::{}`; only {allowed:?} are allowed",
                at(krate, u),
                u.reference.text(),
                module.unwrap_or("*"),
            ));
        }
    }
    messages
}
