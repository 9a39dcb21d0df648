//! Definitions compared as shapes: member by member, in the direction
//! (request or response) the operations use them, with renames found by
//! shape.

use std::collections::{BTreeMap, HashSet};

use crate::spec::{Contract, Definition, DefinitionKind, EnumValue, Property, TypeRef};

use super::change::{Change, Location};
use super::kinds::ChangeKind as K;

/// Which way a definition travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dir {
    /// Sent by clients.
    Request,
    /// Sent by servers.
    Response,
}

/// The operations that use a definition, by direction, in first-seen order.
#[derive(Debug, Clone, Default)]
pub struct Uses {
    request: Vec<String>,
    response: Vec<String>,
}

impl Uses {
    fn list(&mut self, dir: Dir) -> &mut Vec<String> {
        match dir {
            Dir::Request => &mut self.request,
            Dir::Response => &mut self.response,
        }
    }

    fn merge(&mut self, other: &Uses) {
        for (dir, ops) in [
            (Dir::Request, &other.request),
            (Dir::Response, &other.response),
        ] {
            for op in ops {
                if !self.list(dir).contains(op) {
                    self.list(dir).push(op.clone());
                }
            }
        }
    }
}

/// How an old type relates to a new one.
pub enum Match<'a> {
    /// The same type; the definitions it names pair up as listed (old, new).
    Same(Option<(&'a str, &'a str)>),
    /// Another type.
    Differ,
}

/// Whether two scalar type words travel as the same JSON type and format
/// (the type table decides, so `int32`, `long` and `integer` agree and
/// `guid` and `string` do not); words the table does not know agree only
/// with themselves, ignoring case.
pub fn same_scalar(a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Scalar(x), TypeRef::Scalar(y)) => match (a.scalar(), b.scalar()) {
            (Some(p), Some(q)) => p.same_wire(q),
            (None, None) => x.eq_ignore_ascii_case(y),
            _ => false,
        },
        _ => a == b,
    }
}

/// Compares a type of the old document with one of the new. Two different
/// definition names are the same type when neither document has the other's
/// name: a rename (or a replacement, whose members are then compared).
pub fn match_types<'a>(
    old: &'a TypeRef,
    new: &'a TypeRef,
    oc: &Contract,
    nc: &Contract,
) -> Match<'a> {
    match (old, new) {
        (TypeRef::Scalar(_), TypeRef::Scalar(_)) if same_scalar(old, new) => Match::Same(None),
        (TypeRef::Array(a), TypeRef::Array(b)) => match_types(a, b, oc, nc),
        (TypeRef::Inline, TypeRef::Inline) => Match::Same(None),
        (TypeRef::Ref(a), TypeRef::Ref(b)) => {
            if a == b || (nc.definition(a).is_none() && oc.definition(b).is_none()) {
                Match::Same(Some((a, b)))
            } else {
                Match::Differ
            }
        }
        _ => Match::Differ,
    }
}

/// Definition pairs (old name, new name) reached from operations, with the
/// operations that reach them.
#[derive(Debug, Default)]
pub struct Reach {
    pairs: BTreeMap<(String, String), Uses>,
}

impl Reach {
    /// Records that `op` uses the pair (`old`, `new`) in `dir`, and follows
    /// the properties both definitions share.
    pub fn add(&mut self, old: &str, new: &str, dir: Dir, op: &str, oc: &Contract, nc: &Contract) {
        // A worklist rather than recursion: a document may nest definitions
        // as deep as it likes without deepening the stack.
        let mut todo = vec![(old.to_string(), new.to_string())];
        while let Some((old, new)) = todo.pop() {
            let defs = (oc.definition(&old), nc.definition(&new));
            let uses = self.pairs.entry((old, new)).or_default();
            if uses.list(dir).iter().any(|o| o == op) {
                continue;
            }
            uses.list(dir).push(op.to_string());
            let (Some(a), Some(b)) = defs else {
                continue;
            };
            for pa in a.properties() {
                if let Some(pb) = b.property(&pa.name) {
                    if let Match::Same(Some((x, y))) = match_types(&pa.ty, &pb.ty, oc, nc) {
                        todo.push((x.to_string(), y.to_string()));
                    }
                }
            }
        }
    }
}

