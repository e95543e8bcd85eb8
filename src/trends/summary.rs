//! What changed between two days, per municipality, from the change history: services opened
//! and closed, places and vacancies changed, each with who changed it by role (`provider`,
//! `moderator`, `admin`), or by source for writes outside accounts (`import`, `data`), never
//! the person. Only applied changes count, on the day they went live.
use super::backfill::effective;
use super::{day_of, day_text};
use crate::catalog::history_rows::{CLOSED, OPENED};
use crate::catalog::Catalog;
use crate::model::Facts;
use crate::store::{Change, ChangeQuery, ChangeStatus, Subject};
use crate::{Error, Result};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// How many days a summary covers when `from` is not given.
pub const DEFAULT_DAYS: i64 = 30;

/// One service opened, closed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The service's id.
    pub service: String,
    /// Its name.
    pub name: String,
    /// Its response code.
    #[serde(rename = "type")]
    pub type_code: String,
    /// What changed: `opened`, `closed`, `capacity` or `vacancies`.
    pub field: String,
    /// The value before (`null` for an opening).
    pub old: Value,
    /// The value after (`null` for a closing).
    pub new: Value,
    /// When it went live (RFC 3339, UTC).
    pub at: String,
    /// Who, by role (or `import`, `data`).
    pub by: String,
}

/// What changed in one municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Municipality {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its sub-region (the region, with one).
    pub region: String,
    /// Services opened, oldest first.
    pub opened: Vec<Event>,
    /// Services closed, oldest first.
    pub closed: Vec<Event>,
    /// Places (`capacity`) and vacancies changed, oldest first.
    pub changed: Vec<Event>,
    /// Places gained (or lost, below zero): openings, closings and capacity changes.
    pub places: i64,
    /// How many of these events each role (or source) made.
    pub by: BTreeMap<String, u64>,
}

/// The sums over all municipalities.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Services opened.
    pub opened: usize,
    /// Services closed.
    pub closed: usize,
    /// Places and vacancies changes.
    pub changed: usize,
    /// Places gained (or lost).
    pub places: i64,
    /// Events by role (or source).
    pub by: BTreeMap<String, u64>,
}

/// What changed between two days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The first day (YYYY-MM-DD).
    pub from: String,
    /// The last day (YYYY-MM-DD).
    pub to: String,
    /// The municipalities where something changed, in code order.
    pub municipalities: Vec<Municipality>,
    /// The sums.
    pub totals: Totals,
}

fn day(param: &str, s: &str) -> Result<i64> {
    crate::quality::checks::days_from_iso(s)
        .filter(|d| day_text(*d) == s)
        .ok_or_else(|| Error::param(param, format!("'{s}' is not a day YYYY-MM-DD")))
}

/// What a service is, for an event: name, response, municipality.
struct Known {
    name: String,
    type_code: String,
    municipality: String,
}

fn known_of(v: &Value) -> Option<Known> {
    Some(Known {
        name: v["name"].as_str().unwrap_or_default().to_string(),
        type_code: v["type"].as_str()?.to_string(),
        municipality: v["municipality"].as_str()?.to_string(),
    })
}

