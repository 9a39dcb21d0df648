//! The API as one model, derived from the contracts once per run and read
//! by every stage that needs more than one operation at a time: the
//! planner, the engine and the embedded reference server.
//!
//! Paths become [`Resource`]s (collections and their items, with the id
//! parameter, parents and children, and the operations that create, read,
//! update, delete, list and count them); every operation gets an
//! [`OpModel`] saying which resource it acts on, where its scope and id
//! sit in the path, what success looks like ([`success`]) and which of its
//! path ids the docs say must name something that exists ([`existence`]).
//! Because the suite and the reference server read the same model, they
//! cannot disagree about what the docs say. Pure: no I/O.

mod existence;
mod resources;
mod success;

pub use existence::{names_param, Existence};
pub use resources::{Api, Kind, OpKey, OpModel, Resource};
pub use success::{answers_list, list_member, success, success_statuses, Success};
