//! `conform mock --proxy`: a fake upstream in-process that breaks one rule
//! of the Roles document at a time (chosen by the `x-fake` request header),
//! behind the validation proxy with and without `--proxy-errors`.

use std::io::Read;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use conform::mock::{self, Fixture, MockOptions, MockServer, ProxyOptions, ProxyRecord};
use serde_json::{json, Value};

const ROLE: &str = "/api/v1/Tenants/t1/Roles/r1";
const ROLES: &str = "/api/v1/Tenants/t1/Roles";
const TOKEN: &str = "s3cret-proxy-token";

/// What the upstream saw of the last request: its Authorization header and
/// body.
#[derive(Default)]
struct Seen {
    authorization: Option<String>,
    body: Vec<u8>,
    query: Option<String>,
}

/// Starts the fake upstream; returns its base URL and what it saw.
async fn upstream() -> (String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = seen.clone();
    let app = Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            async move {
                {
                    let mut s = record.lock().unwrap();
                    s.authorization = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    s.body = body.to_vec();
                    s.query = uri.query().map(str::to_string);
                }
                let mode = headers
                    .get("x-fake")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("ok")
                    .to_string();
                answer(&mode).await
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn role() -> Value {
    json!({"Id": "r1", "Name": "n", "RoleScope": 1, "TenantId": null})
}

/// The upstream's answer for each way of breaking the docs.
async fn answer(mode: &str) -> Response {
    let json_ct = [("content-type", "application/json")];
    match mode {
        "teapot" => (StatusCode::IM_A_TEAPOT, json_ct, role().to_string()).into_response(),
        "bad-body" => (
            StatusCode::OK,
            json_ct,
            json!({"Id": "r1", "Name": 5, "RoleScope": 7}).to_string(),
        )
            .into_response(),
        "text" => (
            StatusCode::OK,
            [("content-type", "text/plain")],
            role().to_string(),
        )
            .into_response(),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            (StatusCode::OK, json_ct, role().to_string()).into_response()
        }
        "gzip" => (
            StatusCode::OK,
            [
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
            ],
            vec![0x1f_u8, 0x8b, 0x08, 0x00],
        )
            .into_response(),
        "created" => (StatusCode::CREATED, json_ct, role().to_string()).into_response(),
        _ => (
            StatusCode::OK,
            [
                ("content-type", "application/json"),
                ("x-upstream", "yes"),
                ("etag", "\"v1\""),
            ],
            role().to_string(),
        )
            .into_response(),
    }
}

async fn proxy(upstream: &str, errors: bool) -> MockServer {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let contracts =
        conform::spec::load_all(&["specs/004_a50be14b8577b9a8.txt"]).expect("roles loads");
    let options = MockOptions {
        proxy: Some(ProxyOptions {
            errors,
            timeout: Duration::from_millis(500),
            ..ProxyOptions::new(upstream)
        }),
        ..MockOptions::default()
    };
    mock::start(contracts, Fixture::builtin(), options)
        .await
        .expect("proxy starts")
}

struct Got {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

async fn send(
    server: &MockServer,
    method: &str,
    path: &str,
    fake: &str,
    body: Option<Value>,
) -> Got {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", server.url()))
        .bearer_auth(TOKEN)
        .header("x-fake", fake);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("the proxy answers");
    Got {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.text().await.expect("body"),
    }
}

fn last(server: &MockServer) -> ProxyRecord {
    server.proxy_records().pop().expect("a record")
}

/// The one violation of the last record, by check name, with its line.
fn only_violation(server: &MockServer, check: &str) -> String {
    let r = last(server);
    assert_eq!(r.violations.len(), 1, "{r:?}");
    let v = &r.violations[0];
    assert_eq!(v.check, check, "{r:?}");
    assert!(
        v.location.starts_with("specs/004_a50be14b8577b9a8.txt:"),
        "{v:?}"
    );
    let line: usize = v.location.rsplit(':').next().unwrap().parse().unwrap();
    assert!(line > 0);
    let lines = r.log_lines();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].contains(check) && lines[0].contains(&v.location),
        "{lines:?}"
    );
    assert!(!lines[0].contains(TOKEN), "{lines:?}");
    v.message.clone()
}

#[tokio::test]
async fn a_conforming_upstream_passes_through_untouched() {
    let (url, seen) = upstream().await;
    let server = proxy(&url, true).await;
    let got = send(&server, "GET", &format!("{ROLE}?x=1%202"), "ok", None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.headers["x-upstream"], "yes");
    assert_eq!(got.headers["etag"], "\"v1\"");
    assert_eq!(got.headers["content-type"], "application/json");
    assert_eq!(serde_json::from_str::<Value>(&got.body).unwrap(), role());
    let r = last(&server);
    assert!(r.violations.is_empty(), "{r:?}");
    assert!(r.log_lines().is_empty());
    assert!(
        r.operation.as_deref().unwrap().ends_with("Roles_Get Role"),
        "{r:?}"
    );
    // The credentials and the query reach the upstream as sent.
    let (authorization, query) = {
        let s = seen.lock().unwrap();
        (s.authorization.clone(), s.query.clone())
    };
    assert_eq!(authorization, Some(format!("Bearer {TOKEN}")));
    assert_eq!(query.as_deref(), Some("x=1%202"));
    server.shutdown().await;
}

