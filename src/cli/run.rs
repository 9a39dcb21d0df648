//! `conform run`: generate the suite from the documents and run it against
//! a server (or, with no `--base-url`, against the embedded one), with the
//! usual test-harness flags, then report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use conform::mock::{self, Fault, Fixture, MockOptions};
use conform::plan::TestCase;
use conform::plan::{self, PlanConfig};
use conform::report::RunReport;
use conform::report::{baseline::Baseline, console, coverage, json, junit, markdown, summary};
use conform::run::checks::Settings;
use conform::run::http::{Http, Limits};
use conform::run::outcome::CaseStatus;
use conform::run::{embedded, oauth, trials, Engine, RoleToken, Target};
use conform::schema::SchemaOptions;
use conform::spec::{self, Severity};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Deserialize;

use super::exit::{Exit, FAILED, SUCCESS, USAGE};

/// Output formats of the harness.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One line per case.
    Pretty,
    /// One character per case.
    Terse,
    /// libtest's JSON lines.
    Json,
}

/// Arguments of `conform run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Documents, or directories of `.md` and `.txt` documents.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The server to test; without it the embedded server is started.
    #[arg(long, env = "CONFORM_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// Bearer token taken to hold every documented role.
    #[arg(long, env = "CONFORM_TOKEN", hide_env_values = true, value_name = "T")]
    token: Option<String>,
    /// OAuth2 client id for the client-credentials grant.
    #[arg(long, env = "CONFORM_CLIENT_ID", value_name = "ID")]
    client_id: Option<String>,
    /// OAuth2 client secret (prefer the environment variable).
    #[arg(
        long,
        env = "CONFORM_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    client_secret: Option<String>,
    /// OAuth2 token endpoint.
    #[arg(long, env = "CONFORM_TOKEN_URL", value_name = "URL")]
    token_url: Option<String>,
    /// A token holding exactly these roles, for role cases (repeatable).
    #[arg(long = "role-token", value_name = "ROLE[,ROLE]=TOKEN")]
    role_tokens: Vec<String>,
    /// A path-parameter value the suite cannot create (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// A header sent with every request (repeatable).
    #[arg(long = "header", value_name = "NAME:VALUE")]
    headers: Vec<String>,
    /// Seconds one request may take, body included (default 30).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Cases run at the same time (default 8).
    #[arg(long, value_name = "N")]
    concurrency: Option<usize>,
    /// Accept any TLS certificate.
    #[arg(long)]
    insecure: bool,
    /// Send only GET and HEAD requests.
    #[arg(long)]
    read_only: bool,
    /// The header HEAD counts answer with (default Total-Count).
    #[arg(long, value_name = "NAME")]
    count_header: Option<String>,
    /// Reject members a definition does not declare.
    #[arg(long)]
    strict: bool,
    /// Write JUnit XML here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write every case, step, check and outcome as JSON here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write a markdown summary here (for a pull-request comment).
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Accepted failures: only failures not listed here fail the run.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current failures as a baseline here.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Settings file (default: ./conform.toml when present).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// With the embedded server: make it deviate on purpose (repeatable;
    /// see `conform mock --list-faults`).
    #[arg(long = "fault", value_name = "NAME", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// Match the filter exactly rather than as a substring.
    #[arg(long)]
    exact: bool,
    /// Skip cases whose name contains this (repeatable).
    #[arg(long, value_name = "FILTER")]
    skip: Vec<String>,
    /// List the cases instead of running them.
    #[arg(long)]
    list: bool,
    /// Run only the ignored cases (those that cannot run as configured).
    #[arg(long)]
    ignored: bool,
    /// Run ignored cases too.
    #[arg(long)]
    include_ignored: bool,
    /// Harness threads (default: the concurrency).
    #[arg(long, value_name = "N")]
    test_threads: Option<usize>,
    /// Harness output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// One character per case (same as `--format terse`).
    #[arg(short, long)]
    quiet: bool,
    /// Run only cases whose name contains this (after `--`).
    #[arg(last = true, value_name = "FILTER")]
    filter: Vec<String>,
}

