//! One request and what came back: an answer, or the reason none came.

use serde_json::Value;

use crate::spec::Method;

/// A request as sent, with credentials already replaced by placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct SentRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL.
    pub url: String,
    /// Headers, credentials redacted (`Bearer $CONFORM_TOKEN`).
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<String>,
}

/// An answer read within the limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The status code.
    pub status: u16,
    /// Headers, names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// Why no usable answer came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// Nothing listens, or the connection could not be made.
    #[error("failed to connect: {0}")]
    Connect(String),
    /// The answer took longer than the timeout.
    #[error("no complete answer within {0} ms")]
    Timeout(u64),
    /// The server answered a same-origin redirect with another, past the
    /// limit.
    #[error("too many redirects (more than {0}): a redirect loop?")]
    Redirects(usize),
    /// The body was larger than the limit.
    #[error("the response body exceeds the {0}-byte limit")]
    TooLarge(usize),
    /// The connection broke while the answer was read.
    #[error("the connection broke: {0}")]
    Broken(String),
}

/// A request and its outcome, as the checks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// What was sent.
    pub request: SentRequest,
    /// What came back.
    pub response: Result<Received, TransportError>,
    /// How many times the request was sent (retries on 408, 429, 503).
    pub attempts: u32,
    /// Wall time, all attempts included.
    pub millis: u64,
    /// The same-origin redirects followed to reach the answer, in order.
    pub hops: Vec<Hop>,
}

/// One redirect followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The redirect's status.
    pub status: u16,
    /// The URL that answered with it.
    pub from: String,
    /// Where it pointed.
    pub to: String,
}

impl Received {
    /// The first header called `name`, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, or where the UTF-8 breaks.
    pub fn text(&self) -> Result<&str, String> {
        std::str::from_utf8(&self.body).map_err(|e| {
            format!(
                "the body is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            )
        })
    }

    /// The body as JSON: `None` when empty, else the value or why not.
    pub fn json(&self) -> Option<Result<Value, String>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        Some(self.text().and_then(|t| {
            serde_json::from_str(t).map_err(|e| format!("the body is not valid JSON: {e}"))
        }))
    }

    /// Whether the `Content-Type` says JSON (`application/json`, `+json`).
    pub fn says_json(&self) -> bool {
        self.header("content-type").is_some_and(is_json_media_type)
    }
}

/// Whether a media type is JSON.
pub fn is_json_media_type(value: &str) -> bool {
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The items of a list body: the array itself, or an object's one array
/// member (`Results`).
pub fn list_items(body: &Value) -> Option<&Vec<Value>> {
    match body {
        Value::Array(items) => Some(items),
        Value::Object(map) => {
            let mut arrays = map.values().filter_map(Value::as_array);
            match (arrays.next(), arrays.next()) {
                (Some(items), None) => Some(items),
                _ => None,
            }
        }
        _ => None,
    }
}

/// JSON equality with arrays compared as multisets (the docs give no
/// order) and object members in any order.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            let mut unused: Vec<&Value> = y.iter().collect();
            x.len() == y.len()
                && x.iter()
                    .all(|v| match unused.iter().position(|w| same_json(v, w)) {
                        Some(i) => {
                            unused.swap_remove(i);
                            true
                        }
                        None => false,
                    })
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The `Id` of an item, as text.
pub fn item_id(item: &Value) -> Option<String> {
    match item.get("Id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Exchange {
    /// The answer, if one came.
    pub fn received(&self) -> Option<&Received> {
        self.response.as_ref().ok()
    }

    /// The answer's JSON body, if one came and parsed.
    pub fn json(&self) -> Option<Value> {
        self.received()?.json()?.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn received(body: &[u8], content_type: &str) -> Received {
        Received {
            status: 200,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_vec(),
        }
    }

    #[test]
    fn bodies_are_read_as_json_text_or_an_explanation() {
        assert_eq!(received(b"  ", "x").json(), None);
        assert_eq!(received(b"[1]", "x").json(), Some(Ok(json!([1]))));
        let bad = received(b"{\"a\":", "x").json().unwrap().unwrap_err();
        assert!(bad.contains("not valid JSON"), "{bad}");
        let bytes = received(b"\"\xff\"", "x").json().unwrap().unwrap_err();
        assert!(
            bytes.contains("UTF-8") && bytes.contains("offset 1"),
            "{bytes}"
        );
    }

    #[test]
    fn json_media_types_are_recognised() {
        assert!(is_json_media_type("application/json; charset=utf-8"));
        assert!(is_json_media_type("application/problem+json"));
        assert!(!is_json_media_type("text/plain"));
        assert!(received(b"", "Application/JSON").says_json());
    }

    #[test]
    fn list_items_accept_arrays_and_single_array_wrappers() {
        assert_eq!(list_items(&json!([1, 2])).map(Vec::len), Some(2));
        let wrapped = json!({"Results": [{"Id": "a"}], "SkipToken": null});
        assert_eq!(list_items(&wrapped).map(Vec::len), Some(1));
        assert_eq!(list_items(&json!({"A": [], "B": []})), None);
        assert_eq!(list_items(&json!({"Id": 1})), None);
        assert_eq!(item_id(&json!({"Id": 7})).as_deref(), Some("7"));
        assert_eq!(item_id(&json!({"Id": null})), None);
    }
}
