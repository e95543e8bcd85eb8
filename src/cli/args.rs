//! The command line: what each command takes (clap).
use super::DEFAULT_REGION;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "bussola",
    version,
    about = "Bússola: a map of social care services"
)]
pub(crate) struct Cli {
    /// What to do; `serve` with its defaults when omitted.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// Options of `serve`.
#[derive(Parser)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) addr: SocketAddr,
    /// Region manifest to serve; repeat to serve several regions together (or give a manifest
    /// that lists regions).
    #[arg(long, default_value = DEFAULT_REGION)]
    pub(crate) region: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) db: DbArgs,
    /// Folder holding the page (`web/`) and the styles (`styles/`).
    #[arg(long, default_value = ".")]
    pub(crate) assets: PathBuf,
    /// Problem reports ("this record is wrong") one client may send in a minute.
    #[arg(long, default_value_t = 5)]
    pub(crate) feedback_per_minute: usize,
    /// Problem reports one client may send in a day.
    #[arg(long, default_value_t = 30)]
    pub(crate) feedback_per_day: usize,
    /// Megabytes of encoded tiles kept in memory; 0 turns the tile cache off (every tile is
    /// built on every request: for benchmarks).
    #[arg(long, default_value_t = bussola::tiles::cache::DEFAULT_BUDGET / (1024 * 1024))]
    pub(crate) tile_cache_mb: usize,
    /// A reverse proxy (address or network, e.g. `127.0.0.1` or `10.0.0.0/8`) whose
    /// `X-Forwarded-For`, `-Host` and `-Proto` are believed; repeat for several. Without it
    /// these headers are ignored.
    #[arg(long = "trusted-proxy", value_name = "ADDR[/PREFIX]")]
    pub(crate) trusted_proxy: Vec<bussola::api::origin::Net>,
    /// The address the public reaches the service at (`https://bussola.example.pt`): the base
    /// of login links in e-mails and of the tile URLs in styles, whatever a request says.
    #[arg(long, value_name = "URL", value_parser = public_url)]
    pub(crate) public_url: Option<String>,
    /// A PMTiles archive of vector tiles (Protomaps basemap or OpenMapTiles layers) to serve as
    /// the base map under the services, instead of the region manifest's `[basemap]`.
    #[arg(long, value_name = "FILE.pmtiles")]
    pub(crate) basemap: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
}

fn public_url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("'{s}' must start with https:// or http://"))?;
    if rest.is_empty() || rest.contains(['?', '#', ' ', '"']) {
        return Err(format!(
            "'{s}' must be a scheme and host, e.g. https://bussola.example.pt"
        ));
    }
    Ok(s.trim_end_matches('/').to_string())
}

/// Where login links are e-mailed; without a URL they are only logged (or printed).
#[derive(clap::Args)]
pub(crate) struct MailArgs {
    /// SMTP server for login links: smtp://[user:pass@]host[:port] (plain, port 25),
    /// smtp://...?tls=required (STARTTLS) or smtps://... (TLS).
    #[arg(long, env = "BUSSOLA_SMTP_URL", hide_env_values = true)]
    pub(crate) smtp_url: Option<String>,
    /// The sender of those e-mails.
    #[arg(
        long,
        env = "BUSSOLA_MAIL_FROM",
        default_value = "Bússola <noreply@localhost>"
    )]
    pub(crate) mail_from: String,
}

impl MailArgs {
    pub(crate) fn mailer(&self) -> Result<Arc<dyn bussola::mail::Mailer>> {
        bussola::mail::from_settings(self.smtp_url.as_deref(), &self.mail_from)
            .context("--smtp-url / --mail-from")
    }
}

