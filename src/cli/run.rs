//! `conform run`: generate the suite from the documents and run it against
//! a server (or, with no `--base-url`, against the embedded one), with the
//! usual test-harness flags, then report. The flags resolve once into a
//! [`RunConfig`](conform::session::RunConfig) ([`resolve`]); a
//! [`Session`] does the rest; this file prints.

mod resolve;

use std::path::PathBuf;

use conform::mock::Fault;
use conform::plan::KINDS;
use conform::report::baseline::Baseline;
use conform::report::{console, coverage, fit, score, summary};
use conform::run::outcome::CaseStatus;
use conform::session::{Session, SessionError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::exit::{Exit, FAILED, INTERRUPTED, NO_CASE_RUN, SUCCESS, USAGE};

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
    #[arg(required_unless_present = "list_kinds")]
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
    /// Pair operations across API versions as `conform diff` does, with
    /// old paths under OLD_PREFIX read as under NEW_PREFIX (repeatable).
    #[arg(long = "path-map", value_name = "OLD_PREFIX=NEW_PREFIX", value_parser = super::diff::parse_map)]
    path_maps: Vec<conform::diff::PathMap>,
    /// A header sent with every request (repeatable).
    #[arg(long = "header", value_name = "NAME:VALUE")]
    headers: Vec<String>,
    /// A header sent with every request whose value is not a secret, shown
    /// as is in every output (repeatable; `--header` values are redacted).
    #[arg(long = "header-public", value_name = "NAME:VALUE")]
    public_headers: Vec<String>,
    /// Seconds one request may take, body included (default 30).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Cases run at the same time (default 8).
    #[arg(long, value_name = "N", value_parser = positive)]
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
    /// Write one self-contained HTML page here: score, coverage grid, role
    /// matrix and every failure.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Fail the run (exit 1) when the conformance score, in percent, is
    /// below P (0-100).
    #[arg(long, value_name = "P")]
    min_score: Option<f64>,
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
    /// Exit 0 even when cleanup left items on the server (they are still
    /// listed, each with the `curl` command that deletes it).
    #[arg(long)]
    allow_leftovers: bool,
    /// Name each request's documented operation in an
    /// `x-conform-operation` header, for `conform mock` serving documents
    /// that share a path (its start-up line passes it).
    #[arg(long)]
    operation_hints: bool,
    /// Run the cases that change an item a `--param` value names (its
    /// members, access list, tags, data...) where the suite cannot make an
    /// item of its own; without it they are not run, since on a shared
    /// server those items are real (`allow-param-changes = true`).
    #[arg(long)]
    allow_param_changes: bool,
    /// Run only the ignored cases (those that cannot run as configured).
    #[arg(long)]
    ignored: bool,
    /// Run ignored cases too.
    #[arg(long)]
    include_ignored: bool,
    /// Harness threads (default: the concurrency).
    #[arg(long, value_name = "N", value_parser = positive)]
    test_threads: Option<usize>,
    /// Harness output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// One character per case (same as `--format terse`).
    #[arg(short, long)]
    quiet: bool,
    /// Refuse documents with errors (exit 2) instead of leaving out the
    /// operations the errors touch.
    #[arg(long)]
    deny_doc_errors: bool,
    /// Start no case after the first failure.
    #[arg(long)]
    fail_fast: bool,
    /// Start no case after N failures (N from 1).
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "fail_fast",
        value_parser = at_least_one
    )]
    max_fail: Option<usize>,
    /// Start no case after this many seconds; cases under way finish
    /// (each request within --timeout). A stopped run fails (exit 1).
    #[arg(long, value_name = "SECONDS")]
    max_time: Option<f64>,
    /// Fail the run (exit 1) when any planned case is not run: for a
    /// missing setting, a filter, or an error in the documents
    /// (`require-all = true` in conform.toml).
    #[arg(long)]
    require_all: bool,
    /// Run one shard of the plan: `count:K/N` deals cases out in turn,
    /// `hash:K/N` by name (merge the shards' `--json` reports with
    /// `conform report merge`).
    #[arg(long, value_name = "SCHEME:K/N")]
    partition: Option<conform::plan::Partition>,
    /// Fail the run (exit 1) when fewer than N cases ran: a gate that
    /// should test something (`min-run` in conform.toml).
    #[arg(long, value_name = "N", value_parser = positive)]
    min_run: Option<usize>,
    /// Print every case kind with the statuses it provokes, and exit.
    #[arg(long)]
    list_kinds: bool,
    /// Run only cases whose name contains one of these (after `--`).
    #[arg(last = true, value_name = "FILTER")]
    filter: Vec<String>,
}

fn parse_fault(name: &str) -> Result<Fault, String> {
    Fault::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        format!("unknown fault; one of: {}", names.join(", "))
    })
}

