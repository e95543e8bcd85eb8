//! The `bussola` binary: a thin CLI over the library.
use anyhow::{bail, Context, Result};
use bussola::catalog::Catalog;
use bussola::region::Region;
use bussola::store::SqliteStore;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The shipped default region, relative to the repository root.
const DEFAULT_REGION: &str = "geodata/alentejo-central/region.toml";

#[derive(Parser)]
#[command(
    name = "bussola",
    version,
    about = "Bússola: a map of social care services"
)]
struct Cli {
    /// What to do; `serve` with its defaults when omitted.
    #[command(subcommand)]
    command: Option<Command>,
}

/// Options of `serve`.
#[derive(Parser)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Region manifest to serve.
    #[arg(long, default_value = DEFAULT_REGION)]
    region: PathBuf,
    /// Folder for the database (created on first start).
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Folder holding the page (`web/`) and the styles (`styles/`).
    #[arg(long, default_value = ".")]
    assets: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (API and map page); the default command.
    Serve(ServeArgs),
    /// Load a region and print what is wrong with its data (exit code 1 on errors).
    Check {
        /// Region manifest.
        manifest: PathBuf,
        /// Print only errors, not warnings.
        #[arg(long)]
        errors_only: bool,
        /// Override a manifest value before loading, e.g. `--set boundaries.code=DICO` or
        /// `--set services.0.fields.name=nome`; repeatable.
        #[arg(long = "set", value_name = "KEY=VALUE", value_parser = key_value)]
        set: Vec<(String, String)>,
    },
    /// Write the region's data (as stored) as open data: GeoJSON, CSV, FlatGeobuf or HSDS.
    Export {
        /// Region manifest.
        #[arg(long, default_value = DEFAULT_REGION)]
        region: PathBuf,
        /// Folder of the database (as for `serve`).
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// `services` or `municipalities`.
        #[arg(long, default_value = "services")]
        layer: String,
        /// `geojson`, `csv`, `fgb` (FlatGeobuf) or `hsds` (Open Referral HSDS 3.0, services only).
        #[arg(long, default_value = "geojson")]
        format: String,
        /// File to write; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Regenerate the demo region's boundaries and services from its municipalities table.
    Demo {
        /// The region folder holding municipalities.csv.
        #[arg(long, default_value = "geodata/alentejo-central")]
        dir: PathBuf,
    },
}

/// Finds a default path in the repository when run from outside its root.
fn resolve(path: &Path, default: &str) -> PathBuf {
    if path.exists() || path != Path::new(default) {
        return path.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(default)
}

/// Installs MapLibre from npm (the page's only dependency) when it is missing.
fn ensure_maplibre(assets: &bussola::api::Assets) {
    if assets.maplibre().join("maplibre-gl.css").exists()
        || !assets.web.join("package.json").exists()
    {
        return;
    }
    tracing::info!(
        "installing the map page's dependencies: npm ci --prefix {}",
        assets.web.display()
    );
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&assets.web)
        .status();
    match status {
        Ok(s) if s.success() => {}
        _ => tracing::warn!(
            "could not install MapLibre; the API works, but the map page needs `npm ci --prefix {}`",
            assets.web.display()
        ),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "bussola=info,tower_http=warn".into()),
        )
        // Colours only on a terminal: logs written to files stay plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let command = Cli::parse()
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
            serve(
                a.addr,
                &resolve(&a.region, DEFAULT_REGION),
                &a.data_dir,
                assets,
            )
            .await
        }
        Command::Check {
            manifest,
            errors_only,
            set,
        } => check(&manifest, !errors_only, &set),
        Command::Demo { dir } => demo(&dir),
        Command::Export {
            region,
            data_dir,
            layer,
            format,
            out,
        } => export(
            &resolve(&region, DEFAULT_REGION),
            &data_dir,
            &layer,
            &format,
            out.as_deref(),
        ),
    }
}

/// Opens a region's catalog: its database in `data_dir`, seeded on first use.
fn open_catalog(manifest: &Path, data_dir: &Path) -> Result<Catalog> {
    let loaded =
        Region::load(manifest).with_context(|| format!("loading region {}", manifest.display()))?;
    let errors = loaded
        .issues
        .iter()
        .filter(|i| i.severity == bussola::region::Severity::Error)
        .count();
    if errors > 0 {
        tracing::warn!(
            "{errors} records with errors were left out; run `bussola check {}`",
            manifest.display()
        );
    }
    let region = loaded.region;
    let db = data_dir.join(format!("{}.sqlite", region.id));
    let store = SqliteStore::open(&db).with_context(|| format!("opening {}", db.display()))?;
    Ok(Catalog::open(region, Box::new(store))?)
}

fn export(
    manifest: &Path,
    data_dir: &Path,
    layer: &str,
    format: &str,
    out: Option<&Path>,
) -> Result<()> {
    let catalog = open_catalog(manifest, data_dir)?;
    let e = bussola::export::export(&catalog, layer, format)?;
    match out {
        Some(path) => {
            std::fs::write(path, &e.body).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {} ({})", path.display(), e.content_type);
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&e.body)
                .context("writing to standard output")?;
            stdout.flush().context("writing to standard output")?;
        }
    }
    Ok(())
}

async fn serve(
    addr: SocketAddr,
    manifest: &Path,
    data_dir: &Path,
    assets: bussola::api::Assets,
) -> Result<()> {
    ensure_maplibre(&assets);
    let catalog = open_catalog(manifest, data_dir)?;
    tracing::info!(
        "region {} with {} services and {} municipalities; database in {}",
        catalog.region().name,
        catalog.len()?,
        catalog.region().municipalities.len(),
        data_dir.display()
    );
    let app = bussola::api::router(Arc::new(catalog), assets);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// Parses `KEY=VALUE` for `--set`.
fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got '{s}'")),
    }
}

fn check(manifest: &Path, warnings: bool, set: &[(String, String)]) -> Result<()> {
    let loaded = bussola::region::Manifest::load_with(manifest, set)
        .and_then(|m| Region::from_manifest(&m, manifest))
        .with_context(|| format!("loading region {}", manifest.display()))?;
    let r = &loaded.region;
    for issue in &loaded.issues {
        if warnings || issue.severity == bussola::region::Severity::Error {
            println!("{issue}");
        }
    }
    let errors = loaded
        .issues
        .iter()
        .filter(|i| i.severity == bussola::region::Severity::Error)
        .count();
    println!(
        "{}: {} municipalities, {} services loaded; {} errors, {} warnings",
        r.name,
        r.municipalities.len(),
        r.services.len(),
        errors,
        loaded.issues.len() - errors
    );
    if errors > 0 {
        bail!("{errors} errors in {}", manifest.display());
    }
    Ok(())
}

fn demo(dir: &Path) -> Result<()> {
    let rows = bussola::demo::read_seats(&dir.join("municipalities.csv"))?;
    let rings = bussola::demo::boundary_rings(&rows);
    let b = dir.join("boundaries.geojson");
    std::fs::write(&b, bussola::demo::generate_boundaries(&rows))
        .with_context(|| format!("writing {}", b.display()))?;
    let s = dir.join("services.geojson");
    std::fs::write(&s, bussola::demo::generate_services(&rows, &rings))
        .with_context(|| format!("writing {}", s.display()))?;
    println!("wrote {} and {}", b.display(), s.display());
    Ok(())
}
