//! The validation proxy: `conform mock --proxy URL` forwards every request
//! to a real server and judges both directions against the documents.
//!
//! A request is routed over the documented operations exactly as the mock
//! routes it ([`super::routing`]), forwarded (method, path, query, headers
//! but the hop-by-hop ones, body) and its answer read within bounds. The
//! request body is judged against the operation's input definition with
//! the compiled [`crate::schema::Schemas`] the mock validates by; the
//! answer by the run's own checks ([`PROXY_CHECKS`], from
//! [`crate::run::checks::CHECKS`]), so the proxy and a run never disagree
//! about what the docs say. `no_server_error` is left out: a documented 5xx
//! of a real server is its answer, not a breach of the docs.
//!
//! Every violation is recorded and logged with the document line it comes
//! from. With `--proxy-errors` an exchange with violations is answered 502
//! with the list instead of the upstream's answer (Prism's `proxy
//! --errors`). A request no operation documents is forwarded untouched and
//! logged as undocumented. Credentials are forwarded but never logged:
//! every logged text passes through the run's [`Redactor`].

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::{json, Value};

use super::handlers::{Input, State};
use super::routing::Match;
use crate::api::OpKey;
use crate::plan::Step;
use crate::run::checks::{self, Context, Settings};
use crate::run::exchange::{Exchange, Received, SentRequest};
use crate::run::redact::{sensitive_header, Redactor};
use crate::schema::SchemaError;
use crate::spec::Method;

/// The run checks that judge a forwarded answer: the ones that read only
/// the exchange and the docs, never a case's expectations.
/// The first one reads the status alone (what an encoded body leaves).
pub const PROXY_CHECKS: &[&str] = &[
    "status_documented",
    "response_schema",
    "content_type",
    "head_has_no_body",
];

/// The name under which request-body violations are reported.
pub const REQUEST_SCHEMA: &str = "request_schema";

/// The name under which path and query parameter violations are reported:
/// a documented required query parameter missing, or a value that is not
/// of its parameter's type (an integer, a boolean, a GUID...).
pub const REQUEST_PARAMETERS: &str = "request_parameters";

/// Records kept for [`crate::mock::MockServer::proxy_records`], newest last.
const KEPT: usize = 1000;

/// How to run the proxy.
#[derive(Debug, Clone)]
pub struct ProxyOptions {
    /// The upstream's base URL (`https://host/prefix`); the request's path
    /// and query are appended as sent.
    pub upstream: String,
    /// Replace an answer with violations by 502 and the list of them.
    pub errors: bool,
    /// How long the upstream may take to answer in full; past it, 504.
    pub timeout: Duration,
    /// Bytes of an upstream answer body at most; past it, 502.
    pub response_limit: usize,
}

impl ProxyOptions {
    /// Proxy to `upstream` with the default bounds (30 s, 16 MiB).
    pub fn new(upstream: impl Into<String>) -> ProxyOptions {
        ProxyOptions {
            upstream: upstream.into(),
            errors: false,
            timeout: Duration::from_secs(30),
            response_limit: 16 << 20,
        }
    }
}

/// One breach of the docs seen by the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The check (or [`REQUEST_SCHEMA`]) that found it.
    pub check: String,
    /// Expected versus received, secrets redacted.
    pub message: String,
    /// `document:line` of the rule: the status row, or the operation.
    pub location: String,
}

/// One forwarded exchange, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProxyRecord {
    /// The request method.
    pub method: String,
    /// The path and query as sent, secrets redacted.
    pub target: String,
    /// The documented operation (`doc:line id`); `None` when undocumented.
    pub operation: Option<String>,
    /// The upstream's status; `None` when it gave no answer.
    pub status: Option<u16>,
    /// What broke the docs, request first.
    pub violations: Vec<Violation>,
}

impl ProxyRecord {
    /// The log lines of the record: one per violation, or one saying the
    /// request is undocumented; none for a conforming exchange.
    pub fn log_lines(&self) -> Vec<String> {
        let status = self
            .status
            .map_or_else(|| "no answer".to_string(), |s| s.to_string());
        let head = format!("proxy: {} {} -> {status}", self.method, self.target);
        if self.operation.is_none() {
            return vec![format!(
                "{head}: undocumented: no documented operation has this method and path"
            )];
        }
        self.violations
            .iter()
            .map(|v| format!("{head}: {}: {} ({})", v.check, v.message, v.location))
            .collect()
    }
}

