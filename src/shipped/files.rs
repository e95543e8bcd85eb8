//! The text of each file of the default region (one feature or row per line, diff-friendly).
use super::seats::round5;
use super::Municipality;
use crate::demo::to_feature_collection;
use crate::region::read::{text, RawFeature};
use crate::{Error, Result};
use geo_types::{Geometry, LineString, MultiPolygon, Polygon};
use serde_json::{json, Map, Value};

/// The boundary with every coordinate rounded to 1e-5° and repeated points dropped.
pub fn rounded(area: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let ring = |l: &LineString<f64>| {
        let mut pts: Vec<(f64, f64)> = l.points().map(|p| (round5(p.x()), round5(p.y()))).collect();
        pts.dedup();
        LineString::from(pts)
    };
    MultiPolygon(
        area.iter()
            .map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect()))
            .collect(),
    )
}

fn coords(p: &Polygon<f64>) -> Value {
    let ring = |l: &LineString<f64>| {
        Value::from(
            l.points()
                .map(|p| json!([p.x(), p.y()]))
                .collect::<Vec<_>>(),
        )
    };
    Value::from(
        std::iter::once(ring(p.exterior()))
            .chain(p.interiors().iter().map(ring))
            .collect::<Vec<_>>(),
    )
}

/// The CAOP boundaries of a sub-region.
pub fn boundaries(members: &[&Municipality]) -> String {
    let features = members
        .iter()
        .map(|m| {
            let geometry = match m.area.0.as_slice() {
                [one] => json!({"type": "Polygon", "coordinates": coords(one)}),
                many => json!({"type": "MultiPolygon", "coordinates": many.iter().map(coords).collect::<Vec<_>>()}),
            };
            json!({
                "type": "Feature",
                "properties": {"dico": m.dico, "concelho": m.name, "distrito": m.district, "nuts3": m.nuts3},
                "geometry": geometry,
            })
        })
        .collect();
    to_feature_collection(
        features,
        "CAOP (Carta Administrativa Oficial de Portugal), DGT, CC-BY 4.0; simplified at about 22 m",
    )
}

/// The municipalities table: names, seats, areas and Census 2021 population.
pub fn municipalities(members: &[&Municipality]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::data("municipalities.csv", None, None, e.to_string());
    w.write_record([
        "dico",
        "concelho",
        "distrito",
        "nuts3",
        "sede",
        "sede_lon",
        "sede_lat",
        "sede_fonte",
        "area_km2",
        "total",
        "idade_0_14",
        "idade_15_24",
        "idade_25_64",
        "idade_65_mais",
        "nados_vivos_2024",
    ])
    .map_err(fail)?;
    for m in members {
        let p = &m.population;
        let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        w.write_record([
            m.dico.clone(),
            m.name.clone(),
            m.district.clone(),
            m.nuts3.clone(),
            m.seat.name.clone(),
            format!("{:.5}", m.seat.lon),
            format!("{:.5}", m.seat.lat),
            m.seat.source.to_string(),
            format!("{:.1}", m.area_km2),
            p.total.to_string(),
            n(p.age_0_14),
            n(p.age_15_24),
            n(p.age_25_64),
            n(p.age_65_plus),
            n(p.live_births),
        ])
        .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| fail(e.into_error().into()))?;
    String::from_utf8(bytes)
        .map_err(|e| Error::data("municipalities.csv", None, None, e.to_string()))
}

/// The OpenStreetMap properties kept (the crechespt extract's names).
const OSM_KEYS: &[&str] = &[
    "id",
    "nome",
    "tipo",
    "operador",
    "morada",
    "codigo_postal",
    "localidade",
    "telefone",
    "email",
    "website",
    "idade_min_meses",
    "idade_max_meses",
    "resposta",
    "dico",
    "osm_url",
];

/// The response of an OpenStreetMap childcare place: a creche when it takes children under
/// three (36 months), else a kindergarten (pré-escolar).
pub fn osm_response(props: &Map<String, Value>) -> &'static str {
    let from = props.get("idade_min_meses").and_then(Value::as_f64);
    let says_creche = text(props, "resposta").is_some_and(|r| {
        let r = crate::text::fold(&r);
        r.contains("creche") || r.contains("infantario")
    });
    match from {
        Some(months) if months < 36.0 => "CRECHE",
        None if says_creche => "CRECHE",
        _ => "PRE_ESCOLAR",
    }
}

