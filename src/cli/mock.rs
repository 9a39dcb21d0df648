//! `conform mock`: serve the documents with the embedded reference server
//! until Ctrl-C. Operations that errors in the documents touch are left out
//! and listed, as `conform run` leaves them out.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use conform::mock::{self, Cors, Fault, Fixture, Limits, MockOptions, ProxyOptions};
use conform::report::left_out;
use conform::session::{Documents, SessionError};

use super::exit::{Exit, SUCCESS};

/// Arguments of `conform mock`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Documents, or directories of `.md` and `.txt` documents, to serve.
    #[arg(required_unless_present_any = ["list_faults", "print_fixture"])]
    paths: Vec<PathBuf>,
    /// Address or host name to listen on (a name binds the first address
    /// it resolves to); `0.0.0.0` for every interface (in a container).
    #[arg(
        long,
        value_name = "ADDR",
        default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST),
        value_parser = parse_host
    )]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Let only this browser origin call (repeatable); any origin when absent.
    #[arg(
        long = "cors-origin",
        value_name = "ORIGIN",
        conflicts_with = "no_cors"
    )]
    cors_origins: Vec<String>,
    /// Send no CORS headers (browser preflights then get 405).
    #[arg(long)]
    no_cors: bool,
    /// Print no line per request.
    #[arg(long, short)]
    quiet: bool,
    /// Megabytes of stored items (as JSON) past which creates and updates
    /// are refused with a documented status.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    store_mb: usize,
    /// Print the fixture (the built-in one, or `--fixture`'s) and exit;
    /// with documents, the fixture completed for them: every parameter
    /// value the server would accept, invented ones included.
    #[arg(long)]
    print_fixture: bool,
    /// Fixture (TOML) with tokens, parameter values and seed data; the
    /// built-in `fixtures/mock.toml` when absent.
    #[arg(long, value_name = "FILE")]
    fixture: Option<PathBuf>,
    /// Deviate from the docs on purpose (repeatable); see `--list-faults`.
    #[arg(long = "fault", value_name = "NAME", value_parser = parse_fault)]
    faults: Vec<Fault>,
    /// Print every fault with one line about it, and exit.
    #[arg(long)]
    list_faults: bool,
    /// Forward every request to this server instead of answering, and log
    /// each way the request or its answer breaks the documents.
    #[arg(long, value_name = "URL", conflicts_with = "faults")]
    proxy: Option<String>,
    /// With --proxy: answer 502 with the list of violations instead of an
    /// answer that breaks the documents.
    #[arg(long, requires = "proxy")]
    proxy_errors: bool,
    /// With --proxy: seconds the upstream may take to answer; past them, 504.
    #[arg(long, value_name = "SECS", default_value_t = 30, requires = "proxy")]
    proxy_timeout: u64,
    /// Open connections at most; at the cap the oldest idle one is closed
    /// to let a new client in.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    max_connections: usize,
}

/// An IP address as written, else the first address a host name resolves
/// to (`localhost`), so a name works wherever an address does.
fn parse_host(host: &str) -> Result<IpAddr, String> {
    if let Ok(ip) = host.parse() {
        return Ok(ip);
    }
    let mut found = (host, 0)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve host name: {e}"))?;
    found
        .next()
        .map(|a| a.ip())
        .ok_or_else(|| "the host name resolves to no address".to_string())
}

fn parse_fault(name: &str) -> Result<Fault, String> {
    Fault::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        format!("unknown fault; one of: {}", names.join(", "))
    })
}

