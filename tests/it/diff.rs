//! `conform diff` on real documents: seed 000 (Communities v1, 2021) against
//! seed 001 (Communities v1-preview, 2023) with the changes read by hand
//! from both documents, every consecutive pair of the history corpus as a
//! snapshot, and the command line's exit codes and JSON.

use crate::common::conform;

use std::path::{Path, PathBuf};

use conform::diff::{self, render, Change, ChangeKind, Class, DiffOptions, DocumentDiff, PathMap};
use conform::spec::{self, Contract};
use serde_json::Value;

const OLD: &str = "specs/000_a2f21fb7a461d36e.txt";
const NEW: &str = "specs/001_4ff6fbce2b62a5ae.txt";
const MAP: &str = "/api/v1/tenants/{tenantId}/Communities=/api/v1-preview/Communities";

fn load(path: &str) -> Contract {
    spec::load(Path::new(path)).expect("document reads")
}

fn seeds() -> Vec<Change> {
    let options = DiffOptions {
        path_map: vec![PathMap::parse(MAP).unwrap()],
    };
    diff::compare(&load(OLD), &load(NEW), &options)
}

/// The one change of `kind` at `location` (as displayed), on `operation`
/// where given; fails unless there is exactly one.
fn one<'a>(
    changes: &'a [Change],
    kind: ChangeKind,
    location: &str,
    operation: Option<&str>,
) -> &'a Change {
    let found: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == kind && c.location.to_string() == location)
        .filter(|c| operation.is_none() || c.operation.as_deref() == operation)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{kind} at {location} on {operation:?}: {found:#?}"
    );
    found[0]
}

#[test]
fn seed_community_properties_removed_and_added() {
    let changes = seeds();
    for prop in [
        "Alias",
        "StreamsContributedCount",
        "TotalStreamsContributedCount",
    ] {
        let c = one(
            &changes,
            ChangeKind::ResponsePropertyRemoved,
            &format!("Community.{prop}"),
            None,
        );
        assert_eq!(c.class, Class::BreakingForClients);
        assert!(c.old_line.is_some() && c.new_line.is_none());
        assert_eq!(
            c.used_by.len(),
            3,
            "list, create and get return a Community"
        );
    }
    for prop in [
        "DisplayName",
        "MemberRoleId",
        "PreferredRegionId",
        "CommunityRoles",
    ] {
        let c = one(
            &changes,
            ChangeKind::ResponsePropertyAdded,
            &format!("Community.{prop}"),
            None,
        );
        assert_eq!(c.class, Class::BreakingForImplementations);
    }
    // Id, Name, Description, Tenants and DateCreated keep type and flags.
    for prop in ["Id", "Name", "Description", "Tenants", "DateCreated"] {
        let at = format!("Community.{prop}");
        assert!(
            !changes.iter().any(|c| c.location.to_string() == at),
            "{at} unchanged"
        );
    }
}

#[test]
fn seed_community_tenant_status_values() {
    let changes = seeds();
    for value in ["Undefined", "AwaitingConfirmation", "Remove"] {
        let c = one(
            &changes,
            ChangeKind::ResponseEnumValueRemoved,
            &format!("CommunityTenantStatus = {value}"),
            None,
        );
        assert_eq!(c.class, Class::BreakingForImplementations);
    }
    let none = one(
        &changes,
        ChangeKind::ResponseEnumValueAdded,
        "CommunityTenantStatus = None",
        None,
    );
    assert_eq!(none.class, Class::BreakingForClients);
    for kept in ["Paused", "Active"] {
        let at = format!("CommunityTenantStatus = {kept}");
        assert!(!changes.iter().any(|c| c.location.to_string() == at));
    }
}

#[test]
fn seed_tenant_id_path_parameter_removed_from_every_operation() {
    let changes = seeds();
    let ops = [
        "GET /api/v1-preview/Communities",
        "POST /api/v1-preview/Communities",
        "GET /api/v1-preview/Communities/{communityId}",
        "PUT /api/v1-preview/Communities/{communityId}",
        "DELETE /api/v1-preview/Communities/{communityId}",
    ];
    for op in ops {
        let c = one(
            &changes,
            ChangeKind::PathParamRemoved,
            "param tenantId",
            Some(op),
        );
        assert_eq!(c.class, Class::BreakingForClients);
        one(&changes, ChangeKind::PathMapped, "", Some(op));
    }
    assert!(!changes.iter().any(|c| matches!(
        c.kind,
        ChangeKind::OperationAdded | ChangeKind::OperationRemoved
    )));
    assert!(!changes
        .iter()
        .any(|c| c.location.param.as_deref() == Some("communityId")));
}

