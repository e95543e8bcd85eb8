//! Embeds the OpenAPI fragments: every `src/api/openapi/*.yaml`, by file name, into
//! `$OUT_DIR/openapi_fragments.rs` (read by `src/api/openapi.rs`). A fragment dropped into the
//! folder is part of the document at the next build; nothing else lists them.
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api/openapi");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") && !n.starts_with('.'))
            .collect(),
        Err(e) => {
            println!(
                "cargo:warning=no OpenAPI fragments in {}: {e}",
                dir.display()
            );
            Vec::new()
        }
    };
    names.sort();
    let mut out = String::from("/// Every fragment: (file name, text), by name.\npub static FRAGMENTS: &[(&str, &str)] = &[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        println!("cargo:warning=OUT_DIR is not set");
        std::process::exit(1);
    };
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("openapi_fragments.rs"), out) {
        println!("cargo:warning=cannot write the fragment list: {e}");
        std::process::exit(1);
    }
}
