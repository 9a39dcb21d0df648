//! A full run of the `specs/` suite against the embedded server (plan,
//! requests, checks, cleanup), against a bare reqwest loop sending the
//! same requests with the same concurrency and nothing else (the ceiling:
//! the harness's own cost should stay under half of the total).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use conform::mock::{self, Fixture, MockOptions};
use conform::plan;
use conform::run::checks::Settings;
use conform::run::http::Limits;
use conform::run::outcome::CaseOutcome;
use conform::run::Engine;
use conform::session::embedded;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const CONCURRENCY: usize = 8;

/// A recorded request, credentials restored, ready to send again.
struct Replay {
    method: reqwest::Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// Every request of a run, grouped by case, in sending order.
fn replays(outcomes: &[CaseOutcome], token: &str) -> Vec<Vec<Replay>> {
    let restore = |v: &str| v.replace("$CONFORM_TOKEN", token);
    outcomes
        .iter()
        .map(|o| {
            let mut out: Vec<Replay> = o
                .steps
                .iter()
                .map(|s| Replay {
                    method: reqwest::Method::from_bytes(s.request.method.as_bytes())
                        .unwrap_or(reqwest::Method::GET),
                    url: s.request.url.clone(),
                    headers: s
                        .request
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), restore(v)))
                        .collect(),
                    body: s.request.body.clone(),
                })
                .collect();
            out.extend(o.cleanup.iter().map(|c| Replay {
                method: reqwest::Method::DELETE,
                url: c.url.clone(),
                headers: vec![("authorization".into(), format!("Bearer {token}"))],
                body: None,
            }));
            out
        })
        .collect()
}

async fn bare(client: &reqwest::Client, cases: &Arc<Vec<Vec<Replay>>>) -> usize {
    let gate = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut set = tokio::task::JoinSet::new();
    for i in 0..cases.len() {
        let (client, cases, gate) = (client.clone(), cases.clone(), gate.clone());
        set.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let mut bytes = 0;
            for r in &cases[i] {
                let mut req = client.request(r.method.clone(), &r.url);
                for (k, v) in &r.headers {
                    req = req.header(k, v);
                }
                if let Some(b) = &r.body {
                    req = req.body(b.clone());
                }
                if let Ok(resp) = req.send().await {
                    bytes += resp.bytes().await.map(|b| b.len()).unwrap_or(0);
                }
            }
            bytes
        });
    }
    let mut total = 0;
    while let Some(Ok(n)) = set.join_next().await {
        total += n;
    }
    total
}

fn run(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let contracts =
        conform::spec::load_all(&[concat!(env!("CARGO_MANIFEST_DIR"), "/specs")]).expect("specs");
    let fixture = Fixture::builtin();
    let server = rt
        .block_on(mock::start(
            contracts.clone(),
            fixture.clone(),
            MockOptions::default(),
        ))
        .expect("mock");
    let target = embedded::target(&fixture, server.url());
    let token = target.token.clone().unwrap_or_default();
    let config = |nonce: String| target.plan_config(false, nonce);
    let engine = Arc::new(
        Engine::new(
            contracts.clone(),
            target.clone(),
            Limits::default(),
            Settings::default(),
            Default::default(),
        )
        .expect("engine"),
    );

    let cases = plan::generate(&contracts, &config("warm".into()));
    let start = Instant::now();
    let outcomes = rt.block_on(engine.execute_all(&cases, CONCURRENCY));
    let once = start.elapsed();
    let replay = Arc::new(replays(&outcomes, &token));
    let requests: usize = replay.iter().map(Vec::len).sum();
    eprintln!(
        "specs/ generates {} cases ({} runnable); one run sends {} requests and took {:?}",
        cases.len(),
        outcomes.iter().filter(|o| !o.steps.is_empty()).count(),
        requests,
        once
    );

    let mut group = c.benchmark_group("run");
    group.throughput(Throughput::Elements(requests as u64));
    let mut round = 0u64;
    group.bench_function("conform_suite", |b| {
        b.iter(|| {
            round += 1;
            let cases = plan::generate(&contracts, &config(format!("b{round}")));
            black_box(rt.block_on(engine.execute_all(&cases, CONCURRENCY)))
        })
    });
    let client = engine.http().client().clone();
    group.bench_function("bare_reqwest_same_requests", |b| {
        b.iter(|| black_box(rt.block_on(bare(&client, &replay))))
    });
    group.finish();
    rt.block_on(server.shutdown());
}

criterion_group!(benches, run);
criterion_main!(benches);
