//! The embedded reference server over real HTTP: authorization, errors,
//! paging, counts, versions sharing a store, every fault, load, and hostile
//! clients.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use conform::mock::{self, Fault, Fixture, Limits, MockOptions, MockServer};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PREVIEW: &str = "/api/v1-preview/Communities";

struct Env {
    server: MockServer,
    client: reqwest::Client,
    admin: String,
    member: String,
    tenant: String,
    idp: String,
    group: String,
}

struct Resp {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn env_with(faults: Vec<Fault>, limits: Limits) -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let contracts = conform::spec::load_all(&["specs"]).expect("specs load");
    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin token").to_string();
    let member = fixture
        .tokens()
        .iter()
        .find(|t| t.token != admin)
        .expect("member token")
        .token
        .clone();
    let param = |name: &str| {
        fixture
            .params()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .expect("fixture param")
    };
    let (tenant, idp, group) = (
        param("tenantId"),
        param("identityProviderId"),
        param("groupId"),
    );
    let options = MockOptions {
        faults,
        ..MockOptions::default()
    };
    let server = mock::start_with(contracts, fixture, options, limits)
        .await
        .expect("server starts");
    Env {
        server,
        client: reqwest::Client::new(),
        admin,
        member,
        tenant,
        idp,
        group,
    }
}

async fn env(faults: Vec<Fault>) -> Env {
    env_with(faults, Limits::default()).await
}

