//! Every relative link in the documentation resolves: README.md and every `.md` under `docs/`
//! and `geodata/`. A Markdown link or image `[text](target)` whose target is not an address with
//! a scheme (`https:`, `mailto:`…) must name a file or folder that exists, relative to the file
//! that links; a `#anchor` must match a heading of the target Markdown file by GitHub's rules
//! (see [`slug`]). Links in fenced code blocks and inline code are not links and are skipped.
//!
//! Self-contained on purpose (no `mod common;`, only `std`).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// GitHub's anchor for a heading's text: the rendered text (code spans keep their content,
/// links their text), lower case; letters (accented ones too: "á"), digits, `-` and `_` kept;
/// each space becomes `-`; every other character is dropped.
fn slug(heading: &str) -> String {
    let text = strip_links(heading);
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// `[text](target)` and `![alt](target)` as their text, as a heading renders.
fn strip_links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        let before = rest[..open].strip_suffix('!').unwrap_or(&rest[..open]);
        out.push_str(before);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The file's lines with fenced code blocks blanked (kept as empty lines, so line numbers stay).
fn without_fences(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match (fence, marker) {
            (None, Some(m)) if run >= 3 => {
                fence = Some((m, run));
                lines.push(String::new());
            }
            (Some((m, n)), Some(c)) if c == m && run >= n && trimmed[run..].trim().is_empty() => {
                fence = None;
                lines.push(String::new());
            }
            (Some(_), _) => lines.push(String::new()),
            (None, _) => lines.push(line.to_string()),
        }
    }
    lines
}

/// A heading's text, if the line is an ATX heading (`# …` to `###### …`).
fn heading(line: &str) -> Option<&str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let line = &line[indent..];
    let level = line.len() - line.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let rest = rest.trim();
    // A closing run of `#` after a space is not part of the text.
    let stripped = rest.trim_end_matches('#');
    let text = if stripped.len() < rest.len() && (stripped.is_empty() || stripped.ends_with(' ')) {
        stripped.trim_end()
    } else {
        rest
    };
    Some(text)
}

/// The anchors of a Markdown text: its headings' slugs, a repeated slug getting `-1`, `-2`…
fn anchors(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for line in without_fences(text) {
        let Some(h) = heading(&line) else { continue };
        let base = slug(&h.replace('`', ""));
        let n = seen.entry(base.clone()).or_insert(0);
        out.push(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// A line with its inline code spans blanked (a run of backticks up to the same run).
fn without_inline_code(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '`').count();
        let mut j = i + run;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let r = chars[j..].iter().take_while(|c| **c == '`').count();
                if r == run {
                    close = Some(j + r);
                    break;
                }
                j += r;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                out.extend(std::iter::repeat_n(' ', end - i));
                i = end;
            }
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// The link targets of a Markdown text with their line numbers (1-based).
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in without_fences(text).iter().enumerate() {
        let line = without_inline_code(line);
        let mut rest = line.as_str();
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            let inner = after[..end].trim();
            // `(target "title")`: the target is the first word; `<target>` may hold spaces.
            let target = match inner.strip_prefix('<') {
                Some(t) => t.split('>').next().unwrap_or(""),
                None => inner.split_whitespace().next().unwrap_or(""),
            };
            if !target.is_empty() {
                out.push((n + 1, target.to_string()));
            }
            rest = &after[end + 1..];
        }
    }
    out
}

/// An address with a scheme (`https:`, `mailto:`…) is not a relative link.
fn is_external(target: &str) -> bool {
    let scheme: String = target
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        .collect();
    !scheme.is_empty() && target[scheme.len()..].starts_with(':')
}

/// `%C3%A1` as `á`; anything that is not valid percent-encoding is kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Every broken relative link of `files`, as `file:line: (target) problem`; paths shown
/// relative to `root`.
fn check(root: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut anchor_cache: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let show = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    for file in files {
        let text = match fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{}: cannot be read: {e}", show(file)));
                continue;
            }
        };
        let dir = file.parent().unwrap_or(root);
        for (line, target) in links(&text) {
            if is_external(&target) {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(percent_decode(a))),
                None => (target.as_str(), None),
            };
            let path = percent_decode(path);
            let dest = if path.is_empty() {
                file.clone()
            } else {
                dir.join(&path)
            };
            let at = format!("{}:{line}: ({target})", show(file));
            if !dest.exists() {
                problems.push(format!("{at} no such file: {}", show(&dest)));
                continue;
            }
            let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
                continue;
            };
            if dest.extension().and_then(|e| e.to_str()) != Some("md") {
                continue; // anchors into code files (`#L10`) are not headings
            }
            let known = anchor_cache.entry(dest.clone()).or_insert_with(|| {
                fs::read_to_string(&dest)
                    .map(|t| anchors(&t))
                    .unwrap_or_default()
            });
            if !known.iter().any(|a| *a == anchor.to_lowercase()) {
                problems.push(format!("{at} no heading '#{anchor}' in {}", show(&dest)));
            }
        }
    }
    problems
}

