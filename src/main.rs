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
    /// Region manifest to serve; repeat to serve several regions together (or give a manifest
    /// that lists regions).
    #[arg(long, default_value = DEFAULT_REGION)]
    region: Vec<PathBuf>,
    /// Folder for the database (created on first start).
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Folder holding the page (`web/`) and the styles (`styles/`).
    #[arg(long, default_value = ".")]
    assets: PathBuf,
    /// Problem reports ("this record is wrong") one client may send in a minute.
    #[arg(long, default_value_t = 5)]
    feedback_per_minute: usize,
    /// Problem reports one client may send in a day.
    #[arg(long, default_value_t = 30)]
    feedback_per_day: usize,
    #[command(flatten)]
    mail: MailArgs,
}

/// Where login links are e-mailed; without a URL they are only logged (or printed).
#[derive(clap::Args)]
struct MailArgs {
    /// SMTP server for login links: smtp://[user:pass@]host[:port] (plain, port 25),
    /// smtp://...?tls=required (STARTTLS) or smtps://... (TLS).
    #[arg(long, env = "BUSSOLA_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of those e-mails.
    #[arg(
        long,
        env = "BUSSOLA_MAIL_FROM",
        default_value = "Bússola <noreply@localhost>"
    )]
    mail_from: String,
}

impl MailArgs {
    fn mailer(&self) -> Result<Arc<dyn bussola::mail::Mailer>> {
        bussola::mail::from_settings(self.smtp_url.as_deref(), &self.mail_from)
            .context("--smtp-url / --mail-from")
    }
}