#[tokio::test]
async fn an_undocumented_status_is_logged_with_the_operation_line_and_502_under_errors() {
    let (url, _) = upstream().await;
    let server = proxy(&url, false).await;
    let got = send(&server, "GET", ROLE, "teapot", None).await;
    assert_eq!(got.status, 418, "without --proxy-errors the answer passes");
    let message = only_violation(&server, "status_documented");
    assert!(message.contains("418 is not documented"), "{message}");
    server.shutdown().await;

    let server = proxy(&url, true).await;
    let got = send(&server, "GET", ROLE, "teapot", None).await;
    assert_eq!(got.status, 502);
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["Violations"][0]["check"], "status_documented");
    assert!(body["Violations"][0]["location"]
        .as_str()
        .unwrap()
        .starts_with("specs/004_a50be14b8577b9a8.txt:"));
    server.shutdown().await;
}

#[tokio::test]
async fn a_body_breaking_the_response_schema_is_logged_at_the_status_row() {
    let (url, _) = upstream().await;
    let server = proxy(&url, true).await;
    let got = send(&server, "GET", ROLE, "bad-body", None).await;
    assert_eq!(got.status, 502);
    let message = only_violation(&server, "response_schema");
    assert!(message.contains("at `/Name`"), "{message}");
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["Violations"][0]["check"], "response_schema");
    server.shutdown().await;
}

#[tokio::test]
async fn a_json_body_labelled_as_text_is_a_content_type_violation() {
    let (url, _) = upstream().await;
    let server = proxy(&url, true).await;
    let got = send(&server, "GET", ROLE, "text", None).await;
    assert_eq!(got.status, 502);
    let r = last(&server);
    assert!(
        r.violations.iter().any(|v| v.check == "content_type"),
        "{r:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_request_body_breaking_the_input_schema_is_logged_and_still_forwarded() {
    let (url, seen) = upstream().await;
    let server = proxy(&url, false).await;
    let sent = json!({"Name": 5});
    let got = send(&server, "POST", ROLES, "created", Some(sent.clone())).await;
    assert_eq!(got.status, 201);
    assert_eq!(seen.lock().unwrap().body, sent.to_string().into_bytes());
    let message = only_violation(&server, "request_schema");
    assert!(message.contains("does not match `Role`"), "{message}");
    server.shutdown().await;

    let server = proxy(&url, true).await;
    let got = send(&server, "POST", ROLES, "created", Some(sent)).await;
    assert_eq!(got.status, 502);
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["Violations"][0]["check"], "request_schema");
    // A sound body passes.
    let got = send(
        &server,
        "POST",
        ROLES,
        "created",
        Some(json!({"Name": "x"})),
    )
    .await;
    assert_eq!(got.status, 201, "{}", got.body);
    server.shutdown().await;
}

#[tokio::test]
async fn an_encoded_answer_is_judged_by_its_status_alone_and_passed_on_as_it_came() {
    let (url, _) = upstream().await;
    let server = proxy(&url, true).await;
    let got = reqwest::Client::new()
        .get(format!("{}{ROLE}", server.url()))
        .header("x-fake", "gzip")
        .send()
        .await
        .expect("the proxy answers");
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.headers()["content-encoding"], "gzip");
    assert_eq!(
        got.bytes().await.unwrap().as_ref(),
        [0x1f, 0x8b, 0x08, 0x00]
    );
    let r = last(&server);
    assert!(r.violations.is_empty(), "{r:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn credentials_in_the_query_are_redacted_from_records() {
    let (url, seen) = upstream().await;
    let server = proxy(&url, false).await;
    let path = format!("{ROLE}?api_key=query-secret-42&x=1");
    let got = send(&server, "GET", &path, "teapot", None).await;
    assert_eq!(got.status, 418);
    assert_eq!(
        seen.lock().unwrap().query.as_deref(),
        Some("api_key=query-secret-42&x=1")
    );
    let r = last(&server);
    let lines = r.log_lines().join("\n");
    assert!(lines.contains("status_documented"), "{lines}");
    assert!(!lines.contains("query-secret-42"), "{lines}");
    assert!(!r.target.contains("query-secret-42"), "{r:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn an_undocumented_request_is_forwarded_and_logged_as_undocumented() {
    let (url, _) = upstream().await;
    let server = proxy(&url, true).await;
    let got = send(&server, "GET", "/nowhere/at/all", "teapot", None).await;
    assert_eq!(got.status, 418, "undocumented requests are never replaced");
    let r = last(&server);
    assert_eq!(r.operation, None);
    assert!(r.log_lines()[0].contains("undocumented"), "{r:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_slow_upstream_gets_504_and_a_missing_one_502() {
    let (url, _) = upstream().await;
    let server = proxy(&url, false).await;
    let started = Instant::now();
    let got = send(&server, "GET", ROLE, "slow", None).await;
    assert_eq!(got.status, 504);
    assert!(started.elapsed() < Duration::from_secs(4));
    server.shutdown().await;

    // Nothing listens on a port just released.
    let gone = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let server = proxy(&gone, false).await;
    let got = send(&server, "GET", ROLE, "ok", None).await;
    assert_eq!(got.status, 502);
    assert!(!got.body.contains(TOKEN));
    server.shutdown().await;
}

#[test]
fn the_cli_proxy_logs_each_violation_with_its_line_and_never_the_token() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (url, _) = runtime.block_on(upstream());
    let served = crate::common::serve_conform(&[
        "mock",
        "specs/004_a50be14b8577b9a8.txt",
        "--proxy",
        &url,
        "--proxy-errors",
    ]);
    let (mut child, proxy, _stdout) = (served.child, served.url, served.stdout);
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{proxy}{ROLE}"))
            .bearer_auth(TOKEN)
            .header("x-fake", "teapot")
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    });
    assert_eq!(status, 502);
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "conform mock did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr reads");
    assert!(err.contains(&format!("proxying to {url}")), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("proxy: GET"))
        .unwrap_or_else(|| panic!("no violation line in {err}"));
    assert!(line.contains("status_documented"), "{line}");
    assert!(line.contains("(specs/004_a50be14b8577b9a8.txt:"), "{line}");
    assert!(!err.contains(TOKEN), "{err}");
}

