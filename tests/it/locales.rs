//! The page's strings (`web/locales/<code>.js`): every language has exactly the keys of
//! Portuguese (the default) and, for each key, the same `{name}` placeholders; and every locale
//! file is loaded by `web/i18n.js` and preloaded by the pages that preload it.
//!
//! The files are ES modules kept in a one-entry-per-line form, which the small parser below
//! reads (and insists on):
//!
//! ```text
//! // comments and blank lines
//! export default {
//!   'key': 'value with {placeholder}',
//!   'other.key': "a value with 'quotes'",
//! };
//! ```
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The default language: the others are compared with it.
const BASE: &str = "pt";

/// A locale file's entries, in key order.
type Strings = BTreeMap<String, String>;

fn web() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("web")
}

/// A JS string literal at the start of `s` ('…' or "…", with backslash escapes): its value and
/// what follows it.
fn literal(s: &str) -> Result<(String, &str), String> {
    let mut chars = s.char_indices();
    let quote = match chars.next() {
        Some((_, q @ ('\'' | '"'))) => q,
        _ => return Err(format!("expected a quoted string at `{s}`")),
    };
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, e)) => value.push(e),
                None => break,
            },
            c if c == quote => return Ok((value, &s[i + c.len_utf8()..])),
            c => value.push(c),
        }
    }
    Err(format!("unterminated string at `{s}`"))
}

/// Parses a locale file; an error names the line.
fn parse(src: &str) -> Result<Strings, String> {
    let mut strings = Strings::new();
    let mut opened = false;
    let mut closed = false;
    for (n, line) in src.lines().enumerate() {
        let n = n + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        if closed {
            return Err(format!("line {n}: nothing may follow the closing `}};`"));
        }
        if !opened {
            if line != "export default {" {
                return Err(format!(
                    "line {n}: expected `export default {{`, found `{line}`"
                ));
            }
            opened = true;
            continue;
        }
        if line == "};" {
            closed = true;
            continue;
        }
        let entry = || -> Result<(String, String), String> {
            let (key, rest) = literal(line)?;
            let rest = rest
                .strip_prefix(':')
                .ok_or("expected `:` after the key")?
                .trim_start();
            let (value, rest) = literal(rest)?;
            if rest.trim() != "," {
                return Err("expected `,` after the value (one `'key': 'value',` a line)".into());
            }
            Ok((key, value))
        };
        let (key, value) = entry().map_err(|e| format!("line {n}: {e}: `{line}`"))?;
        if strings.insert(key.clone(), value).is_some() {
            return Err(format!("line {n}: the key '{key}' is there twice"));
        }
    }
    if !closed {
        return Err("the file does not end with `};`".into());
    }
    Ok(strings)
}

/// The `{name}` placeholders of a string (as `t()` fills them: `\{(\w+)\}`, ASCII letters,
/// digits and `_`).
fn placeholders(s: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        rest = &rest[start + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len > 0 && rest[len..].starts_with('}') {
            found.insert(rest[..len].to_string());
        }
    }
    found
}

