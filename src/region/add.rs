//! `bussola region add`: a new region's manifest from a boundary file, a population table and
//! service files, written as TOML with paths relative to the manifest's own folder.
//!
//! A `--filter FIELD=VALUE` keeps part of a wider boundary file (e.g. one NUTS3 of Alentejo's
//! 58 municipalities); the population rows and the services (through the field they take the
//! municipality code from) then follow the kept municipalities. Writing the manifest and loading it
//! back is [`crate::load::add()`], above ingest, since loading checks the services.
use super::manifest::{
    Boundaries, Filter, Manifest, PopulationFile, ServiceFile, SurfaceSpec, Targets,
};
use super::read::{read_any, text, CsvPoints};
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// The population bands `--population-column BAND=COLUMN` accepts.
pub const BANDS: [&str; 8] = [
    "total",
    "age_0_14",
    "age_15_24",
    "age_25_64",
    "age_65_plus",
    "age_0_2",
    "births",
    "live_births",
];

/// What `region add` is told.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// Stable id of the region.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Boundary file (GeoJSON, FlatGeobuf or GeoPackage).
    pub boundaries: PathBuf,
    /// Field with the municipality code (default `dico`).
    pub code_field: Option<String>,
    /// Field with the municipality name (default `concelho`).
    pub name_field: Option<String>,
    /// `(field, value)` pairs: keep the features whose field is one of the values.
    pub filters: Vec<(String, String)>,
    /// Population table (CSV).
    pub population: Option<PathBuf>,
    /// Population column with the municipality code (the boundaries' code field by default).
    pub population_code_field: Option<String>,
    /// `(band, column)` pairs, band one of [`BANDS`].
    pub population_columns: Vec<(String, String)>,
    /// Service files: data files, or TOML files with `[[services]]` entries (a manifest's).
    pub services: Vec<PathBuf>,
    /// Attribution of the sources.
    pub attribution: Vec<String>,
    /// Where to write the manifest.
    pub out: PathBuf,
}

/// Splits `KEY=VALUE` (for the command line's repeated flags).
pub fn parse_pair(s: &str) -> std::result::Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.is_empty() => {
            Ok((k.trim().to_string(), v.to_string()))
        }
        _ => Err(format!("expected KEY=VALUE, got '{s}'")),
    }
}

/// The manifest text, with a header saying how it was made.
pub fn to_toml(m: &Manifest) -> Result<String> {
    let body = toml::to_string(m)
        .map_err(|e| Error::data(&m.id, None, None, format!("cannot write TOML: {e}")))?;
    Ok(format!(
        "# Bússola region manifest, written by `bussola region add`; paths are relative to this\n\
         # file. See geodata/README.md for every key.\n{body}"
    ))
}

/// The manifest `region add` writes for these options, its paths relative to `opts.out`.
pub fn manifest(opts: &AddOptions) -> Result<Manifest> {
    let base = absolute(opts.out.parent().unwrap_or(Path::new(".")))?;
    let rel = |p: &Path| -> Result<PathBuf> { Ok(relative(&base, &absolute(p)?)) };
    let code = opts.code_field.clone().unwrap_or_else(|| "dico".into());
    let filter = boundary_filter(&opts.filters)?;
    // Read the boundaries once: the kept codes steer the services, and a `nuts3` field is kept.
    let raw = read_any(&opts.boundaries, &CsvPoints::default())?;
    let kept: Vec<_> = raw
        .features
        .iter()
        .filter(|f| super::keep(&filter, f))
        .collect();
    if kept.is_empty() {
        return Err(Error::data(
            &opts.boundaries,
            None,
            filter.as_ref().map(|f| f.field.as_str()),
            "no feature passes the filter",
        ));
    }
    let codes: BTreeSet<String> = kept.iter().filter_map(|f| text(&f.props, &code)).collect();
    if codes.is_empty() {
        return Err(Error::data(
            &opts.boundaries,
            None,
            Some(&code),
            "no feature has this code field (see --code-field)",
        ));
    }
    let nuts3 = kept
        .iter()
        .any(|f| f.props.contains_key("nuts3"))
        .then(|| "nuts3".to_string());
    let boundaries = Boundaries {
        path: rel(&opts.boundaries)?,
        code: code.clone(),
        name: opts.name_field.clone().unwrap_or_else(|| "concelho".into()),
        nuts3,
        filter: filter.clone(),
        crs: None,
        approximate: false,
    };
    let population = population(opts, &code, &rel)?;
    let mut services = Vec::new();
    for path in &opts.services {
        for mut s in service_files(path)? {
            // Records of municipalities the filter left out are not this region's: skip them.
            if filter.is_some() && s.filter.is_none() {
                if let Some(field) = s.fields.get("municipality") {
                    s.filter = Some(Filter {
                        field: field.clone(),
                        values: codes.iter().cloned().collect(),
                    });
                }
            }
            s.path = rel(&s.path)?;
            services.push(s);
        }
    }
    Ok(Manifest {
        id: opts.id.clone(),
        name: opts.name.clone(),
        attribution: opts.attribution.clone(),
        taxonomy: None,
        survey: None,
        boundaries,
        population,
        services,
        coverage: Targets::default(),
        surface: SurfaceSpec::default(),
        gazetteer: None,
        quality: Default::default(),
        editing: Default::default(),
        links: Default::default(),
        basemap: None,
        context: Default::default(),
    })
}

