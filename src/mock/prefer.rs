//! `Prefer: code=NNN` and `Prefer: example=NAME`: a client asks for one of
//! the operation's documented answers, as with Prism's mock server.
//!
//! `code` picks a documented status; `example` picks among the bodies the
//! server has for it: `documented` (the example printed under `> NNN
//! Response`) and `generated` (a body built from the documented type). With
//! no `example`, the documented example is preferred. A status or example
//! the docs do not have answers 400, naming what they do have, so a typo
//! never passes for a documented answer. The request is otherwise not
//! looked at (no token is needed): the point is to see the documented
//! answers, error answers included.

use axum::http::header::HeaderMap;
use serde_json::{json, Value};

use super::handlers::Reply;
use super::values::shape;
use crate::spec::{Contract, Operation};

/// The header, as an RFC 7240 preference list.
const PREFER: &str = "prefer";

/// The example names there can be for a status.
const DOCUMENTED: &str = "documented";
const GENERATED: &str = "generated";

/// What the `Prefer` header asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Asked {
    code: Option<String>,
    example: Option<String>,
}

/// Reads `code` and `example` from every `Prefer` header (`code=404,
/// example="documented"`); other preferences are ignored, as RFC 7240 says.
fn asked(headers: &HeaderMap) -> Asked {
    let mut asked = Asked::default();
    for value in headers.get_all(PREFER) {
        let Ok(value) = value.to_str() else { continue };
        for pref in value.split([',', ';']) {
            let Some((k, v)) = pref.split_once('=') else {
                continue;
            };
            let v = v.trim().trim_matches('"').to_string();
            match k.trim().to_ascii_lowercase().as_str() {
                "code" => asked.code = Some(v),
                "example" => asked.example = Some(v),
                _ => {}
            }
        }
    }
    asked
}

/// The answer the `Prefer` header asks for, or `None` when it asks nothing.
pub(crate) fn answer(headers: &HeaderMap, op: &Operation, contract: &Contract) -> Option<Reply> {
    let asked = asked(headers);
    if asked.code.is_none() && asked.example.is_none() {
        return None;
    }
    let documented: Vec<u16> = op.responses.iter().map(|r| r.status).collect();
    let status = match &asked.code {
        Some(code) => code.parse::<u16>().ok(),
        None => documented.iter().copied().find(|s| (200..300).contains(s)),
    };
    let Some(response) = status.and_then(|s| op.response(s)) else {
        let code = asked.code.as_deref().unwrap_or("success");
        return Some(refusal(
            op,
            &format!("status {code} is not documented for this operation"),
            json!(documented),
        ));
    };
    let generated = response
        .body
        .as_ref()
        .map(|ty| shape(None, ty, false, contract));
    let mut names = Vec::new();
    if response.example.is_some() {
        names.push(DOCUMENTED);
    }
    if generated.is_some() {
        names.push(GENERATED);
    }
    let body = match asked.example.as_deref() {
        None => response.example.clone().or(generated),
        Some(DOCUMENTED) if response.example.is_some() => response.example.clone(),
        Some(GENERATED) if generated.is_some() => generated,
        Some(other) => {
            return Some(refusal(
                op,
                &format!("status {} has no example named {other:?}", response.status),
                json!(names),
            ))
        }
    };
    let mut reply = Reply::new(response.status);
    reply.ty = body.as_ref().and(response.body.clone());
    reply.body = body;
    Some(reply)
}

/// The 400 for a preference the docs cannot meet.
fn refusal(op: &Operation, error: &str, documented: Value) -> Reply {
    let mut reply = Reply::new(400);
    reply.body = Some(json!({
        "OperationId": op.id,
        "Error": error,
        "Documented": documented,
        "Resolution": "ask for one of the documented values in the Prefer header",
    }));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(PREFER, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn preferences_are_read_from_every_header_and_quotes_dropped() {
        assert_eq!(asked(&headers(&[])), Asked::default());
        let a = asked(&headers(&["code=404, example=\"documented\""]));
        assert_eq!(a.code.as_deref(), Some("404"));
        assert_eq!(a.example.as_deref(), Some("documented"));
        let a = asked(&headers(&["respond-async", "Code = 201"]));
        assert_eq!(a.code.as_deref(), Some("201"));
        assert_eq!(a.example, None);
    }
}
