use super::*;
use crate::model::Municipality;

fn municipality(code: &str, name: &str) -> Municipality {
    Municipality::bare(code, name)
}

fn read_bytes(name: &str, bytes: &[u8], municipalities: &[Municipality]) -> Batch {
    let dir = std::env::temp_dir().join(format!("bussola-cs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    let options = ReadOptions {
        municipalities,
        taxonomy: None,
        crs: None,
    };
    let batch = read(&path, &options).expect("reads");
    let _ = std::fs::remove_file(&path);
    batch
}

#[test]
fn reads_windows_1252_with_commas_and_other_column_names() {
    // "Mourão" and "Capacidade Total" in Windows-1252, comma-delimited, decimal commas quoted.
    let text = b"Nome da Entidade,Nome do Equipamento,Tipo de Resposta,Capacidade Total,Utentes,\
Concelho,C\xF3digo Postal,Latitude,Longitude,Distrito\r\n\
Centro Social de Mour\xE3o,Centro de Conv\xEDvio da Luz,Centro de Conv\xEDvio,\"20,0\",12,\
MOUR\xC3O,7240-100 LUZ,\"38,3420\",\"-7,3790\",\xC9vora\r\n";
    let m = [municipality("0708", "Mourão")];
    let b = read_bytes("w1252.csv", text, &m);
    assert_eq!(b.records.len(), 1, "{:?}", b.issues);
    let r = &b.records[0];
    assert_eq!(r.place, "line 2");
    assert_eq!(r.get("provider"), Some("Centro Social de Mourão"));
    assert_eq!(r.get("name"), Some("Centro de Convívio da Luz"));
    assert_eq!(r.get("type"), Some("Centro de Convívio"));
    assert_eq!(r.get("capacity"), Some("20"));
    assert_eq!(r.get("municipality"), Some("0708"));
    assert_eq!(r.get("postal_code"), Some("7240-100"));
    assert_eq!(r.get("locality"), Some("LUZ"));
    assert_eq!(r.point, Some((-7.379, 38.342)));
    assert_eq!(r.name_of("capacity"), "Capacidade Total");
    assert!(r
        .get("id")
        .is_some_and(|id| id.starts_with("cs-centro-de-convivio-da-luz-centro-de-convivio-")));
    assert!(b.issues.is_empty(), "{:?}", b.issues);
}

#[test]
fn ids_are_stable_and_differ_by_response() {
    let text =
        "Entidade;Equipamento;Resposta Social\nA;Casa;Centro de Dia\nA;Casa;Centro de Noite\n";
    let a = read_bytes("ids-a.csv", text.as_bytes(), &[]);
    let b = read_bytes("ids-b.csv", text.as_bytes(), &[]);
    let ids = |b: &Batch| {
        b.records
            .iter()
            .map(|r| r.get("id").unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_ne!(ids(&a)[0], ids(&a)[1]);
}

#[test]
fn a_repeated_row_is_a_duplicate_error_naming_both_lines() {
    let text = "Entidade;Equipamento;Resposta Social\nA;Casa;Centro de Dia\nA;Casa;Centro de Dia\n";
    let b = read_bytes("dup.csv", text.as_bytes(), &[]);
    assert_eq!(b.records.len(), 1);
    let e = &b.issues[0];
    assert_eq!(
        (e.severity, e.place.as_deref()),
        (Severity::Error, Some("line 3"))
    );
    assert!(e.message.contains("line 2"), "{}", e.message);
}

#[test]
fn unknown_municipality_and_bad_coordinate_are_reported() {
    let text = "Entidade;Equipamento;Resposta Social;Concelho;Latitude;Longitude\n\
A;Casa A;Creche;Lisboa;38,57;-7,90\n\
B;Casa B;Creche;Évora;38 N;-7,90\n";
    let m = [municipality("0705", "Évora")];
    let b = read_bytes("bad.csv", text.as_bytes(), &m);
    assert_eq!(b.records.len(), 1);
    assert_eq!(b.records[0].get("municipality"), None);
    let msgs: Vec<String> = b.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.starts_with("warning")
            && m.contains("line 2")
            && m.contains("'Concelho'")
            && m.contains("Lisboa")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("error")
            && m.contains("line 3")
            && m.contains("'Latitude'")
            && m.contains("38 N")),
        "{msgs:?}"
    );
}

#[test]
fn home_support_for_people_with_disabilities_gets_its_own_code() {
    let text = "Entidade;Equipamento;Resposta Social;População-alvo\n\
A;Casa;Serviço de Apoio Domiciliário;Pessoas com deficiência\n\
A;Casa;Serviço de Apoio Domiciliário;Pessoas idosas\n";
    let b = read_bytes("sad.csv", text.as_bytes(), &[]);
    let types: Vec<_> = b.records.iter().map(|r| r.get("type")).collect();
    assert_eq!(
        types,
        [
            Some("SAD_DEFICIENCIA"),
            Some("Serviço de Apoio Domiciliário")
        ]
    );
}

#[test]
fn a_file_without_a_response_column_is_refused() {
    let dir = std::env::temp_dir().join(format!("bussola-cs-none-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("x.csv");
    std::fs::write(&path, "nome;morada\nA;B\n").expect("write");
    let err = read(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x.csv") && err.contains("Resposta social"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn home_support_and_transport_are_told_apart_by_the_target_population() {
    let text = "Entidade;Equipamento;Resposta Social;Subárea\n\
A;Casa 1;Serviço de Apoio Domiciliário;23\n\
A;Casa 2;Serviço de Apoio Domiciliário;Pessoas com VIH/SIDA e suas Famílias\n\
A;Casa 3;Transporte de Pessoas com Deficiência;Crianças e Jovens com Deficiência\n\
A;Casa 4;Transporte de Pessoas com Deficiência;22\n";
    let b = read_bytes("told-apart.csv", text.as_bytes(), &[]);
    let types: Vec<_> = b.records.iter().map(|r| r.get("type")).collect();
    assert_eq!(
        types,
        [
            Some("SAD_DEPENDENCIA"),
            Some("SAD_VIH"),
            Some("TRANSPORTE_DEFICIENCIA_CRIANCAS"),
            Some("Transporte de Pessoas com Deficiência"),
        ]
    );
}
