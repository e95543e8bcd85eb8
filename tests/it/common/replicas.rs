//! Several replicas of the served binary on one PostgreSQL database, behind HAProxy: what
//! `tests/it/replicas.rs` checks and what its benchmark (`benches/replicas.sh`) measures.
//!
//! A [`Replica`] is `bussola serve --database URL --trusted-proxy 127.0.0.1` on a port of its
//! own, which it keeps across a kill and a restart (the load balancer names it by that port).
//! A [`Balancer`] is `haproxy -db` (in the foreground) on a free port with a configuration
//! written to a folder of its own ([`haproxy_config`]: round robin, health checks on `/health`
//! every 100 ms, `X-Forwarded-For`, retries on another replica when one is gone), and its
//! runtime socket, through which a test reads what HAProxy thinks of each replica. Both are
//! killed when dropped. Without HAProxy the tests print why and skip; in CI (`CI` set) they
//! fail (`bash .ci/loadbalancer.sh` installs it).
use super::http;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The binary the replicas run: `BUSSOLA_BIN` when set (the benchmark's release build), else
/// the one cargo built for these tests.
pub fn binary() -> PathBuf {
    std::env::var_os("BUSSOLA_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_bussola")))
}

/// HAProxy's program, or `None` (with a printed reason) when it is not installed.
pub fn haproxy() -> Option<PathBuf> {
    // Debian puts it in /usr/sbin, which an ordinary user's PATH may not hold.
    for p in ["haproxy", "/usr/sbin/haproxy"] {
        let runs = Command::new(p)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success());
        if runs {
            return Some(PathBuf::from(p));
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install HAProxy: bash .ci/loadbalancer.sh"
    );
    eprintln!("skipping: haproxy is not installed (bash .ci/loadbalancer.sh installs it)");
    None
}

/// A loopback port free now (bound, then released for the process that will listen on it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The last lines a child process wrote, for the message of a failing test.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<VecDeque<String>>>);

impl Log {
    /// Keeps a line, dropping the oldest past 200.
    fn push(&self, line: String) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() == 200 {
            kept.pop_front();
        }
        kept.push_back(line);
    }

    /// Reads `from` to its end in a thread of its own (so the child never blocks on a full
    /// pipe), keeping its lines.
    fn drain(&self, from: impl Read + Send + 'static) -> std::thread::JoinHandle<()> {
        self.keep(BufReader::new(from).lines())
    }

    /// Keeps the lines still to come, in a thread of its own.
    fn keep(
        &self,
        lines: impl Iterator<Item = std::io::Result<String>> + Send + 'static,
    ) -> std::thread::JoinHandle<()> {
        let log = self.clone();
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(|l| log.push(l)))
    }

    /// What was kept, one line each.
    pub fn text(&self) -> String {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().map(|l| format!("  {l}\n")).collect()
    }
}

/// `bussola serve` on a PostgreSQL database, on a port it keeps across restarts; killed when
/// dropped.
pub struct Replica {
    pub name: String,
    pub port: u16,
    args: Vec<String>,
    child: Option<Child>,
    pub log: Log,
}

