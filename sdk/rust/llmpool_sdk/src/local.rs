//! The `local` backend (R-SDK-5): the query goes straight to one Ollama or OpenAI-compatible
//! engine over HTTP/1.1, rendered with the pool's own prompt templates (prompts/, bundled as
//! prompts.json), for development without a pool. No ensemble, cache or auth: one call.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value as Json, json};

use crate::v1::{Answer, OutputKind, Query, Strategy, Task, Usage};
use crate::{Error, ErrorCode};

const PROMPTS: &str = include_str!("prompts.json");
const DEFAULT_MAX_TOKENS: u32 = 256;

/// Which API the engine speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Ollama,
    OpenAi,
}

/// Where `Backend::Local` sends queries.
#[derive(Debug, Clone)]
pub struct LocalEngine {
    /// e.g. `http://127.0.0.1:11434` for Ollama.
    pub url: String,
    pub kind: EngineKind,
    pub model: String,
    pub temperature: f64,
    /// The pool's default task seed, so the same query gets the same answer either way.
    pub seed: u64,
}

impl LocalEngine {
    pub fn ollama(url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            kind: EngineKind::Ollama,
            model: model.into(),
            temperature: 0.0,
            seed: 42,
        }
    }

    pub fn openai(url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            kind: EngineKind::OpenAi,
            ..Self::ollama(url, model)
        }
    }
}

pub(crate) struct LocalBackend {
    engine: LocalEngine,
    uri: hyper::Uri,
    prompts: Json,
    http: HttpClient<HttpConnector, Full<Bytes>>,
}

/// `Task::ExpandQueries` -> "expand_queries", the name of its prompt file.
pub fn task_name(task: i32) -> Option<String> {
    Task::try_from(task)
        .ok()
        .filter(|t| *t != Task::Unspecified)
        .map(|t| {
            t.as_str_name()
                .trim_start_matches("TASK_")
                .to_ascii_lowercase()
        })
}

/// The prompt templates bundled in the crate: task name -> {"system", "schema"}.
pub fn bundled_prompts() -> Json {
    serde_json::from_str::<Json>(PROMPTS)
        .map(|b| b["tasks"].clone())
        .unwrap_or(Json::Null)
}

/// (system, user) exactly as the pool renders a query for an engine.
pub fn render(query: &Query, system: &str) -> (String, String) {
    let mut parts = vec![query.prompt.trim().to_string()];
    if let Some(input) = &query.input {
        let mut text = String::new();
        write_struct(input, &mut text);
        parts.push(format!("Input (JSON):\n{text}"));
    }
    (
        system.to_string(),
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
    )
}

// JSON.stringify as the pool (JavaScript) writes it: fields in the Struct's own order, whole
// numbers without a fraction.
fn write_struct(s: &pbjson_types::Struct, out: &mut String) {
    out.push('{');
    for (i, (key, value)) in s.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Json::from(key.as_str()).to_string());
        out.push(':');
        write_value(value, out);
    }
    out.push('}');
}

fn write_value(value: &pbjson_types::Value, out: &mut String) {
    use pbjson_types::value::Kind;
    match &value.kind {
        None | Some(Kind::NullValue(_)) => out.push_str("null"),
        Some(Kind::BoolValue(b)) => out.push_str(if *b { "true" } else { "false" }),
        Some(Kind::NumberValue(n)) if n.fract() == 0.0 && n.abs() < 1e21 => {
            out.push_str(&format!("{}", *n as i64))
        }
        Some(Kind::NumberValue(n)) => out.push_str(&Json::from(*n).to_string()),
        Some(Kind::StringValue(s)) => out.push_str(&Json::from(s.as_str()).to_string()),
        Some(Kind::StructValue(s)) => write_struct(s, out),
        Some(Kind::ListValue(list)) => {
            out.push('[');
            for (i, v) in list.values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(v, out);
            }
            out.push(']');
        }
    }
}

impl LocalBackend {
    pub(crate) fn new(engine: LocalEngine) -> Result<Self, Error> {
        if engine.model.is_empty() {
            return Err(Error::invalid(
                "model",
                "is required with the local backend",
            ));
        }
        let path = match engine.kind {
            EngineKind::Ollama => "/api/chat",
            EngineKind::OpenAi => "/v1/chat/completions",
        };
        let base = engine.url.trim_end_matches('/');
        if !base.starts_with("http://") {
            return Err(Error::invalid(
                "url",
                format!("expected an http:// engine URL, got {:?}", engine.url),
            ));
        }
        let uri = format!("{base}{path}")
            .parse::<hyper::Uri>()
            .map_err(|e| Error::invalid("url", e.to_string()))?;
        let http = HttpClient::builder(TokioExecutor::new()).build_http();
        Ok(Self {
            engine,
            uri,
            prompts: bundled_prompts(),
            http,
        })
    }

