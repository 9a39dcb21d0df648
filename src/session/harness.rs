//! [`Session`]: one run from resolved settings to reports. It owns the
//! setup (documents, the embedded server or the target, the OAuth token,
//! the plan, the engine), runs the cases, gathers the report and writes
//! the report files. What reaches the terminal is the caller's business.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use libtest_mimic::{Arguments, Conclusion};
use tokio::runtime::Runtime;

use super::config::{Endpoint, RunConfig};
use super::documents::Documents;
use super::{embedded, preflight, SessionError};
use crate::api::Api;
use crate::mock::MockServer;
use crate::plan::{self, TestCase};
use crate::report::baseline::Baseline;
use crate::report::summary::{INTERRUPTED, STOPPED};
use crate::report::{console, json, junit, markdown, LeftOut, RunReport};
use crate::run::http::Http;
use crate::run::outcome::{CaseOutcome, CaseStatus};
use crate::run::{oauth, trials, Engine, Target};

/// One run, set up and ready to execute.
pub struct Session {
    config: RunConfig,
    runtime: Runtime,
    documents: Documents,
    server: Option<MockServer>,
    engine: Arc<Engine>,
    cases: Vec<TestCase>,
    /// Cases in the whole plan, before `--partition` kept one shard.
    planned: usize,
    /// The name filters that match no case of the whole plan.
    unmatched: Vec<String>,
    baseline: Option<Arc<Baseline>>,
}

/// What running the cases gave.
pub struct Executed {
    /// The harness's verdict.
    pub conclusion: Conclusion,
    /// The outcomes of the cases that ran, in case order.
    pub outcomes: Vec<CaseOutcome>,
    /// Wall time of the cases.
    pub millis: u64,
    /// Why the run stopped before its end, if it did.
    pub stopped: Option<String>,
}

impl Session {
    /// Reads the documents and sets everything up: refuses documents with
    /// errors under `deny_doc_errors`, else leaves out what the errors
    /// touch; starts the embedded server when there is no base URL; fetches
    /// the OAuth token; generates the plan and builds the engine.
    pub fn open(config: RunConfig) -> Result<Session, SessionError> {
        let documents = Documents::load(&config.paths)?;
        Session::with_documents(config, documents)
    }

    /// [`Session::open`] with the documents already read.
    pub fn with_documents(
        config: RunConfig,
        documents: Documents,
    ) -> Result<Session, SessionError> {
        if config.deny_doc_errors {
            let errors = documents.errors();
            if !errors.is_empty() {
                return Err(SessionError::DocumentErrors(
                    errors.into_iter().cloned().collect(),
                ));
            }
        }
        if documents.usable.is_empty() {
            return Err(SessionError::NoUsableOperation {
                documents: documents.unusable().iter().map(|s| s.to_string()).collect(),
                left_out: documents.left_out.clone(),
            });
        }
        check_params(&config, &documents)?;
        if let Some((path, source)) = config.reports.unwritable().into_iter().next() {
            return Err(SessionError::Write { path, source });
        }
        let baseline = config
            .baseline
            .as_deref()
            .map(Baseline::load)
            .transpose()?
            .map(Arc::new);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(SessionError::Runtime)?;

        // One model of the API for the plan and the server it may start.
        let api = Arc::new(Api::new(documents.usable.clone()));
        let (server, mut target) = match &config.endpoint {
            Endpoint::Remote(url) => (
                None,
                Target {
                    base_url: url.clone(),
                    token: config.token.clone(),
                    role_tokens: config.role_tokens.clone(),
                    params: config.params.clone(),
                    headers: config.headers.clone(),
                    public_headers: config.public_headers.clone(),
                    operation_hints: config.operation_hints,
                    change_given: config.allow_param_changes,
                },
            ),
            Endpoint::Embedded(faults) => {
                // Listing touches no network: the plan needs the fixture's
                // parameters and roles, not a listening server.
                let (server, mut t) = if config.harness.list {
                    (None, embedded::planned(&api))
                } else {
                    let (server, t) = runtime.block_on(embedded::start(
                        api.clone(),
                        faults.clone(),
                        config.settings.count_header.clone(),
                    ))?;
                    (Some(server), t)
                };
                t.params.extend(config.params.clone());
                t.headers = config.headers.clone();
                t.public_headers = config.public_headers.clone();
                if let Some(token) = &config.token {
                    t.token = Some(token.clone());
                }
                t.role_tokens.extend(config.role_tokens.iter().cloned());
                (server, t)
            }
        };
        // The token matters only to requests; a listing sends none.
        if let Some(cc) = config
            .client_credentials
            .as_ref()
            .filter(|_| !config.harness.list)
        {
            let http = Http::new(config.limits.clone())?;
            let token = runtime.block_on(oauth::client_credentials(
                &http,
                &cc.token_url,
                &cc.client_id,
                &cc.client_secret,
            ))?;
            target.token = Some(token);
        }

        let nonce: String = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
        let plan_config = target.plan_config(config.read_only, nonce);
        let mut cases = plan::generate_mapped(&api, &plan_config, &config.path_maps);
        let planned = cases.len();
        let unmatched = config.harness.unmatched(&cases);
        if let Some(p) = &config.harness.partition {
            cases = p.apply(cases);
        }
        let probe = target.clone();
        let mut engine = Engine::new(
            documents.usable.clone(),
            target,
            config.limits.clone(),
            config.settings.clone(),
            config.schema,
        )?;
        // After the engine has checked the base URL; before any case. A
        // listing sends nothing, so it needs no reachable server.
        if matches!(config.endpoint, Endpoint::Remote(_)) && !config.harness.list {
            let http = Http::new(config.limits.clone())?;
            runtime.block_on(preflight::check(&http, &probe, &documents.usable))?;
        }
        if let Some(cc) = &config.client_credentials {
            engine.hide(&cc.client_secret, "$CONFORM_CLIENT_SECRET");
        }
        Ok(Session {
            config,
            runtime,
            documents,
            server,
            engine: Arc::new(engine),
            cases,
            planned,
            unmatched,
            baseline,
        })
    }