/// Places as a number (unknown counts as none).
fn places(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// What changed from `from` to `to` (days, inclusive; `to` defaults to `today`, `from` to
/// [`DEFAULT_DAYS`] before `to`), in one municipality or in all (`municipality`), or in one
/// sub-region's (`region`).
pub fn summary(
    cat: &Catalog,
    from: Option<&str>,
    to: Option<&str>,
    municipality: Option<&str>,
    part: Option<&str>,
    today: i64,
) -> Result<Summary> {
    let region = cat.region();
    let last = to.map(|t| day("to", t)).transpose()?.unwrap_or(today);
    let first = from
        .map(|f| day("from", f))
        .transpose()?
        .unwrap_or(last - DEFAULT_DAYS + 1);
    if first > last {
        return Err(Error::param(
            "from",
            format!("{} is after to ({})", day_text(first), day_text(last)),
        ));
    }
    if let Some(m) = municipality.filter(|m| region.municipality(m).is_none()) {
        return Err(Error::param(
            "municipality",
            format!("unknown municipality code '{m}' (see /api/municipalities)"),
        ));
    }
    if let Some(p) = part.filter(|p| region.part(p).is_none()) {
        let ids: Vec<&str> = region.ids().collect();
        return Err(Error::param(
            "region",
            format!("unknown region '{p}'; one of {}", ids.join(", ")),
        ));
    }
    let changes = cat.store().changes(&ChangeQuery {
        status: Some(ChangeStatus::Applied),
        subject: Some(Subject::Service),
        service_id: None,
    })?;
    let wanted = ["capacity", "vacancies", OPENED, CLOSED];
    let mut inside: Vec<&Change> = changes
        .iter()
        .filter(|c| wanted.contains(&c.change.field.as_str()))
        .filter(|c| (first..=last).contains(&day_of(effective(c))))
        .collect();
    inside.sort_by_key(|c| (effective(c), c.id));
    let mut known: HashMap<String, Known> = HashMap::new();
    for c in &inside {
        let v = match c.change.field.as_str() {
            OPENED => &c.change.new,
            CLOSED => &c.change.old,
            _ => continue,
        };
        if let Some(k) = known_of(v) {
            known.insert(c.change.service_id.clone(), k);
        }
    }
    // Services still there are as the index shows them now.
    cat.with_briefs(|it| {
        for b in it {
            known.insert(
                b.id().to_string(),
                Known {
                    name: b.name().to_string(),
                    type_code: b.type_code().to_string(),
                    municipality: b.municipality().to_string(),
                },
            );
        }
    });
    let mut rows: BTreeMap<String, Municipality> = BTreeMap::new();
    for c in inside {
        let Some(k) = known.get(&c.change.service_id) else {
            continue;
        };
        let Some(m) = region.municipality(&k.municipality) else {
            continue;
        };
        if municipality.is_some_and(|x| x != m.code) || part.is_some_and(|p| p != m.region) {
            continue;
        }
        let row = rows.entry(m.code.clone()).or_insert_with(|| Municipality {
            code: m.code.clone(),
            name: m.name.clone(),
            region: m.region.clone(),
            opened: Vec::new(),
            closed: Vec::new(),
            changed: Vec::new(),
            places: 0,
            by: BTreeMap::new(),
        });
        let by = c
            .change
            .role
            .clone()
            .unwrap_or_else(|| c.change.source.clone());
        *row.by.entry(by.clone()).or_default() += 1;
        let field = c.change.field.as_str();
        let event = Event {
            service: c.change.service_id.clone(),
            name: k.name.clone(),
            type_code: k.type_code.clone(),
            field: field.to_string(),
            old: c.change.old.clone(),
            new: c.change.new.clone(),
            at: crate::feed::rfc3339(effective(c)),
            by,
        };
        match field {
            OPENED => {
                row.places += places(&c.change.new["capacity"]);
                row.opened.push(event);
            }
            CLOSED => {
                row.places -= places(&c.change.old["capacity"]);
                row.closed.push(event);
            }
            "capacity" => {
                row.places += places(&c.change.new) - places(&c.change.old);
                row.changed.push(event);
            }
            _ => row.changed.push(event),
        }
    }
    let mut totals = Totals::default();
    for r in rows.values() {
        totals.opened += r.opened.len();
        totals.closed += r.closed.len();
        totals.changed += r.changed.len();
        totals.places += r.places;
        for (k, n) in &r.by {
            *totals.by.entry(k.clone()).or_default() += n;
        }
    }
    Ok(Summary {
        from: day_text(first),
        to: day_text(last),
        municipalities: rows.into_values().collect(),
        totals,
    })
}

/// A summary as CSV, one row per event, oldest first: `at,municipality,municipality_name,
/// service,name,type,change,old,new,by`. `old` and `new` are numbers: a capacity or vacancies
/// change's values, and an opening's (`new`) or a closing's (`old`) places.
pub fn to_csv(s: &Summary) -> String {
    use crate::text::csv_text;
    let mut out =
        String::from("at,municipality,municipality_name,service,name,type,change,old,new,by\n");
    let number = |v: &Value| match v {
        Value::Object(o) => o.get("capacity").and_then(Value::as_i64),
        v => v.as_i64(),
    };
    let cell = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    for m in &s.municipalities {
        let mut events: Vec<&Event> = m.opened.iter().chain(&m.closed).chain(&m.changed).collect();
        events.sort_by(|a, b| a.at.cmp(&b.at));
        for e in events {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}\n",
                e.at,
                csv_text(&m.code),
                csv_text(&m.name),
                csv_text(&e.service),
                csv_text(&e.name),
                csv_text(&e.type_code),
                e.field,
                cell(number(&e.old)),
                cell(number(&e.new)),
                csv_text(&e.by),
            ));
        }
    }
    out
}
