//! The integration tests, in one binary: every test file is a module
//! here, so the crate and its dependencies are linked once, not once per
//! file. (`tests/family.rs`, with its own trial harness, is the other.)

mod ci_gate;
mod cli;
mod common;
mod concurrent_runs;
mod container;
mod corpus;
mod diagnostics;
mod diff;
mod equivalence;
mod examples;
mod html_report;
mod http_semantics;
mod mock;
mod mock_cli;
mod mock_memory;
mod mock_schemas;
mod openapi;
mod proxy;
mod references;
mod robustness;
mod run_cli;
mod run_embedded;
mod run_oauth;
mod run_transport;
mod schema;
mod score;
mod seeds;
mod sequences;
mod shared_items;
mod snapshots;
