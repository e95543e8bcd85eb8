//! A Carta Social listing names its responses by code, by official name, without accents, by
//! abbreviation or in the spelling before 1990: every row lands on the right response.
use crate::common::errors;

use bussola::ingest::{convert_batch, read_source, Context, ReadOptions, SourceKind};
use bussola::model::Service;
use bussola::region::{Issue, Region};
use bussola::text::fold;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn region() -> Region {
    Region::load(&crate::common::demo_manifest())
        .expect("test region loads")
        .region
}

/// Writes a listing (`;`-delimited) and returns where.
fn listing(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bussola-cs-class-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Tests run in parallel: each listing gets a file of its own.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("{n}-{name}"));
    std::fs::write(&path, text).expect("write listing");
    path
}

/// Reads and converts a listing against the test region: the services by equipment name.
fn import(path: &Path, region: &Region) -> (HashMap<String, Service>, Vec<Issue>) {
    let batch = read_source(
        SourceKind::CartaSocial,
        path,
        &ReadOptions::for_region(region),
    )
    .expect("reads");
    let (services, issues) = convert_batch(&batch, &Context::new(region, &batch.source));
    let by_name = services.into_iter().map(|s| (s.name.clone(), s)).collect();
    (by_name, issues)
}

/// A row at Évora's Praça do Giraldo; the equipment name says which row it is.
fn row(equipment: &str, response: &str) -> String {
    format!("Entidade Exemplo;{equipment};{response};Évora;38,5713;-7,9079\n")
}

const HEADER: &str = "Entidade;Equipamento;Resposta Social;Concelho;Latitude;Longitude\n";

#[test]
fn all_72_responses_import_by_code_by_official_name_and_without_accents() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let csv_path = shared.join("found/carta_social_respostas_sociais.csv");
    let mut reader = csv::Reader::from_path(&csv_path).expect("classification CSV");
    let rows: Vec<HashMap<String, String>> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 72);
    let mut text = HEADER.to_string();
    let mut want = HashMap::new();
    for r in &rows {
        let (tp, official) = (&r["tp"], &r["resposta_social"]);
        // Without accents and in capitals, as old exports and spreadsheets write it.
        let plain = fold(official).to_uppercase();
        for (how, name) in [("code", tp), ("official", official), ("plain", &plain)] {
            let equipment = format!("Equipamento {tp} {how}");
            text.push_str(&row(&equipment, name));
            want.insert(equipment, tp.clone());
        }
    }
    let region = region();
    let (services, issues) = import(&listing("all-72.csv", &text), &region);
    assert!(errors(&issues).is_empty(), "{:?}", errors(&issues));
    assert_eq!(services.len(), 72 * 3);
    for (equipment, tp) in &want {
        let s = &services[equipment];
        let response = region.taxonomy.get(&s.type_code).expect("a known code");
        assert_eq!(response.tp.as_deref(), Some(tp.as_str()), "{equipment}");
    }
}

/// The responses of a listing's rows, by equipment.
fn types(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    let text: String = std::iter::once(HEADER.to_string())
        .chain(rows.iter().map(|(e, r)| row(e, r)))
        .collect();
    let region = region();
    let (services, issues) = import(&listing("some.csv", &text), &region);
    assert!(errors(&issues).is_empty(), "{:?}", errors(&issues));
    rows.iter()
        .map(|(e, _)| {
            let s = &services[*e];
            let tp = region.taxonomy.get(&s.type_code).and_then(|r| r.tp.clone());
            (s.type_code.clone(), tp.unwrap_or_default())
        })
        .collect()
}

fn pair(code: &str, tp: &str) -> (String, String) {
    (code.to_string(), tp.to_string())
}

#[test]
fn lar_de_apoio_is_for_children_and_young_people_not_the_adults_lar_residencial() {
    assert_eq!(
        types(&[
            ("A", "Lar de Apoio"),
            ("B", "Lar Residencial (Deficiência)")
        ]),
        [pair("LAR_APOIO", "1202"), pair("LAR_RESIDENCIAL", "2205")]
    );
}

#[test]
fn creche_familiar_is_under_ama_not_creche() {
    assert_eq!(
        types(&[("A", "Creche familiar"), ("B", "Creche")]),
        [pair("CRECHE_FAMILIAR", "1102"), pair("CRECHE", "1103")]
    );
}

#[test]
fn casa_de_abrigo_and_the_support_service_for_victims_are_two_responses() {
    assert_eq!(
        types(&[
            ("A", "Casa de Abrigo"),
            (
                "B",
                "Estrutura de Atendimento (Pessoas vítimas de violência doméstica)"
            ),
        ]),
        [pair("CASA_ABRIGO", "3402"), pair("APOIO_VITIMAS", "3401")]
    );
}

#[test]
fn the_usual_abbreviations_and_old_spellings_are_read() {
    assert_eq!(
        types(&[
            ("A", "ERPI"),
            ("B", "SAD"),
            ("C", "CATL"),
            ("D", "CACI"),
            ("E", "CAARPD"),
            ("F", "Centro de Actividades de Tempos Livres"),
            ("G", "Equipa de Intervenção Directa"),
        ]),
        [
            pair("ERPI", "2107"),
            pair("SAD_IDOSOS", "2101"),
            pair("CATL", "1105"),
            pair("CACI", "2203"),
            pair("CAARPD", "2201"),
            pair("CATL", "1105"),
            pair("EQUIPA_INTERVENCAO_DIRETA", "3301"),
        ]
    );
}

#[test]
fn a_code_column_wins_over_the_name_and_a_disagreement_is_reported() {
    let text = "Entidade;Equipamento;Código da resposta social;Resposta Social;Concelho;Latitude;Longitude\n\
                E;A;2107;Estrutura Residencial para Pessoas Idosas;Évora;38,5713;-7,9079\n\
                E;B;1102;Creche;Évora;38,5713;-7,9079\n\
                E;C;;Centro de Dia;Évora;38,5713;-7,9079\n";
    let region = region();
    let (services, issues) = import(&listing("code-column.csv", text), &region);
    let code = |e: &str| services[e].type_code.as_str();
    assert_eq!(
        (code("A"), code("B"), code("C")),
        ("ERPI", "CRECHE_FAMILIAR", "CENTRO_DIA")
    );
    let warnings: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("line 3") && w.contains("1102") && w.contains("disagree")),
        "{warnings:?}"
    );
    assert!(!warnings
        .iter()
        .any(|w| w.contains("line 2") && w.contains("disagree")));
}
