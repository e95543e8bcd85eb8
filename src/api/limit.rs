//! Rate limits: a token bucket per client address and route class, kept in this process, or
//! in the store when it shares them between processes (PostgreSQL: several replicas), so a
//! client cannot multiply its limit by switching replica.
use crate::error::Refusal;
use crate::Error;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// A class of routes with its own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /api/login`: 10 at once, then one every 6 s.
    Login,
    /// Authenticated writes: 30 at once, then one a second.
    Write,
    /// Citizens' problem reports (no account): as configured, by default 5 at once, then 30
    /// a day.
    Feedback,
    /// Usefulness survey answers: the same limits as problem reports, a bucket of their own.
    Survey,
    /// Counted contacts (no account): 20 at once, then one a minute, so a script cannot
    /// inflate a service's counts.
    Contact,
}

/// Token buckets by (client address, route class).
#[derive(Debug)]
pub struct RateLimits {
    buckets: Mutex<HashMap<(String, Route), (f64, Instant)>>,
    /// Burst and refill per second of problem reports.
    feedback: (f64, f64),
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::with_feedback(5, 30)
    }
}

impl RateLimits {
    /// Limits with problem reports allowed `burst` at once and `per_day` over a day.
    pub fn with_feedback(burst: usize, per_day: usize) -> Self {
        RateLimits {
            buckets: Mutex::default(),
            feedback: (burst as f64, per_day as f64 / 86_400.0),
        }
    }

    /// Burst size and refill per second of a route class.
    fn limit(&self, route: Route) -> (f64, f64) {
        match route {
            Route::Login => (10.0, 1.0 / 6.0),
            Route::Write => (30.0, 1.0),
            Route::Feedback | Route::Survey => self.feedback,
            Route::Contact => (20.0, 1.0 / 60.0),
        }
    }
}

/// Most addresses kept before full buckets are forgotten.
const MAX_KEYS: usize = 10_000;

impl RateLimits {
    /// Takes one token for a client and route class, or refuses with 429.
    pub fn check(&self, client: &str, route: Route) -> Result<(), Error> {
        let (burst, per_sec) = self.limit(route);
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| Error::Internal("rate limit lock poisoned".into()))?;
        if buckets.len() > MAX_KEYS {
            buckets.retain(|(_, r), (t, at)| {
                let (b, p) = self.limit(*r);
                *t + now.duration_since(*at).as_secs_f64() * p < b
            });
        }
        let (tokens, at) = buckets
            .entry((client.to_string(), route))
            .or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(burst);
        *at = now;
        if *tokens < 1.0 {
            return Err(too_many(((1.0 - *tokens) / per_sec).ceil()));
        }
        *tokens -= 1.0;
        Ok(())
    }
}

impl super::AppState {
    /// Takes one token for a client and route class (from the store's buckets when it shares
    /// them, else this process's), or refuses with 429.
    pub async fn limit(&self, client: &str, route: Route) -> Result<(), Error> {
        if self.catalog.store().shared_limits().is_none() {
            return self.limits.check(client, route);
        }
        let (burst, per_sec) = self.limits.limit(route);
        let key = format!("{route:?}:{client}");
        let wait = self
            .blocking(move |cat| match cat.store().shared_limits() {
                Some(shared) => shared.take(&key, burst, per_sec),
                None => Ok(None),
            })
            .await?;
        match wait {
            None => Ok(()),
            Some(wait) => Err(too_many(wait)),
        }
    }
}

/// The refusal of a client whose bucket is empty for `wait` more seconds.
fn too_many(wait: f64) -> Error {
    Error::refused(
        Refusal::TooMany,
        format!("too many requests; try again in {wait} s"),
    )
}

/// The client's address: the peer, or, behind a trusted proxy, the address it forwarded (see
/// [`super::origin`]).
pub fn client(parts: &Parts) -> String {
    super::origin::origin_of(parts).client
}
