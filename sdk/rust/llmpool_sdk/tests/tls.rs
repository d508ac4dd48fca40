//! R-SDK-3 / R-API-2: the client over TLS (the crate's default `tls` feature) against the real pool
//! listening with `[server.tls]`, on certificates made at test time with openssl by
//! gateway/nginx/make-certs.sh: mesh-ca signs the pool's certificate (SAN IP:127.0.0.1) and the
//! client certificate; edge-ca is a CA the pool's certificate does not chain to.

mod support;

use std::path::PathBuf;
use std::sync::OnceLock;

use llmpool_sdk::v1::{Query, Task};
use llmpool_sdk::{Client, ClientBuilder, Error};
use support::{TestPool, root, start_pool};

/// The certificates, made once per test binary in a fresh directory.
fn certs() -> &'static PathBuf {
    static CERTS: OnceLock<PathBuf> = OnceLock::new();
    CERTS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("llmpool-sdk-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let made = std::process::Command::new("bash")
            .arg("gateway/nginx/make-certs.sh")
            .arg(&dir)
            .args(["localhost", "pool.llm-pool.internal"])
            .current_dir(root())
            .output()
            .expect("bash runs make-certs.sh");
        assert!(
            made.status.success(),
            "make-certs.sh: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        dir
    })
}

fn cert_path(name: &str) -> String {
    certs().join(name).display().to_string()
}

fn pem(name: &str) -> Vec<u8> {
    std::fs::read(certs().join(name)).unwrap()
}

/// A pool on TLS with mesh-ca's certificate; no client certificate asked for.
fn tls_pool() -> &'static TestPool {
    static POOL: OnceLock<TestPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (cert, key, ca) = (
            cert_path("pool.crt"),
            cert_path("pool.key"),
            cert_path("mesh-ca.crt"),
        );
        start_pool(&["--tls-cert", &cert, "--tls-key", &key, "--tls-ca", &ca])
    })
}

/// A pool on TLS that requires a client certificate signed by mesh-ca.
fn mtls_pool() -> &'static TestPool {
    static POOL: OnceLock<TestPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (cert, key, ca) = (
            cert_path("pool.crt"),
            cert_path("pool.key"),
            cert_path("mesh-ca.crt"),
        );
        let (client_cert, client_key) = (
            cert_path("gateway-client.crt"),
            cert_path("gateway-client.key"),
        );
        start_pool(&[
            "--tls-cert",
            &cert,
            "--tls-key",
            &key,
            "--tls-ca",
            &ca,
            "--client-ca",
            &ca,
            "--client-cert",
            &client_cert,
            "--client-key",
            &client_key,
        ])
    })
}

fn signed(pool: &TestPool) -> ClientBuilder {
    let (id, secret) = pool.key("vvtv");
    Client::builder().base_url(pool.url()).hmac(id, secret)
}

fn judge() -> Query {
    Query {
        task: Task::Judge as i32,
        prompt: "pick one".into(),
        ..Default::default()
    }
}

fn connection_error(result: Result<llmpool_sdk::v1::Answer, Error>) -> String {
    match result {
        Err(Error::Connection(message)) => message,
        other => panic!("expected a connection error, got {other:?}"),
    }
}

#[tokio::test]
async fn infer_over_https_trusting_the_pools_private_ca() {
    assert!(tls_pool().url().starts_with("https://127.0.0.1:"));
    let client = signed(tls_pool())
        .tls_ca_pem(pem("mesh-ca.crt"))
        .build()
        .unwrap();
    let answer = client.infer(judge()).await.unwrap();
    assert_eq!(answer.winner_provider, "fast");
    assert_eq!(answer.tenant_id, "vvtv");
}

#[tokio::test]
async fn a_pool_certificate_from_another_ca_is_refused_before_anything_is_sent() {
    // The system's store does not know the test CA, nor does a client given another CA.
    for builder in [
        signed(tls_pool()),
        signed(tls_pool()).tls_ca_pem(pem("edge-ca.crt")),
    ] {
        let message = connection_error(builder.build().unwrap().infer(judge()).await);
        assert!(message.contains("certificate"), "{message}");
    }
}

#[tokio::test]
async fn a_pool_that_requires_client_certificates_accepts_the_clients_identity_only() {
    let without = signed(mtls_pool())
        .tls_ca_pem(pem("mesh-ca.crt"))
        .build()
        .unwrap();
    // Refused in the handshake, before any request. What the client reads depends on timing (TLS
    // 1.3): the pool's `certificate_required` alert, the connection closing, or a broken pipe while
    // it writes; each is a connection error, never an answer.
    connection_error(without.infer(judge()).await);

    let with = signed(mtls_pool())
        .tls_ca_pem(pem("mesh-ca.crt"))
        .tls_identity(pem("gateway-client.crt"), pem("gateway-client.key"))
        .build()
        .unwrap();
    assert_eq!(with.infer(judge()).await.unwrap().winner_provider, "fast");
}

#[test]
fn tls_options_that_cannot_work_are_refused_when_the_client_is_built() {
    let field = |builder: ClientBuilder| match builder.build() {
        Err(Error::InvalidInput { field, .. }) => field,
        Ok(_) => panic!("built"),
        Err(other) => panic!("{other:?}"),
    };
    let https = || Client::builder().base_url("https://127.0.0.1:7443");
    assert_eq!(field(https().tls_ca_pem("not a certificate")), "tls_ca_pem");
    assert_eq!(
        field(
            https()
                .tls_ca_pem(pem("mesh-ca.crt"))
                .tls_identity(pem("gateway-client.crt"), "not a key")
        ),
        "tls_identity"
    );
    // TLS options with a cleartext URL would send the credentials unprotected: refused, not ignored.
    assert_eq!(
        field(
            Client::builder()
                .base_url("http://127.0.0.1:7070")
                .tls_ca_pem(pem("mesh-ca.crt"))
        ),
        "base_url"
    );
}
