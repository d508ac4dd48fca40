//! R-SEC-1 / R-SDK-3: the crate's own signing (written from docs/SECURITY.md) reproduces every
//! golden vector of testdata/hmac-vectors.json byte for byte.

mod support;

use base64::Engine as _;
use llmpool_sdk::signing::{
    SignInput, canonical_content_type, canonical_query, new_nonce, sha256_hex, signature,
    string_to_sign,
};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(support::root().join("testdata/hmac-vectors.json")).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["vectors"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn reproduces_every_golden_vector_field_by_field() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 22);
    for v in &vectors {
        let s = |k: &str| v[k].as_str().unwrap();
        let body = base64::engine::general_purpose::STANDARD
            .decode(s("body_base64"))
            .unwrap();
        assert_eq!(
            canonical_query(s("query")).unwrap(),
            s("canonical_query"),
            "{}",
            s("name")
        );
        assert_eq!(
            canonical_content_type(s("content_type")),
            s("canonical_content_type"),
            "{}",
            s("name")
        );
        assert_eq!(sha256_hex(&body), s("body_sha256"), "{}", s("name"));
        let input = SignInput {
            key_id: s("key_id"),
            timestamp: s("timestamp"),
            nonce: s("nonce"),
            method: s("method"),
            path: s("path"),
            query: s("query"),
            content_type: s("content_type"),
            body: &body,
        };
        let text = string_to_sign(&input).unwrap();
        assert_eq!(text, s("string_to_sign"), "{}", s("name"));
        assert_eq!(
            signature(s("secret"), &text),
            s("signature"),
            "{}",
            s("name")
        );
    }
}

#[test]
fn a_nonce_is_128_fresh_bits_in_base64url() {
    let nonces: std::collections::HashSet<String> = (0..50).map(|_| new_nonce().unwrap()).collect();
    assert_eq!(nonces.len(), 50);
    assert!(nonces.iter().all(|n| {
        n.len() == 22
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }));
}

#[test]
fn malformed_percent_encoding_is_an_error_not_a_panic() {
    for bad in ["a=%zz", "a=%", "a=%4", "%+1=x", "a=%é1"] {
        let error = canonical_query(bad).unwrap_err();
        assert!(error.to_string().starts_with("query:"), "{bad}: {error}");
    }
}
