//! Portuguese postal codes (CP4-CP3): parsing the forms people write, and the table of which
//! locality and municipality each code belongs to (the CTT list).
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A postal code: the 4-digit area (CP4) and, when given, the 3-digit street part (CP3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostalCode {
    /// The area, 1000–9999.
    pub cp4: u16,
    /// The street part, 0–999, when given.
    pub cp3: Option<u16>,
}

impl PostalCode {
    /// Reads "7000-123", "7000 123", "7000123", "7000–123", a bare "7000", and any of these
    /// followed by the postal locality ("7000-123 Évora"); `None` for anything else.
    ///
    /// ```
    /// use bussola::geocode::PostalCode;
    /// let pc = PostalCode::parse("7000 123").unwrap();
    /// assert_eq!(pc.to_string(), "7000-123");
    /// assert_eq!(PostalCode::parse("7800").unwrap().cp3, None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        let rest = &s[digits.len()..];
        let (cp4, cp3, rest) = match digits.len() {
            7 => (&digits[..4], Some(digits[4..].to_string()), rest),
            4 => {
                // An optional separator, then exactly three digits.
                let after = rest.trim_start();
                let after = after
                    .strip_prefix(['-', '–', '—', '.'])
                    .unwrap_or(after)
                    .trim_start();
                let d3: String = after.chars().take_while(char::is_ascii_digit).collect();
                match d3.len() {
                    3 => (&digits[..], Some(d3.clone()), &after[d3.len()..]),
                    0 => (&digits[..], None, rest),
                    _ => return None,
                }
            }
            _ => return None,
        };
        // Whatever follows must not run on as more digits ("7000-1234").
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let cp4: u16 = cp4.parse().ok().filter(|n| *n >= 1000)?;
        let cp3 = match cp3 {
            Some(d) => Some(d.parse().ok()?),
            None => None,
        };
        Some(PostalCode { cp4, cp3 })
    }
}

impl std::fmt::Display for PostalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.cp3 {
            Some(cp3) => write!(f, "{}-{cp3:03}", self.cp4),
            None => write!(f, "{}", self.cp4),
        }
    }
}

/// What the postal code table says about one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalEntry {
    /// The code, normalised (e.g. "7000-123", or "7000" for a bare CP4).
    pub code: String,
    /// The locality the code serves.
    pub locality: String,
    /// The municipality (DICO) of that locality.
    pub municipality: String,
    /// The municipality's name, when the table or the region gives it.
    pub municipality_name: Option<String>,
}

/// The postal code table, indexed by code and by area.
#[derive(Debug, Clone, Default)]
pub(super) struct PostalTable {
    exact: HashMap<(u16, u16), PostalEntry>,
    /// CP4 -> (municipality, locality) -> number of CP3 codes.
    areas: HashMap<u16, BTreeMap<(String, String), usize>>,
}

impl PostalTable {
    /// Takes another table's codes; codes seen before keep their first row.
    pub(super) fn absorb(&mut self, other: PostalTable) {
        for (k, v) in other.exact {
            self.exact.entry(k).or_insert(v);
        }
        for (cp4, localities) in other.areas {
            let mine = self.areas.entry(cp4).or_default();
            for (k, n) in localities {
                mine.entry(k).or_insert(n);
            }
        }
    }

    /// Adds one row; a code seen before keeps its first row.
    pub(super) fn add(&mut self, pc: PostalCode, entry: PostalEntry) {
        *self
            .areas
            .entry(pc.cp4)
            .or_default()
            .entry((entry.municipality.clone(), entry.locality.clone()))
            .or_default() += 1;
        if let Some(cp3) = pc.cp3 {
            self.exact.entry((pc.cp4, cp3)).or_insert(entry);
        }
    }

    /// Number of full codes.
    pub(super) fn len(&self) -> usize {
        self.exact.len()
    }

    /// The entry of a full code.
    pub(super) fn exact(&self, pc: PostalCode) -> Option<&PostalEntry> {
        self.exact.get(&(pc.cp4, pc.cp3?))
    }

    /// The (municipality, locality) pairs of an area with their numbers of codes.
    pub(super) fn area(&self, cp4: u16) -> impl Iterator<Item = (&str, &str, usize)> {
        self.areas
            .get(&cp4)
            .into_iter()
            .flatten()
            .map(|((m, l), n)| (m.as_str(), l.as_str(), *n))
    }

    /// The municipalities a code (full or bare) belongs to.
    pub(super) fn municipalities(&self, pc: PostalCode) -> BTreeSet<String> {
        match self.exact(pc) {
            Some(e) => BTreeSet::from([e.municipality.clone()]),
            None if pc.cp3.is_none() => self.area(pc.cp4).map(|(m, _, _)| m.to_string()).collect(),
            None => BTreeSet::new(),
        }
    }

    /// The entry of a full code, or for a bare CP4 the locality with the most codes in it (the
    /// area's main town); `None` when the table does not know the code.
    pub(super) fn entry(
        &self,
        pc: PostalCode,
        name_of: impl Fn(&str) -> Option<String>,
    ) -> Option<PostalEntry> {
        if pc.cp3.is_some() {
            return self.exact(pc).cloned();
        }
        // Most codes first; ties go to the first pair in order, so the answer is stable.
        let (m, l, _) =
            self.area(pc.cp4)
                .fold(None::<(&str, &str, usize)>, |best, x| match best {
                    Some(b) if b.2 >= x.2 => Some(b),
                    _ => Some(x),
                })?;
        Some(PostalEntry {
            code: pc.to_string(),
            locality: l.to_string(),
            municipality: m.to_string(),
            municipality_name: name_of(m),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usual_form_reads_the_same() {
        let want = PostalCode {
            cp4: 7000,
            cp3: Some(123),
        };
        for s in [
            "7000-123",
            "7000 123",
            "7000123",
            " 7000–123 ",
            "7000-123 Évora",
            "7000 - 123",
        ] {
            assert_eq!(PostalCode::parse(s), Some(want), "{s}");
        }
        assert_eq!(
            PostalCode::parse("7000-005").map(|p| p.to_string()),
            Some("7000-005".into())
        );
        assert_eq!(
            PostalCode::parse("7800 Beja"),
            Some(PostalCode {
                cp4: 7800,
                cp3: None
            })
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        for s in [
            "",
            "700-123",
            "70001234",
            "7000-12",
            "7000-1234",
            "0999-123",
            "Évora",
            "12345",
        ] {
            assert_eq!(PostalCode::parse(s), None, "{s}");
        }
    }
}
