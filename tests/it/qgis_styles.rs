//! QGIS, an independent client, reads the served styles (issue #15): through its MapLibre style
//! converter the coverage and gap maps keep every class colour (`?variant=qgis`) and the
//! no-places hatch comes from the server's sprite. Needs QGIS's Python bindings (apt
//! `python3-qgis`; `.ci/ogc-clients.sh` installs them); outside CI, without them, the test says
//! so and passes.
use crate::common::{root, Server};
use serde_json::Value;
use std::process::Command;

const PYTHON: &str = "/usr/bin/python3";

fn has_qgis() -> bool {
    Command::new(PYTHON)
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The class colours of a MapLibre style's step over `property` (the page's colours).
fn classes(style: &Value, layer: &str) -> Vec<String> {
    let l = style["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == layer)
        .unwrap();
    let case = l["paint"]["fill-color"].as_array().unwrap();
    let mut out = vec![case[2].as_str().unwrap().to_string()];
    let step = case[3].as_array().unwrap();
    out.extend(
        step[2..]
            .iter()
            .step_by(2)
            .map(|c| c.as_str().unwrap().to_string()),
    );
    out
}

#[test]
fn qgis_keeps_the_coverage_and_gap_colours_and_the_hatch() {
    if !has_qgis() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install python3-qgis (.ci/ogc-clients.sh)"
        );
        eprintln!("skipping: QGIS's Python bindings (apt python3-qgis) are not installed");
        return;
    }
    let server = Server::start("qgis-styles", &[]);
    let out = Command::new(PYTHON)
        .arg(root().join("tests/qgis/styles.py"))
        .arg(format!("http://{}", server.addr))
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap();
    for (name, fill, hatch) in [
        ("coverage", "coverage-fill", "coverage-no-places"),
        ("gaps", "gaps-fill", "gaps-no-service"),
    ] {
        let style: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("styles/{name}.json"))).unwrap(),
        )
        .unwrap();
        let want = classes(&style, fill);
        let q = &got[format!("{name}/qgis")];
        let mut colours: Vec<String> = q["fills"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| k.starts_with(fill))
            .map(|(_, c)| c.as_str().unwrap().to_string())
            .collect();
        colours.sort();
        let mut want_sorted = want.clone();
        want_sorted.sort();
        assert_eq!(colours, want_sorted, "{name}: {q}");
        let warnings = q["warnings"].to_string();
        assert!(!warnings.contains(fill), "{name}: {warnings}");
        assert!(!warnings.contains("sprite"), "{name}: {warnings}");
        assert_eq!(q["patterns"], serde_json::json!([hatch]), "{name}: {q}");
        // The page's style as it is loses them in QGIS: why the variant exists.
        let plain = &got[format!("{name}/maplibre")];
        assert!(plain["warnings"].to_string().contains(fill), "{plain}");
    }
}
