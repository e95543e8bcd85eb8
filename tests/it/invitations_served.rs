//! Invitations through the served binary: the first admin from `bussola user add`, then the
//! API over HTTP, without SMTP, with a fake SMTP server, and with one that refuses.
use crate::common::Server;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::mpsc;

/// A demo ERPI in Alandroal (0701).
const SVC: &str = "demo-0701-erpi-1";

fn emails(users: &Value) -> Vec<&str> {
    users["users"]
        .as_array()
        .expect("a list of users")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect()
}

/// A request to a running server over HTTP/1.0; status and JSON body (`Null` if none).
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("the server accepts");
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(s, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).expect("request sent");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("response read");
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let json = out
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (status, json)
}

/// A fresh data folder with an admin made by `bussola user add` (extra args, e.g. SMTP); the
/// folder and the admin's raw login token.
fn first_admin(name: &str, extra: &[&str]) -> (PathBuf, String, String) {
    let dir = std::env::temp_dir().join(format!("bussola-invite-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args([
            "user",
            "add",
            "--email",
            "coord@example.pt",
            "--role",
            "admin",
            "--data-dir",
        ])
        .arg(&dir)
        .arg("--region")
        .arg(crate::common::demo_manifest())
        .args(extra)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = stdout
        .lines()
        .find(|l| l.contains("/login?token="))
        .expect("a login link")
        .to_string();
    let token = link.rsplit('=').next().unwrap().to_string();
    (dir, token, stdout)
}

/// Signs in with a login token; the session token.
fn sign_in(addr: &str, token: &str) -> String {
    let (st, v) = http(addr, "POST", "/api/login", None, &json!({"token": token}));
    assert_eq!(st, 200, "{v}");
    v["token"].as_str().expect("a session token").to_string()
}

/// `POST /api/invitations` as `token`: status and answer.
fn invite(addr: &str, token: &str, body: &Value) -> (u16, Value) {
    http(addr, "POST", "/api/invitations", Some(token), body)
}

fn owner_of_demo() -> String {
    crate::common::catalog(&crate::common::demo_manifest())
        .get(SVC)
        .expect("demo service")
        .provider
        .id
}

#[test]
fn the_served_api_invites_a_provider_who_then_edits_its_service() {
    let (dir, token, _) = first_admin("plain", &[]);
    let server = Server::start_in(dir, &[]);
    let admin = sign_in(&server.addr, &token);
    let body = json!({"email": "lar@example.pt", "role": "provider", "provider": owner_of_demo()});
    let (st, v) = invite(&server.addr, &admin, &body);
    assert_eq!(st, 201, "{v}");
    assert_eq!(
        (v["emailed"].as_bool(), v.get("email_error")),
        (Some(false), None),
        "no SMTP: {v}"
    );
    let url = v["login_url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("http://{}/login?token=", server.addr)),
        "{url}"
    );
    let raw = url.rsplit('=').next().unwrap();
    let provider = sign_in(&server.addr, raw);
    let (st, v) = http(
        &server.addr,
        "PATCH",
        &format!("/api/services/{SVC}"),
        Some(&provider),
        &json!({"phone": "266 000 222"}),
    );
    assert_eq!(st, 200, "the invited provider edits its own service: {v}");
    let (st, _) = http(
        &server.addr,
        "POST",
        "/api/login",
        None,
        &json!({"token": raw}),
    );
    assert_eq!(st, 401, "the link works once");
    let (st, _) = invite(&server.addr, &admin, &body);
    assert_eq!(st, 409, "registered already");
    let (st, v) = invite(
        &server.addr,
        &provider,
        &json!({"email": "x@example.pt", "role": "admin"}),
    );
    assert_eq!(st, 403, "{v}");
    let (_, users) = http(
        &server.addr,
        "GET",
        "/api/users",
        Some(&admin),
        &Value::Null,
    );
    assert_eq!(emails(&users), ["coord@example.pt", "lar@example.pt"]);
}

