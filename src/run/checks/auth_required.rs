//! `auth_required`: no valid credentials, no success.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::{Auth, Claim};
use crate::run::exchange::Exchange;

/// A request without a token, or with a malformed one, is refused.
pub struct AuthRequired;

impl Check for AuthRequired {
    fn name(&self) -> &'static str {
        "auth_required"
    }
    fn doc(&self) -> &'static str {
        "a request with no token or a malformed token is refused"
    }
    fn applies_to(&self) -> &'static str {
        "requests sent without valid credentials"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && has_claim(cx, |c| *c == Claim::Unauthenticated)
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        match ex.received() {
            Some(r) if r.is_success() => {
                let what = match cx.step.request.auth {
                    Auth::None => "without a token",
                    _ => "with a malformed token",
                };
                Err(Finding::new(format!(
                    "a request {what} was accepted with {}",
                    r.status
                )))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn fails_an_anonymous_request_that_succeeds() {
        let c = roles();
        let mut s = step(&c, "Roles_List Roles", &[401], vec![Claim::Unauthenticated]);
        s.request.auth = Auth::None;
        let refused = answer(Method::Get, 401, &[], "");
        assert_eq!(verdict(&AuthRequired, &c, &s, &refused, &[]), Some(Ok(())));
        let accepted = answer(Method::Get, 200, &[], "[]");
        let f = verdict(&AuthRequired, &c, &s, &accepted, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "a request without a token was accepted with 200");
        s.request.auth = Auth::Malformed;
        let f = verdict(&AuthRequired, &c, &s, &accepted, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "a request with a malformed token was accepted with 200"
        );
    }
}