#[test]
fn seed_update_loses_408_and_nothing_else_loses_a_status() {
    let changes = seeds();
    let c = one(
        &changes,
        ChangeKind::StatusRemoved,
        "status 408",
        Some("PUT /api/v1-preview/Communities/{communityId}"),
    );
    assert_eq!(c.class, Class::BreakingForImplementations);
    let removed = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::StatusRemoved)
        .count();
    assert_eq!(removed, 1);
    assert!(!changes.iter().any(|c| c.kind == ChangeKind::StatusAdded));
}

#[test]
fn seed_new_query_parameters() {
    let changes = seeds();
    for (op, param) in [
        ("GET /api/v1-preview/Communities", "query"),
        ("GET /api/v1-preview/Communities", "skip"),
        ("GET /api/v1-preview/Communities", "count"),
        (
            "GET /api/v1-preview/Communities/{communityId}",
            "resolveCompanyName",
        ),
    ] {
        let c = one(
            &changes,
            ChangeKind::QueryParamAdded,
            &format!("param {param}"),
            Some(op),
        );
        assert_eq!(
            c.class,
            Class::BreakingForImplementations,
            "{param} is optional"
        );
    }
    let added = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::QueryParamAdded)
        .count();
    assert_eq!(added, 4);
}

#[test]
fn seed_request_fields_and_other_definitions() {
    let changes = seeds();
    for at in [
        "CreateCommunityInput.PreferredRegionId",
        "CreateCommunityInput.ContactEmail",
        "UpdateCommunityInput.PreferredRegionId",
    ] {
        let c = one(&changes, ChangeKind::RequestFieldAdded, at, None);
        assert_eq!(c.class, Class::BreakingForImplementations, "optional");
    }
    for at in [
        "CommunityTenant.PreferredRegionId",
        "CommunityTenant.ContactEmail",
        "CommunityTenant.CommunityAlias",
    ] {
        one(&changes, ChangeKind::ResponsePropertyAdded, at, None);
    }
    one(
        &changes,
        ChangeKind::ResponsePropertyAdded,
        "ErrorResponse.DynamicProperties",
        None,
    );
    one(&changes, ChangeKind::DefinitionAdded, "Role", None);
    one(&changes, ChangeKind::DefinitionAdded, "RoleScope", None);
}

#[test]
fn without_the_path_map_the_versions_do_not_pair() {
    let changes = diff::compare(&load(OLD), &load(NEW), &DiffOptions::default());
    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    // Ids differ in case for list and create ("joined", "new"), so only get,
    // update and delete pair by id, as moved operations.
    assert_eq!(count(ChangeKind::PathChanged), 3);
    assert_eq!(count(ChangeKind::OperationRemoved), 2);
    assert_eq!(count(ChangeKind::OperationAdded), 2);
}

fn history(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("history directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn history_diff(old: &Path, new: &Path) -> Vec<DocumentDiff> {
    let (o, n) = (spec::load(old).unwrap(), spec::load(new).unwrap());
    diff::compare_all(&[o], &[n], &DiffOptions::default())
}

fn stem(p: &Path) -> String {
    let name = p.file_name().unwrap().to_string_lossy();
    name.split('.').next().unwrap_or_default().to_string()
}

#[test]
fn history_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for family in ["communities", "community-groups"] {
            let files = history(&format!("fixtures/corpus/history/{family}"));
            assert!(files.len() >= 2, "{family}");
            for pair in files.windows(2) {
                let report = render::human(&history_diff(&pair[0], &pair[1]));
                let name = format!("diff@{family}.{}.{}", stem(&pair[0]), stem(&pair[1]));
                insta::assert_snapshot!(name, report);
            }
        }
        let options = DiffOptions {
            path_map: vec![PathMap::parse(MAP).unwrap()],
        };
        let seeds = diff::compare_all(&[load(OLD)], &[load(NEW)], &options);
        insta::assert_snapshot!("diff@seeds.000.001.markdown", render::markdown(&seeds));
    });
}

