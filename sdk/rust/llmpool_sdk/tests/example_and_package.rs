//! R-SDK-4: the autopilot example runs against the pool, and the crate as `cargo package` ships
//! it builds in a scratch crate outside the workspace and calls the pool.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{pool, root};

/// The example binary, built as `cargo run --example autopilot` builds it.
fn example_binary() -> PathBuf {
    let build = Command::new(env!("CARGO"))
        .args(["build", "-q", "--example", "autopilot"])
        .current_dir(root())
        .status()
        .unwrap();
    assert!(build.success(), "cargo build --example autopilot failed");
    root().join("target/debug/examples/autopilot")
}

#[test]
fn the_autopilot_example_plans_every_incident() {
    let (id, secret) = pool().key("vvtv");
    let binary = example_binary();
    let out = Command::new(&binary)
        .env("LLMPOOL_URL", pool().url())
        .env("LLMPOOL_KEY_ID", id)
        .env("LLMPOOL_SECRET", secret)
        .output()
        .unwrap();
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
    let refused = Command::new(&binary)
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

#[test]
fn the_packaged_crate_builds_in_a_scratch_crate_and_calls_the_pool() {
    let scratch = std::env::temp_dir().join(format!("llmpool-sdk-user-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    // The .crate file exactly as it would be published (sources, generated stubs, prompts.json).
    let target = root().join("target");
    let package = Command::new(env!("CARGO"))
        .args([
            "package",
            "--no-verify",
            "--allow-dirty",
            "-p",
            "llmpool_sdk",
            "--target-dir",
        ])
        .arg(&target)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        package.status.success(),
        "{}",
        String::from_utf8_lossy(&package.stderr)
    );
    let crate_file = target.join(format!(
        "package/llmpool_sdk-{}.crate",
        env!("CARGO_PKG_VERSION")
    ));
    assert!(
        Command::new("tar")
            .arg("-xzf")
            .arg(&crate_file)
            .arg("-C")
            .arg(&scratch)
            .status()
            .unwrap()
            .success()
    );
    let unpacked = scratch.join(format!("llmpool_sdk-{}", env!("CARGO_PKG_VERSION")));
    assert!(
        unpacked.join("src/prompts.json").is_file()
            && unpacked
                .join("src/gen/vvtv/llmpool/v1/vvtv.llmpool.v1.rs")
                .is_file()
    );
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[package]\nname = \"scratch\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n\n[dependencies]\nllmpool_sdk = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"process\", \"time\", \"sync\"] }}\n", unpacked.display().to_string()),
    )
    .unwrap();
    std::fs::write(scratch.join("src/main.rs"), SCRATCH_MAIN).unwrap();
    // The workspace's lock file pins the same versions, and its target dir holds them compiled.
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let (id, secret) = pool().key("vvtv");
    let run = Command::new(env!("CARGO"))
        // The workspace's target dir: the dependencies are already compiled there with the same
        // versions and features, so only the two small crates build.
        .args(["run", "-q", "--offline", "--target-dir"])
        .arg(&target)
        .args(["--", &pool().url(), &id, &secret])
        .current_dir(&scratch)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "winner fast");
}