/// Options of `import`.
#[derive(Parser)]
struct ImportArgs {
    /// The files to import; none: the region manifests' own service files again (after a new
    /// edition of them), with their mappings.
    files: Vec<PathBuf>,
    /// What the files are: `file` (any GeoJSON, FlatGeobuf, GeoPackage, Shapefile or CSV,
    /// mapped with --field), `carta-social`, `osm`, `hsds`, or `auto` (guessed from each file).
    #[arg(long, default_value = "file")]
    source: String,
    /// Source label kept as provenance (defaults to the --source, or the file name for `file`).
    #[arg(long)]
    label: Option<String>,
    /// Field mapping for `file`: OURS=THEIRS (e.g. name=nome); repeatable.
    #[arg(long = "field", value_name = "OURS=THEIRS")]
    fields: Vec<String>,
    /// A value for every record of a `file`: OURS=VALUE (e.g. type=CRECHE); repeatable.
    #[arg(long = "constant", value_name = "OURS=VALUE")]
    constants: Vec<String>,
    /// CRS of a `file`, overriding what it declares (e.g. EPSG:3763).
    #[arg(long)]
    crs: Option<String>,
    /// Region manifest; repeat for several regions served together (as for `serve`).
    #[arg(long, default_value = DEFAULT_REGION)]
    region: Vec<PathBuf>,
    /// Folder of the database (as for `serve`).
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Also write the report to this file (`.json` or `.html`).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Check and report, but write nothing.
    #[arg(long)]
    dry_run: bool,
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
        /// Also write the quality report to this file (`.json` or `.html`).
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Write the region's data (as stored) as open data: GeoJSON, CSV, FlatGeobuf or HSDS.
    Export {
        /// Region manifest; repeat for several regions served together (as for `serve`).
        #[arg(long, default_value = DEFAULT_REGION)]
        region: Vec<PathBuf>,
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
    /// Import service records into the region's database: idempotent, checked, with a report.
    Import(ImportArgs),
    /// Region manifests: `region add` writes a new one.
    #[command(subcommand)]
    Region(RegionCommand),
    /// Copy the region's database to a file while it is in use (SQLite's online backup).
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
        /// Region manifest; repeat for several regions served together (as for `serve`).
        #[arg(long, default_value = DEFAULT_REGION)]
        region: Vec<PathBuf>,
        /// Folder of the database (as for `serve`).
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
    },
    /// Replace the region's database with a backup (stop the server first).
    Restore {
        /// The backup file.
        from: PathBuf,
        /// Region manifest; repeat for several regions served together (as for `serve`).
        #[arg(long, default_value = DEFAULT_REGION)]
        region: Vec<PathBuf>,
        /// Folder of the database (as for `serve`).
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
    },
    /// Accounts: `user add` creates one and prints its single-use login link, `user link` prints
    /// a new link, `user revoke` ends every session and link of an account.
    #[command(subcommand)]
    User(UserCommand),
    /// Regenerate the demo region's boundaries and services from its municipalities table.
    Demo {
        /// The region folder holding municipalities.csv.
        #[arg(long, default_value = "geodata/alentejo-central")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account and print its login link (valid 7 days, single use).
    Add {
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// `admin`, `moderator` or `provider`.
        #[arg(long)]
        role: String,
        /// For a provider: the provider id (`provider.id` of its services) it may edit.
        #[arg(long)]
        provider: Option<String>,
        /// For a moderator: a municipality code (DICO) it looks after; repeatable.
        #[arg(long = "municipality", value_name = "CODE")]
        municipalities: Vec<String>,
        #[command(flatten)]
        db: UserDb,
    },
    /// Print a new login link for an existing account.
    Link {
        /// E-mail address.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: UserDb,
    },
    /// Revoke every session and login link of an account.
    Revoke {
        /// E-mail address.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: UserDb,
    },
}

/// Where the accounts are kept, and the host login links point at.
#[derive(clap::Args)]
struct UserDb {
    /// Region manifest; repeat for several regions served together (as for `serve`).
    #[arg(long, default_value = DEFAULT_REGION)]
    region: Vec<PathBuf>,
    /// Folder of the database (as for `serve`).
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Host (and port) of the login link, as users reach the service.
    #[arg(long, default_value = "127.0.0.1:8080")]
    host: String,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(Subcommand)]
enum RegionCommand {
    /// Write a region's manifest from a boundary file, a population table and service files,
    /// then load it and print a summary.
    Add(AddArgs),
}

/// Options of `region add` (see `bussola::region::add`).
#[derive(Parser)]
struct AddArgs {
    /// Stable id (names the folder and the database file).
    #[arg(long)]
    id: String,
    /// Display name.
    #[arg(long)]
    name: String,
    /// Municipality boundaries: GeoJSON, FlatGeobuf or GeoPackage.
    #[arg(long)]
    boundaries: PathBuf,
    /// Boundary field with the municipality code [default: dico].
    #[arg(long)]
    code_field: Option<String>,
    /// Boundary field with the municipality name [default: concelho].
    #[arg(long)]
    name_field: Option<String>,
    /// Keep only the boundaries whose FIELD is VALUE (repeat for more values of one field).
    #[arg(long, value_name = "FIELD=VALUE", value_parser = bussola::region::add::parse_pair)]
    filter: Vec<(String, String)>,
    /// Population table (CSV, one row per municipality).
    #[arg(long, value_name = "CSV")]
    population: Option<PathBuf>,
    /// Population column with the municipality code [default: the boundaries' code field].
    #[arg(long)]
    population_code_field: Option<String>,
    /// A band's column: total, age_0_14, age_15_24, age_25_64, age_65_plus, age_0_2 or births.
    #[arg(long, value_name = "BAND=COLUMN", value_parser = bussola::region::add::parse_pair)]
    population_column: Vec<(String, String)>,
    /// A services file (GeoJSON, FlatGeobuf, GeoPackage, CSV), or a TOML file whose
    /// `[[services]]` entries (e.g. another manifest's) give the field mapping; repeatable.
    #[arg(long, value_name = "FILE")]
    services: Vec<PathBuf>,
    /// Attribution of a source, shown on the map; repeatable.
    #[arg(long)]
    attribution: Vec<String>,
    /// Where to write the manifest [default: geodata/<id>/region.toml].
    #[arg(long, value_name = "MANIFEST")]
    out: Option<PathBuf>,
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
            let regions: Vec<PathBuf> = a
                .region
                .iter()
                .map(|r| resolve(r, DEFAULT_REGION))
                .collect();
            let options = bussola::api::Options {
                feedback_per_minute: a.feedback_per_minute,
                feedback_per_day: a.feedback_per_day,
            };
            let mailer = a.mail.mailer()?;
            serve(a.addr, &regions, &a.data_dir, assets, options, mailer).await
        }
        Command::Check {
            manifest,
            errors_only,
            set,
            report,
        } => check(&manifest, !errors_only, &set, report.as_deref()),
        Command::User(cmd) => user(cmd),
        Command::Demo { dir } => demo(&dir),
        Command::Import(mut a) => {
            a.region = a
                .region
                .iter()
                .map(|r| resolve(r, DEFAULT_REGION))
                .collect();
            import(&a)
        }
        Command::Region(RegionCommand::Add(a)) => region_add(a),
        Command::Backup {
            out,
            region,
            data_dir,
        } => {
            let store = open_store(&resolve_all(&region), &data_dir)?;
            store.backup_to(&out)?;
            println!("wrote {}", out.display());
            Ok(())
        }
        Command::Restore {
            from,
            region,
            data_dir,
        } => {
            let store = open_store(&resolve_all(&region), &data_dir)?;
            store.restore_from(&from)?;
            println!(
                "restored from {} ({} services)",
                from.display(),
                bussola::store::Store::count(&store)?
            );
            Ok(())
        }
        Command::Export {
            region,
            data_dir,
            layer,
            format,
            out,
        } => export(
            &region
                .iter()
                .map(|r| resolve(r, DEFAULT_REGION))
                .collect::<Vec<_>>(),
            &data_dir,
            &layer,
            &format,
            out.as_deref(),
        ),
    }
}

