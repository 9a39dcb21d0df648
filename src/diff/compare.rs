//! Operation-level comparison: paths, parameters, statuses, bodies, roles
//! and examples of each pair of operations. Body shapes are handed to
//! [`super::shapes`] through a [`Reach`].

use crate::spec::{Contract, Operation, Param, TypeRef};

use super::change::{Change, Location};
use super::kinds::ChangeKind as K;
use super::pair::{self, OperationPair, PairedBy};
use super::shapes::{self, match_types, same_scalar, Dir, Match, Reach};
use super::DiffOptions;

/// `METHOD /path`: how reports name an operation. A path longer than
/// [`LABEL_MAX`] keeps its start and end around an ellipsis, so that every
/// change of an operation does not carry a path of any length.
pub fn label(op: &Operation) -> String {
    let path = op.path.as_str();
    if path.len() <= LABEL_MAX {
        return format!("{} {}", op.method, path);
    }
    let keep = LABEL_MAX / 2;
    let head = path.char_indices().take_while(|(i, _)| *i < keep).count();
    let tail = path
        .char_indices()
        .rev()
        .take_while(|(i, _)| *i >= path.len() - keep)
        .count();
    let head: String = path.chars().take(head).collect();
    let tail: String = path.chars().skip(path.chars().count() - tail).collect();
    format!("{} {head}…{tail}", op.method)
}

/// The longest path an operation label spells out whole.
pub const LABEL_MAX: usize = 160;

/// Every change from `old` to `new`, operations first (new-document order,
/// removed ones last), then definitions.
pub fn compare(old: &Contract, new: &Contract, options: &DiffOptions) -> Vec<Change> {
    let mut out = Vec::new();
    let mut reach = Reach::default();
    for p in pair::operations(old, new, &options.path_map) {
        match p {
            OperationPair::Both { old: o, new: n, by } => {
                operation(o, n, &by, old, new, &mut reach, &mut out);
            }
            OperationPair::Added(n) => out.push(
                Change::new(
                    K::OperationAdded,
                    Location::default(),
                    format!("operation `{}` added", n.summary),
                )
                .on(&label(n))
                .lines(None, Some(n.line)),
            ),
            OperationPair::Removed(o) => out.push(
                Change::new(
                    K::OperationRemoved,
                    Location::default(),
                    format!("operation `{}` removed", o.summary),
                )
                .on(&label(o))
                .lines(Some(o.line), None),
            ),
        }
    }
    shapes::compare(reach, old, new, &mut out);
    out
}

/// Compares one pair of operations.
fn operation(
    o: &Operation,
    n: &Operation,
    by: &PairedBy,
    oc: &Contract,
    nc: &Contract,
    reach: &mut Reach,
    out: &mut Vec<Change>,
) {
    let op = label(n);
    let mut push = |c: Change| out.push(c.on(&op));
    let lines = (Some(o.line), Some(n.line));
    match by {
        PairedBy::Template => {}
        PairedBy::PathMap { .. } => push(
            Change::new(
                K::PathMapped,
                Location::default(),
                format!("paired with `{}` through --path-map", label(o)),
            )
            .lines(lines.0, lines.1),
        ),
        PairedBy::Id => push(
            Change::new(
                K::PathChanged,
                Location::default(),
                format!("path moved from `{}` (paired by operation id)", o.path),
            )
            .lines(lines.0, lines.1),
        ),
    }
    if o.id != n.id {
        push(
            Change::new(
                K::OperationIdChanged,
                Location::default(),
                format!("operation id changed from `{}` to `{}`", o.id, n.id),
            )
            .lines(lines.0, lines.1),
        );
    }
    path_params(o, n, by, &mut push);
    query_params(o, n, &mut push);
    request_body(o, n, oc, nc, reach, &mut push);
    responses(o, n, oc, nc, reach, &mut push);
    roles(o, n, &mut push);
}

fn param<'a>(op: &'a Operation, name: &str) -> Option<&'a Param> {
    op.path_params.iter().find(|p| p.name == name)
}

