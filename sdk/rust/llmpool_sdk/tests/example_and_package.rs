//! R-SDK-4: docs/SDKs.md's Rust commands, run as written: the autopilot example against the
//! pool; `cargo package`, whose `.crate` builds in a scratch crate outside the workspace and calls
//! the pool; and `cargo add` of the crate by path into another scratch crate, which calls it too.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{pool, root, run_block, shell_block, user_command};

fn assert_ran(out: &std::process::Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_autopilot_example_plans_every_incident() {
    let (id, secret) = pool().key("vvtv");
    let url = pool().url();
    let out = run_block(
        &shell_block("docs/SDKs.md", "example-rust"),
        &[
            ("LLMPOOL_URL", &url),
            ("LLMPOOL_KEY_ID", &id),
            ("LLMPOOL_SECRET", &secret),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for incident in ["enc-137", "cdn-503", "disk-95"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("{incident}: severity \""))),
            "{stdout}"
        );
    }
    // The binary `cargo run` just built.
    let refused = Command::new(root().join("target/debug/examples/autopilot"))
        .env("LLMPOOL_URL", pool().url())
        .env("LLMPOOL_KEY_ID", "vvtv-a")
        .env("LLMPOOL_SECRET", "x".repeat(64))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "autopilot: unauthenticated: the request is not authenticated"
    );
}

const SCRATCH_MAIN: &str = r#"
use llmpool_sdk::{Client, v1::{Query, Task}};
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let client = Client::builder().base_url(&args[1]).hmac(&args[2], &args[3]).build().unwrap();
    let answer = client.infer(Query { task: Task::Judge as i32, prompt: "pick".into(), ..Default::default() }).await.unwrap();
    println!("winner {}", answer.winner_provider);
}
"#;

/// A scratch binary crate `name` in a fresh directory outside the workspace, with tokio and the
/// workspace's lock file (the same versions, already compiled in the workspace's target dir). Each
/// test names its own, so their binaries in the shared target dir are not the same file.
fn scratch_crate(name: &str, dependencies: &str) -> PathBuf {
    let scratch = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n\n[dependencies]\n{dependencies}tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"process\", \"time\", \"sync\"] }}\n"),
    )
    .unwrap();
    std::fs::write(scratch.join("src/main.rs"), SCRATCH_MAIN).unwrap();
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    scratch
}

/// Builds and runs the scratch crate against the pool; returns what it printed.
fn run_scratch(scratch: &Path) -> String {
    let (id, secret) = pool().key("vvtv");
    let run = user_command(env!("CARGO"))
        // The workspace's target dir: the dependencies are already compiled there with the same
        // versions and features, so only the two small crates build.
        .args(["run", "-q", "--offline", "--target-dir"])
        .arg(root().join("target"))
        .args(["--", &pool().url(), &id, &secret])
        .current_dir(scratch)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(scratch);
    assert_ran(&run, "cargo run in the scratch crate");
    String::from_utf8_lossy(&run.stdout).trim().to_string()
}

#[test]
fn the_packaged_crate_builds_in_a_scratch_crate_and_calls_the_pool() {
    // The .crate file exactly as it would be published (sources, generated stubs, prompts.json),
    // made by the documented command, which also builds it once on its own.
    assert_ran(
        &run_block(&shell_block("docs/SDKs.md", "package-rust"), &[]),
        "cargo package",
    );
    let crate_file = root().join(format!(
        "target/package/llmpool_sdk-{}.crate",
        env!("CARGO_PKG_VERSION")
    ));
    let unpacked_in =
        std::env::temp_dir().join(format!("llmpool-sdk-crate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&unpacked_in);
    std::fs::create_dir_all(&unpacked_in).unwrap();
    assert!(
        Command::new("tar")
            .arg("-xzf")
            .arg(&crate_file)
            .arg("-C")
            .arg(&unpacked_in)
            .status()
            .unwrap()
            .success()
    );
    let unpacked = unpacked_in.join(format!("llmpool_sdk-{}", env!("CARGO_PKG_VERSION")));
    assert!(
        unpacked.join("src/prompts.json").is_file()
            && unpacked
                .join("src/gen/vvtv/llmpool/v1/vvtv.llmpool.v1.rs")
                .is_file()
            && unpacked.join("README.md").is_file()
    );
    let scratch = scratch_crate(
        "llmpool-sdk-user",
        &format!(
            "llmpool_sdk = {{ path = {:?} }}\n",
            unpacked.display().to_string()
        ),
    );
    let printed = run_scratch(&scratch);
    let _ = std::fs::remove_dir_all(&unpacked_in);
    assert_eq!(printed, "winner fast");
}

#[test]
fn the_documented_cargo_add_makes_a_crate_that_calls_the_pool() {
    let app = scratch_crate("llmpool-sdk-app", "");
    let app_dir = app.display().to_string();
    assert_ran(
        &run_block(
            &shell_block("docs/SDKs.md", "install-rust"),
            &[("APP", &app_dir)],
        ),
        "cargo add",
    );
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("llmpool_sdk = { version = \"0.1.0\", path = "),
        "{manifest}"
    );
    assert_eq!(run_scratch(&app), "winner fast");
}
