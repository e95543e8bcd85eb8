//! `bussola region add`'s last step: the manifest [`crate::region::add`] builds, written and
//! loaded back (loading checks the services, above the region layer).
use crate::region::add::{manifest, to_toml, AddOptions};
use crate::region::{Loaded, Region, Severity};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// A written and loaded manifest.
#[derive(Debug)]
pub struct Added {
    /// The manifest file.
    pub path: PathBuf,
    /// The region it loads, and the problems found.
    pub loaded: Loaded,
}

impl Added {
    /// A one-paragraph summary for the command line.
    pub fn summary(&self) -> String {
        let r = &self.loaded.region;
        let errors = self
            .loaded
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        let population: u64 = r.municipalities.iter().map(|m| m.population.total).sum();
        format!(
            "wrote {}: {} ({}), {} municipalities, population {}, {} services; {} errors, {} warnings",
            self.path.display(),
            r.name,
            r.id,
            r.municipalities.len(),
            population,
            r.services.len(),
            errors,
            self.loaded.issues.len() - errors
        )
    }
}

/// Builds the manifest (paths relative to `opts.out`'s folder), writes it, and loads it back.
pub fn add(opts: &AddOptions) -> Result<Added> {
    let dir = opts.out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let m = manifest(opts)?;
    let text = to_toml(&m)?;
    std::fs::write(&opts.out, text).map_err(|source| Error::Io {
        path: opts.out.clone(),
        source,
    })?;
    match Region::load(&opts.out) {
        Ok(loaded) => Ok(Added {
            path: opts.out.clone(),
            loaded,
        }),
        Err(e) => {
            // A manifest that does not load is not left behind to be served.
            let _ = std::fs::remove_file(&opts.out);
            Err(e)
        }
    }
}
