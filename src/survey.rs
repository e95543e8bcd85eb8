//! The usefulness survey: questions from configuration (`geodata/survey.toml`, or the file the
//! region manifest names as `survey`), answers checked and stored without personal data, and
//! the results summarised for the admins (JSON and CSV).
//!
//! A public answer set keeps only its date, audience and answers; a provider's keeps the
//! account's role as well, never the account or its e-mail.
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The longest text answer kept, in characters.
pub const MAX_TEXT: usize = 500;

/// The survey shipped with Bússola.
const DEFAULT_SURVEY: &str = include_str!("../geodata/survey.toml");

/// Who answers: citizens, or providers and moderators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Citizens using the page, without an account.
    Public,
    /// Signed-in providers and moderators.
    Provider,
    /// Both (questions only).
    Both,
}

impl Audience {
    /// The audience's code.
    pub fn code(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Provider => "provider",
            Audience::Both => "both",
        }
    }

    /// The audience who answers (`public` or `provider`); errors name `audience`.
    pub fn parse_answering(s: &str) -> Result<Audience> {
        match s {
            "public" => Ok(Audience::Public),
            "provider" => Ok(Audience::Provider),
            _ => Err(Error::param(
                "audience",
                format!("unknown audience '{s}'; one of public, provider"),
            )),
        }
    }
}

/// The kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 1 to 5, with five labels.
    Scale,
    /// One of the options, by id.
    Choice,
    /// A short text.
    Text,
}

/// One option of a `choice` question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Its id, the value sent.
    pub id: String,
    /// Portuguese label.
    pub pt: String,
    /// English label.
    pub en: String,
}

/// A question, as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id (the answers' key and a CSV column).
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Who is asked.
    pub audience: Audience,
    /// The question in Portuguese.
    pub pt: String,
    /// The question in English.
    pub en: String,
    /// A scale's five labels in Portuguese, 1 first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels_pt: Vec<String>,
    /// A scale's five labels in English, 1 first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels_en: Vec<String>,
    /// A choice's options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
}

impl Question {
    /// Whether the question is asked of an audience.
    pub fn asks(&self, audience: Audience) -> bool {
        self.audience == Audience::Both || self.audience == audience
    }

    /// Checks one answer; `Ok(None)` for a blank text (not kept). Errors name the question.
    fn check(&self, value: &Value) -> Result<Option<Value>> {
        let bad = |why: String| Err(Error::param(&self.id, why));
        match self.kind {
            Kind::Scale => match value.as_i64() {
                Some(n @ 1..=5) => Ok(Some(Value::from(n))),
                _ => bad(format!("a whole number from 1 to 5, got {value}")),
            },
            Kind::Choice => match value.as_str() {
                Some(s) if self.options.iter().any(|o| o.id == s) => Ok(Some(Value::from(s))),
                _ => {
                    let ids: Vec<&str> = self.options.iter().map(|o| o.id.as_str()).collect();
                    bad(format!("one of {}, got {value}", ids.join(", ")))
                }
            },
            Kind::Text => {
                let Some(s) = value.as_str() else {
                    return bad(format!("a text, got {value}"));
                };
                let s = s.trim();
                if let Err(m) = crate::text::no_control(s, true) {
                    return bad(m);
                }
                let len = s.chars().count();
                if len > MAX_TEXT {
                    return bad(format!("at most {MAX_TEXT} characters, got {len}"));
                }
                Ok((!s.is_empty()).then(|| Value::from(s)))
            }
        }
    }
}

/// The survey: its questions, in the order they are asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// The questions.
    #[serde(rename = "question", default)]
    pub questions: Vec<Question>,
}

/// An answer set as sent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewAnswers {
    /// `public` or `provider`.
    pub audience: String,
    /// Values by question id.
    pub answers: BTreeMap<String, Value>,
}

/// A stored answer set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerSet {
    /// Its number.
    pub id: i64,
    /// When it was sent (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub created: String,
    /// `public` or `provider`.
    pub audience: String,
    /// The answering account's role (provider answers only).
    pub role: Option<String>,
    /// Values by question id.
    pub answers: BTreeMap<String, Value>,
}

impl Survey {
    /// The shipped survey (`geodata/survey.toml`).
    pub fn default_survey() -> Result<Self> {
        Self::from_toml(DEFAULT_SURVEY, Path::new("geodata/survey.toml"))
    }

    /// Loads a survey file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = crate::error::read_text(path)?;
        Self::from_toml(&text, path)
    }

    /// Parses and checks survey TOML: unique ids, five labels per scale, options per choice.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self> {
        let s: Survey =
            toml::from_str(text).map_err(|e| Error::data(path, None, None, e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for q in &s.questions {
            let bad = |field: &str, why: &str| {
                Error::data(path, Some(format!("question {}", q.id)), Some(field), why)
            };
            if !seen.insert(q.id.as_str()) {
                return Err(bad("id", "appears twice"));
            }
            match q.kind {
                Kind::Scale if q.labels_pt.len() != 5 || q.labels_en.len() != 5 => {
                    return Err(bad(
                        "labels_pt",
                        "a scale needs five labels_pt and labels_en",
                    ))
                }
                Kind::Choice if q.options.is_empty() => {
                    return Err(bad("options", "a choice needs options"))
                }
                _ => {}
            }
        }
        Ok(s)
    }

    /// The questions asked of an audience.
    pub fn for_audience(&self, audience: Audience) -> Vec<&Question> {
        self.questions.iter().filter(|q| q.asks(audience)).collect()
    }

    /// Checks an answer set: the audience, then every answer (a known question asked of that
    /// audience, a value of its kind); at least one answer. Errors name the question.
    pub fn check(&self, new: &NewAnswers) -> Result<(Audience, BTreeMap<String, Value>)> {
        let audience = Audience::parse_answering(&new.audience)?;
        let mut kept = BTreeMap::new();
        for (id, value) in &new.answers {
            let q = self
                .questions
                .iter()
                .find(|q| q.id == *id)
                .ok_or_else(|| Error::param(id, format!("unknown question '{id}'")))?;
            if !q.asks(audience) {
                return Err(Error::param(
                    id,
                    format!("not asked of the {} audience", audience.code()),
                ));
            }
            if let Some(v) = q.check(value)? {
                kept.insert(id.clone(), v);
            }
        }
        if kept.is_empty() {
            return Err(Error::param("answers", "no answer given"));
        }
        Ok((audience, kept))
    }
}

pub mod results;
