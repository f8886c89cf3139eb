//! Reads one file's tokens into what the architecture check needs: the modules it opens
//! (`mod x;`, `mod x { … }`), the names each module defines, its `use` bindings, and every path
//! it names (`crate::…`, `super::…`, `a::b`), each marked as test code or not.
//!
//! Test code is what `#[cfg(test)]` guards (an item, an inline module, or a whole file declared
//! with `#[cfg(test)] mod x;`); it may reach anywhere in the crate and is left out of the rules.

use super::lexer::{Kind, Token};
use std::collections::BTreeSet;

/// A module path inside a crate (`["bootloader", "flow", "zk"]`; the root is empty).
pub type ModPath = Vec<String>;

/// A module whose body the file holds: the file's own module or an inline `mod x { … }`.
#[derive(Debug, Default)]
pub struct ModuleBody {
    /// The module's path.
    pub path: ModPath,
    /// Whether the whole module is test code.
    pub test: bool,
    /// Directory (relative to the crate's `src`) that holds this module's `mod x;` files.
    pub child_dir: String,
    /// Child modules declared with `mod x;` (name, test code), whose bodies live in other files.
    pub file_children: Vec<(String, bool)>,
    /// Child modules (file or inline).
    pub children: BTreeSet<String>,
    /// Names of items defined here (types, functions, constants, statics, traits, macros).
    pub defs: BTreeSet<String>,
    /// Names bound by `use` (`None` for a glob).
    pub bindings: Vec<Binding>,
    /// Identifiers named in non-test code outside `use` declarations.
    pub named: BTreeSet<String>,
}

/// A name (or a glob) a `use` declaration brings into a module.
#[derive(Clone, Debug)]
pub struct Binding {
    /// The bound name; `None` for `use path::*`.
    pub name: Option<String>,
    /// The path as written (for a glob, the module whose names it brings).
    pub target: ModPath,
}

/// A path named in a file.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The module (index into the file's bodies) the path is written in.
    pub body: usize,
    /// The path's segments as written.
    pub path: ModPath,
    /// Line of the path's first segment.
    pub line: usize,
    /// Whether it is written in test code.
    pub test: bool,
    /// `Some(is_pub)` for a path in a `use` declaration (`pub use`, `pub(crate) use` are public).
    pub use_decl: Option<bool>,
    /// The name a `use` binds (`None` for a glob or a path outside `use`).
    pub bound: Option<String>,
    /// Whether it is a `use …::*`.
    pub glob: bool,
}

impl Reference {
    /// The path as written, `a::b::c` (`a::b::*` for a glob).
    pub fn text(&self) -> String {
        let mut text = self.path.join("::");
        if self.glob {
            text.push_str("::*");
        }
        text
    }
}

/// What one file holds.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// The file's own module first, then its inline modules.
    pub bodies: Vec<ModuleBody>,
    /// Every path the file names.
    pub references: Vec<Reference>,
}

/// An open delimiter while walking the tokens.
struct Frame {
    delim: char,
    test: bool,
    /// Index of the module body this brace opens, if it opens one.
    body: Option<usize>,
    /// Whether the item now being read at this level is guarded by `#[cfg(test)]`.
    item_test: bool,
}

const DEFINING_KEYWORDS: [&str; 8] = [
    "struct", "enum", "union", "trait", "type", "const", "static", "fn",
];

const NOT_A_NAME: [&str; 6] = ["fn", "unsafe", "async", "extern", "mut", "_"];

