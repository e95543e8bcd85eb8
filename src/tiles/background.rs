//! Work the tiles keep current off the read path: one thread at a time per kind of work, which
//! lets a burst of writes settle and then brings the work up to date, at most once a second,
//! until it is current.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a recomputation waits for more writes to come.
const SETTLE: Duration = Duration::from_millis(200);
/// The shortest time between two recomputations.
const EVERY: Duration = Duration::from_secs(1);

/// Starts a thread named `name` unless one with the same `running` flag runs; it calls `step`
/// (after `SETTLE`, then at most every `EVERY`) until `step` says the work is current (or gave
/// up), then clears `running`.
pub(super) fn keep_current(
    name: &str,
    running: &Arc<AtomicBool>,
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
                    None => SETTLE,
                    Some(t) => EVERY.saturating_sub(t.elapsed()),
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
