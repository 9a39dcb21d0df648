//! The integration tests, in one binary: every test file is a module
//! here, so the crate and its dependencies are linked once, not once per
//! file. (`tests/family.rs`, with its own trial harness, is the other.)

mod cli;
mod common;
mod corpus;
mod diagnostics;
mod diff;
mod equivalence;
mod examples;
mod mock;
mod mock_cli;
mod mock_schemas;
mod openapi;
mod robustness;
mod run_cli;
mod run_embedded;
mod run_oauth;
mod run_transport;
mod schema;
mod seeds;
mod sequences;
mod snapshots;
