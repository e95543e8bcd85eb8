//! Imports that cannot corrupt: a misplaced record is rejected alone, a file whose points
//! mostly lie elsewhere (swapped axes, a wrong CRS) is refused whole and leaves the store
//! byte for byte as it was, an unknown CRS is refused, nothing accepted means a failed import,
//! and GDAL's empty `.dbf` dates read as empty.
use crate::common::{demo_manifest, root, shared};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_bussola");

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-safety-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What a command said, asserting it failed (exit code not 0).
fn failed(out: &Output) -> String {
    let said = text(out);
    assert!(!out.status.success(), "exit 0: {said}");
    said
}

/// What a command said, asserting it succeeded.
fn succeeded(out: &Output) -> String {
    let said = text(out);
    assert!(out.status.success(), "{said}");
    said
}

/// `bussola import` over the test region in `data`.
fn import(data: &Path, args: &[&str]) -> Output {
    let d = data.to_str().unwrap();
    let m = demo_manifest();
    let mut all = vec!["import", "--data-dir", d, "--region", m.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

/// The services as stored, exported as GeoJSON.
fn export(data: &Path, manifest: &Path) -> Vec<u8> {
    let out = run(&[
        "export",
        "--data-dir",
        data.to_str().unwrap(),
        "--region",
        manifest.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    out.stdout
}

fn feature(id: &str, municipality: &str, lon: f64, lat: f64) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
           "properties": {"id": id, "name": format!("Lar {id}"), "type": "ERPI",
                          "municipality": municipality}})
}

/// A fresh folder `name` holding `name.geojson`, a FeatureCollection of `features`.
fn collection(name: &str, features: Vec<Value>, crs: Option<&str>) -> (PathBuf, PathBuf) {
    let dir = tempdir(name);
    let path = dir.join(format!("{name}.geojson"));
    let mut doc = json!({"type": "FeatureCollection", "features": features});
    if let Some(name) = crs {
        doc["crs"] = json!({"type": "name", "properties": {"name": name}});
    }
    std::fs::write(&path, doc.to_string()).unwrap();
    (dir, path)
}

/// The real OpenStreetMap creches, with each feature changed by `f`, written to `out`.
fn osm_creches_changed(out: &Path, f: impl Fn(&mut Value)) -> bool {
    let Some(shared) = shared() else { return false };
    let text =
        std::fs::read_to_string(shared.join("alentejo/osm_creches_jardins_infancia.geojson"))
            .unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    f(&mut doc);
    std::fs::write(out, doc.to_string()).unwrap();
    true
}

/// Imports a bad file over the shipped default and checks it is refused with `cause`,
/// leaving the store byte for byte as it was.
fn refused_and_unchanged(name: &str, file: &Path, extra: &[&str], cause: &str) {
    let data = tempdir(&format!("{name}-db"));
    let manifest = crate::common::shipped_manifest();
    let before = export(&data, &manifest);
    let d = data.to_str().unwrap();
    let mut args = vec!["import", "--data-dir", d, "--source", "osm"];
    args.extend_from_slice(extra);
    args.push(file.to_str().unwrap());
    let said = failed(&run(&args));
    assert!(said.contains(cause), "{said}");
    assert!(said.contains("refused whole"), "{said}");
    assert_eq!(export(&data, &manifest), before, "the store changed");
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn the_real_creches_with_axes_swapped_are_refused_and_nothing_moves() {
    let dir = tempdir("swapped");
    let file = dir.join("swapped.geojson");
    let swapped = osm_creches_changed(&file, |doc| {
        for f in doc["features"].as_array_mut().unwrap() {
            if let Some(c) = f["geometry"]["coordinates"].as_array_mut() {
                c.swap(0, 1);
            }
        }
    });
    if swapped {
        refused_and_unchanged("swapped", &file, &[], "longitude and latitude look swapped");
    }
}

#[test]
fn the_real_creches_under_a_wrong_crs_are_refused_and_nothing_moves() {
    let dir = tempdir("wrong-crs");
    let file = dir.join("tm06.geojson");
    let declared = osm_creches_changed(&file, |doc| {
        doc["crs"] = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3763"}});
    });
    if !declared {
        return;
    }
    refused_and_unchanged(
        "crs-member",
        &file,
        &[],
        "the declared CRS EPSG:3763 looks wrong",
    );
    // The same CRS given on the command line is honoured just the same.
    let plain = shared().unwrap();
    let plain = plain.join("alentejo/osm_creches_jardins_infancia.geojson");
    refused_and_unchanged("crs-option", &plain, &["--crs", "EPSG:3763"], "EPSG:3763");
    // ETRS89 longitude/latitude is WGS84 to a metre: declared so, the file imports.
    let data = tempdir("etrs89");
    let d = data.to_str().unwrap();
    let p = plain.to_str().unwrap();
    let out = run(&[
        "import",
        "--data-dir",
        d,
        "--source",
        "osm",
        "--crs",
        "EPSG:4258",
        p,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("204 records, 204 accepted"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn metres_read_as_degrees_are_refused_with_the_cause() {
    // PT-TM06 eastings and northings of Évora, with no CRS declared.
    let features = (0..4)
        .map(|i| {
            feature(
                &format!("m{i}"),
                "0705",
                12_000.0 + f64::from(i),
                -130_000.0,
            )
        })
        .collect();
    let (dir, file) = collection("metres", features, None);
    let before = export(&dir, &demo_manifest());
    let said = failed(&import(&dir, &["--source", "file", file.to_str().unwrap()]));
    assert!(said.contains("look like metres"), "{said}");
    assert_eq!(export(&dir, &demo_manifest()), before);
}

#[test]
fn a_record_outside_its_municipality_is_rejected_alone() {
    let (dir, file) = collection(
        "alone",
        vec![
            feature("a", "0705", -7.9086, 38.5714),
            // Says Alandroal, lies in Évora: a typing error in one record.
            feature("b", "0701", -7.9100, 38.5700),
            feature("c", "0701", -7.40309, 38.70200),
        ],
        None,
    );
    let said = succeeded(&import(&dir, &["--source", "file", file.to_str().unwrap()]));
    assert!(said.contains("3 records, 2 accepted"), "{said}");
    assert!(said.contains("1 rejected"), "{said}");
    let line = said
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("alone.geojson, feature 2"), "{line}");
    assert!(line.contains("'Lar b' (b)"), "{line}");
    assert!(
        line.contains("fall in 0705 Évora, not in 0701 Alandroal"),
        "{line}"
    );
    let stored = String::from_utf8(export(&dir, &demo_manifest())).unwrap();
    assert!(stored.contains("\"id\":\"a\"") && stored.contains("\"id\":\"c\""));
    assert!(
        !stored.contains("\"id\":\"b\""),
        "the misplaced record was stored"
    );
}

#[test]
fn a_point_just_across_a_simplified_border_is_accepted() {
    let region = bussola::region::Region::load(&demo_manifest())
        .unwrap()
        .region;
    let evora = region.municipality("0705").unwrap();
    // A vertex of Évora's boundary, moved 100 m south (outside or inside, within 150 m).
    let v = evora.geometry.0[0].exterior().0[0];
    let lat = v.y - 100.0 / 111_195.0;
    let code = region.municipality_at(v.x, lat).map(|m| m.code.clone());
    let (dir, file) = collection("border", vec![feature("edge", "0705", v.x, lat)], None);
    let out = import(&dir, &["--source", "file", file.to_str().unwrap()]);
    assert!(out.status.success(), "{} (in {code:?})", text(&out));
    assert!(text(&out).contains("1 accepted"), "{}", text(&out));
}

#[test]
fn an_unknown_crs_is_refused_by_every_reader() {
    let (dir, file) = collection(
        "unknown-crs",
        vec![feature("a", "0705", -7.9086, 38.5714)],
        Some("EPSG:999999"),
    );
    let csv = root().join("tests/data/carta-social-sample.csv");
    let hsds = root().join("tests/data/hsds-sample.json");
    let unknown = ["--crs", "EPSG:999999"];
    let runs: [Vec<&str>; 4] = [
        vec!["--source", "osm", file.to_str().unwrap()],
        vec!["--source", "file", file.to_str().unwrap()],
        [
            &["--source", "carta-social", csv.to_str().unwrap()][..],
            &unknown,
        ]
        .concat(),
        [&["--source", "hsds", hsds.to_str().unwrap()][..], &unknown].concat(),
    ];
    for args in &runs {
        let said = failed(&import(&dir, args));
        assert!(
            said.contains("EPSG:999999 is not supported"),
            "{args:?}: {said}"
        );
    }
}

#[test]
fn nothing_accepted_is_a_failed_import() {
    let mut f = feature("a", "0705", -7.9086, 38.5714);
    f["properties"]["type"] = json!("Hospital");
    let (dir, file) = collection("none", vec![f], None);
    let said = failed(&import(&dir, &["--source", "file", file.to_str().unwrap()]));
    assert!(said.contains("unknown response type 'Hospital'"), "{said}");
    assert!(said.contains("no record was accepted"), "{said}");
}

#[test]
fn check_reports_a_misplaced_record_of_a_region() {
    let dir = tempdir("check");
    let src = root().join("tests/data/demo-alentejo-central");
    for f in ["region.toml", "boundaries.geojson", "municipalities.csv"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let text_in = std::fs::read_to_string(src.join("services.geojson")).unwrap();
    let mut doc: Value = serde_json::from_str(&text_in).unwrap();
    // The first service (Alandroal) moved onto Évora's seat.
    doc["features"][0]["geometry"]["coordinates"] = json!([-7.9086, 38.5714]);
    std::fs::write(dir.join("services.geojson"), doc.to_string()).unwrap();
    let said = failed(&run(&["check", dir.join("region.toml").to_str().unwrap()]));
    assert!(said.contains("1 errors"), "{said}");
    assert!(
        said.contains("services.geojson, feature 1, field 'municipality'")
            && said.contains("not in 0701 Alandroal"),
        "{said}"
    );
}

/// A Shapefile of points as `ogr2ogr` writes it: an empty date is `00000000` in the `.dbf`.
fn write_gdal_shapefile(path: &Path) {
    use shapefile::dbase::{self, FieldValue, TableWriterBuilder};
    let table = TableWriterBuilder::new()
        .add_character_field("id".try_into().unwrap(), 10)
        .add_character_field("name".try_into().unwrap(), 40)
        .add_character_field("type".try_into().unwrap(), 10)
        .add_character_field("dico".try_into().unwrap(), 4)
        .add_date_field("updated".try_into().unwrap());
    let mut w = shapefile::Writer::from_path(path, table).unwrap();
    let rows = [
        ("g1", -7.9086, 38.5714, dbase::Date::new(1, 1, 1900)),
        ("g2", -7.40309, 38.70200, dbase::Date::new(15, 1, 2026)),
    ];
    for (id, lon, lat, date) in rows {
        let mut r = dbase::Record::default();
        r.insert("id".into(), FieldValue::Character(Some(id.into())));
        r.insert(
            "name".into(),
            FieldValue::Character(Some(format!("Lar {id}"))),
        );
        r.insert("type".into(), FieldValue::Character(Some("ERPI".into())));
        let dico = if id == "g1" { "0705" } else { "0701" };
        r.insert("dico".into(), FieldValue::Character(Some(dico.into())));
        r.insert("updated".into(), FieldValue::Date(Some(date.unwrap())));
        w.write_shape_and_record(&shapefile::Point::new(lon, lat), &r)
            .unwrap();
    }
    drop(w);
    // What GDAL writes for a date it does not have.
    let dbf = path.with_extension("dbf");
    let bytes = std::fs::read(&dbf).unwrap();
    let at = bytes.windows(8).position(|w| w == b"19000101").unwrap();
    let mut patched = bytes.clone();
    patched[at..at + 8].copy_from_slice(b"00000000");
    std::fs::write(&dbf, patched).unwrap();
}

#[test]
fn gdal_empty_dates_read_as_empty() {
    let dir = tempdir("gdal");
    let shp = dir.join("lares.shp");
    write_gdal_shapefile(&shp);
    let out = import(
        &dir,
        &[
            "--source",
            "file",
            "--field",
            "municipality=dico",
            shp.to_str().unwrap(),
        ],
    );
    let said = succeeded(&out);
    assert!(said.contains("2 records, 2 accepted"), "{said}");
    let stored: Value = serde_json::from_slice(&export(&dir, &demo_manifest())).unwrap();
    let updated = |id: &str| {
        stored["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == id)
            .map(|f| f["properties"]["updated"].clone())
            .unwrap_or_else(|| panic!("{id} not stored"))
    };
    assert_eq!(updated("g1"), Value::Null);
    assert_eq!(updated("g2"), json!("2026-01-15"));
}

#[test]
fn a_bad_prj_on_import_asks_for_the_crs_option() {
    let dir = tempdir("prj");
    let shp = dir.join("lares.shp");
    write_gdal_shapefile(&shp);
    std::fs::write(
        dir.join("lares.prj"),
        r#"PROJCS["Grelha_Local",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1000.0],PARAMETER["Central_Meridian",-8.0],UNIT["Meter",1.0]]"#,
    )
    .unwrap();
    let shp = shp.to_str().unwrap();
    let args = ["--source", "file", "--field", "municipality=dico", shp];
    let said = failed(&import(&dir, &args));
    assert!(said.contains("lares.prj"), "{said}");
    assert!(said.contains("unrecognised CRS \"Grelha_Local\""), "{said}");
    // The user of `bussola import` sets the option, not a manifest they may not have.
    assert!(said.contains("--crs EPSG:NNNN"), "{said}");
    assert!(!said.contains("region manifest"), "{said}");
    // And the option it names works.
    let args = [
        "--crs",
        "EPSG:4326",
        "--source",
        "file",
        "--field",
        "municipality=dico",
        shp,
    ];
    let said = succeeded(&import(&dir, &args));
    assert!(said.contains("2 records, 2 accepted"), "{said}");
}

/// A batch of records with these points and stated municipalities.
fn batch(points: &[(f64, f64, &str)]) -> bussola::ingest::Batch {
    let mut b = bussola::ingest::Batch::new("test", Path::new("test.geojson"));
    for (i, (x, y, code)) in points.iter().enumerate() {
        let mut r = bussola::ingest::Record::at(format!("feature {}", i + 1));
        r.set("municipality", code);
        r.point = Some((*x, *y));
        b.records.push(r);
    }
    b
}

#[test]
fn the_cause_of_a_refusal_is_named() {
    use bussola::ingest::screen::{screen, Cause};
    let region = bussola::region::Region::load(&demo_manifest())
        .unwrap()
        .region;
    // Évora's and Alandroal's seats.
    let (evora, alandroal) = ((-7.9086, 38.5714), (-7.40309, 38.70200));
    let cause = |b: &bussola::ingest::Batch| screen(b, &region).map(|r| r.cause);
    // One misplaced point in three: the record is rejected, the file is not refused.
    let one = batch(&[
        (evora.0, evora.1, "0705"),
        (evora.0, evora.1, "0701"),
        (alandroal.0, alandroal.1, "0701"),
    ]);
    assert_eq!(cause(&one), None);
    let swapped = batch(&[
        (evora.1, evora.0, "0705"),
        (alandroal.1, alandroal.0, "0701"),
    ]);
    assert_eq!(cause(&swapped), Some(Cause::Swapped));
    let metres = batch(&[
        (12_000.0, -130_000.0, "0705"),
        (50_000.0, -110_000.0, "0701"),
    ]);
    assert_eq!(cause(&metres), Some(Cause::Projected));
    let crossed = batch(&[
        (evora.0, evora.1, "0701"),
        (alandroal.0, alandroal.1, "0705"),
    ]);
    assert_eq!(cause(&crossed), Some(Cause::OtherMunicipalities));
    let mut elsewhere = batch(&[(-8.13, 39.67, "0705"), (-8.13, 39.67, "0701")]);
    assert_eq!(cause(&elsewhere), Some(Cause::OutsideRegion));
    elsewhere.crs = bussola::reproject::Crs::Epsg(3763);
    assert_eq!(cause(&elsewhere), Some(Cause::DeclaredCrs(elsewhere.crs)));
    let refusal = screen(&elsewhere, &region).unwrap();
    assert_eq!((refusal.outside, refusal.points), (2, 2));
    assert!(
        refusal.to_string().contains("EPSG:3763 looks wrong"),
        "{refusal}"
    );
}
