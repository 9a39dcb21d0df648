//! Exports of the contract for tools outside Conform. [`openapi`] writes an
//! OpenAPI 3.1 document of one or more contracts, its schemas derived by
//! the same type mapping as validation ([`crate::schema::derive`]), and
//! [`examples`] keeps its examples consistent with those schemas, [`verify`]
//! leaves out the ones that cannot be, and [`tidy`] drops what no operation
//! uses.

pub mod examples;
mod openapi;
pub mod tidy;
pub mod verify;

pub use openapi::{openapi, openapi_with, ExportOptions, OpenApi};