/// The proxy's state, shared by every connection.
#[derive(Debug)]
pub(crate) struct Proxy {
    upstream: String,
    client: reqwest::Client,
    options: ProxyOptions,
    log: bool,
    records: Mutex<VecDeque<ProxyRecord>>,
}

/// Failures of setting the proxy up.
#[derive(Debug, thiserror::Error)]
#[error("invalid upstream {url}: {reason}")]
pub struct ProxyError {
    url: String,
    reason: String,
}

impl Proxy {
    /// A proxy to `options.upstream`, printing log lines when `log`.
    pub fn new(options: ProxyOptions, log: bool) -> Result<Proxy, ProxyError> {
        let err = |reason: String| ProxyError {
            url: options.upstream.clone(),
            reason,
        };
        let parsed = reqwest::Url::parse(&options.upstream).map_err(|e| err(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(err("not an http or https URL with a host".into()));
        }
        if parsed.query().is_some() {
            return Err(err("a base URL takes no query".into()));
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .build()
            .map_err(|e| err(e.to_string()))?;
        Ok(Proxy {
            upstream: options.upstream.trim_end_matches('/').to_string(),
            client,
            options,
            log,
            records: Mutex::new(VecDeque::new()),
        })
    }

    /// The latest records, oldest first.
    pub fn records(&self) -> Vec<ProxyRecord> {
        let kept = self.records.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().cloned().collect()
    }

    fn record(&self, record: ProxyRecord) {
        if self.log {
            for line in record.log_lines() {
                eprintln!("{line}");
            }
        }
        let mut kept = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back(record);
    }
}

/// Headers that belong to one connection, never forwarded either way.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

/// Whether a body is sent encoded (gzip and the like), so its bytes are
/// not the JSON the docs describe and cannot be judged as such.
fn encoded(headers: impl IntoIterator<Item = (String, String)>) -> bool {
    headers.into_iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("content-encoding") && !v.trim().eq_ignore_ascii_case("identity")
    })
}

/// Credentials a request carries, to keep out of what is logged: the
/// values of credential headers, and of query parameters named like one
/// (`api_key`, `access_token`). The redactor is built on first use only:
/// most exchanges conform, and then nothing but the target is recorded.
struct Secrets {
    pairs: Vec<(String, String)>,
    redactor: std::cell::OnceCell<Redactor>,
}

impl Secrets {
    /// The credentials of the query, and of the headers when `headers`.
    fn of(query: Option<&str>, headers: Option<&HeaderMap>) -> Secrets {
        let mut pairs = Vec::new();
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if sensitive_header(&name.replace('_', "-")) {
                pairs.push((value.into_owned(), "<redacted>".to_string()));
            }
        }
        for (name, value) in headers.into_iter().flatten() {
            if !sensitive_header(name.as_str()) {
                continue;
            }
            let Ok(v) = value.to_str() else { continue };
            pairs.push((v.to_string(), "<redacted>".to_string()));
            if let Some((_, token)) = v.split_once(' ') {
                pairs.push((token.trim().to_string(), "<redacted>".to_string()));
            }
        }
        pairs.retain(|(s, _)| !s.is_empty());
        Secrets {
            pairs,
            redactor: std::cell::OnceCell::new(),
        }
    }

    /// The text with every secret, in every form, replaced.
    fn text(&self, text: &str) -> String {
        if self.pairs.is_empty() {
            return text.to_string();
        }
        self.redactor
            .get_or_init(|| Redactor::new(self.pairs.clone()))
            .text(text)
    }
}

