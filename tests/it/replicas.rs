//! Two replicas of the served binary on one PostgreSQL database behind HAProxy (issue #17;
//! the harness is `common::replicas`, the set-up `docs/operations/replicas.md`):
//!
//! - a write made on one replica is served by the other within a second (each replica listens
//!   for the database's notifications), both ways;
//! - a login made on one is a session on the other, and a logout on the other ends it; a
//!   client over the login limit on one is over it on the other;
//! - a replica killed (SIGKILL) right after it acknowledged a write: the write is in the
//!   database and served by the other, and no request through HAProxy fails meanwhile;
//! - the killed replica started again serves what was written while it was down, and keeps up
//!   with later writes.
//!
//! Each test has a scratch database and its own HAProxy; without a PostgreSQL cluster or
//! HAProxy they print why and pass, in CI they fail (`.ci/postgres.sh`, `.ci/loadbalancer.sh`).
//! `read_throughput_of_one_replica_and_of_two_behind_haproxy` is a benchmark, run by
//! `benches/replicas.sh`.
use crate::common::http::{self, request, sign_in};
use crate::common::postgres::{query, Scratch};
use crate::common::replicas::{haproxy, login_link, nearest_id, served_within, Balancer, Replica};
use crate::common::{demo_manifest, shipped_manifest, Lcg};
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A care home (ERPI) of the test region, moved about by the tests.
const SVC: &str = "demo-0701-erpi-1";

/// How soon a write on one replica must be served by another.
const WITHIN: Duration = Duration::from_secs(1);

/// Places in the test region, each near a municipality's seat but on no service.
const ESTREMOZ: (f64, f64) = (-7.5735, 38.8512);
const MONTEMOR: (f64, f64) = (-8.2021, 38.6553);
const VIANA: (f64, f64) = (-7.9912, 38.3412);
const VILA_VICOSA: (f64, f64) = (-7.4110, 38.7840);
const REDONDO: (f64, f64) = (-7.5400, 38.6560);
const VENDAS_NOVAS: (f64, f64) = (-8.4470, 38.6850);

/// A scratch database and HAProxy's presence, or `None` (skipping, with a printed reason).
fn prerequisites(key: &str) -> Option<Scratch> {
    haproxy()?;
    Scratch::new(key)
}

/// Two replicas of the test region on `db`, and HAProxy in front of them.
fn cluster(key: &str, db: &Scratch) -> (Replica, Replica, Balancer) {
    let manifest = demo_manifest();
    // One at a time: the first seeds the new database, the second finds it seeded.
    let a = Replica::start("a", &db.url, &manifest, &[]);
    let b = Replica::start("b", &db.url, &manifest, &[]);
    let lb = Balancer::start(key, &[("a", a.port), ("b", b.port)]).expect("HAProxy");
    (a, b, lb)
}

/// Moves the test's service through `via` (an address) as `admin`; the write must be
/// acknowledged.
fn move_service(via: &str, admin: &str, to: (f64, f64)) {
    let body = json!({"lon": to.0, "lat": to.1}).to_string();
    let path = format!("/api/services/{SVC}");
    let res = http::call(via, "PATCH", &path, admin, Some(&body));
    assert_eq!(res.status, 200, "move through {via}: {}", res.body);
}

/// Asserts that `replica` finds the moved service at `place` within a second of the write.
fn served_by(replica: &Replica, place: (f64, f64), what: &str) {
    let took = served_within(WITHIN, || {
        nearest_id(&replica.addr(), place.0, place.1).as_deref() == Some(SVC)
    });
    if let Some(took) = took {
        eprintln!("{what}: served by replica {} after {took:?}", replica.name);
    }
    assert!(
        took.is_some(),
        "{what}: replica {} does not find the service at its new place within {WITHIN:?} \
         (a replica that only polls the store's version every 2 s is late here; writes reach \
         other replicas through LISTEN/NOTIFY). Its log:\n{}",
        replica.name,
        replica.log.text()
    );
}

