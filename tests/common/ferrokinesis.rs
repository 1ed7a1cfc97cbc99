//! ferrokinesis, a Kinesis emulator from crates.io that answers JSON 1.1 and CBOR, as a live
//! peer: installed with `cargo install` on first use into
//! `target/tmp/ferrokinesis/<version>/` and reused afterwards, then run as a server on a free
//! localhost port for the length of a test.
//!
//! As for the Python and npm peers (`peers.rs`, `node_peers.rs`): a lock file makes one test
//! process install while the others wait, a marker written last says the install is whole, a
//! missing peer is a failure that says how to get it, and `KINESIS_CODEC_SKIP_PEERS=1` turns it
//! into a printed `SKIPPED`.
//!
//! The install builds the `server` feature alone (the `ferrokinesis` binary needs nothing else;
//! the default `access-log` feature only adds tower-http), with `--locked`, so the versions are
//! the ones ferrokinesis published.

#![allow(dead_code)] // each test binary uses part of it

use std::fs::{self, File};
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The pinned version.
pub const VERSION: &str = "0.7.0";

/// How long a started server may take to answer before the test fails.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The installed `ferrokinesis` binary, or `None` when the caller opted out with
/// `KINESIS_CODEC_SKIP_PEERS=1` (after printing the skip). Panics with instructions when it
/// cannot be installed.
pub fn binary(test: &str) -> Option<&'static Path> {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    installed(test, &BINARY, Profile::Debug)
}

/// The release build of `ferrokinesis`, for throughput figures (`benches/endpoint.rs`):
/// installed the same way into `target/tmp/ferrokinesis/<VERSION>/`, or `None` when skipped.
pub fn release_binary(test: &str) -> Option<&'static Path> {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    installed(test, &BINARY, Profile::Release)
}

/// Which build `cargo install` makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Debug,
    Release,
}

fn installed(
    test: &str,
    binary: &'static OnceLock<Result<PathBuf, String>>,
    profile: Profile,
) -> Option<&'static Path> {
    if crate::peers::skip_requested(test) {
        return None;
    }
    let debug = if profile == Profile::Debug {
        " --debug"
    } else {
        ""
    };
    match binary.get_or_init(|| ready(profile)) {
        Ok(path) => Some(path.as_path()),
        Err(why) => panic!(
            "{test}: the ferrokinesis peer is missing.\n{why}\n\
             The tests install it on first use with `cargo install ferrokinesis --version \
             {VERSION} --locked{debug} --no-default-features --features server` (it needs `cargo` and \
             the crates.io registry, and takes a few minutes once), or set {}=1 to skip the \
             peer tests (each says SKIPPED).",
            crate::peers::SKIP_VAR
        ),
    }
}

fn ready(profile: Profile) -> Result<PathBuf, String> {
    // The tests use a debug build: half the build time of a release one (about 3 CPU-minutes
    // here), and they only need its answers, not its speed. The bench needs its speed.
    let digest = match profile {
        Profile::Debug => format!("{VERSION}-debug"),
        Profile::Release => VERSION.to_owned(),
    };
    let dir = crate::peers::install_once("ferrokinesis", &digest, |dir| install(dir, profile))?;
    let binary = dir
        .join("bin")
        .join(format!("ferrokinesis{}", std::env::consts::EXE_SUFFIX));
    if binary.exists() {
        Ok(binary)
    } else {
        Err(format!("{} is missing after the install", binary.display()))
    }
}

