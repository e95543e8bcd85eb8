//! The Table Schemas of the data package (<https://specs.frictionlessdata.io/table-schema/>):
//! every field of every resource with its type, constraints and description, and the keys. The
//! services' and municipalities' fields follow the CSV export's columns
//! ([`crate::export::csv_tables`]): a column without a description here is an error, so a column
//! added to the export has to be described. The data dictionary (`/data/dictionary`) is written
//! from these schemas.
use crate::export::ColumnKind;
use crate::{Error, Result};
use serde_json::{json, Map, Value};

/// One field: name, Table Schema type, description, and optional constraints and format.
pub struct FieldDef {
    /// The column's name.
    pub name: String,
    /// `string`, `integer`, `number`, `boolean`, `date`, `datetime`.
    pub kind: &'static str,
    /// What it holds.
    pub description: String,
    /// Table Schema constraints (`required`, `enum`, `minimum`, …).
    pub constraints: Option<Value>,
}

impl FieldDef {
    fn new(name: &str, kind: &'static str, description: &str) -> Self {
        FieldDef {
            name: name.to_string(),
            kind,
            description: description.to_string(),
            constraints: None,
        }
    }

    fn with(mut self, constraints: Value) -> Self {
        self.constraints = Some(constraints);
        self
    }

    /// As a Table Schema field.
    pub fn to_json(&self) -> Value {
        let mut f = Map::new();
        f.insert("name".into(), json!(self.name));
        f.insert("type".into(), json!(self.kind));
        f.insert("description".into(), json!(self.description));
        if let Some(c) = &self.constraints {
            f.insert("constraints".into(), c.clone());
        }
        Value::Object(f)
    }
}

/// A Table Schema: fields, primary key and foreign keys (`(fields, resource, its fields)`; an
/// empty resource is the table itself).
pub fn table_schema(
    fields: &[FieldDef],
    primary: &[&str],
    foreign: &[(&[&str], &str, &[&str])],
) -> Value {
    let key = |k: &[&str]| {
        if k.len() == 1 {
            json!(k[0])
        } else {
            json!(k)
        }
    };
    let mut s = Map::new();
    s.insert(
        "fields".into(),
        Value::Array(fields.iter().map(FieldDef::to_json).collect()),
    );
    s.insert("missingValues".into(), json!([""]));
    if !primary.is_empty() {
        s.insert("primaryKey".into(), key(primary));
    }
    if !foreign.is_empty() {
        let fks: Vec<Value> = foreign
            .iter()
            .map(|(fields, resource, theirs)| {
                json!({"fields": key(fields), "reference": {"resource": resource, "fields": key(theirs)}})
            })
            .collect();
        s.insert("foreignKeys".into(), Value::Array(fks));
    }
    Value::Object(s)
}

fn kind_of(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Text => "string",
        ColumnKind::Integer => "integer",
        ColumnKind::Real => "number",
    }
}

fn non_negative() -> Value {
    json!({"minimum": 0})
}

