//! Deliberate deviations from the docs, one kind at a time, so that each
//! check of the runner can be shown to catch what it claims to catch.

use serde_json::{Map, Value};

use super::handlers::Reply;
use crate::spec::{Contract, Definition, DefinitionKind, Method, TypeRef};

/// One kind of deviation the server can be told to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// Success answers use another 2xx than the documented one.
    WrongSuccessStatus,
    /// Reads of one item answer a status the table does not list (418).
    UndocumentedStatus,
    /// JSON bodies lose their first required member.
    MissingRequiredField,
    /// A string member (`Name` first) is sent as a number.
    WrongFieldType,
    /// An enum member is sent with a value outside its set.
    EnumOutOfSet,
    /// A non-nullable member is sent as `null`.
    NullNotNullable,
    /// JSON bodies are labelled `text/plain`.
    WrongContentType,
    /// Reads of collections answer 500.
    ServerError,
    /// HEAD answers announce a JSON body.
    HeadWithBody,
    /// The count header is one more than the real count.
    CountHeaderWrong,
    /// Reading an item created by POST answers "not found".
    CreateNotRetrievable,
    /// PUT answers success but keeps the old item.
    UpdateNotPersisted,
    /// DELETE answers success but keeps the item.
    DeleteNotRemoving,
    /// Lists leave out items created by POST.
    ListOmitsCreated,
    /// `skip` and `count` are ignored.
    PagingIgnored,
    /// Requests without a valid token are served as if by an administrator.
    AnonymousAccepted,
    /// Role lists are not enforced: any valid token may call any operation.
    MemberAllowedAdmin,
    /// Only the administrator passes role lists: a token holding an
    /// allowed role but not every role is refused.
    AllowedRoleRefused,
    /// Path values the fixture restricts (the tenant) are not checked.
    UnknownTenantAccepted,
    /// Request bodies are not checked against their definition.
    InputRulesIgnored,
    /// A create answers with a `Name` the stored item does not have.
    CreateAnswerDiffers,
    /// A page asked for with `skip` starts one item early.
    PagingOverlaps,
    /// The count of an empty collection says 1.
    CountWrongWhenEmpty,
    /// An empty child collection answers "not found".
    EmptyNotFound,
    /// Negative `skip` and `count` are served as if absent or huge.
    NegativePagingAccepted,
    /// A token outside the allowed roles is told a missing item apart
    /// (404) from an existing one (403).
    ExistenceDisclosed,
    /// Each API version sees only the items made through its own prefix.
    VersionsApart,
    /// Item answers carry a random GUID in members inferred to refer to
    /// other items.
    ReferenceDangling,
    /// A PUT refused for its body still stores the members that passed.
    RejectedUpdateApplied,
    /// A PUT repeating the item's members changes a string member.
    PutNotIdempotent,
    /// DELETE of an item deleted before answers success.
    SecondDeleteSucceeds,
}

