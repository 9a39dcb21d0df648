//! The test-case model: named cases made of ordered steps, each a request
//! template plus what the answer must show.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::spec::{Method, Operation, PathTemplate};

/// Names one operation of one document, both by position (for lookups in
/// the contract list the plan was generated from) and by name (for people).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpRef {
    /// Index of the contract in the list given to [`super::generate`].
    pub doc: usize,
    /// Index of the operation inside that contract.
    pub op: usize,
    /// The operation id (`Roles_Get Role`).
    pub id: String,
}

/// What a case is about; the last part of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// The documented success with valid inputs.
    Happy,
    /// create → get → list → count → update → get → delete → get → list.
    Lifecycle,
    /// `count=1` returns at most one item.
    PageCount,
    /// `skip` past the end returns no item.
    PageSkipPastEnd,
    /// The HEAD count header equals the length of the list.
    CountHeader,
    /// No `Authorization` header at all.
    NoToken,
    /// A bearer token the server cannot have issued.
    MalformedToken,
    /// A token holding only roles outside the operation's allowed roles.
    ForbiddenRole,
    /// A token holding one of the operation's allowed roles.
    AllowedRole,
    /// A well-formed id nothing was created under.
    UnknownId,
    /// A request body that is not JSON.
    MalformedJson,
    /// A request body whose members have the wrong JSON types.
    WrongTypes,
    /// Negative `skip` and `count`.
    NegativePaging,
    /// A body breaking one documented input rule with one member.
    InputRule,
    /// A create repeating the `Name` of an existing item.
    DuplicateName,
    /// A create's answer names the new item, and a read of it agrees.
    Addressable,
    /// The pages of a list, walked to the end, hold every item once.
    ListComplete,
    /// A count agrees with its list under every parent the suite can list.
    CountsAgree,
    /// The child collections of a parent just created are empty.
    EmptyChildren,
    /// A token outside the allowed roles, on an existing and a missing item.
    OtherRoleExistence,
    /// An item created through one API version, used through another.
    CrossVersion,
    /// The members of an item that refer to other items name listed ones.
    References,
}

impl CaseKind {
    /// The name used as the last part of a case name, from the
    /// [`KINDS`](super::kinds::KINDS) registry.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }
}

/// One generated test case.
#[derive(Debug, Clone, Serialize)]
pub struct TestCase {
    /// `<document>::<operation>::<case>`.
    pub name: String,
    /// The document's file stem.
    pub document: String,
    /// The operation the case is about.
    pub operation: OpRef,
    /// What the case tests.
    pub kind: CaseKind,
    /// Variables set before the first step (an unknown id to ask for).
    pub given: Vec<(String, String)>,
    /// Steps, run in order; a step whose inputs are missing stops the case.
    pub steps: Vec<Step>,
    /// Why the case cannot run with the given configuration, if it cannot
    /// (no token for the needed role, no value for a path parameter).
    pub ignored: Option<String>,
}

impl TestCase {
    /// Every collection the case reads or changes, by resource key: a
    /// case that removes a shared parent (the fixture's namespace) must
    /// not run while others use what is nested under it.
    pub fn touches(&self) -> Vec<String> {
        self.resources_of(|_| true)
    }

    /// Every collection the case adds items to or removes items from, its
    /// own included, by resource key.
    pub fn changes(&self) -> Vec<String> {
        self.resources_of(|s| s.request.method.is_write())
    }

    /// The collections in which the case changes an item it did not make
    /// itself (a configured or found id), by resource key: two such cases
    /// must not run at once, or one removes what the other just added.
    pub fn shared_writes(&self) -> Vec<String> {
        let made: Vec<&str> = self
            .steps
            .iter()
            .flat_map(|s| s.bind.iter().map(|b| b.var.as_str()))
            .chain(self.given.iter().map(|(v, _)| v.as_str()))
            .collect();
        let shared = |s: &Step| {
            matches!(
                s.request.method,
                Method::Put | Method::Patch | Method::Delete
            ) && s.item_id.as_deref().is_some_and(|id| !made.contains(&id))
        };
        let mut out = self.resources_of(shared);
        // Deleting a shared item removes what is nested under it too.
        out.extend(
            self.steps
                .iter()
                .filter(|s| s.request.method == Method::Delete && shared(s))
                .flat_map(|s| s.nested.iter().cloned()),
        );
        out.sort();
        out.dedup();
        out
    }

