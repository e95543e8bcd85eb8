//! The command line, thin over the library: what each command takes ([`args`]), and the
//! commands by what they work on.
pub(crate) mod args;
mod data;
mod serve;
mod trends;
mod user;

use anyhow::{Context, Result};
use args::{Cli, Command, DbArgs, RegionCommand, ServeArgs, TrendsCommand};
use bussola::catalog::Catalog;
use bussola::store::Store;
use clap::Parser;
use data::{build_default, check, demo, export, import, region_add};
use serve::serve;
use std::path::{Path, PathBuf};
use user::user;

/// The shipped default region, relative to the repository root.
pub(crate) const DEFAULT_REGION: &str = "geodata/alentejo/region.toml";

/// Runs a command; `serve` with its defaults when none is given.
pub(crate) async fn run(cli: Cli) -> Result<()> {
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeArgs::parse_from(["serve"])));
    match command {
        Command::Serve(a) => {
            let root = if a.assets == Path::new(".") && !Path::new("web").exists() {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            } else {
                a.assets.clone()
            };
            let assets = bussola::api::Assets::under(&root);
            let regions: Vec<PathBuf> = a
                .region
                .iter()
                .map(|r| resolve(r, DEFAULT_REGION))
                .collect();
            let options = bussola::api::Options {
                feedback_per_minute: a.feedback_per_minute,
                feedback_per_day: a.feedback_per_day,
                tile_cache_bytes: a.tile_cache_mb.saturating_mul(1024 * 1024),
                forwarding: bussola::api::origin::Forwarding {
                    trusted: a.trusted_proxy.clone(),
                    public_url: a.public_url.clone(),
                },
                snapshots: Some(a.db.data_dir.join("snapshots")),
                basemap: None,
            };
            let mailer = a.mail.mailer()?;
            let basemap = a.basemap.clone();
            serve(a.addr, &regions, &a.db, assets, options, basemap, mailer).await
        }
        Command::Check {
            manifest,
            errors_only,
            set,
            report,
        } => check(&manifest, !errors_only, &set, report.as_deref()),
        Command::User(cmd) => user(cmd),
        Command::Trends(TrendsCommand::Import { file, region, db }) => {
            trends::import(&file, &resolve_all(&region), &db)
        }
        Command::Demo { dir } => demo(&dir),
        Command::BuildDefault { shared, out } => build_default(&shared, &out),
        Command::Import(mut a) => {
            a.region = a
                .region
                .iter()
                .map(|r| resolve(r, DEFAULT_REGION))
                .collect();
            import(&a)
        }
        Command::Region(RegionCommand::Add(a)) => region_add(a),
        Command::Backup { out, region, db } => {
            let store = open_store(&resolve_all(&region), &db)?;
            store.backup(&out)?;
            println!("wrote {}", out.display());
            Ok(())
        }
        Command::Restore { from, region, db } => {
            let store = open_store(&resolve_all(&region), &db)?;
            store.restore(&from)?;
            println!(
                "restored from {} ({} services)",
                from.display(),
                store.count()?
            );
            Ok(())
        }
        Command::Export {
            region,
            db,
            layer,
            format,
            out,
        } => export(
            &region
                .iter()
                .map(|r| resolve(r, DEFAULT_REGION))
                .collect::<Vec<_>>(),
            &db,
            &layer,
            &format,
            out.as_deref(),
        ),
    }
}

/// Finds a default path in the repository when run from outside its root.
fn resolve(path: &Path, default: &str) -> PathBuf {
    if path.exists() || path != Path::new(default) {
        return path.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(default)
}

/// Default manifest paths found from outside the repository root, as for `serve`.
fn resolve_all(regions: &[PathBuf]) -> Vec<PathBuf> {
    regions.iter().map(|r| resolve(r, DEFAULT_REGION)).collect()
}

/// The database of one or more regions, without loading their data.
fn open_store(manifests: &[PathBuf], db: &DbArgs) -> Result<Box<dyn Store>> {
    let id = bussola::region::database_id(manifests)?;
    let database = db.database(&id)?;
    database
        .open()
        .with_context(|| format!("opening {database}"))
}

/// The folders of region manifests: public quality reports name files relative to them.
pub(crate) fn manifest_dirs(manifests: &[PathBuf]) -> Vec<PathBuf> {
    manifests
        .iter()
        .map(|m| m.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect()
}

/// Opens the catalog of one or more regions: the `--database`, by default the file
/// `<data-dir>/<id>.sqlite` (several regions: their ids sorted and joined by `+`), seeding each
/// region's services on first use. Once every region is seeded, a start reads the boundaries
/// and population only: the services are in the database, and their files' quality report is
/// the one stored when they were read.
fn open_catalog(manifests: &[PathBuf], db: &DbArgs) -> Result<Catalog> {
    let names: Vec<String> = manifests.iter().map(|m| m.display().to_string()).collect();
    let manifest = names.join(" ");
    let today = bussola::quality::checks::today();
    let database = db.database(&bussola::region::database_id(manifests)?)?;
    let store = database
        .open()
        .with_context(|| format!("opening {database}"))?;
    let seeded = store.seeded()?;
    let mut all_seeded = true;
    for part in bussola::region::merge::region_manifests(manifests)? {
        all_seeded &= seeded.contains(&bussola::region::database_id(&[part])?);
    }
    let opts = bussola::load::LoadOptions {
        today: Some(&today),
        skip_services: all_seeded,
        ..Default::default()
    };
    let mut loaded = bussola::load::load_all_with(manifests, opts)
        .with_context(|| format!("loading region {manifest}"))?;
    let report = (!all_seeded).then(|| bussola::quality::review(&mut loaded, &today));
    if let Some(errors) = report.as_ref().map(|r| r.errors).filter(|&e| e > 0) {
        tracing::warn!(
            "{errors} records with errors were left out; run `bussola check` on {manifest}"
        );
    }
    let catalog = Catalog::open(loaded.region, store)?;
    let region_report = bussola::catalog::REGION_REPORT;
    let public = manifest_dirs(manifests);
    match report {
        // The load's report is what `/quality` shows for the region's own files, with the
        // files named relative to the manifests.
        Some(report) => catalog.put_report(region_report, &report.with_public_paths(&public))?,
        // A restart: files changed since they were read are told of, once.
        None => {
            let stored = catalog.reports()?.into_iter();
            if let Some((_, mut read)) = stored.into_iter().find(|(s, _)| s == region_report) {
                // The files as the stored report names them.
                let now = bussola::quality::Report::from_issues(
                    &today,
                    loaded.sources,
                    Vec::new(),
                    Vec::new(),
                )
                .with_public_paths(&public);
                let added = read.note_new_editions(&now.sources);
                for i in &added {
                    tracing::warn!("{}: {}", i.file.display(), i.message);
                }
                if !added.is_empty() {
                    catalog.put_report(region_report, &read)?;
                }
            }
        }
    }
    Ok(catalog)
}
