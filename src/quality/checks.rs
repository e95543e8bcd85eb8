//! Field validators used by [`crate::ingest::convert`]: Portuguese phone numbers, e-mail
//! addresses, websites, place counts, plausible capacity, stale dates and postal codes.
//!
//! Each returns `Ok` or the words of the problem; the caller decides how serious it is.
use crate::taxonomy::Response;

/// What a source can separate several values of one field with.
const LIST_SEPARATORS: &[char] = &['/', ';', ','];

/// Nine-digit prefixes of the Portuguese numbering plan (PNN) a service may publish:
/// landlines (2), mobiles (91/92/93/96), nomadic VoIP (30), freephone and shared-cost or
/// premium service numbers (800, 808, 809, 707, 708, 760–762).
const PREFIXES: &[&str] = &[
    "2", "91", "92", "93", "96", "30", "800", "808", "809", "707", "708", "760", "761", "762",
];

/// Checks one or more Portuguese phone numbers (separated by `/`, `;` or `,`); returns them in
/// international form (`+351266700000`). Short numbers, `1xx` such as `144` (the social
/// emergency line) and the European `116xxx` (`116111`, SOS Criança), are accepted as they are.
///
/// ```
/// use bussola::quality::checks::phone;
/// assert_eq!(phone("+351 266 700 000").unwrap(), ["+351266700000"]);
/// assert!(phone("266 70").is_err());
/// ```
pub fn phone(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for part in raw.split(LIST_SEPARATORS).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        out.push(one_phone(part)?);
    }
    if out.is_empty() {
        return Err(format!("'{raw}' is not a phone number"));
    }
    Ok(out)
}

fn one_phone(part: &str) -> Result<String, String> {
    // An extension ("ext. 23", "extensão 4") is for the switchboard, not the number.
    let lower = part.to_ascii_lowercase();
    let number = lower.find("ext").map_or(part, |i| &part[..i]);
    let mut digits = String::new();
    for c in number.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() => digits.push_str("00"),
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return Err(format!("'{part}' is not a phone number")),
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("00351") {
        rest
    } else if digits.starts_with("00") {
        return Err(format!("'{part}' is not a Portuguese number (+351)"));
    } else {
        digits.as_str()
    };
    let short = (national.len() == 3 && national.starts_with('1'))
        || (national.len() == 6 && national.starts_with("116"));
    if short && national == digits {
        return Ok(national.to_string());
    }
    if national.len() != 9 {
        return Err(format!(
            "'{part}' has {} digits; Portuguese numbers have 9",
            national.len()
        ));
    }
    if !PREFIXES.iter().any(|p| national.starts_with(p)) {
        return Err(format!(
            "'{part}' is not a Portuguese number: landlines start with 2, mobiles with 91, 92, 93 or 96"
        ));
    }
    Ok(format!("+351{national}"))
}

/// Checks one or more e-mail addresses (separated by `/`, `;` or `,`): a reasonable syntax
/// check, not RFC 5322.
///
/// ```
/// assert!(bussola::quality::checks::email("geral@scm-evora.pt").is_ok());
/// assert!(bussola::quality::checks::email("geral@scm-evora").is_err());
/// ```
pub fn email(raw: &str) -> Result<(), String> {
    let parts: Vec<&str> = raw
        .split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || !parts.iter().all(|p| one_email(p)) {
        return Err(format!("'{raw}' does not look like an e-mail address"));
    }
    Ok(())
}

fn one_email(s: &str) -> bool {
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    local_ok && host_ok(domain)
}

/// A host name with at least two labels, letters-only top-level domain (IDN hosts pass as
/// Unicode letters).
fn host_ok(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// What [`url`] found wrong with a website.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// A bare host such as `www.scm-evora.pt`: usable once `https://` is added.
    NoScheme(String),
    /// Not a website address.
    Invalid(String),
}

impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlProblem::NoScheme(raw) => {
                write!(f, "'{raw}' has no http:// or https://; add https://")
            }
            UrlProblem::Invalid(raw) => write!(
                f,
                "'{raw}' is not a website address (http:// or https:// and a host name)"
            ),
        }
    }
}