#[test]
fn a_write_a_login_a_logout_and_a_rate_limit_on_one_replica_reach_the_other() {
    let Some(db) = prerequisites("replicas_share") else {
        return;
    };
    let (a, b, lb) = cluster("share", &db);

    // A login link used on A is a session on B, and used up on B too.
    let link = login_link(&db.url, &demo_manifest(), "coord@example.pt", "admin");
    let admin = sign_in(&a.addr(), &link);
    let me = http::call(&b.addr(), "GET", "/api/me", &admin, None);
    assert_eq!(
        me.status, 200,
        "the session made on A works on B: {}",
        me.body
    );
    assert_eq!(me.json()["user"]["email"], "coord@example.pt");
    let again = request(
        &b.addr(),
        "POST",
        "/api/login",
        &[],
        Some(&json!({ "token": link }).to_string()),
    )
    .expect("B answers");
    assert_eq!(again.status, 401, "a link works once, on any replica");
    // Through HAProxy, the requests go to both in turn, and all are signed in.
    for _ in 0..4 {
        let me = http::call(&lb.addr(), "GET", "/api/me", &admin, None);
        assert_eq!(me.status, 200, "{}", me.body);
    }

    // Writes on either replica are served by the other within a second.
    for (via, to, place) in [(&a, &b, ESTREMOZ), (&b, &a, MONTEMOR), (&a, &b, VIANA)] {
        assert_ne!(
            nearest_id(&to.addr(), place.0, place.1).as_deref(),
            Some(SVC),
            "another service is the nearest before the move"
        );
        move_service(&via.addr(), &admin, place);
        served_by(to, place, &format!("a move made through {}", via.name));
    }

    // Signing out on B ends the session on A.
    let out = http::call(&b.addr(), "POST", "/api/logout", &admin, None);
    assert_eq!(out.status, 200, "{}", out.body);
    let me = http::call(&a.addr(), "GET", "/api/me", &admin, None);
    assert_eq!(me.status, 401, "signed out on B, refused on A: {}", me.body);

    // A client over the login limit on A is over it on B: the buckets are in the database.
    let bogus = json!({"token": "0".repeat(64)}).to_string();
    let login = |r: &Replica| {
        request(&r.addr(), "POST", "/api/login", &[], Some(&bogus))
            .expect("an answer")
            .status
    };
    let refused_after = (1..=12).find(|_| login(&a) == 429);
    assert!(refused_after.is_some(), "A never limits logins");
    assert_eq!(login(&b), 429, "B limits the client A limited");
}

/// Requests sent through the load balancer one after another in a thread, until stopped:
/// each one's status, or why it got none.
struct Traffic {
    stop: Arc<AtomicBool>,
    outcomes: Arc<Mutex<Vec<Result<u16, String>>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Traffic {
    fn start(addr: String) -> Traffic {
        let stop = Arc::new(AtomicBool::new(false));
        let outcomes = Arc::new(Mutex::new(Vec::new()));
        let (s, o) = (stop.clone(), outcomes.clone());
        let thread = std::thread::spawn(move || {
            let path = "/api/nearest?lon=-7.9&lat=38.57&k=3";
            while !s.load(Ordering::Relaxed) {
                let r = request(&addr, "GET", path, &[], None)
                    .map(|r| r.status)
                    .map_err(|e| e.to_string());
                o.lock().expect("outcomes").push(r);
            }
        });
        Traffic {
            stop,
            outcomes,
            thread: Some(thread),
        }
    }

    fn count(&self) -> usize {
        self.outcomes.lock().expect("outcomes").len()
    }

    /// Waits until `n` more requests were answered (or failed).
    fn wait_more(&self, n: usize) {
        let until = self.count() + n;
        while self.count() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Stops; every outcome.
    fn stop(mut self) -> Vec<Result<u16, String>> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.join().expect("the traffic thread ends");
        }
        std::mem::take(&mut *self.outcomes.lock().expect("outcomes"))
    }
}