/// The services' fields, from the export's columns; `responses` are the taxonomy's codes.
pub fn services(columns: &[(String, ColumnKind)], responses: &[String]) -> Result<Vec<FieldDef>> {
    columns
        .iter()
        .map(|(name, kind)| {
            let d = |text: &str| FieldDef::new(name, kind_of(*kind), text);
            Ok(match name.as_str() {
                "id" => d("The service's stable id in Bússola.").with(json!({"required": true, "unique": true})),
                "name" => d("The service's name.").with(json!({"required": true})),
                "type" => d("Its response type: a code of Carta Social's classification (see /api/taxonomy).")
                    .with(json!({"required": true, "enum": responses})),
                "type_name" => d("The response type's name in Portuguese."),
                "group" => d("The target group of the response type (elderly, children, disability, family, health)."),
                "provider_id" => d("The id of the organisation running it."),
                "provider" => d("The organisation running it."),
                "provider_nature" => d("The organisation's legal nature (e.g. ipss, public, private, misericordia)."),
                "capacity" => d("Places (capacity), when known.").with(non_negative()),
                "users" => d("People using it, when known.").with(non_negative()),
                "vacancies" => d("Vacancies declared, when known.").with(non_negative()),
                "opening_hours" => d("Opening hours as published."),
                "phone" => d("Phone number."),
                "email" => d("E-mail address."),
                "website" => d("Website."),
                "address" => d("Street address."),
                "postal_code" => d("Postal code (NNNN-NNN)."),
                "locality" => d("Locality."),
                "municipality" => d("The municipality's code (DICO, as in CAOP); see the municipalities resource.")
                    .with(json!({"required": true})),
                "municipality_name" => d("The municipality's name."),
                "lon" => d("Longitude, WGS84 degrees.").with(json!({"required": true, "minimum": -180, "maximum": 180})),
                "lat" => d("Latitude, WGS84 degrees.").with(json!({"required": true, "minimum": -90, "maximum": 90})),
                "precision" => d("How precise the position is: building, address, postal_code, locality, parish, municipality or unknown.")
                    .with(json!({"enum": ["building", "address", "postal_code", "locality", "parish", "municipality", "unknown"]})),
                "source" => d("Where the record comes from (a file's label; see the resource's sources)."),
                "updated" => FieldDef::new(name, "date", "When the source last updated the record."),
                "demo" => FieldDef::new(name, "boolean", "true: invented demonstration data, not a real service (Bússola's demo generator, for the responses with no open data).")
                    .with(json!({"required": true})),
                other => return Err(undescribed("services", other)),
            })
        })
        .collect()
}

fn undescribed(resource: &str, column: &str) -> Error {
    Error::Internal(format!(
        "data package: the {resource} column '{column}' has no description in src/datapackage/schema.rs"
    ))
}

/// The municipalities' fields, from the export's columns (an indicator's columns are
/// `<indicator>_population|capacity|rate|basis|gap_class`).
pub fn municipalities(columns: &[(String, ColumnKind)]) -> Result<Vec<FieldDef>> {
    columns
        .iter()
        .map(|(name, kind)| {
            let d = |text: &str| FieldDef::new(name, kind_of(*kind), text);
            let people = |band: &str| d(&format!("Residents aged {band} (INE, Census 2021).")).with(non_negative());
            Ok(match name.as_str() {
                "code" => d("The municipality's code (DICO, as in CAOP).").with(json!({"required": true, "unique": true})),
                "name" => d("The municipality's name.").with(json!({"required": true})),
                "nuts3" => d("Its NUTS III sub-region."),
                "approximate_boundary" => FieldDef::new(name, "boolean", "true: the boundary is approximate (not an official one)."),
                "population" => d("Residents (INE, Census 2021).").with(non_negative()),
                "age_0_14" => people("0 to 14"),
                "age_15_24" => people("15 to 24"),
                "age_25_64" => people("25 to 64"),
                "age_65_plus" => people("65 or more"),
                "live_births" => d("Live births in a year (INE), the early-childhood rate's population when ages 0–2 are not published.").with(non_negative()),
                other => {
                    let (indicator, measure) = other
                        .rsplit_once("_gap_class")
                        .map(|(i, _)| (i, "gap_class"))
                        .or_else(|| {
                            ["population", "capacity", "rate", "basis"]
                                .iter()
                                .find_map(|m| other.strip_suffix(&format!("_{m}")).map(|i| (i, *m)))
                        })
                        .ok_or_else(|| undescribed("municipalities", other))?;
                    let who = match indicator {
                        "elderly" => "older people (65 or more)",
                        "early_childhood" => "early childhood (0–2)",
                        _ => return Err(undescribed("municipalities", other)),
                    };
                    match measure {
                        "population" => d(&format!("The target population of the coverage rate for {who}.")).with(non_negative()),
                        "capacity" => d(&format!("The places counted by the coverage rate for {who}.")).with(non_negative()),
                        "rate" => d(&format!("Carta Social's coverage rate for {who}: places per 100 people of the target population (empty without a population figure).")).with(non_negative()),
                        "basis" => d("Which population the rate divides by: age_65_plus, age_0_2, live_births_x3 or missing.")
                            .with(json!({"enum": ["age_65_plus", "age_0_2", "live_births_x3", "missing"]})),
                        _ => d("Where the municipality stands: no_data, no_places, below_regional (below the region's rate), below_target, meets_target.")
                            .with(json!({"enum": ["no_data", "no_places", "below_regional", "below_target", "meets_target"]})),
                    }
                }
            })
        })
        .collect()
}

