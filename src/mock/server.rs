//! The HTTP edge: listening, bounded reading, and turning replies into
//! responses.
//!
//! Connections are served by hyper's HTTP/1 server with a header read
//! timeout (a client that trickles its headers is cut off), bodies are read
//! with a size limit and a time limit, and the number of open connections is
//! capped, so no peer can hold the server's memory or time without bound.
//!
//! At the cap, idle connections are shed before anyone is turned away: a
//! new client closes the oldest connection that is between requests (or
//! has yet to send one), so a crowd of idle or trickling peers cannot lock
//! working clients out until their header timeout runs. Only when every
//! open connection is busy is the new one closed at once.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as Extract};
use axum::http::header::{
    HeaderName, HeaderValue, ALLOW, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use super::handlers::{respond, Input, Reply, State};
use super::routing::Match;
use super::Fault;
use crate::spec::Method;

/// Time and size bounds of the HTTP edge.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to send its request headers (also the
    /// idle time allowed between requests on a kept-alive connection).
    pub header_read: Duration,
    /// How long a client may take to send its request body.
    pub body_read: Duration,
    /// Open connections at most. At the cap a new connection replaces the
    /// oldest idle one; it is closed at once only when none is idle.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// Requests seen, by method.
#[derive(Debug, Default)]
struct Counters {
    known: [AtomicU64; 7],
    other: AtomicU64,
}

impl Counters {
    fn count(&self, method: Option<Method>) {
        let slot = method
            .and_then(|m| Method::ALL.iter().position(|x| *x == m))
            .map_or(&self.other, |i| &self.known[i]);
        slot.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> BTreeMap<String, u64> {
        let mut out: BTreeMap<String, u64> = Method::ALL
            .iter()
            .zip(&self.known)
            .map(|(m, n)| (m.as_str().to_string(), n.load(Ordering::Relaxed)))
            .collect();
        out.insert("OTHER".into(), self.other.load(Ordering::Relaxed));
        out.retain(|_, n| *n > 0);
        out
    }
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: State,
    pub body_limit: usize,
    pub count_header: HeaderName,
    pub limits: Limits,
    /// The CORS layer, unless CORS is off.
    pub cors: Option<tower_http::cors::CorsLayer>,
    /// Whether to print a line per request.
    pub log: bool,
    /// Where to forward requests instead of answering them.
    pub proxy: Option<super::proxy::Proxy>,
    counters: Counters,
}

impl Shared {
    /// Bundles the state with the edge's settings.
    pub fn new(
        state: State,
        body_limit: usize,
        count_header: HeaderName,
        limits: Limits,
    ) -> Shared {
        Shared {
            state,
            body_limit,
            count_header,
            limits,
            cors: None,
            log: false,
            proxy: None,
            counters: Counters::default(),
        }
    }
}

/// A running server.
#[derive(Debug)]
pub struct MockServer {
    url: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// The base URL, `http://127.0.0.1:PORT`, with no trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The fixture the server uses: the one given, completed for the
    /// documents it serves ([`crate::mock::Fixture::completed`]).
    pub fn fixture(&self) -> &crate::mock::Fixture {
        &self.shared.state.fixture
    }

    /// Every request seen so far, by method (`GET`, …; `OTHER` for methods
    /// the docs cannot name).
    pub fn requests_by_method(&self) -> BTreeMap<String, u64> {
        self.shared.counters.snapshot()
    }

    /// The proxy's latest exchanges (the last thousand), oldest first;
    /// empty when the server is not a proxy.
    pub fn proxy_records(&self) -> Vec<super::ProxyRecord> {
        self.shared
            .proxy
            .as_ref()
            .map(|p| p.records())
            .unwrap_or_default()
    }

    /// Stops accepting, lets open requests finish (for a few seconds at
    /// most), and returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Binds and starts serving in the background.
pub(crate) async fn serve(addr: SocketAddr, shared: Shared) -> std::io::Result<MockServer> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let shared = Arc::new(shared);
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept(listener, shared.clone(), stopped));
    Ok(MockServer {
        url: format!("http://{local}"),
        shared,
        stop,
        task,
    })
}

async fn accept(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let limits = shared.limits;
    let open = Arc::new(Open::default());
    let app = app(shared);
    loop {
        let stream = tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors and the like: wait instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let Some((id, conn)) = open.admit(limits.max_connections) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = Tracked {
            inner: TowerToHyperService::new(app.clone()),
            conn: conn.clone(),
        };
        let mut stopped = stopped.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let _open = Leave(open, id);
            let served = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(served);
            tokio::select! {
                _ = served.as_mut() => return,
                _ = stopped.changed() => {}
                _ = conn.shed.notified() => {}
            }
            // Stopping or shed: an idle connection closes now, a busy one
            // after its answer.
            served.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), served).await;
        });
    }
    // Wait (briefly) for open connections to finish their requests.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !open.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// One open connection, as the accept loop sees it.
#[derive(Debug)]
struct Conn {
    /// Between requests, or not yet sent one.
    idle: AtomicBool,
    /// Told to close, to make room for a new client.
    shed: Notify,
}

/// The open connections, oldest first.
#[derive(Debug, Default)]
struct Open {
    conns: Mutex<(u64, BTreeMap<u64, Arc<Conn>>)>,
}