#[test]
fn a_replica_killed_after_a_write_loses_nothing_and_catches_up_when_started_again() {
    let Some(db) = prerequisites("replicas_kill") else {
        return;
    };
    let (mut a, b, lb) = cluster("kill", &db);
    let link = login_link(&db.url, &demo_manifest(), "coord@example.pt", "admin");
    let admin = sign_in(&lb.addr(), &link);
    let traffic = Traffic::start(lb.addr());
    traffic.wait_more(20);

    // A acknowledges a write and is killed at once.
    move_service(&a.addr(), &admin, VILA_VICOSA);
    a.kill();
    let stored = query(
        &db.url,
        &format!("SELECT lon, lat FROM services WHERE id = '{SVC}'"),
    );
    let (lon, lat) = stored.split_once('|').expect("lon|lat");
    assert!(
        (lon.parse::<f64>().expect("lon") - VILA_VICOSA.0).abs() < 1e-9
            && (lat.parse::<f64>().expect("lat") - VILA_VICOSA.1).abs() < 1e-9,
        "the acknowledged write is in the database: {stored}"
    );
    served_by(
        &b,
        VILA_VICOSA,
        "a move made through A just before it was killed",
    );

    // HAProxy's checks take A out; requests keep flowing to B.
    lb.wait_for("a", "DOWN", Duration::from_secs(5));
    traffic.wait_more(20);

    // While A is down, a write goes through HAProxy (to B).
    move_service(&lb.addr(), &admin, REDONDO);

    // Started again, A serves what was written while it was down, and keeps up after.
    a.restart();
    assert_eq!(
        nearest_id(&a.addr(), REDONDO.0, REDONDO.1).as_deref(),
        Some(SVC),
        "A, started again, serves the move made while it was down"
    );
    lb.wait_for("a", "UP", Duration::from_secs(5));
    move_service(&b.addr(), &admin, VENDAS_NOVAS);
    served_by(
        &a,
        VENDAS_NOVAS,
        "a move made through B after A started again",
    );
    traffic.wait_more(20);

    let outcomes = traffic.stop();
    let failed: Vec<_> = outcomes.iter().filter(|o| **o != Ok(200)).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests through HAProxy failed: {failed:?}\n{}",
        failed.len(),
        outcomes.len(),
        lb.log.text()
    );
    // Not by luck: HAProxy did send requests to A after it died, and sent them on to B.
    let stat = lb.stat("a");
    let tried_again: u64 = ["wretr", "wredis"]
        .iter()
        .map(|k| {
            stat.get(*k)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum();
    eprintln!(
        "{} requests through HAProxy, all answered 200; {tried_again} met the dead replica and \
         were sent on (retries {:?}, redispatches {:?})",
        outcomes.len(),
        stat.get("wretr"),
        stat.get("wredis")
    );
    assert!(
        tried_again > 0,
        "no request met the dead replica before HAProxy took it out: {stat:?}"
    );
}

/// What `wrk` measured: requests per second, median and 99th percentile latency (ms),
/// answers that were not 2xx or 3xx, and socket errors.
#[derive(Debug, Default, Clone, Copy)]
struct Rate {
    rps: f64,
    p50: f64,
    p99: f64,
    bad: u64,
    socket_errors: u64,
}

fn parse_wrk(out: &str) -> Rate {
    let after = |key: &str| {
        out.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(|r| r.trim().to_string()))
    };
    let ms = |v: &str| {
        let (n, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
        let n: f64 = n.parse().unwrap_or(f64::NAN);
        n * match unit {
            "us" => 0.001,
            "s" => 1000.0,
            _ => 1.0,
        }
    };
    let socket_errors = after("Socket errors:").map_or(0, |s| {
        s.split(',')
            .filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok())
            .sum()
    });
    Rate {
        rps: after("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        p50: after("50%").map_or(f64::NAN, |v| ms(&v)),
        p99: after("99%").map_or(f64::NAN, |v| ms(&v)),
        bad: after("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        socket_errors,
    }
}

/// CPU seconds a process has used (user and system), from `/proc`.
fn cpu_seconds(pid: u32, ticks: f64) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command's name, which may hold spaces, in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the name.
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / ticks
}

/// Runs `wrk` over the paths in `list` against `addr` for `secs` seconds with `conns`
/// connections, and the cores each of `watched` (name, pid) used meanwhile.
fn wrk(
    addr: &str,
    list: &std::path::Path,
    secs: u64,
    conns: u32,
    watched: &[(&str, u32)],
) -> (Rate, Vec<(String, f64)>) {
    let ticks: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0);
    let before: Vec<f64> = watched
        .iter()
        .map(|(_, p)| cpu_seconds(*p, ticks))
        .collect();
    let start = std::time::Instant::now();
    let child = std::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{conns}"),
            &format!("-d{secs}s"),
            "--latency",
        ])
        .arg("-s")
        .arg(crate::common::root().join("benches/paths.lua"))
        .arg(format!("http://{addr}"))
        .env("PATH_LIST", list)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("wrk runs");
    let wrk_pid = child.id();
    // wrk's own CPU, read just before it ends: sampled at the end of its run.
    let wrk_cpu = std::thread::spawn(move || {
        let mut last = 0.0;
        while start.elapsed() < Duration::from_secs(secs) {
            last = cpu_seconds(wrk_pid, ticks).max(last);
            std::thread::sleep(Duration::from_millis(100));
        }
        last
    });
    let out = child.wait_with_output().expect("wrk ends");
    let wall = start.elapsed().as_secs_f64();
    let mut cores: Vec<(String, f64)> = watched
        .iter()
        .zip(before)
        .map(|((n, p), b)| (n.to_string(), (cpu_seconds(*p, ticks) - b) / wall))
        .collect();
    cores.push(("wrk".into(), wrk_cpu.join().unwrap_or(0.0) / wall));
    (parse_wrk(&String::from_utf8_lossy(&out.stdout)), cores)
}

