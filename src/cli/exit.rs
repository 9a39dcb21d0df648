//! Exit codes, in one place.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success: everything passed, nothing to report |
//! | 1 | a check failed (in `run`, or in the shards `report merge` joins), the conformance score is below `--min-score`, cleanup left items behind (without `--allow-leftovers`), a case was left unrun under `--require-all` or fewer than `--min-run` ran, a lint found errors, or `diff --fail-on` matched |
//! | 2 | usage error, unreadable input, or a harness failure |
//! | 4 | `run` executed no case (filters matched none, a filter matched no case, or none could run as configured) |
//! | 130 | `run` was interrupted (Ctrl-C): no case started after it, those under way finished and cleaned up, the reports were written |
//! | 141 | `run`'s output pipe was closed (`conform run … \| head`): ended quietly by SIGPIPE |

use std::process::ExitCode;

/// The exit status of a `conform` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit(pub u8);

/// Everything passed.
pub const SUCCESS: Exit = Exit(0);
/// Something the user asked about failed (checks, lint errors, breaking changes).
pub const FAILED: Exit = Exit(1);
/// Usage error, unreadable input, or a failure of the harness itself.
pub const USAGE: Exit = Exit(2);

/// `run` executed no case: the filters matched none, one of them matched
/// no case, or every case lacks a setting. A gate that tests nothing must not pass (nextest uses 4 too).
pub const NO_CASE_RUN: Exit = Exit(4);

/// `run` was interrupted by Ctrl-C (SIGINT) and stopped in order: the
/// shell convention of 128 + the signal's number.
pub const INTERRUPTED: Exit = Exit(130);

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.0)
    }
}
