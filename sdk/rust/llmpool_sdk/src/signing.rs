//! HMAC request signing (LLMPOOL-HMAC-SHA256-V1), written from docs/SECURITY.md.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::Error;

pub const SCHEME: &str = "LLMPOOL-HMAC-SHA256-V1";

/// What one signature covers.
#[derive(Debug, Clone)]
pub struct SignInput<'a> {
    pub key_id: &'a str,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub method: &'a str,
    /// The request target's path, exactly as sent.
    pub path: &'a str,
    /// The raw query after `?`, or "".
    pub query: &'a str,
    /// The Content-Type header as sent, or "".
    pub content_type: &'a str,
    /// The exact body bytes.
    pub body: &'a [u8],
}

/// The query in its signed form: decoded, re-encoded per RFC 3986, sorted by name then value.
pub fn canonical_query(raw: &str) -> Result<String, Error> {
    let mut pairs = Vec::new();
    for piece in raw.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        pairs.push((encode(&decode(name)?), encode(&decode(value)?)));
    }
    pairs.sort();
    Ok(pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&"))
}

/// Percent-decodes to bytes; `+` stays a plus. Malformed escapes make the request unsignable.
fn decode(text: &str) -> Result<Vec<u8>, Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| {
                    u8::from_str_radix(h, 16)
                        .ok()
                        .filter(|_| h.chars().all(|c| c.is_ascii_hexdigit()))
                });
            match hex {
                Some(b) => out.push(b),
                None => {
                    return Err(Error::invalid(
                        "query",
                        format!("malformed percent-encoding in {text:?}"),
                    ));
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `Application/JSON; charset=UTF-8` -> `application/json`.
pub fn canonical_content_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub fn sha256_hex(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

/// The nine lines the HMAC covers, joined by LF, with no trailing LF.
pub fn string_to_sign(input: &SignInput<'_>) -> Result<String, Error> {
    Ok([
        SCHEME.to_string(),
        input.key_id.to_string(),
        input.timestamp.to_string(),
        input.nonce.to_string(),
        input.method.to_ascii_uppercase(),
        input.path.to_string(),
        canonical_query(input.query)?,
        canonical_content_type(input.content_type),
        sha256_hex(input.body),
    ]
    .join("\n"))
}

/// `v1=` and the lowercase hex HMAC-SHA256 of `text`, keyed with the secret's UTF-8 bytes.
pub fn signature(secret: &str, text: &str) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(text.as_bytes());
    format!("v1={}", hex(&mac.finalize().into_bytes()))
}

/// 128 random bits from the OS, base64url without padding (22 characters).
pub fn new_nonce() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Connection(format!("no OS randomness for a nonce: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
