//! The layer check: every top-level module of the library uses only modules of its own layer or
//! below, and no top-level modules use each other in a loop.
//!
//! The order is written down once, in the `## Layers` list of `lib.rs`'s documentation; this test
//! reads it from there. It reads every `.rs` file under `src/` (not the binary's `main.rs` and
//! `cli/`, which sit above the whole library and reach it as `bussola::`), and collects the
//! top-level modules each file names: `crate::x` anywhere in code (`use crate::x::…`,
//! `use crate::{x, y::z}`, paths in expressions and types) and `super::x` from a module's root
//! file (`super::super::x` one level down, and so on). Comments are skipped, and so is test code:
//! files named `tests.rs` or `*_tests.rs` and items under `#[cfg(test)]`.
//!
//! [`ALLOWED`] lists the imports against the order that remain, each with the reason; an entry that
//! is no longer needed fails the test too, so the list stays true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Imports against the layer order that remain, as (from, to, why). Each would be a loop the
/// issue (#12) names that is not broken yet; remove an entry when its loop is broken. None
/// remains: the last, `region` -> `ingest`, went when the loader moved to `load`.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// One use of a top-level module by another.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Use {
    from: String,
    to: String,
    file: String,
    line: usize,
}

/// The layers of the `## Layers` list in `lib.rs`'s documentation, bottom first: each line
/// `//! - **name**: ` followed by the modules in backticks.
fn layers_from_lib(lib: &str) -> Vec<(String, Vec<String>)> {
    let mut layers: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_section = false;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            if in_section {
                break;
            }
            continue;
        };
        let indented = doc.starts_with("   ");
        let doc = doc.trim();
        if doc.starts_with("## ") {
            in_section = doc == "## Layers";
            continue;
        }
        if !in_section {
            continue;
        }
        let Some(rest) = doc.strip_prefix("- **") else {
            // A layer's list may go on, indented, on the next lines.
            if let Some((_, modules)) = layers.last_mut().filter(|_| indented) {
                modules.extend(backticked(doc));
            }
            continue;
        };
        let Some((name, modules)) = rest.split_once("**:") else {
            continue;
        };
        layers.push((name.to_string(), backticked(modules).collect()));
    }
    layers
}

/// The names in backticks in a line.
fn backticked(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split('`').skip(1).step_by(2).map(str::to_string)
}

/// The library's modules declared in `lib.rs` (not those under `#[cfg(test)]`).
fn modules_in_lib(lib: &str) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    let mut test_only = false;
    for line in lib.lines() {
        let line = line.trim();
        if line == "#[cfg(test)]" {
            test_only = true;
            continue;
        }
        let decl = line.strip_prefix("pub ").unwrap_or(line);
        if let Some(name) = decl.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
            if !test_only {
                modules.insert(name.trim().to_string());
            }
        }
        test_only = false;
    }
    modules
}

/// The text with comments and `#[cfg(test)]` items blanked out (newlines kept, so offsets keep
/// their line numbers).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skip_item = false; // after #[cfg(test)]: the next item is test code
    let mut depth = 0i32; // brace depth inside a skipped item
    let mut in_block = false; // inside a skipped item that opened a brace
    for line in text.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let trimmed = code.trim();
        if in_block {
            depth += code.matches('{').count() as i32 - code.matches('}').count() as i32;
            if depth <= 0 {
                in_block = false;
            }
            out.push('\n');
            continue;
        }
        if trimmed == "#[cfg(test)]" {
            skip_item = true;
            out.push('\n');
            continue;
        }
        if skip_item && !trimmed.is_empty() && !trimmed.starts_with("#[") {
            skip_item = false;
            let opens = code.matches('{').count() as i32 - code.matches('}').count() as i32;
            // An item with a body is skipped to its closing brace (which must be on its first
            // line or after it); one without, to the end of the line.
            if opens > 0 {
                depth = opens;
                in_block = true;
            }
            out.push('\n');
            continue;
        }
        if skip_item {
            out.push('\n');
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `s` (after spaces).
fn first_ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s.find(|c: char| !is_ident(c)).unwrap_or(s.len());
    &s[..end]
}