/// The `--list-faults` text: one line per fault, from the fault table.
pub fn fault_list() -> String {
    let width = Fault::ALL.iter().map(|f| f.name().len()).max().unwrap_or(0);
    let check_width = Fault::ALL
        .iter()
        .map(|f| f.check().len())
        .max()
        .unwrap_or(0);
    Fault::ALL
        .iter()
        .map(|f| {
            format!(
                "{:width$}  {:check_width$}  {}\n",
                f.name(),
                f.check(),
                f.explain()
            )
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    if args.list_faults {
        print!("{}", fault_list());
        return Ok(SUCCESS);
    }
    if args.print_fixture && !args.paths.is_empty() {
        let fixture = match &args.fixture {
            Some(path) => Fixture::load(path)?,
            None => Fixture::builtin(),
        };
        let documents = Documents::load(&args.paths)?;
        let api = conform::api::Api::new(documents.usable);
        print!("{}", fixture.completed(&api).to_toml()?);
        return Ok(SUCCESS);
    }
    if args.print_fixture {
        match &args.fixture {
            Some(path) => {
                Fixture::load(path)?;
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("failed to read {}", path.display()))?;
                print!("{text}");
            }
            None => print!("{}", Fixture::builtin_text()),
        }
        return Ok(SUCCESS);
    }
    let documents = Documents::load(&args.paths)?;
    if documents.usable.is_empty() {
        for l in &documents.left_out {
            eprintln!("not served: {}: {}", l.name, l.reason);
        }
        return Err(SessionError::NoUsableOperation {
            documents: documents.unusable().iter().map(|s| s.to_string()).collect(),
            left_out: documents.left_out,
        }
        .into());
    }
    let operations = documents.operations();
    let used: Vec<String> = documents
        .parameter_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let left = left_out::count(&documents.left_out);
    let Documents {
        usable,
        left_out: not_served,
        not_references,
        ..
    } = documents;
    let served = usable.len();
    let fixture = match &args.fixture {
        Some(path) => Fixture::load(path)?,
        None => Fixture::builtin(),
    };
    let options = MockOptions {
        addr: SocketAddr::from((args.host, args.port)),
        faults: args.faults.clone(),
        cors: if args.no_cors {
            Cors::Off
        } else if args.cors_origins.is_empty() {
            Cors::Any
        } else {
            Cors::Origins(args.cors_origins.clone())
        },
        log: !args.quiet,
        store_bytes: args.store_mb.saturating_mul(1 << 20),
        proxy: args.proxy.as_ref().map(|url| ProxyOptions {
            errors: args.proxy_errors,
            timeout: Duration::from_secs(args.proxy_timeout),
            ..ProxyOptions::new(url.clone())
        }),
        ..MockOptions::default()
    };
    let limits = Limits {
        max_connections: args.max_connections,
        ..Limits::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(async {
        // Listen for the signals before the URL is out: a client may stop
        // the server as soon as it knows where it is.
        let stop = Stop::listen()?;
        let server = mock::start_with(usable, fixture, options, limits).await?;
        println!("{}", server.url());
        let _ = std::io::stdout().flush();
        if let Some(upstream) = &args.proxy {
            eprintln!(
                "proxying to {upstream}{}",
                if args.proxy_errors {
                    "; answers that break the documents become 502"
                } else {
                    ""
                }
            );
        }
        eprintln!(
            "serving {operations} operations from {served} documents{}",
            match &left {
                Some(count) =>
                    format!(" ({count} left out for errors in the documents; see `conform lint`)"),
                None => String::new(),
            }
        );
        for l in &not_served {
            eprintln!("not served: {}: {}", l.name, l.reason);
        }
        for source in &not_references {
            eprintln!("note: {source} is not an API reference (it documents no operation)");
        }
        for fault in &args.faults {
            eprintln!("fault: {} ({})", fault.name(), fault.explain());
        }
        // An installed binary has no fixture file to read the tokens from.
        // A proxy accepts whatever the upstream accepts: no tokens of its own.
        let tokens = if args.proxy.is_some() {
            &[][..]
        } else {
            server.fixture().tokens()
        };
        for t in tokens {
            eprintln!("token: {} ({})", t.token, t.roles.join(", "));
        }
        if args.proxy.is_none() {
            eprint!("{}", params_lines(server.fixture(), server.url(), &used));
        }
        eprintln!("press Ctrl-C to stop");
        stop.wait().await;
        let seen = server.requests_by_method();
        server.shutdown().await;
        let total: u64 = seen.values().sum();
        eprintln!("stopped after {total} requests");
        Ok(SUCCESS)
    })
}

/// The start-up lines naming every path-parameter value the server
/// accepts, invented ones included (a client cannot guess those), then the
/// flags to paste into `conform run`: the settings a run against the
/// embedded server takes from the same fixture (the administrator's token,
/// every other token as a role token, the parameter values).
fn params_lines(fixture: &Fixture, url: &str, used: &[String]) -> String {
    let mut out = String::new();
    let target = conform::session::embedded::target(fixture, url);
    let mut flags = vec![
        format!("--base-url {}", shell_word(url)),
        "--operation-hints".to_string(),
        // The values are the server's own, as in a run against the
        // embedded one: the cases that change them may run.
        "--allow-param-changes".to_string(),
    ];
    if let Some(token) = &target.token {
        flags.push(format!("--token {}", shell_word(token)));
    }
    for rt in &target.role_tokens {
        flags.push(format!(
            "--role-token {}",
            shell_word(&format!("{}={}", rt.roles.join(","), rt.token))
        ));
    }
    // Only the parameters these documents use: `conform run` refuses a
    // `--param` no document names.
    for (name, values) in fixture
        .all_params()
        .filter(|(n, _)| used.iter().any(|u| u == n))
    {
        let Some((first, others)) = values.split_first() else {
            continue;
        };
        let mut notes = Vec::new();
        if !others.is_empty() {
            notes.push(format!("also accepted: {}", others.join(", ")));
        }
        if fixture.is_invented(name) {
            notes.push("invented: the fixture names no value".to_string());
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        out.push_str(&format!("param: {name}={first}{notes}\n"));
        flags.push(format!(
            "--param {}",
            shell_word(&format!("{name}={first}"))
        ));
    }
    out.push_str(&format!("run against it with: {}\n", flags.join(" ")));
    out
}

/// A word a shell reads back as is: quoted where it needs to be.
fn shell_word(word: &str) -> String {
    shlex::try_quote(word).map_or_else(|_| word.replace('\0', ""), |q| q.into_owned())
}

/// Ctrl-C, or SIGTERM (what `docker stop` and service managers send)
/// where there is such a thing, listened for from creation on.
struct Stop {
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl Stop {
    fn listen() -> anyhow::Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let int = signal(SignalKind::interrupt()).context("failed to listen for Ctrl-C")?;
            let term = signal(SignalKind::terminate()).context("failed to listen for SIGTERM")?;
            Ok(Stop {
                signals: (int, term),
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    async fn wait(self) {
        #[cfg(unix)]
        {
            let (mut int, mut term) = self.signals;
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
