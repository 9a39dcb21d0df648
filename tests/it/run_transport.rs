//! A broken target never breaks the harness: tiny misbehaving servers
//! (refusing, resetting, stalling, lying about JSON, flooding, looping
//! redirects, echoing secrets, asking to retry) each turn into a failed
//! check with a clear message, or into a bounded retry.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use conform::plan::{self, PlanConfig, TestCase};
use conform::run::checks::Settings;
use conform::run::http::Limits;
use conform::run::outcome::{CaseOutcome, CaseStatus};
use conform::run::{Engine, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "s3cr3t-t0ken-do-not-print";
const API_KEY: &str = "api-k3y-do-not-print";

/// What the server does with each request; gets the request head and the
/// number of requests seen before.
type Behaviour = fn(&str, usize) -> Reply;

enum Reply {
    /// Write these bytes, then close.
    Bytes(Vec<u8>),
    /// Close without answering.
    Close,
    /// Never answer.
    Stall,
    /// Announce and send this many body bytes.
    Flood(usize),
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Bytes(bytes)
}

/// A 200 answer labelled JSON, whatever the body.
fn json(body: &[u8]) -> Reply {
    http("200 OK", &[("content-type", "application/json")], body)
}

async fn read_head(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Starts a raw TCP server; returns its base URL.
async fn serve(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let head = read_head(&mut stream).await;
                let n = seen.fetch_add(1, Ordering::SeqCst);
                match behaviour(&head, n) {
                    Reply::Bytes(bytes) => {
                        let _ = stream.write_all(&bytes).await;
                        let _ = stream.shutdown().await;
                    }
                    Reply::Close => drop(stream),
                    Reply::Stall => tokio::time::sleep(Duration::from_secs(30)).await,
                    Reply::Flood(len) => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n["
                        );
                        if stream.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let block = vec![b'1'; 64 * 1024];
                        let mut sent = 1;
                        while sent < len {
                            let n = block.len().min(len - sent);
                            if stream.write_all(&block[..n]).await.is_err() {
                                return;
                            }
                            sent += n;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn roles_case() -> (conform::spec::Contract, TestCase) {
    roles_case_named("::Roles_List Roles::happy")
}

fn roles_case_named(suffix: &str) -> (conform::spec::Contract, TestCase) {
    let contracts = conform::spec::load_all(&["specs/004_a50be14b8577b9a8.txt"]).expect("roles");
    let cfg = PlanConfig {
        params: vec!["tenantId".into()],
        nonce: "t".into(),
        ..PlanConfig::default()
    };
    let case = plan::generate(&contracts, &cfg)
        .into_iter()
        .find(|c| c.name.ends_with(suffix))
        .expect("the case");
    (contracts[0].clone(), case)
}

/// Runs the list case against `url` (made by `start` on the runtime).
fn execute_at(
    start: impl std::future::Future<Output = String>,
    limits: Limits,
    headers: Vec<(String, String)>,
) -> (CaseOutcome, Duration) {
    execute_with(start, limits, |t| t.headers = headers)
}

/// [`execute_at`] with the target adjusted by `adjust`.
fn execute_with(
    start: impl std::future::Future<Output = String>,
    limits: Limits,
    adjust: impl FnOnce(&mut Target),
) -> (CaseOutcome, Duration) {
    execute_case(roles_case(), start, limits, adjust)
}

/// Runs `case` against the server `start` makes.
fn execute_case(
    (contract, case): (conform::spec::Contract, TestCase),
    start: impl std::future::Future<Output = String>,
    limits: Limits,
    adjust: impl FnOnce(&mut Target),
) -> (CaseOutcome, Duration) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let url = rt.block_on(start);
    let mut target = Target {
        base_url: url,
        token: Some(TOKEN.into()),
        params: [("tenantId".to_string(), "t1".to_string())].into(),
        ..Target::default()
    };
    adjust(&mut target);
    let engine = Engine::new(
        vec![contract],
        target,
        limits,
        Settings::default(),
        Default::default(),
    )
    .expect("engine");
    let start = Instant::now();
    let outcome = rt.block_on(engine.execute(&case));
    let took = start.elapsed();
    let json = serde_json::to_string(&outcome).expect("outcome serializes");
    assert!(
        !json.contains(TOKEN) && !json.contains(API_KEY),
        "a secret leaked into the outcome: {json}"
    );
    (outcome, took)
}

fn execute(behaviour: Behaviour, limits: Limits) -> (CaseOutcome, Duration) {
    execute_at(serve(behaviour), limits, Vec::new())
}

/// The messages of the failed checks, as `check: message`.
fn failed(outcome: &CaseOutcome) -> Vec<String> {
    outcome
        .failures()
        .map(|(_, c)| format!("{}: {}", c.check, c.message.as_deref().unwrap_or("")))
        .collect()
}

/// Short waits, yet long enough that a busy machine's local server never
/// misses them (the stall test sets its own).
fn fast() -> Limits {
    Limits {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
        max_retry_wait: Duration::from_millis(50),
        ..Limits::default()
    }
}

#[test]
fn a_well_behaved_answer_passes() {
    let (o, _) = execute(|_, _| json(b"[]"), fast());
    assert_eq!(o.status, CaseStatus::Passed, "{:?}", failed(&o));
}

#[test]
fn connection_refused_is_a_failed_check() {
    let nobody = async {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let (o, _) = execute_at(nobody, fast(), Vec::new());
    let f = failed(&o);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with("response_received: failed to connect"),
        "{f:?}"
    );
}

#[test]
fn a_reset_connection_is_a_failed_check() {
    let (o, _) = execute(|_, _| Reply::Close, fast());
    let f = failed(&o);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with("response_received: the connection broke"),
        "{f:?}"
    );
}

#[test]
fn a_stalled_server_times_out_within_the_limit() {
    let limits = Limits {
        timeout: Duration::from_millis(400),
        ..fast()
    };
    let (o, took) = execute(|_, _| Reply::Stall, limits);
    assert_eq!(
        failed(&o),
        vec!["response_received: no complete answer within 400 ms"]
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn invalid_json_fails_content_type_and_schema() {
    let (o, _) = execute(|_, _| json(b"[{\"Id\":"), fast());
    let f = failed(&o);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f[0].starts_with("response_schema: the body is not valid JSON"),
        "{f:?}"
    );
    assert!(
        f[1].starts_with("content_type: labelled `application/json`, but body is not valid JSON"),
        "{f:?}"
    );
}

#[test]
fn a_non_utf8_body_fails_with_the_offset() {
    let (o, _) = execute(|_, _| json(b"[\"\xff\xfe\"]"), fast());
    let f = failed(&o);
    assert!(
        f.iter().any(|m| m == "content_type: labelled `application/json`, but body is not valid UTF-8 (invalid byte at offset 2)"),
        "{f:?}"
    );
}

#[test]
fn a_multi_megabyte_body_is_cut_off_at_the_limit() {
    let (o, _) = execute(|_, _| Reply::Flood(12 * 1024 * 1024), Limits::default());
    assert_eq!(
        failed(&o),
        vec!["response_received: the response body exceeds the 4194304-byte limit"]
    );
}

#[test]
fn a_redirect_loop_is_a_failed_check() {
    let (o, _) = execute(
        |head, _| {
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            http("302 Found", &[("location", &path)], b"")
        },
        fast(),
    );
    assert_eq!(
        failed(&o),
        vec!["response_received: too many redirects (more than 5): a redirect loop?"]
    );
}

#[test]
fn an_echoed_token_is_redacted_everywhere() {
    let (o, _) = execute(
        |head, _| {
            let auth = head
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                .unwrap_or("")
                .to_string();
            let body = serde_json::json!([{ "Id": "x", "Name": auth }]).to_string();
            http(
                "200 OK",
                &[("content-type", "application/json"), ("x-echo", &auth)],
                body.as_bytes(),
            )
        },
        fast(),
    );
    let step = &o.steps[0];
    let response = step.response.as_ref().expect("answered");
    assert!(
        response.body.contains("Bearer $CONFORM_TOKEN"),
        "{}",
        response.body
    );
    assert!(step
        .request
        .headers
        .contains(&("authorization".into(), "Bearer $CONFORM_TOKEN".into())));
}

#[test]
fn extra_headers_are_sent_and_credential_headers_redacted() {
    let echo = |head: &str, _| {
        let sent: Vec<&str> = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("x-"))
            .collect();
        let body = serde_json::json!([{ "Id": "x", "Name": sent.join(";") }]).to_string();
        json(body.as_bytes())
    };
    let (o, _) = execute_with(serve(echo), fast(), |t| {
        t.headers = vec![("X-Api-Key".to_string(), API_KEY.to_string())];
        t.public_headers = vec![("X-Trace".to_string(), "run-7".to_string())];
    });
    let step = &o.steps[0];
    let body = &step.response.as_ref().expect("answered").body;
    assert!(body.contains("x-api-key: <redacted>"), "{body}");
    assert!(body.contains("x-trace: run-7"), "{body}");
    assert!(step
        .request
        .headers
        .contains(&("X-Api-Key".into(), "<redacted>".into())));
}

#[test]
fn retries_honour_retry_after_and_stop() {
    let (o, _) = execute(
        |_, n| match n {
            0 => http("503 Service Unavailable", &[("retry-after", "0")], b""),
            _ => json(b"[]"),
        },
        fast(),
    );
    assert_eq!(o.status, CaseStatus::Passed, "{:?}", failed(&o));
    assert_eq!(o.steps[0].attempts, 2);

    let (o, _) = execute(
        |_, _| http("429 Too Many Requests", &[("retry-after", "0")], b""),
        fast(),
    );
    assert_eq!(o.steps[0].attempts, 3, "one send and two retries, no more");
    assert_eq!(o.steps[0].response.as_ref().map(|r| r.status), Some(429));

    let (o, took) = execute(
        |_, _| http("503 Service Unavailable", &[("retry-after", "3600")], b""),
        fast(),
    );
    assert_eq!(o.steps[0].attempts, 3);
    assert!(
        took < Duration::from_secs(5),
        "Retry-After is capped: {took:?}"
    );

    let (o, _) = execute(|_, _| http("500 Internal Server Error", &[], b""), fast());
    assert_eq!(o.steps[0].attempts, 1, "a 500 is not retried");
}

/// Starts a TLS server with the self-signed certificate of `fixtures/tls/`
/// that answers every request with an empty JSON list; returns its base URL.
async fn serve_tls() -> String {
    serve_tls_with(|| {
        "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]".to_string()
    })
    .await
}

/// Starts a TLS server answering every request with `reply()`.
async fn serve_tls_with(reply: fn() -> String) -> String {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{dir}/cert.pem"))
            .expect("certificate file")
            .collect::<Result<_, _>>()
            .expect("certificate");
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/key.pem")).expect("key");
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let reply = reply();
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{}", addr.port())
}

#[test]
fn a_self_signed_certificate_fails_the_exchange_unless_insecure() {
    let (outcome, _) = execute_at(serve_tls(), fast(), Vec::new());
    let f = failed(&outcome);
    assert!(
        f.iter().any(|m| m.starts_with("response_received") && m.to_lowercase().contains("certificate")),
        "{f:?}"
    );
    let insecure = Limits {
        insecure: true,
        ..fast()
    };
    let (outcome, _) = execute_at(serve_tls(), insecure, Vec::new());
    assert_eq!(outcome.status, CaseStatus::Passed, "{:?}", failed(&outcome));
}

/// Requests that reached the other origin of the redirect tests.
static ELSEWHERE_REACHED: AtomicUsize = AtomicUsize::new(0);
/// The other origin's URL, for the target's redirect to name.
static ELSEWHERE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[test]
fn a_redirect_to_another_origin_is_the_answer_and_is_not_followed() {
    let start = async {
        let elsewhere = serve(|_, _| {
            ELSEWHERE_REACHED.fetch_add(1, Ordering::SeqCst);
            json(b"[]")
        })
        .await;
        ELSEWHERE.get_or_init(|| elsewhere);
        serve(|_, _| {
            let to = format!("{}/stolen", ELSEWHERE.get().expect("set"));
            http("302 Found", &[("location", &to)], b"")
        })
        .await
    };
    let headers = vec![("Ocp-Apim-Subscription-Key".to_string(), API_KEY.to_string())];
    let (o, _) = execute_at(start, fast(), headers);
    assert_eq!(
        ELSEWHERE_REACHED.load(Ordering::SeqCst),
        0,
        "the run contacted another origin"
    );
    let f = failed(&o);
    let elsewhere = ELSEWHERE.get().expect("set");
    assert!(
        f.iter().any(
            |m| m.starts_with("status_documented: status 302 is not documented")
                && m.contains(&format!("a redirect to `{elsewhere}/stolen`"))
        ),
        "{f:?}"
    );
    assert!(o.steps[0].redirects.is_empty());
}

#[test]
fn a_same_origin_redirect_is_followed_and_each_hop_shown() {
    let (o, _) = execute(
        |head, _| {
            if head.starts_with("GET /moved") {
                json(b"[]")
            } else {
                http("302 Found", &[("location", "/moved")], b"")
            }
        },
        fast(),
    );
    assert_eq!(o.status, CaseStatus::Passed, "{:?}", failed(&o));
    assert_eq!(o.steps[0].redirects.len(), 1, "{:?}", o.steps[0].redirects);
    assert!(o.steps[0].redirects[0].starts_with("302 http://127.0.0.1:"));
    let shown = conform::report::console::exchange(&o.steps[0]);
    assert!(shown.contains("redirected: 302 "), "{shown}");
    let json = serde_json::to_string(&o).expect("serializes");
    assert!(json.contains("\"redirects\""), "{json}");
}

#[test]
fn a_same_origin_307_resends_its_body() {
    use conform::run::exchange::SentRequest;
    use conform::run::http::{Http, Outgoing};
    use conform::spec::Method;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let url = rt.block_on(serve(|head, _| {
        if head.starts_with("POST /b ") {
            json(b"[\"resent\"]")
        } else {
            http("307 Temporary Redirect", &[("location", "/b")], b"")
        }
    }));
    let http = Http::new(fast()).expect("client");
    let out = Outgoing {
        method: Method::Post,
        url: format!("{url}/a"),
        headers: vec![],
        body: Some(b"{}".to_vec()),
    };
    let shown = SentRequest {
        method: Method::Post,
        url: out.url.clone(),
        headers: vec![],
        body: None,
    };
    let ex = rt.block_on(http.exchange(&out, shown));
    let r = ex.response.expect("answered");
    assert_eq!((r.status, r.body.as_slice()), (200, &b"[\"resent\"]"[..]));
    assert_eq!(ex.hops.len(), 1);
    assert_eq!(ex.hops[0].to, format!("{url}/b"));
}

#[test]
fn every_header_value_is_a_secret_unless_public_even_echoed_encoded() {
    const KEY: &str = "KEY789-subscription";
    let echo = |head: &str, _| {
        use base64::Engine as _;
        let key = head
            .lines()
            .find_map(|l| l.strip_prefix("ocp-apim-subscription-key: "))
            .unwrap_or("")
            .to_string();
        let body = serde_json::json!([{
            "Id": "x",
            "Name": format!(
                "{} {} {} {}",
                key.to_lowercase(),
                key.replace('-', "%2D"),
                base64::engine::general_purpose::STANDARD.encode(format!("user:{key}")),
                head.lines().find(|l| l.starts_with("x-trace")).unwrap_or(""),
            ),
        }])
        .to_string();
        http(
            "200 OK",
            &[("content-type", "application/json"), ("x-echo", &key)],
            body.as_bytes(),
        )
    };
    let (o, _) = execute_with(serve(echo), fast(), |t| {
        t.headers = vec![("Ocp-Apim-Subscription-Key".to_string(), KEY.to_string())];
        t.public_headers = vec![("X-Trace".to_string(), "run-7".to_string())];
    });
    let json = serde_json::to_string(&o).expect("serializes");
    assert!(!json.to_lowercase().contains("key789"), "{json}");
    let basic = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("user:{KEY}"))
    };
    assert!(!json.contains(&basic[8..20]), "base64 of the key: {json}");
    assert!(
        json.contains("x-trace: run-7"),
        "a public value is shown: {json}"
    );
    let step = &o.steps[0];
    assert!(step
        .request
        .headers
        .contains(&("Ocp-Apim-Subscription-Key".into(), "<redacted>".into())));
    let curl = conform::report::console::curl(step);
    assert!(!curl.contains("KEY789"), "{curl}");
}

/// A role server: creates answer 201 with the role, reads 200, deletes as
/// `delete` says (given how many deletes came before).
fn roles_server(head: &str, delete: fn(usize) -> Reply, deletes: &AtomicUsize) -> Reply {
    let role = br#"{"Id":"r1","Name":"conform-t-1","Description":"conform-t","RoleScope":1,"TenantId":"t1","CommunityId":null,"RoleTypeId":"b5f3cd10-8d7a-4a65-87a7-2a0b9e1ad32c"}"#;
    if head.starts_with("DELETE ") {
        delete(deletes.fetch_add(1, Ordering::SeqCst))
    } else if head.starts_with("POST ") {
        http("201 Created", &[("content-type", "application/json")], role)
    } else {
        http("200 OK", &[("content-type", "application/json")], role)
    }
}

static FLAKY_DELETES: AtomicUsize = AtomicUsize::new(0);
static REFUSED_DELETES: AtomicUsize = AtomicUsize::new(0);

fn create_case() -> (conform::spec::Contract, TestCase) {
    roles_case_named("::Roles_Create Role on Tenant::happy")
}

#[test]
fn cleanup_retries_a_flaky_delete_and_leaves_nothing() {
    let flaky = serve(|head, _| {
        roles_server(
            head,
            |n| {
                if n < 2 {
                    Reply::Close
                } else {
                    http("204 No Content", &[], b"")
                }
            },
            &FLAKY_DELETES,
        )
    });
    let (o, _) = execute_case(create_case(), flaky, fast(), |_| {});
    assert_eq!(o.cleanup.len(), 1, "{:?}", o.cleanup);
    assert!(o.cleanup[0].removed(), "{:?}", o.cleanup);
    assert_eq!(o.cleanup[0].attempts, 3);
    assert!(conform::report::leftovers(&[o]).is_empty());
}

#[test]
fn deletes_the_server_refuses_are_reported_as_leftovers_with_a_curl_line() {
    let refusing = serve(|head, _| {
        roles_server(
            head,
            |_| http("500 Internal Server Error", &[], b""),
            &REFUSED_DELETES,
        )
    });
    let (o, took) = execute_case(create_case(), refusing, fast(), |t| {
        t.headers = vec![("X-Api-Key".to_string(), API_KEY.to_string())];
    });
    assert!(
        took < Duration::from_secs(10),
        "cleanup is bounded: {took:?}"
    );
    assert_eq!(
        REFUSED_DELETES.load(Ordering::SeqCst),
        5,
        "five deletes in all"
    );
    let (contract, case) = create_case();
    let report =
        conform::report::RunReport::new(&[contract], Vec::new(), &[case], vec![o], false, None, 1);
    assert_eq!(report.leftovers.len(), 1, "{:?}", report.leftovers);
    let l = &report.leftovers[0];
    assert!(l.url.ends_with("/api/v1/Tenants/t1/Roles/r1"), "{}", l.url);
    assert!(
        l.curl.starts_with("curl -sS -i -X DELETE '")
            && l.curl
                .contains("-H \"authorization: Bearer $CONFORM_TOKEN\"")
            && l.curl.contains("'X-Api-Key: <redacted>'"),
        "{}",
        l.curl
    );
    assert!(
        !l.curl.contains(API_KEY) && !l.curl.contains(TOKEN),
        "{}",
        l.curl
    );
    let console = conform::report::console::leftovers(&report.leftovers);
    assert!(
        console.contains("left behind (1 item(s)") && console.contains(&l.curl),
        "{console}"
    );
    let json = conform::report::json::render(&report).expect("json");
    assert!(
        json.contains("\"leftovers\"") && json.contains("DELETE"),
        "{json}"
    );
    let junit = conform::report::junit::render(&report).expect("junit");
    assert!(
        junit.contains("left behind: ") && junit.contains("::cleanup"),
        "{junit}"
    );
    let markdown = conform::report::markdown::render(&report);
    assert!(markdown.contains("### Left behind"), "{markdown}");
}

static BUSY_DELETES: AtomicUsize = AtomicUsize::new(0);

/// A 503 the client would retry itself on any other request used to
/// multiply the cleanup tries: three sends per try, six in all.
#[test]
fn regression_cleanup_of_a_busy_server_sends_five_deletes_not_six() {
    let busy = serve(|head, _| {
        roles_server(
            head,
            |_| http("503 Service Unavailable", &[("retry-after", "0")], b""),
            &BUSY_DELETES,
        )
    });
    let (o, _) = execute_case(create_case(), busy, fast(), |_| {});
    assert_eq!(
        BUSY_DELETES.load(Ordering::SeqCst) as u32,
        conform::run::CLEANUP_TRIES,
        "{:?}",
        o.cleanup
    );
    assert_eq!(o.cleanup[0].attempts, conform::run::CLEANUP_TRIES);
    assert!(!o.cleanup[0].removed());
}

static CLI_DELETES: AtomicUsize = AtomicUsize::new(0);

#[test]
fn a_run_that_leaves_items_behind_exits_1_unless_allowed() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let url = rt.block_on(serve(|head, _| {
        roles_server(
            head,
            |_| http("503 Service Unavailable", &[("retry-after", "0")], b""),
            &CLI_DELETES,
        )
    }));
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "specs/004_a50be14b8577b9a8.txt",
            "--base-url",
            &url,
            "--param",
            "tenantId=t1",
            "--timeout",
            "2",
        ];
        args.extend_from_slice(extra);
        args.extend([
            "--exact",
            "--",
            "004_a50be14b8577b9a8::Roles_Create Role on Tenant::happy",
        ]);
        std::process::Command::new(env!("CARGO_BIN_EXE_conform"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("conform runs")
    };
    let out = run(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("1 passed"), "{stdout}{stderr}");
    assert!(stdout.contains("left behind (1 item(s)"), "{stdout}");
    assert!(stdout.contains("curl -sS -i -X DELETE"), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let out = run(&["--allow-leftovers"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("left behind (1 item(s)"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

static DOWNGRADE_REACHED: AtomicUsize = AtomicUsize::new(0);
static DOWNGRADE_TO: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[test]
fn an_https_to_http_downgrade_is_not_followed() {
    let start = async {
        let plain = serve(|_, _| {
            DOWNGRADE_REACHED.fetch_add(1, Ordering::SeqCst);
            json(b"[]")
        })
        .await;
        DOWNGRADE_TO.get_or_init(|| plain);
        serve_tls_with(|| {
            let to = format!("{}/clear-text", DOWNGRADE_TO.get().expect("set"));
            format!("HTTP/1.1 301 Moved Permanently\r\nconnection: close\r\nlocation: {to}\r\ncontent-length: 0\r\n\r\n")
        })
        .await
    };
    let insecure = Limits {
        insecure: true,
        ..fast()
    };
    let (o, _) = execute_with(start, insecure, |t| {
        t.headers = vec![("X-Api-Key".to_string(), API_KEY.to_string())];
    });
    assert_eq!(
        DOWNGRADE_REACHED.load(Ordering::SeqCst),
        0,
        "the key went out in clear text"
    );
    let f = failed(&o);
    assert!(
        f.iter()
            .any(|m| m.starts_with("status_documented: status 301") && m.contains("/clear-text")),
        "{f:?}"
    );
}

/// A password in the base URL (`http://user:PASSWD777@host`) appeared
/// about 675 times on the console and in JUnit, and in every report's
/// curl lines: it is a secret like any token.
#[test]
fn regression_a_password_in_the_base_url_appeared_in_every_report() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let contracts = conform::spec::load_all(&["specs/004_a50be14b8577b9a8.txt"]).expect("doc");
    let fixture = conform::mock::Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let tenant = fixture
        .params()
        .into_iter()
        .find(|(k, _)| k == "tenantId")
        .expect("tenant")
        .1;
    let server = rt
        .block_on(conform::mock::start(
            contracts,
            fixture,
            conform::mock::MockOptions::default(),
        ))
        .expect("mock");
    let url = server
        .url()
        .replacen("http://", "http://user:PASSWD777%2Fx@", 1);
    let dir = std::env::temp_dir().join(format!("conform-url-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let out = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args([
            "run",
            "specs/004_a50be14b8577b9a8.txt",
            "--base-url",
            &url,
            "--token",
            &admin,
            "--param",
            &format!("tenantId={tenant}"),
            "--json",
            &file("r.json"),
            "--junit",
            &file("r.xml"),
            "--markdown",
            &file("r.md"),
            "--html",
            &file("r.html"),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("conform runs");
    let mut shown = String::from_utf8_lossy(&out.stdout).into_owned();
    shown.push_str(&String::from_utf8_lossy(&out.stderr));
    for f in ["r.json", "r.xml", "r.md", "r.html"] {
        shown.push_str(&std::fs::read_to_string(dir.join(f)).expect("report written"));
    }
    assert!(shown.contains("test "), "the run ran: {shown}");
    for leak in ["PASSWD777", "passwd777", "UEFTU1dE", "dXNlcjpQQVNTV0Q3Nzc"] {
        assert!(!shown.contains(leak), "{leak} in the output");
    }
    rt.block_on(server.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}

static CONFIGURED_DELETES: AtomicUsize = AtomicUsize::new(0);

/// A create whose answer named no item left cleanup with the value the
/// variable held before: a configured `roleId` (or one another document
/// needed), which cleanup then deleted. Against a staging server that is
/// the user's item; against the reference server it left the new item
/// behind and reported the configured one as a leftover.
#[test]
fn regression_cleanup_deleted_the_configured_item_when_a_create_named_none() {
    let server = serve(|head, _| {
        if head.starts_with("DELETE ") && head.contains("configured-role") {
            CONFIGURED_DELETES.fetch_add(1, Ordering::SeqCst);
        }
        if head.starts_with("POST ") {
            http(
                "201 Created",
                &[("content-type", "application/json")],
                b"{}",
            )
        } else {
            http("204 No Content", &[], b"")
        }
    });
    let (o, _) = execute_case(create_case(), server, fast(), |t| {
        t.params
            .insert("roleId".to_string(), "configured-role".to_string());
    });
    assert!(!o.steps.is_empty(), "the create was sent");
    assert_eq!(CONFIGURED_DELETES.load(Ordering::SeqCst), 0, "{o:?}");
    assert!(
        o.cleanup.iter().all(|c| !c.url.contains("configured-role")),
        "{:?}",
        o.cleanup
    );
}

/// Where the create's answer names the new item, cleanup deletes that
/// item, not the configured one the variable held before.
#[test]
fn cleanup_deletes_the_item_the_create_answer_names_not_a_configured_one() {
    let server = serve(|head, _| {
        if head.starts_with("POST ") {
            http(
                "201 Created",
                &[("content-type", "application/json")],
                br#"{"Id":"made-1","Name":"conform-t-1"}"#,
            )
        } else {
            http("204 No Content", &[], b"")
        }
    });
    let (o, _) = execute_case(create_case(), server, fast(), |t| {
        t.params
            .insert("roleId".to_string(), "configured-role".to_string());
    });
    let urls: Vec<&str> = o.cleanup.iter().map(|c| c.url.as_str()).collect();
    assert!(
        urls.iter().any(|u| u.ends_with("/made-1"))
            && !urls.iter().any(|u| u.contains("configured")),
        "{urls:?}"
    );
}
