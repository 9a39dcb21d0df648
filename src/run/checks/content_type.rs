//! `content_type`: JSON bodies are labelled as JSON, and bodies labelled
//! JSON are JSON.

use super::{answered, Check, Context, Finding};
use crate::run::exchange::Exchange;
use crate::spec::Method;

/// JSON bodies say `application/json`; `application/json` bodies parse.
pub struct ContentType;

impl Check for ContentType {
    fn name(&self) -> &'static str {
        "content_type"
    }
    fn doc(&self) -> &'static str {
        "a JSON body is labelled application/json, and a body so labelled is valid JSON"
    }
    fn applies_to(&self) -> &'static str {
        "answers with a body, HEAD excepted"
    }
    fn applies(&self, ex: &Exchange, _: &Context) -> bool {
        answered(ex)
            && ex.request.method != Method::Head
            && ex
                .received()
                .is_some_and(|r| !r.body.iter().all(u8::is_ascii_whitespace))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(r) = ex.received() else {
            return Ok(());
        };
        let label = r.header("content-type").unwrap_or("(none)");
        let row = cx.operation.response(r.status);
        let at = |f: Finding| match row {
            Some(row) => f.at(row.line),
            None => f,
        };
        let parsed = r.json();
        if r.says_json() {
            return match parsed {
                Some(Err(why)) => Err(at(Finding::new(format!(
                    "labelled `{label}`, but {}",
                    why.trim_start_matches("the ")
                )))),
                _ => Ok(()),
            };
        }
        let is_json = matches!(parsed, Some(Ok(ref v)) if v.is_object() || v.is_array());
        let documented = row.is_some_and(|row| row.body.is_some());
        if is_json || documented {
            let what = if is_json {
                "a JSON body".to_string()
            } else {
                format!(
                    "a body documented as `{}`",
                    row.and_then(|r| r.body.as_ref())
                        .map(|b| b.to_string())
                        .unwrap_or_default()
                )
            };
            return Err(at(Finding::new(format!(
                "{what} is labelled `{label}`, not application/json"
            ))));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;

    fn judge(status: u16, ct: &str, body: &str) -> Option<Result<(), Finding>> {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[200], vec![]);
        let ex = answer(Method::Get, status, &[("content-type", ct)], body);
        verdict(&ContentType, &c, &s, &ex, &[])
    }

    #[test]
    fn passes_json_labelled_as_json() {
        assert_eq!(
            judge(200, "application/json; charset=utf-8", "{}"),
            Some(Ok(()))
        );
        assert_eq!(
            judge(204, "text/plain", ""),
            None,
            "no body, nothing to judge"
        );
    }

    #[test]
    fn fails_json_labelled_as_text() {
        let f = judge(200, "text/plain", "{\"Id\": \"a\"}")
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "a JSON body is labelled `text/plain`, not application/json"
        );
        assert!(f.line.is_some());
    }

    #[test]
    fn fails_a_documented_json_body_that_is_plain_text() {
        let f = judge(404, "text/html", "<h1>Not Found</h1>")
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "a body documented as `ErrorResponse` is labelled `text/html`, not application/json"
        );
    }

    #[test]
    fn fails_invalid_json_and_invalid_utf8_labelled_as_json() {
        let f = judge(200, "application/json", "{\"Id\": ")
            .unwrap()
            .unwrap_err();
        assert!(
            f.message
                .starts_with("labelled `application/json`, but body is not valid JSON"),
            "{}",
            f.message
        );
        let f = judge(200, "application/json", "\"\u{0}\"").unwrap();
        assert!(
            f.is_err(),
            "a control character inside a string is not JSON"
        );
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[200], vec![]);
        let mut ex = answer(
            Method::Get,
            200,
            &[("content-type", "application/json")],
            "",
        );
        if let Ok(r) = &mut ex.response {
            r.body = b"[\"\xc3\x28\"]".to_vec();
        }
        let f = verdict(&ContentType, &c, &s, &ex, &[])
            .unwrap()
            .unwrap_err();
        assert!(f.message.contains("not valid UTF-8"), "{}", f.message);
    }
}
