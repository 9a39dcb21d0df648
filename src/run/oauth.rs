//! OAuth2 client credentials: trades a client id and secret for the
//! bearer token a run sends.

use std::time::Duration;

use reqwest::Url;

use super::exchange::SentRequest;
use super::http::{Http, Outgoing};
use super::redact::Redactor;
use crate::spec::Method;

/// Failures obtaining a token.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The token endpoint is not a URL.
    #[error("invalid token URL `{0}`")]
    Url(String),
    /// No answer came.
    #[error("failed to reach the token endpoint: {0}")]
    Transport(String),
    /// The endpoint refused.
    #[error("the token endpoint answered {status}: {body}")]
    Refused {
        /// The status.
        status: u16,
        /// The body, secrets redacted, cut short.
        body: String,
    },
    /// The endpoint answered with a redirect, which a token request never
    /// follows: it would post the client secret wherever it points.
    #[error("the token endpoint answered {status} redirecting to `{location}`; a token request follows no redirect: give the final token URL")]
    Redirected {
        /// The status.
        status: u16,
        /// Where it pointed, secrets redacted.
        location: String,
    },
    /// The answer holds no `access_token`.
    #[error("the token endpoint's answer holds no access_token")]
    NoToken,
}

/// `application/x-www-form-urlencoded` text of the pairs.
fn form(pairs: &[(&str, &str)]) -> String {
    match Url::parse("http://form.invalid/") {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs);
            url.query().unwrap_or("").to_string()
        }
        Err(_) => String::new(),
    }
}

/// Asks `token_url` for a token with the client-credentials grant.
pub async fn client_credentials(
    http: &Http,
    token_url: &str,
    client_id: &str,
    client_secret: &str,
) -> Result<String, OAuthError> {
    Url::parse(token_url).map_err(|_| OAuthError::Url(token_url.to_string()))?;
    let body = form(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", client_secret),
    ]);
    let out = Outgoing {
        method: Method::Post,
        url: token_url.to_string(),
        headers: vec![
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("accept".into(), "application/json".into()),
        ],
        body: Some(body.into_bytes()),
    };
    let shown = SentRequest {
        method: Method::Post,
        url: token_url.to_string(),
        headers: Vec::new(),
        body: None,
    };
    let ex = tokio::time::timeout(
        Duration::from_secs(60),
        http.exchange_unredirected(&out, shown),
    )
    .await
    .map_err(|_| OAuthError::Transport("timed out".into()))?;
    let r = ex
        .response
        .map_err(|e| OAuthError::Transport(e.to_string()))?;
    // The secret is hidden in every form a server may echo it in (the
    // form-encoded body quoted back, say).
    let redactor = Redactor::new([(client_secret.to_string(), "<redacted>".to_string())]);
    if (300..400).contains(&r.status) {
        return Err(OAuthError::Redirected {
            status: r.status,
            location: redactor.text(r.header("location").unwrap_or("nowhere")),
        });
    }
    if !r.is_success() {
        let text = redactor.text(&String::from_utf8_lossy(&r.body));
        return Err(OAuthError::Refused {
            status: r.status,
            body: super::outcome::truncate(&text, 300),
        });
    }
    let json: serde_json::Value =
        serde_json::from_slice(&r.body).map_err(|_| OAuthError::NoToken)?;
    json.get("access_token")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .ok_or(OAuthError::NoToken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_url_encoded() {
        assert_eq!(form(&[("a", "b c"), ("s", "x&y=z")]), "a=b+c&s=x%26y%3Dz");
    }
}