fn parse_fault(name: &str) -> Result<Fault, String> {
    Fault::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        format!("unknown fault; one of: {}", names.join(", "))
    })
}

/// `conform.toml`: the same settings as the flags, which win over it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    base_url: Option<String>,
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    token_url: Option<String>,
    #[serde(default)]
    role_tokens: Vec<String>,
    #[serde(default)]
    params: BTreeMap<String, String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    timeout: Option<f64>,
    concurrency: Option<usize>,
    insecure: Option<bool>,
    read_only: Option<bool>,
    count_header: Option<String>,
    strict: Option<bool>,
    baseline: Option<PathBuf>,
}

fn load_config(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let default = PathBuf::from("conform.toml");
            if !default.is_file() {
                return Ok(FileConfig::default());
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("failed to read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("failed to read {}", path.display()))
}

/// `Tenant Member,Community Member=TOKEN`.
fn parse_role_token(text: &str) -> anyhow::Result<RoleToken> {
    // Role names hold no `=`; tokens may end in base64 padding.
    let Some((roles, token)) = text.split_once('=') else {
        bail!("--role-token needs ROLE[,ROLE]=TOKEN");
    };
    let roles: Vec<String> = roles
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if roles.is_empty() || token.is_empty() {
        bail!("--role-token needs at least one role and a token: ROLE[,ROLE]=TOKEN");
    }
    Ok(RoleToken {
        roles,
        token: token.to_string(),
    })
}

fn parse_pair(text: &str, sep: char, flag: &str) -> anyhow::Result<(String, String)> {
    match text.split_once(sep) {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => bail!("{flag} needs NAME{sep}VALUE, got `{text}`"),
    }
}

fn seconds(value: f64, what: &str) -> anyhow::Result<Duration> {
    if !(value.is_finite() && value > 0.0 && value < 86_400.0) {
        bail!("{what} must be a positive number of seconds");
    }
    Ok(Duration::from_secs_f64(value))
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let file = load_config(args.config.as_deref())?;
    let contracts = spec::load_all(&args.paths)?;
    let errors: Vec<String> = contracts
        .iter()
        .flat_map(|c| &c.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("{e}");
        }
        let noun = if errors.len() == 1 { "error" } else { "errors" };
        eprintln!(
            "error: the documents have {} {noun}; see `conform lint`",
            errors.len()
        );
        return Ok(USAGE);
    }

    let base_url = args.base_url.clone().or(file.base_url.clone());
    let mut role_tokens = Vec::new();
    for text in args.role_tokens.iter().chain(&file.role_tokens) {
        role_tokens.push(parse_role_token(text)?);
    }
    let mut params: BTreeMap<String, String> = file.params.clone();
    for text in &args.params {
        let (k, v) = parse_pair(text, '=', "--param")?;
        params.insert(k, v);
    }
    let mut headers: Vec<(String, String)> = file.headers.clone().into_iter().collect();
    for text in &args.headers {
        headers.push(parse_pair(text, ':', "--header")?);
    }
    let mut limits = Limits::default();
    if let Some(t) = args.timeout.or(file.timeout) {
        limits.timeout = seconds(t, "--timeout")?;
    }
    limits.insecure = args.insecure || file.insecure.unwrap_or(false);
    let concurrency = args.concurrency.or(file.concurrency).unwrap_or(8).max(1);
    let read_only = args.read_only || file.read_only.unwrap_or(false);
    let settings = Settings {
        count_header: args
            .count_header
            .clone()
            .or(file.count_header.clone())
            .unwrap_or_else(|| Settings::default().count_header),
    };
    let schema = SchemaOptions {
        strict: args.strict || file.strict.unwrap_or(false),
        ..SchemaOptions::default()
    };
    let baseline_path = args.baseline.clone().or(file.baseline.clone());
    let baseline = baseline_path
        .as_deref()
        .map(Baseline::load)
        .transpose()?
        .map(Arc::new);
    if base_url.is_some() && !args.faults.is_empty() {
        bail!("--fault applies to the embedded server only; drop --base-url");
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;

    let mut server = None;
    let mut target = match &base_url {
        Some(url) => Target {
            base_url: url.clone(),
            token: args.token.clone().or(file.token.clone()),
            role_tokens,
            params,
            headers,
        },
        None => {
            let fixture = Fixture::builtin();
            let options = MockOptions {
                faults: args.faults.clone(),
                count_header: settings.count_header.clone(),
                ..MockOptions::default()
            };
            let started =
                runtime.block_on(mock::start(contracts.clone(), fixture.clone(), options))?;
            let mut t = embedded::target(started.fixture(), started.url());
            t.params.extend(params);
            t.headers = headers;
            if let Some(token) = args.token.clone() {
                t.token = Some(token);
            }
            t.role_tokens.extend(role_tokens);
            eprintln!("embedded server at {}", started.url());
            server = Some(started);
            t
        }
    };

    let client_id = args.client_id.clone().or(file.client_id.clone());
    let client_secret = args.client_secret.clone().or(file.client_secret.clone());
    if let Some(id) = &client_id {
        let (Some(secret), Some(url)) = (
            &client_secret,
            args.token_url.clone().or(file.token_url.clone()),
        ) else {
            bail!("--client-id needs --token-url and CONFORM_CLIENT_SECRET");
        };
        let http = Http::new(limits.clone())?;
        let token = runtime.block_on(oauth::client_credentials(&http, &url, id, secret))?;
        target.token = Some(token);
    }

    let nonce: String = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let cfg = PlanConfig {
        params: target.params.keys().cloned().collect(),
        read_only,
        role_tokens: target.role_tokens.iter().map(|t| t.roles.clone()).collect(),
        nonce,
    };
    let cases = plan::generate(&contracts, &cfg);
    let mut engine = Engine::new(contracts.clone(), target, limits, settings, schema)?;
    if let Some(secret) = &client_secret {
        engine.hide(secret, "$CONFORM_CLIENT_SECRET");
    }
    let engine = Arc::new(engine);

    let harness = libtest_mimic::Arguments {
        filter: args.filter.first().cloned(),
        exact: args.exact,
        skip: args.skip.clone(),
        list: args.list,
        ignored: args.ignored,
        include_ignored: args.include_ignored,
        test_threads: Some(args.test_threads.unwrap_or(concurrency).max(1)),
        quiet: args.quiet,
        format: args.format.map(|f| match f {
            Format::Pretty => libtest_mimic::FormatSetting::Pretty,
            Format::Terse => libtest_mimic::FormatSetting::Terse,
            Format::Json => libtest_mimic::FormatSetting::Json,
        }),
        ..libtest_mimic::Arguments::default()
    };
    // On a terminal the harness writes its lines to a scratch file and a
    // progress bar shows instead; the failures are printed afterwards.
    let bar = progress(&args, &cases);
    let mut harness = harness;
    let scratch = bar.as_ref().and_then(|_| scratch_log());
    harness.logfile = scratch.as_ref().map(|p| p.to_string_lossy().into_owned());
    let bar = bar.filter(|_| harness.logfile.is_some());
    let finish_baseline = baseline.clone();
    let finish_bar = bar.clone();
    let finish: trials::Finish = Arc::new(move |outcome| {
        if let Some(b) = &finish_baseline {
            b.apply(outcome);
        }
        if let Some(bar) = &finish_bar {
            bar.inc(1);
        }
        console::failure(outcome)
    });
    let start = Instant::now();
    let (conclusion, outcomes) = trials::run(
        engine.clone(),
        &cases,
        &harness,
        runtime.handle().clone(),
        finish,
    );
    if let Some(s) = server {
        runtime.block_on(s.shutdown());
    }
    if args.list {
        return Ok(SUCCESS);
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
        if let Some(path) = &scratch {
            let _ = std::fs::remove_file(path);
        }
        let mut text = String::new();
        for o in outcomes.iter().filter(|o| o.status == CaseStatus::Failed) {
            text.push_str(&format!("\n---- {} ----\n{}", o.name, console::failure(o)));
        }
        text.push_str(&format!(
            "\ntest result: {}. {} passed; {} failed; {} ignored; {} filtered out\n",
            if conclusion.has_failed() {
                "FAILED"
            } else {
                "ok"
            },
            conclusion.num_passed,
            conclusion.num_failed,
            conclusion.num_ignored,
            conclusion.num_filtered_out
        ));
        super::emit(&text)?;
    }
    let report = RunReport::new(
        &contracts,
        &cases,
        outcomes,
        read_only,
        baseline.as_deref(),
        start.elapsed().as_millis() as u64,
    );
    let machine = matches!(args.format, Some(Format::Json));
    if !machine {
        let t = &report.totals;
        super::emit(&format!(
            "\ncoverage (documented statuses per operation):\n{}\nchecks per operation:\n{}\n\
             {} cases run: {} passed, {} failed, {} skipped; {} requests in {} ms\n",
            coverage::render(&report.coverage),
            summary::render(&report.summary),
            t.cases,
            t.passed,
            t.failed,
            t.skipped - report.not_run.len(),
            t.requests,
            report.millis
        ))?;
    }
    for e in &report.now_passing {
        eprintln!(
            "baseline entry now passes (remove it): {} / {}",
            e.case, e.check
        );
    }
    if let Some(path) = &args.junit {
        let xml = junit::render(&report).context("failed to render JUnit XML")?;
        write(path, &xml)?;
    }
    if let Some(path) = &args.json {
        write(path, &json::render(&report)?)?;
    }
    if let Some(path) = &args.markdown {
        write(path, &markdown::render(&report))?;
    }
    if let Some(path) = &args.write_baseline {
        Baseline::record(&report.cases).save(path)?;
    }
    Ok(if conclusion.has_failed() {
        FAILED
    } else {
        SUCCESS
    })
}

/// Whether libtest would run this case with these flags.
fn selected(args: &Args, case: &TestCase) -> bool {
    let hit = |pattern: &str| {
        if args.exact {
            case.name == pattern
        } else {
            case.name.contains(pattern)
        }
    };
    let ignored = case.ignored.is_some();
    let wanted = match (args.ignored, args.include_ignored) {
        (true, _) => ignored,
        (false, true) => true,
        (false, false) => !ignored,
    };
    wanted && args.filter.first().is_none_or(|f| hit(f)) && !args.skip.iter().any(|s| hit(s))
}

/// A progress bar on stderr, when stdout is a terminal and the output
/// format was left to us.
fn progress(args: &Args, cases: &[TestCase]) -> Option<ProgressBar> {
    use std::io::IsTerminal as _;
    if args.list || args.quiet || args.format.is_some() || !std::io::stdout().is_terminal() {
        return None;
    }
    let total = cases.iter().filter(|c| selected(args, c)).count() as u64;
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} cases  {elapsed}").ok()?;
    Some(ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style))
}

