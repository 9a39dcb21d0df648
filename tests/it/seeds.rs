//! Exactness on the five seed documents: every operation's method, path,
//! parameters, statuses with body types, examples, request body and roles,
//! and every definition, as read by hand from the documents in `specs/`.

use conform::spec::{self, Contract, DefinitionKind, Dialect, TypeRef};
use serde_json::{json, Value};

struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    path_params: &'static [&'static str],
    /// (name, type, required)
    query: &'static [(&'static str, &'static str, bool)],
    /// (status, body type or "None")
    statuses: &'static [(u16, &'static str)],
    /// statuses that carry an example body
    examples: &'static [u16],
    /// members of the request body example, if one is documented
    body: Option<&'static [&'static str]>,
    roles: &'static [&'static str],
}

const E: &str = "ErrorResponse";
const PAGING: &[(&str, &str, bool)] = &[
    ("query", "string", false),
    ("skip", "integer", false),
    ("count", "integer", false),
];

fn load(name: &str) -> Contract {
    let path = format!("{}/specs/{name}", env!("CARGO_MANIFEST_DIR"));
    spec::load(std::path::Path::new(&path)).expect("seed reads")
}

fn check(c: &Contract, expected: &[Op]) {
    assert_eq!(
        c.operations.len(),
        expected.len(),
        "{}: operation count",
        c.source
    );
    for (op, want) in c.operations.iter().zip(expected) {
        let at = format!("{}: {} {}", c.source, want.method, want.path);
        assert_eq!(op.method.as_str(), want.method, "{at}");
        assert_eq!(op.path.as_str(), want.path, "{at}");
        assert_eq!(op.summary, want.summary, "{at}");
        let path_names: Vec<&str> = op.path_params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(path_names, want.path_params, "{at}: path params");
        assert!(
            op.path_params.iter().all(|p| p.required),
            "{at}: path params are required"
        );
        let query: Vec<(&str, String, bool)> = op
            .query_params
            .iter()
            .map(|p| (p.name.as_str(), p.ty.to_string(), p.required))
            .collect();
        let want_query: Vec<(&str, String, bool)> = want
            .query
            .iter()
            .map(|(n, t, r)| (*n, t.to_string(), *r))
            .collect();
        assert_eq!(query, want_query, "{at}: query params");
        let statuses: Vec<(u16, String)> = op
            .responses
            .iter()
            .map(|r| {
                (
                    r.status,
                    r.body
                        .as_ref()
                        .map(TypeRef::to_string)
                        .unwrap_or_else(|| "None".into()),
                )
            })
            .collect();
        let want_statuses: Vec<(u16, String)> = want
            .statuses
            .iter()
            .map(|(s, b)| (*s, b.to_string()))
            .collect();
        assert_eq!(statuses, want_statuses, "{at}: statuses");
        let with_examples: Vec<u16> = op
            .responses
            .iter()
            .filter(|r| r.example.is_some())
            .map(|r| r.status)
            .collect();
        assert_eq!(with_examples, want.examples, "{at}: examples");
        match (&op.request_body, want.body) {
            (None, None) => {}
            (Some(body), Some(keys)) => {
                let example = body
                    .example
                    .as_ref()
                    .and_then(Value::as_object)
                    .expect("request example is an object");
                let got: Vec<&str> = example.keys().map(String::as_str).collect();
                assert_eq!(got, keys, "{at}: request body members");
            }
            (got, want) => panic!("{at}: request body {got:?}, expected members {want:?}"),
        }
        assert_eq!(op.roles, want.roles, "{at}: roles");
    }
}

