//! The resolved settings of one run: flags, `conform.toml` and the
//! environment already merged, parsed and checked, so that nothing after
//! reads a raw flag.

use std::collections::BTreeMap;
use std::path::PathBuf;

use libtest_mimic::{Arguments, FormatSetting};

use crate::mock::Fault;
use crate::plan::TestCase;
use crate::run::checks::Settings;
use crate::run::http::Limits;
use crate::run::RoleToken;
use crate::schema::SchemaOptions;

/// Where the suite is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint {
    /// A server under test, at this base URL.
    Remote(String),
    /// The embedded reference server, started for the run and made to
    /// deviate by these faults.
    Embedded(Vec<Fault>),
}

/// OAuth2 client credentials: the main token is fetched with them.
#[derive(Clone)]
pub struct ClientCredentials {
    /// The client id.
    pub client_id: String,
    /// The client secret; hidden in every output.
    pub client_secret: String,
    /// The token endpoint.
    pub token_url: String,
}

/// The test-harness flags of `cargo test` that a run honours.
#[derive(Debug, Clone, Default)]
pub struct Harness {
    /// Run only cases whose name contains one of these (or equals one,
    /// with `exact`); none means every case.
    pub filters: Vec<String>,
    /// Match `filter` and `skip` exactly.
    pub exact: bool,
    /// Skip cases whose name contains any of these.
    pub skip: Vec<String>,
    /// List the cases instead of running them.
    pub list: bool,
    /// Run only the ignored cases.
    pub ignored: bool,
    /// Run the ignored cases too.
    pub include_ignored: bool,
    /// Harness threads.
    pub test_threads: usize,
    /// One character per case.
    pub quiet: bool,
    /// The output format, when one was asked for.
    pub format: Option<FormatSetting>,
    /// Start no case once this many have failed (`--fail-fast` is 1).
    pub max_fail: Option<usize>,
    /// Start no case once the run has taken this long; a case under way
    /// finishes, within the request timeout per step.
    pub max_time: Option<std::time::Duration>,
    /// Fail the run when any planned case is not run.
    pub require_all: bool,
    /// Fail the run when fewer cases than this ran.
    pub min_run: Option<usize>,
    /// Run only this shard of the plan (`--partition count:K/N`).
    pub partition: Option<crate::plan::Partition>,
}

impl Harness {
    /// The libtest-mimic arguments for these flags.
    pub fn arguments(&self) -> Arguments {
        Arguments {
            // libtest takes one filter; several are applied before the
            // trials are built (see [`Harness::selects`]).
            filter: match self.filters.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            },
            exact: self.exact,
            skip: self.skip.clone(),
            list: self.list,
            ignored: self.ignored,
            include_ignored: self.include_ignored,
            test_threads: Some(self.test_threads.max(1)),
            quiet: self.quiet,
            format: self.format,
            ..Arguments::default()
        }
    }

    /// Whether libtest would run this case with these flags.
    pub fn selects(&self, case: &TestCase) -> bool {
        let hit = |pattern: &str| {
            if self.exact {
                case.name == pattern
            } else {
                case.name.contains(pattern)
            }
        };
        let ignored = case.ignored.is_some();
        let wanted = match (self.ignored, self.include_ignored) {
            (true, _) => ignored,
            (false, true) => true,
            (false, false) => !ignored,
        };
        wanted && self.matches(case) && !self.skip.iter().any(|s| hit(s))
    }

    /// Whether the case's name passes the filters (all pass with none).
    pub fn matches(&self, case: &TestCase) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| self.hit(&case.name, f))
    }

    /// Whether a name matches one filter: equal to it with `exact`, else
    /// containing it.
    fn hit(&self, name: &str, filter: &str) -> bool {
        if self.exact {
            name == filter
        } else {
            name.contains(filter)
        }
    }

    /// The filters that match none of `cases` by name, in the order
    /// given.
    pub fn unmatched(&self, cases: &[TestCase]) -> Vec<String> {
        self.filters
            .iter()
            .filter(|f| !cases.iter().any(|c| self.hit(&c.name, f)))
            .cloned()
            .collect()
    }

    /// Whether the output is for machines (libtest's JSON lines).
    pub fn machine(&self) -> bool {
        matches!(self.format, Some(FormatSetting::Json))
    }
}

/// The report files to write.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    /// JUnit XML.
    pub junit: Option<PathBuf>,
    /// Every case, step, check and outcome as JSON.
    pub json: Option<PathBuf>,
    /// A markdown summary.
    pub markdown: Option<PathBuf>,
    /// One self-contained HTML page.
    pub html: Option<PathBuf>,
    /// The current failures, as a baseline.
    pub write_baseline: Option<PathBuf>,
}

