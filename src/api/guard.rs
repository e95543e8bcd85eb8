//! What every request and answer passes: a write's body must say it is JSON, and every answer
//! carries the security headers (a content security policy the page works under, no framing,
//! no type sniffing, no referrer).
use super::error::ApiError;
use crate::error::Refusal;
use crate::Error;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The page's content security policy: its own scripts only (no inline script anywhere), the
/// `blob:` workers and `data:`/`blob:` images MapLibre makes, inline styles (MapLibre and the
/// quality page set them; a style cannot run code), nothing from another site, never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; \
child-src 'self' blob:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; \
font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

const HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "geolocation=(self), camera=(), microphone=(), payment=()",
    ),
];

/// Middleware: adds the security headers to every answer (a handler's own are kept).
pub async fn security_headers(res: Response) -> Response {
    with_headers(res, None)
}

/// The page's policy with the servers of an outside base map allowed, when the operator chose
/// one (`[basemap] style_url` or `raster_tiles`): the page may then fetch from them
/// (`connect-src`) and show their images (`img-src`). [`CSP`] itself otherwise.
pub fn csp_with(origins: &[String]) -> String {
    if origins.is_empty() {
        return CSP.to_string();
    }
    let extra = origins.join(" ");
    CSP.replace("connect-src 'self'", &format!("connect-src 'self' {extra}"))
        .replace(
            "img-src 'self' data: blob:",
            &format!("img-src 'self' data: blob: {extra}"),
        )
}

/// Middleware: [`security_headers`] with a content security policy of its own (see
/// [`csp_with`]).
pub async fn security_headers_with(
    axum::extract::State(csp): axum::extract::State<std::sync::Arc<HeaderValue>>,
    res: Response,
) -> Response {
    with_headers(res, Some(&csp))
}

fn with_headers(mut res: Response, csp: Option<&HeaderValue>) -> Response {
    let h = res.headers_mut();
    if let Some(csp) = csp {
        if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
            h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        }
    }
    for (name, value) in HEADERS {
        let name = HeaderName::from_static(name);
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    res
}

/// Middleware: refuses (415) a `POST`, `PUT` or `PATCH` whose body is not declared JSON (or
/// CSV, to an `/import` route), so a form another site posts is never read. Bodiless requests
/// pass.
pub async fn json_bodies(req: Request, next: Next) -> Response {
    let writes = [Method::POST, Method::PUT, Method::PATCH];
    let csv =
        req.uri().path().ends_with("/import") && media_type(&req).is_some_and(|t| t == "text/csv");
    if writes.contains(req.method()) && has_body(&req) && !declares_json(&req) && !csv {
        return ApiError(Error::refused(
            Refusal::MediaType,
            "send the body as JSON with Content-Type: application/json",
        ))
        .into_response();
    }
    next.run(req).await
}

fn has_body(req: &Request) -> bool {
    use axum::body::HttpBody;
    let h = req.headers();
    req.body().size_hint().exact() != Some(0)
        || h.contains_key(header::TRANSFER_ENCODING)
        || h.get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0)
}

fn media_type(req: &Request) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
}

fn declares_json(req: &Request) -> bool {
    media_type(req).is_some_and(|t| t == "application/json" || t.ends_with("+json"))
}
