//! Citizens' reports of a wrong record ("the phone does not answer", "it closed"), sent from the
//! page without an account, for the provider and the moderators to resolve.
//!
//! A report holds what is wrong and an optional short note — no name, e-mail or address of the
//! person who sent it, and no IP address (the rate limit keeps counts in memory only).
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The longest note kept, in characters.
pub const MAX_NOTE: usize = 500;

/// What is wrong with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Nobody answers the phone, or the number is wrong.
    PhoneNotAnswering,
    /// The service closed.
    Closed,
    /// It is not where the map shows it.
    WrongPlace,
    /// Other details are wrong (name, hours, capacity...).
    WrongDetails,
    /// Something else.
    Other,
}

impl Problem {
    /// Every kind, in the order the page offers them.
    pub const ALL: [Problem; 5] = [
        Problem::PhoneNotAnswering,
        Problem::Closed,
        Problem::WrongPlace,
        Problem::WrongDetails,
        Problem::Other,
    ];

    /// The kind's code (`phone_not_answering`...).
    pub fn code(self) -> &'static str {
        match self {
            Problem::PhoneNotAnswering => "phone_not_answering",
            Problem::Closed => "closed",
            Problem::WrongPlace => "wrong_place",
            Problem::WrongDetails => "wrong_details",
            Problem::Other => "other",
        }
    }

    /// The kind of a code; `None` for an unknown one.
    pub fn parse(code: &str) -> Option<Problem> {
        Problem::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Whether a report still needs someone to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the provider or a moderator.
    Open,
    /// Dealt with.
    Resolved,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// Its number.
    pub id: i64,
    /// The service it is about.
    pub service_id: String,
    /// What is wrong.
    pub problem: Problem,
    /// The sender's words, if any.
    pub note: Option<String>,
    /// When it was sent (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub created: String,
    /// Open or resolved.
    pub status: Status,
}

/// A report as sent, before it is stored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewFeedback {
    /// What is wrong: a [`Problem`] code.
    pub problem: String,
    /// An optional note.
    #[serde(default)]
    pub note: Option<String>,
}

impl NewFeedback {
    /// Checks the report: a known problem, a note of at most [`MAX_NOTE`] characters (blank
    /// notes are dropped). Errors name the field.
    ///
    /// ```
    /// use bussola::feedback::{NewFeedback, Problem};
    /// let ok = NewFeedback { problem: "closed".into(), note: Some("  ".into()) };
    /// assert_eq!(ok.check().unwrap(), (Problem::Closed, None));
    /// let bad = NewFeedback { problem: "rude".into(), note: None };
    /// assert!(bad.check().unwrap_err().to_string().contains("problem"));
    /// ```
    pub fn check(&self) -> Result<(Problem, Option<String>)> {
        let problem = Problem::parse(&self.problem).ok_or_else(|| {
            let all: Vec<&str> = Problem::ALL.iter().map(|p| p.code()).collect();
            Error::param(
                "problem",
                format!(
                    "unknown problem '{}'; one of {}",
                    self.problem,
                    all.join(", ")
                ),
            )
        })?;
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        if let Some(n) = note {
            crate::text::no_control(n, true).map_err(|m| Error::param("note", m))?;
            let len = n.chars().count();
            if len > MAX_NOTE {
                return Err(Error::param(
                    "note",
                    format!("at most {MAX_NOTE} characters, got {len}"),
                ));
            }
        }
        Ok((problem, note.map(str::to_string)))
    }
}

/// The current time in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = crate::quality::checks::iso_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    let s = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for p in Problem::ALL {
            assert_eq!(Problem::parse(p.code()), Some(p));
        }
        assert_eq!(Problem::parse("Closed"), None);
    }

    #[test]
    fn long_notes_are_refused_naming_the_field() {
        let f = NewFeedback {
            problem: "other".into(),
            note: Some("x".repeat(MAX_NOTE + 1)),
        };
        let e = f.check().unwrap_err();
        assert!(matches!(e, Error::InvalidParam { ref param, .. } if param == "note"));
        let f = NewFeedback {
            problem: "other".into(),
            note: Some("é".repeat(MAX_NOTE)),
        };
        assert!(f.check().is_ok(), "characters, not bytes");
    }

    #[test]
    fn the_time_has_the_iso_shape() {
        let t = now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
}
