//! What each request does, decided from its operation and resource alone.
//!
//! Every answer uses a status the operation documents. Where the preferred
//! status is not in its table (an unknown id on an operation that lists 400
//! but not 404), the answer falls back to the next preference, then to the
//! first documented 4xx that is not about authentication.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::RwLock;

use axum::body::Bytes;
use serde_json::{Map, Value};

use super::auth::{Auth, Denied};
use super::fixture::{Fixture, Seed};
use super::routing::{Route, Routes};
use super::store::{key, Item, Scope, Store};
use super::values::{fresh, is_integer, now, shape};
use super::Fault;
use crate::api::{list_member, Api, Kind, OpModel, Resource};
use crate::schema::{SchemaOptions, Schemas};
use crate::spec::{Contract, Method, Operation, TypeRef};

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct State {
    /// Resources and every operation's model.
    pub api: std::sync::Arc<Api>,
    /// Request paths to operations.
    pub routes: Routes,
    /// The compiled schemas of every contract, by contract index: request
    /// bodies are judged by the same schemas a run judges answers by.
    pub schemas: Vec<Schemas>,
    /// Tokens, parameter values and seeds.
    pub fixture: Fixture,
    /// Token lookup.
    pub auth: Auth,
    /// The items.
    pub store: RwLock<Store>,
    /// Deviations to make.
    pub faults: Vec<Fault>,
}

/// What the request brought besides its path and query.
pub(crate) enum Input {
    /// The authorization step failed.
    Denied(Denied),
    /// The body, read whole.
    Body(Bytes),
    /// The body was larger than the limit.
    TooLarge,
    /// The body did not arrive in time.
    TimedOut,
    /// The body could not be read (the connection broke).
    Unreadable,
}

/// An answer before it becomes HTTP.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// The status code.
    pub status: u16,
    /// The JSON body, if any.
    pub body: Option<Value>,
    /// The body's documented type, in the route's contract.
    pub ty: Option<TypeRef>,
    /// The value of the count header, if one is sent.
    pub count: Option<usize>,
    /// The `Content-Type` of a body.
    pub content_type: &'static str,
    /// Methods the path allows, for 405 answers.
    pub allow: Vec<Method>,
}

impl Reply {
    /// An empty answer with this status.
    pub(crate) fn new(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            ty: None,
            count: None,
            content_type: "application/json; charset=utf-8",
            allow: Vec::new(),
        }
    }

    /// An error body for a request no operation matches.
    pub fn unrouted(status: u16, error: &str, allow: Vec<Method>) -> Reply {
        let mut r = Reply::new(status);
        r.body = Some(error_body("", error, "no documented operation matches", ""));
        r.allow = allow;
        r
    }
}

fn error_body(op: &str, error: &str, reason: &str, resolution: &str) -> Value {
    let mut m = Map::new();
    m.insert("OperationId".into(), Value::from(op));
    m.insert("Error".into(), Value::from(error));
    m.insert("Reason".into(), Value::from(reason));
    m.insert("Resolution".into(), Value::from(resolution));
    Value::Object(m)
}

/// The status to answer among preferences; see the module docs.
pub(crate) fn pick(op: &Operation, prefs: &[u16]) -> u16 {
    prefs
        .iter()
        .copied()
        .find(|s| op.response(*s).is_some())
        .or_else(|| {
            op.responses
                .iter()
                .map(|r| r.status)
                .find(|s| (400..500).contains(s) && *s != 401 && *s != 403)
        })
        .unwrap_or_else(|| prefs.first().copied().unwrap_or(400))
}

/// What a success answer carries.
enum Content<'a> {
    Item(&'a Map<String, Value>),
    List(Vec<&'a Map<String, Value>>),
    Nothing,
}

/// One request, with what its route and path give.
struct Ctx<'a> {
    state: &'a State,
    key: crate::api::OpKey,
    doc: usize,
    model: &'a OpModel,
    op: &'a Operation,
    contract: &'a Contract,
    resource: &'a Resource,
    resource_index: usize,
    parts: &'a [&'a str],
    scope: Scope,
    id: Option<&'a str>,
}

/// Answers one routed request. `parts` are the path's segments as sent:
/// each is percent-decoded once here, so ids, fixture values and error
/// messages all see the value the client meant (`%30` is `0`, `%20` a
/// space, `%2F` a slash inside the value).
pub(crate) fn respond(
    state: &State,
    route: Route,
    parts: &[&str],
    query: Option<&str>,
    input: Input,
) -> Reply {
    let decoded = crate::spec::decode_segments(parts);
    let text: Vec<&str> = match &decoded {
        Ok(d) => d.iter().map(AsRef::as_ref).collect(),
        Err(_) => parts.to_vec(),
    };
    let model = state.api.op(route.key);
    let ctx = Ctx {
        state,
        key: route.key,
        doc: route.key.doc,
        model,
        op: state.api.operation(route.key),
        contract: &state.api.contracts[route.key.doc],
        resource: &state.api.resources[model.resource],
        resource_index: model.resource,
        parts: &text,
        scope: model.scope.iter().map(|&i| key(text[i])).collect(),
        id: model.id.map(|i| text[i]),
    };
    let mut reply = match &decoded {
        // A path that is no text is malformed whatever the operation: 400,
        // as an unrouted path is 404, documented or not; never a 500.
        Err(bad) => *ctx.refusal(400, &bad.to_string(), "percent-encode UTF-8 text"),
        Ok(_) => ctx.answer(query, input).unwrap_or_else(|r| *r),
    };
    let shape = (route.method, model.id.is_some());
    super::faults::bend(&state.faults, &mut reply, shape, ctx.contract);
    reply
}