/// A fresh scratch file for the harness's own lines.
fn scratch_log() -> Option<PathBuf> {
    let path =
        std::env::temp_dir().join(format!("conform-run-{}.log", uuid::Uuid::new_v4().simple()));
    std::fs::File::create(&path).ok().map(|_| path)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("failed to write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_tokens_split_roles_from_the_token() {
        let rt = parse_role_token("Tenant Member, Community Member=abc=").unwrap();
        assert_eq!(rt.roles, vec!["Tenant Member", "Community Member"]);
        assert_eq!(rt.token, "abc=");
        let rt = parse_role_token("Tenant Member=a.b.c").unwrap();
        assert_eq!((rt.roles.len(), rt.token.as_str()), (1, "a.b.c"));
        assert!(parse_role_token("no token").is_err());
        assert!(parse_role_token("=tok").is_err());
    }

    #[test]
    fn pairs_and_seconds_are_validated() {
        assert_eq!(
            parse_pair("X-Trace: 1", ':', "--header").unwrap(),
            ("X-Trace".into(), "1".into())
        );
        assert!(parse_pair("novalue", '=', "--param").is_err());
        assert!(seconds(0.0, "--timeout").is_err());
        assert!(seconds(f64::NAN, "--timeout").is_err());
        assert_eq!(
            seconds(1.5, "--timeout").unwrap(),
            Duration::from_millis(1500)
        );
    }
}
