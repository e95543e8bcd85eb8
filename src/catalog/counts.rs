//! Use counts kept in memory and written in batches.
//!
//! Every near-me search and every record opened is counted; writing each to disk at once
//! (`synchronous=FULL`) would put an fsync on the busiest requests. The counts gather here and
//! are written together at most every [`FLUSH_EVERY`], before statistics are read, and when the
//! server stops; a crash loses at most those seconds of counts, never a record.
use crate::store::{Store, UsageCount, UsageKind};
use crate::Result;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long counts wait in memory at most.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// (service, day) -> views, found, contacts.
type Counts = HashMap<(String, String), [u64; 3]>;

/// Counts not yet written, and when the last batch was.
#[derive(Debug)]
pub struct UsageBuffer {
    pending: Mutex<(Counts, Instant)>,
}

impl Default for UsageBuffer {
    fn default() -> Self {
        UsageBuffer {
            pending: Mutex::new((HashMap::new(), Instant::now())),
        }
    }
}

impl UsageBuffer {
    /// Adds one to each service's count of `kind` on `day`, in memory; whether a batch is due
    /// (the caller then runs [`Self::flush`] where waiting on the store is harmless).
    pub fn count(&self, ids: &[String], day: &str, kind: UsageKind) -> bool {
        let Ok(mut p) = self.pending.lock() else {
            return false;
        };
        let slot = match kind {
            UsageKind::View => 0,
            UsageKind::Found => 1,
            UsageKind::Contact => 2,
        };
        for id in ids {
            p.0.entry((id.clone(), day.to_string())).or_default()[slot] += 1;
        }
        !p.0.is_empty() && p.1.elapsed() >= FLUSH_EVERY
    }

    /// Writes every pending count in one transaction. The batch is taken out first, so counting
    /// never waits on the store; on failure it goes back, added to what came meanwhile.
    pub fn flush(&self, store: &dyn Store) -> Result<()> {
        let taken = {
            let Ok(mut p) = self.pending.lock() else {
                return Ok(());
            };
            p.1 = Instant::now();
            std::mem::take(&mut p.0)
        };
        if taken.is_empty() {
            return Ok(());
        }
        let batch: Vec<UsageCount> = taken
            .iter()
            .map(|((id, day), [views, found, contacts])| UsageCount {
                service_id: id.clone(),
                day: day.clone(),
                views: *views,
                found: *found,
                contacts: *contacts,
            })
            .collect();
        if let Err(e) = store.add_usage(&batch) {
            if let Ok(mut p) = self.pending.lock() {
                for (key, counts) in taken {
                    let slot = p.0.entry(key).or_default();
                    for (mine, old) in slot.iter_mut().zip(counts) {
                        *mine += old;
                    }
                }
            }
            return Err(e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SqliteStore, Usage};

    #[test]
    fn counts_wait_in_memory_and_are_written_whole() {
        let store = SqliteStore::in_memory().unwrap();
        let buf = UsageBuffer::default();
        let ids = vec!["a".to_string(), "b".to_string()];
        assert!(!buf.count(&ids, "2026-11-27", UsageKind::Found));
        assert!(!buf.count(&ids[..1], "2026-11-27", UsageKind::View));
        let read = |s: &SqliteStore| s.usage(&ids, "2026-01-01").unwrap();
        assert_eq!(read(&store)[0].found, 0, "not written yet");
        buf.flush(&store).unwrap();
        let got = read(&store);
        assert_eq!((got[0].views, got[0].found, got[1].found), (1, 1, 1));
        buf.flush(&store).unwrap();
        assert_eq!(read(&store)[0].found, 1, "a second flush adds nothing");
    }
}
