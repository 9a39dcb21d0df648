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
        "an answer to HEAD carries headers only, never a body"
    }
    fn applies_to(&self) -> &'static str {
        "answers to HEAD requests"
    }
    fn applies(&self, ex: &Exchange, _: &Context) -> bool {
        answered(ex) && ex.request.method == Method::Head
    }
    fn run(&self, ex: &Exchange, _: &Context) -> Result<(), Finding> {
        match ex.received() {
            Some(r) if !r.body.is_empty() => Err(Finding::new(format!(
                "the HEAD answer carried a {}-byte body",
                r.body.len()
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
        let get = answer(Method::Get, 200, &[], "[]");
        assert_eq!(verdict(&HeadHasNoBody, &c, &s, &get, &[]), None);
    }
}
