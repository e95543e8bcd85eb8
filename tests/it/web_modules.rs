//! The page's ES modules (`web/`) import one way: no module is in an import cycle, and the map
//! page's modules import only from the rows below their own in the order written at the top of
//! `web/app.js`. Edges are `import … from './x.js'`, `export … from './x.js'`,
//! `import './x.js'` and `import('./x.js')`; bare names (npm packages) and computed dynamic
//! imports are not edges. And each page (`web/*.html`) preloads every module its entry reaches,
//! so that the browser fetches them at once.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → the modules it imports (paths relative to `web/`, e.g. `locales/pt.js`).
type Graph = BTreeMap<String, BTreeSet<String>>;

fn web() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("web")
}

/// `dir/../x.js` → `x.js`; `None` when it climbs out of `web/`.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The relative modules a source imports, resolved against its folder (`""` for `web/`).
fn imports(dir: &str, src: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, quote) in src.char_indices().filter(|(_, c)| *c == '\'' || *c == '"') {
        let rest = &src[i + 1..];
        if !(rest.starts_with("./") || rest.starts_with("../")) {
            continue;
        }
        let Some(end) = rest.find(quote) else {
            continue;
        };
        let spec = &rest[..end];
        if !spec.ends_with(".js") || spec.contains('\n') {
            continue;
        }
        // What precedes the string: `from`, `import` or `import(`.
        let before = src[..i].trim_end();
        let before = before.strip_suffix('(').map_or(before, str::trim_end);
        let keyword = ["from", "import"].iter().any(|k| {
            before.ends_with(k)
                && !before[..before.len() - k.len()]
                    .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
        });
        if keyword {
            if let Some(target) = normalise(&format!("{dir}/{spec}")) {
                found.insert(target);
            }
        }
    }
    found
}

/// Every `.js` file under `web/` (but `node_modules/`), with its imports.
fn web_graph() -> Graph {
    fn walk(root: &Path, dir: &Path, graph: &mut Graph) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().expect("a name").to_string_lossy();
            if path.is_dir() {
                if name != "node_modules" && !name.starts_with('.') {
                    walk(root, &path, graph);
                }
            } else if name.ends_with(".js") {
                let rel = path.strip_prefix(root).expect("under web/");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let folder = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                let src = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                graph.insert(rel, imports(&folder, &src));
            }
        }
    }
    let root = web();
    let mut graph = Graph::new();
    walk(&root, &root, &mut graph);
    graph
}