fn install(dir: &Path, profile: Profile) -> Result<(), String> {
    let _ = writeln!(
        std::io::stderr(),
        "installing ferrokinesis {VERSION} into {} (once; a few minutes)",
        dir.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let out = Command::new(cargo)
        .args(["install", "ferrokinesis", "--version", VERSION, "--locked"])
        .args((profile == Profile::Debug).then_some("--debug"))
        .args(["--no-default-features", "--features", "server", "--root"])
        .arg(dir)
        // Its own throw-away build directory, never this project's (whose lock `cargo test`
        // may hold).
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cargo install: cannot start cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo install ferrokinesis failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let _ = writeln!(
        std::io::stderr(),
        "installed ferrokinesis {VERSION} in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A server process on `127.0.0.1:port`, killed when dropped.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Server {
    /// `host:port`, for the `Host` header and for connecting.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago (the server is started on it right after; `spawn_on_free_port`
/// tries again if another process took it in between).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free localhost port")
}

/// Starts `command(port)` on a free port and waits until `probe(port)` says it answers: a bounded
/// wait, failing the test with what the process printed when it exits or does not answer in
/// time. A process that exits at once (its port was taken in between) is tried again on another
/// port, three times at most. Its standard error goes to `target/tmp/peer-logs/<what>-<port>.log`
/// (a file, not a pipe that nobody reads once it runs).
pub fn spawn_on_free_port(
    test: &str,
    what: &str,
    mut command: impl FnMut(u16) -> Command,
    probe: impl Fn(u16) -> bool,
) -> Server {
    let logs = Path::new(env!("CARGO_TARGET_TMPDIR")).join("peer-logs");
    fs::create_dir_all(&logs).unwrap_or_else(|e| panic!("{}: {e}", logs.display()));
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port();
        let log = logs.join(format!("{what}-{port}.log"));
        let stderr = File::create(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
        let child = command(port)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("{test}: cannot start {what}: {e}"));
        let mut server = Server { child, port };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = server.child.try_wait().expect("try_wait") {
                let printed = fs::read_to_string(&log).unwrap_or_default();
                last = format!("{what} on port {port} exited ({status}):\n{printed}");
                break;
            }
            if probe(port) {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "{test}: {what} on port {port} did not answer within {START_TIMEOUT:?} (its \
                 standard error is in {})",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("{test}: {last}");
}

/// The status code of `GET path` on the port, or `None` when nothing answers there in HTTP.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut socket =
        TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(1))
            .ok()?;
    socket.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).ok()?;
    let mut head = [0u8; 12];
    socket.read_exact(&mut head).ok()?;
    let head = std::str::from_utf8(&head).ok()?;
    head.strip_prefix("HTTP/1.")?.get(2..5)?.parse().ok()
}

/// ferrokinesis on a free port, streams ACTIVE at once (`--create-stream-ms 0`), or `None` when
/// skipped. It listens on all interfaces (it has no option for the address); the tests only
/// connect to it on 127.0.0.1.
pub fn start(test: &str) -> Option<Server> {
    start_with(test, &[])
}

/// [`start`] with `options` added to the command line (such as `["--max-request-body-mb",
/// "32"]`).
pub fn start_with(test: &str, options: &[&str]) -> Option<Server> {
    Some(start_binary(test, binary(test)?, options))
}

/// The release build on a free port, as [`start`] (for throughput figures), or `None` when
/// skipped.
pub fn start_release(test: &str) -> Option<Server> {
    Some(start_binary(test, release_binary(test)?, &[]))
}

fn start_binary(test: &str, binary: &'static Path, options: &[&str]) -> Server {
    spawn_on_free_port(
        test,
        "ferrokinesis",
        |port| {
            let mut cmd = Command::new(binary);
            // Only the options given here: none from the environment it reads.
            for (name, _) in std::env::vars_os() {
                if name.to_string_lossy().starts_with("FERROKINESIS_") {
                    cmd.env_remove(name);
                }
            }
            cmd.arg("--port")
                .arg(port.to_string())
                .args(["--region", "us-east-1", "--account-id", "000000000000"])
                .args(["--create-stream-ms", "0", "--delete-stream-ms", "0"])
                .args(["--update-stream-ms", "0", "--log-level", "off"])
                .args(options);
            cmd
        },
        |port| http_status(port, "/_health/ready") == Some(200),
    )
}