impl Reports {
    /// Every report path that cannot be written, with why, found before
    /// the first request so that a long run does not end in a lost
    /// report. An existing file is opened for appending (and left as it
    /// was); a new one is created and removed again.
    pub fn unwritable(&self) -> Vec<(PathBuf, std::io::Error)> {
        let paths = [
            &self.junit,
            &self.json,
            &self.markdown,
            &self.html,
            &self.write_baseline,
        ];
        paths
            .into_iter()
            .flatten()
            .filter_map(|path| {
                let existed = path.exists();
                let opened = std::fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(path);
                match opened {
                    Ok(_) => {
                        if !existed {
                            let _ = std::fs::remove_file(path);
                        }
                        None
                    }
                    Err(e) => Some((path.clone(), e)),
                }
            })
            .collect()
    }
}

/// Everything one run needs to know, resolved once.
#[derive(Clone)]
pub struct RunConfig {
    /// Documents, or directories of them.
    pub paths: Vec<PathBuf>,
    /// Where the suite is sent.
    pub endpoint: Endpoint,
    /// The main token, taken to hold every documented role; with the
    /// embedded server it replaces the fixture's.
    pub token: Option<String>,
    /// Client credentials to fetch the main token with.
    pub client_credentials: Option<ClientCredentials>,
    /// Tokens holding exactly these roles, for role cases.
    pub role_tokens: Vec<RoleToken>,
    /// Path-parameter values the suite cannot create.
    pub params: BTreeMap<String, String>,
    /// Path maps pairing operations across API versions (`--path-map`).
    pub path_maps: Vec<crate::diff::PathMap>,
    /// Headers sent with every request; their values are secrets.
    pub headers: Vec<(String, String)>,
    /// Headers sent with every request whose values are shown as is.
    pub public_headers: Vec<(String, String)>,
    /// Time, size and retry bounds of every request.
    pub limits: Limits,
    /// Send only GET and HEAD.
    pub read_only: bool,
    /// Succeed even when cleanup left items on the server.
    pub allow_leftovers: bool,
    /// Name each request's operation for the reference server
    /// ([`crate::run::OPERATION_HINT`]); always so for the embedded one.
    pub operation_hints: bool,
    /// Run the cases that would change items configured values name.
    pub allow_param_changes: bool,
    /// What the checks read.
    pub settings: Settings,
    /// How schemas are derived.
    pub schema: SchemaOptions,
    /// Accepted failures.
    pub baseline: Option<PathBuf>,
    /// Refuse documents with errors instead of leaving out what the errors
    /// touch.
    pub deny_doc_errors: bool,
    /// The test-harness flags.
    pub harness: Harness,
    /// The report files to write.
    pub reports: Reports,
    /// The conformance score (percent) below which the run fails.
    pub min_score: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{CaseKind, OpRef};

    fn case(name: &str, ignored: bool) -> TestCase {
        TestCase {
            name: name.into(),
            document: "d".into(),
            operation: OpRef {
                doc: 0,
                op: 0,
                id: "o".into(),
            },
            kind: CaseKind::Happy,
            given: Vec::new(),
            steps: Vec::new(),
            ignored: ignored.then(|| "no token".to_string()),
        }
    }

    #[test]
    fn the_harness_selects_as_libtest_does() {
        let mut h = Harness::default();
        assert!(h.selects(&case("d::o::happy", false)));
        assert!(!h.selects(&case("d::o::happy", true)));
        h.filters = vec!["o::hap".into()];
        assert!(h.selects(&case("d::o::happy", false)));
        h.exact = true;
        assert!(!h.selects(&case("d::o::happy", false)));
        h = Harness {
            skip: vec!["happy".into()],
            ..Harness::default()
        };
        assert!(!h.selects(&case("d::o::happy", false)));
        h = Harness {
            ignored: true,
            ..Harness::default()
        };
        assert!(h.selects(&case("d::o::happy", true)) && !h.selects(&case("d::o::happy", false)));
    }

    #[test]
    fn regression_only_the_first_filter_was_used() {
        let h = Harness {
            filters: vec!["nothing".into(), "o::happy".into()],
            ..Harness::default()
        };
        assert!(h.selects(&case("d::o::happy", false)));
        assert!(!h.selects(&case("d::o::other", false)));
        assert_eq!(
            h.arguments().filter,
            None,
            "several filters are ours to apply"
        );
    }

    #[test]
    fn the_filters_that_match_no_case_are_named() {
        let cases = [case("d::o::happy", false), case("d::p::happy", true)];
        let mut h = Harness {
            filters: vec!["o::happy".into(), "nomatch".into(), "p::".into()],
            ..Harness::default()
        };
        assert_eq!(h.unmatched(&cases), ["nomatch"]);
        h.exact = true;
        assert_eq!(h.unmatched(&cases), ["o::happy", "nomatch", "p::"]);
    }
}
