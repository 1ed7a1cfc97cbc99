//! The npm peers of the differential tests, installed by `npm ci` from
//! `tests/peers/node/package-lock.json` (exact versions and integrity hashes) into
//! `target/tmp/node-peers/<digest of the lock>/` on first use, then reused. As for the Python
//! peers (`peers.rs`): a lock file makes one test process install while the others wait, a
//! marker written last says the install is whole, a missing peer is a failure that says how to
//! get it, and `KINESIS_CODEC_SKIP_PEERS=1` turns it into a printed `SKIPPED`.

#![allow(dead_code)] // each test binary uses part of it

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const PACKAGE: &str = include_str!("../peers/node/package.json");
const LOCK: &str = include_str!("../peers/node/package-lock.json");

/// The directory holding the installed `node_modules`, or `None` when the caller opted out with
/// `KINESIS_CODEC_SKIP_PEERS=1` (after printing the skip). Panics with instructions when the
/// install cannot be made.
pub fn modules(test: &str) -> Option<&'static Path> {
    if crate::peers::skip_requested(test) {
        return None;
    }
    static MODULES: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match MODULES.get_or_init(ready) {
        Ok(path) => Some(path.as_path()),
        Err(why) => panic!(
            "{test}: the npm peers are missing.\n{why}\n\
             The tests install them on first use with `npm ci` (they need `node`, `npm` and \
             the npm registry), or set {}=1 to skip the peer tests (each says SKIPPED).",
            crate::peers::SKIP_VAR
        ),
    }
}

/// Runs `node tests/peers/node/<script> <args>` with `stdin` and returns what it printed;
/// `None` when skipped. Fails the test, with the script's standard error, if it fails.
pub fn run(test: &str, script: &str, args: &[&str], stdin: &[u8]) -> Option<Output> {
    let modules = modules(test)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new("node")
        .arg(root.join("tests/peers/node").join(script))
        .args(args)
        .env("NODE_PATH", modules.join("node_modules"))
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{test}: cannot run node: {e}"));
    let mut input = child.stdin.take().expect("piped");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&stdin));
    let out = child.wait_with_output().expect("node runs");
    writer.join().expect("writer").expect("stdin written");
    assert!(
        out.status.success(),
        "{test}: tests/peers/node/{script} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out)
}

fn ready() -> Result<PathBuf, String> {
    let pins = format!("{PACKAGE}{LOCK}");
    crate::peers::install_once("node-peers", &crate::peers::digest(&pins), |dir| {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (name, text) in [("package.json", PACKAGE), ("package-lock.json", LOCK)] {
            fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))?;
        }
        let _ = writeln!(
            std::io::stderr(),
            "setting up the npm peers in {} (once; a few seconds)",
            dir.display()
        );
        let out = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("npm ci: cannot start npm: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "npm ci failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    })
}
