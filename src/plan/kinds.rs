//! The case kinds as a registry: each kind is a small named entry in
//! [`KINDS`] with a one-line doc and the statuses its cases provoke. The
//! coverage matrix reads what a kind provokes from here, and
//! `conform run --list-kinds` and the README's table print this list.

use super::model::CaseKind;

/// The statuses the cases of a kind set out to provoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provokes {
    /// The operation's documented success (2xx) statuses.
    Success,
    /// These statuses, where the operation documents them.
    Statuses(&'static [u16]),
}

impl Provokes {
    /// Whether a case of the kind sets out to provoke `status`.
    pub fn includes(self, status: u16) -> bool {
        match self {
            Provokes::Success => (200..300).contains(&status),
            Provokes::Statuses(list) => list.contains(&status),
        }
    }

    /// The statuses as people read them: `2xx` or `400, 409`.
    pub fn describe(self) -> String {
        match self {
            Provokes::Success => "the documented 2xx".to_string(),
            Provokes::Statuses(list) => list
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// One kind of case.
#[derive(Debug)]
pub struct Kind {
    /// The kind the planner tags its cases with.
    pub kind: CaseKind,
    /// The last part of a case name (`no_token`).
    pub name: &'static str,
    /// One line saying what the case tests.
    pub doc: &'static str,
    /// The statuses the case provokes.
    pub provokes: Provokes,
}

/// Every case kind, in the order of [`CaseKind`]'s variants.
pub static KINDS: &[Kind] = &[
    Kind {
        kind: CaseKind::Happy,
        name: "happy",
        doc: "the operation with valid inputs and fresh, unique body values",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::Lifecycle,
        name: "lifecycle",
        doc: "create, get, list, count, update (twice, then refused), get, delete (twice), get, list of one resource",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::PageCount,
        name: "page_count",
        doc: "a list asked for with count=1 holds at most one item",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::PageSkipPastEnd,
        name: "page_skip_past_end",
        doc: "a list asked for with skip past its end holds no item",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::CountHeader,
        name: "count_header",
        doc: "the count header of HEAD equals the length of the list",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::NoToken,
        name: "no_token",
        doc: "the request without an Authorization header",
        provokes: Provokes::Statuses(&[401]),
    },
    Kind {
        kind: CaseKind::MalformedToken,
        name: "malformed_token",
        doc: "the request with a bearer token no server can have issued",
        provokes: Provokes::Statuses(&[401]),
    },
    Kind {
        kind: CaseKind::ForbiddenRole,
        name: "forbidden_role",
        doc: "the request with a token holding only roles outside \"Allowed for these roles\"",
        provokes: Provokes::Statuses(&[403]),
    },
    Kind {
        kind: CaseKind::AllowedRole,
        name: "allowed_role",
        doc: "the request with a token holding one role listed under \"Allowed for these roles\", one case per role",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::UnknownId,
        name: "unknown_id",
        doc: "the request with a well-formed id nothing was created under; one more case for each other id a 404 or 403 row names, the tenant's included",
        provokes: Provokes::Statuses(&[404, 403]),
    },
    Kind {
        kind: CaseKind::MalformedJson,
        name: "malformed_json",
        doc: "a request body that is not JSON",
        provokes: Provokes::Statuses(&[400]),
    },
    Kind {
        kind: CaseKind::WrongTypes,
        name: "wrong_types",
        doc: "a request body whose members have the wrong JSON types",
        provokes: Provokes::Statuses(&[400]),
    },
    Kind {
        kind: CaseKind::NegativePaging,
        name: "negative_paging",
        doc: "a list asked for with a negative skip or count, one case per paging parameter",
        provokes: Provokes::Statuses(&[400]),
    },
    Kind {
        kind: CaseKind::InputRule,
        name: "input_rule",
        doc: "a body breaking one input rule with one member (wrong type, out of enum, empty, whitespace, null, missing), one case per member and rule, members of a member's definition included (`Client.Name`)",
        provokes: Provokes::Statuses(&[400]),
    },
    Kind {
        kind: CaseKind::DuplicateName,
        name: "duplicate_name",
        doc: "a create repeating the Name of an existing item",
        provokes: Provokes::Statuses(&[409]),
    },
    Kind {
        kind: CaseKind::Addressable,
        name: "addressable",
        doc: "a create, then a read of the item by the id its answer carries: the same values",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::ListComplete,
        name: "list_complete",
        doc: "a create, the whole list, its pages walked with skip and count, the whole list again, and reads of the listed items one by one",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::CountsAgree,
        name: "counts_agree",
        doc: "the list and the count of a nested collection under every parent the suite can list, one just created included",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::EmptyChildren,
        name: "empty_children",
        doc: "a parent just created, then its child collection listed and counted: empty where callers create its items",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::OtherRoleExistence,
        name: "other_role_existence",
        doc: "a read with a token outside \"Allowed for these roles\", of an existing item and of a missing one: telling them apart is an advisory",
        provokes: Provokes::Statuses(&[403, 404]),
    },
    Kind {
        kind: CaseKind::CrossVersion,
        name: "cross_version",
        doc: "create through one document, then get, list and count through another that pairs the item read under another prefix (as `conform diff` pairs), delete through it, and find the item gone through both",
        provokes: Provokes::Success,
    },
    Kind {
        kind: CaseKind::References,
        name: "references",
        doc: "an item read, then each collection its `XId`/`XIds` members or arrays of sub-collection items refer to listed whole: every reference names a listed item",
        provokes: Provokes::Success,
    },
];

impl CaseKind {
    /// The kind's registry entry.
    pub fn info(self) -> &'static Kind {
        // KINDS follows the variants' order; a test holds it to that.
        &KINDS[self as usize]
    }
}

/// The kinds whose cases set out to provoke `status`, in registry order.
pub fn provoking(status: u16) -> impl Iterator<Item = CaseKind> {
    KINDS
        .iter()
        .filter(move |k| k.provokes.includes(status))
        .map(|k| k.kind)
}

/// The registry as a markdown table (the one in the README).
pub fn markdown() -> String {
    let mut out = String::from("| case | what it tests | provokes |\n|---|---|---|\n");
    for k in KINDS {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            k.name,
            k.doc.replace('|', "\\|"),
            k.provokes.describe()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_follows_the_variants_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.kind as usize, i, "{} is out of order", k.name);
            assert!(names.insert(k.name), "{} twice", k.name);
            assert!(!k.doc.is_empty());
        }
        assert_eq!(CaseKind::DuplicateName.info().name, "duplicate_name");
    }