#[test]
fn proxy_flags_are_checked_before_anything_is_served() {
    let (code, _, stderr) = crate::common::conform(&["mock", "specs/", "--proxy-errors"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--proxy"), "{stderr}");
    let (code, _, stderr) =
        crate::common::conform(&["mock", "specs/", "--proxy", "ftp://example.com"]);
    assert_ne!(code, 0, "{stderr}");
    assert!(
        stderr.contains("invalid upstream ftp://example.com"),
        "{stderr}"
    );
    let (code, _, stderr) = crate::common::conform(&[
        "mock",
        "specs/",
        "--proxy",
        "http://127.0.0.1:9",
        "--fault",
        "server-error",
    ]);
    assert_eq!(code, 2, "{stderr}");
}

#[tokio::test]
async fn path_values_are_judged_percent_decoded_and_undecodable_ones_named() {
    let (url, _) = upstream().await;
    let server = proxy(&url, false).await;
    // Encoded characters, a space and a slash inside one segment are
    // values of the documented string parameters: no violation.
    for path in [
        "/api/v1/Tenants/t%31/Roles/r%201",
        "/api/v1/Tenants/t1/Roles/a%2Fb",
    ] {
        let got = send(&server, "GET", path, "ok", None).await;
        assert_eq!(got.status, 200, "{path}: {}", got.body);
        let r = last(&server);
        assert!(r.operation.is_some(), "{r:?}");
        assert!(r.violations.is_empty(), "{path}: {r:?}");
    }
    // Not UTF-8 once decoded: forwarded as it came, and the segment named.
    let got = send(
        &server,
        "GET",
        "/api/v1/Tenants/t1/Roles/%FF%FE",
        "ok",
        None,
    )
    .await;
    assert_eq!(got.status, 200, "{}", got.body);
    let message = only_violation(&server, "request_parameters");
    assert!(message.contains("`%FF%FE`"), "{message}");
    assert!(message.contains("not UTF-8"), "{message}");
    server.shutdown().await;
}

/// The request's query was forwarded unjudged: a paging count that is no
/// integer went through without a word.
#[tokio::test]
async fn regression_a_query_value_of_the_wrong_type_was_not_judged() {
    let (url, seen) = upstream().await;
    let server = proxy(&url, false).await;
    let params = |server: &MockServer| -> Vec<conform::mock::Violation> {
        last(server)
            .violations
            .into_iter()
            .filter(|v| v.check == "request_parameters")
            .collect()
    };
    send(
        &server,
        "GET",
        &format!("{ROLES}?skip=1&count=ten"),
        "ok",
        None,
    )
    .await;
    assert_eq!(
        seen.lock().unwrap().query.as_deref(),
        Some("skip=1&count=ten")
    );
    let found = params(&server);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .message
            .contains("query parameter `count` is `ten`, not a value of `int"),
        "{found:?}"
    );
    let line: usize = found[0]
        .location
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let doc = std::fs::read_to_string("specs/004_a50be14b8577b9a8.txt").unwrap();
    assert!(
        doc.lines().nth(line - 1).unwrap().contains("integer count"),
        "{}",
        found[0].location
    );
    // Sound values, in any letter case of the name, and undocumented
    // parameters, are not violations.
    send(
        &server,
        "GET",
        &format!("{ROLES}?Skip=0&count=5&extra=x"),
        "ok",
        None,
    )
    .await;
    assert!(params(&server).is_empty(), "{:?}", last(&server));
    server.shutdown().await;

    let server = proxy(&url, true).await;
    let got = send(&server, "GET", &format!("{ROLES}?skip=-x"), "ok", None).await;
    assert_eq!(got.status, 502);
    assert!(got.body.contains("request_parameters"), "{}", got.body);
    server.shutdown().await;
}
