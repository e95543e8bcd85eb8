use super::*;
use crate::taxonomy::Taxonomy;
use std::collections::HashMap;

#[test]
fn portuguese_phone_numbers_in_the_forms_sources_publish() {
    assert_eq!(phone("266 700 000").unwrap(), ["+351266700000"]);
    assert_eq!(phone("+351 266 700 000").unwrap(), ["+351266700000"]);
    assert_eq!(phone("00351 266-700-000").unwrap(), ["+351266700000"]);
    assert_eq!(phone("(+351) 266.700.000").unwrap(), ["+351266700000"]);
    assert_eq!(phone("912345678").unwrap(), ["+351912345678"]);
    assert_eq!(phone("96 123 45 67").unwrap(), ["+351961234567"]);
    assert_eq!(phone("800 200 200").unwrap(), ["+351800200200"]);
    assert_eq!(phone("707 200 200").unwrap(), ["+351707200200"]);
    assert_eq!(phone("144").unwrap(), ["144"]);
    assert_eq!(phone("116 111").unwrap(), ["116111"]);
    assert_eq!(
        phone("266700000 / 912345678").unwrap(),
        ["+351266700000", "+351912345678"]
    );
    assert_eq!(
        phone("266 700 000; 266 700 001, 934 567 890")
            .unwrap()
            .len(),
        3
    );
    assert_eq!(phone("266 700 000 ext. 23").unwrap(), ["+351266700000"]);
    assert_eq!(phone("266 700 000 (Ext 4)").unwrap(), ["+351266700000"]);
}

#[test]
fn bad_phone_numbers_say_why() {
    assert_eq!(
        phone("12345").unwrap_err(),
        "'12345' has 5 digits; Portuguese numbers have 9"
    );
    assert!(phone("266 70").unwrap_err().contains("has 5 digits"));
    assert_eq!(phone("abc").unwrap_err(), "'abc' is not a phone number");
    assert!(phone("+34 915 123 456").unwrap_err().contains("+351"));
    // 94x and 1xx nine-digit numbers are not in the plan.
    assert!(phone("941 234 567")
        .unwrap_err()
        .contains("mobiles with 91"));
    assert!(phone("123 456 789").is_err());
    // One bad number in a list is enough to flag the field.
    assert!(phone("266 700 000 / 9123").is_err());
    assert!(phone(" / ").is_err());
}

#[test]
fn e_mail_syntax() {
    for ok in [
        "geral@scm-evora.pt",
        "lar.sao.jose@gmail.com",
        "a+b@cm-estremoz.pt",
        "mailto:info@example.org",
        "geral@scm-evora.pt; lar@scm-evora.pt",
    ] {
        assert!(email(ok).is_ok(), "{ok}");
    }
    for bad in [
        "sem-arroba",
        "geral@",
        "@scm-evora.pt",
        "geral@scm-evora",
        "geral@@scm-evora.pt",
        "ge ral@scm-evora.pt",
        "geral@scm_evora.pt",
        ".geral@scm-evora.pt",
        "geral@scm-evora.p1",
        "geral@scm-evora.pt, nada",
    ] {
        assert_eq!(
            email(bad).unwrap_err(),
            format!("'{bad}' does not look like an e-mail address")
        );
    }
}

#[test]
fn websites_need_a_scheme_and_a_host_with_a_dot() {
    assert!(url("https://www.scm-evora.pt").is_ok());
    assert!(url("http://cm-mora.pt/servicos?x=1").is_ok());
    assert!(url("HTTPS://example.org:8443/a").is_ok());
    assert_eq!(
        url("www.scm-evora.pt").unwrap_err().to_string(),
        "'www.scm-evora.pt' has no http:// or https://; add https://"
    );
    assert!(matches!(
        url("scm-evora.pt/lar"),
        Err(UrlProblem::NoScheme(_))
    ));
    for bad in [
        "https://localhost",
        "ftp://scm-evora.pt",
        "https://",
        "https://scm evora.pt",
        "facebook",
    ] {
        assert!(matches!(url(bad), Err(UrlProblem::Invalid(_))), "{bad}");
    }
}

#[test]
fn counts_reject_negative_and_words() {
    assert_eq!(count(" 84 ", "capacity"), Ok(84));
    assert_eq!(
        count("-5", "capacity").unwrap_err(),
        "negative capacity (-5)"
    );
    assert_eq!(count("- 3", "users").unwrap_err(), "negative users (- 3)");
    assert_eq!(
        count("muitos", "capacity").unwrap_err(),
        "'muitos' is not a whole number of places"
    );
    assert!(count("12.5", "capacity").is_err());
}

#[test]
fn capacity_plausible_for_the_response() {
    let t = Taxonomy::default_taxonomy().unwrap();
    let erpi = t.get("ERPI").unwrap();
    let max = erpi.max_capacity.expect("ERPI has a plausible maximum");
    assert!(plausible_capacity(max, erpi, false).is_none());
    assert_eq!(
        plausible_capacity(1200, erpi, false).unwrap(),
        format!("capacity 1200 is implausible for ERPI (at most {max} expected)")
    );
    assert_eq!(
        plausible_capacity(0, erpi, false).unwrap(),
        "capacity 0, but the service is listed as open"
    );
    assert!(plausible_capacity(0, erpi, says_closed(Some("Encerrado para obras"))).is_none());
    assert!(!says_closed(Some("2.ª a 6.ª, 8h-19h")));
    let ama = t.get("AMA").unwrap();
    assert!(plausible_capacity(40, ama, false).is_some());
}

#[test]
fn dates_and_staleness() {
    assert_eq!(days_from_iso("1970-01-01"), Some(0));
    assert_eq!(days_from_iso("2000-03-01"), Some(11_017));
    assert_eq!(days_from_iso("2024-02-29").map(|d| d - 19_782), Some(0));
    assert_eq!(days_from_iso("2023-02-29"), None);
    assert_eq!(days_from_iso("2026-13-01"), None);
    assert_eq!(days_from_iso("15/01/2026"), None);
    assert_eq!(
        stale("2020-01-31", "2026-03-01", 730).unwrap(),
        "not updated since 2020-01-31 (2221 days; the limit is 730)"
    );
    assert!(stale("2024-03-01", "2026-03-01", 730).is_none());
    assert!(stale("2024-02-29", "2026-03-01", 730).is_some());
    assert_eq!(
        stale("2027-01-01", "2026-03-01", 730).unwrap(),
        "updated 2027-01-01 is after today (2026-03-01)"
    );
    assert!(stale("not a date", "2026-03-01", 730).is_none());
}

#[test]
fn postal_code_against_the_declared_municipality() {
    let mut g: HashMap<String, (String, String)> = HashMap::new();
    g.insert("7000-123".into(), ("0705".into(), "Évora".into()));
    assert!(postal_code("7000-123", "0705", &g).is_none());
    assert_eq!(
        postal_code("7000-123", "0701", &g).unwrap(),
        "postal code 7000-123 (Évora) belongs to municipality 0705, not 0701"
    );
    assert!(postal_code("7100-001", "0701", &g).is_none());
}