/// Every difference between a language and the base: keys missing on either side and
/// placeholders that differ, each naming the key.
fn compare(base_name: &str, base: &Strings, name: &str, other: &Strings) -> Vec<String> {
    let mut problems = Vec::new();
    for key in base.keys().filter(|k| !other.contains_key(*k)) {
        problems.push(format!("'{key}' is in {base_name} but missing in {name}"));
    }
    for key in other.keys().filter(|k| !base.contains_key(*k)) {
        problems.push(format!("'{key}' is in {name} but missing in {base_name}"));
    }
    let show = |set: &BTreeSet<String>| {
        if set.is_empty() {
            "none".to_string()
        } else {
            set.iter()
                .map(|p| format!("{{{p}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    for (key, value) in base {
        let Some(theirs) = other.get(key) else {
            continue;
        };
        let (a, b) = (placeholders(value), placeholders(theirs));
        if a != b {
            problems.push(format!(
                "'{key}': the placeholders differ: {base_name} has {}, {name} has {}",
                show(&a),
                show(&b)
            ));
        }
    }
    problems
}

/// The locale files: code → path.
fn locale_files() -> BTreeMap<String, PathBuf> {
    let dir = web().join("locales");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .map(|p| {
            let code = p
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (code, p)
        })
        .collect()
}

fn load(path: &Path) -> Strings {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_language_has_the_same_keys_and_placeholders() {
    let files = locale_files();
    assert!(
        files.contains_key(BASE) && files.contains_key("en"),
        "web/locales/ holds pt.js and en.js: {files:?}"
    );
    let base_name = format!("{BASE}.js");
    let base = load(&files[BASE]);
    assert!(
        base.len() > 100,
        "{base_name} has only {} strings",
        base.len()
    );
    let mut problems = Vec::new();
    for (code, path) in files.iter().filter(|(c, _)| c.as_str() != BASE) {
        problems.extend(compare(
            &base_name,
            &base,
            &format!("{code}.js"),
            &load(path),
        ));
    }
    assert!(
        problems.is_empty(),
        "web/locales/ differ between languages:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_locale_is_loaded_by_i18n_and_preloaded_with_it() {
    let read = |name: &str| {
        std::fs::read_to_string(web().join(name)).unwrap_or_else(|e| panic!("web/{name}: {e}"))
    };
    let i18n = read("i18n.js");
    let mut pages = 0;
    for code in locale_files().keys() {
        let import = format!("from './locales/{code}.js'");
        assert!(
            i18n.contains(&import),
            "web/i18n.js does not import locales/{code}.js"
        );
        assert!(
            i18n.contains(&format!("'{code}'")),
            "web/i18n.js does not list the language '{code}' (LANGS, LOCALES)"
        );
        for page in ["index.html", "provider.html", "summary.html"] {
            let html = read(page);
            if !html.contains(r#"<link rel="modulepreload" href="/i18n.js">"#) {
                continue;
            }
            pages += 1;
            let preload = format!(r#"<link rel="modulepreload" href="/locales/{code}.js">"#);
            assert!(
                html.contains(&preload),
                "web/{page} preloads i18n.js but not locales/{code}.js (the first paint waits for it)"
            );
        }
    }
    assert!(pages > 0, "no page preloads i18n.js");
}

#[cfg(test)]
mod checker {
    use super::*;

    fn strings(src: &str) -> Strings {
        parse(&format!("export default {{\n{src}\n}};\n")).expect("parses")
    }

    #[test]
    fn reads_the_one_entry_per_line_form() {
        let s = strings(
            "  // a comment\n\n  'a': 'x {n} y',\n  'b.c': \"it's\",\n  'd': 'the region\\'s {region}',",
        );
        assert_eq!(s["a"], "x {n} y");
        assert_eq!(s["b.c"], "it's");
        assert_eq!(s["d"], "the region's {region}");
        assert_eq!(
            placeholders(&s["d"]),
            BTreeSet::from(["region".to_string()])
        );
        assert_eq!(
            placeholders("{a} {b_c} {a} { x } {} {é} {{n}}"),
            BTreeSet::from(["a".to_string(), "b_c".to_string(), "n".to_string()])
        );
    }

    #[test]
    fn refuses_what_the_simple_form_does_not_allow() {
        let bad = [
            (
                "const X = {\n'a': 'b',\n};",
                "line 1: expected `export default {`",
            ),
            ("export default {\n'a': 'b', 'c': 'd',\n};", "line 2:"),
            ("export default {\n'a': 'b'\n};", "line 2: expected `,`"),
            (
                "export default {\n'a': `b`,\n};",
                "line 2: expected a quoted string",
            ),
            (
                "export default {\n'a': 'b',\n'a': 'c',\n};",
                "line 3: the key 'a' is there twice",
            ),
            ("export default {\n'a': 'b',\n", "does not end with `};`"),
        ];
        for (src, want) in bad {
            let err = parse(src).expect_err(src);
            assert!(err.contains(want), "{src:?}: {err}");
        }
    }

    #[test]
    fn fails_on_a_key_missing_in_one_language() {
        let pt = strings("'a': 'um',\n'b': 'dois',");
        let en = strings("'a': 'one',");
        let problems = compare("pt.js", &pt, "en.js", &en);
        assert_eq!(problems, ["'b' is in pt.js but missing in en.js"]);
        let problems = compare("pt.js", &en, "en.js", &pt);
        assert_eq!(problems, ["'b' is in en.js but missing in pt.js"]);
    }

    #[test]
    fn fails_on_a_placeholder_that_differs() {
        let pt = strings("'near': 'Os {n} mais perto de {place}',\n'same': '{x} e {x}',");
        let en = strings("'near': 'The {n} nearest {where}',\n'same': '{x}',");
        let problems = compare("pt.js", &pt, "en.js", &en);
        assert_eq!(
            problems,
            ["'near': the placeholders differ: pt.js has {n} {place}, en.js has {n} {where}"]
        );
        let none = strings("'near': 'Nearest',\n'same': '{x}',");
        assert_eq!(
            compare("pt.js", &pt, "en.js", &none),
            ["'near': the placeholders differ: pt.js has {n} {place}, en.js has none"]
        );
        assert!(compare("pt.js", &pt, "pt.js", &pt).is_empty());
    }
}
