//! Writes of the data itself (imports, and programs writing services directly) leave rows in
//! the change history too, as edits do: a service opened (`opened`, its new value what the
//! indicators read of it), closed (`closed`, the same as its old value), and its places,
//! vacancies and position changed. What changed between two dates
//! ([`crate::trends::summary`]) and past indicators ([`crate::trends::backfill`]) read them.
use crate::fields::value_of;
use crate::model::Service;
use crate::store::{ChangeStatus, NewChange, Subject};
use serde_json::{json, Value};

/// The field of a service's opening.
pub const OPENED: &str = "opened";
/// The field of a service's closing.
pub const CLOSED: &str = "closed";
/// The fields whose changes by a data write are kept.
const KEPT: [&str; 3] = ["capacity", "vacancies", "position"];

/// What the history keeps of a service opened or closed: enough to count it in the
/// indicators again.
pub fn facts(s: &Service) -> Value {
    json!({
        "name": s.name,
        "type": s.type_code,
        "municipality": s.municipality,
        "capacity": s.capacity,
        "vacancies": s.vacancies,
        "position": [s.lon, s.lat],
    })
}

fn row(id: &str, field: &str, old: Value, new: Value, source: &str, now: i64) -> NewChange {
    NewChange {
        subject: Subject::Service,
        service_id: id.to_string(),
        field: field.to_string(),
        old,
        new,
        user_id: None,
        role: None,
        source: source.to_string(),
        status: ChangeStatus::Applied,
        created: now,
        reverts: None,
    }
}

/// The history rows of writing `new` over `stored` (none: it opens) by `source`.
pub fn written(stored: Option<&Service>, new: &Service, source: &str, now: i64) -> Vec<NewChange> {
    let Some(old) = stored else {
        return vec![row(&new.id, OPENED, Value::Null, facts(new), source, now)];
    };
    KEPT.iter()
        .filter_map(|f| {
            let (was, is) = (value_of(old, f), value_of(new, f));
            (was != is).then(|| row(&new.id, f, was, is, source, now))
        })
        .collect()
}

/// The history row of closing a service by `source`.
pub fn closed(s: &Service, source: &str, now: i64) -> NewChange {
    row(&s.id, CLOSED, facts(s), Value::Null, source, now)
}
