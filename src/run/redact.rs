//! Secrets never leave the process: every text a run records passes
//! through a [`Redactor`] that knows each token and client secret and puts
//! a placeholder in its place, even where a server echoes one back.

use aho_corasick::{AhoCorasick, MatchKind};

/// Replaces known secrets in text.
///
/// A server may echo a secret transformed: percent-encoded in a URL or a
/// form, base64-encoded (inside a `Basic` credential, say), or in another
/// letter case. Each secret is therefore matched in all those forms,
/// ignoring ASCII case, and every form gets the secret's placeholder.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// (secret, placeholder), as given.
    secrets: Vec<(String, String)>,
    /// Every form of every secret, and the placeholder of each form's
    /// pattern, built again on each addition.
    matcher: Option<(AhoCorasick, Vec<Form>)>,
}

/// What a matched form is replaced by, and whether it must stand alone.
#[derive(Debug, Clone)]
struct Form {
    placeholder: String,
    whole_word: bool,
    /// A base64 form: the whole base64 word around it is replaced, since
    /// the characters at its edges carry bits of the secret too.
    base64: bool,
}

/// The placeholder of the main token, as a shell variable for `curl`.
pub const TOKEN_PLACEHOLDER: &str = "$CONFORM_TOKEN";

/// The placeholder of the `n`-th role token (1-based).
pub fn role_placeholder(n: usize) -> String {
    format!("$CONFORM_ROLE_TOKEN_{n}")
}

/// Shortest encoded form matched: shorter fragments of a base64 text
/// would hide innocent text by chance.
const MIN_FORM: usize = 8;

/// Secrets shorter than this are replaced only where they stand as a
/// whole word: a header value of `1` or `dev` must not blank every digit
/// of a body or every `dev` in a URL. Such a value is weak as a secret
/// anyway, and is still hidden wherever it appears on its own.
pub const SHORT_SECRET: usize = 6;

/// The forms a server may echo `secret` in, the secret itself first,
/// each with whether it is a base64 form.
fn forms(secret: &str) -> Vec<(String, bool)> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine as _;
    let mut out = vec![(secret.to_string(), false)];
    out.push((
        form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        false,
    ));
    out.push((
        percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
            .to_string(),
        false,
    ));
    // Base64 of the secret at each of the three alignments inside a
    // longer text (`id:secret`): only the characters that depend on the
    // secret's bytes alone are matched.
    for k in 0..3 {
        let mut bytes = vec![0u8; k];
        bytes.extend_from_slice(secret.as_bytes());
        let whole = bytes.len() / 3 * 4;
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&bytes);
            let begin = if k == 0 { 0 } else { 4 };
            if whole > begin {
                out.push((encoded[begin..whole].to_string(), true));
            }
            if k == 0 {
                out.push((encoded, true));
            }
        }
    }
    let mut kept: Vec<(String, bool)> = Vec::new();
    for (i, (f, b64)) in out.into_iter().enumerate() {
        if (i == 0 || f.len() >= MIN_FORM) && !kept.iter().any(|(k, _)| k.eq_ignore_ascii_case(&f))
        {
            kept.push((f, b64));
        }
    }
    kept
}

impl Redactor {
    /// A redactor for these (secret, placeholder) pairs; empty secrets are
    /// ignored.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Redactor {
        let mut r = Redactor {
            secrets: pairs.into_iter().filter(|(s, _)| !s.is_empty()).collect(),
            matcher: None,
        };
        r.build();
        r
    }

    /// Adds a secret.
    pub fn add(&mut self, secret: &str, placeholder: &str) {
        if !secret.is_empty() {
            self.secrets
                .push((secret.to_string(), placeholder.to_string()));
            self.build();
        }
    }

    fn build(&mut self) {
        let mut patterns = Vec::new();
        let mut placeholders = Vec::new();
        for (secret, placeholder) in &self.secrets {
            let whole_word = secret.chars().count() < SHORT_SECRET;
            for (f, base64) in forms(secret) {
                patterns.push(f);
                placeholders.push(Form {
                    placeholder: placeholder.clone(),
                    whole_word,
                    base64,
                });
            }
        }
        // Leftmost-longest: a secret holding another is replaced whole.
        self.matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok()
            .map(|ac| (ac, placeholders));
    }

    /// The text with every secret, in every form, replaced.
    pub fn text(&self, text: &str) -> String {
        match &self.matcher {
            Some((ac, forms)) if !self.secrets.is_empty() => {
                let mut out = String::with_capacity(text.len());
                let mut copied = 0;
                for m in ac.find_iter(text) {
                    let form = &forms[m.pattern().as_usize()];
                    if m.start() < copied
                        || form.whole_word && !stands_alone(text, m.start(), m.end())
                    {
                        continue;
                    }
                    let (start, end) = if form.base64 {
                        base64_word(text, copied, m.start(), m.end())
                    } else {
                        (m.start(), m.end())
                    };
                    out.push_str(&text[copied..start]);
                    out.push_str(&form.placeholder);
                    copied = end;
                }
                out.push_str(&text[copied..]);
                out
            }
            _ => text.to_string(),
        }
    }
}