/// The one table of faults: the value, its name on the command line, the
/// runner check it must make fail, and a one-line explanation.
const TABLE: &[(Fault, &str, &str, &str)] = &[
    (
        Fault::WrongSuccessStatus,
        "wrong-success-status",
        "status_expected",
        "success answers use another 2xx than documented (200 for a create documented as 201)",
    ),
    (
        Fault::UndocumentedStatus,
        "undocumented-status",
        "status_documented",
        "reads of one item answer 418, a status no table lists",
    ),
    (
        Fault::MissingRequiredField,
        "missing-required-field",
        "response_schema",
        "JSON bodies drop their first required member (OperationId of ErrorResponse)",
    ),
    (
        Fault::WrongFieldType,
        "wrong-field-type",
        "response_schema",
        "the first string member of a body (Name where there is one) is sent as a number",
    ),
    (
        Fault::EnumOutOfSet,
        "enum-out-of-set",
        "response_schema",
        "enum members carry a value outside their set (RoleScope 7, Status \"Bogus\")",
    ),
    (
        Fault::NullNotNullable,
        "null-not-nullable",
        "response_schema",
        "the first non-nullable member of a body (Id, IsOwner) is sent as null",
    ),
    (
        Fault::WrongContentType,
        "wrong-content-type",
        "content_type",
        "JSON bodies are labelled text/plain",
    ),
    (
        Fault::ServerError,
        "server-error",
        "no_server_error",
        "GET on a collection answers 500",
    ),
    (
        Fault::HeadWithBody,
        "head-with-body",
        "head_has_no_body",
        "HEAD answers carry Content-Type application/json and a non-zero Content-Length",
    ),
    (
        Fault::CountHeaderWrong,
        "count-header-wrong",
        "count_header",
        "the count header is one more than the number of items",
    ),
    (
        Fault::CreateNotRetrievable,
        "create-not-retrievable",
        "created_retrievable",
        "GET of an item created by POST answers 404",
    ),
    (
        Fault::UpdateNotPersisted,
        "update-not-persisted",
        "update_persisted",
        "PUT answers success but the stored item keeps its old members",
    ),
    (
        Fault::DeleteNotRemoving,
        "delete-not-removing",
        "delete_removes",
        "DELETE answers 204 but the item stays",
    ),
    (
        Fault::ListOmitsCreated,
        "list-omits-created",
        "list_contains_created",
        "lists leave out items created by POST",
    ),
    (
        Fault::PagingIgnored,
        "paging-ignored",
        "paging",
        "lists ignore skip and count",
    ),
    (
        Fault::AnonymousAccepted,
        "anonymous-accepted",
        "auth_required",
        "requests with no or an unknown token are served as if by an administrator",
    ),
    (
        Fault::MemberAllowedAdmin,
        "member-allowed-admin",
        "role_enforced",
        "role lists are ignored: a member-only token may call admin-only operations",
    ),
    (
        Fault::AllowedRoleRefused,
        "allowed-role-refused",
        "role_allowed",
        "only the administrator token passes role lists: a member token is refused with 403 where members are allowed",
    ),
    (
        Fault::UnknownTenantAccepted,
        "unknown-tenant-accepted",
        "unknown_id_refused",
        "path values the fixture restricts (tenantId) are not checked: a random tenant id is served",
    ),
    (
        Fault::InputRulesIgnored,
        "input-rules-ignored",
        "input_rejected",
        "request bodies are not checked against their definition: any JSON object is accepted",
    ),
    (
        Fault::CreateAnswerDiffers,
        "create-answer-differs",
        "created_addressable",
        "a create answers with a Name the stored item does not have (a suffix added)",
    ),
    (
        Fault::PagingOverlaps,
        "paging-overlaps",
        "list_complete",
        "a page asked for with skip starts one item early, so pages repeat an item",
    ),
    (
        Fault::CountWrongWhenEmpty,
        "count-wrong-when-empty",
        "count_header",
        "the count header of an empty collection says 1 (only parents with no children show it)",
    ),
    (
        Fault::EmptyNotFound,
        "empty-not-found",
        "empty_children",
        "an empty child collection (a parent just created) answers 404 instead of 200 []",
    ),
    (
        Fault::NegativePagingAccepted,
        "negative-paging-accepted",
        "input_rejected",
        "a negative skip or count is served with 200 where the docs list 400",
    ),
    (
        Fault::ExistenceDisclosed,
        "existence-disclosed",
        "existence_disclosed",
        "a token outside the allowed roles gets 404 for a missing item and 403 for an existing one (an advisory, not a failure)",
    ),
    (
        Fault::VersionsApart,
        "versions-apart",
        "created_retrievable",
        "each API version keeps its own items: one created under /api/v1 is not found under /api/v1-preview",
    ),
    (
        Fault::ReferenceDangling,
        "reference-dangling",
        "reference_resolves",
        "item answers carry a random GUID naming nothing in members that refer to other items (Role.CommunityId, User.RoleIds, the Id of one item of Community.CommunityRoles)",
    ),
    (
        Fault::RejectedUpdateApplied,
        "rejected-update-applied",
        "rejected_update_unchanged",
        "a PUT answered 400 for a member of the wrong type still stores the body's members that passed",
    ),
    (
        Fault::PutNotIdempotent,
        "put-not-idempotent",
        "put_idempotent",
        "a PUT that repeats the item's members changes it: its Name (or first string member) gains a suffix",
    ),
    (
        Fault::SecondDeleteSucceeds,
        "second-delete-succeeds",
        "delete_idempotent",
        "DELETE of an item deleted before answers 204 instead of 404",
    ),
];

