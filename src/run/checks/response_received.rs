//! `response_received`: every request gets a complete answer.

use super::{Check, Context, Finding};
use crate::run::exchange::Exchange;

/// The server answers within the time, size and redirect limits.
pub struct ResponseReceived;

impl Check for ResponseReceived {
    fn name(&self) -> &'static str {
        "response_received"
    }
    fn doc(&self) -> &'static str {
        "the server answers completely, within the time, body-size and redirect limits"
    }
    fn applies_to(&self) -> &'static str {
        "every request"
    }
    fn applies(&self, _: &Exchange, _: &Context) -> bool {
        true
    }
    fn run(&self, ex: &Exchange, _: &Context) -> Result<(), Finding> {
        match &ex.response {
            Ok(_) => Ok(()),
            Err(e) => Err(Finding::new(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::run::exchange::TransportError;
    use crate::spec::Method;

    #[test]
    fn passes_an_answer_and_fails_a_broken_connection() {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[200], vec![]);
        let ok = answer(Method::Get, 404, &[], "");
        assert_eq!(verdict(&ResponseReceived, &c, &s, &ok, &[]), Some(Ok(())));
        let broken = failed(Method::Get, TransportError::Timeout(250));
        let f = verdict(&ResponseReceived, &c, &s, &broken, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "no complete answer within 250 ms");
    }
}
