//! `conform mock` on the command line: the fault list, usage errors, and a
//! real run that prints its URL, serves, and stops on Ctrl-C.

use std::io::{BufRead, BufReader, Read};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{conform, serve_conform};
use conform::mock::{Fault, Fixture};

#[test]
fn list_faults_prints_one_line_per_fault_from_the_table() {
    let (code, stdout, _) = conform(&["mock", "--list-faults"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), Fault::ALL.len());
    for (line, fault) in lines.iter().zip(Fault::ALL) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], fault.name());
        assert_eq!(words[1], fault.check());
        assert!(line.ends_with(fault.explain()), "{line}");
    }
}

#[test]
fn the_readme_lists_every_fault_as_the_table_says() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README reads");
    for fault in Fault::ALL {
        let row = format!(
            "| `{}` | `{}` | {} |",
            fault.name(),
            fault.check(),
            fault.explain()
        );
        assert!(readme.contains(&row), "README lacks {row}");
    }
}

#[test]
fn usage_errors_exit_2_with_a_reason() {
    let (code, _, stderr) = conform(&["mock"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = conform(&["mock", "specs/", "--fault", "sometimes-wrong"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("wrong-success-status"), "{stderr}");
    let (code, _, stderr) = conform(&["mock", "specs/", "--fixture", "fixtures/none.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("fixtures/none.toml"), "{stderr}");
    let (code, _, stderr) = conform(&["mock", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}

#[test]
fn serves_until_interrupted_logs_requests_and_prints_each_token_once() {
    let served = serve_conform(&["mock", "specs/", "--fault", "count-header-wrong"]);
    let (mut child, url, _stdout) = (served.child, served.url, served.stdout);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with('/'));

    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let (_, tenant) = fixture
        .params()
        .into_iter()
        .find(|(n, _)| n == "tenantId")
        .expect("tenantId");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let count = runtime.block_on(async {
        let resp = reqwest::Client::new()
            .head(format!("{url}/api/v1/Tenants/{tenant}/Roles"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status().as_u16(), 200);
        resp.headers()
            .get("total-count")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    // Two seeded roles, and the fault adds one.
    assert_eq!(count.as_deref(), Some("3"));

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s.code();
        }
        assert!(Instant::now() < deadline, "conform mock did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr reads");
    assert!(
        err.contains("serving 26 operations from 5 documents"),
        "{err}"
    );
    assert!(err.contains("fault: count-header-wrong"), "{err}");
    assert!(err.contains("stopped after 1 requests"), "{err}");
    // Each token is printed in its start-up line (and among the flags to
    // paste), never in the log.
    let shown: String = err
        .lines()
        .filter(|l| !l.starts_with("run against it with: "))
        .collect::<Vec<_>>()
        .join("\n");
    for t in fixture.tokens() {
        assert_eq!(shown.matches(&t.token).count(), 1, "{err}");
        assert!(err.contains(&format!("token: {} (", t.token)), "{err}");
    }
    let tenant_head = format!("HEAD /api/v1/Tenants/{tenant}/Roles 200 ");
    assert!(err.contains(&tenant_head), "no log line in {err}");
}

#[test]
fn print_fixture_prints_the_builtin_fixture_text() {
    let (code, stdout, stderr) = conform(&["mock", "--print-fixture"]);
    assert_eq!(code, 0, "{stderr}");
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/mock.toml"))
        .expect("fixture reads");
    assert_eq!(stdout, file);
    let (code, _, stderr) =
        conform(&["mock", "--print-fixture", "--fixture", "fixtures/none.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("fixtures/none.toml"), "{stderr}");
}

/// Regression: `--host localhost` was refused as an invalid IP address.
#[test]
fn regression_a_host_name_was_refused_and_now_binds_its_first_address() {
    let served = serve_conform(&["mock", "specs/", "--host", "localhost", "--quiet"]);
    let (mut child, url, _stdout) = (served.child, served.url, served.stdout);
    let port = url.rsplit(':').next().expect("port").to_string();
    let first = std::net::ToSocketAddrs::to_socket_addrs(&("localhost", 0))
        .expect("localhost resolves")
        .next()
        .expect("an address");
    let bound: std::net::SocketAddr = url
        .strip_prefix("http://")
        .expect("an http URL")
        .parse()
        .expect("an address and port");
    assert_eq!(bound.ip(), first.ip(), "{url}");
    let mut stream =
        std::net::TcpStream::connect(format!("localhost:{port}")).expect("connects by name");
    use std::io::Write;
    let admin = Fixture::builtin().admin_token().expect("admin").to_string();
    write!(
        stream,
        "GET /api/v1-preview/Communities HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {admin}\r\n\r\n"
    )
    .expect("request sent");
    let answer = read_one_answer(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    child.kill().expect("kill");
    let _ = child.wait();
    // A name that resolves to nothing is a usage error naming the flag.
    let (code, _, stderr) = conform(&["mock", "specs/", "--host", "no-such-host.invalid"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--host"), "{stderr}");
}

#[test]
fn sigterm_on_any_host_lets_the_open_request_finish_and_exits_0() {
    let served = serve_conform(&["mock", "specs/", "--host", "0.0.0.0", "--quiet"]);
    let (child, url, _stdout) = (served.child, served.url, served.stdout);
    let port = url.trim().rsplit(':').next().expect("port").to_string();
    assert!(url.starts_with("http://0.0.0.0:"), "{url}");
    // A request whose body trickles in is open while SIGTERM arrives. A
    // whole request on the same connection first proves the server holds
    // it (a fixed pause raced a slow accept).
    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).expect("connects");
    use std::io::Write;
    let admin = Fixture::builtin().admin_token().expect("admin").to_string();
    write!(
        stream,
        "GET /api/v1-preview/Communities HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {admin}\r\n\r\n"
    )
    .expect("first request sent");
    let first = read_one_answer(&mut stream);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    let body = br#"{"Name":"late","Description":"d"}"#;
    write!(
        stream,
        "POST /api/v1-preview/Communities HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {admin}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .expect("head sent");
    stream.write_all(&body[..5]).expect("part sent");
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body[5..]).expect("rest sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer reads");
    assert!(answer.starts_with("HTTP/1.1 20"), "{answer}");
    let out = child.wait_with_output().expect("conform stops");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stopped after 2 requests"), "{err}");
    assert!(
        !err.contains("POST /api"),
        "--quiet prints no request lines: {err}"
    );
}

#[test]
fn serves_only_the_sound_operations_and_names_what_it_leaves_out() {
    let served = serve_conform(&["mock", "fixtures/doc-errors/"]);
    let (child, url, _stdout) = (served.child, served.url, served.stdout);
    let admin = Fixture::builtin().admin_token().expect("admin").to_string();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/api/v1/Things"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    });
    assert_eq!(status, 200, "the sound operation is served");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = child.wait_with_output().expect("conform stops");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("serving 1 operations from 1 documents (1 operation left out"),
        "{err}"
    );
    assert!(
        err.contains("not served: things::Things_Get Thing: fixtures/doc-errors/things.md:46: error[invalid-json]"),
        "{err}"
    );
    assert!(
        err.contains("note: fixtures/doc-errors/overview.md is not an API reference"),
        "{err}"
    );
}

#[test]
fn documents_with_no_usable_operation_are_an_error_naming_them() {
    let (code, _, stderr) = conform(&["mock", "fixtures/doc-errors/overview.md"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("fixtures/doc-errors/overview.md has no usable operation"),
        "{stderr}"
    );
}

/// One HTTP/1.1 answer read off a kept-alive connection: the head, then as
/// many body bytes as its `content-length` says.
fn read_one_answer(stream: &mut std::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("an answer head");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("the answer body");
    head + &String::from_utf8_lossy(&body)
}

/// Start-up names every path-parameter value the server accepts, the
/// invented ones (`userId`, which no resource stands for) included, and
/// the `--param` flags it prints are all a run needs to pass.
#[test]
fn startup_prints_every_accepted_param_and_a_run_with_them_passes() {
    let docs = "fixtures/corpus/identity/";
    let served = serve_conform(&["mock", docs, "--quiet"]);
    let (mut child, url, _stdout) = (served.child, served.url, served.stdout);
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut startup = Vec::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).expect("stderr reads") == 0 {
            break;
        }
        if line.starts_with("press Ctrl-C") {
            break;
        }
        startup.push(line.trim_end().to_string());
    }
    let text = startup.join("\n");
    let fixture = Fixture::builtin();
    let user = startup
        .iter()
        .find_map(|l| l.strip_prefix("param: userId="))
        .unwrap_or_else(|| panic!("no userId in\n{text}"));
    assert!(
        user.ends_with("(invented: the fixture names no value)"),
        "{text}"
    );
    let provider = fixture.param_values("identityProviderId").expect("listed");
    assert!(
        text.contains(&format!(
            "param: identityProviderId={} (also accepted: {})",
            provider[0], provider[1]
        )),
        "{text}"
    );
    let flags = startup
        .iter()
        .find_map(|l| l.strip_prefix("run against it with: "))
        .unwrap_or_else(|| panic!("no flags in\n{text}"));
    let params = startup.iter().filter(|l| l.starts_with("param: ")).count();
    let flags: Vec<String> = shlex::split(flags).expect("the flags read as shell words");
    let count = |flag: &str| flags.iter().filter(|f| *f == flag).count();
    assert_eq!(count("--param"), params, "a flag per param: {flags:?}");
    for name in ["tenantId", "userId", "clientId", "scheme"] {
        assert!(
            flags.iter().any(|f| f.starts_with(&format!("{name}="))),
            "{name}: {flags:?}"
        );
    }
    // The tokens as a run against the embedded server takes them: the
    // administrator's, and every other as a role token.
    let admin = fixture.admin_token().expect("admin");
    let at = flags.iter().position(|f| f == "--token").expect("--token");
    assert_eq!(flags[at + 1], admin);
    assert_eq!(
        count("--role-token"),
        fixture.tokens().len() - 1,
        "{flags:?}"
    );
    assert_eq!(flags[0..2], ["--base-url".to_string(), url.clone()]);
    let mut args = vec!["run", docs];
    args.extend(flags.iter().map(String::as_str));
    let (code, out, err) = conform(&args);
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    assert_eq!(child.wait().expect("conform stops").code(), Some(0));
    assert_eq!(code, 0, "{out}\n{err}");
    let summary = out
        .lines()
        .find(|l| l.contains(" cases run: "))
        .unwrap_or_else(|| panic!("no summary in {out}\n{err}"));
    assert!(summary.contains(" 0 failed, 0 skipped"), "{summary}");
    assert!(
        !out.contains("pass: --") && !err.contains("pass: --"),
        "no case lacks a param or a role token: {out}"
    );
    assert!(!summary.contains("not run"), "{summary}");
}

/// `--print-fixture` with documents prints the fixture completed for them
/// (the invented values a client must send) as TOML that `--fixture` reads
/// back into the same fixture.
#[test]
fn print_fixture_with_documents_round_trips_through_fixture() {
    let docs = "fixtures/corpus/identity/";
    let (code, printed, stderr) = conform(&["mock", docs, "--print-fixture"]);
    assert_eq!(code, 0, "{stderr}");
    let fixture = Fixture::parse("printed", &printed).expect("the printed fixture reads");
    let user = fixture.param_values("userId").expect("userId is printed");
    assert!(uuid::Uuid::parse_str(&user[0]).is_ok(), "{user:?}");
    assert!(printed.contains("# invented"), "{printed}");
    assert_eq!(
        fixture.param_values("tenantId"),
        Fixture::builtin().param_values("tenantId")
    );
    assert_eq!(fixture.tokens().len(), Fixture::builtin().tokens().len());
    assert!(fixture.seeds("Role").iter().all(|s| s.builtin));
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join(format!("completed-{}.toml", std::process::id()));
    std::fs::write(&file, &printed).expect("fixture written");
    let path = file.to_str().expect("utf-8 path");
    let (code, again, stderr) = conform(&["mock", docs, "--print-fixture", "--fixture", path]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(code, 0, "{stderr}");
    // Read back, nothing is invented any more: only those comments differ.
    let data = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(data(&again), data(&printed));
    assert!(!again.contains("# invented"), "{again}");
}

/// Two documents describing one path differently (an older and a newer
/// page of asset types): a run against `conform mock` of both failed 6 of
/// 102 cases, the server answering from the other document, and the
/// printed flags named parameters (`groupId`) the documents do not use,
/// which `conform run` refuses. The printed flags now give the operation
/// of each request and only the documents' parameters.
#[test]
fn regression_a_standalone_mock_of_two_versions_answered_from_the_other() {
    let docs = [
        "fixtures/corpus/family/assets/assets-asset-types.md",
        "fixtures/corpus/family/assets/assets-asset-type.md",
    ];
    let served = serve_conform(&["mock", docs[0], docs[1], "--quiet"]);
    let (mut child, _url, _stdout) = (served.child, served.url, served.stdout);
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut flags = None;
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).expect("stderr reads") == 0 || line.starts_with("press") {
            break;
        }
        if let Some(f) = line.trim_end().strip_prefix("run against it with: ") {
            flags = Some(shlex::split(f).expect("shell words"));
        }
    }
    let flags = flags.expect("the flags line");
    assert!(flags.iter().any(|f| f == "--operation-hints"), "{flags:?}");
    assert!(
        !flags.iter().any(|f| f.starts_with("groupId=")),
        "{flags:?}"
    );
    let mut args = vec!["run", docs[0], docs[1]];
    args.extend(flags.iter().map(String::as_str));
    let (code, out, err) = conform(&args);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains(" 0 failed"), "{out}");
}
