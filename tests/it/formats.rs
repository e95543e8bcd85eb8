//! One region, four formats: the 58 Alentejo municipalities from GeoJSON, FlatGeobuf, a
//! GeoPackage in EPSG:3763 and a Shapefile (TM06, ESRI `.prj`, Windows-1252 `.dbf` with other
//! field names) load to the same codes, names and areas.
use bussola::region::read::read_gpkg;
use bussola::region::Region;
use geo::orient::{Direction, Orient};
use geo::GeodesicArea;
use geo_types::{Geometry, MultiPolygon};
use shapefile::dbase::{self, FieldValue, TableWriterBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// ArcGIS's `.prj` for ETRS89 / Portugal TM06: ESRI names, no authority code.
const ESRI_TM06: &str = r#"PROJCS["ETRS_1989_Portugal_TM06",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-8.133108333333334],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",39.66825833333333],UNIT["Meter",1.0]]"#;

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-formats-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A manifest over `boundaries` (with extra `[boundaries]` lines) and the Census table.
fn manifest(dir: &Path, name: &str, boundaries: &Path, extra: &str, population: &Path) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    let text = format!(
        "id = \"{name}\"\nname = \"{name}\"\n[boundaries]\npath = {:?}\n{extra}\n\
         [population]\npath = {:?}\ntotal = \"total\"\nage_0_14 = \"idade_0_14\"\n\
         age_15_24 = \"idade_15_24\"\nage_25_64 = \"idade_25_64\"\nage_65_plus = \"idade_65_mais\"\n",
        boundaries.display().to_string(),
        population.display().to_string()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Writes `shapes` as a Shapefile with `DICO` and `Concelho` columns in `encoding`.
fn write_shapefile(
    path: &Path,
    shapes: &[(String, String, MultiPolygon)],
    encoding: &'static encoding_rs::Encoding,
) {
    let table = TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .add_character_field("DICO".try_into().unwrap(), 4)
        .add_character_field("Concelho".try_into().unwrap(), 60);
    let mut w = shapefile::Writer::from_path(path, table).unwrap();
    for (code, name, geometry) in shapes {
        let mut record = dbase::Record::default();
        record.insert("DICO".into(), FieldValue::Character(Some(code.clone())));
        record.insert("Concelho".into(), FieldValue::Character(Some(name.clone())));
        let polygon = shapefile::Polygon::from(geometry.clone());
        w.write_shape_and_record(&polygon, &record).unwrap();
    }
}

/// Geodesic area in km²; rings are oriented first, as geo reads a clockwise exterior (as
/// CAOP's files have) as the rest of the globe.
fn km2(g: &MultiPolygon) -> f64 {
    g.orient(Direction::Default).geodesic_area_unsigned() / 1e6
}

/// code -> (name, geodesic area in km²).
type Loaded = BTreeMap<String, (String, f64)>;

fn load(manifest: &Path) -> Loaded {
    let loaded = Region::load(manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    loaded
        .region
        .municipalities
        .iter()
        .map(|m| (m.code.clone(), (m.name.clone(), km2(&m.geometry))))
        .collect()
}

#[test]
fn four_formats_give_the_same_municipalities_and_areas() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let dir = tempdir("equal");
    let data = shared.join("alentejo");
    let population = data.join("populacao_censos2021.csv");
    let gpkg = data.join("municipios_pttm06.gpkg");

    // The Shapefile is written from the GeoPackage's own TM06 geometries.
    let raw = read_gpkg(&gpkg).unwrap();
    let shapes: Vec<(String, String, MultiPolygon)> = raw
        .features
        .iter()
        .map(|f| {
            let text = |k: &str| f.props[k].as_str().unwrap().to_string();
            let mp = match f.geometry.clone().unwrap() {
                Geometry::Polygon(p) => MultiPolygon(vec![p]),
                Geometry::MultiPolygon(mp) => mp,
                other => panic!("not a polygon: {other:?}"),
            };
            (text("dico"), text("concelho"), mp)
        })
        .collect();
    let shp = dir.join("concelhos.shp");
    write_shapefile(&shp, &shapes, encoding_rs::WINDOWS_1252);
    std::fs::write(dir.join("concelhos.prj"), ESRI_TM06).unwrap();
    let dbf = std::fs::read(dir.join("concelhos.dbf")).unwrap();
    assert!(
        std::str::from_utf8(&dbf).is_err(),
        "the .dbf is Windows-1252, not UTF-8"
    );

    let runs = [
        ("geojson", data.join("municipios.geojson"), ""),
        ("fgb", data.join("municipios.fgb"), ""),
        ("gpkg", gpkg.clone(), ""),
        ("shp", shp.clone(), "code = \"DICO\"\nname = \"Concelho\""),
        // Left at their defaults, the fields are found under the file's own names.
        ("shp-defaults", shp.clone(), ""),
    ];
    let results: Vec<(&str, Loaded)> = runs
        .iter()
        .map(|(name, path, extra)| (*name, load(&manifest(&dir, name, path, extra, &population))))
        .collect();
    let (_, reference) = &results[0];
    assert_eq!(reference.len(), 58);
    let defaults = Region::load(&dir.join("shp-defaults.toml")).unwrap();
    let said: Vec<String> = defaults.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        said.iter()
            .any(|i| i.contains("no field 'dico'; reading 'DICO' instead")),
        "{said:?}"
    );
    let (evora, area) = &reference["0705"];
    assert_eq!(evora, "Évora");
    // CAOP gives Évora 1,307 km²; the simplified boundaries come close.
    assert!((area - 1307.0).abs() < 15.0, "Évora: {area} km²");
    for (format, got) in &results[1..] {
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "{format}: codes"
        );
        for (code, (name, area)) in reference {
            let (n, a) = &got[code];
            assert_eq!(n, name, "{format}: name of {code}");
            let diff = (a - area).abs() / area;
            assert!(
                diff < 0.001,
                "{format}: {code} {name} has {a:.2} km², GeoJSON {area:.2} km²"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unrecognised_prj_names_the_file_and_asks_for_crs() {
    let dir = tempdir("prj");
    // One square of 10 km in TM06 around Évora, named in UTF-8 with a .cpg saying so.
    let (x, y) = (10_000.0, -110_000.0);
    let square = geo_types::Polygon::new(
        vec![
            (x, y),
            (x + 10_000.0, y),
            (x + 10_000.0, y + 10_000.0),
            (x, y + 10_000.0),
            (x, y),
        ]
        .into(),
        vec![],
    );
    let shp = dir.join("grid.shp");
    write_shapefile(
        &shp,
        &[("0705".into(), "Évora".into(), MultiPolygon(vec![square]))],
        encoding_rs::UTF_8,
    );
    std::fs::write(dir.join("grid.cpg"), "UTF-8").unwrap();
    std::fs::write(
        dir.join("grid.prj"),
        r#"PROJCS["Grelha_Local_Municipal",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1000.0],PARAMETER["Central_Meridian",-8.0],UNIT["Meter",1.0]]"#,
    )
    .unwrap();
    let pop = crate::common::root().join("tests/data/demo-alentejo-central/municipalities.csv");
    let extra = "code = \"DICO\"\nname = \"Concelho\"";

    let err = Region::load(&manifest(&dir, "bad", &shp, extra, &pop))
        .unwrap_err()
        .to_string();
    assert!(err.contains("grid.prj"), "{err}");
    assert!(err.contains("Grelha_Local_Municipal"), "{err}");
    assert!(err.contains("crs = \"EPSG:NNNN\""), "{err}");

    // The manifest's crs wins over the .prj.
    let extra = format!("{extra}\ncrs = \"EPSG:3763\"");
    let loaded = Region::load(&manifest(&dir, "good", &shp, &extra, &pop)).unwrap();
    let m = &loaded.region.municipalities[0];
    assert_eq!((m.code.as_str(), m.name.as_str()), ("0705", "Évora"));
    let area = km2(&m.geometry);
    assert!((area - 100.0).abs() < 0.1, "{area} km²");

    // Without a .prj, projected coordinates are refused rather than read as degrees.
    std::fs::remove_file(dir.join("grid.prj")).unwrap();
    let err = Region::load(&manifest(&dir, "none", &shp, "code = \"DICO\"", &pop))
        .unwrap_err()
        .to_string();
    assert!(err.contains("grid.shp") && err.contains("no .prj"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
