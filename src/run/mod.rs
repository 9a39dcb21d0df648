//! Running a plan: one HTTP client on tokio, the cases as libtest-mimic
//! trials, every exchange judged by the [`checks`] that fit it, and the
//! outcomes handed to [`crate::report`].

pub mod checks;
mod engine;
pub mod exchange;
pub mod http;
pub mod oauth;
pub mod outcome;
pub mod redact;
pub mod trials;

pub use engine::{
    operation_hint, Engine, RoleToken, RunError, Target, CLEANUP_TRIES, MALFORMED_TOKEN,
    OPERATION_HINT,
};
