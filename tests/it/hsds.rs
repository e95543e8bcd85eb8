//! Open Referral HSDS 3.0: the export and every answer of the HSDS API (`/hsds/…`) validate
//! against the published v3.0 schemas (`../shared/standards/hsds-3.0/schema`), as published
//! and strict (`additionalProperties: false` on every object, as the specification's own CI
//! checks); the API's pages hold every service once; the specification's own nested examples
//! import.
use crate::common::{app, get, root};
use axum::http::StatusCode;
use bussola::ingest::{read_source, ReadOptions, SourceKind};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// `../shared/standards/hsds-3.0`, or `None` (with a printed reason) outside CI when missing.
fn standard() -> Option<PathBuf> {
    let p = root().join("../shared/standards/hsds-3.0");
    if p.join("schema/service.json").exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared/standards/hsds-3.0 is missing, and CI must have it");
    }
    eprintln!("skipping: ../shared/standards/hsds-3.0 not found beside the repository");
    None
}

/// A schema file of `dir` with the `$ref`s to the folder's other files inlined (they have no
/// `$id`; the compiled ones have no `$ref`).
fn inlined(dir: &Path, file: &str, depth: usize) -> Value {
    assert!(depth < 20, "$ref loop at {file}");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    fn walk(v: &mut Value, dir: &Path, depth: usize) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    if !r.starts_with('#') {
                        let mut sub = inlined(dir, r, depth + 1);
                        if let Value::Object(s) = &mut sub {
                            s.remove("$schema");
                            s.remove("$id");
                        }
                        *v = sub;
                        return;
                    }
                }
                o.values_mut().for_each(|x| walk(x, dir, depth));
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, dir, depth)),
            _ => {}
        }
    }
    walk(&mut v, dir, depth);
    v
}

/// The schema with `additionalProperties: false` on every object schema: the strict check.
fn strict(mut v: Value) -> Value {
    // `properties` maps names to schemas: walk into them, never mark the map itself.
    fn walk_schema(v: &mut Value) {
        if let Value::Object(o) = v {
            let is_object = o.get("type") == Some(&json!("object")) || o.contains_key("properties");
            for (k, x) in o.iter_mut() {
                match k.as_str() {
                    "properties" | "definitions" | "$defs" | "patternProperties" => {
                        if let Value::Object(m) = x {
                            m.values_mut().for_each(walk_schema);
                        }
                    }
                    "items"
                    | "additionalProperties"
                    | "not"
                    | "if"
                    | "then"
                    | "else"
                    | "contains" => walk_schema(x),
                    "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                        if let Value::Array(a) = x {
                            a.iter_mut().for_each(walk_schema);
                        }
                    }
                    _ => {}
                }
            }
            if is_object {
                o.insert("additionalProperties".into(), json!(false));
            }
        }
    }
    walk_schema(&mut v);
    v
}

/// A schema's published and strict validators, formats checked too.
struct Check {
    name: String,
    published: jsonschema::Validator,
    strict: jsonschema::Validator,
}