/// Every definition one document reaches from its operations, with users.
fn uses_in(c: &Contract) -> BTreeMap<String, Uses> {
    let mut reach = Reach::default();
    for op in &c.operations {
        let label = super::compare::label(op);
        if let Some(def) = op
            .request_body
            .as_ref()
            .and_then(|b| b.definition.as_deref())
        {
            reach.add(def, def, Dir::Request, &label, c, c);
        }
        for r in &op.responses {
            if let Some(def) = r.body.as_ref().and_then(TypeRef::referenced) {
                reach.add(def, def, Dir::Response, &label, c, c);
            }
        }
    }
    reach.pairs.into_iter().map(|((a, _), u)| (a, u)).collect()
}

/// One member-level difference between two definitions.
enum Member<'a> {
    Added(&'a Property),
    Removed(&'a Property),
    Type(&'a Property, &'a Property),
    Required(&'a Property, &'a Property),
    Nullable(&'a Property, &'a Property),
    ValueAdded(&'a EnumValue),
    ValueRemoved(&'a EnumValue),
    ValueChanged(&'a EnumValue, &'a EnumValue),
    ValueRenamed(&'a EnumValue, &'a EnumValue),
    KindChanged,
}

impl Member<'_> {
    /// Whether the member's kind depends on the direction of use.
    fn directed(&self) -> bool {
        !matches!(
            self,
            Member::ValueChanged(..) | Member::ValueRenamed(..) | Member::KindChanged
        )
    }
}

fn wire(v: &EnumValue) -> String {
    match v.value.as_str() {
        Some(s) => s.to_string(),
        None => v.value.to_string(),
    }
}

fn members<'a>(
    a: &'a Definition,
    b: &'a Definition,
    oc: &Contract,
    nc: &Contract,
) -> Vec<Member<'a>> {
    let mut out = Vec::new();
    match (&a.kind, &b.kind) {
        (DefinitionKind::Object { properties: pa }, DefinitionKind::Object { properties: pb }) => {
            for p in pa {
                let Some(q) = pb.iter().find(|q| q.name == p.name) else {
                    out.push(Member::Removed(p));
                    continue;
                };
                if matches!(match_types(&p.ty, &q.ty, oc, nc), Match::Differ) {
                    out.push(Member::Type(p, q));
                }
                if p.required != q.required {
                    out.push(Member::Required(p, q));
                }
                if p.nullable != q.nullable {
                    out.push(Member::Nullable(p, q));
                }
            }
            for q in pb {
                if !pa.iter().any(|p| p.name == q.name) {
                    out.push(Member::Added(q));
                }
            }
        }
        (DefinitionKind::Enum { values: va }, DefinitionKind::Enum { values: vb }) => {
            let mut claimed: HashSet<usize> = HashSet::new();
            let mut removed = Vec::new();
            for v in va {
                if let Some((j, w)) = vb.iter().enumerate().find(|(_, w)| w.value == v.value) {
                    claimed.insert(j);
                    if w.name != v.name {
                        out.push(Member::ValueRenamed(v, w));
                    }
                } else {
                    removed.push(v);
                }
            }
            for v in removed {
                let renamed = vb
                    .iter()
                    .enumerate()
                    .find(|(j, w)| !claimed.contains(j) && w.name == v.name);
                match renamed {
                    Some((j, w)) => {
                        claimed.insert(j);
                        out.push(Member::ValueChanged(v, w));
                    }
                    None => out.push(Member::ValueRemoved(v)),
                }
            }
            for (j, w) in vb.iter().enumerate() {
                if !claimed.contains(&j) {
                    out.push(Member::ValueAdded(w));
                }
            }
        }
        _ => out.push(Member::KindChanged),
    }
    out
}

