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