/// One message a fake SMTP server received.
#[derive(Debug)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// A fake SMTP server on a free port, speaking just enough SMTP; every message it receives
/// goes to the channel.
fn fake_smtp() -> (u16, mpsc::Receiver<Received>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut w) = conn else { return };
            let mut r = BufReader::new(w.try_clone().expect("socket"));
            let _ = w.write_all(b"220 fake ESMTP\r\n");
            let (mut rcpt, mut line) = (Vec::new(), String::new());
            loop {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let cmd = line.trim_end().to_string();
                let upper = cmd.to_ascii_uppercase();
                let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                    b"250 fake\r\n"
                } else if upper.starts_with("RCPT") {
                    rcpt.push(cmd);
                    b"250 ok\r\n"
                } else if upper.starts_with("DATA") {
                    let _ = w.write_all(b"354 go on\r\n");
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim_end() == "." {
                            break;
                        }
                        data.push_str(&line);
                    }
                    let _ = tx.send(Received {
                        rcpt: std::mem::take(&mut rcpt),
                        data,
                    });
                    b"250 queued\r\n"
                } else if upper.starts_with("QUIT") {
                    let _ = w.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                let _ = w.write_all(reply);
            }
        }
    });
    (port, rx)
}

/// The next message, its body's quoted-printable decoded (soft line breaks joined, `=XX`
/// bytes restored) so links can be found whole.
fn received(rx: &mpsc::Receiver<Received>) -> Received {
    let mut m = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("an e-mail arrives");
    let joined = m.data.replace("=\r\n", "");
    let (mut bytes, mut rest) = (Vec::new(), joined.as_bytes());
    while let Some((&b, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(v) if b == b'=' => {
                bytes.push(v);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    m.data = String::from_utf8_lossy(&bytes).into_owned();
    m
}

#[test]
fn with_smtp_the_invitation_and_the_first_admins_link_are_e_mailed() {
    let (port, rx) = fake_smtp();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let (dir, token, stdout) = first_admin("smtp", &["--smtp-url", &smtp]);
    assert!(stdout.contains("e-mailed to coord@example.pt"), "{stdout}");
    let first = received(&rx);
    assert!(first.rcpt[0].contains("<coord@example.pt>"), "{first:?}");
    assert!(
        first.data.contains(&format!("/login?token={token}")),
        "{}",
        first.data
    );
    let server = Server::start_in(
        dir,
        &[
            "--smtp-url",
            &smtp,
            "--mail-from",
            "Bússola <noreply@example.pt>",
        ],
    );
    let admin = sign_in(&server.addr, &token);
    let body = json!({"email": "lar@example.pt", "role": "provider", "provider": owner_of_demo()});
    let (st, v) = invite(&server.addr, &admin, &body);
    assert_eq!(st, 201, "{v}");
    assert_eq!(
        (v["emailed"].as_bool(), v.get("email_error")),
        (Some(true), None),
        "{v}"
    );
    let m = received(&rx);
    assert_eq!(m.rcpt.len(), 1, "{m:?}");
    assert!(m.rcpt[0].contains("<lar@example.pt>"), "{m:?}");
    assert!(
        m.data.contains(v["login_url"].as_str().unwrap()),
        "the exact link: {}",
        m.data
    );
    assert!(
        m.data.contains("noreply@example.pt"),
        "the sender: {}",
        m.data
    );
}

#[test]
fn when_the_smtp_server_refuses_the_account_and_link_still_come_back() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().unwrap().port()
    }; // closed again: nothing listens there
    let (dir, token, _) = first_admin("refused", &[]);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let server = Server::start_in(dir, &["--smtp-url", &smtp]);
    let admin = sign_in(&server.addr, &token);
    let body = json!({"email": "rede@example.pt", "role": "moderator", "municipalities": ["0701"]});
    let (st, v) = invite(&server.addr, &admin, &body);
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["emailed"], false, "{v}");
    assert!(
        v["email_error"].as_str().is_some_and(|e| !e.is_empty()),
        "{v}"
    );
    let (_, users) = http(
        &server.addr,
        "GET",
        "/api/users",
        Some(&admin),
        &Value::Null,
    );
    assert_eq!(emails(&users), ["coord@example.pt", "rede@example.pt"]);
    let raw = v["login_url"].as_str().unwrap().rsplit('=').next().unwrap();
    sign_in(&server.addr, raw);
}
