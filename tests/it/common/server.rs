//! Paths and a served binary: only `std`, so the browser test (`tests/browser.rs`) includes
//! this file alone and its binary does not link the library.
use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The test region: Alentejo Central's 14 municipalities on approximate boundaries with 378
/// invented services (`bussola demo`), whose numbers the tests know.
pub fn demo_manifest() -> PathBuf {
    root().join("tests/data/demo-alentejo-central/region.toml")
}

/// The shipped default: the whole of Alentejo (`bussola build-default`).
pub fn shipped_manifest() -> PathBuf {
    root().join("geodata/alentejo/region.toml")
}

/// A `bussola serve` process on a free loopback port; killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub addr: String,
    pub data_dir: PathBuf,
}

impl Server {
    /// Starts the binary with extra arguments and waits for the URL it logs.
    pub fn start(name: &str, extra: &[&str]) -> Server {
        let data_dir = std::env::temp_dir().join(format!("bussola-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        Server::start_in(data_dir, extra)
    }

    /// Starts the binary on a database folder that may already hold data (removed on drop);
    /// on the test region unless `extra` names a `--region`.
    pub fn start_in(data_dir: PathBuf, extra: &[&str]) -> Server {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"));
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(&data_dir);
        if !extra.contains(&"--region") {
            cmd.arg("--region").arg(demo_manifest());
        }
        let mut child = cmd
            .args(extra)
            .env("RUST_LOG", "bussola=info")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let mut addr = None;
        for line in lines.by_ref().take(200) {
            let line = line.expect("a log line");
            if let Some(i) = line.find("listening on http://") {
                addr = Some(line[i + "listening on http://".len()..].trim().to_string());
                break;
            }
        }
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let addr = addr.expect("the server logs the URL it listens on");
        Server {
            child,
            addr,
            data_dir,
        }
    }
}

/// A plain HTTP/1.0 GET to a running server: the whole response, headers and body.
pub fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("the server accepts");
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("request sent");
    let mut body = String::new();
    s.read_to_string(&mut body).expect("response read");
    body
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