    #[test]
    fn case_names_keep_their_spelling() {
        // Case names are what baselines and filters hold on to.
        let names: Vec<&str> = KINDS.iter().map(|k| k.kind.as_str()).collect();
        assert_eq!(
            names,
            [
                "happy",
                "lifecycle",
                "page_count",
                "page_skip_past_end",
                "count_header",
                "no_token",
                "malformed_token",
                "forbidden_role",
                "allowed_role",
                "unknown_id",
                "malformed_json",
                "wrong_types",
                "negative_paging",
                "input_rule",
                "duplicate_name",
                "addressable",
                "list_complete",
                "counts_agree",
                "empty_children",
                "other_role_existence",
                "cross_version",
                "references",
            ]
        );
        for k in KINDS {
            let json = serde_json::to_value(k.kind).unwrap();
            assert_eq!(json, k.name, "the serialised kind is its name");
        }
    }

    #[test]
    fn each_error_status_has_its_kinds_and_success_has_the_rest() {
        let of = |s| provoking(s).collect::<Vec<_>>();
        assert_eq!(of(401), [CaseKind::NoToken, CaseKind::MalformedToken]);
        assert_eq!(
            of(403),
            [
                CaseKind::ForbiddenRole,
                CaseKind::UnknownId,
                CaseKind::OtherRoleExistence
            ]
        );
        assert_eq!(of(404), [CaseKind::UnknownId, CaseKind::OtherRoleExistence]);
        assert_eq!(
            of(400),
            [
                CaseKind::MalformedJson,
                CaseKind::WrongTypes,
                CaseKind::NegativePaging,
                CaseKind::InputRule
            ]
        );
        assert_eq!(of(409), [CaseKind::DuplicateName]);
        assert!(of(201).contains(&CaseKind::Happy) && of(204).contains(&CaseKind::Lifecycle));
        assert!(of(422).is_empty() && of(500).is_empty());
    }

    #[test]
    fn the_markdown_table_has_a_row_per_kind() {
        let table = markdown();
        assert_eq!(table.lines().count(), KINDS.len() + 2);
        assert!(
            table.contains("| `no_token` | the request without an Authorization header | 401 |")
        );
    }
}
