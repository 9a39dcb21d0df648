//! The one HTTP client of a run: bounded in time (connect and total),
//! in body size (read in chunks up to a cap) and in redirects, retrying
//! only 408, 429 and 503, and only as long as `Retry-After` allows.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};

use super::exchange::{Exchange, Received, SentRequest, TransportError};

/// Limits of the client.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time to connect.
    pub connect_timeout: Duration,
    /// Time for one attempt, body included.
    pub timeout: Duration,
    /// Most body bytes read.
    pub body_limit: usize,
    /// Most redirects followed.
    pub redirects: usize,
    /// Most retries of a 408, 429 or 503.
    pub retries: u32,
    /// The longest wait before a retry, whatever `Retry-After` asks.
    pub max_retry_wait: Duration,
    /// Accept any TLS certificate.
    pub insecure: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            body_limit: 4 * 1024 * 1024,
            redirects: 5,
            retries: 2,
            max_retry_wait: Duration::from_secs(5),
            insecure: false,
        }
    }
}

/// Failures building the client.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// reqwest refused the configuration.
    #[error("failed to build the HTTP client: {0}")]
    Build(#[from] reqwest::Error),
    /// A header name or value is not valid HTTP.
    #[error("invalid header `{0}`")]
    Header(String),
    /// The URL does not parse.
    #[error("invalid URL `{0}`")]
    Url(String),
}

/// A request to send: the real credentials, unlike [`SentRequest`].
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The method.
    pub method: crate::spec::Method,
    /// The full URL.
    pub url: String,
    /// Headers as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Option<Vec<u8>>,
}

/// The client.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    limits: Limits,
}

impl Http {
    /// Builds the client. Installs the ring TLS provider if none is.
    pub fn new(limits: Limits) -> Result<Http, HttpError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.timeout)
            .redirect(reqwest::redirect::Policy::limited(limits.redirects))
            .tls_danger_accept_invalid_certs(limits.insecure)
            .user_agent(concat!("conform/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Http { client, limits })
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The underlying client (for the bench's bare loop).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends `out`, retrying as allowed, and records it as `shown`.
    pub async fn exchange(&self, out: &Outgoing, shown: SentRequest) -> Exchange {
        let start = Instant::now();
        let mut attempts = 0;
        let response = loop {
            attempts += 1;
            let response = self.attempt(out).await;
            let wait = match &response {
                Ok(r) if matches!(r.status, 408 | 429 | 503) && attempts <= self.limits.retries => {
                    retry_after(r).min(self.limits.max_retry_wait)
                }
                _ => break response,
            };
            tokio::time::sleep(wait).await;
        };
        Exchange {
            request: shown,
            response,
            attempts,
            millis: start.elapsed().as_millis() as u64,
        }
    }

    async fn attempt(&self, out: &Outgoing) -> Result<Received, TransportError> {
        let method = reqwest::Method::from_bytes(out.method.as_str().as_bytes())
            .map_err(|e| TransportError::Connect(e.to_string()))?;
        let mut request = self.client.request(method, &out.url);
        for (k, v) in &out.headers {
            let name = HeaderName::from_bytes(k.as_bytes());
            let value = HeaderValue::from_str(v);
            if let (Ok(name), Ok(value)) = (name, value) {
                request = request.header(name, value);
            }
        }
        if let Some(body) = &out.body {
            request = request.body(body.clone());
        }
        let mut response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() + chunk.len() > self.limits.body_limit {
                return Err(TransportError::TooLarge(self.limits.body_limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Received {
            status,
            headers,
            body,
        })
    }

    fn classify(&self, e: reqwest::Error) -> TransportError {
        if e.is_timeout() {
            TransportError::Timeout(self.limits.timeout.as_millis() as u64)
        } else if e.is_redirect() {
            TransportError::Redirects(self.limits.redirects)
        } else if e.is_connect() {
            TransportError::Connect(chain(&e))
        } else {
            TransportError::Broken(chain(&e))
        }
    }
}

/// An error with its causes, innermost last: reqwest's own message is
/// often just "error sending request".
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// The wait a `Retry-After` header asks for: delay seconds, or the time
/// until an HTTP date (nothing for a date in the past); one second when the
/// header is absent or unreadable.
fn retry_after(r: &Received) -> Duration {
    let Some(value) = r.header("retry-after").map(str::trim) else {
        return Duration::from_secs(1);
    };
    if let Ok(seconds) = value.parse::<u64>() {
        return Duration::from_secs(seconds);
    }
    match httpdate::parse_http_date(value) {
        Ok(at) => at
            .duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
        Err(_) => Duration::from_secs(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates_and_defaults_to_one() {
        let r = |v: Option<&str>| Received {
            status: 503,
            headers: v
                .map(|v| vec![("retry-after".to_string(), v.to_string())])
                .unwrap_or_default(),
            body: Vec::new(),
        };
        assert_eq!(retry_after(&r(Some("3"))), Duration::from_secs(3));
        assert_eq!(retry_after(&r(None)), Duration::from_secs(1));
        assert_eq!(retry_after(&r(Some("soon"))), Duration::from_secs(1));
        assert_eq!(
            retry_after(&r(Some("Wed, 21 Oct 2015 07:28:00 GMT"))),
            Duration::ZERO,
            "a date in the past asks for no wait"
        );
        let later =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&r(Some(&later)));
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
    }
}
