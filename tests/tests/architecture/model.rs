//! A crate read from its source text: its files (found from `lib.rs` or `main.rs` through the
//! `mod x;` declarations, as rustc finds them), its modules, and the resolution of a path named in
//! one module to the module or the file that defines the item.

use super::lexer::tokenize;
use super::parse::{parse, Binding, ModPath, ModuleBody, Reference};
use std::collections::BTreeMap;

/// A source file of the crate.
#[derive(Debug)]
pub struct File {
    /// The file's path as shown in messages (`core/src/io/cache.rs`).
    pub display: String,
    /// Whether the whole file is test code.
    pub test: bool,
}

/// A module and the file that holds its body.
#[derive(Debug)]
pub struct Module {
    /// Index of the file in [`Crate::files`].
    pub file: usize,
    /// What the module declares.
    pub body: ModuleBody,
}

/// A path named in a file, with the module it is written in.
#[derive(Debug)]
pub struct Use {
    /// Index of the file in [`Crate::files`].
    pub file: usize,
    /// The module the path is written in.
    pub module: ModPath,
    /// The path.
    pub reference: Reference,
}

/// What a path leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A module of the crate.
    Module(ModPath),
    /// An item defined in this file (index into [`Crate::files`]).
    Item(usize),
    /// Something outside the crate (a dependency, `core`, a local generic, `Self`, …).
    Outside,
}

/// How deep name resolution follows `use` bindings before it gives up (a cycle of globs).
const MAX_RESOLUTION_DEPTH: usize = 24;

/// A crate's files, modules and the paths they name.
#[derive(Debug)]
pub struct Crate {
    /// Every file reached from the root.
    pub files: Vec<File>,
    /// Every module, by path.
    pub modules: BTreeMap<ModPath, Module>,
    /// Every path named anywhere in the crate.
    pub uses: Vec<Use>,
}

impl Crate {
    /// Reads the crate whose root file is `root` (`lib.rs`) in `sources` (file paths relative to
    /// the crate's `src`, to text); `display` prefixes paths in messages (`core/src/`).
    pub fn read(sources: &BTreeMap<String, String>, root: &str, display: &str) -> Crate {
        let mut krate = Crate {
            files: Vec::new(),
            modules: BTreeMap::new(),
            uses: Vec::new(),
        };
        let mut pending = vec![(root.to_owned(), ModPath::new(), false, String::new())];
        while let Some((file_path, module, test, child_dir)) = pending.pop() {
            let text = sources
                .get(&file_path)
                .unwrap_or_else(|| panic!("{display}{file_path}: declared by `mod` but not found"));
            let file = krate.files.len();
            krate.files.push(File {
                display: format!("{display}{file_path}"),
                test,
            });
            let parsed = parse(&tokenize(text), module, test, child_dir);
            for reference in parsed.references {
                let module = parsed.bodies[reference.body].path.clone();
                krate.uses.push(Use {
                    file,
                    module,
                    reference,
                });
            }
            for body in parsed.bodies {
                for (name, child_test) in &body.file_children {
                    let flat = format!("{}{}.rs", body.child_dir, name);
                    let nested = format!("{}{}/mod.rs", body.child_dir, name);
                    let (child_file, child_dir) = if sources.contains_key(&flat) {
                        (flat, format!("{}{}/", body.child_dir, name))
                    } else {
                        (nested, format!("{}{}/", body.child_dir, name))
                    };
                    let mut path = body.path.clone();
                    path.push(name.clone());
                    pending.push((child_file, path, body.test || *child_test, child_dir));
                }
                krate
                    .modules
                    .insert(body.path.clone(), Module { file, body });
            }
        }
        krate
    }

    /// The absolute module path a `crate::`, `self::` or `super::` path starts from and the
    /// segments after that start; `None` for a path that starts with a name.
    pub fn anchor<'p>(from: &[String], path: &'p [String]) -> Option<(ModPath, &'p [String])> {
        let first = path.first()?;
        match first.as_str() {
            "crate" => Some((ModPath::new(), &path[1..])),
            "self" => Some((from.to_vec(), &path[1..])),
            "super" => {
                let mut at = from.to_vec();
                let mut rest = path;
                while rest.first().is_some_and(|s| s == "super") {
                    at.pop();
                    rest = &rest[1..];
                }
                Some((at, rest))
            }
            _ => None,
        }
    }

    /// The absolute path a `crate::`/`self::`/`super::` path names, as written (re-exports not
    /// followed); `None` for a path that starts with a name.
    pub fn absolute(from: &[String], path: &[String]) -> Option<ModPath> {
        let (mut at, rest) = Self::anchor(from, path)?;
        at.extend(rest.iter().cloned());
        Some(at)
    }

    /// What `path`, written in module `from`, leads to, following `use` bindings and re-exports
    /// to the module or file that defines the item.
    pub fn resolve(&self, from: &[String], path: &[String]) -> Target {
        self.resolve_at(from, path, 0)
    }

    fn resolve_at(&self, from: &[String], path: &[String], depth: usize) -> Target {
        if depth > MAX_RESOLUTION_DEPTH {
            return Target::Outside;
        }
        let (mut target, rest) = match Self::anchor(from, path) {
            Some((at, rest)) => (Target::Module(at), rest),
            None => match path.split_first() {
                Some((first, rest)) => (self.resolve_name(from, first, depth + 1), rest),
                None => return Target::Outside,
            },
        };
        for segment in rest {
            match target {
                Target::Module(module) => target = self.resolve_name(&module, segment, depth + 1),
                Target::Item(_) | Target::Outside => break,
            }
        }
        target
    }

    /// What `name` means inside module `module`: a child module, an item defined there, or what
    /// a `use` there binds it to (named bindings first, then globs).
    fn resolve_name(&self, module: &[String], name: &str, depth: usize) -> Target {
        let Some(m) = self.modules.get(module) else {
            return Target::Outside;
        };
        if m.body.children.contains(name) {
            let mut child = module.to_vec();
            child.push(name.to_owned());
            return Target::Module(child);
        }
        if m.body.defs.contains(name) {
            return Target::Item(m.file);
        }
        let named = |b: &&Binding| b.name.as_deref() == Some(name);
        if let Some(binding) = m.body.bindings.iter().find(named) {
            return self.resolve_at(module, &binding.target, depth + 1);
        }
        for glob in m.body.bindings.iter().filter(|b| b.name.is_none()) {
            if let Target::Module(source) = self.resolve_at(module, &glob.target, depth + 1) {
                let found = self.resolve_name(&source, name, depth + 1);
                if found != Target::Outside {
                    return found;
                }
            }
        }
        Target::Outside
    }
}
