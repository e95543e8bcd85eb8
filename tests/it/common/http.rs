//! A small HTTP client for tests against running processes (the served binary, replicas, a load
//! balancer): one HTTP/1.0 request per connection, so no answer is chunked and nothing is kept
//! alive between requests. Errors are returned, not panicked on, so that a test can count a
//! refused connection as a failed request.
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A response: status, headers (names in lower case) and body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Sends one request to `addr` (`host:port`); `body`, when given, is sent as JSON.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(addr)?;
    // A test that waits on a hung server fails instead of hanging.
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("no whole response from {addr}: {text:?}"),
        )
    })?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("no status line from {addr}: {head:?}"),
            )
        })?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: body.to_string(),
    })
}

/// A GET that must get an answer (any status).
pub fn get(addr: &str, path: &str) -> Response {
    request(addr, "GET", path, &[], None).unwrap_or_else(|e| panic!("GET {addr}{path}: {e}"))
}

/// A request with a bearer token (and a JSON body, if any) that must get an answer.
pub fn call(addr: &str, method: &str, path: &str, token: &str, body: Option<&str>) -> Response {
    let auth = format!("Bearer {token}");
    request(addr, method, path, &[("Authorization", &auth)], body)
        .unwrap_or_else(|e| panic!("{method} {addr}{path}: {e}"))
}

/// Signs in with a login link's token on `addr`; the session token.
pub fn sign_in(addr: &str, link_token: &str) -> String {
    let body = serde_json::json!({ "token": link_token }).to_string();
    let res = request(addr, "POST", "/api/login", &[], Some(&body))
        .unwrap_or_else(|e| panic!("POST {addr}/api/login: {e}"));
    assert_eq!(res.status, 200, "signing in on {addr}: {}", res.body);
    res.json()["token"]
        .as_str()
        .expect("a session token")
        .to_string()
}
