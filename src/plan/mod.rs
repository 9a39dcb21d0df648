//! Test generation: from contracts to named test cases, each an ordered
//! list of steps (a request template plus what the answer must show), with
//! the bindings that carry ids from one step to the next. Pure: nothing
//! here touches the network; [`crate::run`] executes what this produces.

mod generate;
pub mod kinds;
mod model;
pub mod partition;
pub mod rules;
pub mod values;

pub use generate::{
    document_name, generate, generate_for, generate_mapped, PlanConfig, SKIP_PAST_END, WHOLE_PAGE,
};
pub use generate::{keeps_given, NO_STATUS};
pub use kinds::{Kind, Provokes, KINDS};
pub use model::{
    Auth, Bind, Body, CaseKind, Claim, Creates, Expect, Extract, OpRef, Phase, Repeat,
    RequestTemplate, Step, TestCase, CAPPED,
};
pub use partition::Partition;