/// Default manifest paths found from outside the repository root, as for `serve`.
fn resolve_all(regions: &[PathBuf]) -> Vec<PathBuf> {
    regions.iter().map(|r| resolve(r, DEFAULT_REGION)).collect()
}

/// The database of one or more regions, without loading their data.
fn open_store(manifests: &[PathBuf], data_dir: &Path) -> Result<SqliteStore> {
    let id = bussola::region::database_id(manifests)?;
    let db = data_dir.join(format!("{id}.sqlite"));
    SqliteStore::open(&db).with_context(|| format!("opening {}", db.display()))
}

/// Opens the catalog of one or more regions: the database `data_dir/<id>.sqlite` (several
/// regions: their ids sorted and joined by `+`), seeding each region's services on first use.
fn open_catalog(manifests: &[PathBuf], data_dir: &Path) -> Result<Catalog> {
    let names: Vec<String> = manifests.iter().map(|m| m.display().to_string()).collect();
    let manifest = names.join(" ");
    let today = bussola::quality::checks::today();
    let mut loaded = bussola::region::load_all_on(manifests, Some(&today))
        .with_context(|| format!("loading region {manifest}"))?;
    let report = bussola::quality::review(&mut loaded, &today);
    let errors = report.errors;
    if errors > 0 {
        tracing::warn!(
            "{errors} records with errors were left out; run `bussola check` on {manifest}"
        );
    }
    let region = loaded.region;
    let db = data_dir.join(format!("{}.sqlite", region.id));
    let store = SqliteStore::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let catalog = Catalog::open(region, Box::new(store))?;
    // The load's report is what `/quality` shows for the region's own files.
    catalog.put_report(
        bussola::catalog::REGION_REPORT,
        &serde_json::to_string(&report)?,
    )?;
    Ok(catalog)
}

fn export(
    manifest: &[PathBuf],
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
    manifest: &[PathBuf],
    data_dir: &Path,
    assets: bussola::api::Assets,
    options: bussola::api::Options,
    mailer: Arc<dyn bussola::mail::Mailer>,
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
    let catalog = Arc::new(catalog);
    // A CLI import or restore on the same database shows without a restart.
    tokio::spawn(bussola::catalog::keep_fresh(
        catalog.clone(),
        std::time::Duration::from_secs(2),
    ));
    if mailer.sends() {
        tracing::info!("login links are e-mailed through SMTP");
    }
    let app = bussola::api::router_with_mailer(catalog.clone(), assets, options, mailer);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    // The peer address keys the rate limits of login and writes.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    // Use counts wait in memory for a few seconds; write them before leaving.
    catalog.flush_usage()?;
    Ok(())
}