/// Spot checks of the history pairs, read from the documents' text.
#[test]
fn history_spot_checks() {
    let dir = "fixtures/corpus/history/communities";
    let d = |a: &str, b: &str| -> Vec<Change> {
        let (a, b) = (format!("{dir}/{a}"), format!("{dir}/{b}"));
        history_diff(Path::new(&a), Path::new(&b)).remove(0).changes
    };
    // 2022-10-20 → 2023-01-20: two rows of the status enum table deleted.
    let c = d("2022-10-20.df915fc7a.md", "2023-01-20.8b7f69796.md");
    let k: Vec<(ChangeKind, String)> = c.iter().map(|c| (c.kind, c.location.to_string())).collect();
    assert_eq!(
        k,
        [
            (
                ChangeKind::ResponseEnumValueRemoved,
                "CommunityTenantStatus = AwaitingConfirmation".into()
            ),
            (
                ChangeKind::ResponseEnumValueRemoved,
                "CommunityTenantStatus = Remove".into()
            ),
        ]
    );
    // 2022-07-25 → 2022-07-28: Alias became DisplayName, CommunityAlias
    // joined CommunityTenant, six examples followed.
    let c = d("2022-07-25.6cfb58639.md", "2022-07-28.36aab96a0.md");
    one(
        &c,
        ChangeKind::ResponsePropertyRemoved,
        "Community.Alias",
        None,
    );
    one(
        &c,
        ChangeKind::ResponsePropertyAdded,
        "Community.DisplayName",
        None,
    );
    one(
        &c,
        ChangeKind::ResponsePropertyAdded,
        "CommunityTenant.CommunityAlias",
        None,
    );
    assert_eq!(
        c.iter()
            .filter(|c| c.kind == ChangeKind::ExampleChanged)
            .count(),
        6
    );
    assert_eq!(c.len(), 9);
    // 2022-07-28 → 2022-10-20: the tenants-path twins go, and the others
    // lose their tenantId query parameter.
    let c = d("2022-07-28.36aab96a0.md", "2022-10-20.df915fc7a.md");
    assert_eq!(
        c.iter()
            .filter(|c| c.kind == ChangeKind::OperationRemoved)
            .count(),
        5
    );
    assert_eq!(
        c.iter()
            .filter(|c| c.kind == ChangeKind::QueryParamRemoved)
            .count(),
        5
    );
    // community-groups: the Claims-path operations and their definition go.
    let g = "fixtures/corpus/history/community-groups";
    let c = history_diff(
        Path::new(&format!("{g}/2023-07-27.abb66641d.md")),
        Path::new(&format!("{g}/2023-08-23.a94edf78a.md")),
    )
    .remove(0)
    .changes;
    let removed: Vec<&str> = c
        .iter()
        .filter(|c| c.kind == ChangeKind::OperationRemoved)
        .filter_map(|c| c.operation.as_deref())
        .collect();
    assert_eq!(removed.len(), 4);
    assert!(
        removed.iter().all(|op| op.contains("/Claims")),
        "{removed:?}"
    );
    one(
        &c,
        ChangeKind::DefinitionRemoved,
        "IdentityProviderClaim",
        None,
    );
}