/// Read throughput of one replica asked directly, of the same replica behind HAProxy, and of
/// two replicas behind HAProxy, in one run on the shipped default region; the ratios to the
/// first. `benches/replicas.sh` runs it on a release build (`BUSSOLA_BIN`); `BENCH_SECS`
/// (default 10) and `BENCH_CONNS` (default 16) set wrk's run.
#[test]
#[ignore = "a benchmark: benches/replicas.sh runs it on a release build"]
fn read_throughput_of_one_replica_and_of_two_behind_haproxy() {
    let has_wrk = std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_ok();
    assert!(
        has_wrk,
        "wrk is not installed (benches/replicas.sh installs it)"
    );
    let Some(db) = prerequisites("replicas_load") else {
        return;
    };
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let conns: u32 = std::env::var("BENCH_CONNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let manifest = shipped_manifest();
    let a = Replica::start("a", &db.url, &manifest, &[]);
    let b = Replica::start("b", &db.url, &manifest, &[]);
    let lb = Balancer::start("load", &[("a", a.port), ("b", b.port)]).expect("HAProxy");
    let dir = std::env::temp_dir().join(format!("bussola-replicas-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");

    // The lists of benches/load.sh: nearest k = 10 from 200 places over Alentejo Central, and
    // every tile over it at zoom 8-11 with 8x8 blocks over Évora at 12-14.
    let mut r = Lcg(7);
    let near: String = (0..200)
        .map(|_| {
            let (lon, lat) = (-8.7 + 1.7 * r.next(), 38.1 + r.next());
            format!("/api/nearest?lon={lon:.5}&lat={lat:.5}&k=10\n")
        })
        .collect();
    let tile = |lon: f64, lat: f64, z: u32| {
        let n = f64::from(1u32 << z);
        let x = (lon + 180.0) / 360.0 * n;
        let lat = lat.to_radians();
        let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
        (x as i64, y as i64)
    };
    let mut tiles = String::new();
    for z in 8..12 {
        let ((x0, y1), (x1, y0)) = (tile(-8.7, 38.1, z), tile(-7.0, 39.1, z));
        for x in x0..=x1 {
            for y in y0..=y1 {
                tiles.push_str(&format!("/tiles/{z}/{x}/{y}.mvt\n"));
            }
        }
    }
    for z in 12..15 {
        let (cx, cy) = tile(-7.91, 38.57, z);
        for x in cx - 4..cx + 4 {
            for y in cy - 4..cy + 4 {
                tiles.push_str(&format!("/tiles/{z}/{x}/{y}.mvt\n"));
            }
        }
    }
    let lists = [
        ("nearest k = 10", "near.txt", near),
        ("tiles", "tiles.txt", tiles),
    ];

    let pids = |with_lb: bool| {
        let mut p = vec![("replica a", a.pid().expect("a runs"))];
        if with_lb {
            p.push(("replica b", b.pid().expect("b runs")));
            p.push(("haproxy", lb.pid()));
        }
        p
    };
    println!(
        "replicas benchmark: {secs} s per run, {conns} connections, wrk -t2; load average before: {}",
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    println!("\n| requests | target | per second | ratio | p50 | p99 | cores used: replica a, replica b, haproxy, wrk |");
    println!("|---|---|---:|---:|---:|---:|---|");
    for (what, file, text) in &lists {
        let list = dir.join(file);
        std::fs::write(&list, text).expect("the list is written");
        // Warm both replicas (their tile caches, the records read from the database).
        for r in [&a, &b] {
            wrk(&r.addr(), &list, 3, conns, &[]);
        }
        let (direct, c1) = wrk(&a.addr(), &list, secs, conns, &pids(false));
        lb.command("disable server replicas/b").expect("b disabled");
        let (one, c2) = wrk(&lb.addr(), &list, secs, conns, &pids(true));
        lb.command("enable server replicas/b").expect("b enabled");
        lb.wait_for("b", "UP", Duration::from_secs(5));
        let (two, c3) = wrk(&lb.addr(), &list, secs, conns, &pids(true));
        for (target, rate, cores) in [
            ("replica a directly", direct, c1),
            ("HAProxy, replica a only", one, c2),
            ("HAProxy, replicas a and b", two, c3),
        ] {
            let cores: Vec<String> = cores.iter().map(|(n, c)| format!("{n} {c:.2}")).collect();
            println!(
                "| {what} | {target} | {:.0} | {:.2}x | {:.2} ms | {:.2} ms | {} |",
                rate.rps,
                rate.rps / direct.rps,
                rate.p50,
                rate.p99,
                cores.join(", ")
            );
            assert!(rate.rps > 0.0, "{what}, {target}: no requests measured");
            assert_eq!(
                (rate.bad, rate.socket_errors),
                (0, 0),
                "{what}, {target}: failed requests"
            );
        }
    }
    println!(
        "\nload average after: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