/// The real creches and kindergartens of a sub-region, with their response as `type`.
pub fn creches(features: &[&RawFeature]) -> Result<String> {
    let mut out = Vec::new();
    for f in features {
        let Some(Geometry::Point(p)) = &f.geometry else {
            return Err(Error::data(
                "osm_creches_jardins_infancia.geojson",
                Some(f.place.clone()),
                Some("geometry"),
                "not a point",
            ));
        };
        let mut props = Map::new();
        for key in OSM_KEYS {
            if let Some(v) = f.props.get(*key).filter(|v| !v.is_null()) {
                props.insert((*key).to_string(), v.clone());
            }
        }
        props.insert("type".into(), json!(osm_response(&f.props)));
        out.push(json!({
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": [p.x(), p.y()]},
        }));
    }
    Ok(to_feature_collection(
        out,
        "OpenStreetMap (ODbL 1.0, © OpenStreetMap contributors), via the crechespt extract",
    ))
}

/// The invented services of a sub-region.
pub fn demo(features: &[&Value]) -> String {
    to_feature_collection(
        features.iter().map(|f| (*f).clone()).collect(),
        "Bússola demonstration services: invented, not real services",
    )
}

/// Attribution of every source the sub-regions use, shown on the map.
const ATTRIBUTION: &[&str] = &[
    "Limites: © DGT, CAOP (CC-BY 4.0)",
    "População: INE, Censos 2021",
    "Sedes de concelho e localidades: GeoNames (CC-BY 4.0)",
    "Creches e jardins de infância: © OpenStreetMap contributors (ODbL 1.0)",
    "Outros serviços: dados de demonstração inventados / invented demonstration data",
];

/// The manifest of one sub-region.
pub fn manifest(id: &str, nuts3: &str) -> String {
    let attribution: Vec<String> = ATTRIBUTION
        .iter()
        .map(|a| format!("  {},", json!(a)))
        .collect();
    format!(
        r#"# Bússola region manifest: {nuts3} (NUTS III), part of the shipped default (Alentejo).
# Written by `bussola build-default` from ../shared/geodata: rerun it rather than editing.
# Paths are relative to this file; geodata/README.md explains every key.
id = "{id}"
name = "{nuts3}"
attribution = [
{attribution}
]

[boundaries]
path = "boundaries.geojson"
code = "dico"
name = "concelho"
nuts3 = "nuts3"

[population]
path = "municipalities.csv"
code = "dico"
total = "total"
age_0_14 = "idade_0_14"
age_15_24 = "idade_15_24"
age_25_64 = "idade_25_64"
age_65_plus = "idade_65_mais"
live_births = "nados_vivos_2024"
seat = ["sede", "sede_lon", "sede_lat"]

# Real: creches and kindergartens mapped in OpenStreetMap (no capacity is published there).
[[services]]
path = "creches-osm.geojson"
source = "OpenStreetMap (ODbL)"
constants = {{ precision = "building" }}

[services.fields]
name = "nome"
provider = "operador"
provider_nature = "tipo"
municipality = "dico"
phone = "telefone"
email = "email"
website = "website"
address = "morada"
postal_code = "codigo_postal"
locality = "localidade"

# Invented: the responses with no open data (older people, disability, family).
[[services]]
path = "demo-services.geojson"
source = "Bússola: dados de demonstração (inventados) / demonstration data (invented)"
demo = true

[coverage]
elderly = 12.0
early_childhood = 33.0

# The context layer under the services: towns and villages as light labels (with the seats).
[context]
places = {{ path = "places.geojson", name = "name" }}
"#,
        attribution = attribution.join("\n")
    )
}

/// The listing manifest that serves the sub-regions together.
pub fn listing(ids: &[String]) -> String {
    let regions: Vec<String> = ids
        .iter()
        .map(|id| format!("  \"{id}/region.toml\","))
        .collect();
    format!(
        r#"# Bússola's shipped default: the whole of Alentejo (NUTS II, 2013) as its five NUTS III
# sub-regions, served together. Written by `bussola build-default` from ../shared/geodata.
id = "alentejo"
name = "Alentejo"
regions = [
{}
]
"#,
        regions.join("\n")
    )
}