    pub(crate) async fn infer(&self, query: &Query, timeout: Duration) -> Result<Answer, Error> {
        let task = task_name(query.task)
            .ok_or_else(|| Error::invalid("task", format!("unknown task {}", query.task)))?;
        if query.prompt.is_empty() && query.input.is_none() {
            return Err(Error::invalid(
                "prompt",
                "a query needs a prompt, an input, or both",
            ));
        }
        let template = &self.prompts[&task];
        let (kind, schema) = output(query, &template["schema"])?;
        let body = self.body(
            query,
            template["system"].as_str().unwrap_or(""),
            kind,
            schema,
            &task,
        );
        let request = hyper::Request::post(self.uri.clone())
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| Error::invalid("url", e.to_string()))?;
        let started = Instant::now();
        let exchange = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|e| Error::Connection(format!("{}: {e}", self.uri)))?;
            let status = response.status();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| Error::Connection(e.to_string()))?
                .to_bytes();
            Ok::<_, Error>((status, bytes))
        };
        let (status, bytes) = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| Error::Connection(format!("{}: no answer in {timeout:?}", self.uri)))??;
        if !status.is_success() {
            let code = match status.as_u16() {
                429 => ErrorCode::ResourceExhausted,
                500.. => ErrorCode::Unavailable,
                _ => ErrorCode::InvalidArgument,
            };
            let text = String::from_utf8_lossy(&bytes)
                .chars()
                .take(200)
                .collect::<String>();
            return Err(Error::api(
                code,
                format!(
                    "{:?} engine at {} answered {status}: {text}",
                    self.engine.kind, self.uri
                ),
            ));
        }
        let data: Json = serde_json::from_slice(&bytes).unwrap_or(Json::Null);
        let (text, prompt_tokens, completion_tokens) = match self.engine.kind {
            EngineKind::Ollama => (
                data["message"]["content"].as_str(),
                data["prompt_eval_count"].as_u64(),
                data["eval_count"].as_u64(),
            ),
            EngineKind::OpenAi => (
                data["choices"][0]["message"]["content"].as_str(),
                data["usage"]["prompt_tokens"].as_u64(),
                data["usage"]["completion_tokens"].as_u64(),
            ),
        };
        let text = text.ok_or_else(|| {
            Error::api(
                ErrorCode::Unavailable,
                format!(
                    "the engine's answer is not a {:?} chat reply",
                    self.engine.kind
                ),
            )
        })?;
        let usage = Usage {
            prompt_tokens: prompt_tokens.unwrap_or(0) as u32,
            completion_tokens: completion_tokens.unwrap_or(0) as u32,
        };
        Ok(Answer {
            request_id: query.request_id.clone(),
            task: query.task,
            output: text.to_string(),
            output_kind: kind as i32,
            winner_provider: "local".into(),
            winner_model: self.engine.model.clone(),
            strategy_requested: if query.strategy == 0 {
                Strategy::Fastest as i32
            } else {
                query.strategy
            },
            strategy_applied: Strategy::Fastest as i32,
            usage: Some(usage),
            total_usage: Some(usage),
            duration_ms: started.elapsed().as_millis().min(u32::MAX as u128) as u32,
            ..Default::default()
        })
    }

    fn body(
        &self,
        query: &Query,
        system: &str,
        kind: OutputKind,
        schema: Json,
        task: &str,
    ) -> Json {
        let (system, user) = render(query, system);
        let messages =
            json!([{ "role": "system", "content": system }, { "role": "user", "content": user }]);
        let max_tokens = if query.max_tokens > 0 {
            query.max_tokens
        } else {
            DEFAULT_MAX_TOKENS
        };
        let LocalEngine {
            model,
            temperature,
            seed,
            ..
        } = &self.engine;
        match self.engine.kind {
            EngineKind::Ollama => {
                let mut body = json!({ "model": model, "messages": messages, "stream": false, "options": { "num_predict": max_tokens, "temperature": temperature, "seed": seed } });
                match kind {
                    OutputKind::Json => body["format"] = json!("json"),
                    OutputKind::JsonSchema => body["format"] = schema,
                    _ => {}
                }
                body
            }
            EngineKind::OpenAi => {
                let mut body = json!({ "model": model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature, "seed": seed, "stream": false });
                match kind {
                    OutputKind::Json => body["response_format"] = json!({ "type": "json_object" }),
                    OutputKind::JsonSchema => {
                        body["response_format"] = json!({ "type": "json_schema", "json_schema": { "name": task, "schema": schema, "strict": true } })
                    }
                    _ => {}
                }
                body
            }
        }
    }
}

fn output(query: &Query, task_schema: &Json) -> Result<(OutputKind, Json), Error> {
    let kind = query
        .output
        .as_ref()
        .and_then(|o| OutputKind::try_from(o.kind).ok())
        .unwrap_or(OutputKind::Unspecified);
    match kind {
        OutputKind::Unspecified => Ok((OutputKind::JsonSchema, task_schema.clone())),
        OutputKind::JsonSchema => {
            let text = query
                .output
                .as_ref()
                .map(|o| o.json_schema.as_str())
                .unwrap_or("");
            serde_json::from_str(text)
                .map(|s| (kind, s))
                .map_err(|_| Error::invalid("output.json_schema", "is not valid JSON"))
        }
        other => Ok((other, Json::Null)),
    }
}