/// The import cycles of a graph: one per group of modules that reach each other, written
/// `a.js → b.js → a.js` (a module importing itself is one too).
fn cycles(graph: &Graph) -> Vec<String> {
    // Tarjan's strongly connected components.
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        groups: Vec<Vec<&'g str>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                self.groups.push(group);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    let mut found = Vec::new();
    for group in walk.groups {
        let members: BTreeSet<&str> = group.iter().copied().collect();
        let start = *members.first().expect("a group has a member");
        let self_loop = graph.get(start).is_some_and(|e| e.contains(start));
        if members.len() < 2 && !self_loop {
            continue;
        }
        // The shortest way back to `start` inside the group (breadth first).
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = start;
        'search: while let Some(v) = queue.pop_front() {
            for w in graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if w == start {
                    last = v;
                    break 'search;
                }
                if members.contains(w) && !came_from.contains_key(w) {
                    came_from.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        let mut path = vec![start, last];
        let mut v = last;
        while v != start {
            v = came_from[v];
            path.push(v);
        }
        path.reverse(); // start → … → last → start
        if self_loop {
            path = vec![start, start];
        }
        found.push(path.join(" → "));
    }
    found.sort();
    found
}

/// The order written at the top of `app.js`: module → row (0 at the top). Rows are the comment
/// lines after the one saying "Module order" that start with `//   `; their `.js` words are the
/// modules.
fn declared_order(app: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut lines = app.lines().skip_while(|l| !l.contains("Module order"));
    lines
        .next()
        .ok_or("web/app.js has no \"Module order\" comment")?;
    let mut order = BTreeMap::new();
    let rows = lines
        .skip_while(|l| !l.starts_with("//   "))
        .take_while(|l| l.starts_with("//   "));
    for (row, line) in rows.enumerate() {
        for word in line.split_whitespace().filter(|w| w.ends_with(".js")) {
            if let Some(was) = order.insert(word.to_string(), row) {
                return Err(format!(
                    "{word} is on two rows ({} and {})",
                    was + 1,
                    row + 1
                ));
            }
        }
    }
    if order.is_empty() {
        return Err("the \"Module order\" comment of web/app.js lists no module".into());
    }
    Ok(order)
}

/// Imports that break the declared order: from a module to one on its row or above, and
/// modules the entry reaches that the order does not place.
fn against_order(graph: &Graph, order: &BTreeMap<String, usize>, entry: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::from([entry]);
    let mut todo = vec![entry];
    while let Some(v) = todo.pop() {
        let Some(row) = order.get(v) else {
            problems.push(format!(
                "{v} (imported from {entry}'s page) has no row in the order"
            ));
            continue;
        };
        for w in graph.get(v).into_iter().flatten() {
            match order.get(w) {
                Some(r) if r <= row => problems.push(format!(
                    "{v} (row {}) imports {w} (row {}): a module imports only from the rows below",
                    row + 1,
                    r + 1
                )),
                _ => {}
            }
            if seen.insert(w) {
                todo.push(w);
            }
        }
    }
    problems.sort();
    problems
}

#[test]
fn no_page_module_is_in_an_import_cycle() {
    let graph = web_graph();
    assert!(
        graph.len() > 20 && graph.contains_key("app.js"),
        "{graph:?}"
    );
    assert!(
        graph["app.js"].contains("results.js"),
        "edges are read: {:?}",
        graph["app.js"]
    );
    for (module, targets) in &graph {
        for target in targets {
            assert!(
                graph.contains_key(target),
                "{module} imports {target}, which is not in web/"
            );
        }
    }
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import cycles in web/ (break them with a shared module below, or a callback passed in):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_map_page_imports_only_downward_in_the_declared_order() {
    let app = std::fs::read_to_string(web().join("app.js")).expect("web/app.js");
    let order = declared_order(&app).unwrap_or_else(|e| panic!("{e}"));
    let graph = web_graph();
    for module in order.keys() {
        assert!(
            graph.contains_key(module),
            "the order in web/app.js names {module}, not in web/"
        );
    }
    let problems = against_order(&graph, &order, "app.js");
    assert!(
        problems.is_empty(),
        "web/ imports against the order written in web/app.js:\n  {}",
        problems.join("\n  ")
    );
}

/// The value of every `attr="…"` in the tags of an HTML page that contain `tag_part`.
fn attributes(html: &str, tag_part: &str, attr: &str) -> Vec<String> {
    html.split('<')
        .filter(|tag| tag.contains(tag_part))
        .filter_map(|tag| {
            let start = tag.find(&format!("{attr}=\""))? + attr.len() + 2;
            let len = tag[start..].find('"')?;
            Some(tag[start..start + len].trim_start_matches('/').to_string())
        })
        .collect()
}

/// The modules a page's entry reaches that the page does not preload.
fn not_preloaded(graph: &Graph, html: &str) -> Vec<String> {
    let preloaded: BTreeSet<String> = attributes(html, r#"rel="modulepreload""#, "href")
        .into_iter()
        .collect();
    let mut missing = BTreeSet::new();
    for entry in attributes(html, r#"type="module""#, "src") {
        let mut seen = BTreeSet::from([entry.clone()]);
        let mut todo = vec![entry];
        while let Some(v) = todo.pop() {
            for w in graph.get(&v).into_iter().flatten() {
                if seen.insert(w.clone()) {
                    if !preloaded.contains(w) {
                        missing.insert(w.clone());
                    }
                    todo.push(w.clone());
                }
            }
        }
    }
    missing.into_iter().collect()
}

#[test]
fn every_page_preloads_the_modules_its_entry_reaches() {
    let graph = web_graph();
    let mut pages = 0;
    for entry in std::fs::read_dir(web()).expect("web/") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).expect("a page");
        if attributes(&html, r#"type="module""#, "src").is_empty() {
            continue;
        }
        pages += 1;
        let missing = not_preloaded(&graph, &html);
        assert!(
            missing.is_empty(),
            "{} does not preload {} (add <link rel=\"modulepreload\" href=\"/…\">: without it the \
             browser finds each import only after fetching the module above it)",
            path.display(),
            missing.join(", ")
        );
    }
    assert!(
        pages >= 3,
        "index.html, provider.html and summary.html start modules"
    );
}

#[cfg(test)]
mod checker {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> Graph {
        edges
            .iter()
            .map(|(v, ws)| (v.to_string(), ws.iter().map(|w| w.to_string()).collect()))
            .collect()
    }

    #[test]
    fn reads_static_dynamic_and_re_exports_but_not_packages() {
        let src = r#"
import { a } from './a.js';
import {
  b,
} from "./b.js";
import './side.js';
export { c } from './c.js';
const d = await import('./d.js');
const e = import( "../e.js" );
import maplibre from 'maplibre-gl';
const v = import(`${VENDOR}maplibre-gl.mjs`);
const s = './not-an-import.js';
t('from', './x.js');
"#;
        let want: BTreeSet<String> = [
            "sub/a.js",
            "sub/b.js",
            "sub/side.js",
            "sub/c.js",
            "sub/d.js",
            "e.js",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(imports("sub", src), want);
        assert_eq!(
            imports("", "import pt from './locales/pt.js';"),
            BTreeSet::from(["locales/pt.js".to_string()])
        );
    }

    #[test]
    fn finds_a_cycle_and_names_it() {
        let bad = graph(&[
            ("app.js", &["results.js"]),
            ("results.js", &["card.js", "dom.js"]),
            ("card.js", &["results.js", "dom.js"]),
            ("dom.js", &[]),
        ]);
        assert_eq!(cycles(&bad), ["card.js → results.js → card.js"]);

        let longer = graph(&[
            ("a.js", &["b.js"]),
            ("b.js", &["c.js"]),
            ("c.js", &["a.js"]),
            ("x.js", &["x.js"]),
        ]);
        assert_eq!(
            cycles(&longer),
            ["a.js → b.js → c.js → a.js", "x.js → x.js"]
        );

        let fine = graph(&[
            ("app.js", &["results.js", "card.js"]),
            ("results.js", &["card.js"]),
            ("card.js", &["badges.js"]),
        ]);
        assert!(cycles(&fine).is_empty());
    }

    #[test]
    fn finds_a_module_a_page_does_not_preload() {
        let g = graph(&[
            ("app.js", &["results.js", "i18n.js"]),
            ("results.js", &["card.js"]),
            ("i18n.js", &["locales/pt.js"]),
        ]);
        let html = r#"<link rel="stylesheet" href="/app.css">
<link rel="modulepreload" href="/i18n.js">
<link rel="modulepreload" href="/results.js">
<script type="module" src="/app.js"></script>"#;
        assert_eq!(not_preloaded(&g, html), ["card.js", "locales/pt.js"]);
        let all = format!(
            "{html}\n<link rel=\"modulepreload\" href=\"/card.js\">\n<link rel=\"modulepreload\" href=\"/locales/pt.js\">"
        );
        assert!(not_preloaded(&g, &all).is_empty());
    }

    #[test]
    fn finds_an_import_against_the_order() {
        let app = "// intro\n// Module order: …\n//   app.js   the entry\n//   results.js · card.js\n//   dom.js\n// after\n";
        let order = declared_order(app).expect("an order");
        assert_eq!(order["app.js"], 0);
        assert_eq!(order["card.js"], 1);
        assert_eq!(order["dom.js"], 2);

        let upward = graph(&[
            ("app.js", &["results.js"]),
            ("results.js", &["dom.js", "card.js"]),
            ("card.js", &["dom.js"]),
            ("dom.js", &["app.js", "extra.js"]),
            ("extra.js", &[]),
        ]);
        assert_eq!(
            against_order(&upward, &order, "app.js"),
            [
                "dom.js (row 3) imports app.js (row 1): a module imports only from the rows below",
                "extra.js (imported from app.js's page) has no row in the order",
                "results.js (row 2) imports card.js (row 2): a module imports only from the rows below",
            ]
        );
        let fine = graph(&[
            ("app.js", &["results.js", "card.js"]),
            ("results.js", &["dom.js"]),
        ]);
        assert!(against_order(&fine, &order, "app.js").is_empty());
        assert!(declared_order("// Module order\n//   a.js\n//   a.js\n").is_err());
        assert!(declared_order("// no order here\n").is_err());
    }
}
