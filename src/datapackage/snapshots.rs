//! Versioned, dated snapshots of the data package: the package as it was on a day, one ZIP file
//! per day in a folder (`bussola serve` keeps them in its data folder's `snapshots/`), named
//! `bussola-<region>-<YYYY-MM-DD>.zip` with its SHA-256 beside it (`….zip.sha256`), version
//! `YYYY.M.D`. `serve` makes the day's once the day's indicators are recorded
//! ([`keep_daily`]); an admin can make it at once (`POST /api/datapackage/snapshots`, which
//! replaces that day's). Bounded: the newest [`KEEP_DAILY`], and the first of each month for
//! [`KEEP_MONTHS`] months, are kept; the others are removed.
use super::{build, file_name, sha256, version_of, zip};
use crate::catalog::Catalog;
use crate::store::PointQuery;
use crate::{Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Daily snapshots kept.
pub const KEEP_DAILY: usize = 30;
/// Months for which the month's first snapshot is kept too.
pub const KEEP_MONTHS: usize = 24;

/// One snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// The day it shows (YYYY-MM-DD).
    pub date: String,
    /// The package's version (`YYYY.M.D`).
    pub version: String,
    /// Its file name.
    pub file: String,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256 (hex).
    pub sha256: String,
}

/// The folder of one region's snapshots.
#[derive(Debug, Clone)]
pub struct Shelf {
    dir: PathBuf,
    region: String,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Internal(format!("snapshots: {what} {}: {e}", path.display()))
}