/// Reads the file whose module is `path`, whose own `mod x;` files live in `child_dir`.
pub fn parse(tokens: &[Token], path: ModPath, test: bool, child_dir: String) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    parsed.bodies.push(ModuleBody {
        path,
        test,
        child_dir,
        ..ModuleBody::default()
    });
    let mut stack = vec![Frame {
        delim: '{',
        test,
        body: Some(0),
        item_test: false,
    }];
    let mut pending_body = None;
    let mut i = 0;
    while i < tokens.len() {
        let top = stack.last().expect("the file's frame is never popped");
        let in_test = top.test || top.item_test;
        let item_level = top.body.is_some();
        let body = stack.iter().rev().find_map(|f| f.body).unwrap_or(0);
        let token = &tokens[i];
        match &token.kind {
            Kind::Punct('#') => {
                i = attribute(tokens, i, &mut stack);
                continue;
            }
            Kind::Punct(c @ ('{' | '(' | '[')) => {
                let opens = if *c == '{' { pending_body.take() } else { None };
                let test = opens.map_or(in_test, |b: usize| parsed.bodies[b].test);
                stack.push(Frame {
                    delim: *c,
                    test,
                    body: opens,
                    item_test: false,
                });
            }
            Kind::Punct(c @ ('}' | ')' | ']')) => {
                if stack.len() > 1 {
                    stack.pop();
                }
                if *c == '}' {
                    if let Some(top) = stack.last_mut() {
                        top.item_test = false;
                    }
                }
            }
            Kind::Punct(';') => {
                if let Some(top) = stack.last_mut().filter(|f| f.delim == '{') {
                    top.item_test = false;
                }
            }
            Kind::Ident(word) if word == "mod" && item_level => {
                if let (Some(name), Some(next)) =
                    (tokens.get(i + 1).and_then(Token::ident), tokens.get(i + 2))
                {
                    let parent = &mut parsed.bodies[body];
                    parent.children.insert(name.to_owned());
                    if next.is_punct(';') {
                        parent.file_children.push((name.to_owned(), in_test));
                    } else if next.is_punct('{') {
                        let mut path = parent.path.clone();
                        path.push(name.to_owned());
                        let child_dir = format!("{}{}/", parent.child_dir, name);
                        parsed.bodies.push(ModuleBody {
                            path,
                            test: in_test,
                            child_dir,
                            ..ModuleBody::default()
                        });
                        pending_body = Some(parsed.bodies.len() - 1);
                    }
                    i += 2;
                    continue;
                }
            }
            Kind::Ident(word)
                if word == "use" && !tokens.get(i + 1).is_some_and(|t| t.is_punct('<')) =>
            {
                let public = is_public(tokens, i);
                let end = use_declaration(tokens, i + 1, body, in_test, public, &mut parsed);
                i = end;
                continue;
            }
            Kind::Ident(word) => {
                if item_level {
                    if let Some(name) = defined_name(tokens, i) {
                        parsed.bodies[body].defs.insert(name.to_owned());
                    }
                }
                if !in_test {
                    parsed.bodies[body].named.insert(word.clone());
                }
                let starts_path = tokens.get(i + 1).is_some_and(Token::is_path_sep)
                    && !(i > 0 && (tokens[i - 1].is_path_sep() || tokens[i - 1].is_punct('$')));
                if starts_path {
                    let (path, end) = path_at(tokens, i);
                    if !in_test {
                        let named = &mut parsed.bodies[body].named;
                        named.extend(path.iter().cloned());
                    }
                    parsed.references.push(Reference {
                        body,
                        path,
                        line: token.line,
                        test: in_test,
                        use_decl: None,
                        bound: None,
                        glob: false,
                    });
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    parsed
}

/// Reads the attribute at `i` (`#[…]` or `#![…]`); a `cfg(test)` marks the next item (or, inner,
/// the enclosing module) as test code. Returns the index after it.
fn attribute(tokens: &[Token], i: usize, stack: &mut [Frame]) -> usize {
    let inner = tokens.get(i + 1).is_some_and(|t| t.is_punct('!'));
    let open = if inner { i + 2 } else { i + 1 };
    if !tokens.get(open).is_some_and(|t| t.is_punct('[')) {
        return i + 1;
    }
    let mut depth = 0;
    let mut end = open;
    while end < tokens.len() {
        if tokens[end].is_punct('[') {
            depth += 1;
        } else if tokens[end].is_punct(']') {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
        end += 1;
    }
    let content = &tokens[open + 1..end.min(tokens.len())];
    let cfg_test = content.len() == 4
        && content[0].is_ident("cfg")
        && content[1].is_punct('(')
        && content[2].is_ident("test")
        && content[3].is_punct(')');
    if cfg_test {
        if let Some(top) = stack.last_mut() {
            if inner {
                top.test = true;
            } else {
                top.item_test = true;
            }
        }
    }
    end + 1
}

/// The name defined by the item keyword at `i` (`struct X`, `fn f`, `macro_rules! m`), if any.
fn defined_name(tokens: &[Token], i: usize) -> Option<&str> {
    let word = tokens[i].ident()?;
    let name = if word == "macro_rules" && tokens.get(i + 1)?.is_punct('!') {
        tokens.get(i + 2)?.ident()?
    } else if DEFINING_KEYWORDS.contains(&word) {
        let next = tokens.get(i + 1)?.ident()?;
        if next == "mut" {
            tokens.get(i + 2)?.ident()?
        } else {
            next
        }
    } else {
        return None;
    };
    (!NOT_A_NAME.contains(&name)).then_some(name)
}

/// Whether the `use` at `i` is preceded by `pub` or `pub(…)`.
fn is_public(tokens: &[Token], i: usize) -> bool {
    let Some(before) = i.checked_sub(1).map(|b| &tokens[b]) else {
        return false;
    };
    if before.is_ident("pub") {
        return true;
    }
    if !before.is_punct(')') {
        return false;
    }
    let mut j = i - 1;
    while j > 0 && !tokens[j].is_punct('(') {
        j -= 1;
    }
    j > 0 && tokens[j - 1].is_ident("pub")
}

/// The path `a::b::c` starting at `i` and the index after it; stops before `::<`, `::{`, `::*`.
fn path_at(tokens: &[Token], mut i: usize) -> (ModPath, usize) {
    let mut path = Vec::new();
    while let Some(name) = tokens.get(i).and_then(Token::ident) {
        path.push(name.to_owned());
        let continues = tokens.get(i + 1).is_some_and(Token::is_path_sep)
            && tokens.get(i + 2).and_then(Token::ident).is_some();
        if !continues {
            return (path, i + 1);
        }
        i += 2;
    }
    (path, i)
}

/// Reads the use tree from `i` (after `use`) to its `;`, recording each leaf as a reference and a
/// binding of `body`. Returns the index of the `;`.
fn use_declaration(
    tokens: &[Token],
    mut i: usize,
    body: usize,
    test: bool,
    public: bool,
    parsed: &mut ParsedFile,
) -> usize {
    if tokens.get(i).is_some_and(Token::is_path_sep) {
        i += 1;
    }
    let mut leaves = Vec::new();
    i = use_tree(tokens, i, Vec::new(), &mut leaves);
    for (path, bound, line) in leaves {
        let glob = bound.is_none();
        if !test {
            let binding = Binding {
                name: bound.clone(),
                target: path.clone(),
            };
            parsed.bodies[body].bindings.push(binding);
        }
        parsed.references.push(Reference {
            body,
            path,
            line,
            test,
            use_decl: Some(public),
            bound,
            glob,
        });
    }
    while i < tokens.len() && !tokens[i].is_punct(';') {
        i += 1;
    }
    i
}

/// One use tree at `i` under `prefix`; pushes `(path, bound name or None for a glob, line)`.
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    mut prefix: ModPath,
    leaves: &mut Vec<(ModPath, Option<String>, usize)>,
) -> usize {
    loop {
        let Some(token) = tokens.get(i) else {
            return i;
        };
        if token.is_punct('*') {
            leaves.push((prefix, None, token.line));
            return i + 1;
        }
        if token.is_punct('{') {
            i += 1;
            while i < tokens.len() && !tokens[i].is_punct('}') {
                if tokens[i].is_punct(',') {
                    i += 1;
                    continue;
                }
                i = use_tree(tokens, i, prefix.clone(), leaves);
            }
            return i + 1;
        }
        let Some(name) = token.ident() else {
            return i;
        };
        if tokens.get(i + 1).is_some_and(Token::is_path_sep) {
            prefix.push(name.to_owned());
            i += 2;
            continue;
        }
        let mut bound = name.to_owned();
        let mut end = i + 1;
        if tokens.get(i + 1).is_some_and(|t| t.is_ident("as")) {
            if let Some(alias) = tokens.get(i + 2).and_then(Token::ident) {
                bound = alias.to_owned();
                end = i + 3;
            }
        }
        if name == "self" {
            if bound == "self" {
                bound = prefix.last().cloned().unwrap_or_default();
            }
        } else {
            prefix.push(name.to_owned());
        }
        leaves.push((prefix, Some(bound), token.line));
        return end;
    }
}