impl Check {
    fn new(name: &str, schema: Value) -> Check {
        let build = |s: &Value| {
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(s)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        Check {
            name: name.into(),
            published: build(&schema),
            strict: build(&strict(schema)),
        }
    }

    fn file(std: &Path, file: &str) -> Check {
        Check::new(file, inlined(&std.join("schema"), file, 0))
    }

    /// The errors of one instance, published first, then strict (prefixed `strict`).
    fn errors(&self, v: &Value) -> Vec<String> {
        let mut out: Vec<String> = self
            .published
            .iter_errors(v)
            .map(|e| format!("{}: {} at {}", self.name, e, e.instance_path()))
            .collect();
        out.extend(
            self.strict
                .iter_errors(v)
                .map(|e| format!("{} strict: {} at {}", self.name, e, e.instance_path())),
        );
        out
    }
}

/// The envelope of a page whose `contents` hold `item`s (the reference's `Page` with
/// `contents`, every member required).
fn page_schema(std: &Path, item: Value) -> Value {
    let api: Value =
        serde_json::from_str(&std::fs::read_to_string(std.join("schema/openapi.json")).unwrap())
            .unwrap();
    let mut page = api["components"]["schemas"]["Page"].clone();
    page["properties"]["contents"] = json!({"type": "array", "items": item});
    let names: Vec<String> = page["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    page["required"] = json!(names);
    page
}

#[test]
fn the_validator_accepts_the_specifications_own_examples_and_refuses_extensions() {
    let Some(std) = standard() else { return };
    for (example, schema) in [
        ("service_full.json", "compiled/service.json"),
        ("organization_full.json", "compiled/organization.json"),
        (
            "service_at_location_full.json",
            "compiled/service_at_location.json",
        ),
        ("taxonomy_term.json", "taxonomy_term.json"),
        ("location.json", "location.json"),
    ] {
        let check = Check::file(&std, schema);
        let v: Value = serde_json::from_str(
            &std::fs::read_to_string(std.join("examples").join(example)).unwrap(),
        )
        .unwrap();
        assert_eq!(check.errors(&v), Vec::<String>::new(), "{example}");
    }
    // What the strict check exists for: a member the schema does not name.
    let check = Check::file(&std, "service.json");
    let extended = json!({"id": "ac148810-d857-441c-9679-408f346de14b", "name": "x", "status": "active", "x-bussola": {}});
    let errors = check.errors(&extended);
    assert!(
        errors.len() == 1 && errors[0].contains("strict"),
        "{errors:?}"
    );
    let no_postal = json!({"id": "74706e55-df26-4b84-80fe-ecc30b5befb4", "address_1": "Rua", "city": "Évora", "state_province": "Alentejo Central", "country": "PT", "address_type": "physical"});
    assert!(!Check::file(&std, "address.json")
        .errors(&no_postal)
        .is_empty());
}

/// The HSDS export's tables and the schema of their records.
const TABLES: [(&str, &str); 10] = [
    ("organizations", "organization.json"),
    ("organization_identifiers", "organization_identifier.json"),
    ("services", "service.json"),
    ("locations", "location.json"),
    ("service_at_locations", "service_at_location.json"),
    ("phones", "phone.json"),
    ("schedules", "schedule.json"),
    ("taxonomies", "taxonomy.json"),
    ("taxonomy_terms", "taxonomy_term.json"),
    ("attributes", "attribute.json"),
];

/// Checks every record of an HSDS export: how many there are, and the invalid ones.
fn invalid_records(std: &Path, body: &Value) -> (usize, Vec<String>) {
    let mut invalid = Vec::new();
    let mut records = 0;
    for (table, file) in TABLES {
        let check = Check::file(std, file);
        let rows = body[table]
            .as_array()
            .unwrap_or_else(|| panic!("no {table}"));
        assert!(!rows.is_empty(), "{table} is empty");
        for (i, r) in rows.iter().enumerate() {
            records += 1;
            let e = check.errors(r);
            if !e.is_empty() {
                invalid.push(format!("{table}[{i}]: {e:?}"));
            }
        }
    }
    (records, invalid)
}

#[tokio::test]
async fn every_record_of_the_export_validates_published_and_strict() {
    let Some(std) = standard() else { return };
    let (app, cat) = app();
    let (status, body) = get(&app, "/api/export?layer=services&format=hsds").await;
    assert_eq!(status, StatusCode::OK);
    let tables = TABLES;
    let (records, invalid) = invalid_records(&std, &body);
    let keys: HashSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected: HashSet<&str> = tables
        .iter()
        .map(|(t, _)| *t)
        .chain(["name", "hsds_version", "attribution"])
        .collect();
    assert_eq!(keys, expected, "the document's members");
    assert!(records > 3 * cat.len().unwrap());
    assert_eq!(
        invalid.len(),
        0,
        "invalid records: {:#?}",
        &invalid[..invalid.len().min(10)]
    );
    let text = body.to_string();
    assert!(!text.contains("x-bussola") && !text.contains("\"vocabulary\""));
    // Every invented service says so: an `alert` people read and a `demo` attribute.
    let services = body["services"].as_array().unwrap();
    let demo_term = body["taxonomy_terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "demo")
        .unwrap()["id"]
        .clone();
    for s in services {
        assert!(s["alert"].as_str().unwrap().contains("Demonstration data"));
        assert!(body["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["link_id"] == s["id"]
                && a["taxonomy_term_id"] == demo_term
                && a["value"] == "true"));
    }
    // Addresses only where complete (with a postal code); a location without one has none.
    let locations = body["locations"].as_array().unwrap();
    let with_address = locations
        .iter()
        .filter(|l| l.get("addresses").is_some())
        .count();
    let stored_with_postal = cat
        .all()
        .unwrap()
        .iter()
        .filter(|s| s.address.is_some() && s.postal_code.is_some())
        .count();
    assert_eq!(with_address, stored_with_postal);
}

#[test]
fn the_shipped_default_exports_valid_hsds() {
    let Some(std) = standard() else { return };
    // The whole of Alentejo: real OpenStreetMap creches (their own websites, e-mails and
    // addresses) besides the invented services.
    let cat = crate::common::catalog(&crate::common::shipped_manifest());
    let e = bussola::export::export(&cat, "services", "hsds").unwrap();
    let body: Value = serde_json::from_slice(&e.body).unwrap();
    let (records, invalid) = invalid_records(&std, &body);
    assert!(records > 3 * cat.len().unwrap());
    assert_eq!(
        invalid.len(),
        0,
        "invalid records: {:#?}",
        &invalid[..invalid.len().min(10)]
    );
    // Real services are not marked as demonstration data.
    let real = body["services"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("alert").is_none())
        .count();
    assert_eq!(real, cat.all().unwrap().iter().filter(|s| !s.demo).count());
    assert!(real > 0);
}

/// GETs an HSDS API answer, asserting 200.
async fn ok(app: &axum::Router, uri: &str) -> Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

#[tokio::test]
async fn every_answer_of_the_hsds_api_validates_published_and_strict() {
    let Some(std) = standard() else { return };
    let (app, cat) = app();
    let total = cat.len().unwrap();
    let compiled = |f: &str| inlined(&std.join("schema"), &format!("compiled/{f}"), 0);
    let file = |f: &str| inlined(&std.join("schema"), f, 0);
    let api: Value =
        serde_json::from_str(&std::fs::read_to_string(std.join("schema/openapi.json")).unwrap())
            .unwrap();
    let info = Check::new(
        "GET /",
        api["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone(),
    );
    let mut invalid: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut note = |uri: &str, e: Vec<String>| {
        if !e.is_empty() {
            invalid.insert(uri.to_string(), e);
        }
    };
    for uri in ["/hsds/", "/hsds"] {
        let body = ok(&app, uri).await;
        assert_eq!(body["version"], "3.0");
        assert!(body["openapi_url"]
            .as_str()
            .unwrap()
            .ends_with("/openapi.json"));
        note(uri, info.errors(&body));
    }
    // Lists: every page of each, against the envelope and the reference's item schema.
    let lists = [
        ("/hsds/services?per_page=100", compiled("service_list.json")),
        (
            "/hsds/services?per_page=100&full=true",
            compiled("service.json"),
        ),
        ("/hsds/services?minimal=true", compiled("service_list.json")),
        (
            "/hsds/service_at_locations?per_page=100",
            compiled("service_at_location_list.json"),
        ),
        (
            "/hsds/service_at_locations?per_page=100&full=true",
            compiled("service_at_location.json"),
        ),
        (
            "/hsds/organizations?per_page=100",
            compiled("organization_list.json"),
        ),
        (
            "/hsds/organizations?per_page=100&full=true",
            compiled("organization.json"),
        ),
        (
            "/hsds/organizations?per_page=100&full_service=true",
            compiled("organization.json"),
        ),
        ("/hsds/taxonomies", file("taxonomy.json")),
        (
            "/hsds/taxonomy_terms?per_page=100",
            file("taxonomy_term.json"),
        ),
    ];
    let mut ids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (list, item) in lists {
        let check = Check::new(list, page_schema(&std, item));
        let mut page = 1;
        loop {
            let sep = if list.contains('?') { '&' } else { '?' };
            let uri = format!("{list}{sep}page={page}");
            let body = ok(&app, &uri).await;
            note(&uri, check.errors(&body));
            let name = list.trim_start_matches("/hsds/").split('?').next().unwrap();
            if !list.contains("full") && !list.contains("minimal") {
                ids.entry(name).or_default().extend(
                    body["contents"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["id"].as_str().unwrap().to_string()),
                );
            }
            if body["last_page"] == true {
                break;
            }
            page += 1;
        }
    }
    assert_eq!(ids["services"].len(), total);
    assert_eq!(ids["service_at_locations"].len(), total);
    // Every single object, fully nested.
    let singles = [
        ("services", compiled("service.json")),
        ("service_at_locations", compiled("service_at_location.json")),
        ("organizations", compiled("organization.json")),
        ("taxonomies", file("taxonomy.json")),
        ("taxonomy_terms", file("taxonomy_term.json")),
    ];
    for (name, schema) in singles {
        let check = Check::new(name, schema);
        for id in &ids[name] {
            let uri = format!("/hsds/{name}/{id}");
            let body = ok(&app, &uri).await;
            assert_eq!(body["id"], id.as_str());
            note(&uri, check.errors(&body));
        }
    }
    let org = &ids["organizations"][0];
    let body = ok(
        &app,
        &format!("/hsds/organizations/{org}?full_service=true"),
    )
    .await;
    note(
        "organization full_service",
        Check::new("org", compiled("organization.json")).errors(&body),
    );
    assert_eq!(
        invalid.len(),
        0,
        "invalid answers: {:#?}",
        invalid.iter().take(5).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn pages_hold_every_service_exactly_once_with_the_export_ids() {
    let (app, cat) = app();
    let total = cat.len().unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut page = 1;
    loop {
        let body = ok(&app, &format!("/hsds/services?page={page}&per_page=37")).await;
        assert_eq!(body["total_items"], total);
        assert_eq!(body["total_pages"], total.div_ceil(37));
        assert_eq!(body["page_number"], page);
        assert_eq!(body["size"], 37);
        assert_eq!(body["first_page"], page == 1);
        let contents = body["contents"].as_array().unwrap();
        assert_eq!(body["empty"], contents.is_empty());
        seen.extend(
            contents
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string()),
        );
        if body["last_page"] == true {
            break;
        }
        page += 1;
    }
    assert_eq!(page, total.div_ceil(37));
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(
        (seen.len(), unique.len()),
        (total, total),
        "each service exactly once"
    );
    // The same ids as the export.
    let (_, export) = get(&app, "/api/export?layer=services&format=hsds").await;
    let exported: HashSet<String> = export["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<HashSet<_>>(),
        exported
    );
    // Past the last page: an empty page, not an error.
    let past = ok(
        &app,
        &format!("/hsds/services?page={}&per_page=37", page + 1),
    )
    .await;
    assert_eq!(
        (past["empty"].clone(), past["last_page"].clone()),
        (json!(true), json!(true))
    );
    // minimal: every service on one page, id, name, status and last_modified only.
    let minimal = ok(&app, "/hsds/services?minimal=true").await;
    let items = minimal["contents"].as_array().unwrap();
    assert_eq!(items.len(), total);
    for i in items {
        let keys: HashSet<&str> = i.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(keys.is_subset(&HashSet::from(["id", "name", "status", "last_modified"])));
    }
}

#[tokio::test]
async fn filters_find_what_they_name() {
    let (app, cat) = app();
    let all = cat.all().unwrap();
    let full = ok(&app, "/hsds/services?per_page=1000&full=true").await;
    let services = full["contents"].as_array().unwrap();
    // organization_id: exactly that organization's services.
    let org = services[0]["organization"]["id"].as_str().unwrap();
    let provider = &all
        .iter()
        .find(|s| s.name == services[0]["name"].as_str().unwrap())
        .unwrap()
        .provider
        .id;
    let of_org = ok(
        &app,
        &format!("/hsds/services?organization_id={org}&per_page=1000"),
    )
    .await;
    assert_eq!(
        of_org["total_items"],
        all.iter().filter(|s| &s.provider.id == provider).count()
    );
    assert!(of_org["contents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["organization_id"] == org));
    // taxonomy_term_id: a response's term finds the services of that type; its group's term
    // finds them too.
    let term = services[0]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["link_type"] == "service_type")
        .unwrap()["taxonomy_term"]
        .clone();
    let code = term["code"].as_str().unwrap();
    let of_type = ok(
        &app,
        &format!(
            "/hsds/services?taxonomy_term_id={}&per_page=1000",
            term["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(
        of_type["total_items"],
        all.iter().filter(|s| s.type_code == code).count()
    );
    let group = ok(
        &app,
        &format!(
            "/hsds/taxonomy_terms/{}",
            term["parent_id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(group["taxonomy_detail"]["id"], term["taxonomy_id"]);
    let of_group = ok(
        &app,
        &format!(
            "/hsds/services?taxonomy_term_id={}&per_page=1000",
            group["id"].as_str().unwrap()
        ),
    )
    .await;
    assert!(of_group["total_items"].as_u64() >= of_type["total_items"].as_u64());
    // search: accents and case aside.
    let name = services[0]["name"].as_str().unwrap();
    let word = name
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_uppercase();
    let found = ok(
        &app,
        &format!("/hsds/services?search={}&per_page=1000", urlencode(&word)),
    )
    .await;
    assert!(found["contents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == name));
    // modified_after: none after the last update, all on or after the first.
    let days: Vec<&str> = all.iter().filter_map(|s| s.updated.as_deref()).collect();
    let (first, last) = (days.iter().min().unwrap(), days.iter().max().unwrap());
    let since_first = ok(
        &app,
        &format!("/hsds/services?modified_after={first}&per_page=1000"),
    )
    .await;
    assert_eq!(since_first["total_items"], days.len());
    let after_last = ok(
        &app,
        &format!("/hsds/services?modified_after={last}T23:59:59Z"),
    )
    .await;
    assert!(
        after_last["total_items"].as_u64()
            <= Some(days.iter().filter(|d| *d == last).count() as u64)
    );
    // Terms: top_only gives the target groups; parent_id a group's responses.
    let top = ok(&app, "/hsds/taxonomy_terms?top_only=true&per_page=1000").await;
    assert!(top["contents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t.get("parent_id").is_none()));
    let under = ok(
        &app,
        &format!(
            "/hsds/taxonomy_terms?parent_id={}&per_page=1000",
            group["id"].as_str().unwrap()
        ),
    )
    .await;
    assert!(under["contents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["code"] == code));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn refusals_are_json_and_name_what_is_wrong() {
    let (app, _) = app();
    for (uri, param) in [
        ("/hsds/services?colour=red", "colour"),
        ("/hsds/services?page=0", "page"),
        ("/hsds/services?per_page=5000", "per_page"),
        ("/hsds/services?modified_after=ontem", "modified_after"),
        ("/hsds/services?full=yes", "full"),
        ("/hsds/services?format=ndjson", "format"),
        ("/hsds/services?postcode=7000", "postcode"),
        ("/hsds/service_at_locations?proximity=1000", "proximity"),
        ("/hsds/organizations/x?full=true", "full"),
        ("/hsds/taxonomies?taxonomy_id=x", "taxonomy_id"),
        ("/hsds/?page=1", "page"),
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(body["parameter"], param, "{uri}: {body}");
        assert!(body["error"].is_string());
    }
    for uri in [
        "/hsds/services/00000000-0000-0000-0000-000000000000",
        "/hsds/service_at_locations/nope",
        "/hsds/organizations/nope",
        "/hsds/taxonomies/nope",
        "/hsds/taxonomy_terms/nope",
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            body["error"].as_str().unwrap().contains("not found"),
            "{body}"
        );
    }
}

/// Reads one of the specification's examples as `--source hsds` does.
fn read_example(std: &Path, name: &str) -> bussola::ingest::Batch {
    read_source(
        SourceKind::Hsds,
        &std.join("examples").join(name),
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_specifications_nested_examples_import() {
    let Some(std) = standard() else { return };
    for name in [
        "service_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
    ] {
        let b = read_example(&std, name);
        let names: Vec<_> = b.records.iter().map(|r| r.get("name")).collect();
        assert_eq!(
            names,
            [Some("Community Counselling")],
            "{name}: {:?}",
            b.issues
        );
        let r = &b.records[0];
        assert_eq!(
            r.get("provider"),
            Some("Example Organization Inc."),
            "{name}"
        );
        assert_eq!(
            r.point,
            Some((101.0, 100.0)),
            "{name}: the example's own coordinates"
        );
    }
    // The full service: its address, phone and schedule too.
    let b = read_example(&std, "service_full.json");
    let r = &b.records[0];
    assert_eq!(r.get("id"), Some("ac148810-d857-441c-9679-408f346de14b"));
    assert_eq!(r.get("address"), Some("1-30 Main Street, MyVillage"));
    assert_eq!(r.get("locality"), Some("MyCity"));
    assert!(r.get("phone").is_some_and(|p| p.contains("+44")));
    assert_eq!(r.get("email"), Some("email@example.com"));
    // A list of services without their places gives no record, and says why for each.
    let b = read_example(&std, "service_list.json");
    assert!(b.records.is_empty());
    assert!(b
        .issues
        .iter()
        .any(|i| i.message.contains("no service_at_location")));
}

#[test]
fn the_export_reads_back_with_our_ids_without_extensions() {
    let cat = crate::common::catalog(&crate::common::demo_manifest());
    let e = bussola::export::export(&cat, "services", "hsds").unwrap();
    let dir = std::env::temp_dir().join(format!("bussola-hsds-back-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("back.json");
    std::fs::write(&file, &e.body).unwrap();
    let b = read_source(
        SourceKind::Hsds,
        &file,
        &ReadOptions::for_region(cat.region()),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stored: BTreeMap<String, bussola::model::Service> = cat
        .all()
        .unwrap()
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    assert_eq!(b.records.len(), stored.len());
    for r in &b.records {
        let id = r.get("id").unwrap();
        let s = stored.get(id).unwrap_or_else(|| panic!("{id} is ours"));
        assert_eq!(r.get("provider_id"), Some(s.provider.id.as_str()));
        assert_eq!(r.get("demo"), Some("true"));
        assert_eq!(
            r.get("precision").map(str::to_string),
            Some(
                serde_json::to_value(s.precision)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            )
        );
    }
}

#[test]
fn the_openapi_fragment_is_valid_and_names_every_hsds_route() {
    // The OGC clients' Python (`bash .ci/ogc-clients.sh`) has openapi-spec-validator.
    let python = std::env::var_os("OGC_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ogc-venv"))
        .join("bin/python");
    let ready = std::process::Command::new(&python)
        .args(["-c", "import openapi_spec_validator, yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install openapi-spec-validator (bash .ci/ogc-clients.sh)"
        );
        eprintln!("skipping: no openapi-spec-validator; run bash .ci/ogc-clients.sh");
        return;
    }
    // The router's /hsds routes, as `src/api/mod.rs` declares them (one line or several).
    let src = std::fs::read_to_string(root().join("src/api/mod.rs")).unwrap();
    let routes: Vec<&str> = src
        .split(".route(")
        .skip(1)
        .filter_map(|chunk| chunk.split('"').nth(1))
        .filter(|p| p.starts_with("/hsds"))
        .collect();
    assert_eq!(routes.len(), 12, "{routes:?}");
    let out = std::process::Command::new(&python)
        .arg(root().join("tests/ogc/fragment_check.py"))
        .arg(root().join("src/api/openapi/hsds.yaml"))
        .args(&routes)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_str(
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT "))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(r["valid"], true, "{r}");
    assert_eq!(r["missing"], json!([]), "routes not in the fragment: {r}");
    assert_eq!(
        r["extra"],
        json!([]),
        "paths the router does not serve: {r}"
    );
}