/// `user add|link|revoke`: thin over `bussola::auth`.
fn user(cmd: UserCommand) -> Result<()> {
    let (UserCommand::Add { db, .. }
    | UserCommand::Link { db, .. }
    | UserCommand::Revoke { db, .. }) = &cmd;
    // Bad mail settings stop before any account is made.
    let mailer = db.mail.mailer()?;
    let regions: Vec<PathBuf> = db
        .region
        .iter()
        .map(|r| resolve(r, DEFAULT_REGION))
        .collect();
    let catalog = open_catalog(&regions, &db.data_dir)?;
    let store = catalog.store();
    let now = bussola::auth::now();
    let find = |email: &str| -> Result<bussola::auth::User> {
        store
            .user_by_email(email)?
            .with_context(|| format!("no account for {email}"))
    };
    let (user, raw) = match &cmd {
        UserCommand::Add {
            email,
            role,
            provider,
            municipalities,
            ..
        } => {
            let new = bussola::auth::NewUser {
                email: email.clone(),
                role: bussola::auth::Role::parse(role)?,
                provider: provider.clone(),
                municipalities: municipalities.clone(),
            };
            bussola::auth::check_new_user(&new, |m| catalog.region().municipality(m).is_some())?;
            bussola::auth::invite(store, &new, now)?
        }
        UserCommand::Link { email, .. } => {
            let u = find(email)?;
            let raw = bussola::auth::login_link_token(store, u.id, now)?;
            (u, raw)
        }
        UserCommand::Revoke { email, .. } => {
            let u = find(email)?;
            let n = store.revoke_user(u.id, now)?;
            println!(
                "revoked {n} session(s) and link(s) of {} ({})",
                u.email,
                u.role.as_str()
            );
            return Ok(());
        }
    };
    println!("{} ({}, id {})", user.email, user.role.as_str(), user.id);
    println!("login link (single use, valid 7 days):");
    let link = bussola::auth::invite::LoginLink::new(&format!("http://{}", db.host), &raw, now);
    println!("{}", link.login_url);
    if mailer.sends() {
        let fresh = matches!(cmd, UserCommand::Link { .. });
        let service = &catalog.region().name;
        let mail = bussola::auth::invite::mail(&user, None, service, &link, fresh);
        match mailer.send(&mail) {
            Ok(()) => println!("e-mailed to {}", user.email),
            Err(e) => println!("not e-mailed ({e}); pass the link on yourself"),
        }
    }
    Ok(())
}

/// Parses `KEY=VALUE` for `--set`.
fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got '{s}'")),
    }
}

fn check(
    manifest: &Path,
    warnings: bool,
    set: &[(String, String)],
    out: Option<&Path>,
) -> Result<()> {
    let today = bussola::quality::checks::today();
    let loaded = if set.is_empty() {
        Region::load_on(manifest, Some(&today))
    } else {
        bussola::region::Manifest::load_with(manifest, set).and_then(|m| {
            let opts = bussola::region::LoadOptions {
                today: Some(&today),
                ..Default::default()
            };
            Region::from_manifest_with(&m, manifest, opts)
        })
    };
    let mut loaded = loaded.with_context(|| format!("loading region {}", manifest.display()))?;
    let report = bussola::quality::review(&mut loaded, &today);
    let shown = if warnings {
        report.clone()
    } else {
        let errors = report
            .issues
            .iter()
            .filter(|i| i.severity == bussola::region::Severity::Error)
            .cloned()
            .collect();
        bussola::quality::Report::from_issues(&today, report.sources.clone(), errors, Vec::new())
    };
    print!("{}", shown.to_text());
    write_report(&report, out)?;
    let r = &loaded.region;
    println!(
        "{}: {} municipalities, {} services loaded; {} errors, {} warnings",
        r.name,
        r.municipalities.len(),
        r.services.len(),
        report.errors,
        report.warnings
    );
    if report.errors > 0 {
        bail!("{} errors in {}", report.errors, manifest.display());
    }
    Ok(())
}

/// Writes a quality report as JSON, or as HTML for a `.html` file.
fn write_report(report: &bussola::quality::Report, out: Option<&Path>) -> Result<()> {
    let Some(path) = out else { return Ok(()) };
    let body = match path.extension().and_then(|e| e.to_str()) {
        Some("html" | "htm") => report.to_html(bussola::quality::Lang::default()),
        _ => serde_json::to_string_pretty(report)?,
    };
    std::fs::write(path, body).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote the quality report to {}", path.display());
    Ok(())
}

/// Splits `KEY=VALUE` options into a map, naming the option on error.
fn pairs(option: &str, list: &[String]) -> Result<std::collections::BTreeMap<String, String>> {
    list.iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => bail!("--{option} '{kv}': expected KEY=VALUE"),
        })
        .collect()
}