/// The areas indicators are kept for.
pub fn areas() -> Vec<FieldDef> {
    vec![
        FieldDef::new("id", "string", "A municipality's code, a sub-region's id or the region's id (the ids of /api/coverage and /api/trends).")
            .with(json!({"required": true, "unique": true})),
        FieldDef::new("kind", "string", "municipality, sub_region, region, or former (an area of stored values no longer served).")
            .with(json!({"required": true, "enum": ["municipality", "sub_region", "region", "former"]})),
        FieldDef::new("name", "string", "Its name.").with(json!({"required": true})),
        FieldDef::new("within", "string", "The area it is part of (a municipality: its sub-region, or the region when served alone; a sub-region: the region; empty for the region)."),
    ]
}

/// The indicators' vocabulary.
pub fn indicators() -> Vec<FieldDef> {
    vec![
        FieldDef::new(
            "name",
            "string",
            "The indicator's name, as /api/trends takes it.",
        )
        .with(json!({"required": true, "unique": true})),
        FieldDef::new("title", "string", "What it measures, in a few words.")
            .with(json!({"required": true})),
        FieldDef::new("unit", "string", "Its unit.").with(json!({"required": true})),
        FieldDef::new("description", "string", "How it is computed."),
    ]
}

/// The indicator values kept over time.
pub fn trends() -> Vec<FieldDef> {
    vec![
        FieldDef::new("area", "string", "The area (see areas).").with(json!({"required": true})),
        FieldDef::new("indicator", "string", "The indicator (see indicators).").with(json!({"required": true})),
        FieldDef::new("bucket", "string", "What makes the value one of a kind: dYYYY-MM-DD (the day's value) or vN (after the write that made data version N). Each (area, indicator, bucket) is stored once.")
            .with(json!({"required": true, "pattern": "^(d\\d{4}-\\d{2}-\\d{2}|v\\d+)$"})),
        FieldDef::new("at", "datetime", "When the value held (UTC).").with(json!({"required": true})),
        FieldDef::new("value", "number", "The value (empty: none, e.g. no population figure, no service anywhere)."),
        FieldDef::new("reconstructed", "boolean", "true: rebuilt afterwards from the change history, not recorded at the time.").with(json!({"required": true})),
        FieldDef::new("source", "string", "daily (the day's value), change (after writes) or backfill (rebuilt).")
            .with(json!({"required": true, "enum": ["daily", "change", "backfill"]})),
    ]
}

/// Published reference values.
pub fn references() -> Vec<FieldDef> {
    vec![
        FieldDef::new(
            "date",
            "date",
            "The day the value refers to (a year's figure: its last day).",
        )
        .with(json!({"required": true})),
        FieldDef::new("area", "string", "The area (see areas).").with(json!({"required": true})),
        FieldDef::new("indicator", "string", "The indicator (see indicators).")
            .with(json!({"required": true})),
        FieldDef::new("value", "number", "The published value.").with(json!({"required": true})),
        FieldDef::new(
            "source",
            "string",
            "Who published it (e.g. Carta Social 2023).",
        )
        .with(json!({"required": true})),
    ]
}
