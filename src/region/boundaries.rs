//! Municipality boundaries: read, filtered, reprojected and checked.
use super::read::{read_with_crs, text, CsvPoints, RawFeature};
use super::{manifest, Issue, Issues, Manifest, Severity};
use crate::model::{Municipality, Population};
use crate::reproject::{reproject_geometry, transformer, Crs};
use crate::Result;
use geo_types::{Geometry, MultiPolygon};
use std::collections::HashSet;

pub(crate) fn keep(filter: &Option<manifest::Filter>, f: &RawFeature) -> bool {
    filter
        .as_ref()
        .is_none_or(|flt| text(&f.props, &flt.field).is_some_and(|v| flt.values.contains(&v)))
}

/// Other names of the municipality code field in CAOP editions and other sources.
const CODE_FIELDS: &[&str] = &[
    "dico",
    "dtmn",
    "di_co",
    "cod_concelho",
    "codigo_concelho",
    "cod_mun",
];
/// Other names of the municipality name field.
const NAME_FIELDS: &[&str] = &[
    "concelho",
    "municipio",
    "município",
    "nome_concelho",
    "nome",
    "name",
];

/// The field to read: the configured one when the file has it, or the user changed it;
/// otherwise the file's field matching the default or one of its other names (any case),
/// with a warning saying which was used.
fn field_in(
    first: Option<&serde_json::Map<String, serde_json::Value>>,
    configured: &str,
    default: &str,
    others: &[&str],
    log: &mut Issues<'_>,
) -> String {
    let Some(props) = first else {
        return configured.to_string();
    };
    if props.contains_key(configured) || configured != default {
        return configured.to_string();
    }
    let found = others.iter().find_map(|o| {
        props
            .keys()
            .find(|k| crate::text::fold(k) == crate::text::fold(o))
    });
    match found {
        Some(k) => {
            log.list.push(Issue {
                severity: Severity::Warning,
                file: log.file.to_path_buf(),
                place: None,
                field: Some(k.clone()),
                message: format!("no field '{configured}'; reading '{k}' instead (set it in the manifest to choose)"),
            });
            k.clone()
        }
        None => configured.to_string(),
    }
}

pub(super) fn load_boundaries(m: &Manifest, issues: &mut Vec<Issue>) -> Result<Vec<Municipality>> {
    let b = &m.boundaries;
    let crs = b.crs.as_deref().map(Crs::parse).transpose()?;
    let file = read_with_crs(&b.path, &CsvPoints::default(), crs)?;
    let crs = file.crs;
    let t = transformer(crs)?;
    let mut out: Vec<Municipality> = Vec::new();
    let mut seen = HashSet::new();
    let mut log = Issues {
        file: &b.path,
        list: issues,
    };
    // Editions and sources name the fields differently (dico, DICO, dtmn; concelho, Concelho,
    // municipio): a field left at its default is looked for under those names too.
    let first = file.features.first().map(|f| &f.props);
    let code_field = field_in(first, &b.code, "dico", CODE_FIELDS, &mut log);
    let name_field = field_in(first, &b.name, "concelho", NAME_FIELDS, &mut log);
    for f in file.features.iter().filter(|f| keep(&b.filter, f)) {
        let Some(code) = text(&f.props, &code_field) else {
            log.push(
                Severity::Error,
                &f.place,
                Some(&code_field),
                "no municipality code",
            );
            continue;
        };
        if !seen.insert(code.clone()) {
            log.push(
                Severity::Error,
                &f.place,
                Some(&code_field),
                format!("duplicate code {code}"),
            );
            continue;
        }
        let mut geometry = match f.geometry.clone() {
            Some(Geometry::Polygon(p)) => MultiPolygon(vec![p]),
            Some(Geometry::MultiPolygon(mp)) => mp,
            _ => {
                log.push(
                    Severity::Error,
                    &f.place,
                    Some("geometry"),
                    "not a Polygon or MultiPolygon",
                );
                continue;
            }
        };
        let mut g = Geometry::MultiPolygon(geometry);
        reproject_geometry(&mut g, t.as_ref())?;
        geometry = match g {
            Geometry::MultiPolygon(mp) => mp,
            _ => continue,
        };
        let approximate = b.approximate
            || f.props
                .get("approximate")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
        out.push(Municipality {
            name: text(&f.props, &name_field).unwrap_or_else(|| code.clone()),
            nuts3: b.nuts3.as_ref().and_then(|k| text(&f.props, k)),
            code,
            seat: None,
            geometry,
            approximate,
            population: Population::default(),
            region: m.id.clone(),
        });
    }
    if out.is_empty() {
        // Say which fields there are: a wrong `code` is the usual cause.
        let fields = file
            .features
            .first()
            .map(|f| f.props.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        return Err(crate::Error::data(
            &b.path,
            None,
            Some(&b.code),
            format!(
                "no municipality boundaries (check the filter, and `code`: the fields are {fields})"
            ),
        ));
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}
