//! Conform: contract tests and conformance runs for services documented in
//! markdown API references.
//!
//! Data flows one way: [`spec`] reads documents into a [`spec::Contract`];
//! later stages derive schemas from it, generate test cases, run them
//! against a server and report. Each stage is a module with one input type
//! and one output type; [`session`] strings them together for one run.

pub mod api;
pub mod diff;
pub mod export;
pub mod mock;
pub mod plan;
pub mod report;
pub mod run;
pub mod schema;
pub mod session;
pub mod spec;

#[cfg(test)]
mod types_agree;