fn path_params(o: &Operation, n: &Operation, by: &PairedBy, push: &mut impl FnMut(Change)) {
    let mut pairs: Vec<(&Param, &Param)> = Vec::new();
    let mut gone: Vec<&Param> = Vec::new();
    let mut fresh: Vec<&Param> = Vec::new();
    if *by == PairedBy::Template && o.path.same_shape(&n.path) {
        // Same template: placeholders correspond by position, whatever
        // their names, so a swap of names is a pair of renames.
        for (x, y) in o.path.params().zip(n.path.params()) {
            if let (Some(p), Some(q)) = (param(o, x), param(n, y)) {
                pairs.push((p, q));
            }
        }
    } else {
        for p in &o.path_params {
            match param(n, &p.name) {
                Some(q) => pairs.push((p, q)),
                None => gone.push(p),
            }
        }
        fresh.extend(n.path_params.iter().filter(|q| param(o, &q.name).is_none()));
    }
    for (p, q) in pairs {
        if p.name != q.name {
            push(
                Change::new(
                    K::PathParamRenamed,
                    Location::param(&q.name),
                    format!("path parameter `{}` renamed to `{}`", p.name, q.name),
                )
                .lines(Some(p.line), Some(q.line)),
            );
        }
        compare_param(p, q, "path", push);
    }
    for p in gone {
        push(
            Change::new(
                K::PathParamRemoved,
                Location::param(&p.name),
                format!("path parameter `{}` removed", p.name),
            )
            .lines(Some(p.line), None),
        );
    }
    for q in fresh {
        push(
            Change::new(
                K::PathParamAdded,
                Location::param(&q.name),
                format!("path parameter `{}` ({}) added", q.name, q.ty),
            )
            .lines(None, Some(q.line)),
        );
    }
}

fn compare_param(p: &Param, q: &Param, place: &str, push: &mut impl FnMut(Change)) {
    let lines = (Some(p.line), Some(q.line));
    if !same_scalar(&p.ty, &q.ty) {
        push(
            Change::new(
                K::ParamTypeChanged,
                Location::param(&q.name),
                format!(
                    "{place} parameter `{}` changed type from {} to {}",
                    q.name, p.ty, q.ty
                ),
            )
            .lines(lines.0, lines.1),
        );
    }
    if p.required != q.required {
        let (kind, word) = if q.required {
            (K::ParamBecameRequired, "required")
        } else {
            (K::ParamBecameOptional, "optional")
        };
        push(
            Change::new(
                kind,
                Location::param(&q.name),
                format!("{place} parameter `{}` became {word}", q.name),
            )
            .lines(lines.0, lines.1),
        );
    }
}

fn query_params(o: &Operation, n: &Operation, push: &mut impl FnMut(Change)) {
    // Query names are matched without case: the services bind them that way.
    let find = |op: &Operation, name: &str| {
        op.query_params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .cloned()
    };
    for p in &o.query_params {
        match find(n, &p.name) {
            Some(q) => compare_param(p, &q, "query", push),
            None => push(
                Change::new(
                    K::QueryParamRemoved,
                    Location::param(&p.name),
                    format!("query parameter `{}` removed", p.name),
                )
                .lines(Some(p.line), None),
            ),
        }
    }
    for q in &n.query_params {
        if find(o, &q.name).is_none() {
            let (kind, word) = if q.required {
                (K::QueryParamAddedRequired, "required")
            } else {
                (K::QueryParamAdded, "optional")
            };
            push(
                Change::new(
                    kind,
                    Location::param(&q.name),
                    format!("{word} query parameter `{}` ({}) added", q.name, q.ty),
                )
                .lines(None, Some(q.line)),
            );
        }
    }
}