/// `--max-fail`: a count of 1 or more; 0 would stop before the first
/// failure, which no run can honour.
fn at_least_one(text: &str) -> Result<usize, String> {
    positive(text).map_err(|e| match e.as_str() {
        ZERO => format!("{ZERO} (--fail-fast is --max-fail 1)"),
        _ => e,
    })
}

/// Why a count of 0 is refused.
const ZERO: &str = "must be at least 1";

/// A count of 1 or more: 0 threads, 0 cases at once or a gate of 0 cases
/// would be quietly taken for something else.
fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err(ZERO.into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// The `--list-kinds` text: one line per case kind, from the registry.
pub fn kind_list() -> String {
    let width = KINDS.iter().map(|k| k.name.len()).max().unwrap_or(0);
    let provokes: Vec<String> = KINDS.iter().map(|k| k.provokes.describe()).collect();
    let provokes_width = provokes.iter().map(String::len).max().unwrap_or(0);
    KINDS
        .iter()
        .zip(&provokes)
        .map(|(k, p)| format!("{:width$}  {p:provokes_width$}  {}\n", k.name, k.doc))
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    if args.list_kinds {
        super::emit(&kind_list())?;
        return Ok(SUCCESS);
    }
    quiet_on_closed_pipe();
    let config = resolve::resolve(args)?;
    let mut session = match Session::open(config) {
        Ok(session) => session,
        Err(SessionError::DocumentErrors(errors)) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("error: {}", SessionError::DocumentErrors(errors));
            return Ok(USAGE);
        }
        Err(e @ SessionError::NoUsableOperation { .. }) => {
            if let SessionError::NoUsableOperation { left_out, .. } = &e {
                for l in left_out {
                    eprintln!("not run: {}: {}", l.name, l.reason);
                }
            }
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    for source in session.not_references() {
        eprintln!("note: {source} is not an API reference (it documents no operation); left out");
    }
    // A mistyped filter beside one that matches would shrink the run
    // without a word: nothing runs, and every such filter is named.
    if let Some(line) = unmatched_line(session.unmatched_filters()) {
        session.stop_server();
        eprintln!("error: {line}; no case ran");
        return Ok(NO_CASE_RUN);
    }
    if let Some(url) = session.embedded_url() {
        eprintln!("embedded server at {url}");
    }
    let harness = &session.config().harness;
    let (list, machine) = (harness.list, harness.machine());
    let mut arguments = harness.arguments();
    arguments.color = Some(if super::style::colours() {
        libtest_mimic::ColorSetting::Always
    } else {
        libtest_mimic::ColorSetting::Never
    });
    // On a terminal the harness writes its lines to a scratch file and a
    // progress bar shows instead; the failures are printed afterwards.
    let bar = progress(&session);
    let scratch = bar.as_ref().and_then(|_| scratch_log());
    arguments.logfile = scratch.as_ref().map(|p| p.to_string_lossy().into_owned());
    let bar = bar.filter(|_| arguments.logfile.is_some());
    let tick = bar.clone();
    let executed = session.execute(&arguments, move || {
        if let Some(bar) = &tick {
            bar.inc(1);
        }
    });
    session.stop_server();
    if list {
        return Ok(SUCCESS);
    }
    let failed = executed.conclusion.has_failed();
    if let Some(bar) = &bar {
        let conclusion = &executed.conclusion;
        bar.finish_and_clear();
        if let Some(path) = &scratch {
            let _ = std::fs::remove_file(path);
        }
        let mut text = String::new();
        for o in executed
            .outcomes
            .iter()
            .filter(|o| o.status == CaseStatus::Failed)
        {
            text.push_str(&format!("\n---- {} ----\n{}", o.name, console::failure(o)));
        }
        for l in session.left_out() {
            text.push_str(&format!("\nnot run: {}: {}", l.name, l.reason));
        }
        for o in &executed.outcomes {
            for (check, reason) in Baseline::of(o) {
                text.push_str(&format!("\naccepted: {} / {check}: {reason}", o.name));
            }
        }
        text.push_str(&format!(
            "\ntest result: {}. {} passed; {} failed; {} ignored; {} filtered out\n",
            if failed {
                super::style::red("FAILED")
            } else {
                "ok".to_string()
            },
            conclusion.num_passed,
            conclusion.num_failed,
            conclusion.num_ignored,
            conclusion.num_filtered_out
        ));
        super::emit(&text)?;
    }
    let pretty = bar.is_none();
    let stopped = executed.stopped.clone();
    let report = session.report(executed);
    if !machine {
        let t = &report.totals;
        let mut accepted = String::new();
        // Under the progress bar these lines were printed with the failures.
        if pretty {
            for o in &report.cases {
                for (check, reason) in Baseline::of(o) {
                    accepted.push_str(&format!("accepted: {} / {check}: {reason}\n", o.name));
                }
            }
        }
        for a in &report.advisories {
            accepted.push_str(&format!("advisory: {}\n", a.line()));
        }
        let wanted = summary::wanted_line(&report.not_run)
            .map(|w| format!("{w}\n"))
            .unwrap_or_default();
        // `-q`: the failures (printed as they came) and the summary only.
        let tables = if session.config().harness.quiet {
            String::new()
        } else {
            let width = super::style::width();
            let fit = |text: String, rows: usize| match width {
                Some(w) => fit::table(&text, rows, w),
                None => text,
            };
            let roles = roles_section(&report.coverage);
            format!(
                "\ncoverage (documented statuses per operation):\n{}{}\nchecks per operation:\n{}",
                super::style::cells(&fit(
                    coverage::render(&report.coverage),
                    report.coverage.rows.len()
                )),
                super::style::cells(&width.map_or(roles.clone(), |w| fit::lines(&roles, w))),
                fit(summary::render(&report.summary), report.summary.len()),
            )
        };
        let shard = report
            .shard
            .as_ref()
            .map(|s| {
                format!(
                    "partition {}: {} of the plan's {} cases\n",
                    s.partition,
                    session.cases().len(),
                    s.planned
                )
            })
            .unwrap_or_default();
        super::emit(&format!(
            "{tables}\n{accepted}{shard}{}\n{}\n{wanted}",
            super::style::summary(&summary::line(t, &report.left_out, report.millis)),
            score::score(&report.coverage).line(),
        ))?;
    }
    let leftovers = console::leftovers(&report.leftovers);
    if machine {
        eprint!("{leftovers}");
    } else {
        super::emit(&leftovers)?;
    }
    let left_behind = !report.leftovers.is_empty() && !session.config().allow_leftovers;
    for e in &report.now_passing {
        eprintln!(
            "baseline entry now passes (remove it): {} / {}",
            e.case, e.check
        );
    }
    session.write_reports(&report)?;
    if let Some(reason) = &stopped {
        eprintln!("error: the run {reason}");
        if reason.ends_with(conform::report::summary::INTERRUPTED) {
            return Ok(INTERRUPTED);
        }
        return Ok(FAILED);
    }
    let min_score = session.config().min_score;
    let score = score::score(&report.coverage);
    let below = min_score.filter(|min| !score.reaches(*min));
    if let Some(min) = below {
        eprintln!("error: {}", score.below(min));
    }
    if failed || left_behind || below.is_some() {
        return Ok(FAILED);
    }
    // A shard the partition dealt no case is not a gate that tested
    // nothing: the merged report of all shards is.
    let empty_shard = report.shard.is_some() && session.cases().is_empty();
    if report.totals.cases == 0 && !empty_shard {
        eprintln!("error: no case ran; see the filters and the settings above");
        return Ok(NO_CASE_RUN);
    }
    let t = &report.totals;
    let unrun = t.skipped + t.not_run + t.no_status + t.filtered_out + report.left_out.len();
    let harness = &session.config().harness;
    if harness.require_all && unrun > 0 {
        eprintln!("error: {unrun} planned cases or operations did not run (--require-all)");
        return Ok(FAILED);
    }
    if let Some(n) = harness.min_run.filter(|n| t.cases < *n) {
        eprintln!("error: {} cases ran, fewer than {n} (--min-run)", t.cases);
        return Ok(FAILED);
    }
    Ok(SUCCESS)
}

/// `no case matches the filter `x``, or the filters, each quoted; nothing
/// when every filter matches a case.
fn unmatched_line(filters: &[String]) -> Option<String> {
    let quoted: Vec<String> = filters.iter().map(|f| format!("`{f}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("no case matches the filter {one}")),
        many => Some(format!("no case matches the filters {}", many.join(", "))),
    }
}

/// A closed stdout (`conform run specs/ | head -1`) ends the process
/// quietly, as it does for other Unix tools, instead of a panic in the
/// harness's printing: the default action of SIGPIPE, which Rust ignores.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up,
    // before any thread that could race on it is spawned.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A progress bar on stderr, when stdout is a terminal and the output
/// format was left to us.
fn progress(session: &Session) -> Option<ProgressBar> {
    use std::io::IsTerminal as _;
    let h = &session.config().harness;
    if h.list || h.quiet || h.format.is_some() || !std::io::stdout().is_terminal() {
        return None;
    }
    let total = session.selected() as u64;
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} cases  {elapsed}").ok()?;
    Some(ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style))
}

/// A fresh scratch file for the harness's own lines.
fn scratch_log() -> Option<PathBuf> {
    let path =
        std::env::temp_dir().join(format!("conform-run-{}.log", uuid::Uuid::new_v4().simple()));
    std::fs::File::create(&path).ok().map(|_| path)
}

/// The role matrix under its heading, or nothing where no operation lists
/// roles.
fn roles_section(c: &coverage::Coverage) -> String {
    if c.roles.is_empty() {
        return String::new();
    }
    format!(
        "\nroles (each allowed role served, each other role refused):\n{}",
        coverage::render_roles(c)
    )
}
