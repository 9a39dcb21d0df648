//! Which path ids the docs say must name something that exists, and what
//! answers when one does not.
//!
//! An operation's 404 (or 403) row says what it answers for ids that name
//! nothing, and its description says which: "Tenant or Community not
//! found" names `tenantId` and `communityId`, never `groupId`. Where the
//! description is generic ("Not found.", "One of the resources specified
//! was not found") and names no parameter of the path, an id that names an
//! item of a collection the API creates by POST is still known to be
//! checked: the server holds those items and nothing else. Anywhere else
//! the docs do not say, and a suite must not assert a status.

use crate::spec::Operation;

/// What the docs say of one path parameter that names nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existence {
    /// The path parameter.
    pub param: String,
    /// The documented statuses that answer an id naming nothing; empty
    /// where the docs do not say.
    pub statuses: Vec<u16>,
}

/// The statuses whose rows speak of missing things.
const MISSING: [u16; 2] = [404, 403];

/// Whether `description` names the path parameter `param`: the words of
/// the name without its `Id` suffix (`identityProviderId` → identity
/// provider) appear as whole words, one word or several run together
/// (`EventType` names `eventTypeId`), an `s` plural allowed.
pub fn names_param(description: &str, param: &str) -> bool {
    let wanted: String = param_words(param).concat();
    if wanted.is_empty() {
        return false;
    }
    let words: Vec<String> = description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    for start in 0..words.len() {
        let mut run = String::new();
        for w in &words[start..] {
            run.push_str(w);
            if run == wanted || run.strip_suffix('s') == Some(&wanted) {
                return true;
            }
            if run.len() > wanted.len() {
                break;
            }
        }
    }
    false
}

/// `identityProviderId` → `["identity", "provider"]`; a lone `id` stays.
fn param_words(param: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in param.chars() {
        if (c.is_ascii_uppercase() || c == '_' || c == '-') && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if c.is_ascii_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    if words.len() > 1 && matches!(words.last().map(String::as_str), Some("id" | "ids")) {
        words.pop();
    }
    words
}

/// What the docs say of every path parameter of `op`. `owned` tells
/// whether a parameter names an item of a collection the API creates by
/// POST.
pub(crate) fn existence(op: &Operation, owned: impl Fn(&str) -> bool) -> Vec<Existence> {
    let rows: Vec<(u16, &str)> = op
        .responses
        .iter()
        .filter(|r| MISSING.contains(&r.status))
        .map(|r| (r.status, r.description.as_deref().unwrap_or("")))
        .collect();
    let params: Vec<&str> = op.path.params().collect();
    let generic_404 = rows
        .iter()
        .find(|(s, _)| *s == 404)
        .is_some_and(|(_, text)| !params.iter().any(|p| names_param(text, p)));
    params
        .iter()
        .map(|p| {
            let mut statuses: Vec<u16> = rows
                .iter()
                .filter(|(_, text)| names_param(text, p))
                .map(|(s, _)| *s)
                .collect();
            // A generic 404 ("Not found.") documents what any unknown id
            // answers: beside a 403 row that names the id ("not authorized
            // to view the requested data view") it is a second documented
            // answer, never one to refuse.
            if generic_404 && !statuses.contains(&404) && (owned(p) || !statuses.is_empty()) {
                statuses.push(404);
            }
            Existence {
                param: p.to_string(),
                statuses,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_parameters_by_their_words() {
        let text = "Tenant or Community not found";
        assert!(names_param(text, "tenantId"));
        assert!(names_param(text, "communityId"));
        assert!(!names_param(text, "groupId"));
        assert!(names_param(
            "Tenant, identity provider, or roles not found",
            "identityProviderId"
        ));
        assert!(names_param("Community roles not found", "roleId"));
        assert!(names_param("EventType not found.", "eventTypeId"));
        assert!(!names_param("EventType not found.", "typeId"));
        assert!(names_param(
            "The specified data view identifier is not found.",
            "dataViewId"
        ));
        assert!(!names_param("Not found.", "id"));
        assert!(!names_param(
            "One of the resources specified was not found",
            "roleId"
        ));
    }

    #[test]
    fn add_group_to_a_community_never_checks_the_group() {
        let c = crate::spec::load(std::path::Path::new("specs/003_99419b29eeac7fd1.txt")).unwrap();
        let op = c
            .operations
            .iter()
            .find(|o| o.summary == "Add Group to a Community")
            .expect("Add Group to a Community");
        let e = existence(op, |_| true);
        let of = |p: &str| e.iter().find(|x| x.param == p).unwrap().statuses.clone();
        assert_eq!(of("communityId"), [404]);
        assert_eq!(of("tenantId"), [404]);
        assert!(
            of("groupId").is_empty(),
            "the 404 row never names the group"
        );
    }

    /// A 403 row naming the id made 403 the only answer for an unknown
    /// one, and a server answering the documented generic 404 failed.
    #[test]
    fn regression_a_generic_404_beside_a_403_naming_the_id_was_refused() {
        let doc = "# Things\n\n## `Get Thing`\n\n```text\nGET /api/Things/{thingId}\n```\n\n\
                   ### Response\n\n| Status Code | Body Type | Description |\n|---|---|---|\n\
                   | 200 | string | ok |\n\
                   | 403 | None | You are not authorized to view the requested thing. |\n\
                   | 404 | None | Not found. |\n";
        let c = crate::spec::parse_str("things.md", doc);
        let e = existence(&c.operations[0], |_| false);
        assert_eq!(e[0].statuses, [403, 404]);
    }
}