/// The top-level names of a `{…}` group starting at `s` (just after `{`), with their offsets in
/// `s`: `a, b::c, d::{e, f}` gives `a`, `b`, `d`.
fn group_items(s: &str) -> Vec<(usize, String)> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push((start, first_ident(&s[start..i]).to_string()));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push((start, first_ident(&s[start..i]).to_string()));
                start = i + 1;
            }
            _ => {}
        }
    }
    items
        .into_iter()
        .filter(|(_, n)| !n.is_empty())
        .map(|(o, n)| {
            let skip = s[o..].len() - s[o..].trim_start().len();
            (o + skip, n)
        })
        .collect()
}

/// The uses of other top-level modules in one file; `rel` is its path under `src/`, with `/`.
fn uses_in(rel: &str, text: &str, modules: &BTreeSet<String>) -> Vec<Use> {
    let parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
    let from = parts[0].to_string();
    let depth = parts.len() - usize::from(parts.last() == Some(&"mod"));
    let code = code_only(text);
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut uses = Vec::new();
    let mut add = |to: &str, offset: usize| {
        if to != from && modules.contains(to) {
            uses.push(Use {
                from: from.clone(),
                to: to.to_string(),
                file: format!("src/{rel}"),
                line: line_of(offset),
            });
        }
    };
    let starts_path = |i: usize| {
        code[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident(c) && c != '$' && c != ':')
    };
    // Every path from the crate root: where it starts, and what follows `crate::` (or the
    // `super::`s that climb to the root).
    let mut roots: Vec<(usize, &str)> = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        if starts_path(i) {
            roots.push((i, &code[i + "crate::".len()..]));
        }
    }
    for (i, _) in code.match_indices("super::") {
        if !starts_path(i) {
            continue;
        }
        let mut k = 0;
        let mut rest = &code[i..];
        while let Some(r) = rest.strip_prefix("super::") {
            k += 1;
            rest = r;
        }
        if k == depth {
            roots.push((i, rest));
        }
    }
    for (i, rest) in roots {
        if let Some(group) = rest.trim_start().strip_prefix('{') {
            let group_at = code.len() - group.len();
            for (o, name) in group_items(group) {
                add(&name, group_at + o);
            }
        } else {
            add(first_ident(rest), i);
        }
    }
    uses
}

/// What is wrong with the uses, given the layers (bottom first) and the allowed exceptions:
/// modules missing from the order, imports of a higher layer, loops, and stale allow-list entries.
fn check(
    layers: &[(String, Vec<String>)],
    modules: &BTreeSet<String>,
    uses: &[Use],
    allowed: &[(&str, &str, &str)],
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut rank = BTreeMap::new();
    for (i, (layer, names)) in layers.iter().enumerate() {
        for name in names {
            if rank.insert(name.as_str(), (i, layer.as_str())).is_some() {
                errors.push(format!("module `{name}` is in the layer order twice"));
            }
            if !modules.contains(name) {
                errors.push(format!(
                    "`{name}` is in the layer order but not a module of lib.rs"
                ));
            }
        }
    }
    for m in modules {
        if !rank.contains_key(m.as_str()) {
            errors.push(format!("module `{m}` is not in the layer order of lib.rs"));
        }
    }
    let is_allowed = |u: &Use| allowed.iter().any(|(f, t, _)| *f == u.from && *t == u.to);
    let mut graph: BTreeMap<&str, BTreeMap<&str, &Use>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for u in uses {
        // One report per line and module used.
        if is_allowed(u) || !seen.insert((&u.file, u.line, &u.to)) {
            continue;
        }
        if let (Some(&(a, la)), Some(&(b, lb))) =
            (rank.get(u.from.as_str()), rank.get(u.to.as_str()))
        {
            if b > a {
                errors.push(format!(
                    "{}:{}: `{}` ({la}) uses `{}` ({lb}), a higher layer",
                    u.file, u.line, u.from, u.to
                ));
            }
        }
        graph.entry(&u.from).or_default().entry(&u.to).or_insert(u);
    }
    for (cycle, members) in cycles(&graph) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                let u = graph[w[0]][w[1]];
                format!("`{}` -> `{}` ({}:{})", u.from, u.to, u.file, u.line)
            })
            .collect();
        let mut message = format!("loop between top-level modules: {}", steps.join(", "));
        if members.len() > cycle.len() - 1 {
            message += &format!(" (one knot with {})", members.join(", "));
        }
        errors.push(message);
    }
    for (f, t, _) in allowed {
        if !uses.iter().any(|u| u.from == *f && u.to == *t) {
            errors.push(format!(
                "allowed `{f}` -> `{t}` is no longer used: remove it from ALLOWED"
            ));
        }
    }
    errors
}