impl Open {
    /// Registers a new connection. At `cap`, the oldest idle connection is
    /// told to close and leaves the count at once (closing an idle
    /// connection takes no time); `None` when every open one is busy.
    fn admit(&self, cap: usize) -> Option<(u64, Arc<Conn>)> {
        let mut guard = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let (next, conns) = &mut *guard;
        if conns.len() >= cap {
            let oldest = conns
                .iter()
                .find(|(_, c)| c.idle.load(Ordering::Acquire))
                .map(|(id, _)| *id)?;
            if let Some(old) = conns.remove(&oldest) {
                old.shed.notify_one();
            }
        }
        let id = *next;
        *next += 1;
        let conn = Arc::new(Conn {
            idle: AtomicBool::new(true),
            shed: Notify::new(),
        });
        conns.insert(id, conn.clone());
        Some((id, conn))
    }

    fn leave(&self, id: u64) {
        let mut guard = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        guard.1.remove(&id);
    }

    fn is_empty(&self) -> bool {
        let guard = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        guard.1.is_empty()
    }
}

/// Removes a connection from the open set when its task ends, however it
/// ends.
struct Leave(Arc<Open>, u64);

impl Drop for Leave {
    fn drop(&mut self) {
        self.0.leave(self.1);
    }
}

/// A connection's service that marks the connection busy while a request
/// is being answered.
struct Tracked<S> {
    inner: S,
    conn: Arc<Conn>,
}

type Boxed<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> hyper::service::Service<hyper::Request<B>> for Tracked<S>
where
    S: hyper::service::Service<hyper::Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Boxed<Result<S::Response, S::Error>>;

    fn call(&self, req: hyper::Request<B>) -> Self::Future {
        self.conn.idle.store(false, Ordering::Release);
        let answer = self.inner.call(req);
        let conn = self.conn.clone();
        Box::pin(async move {
            let out = answer.await;
            conn.idle.store(true, Ordering::Release);
            out
        })
    }
}

/// The router with the edge's layers: the 401 challenge innermost, then
/// CORS (so preflights never reach the routes), then the log outermost (so
/// preflights are logged too).
fn app(shared: Arc<Shared>) -> Router {
    let cors = shared.cors.clone();
    let log = shared.log;
    // A proxy passes the upstream's 401 on as it came.
    let proxying = shared.proxy.is_some();
    let mut app = Router::new().fallback(handle).with_state(shared);
    if !proxying {
        app = app.layer(axum::middleware::from_fn(super::edge::challenge));
    }
    if let Some(cors) = cors {
        app = app.layer(cors);
    }
    if log {
        app = app.layer(axum::middleware::from_fn(super::edge::log));
    }
    app
}

async fn handle(Extract(shared): Extract<Arc<Shared>>, req: Request) -> Response {
    let method = Method::parse(req.method().as_str());
    shared.counters.count(method);
    if let Some(proxy) = &shared.proxy {
        let (limit, time) = (shared.body_limit, shared.limits.body_read);
        return super::proxy::forward(&shared.state, proxy, limit, time, req).await;
    }
    let (parts, body) = req.into_parts();
    let api = &shared.state.api;
    let hint = hint(&shared.state.routes, &parts.headers);
    let found = shared
        .state
        .routes
        .find(api, method, parts.uri.path(), hint);
    let (route, segments) = match found {
        Match::Found(route, segments) => (route, segments),
        Match::WrongMethod(allow) => {
            let reply = Reply::unrouted(405, "the method is not documented for this path", allow);
            return response(reply, &shared.count_header);
        }
        Match::NotFound => {
            let reply = Reply::unrouted(404, "no documented operation has this path", Vec::new());
            return response(reply, &shared.count_header);
        }
    };
    let contract = &api.contracts[route.key.doc];
    if let Some(reply) = super::prefer::answer(&parts.headers, api.operation(route.key), contract) {
        return response(reply, &shared.count_header);
    }
    let faults = &shared.state.faults;
    let decided = shared.state.auth.decide(
        parts.headers.get(AUTHORIZATION).map(HeaderValue::as_bytes),
        api.operation(route.key),
        faults.contains(&Fault::AnonymousAccepted),
        faults.contains(&Fault::MemberAllowedAdmin),
    );
    let input = match decided {
        Err(denied) => Input::Denied(denied),
        Ok(()) => {
            read_body(
                &parts.headers,
                body,
                shared.body_limit,
                shared.limits.body_read,
            )
            .await
        }
    };
    let reply = respond(&shared.state, route, &segments, parts.uri.query(), input);
    response(reply, &shared.count_header)
}

/// The operation the runner's [`crate::run::OPERATION_HINT`] header names,
/// which settles ties between documents sharing a path.
pub(crate) fn hint(
    routes: &super::routing::Routes,
    headers: &axum::http::HeaderMap,
) -> Option<crate::api::OpKey> {
    headers
        .get(crate::run::OPERATION_HINT)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| routes.hinted(v))
}

/// Reads a request body within the size and time limits.
pub(crate) async fn read_body(
    headers: &axum::http::HeaderMap,
    body: Body,
    limit: usize,
    time: Duration,
) -> Input {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Input::TooLarge;
    }
    match tokio::time::timeout(time, Limited::new(body, limit).collect()).await {
        Err(_) => Input::TimedOut,
        Ok(Ok(collected)) => Input::Body(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Input::TooLarge,
        Ok(Err(_)) => Input::Unreadable,
    }
}

fn response(reply: Reply, count_header: &HeaderName) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = Response::builder().status(status);
    if let Some(n) = reply.count {
        builder = builder.header(count_header, n);
    }
    if !reply.allow.is_empty() {
        let allow: Vec<&str> = reply.allow.iter().map(|m| m.as_str()).collect();
        builder = builder.header(ALLOW, allow.join(", "));
    }
    let body = match &reply.body {
        Some(value) => {
            builder = builder.header(CONTENT_TYPE, reply.content_type);
            Body::from(serde_json::to_vec(value).unwrap_or_default())
        }
        None => Body::from(Bytes::new()),
    };
    builder.body(body).unwrap_or_else(|_| {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}
