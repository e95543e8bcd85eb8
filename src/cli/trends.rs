//! `trends`: published reference values in (`trends import FILE`).
use super::args::DbArgs;
use super::open_catalog;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Stores the reference values of a CSV file (`date,area,indicator,value,source`), all or
/// none; every bad cell printed with the file, line and column.
pub(super) fn import(file: &Path, manifests: &[PathBuf], db: &DbArgs) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let catalog = open_catalog(manifests, db)?;
    match bussola::trends::reference::parse(&text, catalog.region()) {
        Ok(values) => {
            let n = catalog.store().put_references(&values)?;
            println!("{}: {n} reference values stored", file.display());
            Ok(())
        }
        Err(bad) => {
            for b in &bad {
                let e = bussola::Error::data(
                    file,
                    Some(format!("line {}", b.line)),
                    b.column.as_deref(),
                    b.message.clone(),
                );
                eprintln!("{e}");
            }
            bail!("{}: {} problems; nothing stored", file.display(), bad.len())
        }
    }
}
