//! The case that asks whether a refused caller can tell an existing item
//! from a missing one: the same read with a token outside the allowed
//! roles, first of an item that exists, then of an id naming nothing.

use super::{documented, Auth, Bind, CaseKind, Claim, Extract, Gen};
use crate::spec::Method;

/// The variable holding the status the existing item got.
const EXISTING_STATUS: &str = "existingStatus";

impl Gen<'_> {
    /// Where the docs list both 403 and 404 for an item read with allowed
    /// roles, and a token outside those roles is configured: one case
    /// reading an existing item and a missing one with that token. Which
    /// of the two a refused caller gets, the docs do not say, so a
    /// difference is an advisory (`existence_disclosed`), never a failure.
    pub(super) fn other_role_existence(&mut self, d: usize, o: usize) {
        let op = self.op(d, o).clone();
        let model = self.api.op(Self::key(d, o));
        let Some(id) = model.id_param(&op).map(str::to_string) else {
            return;
        };
        let both = documented(&op, &[403, 404]).len() == 2 && model.missing(&id).contains(&404);
        if op.method != Method::Get || op.roles.is_empty() || !both || self.configured(&id) {
            return;
        }
        let allowed = |role: &String| op.roles.iter().any(|r| r.eq_ignore_ascii_case(role));
        let Some(outside) = self
            .cfg
            .role_tokens
            .iter()
            .find(|set| !set.is_empty() && !set.iter().any(allowed))
            .cloned()
        else {
            return;
        };
        let unknown = format!("{id}Unknown");
        let guid = self.fresh.guid();
        let built = self.prepare(d, o, None).map(|(mut s, mut existing)| {
            existing.name = "other role, existing item".into();
            existing.request.auth = Auth::Role(outside);
            existing.expect.status.clear();
            existing.bind = vec![Bind {
                var: EXISTING_STATUS.into(),
                from: Extract::Status,
            }];
            let mut missing = existing.clone();
            missing.name = "other role, missing item".into();
            missing.request.path = missing.request.path.renamed(&id, &unknown);
            missing.bind.clear();
            missing.expect.claims = vec![Claim::Indistinguishable {
                var: EXISTING_STATUS.into(),
            }];
            s.steps.push(existing);
            s.steps.push(missing);
            let mut case = self.case_of(d, o, CaseKind::OtherRoleExistence, s);
            case.given.push((unknown, guid));
            case
        });
        self.push(d, o, CaseKind::OtherRoleExistence, built);
    }
}
