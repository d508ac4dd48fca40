//! The `pool` backend: `LlmPoolService/Infer` over gRPC (tonic), signed per attempt.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prost::Message;
use tonic::metadata::MetadataValue;
use tonic::transport::Channel;

use crate::error::with_causes;
use crate::signing::{SignInput, new_nonce, signature, string_to_sign};
use crate::v1::llm_pool_service_client::LlmPoolServiceClient;
use crate::v1::{Answer, ErrorDetail, InferRequest, Query};
use crate::{Credentials, Error, ErrorCode};

pub(crate) const INFER_PATH: &str = "/vvtv.llmpool.v1.LlmPoolService/Infer";
const GRPC_CONTENT_TYPE: &str = "application/grpc";

/// google.rpc.Status, as carried in `grpc-status-details-bin`.
#[derive(Clone, PartialEq, Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
    #[prost(message, repeated, tag = "3")]
    details: Vec<pbjson_types::Any>,
}

pub(crate) async fn infer(
    channel: Channel,
    credentials: &Credentials,
    query: &Query,
    timeout: Duration,
) -> Result<Answer, Error> {
    let message = InferRequest {
        query: Some(query.clone()),
    };
    // The signed body is the gRPC envelope of the very message tonic sends: prost writes the
    // same value the same way twice, and tonic sends it uncompressed.
    let mut request = tonic::Request::new(message);
    let body = envelope(&request.get_ref().encode_to_vec());
    for (name, value) in auth_metadata(credentials, &body)? {
        let value = MetadataValue::try_from(value.as_str())
            .map_err(|_| Error::invalid(name, "is not a valid header value"))?;
        request.metadata_mut().insert(name, value);
    }
    request.set_timeout(timeout);
    let response = LlmPoolServiceClient::new(channel)
        .infer(request)
        .await
        .map_err(|status| from_status(&status, query))?;
    response.into_inner().answer.ok_or_else(|| {
        Error::api(
            ErrorCode::Internal,
            "the pool sent an InferResponse without an answer",
        )
    })
}

fn auth_metadata(
    credentials: &Credentials,
    body: &[u8],
) -> Result<Vec<(&'static str, String)>, Error> {
    match credentials {
        Credentials::None => Ok(vec![]),
        Credentials::Bearer(token) => Ok(vec![("authorization", format!("Bearer {token}"))]),
        Credentials::Hmac { key_id, secret } => {
            let timestamp = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_err(|_| Error::invalid("clock", "is before 1970"))?
                .as_secs()
                .to_string();
            let nonce = new_nonce()?;
            let text = string_to_sign(&SignInput {
                key_id,
                timestamp: &timestamp,
                nonce: &nonce,
                method: "POST",
                path: INFER_PATH,
                query: "",
                content_type: GRPC_CONTENT_TYPE,
                body,
            })?;
            Ok(vec![
                ("x-api-key", key_id.clone()),
                ("x-timestamp", timestamp),
                ("x-nonce", nonce),
                ("x-signature", signature(secret, &text)),
            ])
        }
    }
}

/// A message in its gRPC frame: flag byte 0 (uncompressed), big-endian length, the bytes.
fn envelope(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 5);
    out.push(0);
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

/// The typed error for a status: the pool's ErrorDetail when attached, else the gRPC code.
pub(crate) fn from_status(status: &tonic::Status, query: &Query) -> Error {
    let detail = RpcStatus::decode(status.details())
        .ok()
        .and_then(|s| {
            s.details
                .into_iter()
                .find(|any| any.type_url.ends_with("/vvtv.llmpool.v1.ErrorDetail"))
        })
        .and_then(|any| ErrorDetail::decode(any.value.as_ref()).ok());
    let code = detail.as_ref().and_then(|d| ErrorCode::parse(&d.code));
    // No response headers at all: tonic's own report of a refused or reset connection, or of the
    // client's timeout, not an answer of the pool.
    let transport = code.is_none()
        && matches!(
            status.code(),
            tonic::Code::Unavailable | tonic::Code::Cancelled | tonic::Code::Unknown
        )
        && status.metadata().get("content-type").is_none();
    if transport {
        // tonic's own message for a failed connection is only "transport error"; the causes say
        // which (refused, a certificate the client does not trust, a TLS alert from the pool).
        return Error::Connection(with_causes(
            status.message().to_string(),
            std::error::Error::source(status),
        ));
    }
    let retry_after = status
        .metadata()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let request_id = detail
        .as_ref()
        .map(|d| d.request_id.clone())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| query.request_id.clone());
    Error::Api {
        code: code.unwrap_or_else(|| ErrorCode::from_grpc(status.code())),
        message: status.message().to_string(),
        field: detail.map(|d| d.field).unwrap_or_default(),
        request_id,
        retry_after,
    }
}
