//! Data in and out: `check`, `import`, `export`, `region add`, `demo`.
use super::args::{AddArgs, ImportArgs};
use super::open_catalog;
use anyhow::{bail, Context, Result};
use bussola::catalog::Catalog;
use bussola::files::read::{with_crs_hint, CrsSetting};
use bussola::region::Region;
use std::path::{Path, PathBuf};

pub(super) fn export(
    manifest: &[PathBuf],
    db: &super::args::DbArgs,
    layer: &str,
    format: &str,
    out: Option<&Path>,
) -> Result<()> {
    let catalog = open_catalog(manifest, db)?;
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

pub(super) fn check(
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
            let opts = bussola::load::LoadOptions {
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

pub(super) fn import(a: &ImportArgs) -> Result<()> {
    use bussola::ingest::{import::check, Context, Locate};
    let catalog = open_catalog(&a.region, &a.db)?;
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
    // Every file is checked before anything is written: one refused file stops the import.
    let region = catalog.region();
    // Each file's records are dropped once checked: only what passed is kept.
    let checked: Vec<_> = batches
        .into_iter()
        .map(|(batch, demo)| {
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
            check(&batch, &cx)
        })
        .collect();
    let refused: Vec<String> = checked
        .iter()
        .filter_map(|c| Some(format!("{}: {}", c.file.display(), c.refusal.as_ref()?)))
        .collect();
    let accepted: usize = checked.iter().map(|c| c.services.len()).sum();
    // Nothing is written when a file is refused, or when there is nothing to write.
    let write = !a.dry_run && refused.is_empty() && accepted > 0;
    let same = &bussola::quality::likely_same;
    let mut outcomes = Vec::new();
    for c in checked {
        outcomes.push(if write {
            c.import(&catalog, same)?
        } else {
            c.dry_run(&catalog, same)?
        });
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
    if held > 0 && write {
        println!(
            "{held} imported values held for review: their providers confirmed them more recently (GET /api/changes)"
        );
    }
    write_report(&all, a.report.as_deref())?;
    if !refused.is_empty() {
        bail!(
            "nothing was written: {} refused whole\n{}",
            if refused.len() == 1 {
                "a file was"
            } else {
                "files were"
            },
            refused.join("\n")
        );
    }
    if accepted == 0 {
        bail!("nothing was written: no record was accepted");
    }
    if a.dry_run {
        println!("dry run: nothing was written");
    } else {
        // What `/quality` shows names no path of this machine's.
        let public = super::manifest_dirs(&a.region);
        for (o, r) in outcomes.iter().zip(reports) {
            catalog.put_report(&o.source, &r.with_public_paths(&public))?;
        }
    }
    Ok(())
}

/// The service files of region manifests, read as records (with whether they are demo data).
fn manifest_batches(manifests: &[PathBuf]) -> Result<Vec<(bussola::ingest::Batch, bool)>> {
    let mut out = Vec::new();
    // A listing (the shipped default) stands for its regions: each one's files are read again.
    for path in &bussola::region::merge::region_manifests(manifests)? {
        let m = bussola::region::Manifest::load(path).with_context(|| {
            format!(
                "{}: name the files to import, or a region manifest to import its own service files again",
                path.display()
            )
        })?;
        for spec in &m.services {
            let batch = bussola::load::read_batch(spec, path)
                .map_err(|e| with_crs_hint(e, CrsSetting::Manifest))?;
            out.push((batch, spec.demo));
        }
    }
    Ok(out)
}

/// Reads one file of the import as records; an error asking for the file's CRS names `--crs`.
fn read_source(
    catalog: &Catalog,
    a: &ImportArgs,
    file: &Path,
    fields: &std::collections::BTreeMap<String, String>,
    constants: &std::collections::BTreeMap<String, String>,
) -> Result<bussola::ingest::Batch> {
    let hint = |e| with_crs_hint(e, CrsSetting::ImportOption);
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
            Ok(bussola::load::read_batch(&spec, file).map_err(hint)?)
        }
        kind => {
            let kind: bussola::ingest::SourceKind = kind.parse()?;
            let region = catalog.region();
            let crs = a
                .crs
                .as_deref()
                .map(bussola::reproject::Crs::parse)
                .transpose()
                .with_context(|| format!("--crs {}", a.crs.as_deref().unwrap_or_default()))?;
            let options = bussola::ingest::ReadOptions {
                crs,
                ..bussola::ingest::ReadOptions::for_region(region)
            };
            let mut batch = bussola::ingest::read_source(kind, file, &options).map_err(hint)?;
            if let Some(label) = &a.label {
                batch.source.clone_from(label);
            }
            Ok(batch)
        }
    }
}

pub(super) fn region_add(a: AddArgs) -> Result<()> {
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
    let added = bussola::load::add(&opts)?;
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

pub(super) fn demo(dir: &Path) -> Result<()> {
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

/// `bussola build-default`: the shipped default region from the shared open data.
pub(super) fn build_default(shared: &Path, out: &Path) -> Result<()> {
    let taxonomy = bussola::taxonomy::Taxonomy::default_taxonomy()?;
    let s = bussola::shipped::build(shared, out, &taxonomy)
        .with_context(|| format!("building the default region from {}", shared.display()))?;
    println!(
        "wrote {} files: {} sub-regions ({}), {} municipalities, {} OpenStreetMap services, {} demonstration services, {} towns and villages",
        s.files.len(),
        s.regions.len(),
        s.regions.join(", "),
        s.municipalities,
        s.osm_services,
        s.demo_services,
        s.places
    );
    Ok(())
}
