//! The Python peers of the differential tests (botocore, boto3, moto), in a project-local
//! virtual environment that the first test to need it makes and every later run reuses.
//!
//! What it installs is `tests/peers/requirements.txt` (exact pins). The environment lives in
//! `target/tmp/python-peers/<digest of that file>/`, so changing a pin makes a new one; it is
//! never the system Python's site-packages (Debian's refuses `pip install` anyway). Test binaries
//! run in parallel processes under nextest and in parallel threads under libtest: a lock file
//! makes one of them build it while the others wait, and a marker written last says it is whole.
//!
//! Without its peers a peer test fails, saying what is missing and how to get it. Two variables
//! change that, and only when set:
//! - `KINESIS_CODEC_PYTHON=/path/to/python`: use that interpreter (it must already have the
//!   pinned versions; they are checked) instead of building the environment.
//! - `KINESIS_CODEC_SKIP_PEERS=1`: the peer tests print `SKIPPED: <test> (...)` on the real
//!   standard error and return. Never set in CI.

#![allow(dead_code)] // each test binary uses part of it

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The pins, read at compile time so that a change rebuilds the tests.
const REQUIREMENTS: &str = include_str!("../peers/requirements.txt");

/// The variable that turns a missing peer into a visible skip.
pub const SKIP_VAR: &str = "KINESIS_CODEC_SKIP_PEERS";
/// The variable that names an interpreter to use instead of the project's environment.
pub const PYTHON_VAR: &str = "KINESIS_CODEC_PYTHON";

/// The interpreter with the pinned peers, or `None` when the caller opted out with
/// `KINESIS_CODEC_SKIP_PEERS=1` (after printing the skip). Panics with instructions when the
/// environment cannot be made.
pub fn python(test: &str) -> Option<&'static Path> {
    if skip_requested(test) {
        return None;
    }
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(ready_python) {
        Ok(path) => Some(path.as_path()),
        Err(why) => panic!(
            "{test}: the Python peers are missing.\n{why}\n\
             The tests install them on first use: they need `python3` with its `venv` module \
             (Debian: `apt-get install python3-venv`) and the PyPI registry. Or point \
             {PYTHON_VAR} at a Python that has exactly the versions in \
             tests/peers/requirements.txt, or set {SKIP_VAR}=1 to skip the peer tests (each says \
             SKIPPED)."
        ),
    }
}

/// Runs a script from `tests/peers/` with the peers' interpreter and returns what it printed;
/// `None` when skipped. Fails the test, with the script's standard error, if it fails.
pub fn run_script(test: &str, script: &str, args: &[&std::ffi::OsStr]) -> Option<Output> {
    let python = python(test)?;
    let out = command(python, script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{test}: cannot run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "{test}: tests/peers/{script} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out)
}

/// A `Command` for a script of `tests/peers/` under the peers' interpreter, run from the crate root.
pub fn command(python: &Path, script: &str) -> Command {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(python);
    cmd.arg(root.join("tests/peers").join(script))
        .current_dir(root);
    cmd
}

/// Whether `KINESIS_CODEC_SKIP_PEERS` asks to skip the peer tests (then `test` says it skipped).
pub fn skip_requested(test: &str) -> bool {
    let skip = std::env::var_os(SKIP_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    if skip {
        skipped(test, &format!("{SKIP_VAR} is set"));
    }
    skip
}

/// Says so on the process's real standard error, which libtest does not capture.
pub fn skipped(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test} ({why})");
}

/// The pinned `name==version` lines.
fn pins() -> impl Iterator<Item = (&'static str, &'static str)> {
    REQUIREMENTS
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split_once("==")
                .expect("requirements.txt pins every package with ==")
        })
}

/// A check, run by the interpreter, that every pin is installed at its exact version.
fn version_check() -> String {
    let mut code = String::from("import importlib.metadata as m, sys\nbad = []\n");
    for (name, version) in pins() {
        code.push_str(&format!(
            "try:\n    v = m.version({name:?})\nexcept m.PackageNotFoundError:\n    v = None\n\
             if v != {version:?}: bad.append('{name}=={version} (found ' + str(v) + ')')\n"
        ));
    }
    code.push_str("sys.exit('needs ' + ', '.join(bad) if bad else 0)\n");
    code
}

fn check_versions(python: &Path) -> Result<(), String> {
    let out = Command::new(python)
        .arg("-c")
        .arg(version_check())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} {}",
            python.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// FNV-1a of the pins: names the install, so a changed pin makes a new one.
pub fn digest(pins: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in pins.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn ready_python() -> Result<PathBuf, String> {
    if let Some(python) = std::env::var_os(PYTHON_VAR) {
        let python = PathBuf::from(python);
        check_versions(&python).map_err(|e| format!("{PYTHON_VAR}: {e}"))?;
        return Ok(python);
    }
    let dir = install_once("python-peers", &digest(REQUIREMENTS), |dir| {
        build(dir, &dir.join("bin").join("python"))
    })?;
    let python = dir.join("bin").join("python");
    check_versions(&python)?;
    Ok(python)
}

/// `target/tmp/<kind>/<digest>/`, made by `install` unless a whole one is there: one process
/// installs while the others wait on a lock file, then find the marker written last. A
/// half-made directory (an interrupted run) is removed before `install` runs.
pub fn install_once(
    kind: &str,
    digest: &str,
    install: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join(kind);
    fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
    let dir = base.join(digest);
    let marker = dir.join("installed");
    let lock = File::create(base.join("lock")).map_err(|e| format!("lock file: {e}"))?;
    lock.lock().map_err(|e| format!("lock file: {e}"))?;
    if !marker.exists() {
        let _ = fs::remove_dir_all(&dir);
        install(&dir)?;
        fs::write(&marker, digest).map_err(|e| format!("{}: {e}", marker.display()))?;
    }
    drop(lock);
    Ok(dir)
}

fn build(dir: &Path, python: &Path) -> Result<(), String> {
    let base = which_python3()?;
    let _ = writeln!(
        std::io::stderr(),
        "setting up the Python peers in {} (once; about a minute)",
        dir.display()
    );
    run(
        Command::new(&base).args(["-m", "venv"]).arg(dir),
        "python3 -m venv",
    )?;
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/requirements.txt");
    run(
        Command::new(python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(["--no-input", "-r"])
            .arg(&requirements),
        "pip install -r tests/peers/requirements.txt",
    )
}

fn which_python3() -> Result<PathBuf, String> {
    for name in ["python3", "python"] {
        let ok = Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Ok(PathBuf::from(name));
        }
    }
    Err("no `python3` on PATH".into())
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