impl Env {
    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
    ) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.server.url()));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_vec());
        }
        let resp = req.send().await.expect("request completes");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body reads");
        Resp {
            status,
            headers,
            text,
        }
    }

    async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let bytes = body.map(|b| b.to_string().into_bytes());
        self.send(method, path, Some(&self.admin), bytes.as_deref())
            .await
    }

    fn roles(&self) -> String {
        format!("/api/v1/Tenants/{}/Roles", self.tenant)
    }

    fn v1_communities(&self) -> String {
        format!("/api/v1/tenants/{}/Communities", self.tenant)
    }

    fn groups(&self, community: &str) -> String {
        format!(
            "{PREVIEW}/{community}/Tenants/{}/IdentityProviders/{}/Groups",
            self.tenant, self.idp
        )
    }

    async fn create_role(&self, name: &str) -> String {
        let r = self
            .admin(
                "POST",
                &self.roles(),
                Some(json!({"Name": name, "RoleScope": 1})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["Id"].as_str().expect("Id").to_string()
    }

    async fn create_community(&self, name: &str) -> String {
        let r = self
            .admin("POST", PREVIEW, Some(json!({"Name": name})))
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.json()["Id"].as_str().expect("Id").to_string()
    }
}

#[tokio::test]
async fn missing_or_unknown_tokens_get_401_and_members_403() {
    let e = env(vec![]).await;
    let roles = e.roles();
    let r = e.send("GET", &roles, None, None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["OperationId"], "Roles_List Roles");
    let r = e.send("GET", &roles, Some("not-a-token"), None).await;
    assert_eq!(r.status, 401);
    // 401 documented without a body: none is sent.
    let r = e.send("GET", &e.v1_communities(), None, None).await;
    assert_eq!((r.status, r.text.as_str()), (401, ""));

    // Tenant Member may list but not create roles.
    let r = e.send("GET", &roles, Some(&e.member), None).await;
    assert_eq!(r.status, 200);
    let body = br#"{"Name": "x"}"#;
    let r = e.send("POST", &roles, Some(&e.member), Some(body)).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = e.send("POST", &roles, Some(&e.admin), Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    // No roles listed: any valid token.
    let r = e.send("GET", PREVIEW, Some(&e.member), None).await;
    assert_eq!(r.status, 200);
    // Tokens never come back in answers.
    assert!(!r.text.contains(&e.member));
    e.server.shutdown().await;
}

#[tokio::test]
async fn unknown_ids_get_not_found_where_documented() {
    let e = env(vec![]).await;
    let missing = "11111111-2222-3333-4444-555555555555";
    let r = e
        .admin("GET", &format!("{}/{missing}", e.roles()), None)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["OperationId"], "Roles_Get Role");
    let r = e
        .admin(
            "PUT",
            &format!("{PREVIEW}/{missing}"),
            Some(json!({"Name": "n"})),
        )
        .await;
    assert_eq!(r.status, 404);
    // Get a Community documents 400 but no 404.
    let r = e.admin("GET", &format!("{PREVIEW}/{missing}"), None).await;
    assert_eq!(r.status, 400);
    // An unknown tenant, and an unknown parent of a nested collection.
    let r = e
        .admin("GET", &format!("/api/v1/Tenants/{missing}/Roles"), None)
        .await;
    assert_eq!(r.status, 404);
    let r = e
        .admin("GET", &format!("{}/{missing}/users", e.roles()), None)
        .await;
    assert_eq!(r.status, 404);
    let r = e.admin("GET", &e.groups(missing), None).await;
    assert_eq!(r.status, 404);
    // Undocumented paths and methods.
    let r = e.admin("GET", "/api/v1/Nowhere", None).await;
    assert_eq!(r.status, 404);
    let r = e.admin("PATCH", PREVIEW, None).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    e.server.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_get_400() {
    let e = env(vec![]).await;
    let roles = e.roles();
    let cases: [&[u8]; 6] = [
        b"{\"Name\": ",
        b"{\"Name\": 5}",
        b"{\"RoleScope\": 9}",
        b"[1, 2]",
        b"",
        b"{\"Name\": \"caf\xe9\"}",
    ];
    for body in cases {
        let r = e.send("POST", &roles, Some(&e.admin), Some(body)).await;
        assert_eq!(
            r.status,
            400,
            "{:?}: {}",
            String::from_utf8_lossy(body),
            r.text
        );
        let err = r.json();
        assert_eq!(err["OperationId"], "Roles_Create Role on Tenant");
        assert!(err["Error"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let r = e
        .send("POST", &roles, Some(&e.admin), Some(b"{\"Name\": 5}"))
        .await;
    assert!(
        r.json()["Error"].as_str().unwrap().contains("`/Name`"),
        "{}",
        r.text
    );
    let r = e
        .send(
            "POST",
            &roles,
            Some(&e.admin),
            Some(b"{\"Name\": \"caf\xe9\"}"),
        )
        .await;
    assert!(r.text.contains("UTF-8"), "{}", r.text);
    // Query parameters of the wrong type, where 400 is documented.
    let r = e.admin("GET", &format!("{PREVIEW}?skip=ten"), None).await;
    assert_eq!(r.status, 400);
    e.server.shutdown().await;
}

#[tokio::test]
async fn a_second_item_with_the_same_name_gets_409() {
    let e = env(vec![]).await;
    e.create_role("Operators").await;
    let r = e
        .admin("POST", &e.roles(), Some(json!({"Name": "Operators"})))
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    // Names of seeded items count too.
    let r = e
        .admin("POST", &e.roles(), Some(json!({"Name": "Tenant Member"})))
        .await;
    assert_eq!(r.status, 409);
    e.create_community("c").await;
    let r = e.admin("POST", PREVIEW, Some(json!({"Name": "c"}))).await;
    assert_eq!(r.status, 409);
    e.server.shutdown().await;
}

#[tokio::test]
async fn built_in_roles_cannot_be_deleted_but_created_ones_can() {
    let e = env(vec![]).await;
    let r = e.admin("GET", &e.roles(), None).await;
    let builtin = r.json()[0]["Id"].as_str().unwrap().to_string();
    let r = e
        .admin("DELETE", &format!("{}/{builtin}", e.roles()), None)
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.json()["Error"].as_str().unwrap().contains("built-in"));
    let r = e
        .admin("GET", &format!("{}/{builtin}", e.roles()), None)
        .await;
    assert_eq!(r.status, 200);

    let id = e.create_role("temporary").await;
    let r = e
        .admin("DELETE", &format!("{}/{id}", e.roles()), None)
        .await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
    let r = e.admin("GET", &format!("{}/{id}", e.roles()), None).await;
    assert_eq!(r.status, 404);
    let r = e
        .admin("DELETE", &format!("{}/{id}", e.roles()), None)
        .await;
    assert_eq!(r.status, 404);
    e.server.shutdown().await;
}

#[tokio::test]
async fn head_answers_the_count_without_a_body() {
    let e = env(vec![]).await;
    let r = e.admin("HEAD", &e.roles(), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("total-count"), Some("2"));
    assert_eq!(r.text, "");
    assert!(r.header("content-type").is_none());
    e.create_role("third").await;
    let r = e.admin("HEAD", &e.roles(), None).await;
    assert_eq!(r.header("total-count"), Some("3"));
    let listed = e.admin("GET", &e.roles(), None).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 3);

    // Users and clients of a role are counted from the fixture's RoleIds.
    let member_role = listed[1]["Id"].as_str().unwrap().to_string();
    let users = format!("{}/{member_role}/users", e.roles());
    let r = e.admin("HEAD", &users, None).await;
    assert_eq!(r.header("total-count"), Some("2"));
    let admin_role = listed[0]["Id"].as_str().unwrap().to_string();
    let r = e
        .admin("GET", &format!("{}/{admin_role}/users", e.roles()), None)
        .await;
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = e
        .admin(
            "HEAD",
            &format!("{}/{admin_role}/clientcredentialclients", e.roles()),
            None,
        )
        .await;
    assert_eq!(r.header("total-count"), Some("1"));
    e.server.shutdown().await;
}

#[tokio::test]
async fn lists_honour_skip_and_count() {
    let e = env(vec![]).await;
    for i in 0..5 {
        e.create_community(&format!("c{i}")).await;
    }
    let names = |r: Resp| -> Vec<String> {
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["Name"].as_str().unwrap().to_string())
            .collect()
    };
    let r = e
        .admin("GET", &format!("{PREVIEW}?skip=1&count=2"), None)
        .await;
    assert_eq!(r.header("total-count"), Some("5"));
    assert_eq!(names(r), ["c1", "c2"]);
    let r = e.admin("GET", &format!("{PREVIEW}?skip=4"), None).await;
    assert_eq!(names(r), ["c4"]);
    let r = e.admin("GET", &format!("{PREVIEW}?count=0"), None).await;
    assert!(names(r).is_empty());
    let r = e.admin("GET", &format!("{PREVIEW}?skip=9"), None).await;
    assert!(names(r).is_empty());
    for bad in ["skip=-1", "count=-5"] {
        let r = e.admin("GET", &format!("{PREVIEW}?{bad}"), None).await;
        assert_eq!(r.status, 400, "{bad}");
    }
    // List Roles documents no 400: a negative value falls back to the default.
    let r = e
        .admin("GET", &format!("{}?skip=-1", e.roles()), None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json().as_array().unwrap().len(), 2);

    // Default count is 100.
    for i in 0..100 {
        e.create_community(&format!("d{i}")).await;
    }
    let r = e.admin("GET", PREVIEW, None).await;
    assert_eq!(r.header("total-count"), Some("105"));
    assert_eq!(r.json().as_array().unwrap().len(), 100);
    e.server.shutdown().await;
}

#[tokio::test]
async fn groups_attach_to_a_community_and_go_with_it() {
    let e = env(vec![]).await;
    let c = e.create_community("with groups").await;
    let groups = e.groups(&c);
    let r = e.admin("GET", &groups, None).await;
    assert_eq!(r.json()["Results"], json!([]));
    let r = e.admin("PUT", &format!("{groups}/{}", e.group), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["Name"], "Operators");
    // Not a group of this identity provider, or no group at all.
    let other = "ef18f87c-ebc8-4b63-9268-b81d48ff83e2";
    let r = e.admin("PUT", &format!("{groups}/{other}"), None).await;
    assert_eq!(r.status, 404);
    let r = e.admin("HEAD", &groups, None).await;
    assert_eq!(r.header("total-count"), Some("1"));
    let r = e.admin("GET", &groups, None).await;
    assert_eq!(r.json()["Results"][0]["Id"], e.group.as_str());

    // Deleting the community removes its groups with it.
    let r = e.admin("DELETE", &format!("{PREVIEW}/{c}"), None).await;
    assert_eq!(r.status, 204);
    let r = e.admin("GET", &groups, None).await;
    assert_eq!(r.status, 404);

    // Removing one group.
    let c2 = e.create_community("again").await;
    let groups = e.groups(&c2);
    e.admin("PUT", &format!("{groups}/{}", e.group), None).await;
    let r = e
        .admin("DELETE", &format!("{groups}/{}", e.group), None)
        .await;
    assert_eq!(r.status, 204);
    let r = e.admin("HEAD", &groups, None).await;
    assert_eq!(r.header("total-count"), Some("0"));
    e.server.shutdown().await;
}

#[tokio::test]
async fn both_versions_of_communities_share_one_store() {
    let e = env(vec![]).await;
    let r = e
        .admin(
            "POST",
            &e.v1_communities(),
            Some(json!({"Name": "v1 made", "Description": "d"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.json();
    let id = created["Id"].as_str().unwrap().to_string();
    assert!(uuid_like(&id));
    assert!(created["DateCreated"]
        .as_str()
        .is_some_and(|d| d.ends_with('Z')));
    // The v1 Community has Alias; the preview one has MemberRoleId.
    assert!(created.get("Alias").is_some() && created.get("MemberRoleId").is_none());

    let r = e.admin("GET", &format!("{PREVIEW}/{id}"), None).await;
    assert_eq!(r.status, 200);
    let seen = r.json();
    assert_eq!(seen["Name"], "v1 made");
    assert!(seen.get("MemberRoleId").is_some() && seen.get("Alias").is_none());

    let r = e
        .admin(
            "PUT",
            &format!("{PREVIEW}/{id}"),
            Some(json!({"Name": "renamed"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = e
        .admin("GET", &format!("{}/{id}", e.v1_communities()), None)
        .await;
    assert_eq!(r.json()["Name"], "renamed");
    assert_eq!(r.json()["Description"], "d");
    let r = e.admin("GET", &e.v1_communities(), None).await;
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = e
        .admin("DELETE", &format!("{}/{id}", e.v1_communities()), None)
        .await;
    assert_eq!(r.status, 204);
    let r = e.admin("GET", PREVIEW, None).await;
    assert_eq!(r.json(), json!([]));
    e.server.shutdown().await;
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn requests_are_counted_by_method() {
    let e = env(vec![]).await;
    e.admin("GET", PREVIEW, None).await;
    e.admin("GET", PREVIEW, None).await;
    e.admin("HEAD", &e.roles(), None).await;
    e.send("BREW", PREVIEW, None, None).await;
    let seen = e.server.requests_by_method();
    let expected: BTreeMap<String, u64> = [("GET", 2), ("HEAD", 1), ("OTHER", 1)]
        .into_iter()
        .map(|(m, n)| (m.to_string(), n))
        .collect();
    assert_eq!(seen, expected);
    e.server.shutdown().await;
}

/// What a probe observed: status, one header and the body, enough to see
/// any fault's effect.
#[derive(Debug, PartialEq)]
struct Seen {
    status: u16,
    header: Option<String>,
    body: Value,
}

impl Seen {
    fn of(r: &Resp, header: &str) -> Seen {
        Seen {
            status: r.status,
            header: r.header(header).map(str::to_string),
            body: serde_json::from_str(&r.text).unwrap_or(Value::Null),
        }
    }
}

/// Runs the probe of a fault against a fresh server with or without it.
async fn probe(fault: Fault, on: bool) -> Seen {
    let e = env(if on { vec![fault] } else { vec![] }).await;
    let roles = e.roles();
    let builtin = "6394e8e7-e11a-42e7-ad19-2fd4f0dfd800";
    let seen = match fault {
        Fault::WrongSuccessStatus => {
            let r = e.admin("POST", &roles, Some(json!({"Name": "n"}))).await;
            Seen::of(&r, "content-type")
        }
        Fault::UndocumentedStatus | Fault::WrongFieldType | Fault::EnumOutOfSet => {
            let r = e.admin("GET", &format!("{roles}/{builtin}"), None).await;
            Seen::of(&r, "content-type")
        }
        Fault::MissingRequiredField => {
            let r = e.admin("GET", &format!("{roles}/nope"), None).await;
            Seen::of(&r, "content-type")
        }
        Fault::NullNotNullable => {
            let r = e.admin("POST", PREVIEW, Some(json!({"Name": "n"}))).await;
            let mut s = Seen::of(&r, "content-type");
            s.body["DateCreated"] = Value::Null;
            s.body["MemberRoleId"] = Value::Null;
            if s.body["Id"] != Value::Null {
                s.body["Id"] = json!("an id");
            }
            s
        }
        Fault::WrongContentType | Fault::ServerError => {
            let r = e.admin("GET", &roles, None).await;
            Seen::of(&r, "content-type")
        }
        Fault::HeadWithBody => {
            let r = e.admin("HEAD", &roles, None).await;
            let mut s = Seen::of(&r, "content-length");
            s.body = json!(r.header("content-type"));
            s
        }
        Fault::CountHeaderWrong => {
            let r = e.admin("HEAD", &roles, None).await;
            Seen::of(&r, "total-count")
        }
        Fault::CreateNotRetrievable => {
            let id = e.create_role("fresh").await;
            let r = e.admin("GET", &format!("{roles}/{id}"), None).await;
            Seen::of(&r, "x-none")
        }
        Fault::UpdateNotPersisted => {
            let id = e.create_role("before").await;
            let path = format!("{roles}/{id}");
            let r = e.admin("PUT", &path, Some(json!({"Name": "after"}))).await;
            assert_eq!(r.status, 200);
            let r = e.admin("GET", &path, None).await;
            Seen {
                status: r.status,
                header: None,
                body: r.json()["Name"].clone(),
            }
        }
        Fault::DeleteNotRemoving => {
            let id = e.create_role("doomed").await;
            let path = format!("{roles}/{id}");
            let r = e.admin("DELETE", &path, None).await;
            assert_eq!(r.status, 204);
            let r = e.admin("GET", &path, None).await;
            Seen::of(&r, "x-none")
        }
        Fault::ListOmitsCreated => {
            e.create_role("listed").await;
            let r = e.admin("GET", &roles, None).await;
            Seen::of(&r, "total-count")
        }
        Fault::PagingIgnored => {
            let r = e
                .admin("GET", &format!("{roles}?skip=1&count=1"), None)
                .await;
            Seen::of(&r, "x-none")
        }
        Fault::AnonymousAccepted => {
            let r = e.send("GET", &roles, None, None).await;
            Seen::of(&r, "x-none")
        }
        Fault::AllowedRoleRefused => {
            let r = e.send("GET", &roles, Some(&e.member), None).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = json!(r.status);
            s
        }
        Fault::UnknownTenantAccepted => {
            let other = "/api/v1/Tenants/0b6a4c52-7a8e-4d3c-9f2e-1a2b3c4d5e6f/Roles";
            let r = e.admin("GET", other, None).await;
            Seen::of(&r, "x-none")
        }
        Fault::InputRulesIgnored => {
            let r = e.admin("POST", &roles, Some(json!({"Name": "  "}))).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = json!(r.status);
            s
        }
        Fault::CreateAnswerDiffers => {
            let r = e.admin("POST", &roles, Some(json!({"Name": "made"}))).await;
            Seen {
                status: r.status,
                header: None,
                body: r.json()["Name"].clone(),
            }
        }
        Fault::PagingOverlaps => {
            let first = e
                .admin("GET", &format!("{roles}?skip=0&count=1"), None)
                .await;
            let second = e
                .admin("GET", &format!("{roles}?skip=1&count=1"), None)
                .await;
            let mut s = Seen::of(&second, "x-none");
            s.body = json!(first.json()[0]["Id"] == second.json()[0]["Id"]);
            s
        }
        Fault::CountWrongWhenEmpty => {
            let id = e.create_role("childless").await;
            let r = e.admin("HEAD", &format!("{roles}/{id}/users"), None).await;
            Seen::of(&r, "total-count")
        }
        Fault::EmptyNotFound => {
            let id = e.create_role("childless").await;
            let r = e.admin("GET", &format!("{roles}/{id}/users"), None).await;
            Seen::of(&r, "x-none")
        }
        Fault::NegativePagingAccepted => {
            let r = e.admin("GET", &format!("{PREVIEW}?skip=-1"), None).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = json!(r.status);
            s
        }
        Fault::ExistenceDisclosed => {
            // The community-only token holds none of the roles that may
            // read a tenant role.
            let r = e
                .send(
                    "GET",
                    &format!("{roles}/nope"),
                    Some("mock-community-5c1f7e9a3d"),
                    None,
                )
                .await;
            let mut s = Seen::of(&r, "x-none");
            s.body = json!(r.status);
            s
        }
        Fault::VersionsApart => {
            let made = e
                .admin("POST", PREVIEW, Some(json!({"Name": "apart"})))
                .await;
            let made: Value = serde_json::from_str(&made.text).unwrap_or(Value::Null);
            let id = made["Id"].as_str().unwrap_or("none");
            let v1 = roles.replace("/Roles", "/Communities");
            let r = e.admin("GET", &format!("{v1}/{id}"), None).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = json!(r.status);
            s
        }
        Fault::ReferenceDangling => {
            // A built-in role belongs to no community.
            let r = e.admin("GET", &format!("{roles}/{builtin}"), None).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = s.body["CommunityId"].clone();
            s
        }
        Fault::RejectedUpdateApplied => {
            let id = e.create_role("before").await;
            let path = format!("{roles}/{id}");
            let body = json!({"Name": "after", "Description": 12345});
            let r = e.admin("PUT", &path, Some(body)).await;
            assert_eq!(r.status, 400);
            let r = e.admin("GET", &path, None).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = r.json()["Name"].clone();
            s
        }
        Fault::PutNotIdempotent => {
            let id = e.create_role("first").await;
            let path = format!("{roles}/{id}");
            for _ in 0..2 {
                let r = e.admin("PUT", &path, Some(json!({"Name": "same"}))).await;
                assert_eq!(r.status, 200);
            }
            let r = e.admin("GET", &path, None).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = r.json()["Name"].clone();
            s
        }
        Fault::SecondDeleteSucceeds => {
            let id = e.create_role("twice").await;
            let path = format!("{roles}/{id}");
            assert_eq!(e.admin("DELETE", &path, None).await.status, 204);
            let r = e.admin("DELETE", &path, None).await;
            Seen::of(&r, "x-none")
        }
        Fault::MemberAllowedAdmin => {
            let body = br#"{"Name": "by a member"}"#;
            let r = e.send("POST", &roles, Some(&e.member), Some(body)).await;
            let mut s = Seen::of(&r, "x-none");
            s.body = json!(r.status);
            s
        }
    };
    e.server.shutdown().await;
    seen
}

#[tokio::test]
async fn every_fault_visibly_changes_behaviour() {
    for &fault in Fault::ALL {
        let clean = probe(fault, false).await;
        let faulty = probe(fault, true).await;
        assert_ne!(clean, faulty, "{fault} changed nothing");
        let ok = match fault {
            Fault::WrongSuccessStatus => clean.status == 201 && faulty.status == 200,
            Fault::UndocumentedStatus => faulty.status == 418,
            Fault::MissingRequiredField => {
                clean.body.get("OperationId").is_some() && faulty.body.get("OperationId").is_none()
            }
            Fault::WrongFieldType => faulty.body["Name"].is_number(),
            Fault::EnumOutOfSet => clean.body["RoleScope"] == 1 && faulty.body["RoleScope"] == 7,
            Fault::NullNotNullable => faulty.body["Id"].is_null() && !clean.body["Id"].is_null(),
            Fault::WrongContentType => faulty
                .header
                .as_deref()
                .is_some_and(|c| c.starts_with("text/plain")),
            Fault::ServerError => faulty.status == 500,
            Fault::HeadWithBody => {
                clean.header.as_deref() == Some("0")
                    && faulty.header.as_deref().is_some_and(|n| n != "0")
                    && faulty
                        .body
                        .as_str()
                        .is_some_and(|c| c.starts_with("application/json"))
            }
            Fault::CountHeaderWrong => faulty.header.as_deref() == Some("3"),
            Fault::CreateNotRetrievable => clean.status == 200 && faulty.status == 404,
            Fault::UpdateNotPersisted => clean.body == "after" && faulty.body == "before",
            Fault::DeleteNotRemoving => clean.status == 404 && faulty.status == 200,
            Fault::ListOmitsCreated => {
                clean.header.as_deref() == Some("3") && faulty.header.as_deref() == Some("2")
            }
            Fault::PagingIgnored => {
                clean.body.as_array().map(Vec::len) == Some(1)
                    && faulty.body.as_array().map(Vec::len) == Some(2)
            }
            Fault::AnonymousAccepted => clean.status == 401 && faulty.status == 200,
            Fault::MemberAllowedAdmin => clean.body == 403 && faulty.body == 201,
            Fault::AllowedRoleRefused => clean.body == 200 && faulty.body == 403,
            Fault::UnknownTenantAccepted => clean.status == 404 && faulty.status == 200,
            Fault::InputRulesIgnored => clean.body == 400 && faulty.body == 201,
            Fault::CreateAnswerDiffers => clean.body == "made" && faulty.body == "made-as-answered",
            Fault::PagingOverlaps => clean.body == false && faulty.body == true,
            Fault::CountWrongWhenEmpty => {
                clean.header.as_deref() == Some("0") && faulty.header.as_deref() == Some("1")
            }
            Fault::EmptyNotFound => clean.status == 200 && faulty.status == 404,
            Fault::NegativePagingAccepted => clean.body == 400 && faulty.body == 200,
            Fault::ExistenceDisclosed => clean.body == 403 && faulty.body == 404,
            Fault::VersionsApart => clean.body == 200 && faulty.body != 200,
            Fault::ReferenceDangling => clean.body.is_null() && faulty.body.is_string(),
            Fault::RejectedUpdateApplied => clean.body == "before" && faulty.body == "after",
            Fault::PutNotIdempotent => clean.body == "same" && faulty.body == "same-again",
            Fault::SecondDeleteSucceeds => clean.status == 404 && faulty.status == 204,
        };
        assert!(ok, "{fault}: clean {clean:?}, faulty {faulty:?}");
    }
}

/// 32 clients, 5,000 requests between them: creates, reads, updates,
/// lists, deletes. Nothing created may go missing or appear twice, counts
/// must agree, and nothing may answer 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_clients_five_thousand_requests_lose_nothing() {
    const CLIENTS: usize = 32;
    const PER_CLIENT: usize = 5_000 / CLIENTS + 1;
    let e = std::sync::Arc::new(env(vec![]).await);
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let e = e.clone();
        tasks.push(tokio::spawn(async move {
            let mut alive: Vec<(String, String)> = Vec::new();
            let mut deleted = Vec::new();
            let mut sent = 0;
            let mut server_errors = 0;
            let mut step = 0usize;
            while sent < PER_CLIENT {
                let roles = e.roles();
                let r = match step % 5 {
                    0 => {
                        let name = format!("client{c}-role{step}");
                        let r = e.admin("POST", &roles, Some(json!({"Name": name}))).await;
                        if r.status == 201 {
                            alive.push((r.json()["Id"].as_str().unwrap().to_string(), name));
                        }
                        r
                    }
                    1 | 2 if !alive.is_empty() => {
                        let (id, name) = &alive[step % alive.len()];
                        if step % 5 == 1 {
                            let r = e.admin("GET", &format!("{roles}/{id}"), None).await;
                            assert_eq!(r.json()["Name"].as_str(), Some(name.as_str()));
                            r
                        } else {
                            let r = e
                                .admin(
                                    "PUT",
                                    &format!("{roles}/{id}"),
                                    Some(json!({"Description": format!("step {step}")})),
                                )
                                .await;
                            assert_eq!(r.status, 200, "{}", r.text);
                            r
                        }
                    }
                    3 => {
                        e.admin("GET", &format!("{roles}?skip={}&count=10", step % 7), None)
                            .await
                    }
                    _ if alive.len() > 2 => {
                        let (id, _) = alive.remove(0);
                        let r = e.admin("DELETE", &format!("{roles}/{id}"), None).await;
                        assert_eq!(r.status, 204, "{}", r.text);
                        deleted.push(id);
                        r
                    }
                    _ => e.admin("HEAD", &roles, None).await,
                };
                if r.status >= 500 {
                    server_errors += 1;
                }
                sent += 1;
                step += 1;
            }
            (alive, deleted, sent, server_errors)
        }));
    }
    let mut alive = Vec::new();
    let mut deleted = Vec::new();
    let (mut sent, mut server_errors) = (0, 0);
    for t in tasks {
        let (a, d, s, f) = t.await.expect("client task");
        alive.extend(a);
        deleted.extend(d);
        sent += s;
        server_errors += f;
    }
    assert!(sent >= 5_000, "{sent}");
    assert_eq!(server_errors, 0);
    assert!(!deleted.is_empty() && !alive.is_empty());

    let roles = e.roles();
    for (id, name) in &alive {
        let r = e.admin("GET", &format!("{roles}/{id}"), None).await;
        assert_eq!(r.status, 200, "{id} went missing");
        assert_eq!(r.json()["Name"].as_str(), Some(name.as_str()));
    }
    for id in &deleted {
        let r = e.admin("GET", &format!("{roles}/{id}"), None).await;
        assert_eq!(r.status, 404, "{id} came back");
    }
    let r = e.admin("HEAD", &roles, None).await;
    let seeded = 2;
    assert_eq!(
        r.header("total-count"),
        Some((alive.len() + seeded).to_string().as_str())
    );
    let r = e.admin("GET", &format!("{roles}?count=100000"), None).await;
    let listed: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["Id"].as_str().unwrap().to_string())
        .collect();
    let unique: HashSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "an item is listed twice");
    assert_eq!(listed.len(), alive.len() + seeded);
    for (id, _) in &alive {
        assert!(unique.contains(id), "{id} missing from the list");
    }
    let counted: u64 = e.server.requests_by_method().values().sum();
    assert!(counted >= sent as u64);
}

fn short_limits() -> Limits {
    Limits {
        header_read: Duration::from_millis(300),
        body_read: Duration::from_millis(300),
        max_connections: 64,
    }
}

#[tokio::test]
async fn oversize_and_invalid_bodies_get_400() {
    let e = env(vec![]).await;
    let big = format!("{{\"Name\": \"{}\"}}", "x".repeat(2 << 20));
    let r = e
        .send("POST", &e.roles(), Some(&e.admin), Some(big.as_bytes()))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["Error"].as_str().unwrap().contains("too large"));
    let r = e
        .send("POST", &e.roles(), Some(&e.admin), Some(b"\xff\xfe{}"))
        .await;
    assert_eq!(r.status, 400);
    // The server is still there.
    let r = e.admin("GET", &e.roles(), None).await;
    assert_eq!(r.status, 200);
    e.server.shutdown().await;
}

async fn raw(url: &str) -> tokio::net::TcpStream {
    let addr = url.trim_start_matches("http://");
    tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects")
}

/// Writes raw bytes on a new connection and returns the first chunk of the
/// answer, which must come within five seconds.
async fn first_answer(url: &str, request: &str) -> String {
    let mut s = raw(url).await;
    s.write_all(request.as_bytes())
        .await
        .expect("request written");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("an answer in time")
        .expect("the answer reads");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_the_server_carries_on() {
    let e = env_with(vec![], short_limits()).await;

    // Headers trickled in: the connection is closed, with no answer.
    let mut s = raw(e.server.url()).await;
    s.write_all(b"GET /api/v1-preview/Communities HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection stayed open");
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));

    // A body that stops half way: 408, which Create Role documents.
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"Na",
        e.roles(),
        e.admin
    );
    let answer = first_answer(e.server.url(), &head).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(!answer.contains(&e.admin), "the token came back");

    let r = e.admin("GET", &e.roles(), None).await;
    assert_eq!(r.status, 200);
    e.server.shutdown().await;
}

#[tokio::test]
async fn a_declared_oversize_body_is_refused_before_it_is_sent() {
    let e = env(vec![]).await;
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 99999999999\r\n\r\n",
        e.roles(),
        e.admin
    );
    let answer = first_answer(e.server.url(), &head).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    e.server.shutdown().await;
}

#[tokio::test]
async fn garbage_on_the_wire_never_stops_the_server() {
    let e = env_with(vec![], short_limits()).await;
    let junk: [&[u8]; 4] = [
        b"\x00\x01\x02\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /%ff%fe/../\xff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /api/v1-preview/Communities HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ];
    for j in junk {
        let mut s = raw(e.server.url()).await;
        let _ = s.write_all(j).await;
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(3), s.read_to_end(&mut buf)).await;
    }
    let r = e.admin("GET", PREVIEW, None).await;
    assert_eq!(r.status, 200);
    e.server.shutdown().await;
}

#[tokio::test]
async fn browser_preflights_are_answered_for_any_origin_and_401_names_bearer() {
    let e = env(Vec::new()).await;
    let resp = e
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}{}", e.server.url(), e.roles()),
        )
        .header("origin", "http://app.test")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("preflight");
    assert_eq!(resp.status().as_u16(), 200);
    let h = resp.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(h["access-control-allow-methods"], "POST");
    assert_eq!(
        h["access-control-allow-headers"],
        "authorization, content-type"
    );
    let r = e.send("GET", &e.roles(), None, None).await;
    assert_eq!(r.status, 401);
    assert!(r
        .header("www-authenticate")
        .is_some_and(|v| v.starts_with("Bearer")));
    let r = e.send("GET", &e.roles(), Some(&e.admin), None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("www-authenticate").is_none());
}

#[tokio::test]
async fn cors_restricted_to_an_origin_refuses_others_and_off_means_405() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let contracts = conform::spec::load_all(&["specs"]).expect("specs load");
    let preflight = |url: String, origin: &'static str| async move {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("{url}{PREVIEW}"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
            .await
            .expect("preflight")
    };
    let options = MockOptions {
        cors: mock::Cors::Origins(vec!["https://app.test".into()]),
        ..MockOptions::default()
    };
    let server = mock::start(contracts.clone(), Fixture::builtin(), options)
        .await
        .expect("starts");
    let ok = preflight(server.url().to_string(), "https://app.test").await;
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://app.test"
    );
    let other = preflight(server.url().to_string(), "https://evil.test").await;
    assert!(other.headers().get("access-control-allow-origin").is_none());
    server.shutdown().await;
    let options = MockOptions {
        cors: mock::Cors::Off,
        ..MockOptions::default()
    };
    let server = mock::start(contracts, Fixture::builtin(), options)
        .await
        .expect("starts");
    let off = preflight(server.url().to_string(), "https://app.test").await;
    assert_eq!(off.status().as_u16(), 405);
    server.shutdown().await;
}