/// One field, any number of values: `--filter nuts3="Baixo Alentejo" --filter nuts3=...`.
fn boundary_filter(pairs: &[(String, String)]) -> Result<Option<Filter>> {
    let Some((field, _)) = pairs.first() else {
        return Ok(None);
    };
    if let Some((other, _)) = pairs.iter().find(|(f, _)| f != field) {
        return Err(Error::param(
            "filter",
            format!("one field only: got '{field}' and '{other}'"),
        ));
    }
    Ok(Some(Filter {
        field: field.clone(),
        values: pairs.iter().map(|(_, v)| v.clone()).collect(),
    }))
}

fn population(
    opts: &AddOptions,
    code: &str,
    rel: &dyn Fn(&Path) -> Result<PathBuf>,
) -> Result<PopulationFile> {
    let path = opts.population.as_ref().ok_or_else(|| {
        Error::param(
            "population",
            "a region needs a population table: --population CSV with --population-column total=COLUMN",
        )
    })?;
    let mut p = PopulationFile {
        path: rel(path)?,
        code: opts
            .population_code_field
            .clone()
            .unwrap_or_else(|| code.to_string()),
        total: String::new(),
        age_0_14: None,
        age_15_24: None,
        age_25_64: None,
        age_65_plus: None,
        age_0_2: None,
        live_births: None,
        seat: None,
        filter: None,
    };
    for (band, column) in &opts.population_columns {
        let c = Some(column.clone());
        match band.as_str() {
            "total" => p.total = column.clone(),
            "age_0_14" => p.age_0_14 = c,
            "age_15_24" => p.age_15_24 = c,
            "age_25_64" => p.age_25_64 = c,
            "age_65_plus" => p.age_65_plus = c,
            "age_0_2" => p.age_0_2 = c,
            "births" | "live_births" => p.live_births = c,
            other => {
                return Err(Error::param(
                    "population-column",
                    format!("unknown band '{other}'; one of {}", BANDS.join(", ")),
                ))
            }
        }
    }
    if p.total.is_empty() {
        return Err(Error::param(
            "population-column",
            "the total is required: --population-column total=COLUMN",
        ));
    }
    // Name the missing columns now rather than as one error per row.
    let file = super::read::read_csv(path, &CsvPoints::default())?;
    if let Some(first) = file.features.first() {
        for col in std::iter::once(&p.code).chain(opts.population_columns.iter().map(|(_, c)| c)) {
            if !first.props.contains_key(col) {
                return Err(Error::data(path, None, Some(col), "no such column"));
            }
        }
    }
    Ok(p)
}

/// The services of one `--services` argument, their paths absolute.
fn service_files(path: &Path) -> Result<Vec<ServiceFile>> {
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !is_toml {
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![ServiceFile {
            path: path.to_path_buf(),
            source,
            demo: false,
            crs: None,
            fields: Default::default(),
            constants: Default::default(),
            filter: None,
        }]);
    }
    /// A manifest or a services-only file: only its `[[services]]` matter here.
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        services: Vec<ServiceFile>,
    }
    let text = crate::error::read_text(path)?;
    let only: Only =
        toml::from_str(&text).map_err(|e| Error::data(path, None, None, e.message()))?;
    if only.services.is_empty() {
        return Err(Error::data(
            path,
            None,
            Some("services"),
            "no [[services]] entries",
        ));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    Ok(only
        .services
        .into_iter()
        .map(|mut s| {
            s.path = dir.join(&s.path);
            s
        })
        .collect())
}

/// An absolute, normalised path (the file need not exist).
fn absolute(p: &Path) -> Result<PathBuf> {
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    let abs = std::path::absolute(p).map_err(|source| Error::Io {
        path: p.to_path_buf(),
        source,
    })?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `to` relative to the folder `base` (both absolute); `to` itself when they share no folder.
pub fn relative(base: &Path, to: &Path) -> PathBuf {
    let (b, t): (Vec<_>, Vec<_>) = (base.components().collect(), to.components().collect());
    if b.first() != t.first() {
        return to.to_path_buf();
    }
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    // Sharing only the root, a relative path would climb to `/` and back: say it plainly.
    if !b[..common]
        .iter()
        .any(|c| matches!(c, Component::Normal(_)))
    {
        return to.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
#[path = "add_tests.rs"]
mod tests;
