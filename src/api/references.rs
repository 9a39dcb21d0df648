//! References between resources, inferred from member names and types
//! alone, so that the suite and the reference server agree on which
//! members hold the ids of other items.
//!
//! Two rules, and nothing beyond them:
//! - a member named `XId` (a string or guid) or `XIds` (an array of them)
//!   refers to the one resource whose items are the definition `X`, or
//!   whose collection path ends in the plural of `X` (`Roles` for
//!   `RoleId`), among the resources a suite can list with only the
//!   configured path values. No candidate, or more than one, is no
//!   reference; `Id` itself is the item's own id; a qualified name
//!   (`MemberRoleId`, `ExternalUserId`) is none either, since a qualifier
//!   may say the id belongs to another system.
//! - a member of an item that is an array of definition `D` refers to the
//!   one sub-collection under that item's path whose items are `D`: the
//!   array holds the same items as that list.

use super::resources::{Api, OpKey};
use crate::spec::{JsonType, Segment, TypeRef};

/// Which of the two rules a reference follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `XId`: one id of an item of the target.
    Id,
    /// `XIds`: an array of ids of items of the target.
    Ids,
    /// An array of items that is the target sub-collection of the item.
    Items,
}

/// A member holding ids of the items of another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The member's name (`MemberRoleId`).
    pub member: String,
    /// How the member refers.
    pub rule: Rule,
    /// The index of the referenced resource.
    pub target: usize,
    /// The list operation of the referenced resource.
    pub list: OpKey,
}

/// The `X` of an `XId` or `XIds` member name, with its rule.
fn referent(name: &str) -> Option<(&str, Rule)> {
    let (stem, rule) = if let Some(s) = name.strip_suffix("Ids") {
        (s, Rule::Ids)
    } else {
        (name.strip_suffix("Id")?, Rule::Id)
    };
    (!stem.is_empty()).then_some((stem, rule))
}

/// Whether a type is a string or guid by the type table.
fn stringy(ty: &TypeRef) -> bool {
    ty.scalar().is_some_and(|s| s.json == JsonType::String)
}

/// Whether `word` is the plural of `stem` (`Roles`, `Policies`, `Boxes`).
fn plural_of(word: &str, stem: &str) -> bool {
    let (w, s) = (word.to_ascii_lowercase(), stem.to_ascii_lowercase());
    w == format!("{s}s")
        || w == format!("{s}es")
        || s.strip_suffix('y')
            .is_some_and(|base| w == format!("{base}ies"))
}

impl Api {
    /// The list operation of resource `r` that needs no path value beyond
    /// `given`, if any.
    fn listable(&self, r: usize, given: &[String]) -> Option<OpKey> {
        self.resources[r].list.iter().copied().find(|k| {
            self.operation(*k)
                .path
                .params()
                .all(|p| given.iter().any(|g| g == p))
        })
    }

    /// The last literal of resource `r`'s collection path, as its first
    /// list operation spells it.
    fn last_literal(&self, r: usize) -> Option<&str> {
        let list = self.resources[r].list.first()?;
        match self.operation(*list).path.segments().last()? {
            Segment::Literal(word) => Some(word),
            Segment::Param(_) => None,
        }
    }

    /// The references of the members of `definition` in document `doc`,
    /// where `given` names the path parameters with configured values.
    /// For the array rule the definition must be the item of a resource.
    pub fn references(&self, doc: usize, definition: &str, given: &[String]) -> Vec<Reference> {
        let Some(def) = self
            .contracts
            .get(doc)
            .and_then(|c| c.definition(definition))
        else {
            return Vec::new();
        };
        let owner = self
            .resources
            .iter()
            .position(|r| r.item_type.as_deref() == Some(definition));
        let mut out = Vec::new();
        for p in def.properties() {
            let found = match (&p.ty, referent(&p.name)) {
                (ty, Some((stem, Rule::Id))) if stringy(ty) => {
                    self.id_target(stem, given).map(|t| (Rule::Id, t))
                }
                (TypeRef::Array(inner), Some((stem, Rule::Ids))) if stringy(inner) => {
                    self.id_target(stem, given).map(|t| (Rule::Ids, t))
                }
                (TypeRef::Array(inner), _) => match (owner, inner.as_ref()) {
                    (Some(o), TypeRef::Ref(d)) => self.items_target(o, d).map(|t| (Rule::Items, t)),
                    _ => None,
                },
                _ => None,
            };
            if let Some((rule, (target, list))) = found {
                out.push(Reference {
                    member: p.name.clone(),
                    rule,
                    target,
                    list,
                });
            }
        }
        out
    }

    /// The one listable resource whose items are `stem`, by item
    /// definition or by the plural of its collection path's last word.
    /// A qualified name (`MemberRoleId`, `ExternalUserId`) is no reference:
    /// its qualifier may as well say the id is another system's.
    fn id_target(&self, stem: &str, given: &[String]) -> Option<(usize, OpKey)> {
        let mut found = (0..self.resources.len())
            .filter(|&r| {
                self.resources[r]
                    .item_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(stem))
                    || self.last_literal(r).is_some_and(|w| plural_of(w, stem))
            })
            .filter_map(|r| self.listable(r, given).map(|k| (r, k)));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The one sub-collection directly under resource `owner`'s items
    /// whose items are `item`, listed under the item's path.
    fn items_target(&self, owner: usize, item: &str) -> Option<(usize, OpKey)> {
        let mut found = (0..self.resources.len()).filter(|&r| {
            let res = &self.resources[r];
            res.parent == Some(owner) && res.item_type.as_deref() == Some(item)
        });
        let first = found.next()?;
        if found.next().is_some() {
            return None;
        }
        self.resources[first].list.first().map(|k| (first, *k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(api: &Api, given: &[&str]) -> Vec<String> {
        let given: Vec<String> = given.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        for (d, c) in api.contracts.iter().enumerate() {
            for def in &c.definitions {
                for r in api.references(d, &def.name, &given) {
                    out.push(format!(
                        "{}.{} {:?} {}",
                        def.name, r.member, r.rule, api.resources[r.target].key
                    ));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn names_split_into_referent_and_rule() {
        assert_eq!(referent("MemberRoleId"), Some(("MemberRole", Rule::Id)));
        assert_eq!(referent("RoleIds"), Some(("Role", Rule::Ids)));
        assert_eq!(referent("Id"), None);
        assert_eq!(referent("Ids"), None);
        assert_eq!(referent("Name"), None);
        assert!(plural_of("Roles", "role") && plural_of("policies", "Policy"));
        assert!(!plural_of("Roles", "MemberRole"));
    }

    #[test]
    fn seed_documents_refer_where_names_and_types_say() {
        let api = Api::new(crate::spec::load_all(&["specs"]).unwrap());
        let refs = found(&api, &["tenantId"]);
        // `RoleTypeId`, `PreferredRegionId` and `TenantId` name nothing the
        // suite can list; `Id` is the item's own; `MemberRoleId` is
        // qualified; the community's roles are not listable without a
        // community, so roles are the tenant's.
        assert_eq!(
            refs,
            [
                "ClientCredentialClient.RoleIds Ids tenants/{}/roles",
                "Community.CommunityRoles Items communities/{}/roles",
                "Role.CommunityId Id communities",
                "User.RoleIds Ids tenants/{}/roles",
            ]
        );
        // Without the tenant, roles cannot be listed: no role reference.
        let bare = found(&api, &[]);
        assert!(bare.iter().all(|r| !r.contains("tenants/")), "{bare:?}");
    }
}