/// Regression: `count=%31` was read as the text `%31` and ignored, so the
/// whole list came back.
#[tokio::test]
async fn regression_percent_encoded_query_values_were_ignored() {
    let e = env(vec![]).await;
    for i in 0..3 {
        e.create_community(&format!("c{i}")).await;
    }
    let r = e
        .admin("GET", &format!("{PREVIEW}?%73kip=%31&count=%31"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let names: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["c1"]);
    e.server.shutdown().await;
}

/// Regression: path segments were never percent-decoded, so an id with
/// one character encoded (`%30` for `0`, `%2d` for `-`) named nothing.
#[tokio::test]
async fn regression_percent_encoded_id_characters_did_not_reach_the_item() {
    let e = env(vec![]).await;
    let id = e.create_community("encoded").await;
    let first = id.chars().next().expect("an id");
    let encoded = [
        format!("%{:02X}{}", first as u32, &id[1..]),
        id.replacen('-', "%2d", 1),
        id.replace('-', "%2D"),
    ];
    for path in &encoded {
        let r = e.admin("GET", &format!("{PREVIEW}/{path}"), None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert_eq!(r.json()["Id"], id.as_str(), "{path}");
    }
    // Decoded once: `%2530` is the text `%30`, which names nothing, and the
    // error echoes the decoded value.
    let twice = format!("%25{:02X}{}", first as u32, &id[1..]);
    let r = e.admin("GET", &format!("{PREVIEW}/{twice}"), None).await;
    assert!(matches!(r.status, 400 | 404), "{}", r.text);
    let shown = format!("%{:02X}{}", first as u32, &id[1..]);
    assert!(
        r.json()["Error"].as_str().unwrap().contains(&shown),
        "{}",
        r.text
    );
    // A change through the encoded path reaches the same item.
    let r = e
        .admin("DELETE", &format!("{PREVIEW}/{}", encoded[1]), None)
        .await;
    assert!((200..300).contains(&r.status), "{}", r.text);
    let r = e.admin("GET", &format!("{PREVIEW}/{id}"), None).await;
    assert_ne!(r.status, 200, "{}", r.text);
    e.server.shutdown().await;
}

/// A server whose fixture lists namespace values that need encoding: a
/// space and a slash.
async fn namespaces_env() -> (MockServer, String, String) {
    let contracts = conform::spec::load_all(&[
        "specs",
        "fixtures/corpus/family/sequential-data-store/sds-streams.md",
    ])
    .expect("documents load");
    namespaces_server(contracts).await
}

async fn namespaces_server(
    contracts: Vec<conform::spec::Contract>,
) -> (MockServer, String, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let text = Fixture::builtin_text().replacen(
        "[params]\n",
        "[params]\nnamespaceId = [\"my ns\", \"a/b\"]\n",
        1,
    );
    let fixture = Fixture::parse("namespaces.toml", &text).expect("fixture parses");
    let admin = fixture.admin_token().expect("admin").to_string();
    let (_, tenant) = fixture
        .params()
        .into_iter()
        .find(|(n, _)| n == "tenantId")
        .expect("tenantId");
    let server = mock::start_with(
        contracts,
        fixture,
        MockOptions::default(),
        Limits::default(),
    )
    .await
    .expect("server starts");
    let streams = format!("{}/api/v1/Tenants/{tenant}/Namespaces", server.url());
    (server, admin, streams)
}

#[tokio::test]
async fn a_fixture_value_with_a_space_is_reachable_percent_encoded() {
    let (server, admin, namespaces) = namespaces_env().await;
    let get = |path: String| {
        let admin = admin.clone();
        async move {
            let r = reqwest::Client::new()
                .get(path)
                .bearer_auth(admin)
                .send()
                .await
                .expect("request completes");
            (r.status().as_u16(), r.text().await.expect("body"))
        }
    };
    for ns in ["my%20ns", "My%20NS", "my%20%6Es"] {
        let (status, text) = get(format!("{namespaces}/{ns}/Streams")).await;
        assert_eq!(status, 200, "{ns}: {text}");
    }
    // The value the fixture does not list is refused, named decoded.
    let (status, text) = get(format!("{namespaces}/other%20ns/Streams")).await;
    assert_eq!(status, 404, "{text}");
    assert!(
        text.contains("namespaceId other ns was not found"),
        "{text}"
    );
    server.shutdown().await;
}

/// The suite fills the value it is handed (`my ns`) and the runner
/// encodes it: every case passes once the server decodes it again.
#[tokio::test]
async fn a_suite_handed_a_value_with_a_space_passes_against_the_server() {
    let contracts =
        conform::spec::load_all(&["fixtures/corpus/family/sequential-data-store/sds-streams.md"])
            .expect("document loads");
    let (server, _, _) = namespaces_server(contracts.clone()).await;
    let (cases, engine) = crate::common::planned_engine(&contracts, &server, false, "paths");
    let outcomes = engine.execute_all(&cases, 4).await;
    use conform::run::outcome::CaseStatus;
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| o.status == CaseStatus::Failed)
        .map(|o| format!("{}\n{}", o.name, conform::report::console::failure(o)))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    let passed = outcomes
        .iter()
        .filter(|o| o.status == CaseStatus::Passed)
        .count();
    assert!(passed > 5, "{passed} of {} passed", outcomes.len());
    server.shutdown().await;
}

#[tokio::test]
async fn an_encoded_slash_stays_inside_its_segment() {
    let (server, admin, namespaces) = namespaces_env().await;
    let client = reqwest::Client::new();
    for ns in ["a%2Fb", "a%2fb"] {
        let r = client
            .get(format!("{namespaces}/{ns}/Streams"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("request completes");
        assert_eq!(r.status().as_u16(), 200, "{ns}");
    }
    // Unencoded, the slash splits the path, which then names no operation.
    let r = client
        .get(format!("{namespaces}/a/b/Streams"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request completes");
    assert_eq!(r.status().as_u16(), 404);
    let text = r.text().await.expect("body");
    assert!(text.contains("no documented operation"), "{text}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_segment_that_is_not_utf8_once_decoded_answers_400_naming_it() {
    let e = env(vec![]).await;
    for path in [format!("{PREVIEW}/%FF%FE"), format!("{}/%C3%28", e.roles())] {
        let r = e.admin("GET", &path, None).await;
        assert_eq!(r.status, 400, "{path}: {}", r.text);
        let error = r.json()["Error"].as_str().expect("Error").to_string();
        let segment = path.rsplit('/').next().unwrap();
        assert!(error.contains(&format!("`{segment}`")), "{error}");
        assert!(error.contains("not UTF-8"), "{error}");
    }
    // A literal that is not UTF-8 names no operation.
    let r = e.admin("GET", "/api/v1-preview/Communit%FFies", None).await;
    assert_eq!(r.status, 404, "{}", r.text);
    e.server.shutdown().await;
}

#[tokio::test]
async fn prefer_code_answers_each_documented_status_with_its_example() {
    let e = env(vec![]).await;
    let contracts = conform::spec::load_all(&["specs"]).expect("specs load");
    let op = contracts
        .iter()
        .flat_map(|c| &c.operations)
        .find(|o| {
            o.method == conform::spec::Method::Get
                && o.path.matches(&format!("{PREVIEW}/no-such-id")).is_some()
        })
        .expect("the operation");
    let url = format!("{}{PREVIEW}/no-such-id", e.server.url());
    let prefer = |value: String| {
        let req = e.client.get(&url).header("prefer", value);
        async move {
            let r = req.send().await.expect("answer");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.ok())
        }
    };
    assert!(op.responses.len() > 2);
    for documented in &op.responses {
        let (status, body) = prefer(format!("code={}", documented.status)).await;
        assert_eq!(status, documented.status);
        if let Some(example) = &documented.example {
            assert_eq!(body.as_ref(), Some(example), "{status}");
        }
    }
    let (status, body) = prefer("code=200, example=generated".into()).await;
    assert_eq!(status, 200);
    assert!(body.expect("a body")["Id"].is_string());
    let (status, body) = prefer("code=418".into()).await;
    assert_eq!(status, 400);
    let listed: Vec<u64> = op.responses.iter().map(|r| u64::from(r.status)).collect();
    assert_eq!(body.expect("a body")["Documented"], json!(listed));
    let (status, body) = prefer("code=200; example=nope".into()).await;
    assert_eq!(status, 400);
    assert_eq!(
        body.expect("a body")["Documented"],
        json!(["documented", "generated"])
    );
    e.server.shutdown().await;
}

/// 400 creates with 900 KB names took the server from 8 MB to 361 MB, and
/// its item cap alone would have allowed about 88 GB: stored data has a
/// byte budget, and creates past it get a documented refusal.
#[tokio::test]
async fn regression_stored_data_is_bounded_by_a_byte_budget() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let contracts = conform::spec::load_all(&["specs"]).expect("specs load");
    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let options = MockOptions {
        store_bytes: 64 * 1024,
        ..MockOptions::default()
    };
    let server = mock::start_with(contracts, fixture, options, Limits::default())
        .await
        .expect("server starts");
    let client = reqwest::Client::new();
    let name = "n".repeat(20 * 1024);
    let mut statuses = Vec::new();
    for i in 0..8 {
        let resp = client
            .post(format!("{}{PREVIEW}", server.url()))
            .bearer_auth(&admin)
            .json(&json!({"Name": format!("{name}{i}")}))
            .send()
            .await
            .expect("request");
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(&statuses[..3], [201, 201, 201], "{statuses:?}");
    assert!(
        statuses[3..].iter().all(|s| *s == 400),
        "past 64 KB creates are refused with the documented 400: {statuses:?}"
    );
    // Reads still work, and deleting frees room.
    let list = client
        .get(format!("{}{PREVIEW}", server.url()))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("list");
    assert_eq!(list.status().as_u16(), 200);
    server.shutdown().await;
}

/// `GET ?count=1000000` built a 540 MB body: pages are capped at 1,000
/// items whatever `count` asks for, and a list that documents no `count`
/// answers up to that cap rather than stopping at 100.
#[tokio::test]
async fn regression_pages_are_capped_and_lists_without_count_are_whole() {
    let e = env(Vec::new()).await;
    let roles = format!("/api/v1/Tenants/{}/Roles", e.tenant);
    for i in 0..1005 {
        let r = e
            .admin("POST", &roles, Some(json!({"Name": format!("r{i}")})))
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let page = e
        .admin("GET", &format!("{roles}?count=1000000"), None)
        .await;
    assert_eq!(page.status, 200);
    let items = page.json().as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(items, 1000, "capped");
    let total: usize = page
        .header("Total-Count")
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    assert!(total > 1000, "the count header still tells the whole size");
    e.server.shutdown().await;
}

/// Regression: past the connection cap, idle connections locked new
/// clients out until their header timeout ran (about 10 s).
#[tokio::test]
async fn idle_connections_past_the_cap_are_shed_and_a_new_client_is_served_promptly() {
    let limits = Limits {
        max_connections: 16,
        ..Limits::default()
    };
    let e = env_with(vec![], limits).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(raw(e.server.url()).await);
    }
    // Let the accept loop take them all in.
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Locked out, a new client waited about 10 s (the idle timeout).
    let r = tokio::time::timeout(Duration::from_secs(3), e.admin("GET", &e.roles(), None))
        .await
        .expect("the new client is served before the idle ones time out");
    assert_eq!(r.status, 200);
    // The oldest idle connection was the one closed.
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(3), idle[0].read(&mut byte))
        .await
        .expect("the oldest idle connection is closed");
    assert_eq!(read.unwrap_or(0), 0);
    e.server.shutdown().await;
}

/// A trailing slash answered 404 where the services read the same path.
#[tokio::test]
async fn regression_a_trailing_slash_was_not_found() {
    let e = env(vec![]).await;
    let plain = e.admin("GET", &e.roles(), None).await;
    let slashed = e.admin("GET", &format!("{}/", e.roles()), None).await;
    assert_eq!(plain.status, 200);
    assert_eq!(slashed.status, 200, "{}", slashed.text);
    assert_eq!(plain.json(), slashed.json());
    // One slash only: an empty segment is no path of the docs.
    let doubled = e.admin("GET", &format!("{}//", e.roles()), None).await;
    assert_eq!(doubled.status, 404, "{}", doubled.text);
    e.server.shutdown().await;
}
