//! The one HTTP client of a run: bounded in time (connect and total),
//! in body size (read in chunks up to a cap) and in redirects, retrying
//! only 408, 429 and 503, and only as long as `Retry-After` allows.
//!
//! Redirects are followed here, not by reqwest, and only within the
//! target's origin (same scheme, host and port, so never an https→http
//! downgrade): credentials, extra headers and bodies must never reach
//! another host. A redirect elsewhere is the answer, judged by the checks.
//! Every hop is recorded so that every output can show it.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use super::exchange::{Exchange, Hop, Received, SentRequest, TransportError};
use crate::spec::Method;

/// Limits of the client.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time to connect.
    pub connect_timeout: Duration,
    /// Time for one attempt, body included.
    pub timeout: Duration,
    /// Most body bytes read.
    pub body_limit: usize,
    /// Most same-origin redirects followed.
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
            .redirect(reqwest::redirect::Policy::none())
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
        self.exchange_with(out, shown, true, self.limits.retries)
            .await
    }

    /// Sends `out` once (redirects followed, no retry of a 408, 429 or
    /// 503): for callers that count and pace their own tries (cleanup).
    pub async fn exchange_once(&self, out: &Outgoing, shown: SentRequest) -> Exchange {
        self.exchange_with(out, shown, true, 0).await
    }

    /// Sends `out` like [`Http::exchange`], never following a redirect:
    /// for requests that carry credentials in their body (a token request).
    pub async fn exchange_unredirected(&self, out: &Outgoing, shown: SentRequest) -> Exchange {
        self.exchange_with(out, shown, false, self.limits.retries)
            .await
    }

    async fn exchange_with(
        &self,
        out: &Outgoing,
        shown: SentRequest,
        follow: bool,
        retries: u32,
    ) -> Exchange {
        let start = Instant::now();
        let mut attempts = 0;
        let mut hops = Vec::new();
        let response = loop {
            attempts += 1;
            hops.clear();
            let response = self.follow(out, follow, &mut hops).await;
            let wait = match &response {
                Ok(r) if matches!(r.status, 408 | 429 | 503) && attempts <= retries => {
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
            hops,
        }
    }

    /// Sends `out`, then follows same-origin redirects up to the limit,
    /// recording each hop. A 303, and a 301 or 302 after anything but GET
    /// or HEAD, become a GET without body (as browsers and reqwest do); a
    /// 307 or 308 re-sends the request as it was.
    async fn follow(
        &self,
        out: &Outgoing,
        follow: bool,
        hops: &mut Vec<Hop>,
    ) -> Result<Received, TransportError> {
        let mut current = out.clone();
        loop {
            let r = self.attempt(&current).await?;
            if !follow || !matches!(r.status, 301 | 302 | 303 | 307 | 308) {
                return Ok(r);
            }
            let Some(next) = r
                .header("location")
                .and_then(|l| Url::parse(&current.url).ok()?.join(l).ok())
            else {
                return Ok(r);
            };
            let same = Url::parse(&current.url).is_ok_and(|from| same_origin(&from, &next));
            if !same {
                return Ok(r);
            }
            if hops.len() >= self.limits.redirects {
                return Err(TransportError::Redirects(self.limits.redirects));
            }
            hops.push(Hop {
                status: r.status,
                from: current.url.clone(),
                to: next.to_string(),
            });
            let to_get = r.status == 303
                || (matches!(r.status, 301 | 302)
                    && !matches!(current.method, Method::Get | Method::Head));
            if to_get {
                current.method = Method::Get;
                current.body = None;
                current
                    .headers
                    .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            }
            current.url = next.to_string();
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
        } else if e.is_connect() {
            TransportError::Connect(chain(&e))
        } else {
            TransportError::Broken(chain(&e))
        }
    }
}

/// Whether two URLs share scheme, host and port: the only redirects a run
/// follows. A change of scheme (an https→http downgrade) is another origin.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
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
    fn origins_differ_by_scheme_host_or_port() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_origin(
            &u("https://a.test/x"),
            &u("https://A.test:443/y")
        ));
        assert!(!same_origin(&u("https://a.test/x"), &u("http://a.test/x")));
        assert!(!same_origin(&u("http://a.test/x"), &u("http://b.test/x")));
        assert!(!same_origin(
            &u("http://a.test:1/x"),
            &u("http://a.test:2/x")
        ));
    }

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
