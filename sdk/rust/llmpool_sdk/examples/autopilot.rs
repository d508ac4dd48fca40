//! Autopilot hook: for each runtime incident, ask for a recovery plan (at most three steps) and
//! "apply" it, retrying the same incident with its request_id when the pool asks to wait.
//!
//!     cargo run -q --example autopilot
//!
//! LLMPOOL_URL (default http://127.0.0.1:7070); LLMPOOL_KEY_ID and LLMPOOL_SECRET when the pool
//! signs requests.

use std::process::ExitCode;

use llmpool_sdk::v1::{Query, Task};
use llmpool_sdk::{Client, Error};
use pbjson_types::{Struct, Value, value::Kind};

const INCIDENTS: [(&str, &str); 3] = [
    (
        "enc-137",
        "ffmpeg exited with 137 while encoding slot 22:00",
    ),
    ("cdn-503", "the CDN answers 503 for the live playlist"),
    ("disk-95", "the recording disk is 95% full"),
];

fn text(value: &str) -> Value {
    Value {
        kind: Some(Kind::StringValue(value.into())),
    }
}

async fn run(client: &Client) -> Result<(), Error> {
    for (id, error) in INCIDENTS {
        let input = Struct {
            fields: [
                ("incident".to_string(), text(id)),
                ("error".to_string(), text(error)),
            ]
            .into(),
        };
        let query = Query {
            request_id: format!("autopilot-{id}-{}", std::process::id()),
            project_id: "autopilot".into(),
            task: Task::RecoveryPlan as i32,
            prompt: "plan the recovery".into(),
            input: Some(input),
            deadline_ms: 1500,
            ..Default::default()
        };
        let answer = client.infer(query).await?;
        let plan: serde_json::Value =
            serde_json::from_str(&answer.output).unwrap_or(serde_json::Value::Null);
        let steps = plan["steps"].as_array().map(Vec::len).unwrap_or(0);
        println!(
            "{id}: severity {} with {steps} step(s), by {} in {} ms",
            plan["severity"], answer.winner_model, answer.duration_ms
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut builder = Client::builder()
        .base_url(std::env::var("LLMPOOL_URL").unwrap_or_else(|_| "http://127.0.0.1:7070".into()));
    if let (Ok(id), Ok(secret)) = (
        std::env::var("LLMPOOL_KEY_ID"),
        std::env::var("LLMPOOL_SECRET"),
    ) {
        builder = builder.hmac(id, secret);
    }
    let outcome = match builder.build() {
        Ok(client) => run(&client).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("autopilot: {error}");
            ExitCode::FAILURE
        }
    }
}
