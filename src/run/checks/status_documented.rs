//! `status_documented`: the status is in the operation's table.

use super::{answered, Check, Context, Finding};
use crate::run::exchange::Exchange;

/// The answer's status is one the operation's status table lists.
pub struct StatusDocumented;

impl Check for StatusDocumented {
    fn name(&self) -> &'static str {
        "status_documented"
    }
    fn doc(&self) -> &'static str {
        "the status code is one the operation's response table lists"
    }
    fn applies_to(&self) -> &'static str {
        "every answer"
    }
    fn applies(&self, ex: &Exchange, _: &Context) -> bool {
        answered(ex)
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(r) = ex.received() else {
            return Ok(());
        };
        if cx.operation.response(r.status).is_some() {
            return Ok(());
        }
        let listed: Vec<String> = cx
            .operation
            .responses
            .iter()
            .map(|r| r.status.to_string())
            .collect();
        // A redirect reaching the checks pointed to another origin, which
        // a run never follows: where it pointed is the useful part.
        let location = r
            .header("location")
            .filter(|_| (300..400).contains(&r.status))
            .map(|l| format!(" (a redirect to `{l}`, not followed: another origin)"))
            .unwrap_or_default();
        Err(Finding::new(format!(
            "status {} is not documented; the docs list {}{location}",
            r.status,
            listed.join(", ")
        ))
        .at(cx.operation.line))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn passes_a_listed_status_and_fails_a_teapot() {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[], vec![]);
        let ok = answer(Method::Get, 404, &[], "");
        assert_eq!(verdict(&StatusDocumented, &c, &s, &ok, &[]), Some(Ok(())));
        let teapot = answer(Method::Get, 418, &[], "");
        let f = verdict(&StatusDocumented, &c, &s, &teapot, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "status 418 is not documented; the docs list 200, 401, 403, 404, 500"
        );
        assert!(f.line.is_some());
    }
}
