//! The mock server over loopback, against a trivial axum hello-world on the
//! same machine (the ceiling), and the validation proxy's added latency.
//!
//! Criterion times single requests one after another (latency): the mock's
//! item and list, and a GET of an item straight to a fake upstream beside
//! the same GET through `mock --proxy` (the difference is what the proxy
//! adds). Then a load pass runs concurrent keep-alive clients for a fixed
//! time against each target and prints requests per second and the p50 and
//! p99 latency, the figures criterion does not give.
//!
//! `cargo bench --bench mock` runs it all; `cargo bench --bench mock --
//! proxy` only the proxy pair (the load pass always runs).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::Router;
use conform::mock::{self, Fixture, MockOptions, MockServer};
use criterion::{Criterion, Throughput};
use serde_json::json;
use tokio::runtime::Runtime;

/// Concurrent clients in the load pass.
const CLIENTS: usize = 32;
/// How long each load pass runs.
const LOAD_TIME: Duration = Duration::from_secs(3);

struct Targets {
    _server: MockServer,
    _proxy: MockServer,
    /// An item on the fake upstream, directly.
    direct: String,
    /// The same item through the proxy.
    proxied: String,
    hello: String,
    admin: String,
    roles: String,
    role: String,
}

async fn targets() -> Targets {
    let root = env!("CARGO_MANIFEST_DIR");
    let contracts = conform::spec::load_all(&[format!("{root}/specs")]).expect("specs load");
    let (proxy, direct, proxied) = proxied(contracts.clone()).await;
    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let tenant = fixture
        .params()
        .into_iter()
        .find(|(n, _)| n == "tenantId")
        .map(|(_, v)| v)
        .expect("tenantId");
    let mock = mock::start(contracts, fixture, MockOptions::default())
        .await
        .expect("mock starts");
    let roles = format!("{}/api/v1/Tenants/{tenant}/Roles", mock.url());
    let created: serde_json::Value = reqwest::Client::new()
        .post(&roles)
        .bearer_auth(&admin)
        .json(&json!({"Name": "bench"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("created JSON");
    let role = format!("{roles}/{}", created["Id"].as_str().expect("Id"));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hello = format!("http://{}/", listener.local_addr().expect("addr"));
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Targets {
        _server: mock,
        _proxy: proxy,
        direct,
        proxied,
        hello,
        admin,
        roles,
        role,
    }
}

/// A fake upstream answering every GET with a documented Role, and the
/// proxy in front of it; returns the proxy and the item URL on each.
async fn proxied(contracts: Vec<conform::spec::Contract>) -> (MockServer, String, String) {
    let role = json!({"Id": "r1", "Name": "n", "RoleScope": 1, "TenantId": null}).to_string();
    let app = Router::new().fallback(move || {
        let role = role.clone();
        async move { ([("content-type", "application/json")], role) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let upstream = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let options = MockOptions {
        proxy: Some(mock::ProxyOptions::new(upstream.clone())),
        ..MockOptions::default()
    };
    let proxy = mock::start(contracts, Fixture::builtin(), options)
        .await
        .expect("proxy starts");
    let item = "/api/v1/Tenants/t1/Roles/r1";
    let proxied = format!("{}{item}", proxy.url());
    (proxy, format!("{upstream}{item}"), proxied)
}

/// One request of a load mix.
#[derive(Clone, Copy)]
enum Kind {
    Hello,
    Direct,
    Proxied,
    GetItem,
    List,
    Mixed,
}

async fn one(client: &reqwest::Client, t: &Targets, kind: Kind, n: usize) -> u16 {
    let req = match (kind, n % 4) {
        (Kind::Hello, _) => client.get(&t.hello),
        (Kind::Direct, _) => client.get(&t.direct).bearer_auth(&t.admin),
        (Kind::Proxied, _) => client.get(&t.proxied).bearer_auth(&t.admin),
        (Kind::GetItem, _) | (Kind::Mixed, 0) => client.get(&t.role).bearer_auth(&t.admin),
        (Kind::List, _) | (Kind::Mixed, 1) => client
            .get(format!("{}?count=10", t.roles))
            .bearer_auth(&t.admin),
        (Kind::Mixed, 2) => client
            .put(&t.role)
            .bearer_auth(&t.admin)
            .json(&json!({"Description": format!("n{n}")})),
        (Kind::Mixed, _) => client.head(&t.roles).bearer_auth(&t.admin),
    };
    match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let _ = resp.bytes().await;
            status
        }
        Err(_) => 0,
    }
}

/// Runs `CLIENTS` clients for `LOAD_TIME`; returns requests/s, p50 and p99.
async fn load(t: Arc<Targets>, kind: Kind) -> (f64, Duration, Duration, usize) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut lat = Vec::new();
            let mut failures = 0;
            let mut n = c;
            while start.elapsed() < LOAD_TIME {
                let t0 = Instant::now();
                let status = one(&client, &t, kind, n).await;
                lat.push(t0.elapsed());
                if !(200..300).contains(&status) {
                    failures += 1;
                }
                n += 1;
            }
            (lat, failures)
        }));
    }
    let mut all = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (lat, f) = task.await.expect("client");
        all.extend(lat);
        failures += f;
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    (all.len() as f64 / secs, at(0.5), at(0.99), failures)
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = Runtime::new().expect("runtime");
    let t = Arc::new(rt.block_on(targets()));
    let client = reqwest::Client::new();

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("loopback");
    group.throughput(Throughput::Elements(1));
    for (name, kind) in [
        ("hello_world", Kind::Hello),
        ("mock_get_item", Kind::GetItem),
        ("mock_list", Kind::List),
        ("proxy_upstream_direct", Kind::Direct),
        ("proxy_through", Kind::Proxied),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(rt.block_on(one(&client, &t, kind, 0))))
        });
    }
    group.finish();
    c.final_summary();

    println!("\nload: {CLIENTS} concurrent clients, {LOAD_TIME:?} each");
    for (name, kind) in [
        ("hello_world (ceiling)", Kind::Hello),
        ("mock GET item", Kind::GetItem),
        ("mock GET list", Kind::List),
        ("mock mixed GET/PUT/HEAD", Kind::Mixed),
        ("fake upstream direct", Kind::Direct),
        ("through the proxy", Kind::Proxied),
    ] {
        let (rps, p50, p99, failures) = rt.block_on(load(t.clone(), kind));
        println!(
            "{name:26} {rps:9.0} req/s   p50 {:7.3} ms   p99 {:7.3} ms   non-2xx {failures}",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
}
