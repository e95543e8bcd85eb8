//! Abuse limits: how many writes one client may make in a minute and in a day, counted in
//! memory only (nothing about the client is stored).
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The client a request came from: its IP address, or `unknown` (e.g. in-process tests).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // The socket's address only: a forwarded-for header is the client's to forge.
        Ok(Client(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

/// A limit of `per_minute` and `per_day` actions per client.
#[derive(Debug)]
pub struct Limit {
    per_minute: usize,
    per_day: usize,
    seen: Mutex<HashMap<String, Vec<Instant>>>,
}

/// At most this many clients are remembered; past it the oldest day is forgotten first.
const MAX_CLIENTS: usize = 10_000;

impl Limit {
    /// A limit of so many actions a minute and a day.
    pub fn new(per_minute: usize, per_day: usize) -> Self {
        Limit {
            per_minute,
            per_day,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one action by `client`; `Err(seconds to wait)` when over the limit (and then
    /// the action is not counted).
    pub fn check(&self, client: &Client) -> Result<(), u64> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: &Client, now: Instant) -> Result<(), u64> {
        let day = Duration::from_secs(86_400);
        let minute = Duration::from_secs(60);
        let Ok(mut seen) = self.seen.lock() else {
            return Ok(());
        };
        if seen.len() >= MAX_CLIENTS && !seen.contains_key(&client.0) {
            seen.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < minute)
            });
        }
        let times = seen.entry(client.0.clone()).or_default();
        times.retain(|t| now.duration_since(*t) < day);
        let recent = times.iter().filter(|t| now.duration_since(**t) < minute);
        if recent.count() >= self.per_minute {
            return Err(60);
        }
        if times.len() >= self.per_day {
            let oldest = times.first().map_or(day, |t| day - now.duration_since(*t));
            return Err(oldest.as_secs().max(1));
        }
        times.push(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_the_minute_waits_and_others_do_not() {
        let l = Limit::new(3, 100);
        let a = Client("10.0.0.1".into());
        let b = Client("10.0.0.2".into());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check_at(&a, t0).is_ok());
        }
        assert_eq!(l.check_at(&a, t0), Err(60));
        assert!(l.check_at(&b, t0).is_ok(), "another client is not limited");
        assert!(l.check_at(&a, t0 + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn the_day_limit_holds_across_minutes() {
        let l = Limit::new(100, 2);
        let a = Client("x".into());
        let t0 = Instant::now();
        assert!(l.check_at(&a, t0).is_ok());
        assert!(l.check_at(&a, t0 + Duration::from_secs(3600)).is_ok());
        assert!(l.check_at(&a, t0 + Duration::from_secs(7200)).is_err());
        assert!(l.check_at(&a, t0 + Duration::from_secs(86_401)).is_ok());
    }
}