/// Forwards one request and answers with the upstream's answer, or with
/// the violations under `--proxy-errors`.
pub(crate) async fn forward(
    state: &State,
    proxy: &Proxy,
    body_limit: usize,
    body_time: Duration,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    // The target shows the query's credentials only; messages may echo
    // any.
    let in_target = Secrets::of(parts.uri.query(), None);
    let redact = Secrets::of(parts.uri.query(), Some(&parts.headers));
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
    let method = Method::parse(parts.method.as_str());
    let api = &state.api;
    let key = match state.routes.find(
        api,
        method,
        parts.uri.path(),
        super::server::hint(&state.routes, &parts.headers),
    ) {
        Match::Found(route, _) => Some(route.key),
        Match::WrongMethod(_) | Match::NotFound => None,
    };
    let bytes = match super::server::read_body(&parts.headers, body, body_limit, body_time).await {
        Input::Body(bytes) => bytes,
        Input::TooLarge => return refusal(413, "the request body is too large to forward"),
        Input::TimedOut => return refusal(408, "the request body did not arrive in time"),
        Input::Unreadable | Input::Denied(_) => {
            return refusal(400, "the request body could not be read")
        }
    };
    let mut record = ProxyRecord {
        method: parts.method.to_string(),
        target: in_target.text(&target),
        operation: key.map(|k| {
            let op = api.operation(k);
            format!("{}:{} {}", api.contracts[k.doc].source, op.line, op.id)
        }),
        status: None,
        violations: key
            .map(|k| parameter_violations(state, k, parts.uri.path(), parts.uri.query()))
            .unwrap_or_default()
            .into_iter()
            .chain(
                key.filter(|_| !encoded(header_pairs(&parts.headers)))
                    .map(|k| request_violations(state, k, &bytes))
                    .unwrap_or_default(),
            )
            .map(|v| Violation {
                message: redact.text(&v.message),
                ..v
            })
            .collect(),
    };

    let mut out = proxy
        .client
        .request(parts.method.clone(), format!("{}{target}", proxy.upstream));
    // Answers come unencoded (identity is always acceptable), so their
    // bodies can be judged.
    for (name, value) in &parts.headers {
        if !hop_by_hop(name) && name != axum::http::header::ACCEPT_ENCODING {
            out = out.header(name, value);
        }
    }
    if !bytes.is_empty() {
        out = out.body(bytes);
    }
    let answer = match read_answer(out, proxy.options.response_limit).await {
        Ok(answer) => answer,
        Err((status, why)) => {
            proxy.record(record);
            return refusal(status, &why);
        }
    };
    record.status = Some(answer.status);
    if let (Some(key), Some(method)) = (key, method) {
        let found = answer_violations(state, key, method, &answer);
        record
            .violations
            .extend(found.into_iter().map(|v| Violation {
                message: redact.text(&v.message),
                ..v
            }));
    }
    let replace = proxy.options.errors && key.is_some() && !record.violations.is_empty();
    let violations = replace.then(|| record.violations.clone());
    proxy.record(record);
    match violations {
        Some(violations) => {
            let body = json!({
                "Error": "the exchange breaks the documents",
                "Violations": violations,
            });
            json_response(502, &body)
        }
        None => pass_through(answer),
    }
}