fn import(a: &ImportArgs) -> Result<()> {
    use bussola::ingest::{import::import_batch, Context, Locate};
    let catalog = open_catalog(&a.region, &a.data_dir)?;
    let today = bussola::quality::checks::today();
    let fields = pairs("field", &a.fields)?;
    let constants = pairs("constant", &a.constants)?;
    let mut batches = Vec::new();
    for file in &a.files {
        batches.push((read_source(&catalog, a, file, &fields, &constants)?, false));
    }
    if a.files.is_empty() {
        batches = manifest_batches(&a.region)?;
    }
    let mut outcomes = Vec::new();
    for (batch, demo) in batches {
        let region = catalog.region();
        let cx = Context {
            locate: region.gazetteer.as_ref().map(|g| g as &dyn Locate),
            postal: region
                .gazetteer
                .as_ref()
                .map(|g| g as &dyn bussola::quality::PostalLookup),
            today: Some(&today),
            stale_after_days: region.quality.stale_after_days,
            demo,
            ..Context::new(region, &batch.source)
        };
        let same = &bussola::quality::likely_same;
        let outcome = if a.dry_run {
            bussola::ingest::import::dry_run(&catalog, &batch, &cx, same)?
        } else {
            import_batch(&catalog, &batch, &cx, same)?
        };
        outcomes.push(outcome);
    }
    let reports: Vec<bussola::quality::Report> =
        outcomes.iter().map(|o| o.report(&today)).collect();
    let all = bussola::quality::Report::combine(reports.clone());
    print!("{}", all.to_text());
    for o in &outcomes {
        println!(
            "{} ({}): {} records, {} accepted ({} added, {} updated, {} unchanged, {} merged), {} rejected",
            o.file.display(),
            o.source,
            o.records,
            o.accepted,
            o.plan.added,
            o.plan.updated - o.plan.merged.len().min(o.plan.updated),
            o.plan.unchanged,
            o.plan.merged.len(),
            o.rejected
        );
    }
    let held: usize = outcomes.iter().map(|o| o.plan.held.len()).sum();
    if held > 0 {
        println!(
            "{held} imported values held for review: their providers confirmed them more recently (GET /api/changes)"
        );
    }
    if a.dry_run {
        println!("dry run: nothing was written");
    } else {
        for (o, r) in outcomes.iter().zip(&reports) {
            catalog.put_report(&o.source, &serde_json::to_string(r)?)?;
        }
    }
    write_report(&all, a.report.as_deref())
}

/// The service files of region manifests, read as records (with whether they are demo data).
fn manifest_batches(manifests: &[PathBuf]) -> Result<Vec<(bussola::ingest::Batch, bool)>> {
    let mut out = Vec::new();
    for path in manifests {
        let m = bussola::region::Manifest::load(path).with_context(|| {
            format!(
                "{}: name the files to import, or a region manifest (not a listing) to import its own service files again",
                path.display()
            )
        })?;
        for spec in &m.services {
            out.push((bussola::region::read_batch(spec, path)?, spec.demo));
        }
    }
    Ok(out)
}

/// Reads one file of the import as records.
fn read_source(
    catalog: &Catalog,
    a: &ImportArgs,
    file: &Path,
    fields: &std::collections::BTreeMap<String, String>,
    constants: &std::collections::BTreeMap<String, String>,
) -> Result<bussola::ingest::Batch> {
    match a.source.as_str() {
        "file" => {
            let label = a.label.clone().unwrap_or_else(|| {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "file".into())
            });
            let spec = bussola::region::manifest::ServiceFile {
                path: file.to_path_buf(),
                source: label,
                demo: false,
                crs: a.crs.clone(),
                fields: fields.clone(),
                constants: constants.clone(),
                filter: None,
            };
            Ok(bussola::region::read_batch(&spec, file)?)
        }
        kind => {
            let kind: bussola::ingest::SourceKind = kind.parse()?;
            let region = catalog.region();
            let mut batch = bussola::ingest::read_source(
                kind,
                file,
                &bussola::ingest::ReadOptions::for_region(region),
            )?;
            if let Some(label) = &a.label {
                batch.source.clone_from(label);
            }
            Ok(batch)
        }
    }
}

fn region_add(a: AddArgs) -> Result<()> {
    let out = a
        .out
        .unwrap_or_else(|| Path::new("geodata").join(&a.id).join("region.toml"));
    let opts = bussola::region::add::AddOptions {
        id: a.id,
        name: a.name,
        boundaries: a.boundaries,
        code_field: a.code_field,
        name_field: a.name_field,
        filters: a.filter,
        population: a.population,
        population_code_field: a.population_code_field,
        population_columns: a.population_column,
        services: a.services,
        attribution: a.attribution,
        out,
    };
    let added = bussola::region::add::add(&opts)?;
    for issue in added
        .loaded
        .issues
        .iter()
        .filter(|i| i.severity == bussola::region::Severity::Error)
    {
        println!("{issue}");
    }
    println!("{}", added.summary());
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
