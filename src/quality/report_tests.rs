use super::*;

fn issue(sev: Severity, file: &str, place: &str, field: Option<&str>, msg: &str) -> Issue {
    Issue {
        severity: sev,
        file: PathBuf::from(file),
        place: Some(place.into()),
        field: field.map(str::to_string),
        message: msg.into(),
    }
}

fn sample() -> Report {
    let issues = vec![
        issue(
            Severity::Warning,
            "a.csv",
            "line 2",
            Some("email"),
            "'x' does not look like an e-mail address",
        ),
        issue(
            Severity::Warning,
            "b.geojson",
            "feature 1",
            Some("phone"),
            "'12345' has 5 digits; Portuguese numbers have 9",
        ),
        issue(
            Severity::Error,
            "a.csv",
            "line 3",
            Some("type"),
            "unknown response type '<script>alert(1)</script>'",
        ),
    ];
    let sources = vec![SourceSummary {
        source: "carta-social".into(),
        file: "a.csv".into(),
        records: 3,
        accepted: 2,
        rejected: 1,
        warnings: 1,
        demo: false,
        sha256: None,
    }];
    let merges = vec![Merge {
        kept_id: "cs-1".into(),
        merged_id: "osm-9".into(),
        type_code: "ERPI".into(),
        names: ["Lar de São José".into(), "Lar S. José & Cª".into()],
        sources: ["carta-social".into(), "osm".into()],
        distance_m: 23.4,
        similarity: 1.0,
    }];
    Report::from_issues("2026-03-01", sources, issues, merges)
}

#[test]
fn issues_grouped_by_file_errors_first_and_counted() {
    let r = sample();
    let order: Vec<(&str, Severity)> = r
        .issues
        .iter()
        .map(|i| (i.file.to_str().unwrap_or(""), i.severity))
        .collect();
    assert_eq!(
        order,
        [
            ("a.csv", Severity::Error),
            ("a.csv", Severity::Warning),
            ("b.geojson", Severity::Warning)
        ]
    );
    assert_eq!((r.errors, r.warnings), (1, 3));
}

#[test]
fn text_has_a_line_per_source_then_issues_by_file() {
    let t = sample().to_text();
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines[0], "Quality report, 2026-03-01");
    assert_eq!(
        lines[1],
        "  a.csv (carta-social, real data): 3 records, 2 accepted, 1 rejected, 1 warnings"
    );
    assert_eq!(lines[2], "1 errors, 3 warnings, 1 merged");
    // Each issue is a whole line naming file, place and field; errors before warnings.
    let err = t
        .find("\n\nerror: a.csv, line 3, field 'type': unknown response type")
        .expect("error line");
    let warn = t
        .find("\nwarning: a.csv, line 2, field 'email'")
        .expect("warning line");
    assert!(err < warn, "{t}");
    assert!(t.contains("\n\nwarning: b.geojson, feature 1, field 'phone': '12345' has 5 digits"));
    assert!(t.contains("  warning: osm-9 (osm) merged into cs-1 (carta-social): same type ERPI, names 'Lar de São José' / 'Lar S. José & Cª', 23 m apart"));
}

#[test]
fn html_escapes_data_and_switches_language() {
    let r = sample();
    let pt = r.to_html(Lang::Pt);
    assert!(pt.starts_with("<!doctype html>\n<html lang=\"pt\">"));
    assert!(!pt.contains("<script>"), "data must be escaped");
    assert!(pt.contains("unknown response type &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"));
    assert!(pt.contains("Lar S. José &amp; Cª"));
    assert!(pt.contains("Relatório de qualidade dos dados"));
    assert!(
        pt.contains("<tr class=\"error\"><td>erro</td><td>a.csv</td><td>line 3</td><td>type</td>")
    );
    assert!(pt.contains("Só erros (1)") && pt.contains("Só avisos (2)"));
    assert!(pt.contains("<a href=\"?lang=pt\" lang=\"pt\" aria-current=\"page\">"));
    assert!(pt.contains("<td class=\"n\">23 m</td>"));
    let en = r.to_html(Lang::from_param(Some("EN")));
    assert!(en.contains("<html lang=\"en\">") && en.contains("Data quality report"));
    assert!(en.contains("<a href=\"?lang=en\" lang=\"en\" aria-current=\"page\">"));
    assert_eq!(Lang::from_param(Some("fr")), Lang::Pt);
    // No scripts and no style sheet to fetch; the only link is the site's own icon.
    assert!(!pt.contains("src=") && !pt.contains("stylesheet"));
    assert_eq!(pt.matches("<link").count(), 1);
    assert!(pt.contains("<link rel=\"icon\" href=\"/icon.svg\""));
    assert!(pt.contains("<a href=\"/?lang=pt\">Voltar ao mapa</a>"));
}

#[test]
fn escape_covers_the_five_characters() {
    assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    assert_eq!(
        escape("<script>alert(\"x\")</script>"),
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    );
    assert_eq!(escape("Évora — ok"), "Évora — ok");
}

#[test]
fn json_has_the_documented_fields() {
    let v = serde_json::to_value(sample()).expect("serialises");
    assert_eq!(v["generated"], "2026-03-01");
    assert_eq!(v["errors"], 1);
    assert_eq!(v["sources"][0]["rejected"], 1);
    assert_eq!(v["issues"][0]["severity"], "error");
    assert_eq!(v["issues"][0]["field"], "type");
    assert_eq!(v["merges"][0]["kept_id"], "cs-1");
    assert_eq!(v["merges"][0]["names"][1], "Lar S. José & Cª");
}

#[test]
fn public_paths_are_relative_to_the_manifest_or_the_file_name() {
    let base = "/nonexistent-bussola/srv/geodata/alentejo";
    let report = Report::from_issues(
        "2026-03-01",
        vec![SourceSummary {
            source: "osm".into(),
            file: format!("{base}/evora/creches.geojson").into(),
            records: 1,
            accepted: 1,
            rejected: 0,
            warnings: 0,
            demo: false,
            sha256: None,
        }],
        vec![
            issue(
                Severity::Error,
                &format!("{base}/region.toml"),
                "x",
                None,
                "m",
            ),
            issue(Severity::Error, "/home/ana/lares.csv", "line 2", None, "m"),
            issue(
                Severity::Error,
                &format!("{base}/../x/o.csv"),
                "line 2",
                None,
                "m",
            ),
        ],
        Vec::new(),
    )
    .with_public_paths(&[PathBuf::from(base)]);
    let files: Vec<PathBuf> = report.issues.iter().map(|i| i.file.clone()).collect();
    assert_eq!(
        files,
        [
            PathBuf::from("region.toml"),
            "lares.csv".into(),
            "o.csv".into()
        ]
    );
    assert_eq!(
        report.sources[0].file,
        PathBuf::from("evora/creches.geojson")
    );
}

#[test]
fn a_stored_report_shows_no_server_path() {
    let report = Report::from_issues(
        "2026-03-01",
        Vec::new(),
        vec![
            issue(Severity::Error, "/srv/data/a.csv", "line 2", None, "m"),
            issue(Severity::Error, "../../b.csv", "line 2", None, "m"),
            issue(Severity::Error, "evora/c.csv", "line 2", None, "m"),
        ],
        Vec::new(),
    )
    .without_server_paths();
    let files: Vec<&Path> = report.issues.iter().map(|i| i.file.as_path()).collect();
    assert_eq!(
        files,
        [
            Path::new("a.csv"),
            Path::new("b.csv"),
            Path::new("evora/c.csv")
        ]
    );
}