/// (name, Some(property count) for objects, or None for enums with these values)
fn check_definitions(c: &Contract, expected: &[(&str, Result<usize, Vec<Value>>)]) {
    let got: Vec<&str> = c.definitions.iter().map(|d| d.name.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
    assert_eq!(got, want, "{}: definitions", c.source);
    for (name, shape) in expected {
        let def = c.definition(name).unwrap();
        match (&def.kind, shape) {
            (DefinitionKind::Object { properties }, Ok(n)) => {
                assert_eq!(properties.len(), *n, "{}: {name} property count", c.source)
            }
            (DefinitionKind::Enum { values }, Err(want)) => {
                let got: Vec<Value> = values.iter().map(|v| v.value.clone()).collect();
                assert_eq!(&got, want, "{}: {name} values", c.source);
            }
            (kind, _) => panic!("{}: {name} has the wrong kind: {kind:?}", c.source),
        }
    }
}

fn strings(v: &[&str]) -> Vec<Value> {
    v.iter().map(|s| json!(s)).collect()
}

#[test]
fn seed_000_communities_v1() {
    let c = load("000_a2f21fb7a461d36e.txt");
    assert_eq!(c.dialect, Dialect::Markdown);
    assert_eq!(c.title.as_deref(), Some("Identity/communities"));
    assert_eq!(c.version.as_deref(), Some("v20210420.3"));
    const P: &str = "/api/v1/tenants/{tenantId}/Communities";
    const I: &str = "/api/v1/tenants/{tenantId}/Communities/{communityId}";
    check(
        &c,
        &[
            Op {
                method: "GET",
                path: P,
                summary: "List Communities a Tenant is joined to",
                path_params: &["tenantId"],
                query: &[],
                statuses: &[
                    (200, "Community[]"),
                    (400, E),
                    (401, "None"),
                    (403, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[200],
                body: None,
                roles: &["Tenant Member"],
            },
            Op {
                method: "POST",
                path: P,
                summary: "Create a new Community",
                path_params: &["tenantId"],
                query: &[],
                statuses: &[
                    (201, "Community"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (408, E),
                    (409, E),
                    (500, E),
                ],
                examples: &[201],
                body: Some(&["Name", "Description"]),
                roles: &["Tenant Administrator"],
            },
            Op {
                method: "GET",
                path: I,
                summary: "Get a Community by Id",
                path_params: &["tenantId", "communityId"],
                query: &[],
                statuses: &[
                    (200, "Community"),
                    (400, E),
                    (401, "None"),
                    (403, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[200],
                body: None,
                roles: &["Community Member", "Tenant Administrator"],
            },
            Op {
                method: "PUT",
                path: I,
                summary: "Update Community Info",
                path_params: &["tenantId", "communityId"],
                query: &[],
                statuses: &[
                    (200, "None"),
                    (400, E),
                    (401, E),
                    (404, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[400],
                body: Some(&["Name", "Description"]),
                roles: &["Community Administrator", "Tenant Administrator"],
            },
            Op {
                method: "DELETE",
                path: I,
                summary: "Delete a Community",
                path_params: &["tenantId", "communityId"],
                query: &[],
                statuses: &[
                    (204, "None"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[400],
                body: None,
                roles: &["Community Administrator", "Tenant Administrator"],
            },
        ],
    );
    check_definitions(
        &c,
        &[
            ("Community", Ok(8)),
            ("CommunityTenant", Ok(6)),
            (
                "CommunityTenantStatus",
                Err(strings(&[
                    "Undefined",
                    "AwaitingConfirmation",
                    "Paused",
                    "Active",
                    "Remove",
                ])),
            ),
            ("ErrorResponse", Ok(4)),
            ("CreateCommunityInput", Ok(2)),
            ("UpdateCommunityInput", Ok(2)),
        ],
    );
    let get = c
        .operation("Communities_Get a Community by Id")
        .expect("id from the opId anchor");
    assert_eq!(
        get.path_params[1].description.as_deref(),
        Some("X Mark identifier")
    );
    let create = &c.operations[1];
    let body = create.request_body.as_ref().unwrap();
    assert_eq!(body.description.as_deref(), Some("X Josh identifier"));
    assert_eq!(body.definition.as_deref(), Some("CreateCommunityInput"));
    assert_eq!(
        c.operations[3]
            .request_body
            .as_ref()
            .unwrap()
            .definition
            .as_deref(),
        Some("UpdateCommunityInput")
    );
    assert_eq!(
        create.response(409).unwrap().description,
        None,
        "a `None` description cell means no description"
    );
    let tenants = c
        .definition("Community")
        .unwrap()
        .property("Tenants")
        .unwrap();
    assert_eq!(tenants.ty.to_string(), "CommunityTenant[]");
    assert!(!tenants.required && tenants.nullable);
    let error = c.definition("ErrorResponse").unwrap();
    assert!(error.properties().iter().all(|p| p.required && !p.nullable));
    let example = &c.operations[0].response(200).unwrap().example;
    assert_eq!(
        example.as_ref().unwrap()[0]["Tenants"][0]["Status"],
        "Undefined"
    );
}

#[test]
fn seed_001_communities_preview_flat() {
    let c = load("001_4ff6fbce2b62a5ae.txt");
    assert_eq!(c.dialect, Dialect::Flat);
    assert_eq!(c.title.as_deref(), Some("Communities"));
    const P: &str = "/api/v1-preview/Communities";
    const I: &str = "/api/v1-preview/Communities/{communityId}";
    check(
        &c,
        &[
            Op {
                method: "GET",
                path: P,
                summary: "List Communities a Tenant is Joined to",
                path_params: &[],
                query: PAGING,
                statuses: &[
                    (200, "Community[]"),
                    (400, E),
                    (401, "None"),
                    (403, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[200],
                body: None,
                roles: &[],
            },
            Op {
                method: "POST",
                path: P,
                summary: "Create a New Community",
                path_params: &[],
                query: &[],
                statuses: &[
                    (201, "Community"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (408, E),
                    (409, E),
                    (500, E),
                ],
                examples: &[201],
                body: Some(&["Name", "Description", "PreferredRegionId", "ContactEmail"]),
                roles: &[],
            },
            Op {
                method: "GET",
                path: I,
                summary: "Get a Community by Id",
                path_params: &["communityId"],
                query: &[("resolveCompanyName", "boolean", false)],
                statuses: &[
                    (200, "Community"),
                    (400, E),
                    (401, "None"),
                    (403, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[200],
                body: None,
                roles: &[],
            },
            Op {
                method: "PUT",
                path: I,
                summary: "Update Community Info",
                path_params: &["communityId"],
                query: &[],
                statuses: &[(200, "None"), (400, E), (401, E), (404, E), (500, E)],
                examples: &[],
                body: Some(&["Name", "Description", "PreferredRegionId"]),
                roles: &[],
            },
            Op {
                method: "DELETE",
                path: I,
                summary: "Delete a Community",
                path_params: &["communityId"],
                query: &[],
                statuses: &[
                    (204, "None"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[],
                body: None,
                roles: &[],
            },
        ],
    );
    check_definitions(
        &c,
        &[
            ("Community", Ok(9)),
            ("CommunityTenant", Ok(9)),
            (
                "CommunityTenantStatus",
                Err(strings(&["None", "Paused", "Active"])),
            ),
            ("Role", Ok(7)),
            (
                "RoleScope",
                Err(vec![json!(0), json!(1), json!(2), json!(3)]),
            ),
            ("ErrorResponse", Ok(5)),
            ("CreateCommunityInput", Ok(4)),
            ("UpdateCommunityInput", Ok(3)),
        ],
    );
    // The scraper dropped the `email` type cell of ContactEmail.
    let email = c
        .definition("CreateCommunityInput")
        .unwrap()
        .property("ContactEmail")
        .unwrap();
    assert_eq!(email.ty.to_string(), "email");
    assert!(!email.required && email.nullable);
    assert!(email
        .description
        .as_deref()
        .unwrap()
        .starts_with("Contact email of a community owning tenant."));
    let repaired: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "table-row-repaired")
        .collect();
    assert_eq!(repaired.len(), 1, "{:?}", c.diagnostics);
    assert_eq!(repaired[0].line, 353);
    assert!(
        repaired[0].message.contains("ContactEmail") && repaired[0].message.contains("`email`")
    );
    let skip = &c.operations[0].query_params[1];
    assert_eq!(
        skip.description.as_deref(),
        Some("Parameter representing the zero-based offset of the first object to retrieve. If unspecified, a default value of 0 is used.")
    );
    assert_eq!(
        c.operations[0].query_params[0].description.as_deref(),
        Some("(not supported) Search string identifier.")
    );
    assert_eq!(
        c.operations[1]
            .request_body
            .as_ref()
            .unwrap()
            .description
            .as_deref(),
        Some("Community information to create")
    );
    assert_eq!(
        c.operations[0].id,
        "Communities_List Communities a Tenant is Joined to"
    );
}

#[test]
fn seed_002_community_roles() {
    let c = load("002_2560443aab952a1d.txt");
    assert_eq!(c.title.as_deref(), Some("Identity/communities-roles"));
    assert_eq!(c.version.as_deref(), Some("v20210324.1"));
    check(
        &c,
        &[Op {
            method: "GET",
            path: "/api/v1-preview/Communities/{communityId}/Roles",
            summary: "List instanced Roles for a Community",
            path_params: &["communityId"],
            query: PAGING,
            statuses: &[
                (200, "Role[]"),
                (400, E),
                (401, E),
                (403, E),
                (404, E),
                (500, E),
            ],
            examples: &[200],
            body: None,
            roles: &["Community Member", "Tenant Administrator"],
        }],
    );
    check_definitions(
        &c,
        &[
            ("Role", Ok(7)),
            (
                "RoleScope",
                Err(vec![json!(0), json!(1), json!(2), json!(3)]),
            ),
            ("ErrorResponse", Ok(4)),
        ],
    );
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn seed_003_community_groups_flat() {
    let c = load("003_99419b29eeac7fd1.txt");
    assert_eq!(c.dialect, Dialect::Flat);
    assert_eq!(c.title.as_deref(), Some("Community Groups"));
    const P: &str = "/api/v1-preview/Communities/{communityId}/Tenants/{tenantId}/IdentityProviders/{identityProviderId}/Groups";
    const I: &str = "/api/v1-preview/Communities/{communityId}/Tenants/{tenantId}/IdentityProviders/{identityProviderId}/Groups/{groupId}";
    const PP: &[&str] = &["communityId", "tenantId", "identityProviderId"];
    const IP: &[&str] = &["communityId", "tenantId", "identityProviderId", "groupId"];
    check(
        &c,
        &[
            Op {
                method: "GET",
                path: P,
                summary: "Get all groups for a given community",
                path_params: PP,
                query: PAGING,
                statuses: &[
                    (200, "IdentityProviderResultsOfIdentityProviderGroup"),
                    (207, "IdentityProviderGroupsMultiStatusResponse"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (500, E),
                ],
                examples: &[200],
                body: None,
                roles: &[],
            },
            Op {
                method: "HEAD",
                path: P,
                summary: "Get Count of Groups for a Community",
                path_params: PP,
                query: &[],
                statuses: &[
                    (200, "None"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (500, E),
                ],
                examples: &[],
                body: None,
                roles: &[],
            },
            Op {
                method: "PUT",
                path: I,
                summary: "Add Group to a Community",
                path_params: IP,
                query: &[],
                statuses: &[
                    (200, "IdentityProviderGroup"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (500, E),
                ],
                examples: &[200],
                body: None,
                roles: &[],
            },
            Op {
                method: "DELETE",
                path: I,
                summary: "Remove Group from a Community",
                path_params: IP,
                query: &[],
                statuses: &[
                    (204, "None"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (500, E),
                ],
                examples: &[],
                body: None,
                roles: &[],
            },
        ],
    );
    check_definitions(
        &c,
        &[
            ("ErrorResponse", Ok(5)),
            ("IdentityProviderResultsOfIdentityProviderGroup", Ok(2)),
            ("IdentityProviderGroup", Ok(4)),
            ("IdentityProviderGroupsMultiStatusResponse", Ok(5)),
            ("MultiStatusResponseChildError", Ok(7)),
        ],
    );
    // Run-together declarations: "Community identifier.string tenantId".
    let get = &c.operations[0];
    assert_eq!(
        get.path_params[0].description.as_deref(),
        Some("Community identifier.")
    );
    assert_eq!(
        get.path_params[1].description.as_deref(),
        Some("Tenant identifier.")
    );
    assert_eq!(
        c.operations[1].path_params[0].description.as_deref(),
        Some("Community identifier")
    );
    // The scraper dropped the name and type cells of the Email row.
    let group = c.definition("IdentityProviderGroup").unwrap();
    let names: Vec<&str> = group.properties().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Id", "Name", "Email", "IsClusterManagementAllowed"]);
    let email = group.property("Email").unwrap();
    assert_eq!(email.ty.to_string(), "email");
    assert!(!email.required && email.nullable);
    assert_eq!(
        email.description.as_deref(),
        Some("Email address of the IdentityProviderGroup")
    );
    let repaired: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "table-row-repaired")
        .collect();
    assert_eq!(repaired.len(), 1, "{:?}", c.diagnostics);
    assert_eq!(repaired[0].line, 154);
    assert!(repaired[0].message.contains("`Email`") && repaired[0].message.contains("`email`"));
    let status_code = c
        .definition("MultiStatusResponseChildError")
        .unwrap()
        .property("StatusCode")
        .unwrap();
    assert_eq!(status_code.ty.to_string(), "int32");
}

#[test]
fn seed_004_tenant_roles_nested_definitions() {
    let c = load("004_a50be14b8577b9a8.txt");
    assert_eq!(
        c.title.as_deref(),
        Some("Roles"),
        "no front-matter title: the first heading"
    );
    assert_eq!(c.version, None);
    const P: &str = "/api/v1/Tenants/{tenantId}/Roles";
    const I: &str = "/api/v1/Tenants/{tenantId}/Roles/{roleId}";
    const T: &[&str] = &["tenantId"];
    const TR: &[&str] = &["tenantId", "roleId"];
    const HEAD: &[(u16, &str)] = &[
        (200, "None"),
        (401, "None"),
        (403, "None"),
        (404, "None"),
        (500, "None"),
    ];
    const MEMBER: &[&str] = &["Tenant Member"];
    const ADMIN: &[&str] = &["Tenant Administrator"];
    const ROLE: &[&str] = &[
        "Id",
        "Name",
        "Description",
        "RoleScope",
        "TenantId",
        "CommunityId",
        "RoleTypeId",
    ];
    check(
        &c,
        &[
            Op {
                method: "GET",
                path: P,
                summary: "List Roles",
                path_params: T,
                query: PAGING,
                statuses: &[(200, "Role[]"), (401, E), (403, E), (404, E), (500, E)],
                examples: &[200],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "HEAD",
                path: P,
                summary: "Get Header for Roles",
                path_params: T,
                query: &[],
                statuses: HEAD,
                examples: &[],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "POST",
                path: P,
                summary: "Create Role on Tenant",
                path_params: T,
                query: &[],
                statuses: &[
                    (201, "Role"),
                    (302, "None"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (408, E),
                    (409, E),
                    (500, E),
                ],
                examples: &[201],
                body: Some(ROLE),
                roles: ADMIN,
            },
            Op {
                method: "GET",
                path: I,
                summary: "Get Role",
                path_params: TR,
                query: &[],
                statuses: &[(200, "Role"), (401, E), (403, E), (404, E), (500, E)],
                examples: &[200],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "HEAD",
                path: I,
                summary: "Get Header for a Given Role",
                path_params: TR,
                query: &[],
                statuses: HEAD,
                examples: &[],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "PUT",
                path: I,
                summary: "Update Role on Tenant",
                path_params: TR,
                query: &[],
                statuses: &[
                    (200, "Role"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[200],
                body: Some(ROLE),
                roles: ADMIN,
            },
            Op {
                method: "DELETE",
                path: I,
                summary: "Delete Tenant Role",
                path_params: TR,
                query: &[],
                statuses: &[
                    (204, "None"),
                    (400, E),
                    (401, E),
                    (403, E),
                    (404, E),
                    (408, E),
                    (500, E),
                ],
                examples: &[400],
                body: None,
                roles: ADMIN,
            },
            Op {
                method: "GET",
                path: "/api/v1/Tenants/{tenantId}/Roles/{roleId}/clientcredentialclients",
                summary: "List All Clients for a Given Role",
                path_params: TR,
                query: &[],
                statuses: &[
                    (200, "ClientCredentialClient[]"),
                    (401, "None"),
                    (403, "None"),
                    (404, "None"),
                    (500, "None"),
                ],
                examples: &[200],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "HEAD",
                path: "/api/v1/Tenants/{tenantId}/Roles/{roleId}/clientcredentialclients",
                summary: "Get Count of Clients for a Given Role",
                path_params: TR,
                query: &[],
                statuses: HEAD,
                examples: &[],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "GET",
                path: "/api/v1/Tenants/{tenantId}/Roles/{roleId}/users",
                summary: "List Users for a Given Role",
                path_params: TR,
                query: &[],
                statuses: &[
                    (200, "User[]"),
                    (401, "None"),
                    (403, "None"),
                    (404, "None"),
                    (500, "None"),
                ],
                examples: &[200],
                body: None,
                roles: MEMBER,
            },
            Op {
                method: "HEAD",
                path: "/api/v1/Tenants/{tenantId}/Roles/{roleId}/users",
                summary: "Get Total Count of Users for a Given Role",
                path_params: TR,
                query: &[],
                statuses: HEAD,
                examples: &[],
                body: None,
                roles: MEMBER,
            },
        ],
    );
    check_definitions(
        &c,
        &[
            ("Role", Ok(7)),
            (
                "RoleScope",
                Err(vec![json!(0), json!(1), json!(2), json!(3)]),
            ),
            ("ErrorResponse", Ok(4)),
            ("User", Ok(11)),
            ("ClientCredentialClient", Ok(6)),
        ],
    );
    let role_ids = c.definition("User").unwrap().property("RoleIds").unwrap();
    assert_eq!(
        role_ids.ty,
        TypeRef::Array(Box::new(TypeRef::Scalar("string".into())))
    );
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
}

#[test]
fn seeds_hold_26_operations_157_statuses_27_definitions() {
    let dir = format!("{}/specs", env!("CARGO_MANIFEST_DIR"));
    let all = spec::load_all(&[dir]).unwrap();
    assert_eq!(all.len(), 5);
    let ops: usize = all.iter().map(|c| c.operations.len()).sum();
    let pairs: usize = all
        .iter()
        .flat_map(|c| &c.operations)
        .map(|o| o.responses.len())
        .sum();
    let defs: usize = all.iter().map(|c| c.definitions.len()).sum();
    assert_eq!((ops, pairs, defs), (26, 157, 27));
    assert!(
        all.iter().all(|c| !c.has_errors()),
        "no seed has error diagnostics"
    );
}
