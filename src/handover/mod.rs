//! Help someone else find care (issue #20): what a social worker, a relative, a parish office
//! or a pharmacist uses to look care up for a person who will not use the map.
//!
//! - [`link`]: the state of a search and of the services chosen from it, written in a link (the
//!   map page, the plain page and the sheet read the same link; nothing is stored).
//! - [`find`]: the search a link asks for — a typed place or postal code placed as `/api/places`
//!   places it, then the nearest services exactly as `/api/nearest` finds them.
//! - [`page`]: the plain page (`/find`): a form and the results as HTML, without a script, a few
//!   kilobytes, for very old phones and slow connections.
//! - [`sheet`]: the sheet to hand over (`/sheet`): one A4 page in large type with the chosen
//!   services, a small map ([`map`]) and a QR code ([`qr`]) of its own link; its text for an
//!   e-mail.
//!
//! Everything here is made from the link and the catalog: no HTTP, no storage.
pub mod find;
pub mod link;
pub mod map;
pub mod page;
pub mod qr;
pub mod sheet;
mod words;

pub use link::{Lang, Link, Size};

/// Text for HTML: `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) use crate::quality::report::escape;

/// A distance for people: "850 m", "1,2 km", "12 km" (a comma in Portuguese).
pub fn distance(m: f64, lang: Lang) -> String {
    let text = if m < 1000.0 {
        format!("{} m", ((m / 10.0).round() * 10.0) as i64)
    } else if m < 10_000.0 {
        format!("{:.1} km", m / 1000.0)
    } else {
        format!("{:.0} km", m / 1000.0)
    };
    match lang {
        Lang::Pt => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A `tel:` address: the digits (and a leading `+`) of a phone number as people write it, up to
/// the first word ("266 000 243 (ext. 2)" calls 266000243).
pub fn tel(phone: &str) -> String {
    let phone = phone.trim();
    let mut out: String = phone.starts_with('+').then_some('+').into_iter().collect();
    out.extend(
        phone
            .chars()
            .take_while(|c| !c.is_alphabetic())
            .filter(char::is_ascii_digit),
    );
    out
}

/// A day as people read it: "7 de dezembro de 2026", "7 December 2026".
pub fn day(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const PT: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = d.month0() as usize % 12;
    match lang {
        Lang::Pt => format!("{} de {} de {}", d.day(), PT[m], d.year()),
        Lang::En => format!("{} {} {}", d.day(), EN[m], d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_phones_and_days_read_as_people_write_them() {
        assert_eq!(distance(847.0, Lang::Pt), "850 m");
        assert_eq!(distance(1234.0, Lang::Pt), "1,2 km");
        assert_eq!(distance(1234.0, Lang::En), "1.2 km");
        assert_eq!(distance(12_345.0, Lang::En), "12 km");
        assert_eq!(tel("+351 266 000 243"), "+351266000243");
        assert_eq!(tel("266 000 243 (ext. 2)"), "266000243");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(day(d, Lang::Pt), "7 de dezembro de 2026");
        assert_eq!(day(d, Lang::En), "7 December 2026");
    }
}