impl Replica {
    /// Starts a replica of the region of `manifest` on `database` (the tests' region unless
    /// `manifest` says otherwise) and waits until it listens.
    pub fn start(name: &str, database: &str, manifest: &Path, extra: &[&str]) -> Replica {
        // A port taken between choosing and binding it: choose again (only at first start;
        // a restart must keep its port).
        for _ in 0..3 {
            let port = free_port();
            let mut args: Vec<String> = [
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database",
                database,
                "--region",
                &manifest.display().to_string(),
                "--trusted-proxy",
                "127.0.0.1",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            args.extend(extra.iter().map(|s| s.to_string()));
            let mut r = Replica {
                name: name.to_string(),
                port,
                args,
                child: None,
                log: Log::default(),
            };
            if r.spawn() {
                return r;
            }
            if !r.log.text().contains("Address already in use") {
                panic!("replica {name} did not start:\n{}", r.log.text());
            }
        }
        panic!("replica {name}: no free port after three tries");
    }

    /// Starts the process and waits for the URL it logs; whether it listens.
    fn spawn(&mut self) -> bool {
        let mut child = Command::new(binary())
            .args(&self.args)
            .env("RUST_LOG", "bussola=info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let errors = self.log.drain(child.stderr.take().expect("stderr"));
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut listening = false;
        for line in lines.by_ref().map_while(Result::ok) {
            listening = line.contains("listening on http://");
            self.log.push(line);
            if listening {
                break;
            }
        }
        if !listening {
            let _ = child.kill();
            let _ = child.wait();
            // What it said before it ended, for the caller's message.
            let _ = errors.join();
            return false;
        }
        // Keep reading the log so the replica never blocks on a full pipe.
        self.log.keep(lines);
        self.child = Some(child);
        true
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The process's id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the process with SIGKILL (no shutdown of any kind) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the process again with the same arguments (same port, same database).
    pub fn restart(&mut self) {
        self.kill();
        let started = self.spawn();
        assert!(
            started,
            "replica {} did not start again:\n{}",
            self.name,
            self.log.text()
        );
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The HAProxy configuration in front of replicas (`(name, port)`), listening on `port` with
/// its runtime socket at `socket`.
///
/// - Round robin over the replicas, each checked with `GET /health` every 100 ms: down after
///   two failed checks, up again after one good one.
/// - A request whose connection a replica refuses (it is gone, and the checks have not yet
///   said so) is tried again on another replica (`retries`, `option redispatch 1`); a GET or
///   HEAD is also tried again when a replica closes the connection without answering or does
///   not answer in time, never a write (`disable-l7-retry`), which might have been applied.
/// - `option forwardfor` adds the client's address to `X-Forwarded-For`; the replicas run with
///   `--trusted-proxy 127.0.0.1` and believe it.
pub fn haproxy_config(port: u16, socket: &Path, servers: &[(&str, u16)]) -> String {
    let mut cfg = format!(
        "global
    maxconn 2000
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 1s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend bussola
    bind 127.0.0.1:{port}
    option forwardfor
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    http-request disable-l7-retry unless METH_GET
    default-server inter 100ms fall 2 rise 1
",
        socket = socket.display()
    );
    for (name, port) in servers {
        cfg.push_str(&format!("    server {name} 127.0.0.1:{port} check\n"));
    }
    cfg
}

/// HAProxy in the foreground in front of replicas; killed (and its folder removed) when
/// dropped.
pub struct Balancer {
    child: Child,
    pub port: u16,
    dir: PathBuf,
    pub log: Log,
}

impl Balancer {
    /// Starts HAProxy in front of `servers` (`(name, port)`) and waits until it sees every one
    /// up; `None` (skipping) where HAProxy is not installed.
    pub fn start(key: &str, servers: &[(&str, u16)]) -> Option<Balancer> {
        let program = haproxy()?;
        let dir =
            std::env::temp_dir().join(format!("bussola-replicas-{key}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder for HAProxy");
        let port = free_port();
        let cfg = dir.join("haproxy.cfg");
        std::fs::write(&cfg, haproxy_config(port, &dir.join("admin.sock"), servers))
            .expect("the configuration is written");
        // -db: in the foreground, not as a daemon, so killing it ends it.
        let mut child = Command::new(program)
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("haproxy starts");
        let log = Log::default();
        log.drain(child.stdout.take().expect("stdout"));
        log.drain(child.stderr.take().expect("stderr"));
        let lb = Balancer {
            child,
            port,
            dir,
            log,
        };
        for (name, _) in servers {
            lb.wait_for(name, "UP", Duration::from_secs(10));
        }
        Some(lb)
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// HAProxy's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a command to HAProxy's runtime socket; its answer.
    pub fn command(&self, cmd: &str) -> std::io::Result<String> {
        let mut s = std::os::unix::net::UnixStream::connect(self.dir.join("admin.sock"))?;
        s.write_all(format!("{cmd}\n").as_bytes())?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    }

    /// A replica's row of HAProxy's statistics (`show stat`), by column name (`status`: UP,
    /// DOWN, MAINT…; `wretr`: retries; `wredis`: requests sent to another replica instead;
    /// `stot`: sessions); empty while the socket does not answer.
    pub fn stat(&self, server: &str) -> HashMap<String, String> {
        let Ok(csv) = self.command("show stat") else {
            return HashMap::new();
        };
        let mut lines = csv.lines();
        let header: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .split(',')
            .collect();
        lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|row| row.first() == Some(&"replicas") && row.get(1) == Some(&server))
            .map(|row| {
                header
                    .iter()
                    .zip(row)
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until HAProxy says `server` is `status` (`UP`, `DOWN`), polling every 20 ms;
    /// panics with HAProxy's log after `within`.
    pub fn wait_for(&self, server: &str, status: &str, within: Duration) {
        let start = Instant::now();
        loop {
            let now = self.stat(server).get("status").cloned().unwrap_or_default();
            if now == status {
                return;
            }
            assert!(
                start.elapsed() < within,
                "HAProxy still says {server} is {now:?}, not {status}, after {within:?}:\n{}",
                self.log.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `bussola user add` on a database (and region): the login link's token.
pub fn login_link(database: &str, manifest: &Path, email: &str, role: &str) -> String {
    let out = Command::new(binary())
        .args(["user", "add", "--email", email, "--role", role])
        .args(["--database", database, "--region"])
        .arg(manifest)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "user add: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.split_once("/login?token=").map(|(_, t)| t.trim()))
        .expect("a login link")
        .to_string()
}

/// The id of the service nearest to a place, as `addr` answers (`None` when it answers none).
pub fn nearest_id(addr: &str, lon: f64, lat: f64) -> Option<String> {
    let res = http::get(addr, &format!("/api/nearest?lon={lon}&lat={lat}&k=1"));
    assert_eq!(res.status, 200, "nearest on {addr}: {}", res.body);
    res.json()["features"][0]["properties"]["id"]
        .as_str()
        .map(String::from)
}

/// Asks every 50 ms until `served` holds, for at most `within`; how long it took, or
/// `None` if it never did.
pub fn served_within(within: Duration, mut served: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    loop {
        if served() {
            return Some(start.elapsed());
        }
        if start.elapsed() >= within {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
