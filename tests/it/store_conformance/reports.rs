//! What checks and people report: quality reports, citizens' reports, survey answers.
use super::Open;
use bussola::feedback::{Problem, Status};
use bussola::issue::{Issue, Severity};
use bussola::quality::Report;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

fn report(generated: &str, message: &str) -> Report {
    let mut r = Report::combine(Vec::new());
    r.generated = generated.into();
    r.issues.push(Issue {
        severity: Severity::Error,
        file: "servicos.csv".into(),
        place: Some("line 12".into()),
        field: Some("capacidade".into()),
        message: message.into(),
    });
    r.errors = 1;
    r
}

pub fn quality_reports_come_back_typed_and_replace(open: &Open, dir: &Path) {
    let store = open(dir);
    assert!(store.reports().unwrap().is_empty());
    let osm = report("2026-12-01", "não é um número: «quarenta»");
    store.put_report("osm", &osm).unwrap();
    store
        .put_report("(region)", &report("2026-12-01", "x"))
        .unwrap();
    let newer = report("2026-12-06", "em falta");
    store.put_report("osm", &newer).unwrap();
    let got = store.reports().unwrap();
    let sources: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(sources, ["(region)", "osm"], "one per source, by source");
    assert_eq!(
        got[1].1, newer,
        "the latest replaces the previous, field for field"
    );
}

pub fn citizens_reports_newest_first_and_resolved_once(open: &Open, dir: &Path) {
    let store = open(dir);
    let first = store
        .add_feedback("a", Problem::Closed, None, "2026-12-01T10:00:00Z")
        .unwrap();
    let second = store
        .add_feedback(
            "b",
            Problem::WrongPlace,
            Some("fica na outra rua"),
            "2026-12-02T10:00:00Z",
        )
        .unwrap();
    let third = store
        .add_feedback(
            "a",
            Problem::Other,
            Some("«horário»"),
            "2026-12-03T10:00:00Z",
        )
        .unwrap();
    assert!(first.id < second.id && second.id < third.id);
    assert_eq!(first.status, Status::Open);
    let all = store.feedback(None).unwrap();
    assert_eq!(
        all,
        vec![third.clone(), second, first.clone()],
        "newest first"
    );
    assert_eq!(
        store.feedback(Some("a")).unwrap(),
        vec![third, first.clone()]
    );
    assert!(store.feedback(Some("zz")).unwrap().is_empty());
    assert!(store.resolve_feedback(first.id).unwrap());
    assert!(!store.resolve_feedback(first.id).unwrap(), "resolved once");
    assert!(!store.resolve_feedback(first.id + 1_000).unwrap());
    let now = store.feedback(Some("a")).unwrap();
    assert_eq!(now[1].status, Status::Resolved);
    assert_eq!(now[0].status, Status::Open);
}

pub fn survey_answers_come_back_typed_oldest_first(open: &Open, dir: &Path) {
    let store = open(dir);
    let answers = |pairs: &[(&str, Value)]| -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    let one = answers(&[
        ("useful", json!(4)),
        ("found", json!(true)),
        ("missing", json!(["creche", "sad"])),
        ("comment", json!("fácil de usar, \"muito\"")),
    ]);
    let two = answers(&[("useful", json!(2))]);
    let a = store
        .add_survey_answers("public", None, &one, "2026-12-01T10:00:00Z")
        .unwrap();
    let b = store
        .add_survey_answers("provider", Some("moderator"), &two, "2026-12-02T10:00:00Z")
        .unwrap();
    assert!(a < b);
    let sets = store.survey_answers().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!((sets[0].id, sets[0].answers.clone()), (a, one));
    assert_eq!(sets[0].role, None);
    assert_eq!(sets[1].audience, "provider");
    assert_eq!(sets[1].role.as_deref(), Some("moderator"));
    assert_eq!(sets[1].created, "2026-12-02T10:00:00Z");
    assert_eq!(sets[1].answers, two);
}
