//! When and how long to wait before trying a query again.
//!
//! Retried: `unavailable` and `resource_exhausted` (honouring Retry-After). Only when the query
//! has a request_id, so the pool's idempotency makes a repeat safe: `deadline_exceeded` and
//! connection failures. Nothing else: waiting does not fix a bad argument or a bad key.

use std::time::Duration;

use crate::{Error, ErrorCode};

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Extra attempts after the first.
    pub max_retries: u32,
    /// First backoff, doubled on each retry, up to `max_delay`; shortened by up to 25 % jitter.
    pub initial_delay: Duration,
    pub max_delay: Duration,
    /// A Retry-After longer than this is not waited for: the error is returned.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How long to wait before attempt `attempt + 1`, or None to give up; `random` is in [0, 1).
    pub fn delay_before_retry(
        &self,
        error: &Error,
        attempt: u32,
        idempotent: bool,
        random: f64,
    ) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        let retryable = match error {
            Error::Api {
                code: ErrorCode::Unavailable | ErrorCode::ResourceExhausted,
                ..
            } => true,
            Error::Api {
                code: ErrorCode::DeadlineExceeded,
                ..
            }
            | Error::Connection(_) => idempotent,
            _ => false,
        };
        if !retryable {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let backoff = self
            .initial_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay);
        Some(backoff.mul_f64(1.0 - 0.25 * random.clamp(0.0, 1.0)))
    }
}
