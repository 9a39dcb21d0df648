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
