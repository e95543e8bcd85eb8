//! Where recent changes were, by version: the catalog logs the positions each write touched
//! (before and after), the tiles log the areas each change reached, so a tile cache keeps the
//! tiles a change did not reach.
use std::collections::VecDeque;

/// How many publications are remembered; a tile built longer ago is built again.
const KEEP: usize = 1024;

/// Places touched per version, oldest first; `None` for "anything may have changed" (e.g. the
/// index was reloaded whole).
#[derive(Debug)]
pub struct ChangeLog<T> {
    entries: VecDeque<(u64, Option<Vec<T>>)>,
    /// The newest version whose entry was forgotten (nothing older can be answered).
    forgotten: Option<u64>,
}

impl<T> Default for ChangeLog<T> {
    fn default() -> Self {
        ChangeLog {
            entries: VecDeque::new(),
            forgotten: None,
        }
    }
}

impl<T: Clone> ChangeLog<T> {
    /// Records what the change that made version `version` touched (versions only grow).
    pub fn record(&mut self, version: u64, touched: Option<Vec<T>>) {
        self.entries.push_back((version, touched));
        while self.entries.len() > KEEP {
            if let Some((v, _)) = self.entries.pop_front() {
                self.forgotten = Some(v);
            }
        }
    }

    /// The places touched after version `from` up to `to`; `None` when not known.
    pub fn between(&self, from: u64, to: u64) -> Option<Vec<T>> {
        if self.forgotten.is_some_and(|f| f > from) {
            return None;
        }
        let mut out = Vec::new();
        for (v, touched) in &self.entries {
            if *v > from && *v <= to {
                out.extend(touched.as_ref()?.iter().cloned());
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_between_versions_and_unknown_when_forgotten_or_reloaded() {
        let mut log = ChangeLog::default();
        log.record(3, Some(vec![(1.0, 1.0)]));
        log.record(4, Some(vec![(2.0, 2.0), (2.5, 2.5)]));
        log.record(6, Some(vec![(3.0, 3.0)]));
        assert_eq!(
            log.between(3, 6),
            Some(vec![(2.0, 2.0), (2.5, 2.5), (3.0, 3.0)])
        );
        assert_eq!(log.between(6, 6), Some(vec![]));
        log.record(7, None);
        assert_eq!(log.between(6, 7), None, "a reload touches anything");
        assert_eq!(log.between(4, 6), Some(vec![(3.0, 3.0)]));
        for v in 8..(8 + KEEP as u64) {
            log.record(v, Some(vec![]));
        }
        assert_eq!(log.between(3, 9), None, "forgotten");
        assert!(log.between(8 + KEEP as u64 - 2, 8 + KEEP as u64).is_some());
    }
}
