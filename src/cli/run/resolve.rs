//! Resolving `conform run`'s flags, `conform.toml` and the environment
//! (clap reads the `CONFORM_*` variables) into one [`RunConfig`], once:
//! flags win over the file, the file over the defaults, and every value is
//! parsed and checked here so that the session reads only resolved ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use conform::run::checks::Settings;
use conform::run::http::Limits;
use conform::run::RoleToken;
use conform::schema::SchemaOptions;
use conform::session::{ClientCredentials, Endpoint, Harness, Reports, RunConfig};
use serde::Deserialize;

use super::{Args, Format};

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
    headers: BTreeMap<String, FileHeader>,
    timeout: Option<f64>,
    concurrency: Option<usize>,
    insecure: Option<bool>,
    read_only: Option<bool>,
    count_header: Option<String>,
    strict: Option<bool>,
    baseline: Option<PathBuf>,
    min_score: Option<f64>,
    require_all: Option<bool>,
    min_run: Option<usize>,
    allow_param_changes: Option<bool>,
}

/// A header of `conform.toml`: a value, a secret redacted in every output,
/// or `{ value = "...", public = true }` for one shown as is.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FileHeader {
    Secret(String),
    Marked {
        value: String,
        #[serde(default)]
        public: bool,
    },
}

fn load_config(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        // Like git or cargo: the nearest `conform.toml` from here upward.
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let found = here
                .ancestors()
                .map(|dir| dir.join("conform.toml"))
                .find(|candidate| candidate.is_file());
            match found {
                Some(path) => path,
                None => return Ok(FileConfig::default()),
            }
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("failed to read {}", path.display()))?;
    let config =
        toml::from_str(&text).with_context(|| format!("failed to read {}", path.display()))?;
    eprintln!("config: {}", path.display());
    Ok(config)
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

/// Headers that frame the message or concern one connection: the HTTP
/// client sets them from the request itself. Given by hand they contradict
/// it (`Content-Length: 5` on every request leaves the server waiting for
/// bytes that never come), so they are refused.
const TRANSPORT_HEADERS: [&str; 8] = [
    "Content-Length",
    "Transfer-Encoding",
    "Host",
    "Connection",
    "Upgrade",
    "TE",
    "Keep-Alive",
    "Proxy-Connection",
];

/// A header the HTTP client would refuse, or silently drop, is refused
/// here, naming it.
fn check_header(name: &str, value: &str) -> anyhow::Result<()> {
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        bail!(
            "invalid header name `{name}` (--header NAME:VALUE; a name is letters, digits and `-`)"
        );
    }
    if let Some(known) = TRANSPORT_HEADERS
        .iter()
        .find(|h| h.eq_ignore_ascii_case(name))
    {
        bail!(
            "header `{name}` cannot be set by --header or the config file: the HTTP client \
             sets {known} itself, from each request and its connection"
        );
    }
    if reqwest::header::HeaderValue::from_str(value).is_err() {
        bail!("invalid value for header `{name}`: control characters are not allowed");
    }
    Ok(())
}

/// Whether the token came from `CONFORM_TOKEN` rather than `--token`.
fn token_from_env(token: &Option<String>) -> bool {
    let flag = std::env::args_os().any(|a| {
        let a = a.to_string_lossy();
        a == "--token" || a.starts_with("--token=")
    });
    !flag && std::env::var("CONFORM_TOKEN").ok() == *token
}

/// `--token is ignored`, `CONFORM_TOKEN and --role-token are ignored`:
/// the token settings given (`true`) that a run against the embedded
/// server leaves unused, if any.
fn ignored_tokens(given: &[(bool, &str)]) -> Option<String> {
    let names: Vec<&str> = given.iter().filter(|(g, _)| *g).map(|(_, n)| *n).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("{one} is ignored")),
        many => Some(format!("{} are ignored", many.join(" and "))),
    }
}

fn seconds(value: f64, what: &str) -> anyhow::Result<Duration> {
    if !(value.is_finite() && value > 0.0 && value < 86_400.0) {
        bail!("{what} must be a positive number of seconds");
    }
    Ok(Duration::from_secs_f64(value))
}

/// A `--min-score` threshold: a percentage from 0 to 100.
fn percentage(value: f64) -> anyhow::Result<f64> {
    if !(0.0..=100.0).contains(&value) {
        bail!("--min-score must be a percentage from 0 to 100, got {value}");
    }
    Ok(value)
}