impl Ctx<'_> {
    fn has(&self, fault: Fault) -> bool {
        self.state.faults.contains(&fault)
    }

    /// Makes a new item's references name stored items (see
    /// [`super::references`]).
    fn settle_references(&self, store: &Store, value: &mut Map<String, Value>) {
        if let Some(ty) = self.resource.item_type.as_deref() {
            super::references::settle(self.state, store, self.doc, ty, value);
        }
    }

    /// The refusal of a change past the store's limits. Unlike the docs'
    /// refusals it is never turned into a success where the docs list no
    /// client error: nothing was stored.
    fn full(&self) -> Box<Reply> {
        self.refusal(
            pick(self.op, &[507, 413, 400]),
            "the server holds too many items or too much data",
            "delete items first",
        )
    }

    fn error(&self, prefs: &[u16], error: &str, resolution: &str) -> Box<Reply> {
        let status = pick(self.op, prefs);
        let client_error = self
            .op
            .responses
            .iter()
            .any(|r| (400..500).contains(&r.status));
        if self.op.response(status).is_none() && !client_error {
            // The docs list no refusal (only success, perhaps a 500): a
            // server that conforms has nothing else to say.
            return Box::new(self.success(Content::Nothing));
        }
        self.refusal(status, error, resolution)
    }

    /// An error answer with this status, shaped as the docs give it.
    fn refusal(&self, status: u16, error: &str, resolution: &str) -> Box<Reply> {
        let mut reply = Reply::new(status);
        let reason = self
            .op
            .response(status)
            .and_then(|r| r.description.clone())
            .unwrap_or_default();
        let body = error_body(&self.op.id, error, &reason, resolution);
        match self.op.response(status).map(|r| &r.body) {
            // Documented without a body (401 on some operations): none.
            Some(None) => {}
            Some(Some(ty)) => {
                reply.body = Some(shape(Some(&body), ty, false, self.contract));
                reply.ty = Some(ty.clone());
            }
            None => reply.body = Some(body),
        }
        Box::new(reply)
    }

    /// The answer for a path value naming nothing: what the docs say
    /// answers for that parameter (the shared model's reading of the 404
    /// and 403 rows), else 404, else 400.
    fn not_found(&self, param: Option<&str>, what: &str) -> Box<Reply> {
        let documented = param.map_or(&[][..], |p| self.model.missing(p));
        let prefs: Vec<u16> = documented.iter().copied().chain([404, 400]).collect();
        self.error(
            &prefs,
            &format!("{what} was not found"),
            "check the identifier",
        )
    }

    /// The name of the item id parameter, for item paths.
    fn id_param(&self) -> Option<&str> {
        self.model.id_param(self.op)
    }

    fn bad_request(&self, error: &str) -> Box<Reply> {
        self.error(&[400], error, "correct the request and send it again")
    }

    fn success(&self, content: Content<'_>) -> Reply {
        let status = self
            .op
            .responses
            .iter()
            .map(|r| r.status)
            .find(|s| (200..300).contains(s))
            .unwrap_or(match self.op.method {
                Method::Post => 201,
                Method::Delete => 204,
                _ => 200,
            });
        let mut reply = Reply::new(status);
        let Some(ty) = self.op.response(status).and_then(|r| r.body.clone()) else {
            return reply;
        };
        let c = self.contract;
        let body = match (&content, &ty) {
            (Content::List(items), TypeRef::Array(inner)) => Value::Array(
                items
                    .iter()
                    .map(|i| shape(Some(&Value::Object((*i).clone())), inner, false, c))
                    .collect(),
            ),
            (Content::List(items), TypeRef::Ref(wrapper)) if list_member(c, wrapper).is_some() => {
                let mut out = shape(None, &ty, false, c);
                if let (Some((member, inner)), Value::Object(map)) =
                    (list_member(c, wrapper), &mut out)
                {
                    let list = items
                        .iter()
                        .map(|i| shape(Some(&Value::Object((*i).clone())), inner, false, c))
                        .collect();
                    map.insert(member.to_string(), Value::Array(list));
                }
                out
            }
            (Content::List(items), _) => {
                let list =
                    Value::Array(items.iter().map(|i| Value::Object((*i).clone())).collect());
                shape(Some(&list), &ty, false, c)
            }
            (Content::Item(item), _) => {
                let mut body = shape(Some(&Value::Object((*item).clone())), &ty, false, c);
                if let (true, TypeRef::Ref(name)) = (self.has(Fault::ReferenceDangling), &ty) {
                    super::references::dangle(self.state, self.doc, name, &mut body);
                }
                body
            }
            (Content::Nothing, _) => shape(None, &ty, false, c),
        };
        reply.body = Some(body);
        reply.ty = Some(ty);
        reply
    }

    fn answer(&self, query: Option<&str>, input: Input) -> Result<Reply, Box<Reply>> {
        let body = match input {
            Input::Denied(Denied::Unauthenticated) => {
                return Err(self.error(
                    &[401, 403],
                    "the request carries no valid bearer token",
                    "send Authorization: Bearer <token>",
                ))
            }
            Input::Denied(Denied::Forbidden) => {
                if self.has(Fault::ExistenceDisclosed) {
                    if let Some(id) = self.id {
                        let store = self.state.store.read().unwrap_or_else(|e| e.into_inner());
                        if self.find(&store, id).is_none() {
                            return Err(self.not_found(self.id_param(), &format!("item {id}")));
                        }
                    }
                }
                return Err(self.error(
                    &[403, 401],
                    "the token holds none of the roles this operation allows",
                    "use a token with one of the documented roles",
                ));
            }
            Input::TooLarge => {
                return Err(self.error(
                    &[413, 400],
                    "the request body is too large",
                    "send a smaller body",
                ))
            }
            Input::TimedOut => {
                return Err(self.error(
                    &[408, 400],
                    "the request body did not arrive in time",
                    "send the body without pauses",
                ))
            }
            Input::Unreadable => return Err(self.bad_request("the request body could not be read")),
            Input::Body(b) => b,
        };
        self.check_fixture_values()?;
        let query = self.query(query)?;
        let body = match self.body(&body) {
            Ok(body) => body,
            Err(refusal) => {
                if self.has(Fault::RejectedUpdateApplied) {
                    self.store_what_passed(&body);
                }
                return Err(refusal);
            }
        };
        if self.op.method == Method::Get && self.id.is_none() && self.has(Fault::ServerError) {
            return Err(self.error(&[500], "deliberate failure", "none"));
        }
        // Parents are checked under the same lock as the change, so an item
        // cannot land under a parent deleted meanwhile. A poisoned lock
        // means a handler panicked; every change is made whole or not at
        // all, so the store is still consistent and serving goes on.
        if self.op.method.is_write() {
            let mut store = self.state.store.write().unwrap_or_else(|e| e.into_inner());
            self.check_parents(&store)?;
            return match self.id {
                None if self.op.method == Method::Post => self.create(&mut store, body),
                None => Ok(self.success(Content::Nothing)),
                Some(id) => match self.op.method {
                    Method::Delete => self.delete(&mut store, id),
                    Method::Post if self.adds_at_id() && self.find(&store, id).is_none() => {
                        self.create_at(&mut store, Some(id), body)
                    }
                    Method::Post => self.read(&store, id),
                    _ if self.resource.kind == Kind::Attached => self.attach(&mut store, id, body),
                    _ => self.update(&mut store, id, body),
                },
            };
        }
        let store = self.state.store.read().unwrap_or_else(|e| e.into_inner());
        self.check_parents(&store)?;
        match self.id {
            None => {
                let items = self.list(&store);
                let total = items.len();
                if total == 0 && self.resource.parent.is_some() && self.has(Fault::EmptyNotFound) {
                    return Err(self.not_found(None, "the collection"));
                }
                let mut reply = if self.op.method == Method::Head || !self.model.success.list {
                    // A HEAD, or a read of the collection that the docs
                    // answer with one value rather than a list.
                    self.success(Content::Nothing)
                } else if self.has(Fault::PagingIgnored) {
                    self.success(Content::List(items))
                } else {
                    let overlap = self.has(Fault::PagingOverlaps) && query.skip > 0;
                    let skip = query.skip - usize::from(overlap);
                    let page = items.into_iter().skip(skip).take(query.count);
                    self.success(Content::List(super::store::within_page_bytes(page)))
                };
                reply.count = Some(total);
                if total == 0 && self.has(Fault::CountWrongWhenEmpty) {
                    reply.count = Some(1);
                }
                Ok(reply)
            }
            Some(id) if self.op.method == Method::Head => {
                self.find(&store, id)
                    .ok_or_else(|| self.not_found(self.id_param(), &format!("item {id}")))?;
                let mut reply = self.success(Content::Nothing);
                reply.count = Some(1);
                Ok(reply)
            }
            // An item the docs answer with a list (the data items of a
            // query): the item must exist; its list is empty here.
            Some(id) if self.model.success.list => {
                self.find(&store, id)
                    .ok_or_else(|| self.not_found(self.id_param(), &format!("item {id}")))?;
                Ok(self.success(Content::List(Vec::new())))
            }
            Some(id) => self.read(&store, id),
        }
    }

    fn read(&self, store: &Store, id: &str) -> Result<Reply, Box<Reply>> {
        let item = self
            .find(store, id)
            .ok_or_else(|| self.not_found(self.id_param(), &format!("item {id}")))?;
        Ok(self.success(Content::Item(&item)))
    }

    /// Path parameters the fixture restricts must hold one of its values.
    fn check_fixture_values(&self) -> Result<(), Box<Reply>> {
        if self.has(Fault::UnknownTenantAccepted) {
            return Ok(());
        }
        for (pos, name) in &self.model.checked {
            if let Some(values) = self.state.fixture.param_values(name) {
                let given = self.parts[*pos];
                if !values.iter().any(|v| v.eq_ignore_ascii_case(given)) {
                    return Err(self.not_found(Some(name), &format!("{name} {given}")));
                }
            }
        }
        Ok(())
    }

    /// Every parent item named by the path must exist.
    fn check_parents(&self, store: &Store) -> Result<(), Box<Reply>> {
        let mut child = self.resource;
        while let Some(p) = child.parent {
            let parent = &self.state.api.resources[p];
            let k = parent.scope_names.len();
            let (Some(scope), Some(id)) = (self.scope.get(..k), self.scope.get(k)) else {
                break;
            };
            let name = self
                .model
                .scope
                .get(k)
                .and_then(|&pos| self.op.path.segments().get(pos))
                .and_then(crate::spec::Segment::param);
            if self.find_in(store, p, scope, id, name).is_none() {
                let name = name.unwrap_or("parent");
                return Err(self.not_found(Some(name), &format!("{name} {id}")));
            }
            child = parent;
        }
        Ok(())
    }

    /// Paging as the docs allow it: `skip` and `count` where documented
    /// (count 100 when not given), never more than [`MAX_PAGE`] items; a
    /// list without a documented `count` answers up to [`MAX_PAGE`] at once.
    fn query(&self, query: Option<&str>) -> Result<Paging, Box<Reply>> {
        let pages = crate::api::paging_param(self.op, "count").is_some();
        let mut paging = Paging {
            skip: 0,
            count: if pages { DEFAULT_PAGE } else { MAX_PAGE },
        };
        let strict = self.op.response(400).is_some();
        for param in &self.op.query_params {
            let Some(raw) = query_value(query, &param.name) else {
                continue;
            };
            let json = param.ty.scalar().map(|s| s.json);
            let integer =
                json == Some(crate::spec::JsonType::Integer) || crate::api::is_paging(param);
            let value = if integer {
                match raw.parse::<i64>() {
                    Ok(n) if n >= 0 || self.has(Fault::NegativePagingAccepted) => Some(n),
                    _ if strict => {
                        return Err(self.bad_request(&format!(
                            "query parameter `{}` must be a non-negative integer",
                            param.name
                        )))
                    }
                    _ => None,
                }
            } else if json == Some(crate::spec::JsonType::Boolean) {
                if strict && !raw.eq_ignore_ascii_case("true") && !raw.eq_ignore_ascii_case("false")
                {
                    return Err(self.bad_request(&format!(
                        "query parameter `{}` must be true or false",
                        param.name
                    )));
                }
                None
            } else {
                None
            };
            let value = value.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
            match (param.name.to_ascii_lowercase().as_str(), value) {
                ("skip", Some(n)) => paging.skip = n,
                ("count", Some(n)) => paging.count = n.min(MAX_PAGE),
                _ => {}
            }
        }
        Ok(paging)
    }

    /// The request body as a JSON object, checked against the definition
    /// the docs' example matches; `None` where no body is documented.
    fn body(&self, bytes: &[u8]) -> Result<Option<Map<String, Value>>, Box<Reply>> {
        let Some(documented) = &self.op.request_body else {
            return Ok(None);
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            // A body the docs mention but neither show nor define cannot
            // be demanded: nothing says what it would hold.
            if documented.example.is_none() && documented.definition.is_none() {
                return Ok(None);
            }
            return Err(self.bad_request("a JSON request body is required"));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            self.bad_request(&format!(
                "the request body is not valid UTF-8 (byte {})",
                e.valid_up_to()
            ))
        })?;
        let value: Value = serde_json::from_str(text)
            .map_err(|e| self.bad_request(&format!("the request body is not valid JSON: {e}")))?;
        let checked = documented
            .definition
            .as_ref()
            .filter(|_| !self.has(Fault::InputRulesIgnored));
        if let Some(def) = checked {
            self.blank_members(def, &value)?;
            self.state.schemas[self.doc]
                .validate_definition(def, &value)
                .map_err(|errors| {
                    let first = errors
                        .first()
                        .map(|e| format!("at `{}`: {}", e.instance_path, e.message))
                        .unwrap_or_default();
                    self.bad_request(&format!("the request body does not match {def}: {first}"))
                })?;
        }
        if documented.definition.is_none() {
            if let Some(Value::Object(example)) = &documented.example {
                if let Some(member) = same_kinds_as(example, &value) {
                    return Err(self.bad_request(&format!(
                        "member `{member}` has another JSON type than the documented example's"
                    )));
                }
            }
        }
        let object_documented = documented.definition.is_some()
            || documented.example.as_ref().is_some_and(Value::is_object);
        match value {
            Value::Object(map) => Ok(Some(self.documented_members(map))),
            // A list or a value where the docs show no object (bulk calls):
            // accepted, with no members to keep.
            _ if !object_documented => Ok(None),
            _ => Err(self.bad_request("the request body must be a JSON object")),
        }
    }

    /// Refuses a blank string in a member the docs say may not be blank
    /// ([`crate::api::must_not_be_blank`]), which no JSON Schema states.
    fn blank_members(&self, def: &str, value: &Value) -> Result<(), Box<Reply>> {
        let Some(def) = self.contract.definition(def) else {
            return Ok(());
        };
        for p in def.properties() {
            let blank = value
                .get(&p.name)
                .and_then(Value::as_str)
                .is_some_and(|s| s.trim().is_empty());
            if blank && crate::api::must_not_be_blank(p) {
                return Err(self.bad_request(&format!("member `{}` cannot be empty", p.name)));
            }
            // One level down, as the suite checks it: the members of a
            // member's own definition.
            if let (TypeRef::Ref(inner), Some(Value::Object(_))) = (&p.ty, value.get(&p.name)) {
                let nested = self.contract.definition(inner).into_iter();
                for q in nested.flat_map(|d| d.properties()) {
                    let blank = value[&p.name]
                        .get(&q.name)
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.trim().is_empty());
                    if blank && crate::api::must_not_be_blank(q) {
                        return Err(self.bad_request(&format!(
                            "member `{}.{}` cannot be empty",
                            p.name, q.name
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Keeps the members the request definition names (all of them where
    /// the docs name no definition), never the id.
    fn documented_members(&self, mut map: Map<String, Value>) -> Map<String, Value> {
        let def = self
            .op
            .request_body
            .as_ref()
            .and_then(|b| b.definition.as_deref())
            .and_then(|d| self.contract.definition(d));
        if let Some(def) = def {
            map.retain(|k, _| def.property(k).is_some());
        }
        map.shift_remove("Id");
        map
    }

    /// The path prefix of this operation (`/api/v1-preview`), lower-cased:
    /// two documents of one resource under different prefixes are two API
    /// versions.
    fn origin(&self) -> String {
        let path = &self.op.path;
        path.prefix(path.base_len())
            .canonical()
            .to_ascii_lowercase()
    }

    /// Whether this operation sees `item`: always, unless a fault keeps
    /// the items of each API version apart.
    fn visible(&self, item: &Item) -> bool {
        !self.has(Fault::VersionsApart) || item.origin.as_ref().is_none_or(|o| *o == self.origin())
    }

    /// The items a list shows.
    fn list<'s>(&'s self, store: &'s Store) -> Vec<&'s Map<String, Value>> {
        match self.resource.kind {
            Kind::View => self.view(store, &self.scope),
            Kind::Owned | Kind::Attached => {
                let omit = self.has(Fault::ListOmitsCreated);
                store
                    .items(self.resource_index, &self.scope)
                    .filter(|i| !(omit && i.created) && self.visible(i))
                    .map(|i| &i.value)
                    .collect()
            }
        }
    }

    /// One item of this resource.
    fn find<'s>(&'s self, store: &'s Store, id: &str) -> Option<Cow<'s, Map<String, Value>>> {
        let (item, created) =
            self.find_in(store, self.resource_index, &self.scope, id, self.id_param())?;
        if self.has(Fault::CreateNotRetrievable) && created {
            return None;
        }
        Some(item)
    }

    /// One item of any resource, stored or (for views) known, and whether
    /// POST created it. An id the fixture lists for the item's parameter
    /// `param` names an object that exists (a tenant, an identity
    /// provider), so it is found even where nothing stores it (any more).
    fn find_in<'s>(
        &'s self,
        store: &'s Store,
        resource: usize,
        scope: &[String],
        id: &str,
        param: Option<&str>,
    ) -> Option<(Cow<'s, Map<String, Value>>, bool)> {
        let r = &self.state.api.resources[resource];
        let found = match r.kind {
            Kind::Owned | Kind::Attached => store
                .get(resource, scope, id)
                .filter(|i| self.visible(i))
                .map(|i| (Cow::Borrowed(&i.value), i.created)),
            Kind::View => self
                .view_of(store, r, scope)
                .into_iter()
                .find(|m| {
                    m.get("Id")
                        .and_then(Value::as_str)
                        .is_some_and(|i| i.eq_ignore_ascii_case(id))
                })
                .map(|m| (Cow::Borrowed(m), false)),
        };
        found.or_else(|| {
            self.fixture_knows(param?, id).then(|| {
                let mut item = Map::new();
                item.insert("Id".into(), Value::from(id));
                (Cow::Owned(item), false)
            })
        })
    }

    /// Whether the fixture lists `value` for the path parameter `param`.
    fn fixture_knows(&self, param: &str, value: &str) -> bool {
        self.state
            .fixture
            .param_values(param)
            .is_some_and(|vs| vs.iter().any(|v| v.eq_ignore_ascii_case(value)))
    }

    fn view<'s>(&'s self, store: &'s Store, scope: &[String]) -> Vec<&'s Map<String, Value>> {
        self.view_of(store, self.resource, scope)
    }

    /// The known objects of a view's item type that name its parent.
    fn view_of<'s>(
        &'s self,
        store: &'s Store,
        r: &Resource,
        scope: &[String],
    ) -> Vec<&'s Map<String, Value>> {
        let Some(ty) = r.item_type.as_deref() else {
            return Vec::new();
        };
        known(self.state, store, ty)
            .into_iter()
            .filter(|obj| belongs(obj, &r.scope_names, scope))
            .collect()
    }

    fn create(
        &self,
        store: &mut Store,
        body: Option<Map<String, Value>>,
    ) -> Result<Reply, Box<Reply>> {
        self.create_at(store, None, body)
    }

    /// Whether this write adds an item under the id its path names
    /// ([`crate::api::Api::adds_at_id`]).
    fn adds_at_id(&self) -> bool {
        self.state.api.adds_at_id(self.key)
    }

    /// Creates an item under `given`, the id the path names, or under an
    /// id the server picks.
    fn create_at(
        &self,
        store: &mut Store,
        given: Option<&str>,
        body: Option<Map<String, Value>>,
    ) -> Result<Reply, Box<Reply>> {
        let mut value = body.unwrap_or_default();
        if store.full() || !store.fits(&value) {
            return Err(self.full());
        }
        if self.op.response(409).is_some() {
            if let Some(name) = value.get("Name").and_then(Value::as_str) {
                let taken = store.has_name(self.resource_index, &self.scope, name);
                if taken {
                    return Err(self.error(
                        &[409],
                        &format!("an item named {name:?} already exists"),
                        "choose another name",
                    ));
                }
            }
        }
        // Ids are GUIDs, or the next number where the item's `Id` is an
        // integer (client secrets).
        let integer = self
            .resource
            .item_type
            .as_deref()
            .and_then(|t| self.contract.definition(t))
            .and_then(|d| d.property("Id"))
            .is_some_and(|p| is_integer(&p.ty));
        let (id, id_value) = if let Some(id) = given {
            let number = id.parse::<u64>().ok().filter(|_| integer);
            (
                id.to_string(),
                number.map_or_else(|| Value::from(id), Value::from),
            )
        } else if integer {
            let next = store
                .items(self.resource_index, &self.scope)
                .filter_map(|i| i.value.get("Id").and_then(Value::as_u64))
                .max()
                .unwrap_or(0)
                + 1;
            (next.to_string(), Value::from(next))
        } else {
            let id = uuid::Uuid::new_v4().to_string();
            (id.clone(), Value::from(id))
        };
        value.insert("Id".into(), id_value);
        self.complete(&mut value);
        self.settle_references(store, &mut value);
        store.insert(
            self.resource_index,
            self.scope.clone(),
            &id,
            Item {
                value,
                builtin: false,
                created: true,
                origin: Some(self.origin()),
            },
        );
        let item = store
            .get(self.resource_index, &self.scope, &id)
            .map(|i| &i.value);
        // Where the answer wraps the new item (`{"Client": {...}, "Id": 1}`),
        // the item goes into its member.
        let member = self
            .model
            .created_id
            .as_deref()
            .and_then(|p| p.strip_prefix('/'))
            .and_then(|p| p.strip_suffix("/Id"));
        Ok(match (item, member) {
            (Some(item), Some(member)) => {
                let mut wrapper = Map::new();
                wrapper.insert(member.to_string(), Value::Object(item.clone()));
                self.success(Content::Item(&wrapper))
            }
            (Some(item), None) => self.success(Content::Item(item)),
            (None, _) => self.success(Content::Nothing),
        })
    }

    /// Fills what the server decides for a new item: members named after
    /// path parameters, creation dates, and fresh values for non-nullable
    /// members the body left out.
    fn complete(&self, value: &mut Map<String, Value>) {
        let Some(def) = self
            .success_type()
            .or_else(|| self.resource.item_type.clone())
            .and_then(|t| self.contract.definition(&t))
        else {
            return;
        };
        for p in def.properties() {
            if value.get(&p.name).is_some_and(|v| !v.is_null()) {
                continue;
            }
            let from_path =
                self.op
                    .path
                    .segments()
                    .iter()
                    .zip(self.parts)
                    .find_map(|(s, given)| match s {
                        crate::spec::Segment::Param(name)
                            if capitalised(name) == p.name && Some(*given) != self.id =>
                        {
                            Some(Value::from(*given))
                        }
                        _ => None,
                    });
            let created = p.name.contains("Created") && fresh(&p.ty).is_some_and(|v| v.is_string());
            let filled = if let Some(v) = from_path {
                Some(v)
            } else if created {
                Some(Value::from(now()))
            } else if !p.nullable {
                Some(fresh(&p.ty).unwrap_or_else(|| shape(None, &p.ty, false, self.contract)))
            } else {
                None
            };
            if let Some(v) = filled {
                value.insert(p.name.clone(), v);
            }
        }
    }

    /// The definition the success response names.
    fn success_type(&self) -> Option<String> {
        self.op
            .responses
            .iter()
            .find(|r| (200..300).contains(&r.status))
            .and_then(|r| r.body.as_ref())
            .and_then(|b| match b {
                TypeRef::Ref(n) => Some(n.clone()),
                _ => None,
            })
    }

    fn update(
        &self,
        store: &mut Store,
        id: &str,
        body: Option<Map<String, Value>>,
    ) -> Result<Reply, Box<Reply>> {
        if self.resource.kind == Kind::View {
            return self.read(store, id);
        }
        let item = store
            .get(self.resource_index, &self.scope, id)
            .ok_or_else(|| self.not_found(self.id_param(), &format!("item {id}")))?;
        let mut updated = item.value.clone();
        for (k, v) in body.unwrap_or_default() {
            updated.insert(k, v);
        }
        if !store.fits_replacing(&item.value, &updated) {
            return Err(self.full());
        }
        if self.has(Fault::PutNotIdempotent) && updated == item.value {
            self.bend_repeated(&mut updated);
        }
        if !self.has(Fault::UpdateNotPersisted) {
            store.set_value(self.resource_index, &self.scope, id, updated.clone());
        }
        Ok(self.success(Content::Item(&updated)))
    }

    /// The `put-not-idempotent` fault: a PUT that repeats the item's
    /// members adds a suffix to its `Name`, else to its first free-text
    /// member the request definition declares.
    fn bend_repeated(&self, item: &mut Map<String, Value>) {
        let def = self
            .op
            .request_body
            .as_ref()
            .and_then(|b| b.definition.as_deref())
            .and_then(|d| self.contract.definition(d));
        let free_text = |name: &str| {
            def.and_then(|d| d.property(name))
                .and_then(|p| p.ty.scalar())
                .is_some_and(|s| s.is_free_text())
        };
        let target = ["Name"]
            .into_iter()
            .chain(item.keys().map(String::as_str))
            .find(|k| item.get(*k).is_some_and(Value::is_string) && free_text(k))
            .map(str::to_string);
        if let Some(Value::String(text)) = target.and_then(|k| item.get_mut(&k)) {
            text.push_str("-again");
        }
    }

    /// The `rejected-update-applied` fault: the members of a PUT body
    /// refused by its definition that broke no rule are stored anyway.
    fn store_what_passed(&self, bytes: &[u8]) {
        let (Some(id), Method::Put) = (self.id, self.op.method) else {
            return;
        };
        let def = self
            .op
            .request_body
            .as_ref()
            .and_then(|b| b.definition.as_deref());
        let (Some(def), Ok(Value::Object(sent))) = (def, serde_json::from_slice(bytes)) else {
            return;
        };
        let value = Value::Object(sent);
        let broken: Vec<String> =
            match self.state.schemas[self.doc].validate_definition(def, &value) {
                Ok(()) => return,
                Err(errors) => errors.iter().map(|e| e.instance_path.to_string()).collect(),
            };
        let Value::Object(sent) = value else {
            return;
        };
        let passed = sent.into_iter().filter(|(k, _)| {
            let at = format!("/{k}");
            !broken
                .iter()
                .any(|p| *p == at || p.starts_with(&format!("{at}/")))
        });
        let passed = self.documented_members(passed.collect());
        let mut store = self.state.store.write().unwrap_or_else(|e| e.into_inner());
        let Some(item) = store.get(self.resource_index, &self.scope, id) else {
            return;
        };
        let mut updated = item.value.clone();
        updated.extend(passed);
        if store.fits_replacing(&item.value, &updated) {
            store.set_value(self.resource_index, &self.scope, id, updated);
        }
    }

    /// PUT on an item of a collection without a create: the item attached
    /// already is updated; otherwise a known object of the item type, or an
    /// object the fixture lists by id, is attached with what the body says.
    fn attach(
        &self,
        store: &mut Store,
        id: &str,
        body: Option<Map<String, Value>>,
    ) -> Result<Reply, Box<Reply>> {
        if store.get(self.resource_index, &self.scope, id).is_some() {
            return self.update(store, id, body);
        }
        if store.full() || body.as_ref().is_some_and(|b| !store.fits(b)) {
            return Err(self.full());
        }
        let scope_names = &self.resource.scope_names;
        let ty = self.resource.item_type.as_deref().unwrap_or_default();
        let found = known(self.state, store, ty)
            .into_iter()
            .find(|obj| {
                obj.get("Id")
                    .and_then(Value::as_str)
                    .is_some_and(|i| i.eq_ignore_ascii_case(id))
                    && scope_names
                        .iter()
                        .zip(&self.scope)
                        .all(|(n, v)| link(obj, n, v) != Some(false))
            })
            .cloned()
            .or_else(|| {
                let listed = self.id_param().is_some_and(|p| self.fixture_knows(p, id));
                listed.then(|| {
                    let mut item = Map::new();
                    item.insert("Id".into(), Value::from(id));
                    item
                })
            });
        let Some(mut value) = found else {
            if self.adds_at_id() {
                return self.create_at(store, Some(id), body);
            }
            return Err(self.not_found(self.id_param(), &format!("item {id}")));
        };
        for (k, v) in body.unwrap_or_default() {
            value.insert(k, v);
        }
        store.insert(
            self.resource_index,
            self.scope.clone(),
            id,
            Item {
                value: value.clone(),
                builtin: false,
                created: false,
                origin: Some(self.origin()),
            },
        );
        Ok(self.success(Content::Item(&value)))
    }

    fn delete(&self, store: &mut Store, id: &str) -> Result<Reply, Box<Reply>> {
        if self.resource.kind == Kind::View {
            // Items the server only knows (fixture-listed or linked
            // objects): the documented delete succeeds and stores nothing.
            self.find(store, id)
                .ok_or_else(|| self.not_found(self.id_param(), &format!("item {id}")))?;
            return Ok(self.success(Content::Nothing));
        }
        let again = self.has(Fault::SecondDeleteSucceeds);
        if again && store.was_deleted(self.resource_index, &self.scope, id) {
            return Ok(self.success(Content::Nothing));
        }
        let item = store
            .get(self.resource_index, &self.scope, id)
            .filter(|i| self.visible(i))
            .ok_or_else(|| self.not_found(self.id_param(), &format!("item {id}")))?;
        if item.builtin {
            return Err(self.error(
                &[400, 409, 403],
                "built-in items cannot be deleted",
                "delete an item you created",
            ));
        }
        if again {
            store.remember_deleted(self.resource_index, &self.scope, id);
        }
        if !self.has(Fault::DeleteNotRemoving) {
            store.remove(self.resource_index, &self.scope, id);
            let mut prefix = self.scope.clone();
            prefix.push(key(id));
            for &d in &self.resource.descendants {
                store.remove_under(d, &prefix);
            }
        }
        Ok(self.success(Content::Nothing))
    }
}

/// Where the docs name no definition for a request body, its example is
/// all they say: the first member of `body` whose JSON type differs from
/// the example's (nulls aside), if any.
fn same_kinds_as(example: &Map<String, Value>, body: &Value) -> Option<String> {
    let kind = |v: &Value| match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    };
    let Value::Object(body) = body else {
        return None;
    };
    body.iter()
        .find(|(k, v)| {
            example
                .get(*k)
                .is_some_and(|e| !e.is_null() && !v.is_null() && kind(e) != kind(v))
        })
        .map(|(k, _)| k.clone())
}

/// The page a documented `count` gives when a request names none.
const DEFAULT_PAGE: usize = 100;

/// The most items one answer holds, whatever `count` asks for: a page of a
/// million items would be built whole in memory.
pub(crate) const MAX_PAGE: usize = 1000;

/// Paging values from the query.
struct Paging {
    skip: usize,
    count: usize,
}

/// The percent-decoded value of a query parameter (names compare without
/// case); `count=%31` is `count=1`.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.into_owned())
}

/// `roleId` → `RoleId`.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Whether an object names `value` for the path parameter `param`: its
/// member `RoleId` equals it or its member `RoleIds` contains it (for
/// `roleId`). `None` where the object has neither member.
pub(crate) fn link(obj: &Map<String, Value>, param: &str, value: &str) -> Option<bool> {
    let single = capitalised(param);
    match obj.get(&single) {
        Some(Value::String(s)) => return Some(s.eq_ignore_ascii_case(value)),
        Some(Value::Null) | None => {}
        Some(_) => return Some(false),
    }
    match obj.get(&format!("{single}s")) {
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case(value))),
        ),
        _ => None,
    }
}

