//! OAuth2 client credentials: a token endpoint in the test trades the
//! client id and secret for the token a run then sends; a refusal is an
//! error that never repeats the secret.

use std::collections::HashMap;
use std::process::Command;

use axum::routing::post;
use axum::{Form, Json, Router};
use conform::run::http::{Http, Limits};
use conform::run::oauth;
use serde_json::{json, Value};

const SECRET: &str = "client-s3cret-value";
/// The embedded server's admin token, handed out by the test endpoint so
/// that a run against the embedded server can use it.
const ISSUED: &str = "mock-admin-7f3a9c1e5b";

async fn token(Form(form): Form<HashMap<String, String>>) -> (axum::http::StatusCode, Json<Value>) {
    let ok = form.get("grant_type").map(String::as_str) == Some("client_credentials")
        && form.get("client_id").map(String::as_str) == Some("conform-ci")
        && form.get("client_secret").map(String::as_str) == Some(SECRET);
    if ok {
        (
            axum::http::StatusCode::OK,
            Json(json!({"access_token": ISSUED, "token_type": "Bearer"})),
        )
    } else {
        let echoed = form.get("client_secret").cloned().unwrap_or_default();
        (
            axum::http::StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client", "got": echoed})),
        )
    }
}

/// Starts the token endpoint on its own runtime thread; returns its URL.
fn endpoint() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let url = format!("http://{}/token", listener.local_addr().expect("addr"));
            tx.send(url).expect("send url");
            let app = Router::new().route("/token", post(token));
            let _ = axum::serve(listener, app).await;
        });
    });
    rx.recv().expect("endpoint url")
}

#[test]
fn client_credentials_are_traded_for_a_token() {
    let url = endpoint();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let http = Http::new(Limits::default()).expect("client");
    let got = rt.block_on(oauth::client_credentials(&http, &url, "conform-ci", SECRET));
    assert_eq!(got.expect("a token"), ISSUED);
    let refused = rt
        .block_on(oauth::client_credentials(
            &http,
            &url,
            "conform-ci",
            "wrong-secret-value",
        ))
        .expect_err("refused");
    let text = refused.to_string();
    assert!(
        text.starts_with("the token endpoint answered 401"),
        "{text}"
    );
    assert!(
        !text.contains("wrong-secret-value"),
        "the secret is not repeated: {text}"
    );
    let bad = rt.block_on(oauth::client_credentials(&http, "not a url", "a", "b"));
    assert_eq!(
        bad.expect_err("bad url").to_string(),
        "invalid token URL `not a url`"
    );
}

/// Runs `conform` with the client secret in the environment.
fn conform_with_secret(args: &[&str], secret: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(args)
        .env("CONFORM_CLIENT_SECRET", secret)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("conform runs")
}

#[test]
fn a_run_uses_the_token_it_obtained() {
    let url = endpoint();
    let args = [
        "run",
        "specs/",
        "--client-id",
        "conform-ci",
        "--token-url",
        &url,
    ];
    let mut filtered = args.to_vec();
    filtered.extend(["--", "Roles_List Roles::happy"]);
    let out = conform_with_secret(&filtered, SECRET);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("running 1 test"), "{stdout}");
    assert!(!stdout.contains(SECRET));

    let out = conform_with_secret(&args, "wrong-secret-value");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the token endpoint answered 401"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-secret-value"));
}

/// A raw server answering every connection with `reply`; counts them.
fn raw_server(
    reply: impl Fn(&str) -> String + Send + Sync + 'static,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            let _ = stream.write_all(reply(&text).as_bytes());
        }
    });
    (url, seen)
}

#[test]
fn a_token_request_follows_no_redirect_and_names_it() {
    let (elsewhere, reached) = raw_server(|_| {
        "HTTP/1.1 200 OK\r\ncontent-length: 22\r\nconnection: close\r\n\r\n{\"access_token\":\"stl\"}"
            .to_string()
    });
    let location = format!("{elsewhere}/token");
    let (url, _) = raw_server(move |_| {
        format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
    });
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let http = Http::new(Limits::default()).expect("client");
    let got = rt.block_on(oauth::client_credentials(&http, &url, "conform-ci", SECRET));
    let text = got.expect_err("a redirect is no token").to_string();
    assert!(
        text.starts_with("the token endpoint answered 307 redirecting to")
            && text.contains(&elsewhere),
        "{text}"
    );
    assert_eq!(
        reached.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the client secret was posted to the redirect's target"
    );
}

#[test]
fn a_refusal_echoing_the_encoded_secret_redacts_it() {
    // The endpoint quotes the form body back, the secret percent-encoded.
    let (url, _) = raw_server(|req| {
        let body = req.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        let upper = body.to_uppercase();
        let text = format!("bad request: {body} / {upper}");
        format!(
            "HTTP/1.1 400 Bad Request\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
            text.len()
        )
    });
    let secret = "CS-s3cr3t/+=&x";
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let http = Http::new(Limits::default()).expect("client");
    let got = rt.block_on(oauth::client_credentials(&http, &url, "conform-ci", secret));
    let text = got.expect_err("refused").to_string();
    assert!(text.contains("client_secret=<redacted>"), "{text}");
    assert!(!text.to_lowercase().contains("s3cr3t"), "{text}");
}

#[test]
fn listing_touches_no_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}/token", listener.local_addr().expect("addr"));
    let out = conform_with_secret(
        &[
            "run",
            "specs/",
            "--list",
            "--client-id",
            "conform-ci",
            "--token-url",
            &url,
        ],
        SECRET,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Roles_Get Role::happy: test"), "{stdout}");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "listing asked the token endpoint for a token"
    );
}
