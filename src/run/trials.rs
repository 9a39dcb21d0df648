//! The cases as libtest-mimic trials, so the usual harness flags work
//! (a name filter, `--exact`, `--skip`, `--list`, `--ignored`,
//! `--test-threads`, `--format`). Each trial blocks its harness thread on
//! the shared tokio runtime, where all cases share one client. What errors
//! in the documents left out of the plan is listed as ignored trials that
//! give the error as their reason.

use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};
use tokio::runtime::Handle;

use super::engine::Engine;
use super::outcome::{CaseOutcome, CaseStatus};
use crate::plan::TestCase;

/// Settles a finished case (applying a baseline, say) and renders its
/// failure text.
pub type Finish = Arc<dyn Fn(&mut CaseOutcome) -> String + Send + Sync>;

/// Asked before each case starts: `Some(reason)` once the run must stop
/// (`--fail-fast`, `--max-fail`, `--max-time`); the case is then not run.
pub type Stop = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// `accepted: CHECK, CHECK`: the checks whose failures the baseline
/// accepts, once each (the reasons are in the reports and the summary).
pub fn accepted(outcome: &CaseOutcome) -> String {
    let mut checks: Vec<&str> = Vec::new();
    for c in outcome.steps.iter().flat_map(|s| &s.checks) {
        if c.accepted.is_some() && !checks.contains(&c.check) {
            checks.push(c.check);
        }
    }
    format!("accepted: {}", checks.join(", "))
}

/// Runs the cases through libtest-mimic; returns its conclusion and the
/// outcomes of the cases that ran, in case order. `left_out` holds the
/// names and reasons of what is not run at all; each is a trial that
/// reports itself ignored with its reason.
pub fn run(
    engine: Arc<Engine>,
    cases: &[TestCase],
    left_out: &[(String, String)],
    args: &Arguments,
    runtime: Handle,
    finish: Finish,
    stop: Stop,
) -> (Conclusion, Vec<CaseOutcome>) {
    let sink: Arc<Mutex<Vec<(usize, CaseOutcome)>>> = Arc::new(Mutex::new(Vec::new()));
    // Flagged only under `--ignored`, which runs flagged trials alone: so
    // they are listed, with their reason, whatever the flags.
    let listed = left_out.iter().map(|(name, reason)| {
        let reason = reason.clone();
        Trial::ignorable_test(name.clone(), move || Ok(Completion::ignored_with(reason)))
            .with_ignored_flag(args.ignored)
    });
    let trials = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            if let Some(reason) = &case.ignored {
                let reason = reason.clone();
                return Trial::ignorable_test(case.name.clone(), move || {
                    Ok(Completion::ignored_with(reason))
                })
                .with_ignored_flag(true);
            }
            let (engine, case, runtime, finish, sink, stop) = (
                engine.clone(),
                case.clone(),
                runtime.clone(),
                finish.clone(),
                sink.clone(),
                stop.clone(),
            );
            Trial::ignorable_test(case.name.clone(), move || {
                if let Some(reason) = stop() {
                    return Ok(Completion::ignored_with(reason));
                }
                let mut outcome = runtime.block_on(engine.execute(&case));
                let text = finish(&mut outcome);
                let verdict = match outcome.status {
                    CaseStatus::Passed => Ok(Completion::Completed),
                    // Not `ok`: libtest knows no "accepted", and its
                    // ignored line carries the reason, as JUnit's skipped
                    // case and the JSON status do.
                    CaseStatus::Accepted => Ok(Completion::ignored_with(accepted(&outcome))),
                    CaseStatus::Skipped => Ok(Completion::ignored_with(
                        outcome.reason.clone().unwrap_or_default(),
                    )),
                    CaseStatus::Inconclusive => {
                        let why: Vec<String> = outcome
                            .inconclusive()
                            .map(|(_, c)| {
                                format!("{}: {}", c.check, c.message.as_deref().unwrap_or(""))
                            })
                            .collect();
                        Ok(Completion::ignored_with(format!(
                            "inconclusive: {}",
                            why.join("; ")
                        )))
                    }
                    CaseStatus::Failed => Err(Failed::from(text)),
                };
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, outcome));
                verdict
            })
        })
        .chain(listed)
        .collect();
    let conclusion = libtest_mimic::run(args, trials);
    let mut outcomes = std::mem::take(&mut *sink.lock().unwrap_or_else(|e| e.into_inner()));
    outcomes.sort_by_key(|(i, _)| *i);
    (conclusion, outcomes.into_iter().map(|(_, o)| o).collect())
}