    /// The collections whose size the case compares with a count, by
    /// resource key. Such a case must not run while another case changes
    /// the same collection.
    pub fn counts(&self) -> Vec<String> {
        self.resources_of(|s| s.expect.claims.iter().any(Claim::compares))
    }

    fn resources_of(&self, pick: impl Fn(&Step) -> bool) -> Vec<String> {
        let mut out: Vec<String> = self
            .steps
            .iter()
            .filter(|s| pick(s))
            .map(|s| s.resource.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Which part of a case a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Prepares what the test needs (creates or discovers resources).
    Setup,
    /// The requests the case is about.
    Test,
}

/// One request and what its answer must show.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// A short name for output (`create`, `get after delete`).
    pub name: String,
    /// Setup or test.
    pub phase: Phase,
    /// The operation the request exercises.
    pub operation: OpRef,
    /// The key of the resource the operation acts on
    /// ([`crate::api::Resource::key`]): cases lock collections by it, so
    /// two paths of one collection (two API versions) are one lock.
    pub resource: String,
    /// The item id parameter of the request path, for item operations.
    pub item_id: Option<String>,
    /// The keys of the resources nested under the operation's resource:
    /// what deleting one of its items removes as well.
    pub nested: Vec<String>,
    /// The request to send.
    pub request: RequestTemplate,
    /// What the answer must show.
    pub expect: Expect,
    /// Values to take from the answer for later steps.
    pub bind: Vec<Bind>,
    /// Run the step only while this variable is still unbound: the second
    /// of two ways to obtain a value (discover, else create).
    pub unless_bound: Option<String>,
    /// When the answer is a success, the item it made must be deleted at
    /// the end of the case: this is the item path to delete.
    pub creates: Option<Creates>,
    /// Send the step more than once: page by page, or once per id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
}

impl Step {
    /// A step that sends operation `op` (at `doc`, `index`) as documented,
    /// with no body, no variables and nothing expected beyond what the
    /// docs say of every answer: what the validation proxy judges a
    /// forwarded exchange by, and the base of the checks' test steps.
    pub fn plain(name: &str, doc: usize, index: usize, op: &Operation) -> Step {
        Step {
            name: name.into(),
            phase: Phase::Test,
            operation: OpRef {
                doc,
                op: index,
                id: op.id.clone(),
            },
            resource: op.path.shape_key(),
            item_id: op.path.last_param().map(str::to_string),
            nested: Vec::new(),
            request: RequestTemplate {
                method: op.method,
                path: op.path.clone(),
                query: Vec::new(),
                body: None,
                body_vars: Vec::new(),
                auth: Auth::Default,
            },
            expect: Expect::default(),
            bind: Vec::new(),
            unless_bound: None,
            creates: None,
            repeat: None,
        }
    }
}

/// How a step is sent more than once.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "repeat")]
pub enum Repeat {
    /// Walks a list page by page with `skip` and `count`, pages about a
    /// third of the length held in `sized_by` long (so that a walk takes
    /// several pages), until a short page or `cap` pages; binds `into` to
    /// the JSON array of the ids met, in order, repeats included, and
    /// `into` + [`CAPPED`] when the cap stopped the walk.
    Pages {
        /// The skip parameter's name.
        skip: String,
        /// The count parameter's name.
        count: String,
        /// Variable holding the list's length.
        sized_by: String,
        /// Pages walked at most.
        cap: usize,
        /// Variable bound to the ids met.
        into: String,
    },
    /// Sends this step and the `len - 1` steps after it once for each id
    /// of the JSON array held in `var` (the first `cap` of them), with
    /// `param` bound to the id.
    Each {
        /// Variable holding the ids.
        var: String,
        /// The path parameter each id fills.
        param: String,
        /// Steps in the group, this one included.
        len: usize,
        /// Ids visited at most.
        cap: usize,
        /// A variable holding one more id to visit (an item the case
        /// made), when bound.
        with: Option<String>,
    },
}

/// The suffix of the variable saying a page walk stopped at its cap.
pub const CAPPED: &str = "Capped";

/// How to delete what a step created.
#[derive(Debug, Clone, Serialize)]
pub struct Creates {
    /// The item path template (`/Roles/{roleId}`).
    pub item_path: PathTemplate,
    /// The variable holding the new item's id; bound from the answer's `Id`
    /// when the step does not bind it itself.
    pub id_var: String,
    /// The delete operation.
    pub delete: OpRef,
}

/// Which credentials a request carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "roles")]
pub enum Auth {
    /// The main token, taken to hold every role.
    Default,
    /// No `Authorization` header.
    None,
    /// A bearer token the server cannot have issued.
    Malformed,
    /// The configured token holding exactly these roles.
    Role(Vec<String>),
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Body {
    /// A JSON document.
    Json(Value),
    /// Raw text sent as `application/json` (for malformed-JSON cases).
    Raw(String),
}

/// A request with `{name}` placeholders filled from the case's variables.
#[derive(Debug, Clone, Serialize)]
pub struct RequestTemplate {
    /// The HTTP method.
    pub method: Method,
    /// The documented path template.
    pub path: PathTemplate,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// Members of a JSON body set from variables at run time
    /// (`/TenantId` ← `tenantId`), as (JSON pointer, variable).
    pub body_vars: Vec<(String, String)>,
    /// Credentials.
    pub auth: Auth,
}

/// What the answer to a step must show.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Expect {
    /// The statuses the case expects; empty where the docs name none for
    /// this input, so only documentation checks judge the answer.
    pub status: Vec<u16>,
    /// Stateful claims the answer must satisfy.
    pub claims: Vec<Claim>,
}

/// A stateful promise an answer must keep, judged by the check of the same
/// subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "claim")]
pub enum Claim {
    /// The body is the item whose id is in `var` (`created_retrievable`).
    Retrievable {
        /// Variable holding the id.
        var: String,
    },
    /// The body's members equal these values (`update_persisted`).
    Persisted {
        /// The members that were sent in the update.
        members: serde_json::Map<String, Value>,
    },
    /// The item is gone: the answer is not a success (`delete_removes`).
    Gone,
    /// The read after the same update sent again shows `members` as the
    /// read after the first did, held as JSON text in `var`
    /// (`put_idempotent`).
    Repeated {
        /// Variable holding the read after the first update.
        var: String,
        /// The members the update sends that the read shows.
        members: Vec<String>,
    },
    /// The read after an update the server refused (a 4xx, its status held
    /// in `refused`) shows `members` as the read before it did, held as
    /// JSON text in `var` (`rejected_update_unchanged`).
    Unchanged {
        /// Variable holding the read before the refused update.
        var: String,
        /// Variable holding the refused update's status.
        refused: String,
        /// The members the refused update sends that the read shows.
        members: Vec<String>,
    },
    /// A second delete of the item answers what the docs give for an id
    /// naming nothing, the step's expected statuses (`delete_idempotent`).
    DeletedAgain,
    /// The list no longer holds the item in `var` (`delete_removes`).
    NotListed {
        /// Variable holding the id.
        var: String,
    },
    /// The list holds the item in `var` (`list_contains_created`).
    Listed {
        /// Variable holding the id.
        var: String,
    },
    /// The list has at most this many items (`paging`).
    AtMost {
        /// The limit.
        items: usize,
    },
    /// The count header equals the number held in `var` (`count_header`).
    CountEquals {
        /// Variable holding the list length.
        var: String,
    },
    /// A request without valid credentials is refused (`auth_required`).
    Unauthenticated,
    /// A request with a token lacking the allowed roles is refused
    /// (`role_enforced`).
    Forbidden,
    /// A path id that a 404 or 403 row names, given a value naming
    /// nothing, is not served (`unknown_id_refused`).
    Unknown {
        /// The path parameter made unknown.
        param: String,
    },
    /// A body breaking one input rule with one member is refused
    /// (`input_rejected`).
    Rejected {
        /// The member.
        member: String,
        /// The rule it breaks.
        rule: String,
    },
    /// A request with a token holding this allowed role is served
    /// (`role_allowed`).
    Allowed {
        /// The allowed role the token holds.
        role: String,
    },
    /// A create's success answer carries the new item's id at this JSON
    /// pointer (`created_addressable`).
    Addressable {
        /// Where the id is (`/Id`, `/Client/Id`).
        pointer: String,
    },
    /// The body agrees with the create answer held (as JSON text) in
    /// `var` on every member both carry (`created_addressable`).
    SameAs {
        /// Variable holding the create answer's item.
        var: String,
    },
    /// The page walk bound to `walked` holds each id once and the same ids
    /// as the whole list bound to `listed`, the created item in `created`
    /// among them (`list_complete`).
    Complete {
        /// Variable holding the whole list's ids.
        listed: String,
        /// Variable holding the walk's ids.
        walked: String,
        /// Variable holding the id of the item the case created.
        created: String,
    },
    /// A listed item can be read by its id (`list_complete`).
    Readable {
        /// Variable holding the id.
        var: String,
    },
    /// The list holds no item; a count says 0 (`empty_children`).
    Empty,
    /// The collection is there: it answers its documented success, its
    /// items unclaimed (`empty_children`, where the server may fill it).
    Present,
    /// The answer for a missing item, compared with the status in `var`
    /// that the same token got for an existing one
    /// (`existence_disclosed`, an advisory).
    Indistinguishable {
        /// Variable holding the status for the existing item.
        var: String,
    },
    /// The list holds every item that `member` of the item read earlier
    /// (held as JSON text in `var`) refers to; with `same_items`, the
    /// member is an array of items holding exactly the listed ones
    /// (`reference_resolves`).
    Resolves {
        /// Variable holding the item that refers.
        var: String,
        /// The referring member (`MemberRoleId`, `RoleIds`, `CommunityRoles`).
        member: String,
        /// Whether the member holds the items themselves, as the list does.
        same_items: bool,
    },
}

impl Claim {
    /// The variable of an earlier read that the claim compares the answer
    /// with: the engine reads it again after the answer (a bracket), so
    /// that a writer outside the run cannot pass for a broken server.
    pub fn compared(&self) -> Option<&str> {
        match self {
            Claim::CountEquals { var } => Some(var),
            Claim::Complete { listed, .. } => Some(listed),
            _ => None,
        }
    }

