//! The example endpoint (`examples/emulator/`) as a child process: started on a free port,
//! its address read from the first line it prints, killed when dropped.
//!
//! `cargo test` builds the crate's examples next to the test binaries: the test executable is
//! `target/<profile>/deps/NAME-HASH`, the example `target/<profile>/examples/emulator`. A run of
//! one test (`cargo test --test NAME`) does not build examples, so the first start asks cargo to
//! build it (with the test's profile and features; a no-op when it is up to date), bounded.

#![allow(dead_code)] // each test binary uses part of it

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

/// How long building the example may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);
/// How long the example may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running example endpoint; killed on drop.
pub struct Emulator {
    child: Child,
    address: String,
}

impl Emulator {
    /// The example's executable, built by `cargo test` beside this test's `deps/` directory.
    pub fn path() -> PathBuf {
        let exe = std::env::current_exe().expect("the test's own path");
        let profile = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile>/deps/");
        let path = profile
            .join("examples")
            .join(format!("emulator{}", std::env::consts::EXE_SUFFIX));
        static BUILT: OnceLock<()> = OnceLock::new();
        BUILT.get_or_init(|| build(profile));
        assert!(
            path.exists(),
            "{} is missing after the build",
            path.display()
        );
        path
    }

    /// Starts the example on a free port and waits (bounded) for its address.
    pub fn start() -> Emulator {
        Self::start_with(&[])
    }

    /// [`start`](Self::start) with more arguments (`--subscription-seconds N`).
    pub fn start_with(args: &[&str]) -> Emulator {
        let mut child = Command::new(Self::path())
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the example starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = send.send(line);
        });
        let mut emulator = Emulator {
            child,
            address: String::new(),
        };
        let line = receive
            .recv_timeout(START_TIMEOUT)
            .expect("the example prints its address in time");
        emulator.address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        emulator
    }

    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> &str {
        &self.address
    }
}

/// `cargo build --example emulator` in this test's (or bench's) profile, with its features.
fn build(profile: &Path) {
    // The example needs `tokio-util` (its SubscribeToShard frames go through `FrameCodec`).
    // With every other feature the test was built with, so that the library built for the
    // tests is reused, not built again with another feature set.
    let mut features = vec!["std", "tokio-util"];
    for (on, feature) in [
        (cfg!(feature = "cli"), "cli"),
        (cfg!(feature = "arbitrary"), "arbitrary"),
        (cfg!(feature = "embedded-io"), "embedded-io"),
        (cfg!(feature = "aws-smithy-types"), "aws-smithy-types"),
    ] {
        if on {
            features.push(feature);
        }
    }
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["build", "--quiet", "--example", "emulator", "--features"])
        .arg(features.join(","))
        .arg("--manifest-path")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if profile.file_name().is_some_and(|name| name == "release") {
        // `cargo bench` runs its binaries with `--bench`; their profile is `bench` (its
        // artifacts also go to `target/release/`, but built with other settings: `--release`
        // would build every dependency again).
        if std::env::args().any(|arg| arg == "--bench") {
            command.args(["--profile", "bench"]);
        } else {
            command.arg("--release");
        }
    }
    let mut child = command.spawn().expect("cargo starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("cargo runs") {
            break status;
        }
        if started.elapsed() > BUILD_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("building the example took over {BUILD_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "building the example failed ({status}): see above"
    );
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
