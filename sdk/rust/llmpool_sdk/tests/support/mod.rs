//! The real pool for the suites: sdk/ts/test-pool's CLI, started once per test binary; it stops
//! when this process exits (its stdin closes).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

pub struct TestPool {
    pub info: Value,
    _child: Mutex<Child>,
}

impl TestPool {
    pub fn url(&self) -> String {
        self.info["pool_url"].as_str().unwrap().to_string()
    }
    pub fn engine_url(&self) -> String {
        self.info["engine_url"].as_str().unwrap().to_string()
    }
    pub fn key(&self, name: &str) -> (String, String) {
        let k = &self.info["keys"][name];
        (
            k["key_id"].as_str().unwrap().into(),
            k["secret"].as_str().unwrap().into(),
        )
    }
}

pub fn pool() -> &'static TestPool {
    static POOL: OnceLock<TestPool> = OnceLock::new();
    POOL.get_or_init(|| start_pool(&[]))
}

/// A pool of its own, with the CLI's options (`--tls-cert F`, ...; see sdk/ts/test-pool/src/cli.ts).
pub fn start_pool(args: &[&str]) -> TestPool {
    let mut child = Command::new("node")
        .args([
            "--conditions=@llm-pool/source",
            "--import",
            "tsx",
            "sdk/ts/test-pool/src/cli.ts",
        ])
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs the SDK test pool");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("the SDK test pool did not start ({e}): {line:?}"));
    TestPool {
        info,
        _child: Mutex::new(child),
    }
}

/// The commands of the shell block of `doc` (relative to the repository root) marked
/// `<!-- tested: name -->`; sdk/ts/llmpool-client/test/docs-commands.spec.ts checks that every
/// block of the SDK docs is marked and run by its suite.
pub fn shell_block(doc: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join(doc)).unwrap();
    let marker = format!("<!-- tested: {name} -->\n");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("{doc} has no shell block marked <!-- tested: {name} -->"));
    let rest = &text[start + marker.len()..];
    let body = rest
        .strip_prefix("```sh\n")
        .or_else(|| rest.strip_prefix("```bash\n"))
        .unwrap_or_else(|| panic!("{doc}: the {name} marker is not right above a sh block"));
    body[..body.find("\n```").unwrap()].to_string()
}

/// A command run as from a user's shell: without the variables cargo sets for a test process
/// (CARGO_MANIFEST_DIR, CARGO_PKG_*, ...). A cargo started with them would see, e.g., ring's
/// build script inputs change and rebuild it, and the next `cargo test` would rebuild it back.
pub fn user_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if [
            "CARGO_MANIFEST_",
            "CARGO_PKG_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_",
            "CARGO_TARGET_TMPDIR",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name.as_ref());
        }
    }
    command
}

/// Runs `code` with bash (`set -euo pipefail`) from the repository root, with `envs` added.
pub fn run_block(code: &str, envs: &[(&str, &str)]) -> std::process::Output {
    user_command("bash")
        .arg("-c")
        .arg(format!("set -euo pipefail\n{code}"))
        .envs(envs.iter().copied())
        .current_dir(root())
        .output()
        .unwrap()
}
