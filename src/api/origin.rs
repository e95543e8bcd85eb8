//! Where a request comes from: the client's address (rate limits key on it) and the scheme and
//! host it reached (absolute links: tiles in TileJSON and styles, login links in e-mails).
//!
//! `X-Forwarded-For`, `-Host` and `-Proto` are read only when the peer is a proxy named with
//! `--trusted-proxy`; from anyone else they are ignored, so a client can neither point the
//! styles' tiles at another site nor take another address's rate limit. `--public-url`, when
//! set, is the base of every absolute link.
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The `Vary` of answers holding absolute links: they differ with these headers (when a proxy
/// is trusted).
pub const VARY: &str = "host, x-forwarded-host, x-forwarded-proto";

/// Which proxies are trusted, and the public address if one is configured.
#[derive(Debug, Clone, Default)]
pub struct Forwarding {
    /// Proxies whose `X-Forwarded-*` headers are believed.
    pub trusted: Vec<Net>,
    /// The base of absolute links (`https://bussola.example.pt`), overriding the request's.
    pub public_url: Option<String>,
}

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Net {
    type Err = String;

    /// Parses `ADDR` or `ADDR/PREFIX`.
    ///
    /// ```
    /// use bussola::api::origin::Net;
    /// let n: Net = "10.0.0.0/8".parse().unwrap();
    /// assert!(n.contains("10.1.2.3".parse().unwrap()));
    /// assert!(!n.contains("11.0.0.1".parse().unwrap()));
    /// assert!("10.0.0.0/33".parse::<Net>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, p) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let addr: IpAddr = a
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not an IP address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("'{s}': the prefix must be 0 to {max}"))?,
        };
        Ok(Net { addr, prefix })
    }
}

impl Net {
    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| match ip {
            IpAddr::V4(v) => (u128::from(u32::from(v)), 32u32),
            IpAddr::V6(v) => (u128::from(v), 128u32),
        };
        let ((want, len), (have, len2)) = (bits(self.addr), bits(ip.to_canonical()));
        if len != len2 {
            return false;
        }
        let shift = len - u32::from(self.prefix);
        shift >= len || want >> shift == have >> shift
    }
}

/// What a request's origin resolved to, put in the request's extensions for handlers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The client's address (`unknown` when there is no socket, as in tests).
    pub client: String,
    /// `scheme://host[:port]` for absolute links.
    pub base: String,
}

impl Origin {
    /// Whether links and cookies are for HTTPS.
    pub fn https(&self) -> bool {
        self.base.starts_with("https:")
    }
}

impl Forwarding {
    /// Resolves a request's origin from its peer and headers.
    pub fn resolve(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Origin {
        let trusted = |ip: IpAddr| self.trusted.iter().any(|n| n.contains(ip));
        let via_proxy = peer.is_some_and(trusted);
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        // The client is the last address a trusted proxy appended that is not itself one of
        // the trusted proxies (a chain of proxies appends one each).
        let forwarded_client = || {
            header("x-forwarded-for")?
                .rsplit(',')
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .find(|ip| !trusted(*ip))
        };
        let client = match peer {
            Some(p) if via_proxy => forwarded_client().unwrap_or(p).to_string(),
            Some(p) => p.to_string(),
            None => "unknown".to_string(),
        };
        let base = match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => {
                let fwd = |n| via_proxy.then(|| header(n)).flatten();
                let host = fwd("x-forwarded-host")
                    .or_else(|| header(header::HOST.as_str()))
                    .filter(|h| valid_host(h))
                    .unwrap_or("127.0.0.1:8080");
                let proto = match fwd("x-forwarded-proto") {
                    Some("https") => "https",
                    _ => "http",
                };
                format!("{proto}://{host}")
            }
        };
        Origin { client, base }
    }
}

// A host and port as a URL may carry them: no path, user, space or quote to smuggle.
fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
}

/// Middleware: resolves the origin once per request (see [`Forwarding::resolve`]).
pub async fn resolve(
    State(forwarding): State<Arc<Forwarding>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let origin = forwarding.resolve(peer, req.headers());
    req.extensions_mut().insert(origin);
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(origin_of(parts))
    }
}

/// The origin the middleware resolved (or, without it, the request's own, trusting no one).
pub fn origin_of(parts: &Parts) -> Origin {
    parts
        .extensions
        .get::<Origin>()
        .cloned()
        .unwrap_or_else(|| {
            let peer = parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip());
            Forwarding::default().resolve(peer, &parts.headers)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    const SPOOF: [(&str, &str); 4] = [
        ("host", "bussola.example.pt"),
        ("x-forwarded-host", "evil.example"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", "203.0.113.9"),
    ];

    #[test]
    fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
        let f = Forwarding::default();
        let o = f.resolve(Some("198.51.100.1".parse().unwrap()), &headers(&SPOOF));
        assert_eq!(o.base, "http://bussola.example.pt");
        assert_eq!(o.client, "198.51.100.1");
        // Loopback is not trusted unless named either.
        let o = f.resolve(Some("127.0.0.1".parse().unwrap()), &headers(&SPOOF));
        assert_eq!(
            (o.base.as_str(), o.client.as_str()),
            ("http://bussola.example.pt", "127.0.0.1")
        );
    }

    #[test]
    fn a_trusted_proxy_is_believed() {
        let f = Forwarding {
            trusted: vec!["10.0.0.0/8".parse().unwrap(), "::1".parse().unwrap()],
            public_url: None,
        };
        let o = f.resolve(Some("10.1.1.1".parse().unwrap()), &headers(&SPOOF));
        assert_eq!(o.base, "https://evil.example");
        assert_eq!(o.client, "203.0.113.9");
        assert!(o.https());
        // A chain: the client is the last address not of a trusted proxy.
        let chain = headers(&[("x-forwarded-for", "192.0.2.7, 203.0.113.9, 10.2.2.2")]);
        let o = f.resolve(Some("::1".parse().unwrap()), &chain);
        assert_eq!(o.client, "203.0.113.9");
    }

    #[test]
    fn the_public_url_wins_and_bad_hosts_are_not_echoed() {
        let f = Forwarding {
            trusted: vec![],
            public_url: Some("https://bussola.example.pt/".into()),
        };
        let o = f.resolve(None, &headers(&SPOOF));
        assert_eq!(
            (o.base.as_str(), o.client.as_str()),
            ("https://bussola.example.pt", "unknown")
        );
        let o = Forwarding::default().resolve(None, &headers(&[("host", "a\"b/c")]));
        assert_eq!(o.base, "http://127.0.0.1:8080");
    }

    #[test]
    fn networks_match_by_prefix() {
        let n: Net = "192.168.0.0/16".parse().unwrap();
        assert!(n.contains("192.168.44.1".parse().unwrap()));
        assert!(!n.contains("192.169.0.1".parse().unwrap()));
        assert!(!n.contains("::1".parse().unwrap()));
        let all: Net = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        // An IPv4 peer seen as IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
        let one: Net = "127.0.0.1".parse().unwrap();
        assert!(one.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!("nonsense".parse::<Net>().is_err());
    }
}
