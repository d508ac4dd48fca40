//! `Client` and its builder: one `infer(Query)` with light retries, over gRPC to the pool or
//! straight to a local engine.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OnceCell;
use tonic::transport::{Channel, Endpoint};

use crate::local::{LocalBackend, LocalEngine};
use crate::v1::{Answer, Query};
use crate::{Error, RetryPolicy, grpc};

/// How requests authenticate.
#[derive(Clone, Default)]
pub enum Credentials {
    #[default]
    None,
    /// A key id from the pool's config and its secret; every attempt is signed with a fresh nonce.
    Hmac { key_id: String, secret: String },
    /// A JWT sent as `authorization: Bearer …`.
    Bearer(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Hmac { key_id, .. } => {
                write!(f, "Hmac {{ key_id: {key_id:?}, secret: <hidden> }}")
            }
            Self::Bearer(_) => f.write_str("Bearer(<hidden>)"),
        }
    }
}

/// Where queries go: the pool (default) or one engine directly, for development (R-SDK-5).
#[derive(Debug, Clone)]
pub enum Backend {
    Pool,
    Local(LocalEngine),
}

/// Called before each retry with the attempt that failed (0 = the first), the wait, and the error.
pub type RetryObserver = Arc<dyn Fn(u32, Duration, &Error) + Send + Sync>;

/// Time allowed beyond the query's own deadline for the pool's answer (or its deadline error).
const DEADLINE_MARGIN: Duration = Duration::from_secs(1);

pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    backend: Backend,
    timeout: Duration,
    retry: RetryPolicy,
    on_retry: Option<RetryObserver>,
    tls: TlsOptions,
}

/// What an `https://` pool URL is checked against, and what the client shows the pool.
// Without the `tls` feature no setter fills it; an https URL is refused instead.
#[cfg_attr(not(feature = "tls"), allow(dead_code))]
#[derive(Clone, Default)]
struct TlsOptions {
    /// PEM CA certificates; when set, the only roots trusted (else the system's store).
    ca_pem: Option<Vec<u8>>,
    /// PEM client certificate chain and key, for a pool that requires client certificates.
    identity: Option<(Vec<u8>, Vec<u8>)>,
}

#[cfg_attr(not(feature = "tls"), allow(dead_code))]
impl TlsOptions {
    fn is_set(&self) -> bool {
        self.ca_pem.is_some() || self.identity.is_some()
    }
}

impl ClientBuilder {
    /// The pool's URL, `http://host:port`; default `http://127.0.0.1:7070`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    pub fn hmac(mut self, key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials = Credentials::Hmac {
            key_id: key_id.into(),
            secret: secret.into(),
        };
        self
    }

    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Bearer(token.into());
        self
    }

    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Limit of one attempt when the query sets no `deadline_ms`; default 10 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Trust only the CA certificates in this PEM for an `https://` pool (a private CA), instead
    /// of the system's store.
    #[cfg(feature = "tls")]
    pub fn tls_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.ca_pem = Some(pem.into());
        self
    }

    /// Present this client certificate chain and its private key (PEM) to a pool that requires
    /// client certificates (`[server.tls] client_ca_file`).
    #[cfg(feature = "tls")]
    pub fn tls_identity(
        mut self,
        cert_pem: impl Into<Vec<u8>>,
        key_pem: impl Into<Vec<u8>>,
    ) -> Self {
        self.tls.identity = Some((cert_pem.into(), key_pem.into()));
        self
    }

    pub fn on_retry(
        mut self,
        observer: impl Fn(u32, Duration, &Error) + Send + Sync + 'static,
    ) -> Self {
        self.on_retry = Some(Arc::new(observer));
        self
    }

    /// Checks every option; nothing connects until the first query.
    pub fn build(self) -> Result<Client, Error> {
        if self.timeout.is_zero() {
            return Err(Error::invalid("timeout", "must be above zero"));
        }
        match &self.credentials {
            Credentials::Hmac { key_id, .. } if key_id.is_empty() => {
                return Err(Error::invalid("key_id", "is required"));
            }
            Credentials::Hmac { secret, .. } if secret.len() < 32 => {
                return Err(Error::invalid("secret", "must be at least 32 bytes"));
            }
            Credentials::Bearer(token) if token.is_empty() => {
                return Err(Error::invalid("token", "is empty"));
            }
            _ => {}
        }
        let target = match self.backend {
            Backend::Pool => {
                if !self.base_url.starts_with("http://") && !self.base_url.starts_with("https://") {
                    return Err(Error::invalid(
                        "base_url",
                        format!("expected an http(s) URL, got {:?}", self.base_url),
                    ));
                }
                let endpoint = Endpoint::from_shared(self.base_url.clone())
                    .map_err(|e| Error::invalid("base_url", e.to_string()))?;
                let endpoint = secure(endpoint, &self.base_url, &self.tls)?;
                Target::Pool {
                    endpoint,
                    channel: OnceCell::new(),
                }
            }
            Backend::Local(engine) => Target::Local(LocalBackend::new(engine)?),
        };
        Ok(Client {
            target,
            credentials: self.credentials,
            timeout: self.timeout,
            retry: self.retry,
            on_retry: self.on_retry,
        })
    }
}