/// Options of `import`.
#[derive(Parser)]
pub(crate) struct ImportArgs {
    /// The files to import; none: the region manifests' own service files again (after a new
    /// edition of them), with their mappings.
    pub(crate) files: Vec<PathBuf>,
    /// What the files are: `file` (any GeoJSON, FlatGeobuf, GeoPackage, Shapefile or CSV,
    /// mapped with --field), `carta-social`, `osm`, `hsds`, or `auto` (guessed from each file).
    #[arg(long, default_value = "file")]
    pub(crate) source: String,
    /// Source label kept as provenance (defaults to the --source, or the file name for `file`).
    #[arg(long)]
    pub(crate) label: Option<String>,
    /// Field mapping for `file`: OURS=THEIRS (e.g. name=nome); repeatable.
    #[arg(long = "field", value_name = "OURS=THEIRS")]
    pub(crate) fields: Vec<String>,
    /// A value for every record of a `file`: OURS=VALUE (e.g. type=CRECHE); repeatable.
    #[arg(long = "constant", value_name = "OURS=VALUE")]
    pub(crate) constants: Vec<String>,
    /// CRS of the files' coordinates, for every --source, overriding what they declare (e.g.
    /// EPSG:3763); one without a known definition refuses the import.
    #[arg(long)]
    pub(crate) crs: Option<String>,
    /// Region manifest; repeat for several regions served together (as for `serve`).
    #[arg(long, default_value = DEFAULT_REGION)]
    pub(crate) region: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) db: DbArgs,
    /// Also write the report to this file (`.json` or `.html`).
    #[arg(long)]
    pub(crate) report: Option<PathBuf>,
    /// Check and report, but write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        #[command(flatten)]
        db: DbArgs,
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
    /// Copy the region's database to a file while it is in use (SQLite's online backup; for
    /// PostgreSQL, pg_dump's custom format).
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
        /// Region manifest; repeat for several regions served together (as for `serve`).
        #[arg(long, default_value = DEFAULT_REGION)]
        region: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Replace the region's database with a backup (stop the server first; for PostgreSQL, one
    /// made by `bussola backup`, loaded by pg_restore and psql in one transaction).
    Restore {
        /// The backup file.
        from: PathBuf,
        /// Region manifest; repeat for several regions served together (as for `serve`).
        #[arg(long, default_value = DEFAULT_REGION)]
        region: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Indicators over time: `trends import FILE` stores published reference values (a CSV of
    /// date, area, indicator, value, source) to compare the recorded indicators with.
    #[command(subcommand)]
    Trends(TrendsCommand),
    /// Accounts: `user add` creates one and prints its single-use login link, `user link` prints
    /// a new link, `user revoke` ends every session and link of an account.
    #[command(subcommand)]
    User(UserCommand),
    /// Regenerate the test region's approximate boundaries and invented services from its
    /// municipalities table (a fully invented region the tests run on).
    Demo {
        /// The region folder holding municipalities.csv.
        #[arg(long, default_value = "tests/data/demo-alentejo-central")]
        dir: PathBuf,
    },
    /// Rebuild the shipped default region (the whole of Alentejo) from the open data in
    /// ../shared/geodata: official boundaries, Census 2021, OpenStreetMap creches and
    /// demonstration services for the responses with no open data.
    BuildDefault {
        /// The shared open data folder (holding alentejo/ and geonames_pt_cities1000.geojson).
        #[arg(long, default_value = "../shared/geodata")]
        shared: PathBuf,
        /// The folder to write (one sub-folder per NUTS III sub-region).
        #[arg(long, default_value = "geodata/alentejo")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum TrendsCommand {
    /// Store the reference values of a CSV file (columns date, area, indicator, value,
    /// source), all or none; a value already stored for the same date, area, indicator and
    /// source is replaced.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Region manifest; repeat for several regions served together (as for `serve`).
        #[arg(long, default_value = DEFAULT_REGION)]
        region: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Create an account and print its login link (valid 7 days, single use).
    Add {
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// `admin`, `moderator`, `provider` or `trainer`.
        #[arg(long)]
        role: String,
        /// For a provider: the provider id (`provider.id` of its services) it may edit; for a
        /// trainer: the id of its training entity (its offers' organiser).
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
pub(crate) struct UserDb {
    /// Region manifest; repeat for several regions served together (as for `serve`).
    #[arg(long, default_value = DEFAULT_REGION)]
    pub(crate) region: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) db: DbArgs,
    /// Host (and port) of the login link, as users reach the service.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) host: String,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
}

#[derive(Subcommand)]
pub(crate) enum RegionCommand {
    /// Write a region's manifest from a boundary file, a population table and service files,
    /// then load it and print a summary.
    Add(AddArgs),
}

/// Options of `region add` (see `bussola::region::add`).
#[derive(Parser)]
pub(crate) struct AddArgs {
    /// Stable id (names the folder and the database file).
    #[arg(long)]
    pub(crate) id: String,
    /// Display name.
    #[arg(long)]
    pub(crate) name: String,
    /// Municipality boundaries: GeoJSON, FlatGeobuf or GeoPackage.
    #[arg(long)]
    pub(crate) boundaries: PathBuf,
    /// Boundary field with the municipality code [default: dico].
    #[arg(long)]
    pub(crate) code_field: Option<String>,
    /// Boundary field with the municipality name [default: concelho].
    #[arg(long)]
    pub(crate) name_field: Option<String>,
    /// Keep only the boundaries whose FIELD is VALUE (repeat for more values of one field).
    #[arg(long, value_name = "FIELD=VALUE", value_parser = bussola::region::add::parse_pair)]
    pub(crate) filter: Vec<(String, String)>,
    /// Population table (CSV, one row per municipality).
    #[arg(long, value_name = "CSV")]
    pub(crate) population: Option<PathBuf>,
    /// Population column with the municipality code [default: the boundaries' code field].
    #[arg(long)]
    pub(crate) population_code_field: Option<String>,
    /// A band's column: total, age_0_14, age_15_24, age_25_64, age_65_plus, age_0_2 or births.
    #[arg(long, value_name = "BAND=COLUMN", value_parser = bussola::region::add::parse_pair)]
    pub(crate) population_column: Vec<(String, String)>,
    /// A services file (GeoJSON, FlatGeobuf, GeoPackage, CSV), or a TOML file whose
    /// `[[services]]` entries (e.g. another manifest's) give the field mapping; repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) services: Vec<PathBuf>,
    /// Attribution of a source, shown on the map; repeatable.
    #[arg(long)]
    pub(crate) attribution: Vec<String>,
    /// Where to write the manifest [default: geodata/<id>/region.toml].
    #[arg(long, value_name = "MANIFEST")]
    pub(crate) out: Option<PathBuf>,
}

/// Parses `KEY=VALUE` for `--set`.
pub(crate) fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got '{s}'")),
    }
}

/// Where the database is: the embedded file in `--data-dir`, or `--database`.
#[derive(clap::Args, Clone)]
pub(crate) struct DbArgs {
    /// Folder of the embedded database, `<region id>.sqlite` (created on first start).
    #[arg(long, default_value = "data")]
    pub(crate) data_dir: PathBuf,
    /// The database instead of the file in --data-dir: an SQLite file path (or sqlite:PATH), or
    /// a PostgreSQL database with PostGIS, postgres://USER:PASSWORD@HOST:PORT/DB (also
    /// postgresql://; see docs/operations/postgres.md). Passwords are never shown.
    #[arg(long, env = "BUSSOLA_DATABASE", hide_env_values = true)]
    pub(crate) database: Option<String>,
}

impl DbArgs {
    /// The database of a region (by its id): --database, else the file in --data-dir.
    pub(crate) fn database(&self, region_id: &str) -> bussola::Result<bussola::store::Database> {
        use bussola::store::Database;
        match &self.database {
            Some(spec) => Ok(Database::parse(spec)?),
            None => Ok(Database::default_in(&self.data_dir, region_id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn the_tile_cache_budget_is_in_megabytes_and_zero_turns_it_off() {
        let default = ServeArgs::parse_from(["serve"]);
        assert_eq!(
            default.tile_cache_mb * 1024 * 1024,
            bussola::tiles::cache::DEFAULT_BUDGET
        );
        let off = ServeArgs::parse_from(["serve", "--tile-cache-mb", "0"]);
        assert_eq!(off.tile_cache_mb, 0);
    }
}