/// The run's settings from its flags and `conform.toml`.
pub(super) fn resolve(args: Args) -> anyhow::Result<RunConfig> {
    let file = load_config(args.config.as_deref())?;
    let endpoint = match args.base_url.or(file.base_url) {
        Some(_) if !args.faults.is_empty() => {
            bail!("--fault applies to the embedded server only; drop --base-url")
        }
        Some(url) => Endpoint::Remote(url),
        None => Endpoint::Embedded(args.faults),
    };
    let mut role_tokens = Vec::new();
    for text in args.role_tokens.iter().chain(&file.role_tokens) {
        role_tokens.push(parse_role_token(text)?);
    }
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in file.params {
        if v.trim().is_empty() {
            bail!("parameter `{k}` has an empty value in `params` of the config file: give it a value or remove it");
        }
        params.insert(k, v);
    }
    for text in &args.params {
        let (k, v) = parse_pair(text, '=', "--param")?;
        // An empty id fills paths with `//`: every case needing it would
        // fail, for the setting's sake rather than the server's.
        if v.is_empty() {
            bail!("--param {k} has an empty value: give one, --param {k}=VALUE");
        }
        params.insert(k, v);
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut public_headers: Vec<(String, String)> = Vec::new();
    for (name, header) in file.headers {
        match header {
            FileHeader::Secret(value) => headers.push((name, value)),
            FileHeader::Marked { value, public } if public => public_headers.push((name, value)),
            FileHeader::Marked { value, .. } => headers.push((name, value)),
        }
    }
    let mut flags = Vec::new();
    for text in &args.headers {
        flags.push((parse_pair(text, ':', "--header")?, false));
    }
    for text in &args.public_headers {
        flags.push((parse_pair(text, ':', "--header-public")?, true));
    }
    // A header named on the command line replaces the file's, secret or
    // public alike (names compare without regard to case).
    let named = |n: &String| flags.iter().any(|((f, _), _)| f.eq_ignore_ascii_case(n));
    headers.retain(|(n, _)| !named(n));
    public_headers.retain(|(n, _)| !named(n));
    for (pair, public) in flags {
        if public {
            public_headers.push(pair);
        } else {
            headers.push(pair);
        }
    }
    for (name, value) in headers.iter().chain(&public_headers) {
        check_header(name, value)?;
    }
    for (name, value) in &headers {
        if value.chars().count() < conform::run::redact::SHORT_SECRET {
            eprintln!(
                "note: the value of header `{name}` is short: it is hidden only where it stands \
                 alone; pass it with --header-public if it is no secret"
            );
        }
    }
    // Where the main token came from, to name it if it is ignored.
    let token_source = match (&args.token, &file.token) {
        (Some(_), _) if token_from_env(&args.token) => "CONFORM_TOKEN",
        (Some(_), _) => "--token",
        (None, Some(_)) => "the config file's `token`",
        (None, None) => "",
    };
    let role_source = if args.role_tokens.is_empty() {
        "the config file's `role-tokens`"
    } else {
        "--role-token"
    };
    let mut token = args.token.or(file.token);
    if matches!(endpoint, Endpoint::Embedded(_)) {
        // The embedded server knows only its own fixture tokens: a token
        // meant for a real server would fail most cases with 401.
        let ignored = [
            (token.is_some(), token_source),
            (!role_tokens.is_empty(), role_source),
        ];
        if let Some(ignored) = ignored_tokens(&ignored) {
            eprintln!(
                "note: {ignored}: without --base-url the embedded server uses its own tokens"
            );
        }
        token = None;
        role_tokens.clear();
    }
    let mut limits = Limits::default();
    if let Some(t) = args.timeout.or(file.timeout) {
        limits.timeout = seconds(t, "--timeout")?;
    }
    limits.insecure = args.insecure || file.insecure.unwrap_or(false);
    if file.concurrency == Some(0) {
        bail!("`concurrency` in the config file must be at least 1");
    }
    let concurrency = args.concurrency.or(file.concurrency).unwrap_or(8);
    let client_secret = args.client_secret.or(file.client_secret);
    let client_credentials = match args.client_id.or(file.client_id) {
        None => None,
        Some(client_id) => {
            let (Some(client_secret), Some(token_url)) =
                (client_secret, args.token_url.or(file.token_url))
            else {
                bail!("--client-id needs --token-url and CONFORM_CLIENT_SECRET");
            };
            Some(ClientCredentials {
                client_id,
                client_secret,
                token_url,
            })
        }
    };
    Ok(RunConfig {
        paths: args.paths,
        endpoint,
        token,
        client_credentials,
        role_tokens,
        params,
        path_maps: args.path_maps,
        headers,
        public_headers,
        limits,
        read_only: args.read_only || file.read_only.unwrap_or(false),
        allow_leftovers: args.allow_leftovers,
        operation_hints: args.operation_hints,
        allow_param_changes: args.allow_param_changes || file.allow_param_changes.unwrap_or(false),
        settings: Settings {
            count_header: args
                .count_header
                .or(file.count_header)
                .unwrap_or_else(|| Settings::default().count_header),
        },
        schema: SchemaOptions {
            strict: args.strict || file.strict.unwrap_or(false),
            ..SchemaOptions::default()
        },
        baseline: args.baseline.or(file.baseline),
        deny_doc_errors: args.deny_doc_errors,
        harness: Harness {
            filters: args.filter,
            exact: args.exact,
            skip: args.skip,
            list: args.list,
            ignored: args.ignored,
            include_ignored: args.include_ignored,
            test_threads: args.test_threads.unwrap_or(concurrency).max(1),
            quiet: args.quiet,
            max_fail: if args.fail_fast {
                Some(1)
            } else {
                args.max_fail
            },
            max_time: args
                .max_time
                .map(|t| seconds(t, "--max-time"))
                .transpose()?,
            partition: args.partition,
            require_all: args.require_all || file.require_all.unwrap_or(false),
            min_run: args.min_run.or(file.min_run),
            format: args.format.map(|f| match f {
                Format::Pretty => libtest_mimic::FormatSetting::Pretty,
                Format::Terse => libtest_mimic::FormatSetting::Terse,
                Format::Json => libtest_mimic::FormatSetting::Json,
            }),
        },
        reports: Reports {
            junit: args.junit,
            json: args.json,
            markdown: args.markdown,
            html: args.html,
            write_baseline: args.write_baseline,
        },
        min_score: args
            .min_score
            .or(file.min_score)
            .map(percentage)
            .transpose()?,
    })
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

    fn args(line: &[&str]) -> Args {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Top {
            #[command(flatten)]
            run: Args,
        }
        let mut all = vec!["conform"];
        all.extend_from_slice(line);
        Top::try_parse_from(all).unwrap().run
    }

    #[test]
    fn flags_resolve_once_into_the_run_config() {
        let config = resolve(args(&[
            "specs/",
            "--param",
            "tenantId=t1",
            "--header",
            "X-Trace: 1",
            "--concurrency",
            "3",
            "--read-only",
            "--deny-doc-errors",
            "--fault",
            "server-error",
            "--",
            "happy",
        ]))
        .unwrap();
        assert!(matches!(&config.endpoint, Endpoint::Embedded(f) if f.len() == 1));
        assert_eq!(
            config.params.get("tenantId").map(String::as_str),
            Some("t1")
        );
        assert_eq!(config.headers, [("X-Trace".to_string(), "1".to_string())]);
        assert_eq!(
            config.harness.test_threads, 3,
            "threads follow the concurrency"
        );
        assert_eq!(config.harness.filters, ["happy"]);
        assert!(config.read_only && config.deny_doc_errors);
        assert_eq!(config.settings.count_header, "Total-Count");
    }

    #[test]
    fn headers_are_secret_unless_marked_public_by_flag_or_file() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/config/public-headers.toml"
        );
        let config = resolve(args(&[
            "specs/",
            "--config",
            file,
            "--header-public",
            "X-Trace: 1",
            "--header",
            "X-Api-Key: k",
            "--allow-leftovers",
        ]))
        .unwrap();
        let names = |h: &[(String, String)]| h.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&config.headers),
            ["Ocp-Apim-Subscription-Key", "X-Other", "X-Api-Key"]
        );
        assert_eq!(names(&config.public_headers), ["X-Team", "X-Trace"]);
        assert!(config.allow_leftovers);
    }

    /// A header named in the file and on the command line was sent twice,
    /// the file's value too: the flag did not win.
    #[test]
    fn regression_a_header_flag_did_not_replace_the_files() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/config/public-headers.toml"
        );
        let config = resolve(args(&[
            "specs/",
            "--config",
            file,
            "--header",
            "x-team: red",
            "--header-public",
            "Ocp-Apim-Subscription-Key: shown",
        ]))
        .unwrap();
        let pairs = |h: &[(String, String)]| {
            h.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs(&config.headers), ["X-Other=v", "x-team=red"]);
        assert_eq!(
            pairs(&config.public_headers),
            ["Ocp-Apim-Subscription-Key=shown"]
        );
    }

    #[test]
    fn min_score_is_a_percentage_from_the_flag_or_the_file() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/config/min-score.toml"
        );
        let config = resolve(args(&["specs/", "--config", file])).unwrap();
        assert_eq!(config.min_score, Some(99.5));
        let config = resolve(args(&["specs/", "--config", file, "--min-score", "80"])).unwrap();
        assert_eq!(config.min_score, Some(80.0), "the flag wins over the file");
        for bad in ["--min-score=-1", "--min-score=100.5", "--min-score=NaN"] {
            let err = resolve(args(&["specs/", bad])).err();
            assert!(
                err.is_some_and(|e| e.to_string().contains("percentage from 0 to 100")),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn contradictory_flags_are_refused_while_resolving() {
        let err = resolve(args(&[
            "specs/",
            "--base-url",
            "http://h",
            "--fault",
            "server-error",
        ]));
        assert!(err
            .err()
            .expect("refused")
            .to_string()
            .contains("--fault applies to the embedded server only"));
        let err = resolve(args(&["specs/", "--client-id", "c"]));
        assert!(err
            .err()
            .expect("refused")
            .to_string()
            .contains("--client-id needs --token-url"));
    }
}