/// Checks a website: `http://` or `https://` and a host with a dot.
///
/// ```
/// use bussola::quality::checks::{url, UrlProblem};
/// assert!(url("https://www.scm-evora.pt/lar").is_ok());
/// assert!(matches!(url("www.scm-evora.pt"), Err(UrlProblem::NoScheme(_))));
/// ```
pub fn url(raw: &str) -> Result<(), UrlProblem> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &s[p.len()..]));
    let bare_host = |h: &str| host_ok(authority_host(h));
    match rest {
        Some(r) if !s.contains(char::is_whitespace) && bare_host(r) => Ok(()),
        None if !s.contains(char::is_whitespace) && !s.contains("://") && bare_host(s) => {
            Err(UrlProblem::NoScheme(raw.to_string()))
        }
        _ => Err(UrlProblem::Invalid(raw.to_string())),
    }
}

/// The host of `host[:port][/path...]`, without user info or port.
fn authority_host(s: &str) -> &str {
    let end = s.find(['/', '?', '#']).unwrap_or(s.len());
    let authority = &s[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.split_once(':').map_or(host, |(h, _)| h)
}

/// Parses a count of places, users or vacancies; `what` names it in messages ("capacity").
///
/// ```
/// use bussola::quality::checks::count;
/// assert_eq!(count("40", "capacity"), Ok(40));
/// assert_eq!(count("-5", "capacity").unwrap_err(), "negative capacity (-5)");
/// ```
pub fn count(raw: &str, what: &str) -> Result<u32, String> {
    let s = raw.trim();
    if let Some(rest) = s.strip_prefix('-') {
        if rest.trim().parse::<u32>().is_ok() {
            return Err(format!("negative {what} ({s})"));
        }
    }
    s.parse::<u32>()
        .map_err(|_| format!("'{raw}' is not a whole number of places"))
}

/// A warning when a capacity is implausible for its response: above the taxonomy's
/// `max_capacity`, or zero for a service that is listed as open.
pub fn plausible_capacity(capacity: u32, response: &Response, says_closed: bool) -> Option<String> {
    match response.max_capacity {
        Some(max) if capacity > max => Some(format!(
            "capacity {capacity} is implausible for {} (at most {max} expected)",
            response.code
        )),
        _ if capacity == 0 && !says_closed => {
            Some("capacity 0, but the service is listed as open".to_string())
        }
        _ => None,
    }
}

/// Whether opening hours say the service is closed ("encerrado", "fechado", "closed").
pub fn says_closed(opening_hours: Option<&str>) -> bool {
    opening_hours.is_some_and(|h| {
        let h = crate::text::fold(h);
        ["encerrad", "fechad", "closed"]
            .iter()
            .any(|w| h.contains(w))
    })
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    iso_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The `YYYY-MM-DD` date of a day count since 1970-01-01 (inverse of [`days_from_iso`]).
///
/// ```
/// use bussola::quality::checks::{days_from_iso, iso_from_days};
/// assert_eq!(iso_from_days(days_from_iso("2024-02-29").unwrap()), "2024-02-29");
/// assert_eq!(iso_from_days(0), "1970-01-01");
/// ```
pub fn iso_from_days(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a valid `YYYY-MM-DD` date.
pub fn days_from_iso(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A warning when `updated` is more than `after_days` before `today`, or after it.
///
/// ```
/// use bussola::quality::checks::stale;
/// assert_eq!(stale("2020-01-31", "2026-03-01", 730).unwrap(), "not updated since 2020-01-31 (2221 days; the limit is 730)");
/// assert!(stale("2025-06-01", "2026-03-01", 730).is_none());
/// ```
pub fn stale(updated: &str, today: &str, after_days: u32) -> Option<String> {
    let (u, t) = (days_from_iso(updated)?, days_from_iso(today)?);
    if u > t {
        return Some(format!("updated {updated} is after today ({today})"));
    }
    (t - u > i64::from(after_days)).then(|| {
        format!(
            "not updated since {updated} ({} days; the limit is {after_days})",
            t - u
        )
    })
}

/// Lives with the gazetteer, in [`crate::geocode`]; re-exported here.
pub use crate::geocode::PostalLookup;

/// A warning when a postal code belongs to another municipality than `municipality`; unknown
/// codes pass (the gazetteer may not hold every code).
pub fn postal_code(postal: &str, municipality: &str, lookup: &dyn PostalLookup) -> Option<String> {
    let (dico, locality) = lookup.municipality_of(postal)?;
    (dico != municipality).then(|| {
        format!(
            "postal code {postal} ({locality}) belongs to municipality {dico}, not {municipality}"
        )
    })
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