    /// Whether the claim compares a collection with an earlier read of
    /// it: the case then holds that collection alone.
    pub fn compares(&self) -> bool {
        self.compared().is_some() || matches!(self, Claim::Empty)
    }
}

/// A value to take from an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bind {
    /// The variable to set.
    pub var: String,
    /// Where to find its value.
    pub from: Extract,
}

/// Where in an answer a bound value is found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from", content = "arg")]
pub enum Extract {
    /// The `Id` member of the body object.
    Id,
    /// The id at this JSON pointer of the body (`/Client/Id`), where a
    /// create answers with a wrapper around the new item.
    IdAt(String),
    /// The `Id` of the first item of a list body (an array, or an object's
    /// single array member such as `Results`) that the suite did not make:
    /// no string member starts with this prefix. Items the suite made may
    /// vanish under another case at any moment.
    ExistingItemId(String),
    /// The number of items of a list body.
    ItemCount,
    /// The ids of a list body's items, sorted, as a JSON array.
    ItemIds,
    /// The ids of a list body's items that the suite did not make (no
    /// string member starts with this prefix), sorted, as a JSON array.
    ExistingItemIds(String),
    /// The JSON value at this pointer of the body (empty: the whole body),
    /// as JSON text.
    Json(String),
    /// The status of the answer, success or not.
    Status,
}
