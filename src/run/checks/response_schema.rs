//! `response_schema`: bodies match the schema derived for their status.

use super::{answered, Check, Context, Finding};
use crate::run::exchange::Exchange;
use crate::schema::SchemaError;
use crate::spec::Method;

/// The body validates against the schema the docs give for its status.
pub struct ResponseSchema;

/// At most this many schema errors are spelled out in one finding.
const SHOWN: usize = 5;

impl Check for ResponseSchema {
    fn name(&self) -> &'static str {
        "response_schema"
    }
    fn doc(&self) -> &'static str {
        "the body validates against the JSON Schema derived for its operation and status"
    }
    fn applies_to(&self) -> &'static str {
        "answers with a documented status whose docs give a body type, HEAD and 204 excepted"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        // A 204 has no content by HTTP's definition, whatever type a
        // hand-written table gives it (`no-content`, `string`).
        answered(ex)
            && ex.request.method != Method::Head
            && ex.received().is_some_and(|r| {
                r.status != 204
                    && cx
                        .schemas
                        .and_then(|s| s.response(&cx.operation.id, r.status))
                        .is_some()
            })
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let (Some(r), Some(schemas)) = (ex.received(), cx.schemas) else {
            return Ok(());
        };
        let row = cx.operation.response(r.status);
        let ty = row
            .and_then(|row| row.body.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default();
        let at = |f: Finding| match row {
            Some(row) => f.at(row.line),
            None => f,
        };
        let instance = match r.json() {
            None => {
                return Err(at(Finding::new(format!(
                    "the body is empty; the docs give `{ty}` for {}",
                    r.status
                ))))
            }
            Some(Err(why)) => return Err(at(Finding::new(why))),
            Some(Ok(v)) => v,
        };
        match schemas.validate_response(&cx.operation.id, r.status, &instance) {
            Ok(()) => Ok(()),
            Err(errors) => Err(at(Finding::new(format!(
                "the body does not match `{ty}`: {}",
                SchemaError::summary(&errors, SHOWN)
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use serde_json::json;

    fn judge(status: u16, body: serde_json::Value) -> Option<Result<(), Finding>> {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[200], vec![]);
        verdict(
            &ResponseSchema,
            &c,
            &s,
            &json(Method::Get, status, body),
            &[],
        )
    }

    #[test]
    fn passes_a_valid_role() {
        let role = json!({"Id": "r", "Name": "n", "RoleScope": 1, "TenantId": null});
        assert_eq!(judge(200, role), Some(Ok(())));
    }

    #[test]
    fn fails_with_the_json_pointer_of_each_error() {
        let f = judge(200, json!({"Id": "r", "Name": 5, "RoleScope": 7}))
            .unwrap()
            .unwrap_err();
        assert!(
            f.message.starts_with("the body does not match `Role`: "),
            "{}",
            f.message
        );
        assert!(f.message.contains("at `/Name`"), "{}", f.message);
        assert!(f.message.contains("at `/RoleScope`"), "{}", f.message);
        assert!(f.line.is_some());
    }

    #[test]
    fn fails_an_error_body_missing_a_required_member() {
        let f = judge(404, json!({"Error": "e", "Reason": "r", "Resolution": "x"}))
            .unwrap()
            .unwrap_err();
        assert!(f.message.contains("OperationId"), "{}", f.message);
    }

    #[test]
    fn fails_an_empty_or_unparsable_documented_body() {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[200], vec![]);
        let empty = answer(Method::Get, 200, &[], "");
        let f = verdict(&ResponseSchema, &c, &s, &empty, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the body is empty; the docs give `Role` for 200");
        let broken = answer(Method::Get, 200, &[], "{\"Id\":");
        let f = verdict(&ResponseSchema, &c, &s, &broken, &[])
            .unwrap()
            .unwrap_err();
        assert!(
            f.message.starts_with("the body is not valid JSON"),
            "{}",
            f.message
        );
    }

    #[test]
    fn does_not_judge_statuses_without_a_body_type() {
        let c = roles();
        let s = step(&c, "Roles_Delete Tenant Role", &[204], vec![]);
        let ex = answer(Method::Delete, 204, &[], "");
        assert_eq!(verdict(&ResponseSchema, &c, &s, &ex, &[]), None);
    }

    #[test]
    fn a_204_is_never_judged_by_the_type_a_table_gives_it() {
        // Hand-written tables give 204 rows a type (`no-content`,
        // `string`); by HTTP a 204 has no content at all.
        let mut c = roles();
        let op = c
            .operations
            .iter_mut()
            .find(|o| o.id == "Roles_Delete Tenant Role")
            .unwrap();
        for r in op.responses.iter_mut().filter(|r| r.status == 204) {
            r.body = Some(crate::spec::TypeRef::Scalar("string".into()));
        }
        let s = step(&c, "Roles_Delete Tenant Role", &[204], vec![]);
        let ex = answer(Method::Delete, 204, &[], "");
        assert_eq!(verdict(&ResponseSchema, &c, &s, &ex, &[]), None);
        let ok = answer(Method::Get, 200, &[], "");
        let s = step(&c, "Roles_Get Role", &[200], vec![]);
        assert!(verdict(&ResponseSchema, &c, &s, &ok, &[]).is_some());
    }
}