#[test]
fn cli_fail_on_breaking_sets_the_exit_code() {
    let (code, stdout, stderr) =
        conform(&["diff", OLD, NEW, "--path-map", MAP, "--fail-on", "breaking"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("path parameter `tenantId` removed"),
        "{stdout}"
    );
    let (code, _, stderr) = conform(&["diff", OLD, NEW, "--path-map", MAP]);
    assert_eq!(code, 0, "without --fail-on a diff is a report: {stderr}");
    let (code, stdout, _) = conform(&["diff", OLD, OLD, "--fail-on", "breaking"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("no changes"), "{stdout}");
    // Only implementation breaks between these two.
    let dir = "fixtures/corpus/history/communities";
    let (a, b) = (
        format!("{dir}/2022-10-20.df915fc7a.md"),
        format!("{dir}/2023-01-20.8b7f69796.md"),
    );
    assert_eq!(conform(&["diff", &a, &b, "--fail-on", "clients"]).0, 0);
    assert_eq!(
        conform(&["diff", &a, &b, "--fail-on", "implementations"]).0,
        1
    );
}

#[test]
fn cli_usage_errors_exit_2() {
    let (code, _, stderr) = conform(&["diff", OLD, NEW, "--path-map", "no-equals-sign"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("OLD_PREFIX=NEW_PREFIX"), "{stderr}");
    let (code, _, stderr) = conform(&["diff", OLD, "specs/missing.md"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("specs/missing.md"), "{stderr}");
    assert_eq!(conform(&["diff", OLD, NEW, "--json", "--markdown"]).0, 2);
    assert_eq!(conform(&["diff", OLD, NEW, "--fail-on", "everything"]).0, 2);
    assert_eq!(conform(&["diff", OLD]).0, 2);
}

#[test]
fn cli_json_parses_and_carries_classes() {
    let (code, stdout, stderr) = conform(&["diff", "--json", OLD, NEW, "--path-map", MAP]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("JSON");
    let docs = doc["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["old"], OLD);
    let changes = docs[0]["changes"].as_array().unwrap();
    let alias = changes
        .iter()
        .find(|c| c["location"]["property"] == "Alias")
        .expect("Alias change");
    assert_eq!(alias["kind"], "response-property-removed");
    assert_eq!(alias["class"], "breaking-for-clients");
    assert!(alias["old_line"].as_u64().is_some());
    let total: u64 = [
        "breaking-for-clients",
        "breaking-for-implementations",
        "compatible",
        "informational",
    ]
    .iter()
    .map(|k| doc["summary"][k].as_u64().unwrap())
    .sum();
    assert_eq!(total as usize, changes.len());
}

#[test]
fn cli_pairs_directories_by_title_and_reports_the_unpaired() {
    // specs/ against itself pairs every document with itself: no changes.
    let (code, stdout, _) = conform(&["diff", "specs/", "specs/", "--fail-on", "breaking"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.matches("\n  no changes\n").count(), 5, "{stdout}");
    assert!(stdout.contains("5 document pairs: no changes"), "{stdout}");
    // The corpus history directory against one of its files: the file pairs
    // with its namesake by title, the rest show as removed operations.
    let (code, stdout, _) = conform(&[
        "diff",
        "fixtures/corpus/history/community-groups/",
        "fixtures/corpus/originals/community-groups.2023-08-23.md",
        "--json",
    ]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let docs = doc["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "{stdout}");
    assert!(docs[1]["new"].is_null());
}

#[test]
fn markdown_is_for_pull_requests() {
    let (code, stdout, _) = conform(&["diff", "--markdown", OLD, NEW, "--path-map", MAP]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("### Contract changes"));
    let clients = stdout.find("#### Breaking for clients").unwrap();
    let impls = stdout.find("#### Breaking for implementations").unwrap();
    assert!(clients < impls);
}

#[test]
fn readme_lists_every_change_kind_from_the_table() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let table = render::kinds_table();
    assert!(
        readme.contains(&table),
        "README.md must carry this table:\n{table}"
    );
}

/// A request line with 20,000 placeholders made `conform diff` write one
/// change per placeholder, each carrying the whole path: 6.3 GB of memory
/// and 1.6 GB of output. Labels are bounded, and past 20 changes of one
/// kind in one operation the rest are counted in one change.
#[test]
fn regression_many_renamed_placeholders_give_a_bounded_diff() {
    let doc = |name: &str| {
        let path: Vec<String> = (0..2000).map(|i| format!("p{i}/{{{name}{i}}}")).collect();
        format!(
            "# Big\n\n## `Get Thing`\n\n<a id=\"opIdBig_Get Thing\"></a>\n\n```text\nGET /api/{}\n```\n\n\
             ### Response\n\n| Status Code | Body Type | Description |\n|---|---|---|\n| 200 | string | ok |\n",
            path.join("/")
        )
    };
    let old = spec::parse_str("old.md", &doc("a"));
    let new = spec::parse_str("new.md", &doc("b"));
    let changes = conform::diff::compare(&old, &new, &Default::default());
    let renamed: Vec<_> = changes
        .iter()
        .filter(|c| c.kind.name() == "path-param-renamed")
        .collect();
    assert_eq!(renamed.len(), conform::diff::SAME_KIND_MAX + 1);
    assert!(
        renamed.last().unwrap().message.contains("and 1980 more"),
        "{}",
        renamed.last().unwrap().message
    );
    for c in &changes {
        let label = c.operation.as_deref().unwrap_or("");
        assert!(label.len() < 200, "{} bytes", label.len());
    }
}
