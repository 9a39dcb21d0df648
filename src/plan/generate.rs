//! From contracts to test cases: the happy path of every operation, the
//! lifecycle of every resource, paging, counts, and the negative inputs.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};

use super::model::{
    Auth, Bind, Body, CaseKind, Claim, Creates, Expect, Extract, OpRef, Phase, RequestTemplate,
    Step, TestCase,
};
use super::rules;
use super::values::{self, BodyContext, Fresh, Generated};

mod state;
use crate::api::{success_statuses, Api, OpKey, Resource};
use crate::diff::PathMap;
use crate::spec::{Contract, Method, Operation, TypeRef};

mod existence;
mod references;
mod refused;
mod versions;

/// What the plan may assume about the target.
#[derive(Debug, Clone, Default)]
pub struct PlanConfig {
    /// Path parameters with configured values (`tenantId`): never created
    /// or discovered.
    pub params: Vec<String>,
    /// Generate only GET and HEAD requests.
    pub read_only: bool,
    /// The role sets a token is configured for, besides the main token
    /// that holds every role.
    pub role_tokens: Vec<Vec<String>>,
    /// Makes generated names unique to one run.
    pub nonce: String,
    /// Leave unrun the cases that would change an item a configured value
    /// names (its members, or what hangs on it: an access list, tags,
    /// data), where the suite cannot make one of its own: on a shared
    /// server those are the user's items.
    pub keep_given: bool,
}

/// Why a case that would change an item the run did not make is not run.
pub fn keeps_given(param: &str) -> String {
    format!(
        "it would change what `{param}` names, which the run did not make: pass --allow-param-changes"
    )
}

/// The `skip` that lies past the end of any list the suite meets.
pub const SKIP_PAST_END: u64 = 1_000_000;

/// The `count` that asks for a whole list in one page.
pub const WHOLE_PAGE: u64 = 1000;

/// Why an operation whose docs list no status has no case: nothing
/// documented could judge an answer. Reports count these apart from cases
/// a setting would run.
pub const NO_STATUS: &str = "the docs document no status for this operation";

/// The variable holding a list's length for a later count comparison.
const LIST_LENGTH: &str = "listLength";
/// The variable holding (as JSON text) the read after a lifecycle's update.
const UPDATED_ITEM: &str = "itemAfterUpdate";
/// The variable holding the read after the same update sent again.
const UPDATED_AGAIN: &str = "itemAfterUpdateAgain";
/// The variable holding the status of a lifecycle's refused update.
const REFUSED_STATUS: &str = "rejectedUpdateStatus";

/// A read that also keeps its whole answer in `var`, for a later read to
/// be compared with.
fn read_into(mut step: Step, var: &str) -> Step {
    step.bind.push(Bind {
        var: var.into(),
        from: Extract::Json(String::new()),
    });
    step
}

/// Generates every case for the contracts, in document and operation
/// order, deriving their [`Api`] model first.
pub fn generate(contracts: &[Contract], cfg: &PlanConfig) -> Vec<TestCase> {
    generate_for(&Api::new(contracts.to_vec()), cfg)
}

/// Generates every case of an API model, in document and operation order.
pub fn generate_for(api: &Api, cfg: &PlanConfig) -> Vec<TestCase> {
    generate_mapped(api, cfg, &[])
}

/// Generates every case of an API model, pairing the operations of two
/// documents across versions as `conform diff` does, through `maps`.
pub fn generate_mapped(api: &Api, cfg: &PlanConfig, maps: &[PathMap]) -> Vec<TestCase> {
    let contracts = api.contracts.as_slice();
    let mut g = Gen {
        contracts,
        api,
        cfg,
        maps,
        fresh: Fresh::new(&cfg.nonce),
        cases: Vec::new(),
    };
    for (d, c) in contracts.iter().enumerate() {
        for o in 0..c.operations.len() {
            g.operation(d, o);
        }
    }
    g.cases
}

/// The name a document goes by in case names: its file stem.
pub fn document_name(contract: &Contract) -> String {
    Path::new(&contract.source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| contract.source.clone())
}

/// Those of `codes` the operation documents.
fn documented(op: &Operation, codes: &[u16]) -> Vec<u16> {
    op.responses
        .iter()
        .map(|r| r.status)
        .filter(|s| codes.contains(s))
        .collect()
}

/// Steps under construction, with the variables they bind.
#[derive(Default)]
struct Steps {
    steps: Vec<Step>,
    bound: BTreeSet<String>,
    /// Variables the case sets before its first step (a fresh id for an
    /// item the case adds under an id it chooses).
    given: Vec<(String, String)>,
}

/// The operations of one resource that a case calls, picked from the
/// shared model for one document.
#[derive(Debug, Clone)]
struct Ops {
    /// The resource's key, for messages.
    key: String,
    /// The id parameter the item operations share (`roleId`).
    id: String,
    create: Option<OpKey>,
    list: Option<OpKey>,
    count: Option<OpKey>,
    get: Option<OpKey>,
    put: Option<OpKey>,
    delete: Option<OpKey>,
}

struct Gen<'a> {
    contracts: &'a [Contract],
    /// Path maps pairing operations across versions.
    maps: &'a [PathMap],
    api: &'a Api,
    cfg: &'a PlanConfig,
    fresh: Fresh,
    cases: Vec<TestCase>,
}

/// Why a case cannot be generated for this configuration.
type Unmet = String;