/// The endpoint with TLS for an `https://` URL; TLS options with an `http://` URL are refused
/// rather than ignored, so a typo cannot send credentials in cleartext.
#[cfg(feature = "tls")]
fn secure(endpoint: Endpoint, base_url: &str, tls: &TlsOptions) -> Result<Endpoint, Error> {
    use crate::error::with_causes;
    use tonic::transport::{Certificate, ClientTlsConfig, Identity};
    if !base_url.starts_with("https://") {
        if tls.is_set() {
            return Err(Error::invalid(
                "base_url",
                "TLS options need an https:// URL",
            ));
        }
        return Ok(endpoint);
    }
    let roots = match &tls.ca_pem {
        Some(pem) => {
            if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
                return Err(Error::invalid("tls_ca_pem", "holds no PEM certificate"));
            }
            ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem))
        }
        None => ClientTlsConfig::new().with_native_roots(),
    };
    // Tried without the identity first, so an error names the option that caused it.
    let checked = endpoint.clone().tls_config(roots.clone()).map_err(|e| {
        Error::invalid(
            "tls_ca_pem",
            with_causes(e.to_string(), std::error::Error::source(&e)),
        )
    })?;
    let Some((cert, key)) = &tls.identity else {
        return Ok(checked);
    };
    endpoint
        .tls_config(roots.identity(Identity::from_pem(cert, key)))
        .map_err(|e| {
            Error::invalid(
                "tls_identity",
                with_causes(e.to_string(), std::error::Error::source(&e)),
            )
        })
}

#[cfg(not(feature = "tls"))]
fn secure(endpoint: Endpoint, base_url: &str, _tls: &TlsOptions) -> Result<Endpoint, Error> {
    if base_url.starts_with("https://") {
        return Err(Error::invalid(
            "base_url",
            "https needs the crate's `tls` feature, which this build leaves out",
        ));
    }
    Ok(endpoint)
}

// One client holds one target, so the size difference between them costs nothing.
#[allow(clippy::large_enum_variant)]
enum Target {
    Pool {
        endpoint: Endpoint,
        channel: OnceCell<Channel>,
    },
    Local(LocalBackend),
}

/// A client of llm-pool. Cheap to share behind an `Arc`; one HTTP/2 connection, opened on first use.
pub struct Client {
    target: Target,
    credentials: Credentials,
    timeout: Duration,
    retry: RetryPolicy,
    on_retry: Option<RetryObserver>,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: "http://127.0.0.1:7070".into(),
            credentials: Credentials::None,
            backend: Backend::Pool,
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            on_retry: None,
            tls: TlsOptions::default(),
        }
    }

    /// Runs one query; returns a typed error once the retries that apply are spent.
    pub async fn infer(&self, query: Query) -> Result<Answer, Error> {
        let idempotent = !query.request_id.is_empty();
        let timeout = if query.deadline_ms > 0 {
            Duration::from_millis(query.deadline_ms.into()) + DEADLINE_MARGIN
        } else {
            self.timeout
        };
        let mut attempt = 0;
        loop {
            let error = match self.attempt(&query, timeout).await {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            let Some(wait) = self
                .retry
                .delay_before_retry(&error, attempt, idempotent, jitter())
            else {
                return Err(error);
            };
            if let Some(observer) = &self.on_retry {
                observer(attempt, wait, &error);
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, query: &Query, timeout: Duration) -> Result<Answer, Error> {
        match &self.target {
            Target::Local(local) => local.infer(query, timeout).await,
            Target::Pool { endpoint, channel } => {
                let channel = channel
                    .get_or_init(|| async { endpoint.connect_lazy() })
                    .await
                    .clone();
                grpc::infer(channel, &self.credentials, query, timeout).await
            }
        }
    }
}

/// A number in [0, 1) for the backoff jitter.
fn jitter() -> f64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    }
}