fn flags(p: &Property) -> String {
    let req = if p.required { "required" } else { "optional" };
    let null = if p.nullable { ", nullable" } else { "" };
    format!("{}, {req}{null}", p.ty)
}

/// The change one member difference makes in one direction (`None`: no
/// operation uses the definition).
fn change(m: &Member, dir: Option<Dir>, def: &str) -> Change {
    let noun = match dir {
        Some(Dir::Request) => "request field",
        Some(Dir::Response) => "response property",
        None => "property",
    };
    let pick = |request: K, response: K| match dir {
        Some(Dir::Request) => request,
        Some(Dir::Response) => response,
        None => K::UnusedDefinitionChanged,
    };
    let prop = |p: &Property| Location::property(def, &p.name);
    let val = |v: &EnumValue| Location::value(def, &wire(v));
    match *m {
        Member::Added(q) => {
            let kind = if q.required {
                pick(K::RequestFieldAddedRequired, K::ResponsePropertyAdded)
            } else {
                pick(K::RequestFieldAdded, K::ResponsePropertyAdded)
            };
            Change::new(
                kind,
                prop(q),
                format!("{noun} `{def}.{}` ({}) added", q.name, flags(q)),
            )
            .lines(None, Some(q.line))
        }
        Member::Removed(p) => Change::new(
            pick(K::RequestFieldRemoved, K::ResponsePropertyRemoved),
            prop(p),
            format!("{noun} `{def}.{}` ({}) removed", p.name, p.ty),
        )
        .lines(Some(p.line), None),
        Member::Type(p, q) => Change::new(
            pick(K::RequestFieldTypeChanged, K::ResponsePropertyTypeChanged),
            prop(q),
            format!(
                "{noun} `{def}.{}` changed type from {} to {}",
                q.name, p.ty, q.ty
            ),
        )
        .lines(Some(p.line), Some(q.line)),
        Member::Required(p, q) | Member::Nullable(p, q) => {
            let required = matches!(m, Member::Required(..));
            let (request, response, word) = match (required, q.required, q.nullable) {
                (true, true, _) => (
                    K::RequestFieldBecameRequired,
                    K::ResponsePropertyBecameRequired,
                    "required",
                ),
                (true, false, _) => (
                    K::RequestFieldBecameOptional,
                    K::ResponsePropertyBecameOptional,
                    "optional",
                ),
                (false, _, true) => (
                    K::RequestFieldBecameNullable,
                    K::ResponsePropertyBecameNullable,
                    "nullable",
                ),
                (false, _, false) => (
                    K::RequestFieldBecameNonNullable,
                    K::ResponsePropertyBecameNonNullable,
                    "non-nullable",
                ),
            };
            let message = format!("{noun} `{def}.{}` became {word}", q.name);
            Change::new(pick(request, response), prop(q), message).lines(Some(p.line), Some(q.line))
        }
        Member::ValueAdded(w) => Change::new(
            pick(K::RequestEnumValueAdded, K::ResponseEnumValueAdded),
            val(w),
            format!("enum `{def}` value {} added", w.value),
        )
        .lines(None, Some(w.line)),
        Member::ValueRemoved(v) => Change::new(
            pick(K::RequestEnumValueRemoved, K::ResponseEnumValueRemoved),
            val(v),
            format!("enum `{def}` value {} removed", v.value),
        )
        .lines(Some(v.line), None),
        Member::ValueChanged(v, w) => Change::new(
            K::EnumValueChanged,
            val(w),
            format!(
                "enum `{def}` value `{}` now travels as {} (was {})",
                w.name, w.value, v.value
            ),
        )
        .lines(Some(v.line), Some(w.line)),
        Member::ValueRenamed(v, w) => Change::new(
            K::EnumValueRenamed,
            val(w),
            format!(
                "enum `{def}` value {} renamed from `{}` to `{}`",
                w.value, v.name, w.name
            ),
        )
        .lines(Some(v.line), Some(w.line)),
        Member::KindChanged => Change::new(
            K::DefinitionKindChanged,
            Location::definition(def),
            format!("`{def}` changed between an object and an enum"),
        ),
    }
}

