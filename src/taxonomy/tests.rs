use super::*;

fn tax() -> Taxonomy {
    Taxonomy::default_taxonomy().expect("shipped taxonomy parses")
}

#[test]
fn has_the_five_groups_and_the_earlier_bussola_codes() {
    let t = tax();
    let groups: Vec<&str> = t.groups().iter().map(|g| g.code.as_str()).collect();
    assert_eq!(
        groups,
        ["children", "disability", "elderly", "family", "health"]
    );
    for code in [
        "CRECHE",
        "AMA",
        "PRE_ESCOLAR",
        "CATL",
        "CASA_ACOLHIMENTO",
        "CAFAP",
        "INTERVENCAO_PRECOCE",
        "CACI",
        "LAR_RESIDENCIAL",
        "CAARPD",
        "SAD_DEFICIENCIA",
        "TRANSPORTE_DEFICIENCIA",
        "ERPI",
        "CENTRO_DIA",
        "CENTRO_NOITE",
        "CENTRO_CONVIVIO",
        "SAD_IDOSOS",
        "ACOLHIMENTO_FAMILIAR_IDOSOS",
        "ATENDIMENTO_SOCIAL",
        "CENTRO_COMUNITARIO",
        "CANTINA_SOCIAL",
        "CENTRO_ALOJAMENTO_TEMPORARIO",
        "AJUDA_ALIMENTAR",
        "APOIO_VITIMAS",
    ] {
        assert!(t.get(code).is_some(), "{code} missing");
    }
    assert_eq!(t.get("ERPI").map(|r| r.group.as_str()), Some("elderly"));
    assert_eq!(t.get("CACI").map(|r| r.group.as_str()), Some("disability"));
}

#[test]
fn old_names_map_to_current_codes() {
    let t = tax();
    assert_eq!(
        t.resolve("LAR DE IDOSOS").map(|r| r.code.as_str()),
        Some("ERPI")
    );
    assert_eq!(
        t.resolve("Centro de Atividades Ocupacionais")
            .map(|r| r.code.as_str()),
        Some("CACI")
    );
    assert_eq!(
        t.resolve("centro de dia").map(|r| r.code.as_str()),
        Some("CENTRO_DIA")
    );
    assert_eq!(
        t.resolve("Jardim de Infancia").map(|r| r.code.as_str()),
        Some("PRE_ESCOLAR")
    );
    assert!(t.resolve("Hospital").is_none());
}

#[test]
fn rejects_a_response_in_an_unknown_group() {
    let bad = "[[groups]]\ncode='a'\npt='A'\nen='A'\n[[responses]]\ncode='X'\ngroup='b'\npt='X'\nen='X'\n";
    let err = Taxonomy::from_toml(bad, Path::new("t.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.toml") && err.contains("group") && err.contains("'b'"),
        "{err}"
    );
}

#[test]
fn codes_in_group_lists_elderly_responses() {
    let t = tax();
    let codes = t.codes_in_group("elderly");
    assert!(codes.contains(&"ERPI") && codes.contains(&"SAD_IDOSOS"));
    assert!(!codes.contains(&"CRECHE"));
}

/// Carta Social's classification as transcribed in `../shared/geodata` (72 rows), or `None` with
/// a printed reason outside CI when it is missing.
fn carta_social_rows() -> Option<Vec<std::collections::HashMap<String, String>>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/geodata/found/carta_social_respostas_sociais.csv");
    if !path.exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must have {path:?}");
        eprintln!("skipping: {path:?} not found");
        return None;
    }
    let mut reader = csv::Reader::from_path(&path).expect("readable CSV");
    let rows = reader
        .deserialize()
        .collect::<std::result::Result<Vec<_>, _>>()
        .expect("rows");
    Some(rows)
}

#[test]
fn every_carta_social_response_is_there_with_its_code_name_subarea_and_area() {
    let Some(rows) = carta_social_rows() else {
        return;
    };
    assert_eq!(rows.len(), 72);
    let t = tax();
    for row in &rows {
        let tp = &row["tp"];
        let r = t.by_tp(tp).unwrap_or_else(|| panic!("tp {tp} missing"));
        assert_eq!(r.official_name(), row["resposta_social"], "tp {tp}");
        assert_eq!(r.subarea.as_deref(), Some(row["subarea_vt"].as_str()));
        let sub = t.subarea(&row["subarea_vt"]).expect("subarea listed");
        assert_eq!(sub.pt, row["subarea"], "subarea of {tp}");
        let area = t.areas().iter().find(|a| a.code == sub.area);
        assert_eq!(area.map(|a| a.pt.as_str()), Some(row["area"].as_str()));
        assert!(
            r.pt_plain.is_some() && r.en_plain.is_some(),
            "plain words for {tp}"
        );
    }
    let listed = t.responses().iter().filter(|r| r.tp.is_some()).count();
    assert_eq!(
        listed, 72,
        "no response has a tp Carta Social does not list"
    );
}

#[test]
fn the_official_code_and_the_spelling_before_1990_resolve() {
    let t = tax();
    let code = |n: &str| t.resolve(n).map(|r| r.code.as_str());
    assert_eq!(code("2107"), Some("ERPI"));
    assert_eq!(code("1103"), Some("CRECHE"));
    assert_eq!(code("Centro de Actividades de Tempos Livres"), Some("CATL"));
    assert_eq!(
        code("EQUIPA DE INTERVENCAO DIRETA"),
        Some("EQUIPA_INTERVENCAO_DIRETA")
    );
    assert_eq!(code("9999"), None);
}

#[test]
fn responses_that_were_folded_together_are_apart() {
    let t = tax();
    let tp = |n: &str| t.resolve(n).and_then(|r| r.tp.as_deref());
    // Lar de Apoio is for children and young people with disabilities, not the adults' home.
    assert_eq!(tp("Lar de Apoio"), Some("1202"));
    assert_eq!(tp("Lar Residencial"), Some("2205"));
    // Creche familiar is a network of childminders (Ama), not a creche.
    assert_eq!(tp("Creche familiar"), Some("1102"));
    assert_eq!(tp("Creche"), Some("1103"));
    // Shelters and support services for victims of domestic violence are two responses.
    assert_eq!(tp("Casa de Abrigo"), Some("3402"));
    assert_eq!(tp("APOIO_VITIMAS"), Some("3401"));
}

#[test]
fn subareas_sit_under_the_groups_of_their_responses() {
    let t = tax();
    assert_eq!(t.groups_of_subarea("21"), ["elderly"]);
    assert_eq!(t.groups_of_subarea("24"), ["health"]);
    assert!(t.groups_of_subarea("99").is_empty());
}

#[test]
fn a_tp_outside_its_subarea_or_an_unknown_subarea_is_refused() {
    let base = "[[groups]]\ncode='g'\npt='G'\nen='G'\n[[areas]]\ncode='2'\npt='A'\nen='A'\n\
                [[subareas]]\ncode='21'\narea='2'\npt='S'\nen='S'\n[[responses]]\ncode='X'\n\
                group='g'\npt='X'\nen='X'\n";
    for (extra, want) in [
        ("tp='2207'\nsubarea='21'\n", "not the start of tp 2207"),
        ("subarea='22'\n", "unknown subarea '22'"),
        ("tp='21x7'\nsubarea='21'\n", "not a four-digit"),
    ] {
        let err = Taxonomy::from_toml(&format!("{base}{extra}"), Path::new("t.toml"))
            .expect_err(want)
            .to_string();
        assert!(err.contains(want) && err.contains("response X"), "{err}");
    }
}
