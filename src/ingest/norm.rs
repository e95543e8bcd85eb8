//! Small normalisations shared by the source readers: text decoding, ids, numbers, postal
//! codes, dates, legal natures and municipality names.
use crate::model::Municipality;
use crate::text::fold;
use crate::{Error, Result};
use std::path::Path;

/// A file's bytes, with the path in the error.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Text from UTF-8 (with or without a byte-order mark) or, when it is not valid UTF-8,
/// Windows-1252 (what spreadsheet programs in Portugal save as "CSV"), with `\n` line ends
/// (the CSV reader numbers CRLF lines one short).
/// Reads a JSON file in any of the encodings [`decode_text`] knows.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value> {
    crate::region::read::parse_json(&decode_text(&read_bytes(path)?), path)
}

/// A CSV reader over decoded text, and its header row (an error names the file's line 1).
pub(crate) fn csv_reader<'t>(
    text: &'t str,
    delimiter: u8,
    path: &Path,
) -> Result<(csv::Reader<&'t [u8]>, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::data(path, Some("line 1".into()), None, e.to_string()))?
        .clone();
    Ok((reader, headers))
}

/// Sets a record's municipality from a code or name; a name not in the region is a warning
/// and the municipality is left for the coordinates to decide.
pub(crate) fn set_municipality(
    r: &mut crate::ingest::Record,
    batch: &mut crate::ingest::Batch,
    municipalities: &[Municipality],
    value: &str,
) {
    match municipality_code(municipalities, value) {
        Some(code) => {
            r.set("municipality", code);
        }
        None => {
            let place = r.place.clone();
            batch.issue(
                crate::issue::Severity::Warning,
                &place,
                Some(r.name_of("municipality")),
                format!(
                    "municipality '{value}' is not one of the region's; placed by its coordinates"
                ),
            );
        }
    }
}

pub(crate) fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text: String = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    };
    text.replace("\r\n", "\n")
}