/// Emits the member changes of one definition pair, once per direction it
/// is used in, or once as unused.
fn compare_pair(
    a: &Definition,
    b: &Definition,
    uses: &Uses,
    oc: &Contract,
    nc: &Contract,
    out: &mut Vec<Change>,
) {
    let was = if a.name == b.name {
        String::new()
    } else {
        format!(" (was `{}`)", a.name)
    };
    let dirs: Vec<(Option<Dir>, &Vec<String>)> = [
        (Dir::Request, &uses.request),
        (Dir::Response, &uses.response),
    ]
    .into_iter()
    .filter(|(_, ops)| !ops.is_empty())
    .map(|(d, ops)| (Some(d), ops))
    .collect();
    let empty = Vec::new();
    let dirs = if dirs.is_empty() {
        vec![(None, &empty)]
    } else {
        dirs
    };
    let unused = dirs[0].0.is_none();
    for m in members(a, b, oc, nc) {
        let mut found = Vec::new();
        if m.directed() {
            for (dir, ops) in &dirs {
                found.push((change(&m, *dir, &b.name), (*ops).clone()));
            }
        } else {
            let mut users: Vec<String> = Vec::new();
            for (_, ops) in &dirs {
                for op in ops.iter() {
                    if !users.contains(op) {
                        users.push(op.clone());
                    }
                }
            }
            found.push((change(&m, dirs[0].0, &b.name), users));
        }
        for (mut c, users) in found {
            if unused {
                c.kind = K::UnusedDefinitionChanged;
                c.class = c.kind.class();
            }
            c.message.push_str(&was);
            c.used_by = users;
            out.push(c);
        }
    }
}

