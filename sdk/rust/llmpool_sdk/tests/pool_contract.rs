//! R-SDK-3 / R-SDK-4: the client against the real pool (the pool CLI, HMAC and JWT tenants, the
//! mock engine): answers, typed errors, rate limits with Retry-After, deadlines, idempotency.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use llmpool_sdk::v1::{Query, Task};
use llmpool_sdk::{Client, Error, ErrorCode, RetryPolicy};
use support::pool;

/// The tests of this file run one at a time: one of them counts the engine's calls.
async fn serial() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}

fn query(task: Task, prompt: &str) -> Query {
    Query {
        task: task as i32,
        prompt: prompt.into(),
        ..Default::default()
    }
}

fn client(key: &str) -> Client {
    let (id, secret) = pool().key(key);
    Client::builder()
        .base_url(pool().url())
        .hmac(id, secret)
        .build()
        .unwrap()
}

fn engine_calls() -> usize {
    let url = format!("{}/__mock/record", pool().engine_url());
    let out = std::process::Command::new("curl")
        .args(["-s", &url])
        .output()
        .unwrap();
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["route"] == "/api/chat" && !e["prompt"].is_null())
        .count()
}

#[tokio::test]
async fn infer_signed_with_either_key_answers_in_the_tasks_schema() {
    let _serial = serial().await;
    for key in ["vvtv", "vvtv_b"] {
        let answer = client(key)
            .infer(query(Task::RecoveryPlan, "encoder crashed"))
            .await
            .unwrap();
        assert_eq!(answer.winner_provider, "fast");
        assert_eq!(answer.tenant_id, "vvtv");
        let plan: serde_json::Value = serde_json::from_str(&answer.output).unwrap();
        assert!(plan["steps"].is_array(), "{plan}");
    }
}

#[tokio::test]
async fn a_jwt_authenticates_and_binds_the_tokens_project() {
    let _serial = serial().await;
    let client = Client::builder()
        .base_url(pool().url())
        .bearer(pool().info["jwt"].as_str().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        client
            .infer(query(Task::Judge, "pick one"))
            .await
            .unwrap()
            .project_id,
        "curator"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_unauthenticated_and_not_retried() {
    let _serial = serial().await;
    let retries = Arc::new(Mutex::new(0));
    let seen = retries.clone();
    let client = Client::builder()
        .base_url(pool().url())
        .hmac("vvtv-a", "x".repeat(64))
        .on_retry(move |_, _, _| *seen.lock().unwrap() += 1)
        .build()
        .unwrap();
    let error = client
        .infer(Query {
            request_id: "auth-1".into(),
            ..query(Task::Judge, "x")
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Unauthenticated));
    assert_eq!(*retries.lock().unwrap(), 0);
}

#[tokio::test]
async fn a_bad_argument_is_invalid_argument_naming_the_field() {
    let _serial = serial().await;
    let error = client("vvtv")
        .infer(Query {
            deadline_ms: 60_000,
            ..query(Task::Judge, "x")
        })
        .await
        .unwrap_err();
    match error {
        Error::Api {
            code: ErrorCode::InvalidArgument,
            field,
            message,
            ..
        } => {
            assert_eq!(field, "deadline_ms");
            assert!(message.contains("max_deadline_ms"), "{message}");
        }
        other => panic!("expected invalid_argument, got {other:?}"),
    }
}

#[tokio::test]
async fn over_the_rate_limit_a_429_carries_retry_after_and_is_retried_after_it() {
    let _serial = serial().await;
    let (id, secret) = pool().key("tight");
    let once = Client::builder()
        .base_url(pool().url())
        .hmac(&id, &secret)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut refused = Vec::new();
    for _ in 0..3 {
        if let Err(e) = once.infer(query(Task::Judge, "x")).await {
            refused.push(e);
        }
    }
    assert!(
        !refused.is_empty(),
        "no 429 from a tenant allowed one request per second"
    );
    for e in &refused {
        assert_eq!(
            (e.code(), e.retry_after()),
            (
                Some(ErrorCode::ResourceExhausted),
                Some(Duration::from_secs(1))
            ),
            "{e}"
        );
    }
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let patient = Client::builder()
        .base_url(pool().url())
        .hmac(id, secret)
        .on_retry(move |_, wait, _| seen.lock().unwrap().push(wait))
        .build()
        .unwrap();
    patient.infer(query(Task::Judge, "x")).await.unwrap();
    patient.infer(query(Task::Judge, "x")).await.unwrap();
    assert!(waits.lock().unwrap().contains(&Duration::from_secs(1)));
}

#[tokio::test]
async fn a_deadline_the_engine_cannot_meet_is_deadline_exceeded() {
    let _serial = serial().await;
    let error = client("vvtv")
        .infer(Query {
            deadline_ms: 300,
            ..query(Task::SiteTactics, "feira livre")
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::DeadlineExceeded), "{error}");
}

#[tokio::test]
async fn a_repeated_request_id_is_answered_from_the_pool_without_a_second_engine_call() {
    let _serial = serial().await;
    let q = Query {
        request_id: format!("rust-idem-{}", std::process::id()),
        ..query(Task::ExpandQueries, "idempotent jazz")
    };
    let first = client("vvtv").infer(q.clone()).await.unwrap();
    let before = engine_calls();
    let again = client("vvtv").infer(q).await.unwrap();
    assert_eq!(engine_calls(), before);
    assert_eq!(again.output, first.output);
}

#[tokio::test]
async fn bad_options_are_errors_naming_the_option_never_panics() {
    let _serial = serial().await;
    let cases: Vec<(llmpool_sdk::ClientBuilder, &str)> = vec![
        (Client::builder().base_url("ftp://x"), "base_url"),
        (Client::builder().base_url("http://exa mple"), "base_url"),
        (Client::builder().hmac("vvtv-a", "short"), "secret"),
        (Client::builder().hmac("", "s".repeat(40)), "key_id"),
        (Client::builder().bearer(""), "token"),
        (Client::builder().timeout(Duration::ZERO), "timeout"),
        (
            Client::builder().backend(llmpool_sdk::Backend::Local(
                llmpool_sdk::LocalEngine::ollama("http://127.0.0.1:1", ""),
            )),
            "model",
        ),
    ];
    for (builder, field) in cases {
        match builder.build() {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            Err(other) => panic!("{field}: {other:?}"),
            Ok(_) => panic!("{field}: accepted"),
        }
    }
}

#[tokio::test]
async fn an_unreachable_pool_is_a_connection_error() {
    let _serial = serial().await;
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(matches!(
        client.infer(query(Task::Judge, "x")).await,
        Err(Error::Connection(_))
    ));
}