/// The `.md` files under `dir`, sorted, skipping `node_modules` and hidden folders.
fn markdown_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "node_modules" && !name.starts_with('.') {
                markdown_under(&path, out);
            }
        } else if name.ends_with(".md") {
            out.push(path);
        }
    }
}

fn documentation(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md")];
    markdown_under(&root.join("docs"), &mut files);
    markdown_under(&root.join("geodata"), &mut files);
    files
}

#[test]
fn every_relative_link_and_anchor_in_the_documentation_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = documentation(root);
    assert!(
        files.len() > 10,
        "expected README.md, docs/ and geodata/ files, found {files:?}"
    );
    let checked: usize = files
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .map(|t| links(&t).len())
        .sum();
    assert!(
        checked > 50,
        "only {checked} links found: is the parser broken?"
    );
    let problems = check(root, &files);
    assert!(
        problems.is_empty(),
        "{} broken link(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_readme_stays_short_with_the_two_commands_first() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 160,
        "README.md has {lines} lines; move sections into docs/"
    );
    let run = readme.find("cargo run --release").expect("the run command");
    let test = readme.find("cargo test").expect("the test command");
    let first_section = readme.find("\n## ").unwrap_or(readme.len());
    assert!(
        run < first_section && test < first_section,
        "the two commands come before the first section"
    );
}

#[test]
fn slugs_follow_github() {
    assert_eq!(slug("Data quality"), "data-quality");
    assert_eq!(
        slug("Official boundaries (CAOP)"),
        "official-boundaries-caop"
    );
    assert_eq!(
        slug("\"Is this wrong?\": problem reports"),
        "is-this-wrong-problem-reports"
    );
    assert_eq!(slug("Review: [editing]"), "review-editing");
    assert_eq!(slug("Tests, CI, benchmarks"), "tests-ci-benchmarks");
    assert_eq!(
        slug("Overriding manifest values (check --set)"),
        "overriding-manifest-values-check---set"
    );
    assert_eq!(slug("Área dos responsáveis"), "área-dos-responsáveis");
    assert_eq!(slug("snake_case and CamelCase"), "snake_case-and-camelcase");
    assert_eq!(slug("See [the API](api.md) here"), "see-the-api-here");
    assert_eq!(slug("  Lisboa  "), "lisboa");
}

#[test]
fn headings_give_anchors_with_duplicates_numbered() {
    let text =
        "# Title\n\nText\n\n## Review: `[editing]`\n\n## Notes\n\n### Notes\n\n## Notes ##\n\n\
                ```sh\n# a comment, not a heading\n```\n\n    # indented code\n#hashtag\n";
    assert_eq!(
        anchors(text),
        ["title", "review-editing", "notes", "notes-1", "notes-2"]
    );
}

#[test]
fn links_skip_code_and_external_addresses() {
    let text = "See [a](a.md), ![img](i.png \"title\") and [b](<b c.md#x>).\n\
                `[not](code.md)` and ``[not](code2.md)``\n\
                ```\n[not](fenced.md)\n```\n\
                [text\nacross lines](d.md#y)\n";
    let targets: Vec<String> = links(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(targets, ["a.md", "i.png", "b c.md#x", "d.md#y"]);
    assert!(is_external("https://example.org/x"));
    assert!(is_external("mailto:someone@example.org"));
    assert!(!is_external("docs/api/reference.md#vector-tiles"));
    assert!(!is_external("#data"));
    assert_eq!(percent_decode("%C3%A1rea"), "área");
}

/// The checker itself fails on a bad example: a missing file and a missing anchor are reported,
/// good links (a file, a folder, an anchor, a duplicate's anchor, an accented one) are not.
#[test]
fn the_checker_reports_a_missing_file_and_a_missing_anchor() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let root = std::env::temp_dir().join(format!("docs-links-{}-{nanos}", std::process::id()));
    fs::create_dir_all(root.join("docs/data")).expect("temp dir");
    fs::write(
        root.join("README.md"),
        "# Top\n\n[ok](docs/data/quality.md#the-report) [ok](docs/data/) [ok](#top)\n\
         [missing file](docs/nowhere.md) and [missing anchor](docs/data/quality.md#no-such)\n\
         [ok](docs/data/quality.md#notes-1) [ok](docs/data/quality.md#área) [web](https://x.org/y.md)\n\
         `[code](docs/ignored.md)`\n",
    )
    .expect("write");
    fs::write(
        root.join("docs/data/quality.md"),
        "# Quality\n\n## The report\n\n## Notes\n\n## Notes\n\n## Área\n\n[up](../../README.md#top) [bad](#gone)\n",
    )
    .expect("write");
    let files = vec![root.join("README.md"), root.join("docs/data/quality.md")];
    let problems = check(&root, &files);
    fs::remove_dir_all(&root).ok();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].starts_with("README.md:4: (docs/nowhere.md) no such file"),
        "{problems:#?}"
    );
    assert!(
        problems[1]
            .starts_with("README.md:4: (docs/data/quality.md#no-such) no heading '#no-such'"),
        "{problems:#?}"
    );
    assert!(
        problems[2].starts_with("docs/data/quality.md:11: (#gone) no heading '#gone'"),
        "{problems:#?}"
    );
}
