//! Secrets never leave the process: every text a run records passes
//! through a [`Redactor`] that knows each token and client secret and puts
//! a placeholder in its place, even where a server echoes one back.

/// Replaces known secrets in text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// (secret, placeholder), longest secret first so that a secret
    /// containing another is replaced whole.
    secrets: Vec<(String, String)>,
}

/// The placeholder of the main token, as a shell variable for `curl`.
pub const TOKEN_PLACEHOLDER: &str = "$CONFORM_TOKEN";

/// The placeholder of the `n`-th role token (1-based).
pub fn role_placeholder(n: usize) -> String {
    format!("$CONFORM_ROLE_TOKEN_{n}")
}

impl Redactor {
    /// A redactor for these (secret, placeholder) pairs; empty secrets are
    /// ignored.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Redactor {
        let mut secrets: Vec<(String, String)> =
            pairs.into_iter().filter(|(s, _)| !s.is_empty()).collect();
        secrets.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        Redactor { secrets }
    }

    /// Adds a secret.
    pub fn add(&mut self, secret: &str, placeholder: &str) {
        if !secret.is_empty() {
            self.secrets
                .push((secret.to_string(), placeholder.to_string()));
            self.secrets
                .sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        }
    }

    /// The text with every secret replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (secret, placeholder) in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), placeholder);
            }
        }
        out
    }
}

/// Whether a header carries credentials by its name alone.
pub fn sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "proxy-authorization"
        || n == "cookie"
        || n == "set-cookie"
        || n.contains("api-key")
        || n.contains("apikey")
        || n.contains("token")
        || n.contains("secret")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_is_replaced_even_inside_other_text() {
        let r = Redactor::new([
            ("abc123".to_string(), TOKEN_PLACEHOLDER.to_string()),
            ("abc123-long".to_string(), role_placeholder(1)),
            (String::new(), "never".to_string()),
        ]);
        assert_eq!(
            r.text("Bearer abc123 and {\"echo\":\"abc123-long\"}"),
            "Bearer $CONFORM_TOKEN and {\"echo\":\"$CONFORM_ROLE_TOKEN_1\"}"
        );
        assert_eq!(r.text("nothing secret"), "nothing secret");
    }

    #[test]
    fn credential_headers_are_known_by_name() {
        assert!(sensitive_header("Authorization"));
        assert!(sensitive_header("X-Api-Key"));
        assert!(sensitive_header("x-auth-token"));
        assert!(!sensitive_header("Accept"));
    }
}
