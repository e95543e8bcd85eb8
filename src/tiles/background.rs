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
    /// The most of one core the work may take under a stream of writes: after a
    /// recomputation that took `t`, the next waits at least `t × (1 / share − 1)`.
    pub(super) share: f64,
    /// How long the thread keeps watching once the work is current (a stream of writes keeps
    /// it going instead of starting it again for each).
    pub(super) linger: Duration,
}

/// Work that costs a whole pass over the data (the indicators): a burst of writes settles.
pub(super) const SLOW: Pace = Pace {
    settle: Duration::from_millis(200),
    every: Duration::from_secs(1),
    // At a million services the indicators take seconds: a fifth of a core at most, so that
    // tiles and searches keep the rest while writes stream in.
    share: 0.2,
    linger: Duration::ZERO,
};

/// Work that takes in the changes only (the clusters): soon after each write.
pub(super) const QUICK: Pace = Pace {
    settle: Duration::from_millis(10),
    every: Duration::from_millis(50),
    share: 0.5,
    linger: Duration::from_secs(2),
};

impl Pace {
    /// How long to wait before the next recomputation, the last having taken `took`.
    pub(super) fn wait_after(&self, took: Duration) -> Duration {
        let share = self.share.clamp(0.01, 1.0);
        self.every.max(took.mul_f64(1.0 / share - 1.0))
    }
}

/// Starts a thread named `name` unless one with the same `running` flag runs; it calls `step`
/// (after `pace.settle`, then at most every `pace.every`) until `step` says the work is
/// current (or gave up) and has stayed so for `pace.linger`, then clears `running`.
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
            let mut last: Option<(Instant, Duration)> = None;
            let mut current_since: Option<Instant> = None;
            loop {
                std::thread::sleep(match last {
                    None => pace.settle,
                    Some((started, took)) => {
                        pace.wait_after(took).saturating_sub(started.elapsed())
                    }
                });
                let started = Instant::now();
                let current = step();
                last = Some((started, started.elapsed()));
                if !current {
                    current_since = None;
                    continue;
                }
                let since = *current_since.get_or_insert(started);
                if since.elapsed() >= pace.linger {
                    break;
                }
            }
            flag.store(false, Ordering::Release);
        });
    if spawned.is_err() {
        running.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_work_waits_in_proportion_to_what_it_took() {
        assert_eq!(SLOW.wait_after(Duration::from_millis(10)), SLOW.every);
        // Two seconds of work at a fifth of a core: eight seconds of rest.
        assert_eq!(
            SLOW.wait_after(Duration::from_secs(2)),
            Duration::from_secs(8)
        );
        assert_eq!(
            QUICK.wait_after(Duration::from_millis(80)),
            Duration::from_millis(80)
        );
    }
}