/// The upstream's answer, read within the size limit.
async fn read_answer(
    out: reqwest::RequestBuilder,
    limit: usize,
) -> Result<Received, (u16, String)> {
    let failed = |e: reqwest::Error| {
        if e.is_timeout() {
            (504, "the upstream did not answer in time".to_string())
        } else {
            (502, format!("failed to reach the upstream: {e}"))
        }
    };
    let mut resp = out.send().await.map_err(failed)?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        // The length stays: a HEAD answer's is the only sign of its body.
        .filter(|(k, _)| *k == axum::http::header::CONTENT_LENGTH || !hop_by_hop(k))
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > limit {
            return Err((502, format!("the upstream's answer exceeds {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Received {
        status,
        headers,
        body,
    })
}

/// What the request's path values and query break of the operation's
/// documented parameters. Undocumented query parameters are not judged:
/// the docs do not say a server refuses them.
fn parameter_violations(
    state: &State,
    key: OpKey,
    path: &str,
    query: Option<&str>,
) -> Vec<Violation> {
    let contract = &state.api.contracts[key.doc];
    let op = state.api.operation(key);
    let at = |line: usize, message: String| Violation {
        check: REQUEST_PARAMETERS.into(),
        message,
        location: format!("{}:{line}", contract.source),
    };
    let mut found = Vec::new();
    // Values are judged percent-decoded, once, as the server reads them:
    // `%30` is the digit, `%2F` a slash inside the value.
    let matched = op.path.matches(path);
    let decoded = match matched.as_ref().map(|m| m.decoded()) {
        Some(Err(bad)) => {
            found.push(at(op.line, bad.to_string()));
            None
        }
        Some(Ok(decoded)) => Some(decoded),
        None => None,
    };
    if let Some(decoded) = decoded {
        for (i, segment) in op.path.segments().iter().enumerate() {
            let crate::spec::Segment::Param(name) = segment else {
                continue;
            };
            let Some(param) = op
                .path_params
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            let Some(value) = decoded.get(i) else {
                continue;
            };
            if let Some(ty) = param.ty.scalar().filter(|t| !t.accepts_text(value)) {
                found.push(at(
                    param.line,
                    format!(
                        "path parameter `{name}` is `{value}`, not a value of `{}`",
                        ty.word
                    ),
                ));
            }
        }
    }
    let given: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    for param in &op.query_params {
        let mut values = given
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(&param.name))
            .map(|(_, v)| v)
            .peekable();
        if values.peek().is_none() && param.required {
            found.push(at(
                param.line,
                format!("required query parameter `{}` is missing", param.name),
            ));
        }
        let Some(ty) = param.ty.scalar() else {
            continue;
        };
        for value in values.filter(|v| !ty.accepts_text(v)) {
            found.push(at(
                param.line,
                format!(
                    "query parameter `{}` is `{value}`, not a value of `{}`",
                    param.name, ty.word
                ),
            ));
        }
    }
    found
}

/// What the request body breaks of the operation's input definition.
fn request_violations(state: &State, key: OpKey, bytes: &[u8]) -> Vec<Violation> {
    let contract = &state.api.contracts[key.doc];
    let op = state.api.operation(key);
    let Some(documented) = &op.request_body else {
        return Vec::new();
    };
    let Some(def) = &documented.definition else {
        return Vec::new();
    };
    let at = |message: String| Violation {
        check: REQUEST_SCHEMA.into(),
        message,
        location: format!("{}:{}", contract.source, documented.line),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return vec![at(format!(
            "the request body is empty; the docs give `{def}`"
        ))];
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return vec![at(format!("the request body is not valid JSON: {e}"))],
    };
    match state.schemas[key.doc].validate_definition(def, &value) {
        Ok(()) => Vec::new(),
        Err(errors) => vec![at(format!(
            "the request body does not match `{def}`: {}",
            SchemaError::summary(&errors, 5)
        ))],
    }
}

fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// What the answer breaks, by the run's own checks. An encoded body is
/// judged by its status alone.
fn answer_violations(
    state: &State,
    key: OpKey,
    method: Method,
    answer: &Received,
) -> Vec<Violation> {
    let contract = &state.api.contracts[key.doc];
    let op = state.api.operation(key);
    let step = passive_step(key, op);
    let exchange = Exchange {
        request: SentRequest {
            method,
            url: String::new(),
            headers: Vec::new(),
            body: None,
        },
        response: Ok(answer.clone()),
        attempts: 1,
        millis: 0,
        hops: Vec::new(),
    };
    let vars = BTreeMap::new();
    let settings = Settings::default();
    let cx = Context {
        contract,
        operation: op,
        step: &step,
        vars: &vars,
        schemas: Some(&state.schemas[key.doc]),
        settings: &settings,
    };
    let names = if encoded(answer.headers.iter().cloned()) {
        &PROXY_CHECKS[..1]
    } else {
        PROXY_CHECKS
    };
    let judged: Vec<&dyn checks::Check> = names
        .iter()
        .filter_map(|name| checks::by_name(name))
        .collect();
    checks::judge(&judged, &exchange, &cx)
        .into_iter()
        .filter_map(|v| {
            let f = v.finding?;
            Some(Violation {
                check: v.check.to_string(),
                location: format!("{}:{}", contract.source, f.line.unwrap_or(op.line)),
                message: f.message,
            })
        })
        .collect()
}

/// A step that expects nothing but what the docs say of every answer: the
/// proxy knows no case, only the operation.
fn passive_step(key: OpKey, op: &crate::spec::Operation) -> Step {
    Step::plain("proxied", key.doc, key.op, op)
}

/// The upstream's answer as it came (hop-by-hop headers aside).
fn pass_through(answer: Received) -> Response {
    let mut res = Response::new(Body::from(Bytes::from(answer.body)));
    *res.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (k, v) in answer.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            res.headers_mut().append(k, v);
        }
    }
    res
}

/// The proxy's own answer: a status and a JSON reason.
fn refusal(status: u16, why: &str) -> Response {
    json_response(status, &json!({ "Error": why }))
}

fn json_response(status: u16, body: &Value) -> Response {
    let mut res = Response::new(Body::from(serde_json::to_vec(body).unwrap_or_default()));
    *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    res.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}
