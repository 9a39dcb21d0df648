//! One request before the suite against a remote target, so that a run
//! that cannot work ends at once with one sentence naming the cause and
//! the fix, instead of the same transport error in every case: a server
//! that cannot be reached, TLS spoken to a plain-HTTP server, no answer in
//! time, or a token the server refuses on a documented read.

use std::error::Error as _;

use crate::run::http::Http;
use crate::run::Target;
use crate::spec::{Contract, Method};

/// Why the target cannot be tested, as one sentence with the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PreflightError {
    /// No connection could be made.
    #[error("cannot reach {url} ({cause}); check --base-url and that the server is running")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// The innermost cause.
        cause: String,
    },
    /// The URL says `https` but the server answers in plain HTTP.
    #[error("{url} does not speak TLS (it answered in plain HTTP); use http:// in --base-url")]
    NotTls {
        /// The URL tried.
        url: String,
    },
    /// Nothing came back within the request timeout.
    #[error("{url} did not answer within {seconds} s; check --base-url, or raise --timeout")]
    NoAnswer {
        /// The URL tried.
        url: String,
        /// The timeout.
        seconds: f64,
    },
    /// A documented read answered 401 or 403.
    #[error("the server refused the token on a documented read ({request} answered {status}); check --token or CONFORM_TOKEN (or the client credentials)")]
    TokenRefused {
        /// `GET /path`, as sent.
        request: String,
        /// The status.
        status: u16,
    },
    /// A documented read answered 401 or 403 to a request that carried no
    /// token, since none was given.
    #[error("the server refused a documented read sent with no token ({request} answered {status}); give one with --token or CONFORM_TOKEN, or fetch one with --client-id, --token-url and CONFORM_CLIENT_SECRET")]
    NoToken {
        /// `GET /path`, as sent.
        request: String,
        /// The status.
        status: u16,
    },
}

/// The URL and request line of the first documented read whose path the
/// configured values fill, or the base URL itself when none can be filled.
fn probe(target: &Target, contracts: &[Contract]) -> (String, Option<String>) {
    let base = target.base_url.trim_end_matches('/');
    for op in contracts.iter().flat_map(|c| &c.operations) {
        // A read restricted to roles may refuse a sound token with 403.
        if op.method != Method::Get
            || !op.roles.is_empty()
            || !op.responses.iter().any(|r| r.status == 200)
        {
            continue;
        }
        let Ok(segments) = op.path.fill(|name| target.params.get(name).cloned()) else {
            continue;
        };
        let Ok(mut url) = reqwest::Url::parse(base) else {
            break;
        };
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty();
            segs.extend(&segments);
        } else {
            break;
        }
        let line = format!("GET {}", url.path());
        return (url.to_string(), Some(line));
    }
    (base.to_string(), None)
}

/// Sends the one preflight request.
pub async fn check(
    http: &Http,
    target: &Target,
    contracts: &[Contract],
) -> Result<(), PreflightError> {
    let (url, read) = probe(target, contracts);
    let mut request = http.client().get(&url);
    if let Some(token) = &target.token {
        request = request.bearer_auth(token);
    }
    for (k, v) in target.headers.iter().chain(&target.public_headers) {
        request = request.header(k, v);
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            match read {
                Some(request) if matches!(status, 401 | 403) => Err(match target.token {
                    Some(_) => PreflightError::TokenRefused { request, status },
                    None => PreflightError::NoToken { request, status },
                }),
                _ => Ok(()),
            }
        }
        Err(e) => Err(classify(&url, &e, http.limits().timeout.as_secs_f64())),
    }
}

fn classify(url: &str, e: &reqwest::Error, seconds: f64) -> PreflightError {
    let mut chain = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let all = chain.join(": ");
    if all.contains("InvalidContentType") || all.contains("corrupt message") {
        return PreflightError::NotTls { url: url.into() };
    }
    if e.is_timeout() {
        return PreflightError::NoAnswer {
            url: url.into(),
            seconds,
        };
    }
    PreflightError::Unreachable {
        url: url.into(),
        cause: chain.last().cloned().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_is_a_documented_read_the_settings_fill() {
        let c = crate::spec::parse_str(
            "t.md",
            "# T\n\n## `Get`\n\n<a id=\"opIdT_Get\"></a>\n\n```text\nGET /api/Things/{id}\n```\n\n\
             ### Response\n\n|Status Code|Body Type|Description|\n|---|---|---|\n|200|string|ok|\n",
        );
        let mut target = Target {
            base_url: "http://h:1/base/".into(),
            ..Target::default()
        };
        assert_eq!(probe(&target, std::slice::from_ref(&c)).1, None);
        target.params.insert("id".into(), "a b".into());
        let (url, line) = probe(&target, &[c]);
        assert_eq!(url, "http://h:1/base/api/Things/a%20b");
        assert_eq!(line.as_deref(), Some("GET /base/api/Things/a%20b"));
    }
}
