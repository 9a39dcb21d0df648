//! [`Session`]: one run from resolved settings to reports. It owns the
//! setup (documents, the embedded server or the target, the OAuth token,
//! the plan, the engine), runs the cases, gathers the report and writes
//! the report files. What reaches the terminal is the caller's business.

use std::sync::Arc;
use std::time::Instant;

use libtest_mimic::{Arguments, Conclusion};
use tokio::runtime::Runtime;

use super::config::{Endpoint, RunConfig};
use super::documents::Documents;
use super::{embedded, SessionError};
use crate::api::Api;
use crate::mock::MockServer;
use crate::plan::{self, PlanConfig, TestCase};
use crate::report::baseline::Baseline;
use crate::report::{console, json, junit, markdown, LeftOut, RunReport};
use crate::run::http::Http;
use crate::run::outcome::CaseOutcome;
use crate::run::{oauth, trials, Engine, Target};

/// One run, set up and ready to execute.
pub struct Session {
    config: RunConfig,
    runtime: Runtime,
    documents: Documents,
    server: Option<MockServer>,
    engine: Arc<Engine>,
    cases: Vec<TestCase>,
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
                    operation_hints: false,
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
        let plan_config = PlanConfig {
            params: target.params.keys().cloned().collect(),
            read_only: config.read_only,
            role_tokens: target.role_tokens.iter().map(|t| t.roles.clone()).collect(),
            nonce,
        };
        let cases = plan::generate_for(&api, &plan_config);
        let mut engine = Engine::new(
            documents.usable.clone(),
            target,
            config.limits.clone(),
            config.settings.clone(),
            config.schema,
        )?;
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

    /// The generated cases, in plan order.
    pub fn cases(&self) -> &[TestCase] {
        &self.cases
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
        let finish: trials::Finish = Arc::new(move |outcome| {
            if let Some(b) = &baseline {
                b.apply(outcome);
            }
            progress();
            console::failure(outcome)
        });
        let start = Instant::now();
        let (conclusion, outcomes) = trials::run(
            self.engine.clone(),
            &self.cases,
            &self.documents.listing(),
            args,
            self.runtime.handle().clone(),
            finish,
        );
        Executed {
            conclusion,
            outcomes,
            millis: start.elapsed().as_millis() as u64,
        }
    }

    /// Stops the embedded server, if the run started one.
    pub fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }

    /// Gathers the report of what ran.
    pub fn report(&self, executed: Executed) -> RunReport {
        RunReport::new(
            &self.documents.usable,
            self.documents.left_out.clone(),
            &self.cases,
            executed.outcomes,
            self.config.read_only,
            self.baseline.as_deref(),
            executed.millis,
        )
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
        if let Some(path) = &reports.write_baseline {
            Baseline::record(&report.cases).save(path)?;
        }
        Ok(())
    }
}

fn write(path: &std::path::Path, text: &str) -> Result<(), SessionError> {
    std::fs::write(path, text).map_err(|source| SessionError::Write {
        path: path.to_path_buf(),
        source,
    })
}