impl Fault {
    /// Every fault, in table order.
    pub const ALL: &'static [Fault] = &[
        Fault::WrongSuccessStatus,
        Fault::UndocumentedStatus,
        Fault::MissingRequiredField,
        Fault::WrongFieldType,
        Fault::EnumOutOfSet,
        Fault::NullNotNullable,
        Fault::WrongContentType,
        Fault::ServerError,
        Fault::HeadWithBody,
        Fault::CountHeaderWrong,
        Fault::CreateNotRetrievable,
        Fault::UpdateNotPersisted,
        Fault::DeleteNotRemoving,
        Fault::ListOmitsCreated,
        Fault::PagingIgnored,
        Fault::AnonymousAccepted,
        Fault::MemberAllowedAdmin,
        Fault::AllowedRoleRefused,
        Fault::UnknownTenantAccepted,
        Fault::InputRulesIgnored,
        Fault::CreateAnswerDiffers,
        Fault::PagingOverlaps,
        Fault::CountWrongWhenEmpty,
        Fault::EmptyNotFound,
        Fault::NegativePagingAccepted,
        Fault::ExistenceDisclosed,
        Fault::VersionsApart,
        Fault::ReferenceDangling,
        Fault::RejectedUpdateApplied,
        Fault::PutNotIdempotent,
        Fault::SecondDeleteSucceeds,
    ];

    fn row(self) -> &'static (Fault, &'static str, &'static str, &'static str) {
        // Every variant has a row: a test walks ALL against TABLE.
        TABLE.iter().find(|row| row.0 == self).unwrap_or(&TABLE[0])
    }

    /// The kebab-case name used by `--fault`.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// The runner check this fault must make fail.
    pub fn check(self) -> &'static str {
        self.row().2
    }

    /// One line saying what the server does wrong.
    pub fn explain(self) -> &'static str {
        self.row().3
    }

    /// The fault called `name`, if any.
    pub fn parse(name: &str) -> Option<Fault> {
        TABLE.iter().find(|row| row.1 == name).map(|row| row.0)
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Bends a finished answer the way the active faults say. Faults that
/// change what the server stores or sees act in the handlers instead.
pub(crate) fn bend(
    faults: &[Fault],
    reply: &mut Reply,
    (method, item): (Method, bool),
    contract: &Contract,
) {
    let on = |f: Fault| faults.contains(&f);
    let success = (200..300).contains(&reply.status);
    if on(Fault::UndocumentedStatus) && success && method == Method::Get && item {
        reply.status = 418;
    } else if on(Fault::WrongSuccessStatus) && success {
        reply.status = if reply.status == 201 { 200 } else { 201 };
    }
    if let (Some(body), Some(ty)) = (reply.body.as_mut(), reply.ty.as_ref()) {
        let mut each = |f: &mut dyn FnMut(&mut Map<String, Value>, &Definition)| {
            walk(body, ty, contract, 0, f)
        };
        if on(Fault::MissingRequiredField) {
            each(&mut |map, def| {
                if let Some(p) = def.properties().iter().find(|p| p.required) {
                    map.shift_remove(&p.name);
                }
            });
        }
        if on(Fault::WrongFieldType) {
            each(&mut |map, def| {
                let is_string = |ty: &TypeRef| ty.scalar().is_some_and(|s| s.is_free_text());
                let target = def
                    .property("Name")
                    .filter(|p| is_string(&p.ty))
                    .or_else(|| def.properties().iter().find(|p| is_string(&p.ty)));
                if let Some(p) = target {
                    map.insert(p.name.clone(), Value::from(12345));
                }
            });
        }
        if on(Fault::EnumOutOfSet) {
            each(&mut |map, def| {
                for p in def.properties() {
                    if let Some(bogus) = out_of_set(contract, &p.ty) {
                        map.insert(p.name.clone(), bogus);
                    }
                }
            });
        }
        if on(Fault::NullNotNullable) {
            each(&mut |map, def| {
                if let Some(p) = def.properties().iter().find(|p| !p.nullable) {
                    map.insert(p.name.clone(), Value::Null);
                }
            });
        }
    }
    if on(Fault::HeadWithBody) && success && method == Method::Head {
        let mut map = Map::new();
        map.insert("Count".into(), Value::from(reply.count.unwrap_or(0)));
        reply.body = Some(Value::Object(map));
        reply.ty = None;
    }
    if on(Fault::WrongContentType) && reply.body.is_some() {
        reply.content_type = "text/plain; charset=utf-8";
    }
    if on(Fault::CreateAnswerDiffers) && success && method == Method::Post && !item {
        if let Some(Value::Object(map)) = reply.body.as_mut() {
            if let Some(Value::String(name)) = map.get_mut("Name") {
                name.push_str("-as-answered");
            }
        }
    }
    if on(Fault::CountHeaderWrong) {
        reply.count = reply.count.map(|n| n + 1);
    }
}

/// Calls `f` on every object inside `v` that `ty` describes, innermost first.
fn walk(
    v: &mut Value,
    ty: &TypeRef,
    contract: &Contract,
    depth: usize,
    f: &mut dyn FnMut(&mut Map<String, Value>, &Definition),
) {
    if depth > 12 {
        return;
    }
    match (ty, v) {
        (TypeRef::Array(inner), Value::Array(items)) => {
            for item in items {
                walk(item, inner, contract, depth + 1, f);
            }
        }
        (TypeRef::Ref(name), Value::Object(map)) => {
            let Some(def) = contract.definition(name) else {
                return;
            };
            for p in def.properties() {
                if let Some(member) = map.get_mut(&p.name) {
                    walk(member, &p.ty, contract, depth + 1, f);
                }
            }
            f(map, def);
        }
        _ => {}
    }
}

/// A value outside the set of an enum type: past the largest integer, or
/// `"Bogus"`; `None` when the type is no enum.
fn out_of_set(contract: &Contract, ty: &TypeRef) -> Option<Value> {
    let TypeRef::Ref(name) = ty else {
        return None;
    };
    let DefinitionKind::Enum { values } = &contract.definition(name)?.kind else {
        return None;
    };
    let ints: Vec<i64> = values.iter().filter_map(|e| e.value.as_i64()).collect();
    if !ints.is_empty() && ints.len() == values.len() {
        ints.iter().max().map(|m| Value::from(m + 4))
    } else {
        Some(Value::from("Bogus"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_has_exactly_one_row_and_round_trips_by_name() {
        assert_eq!(Fault::ALL.len(), TABLE.len());
        for &fault in Fault::ALL {
            assert_eq!(TABLE.iter().filter(|r| r.0 == fault).count(), 1);
            assert_eq!(Fault::parse(fault.name()), Some(fault));
            assert!(!fault.explain().is_empty());
            let name = fault.name();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        assert_eq!(Fault::parse("no-such-fault"), None);
        assert!(Fault::ALL.len() >= 12);
    }
}
