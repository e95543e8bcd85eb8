//! An offer as an iCalendar file (RFC 5545), for "add to calendar": one all-day event from its
//! first to its last day, with where, how to enrol and a link to its page.
use crate::model::training::{Modality, Offer};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

fn day(s: &str, field: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| Error::Internal(format!("offer's {field} '{s}': {e}")))
}

/// Where an offer is, in words: "online", or its address, postal code and locality.
pub fn place_words(o: &Offer) -> String {
    if o.modality == Modality::Online {
        return "Online".into();
    }
    let parts = [&o.address, &o.postal_code, &o.locality];
    parts
        .iter()
        .filter_map(|p| p.as_deref())
        .collect::<Vec<_>>()
        .join(", ")
}

fn description(o: &Offer, page: &str) -> String {
    let mut lines = vec![format!("{} — {}", o.title, o.organiser.name)];
    if let Some(d) = &o.description {
        lines.push(d.clone());
    }
    if let Some(s) = &o.schedule {
        lines.push(s.clone());
    }
    if let Some(h) = o.hours {
        lines.push(format!("{h} h"));
    }
    let e = &o.enrol;
    for v in [&e.url, &e.phone, &e.email].into_iter().flatten() {
        lines.push(v.clone());
    }
    lines.push(page.to_string());
    lines.join("\n")
}

/// The calendar of one offer: `page` is the offer's public page, `host` names the service (for
/// the event's UID), `stamp` when the file was made.
///
/// ```
/// use bussola::model::training::Offer;
/// let o = Offer { id: "tr-1".into(), title: "Primeiros socorros".into(),
///                 start: "2027-01-10".into(), end: "2027-01-12".into(), ..Offer::default() };
/// let ics = bussola::training::ics::calendar(&o, "https://b.pt/training/tr-1", "b.pt",
///                                              chrono::DateTime::UNIX_EPOCH).unwrap();
/// assert!(ics.contains("DTSTART;VALUE=DATE:20270110"));
/// assert!(ics.contains("DTEND;VALUE=DATE:20270113"), "the day after the last, as RFC 5545 says");
/// ```
pub fn calendar(o: &Offer, page: &str, host: &str, stamp: DateTime<Utc>) -> Result<String> {
    let start = day(&o.start, "start")?;
    let end = day(&o.end, "end")?
        .succ_opt()
        .ok_or_else(|| Error::Internal(format!("offer {} ends at the end of time", o.id)))?;
    let mut ev = Event::new();
    ev.uid(&format!("{}@{host}", o.id))
        .timestamp(stamp)
        .summary(&o.title)
        .description(&description(o, page))
        .starts(start)
        .ends(end)
        .url(page);
    let place = place_words(o);
    if !place.is_empty() {
        ev.location(&place);
    }
    if let Some([lon, lat]) = o.position {
        ev.add_property("GEO", format!("{lat:.6};{lon:.6}"));
    }
    let cal = Calendar::new().name(&o.title).push(ev.done()).done();
    Ok(cal.to_string())
}