fn windows_1252(b: u8) -> char {
    // 0x80-0x9F are the only bytes where Windows-1252 differs from Latin-1.
    const HIGH: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(HIGH[usize::from(b - 0x80)]).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// A folded key for column names: accents, case and punctuation removed ("Nº Utentes" →
/// "n utentes", "E-mail" → "e mail").
pub(crate) fn column_key(s: &str) -> String {
    let f: String = fold(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A lower-case ASCII slug of at most `max` characters ("Lar de Idosos" → "lar-de-idosos").
pub(crate) fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    out.trim_end_matches('-').to_string()
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and Rust version, for ids.
pub(crate) fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A count as a whole number when it is one written with decimals ("25,0", "25.00" → "25");
/// anything else unchanged, for the conversion to report.
pub(crate) fn whole_number(raw: &str) -> String {
    let t = raw.trim();
    if let Some((int, frac)) = t.split_once([',', '.']) {
        if !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && !frac.is_empty()
            && frac.chars().all(|c| c == '0')
        {
            return int.to_string();
        }
    }
    t.to_string()
}

/// A coordinate written with a decimal point or a decimal comma.
pub(crate) fn coordinate(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// Splits "7000-123 ÉVORA" into the postal code and the locality after it; a value that does
/// not start with a postal code is returned whole as the code (the conversion warns).
pub(crate) fn split_postal(raw: &str) -> (String, Option<String>) {
    let t = raw.trim();
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if digits(0..4) && b.get(4) == Some(&b'-') && digits(5..8) {
        let rest = t[8..].trim_start_matches([' ', ',', '-']).trim();
        return (
            t[..8].to_string(),
            (!rest.is_empty()).then(|| rest.to_string()),
        );
    }
    (t.to_string(), None)
}

/// A date as YYYY-MM-DD from ISO date-times ("2024-12-31T10:00Z") or Portuguese
/// day-first dates ("31/12/2024", "31-12-2024"); anything else unchanged (the conversion warns).
pub(crate) fn date(raw: &str) -> String {
    let t = raw.trim();
    let b = t.as_bytes();
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if b.len() >= 10 && all_digits(&b[..4]) && b[4] == b'-' && b[7] == b'-' {
        return t[..10].to_string();
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if let [d, m, y] = parts[..] {
        if d.len() <= 2
            && m.len() <= 2
            && y.len() == 4
            && [d, m, y]
                .iter()
                .all(|p| !p.is_empty() && all_digits(p.as_bytes()))
        {
            return format!("{y}-{m:0>2}-{d:0>2}");
        }
    }
    t.to_string()
}

/// Our legal-nature code for the words sources use ("Instituição Particular de Solidariedade
/// Social", "Santa Casa da Misericórdia", "Entidade lucrativa", "Serviço público"...).
pub(crate) fn legal_nature(raw: &str) -> Option<&'static str> {
    let f = fold(raw);
    let has = |words: &[&str]| words.iter().any(|w| f.contains(w));
    Some(if f.contains("misericordia") || f == "scm" {
        "misericordia"
    } else if has(&["mutualista", "mutualidade"]) {
        "mutual_association"
    } else if has(&["cooperativ"]) {
        "cooperative"
    } else if has(&["sem fins lucrativos", "nao lucrativ"]) {
        // Carta Social's non-profit network is the IPSS and the bodies treated as IPSS.
        "ipss"
    } else if has(&[
        "lucrativ",
        "privad",
        "sociedade",
        " lda",
        "unipessoal",
        "private",
    ]) {
        "private_for_profit"
    } else if has(&[
        "ipss",
        "solidariedade social",
        "centro social",
        "paroquial",
        "equiparad",
    ]) {
        "ipss"
    } else if has(&[
        "public",
        "oficial",
        "estado",
        "municipal",
        "municipio",
        "camara",
        "autarquia",
        "seguranca social",
        "government",
    ]) {
        "public"
    } else if f.is_empty() || has(&["desconhecid", "unknown"]) {
        "unknown"
    } else {
        return None;
    })
}

/// The DICO code for a municipality given by code or by name (any case or accents); `None`
/// when the region has no such municipality. With no municipalities, only codes pass.
pub(crate) fn municipality_code(municipalities: &[Municipality], value: &str) -> Option<String> {
    let v = value.trim();
    let is_code = v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit());
    if is_code && (municipalities.is_empty() || municipalities.iter().any(|m| m.code == v)) {
        return Some(v.to_string());
    }
    let f = fold(v);
    municipalities
        .iter()
        .find(|m| fold(&m.name) == f)
        .map(|m| m.code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252_and_drops_the_bom() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFMour\xC3\xA3o"), "Mourão");
        assert_eq!(decode_text(b"Mour\xE3o \x80 \x96\r\n"), "Mourão € –\n");
    }

    #[test]
    fn column_keys_ignore_accents_case_and_punctuation() {
        assert_eq!(column_key("Nº Utentes"), "n utentes");
        assert_eq!(column_key(" Código  Postal "), "codigo postal");
        assert_eq!(column_key("E-mail"), "e mail");
    }

    #[test]
    fn splits_postal_codes_from_localities() {
        assert_eq!(
            split_postal("7000-123 ÉVORA"),
            ("7000-123".into(), Some("ÉVORA".into()))
        );
        assert_eq!(split_postal("7040-010"), ("7040-010".into(), None));
        assert_eq!(split_postal("7040"), ("7040".into(), None));
    }

    #[test]
    fn numbers_dates_and_slugs() {
        assert_eq!(whole_number("25,0"), "25");
        assert_eq!(whole_number("25.5"), "25.5");
        assert_eq!(whole_number("vinte"), "vinte");
        assert_eq!(coordinate("38,5714"), Some(38.5714));
        assert_eq!(date("31/12/2024"), "2024-12-31");
        assert_eq!(date("2024-12-31T10:00:00Z"), "2024-12-31");
        assert_eq!(date("1/2/2025"), "2025-02-01");
        assert_eq!(slug("Lar de Idosos (Évora)", 64), "lar-de-idosos-evora");
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn legal_natures_from_carta_social_words() {
        for (raw, code) in [
            ("IPSS", "ipss"),
            ("Instituição Particular de Solidariedade Social", "ipss"),
            ("Equiparada a IPSS", "ipss"),
            ("Santa Casa da Misericórdia", "misericordia"),
            ("Entidade lucrativa", "private_for_profit"),
            ("Entidade não lucrativa", "ipss"),
            ("Serviço público", "public"),
            ("Cooperativa de solidariedade social", "cooperative"),
            ("Associação Mutualista", "mutual_association"),
        ] {
            assert_eq!(legal_nature(raw), Some(code), "{raw}");
        }
        assert_eq!(legal_nature("Outra"), None);
    }
}