/// The whole run of base64 characters (either alphabet, with padding)
/// around `text[start..end]`, not reaching back before `floor`.
fn base64_word(text: &str, floor: usize, start: usize, end: usize) -> (usize, usize) {
    let b64 = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_');
    let bytes = text.as_bytes();
    let mut s = start;
    while s > floor && b64(bytes[s - 1]) {
        s -= 1;
    }
    let mut e = end;
    while e < bytes.len() && b64(bytes[e]) {
        e += 1;
    }
    while e < bytes.len() && bytes[e] == b'=' {
        e += 1;
    }
    (s, e)
}

/// Whether `text[start..end]` has no letter or digit on either side.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(word)
        && !text[end..].chars().next().is_some_and(word)
}

/// Whether a header carries credentials by its name alone.
pub fn sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "proxy-authorization"
        || n == "cookie"
        || n == "set-cookie"
        || n.contains("api-key")
        || n.contains("api_key")
        || n.contains("apikey")
        || n.contains("subscription-key")
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
    fn secrets_echoed_encoded_or_in_another_case_are_replaced() {
        let r = Redactor::new([("CS-s3cr3t/+=&x".to_string(), "<redacted>".to_string())]);
        let shown = r.text(
            "client_secret=CS-s3cr3t%2F%2B%3D%26x; lower cs-S3CR3T/+=&X; \
             %2f%2b lower CS-s3cr3t%2f%2b%3d%26x",
        );
        assert!(!shown.to_ascii_lowercase().contains("s3cr3t"), "{shown}");
        let key = "Ocp-KEY789-subscription";
        let r = Redactor::new([(key.to_string(), "<redacted>".to_string())]);
        use base64::Engine as _;
        for prefix in ["", "u:", "ab:"] {
            let basic = base64::engine::general_purpose::STANDARD.encode(format!("{prefix}{key}"));
            let shown = r.text(&format!("Basic {basic}"));
            assert!(!shown.contains(&basic[4..16]), "{prefix}: {shown}");
        }
        assert_eq!(r.text("nothing here"), "nothing here");
    }

    /// A server echoing `base64("Bearer TOKSECRET987654")` showed
    /// `QmVhcmVyIFRP$CONFORM_TOKENNA==`: the characters left around the
    /// placeholder decode to the token's first and last letters.
    #[test]
    fn regression_the_edges_of_a_base64_echo_gave_away_letters_of_the_token() {
        use base64::Engine as _;
        let token = "TOKSECRET987654";
        let r = Redactor::new([(token.to_string(), TOKEN_PLACEHOLDER.to_string())]);
        for prefix in ["Bearer ", "Bearer  ", "x", ""] {
            for suffix in ["", "!", "ab"] {
                let echoed = base64::engine::general_purpose::STANDARD
                    .encode(format!("{prefix}{token}{suffix}"));
                let shown = r.text(&format!("echo: {echoed} end"));
                assert_eq!(shown, "echo: $CONFORM_TOKEN end", "{prefix:?}{suffix:?}");
            }
        }
    }

    #[test]
    fn regression_a_short_header_value_does_not_blank_common_text() {
        let r = Redactor::new([
            ("1".to_string(), "<redacted>".to_string()),
            ("dev".to_string(), "<redacted>".to_string()),
        ]);
        assert_eq!(
            r.text("{\"Count\":100,\"Name\":\"device-1\"} x-env: dev"),
            "{\"Count\":100,\"Name\":\"device-<redacted>\"} x-env: <redacted>"
        );
        assert_eq!(r.text("Total-Count: 12"), "Total-Count: 12");
        let long = Redactor::new([("KEY789".to_string(), "<redacted>".to_string())]);
        assert_eq!(
            long.text("aKEY789b"),
            "a<redacted>b",
            "long secrets anywhere"
        );
    }

    #[test]
    fn credential_headers_are_known_by_name() {
        assert!(sensitive_header("Authorization"));
        assert!(sensitive_header("X-Api-Key"));
        assert!(sensitive_header("x_api_key"));
        assert!(sensitive_header("Ocp-Apim-Subscription-Key"));
        assert!(sensitive_header("x-auth-token"));
        assert!(!sensitive_header("Accept"));
    }
}
