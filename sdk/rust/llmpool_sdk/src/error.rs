//! Typed errors: the pool's machine codes (docs/LLMPOOL_API.md, Errors) and the client's own.

use std::fmt;
use std::time::Duration;

/// The pool's stable machine codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidArgument,
    Unauthenticated,
    PermissionDenied,
    Conflict,
    ResourceExhausted,
    PayloadTooLarge,
    NotFound,
    Canceled,
    Unavailable,
    DeadlineExceeded,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidArgument => "invalid_argument",
            Self::Unauthenticated => "unauthenticated",
            Self::PermissionDenied => "permission_denied",
            Self::Conflict => "conflict",
            Self::ResourceExhausted => "resource_exhausted",
            Self::PayloadTooLarge => "payload_too_large",
            Self::NotFound => "not_found",
            Self::Canceled => "canceled",
            Self::Unavailable => "unavailable",
            Self::DeadlineExceeded => "deadline_exceeded",
            Self::Internal => "internal",
        }
    }

    /// The code for a machine-code string; None for one this version does not know.
    pub fn parse(code: &str) -> Option<Self> {
        use ErrorCode::*;
        [
            InvalidArgument,
            Unauthenticated,
            PermissionDenied,
            Conflict,
            ResourceExhausted,
            PayloadTooLarge,
            NotFound,
            Canceled,
            Unavailable,
            DeadlineExceeded,
            Internal,
        ]
        .into_iter()
        .find(|c| c.as_str() == code)
    }

    /// The code a gRPC status maps to when the pool attached no ErrorDetail.
    pub fn from_grpc(code: tonic::Code) -> Self {
        use tonic::Code as C;
        match code {
            C::InvalidArgument | C::OutOfRange | C::FailedPrecondition => Self::InvalidArgument,
            C::Unauthenticated => Self::Unauthenticated,
            C::PermissionDenied => Self::PermissionDenied,
            C::Aborted | C::AlreadyExists => Self::Conflict,
            C::ResourceExhausted => Self::ResourceExhausted,
            C::NotFound | C::Unimplemented => Self::NotFound,
            C::Cancelled => Self::Canceled,
            C::Unavailable => Self::Unavailable,
            C::DeadlineExceeded => Self::DeadlineExceeded,
            _ => Self::Internal,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every error the client returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The pool (or, with the local backend, the engine) refused or failed the query.
    #[error("{code}: {message}")]
    Api {
        code: ErrorCode,
        message: String,
        /// The Query field the error is about, e.g. `deadline_ms`; empty if none.
        field: String,
        request_id: String,
        /// How long the server asked the client to wait (Retry-After), if it said.
        retry_after: Option<Duration>,
    },
    /// No answer: refused connection, reset, or the client's own timeout.
    #[error("connection: {0}")]
    Connection(String),
    /// An argument or option this client refuses before any request, naming it.
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },
}

impl Error {
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn api(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Api {
            code,
            message: message.into(),
            field: String::new(),
            request_id: String::new(),
            retry_after: None,
        }
    }

    /// The machine code of an API error.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// `text`, then every cause from `source` down, in one line; a cause already in the text is not
/// repeated.
pub(crate) fn with_causes(
    mut text: String,
    mut source: Option<&(dyn std::error::Error + 'static)>,
) -> String {
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
