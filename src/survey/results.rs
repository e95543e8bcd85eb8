//! The survey's results for the admins: a summary per question, and every answer set as CSV.
use super::{AnswerSet, Kind, Survey};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// The summary of one question's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// The question's id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// The question (Portuguese).
    pub text: String,
    /// How many answer sets answered it.
    pub count: usize,
    /// A scale's mean, when answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// A scale's answers by value, `"1"` to `"5"` (zeros included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<BTreeMap<String, usize>>,
    /// A choice's answers by option id (zeros included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<BTreeMap<String, usize>>,
}

/// The summary of all answer sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Answer sets stored.
    pub answer_sets: usize,
    /// Answer sets by audience (`public`, `provider`).
    pub by_audience: BTreeMap<String, usize>,
    /// One summary per configured question, in the survey's order.
    pub questions: Vec<QuestionResult>,
}

impl Survey {
    /// Summarises answer sets per question: count, and mean and distribution for scales or
    /// counts per option for choices. Answers to questions no longer configured are left out.
    ///
    /// ```
    /// use bussola::survey::{AnswerSet, Survey};
    /// let survey = Survey::default_survey().unwrap();
    /// let set = |n: i64| AnswerSet {
    ///     id: n, created: String::new(), audience: "public".into(), role: None,
    ///     answers: [("useful".to_string(), serde_json::json!(n))].into(),
    /// };
    /// let r = survey.results(&[set(2), set(5)]);
    /// let useful = r.questions.iter().find(|q| q.id == "useful").unwrap();
    /// assert_eq!((useful.count, useful.mean), (2, Some(3.5)));
    /// ```
    pub fn results(&self, sets: &[AnswerSet]) -> Results {
        let mut by_audience = BTreeMap::new();
        for s in sets {
            *by_audience.entry(s.audience.clone()).or_insert(0) += 1;
        }
        let questions = self
            .questions
            .iter()
            .map(|q| {
                let values: Vec<&serde_json::Value> =
                    sets.iter().filter_map(|s| s.answers.get(&q.id)).collect();
                let mut r = QuestionResult {
                    id: q.id.clone(),
                    kind: q.kind,
                    text: q.pt.clone(),
                    count: values.len(),
                    mean: None,
                    distribution: None,
                    options: None,
                };
                match q.kind {
                    Kind::Scale => {
                        let ns: Vec<i64> = values.iter().filter_map(|v| v.as_i64()).collect();
                        let mut d: BTreeMap<String, usize> =
                            (1..=5).map(|n| (n.to_string(), 0)).collect();
                        for n in &ns {
                            *d.entry(n.to_string()).or_insert(0) += 1;
                        }
                        r.mean = (!ns.is_empty())
                            .then(|| ns.iter().sum::<i64>() as f64 / ns.len() as f64);
                        r.distribution = Some(d);
                    }
                    Kind::Choice => {
                        let mut d: BTreeMap<String, usize> =
                            q.options.iter().map(|o| (o.id.clone(), 0)).collect();
                        for v in values.iter().filter_map(|v| v.as_str()) {
                            *d.entry(v.to_string()).or_insert(0) += 1;
                        }
                        r.options = Some(d);
                    }
                    Kind::Text => {}
                }
                r
            })
            .collect();
        Results {
            answer_sets: sets.len(),
            by_audience,
            questions,
        }
    }

    /// Every answer set as CSV: `id,date,audience,role`, then one column per question (in the
    /// survey's order); no column identifies a person.
    pub fn csv(&self, sets: &[AnswerSet]) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["id", "date", "audience", "role"];
        header.extend(self.questions.iter().map(|q| q.id.as_str()));
        let err = |e: csv::Error| Error::Internal(format!("survey CSV: {e}"));
        w.write_record(&header).map_err(err)?;
        for s in sets {
            let mut row = vec![
                s.id.to_string(),
                s.created.clone(),
                s.audience.clone(),
                s.role.clone().unwrap_or_default(),
            ];
            row.extend(self.questions.iter().map(|q| match s.answers.get(&q.id) {
                Some(serde_json::Value::String(t)) => t.clone(),
                Some(v) => v.to_string(),
                None => String::new(),
            }));
            // Answers are free text from anyone: never a formula in the admin's spreadsheet.
            w.write_record(row.iter().map(|c| crate::text::csv_safe(c).into_owned()))
                .map_err(err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Internal(format!("survey CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::Internal(format!("survey CSV: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn set(id: i64, audience: &str, answers: Value) -> AnswerSet {
        AnswerSet {
            id,
            created: "2026-11-27T10:00:00Z".into(),
            audience: audience.into(),
            role: (audience == "provider").then(|| "provider".into()),
            answers: serde_json::from_value(answers).unwrap(),
        }
    }

    #[test]
    fn scales_and_choices_are_counted() {
        let s = Survey::default_survey().unwrap();
        let sets = [
            set(
                1,
                "public",
                serde_json::json!({"useful": 4, "found": "yes"}),
            ),
            set(2, "public", serde_json::json!({"useful": 5, "found": "no"})),
            set(
                3,
                "provider",
                serde_json::json!({"useful": 3, "improve": "a, \"b\""}),
            ),
        ];
        let r = s.results(&sets);
        assert_eq!(r.by_audience["public"], 2);
        let q = |id: &str| r.questions.iter().find(|q| q.id == id).unwrap().clone();
        assert_eq!(q("useful").mean, Some(4.0));
        assert_eq!(q("useful").distribution.unwrap()["1"], 0);
        assert_eq!(q("found").options.unwrap()["partly"], 0);
        assert_eq!(q("improve").count, 1);
        let csv = s.csv(&sets).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[3].ends_with(",\"a, \"\"b\"\"\""), "{}", lines[3]);
    }
}