/// Whether an object belongs under a view's scope: it names the innermost
/// parent, and contradicts no other scope value.
fn belongs(obj: &Map<String, Value>, names: &[String], scope: &[String]) -> bool {
    let pairs: Vec<(&String, &String)> = names.iter().zip(scope).collect();
    let Some(((last_name, last_value), rest)) = pairs.split_last() else {
        return true;
    };
    link(obj, last_name, last_value) == Some(true)
        && rest.iter().all(|(n, v)| link(obj, n, v) != Some(false))
}

/// Every object of a definition the server knows: stored items of every
/// resource of that type, then seeds not stored anywhere, each id once.
fn known<'s>(state: &'s State, store: &'s Store, ty: &str) -> Vec<&'s Map<String, Value>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let stored = state
        .api
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind != Kind::View && r.item_type.as_deref() == Some(ty))
        .flat_map(|(i, _)| store.all(i).map(|item| &item.value));
    let seeds = state.fixture.seeds(ty).iter().map(|s| &s.fields);
    for obj in stored.chain(seeds) {
        let id = obj.get("Id").and_then(Value::as_str).map(key);
        if id.as_ref().is_none_or(|id| seen.insert(id.clone())) {
            out.push(obj);
        }
    }
    out
}

/// Places the fixture's seeds in every owned collection of their type whose
/// scope the fixture's parameter values fill.
pub(crate) fn seed(api: &Api, fixture: &Fixture, store: &mut Store) {
    for (r, resource) in api.resources.iter().enumerate() {
        let Some(ty) = resource.item_type.as_deref() else {
            continue;
        };
        // Ids the fixture lists for the item parameter name items that
        // exist from the start (an identity provider of the tenant).
        let listed: Vec<Seed> = api
            .item_param(r)
            .and_then(|p| fixture.param_values(p))
            .unwrap_or_default()
            .iter()
            .filter(|id| {
                !fixture
                    .seeds(ty)
                    .iter()
                    .any(|s| s.id() == Some(id.as_str()))
            })
            .map(|id| Seed::listed(id))
            .collect();
        let seeds: Vec<&Seed> = fixture.seeds(ty).iter().chain(&listed).collect();
        if resource.kind == Kind::View || seeds.is_empty() {
            continue;
        }
        let Some(value_lists) = resource
            .scope_names
            .iter()
            .map(|n| fixture.param_values(n))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        for scope in combinations(&value_lists) {
            for s in &seeds {
                let fits = resource
                    .scope_names
                    .iter()
                    .zip(&scope)
                    .all(|(n, v)| link(&s.fields, n, v) != Some(false));
                if let (true, Some(id)) = (fits, s.id()) {
                    let item = Item {
                        value: s.fields.clone(),
                        builtin: s.builtin,
                        created: false,
                        origin: None,
                    };
                    store.insert(r, scope.iter().map(|v| key(v)).collect(), id, item);
                }
            }
        }
    }
}