/// Compares the definitions of two documents: the pairs operations reach
/// (with the direction they travel in), then the remaining same-named
/// definitions, then renames by shape; what is left was added or removed.
pub fn compare(reach: Reach, oc: &Contract, nc: &Contract, out: &mut Vec<Change>) {
    let mut pairs = reach.pairs;
    let (old_uses, new_uses) = (uses_in(oc), uses_in(nc));
    for d in &nc.definitions {
        if oc.definition(&d.name).is_some() {
            let entry = pairs.entry((d.name.clone(), d.name.clone())).or_default();
            if entry.request.is_empty() && entry.response.is_empty() {
                for side in [&new_uses, &old_uses] {
                    if let Some(u) = side.get(&d.name) {
                        entry.merge(u);
                    }
                }
            }
        }
    }
    let paired_old: HashSet<&str> = pairs.keys().map(|(a, _)| a.as_str()).collect();
    let paired_new: HashSet<&str> = pairs.keys().map(|(_, b)| b.as_str()).collect();
    let old_only: Vec<&Definition> = oc
        .definitions
        .iter()
        .filter(|d| !paired_old.contains(d.name.as_str()))
        .collect();
    let mut new_only: Vec<&Definition> = nc
        .definitions
        .iter()
        .filter(|d| !paired_new.contains(d.name.as_str()))
        .collect();
    let mut renames: Vec<(&Definition, &Definition)> = Vec::new();
    let mut removed: Vec<&Definition> = Vec::new();
    for a in old_only {
        match new_only
            .iter()
            .position(|b| members(a, b, oc, nc).is_empty())
        {
            Some(i) => renames.push((a, new_only.remove(i))),
            None => removed.push(a),
        }
    }
    let position = |name: &str| {
        nc.definitions
            .iter()
            .position(|d| d.name == name)
            .unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<(&(String, String), &Uses)> = pairs.iter().collect();
    ordered.sort_by_key(|((_, b), _)| position(b));
    for ((a, b), uses) in ordered {
        let (Some(da), Some(db)) = (oc.definition(a), nc.definition(b)) else {
            continue;
        };
        if a != b && members(da, db, oc, nc).is_empty() {
            renames.push((da, db));
            continue;
        }
        compare_pair(da, db, uses, oc, nc, out);
    }
    renames.sort_by_key(|(_, b)| position(&b.name));
    for (a, b) in renames {
        out.push(
            Change::new(
                K::DefinitionRenamed,
                Location::definition(&b.name),
                format!(
                    "definition `{}` renamed to `{}` with the same shape",
                    a.name, b.name
                ),
            )
            .lines(Some(a.line), Some(b.line)),
        );
    }
    for b in new_only {
        out.push(
            Change::new(
                K::DefinitionAdded,
                Location::definition(&b.name),
                format!("definition `{}` added", b.name),
            )
            .lines(None, Some(b.line)),
        );
    }
    for a in removed {
        out.push(
            Change::new(
                K::DefinitionRemoved,
                Location::definition(&a.name),
                format!("definition `{}` removed", a.name),
            )
            .lines(Some(a.line), None),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::compare::tests::seed;
    use crate::diff::{compare, Change, ChangeKind as K, Class, DiffOptions};
    use crate::spec::{Contract, DefinitionKind, TypeRef};

    fn diff(old: &Contract, new: &Contract) -> Vec<Change> {
        compare(old, new, &DiffOptions::default())
    }

    fn kinds(changes: &[Change]) -> Vec<K> {
        changes.iter().map(|c| c.kind).collect()
    }

    fn object<'a>(c: &'a mut Contract, name: &str) -> &'a mut Vec<crate::spec::Property> {
        let def = c.definitions.iter_mut().find(|d| d.name == name).unwrap();
        match &mut def.kind {
            DefinitionKind::Object { properties } => properties,
            DefinitionKind::Enum { .. } => panic!("{name} is an enum"),
        }
    }

    fn values<'a>(c: &'a mut Contract, name: &str) -> &'a mut Vec<crate::spec::EnumValue> {
        let def = c.definitions.iter_mut().find(|d| d.name == name).unwrap();
        match &mut def.kind {
            DefinitionKind::Enum { values } => values,
            DefinitionKind::Object { .. } => panic!("{name} is an object"),
        }
    }

    #[test]
    fn a_definition_sent_both_ways_changes_both_ways() {
        // Role is the request body of create and update, and the response
        // of list, create, get and update.
        let old = seed("004_a50be14b8577b9a8.txt");
        let mut new = old.clone();
        let mut extra = object(&mut new, "Role")[1].clone();
        extra.name = "Color".into();
        object(&mut new, "Role").push(extra);
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [K::RequestFieldAdded, K::ResponsePropertyAdded]
        );
        assert_eq!(
            changes[0].used_by,
            [
                "POST /api/v1/Tenants/{tenantId}/Roles",
                "PUT /api/v1/Tenants/{tenantId}/Roles/{roleId}"
            ]
        );
        assert_eq!(changes[1].used_by.len(), 4, "{:?}", changes[1].used_by);
        assert_eq!(changes[0].location.to_string(), "Role.Color");
    }

    #[test]
    fn required_and_nullable_flags_cut_both_ways() {
        let old = seed("000_a2f21fb7a461d36e.txt");
        let mut new = old.clone();
        object(&mut new, "CreateCommunityInput")[0].required = true; // Name
        object(&mut new, "CommunityTenant")[0].nullable = true; // Id
        object(&mut new, "Community")[1].nullable = false; // Name
        object(&mut new, "Community")[2].required = true; // Alias
        let changes = diff(&old, &new);
        let got: Vec<(K, Class)> = changes.iter().map(|c| (c.kind, c.class)).collect();
        assert_eq!(
            got,
            [
                (
                    K::ResponsePropertyBecameNonNullable,
                    Class::BreakingForImplementations
                ),
                (
                    K::ResponsePropertyBecameRequired,
                    Class::BreakingForImplementations
                ),
                (K::ResponsePropertyBecameNullable, Class::BreakingForClients),
                (K::RequestFieldBecameRequired, Class::BreakingForClients),
            ]
        );
    }

    #[test]
    fn property_types_compare_through_arrays_and_json_types() {
        let old = seed("000_a2f21fb7a461d36e.txt");
        let mut new = old.clone();
        object(&mut new, "CommunityTenant")[4].ty = TypeRef::Scalar("int32".into());
        assert_eq!(diff(&old, &new), vec![]);
        object(&mut new, "Community")[4].ty = TypeRef::Ref("CommunityTenant".into()); // was CommunityTenant[]
        object(&mut new, "Community")[0].ty = TypeRef::Scalar("string".into()); // was guid
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [
                K::ResponsePropertyTypeChanged,
                K::ResponsePropertyTypeChanged
            ]
        );
        assert!(
            changes[0].message.contains("from guid to string"),
            "{}",
            changes[0].message
        );
    }

    #[test]
    fn enum_values_compare_by_what_travels() {
        let old = seed("000_a2f21fb7a461d36e.txt");
        let mut new = old.clone();
        values(&mut new, "CommunityTenantStatus")[0].name = "Unknown".into(); // value stays "Undefined"
        values(&mut new, "CommunityTenantStatus")[1].value = serde_json::json!("Waiting");
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [K::EnumValueRenamed, K::EnumValueChanged]);
        assert_eq!(changes[0].class, Class::Compatible);
        assert_eq!(changes[1].class, Class::BreakingForClients);
    }

    #[test]
    fn a_renamed_definition_with_the_same_shape_is_one_compatible_change() {
        let old = seed("000_a2f21fb7a461d36e.txt");
        let mut new = old.clone();
        for d in &mut new.definitions {
            if d.name == "CommunityTenant" {
                d.name = "CommunityMember".into();
            }
        }
        object(&mut new, "Community")[4].ty = TypeRef::parse("CommunityMember[]").unwrap();
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [K::DefinitionRenamed], "{changes:#?}");
        assert_eq!(changes[0].class, Class::Compatible);

        // The same rename with a member dropped is a replacement: its
        // members are compared, and nothing is called renamed.
        object(&mut new, "CommunityMember").pop();
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [K::ResponsePropertyRemoved]);
        assert!(
            changes[0].message.contains("(was `CommunityTenant`)"),
            "{}",
            changes[0].message
        );
    }

    #[test]
    fn an_unreachable_renamed_definition_is_found_by_shape() {
        let mut old = seed("000_a2f21fb7a461d36e.txt");
        let mut spare = old.definitions[3].clone(); // ErrorResponse
        spare.name = "Spare".into();
        old.definitions.push(spare);
        let mut new = old.clone();
        new.definitions.last_mut().unwrap().name = "Extra".into();
        assert_eq!(kinds(&diff(&old, &new)), [K::DefinitionRenamed]);
        object(&mut new, "Extra").pop();
        assert_eq!(
            kinds(&diff(&old, &new)),
            [K::DefinitionAdded, K::DefinitionRemoved]
        );
    }

    #[test]
    fn a_definition_no_operation_uses_changes_for_information_only() {
        let mut old = seed("000_a2f21fb7a461d36e.txt");
        let mut spare = old.definitions[3].clone();
        spare.name = "Spare".into();
        old.definitions.push(spare);
        let mut new = old.clone();
        object(&mut new, "Spare").pop();
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [K::UnusedDefinitionChanged]);
        assert_eq!(changes[0].class, Class::Informational);
    }

    #[test]
    fn an_object_turned_enum_breaks_clients() {
        let old = seed("000_a2f21fb7a461d36e.txt");
        let mut new = old.clone();
        let status = new
            .definitions
            .iter()
            .find(|d| d.name == "CommunityTenantStatus")
            .unwrap()
            .kind
            .clone();
        new.definitions
            .iter_mut()
            .find(|d| d.name == "CommunityTenant")
            .unwrap()
            .kind = status;
        let changes = diff(&old, &new);
        assert_eq!(kinds(&changes), [K::DefinitionKindChanged]);
    }
}