    /// The URL of the embedded server, when the run started one.
    pub fn embedded_url(&self) -> Option<&str> {
        self.server.as_ref().map(MockServer::url)
    }

    /// The settings the session was opened with.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// How many cases the whole plan has: more than [`Session::cases`]
    /// under `--partition`.
    pub fn planned(&self) -> usize {
        self.planned
    }

    /// The name filters (after `--`) that match no case of the whole
    /// plan: a mistyped filter, which would otherwise be passed over in
    /// silence when another filter matches.
    pub fn unmatched_filters(&self) -> &[String] {
        &self.unmatched
    }

    /// The generated cases, in plan order (this shard's, under
    /// `--partition`).
    pub fn cases(&self) -> &[TestCase] {
        &self.cases
    }

    /// The documents that are not API references (no operation, no
    /// error): a README in the docs folder, say.
    pub fn not_references(&self) -> &[String] {
        &self.documents.not_references
    }

    /// What errors in the documents left out.
    pub fn left_out(&self) -> &[LeftOut] {
        &self.documents.left_out
    }

    /// How many cases the harness flags select.
    pub fn selected(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| self.config.harness.selects(c))
            .count()
    }

    /// Runs the selected cases through the harness with `args` (the
    /// configured flags, perhaps with a log file), listing what is left
    /// out as ignored. `progress` is called as each case finishes.
    pub fn execute(
        &self,
        args: &Arguments,
        progress: impl Fn() + Send + Sync + 'static,
    ) -> Executed {
        let baseline = self.baseline.clone();
        let failures = Arc::new(AtomicUsize::new(0));
        let counted = failures.clone();
        let finish: trials::Finish = Arc::new(move |outcome| {
            if let Some(b) = &baseline {
                b.apply(outcome);
            }
            if outcome.status == CaseStatus::Failed {
                counted.fetch_add(1, Ordering::SeqCst);
            }
            progress();
            console::failure(outcome)
        });
        let (max_fail, max_time) = (self.config.harness.max_fail, self.config.harness.max_time);
        let stopped: Arc<Mutex<Option<String>>> = Arc::default();
        let record = stopped.clone();
        let begun = Instant::now();
        let interrupted = self.interrupt_on_ctrl_c();
        let stop: trials::Stop = Arc::new(move || {
            let failed = failures.load(Ordering::SeqCst);
            let reason = match (max_fail, max_time) {
                _ if interrupted.load(Ordering::SeqCst) => format!("{STOPPED}{INTERRUPTED}"),
                (Some(n), _) if failed >= n => {
                    format!("{STOPPED}{failed} failed (--max-fail {n})")
                }
                (_, Some(t)) if begun.elapsed() >= t => {
                    format!("{STOPPED}the run took {} s (--max-time)", t.as_secs_f64())
                }
                _ => return None,
            };
            let mut first = record.lock().unwrap_or_else(|e| e.into_inner());
            Some(first.get_or_insert(reason).clone())
        });
        // libtest applies one filter; several are applied here, so that
        // every one of them is used.
        let filtered: Vec<TestCase>;
        let cases = if self.config.harness.filters.len() > 1 {
            filtered = self
                .cases
                .iter()
                .filter(|c| self.config.harness.matches(c))
                .cloned()
                .collect();
            &filtered
        } else {
            &self.cases
        };
        let start = Instant::now();
        let (conclusion, outcomes) = trials::run(
            self.engine.clone(),
            cases,
            &self.documents.listing(),
            args,
            self.runtime.handle().clone(),
            finish,
            stop,
        );
        let stopped = stopped.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Executed {
            conclusion,
            outcomes,
            millis: start.elapsed().as_millis() as u64,
            stopped,
        }
    }

    /// From now on, Ctrl-C (SIGINT) sets the returned flag instead of
    /// ending the process: the run starts no further case, lets those
    /// under way finish and clean up, and writes its reports. A second
    /// Ctrl-C ends the process at once.
    fn interrupt_on_ctrl_c(&self) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        let set = flag.clone();
        // The handler is in place when this returns, not when the task is
        // first polled: a Ctrl-C while the first case is under way must
        // not find the default disposition still there.
        #[cfg(unix)]
        let mut interrupts = {
            let _entered = self.runtime.enter();
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
                Ok(signal) => signal,
                Err(_) => return flag,
            }
        };
        self.runtime.spawn(async move {
            for count in 0.. {
                #[cfg(unix)]
                let arrived = interrupts.recv().await.is_some();
                #[cfg(not(unix))]
                let arrived = tokio::signal::ctrl_c().await.is_ok();
                if !arrived {
                    return;
                }
                if count > 0 {
                    std::process::exit(130);
                }
                set.store(true, Ordering::SeqCst);
                eprintln!(
                    "interrupted: no further case starts; press Ctrl-C again to quit at once"
                );
            }
        });
        flag
    }

    /// Stops the embedded server, if the run started one.
    pub fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }

    /// Gathers the report of what ran.
    pub fn report(&self, executed: Executed) -> RunReport {
        let stopped = executed.stopped.clone();
        let mut report = RunReport::new(
            &self.documents.usable,
            self.documents.left_out.clone(),
            &self.cases,
            executed.outcomes,
            self.config.read_only,
            self.baseline.as_deref(),
            executed.millis,
        );
        if let Some(p) = &self.config.harness.partition {
            report.shard = Some(crate::report::merge::Shard {
                partition: p.to_string(),
                planned: self.planned,
            });
        }
        // Cases the flags selected but the stop kept from starting are not
        // "filtered out": they say why the run stopped.
        if let Some(reason) = stopped {
            for n in &mut report.not_run {
                let selected = self
                    .cases
                    .iter()
                    .find(|c| c.name == n.name)
                    .is_some_and(|c| self.config.harness.selects(c));
                if selected && n.reason == crate::report::summary::FILTERED_OUT {
                    n.reason = reason.clone();
                }
            }
            report.totals = crate::report::summary::totals(&report.cases, &report.not_run);
        }
        report
    }

    /// Writes the configured report files.
    pub fn write_reports(&self, report: &RunReport) -> Result<(), SessionError> {
        let reports = &self.config.reports;
        if let Some(path) = &reports.junit {
            write(path, &junit::render(report).map_err(SessionError::Junit)?)?;
        }
        if let Some(path) = &reports.json {
            write(path, &json::render(report).map_err(SessionError::Json)?)?;
        }
        if let Some(path) = &reports.markdown {
            write(path, &markdown::render(report))?;
        }
        if let Some(path) = &reports.html {
            write(path, &crate::report::html::render(report))?;
        }
        if let Some(path) = &reports.write_baseline {
            Baseline::record(&report.cases).save(path)?;
        }
        Ok(())
    }
}

/// Refuses a `--param` no document uses, suggesting the closest name that
/// one does: a mistyped name would otherwise leave every case needing it
/// silently not run.
fn check_params(config: &RunConfig, documents: &Documents) -> Result<(), SessionError> {
    let known = documents.parameter_names();
    for name in config.params.keys() {
        if known.contains(&name.as_str()) {
            continue;
        }
        let suggestion = known
            .iter()
            .map(|k| {
                (
                    strsim::jaro_winkler(&name.to_lowercase(), &k.to_lowercase()),
                    *k,
                )
            })
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.to_string());
        return Err(SessionError::UnknownParam {
            name: name.clone(),
            suggestion,
        });
    }
    Ok(())
}

fn write(path: &std::path::Path, text: &str) -> Result<(), SessionError> {
    std::fs::write(path, text).map_err(|source| SessionError::Write {
        path: path.to_path_buf(),
        source,
    })
}
