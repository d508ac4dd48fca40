//! R-SDK-5: Backend::Local sends the query straight to an Ollama or OpenAI-compatible engine
//! (the mock engine over real HTTP) with the pool's prompt templates, bundled in the crate.

mod support;

use llmpool_sdk::local::{bundled_prompts, task_name};
use llmpool_sdk::v1::{Query, Task};
use llmpool_sdk::{Backend, Client, Error, LocalEngine};
use support::{pool, root};

#[test]
fn the_bundled_prompts_are_the_pools_prompt_files() {
    let bundle = bundled_prompts();
    let dir = root().join("prompts");
    let mut tasks: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            e.unwrap()
                .file_name()
                .into_string()
                .unwrap()
                .strip_suffix(".md")
                .map(String::from)
        })
        .collect();
    tasks.sort();
    assert_eq!(
        bundle
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        tasks,
        "run: node sdk/sync-prompts.mjs"
    );
    for task in &tasks {
        assert_eq!(
            bundle[task]["system"],
            std::fs::read_to_string(dir.join(format!("{task}.md"))).unwrap(),
            "run: node sdk/sync-prompts.mjs"
        );
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("schemas/{task}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(bundle[task]["schema"], schema);
    }
    assert_eq!(
        task_name(Task::RecoveryPlan as i32).as_deref(),
        Some("recovery_plan")
    );
    assert_eq!(task_name(0), None);
    assert_eq!(task_name(99), None);
}

fn local(engine: LocalEngine) -> Client {
    Client::builder()
        .backend(Backend::Local(engine))
        .build()
        .unwrap()
}

fn query(prompt: &str) -> Query {
    Query {
        task: Task::RecoveryPlan as i32,
        prompt: prompt.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn answers_in_the_tasks_schema_through_both_engine_apis() {
    for engine in [
        LocalEngine::ollama(pool().engine_url(), "fast:1b"),
        LocalEngine::openai(pool().engine_url(), "fast:1b"),
    ] {
        let answer = local(engine)
            .infer(query("encoder crashed twice"))
            .await
            .unwrap();
        let plan: serde_json::Value = serde_json::from_str(&answer.output).unwrap();
        assert!(
            ["low", "medium", "high"].contains(&plan["severity"].as_str().unwrap()),
            "{plan}"
        );
        assert_eq!(
            (
                answer.winner_provider.as_str(),
                answer.winner_model.as_str()
            ),
            ("local", "fast:1b")
        );
    }
}

#[tokio::test]
async fn renders_what_the_pool_renders_so_the_engine_answers_the_same() {
    let (id, secret) = pool().key("vvtv");
    let via_pool = Client::builder()
        .base_url(pool().url())
        .hmac(id, secret)
        .build()
        .unwrap()
        .infer(query("  disk full on the encoder "))
        .await
        .unwrap();
    let via_local = local(LocalEngine::ollama(pool().engine_url(), "fast:1b"))
        .infer(query("  disk full on the encoder "))
        .await
        .unwrap();
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(parse(&via_local.output), parse(&via_pool.output));
}

#[tokio::test]
async fn an_unknown_model_or_an_unreachable_engine_is_an_error_not_a_panic() {
    let error = local(LocalEngine::ollama(pool().engine_url(), "nope:1b"))
        .infer(query("x"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Ollama engine"), "{error}");
    let away = local(LocalEngine::ollama("http://127.0.0.1:9", "m"))
        .infer(query("x"))
        .await
        .unwrap_err();
    assert!(matches!(away, Error::Connection(_)), "{away}");
    let unknown_task = local(LocalEngine::ollama(pool().engine_url(), "fast:1b"))
        .infer(Query {
            task: 42,
            prompt: "x".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(unknown_task, Error::InvalidInput { ref field, .. } if field == "task"),
        "{unknown_task}"
    );
}
