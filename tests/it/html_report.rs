//! The HTML report of a failing run (the embedded server with a fault):
//! one self-contained page holding every failure and no secret, and, in
//! headless Chromium, a grid that lays out in colour, a failure that opens
//! when its summary is clicked, filters that hide rows, and `#open=CASE`
//! opening that case.
//!
//! Without `/usr/bin/chromium` the browser test says so and returns,
//! unless `CONFORM_REQUIRE_BROWSER=1` (set by CI), where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::conform;
use crate::common::scratch;

const CHROMIUM: &str = "/usr/bin/chromium";
const ADMIN_TOKEN: &str = "mock-admin-7f3a9c1e5b";
const MEMBER_TOKEN: &str = "mock-member-2d8e4b6a0f";

/// The HTML and JSON reports of `conform run specs/` with a fault that
/// breaks the response bodies, written into `dir`.
fn failing_run(dir: &Path) -> (PathBuf, Value) {
    let (html, json) = (dir.join("r.html"), dir.join("r.json"));
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "-q",
        "--fault",
        "wrong-field-type",
        "--html",
        html.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (html, report)
}

#[test]
fn the_html_report_is_one_self_contained_page_with_every_failure() {
    let dir = scratch("page");
    let (html, report) = failing_run(&dir);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    for external in ["<link", " src=", "url(", "@import", "<img", "<iframe"] {
        assert!(!page.contains(external), "the page loads `{external}`");
    }
    let failed = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .count();
    assert!(failed > 10);
    assert_eq!(page.matches("<details class=\"failure\"").count(), failed);
    assert!(page.contains("id=\"grid\"") && page.contains("id=\"roles\""));
    assert!(page.contains("class=\"c fail\"") && page.contains("class=\"c pass\""));
    assert!(
        page.contains("schema error at: <code>/"),
        "pointers are shown"
    );
    assert!(page.contains("<pre class=\"curl\">curl -sS -i "));
    assert!(
        page.contains("Bearer $CONFORM_TOKEN"),
        "credentials stay placeholders"
    );
    assert!(!page.contains(ADMIN_TOKEN) && !page.contains(MEMBER_TOKEN));
    std::fs::remove_dir_all(&dir).ok();
}

/// Measures the page after load as a reader's browser shows it: the grid's
/// box and a failed cell's colour, a failure before and after a click on
/// its summary, and the grid rows the state filter leaves. The result is
/// written into the DOM for `--dump-dom` to carry out.
const PROBE: &str = r#"<script>
window.addEventListener('load', function () {
  var grid = document.getElementById('grid').getBoundingClientRect();
  var fail = document.querySelector('#grid td.fail');
  var failure = document.querySelectorAll('details.failure')[1];
  var before = failure.open;
  var curl = failure.querySelector('pre.curl');
  var shownBefore = curl.checkVisibility();
  failure.querySelector('summary').click();
  var rows = document.querySelectorAll('#grid tbody tr[data-states]');
  var state = document.getElementById('f-state');
  state.value = 'fail';
  state.dispatchEvent(new Event('change'));
  var shown = Array.prototype.filter.call(rows, function (r) { return r.offsetParent !== null; });
  var probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = JSON.stringify({
    gridWidth: grid.width,
    gridHeight: grid.height,
    failColour: fail ? getComputedStyle(fail).backgroundColor : '',
    before: before,
    after: failure.open,
    shownBefore: shownBefore,
    shownAfter: curl.checkVisibility(),
    curlHeight: curl.getBoundingClientRect().height,
    rows: rows.length,
    failingRows: shown.length,
    opened: Array.prototype.filter.call(document.querySelectorAll('details.failure'), function (d) { return d.open; })
      .map(function (d) { return d.getAttribute('data-case'); })
  });
  document.body.appendChild(probe);
});
</script></body>"#;

/// The DOM Chromium holds after loading `url`, or why it could not run.
fn dump_dom(url: &str, profile: &Path) -> String {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1800",
            "--virtual-time-budget=5000",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("reader")
}

/// The probe's measurements out of a dumped DOM.
fn probe(dom: &str) -> Value {
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").expect("probe end");
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_grid_renders_and_a_failure_expands_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var("CONFORM_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "CONFORM_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)"
        );
        eprintln!("skipped: no browser at {CHROMIUM}; install the `chromium` package to run it");
        return;
    }
    let dir = scratch("browser");
    let (html, _) = failing_run(&dir);
    let page = std::fs::read_to_string(&html).unwrap();
    let probed = dir.join("probed.html");
    std::fs::write(&probed, page.replacen("</body>", PROBE, 1)).unwrap();
    let url = |file: &Path| format!("file://{}", file.display());

    let p = probe(&dump_dom(&url(&probed), &dir.join("profile-1")));
    assert!(p["gridWidth"].as_f64().unwrap() > 400.0, "{p}");
    assert!(p["gridHeight"].as_f64().unwrap() > 400.0, "{p}");
    assert_eq!(
        p["failColour"], "rgb(255, 205, 210)",
        "failed cells are red: {p}"
    );
    assert_eq!(p["before"], false, "failures start closed: {p}");
    assert_eq!(
        p["shownBefore"], false,
        "a closed failure hides its curl line: {p}"
    );
    assert_eq!(p["after"], true, "a click on the summary opens it: {p}");
    assert_eq!(p["shownAfter"], true, "an open one shows it: {p}");
    assert!(p["curlHeight"].as_f64().unwrap() > 10.0, "{p}");
    let (rows, failing) = (
        p["rows"].as_u64().unwrap(),
        p["failingRows"].as_u64().unwrap(),
    );
    assert!(
        failing > 0 && failing < rows,
        "the state filter hides rows: {p}"
    );

    // `#open=CASE` opens that case's failure, and only it.
    let case = page
        .split("data-case=\"")
        .nth(3)
        .and_then(|rest| rest.split('"').next())
        .expect("a third failure");
    let target = format!("{}#open={}", url(&probed), case.replace(' ', "%20"));
    let p = probe(&dump_dom(&target, &dir.join("profile-2")));
    let opened: Vec<&str> = p["opened"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let second = page
        .split("data-case=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    // The probe clicks the second failure open too.
    assert_eq!(opened, [second, case], "{p}");
    std::fs::remove_dir_all(&dir).ok();
}
