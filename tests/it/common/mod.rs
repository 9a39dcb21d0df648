//! Helpers shared by the integration tests.

use std::process::Command;

/// Runs the `conform` binary from the repository root: (exit code, stdout, stderr).
pub fn conform(args: &[&str]) -> (i32, String, String) {
    conform_env(args, &[])
}

/// [`conform`] with extra environment; what the caller's environment may
/// hold of conform's own (a token, a base URL, colour settings) is
/// removed first, so that a test sees only what it sets.
pub fn conform_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_conform"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CONFORM_TOKEN")
        .env_remove("CONFORM_BASE_URL")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("conform runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What `report` breaks of the published JSON report schema
/// (`docs/report.schema.json`), one message per error.
pub fn report_schema_errors(report: &serde_json::Value) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/report.schema.json"
    ))
    .expect("the report schema reads");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(report)
        .map(|e| e.to_string())
        .collect()
}

/// The plan of `contracts` for the reference server `server`, made as a
/// run against the embedded server makes it (with `nonce`), and the engine
/// that runs it there.
pub fn planned_engine(
    contracts: &[conform::spec::Contract],
    server: &conform::mock::MockServer,
    read_only: bool,
    nonce: &str,
) -> (
    Vec<conform::plan::TestCase>,
    std::sync::Arc<conform::run::Engine>,
) {
    let target = conform::session::embedded::target(server.fixture(), server.url());
    let cases = conform::plan::generate(contracts, &target.plan_config(read_only, nonce));
    let engine = conform::run::Engine::new(
        contracts.to_vec(),
        target,
        conform::run::http::Limits::default(),
        conform::run::checks::Settings::default(),
        Default::default(),
    )
    .expect("engine");
    (cases, std::sync::Arc::new(engine))
}

/// Runs the suite generated from `specs/` against a fresh embedded server
/// making `faults`: every case's outcome.
pub fn run_specs_with(
    faults: Vec<conform::mock::Fault>,
) -> Vec<conform::run::outcome::CaseOutcome> {
    use conform::mock::{Fixture, MockOptions};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let contracts = conform::spec::load_all(&["specs"]).expect("specs");
    let options = MockOptions {
        faults,
        ..MockOptions::default()
    };
    let server = rt
        .block_on(conform::mock::start(
            contracts.clone(),
            Fixture::builtin(),
            options,
        ))
        .expect("mock starts");
    let (cases, engine) = planned_engine(&contracts, &server, false, "itest");
    let outcomes = rt.block_on(engine.execute_all(&cases, 8));
    rt.block_on(server.shutdown());
    outcomes
}

/// A `conform` process serving on a port of its own (`conform mock ...`),
/// with the URL its first stdout line gave.
pub struct Served {
    /// The process; its stderr is still piped and unread.
    pub child: std::process::Child,
    /// The URL it serves on.
    pub url: String,
    /// Its stdout, kept open past the URL line.
    pub stdout: std::io::BufReader<std::process::ChildStdout>,
}

/// Starts `conform ARGS` from the repository root and reads the URL it
/// prints first.
pub fn serve_conform(args: &[&str]) -> Served {
    use std::io::BufRead;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("conform starts");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = String::new();
    stdout.read_line(&mut url).expect("a URL line");
    Served {
        child,
        url: url.trim().to_string(),
        stdout,
    }
}

/// An empty-or-reused directory of this test process named `name`, under
/// the target directory's scratch space: names are unique across modules.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("conform-it-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