/// A loop (a path that ends where it starts) and every module of its strongly connected set.
type Knot<'a> = (Vec<&'a str>, Vec<&'a str>);

/// One loop through each strongly connected set of two or more modules.
fn cycles<'a>(graph: &BTreeMap<&'a str, BTreeMap<&'a str, &Use>>) -> Vec<Knot<'a>> {
    let reach = |from: &'a str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &m in graph.get(n).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut loops = Vec::new();
    for &start in graph.keys() {
        if done.contains(start) || !reach(start).contains(start) {
            continue;
        }
        // Breadth-first: the shortest path from start back to itself.
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        'search: while let Some(n) = queue.pop_front() {
            for &m in graph.get(n).into_iter().flat_map(|e| e.keys()) {
                if m == start {
                    let mut path = vec![start, n];
                    let mut at = n;
                    while at != start {
                        at = prev[at];
                        path.push(at);
                    }
                    path.reverse();
                    let from_start = reach(start);
                    let members = graph
                        .keys()
                        .copied()
                        .filter(|n| from_start.contains(n) && reach(n).contains(start))
                        .collect();
                    loops.push((path, members));
                    break 'search;
                }
                if !prev.contains_key(m) {
                    prev.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        // Every module on a loop with start is done.
        let from_start = reach(start);
        for &n in graph.keys() {
            if from_start.contains(n) && reach(n).contains(start) {
                done.insert(n);
            }
        }
    }
    loops
}

/// Every `.rs` file under `dir`, as paths relative to `root` with `/`.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under src");
            let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
            out.push(parts.join("/"));
        }
    }
}

/// Test code and the binary, which the check leaves out.
fn left_out(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    rel == "lib.rs"
        || rel == "main.rs"
        || rel.starts_with("cli/")
        || name == "tests.rs"
        || name.ends_with("_tests.rs")
}

#[test]
fn modules_depend_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("read lib.rs");
    let layers = layers_from_lib(&lib);
    assert!(
        layers.len() >= 3,
        "no `## Layers` list in lib.rs: {layers:?}"
    );
    let modules = modules_in_lib(&lib);
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    let mut uses = Vec::new();
    for rel in files.iter().filter(|f| !left_out(f)) {
        let text = std::fs::read_to_string(src.join(rel)).expect("read source");
        uses.extend(uses_in(rel, &text, &modules));
    }
    assert!(uses.len() > 50, "too few uses found: {}", uses.len());
    let errors = check(&layers, &modules, &uses, ALLOWED);
    assert!(
        errors.is_empty(),
        "layer order broken:\n{}",
        errors.join("\n")
    );
}

/// A tiny synthetic crate: `model` at the bottom, `store` above it, `api` on top.
const TINY_LIB: &str = "\
//! A tiny crate.
//!
//! ## Layers
//!
//! - **bottom**: `model`
//! - **store**: `store`,
//!   `cache`
//! - **top**: `api`
#![forbid(unsafe_code)]
pub mod api;
pub mod cache;
pub mod model;
pub mod store;
#[cfg(test)]
mod layers_tests;
";

fn tiny_check(files: &[(&str, &str)], allowed: &[(&str, &str, &str)]) -> Vec<String> {
    let modules = modules_in_lib(TINY_LIB);
    let uses: Vec<Use> = files
        .iter()
        .flat_map(|(rel, text)| uses_in(rel, text, &modules))
        .collect();
    check(&layers_from_lib(TINY_LIB), &modules, &uses, allowed)
}

#[test]
fn reads_the_layers_and_modules_of_lib_rs() {
    let layers = layers_from_lib(TINY_LIB);
    assert_eq!(
        layers,
        vec![
            ("bottom".to_string(), vec!["model".to_string()]),
            (
                "store".to_string(),
                vec!["store".to_string(), "cache".to_string()]
            ),
            ("top".to_string(), vec!["api".to_string()]),
        ]
    );
    let modules: Vec<_> = modules_in_lib(TINY_LIB).into_iter().collect();
    assert_eq!(modules, ["api", "cache", "model", "store"]);
}

