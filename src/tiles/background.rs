//! Work the tiles keep current off the read path: one thread at a time per kind of work, which
//! lets a burst of writes settle and then brings the work up to date, at most once a second,
//! until it is current.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a kind of work is brought up to date.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pace {
    /// How long a recomputation waits for more writes to come.
    pub(super) settle: Duration,
    /// The shortest time between two recomputations.
    pub(super) every: Duration,
}

/// Work that costs a whole pass over the data (the indicators): a burst of writes settles.
pub(super) const SLOW: Pace = Pace {
    settle: Duration::from_millis(200),
    every: Duration::from_secs(1),
};

/// Work that takes in the changes only (the clusters): soon after each write.
pub(super) const QUICK: Pace = Pace {
    settle: Duration::from_millis(10),
    every: Duration::from_millis(50),
};

/// Starts a thread named `name` unless one with the same `running` flag runs; it calls `step`
/// (after `pace.settle`, then at most every `pace.every`) until `step` says the work is
/// current (or gave up), then clears `running`.
pub(super) fn keep_current(
    name: &str,
    running: &Arc<AtomicBool>,
    pace: Pace,
    mut step: impl FnMut() -> bool + Send + 'static,
) {
    if running.swap(true, Ordering::AcqRel) {
        return;
    }
    let flag = running.clone();
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let mut last: Option<Instant> = None;
            loop {
                std::thread::sleep(match last {
                    None => pace.settle,
                    Some(t) => pace.every.saturating_sub(t.elapsed()),
                });
                last = Some(Instant::now());
                if step() {
                    break;
                }
            }
            flag.store(false, Ordering::Release);
        });
    if spawned.is_err() {
        running.store(false, Ordering::Release);
    }
}
