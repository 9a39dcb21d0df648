//! The embedded reference server: serves every operation of the loaded
//! documents, statefully and strictly, from the contract alone.
//!
//! Paths become resources ([`routing`](self)): a collection path and its
//! item path form one, routes of different versions that name the same
//! collection share it, and a resource under another's item path is nested
//! in it. POST creates (a server-assigned GUID `Id`, `DateCreated` where the
//! definition has it), GET reads an item or a page of the list (`skip` and
//! `count`), PUT updates (or, where there is no POST, attaches an object of
//! the fixture), DELETE removes with everything nested under it, and HEAD
//! answers the count in a header. Requests need a fixture token holding one
//! of the operation's documented roles. Every answer uses a status the
//! operation documents and a body shaped by the documented definition;
//! [`Fault`]s make it deviate on purpose, one kind at a time.
//!
//! With [`MockOptions::proxy`] the same edge and routes serve as a
//! validation proxy instead ([`ProxyOptions`]): requests go to a real
//! server, and both directions are judged against the documents.

mod auth;
mod edge;
mod faults;
mod fixture;
mod handlers;
mod prefer;
mod proxy;
mod references;
mod routing;
mod server;
pub mod store;
pub(crate) mod values;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, RwLock};

use axum::http::HeaderName;

pub use edge::Cors;
pub use faults::Fault;
pub use fixture::{Fixture, Seed, TokenSpec};
pub use proxy::{
    ProxyOptions, ProxyRecord, Violation, PROXY_CHECKS, REQUEST_PARAMETERS, REQUEST_SCHEMA,
};
pub use server::{Limits, MockServer};

use crate::api::Api;
use crate::spec::Contract;

/// Failures of the server itself (never of a request).
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// A fixture could not be read or makes no sense.
    #[error("failed to read fixture {file}: {message}")]
    Fixture {
        /// The file (or name) of the fixture.
        file: String,
        /// What is wrong, with the line where the TOML reader knows it.
        message: String,
    },
    /// The documents hold no operation to serve.
    #[error("the documents hold no operation to serve")]
    NoOperations,
    /// An option is unusable.
    #[error("invalid option: {0}")]
    Option(String),
    /// The address could not be bound.
    #[error("failed to listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Where to listen; port 0 picks a free one. Default `127.0.0.1:0`.
    pub addr: SocketAddr,
    /// Deviations to make on purpose.
    pub faults: Vec<Fault>,
    /// Request bodies larger than this many bytes are refused.
    pub body_limit: usize,
    /// The response header that carries counts (`Total-Count`).
    pub count_header: String,
    /// Which browser origins may call; any by default.
    pub cors: Cors,
    /// Print a line per request (method, path, status, time) to stderr.
    pub log: bool,
    /// Bytes of stored items (their JSON) past which changes that add data
    /// are refused; default [`store::DEFAULT_BYTES`] (256 MiB).
    pub store_bytes: usize,
    /// Forward every request to this upstream and judge both directions
    /// against the documents instead of answering ([`ProxyOptions`]).
    pub proxy: Option<ProxyOptions>,
}

impl Default for MockOptions {
    fn default() -> MockOptions {
        MockOptions {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            faults: Vec::new(),
            body_limit: 1 << 20,
            count_header: "Total-Count".to_string(),
            cors: Cors::Any,
            log: false,
            store_bytes: store::DEFAULT_BYTES,
            proxy: None,
        }
    }
}

/// Starts the server for these documents with the default [`Limits`].
pub async fn start(
    contracts: Vec<Contract>,
    fixture: Fixture,
    options: MockOptions,
) -> Result<MockServer, MockError> {
    start_with(contracts, fixture, options, Limits::default()).await
}

/// Starts the server with explicit time and size bounds.
pub async fn start_with(
    contracts: Vec<Contract>,
    fixture: Fixture,
    options: MockOptions,
    limits: Limits,
) -> Result<MockServer, MockError> {
    serve_api(Arc::new(Api::new(contracts)), fixture, options, limits).await
}

/// Starts the server for an API model derived elsewhere (a run shares one
/// model between its plan and the server it starts).
pub async fn serve_api(
    api: Arc<Api>,
    fixture: Fixture,
    options: MockOptions,
    limits: Limits,
) -> Result<MockServer, MockError> {
    if api.contracts.iter().all(|c| c.operations.is_empty()) {
        return Err(MockError::NoOperations);
    }
    let count_header = HeaderName::try_from(options.count_header.as_str()).map_err(|_| {
        MockError::Option(format!("{:?} is not a header name", options.count_header))
    })?;
    if limits.max_connections == 0 {
        return Err(MockError::Option(
            "max_connections must be at least 1".into(),
        ));
    }
    let fixture = fixture.completed(&api);
    let mut store = store::Store::with_budget(options.store_bytes);
    handlers::seed(&api, &fixture, &mut store);
    let state = handlers::State {
        auth: if options.faults.contains(&Fault::AllowedRoleRefused) {
            auth::Auth::new(&fixture).administrator_only(&fixture)
        } else {
            auth::Auth::new(&fixture)
        },
        routes: routing::Routes::new(&api),
        schemas: handlers::schemas_of(&api),
        api,
        fixture,
        store: RwLock::new(store),
        faults: options.faults,
    };
    let cors = edge::cors_layer(&options.cors, &count_header)?;
    let mut shared = server::Shared::new(state, options.body_limit, count_header, limits);
    shared.cors = cors;
    shared.log = options.log;
    if let Some(proxy) = options.proxy {
        let proxy =
            proxy::Proxy::new(proxy, options.log).map_err(|e| MockError::Option(e.to_string()))?;
        shared.proxy = Some(proxy);
    }
    server::serve(options.addr, shared)
        .await
        .map_err(|source| MockError::Bind {
            addr: options.addr,
            source,
        })
}
