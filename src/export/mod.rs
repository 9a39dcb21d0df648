//! Exports of the contract for tools outside Conform. [`openapi`] writes an
//! OpenAPI 3.1 document of one or more contracts, its schemas derived by
//! the same type mapping as validation ([`crate::schema::derive`]).

mod openapi;

pub use openapi::{openapi, OpenApi};