/// The compiled schemas of every contract the server serves.
pub(crate) fn schemas_of(api: &Api) -> Vec<Schemas> {
    api.contracts
        .iter()
        .map(|c| Schemas::derive(c, SchemaOptions::default()))
        .collect()
}

/// Every choice of one value per list.
fn combinations(lists: &[&[String]]) -> Vec<Vec<String>> {
    lists.iter().fold(vec![Vec::new()], |acc, list| {
        acc.iter()
            .flat_map(|prefix| {
                list.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn links_follow_member_names() {
        let obj = json!({"RoleIds": ["A", "b"], "TenantId": "T", "CommunityId": null});
        let obj = obj.as_object().unwrap();
        assert_eq!(link(obj, "roleId", "a"), Some(true));
        assert_eq!(link(obj, "roleId", "c"), Some(false));
        assert_eq!(link(obj, "tenantId", "t"), Some(true));
        assert_eq!(link(obj, "communityId", "x"), None);
        assert_eq!(link(obj, "groupId", "x"), None);
        let names = ["tenantId".to_string(), "roleId".to_string()];
        assert!(belongs(obj, &names, &["t".into(), "b".into()]));
        assert!(!belongs(obj, &names, &["u".into(), "b".into()]));
        assert!(!belongs(obj, &names, &["t".into(), "z".into()]));
    }

    #[test]
    fn queries_are_read_by_name() {
        assert_eq!(
            query_value(Some("skip=1&Count=5"), "count").as_deref(),
            Some("5")
        );
        assert_eq!(query_value(Some("skip"), "skip").as_deref(), Some(""));
        assert_eq!(query_value(None, "skip"), None);
        assert_eq!(query_value(Some("a=1"), "skip"), None);
        assert_eq!(
            query_value(Some("count=%31&skip"), "count").as_deref(),
            Some("1")
        );
        assert_eq!(
            query_value(Some("%63ount=2"), "count").as_deref(),
            Some("2")
        );
        assert_eq!(
            query_value(Some("q=a+b%20c"), "q").as_deref(),
            Some("a b c")
        );
    }

    #[test]
    fn combinations_cover_every_choice() {
        let a = vec!["1".to_string(), "2".to_string()];
        let b = vec!["x".to_string()];
        assert_eq!(
            combinations(&[&a, &b]),
            [
                vec!["1".to_string(), "x".into()],
                vec!["2".into(), "x".into()]
            ]
        );
        assert_eq!(combinations(&[]), [Vec::<String>::new()]);
    }

    fn state() -> State {
        let api = std::sync::Arc::new(Api::new(crate::spec::load_all(&["specs"]).unwrap()));
        let fixture = Fixture::builtin();
        let mut store = Store::default();
        seed(&api, &fixture, &mut store);
        State {
            auth: Auth::new(&fixture),
            routes: Routes::new(&api),
            schemas: schemas_of(&api),
            api,
            fixture,
            store: RwLock::new(store),
            faults: Vec::new(),
        }
    }

    fn call(state: &State, method: Method, path: &str, body: &str) -> Reply {
        let super::super::routing::Match::Found(route, parts) =
            state.routes.find(&state.api, Some(method), path, None)
        else {
            panic!("no route for {method} {path}");
        };
        respond(
            state,
            route,
            &parts,
            None,
            Input::Body(Bytes::from(body.to_string())),
        )
    }

    fn resource(state: &State, key: &str) -> usize {
        state
            .api
            .resources
            .iter()
            .position(|r| r.key == key)
            .unwrap()
    }

    #[test]
    fn deleting_a_parent_removes_what_is_nested_under_it() {
        let s = state();
        let tenant = "0c6d7d5b-c985-40fc-bfef-a036c7c8f173";
        let idp = "aa0ab89d-1354-447b-9fcd-6e7bd07aecde";
        let mut ids = Vec::new();
        for name in ["one", "two"] {
            let r = call(
                &s,
                Method::Post,
                "/api/v1-preview/Communities",
                &format!("{{\"Name\": \"{name}\"}}"),
            );
            assert_eq!(r.status, 201);
            let id = r.body.unwrap()["Id"].as_str().unwrap().to_string();
            for group in [
                "5a4ab0c0-0b06-4167-9434-8d5bdcd990c6",
                "0f9f068f-7500-4fd5-b555-d76685592c1e",
            ] {
                let path = format!("/api/v1-preview/Communities/{id}/Tenants/{tenant}/IdentityProviders/{idp}/Groups/{group}");
                assert_eq!(call(&s, Method::Put, &path, "").status, 200);
            }
            ids.push(id);
        }
        let groups = resource(&s, "communities/{}/tenants/{}/identityproviders/{}/groups");
        assert_eq!(s.store.read().unwrap().all(groups).count(), 4);

        let r = call(
            &s,
            Method::Delete,
            &format!("/api/v1/tenants/{tenant}/Communities/{}", ids[0]),
            "",
        );
        assert_eq!(r.status, 204);
        let store = s.store.read().unwrap();
        assert_eq!(store.all(groups).count(), 2);
        let left = [key(&ids[1]), key(tenant), key(idp)];
        assert_eq!(store.items(groups, &left).count(), 2);
    }

    #[test]
    fn created_items_are_completed_from_the_definition_and_the_path() {
        let s = state();
        let tenant = "0c6d7d5b-c985-40fc-bfef-a036c7c8f173";
        let r = call(
            &s,
            Method::Post,
            &format!("/api/v1/Tenants/{tenant}/Roles"),
            r#"{"Name": "r", "Id": "mine"}"#,
        );
        let body = r.body.unwrap();
        assert_ne!(body["Id"], "mine");
        assert!(uuid::Uuid::parse_str(body["Id"].as_str().unwrap()).is_ok());
        assert_eq!(body["TenantId"], tenant);
        assert_eq!(body["CommunityId"], Value::Null);
        let r = call(
            &s,
            Method::Post,
            "/api/v1-preview/Communities",
            r#"{"Name": "c"}"#,
        );
        let body = r.body.unwrap();
        assert!(super::super::values::is_date_time(
            body["DateCreated"].as_str().unwrap()
        ));
        // Non-nullable guid members get fresh values, not the nil GUID.
        assert_ne!(body["MemberRoleId"], uuid::Uuid::nil().to_string());
    }

    #[test]
    fn pick_prefers_documented_statuses() {
        let c = crate::spec::load(std::path::Path::new("specs/000_a2f21fb7a461d36e.txt")).unwrap();
        let get = c.operation("Communities_Get a Community by Id").unwrap();
        assert_eq!(pick(get, &[404, 400]), 400);
        let put = c.operation("Communities_Update Community Info").unwrap();
        assert_eq!(pick(put, &[404, 400]), 404);
        assert_eq!(pick(put, &[403, 401]), 401);
        assert_eq!(pick(put, &[413, 400]), 400);
    }
}