fn request_body(
    o: &Operation,
    n: &Operation,
    oc: &Contract,
    nc: &Contract,
    reach: &mut Reach,
    push: &mut impl FnMut(Change),
) {
    let op = label(n);
    let (a, b) = match (&o.request_body, &n.request_body) {
        (None, None) => return,
        (None, Some(b)) => {
            let what = b.definition.as_deref().unwrap_or("a body");
            return push(
                Change::new(
                    K::RequestBodyAdded,
                    Location::default(),
                    format!("request body added: {what}"),
                )
                .lines(None, Some(b.line)),
            );
        }
        (Some(a), None) => {
            return push(
                Change::new(
                    K::RequestBodyRemoved,
                    Location::default(),
                    "request body removed",
                )
                .lines(Some(a.line), None),
            );
        }
        (Some(a), Some(b)) => (a, b),
    };
    let lines = (Some(a.line), Some(b.line));
    match (&a.definition, &b.definition) {
        (Some(x), Some(y)) => {
            let (tx, ty) = (TypeRef::Ref(x.clone()), TypeRef::Ref(y.clone()));
            match match_types(&tx, &ty, oc, nc) {
                Match::Same(Some((p, q))) => reach.add(p, q, Dir::Request, &op, oc, nc),
                Match::Same(None) => {}
                Match::Differ => push(
                    Change::new(
                        K::RequestBodyTypeChanged,
                        Location::definition(y),
                        format!("request body changed from `{x}` to `{y}`"),
                    )
                    .lines(lines.0, lines.1),
                ),
            }
        }
        // Without a definition on one side, the example's members are the
        // only description of the body there is.
        _ => {
            let keys = |v: &Option<serde_json::Value>| -> Vec<String> {
                match v {
                    Some(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
                    _ => Vec::new(),
                }
            };
            let (ka, kb) = (keys(&a.example), keys(&b.example));
            let sides = [
                (K::RequestFieldRemoved, &ka, &kb, "no longer in"),
                (K::RequestFieldAdded, &kb, &ka, "new in"),
            ];
            for (kind, here, there, how) in sides {
                for k in here.iter().filter(|k| !there.contains(k)) {
                    let at = Location {
                        property: Some(k.clone()),
                        ..Location::default()
                    };
                    let message = format!("request field `{k}` {how} the request body example");
                    push(Change::new(kind, at, message).lines(lines.0, lines.1));
                }
            }
        }
    }
    if a.example != b.example {
        push(
            Change::new(
                K::ExampleChanged,
                Location::default(),
                "request body example changed",
            )
            .lines(lines.0, lines.1),
        );
    }
}

fn responses(
    o: &Operation,
    n: &Operation,
    oc: &Contract,
    nc: &Contract,
    reach: &mut Reach,
    push: &mut impl FnMut(Change),
) {
    let op = label(n);
    for r in &o.responses {
        if n.response(r.status).is_none() {
            push(
                Change::new(
                    K::StatusRemoved,
                    Location::status(r.status),
                    format!("status {} removed", r.status),
                )
                .lines(Some(r.line), None),
            );
        }
    }
    for s in &n.responses {
        let Some(r) = o.response(s.status) else {
            let body = s
                .body
                .as_ref()
                .map(|b| format!(" ({b})"))
                .unwrap_or_default();
            push(
                Change::new(
                    K::StatusAdded,
                    Location::status(s.status),
                    format!("status {}{body} added", s.status),
                )
                .lines(None, Some(s.line)),
            );
            continue;
        };
        let lines = (Some(r.line), Some(s.line));
        let status = s.status;
        match (&r.body, &s.body) {
            (None, None) => {}
            (None, Some(b)) => push(
                Change::new(
                    K::ResponseBodyAdded,
                    Location::status(status),
                    format!("status {status} now has a {b} body"),
                )
                .lines(lines.0, lines.1),
            ),
            (Some(a), None) => push(
                Change::new(
                    K::ResponseBodyRemoved,
                    Location::status(status),
                    format!("status {status} no longer has a body (was {a})"),
                )
                .lines(lines.0, lines.1),
            ),
            (Some(a), Some(b)) => match match_types(a, b, oc, nc) {
                Match::Same(Some((p, q))) => reach.add(p, q, Dir::Response, &op, oc, nc),
                Match::Same(None) => {}
                Match::Differ => push(
                    Change::new(
                        K::ResponseBodyTypeChanged,
                        Location::status(status),
                        format!("status {status} body changed from {a} to {b}"),
                    )
                    .lines(lines.0, lines.1),
                ),
            },
        }
        if r.example != s.example {
            push(
                Change::new(
                    K::ExampleChanged,
                    Location::status(status),
                    format!("status {status} example changed"),
                )
                .lines(lines.0, lines.1),
            );
        }
    }
}

fn roles(o: &Operation, n: &Operation, push: &mut impl FnMut(Change)) {
    let line = (Some(o.line), Some(n.line));
    match (o.roles.is_empty(), n.roles.is_empty()) {
        (true, true) => {}
        (true, false) => push(
            Change::new(
                K::RolesDocumented,
                Location::default(),
                format!("roles now listed: {}", n.roles.join(", ")),
            )
            .lines(line.0, line.1),
        ),
        (false, true) => push(
            Change::new(
                K::RolesUndocumented,
                Location::default(),
                format!("roles no longer listed (were: {})", o.roles.join(", ")),
            )
            .lines(line.0, line.1),
        ),
        (false, false) => {
            for r in o.roles.iter().filter(|r| !n.roles.contains(r)) {
                push(
                    Change::new(
                        K::RolesRemoved,
                        Location::role(r),
                        format!("role `{r}` no longer allowed"),
                    )
                    .lines(line.0, line.1),
                );
            }
            for r in n.roles.iter().filter(|r| !o.roles.contains(r)) {
                push(
                    Change::new(
                        K::RolesAdded,
                        Location::role(r),
                        format!("role `{r}` now allowed"),
                    )
                    .lines(line.0, line.1),
                );
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diff::kinds::{ChangeKind, Class};
    use crate::diff::PathMap;

    pub(crate) fn seed(name: &str) -> Contract {
        let path = format!("{}/specs/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::spec::load(std::path::Path::new(&path)).expect("seed reads")
    }

    fn communities() -> Contract {
        seed("000_a2f21fb7a461d36e.txt")
    }

    fn kinds(changes: &[Change]) -> Vec<ChangeKind> {
        changes.iter().map(|c| c.kind).collect()
    }

    fn diff(old: &Contract, new: &Contract) -> Vec<Change> {
        compare(old, new, &DiffOptions::default())
    }

    #[test]
    fn a_document_against_itself_has_no_changes() {
        let c = communities();
        assert_eq!(diff(&c, &c), vec![]);
    }

    #[test]
    fn statuses_added_and_removed_are_classed_apart() {
        let old = communities();
        let mut new = old.clone();
        let update = &mut new.operations[3];
        update.responses.retain(|r| r.status != 408);
        let mut teapot = update.responses[0].clone();
        teapot.status = 418;
        update.responses.push(teapot);
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [ChangeKind::StatusRemoved, ChangeKind::StatusAdded]
        );
        assert_eq!(changes[0].class, Class::BreakingForImplementations);
        assert_eq!(changes[0].location.status, Some(408));
        assert_eq!(changes[1].class, Class::BreakingForClients);
        assert_eq!(
            changes[1].operation.as_deref(),
            Some("PUT /api/v1/tenants/{tenantId}/Communities/{communityId}")
        );
    }

    #[test]
    fn a_renamed_placeholder_keeps_the_pair_and_is_compatible() {
        let old = communities();
        let mut new = old.clone();
        let get = &mut new.operations[2];
        get.path = get
            .path
            .as_str()
            .replace("{communityId}", "{id}")
            .as_str()
            .into();
        get.path_params[1].name = "id".into();
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [ChangeKind::PathParamRenamed]);
        assert_eq!(changes[0].class, Class::Compatible);
    }

    #[test]
    fn a_path_respelled_in_another_case_keeps_the_pair() {
        // The services route literals without regard to case, so
        // `Communities` and `communities` are one path, not a move.
        let old = communities();
        let mut new = old.clone();
        for op in &mut new.operations {
            op.path = op.path.as_str().to_ascii_lowercase().as_str().into();
            op.id.push_str(" again");
            for p in &mut op.path_params {
                p.name = p.name.to_ascii_lowercase();
            }
        }
        let k = kinds(&diff(&old, &new));
        assert!(!k.contains(&ChangeKind::OperationRemoved), "{k:?}");
        assert!(!k.contains(&ChangeKind::PathChanged), "{k:?}");
        assert!(k.contains(&ChangeKind::PathParamRenamed), "{k:?}");
    }

    #[test]
    fn a_moved_operation_pairs_by_id_and_breaks_clients() {
        let old = communities();
        let mut new = old.clone();
        new.operations[4].path = "/api/v2/Communities/{communityId}".into();
        new.operations[4].path_params.remove(0);
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [ChangeKind::PathChanged, ChangeKind::PathParamRemoved]
        );
        assert!(changes.iter().all(|c| c.class == Class::BreakingForClients));
    }

    #[test]
    fn without_its_id_a_moved_operation_is_removed_and_added() {
        let old = communities();
        let mut new = old.clone();
        new.operations[4].path = "/api/v2/Communities/{communityId}".into();
        new.operations[4].id = "Other".into();
        let k = kinds(&diff(&old, &new));
        assert_eq!(
            k,
            [ChangeKind::OperationAdded, ChangeKind::OperationRemoved]
        );
    }

    #[test]
    fn a_path_map_pairs_across_versions_and_says_so() {
        let old = communities();
        let mut new = old.clone();
        for op in &mut new.operations {
            op.path = op
                .path
                .as_str()
                .replace(
                    "/api/v1/tenants/{tenantId}/Communities",
                    "/api/v2/Communities",
                )
                .as_str()
                .into();
            op.path_params.retain(|p| p.name != "tenantId");
        }
        let unmapped = kinds(&diff(&old, &new));
        assert_eq!(
            unmapped
                .iter()
                .filter(|k| **k == ChangeKind::OperationRemoved)
                .count(),
            0,
            "ids still pair them: {unmapped:?}"
        );
        for op in &mut new.operations {
            op.id.push_str(" v2");
        }
        let unmapped = kinds(&diff(&old, &new));
        assert_eq!(
            unmapped
                .iter()
                .filter(|k| **k == ChangeKind::OperationRemoved)
                .count(),
            5
        );
        let options = DiffOptions {
            path_map: vec![PathMap::parse(
                "/api/v1/tenants/{tenantId}/Communities=/api/v2/Communities",
            )
            .unwrap()],
        };
        let mapped = compare(&old, &new, &options);
        let count = |k: ChangeKind| mapped.iter().filter(|c| c.kind == k).count();
        assert_eq!(count(ChangeKind::PathMapped), 5);
        assert_eq!(count(ChangeKind::PathParamRemoved), 5);
        assert_eq!(count(ChangeKind::OperationRemoved), 0);
    }

    #[test]
    fn query_parameters_added_required_or_made_required_break_clients() {
        let old = seed("004_a50be14b8577b9a8.txt");
        let mut new = old.clone();
        let list = &mut new.operations[0];
        list.query_params[1].required = true; // skip
        let mut filter = list.query_params[0].clone();
        filter.name = "filter".into();
        filter.required = true;
        list.query_params.push(filter);
        let mut optional = list.query_params[0].clone();
        optional.name = "orderBy".into();
        list.query_params.push(optional);
        list.query_params.remove(2); // count
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [
                ChangeKind::ParamBecameRequired,
                ChangeKind::QueryParamRemoved,
                ChangeKind::QueryParamAddedRequired,
                ChangeKind::QueryParamAdded,
            ]
        );
        let classes: Vec<Class> = changes.iter().map(|c| c.class).collect();
        assert_eq!(
            classes,
            [
                Class::BreakingForClients,
                Class::BreakingForClients,
                Class::BreakingForClients,
                Class::BreakingForImplementations,
            ]
        );
    }

    #[test]
    fn query_parameter_types_compare_as_json_types() {
        let old = seed("004_a50be14b8577b9a8.txt");
        let mut new = old.clone();
        new.operations[0].query_params[1].ty = TypeRef::Scalar("int32".into());
        assert_eq!(diff(&old, &new), vec![], "integer and int32 travel alike");
        new.operations[0].query_params[1].ty = TypeRef::Scalar("string".into());
        assert_eq!(kinds(&diff(&old, &new)), [ChangeKind::ParamTypeChanged]);
    }

    #[test]
    fn bodies_changing_type_or_vanishing_break_clients() {
        let old = communities();
        let mut new = old.clone();
        new.operations[2].responses[0].body = Some(TypeRef::parse("Community[]").unwrap());
        new.operations[3].request_body = None;
        new.operations[4].responses[0].body = Some(TypeRef::Ref("ErrorResponse".into()));
        let k = kinds(&diff(&old, &new));
        assert_eq!(
            k,
            [
                ChangeKind::ResponseBodyTypeChanged,
                ChangeKind::RequestBodyRemoved,
                ChangeKind::ResponseBodyAdded,
            ]
        );
    }

    #[test]
    fn roles_removed_break_clients_and_roles_added_bind_implementations() {
        let old = communities();
        let mut new = old.clone();
        new.operations[2].roles = vec!["Community Member".into(), "Community Administrator".into()];
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [ChangeKind::RolesRemoved, ChangeKind::RolesAdded]
        );
        assert_eq!(
            changes[0].location.role.as_deref(),
            Some("Tenant Administrator")
        );
        new.operations[2].roles.clear();
        assert_eq!(kinds(&diff(&old, &new)), [ChangeKind::RolesUndocumented]);
    }

    #[test]
    fn changed_examples_are_information_only() {
        let old = communities();
        let mut new = old.clone();
        new.operations[0].responses[0].example = Some(serde_json::json!([]));
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [ChangeKind::ExampleChanged]);
        assert_eq!(changes[0].class, Class::Informational);
    }
}