impl Shelf {
    /// The snapshots of `region` (its id) in `dir` (made when the first is written).
    pub fn new(dir: impl Into<PathBuf>, region: &str) -> Self {
        Shelf {
            dir: dir.into(),
            region: region.to_string(),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The day (YYYY-MM-DD) of one of this region's snapshot file names, if it is one.
    fn day_of(&self, file: &str) -> Option<String> {
        let date = file
            .strip_prefix(&format!("bussola-{}-", self.region))?
            .strip_suffix(".zip")?;
        let day = crate::quality::checks::days_from_iso(date)?;
        (crate::trends::day_text(day) == date).then(|| date.to_string())
    }

    /// The path of a snapshot file by its name; `None` for anything else (no other file of the
    /// folder, nothing outside it).
    pub fn path(&self, file: &str) -> Option<PathBuf> {
        self.day_of(file)?;
        let path = self.dir.join(file);
        path.is_file().then_some(path)
    }

    /// The snapshots, newest first.
    pub fn list(&self) -> Result<Vec<Snapshot>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io("reading", &self.dir, e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some(date) = self.day_of(&file) else {
                continue;
            };
            let path = entry.path();
            let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            let sidecar = self.dir.join(format!("{file}.sha256"));
            let sha = match std::fs::read_to_string(&sidecar) {
                Ok(s) if s.trim().len() == 64 => s.trim().to_string(),
                _ => {
                    let body = std::fs::read(&path).map_err(|e| io("reading", &path, e))?;
                    sha256(&body)
                }
            };
            let day = crate::quality::checks::days_from_iso(&date).unwrap_or_default();
            out.push(Snapshot {
                version: version_of(day),
                date,
                file,
                bytes,
                sha256: sha,
            });
        }
        out.sort_by(|a, b| b.date.cmp(&a.date));
        Ok(out)
    }

    /// Whether a snapshot of a day (days since 1970-01-01) is kept.
    pub fn has(&self, day: i64) -> bool {
        self.dir.join(file_name(&self.region, day)).is_file()
    }

    /// Makes the package now (`now`, Unix seconds) and keeps it as the day's snapshot (replacing
    /// that day's), then removes what is no longer kept.
    pub fn make(&self, cat: &Catalog, now: i64) -> Result<Snapshot> {
        let package = build(cat, now)?;
        let body = zip(&package)?;
        std::fs::create_dir_all(&self.dir).map_err(|e| io("making", &self.dir, e))?;
        let file = file_name(&self.region, package.day);
        let path = self.dir.join(&file);
        let sha = sha256(&body);
        // Written beside, then renamed: a reader never sees half a file.
        let tmp = self.dir.join(format!(
            ".{file}.{}.{}",
            std::process::id(),
            now.rem_euclid(1_000_000)
        ));
        std::fs::write(&tmp, &body).map_err(|e| io("writing", &tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io("renaming", &path, e))?;
        let sidecar = self.dir.join(format!("{file}.sha256"));
        std::fs::write(&sidecar, format!("{sha}\n")).map_err(|e| io("writing", &sidecar, e))?;
        self.prune()?;
        Ok(Snapshot {
            date: crate::trends::day_text(package.day),
            version: package.version(),
            file,
            bytes: body.len() as u64,
            sha256: sha,
        })
    }

    /// Keeps the newest [`KEEP_DAILY`] and the first of each of the newest [`KEEP_MONTHS`]
    /// months; removes the rest.
    pub fn prune(&self) -> Result<()> {
        let all = self.list()?;
        let mut months: Vec<&str> = Vec::new();
        let mut first_of_month: Vec<&str> = Vec::new();
        // Oldest first, so a month's first snapshot is met first.
        for s in all.iter().rev() {
            let month = &s.date[..7];
            if !months.contains(&month) {
                months.push(month);
                first_of_month.push(&s.file);
            }
        }
        let recent_months: Vec<&str> = months.iter().rev().take(KEEP_MONTHS).copied().collect();
        for (i, s) in all.iter().enumerate() {
            let monthly =
                first_of_month.contains(&s.file.as_str()) && recent_months.contains(&&s.date[..7]);
            if i < KEEP_DAILY || monthly {
                continue;
            }
            for f in [s.file.clone(), format!("{}.sha256", s.file)] {
                let p = self.dir.join(&f);
                if let Err(e) = std::fs::remove_file(&p) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        return Err(io("removing", &p, e));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether the day's indicators are recorded (the region's `records` has a daily point today).
fn day_recorded(cat: &Catalog, day: i64) -> Result<bool> {
    let q = PointQuery {
        areas: vec![cat.region().id.clone()],
        indicators: vec![crate::trends::indicators::RECORDS.to_string()],
        from: Some(format!("{}T00:00:00Z", crate::trends::day_text(day))),
        to: None,
    };
    Ok(cat.store().points(&q)?.iter().any(|p| p.source == "daily"))
}

/// Keeps a snapshot of every day until the program ends: once a minute, when the day has none
/// and its indicators are recorded, makes it.
pub async fn keep_daily(catalog: Arc<Catalog>, shelf: Arc<Shelf>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (cat, shelf) = (catalog.clone(), shelf.clone());
        let made = tokio::task::spawn_blocking(move || -> Result<Option<Snapshot>> {
            let now = crate::auth::now();
            let day = crate::trends::day_of(now);
            if shelf.has(day) || !day_recorded(&cat, day)? {
                return Ok(None);
            }
            shelf.make(&cat, now).map(Some)
        })
        .await;
        match made {
            Ok(Ok(Some(s))) => {
                tracing::info!("data package snapshot {} ({} bytes)", s.file, s.bytes)
            }
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!("data package snapshot: {e}"),
            Err(e) => tracing::warn!("data package snapshot: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_regions_dated_zips_are_snapshots() {
        let shelf = Shelf::new("/nowhere", "alentejo");
        assert_eq!(
            shelf.day_of("bussola-alentejo-2026-12-07.zip").as_deref(),
            Some("2026-12-07")
        );
        for bad in [
            "bussola-alentejo-2026-02-30.zip",
            "bussola-other-2026-12-07.zip",
            "bussola-alentejo-2026-12-07.zip.sha256",
            "../bussola-alentejo-2026-12-07.zip",
            "bussola-alentejo-latest.zip",
        ] {
            assert_eq!(shelf.day_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn pruning_keeps_the_newest_days_and_each_months_first() {
        let dir =
            std::env::temp_dir().join(format!("bussola-snapshots-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let shelf = Shelf::new(&dir, "r");
        // 100 days from 2026-01-01.
        let first = crate::quality::checks::days_from_iso("2026-01-01").unwrap();
        for d in first..first + 100 {
            std::fs::write(dir.join(file_name("r", d)), b"zip").unwrap();
        }
        shelf.prune().unwrap();
        let kept: Vec<String> = shelf.list().unwrap().into_iter().map(|s| s.date).collect();
        assert_eq!(kept.len(), KEEP_DAILY + 3, "{kept:?}");
        assert_eq!(kept[0], crate::trends::day_text(first + 99));
        for month in ["2026-01-01", "2026-02-01", "2026-03-01"] {
            assert!(kept.contains(&month.to_string()), "{month}: {kept:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
