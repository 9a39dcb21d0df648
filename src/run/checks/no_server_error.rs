//! `no_server_error`: the server does not fail with a 5xx.

use super::{answered, Check, Context, Finding};
use crate::run::exchange::Exchange;

/// The answer is not a 5xx, whatever the input.
pub struct NoServerError;

impl Check for NoServerError {
    fn name(&self) -> &'static str {
        "no_server_error"
    }
    fn doc(&self) -> &'static str {
        "no input, valid or not, makes the server fail with a 5xx status"
    }
    fn applies_to(&self) -> &'static str {
        "every answer"
    }
    fn applies(&self, ex: &Exchange, _: &Context) -> bool {
        answered(ex)
    }
    fn run(&self, ex: &Exchange, _: &Context) -> Result<(), Finding> {
        match ex.received() {
            Some(r) if r.status >= 500 => {
                Err(Finding::new(format!("the server failed with {}", r.status)))
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
    fn fails_a_500_even_where_documented() {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[], vec![]);
        let bad = answer(Method::Get, 404, &[], "");
        assert_eq!(verdict(&NoServerError, &c, &s, &bad, &[]), Some(Ok(())));
        let boom = answer(Method::Get, 500, &[], "");
        let f = verdict(&NoServerError, &c, &s, &boom, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the server failed with 500");
    }
}
