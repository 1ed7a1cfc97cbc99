//! The example endpoint (`examples/emulator/`) as a child process: started on a free port,
//! its address read from the first line it prints, killed when dropped.
//!
//! `cargo test` builds the crate's examples next to the test binaries: the test executable is
//! `target/<profile>/deps/NAME-HASH`, the example `target/<profile>/examples/emulator`.

#![allow(dead_code)] // each test binary uses part of it

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

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
        assert!(
            path.exists(),
            "{} is missing: `cargo test` builds it (the example needs feature `std`)",
            path.display()
        );
        path
    }

    /// Starts the example on a free port and waits (bounded) for its address.
    pub fn start() -> Emulator {
        let mut child = Command::new(Self::path())
            .args(["--port", "0"])
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

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
