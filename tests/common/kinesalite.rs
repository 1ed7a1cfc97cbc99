//! kinesalite 3.3.3 (npm, installed by `node_peers.rs`) as a live peer: run as a server on a
//! free localhost port for the length of a test, killed when the returned server is dropped.
//! The including test also includes `ferrokinesis.rs` (the process handling) and
//! `node_peers.rs`.

use std::process::Command;

use crate::ferrokinesis::{self, Server};
use crate::node_peers;

/// kinesalite on a free port with `options` added to its command line (such as
/// `["--createStreamMs", "0"]`); `None` when the peer tests are skipped on request.
pub fn start(test: &str, options: &[&str]) -> Option<Server> {
    let modules = node_peers::modules(test)?;
    let cli = modules.join("node_modules/kinesalite/cli.js");
    Some(ferrokinesis::spawn_on_free_port(
        test,
        "kinesalite",
        |port| {
            let mut cmd = Command::new("node");
            cmd.arg(&cli)
                .arg("--port")
                .arg(port.to_string())
                .args(options);
            cmd
        },
        |port| ferrokinesis::http_status(port, "/").is_some(),
    ))
}