#[test]
fn imports_down_the_order_pass() {
    let errors = tiny_check(
        &[
            ("model.rs", "pub struct Service;\n"),
            (
                "store/mod.rs",
                "use crate::model::Service;\nuse super::cache;\n",
            ),
            (
                "cache.rs",
                "pub fn get() -> crate::model::Service { crate::model::Service }\n",
            ),
            ("api/mod.rs", "use crate::{model, store::Store};\n"),
            ("api/routes.rs", "use super::super::store;\n"),
        ],
        &[],
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_bad_import_fails_naming_file_and_line() {
    // A deliberate bad import: the bottom layer uses the store above it.
    let errors = tiny_check(
        &[
            (
                "model.rs",
                "//! Services.\nuse crate::store::Store;\npub struct Service;\n",
            ),
            ("store/mod.rs", "use crate::model::Service;\n"),
        ],
        &[],
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("src/model.rs:2: `model` (bottom) uses `store` (store)")),
        "{errors:?}"
    );
    // …and the loop it makes.
    assert!(
        errors.iter().any(|e| e.starts_with("loop between")),
        "{errors:?}"
    );
}

#[test]
fn bad_imports_are_found_in_groups_super_paths_and_expressions() {
    let errors = tiny_check(
        &[
            (
                "model.rs",
                "use crate::{\n    store,\n    api::{a, b},\n};\n",
            ),
            ("store/mod.rs", "fn f() { super::api::serve(); }\n"),
            (
                "store/sqlite.rs",
                "fn g() -> super::super::api::X { todo!() }\n",
            ),
        ],
        &[],
    );
    let at: Vec<&str> = errors
        .iter()
        .filter_map(|e| e.split(": `").next())
        .filter(|e| e.starts_with("src/"))
        .collect();
    assert_eq!(
        at,
        [
            "src/model.rs:2",
            "src/model.rs:3",
            "src/store/mod.rs:1",
            "src/store/sqlite.rs:1"
        ],
        "{errors:?}"
    );
}

#[test]
fn a_loop_inside_one_layer_fails() {
    let errors = tiny_check(
        &[
            ("store/mod.rs", "use crate::cache::Cache;\n"),
            ("cache.rs", "\n\nuse crate::store::Store;\n"),
        ],
        &[],
    );
    assert_eq!(
        errors,
        [
            "loop between top-level modules: `cache` -> `store` (src/cache.rs:3), \
          `store` -> `cache` (src/store/mod.rs:1)"
        ]
    );
}

#[test]
fn comments_and_test_code_are_left_out() {
    let errors = tiny_check(
        &[(
            "model.rs",
            "//! See [`crate::store`].\n\
             // use crate::api;\n\
             pub struct Service; // crate::api::X\n\
             #[cfg(test)]\n\
             mod tests {\n    use crate::store::Store;\n    fn f() {\n        crate::api::x();\n    }\n}\n\
             #[cfg(test)]\nuse crate::api::Y;\n",
        )],
        &[],
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(left_out("store/sqlite_tests.rs") && left_out("auth/tests.rs"));
    assert!(left_out("cli/mod.rs") && !left_out("store/sqlite.rs"));
}

#[test]
fn the_allow_list_exempts_and_must_stay_true() {
    let bad = [("model.rs", "use crate::store::Store;\n")];
    let allowed = [("model", "store", "a reason")];
    assert!(tiny_check(&bad, &allowed).is_empty());
    let stale = tiny_check(&[("model.rs", "")], &allowed);
    assert_eq!(
        stale,
        ["allowed `model` -> `store` is no longer used: remove it from ALLOWED"]
    );
}

#[test]
fn modules_missing_from_the_order_fail() {
    let modules: BTreeSet<String> = ["model", "extra"].iter().map(|s| s.to_string()).collect();
    let layers = vec![("bottom".to_string(), vec!["model".to_string()])];
    assert_eq!(
        check(&layers, &modules, &[], &[]),
        ["module `extra` is not in the layer order of lib.rs"]
    );
}
