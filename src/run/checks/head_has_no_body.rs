//! `head_has_no_body`: HEAD answers carry headers only.

use super::{answered, Check, Context, Finding};
use crate::run::exchange::Exchange;
use crate::spec::Method;

/// A HEAD answer has no body.
pub struct HeadHasNoBody;

impl Check for HeadHasNoBody {
    fn name(&self) -> &'static str {
        "head_has_no_body"
    }
    fn doc(&self) -> &'static str {
        "an answer to HEAD carries no body and, where the docs give the status none, announces none"
    }
    fn applies_to(&self) -> &'static str {
        "answers to HEAD requests"
    }
    fn applies(&self, ex: &Exchange, _: &Context) -> bool {
        answered(ex) && ex.request.method == Method::Head
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(r) = ex.received() else {
            return Ok(());
        };
        if !r.body.is_empty() {
            return Err(Finding::new(format!(
                "the HEAD answer carried a {}-byte body",
                r.body.len()
            )));
        }
        // An HTTP client never reads a body after HEAD; what it can see is
        // the answer announcing one: a media type and a non-zero length.
        // Where the docs give the status a body type anyway, announcing it
        // is what they document.
        if cx
            .operation
            .response(r.status)
            .is_some_and(|row| row.body.is_some())
        {
            return Ok(());
        }
        let length = r
            .header("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
        match r.header("content-type") {
            Some(media) if length > 0 => Err(Finding::new(format!(
                "the HEAD answer announces a {length}-byte `{media}` body"
            ))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;

    #[test]
    fn fails_a_head_answer_with_a_body() {
        let c = roles();
        let s = step(&c, "Roles_Get Header for Roles", &[200], vec![]);
        let empty = answer(Method::Head, 200, &[("content-length", "20")], "");
        assert_eq!(verdict(&HeadHasNoBody, &c, &s, &empty, &[]), Some(Ok(())));
        let body = answer(Method::Head, 200, &[], "[]");
        let f = verdict(&HeadHasNoBody, &c, &s, &body, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the HEAD answer carried a 2-byte body");
        let announced = answer(
            Method::Head,
            200,
            &[
                ("content-type", "application/json"),
                ("content-length", "11"),
            ],
            "",
        );
        let f = verdict(&HeadHasNoBody, &c, &s, &announced, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the HEAD answer announces a 11-byte `application/json` body"
        );
        let documented = answer(
            Method::Head,
            403,
            &[
                ("content-type", "application/json"),
                ("content-length", "11"),
            ],
            "",
        );
        let groups = crate::spec::parse_str(
            "groups.md",
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/specs/003_99419b29eeac7fd1.txt"
            ))
            .unwrap(),
        );
        let g = step(
            &groups,
            "CommunityGroups_Get Count of Groups for a Community",
            &[],
            vec![],
        );
        assert_eq!(
            verdict(&HeadHasNoBody, &groups, &g, &documented, &[]),
            Some(Ok(())),
            "the docs give 403 of this HEAD an ErrorResponse body"
        );
        let f = verdict(&HeadHasNoBody, &c, &s, &documented, &[])
            .unwrap()
            .unwrap_err();
        assert!(
            f.message.contains("announces"),
            "Roles HEAD documents 403 without a body"
        );
        let get = answer(Method::Get, 200, &[], "[]");
        assert_eq!(verdict(&HeadHasNoBody, &c, &s, &get, &[]), None);
    }
}