impl Gen<'_> {
    fn opref(&self, d: usize, o: usize) -> OpRef {
        OpRef {
            doc: d,
            op: o,
            id: self.contracts[d].operations[o].id.clone(),
        }
    }

    fn op(&self, d: usize, o: usize) -> &Operation {
        &self.contracts[d].operations[o]
    }

    fn configured(&self, name: &str) -> bool {
        self.cfg.params.iter().any(|p| p == name)
    }

    fn push(&mut self, d: usize, o: usize, kind: CaseKind, built: Result<TestCase, Unmet>) {
        self.push_named(d, o, kind, built, "");
    }

    /// [`push`](Self::push) for one of several cases of a kind, told apart
    /// by `suffix` (`[tenantId]`, `[Name: empty]`).
    fn push_named(
        &mut self,
        d: usize,
        o: usize,
        kind: CaseKind,
        built: Result<TestCase, Unmet>,
        suffix: &str,
    ) {
        let mut case = built.unwrap_or_else(|reason| {
            let mut case = self.case(d, o, kind, Vec::new());
            case.ignored = Some(reason);
            case
        });
        if !suffix.is_empty() {
            case.name = format!("{}[{suffix}]", case.name);
        }
        if self.cfg.keep_given && case.ignored.is_none() {
            if let Some(param) = self.changed_given(&case) {
                case.ignored = Some(keeps_given(&param));
            }
        }
        self.cases.push(case);
    }

    /// The parameter naming what some step of `case` would change that the
    /// run did not make: the step writes, is no create in a collection, and
    /// no id of its path is one the case made or was given (an item it
    /// created, a fresh id it adds under). Every id then comes from the
    /// configuration or from a list of what was there: `PUT …/Streams/
    /// {streamId}/Data` on a given stream, `PUT /Tenants/{tenantId}`. An
    /// item attached under one the case made (`…/Communities/{made}/Groups/
    /// {groupId}`) changes the case's own item.
    fn changed_given(&self, case: &TestCase) -> Option<String> {
        let made: BTreeSet<&str> = case
            .steps
            .iter()
            .flat_map(|s| &s.bind)
            .filter(|b| matches!(b.from, Extract::Id | Extract::IdAt(_)))
            .map(|b| b.var.as_str())
            .chain(case.given.iter().map(|(v, _)| v.as_str()))
            .collect();
        case.steps.iter().find_map(|step| {
            let key = Self::key(step.operation.doc, step.operation.op);
            let creates = self.api.resources[self.api.op(key).resource]
                .create
                .contains(&key);
            if !step.request.method.is_write() || creates {
                return None;
            }
            let path = &step.request.path;
            if path.params().any(|p| made.contains(p)) {
                return None;
            }
            path.params().last().map(str::to_string)
        })
    }

    fn case_of(&self, d: usize, o: usize, kind: CaseKind, s: Steps) -> TestCase {
        let mut case = self.case(d, o, kind, s.steps);
        case.given.extend(s.given);
        case
    }

    fn case(&self, d: usize, o: usize, kind: CaseKind, steps: Vec<Step>) -> TestCase {
        let document = document_name(&self.contracts[d]);
        let operation = self.opref(d, o);
        TestCase {
            name: format!("{document}::{}::{}", operation.id, kind.as_str()),
            document,
            operation,
            kind,
            given: Vec::new(),
            steps,
            ignored: None,
        }
    }

    /// A step sending the operation's valid request with the main token,
    /// expecting a documented success. `id_var` names the variable an
    /// update body's `Id` carries.
    fn step(
        &mut self,
        name: &str,
        phase: Phase,
        d: usize,
        o: usize,
        id_var: Option<&str>,
    ) -> (Step, Option<Generated>) {
        let contracts = self.contracts;
        let c = &contracts[d];
        let op = &c.operations[o];
        let example = op
            .request_body
            .as_ref()
            .and_then(|b| b.example.as_ref().map(|e| (e, b.definition.as_deref())));
        let generated = example.map(|(example, definition)| {
            // A configured `id` belongs to the operations whose path names
            // it; elsewhere a body's `Id` is the new item's own.
            let vars: Vec<String> = op
                .path_params
                .iter()
                .map(|p| p.name.clone())
                .chain(
                    self.cfg
                        .params
                        .iter()
                        .filter(|p| !p.eq_ignore_ascii_case("id"))
                        .cloned(),
                )
                .collect();
            let cx = BodyContext {
                contract: c,
                definition,
                vars: &vars,
                id_var,
            };
            values::valid_body(&cx, example, &mut self.fresh)
        });
        let key = Self::key(d, o);
        let model = self.api.op(key);
        let step = Step {
            name: name.to_string(),
            phase,
            operation: self.opref(d, o),
            resource: self.api.resources[model.resource].key.clone(),
            item_id: model.id_param(op).map(str::to_string),
            nested: self.api.resources[model.resource]
                .descendants
                .iter()
                .map(|&d| self.api.resources[d].key.clone())
                .collect(),
            request: RequestTemplate {
                method: op.method,
                path: op.path.clone(),
                query: Vec::new(),
                body: generated.as_ref().map(|g| Body::Json(g.body.clone())),
                body_vars: generated
                    .as_ref()
                    .map(|g| g.vars.clone())
                    .unwrap_or_default(),
                auth: Auth::Default,
            },
            expect: Expect {
                // A documented body the docs give no example of cannot be
                // built: the request is still sent, judged by the docs alone.
                status: if op.request_body.is_some() && generated.is_none() {
                    Vec::new()
                } else {
                    success_statuses(op)
                },
                claims: Vec::new(),
            },
            bind: Vec::new(),
            unless_bound: None,
            creates: None,
            repeat: None,
        };
        (step, generated)
    }

    fn key(d: usize, o: usize) -> OpKey {
        OpKey { doc: d, op: o }
    }

    /// The operations of resource `r` that a case in document `d` calls:
    /// those of `d` where it has them, the item operations agreeing on one
    /// id parameter name.
    fn ops_of(&self, r: usize, d: usize) -> Ops {
        let res = &self.api.resources[r];
        let id_of = |k: &OpKey| {
            self.api
                .op(*k)
                .id_param(self.api.operation(*k))
                .map(str::to_string)
        };
        let items: Vec<OpKey> = res
            .get
            .iter()
            .chain(&res.put)
            .chain(&res.delete)
            .copied()
            .collect();
        let id = Resource::pick(&items, d)
            .and_then(|k| id_of(&k))
            .unwrap_or_default();
        let item = |ops: &[OpKey]| {
            let same: Vec<OpKey> = ops
                .iter()
                .filter(|k| id_of(k).as_deref() == Some(id.as_str()))
                .copied()
                .collect();
            Resource::pick(&same, d)
        };
        Ops {
            key: res.key.clone(),
            create: Resource::pick(&res.create, d),
            list: Resource::pick(&res.list, d),
            count: Resource::pick(&res.count, d),
            get: item(&res.get),
            put: item(&res.put),
            delete: item(&res.delete),
            id,
        }
    }

    fn creates(&self, r: &Ops, var: &str) -> Option<Creates> {
        r.delete.map(|del| Creates {
            item_path: self.op(del.doc, del.op).path.clone(),
            id_var: var.to_string(),
            delete: self.opref(del.doc, del.op),
        })
    }

    /// Appends a POST creating an item of `r`, binding its id to `var`.
    fn create(
        &mut self,
        r: &Ops,
        name: &str,
        var: &str,
        phase: Phase,
        s: &mut Steps,
    ) -> Result<(Option<Generated>, usize), Unmet> {
        let o = r
            .create
            .ok_or_else(|| format!("`{}` has no create operation", r.key))?;
        self.provide(o, &[], true, s)?;
        let (mut step, generated) = self.step(name, phase, o.doc, o.op, None);
        let from = match self.api.op(o).created_id.as_deref() {
            None | Some("/Id") => Extract::Id,
            Some(pointer) => Extract::IdAt(pointer.to_string()),
        };
        step.bind.push(Bind {
            var: var.to_string(),
            from,
        });
        step.creates = self.creates(r, var);
        s.steps.push(step);
        s.bound.insert(var.to_string());
        Ok((generated, s.steps.len() - 1))
    }

    /// Appends setup steps binding every path parameter of operation
    /// `key` except `skip`: configured values need nothing; otherwise an
    /// existing item is found by listing, or one is created. Writes prefer
    /// items the suite made itself; reads prefer items that already exist.
    fn provide(
        &mut self,
        key: OpKey,
        skip: &[&str],
        write: bool,
        s: &mut Steps,
    ) -> Result<(), Unmet> {
        let names: Vec<String> = self
            .op(key.doc, key.op)
            .path
            .params()
            .map(str::to_string)
            .collect();
        for p in names {
            if skip.contains(&p.as_str()) || s.bound.contains(&p) || self.configured(&p) {
                continue;
            }
            let owner = self
                .api
                .owner_index(key, &p)
                .map(|r| self.ops_of(r, key.doc));
            let found = owner.as_ref().and_then(|r| r.list);
            let creatable =
                owner.filter(|r| r.create.is_some() && r.delete.is_some() && !self.cfg.read_only);
            let mut ways: Vec<Result<Ops, OpKey>> = Vec::new();
            if !write {
                ways.extend(found.map(Err));
            }
            ways.extend(creatable.map(Ok));
            if write {
                ways.extend(found.map(Err));
            }
            if ways.is_empty() {
                return Err(format!("no value for `{p}`: pass --param {p}=VALUE"));
            }
            for (i, way) in ways.into_iter().enumerate() {
                let first = s.steps.len();
                match way {
                    Ok(r) => {
                        self.create(&r, &format!("create {p}"), &p, Phase::Setup, s)?;
                    }
                    Err(list) => {
                        self.provide(list, &[], false, s)?;
                        let (mut step, _) =
                            self.step(&format!("find {p}"), Phase::Setup, list.doc, list.op, None);
                        step.bind.push(Bind {
                            var: p.clone(),
                            from: Extract::ExistingItemId(values::SUITE_PREFIX.to_string()),
                        });
                        s.steps.push(step);
                    }
                }
                if i > 0 {
                    for step in &mut s.steps[first..] {
                        step.unless_bound = Some(p.clone());
                    }
                }
            }
            s.bound.insert(p);
        }
        Ok(())
    }

    /// The operation that adds an item of `key`'s resource under an id the
    /// caller chooses ([`Api::adds_at_id`]): a POST first, else `r`'s PUT.
    fn add_at_id(&self, key: OpKey, r: &Ops) -> Option<OpKey> {
        let resource = self.api.op(key).resource;
        let post = (0..self.contracts[key.doc].operations.len())
            .map(|o| Self::key(key.doc, o))
            .find(|k| {
                self.api.op(*k).resource == resource
                    && self.api.operation(*k).method == Method::Post
                    && self.api.adds_at_id(*k)
            });
        post.or(r.put).filter(|k| self.api.adds_at_id(*k))
    }

    /// The setup and the step of the operation's ordinary valid request.
    /// `unknown` names a path parameter left to the case's given values.
    fn prepare(
        &mut self,
        d: usize,
        o: usize,
        unknown: Option<&str>,
    ) -> Result<(Steps, Step), Unmet> {
        let key = Self::key(d, o);
        let op = self.op(d, o).clone();
        let model = self.api.op(key);
        let own_id = model.id_param(&op).map(str::to_string);
        let r = self.ops_of(model.resource, d);
        let is_item = own_id.is_some();
        let is_collection = !is_item;
        let mut s = Steps::default();
        let skip: Vec<&str> = unknown.into_iter().collect();
        let mut id_var: Option<String> = unknown.map(str::to_string);
        let writes_item = matches!(op.method, Method::Put | Method::Patch | Method::Delete);
        let mut added = false;
        let add = own_id
            .as_deref()
            .filter(|_| unknown.is_none() && r.create.is_none() && r.delete.is_some())
            .filter(|_| writes_item || op.method == Method::Post)
            .and_then(|_| self.add_at_id(key, &r));
        match own_id.as_deref() {
            // An item added under an id the caller chooses: the case adds
            // its own under a fresh id, so that it never changes an item
            // that existed before (a configured value included) nor one
            // another case works on.
            Some(id) if add.is_some() => {
                s.given.push((id.to_string(), self.fresh.guid()));
                s.bound.insert(id.to_string());
                self.provide(key, &[id], true, &mut s)?;
                if let Some(add) = add.filter(|a| *a != key) {
                    let (mut step, _) = self.step("add", Phase::Setup, add.doc, add.op, Some(id));
                    step.creates = self.creates(&r, id);
                    s.steps.push(step);
                    added = true;
                }
                id_var = Some(id.to_string());
            }
            Some(id)
                if writes_item && unknown.is_none() && r.create.is_some() && r.delete.is_some() =>
            {
                self.provide(key, &[id], true, &mut s)?;
                self.create(&r, "create", id, Phase::Setup, &mut s)?;
                id_var = Some(id.to_string());
            }
            Some(_) if op.method == Method::Delete && r.create.is_none() && r.put.is_some() => {
                self.provide(key, &skip, true, &mut s)?;
                if let (Some(put), None) = (r.put, unknown) {
                    let (mut add, _) = self.step("add", Phase::Setup, put.doc, put.op, None);
                    add.creates = self.creates(&r, &r.id);
                    s.steps.push(add);
                }
            }
            Some(id)
                if writes_item
                    && unknown.is_none()
                    && r.create.is_none()
                    && op.method != Method::Put
                    && !self.configured(id) =>
            {
                return Err(format!(
                    "no `{id}` the suite may change: pass --param {id}=VALUE"
                ));
            }
            _ => self.provide(key, &skip, op.method.is_write(), &mut s)?,
        }
        if op.method == Method::Put {
            if let Some(id) = &own_id {
                id_var.get_or_insert_with(|| id.clone());
            }
        }
        let (mut step, _) = self.step("request", Phase::Test, d, o, id_var.as_deref());
        match (op.method, is_collection, &own_id) {
            (Method::Post, true, _) if self.api.resources[model.resource].create.contains(&key) => {
                if let Some(pointer) = model.created_id.as_deref().filter(|p| *p != "/Id") {
                    step.bind.push(Bind {
                        var: r.id.clone(),
                        from: Extract::IdAt(pointer.to_string()),
                    });
                }
                step.creates = self.creates(&r, &r.id)
            }
            (Method::Put | Method::Post, _, Some(id)) if r.create.is_none() && !added => {
                step.creates = self.creates(&r, id)
            }
            _ => {}
        }
        Ok((s, step))
    }

    fn single(
        &mut self,
        d: usize,
        o: usize,
        kind: CaseKind,
        unknown: Option<&str>,
        change: impl FnOnce(&mut Self, &mut Step),
    ) -> Result<TestCase, Unmet> {
        let (mut s, mut step) = self.prepare(d, o, unknown)?;
        change(self, &mut step);
        // A documented body the suite could not build makes the request
        // wrong twice over: which fault a server names first, the docs do
        // not say.
        if self.op(d, o).request_body.is_some() && step.request.body.is_none() {
            step.expect.status.clear();
        }
        s.steps.push(step);
        Ok(self.case_of(d, o, kind, s))
    }

    fn operation(&mut self, d: usize, o: usize) {
        let op = self.op(d, o).clone();
        if self.cfg.read_only && op.method.is_write() {
            return;
        }
        if op.responses.is_empty() {
            // Nothing documented to judge an answer by.
            self.push(d, o, CaseKind::Happy, Err(NO_STATUS.to_string()));
            return;
        }
        let happy = self.single(d, o, CaseKind::Happy, None, |_, _| {});
        self.push(d, o, CaseKind::Happy, happy);

        let key = Self::key(d, o);
        let model = self.api.op(key);
        let resource = model.resource;
        let create_of = self.api.resources[resource]
            .create
            .contains(&key)
            .then(|| {
                let mut r = self.ops_of(resource, d);
                r.create = Some(key);
                r
            })
            .filter(|r| r.delete.is_some());
        if let Some(r) = &create_of {
            let built = self.lifecycle(d, o, r);
            self.push(d, o, CaseKind::Lifecycle, built);
            self.cross_version(d, o, r);
        }

        let lists = op.method == Method::Get && model.success.list;
        let query_param = |name: &str| crate::api::paging_param(&op, name).map(|p| p.name.clone());
        let (skip, count) = (query_param("skip"), query_param("count"));
        if lists {
            if let Some(count) = &count {
                let built = self.paging(d, o, CaseKind::PageCount, count, "1", 1);
                self.push(d, o, CaseKind::PageCount, built);
            }
            if let Some(skip) = &skip {
                let past = SKIP_PAST_END.to_string();
                let built = self.paging(d, o, CaseKind::PageSkipPastEnd, skip, &past, 0);
                self.push(d, o, CaseKind::PageSkipPastEnd, built);
            }
        }
        if self.api.resources[resource].count.contains(&key) {
            if let Some(list) = self.ops_of(resource, d).list {
                let built = self.count_header(d, o, list);
                self.push(d, o, CaseKind::CountHeader, built);
            }
        }

        for (kind, auth) in [
            (CaseKind::NoToken, Auth::None),
            (CaseKind::MalformedToken, Auth::Malformed),
        ] {
            // Refusal is claimed where the docs document one (401 or 403).
            let mut expect = documented(&op, &[401]);
            if expect.is_empty() {
                expect = documented(&op, &[403]);
            }
            let claims = if expect.is_empty() {
                Vec::new()
            } else {
                vec![Claim::Unauthenticated]
            };
            let built = self.single(d, o, kind, None, |_, step| {
                step.request.auth = auth;
                step.expect = Expect {
                    status: expect,
                    claims,
                };
            });
            self.push(d, o, kind, built);
        }

        self.other_role_existence(d, o);
        if !op.roles.is_empty() {
            let built = self.forbidden(d, o);
            self.push(d, o, CaseKind::ForbiddenRole, built);
            for role in &op.roles {
                self.allowed(d, o, role);
            }
        }

        // The id to vary: the deepest one whose "not found" the docs
        // document, else the deepest one, judged then only by what is
        // documented (no status is expected where the docs say none).
        let candidates: Vec<String> = op
            .path
            .params()
            .filter(|p| !self.configured(p))
            .map(str::to_string)
            .collect();
        let varied = candidates
            .iter()
            .rev()
            .find(|p| !model.missing(p).is_empty())
            .or(candidates.last())
            .cloned();
        if let Some(p) = &varied {
            let expect = model.missing(p).to_vec();
            let claims = Self::unknown_claims(p, &expect);
            let guid = self.fresh.guid();
            let built = self
                .single(d, o, CaseKind::UnknownId, Some(p), |_, step| {
                    step.expect.status = expect;
                    step.expect.claims = claims;
                })
                .map(|mut case| {
                    case.given.push((p.clone(), guid));
                    case
                });
            self.push(d, o, CaseKind::UnknownId, built);
        }
        // Every other id the docs say is checked, the configured ones (the
        // tenant) included, made unknown alone in a case of its own.
        let checked: Vec<String> = op
            .path
            .params()
            .filter(|p| Some(*p) != varied.as_deref() && !model.missing(p).is_empty())
            .map(str::to_string)
            .collect();
        for p in checked {
            self.unknown_other(d, o, &p);
        }

        let example = op
            .request_body
            .as_ref()
            .and_then(|b| b.example.clone().map(|e| (e, b.definition.clone())));
        if let Some((example, definition)) = example {
            let expect = documented(&op, &[400]);
            let bad = values::malformed_json(&mut self.fresh);
            let built = self.single(d, o, CaseKind::MalformedJson, None, |_, step| {
                step.request.body = Some(Body::Raw(bad));
                step.request.body_vars.clear();
                step.expect.status = expect.clone();
            });
            self.push(d, o, CaseKind::MalformedJson, built);
            let wrong = values::wrong_types(&self.contracts[d], definition.as_deref(), &example);
            // Wrong types are wrong only where a definition declares them,
            // and only where some member has a type to get wrong (`any`
            // accepts everything).
            let expect = if definition.is_some() && wrong != example {
                expect
            } else {
                Vec::new()
            };
            let built = self.single(d, o, CaseKind::WrongTypes, None, |_, step| {
                step.request.body = Some(Body::Json(wrong));
                step.request.body_vars.clear();
                step.expect.status = expect;
            });
            self.push(d, o, CaseKind::WrongTypes, built);
            let rejects = documented(&op, &[400]);
            if let (Some(def), false) = (&definition, rejects.is_empty()) {
                let mut breaks = values::input_breaks(&self.contracts[d], def, &example);
                breaks.extend(rules::nested_breaks(&self.contracts[d], def, &example));
                for broken in breaks {
                    self.input_rule(d, o, broken, &rejects);
                }
            }
        }

        if lists {
            // One case per paging parameter: a failure names the one a
            // server forgot to check.
            for name in [skip, count].into_iter().flatten() {
                self.negative_paging(d, o, &name);
            }
        }

        if let Some(r) = &create_of {
            let names = op
                .request_body
                .as_ref()
                .and_then(|b| b.example.as_ref())
                .is_some_and(|e| e.get("Name").is_some());
            if names {
                let built = self.duplicate(d, o, r);
                self.push(d, o, CaseKind::DuplicateName, built);
            }
        }
        self.state_cases(d, o);
        self.references(d, o);
    }

    fn lifecycle(&mut self, d: usize, o: usize, r: &Ops) -> Result<TestCase, Unmet> {
        let mut s = Steps::default();
        let id = r.id.clone();
        self.create(r, "create", &id, Phase::Test, &mut s)?;
        let get_step = |g: &mut Self, name: &str, claims: Vec<Claim>| {
            r.get.map(|get| {
                let (mut step, _) = g.step(name, Phase::Test, get.doc, get.op, None);
                step.expect.claims = claims;
                step
            })
        };
        s.steps.extend(get_step(
            self,
            "get",
            vec![Claim::Retrievable { var: id.clone() }],
        ));
        if let Some(list) = r.list {
            let (mut step, _) = self.whole_list("list", list.doc, list.op);
            step.expect.claims = vec![Claim::Listed { var: id.clone() }];
            step.bind.push(Bind {
                var: LIST_LENGTH.into(),
                from: Extract::ItemCount,
            });
            s.steps.push(step);
            if let Some(count) = r.count {
                let (mut step, _) = self.step("count", Phase::Test, count.doc, count.op, None);
                step.expect.claims = vec![Claim::CountEquals {
                    var: LIST_LENGTH.into(),
                }];
                s.steps.push(step);
            }
        }
        if let Some(put) = r.put {
            let (step, generated) = self.step("update", Phase::Test, put.doc, put.op, Some(&id));
            let update = step.clone();
            s.steps.push(step);
            let shown = r
                .get
                .map(|get| self.response_members(get.doc, get.op))
                .unwrap_or_default();
            let members: Map<String, Value> = generated
                .map(|g| g.fresh)
                .unwrap_or_default()
                .into_iter()
                .filter(|(k, _)| shown.contains(k))
                .collect();
            if !members.is_empty() {
                let keys: Vec<String> = members.keys().cloned().collect();
                s.steps.extend(
                    get_step(
                        self,
                        "get after update",
                        vec![Claim::Persisted {
                            members: members.clone(),
                        }],
                    )
                    .map(|step| read_into(step, UPDATED_ITEM)),
                );
                // PUT is idempotent: the same update again leaves the same
                // item.
                let mut again = update.clone();
                again.name = "update again".into();
                s.steps.push(again);
                s.steps.extend(
                    get_step(
                        self,
                        "get after update again",
                        vec![Claim::Repeated {
                            var: UPDATED_ITEM.into(),
                            members: keys,
                        }],
                    )
                    .map(|step| read_into(step, UPDATED_AGAIN)),
                );
                // An update the docs refuse (400 for a member of the wrong
                // type) leaves the item as it was.
                if let Some(mut rejected) = self.rejected_update(&update, &id) {
                    let sent = match &rejected.request.body {
                        Some(Body::Json(Value::Object(body))) => body.keys().cloned().collect(),
                        _ => Vec::new(),
                    };
                    rejected.bind.push(Bind {
                        var: REFUSED_STATUS.into(),
                        from: Extract::Status,
                    });
                    s.steps.push(rejected);
                    s.steps.extend(get_step(
                        self,
                        "get after rejected update",
                        vec![Claim::Unchanged {
                            var: UPDATED_AGAIN.into(),
                            refused: REFUSED_STATUS.into(),
                            members: shown.into_iter().filter(|m| sent.contains(m)).collect(),
                        }],
                    ));
                }
            }
        }
        if let Some(del) = r.delete {
            let (step, _) = self.step("delete", Phase::Test, del.doc, del.op, None);
            let mut again = step.clone();
            s.steps.push(step);
            // A second delete of the same item answers what the docs say of
            // an id naming nothing, where they say it.
            let missing = self.api.op(del).missing(&id).to_vec();
            if !missing.is_empty() {
                again.name = "delete again".into();
                if missing.contains(&404) {
                    again.expect.claims = vec![Claim::DeletedAgain];
                }
                again.expect.status = missing;
                s.steps.push(again);
            }
            if let Some(mut step) = get_step(self, "get after delete", vec![Claim::Gone]) {
                let get = Self::key(step.operation.doc, step.operation.op);
                step.expect.status = self.api.op(get).missing(&id).to_vec();
                s.steps.push(step);
            }
            if let Some(list) = r.list {
                let (mut step, _) = self.whole_list("list after delete", list.doc, list.op);
                step.expect.claims = vec![Claim::NotListed { var: id.clone() }];
                s.steps.push(step);
            }
        }
        Ok(self.case(d, o, CaseKind::Lifecycle, s.steps))
    }

    /// The lifecycle's update with a member of the wrong JSON type, where
    /// the docs say such a body is refused: 400 documented, the body's
    /// definition known and a type to get wrong. The other members carry
    /// new valid values, so that a server storing what passed before it
    /// refuses shows it; where no member's type is sure to be checked,
    /// every member is of the wrong type.
    fn rejected_update(&mut self, update: &Step, id: &str) -> Option<Step> {
        let (d, o) = (update.operation.doc, update.operation.op);
        let contract = &self.contracts[d];
        let op = &contract.operations[o];
        let body = op.request_body.as_ref()?;
        let (example, definition) = (body.example.as_ref()?, body.definition.as_deref()?);
        op.response(400)?;
        let wrong = values::wrong_types(contract, Some(definition), example);
        if &wrong == example {
            return None;
        }
        let (mut step, _) = self.step("rejected update", Phase::Test, d, o, Some(id));
        let set_at_run_time = |k: &str| step.request.body_vars.iter().any(|(p, _)| p[1..] == *k);
        let one = refused::one_wrong_member(contract, definition, example, &wrong, set_at_run_time);
        match (one, &mut step.request.body) {
            (Some((k, v)), Some(Body::Json(Value::Object(body)))) => {
                body.insert(k, v);
            }
            _ => step.request.body = Some(Body::Json(wrong)),
        }
        step.expect.status = vec![400];
        Some(step)
    }

    /// A list step asking for the whole list in one page, where the
    /// operation takes a `count`: a server's default page would hide items.
    fn whole_list(&mut self, name: &str, d: usize, o: usize) -> (Step, Option<Generated>) {
        let (mut step, generated) = self.step(name, Phase::Test, d, o, None);
        if let Some(count) = crate::api::paging_param(self.op(d, o), "count") {
            step.request.query = vec![(count.name.clone(), WHOLE_PAGE.to_string())];
        }
        (step, generated)
    }

    /// The members of the object a read answers with.
    fn response_members(&self, d: usize, o: usize) -> Vec<String> {
        let c = &self.contracts[d];
        c.operations[o]
            .responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .filter_map(|r| match &r.body {
                Some(TypeRef::Ref(name)) => c.definition(name),
                _ => None,
            })
            .flat_map(|def| def.properties().iter().map(|p| p.name.clone()))
            .collect()
    }

    fn paging(
        &mut self,
        d: usize,
        o: usize,
        kind: CaseKind,
        param: &str,
        value: &str,
        at_most: usize,
    ) -> Result<TestCase, Unmet> {
        let (mut s, mut step) = self.prepare(d, o, None)?;
        let model = self.api.op(Self::key(d, o));
        let own = Some(self.ops_of(model.resource, d))
            .filter(|_| model.id.is_none())
            .filter(|r| r.create.is_some() && r.delete.is_some() && !self.cfg.read_only);
        if let (Some(r), CaseKind::PageCount) = (own, kind) {
            for n in 1..=2 {
                let var = format!("{}{n}", r.id);
                self.create(&r, &format!("create item {n}"), &var, Phase::Setup, &mut s)?;
            }
        }
        step.request.query = vec![(param.to_string(), value.to_string())];
        step.expect.claims = vec![Claim::AtMost { items: at_most }];
        s.steps.push(step);
        Ok(self.case_of(d, o, kind, s))
    }

    fn count_header(&mut self, d: usize, o: usize, list: OpKey) -> Result<TestCase, Unmet> {
        let (mut s, mut head) = self.prepare(d, o, None)?;
        let (mut step, _) = self.whole_list("list", list.doc, list.op);
        step.bind.push(Bind {
            var: LIST_LENGTH.into(),
            from: Extract::ItemCount,
        });
        s.steps.push(step);
        head.name = "count".into();
        head.expect.claims = vec![Claim::CountEquals {
            var: LIST_LENGTH.into(),
        }];
        s.steps.push(head);
        Ok(self.case_of(d, o, CaseKind::CountHeader, s))
    }

    fn forbidden(&mut self, d: usize, o: usize) -> Result<TestCase, Unmet> {
        let op = self.op(d, o).clone();
        let allowed = |role: &String| op.roles.iter().any(|r| r.eq_ignore_ascii_case(role));
        let outside = self
            .cfg
            .role_tokens
            .iter()
            .find(|set| !set.is_empty() && !set.iter().any(allowed))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "no token for a role outside {}: pass --role-token \"ROLE=TOKEN\"",
                    op.roles.join(", ")
                )
            })?;
        let expect = documented(&op, &[403]);
        self.single(d, o, CaseKind::ForbiddenRole, None, |_, step| {
            step.request.auth = Auth::Role(outside);
            step.expect = Expect {
                status: expect,
                claims: vec![Claim::Forbidden],
            };
        })
    }

    /// The claim of a case that makes `param` unknown, where the docs say
    /// what answers it.
    fn unknown_claims(param: &str, expect: &[u16]) -> Vec<Claim> {
        if expect.is_empty() {
            return Vec::new();
        }
        vec![Claim::Unknown {
            param: param.to_string(),
        }]
    }

    /// A case whose setup uses the real values of every id and whose
    /// request names nothing under `param` alone: the request path and the
    /// body members filled from `param` read another variable, given a
    /// fresh GUID.
    fn unknown_other(&mut self, d: usize, o: usize, param: &str) {
        let model = self.api.op(Self::key(d, o));
        let expect = model.missing(param).to_vec();
        let claims = Self::unknown_claims(param, &expect);
        let var = format!("{param}Unknown");
        let guid = self.fresh.guid();
        let built = self.single(d, o, CaseKind::UnknownId, None, |_, step| {
            step.request.path = step.request.path.renamed(param, &var);
            for (_, v) in &mut step.request.body_vars {
                if v == param {
                    v.clone_from(&var);
                }
            }
            step.expect.status = expect;
            step.expect.claims = claims;
        });
        let built = built.map(|mut case| {
            case.given.push((var, guid));
            case
        });
        // One case per id: the id names the case apart.
        self.push_named(d, o, CaseKind::UnknownId, built, param);
    }

    /// One case whose body breaks one input rule with one member, where
    /// the docs list 400: the answer is that 400, never a success.
    fn input_rule(&mut self, d: usize, o: usize, broken: values::Broken, rejects: &[u16]) {
        let pointer = rules::pointer(&broken);
        let claim = Claim::Rejected {
            member: broken.member.clone(),
            rule: broken.rule.to_string(),
        };
        let built = self.single(d, o, CaseKind::InputRule, None, |_, step| {
            if let Some(Body::Json(body)) = &mut step.request.body {
                rules::apply(body, &broken);
            }
            // The broken member is sent as broken, not filled at run time.
            step.request.body_vars.retain(|(p, _)| *p != pointer);
            step.expect.status = rejects.to_vec();
            step.expect.claims = vec![claim];
        });
        // One case per member and rule: a failure names the field.
        let suffix = format!("{}: {}", broken.member, broken.rule);
        self.push_named(d, o, CaseKind::InputRule, built, &suffix);
    }

    /// One case asking a list for a negative value of one paging
    /// parameter. Where the docs list 400, the answer is that 400, never a
    /// success; elsewhere only the documentation checks judge it.
    fn negative_paging(&mut self, d: usize, o: usize, param: &str) {
        let expect = documented(self.op(d, o), &[400]);
        let claims = if expect.is_empty() {
            Vec::new()
        } else {
            vec![Claim::Rejected {
                member: param.to_string(),
                rule: "negative".into(),
            }]
        };
        let built = self.single(d, o, CaseKind::NegativePaging, None, |_, step| {
            step.request.query = vec![(param.to_string(), rules::NEGATIVE.to_string())];
            step.expect.status = expect;
            step.expect.claims = claims;
        });
        self.push_named(d, o, CaseKind::NegativePaging, built, param);
    }

    /// One case sending the operation's valid request with the token that
    /// holds `role` and the fewest other roles, where one is configured:
    /// the docs allow the role, so the answer is the documented success.
    /// Roles no token holds are left to the role matrix of the coverage.
    fn allowed(&mut self, d: usize, o: usize, role: &str) {
        let Some(set) = self
            .cfg
            .role_tokens
            .iter()
            .filter(|set| set.iter().any(|r| r.eq_ignore_ascii_case(role)))
            .min_by_key(|set| set.len())
            .cloned()
        else {
            return;
        };
        let claim = Claim::Allowed {
            role: role.to_string(),
        };
        let built = self.single(d, o, CaseKind::AllowedRole, None, |_, step| {
            step.request.auth = Auth::Role(set);
            step.expect.claims = vec![claim];
        });
        // One case per role: the role names the case apart.
        self.push_named(d, o, CaseKind::AllowedRole, built, role);
    }

    fn duplicate(&mut self, d: usize, o: usize, r: &Ops) -> Result<TestCase, Unmet> {
        let mut s = Steps::default();
        let (first, _) = self.create(r, "create", &r.id, Phase::Setup, &mut s)?;
        let name = first
            .and_then(|g| g.body.get("Name").cloned())
            .unwrap_or(Value::Null);
        let (mut step, _) = self.step("create duplicate", Phase::Test, d, o, None);
        if let Some(Body::Json(Value::Object(body))) = &mut step.request.body {
            body.insert("Name".into(), name);
        }
        let op = self.op(d, o);
        let mut expect = documented(op, &[409]);
        if !expect.is_empty() {
            expect.extend(op.responses.iter().filter_map(|resp| {
                let exists = resp
                    .description
                    .as_deref()
                    .is_some_and(|t| t.to_ascii_lowercase().contains("already exists"));
                (exists && resp.status != 409).then_some(resp.status)
            }));
        }
        step.expect.status = expect;
        step.creates = self.creates(r, &format!("{}Duplicate", r.id));
        s.steps.push(step);
        Ok(self.case(d, o, CaseKind::DuplicateName, s.steps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Phase;

    fn seeds() -> Vec<Contract> {
        crate::spec::load_all(&[concat!(env!("CARGO_MANIFEST_DIR"), "/specs")]).expect("specs")
    }

    fn config() -> PlanConfig {
        PlanConfig {
            params: vec![
                "tenantId".into(),
                "identityProviderId".into(),
                "groupId".into(),
            ],
            read_only: false,
            role_tokens: vec![vec!["Tenant Member".into(), "Community Member".into()]],
            nonce: "t".into(),
            keep_given: false,
        }
    }

    fn find<'a>(cases: &'a [TestCase], op: &str, kind: CaseKind) -> &'a TestCase {
        cases
            .iter()
            .find(|c| c.operation.id == op && c.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} case for {op}"))
    }

    #[test]
    fn a_second_delete_documenting_404_is_claimed_by_its_own_check() {
        let cases = generate(&seeds(), &config());
        let c = find(
            &cases,
            "Communities_Create a new Community",
            CaseKind::Lifecycle,
        );
        let again = c
            .steps
            .iter()
            .find(|s| s.name == "delete again")
            .expect("a second delete");
        assert_eq!(again.expect.status, vec![404]);
        assert_eq!(again.expect.claims, vec![Claim::DeletedAgain]);
    }

    #[test]
    fn names_are_document_operation_case_and_unique() {
        let cases = generate(&seeds(), &config());
        let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        let c = find(&cases, "Roles_Get Role", CaseKind::Happy);
        assert_eq!(c.name, "004_a50be14b8577b9a8::Roles_Get Role::happy");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), cases.len());
    }

    #[test]
    fn the_roles_lifecycle_walks_create_to_delete() {
        let cases = generate(&seeds(), &config());
        let c = find(&cases, "Roles_Create Role on Tenant", CaseKind::Lifecycle);
        let walk: Vec<(&str, Method)> = c
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.request.method))
            .collect();
        assert_eq!(
            walk,
            vec![
                ("create", Method::Post),
                ("get", Method::Get),
                ("list", Method::Get),
                ("count", Method::Head),
                ("update", Method::Put),
                ("get after update", Method::Get),
                ("update again", Method::Put),
                ("get after update again", Method::Get),
                ("rejected update", Method::Put),
                ("get after rejected update", Method::Get),
                ("delete", Method::Delete),
                ("get after delete", Method::Get),
                ("list after delete", Method::Get),
            ]
        );
        // The rejected update sends wrong types and expects the documented
        // 400; the read after it still shows the first update's values.
        assert_eq!(c.steps[8].expect.status, vec![400]);
        let body = |i: usize| match &c.steps[i].request.body {
            Some(Body::Json(v)) => v.clone(),
            other => panic!("{other:?}"),
        };
        assert_ne!(body(8), body(4));
        assert_eq!(body(6), body(4), "the same update again");
        // One member of the refused update has the wrong type; the others
        // are valid and new, so a server storing them shows it.
        let (refused, first) = (body(8), body(4));
        let wrong: Vec<&String> = refused
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| first[k.as_str()].is_string() != v.is_string())
            .map(|(k, _)| k)
            .collect();
        assert_eq!(wrong.len(), 1, "{:?}", body(8));
        assert_ne!(body(8)["Description"], body(4)["Description"]);
        // The reads after the repeated and the refused update compare with
        // the read before each.
        assert_eq!(
            c.steps[7].expect.claims,
            vec![Claim::Repeated {
                var: UPDATED_ITEM.into(),
                members: vec!["Name".into(), "Description".into()],
            }]
        );
        assert_eq!(c.steps[5].bind[0].var, UPDATED_ITEM);
        assert_eq!(c.steps[7].bind[0].var, UPDATED_AGAIN);
        assert_eq!(c.steps[8].bind[0].var, REFUSED_STATUS);
        let Claim::Unchanged { var, members, .. } = &c.steps[9].expect.claims[0] else {
            panic!("get after rejected update must claim the item unchanged");
        };
        assert_eq!(var, UPDATED_AGAIN);
        assert!(members.contains(&"Name".to_string()), "{members:?}");
        // "Delete Tenant Role" documents 404 as "Tenant not found": a second
        // delete of the role is not claimed to answer it.
        assert!(!c.steps.iter().any(|s| s.name == "delete again"));
        assert_eq!(c.steps[0].bind[0].var, "roleId");
        assert!(
            c.steps[0].creates.is_some(),
            "what the lifecycle makes is cleaned up"
        );
        assert_eq!(
            c.steps[1].expect.claims,
            vec![Claim::Retrievable {
                var: "roleId".into()
            }]
        );
        assert_eq!(c.steps[11].expect.status, vec![404]);
        assert_eq!(c.steps[11].expect.claims, vec![Claim::Gone]);
        let Claim::Persisted { members } = &c.steps[5].expect.claims[0] else {
            panic!("get after update must claim persistence");
        };
        assert_eq!(
            members.keys().collect::<Vec<_>>(),
            vec!["Name", "Description"]
        );
        assert_eq!(
            c.steps[4].request.body_vars,
            vec![
                ("/Id".to_string(), "roleId".to_string()),
                ("/TenantId".to_string(), "tenantId".to_string()),
            ]
        );
        assert_eq!(
            c.counts(),
            vec!["tenants/{}/roles".to_string()],
            "cases lock collections by resource key"
        );
        assert_eq!(c.touches(), c.counts(), "one collection, counted");
    }

    #[test]
    fn read_only_plans_send_only_get_and_head() {
        let mut cfg = config();
        cfg.read_only = true;
        let cases = generate(&seeds(), &cfg);
        assert!(cases.len() > 40);
        for c in &cases {
            for s in &c.steps {
                assert!(
                    matches!(s.request.method, Method::Get | Method::Head),
                    "{} sends {}",
                    c.name,
                    s.request.method
                );
            }
        }
        let c = find(&cases, "Roles_Get Role", CaseKind::Happy);
        assert_eq!(
            c.steps[0].name, "find roleId",
            "ids are discovered, not created"
        );
        assert_eq!(c.steps.len(), 2);
    }

    #[test]
    fn expected_statuses_are_always_documented_ones() {
        let contracts = seeds();
        for c in generate(&contracts, &config()) {
            for s in &c.steps {
                let op = &contracts[s.operation.doc].operations[s.operation.op];
                for status in &s.expect.status {
                    assert!(op.response(*status).is_some(), "{}: {status}", c.name);
                }
            }
        }
    }

    #[test]
    fn undocumented_negative_statuses_are_left_to_the_documentation_checks() {
        let cases = generate(&seeds(), &config());
        let c = find(
            &cases,
            "Communities_Get a Community by Id",
            CaseKind::UnknownId,
        );
        let step = c.steps.last().unwrap();
        assert!(step.expect.status.is_empty(), "the operation lists no 404");
        let (var, value) = &c.given[0];
        assert_eq!(var, "communityId");
        assert!(uuid::Uuid::parse_str(value).is_ok());
        let c = find(&cases, "Roles_Get Role", CaseKind::UnknownId);
        assert_eq!(c.steps.last().unwrap().expect.status, vec![404]);
        let c = find(&cases, "Roles_List Roles", CaseKind::NegativePaging);
        assert!(
            c.steps[0].expect.status.is_empty(),
            "List Roles lists no 400"
        );
        assert_eq!(c.steps[0].request.query, [("skip".into(), "-1".into())]);
        assert!(c.name.ends_with("negative_paging[skip]"), "{}", c.name);
        assert!(
            cases
                .iter()
                .any(|c| c.name.ends_with("Roles_List Roles::negative_paging[count]")),
            "each paging parameter has its case"
        );
    }

    #[test]
    fn role_cases_need_a_token_outside_the_allowed_roles() {
        let cases = generate(&seeds(), &config());
        let c = find(&cases, "Roles_Delete Tenant Role", CaseKind::ForbiddenRole);
        let step = c.steps.last().unwrap();
        assert_eq!(
            step.request.auth,
            Auth::Role(vec!["Tenant Member".into(), "Community Member".into()])
        );
        assert_eq!(step.expect.status, vec![403]);
        assert_eq!(step.expect.claims, vec![Claim::Forbidden]);
        assert_eq!(
            c.steps[0].phase,
            Phase::Setup,
            "the role to delete is the suite's own"
        );
        let c = find(&cases, "Roles_Get Role", CaseKind::ForbiddenRole);
        assert!(c
            .ignored
            .as_deref()
            .unwrap()
            .contains("no token for a role outside Tenant Member"));
        let mut cfg = config();
        cfg.role_tokens.clear();
        let cases = generate(&seeds(), &cfg);
        let c = find(&cases, "Roles_Delete Tenant Role", CaseKind::ForbiddenRole);
        assert!(c.ignored.is_some() && c.steps.is_empty());
    }

    #[test]
    fn each_checked_id_is_made_unknown_alone_the_tenant_included() {
        let cases = generate(&seeds(), &config());
        let name = "004_a50be14b8577b9a8::Roles_Get Role::unknown_id[tenantId]";
        let c = cases.iter().find(|c| c.name == name).expect(name);
        assert_eq!(c.given[0].0, "tenantIdUnknown");
        let step = c.steps.last().unwrap();
        assert_eq!(
            step.request.path.as_str(),
            "/api/v1/Tenants/{tenantIdUnknown}/Roles/{roleId}"
        );
        assert!(
            c.steps[..c.steps.len() - 1]
                .iter()
                .all(|s| !s.request.path.has_param("tenantIdUnknown")),
            "the setup uses the caller's own tenant"
        );
        assert_eq!(step.expect.status, vec![404]);
        assert_eq!(
            step.expect.claims,
            vec![Claim::Unknown {
                param: "tenantId".into()
            }]
        );
        let plain = find(&cases, "Roles_Get Role", CaseKind::UnknownId);
        assert_eq!(plain.given[0].0, "roleId", "the deepest id keeps its case");
    }

    #[test]
    fn each_input_rule_is_broken_by_one_member_alone() {
        let cases = generate(&seeds(), &config());
        let named = |suffix: &str| {
            cases
                .iter()
                .find(|c| {
                    c.operation.id == "Roles_Create Role on Tenant" && c.name.ends_with(suffix)
                })
                .unwrap_or_else(|| panic!("no case {suffix}"))
        };
        let body = |c: &TestCase| match &c.steps.last().unwrap().request.body {
            Some(Body::Json(v)) => v.clone(),
            other => panic!("{other:?}"),
        };
        let empty = named("input_rule[Name: empty]");
        assert_eq!(body(empty)["Name"], "");
        let blank = named("input_rule[Name: whitespace]");
        assert_eq!(body(blank)["Name"], "  ");
        assert!(
            body(blank)["Description"].is_string(),
            "other members stay valid"
        );
        let step = blank.steps.last().unwrap();
        assert_eq!(
            step.expect.claims,
            vec![Claim::Rejected {
                member: "Name".into(),
                rule: "whitespace".into()
            }]
        );
        let scope = named("input_rule[RoleScope: out of enum]");
        assert!(
            body(scope)["RoleScope"].is_i64(),
            "an integer enum stays an integer"
        );
        assert!(
            !cases
                .iter()
                .any(|c| c.name.ends_with("[Name: null]") || c.name.ends_with("[Name: missing]")),
            "Name is nullable and optional in the docs"
        );
        let tenant = named("input_rule[TenantId: wrong type]");
        assert!(
            !tenant
                .steps
                .last()
                .unwrap()
                .request
                .body_vars
                .iter()
                .any(|(p, _)| p == "/TenantId"),
            "the broken member is not filled at run time"
        );
    }

    #[test]
    fn each_allowed_role_with_a_token_gets_a_case() {
        let cases = generate(&seeds(), &config());
        let name = "004_a50be14b8577b9a8::Roles_List Roles::allowed_role[Tenant Member]";
        let c = cases.iter().find(|c| c.name == name).expect(name);
        let step = c.steps.last().unwrap();
        assert_eq!(
            step.request.auth,
            Auth::Role(vec!["Tenant Member".into(), "Community Member".into()])
        );
        assert_eq!(step.expect.status, vec![200]);
        assert!(
            !cases
                .iter()
                .any(|c| c.name.ends_with("allowed_role[Tenant Administrator]")),
            "no token holds the administrator role alone"
        );
    }

    #[test]
    fn unconfigured_parameters_make_cases_ignored_with_the_flag_to_pass() {
        let mut cfg = config();
        cfg.params.clear();
        let cases = generate(&seeds(), &cfg);
        let c = find(&cases, "Roles_List Roles", CaseKind::Happy);
        assert_eq!(
            c.ignored.as_deref(),
            Some("no value for `tenantId`: pass --param tenantId=VALUE")
        );
    }

    #[test]
    fn nested_ids_come_from_another_documents_create_or_list() {
        let cases = generate(&seeds(), &config());
        let c = find(
            &cases,
            "Roles_List instanced Roles for a Community",
            CaseKind::Happy,
        );
        let names: Vec<(&str, Option<&str>)> = c
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.unless_bound.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("find communityId", None),
                ("create communityId", Some("communityId")),
                ("request", None),
            ]
        );
        assert_ne!(c.steps[1].operation.doc, c.operation.doc);
    }

    #[test]
    fn duplicates_repeat_the_name_and_expect_a_conflict() {
        let cases = generate(&seeds(), &config());
        let c = find(
            &cases,
            "Roles_Create Role on Tenant",
            CaseKind::DuplicateName,
        );
        let body = |i: usize| match &c.steps[i].request.body {
            Some(Body::Json(v)) => v.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(body(0)["Name"], body(1)["Name"]);
        assert_ne!(body(0)["Id"], body(1)["Id"]);
        assert_eq!(c.steps[1].expect.status, vec![409, 302]);
        assert!(
            c.steps[1].creates.is_some(),
            "an accepted duplicate is cleaned up"
        );
    }

    #[test]
    fn every_kind_of_case_is_generated_for_the_seeds() {
        let cases = generate(&seeds(), &config());
        for kind in [
            CaseKind::Happy,
            CaseKind::Lifecycle,
            CaseKind::PageCount,
            CaseKind::PageSkipPastEnd,
            CaseKind::CountHeader,
            CaseKind::NoToken,
            CaseKind::MalformedToken,
            CaseKind::ForbiddenRole,
            CaseKind::AllowedRole,
            CaseKind::UnknownId,
            CaseKind::MalformedJson,
            CaseKind::WrongTypes,
            CaseKind::NegativePaging,
            CaseKind::DuplicateName,
        ] {
            assert!(
                cases.iter().any(|c| c.kind == kind && c.ignored.is_none()),
                "{kind:?}"
            );
        }
        assert_eq!(
            cases.iter().filter(|c| c.kind == CaseKind::Happy).count(),
            26
        );
        assert_eq!(
            cases
                .iter()
                .filter(|c| c.kind == CaseKind::Lifecycle)
                .count(),
            3
        );
    }
}
