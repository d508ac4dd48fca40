//! Retries against a gRPC server that fails on purpose (h2, real HTTP/2 on 127.0.0.1): which
//! failures are retried, how long the client waits, and a fresh signature on every attempt.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Response};
use llmpool_sdk::v1::{Answer, InferResponse, Query, Task};
use llmpool_sdk::{Client, Error, ErrorCode, RetryPolicy};
use prost::Message;
use tokio::net::TcpListener;

#[derive(Clone)]
enum Reply {
    Answer,
    /// A trailers-only gRPC error with this status code and optional retry-after.
    Status(u16, Option<&'static str>),
}

struct Fake {
    url: String,
    nonces: Arc<Mutex<Vec<String>>>,
}

async fn fake(script: Vec<Reply>) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let script = Arc::new(Mutex::new(script));
    let nonces = Arc::new(Mutex::new(Vec::new()));
    let seen = nonces.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let (script, seen) = (script.clone(), seen.clone());
            tokio::spawn(async move {
                let mut conn = h2::server::handshake(socket).await.unwrap();
                while let Some(Ok((request, mut respond))) = conn.accept().await {
                    let nonce = request
                        .headers()
                        .get("x-nonce")
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default();
                    seen.lock().unwrap().push(nonce);
                    let next = {
                        let mut s = script.lock().unwrap();
                        if s.is_empty() {
                            Reply::Answer
                        } else {
                            s.remove(0)
                        }
                    };
                    match next {
                        Reply::Status(code, retry_after) => {
                            let mut head = Response::builder()
                                .status(200)
                                .header("content-type", "application/grpc")
                                .header("grpc-status", code.to_string())
                                .header("grpc-message", "scripted");
                            if let Some(r) = retry_after {
                                head = head.header("retry-after", r);
                            }
                            respond.send_response(head.body(()).unwrap(), true).unwrap();
                        }
                        Reply::Answer => {
                            let body = InferResponse {
                                answer: Some(Answer {
                                    output: "ok".into(),
                                    winner_provider: "fake".into(),
                                    ..Default::default()
                                }),
                            }
                            .encode_to_vec();
                            let mut framed = vec![0u8];
                            framed.extend_from_slice(&(body.len() as u32).to_be_bytes());
                            framed.extend_from_slice(&body);
                            let head = Response::builder()
                                .status(200)
                                .header("content-type", "application/grpc")
                                .body(())
                                .unwrap();
                            let mut stream = respond.send_response(head, false).unwrap();
                            stream.send_data(Bytes::from(framed), false).unwrap();
                            let mut trailers = HeaderMap::new();
                            trailers.insert("grpc-status", "0".parse().unwrap());
                            stream.send_trailers(trailers).unwrap();
                        }
                    }
                }
            });
        }
    });
    Fake { url, nonces }
}

fn client(url: &str, waits: Arc<Mutex<Vec<Duration>>>) -> Client {
    let policy = RetryPolicy {
        initial_delay: Duration::from_millis(4),
        max_delay: Duration::from_millis(8),
        ..RetryPolicy::default()
    };
    Client::builder()
        .base_url(url)
        .hmac("vvtv-a", "k".repeat(40))
        .retry(policy)
        .on_retry(move |_, wait, _| waits.lock().unwrap().push(wait))
        .build()
        .unwrap()
}

fn query(request_id: &str) -> Query {
    Query {
        task: Task::Judge as i32,
        prompt: "x".into(),
        request_id: request_id.into(),
        ..Default::default()
    }
}

const UNAVAILABLE: u16 = 14;
const RESOURCE_EXHAUSTED: u16 = 8;
const DEADLINE_EXCEEDED: u16 = 4;

#[tokio::test]
async fn unavailable_is_retried_with_backoff_and_jitter_each_attempt_signed_anew() {
    let server = fake(vec![
        Reply::Status(UNAVAILABLE, None),
        Reply::Status(UNAVAILABLE, None),
        Reply::Answer,
    ])
    .await;
    let waits = Arc::new(Mutex::new(Vec::new()));
    let answer = client(&server.url, waits.clone())
        .infer(query(""))
        .await
        .unwrap();
    assert_eq!(answer.winner_provider, "fake");
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 2);
    assert!(
        waits[0] > Duration::from_millis(2) && waits[0] <= Duration::from_millis(4),
        "{waits:?}"
    );
    assert!(
        waits[1] > Duration::from_millis(5) && waits[1] <= Duration::from_millis(8),
        "{waits:?}"
    );
    let nonces = server.nonces.lock().unwrap().clone();
    assert_eq!(nonces.len(), 3);
    assert!(nonces[0] != nonces[1] && nonces[1] != nonces[2]);
}

#[tokio::test]
async fn gives_up_after_max_retries_with_the_last_error() {
    let server = fake(vec![Reply::Status(UNAVAILABLE, None); 4]).await;
    let error = client(&server.url, Default::default())
        .infer(query(""))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Unavailable));
    assert_eq!(server.nonces.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn resource_exhausted_waits_the_retry_after_and_one_too_long_is_returned_at_once() {
    let server = fake(vec![
        Reply::Status(RESOURCE_EXHAUSTED, Some("1")),
        Reply::Answer,
    ])
    .await;
    let waits = Arc::new(Mutex::new(Vec::new()));
    client(&server.url, waits.clone())
        .infer(query(""))
        .await
        .unwrap();
    assert_eq!(*waits.lock().unwrap(), vec![Duration::from_secs(1)]);

    let server = fake(vec![Reply::Status(RESOURCE_EXHAUSTED, Some("30"))]).await;
    let waits = Arc::new(Mutex::new(Vec::new()));
    let error = client(&server.url, waits.clone())
        .infer(query(""))
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
    assert!(waits.lock().unwrap().is_empty());
}

#[tokio::test]
async fn deadline_exceeded_is_retried_only_for_a_query_with_a_request_id() {
    let server = fake(vec![Reply::Status(DEADLINE_EXCEEDED, None)]).await;
    let error = client(&server.url, Default::default())
        .infer(query(""))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::DeadlineExceeded));
    let server = fake(vec![Reply::Status(DEADLINE_EXCEEDED, None), Reply::Answer]).await;
    assert_eq!(
        client(&server.url, Default::default())
            .infer(query("job-7"))
            .await
            .unwrap()
            .output,
        "ok"
    );
}

#[tokio::test]
async fn errors_waiting_cannot_fix_are_never_retried() {
    for code in [3u16, 16, 7, 10] {
        let server = fake(vec![Reply::Status(code, None)]).await;
        let error = client(&server.url, Default::default())
            .infer(query("job-9"))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Api { .. }), "{error}");
        assert_eq!(server.nonces.lock().unwrap().len(), 1, "code {code}");
    }
}
