//! Turns a block stream into a [`Contract`]: one state machine for both
//! dialects, then whole-document passes (row repair, parameters, examples,
//! references, duplicates).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::blocks::{
    is_identifier, normalize_ws, parse_bare, parse_decl, strip_optional, Block, BlockKind,
    RawParam, Row, Section,
};
use super::diagnostic::{Code, Diagnostic};
use super::model::{
    Contract, Definition, DefinitionKind, Dialect, EnumValue, Method, Operation, Param, Property,
    RequestBody, Response, TypeRef,
};
use super::path::PathTemplate;
use super::request;

/// An operation as its blocks arrive.
#[derive(Default)]
struct OpDraft {
    summary: String,
    line: usize,
    /// The heading level; deeper headings that own no request are its
    /// subsections.
    level: u8,
    anchor: Option<String>,
    tag: Option<String>,
    description: Vec<String>,
    /// Request fences (line of the first content line, text), in order.
    requests: Vec<(usize, String)>,
    params: Vec<RawParam>,
    body: Option<BodyDraft>,
    table: Option<(usize, Vec<Row>)>,
    examples: Vec<ExampleDraft>,
    label: Option<(usize, String)>,
    roles: Option<(usize, Vec<String>)>,
    /// Statuses of `HTTP/1.1 NNN` lines in example fences, with their line.
    http_statuses: Vec<(usize, u16)>,
    /// Prose of the Response section, where statuses may be stated.
    response_prose: Vec<(usize, String)>,
}

#[derive(Default)]
struct BodyDraft {
    line: usize,
    description: Vec<String>,
    example: Option<Value>,
}

struct ExampleDraft {
    line: usize,
    status: u16,
    label_type: Option<String>,
    value: Value,
}

/// A definition as its blocks arrive.
#[derive(Default)]
struct DefDraft {
    name: String,
    line: usize,
    description: Vec<String>,
    properties: Option<(usize, Vec<Row>)>,
    values: Option<(usize, Vec<Row>, bool)>,
    example: Option<Value>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Preamble,
    /// Under a heading that documents no operation: prose, skipped.
    Prose,
    Op,
    Definitions {
        level: u8,
    },
}

struct Assembler<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
    mode: Mode,
    section: Option<Section>,
    title: Option<String>,
    version: Option<String>,
    heading_title: Option<String>,
    tag: Option<String>,
    description: Vec<String>,
    /// Per block: whether it is a heading that owns a request (or an
    /// `opId` anchor), and so starts an operation.
    owners: Vec<bool>,
    op: Option<OpDraft>,
    ops: Vec<OpDraft>,
    def: Option<DefDraft>,
    defs: Vec<DefDraft>,
}

/// Builds the contract of one document from its blocks.
pub(crate) fn assemble(
    source: &str,
    dialect: Dialect,
    blocks: Vec<Block>,
    reader_diags: Vec<Diagnostic>,
) -> Contract {
    let mut a = Assembler {
        file: source,
        diags: reader_diags,
        mode: Mode::Preamble,
        section: None,
        title: None,
        version: None,
        heading_title: None,
        tag: None,
        description: Vec::new(),
        owners: Vec::new(),
        op: None,
        ops: Vec::new(),
        def: None,
        defs: Vec::new(),
    };
    a.owners = operation_headings(&blocks);
    for (i, block) in blocks.into_iter().enumerate() {
        let owns = a.owners[i];
        a.block(block, owns);
    }
    a.finish_op();
    a.finish_def();
    a.build(source, dialect)
}

/// Which headings start operations: those that own a request (a `Request`
/// section or a request fence, directly or through section headings) or
/// are followed by an `opId` anchor. A heading with neither is prose, or
/// a subsection of the operation above it. One pass with a stack of open
/// headings.
fn operation_headings(blocks: &[Block]) -> Vec<bool> {
    let mut owns = vec![false; blocks.len()];
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut section = None;
    for (i, block) in blocks.iter().enumerate() {
        match &block.kind {
            BlockKind::Heading { level, text } => {
                section = Section::from_heading_loosely(text);
                match section {
                    Some(Section::Definitions) => stack.clear(),
                    Some(Section::Request) => {
                        if let Some(&(_, h)) = stack.last() {
                            owns[h] = true;
                        }
                    }
                    Some(_) => {}
                    None => {
                        while stack.last().is_some_and(|(l, _)| l >= level) {
                            stack.pop();
                        }
                        stack.push((*level, i));
                    }
                }
            }
            // Example requests show values for a request documented above.
            BlockKind::Code { .. } if section == Some(Section::ExampleRequest) => {}
            BlockKind::Anchor(id) if id.starts_with("opId") => {
                if let Some(BlockKind::Heading { .. }) = i.checked_sub(1).map(|p| &blocks[p].kind) {
                    owns[i - 1] = true;
                }
            }
            BlockKind::Code { text, .. } if request::starts_with_request(text) => {
                if let Some(&(_, h)) = stack.last() {
                    owns[h] = true;
                }
            }
            _ => {}
        }
    }
    owns
}

/// Parses a JSON example, reporting errors at their line in the document.
/// Trailing commas and comments are removed, with a warning saying so.
fn parse_json(text: &str, line: usize, file: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    match serde_json::from_str(text) {
        Ok(v) => Some(v),
        Err(e) if elided(text) => {
            let at = line + e.line().saturating_sub(1);
            diags.push(Diagnostic::new(
                Code::ElidedExample,
                file,
                at,
                "example body leaves content out with `...`; it is not read",
            ));
            None
        }
        Err(e) => {
            if let Some((fixed, what)) = request::repair_json(text) {
                if let Ok(v) = serde_json::from_str(&fixed) {
                    diags.push(Diagnostic::new(
                        Code::JsonRepaired,
                        file,
                        line,
                        format!("example body is not valid JSON; removed {what} to read it"),
                    ));
                    return Some(v);
                }
            }
            let at = line + e.line().saturating_sub(1);
            diags.push(Diagnostic::new(
                Code::InvalidJson,
                file,
                at,
                format!("example body is not valid JSON: {e}"),
            ));
            None
        }
    }
}

/// Whether an example elides part of itself: a `...` or `…` outside any
/// string, where a value or member should be.
fn elided(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'.' if bytes[i..].starts_with(b"...") => return true,
            // U+2026 HORIZONTAL ELLIPSIS, compared as bytes: `i` may sit
            // inside another multi-byte character.
            0xE2 if bytes[i..].starts_with("\u{2026}".as_bytes()) => return true,
            _ => {}
        }
    }
    false
}

fn joined(parts: &[String]) -> Option<String> {
    let text = parts.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

impl Assembler<'_> {
    fn diag(&mut self, code: Code, line: usize, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(code, self.file, line, message));
    }

    fn block(&mut self, Block { line, kind }: Block, owns: bool) {
        match kind {
            BlockKind::FrontMatter(text) => self.front_matter(&text),
            BlockKind::Heading { level, text } => self.heading(level, text, line, owns),
            BlockKind::Anchor(id) => {
                if let (Some(op), Some(id)) = (&mut self.op, id.strip_prefix("opId")) {
                    op.anchor.get_or_insert_with(|| id.to_string());
                }
            }
            BlockKind::Text(text) => self.text(text, line),
            BlockKind::Code { lang, text } => self.code(&lang, &text, line),
            BlockKind::Table { header, rows } => self.table(header, rows, line),
            BlockKind::Label(text) => self.label(&text, line),
            BlockKind::Items(items) => self.items(items, line),
            BlockKind::Params(params) => match (&mut self.op, self.section) {
                (Some(op), Some(Section::Parameters) | Some(Section::Request) | None) => {
                    op.params.extend(params)
                }
                _ if self.mode == Mode::Prose => {}
                _ => self.diag(
                    Code::StrayContent,
                    line,
                    "parameter declarations outside a Parameters section",
                ),
            },
        }
    }

    fn front_matter(&mut self, text: &str) {
        for l in text.lines() {
            let Some(value) = l.trim().strip_prefix("title:") else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']);
            if value.is_empty() {
                continue;
            }
            match value.rsplit_once(' ') {
                Some((name, v))
                    if v.starts_with('v') && v[1..].starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    self.title = Some(name.trim().to_string());
                    self.version = Some(v.to_string());
                }
                _ => self.title = Some(value.to_string()),
            }
        }
    }

    fn heading(&mut self, level: u8, text: String, line: usize, owns: bool) {
        if let Some(section) = Section::from_heading_loosely(&text) {
            if section == Section::Definitions {
                self.finish_op();
                self.finish_def();
                self.mode = Mode::Definitions { level };
                self.section = None;
                return;
            }
            let in_place = match self.mode {
                Mode::Op => self.op.is_some(),
                Mode::Definitions { .. } => self.def.is_some(),
                Mode::Preamble => false,
                // Prose may have sections of its own; they are skipped too.
                Mode::Prose => true,
            };
            if !in_place {
                self.diag(
                    Code::StraySection,
                    line,
                    format!("section `{text}` outside an operation or definition"),
                );
            }
            self.section = Some(section);
            return;
        }
        if let Mode::Definitions { level: defs_level } = self.mode {
            if level > defs_level {
                self.finish_def();
                self.def = Some(DefDraft {
                    name: text,
                    line,
                    ..DefDraft::default()
                });
                self.section = None;
                return;
            }
        }
        if level == 1 {
            self.finish_op();
            self.finish_def();
            self.heading_title.get_or_insert_with(|| text.clone());
            self.tag = Some(text);
            self.mode = Mode::Preamble;
            self.section = None;
            return;
        }
        let inside_op = self.op.as_ref().is_some_and(|op| level > op.level);
        if !owns && inside_op {
            self.diag(
                Code::StraySection,
                line,
                format!("unknown section `{text}` inside an operation; skipped"),
            );
            self.section = None;
            return;
        }
        self.finish_op();
        self.finish_def();
        self.section = None;
        // A heading that owns no request and has no `opId` anchor is prose
        // (an overview, a note, a type's description), not an operation.
        if !owns {
            self.diag(
                Code::ProseSection,
                line,
                format!("`{}` documents no request; read as prose", short(&text)),
            );
            self.mode = Mode::Prose;
            return;
        }
        self.mode = Mode::Op;
        self.op = Some(OpDraft {
            summary: text,
            line,
            level,
            tag: self.tag.clone(),
            ..OpDraft::default()
        });
    }

    fn text(&mut self, text: String, line: usize) {
        match (self.mode, self.section) {
            (Mode::Preamble, _) => self.description.push(text),
            (Mode::Prose, _) => {}
            (Mode::Op, Some(Section::Response)) => {
                if let Some(op) = &mut self.op {
                    op.response_prose.push((line, text));
                }
            }
            (Mode::Op, Some(Section::Headers | Section::ExampleRequest | Section::Examples)) => {}
            (Mode::Op, None) => {
                if let Some(op) = &mut self.op {
                    op.description.push(text);
                }
            }
            (Mode::Op, Some(Section::RequestBody)) => {
                if let Some(op) = &mut self.op {
                    op.body
                        .get_or_insert_with(|| BodyDraft {
                            line,
                            ..BodyDraft::default()
                        })
                        .description
                        .push(text);
                }
            }
            (Mode::Op, Some(Section::Authorization)) if text.starts_with("Allowed for") => {}
            (Mode::Definitions { .. }, None) => {
                if let Some(def) = &mut self.def {
                    def.description.push(text);
                }
            }
            (Mode::Op, Some(Section::Parameters)) if text.trim().is_empty() => {}
            _ => self.diag(
                Code::StrayContent,
                line,
                format!("skipped text `{}`", short(&text)),
            ),
        }
    }

    fn code(&mut self, lang: &str, text: &str, line: usize) {
        let Some(op) = (match self.mode {
            Mode::Op => self.op.as_mut(),
            _ => None,
        }) else {
            if self.mode == Mode::Prose {
                return;
            }
            if let (Mode::Definitions { .. }, Some(def)) = (self.mode, self.def.as_mut()) {
                if lang == "json" || lang.is_empty() {
                    let value = parse_json(text, line, self.file, &mut self.diags);
                    def.example = def.example.take().or(value);
                    return;
                }
            }
            self.diag(
                Code::StrayContent,
                line,
                "code block outside an operation or definition",
            );
            return;
        };
        if self.section == Some(Section::ExampleRequest) {
            // Concrete values for the request above; not a template.
            return;
        }
        let is_request = request::starts_with_request(text)
            || (op.requests.is_empty()
                && (self.section == Some(Section::Request)
                    || (lang == "text" && self.section.is_none())));
        if is_request {
            op.requests.push((line, text.to_string()));
            return;
        }
        if let Some((status, body, at)) = request::http_example(text) {
            // "HTTP/1.1 200" and headers before the body: the status labels
            // the example, and says the operation answers it.
            op.http_statuses.push((line, status));
            // CSV and other non-JSON bodies show the format, not a value.
            if !body.trim_start().starts_with(['{', '[']) {
                op.label = None;
                return;
            }
            let value = parse_json(body, line + at, self.file, &mut self.diags);
            let label = op.label.take();
            if let Some(value) = value {
                let label_type = label.and_then(|(_, l)| parse_label(&l).1);
                op.examples.push(ExampleDraft {
                    line: line + at,
                    status,
                    label_type,
                    value,
                });
            }
            return;
        }
        match self.section {
            Some(Section::RequestBody) => {
                let value = parse_json(text, line, self.file, &mut self.diags);
                let body = op.body.get_or_insert_with(|| BodyDraft {
                    line,
                    ..BodyDraft::default()
                });
                body.example = body.example.take().or(value);
            }
            Some(Section::Examples) | Some(Section::Response)
                if lang == "json"
                    || lang.is_empty()
                    || text.trim_start().starts_with(['{', '[']) =>
            {
                let value = parse_json(text, line, self.file, &mut self.diags);
                match (op.label.take(), value) {
                    (Some((_, label)), Some(value)) => {
                        let (status, label_type) = parse_label(&label);
                        op.examples.push(ExampleDraft {
                            line,
                            status,
                            label_type,
                            value,
                        });
                    }
                    (None, Some(_)) => self.diag(
                        Code::OrphanExample,
                        line,
                        "example body without a `NNN Response` label",
                    ),
                    (_, None) => {}
                }
            }
            _ => self.diag(
                Code::StrayContent,
                line,
                "code block outside the sections that hold examples",
            ),
        }
    }

    fn table(&mut self, header: Vec<String>, rows: Vec<Row>, line: usize) {
        let header: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
        let h: Vec<&str> = header.iter().map(String::as_str).collect();
        if self.mode == Mode::Prose || self.section == Some(Section::Headers) {
            return;
        }
        if let Some(columns) = status_columns(&h) {
            match &mut self.op {
                Some(op) if op.table.is_none() => {
                    op.table = Some((line, status_rows(&h, columns, rows)))
                }
                Some(_) => self.diag(
                    Code::StrayContent,
                    line,
                    "second status table in one operation; skipped",
                ),
                None => self.diag(
                    Code::StrayContent,
                    line,
                    "status table outside an operation",
                ),
            }
            return;
        }
        if h.contains(&"header") && self.op.is_some() {
            // Response headers per status: nothing the contract models.
            return;
        }
        if let (Some(op), Some(params)) = (&mut self.op, param_rows(&h, &rows)) {
            op.params.extend(params);
            return;
        }
        match h.as_slice() {
            ["property name", "data type", "required", "nullable", "description", ..] => {
                match &mut self.def {
                    Some(def) => def.properties = Some((line, rows)),
                    None => self.diag(
                        Code::StrayContent,
                        line,
                        "property table outside a definition",
                    ),
                }
            }
            ["property", "value", rest @ ..] => match &mut self.def {
                Some(def) => def.values = Some((line, rows, rest.first() == Some(&"description"))),
                None => self.diag(
                    Code::StrayContent,
                    line,
                    "enumerated values outside a definition",
                ),
            },
            _ => self.diag(
                Code::UnknownTable,
                line,
                format!("table with header `{}` skipped", header.join(" | ")),
            ),
        }
    }

    fn label(&mut self, text: &str, line: usize) {
        match &mut self.op {
            Some(op) => op.label = Some((line, text.to_string())),
            None => self.diag(
                Code::OrphanExample,
                line,
                "example label outside an operation",
            ),
        }
    }

    fn items(&mut self, items: Vec<String>, line: usize) {
        match (&mut self.op, self.section) {
            (Some(op), Some(Section::Authorization)) => {
                op.roles.get_or_insert((line, Vec::new())).1.extend(items);
            }
            (Some(op), None) => op
                .description
                .extend(items.iter().map(|i| format!("- {i}"))),
            (None, _) if matches!(self.mode, Mode::Definitions { .. }) => {
                if let Some(def) = &mut self.def {
                    def.description
                        .extend(items.iter().map(|i| format!("- {i}")));
                }
            }
            (None, None) => self
                .description
                .extend(items.iter().map(|i| format!("- {i}"))),
            _ => self.diag(
                Code::StrayContent,
                line,
                "list outside an Authorization section",
            ),
        }
    }

    fn finish_op(&mut self) {
        if let Some(op) = self.op.take() {
            if op.label.is_some() {
                let (line, _) = op
                    .label
                    .as_ref()
                    .map(|(l, t)| (*l, t.clone()))
                    .unwrap_or_default();
                self.diag(
                    Code::OrphanExample,
                    line,
                    "example label with no example body after it",
                );
            }
            self.ops.push(op);
        }
    }

    fn finish_def(&mut self) {
        if let Some(def) = self.def.take() {
            self.defs.push(def);
        }
    }

    fn build(mut self, source: &str, dialect: Dialect) -> Contract {
        let def_drafts = std::mem::take(&mut self.defs);
        let op_drafts = std::mem::take(&mut self.ops);
        let examples = all_examples(&op_drafts, &def_drafts);
        let mut definitions: Vec<Definition> = Vec::new();
        let mut kept = Vec::new();
        let mut names: HashSet<String> = HashSet::new();
        for (i, draft) in def_drafts.iter().enumerate() {
            if !names.insert(draft.name.clone()) {
                self.diag(
                    Code::DuplicateDefinition,
                    draft.line,
                    format!(
                        "definition `{}` is defined twice; the second is ignored",
                        draft.name
                    ),
                );
                continue;
            }
            definitions.push(self.definition(draft, &examples));
            kept.push(i);
        }
        drop(examples);
        // The examples were only borrowed for row repair; move them in now.
        let mut drafts: Vec<Option<DefDraft>> = def_drafts.into_iter().map(Some).collect();
        for (def, i) in definitions.iter_mut().zip(kept) {
            def.example = drafts[i].take().and_then(|d| d.example);
        }
        let mut operations: Vec<Operation> = Vec::new();
        // Indexes, so that a document of many operations stays linear.
        let mut by_request: HashMap<(Method, String), usize> = HashMap::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut anchored_ops: Vec<bool> = Vec::new();
        for draft in op_drafts {
            let anchored = draft.anchor.is_some();
            for mut op in self.operation(draft) {
                let key = (op.method, op.path.as_str().to_string());
                if let Some(&prev) = by_request.get(&key) {
                    if !anchored && !anchored_ops[prev] {
                        // A hand-written walkthrough shows the same request
                        // again: what it answers there is answered too.
                        let msg = format!(
                            "`{} {}` is shown again after line {}; its statuses join that operation's",
                            op.method, op.path, operations[prev].line
                        );
                        self.diag(Code::RepeatedRequest, op.line, msg);
                        let first = &mut operations[prev];
                        for r in op.responses {
                            if first.response(r.status).is_none() {
                                first.responses.push(r);
                            }
                        }
                        continue;
                    }
                    let msg = format!(
                        "`{} {}` ({}) repeats the operation on line {}; the second is ignored",
                        op.method, op.path, op.id, operations[prev].line
                    );
                    self.diag(Code::DuplicateOperation, op.line, msg);
                    continue;
                }
                if let Some(&prev) = by_id.get(&op.id) {
                    // Ids must stay unique for lookups: qualify the later one.
                    if anchored {
                        let msg = format!(
                            "operation id `{}` is also used on line {}; this one becomes `{} ({} {})`",
                            op.id, operations[prev].line, op.id, op.method, op.path
                        );
                        self.diag(Code::DuplicateOperationId, op.line, msg);
                    }
                    op.id = format!("{} ({} {})", op.id, op.method, op.path);
                }
                by_request.insert(key, operations.len());
                by_id.entry(op.id.clone()).or_insert(operations.len());
                anchored_ops.push(anchored);
                operations.push(op);
            }
        }
        prefer_definitions(&mut operations, &mut definitions);
        infer_request_definitions(&mut operations, &definitions, self.file, &mut self.diags);
        check_references(&operations, &definitions, self.file, &mut self.diags);
        if operations.is_empty() {
            self.diag(Code::NoOperations, 1, "the document documents no operation");
        }
        let mut diagnostics = self.diags;
        diagnostics.sort_by_key(|d| d.line);
        Contract {
            source: source.to_string(),
            dialect,
            title: self.title.or(self.heading_title),
            version: self.version,
            description: joined(&self.description),
            operations,
            definitions,
            diagnostics,
        }
    }

    /// The operations of one draft: one per request line (a fence may hold
    /// several), sharing the draft's parameters, statuses and examples.
    fn operation(&mut self, op: OpDraft) -> Vec<Operation> {
        if op.requests.is_empty() {
            self.diag(
                Code::MissingRequest,
                op.line,
                format!(
                    "operation `{}` has no request line; it is left out",
                    op.summary
                ),
            );
            return Vec::new();
        }
        let mut requests: Vec<(usize, request::RequestLine)> = Vec::new();
        for (line, text) in &op.requests {
            let lines = request::request_lines(text);
            if lines.is_empty() {
                let first = text.lines().map(str::trim).find(|l| !l.is_empty());
                let first = first.unwrap_or("");
                let at = line + text.lines().position(|l| l.trim() == first).unwrap_or(0);
                self.diag(
                    Code::BadRequestLine,
                    at,
                    format!(
                        "`{}` is not `METHOD /path`; operation `{}` is left out",
                        short(first),
                        op.summary
                    ),
                );
                continue;
            }
            for r in lines {
                // A later fence repeating a request is an example of it.
                if requests
                    .iter()
                    .any(|(_, q)| q.method == r.method && q.path == r.path)
                {
                    continue;
                }
                let at = line + r.offset;
                if !r.repairs.is_empty() {
                    self.diag(
                        Code::RequestLineRepaired,
                        at,
                        format!("`{} {}`: {}", r.method, r.path, r.repairs.join(", ")),
                    );
                }
                requests.push((at, r));
            }
        }
        if requests.is_empty() {
            return Vec::new();
        }

        let mut declared: Vec<Param> = Vec::new();
        let mut declared_names: HashSet<String> = HashSet::new();
        for raw in &op.params {
            let (required, ty, name) = match parse_decl(&raw.decl) {
                Some((required, ty, name)) => (
                    required,
                    TypeRef::parse(ty).unwrap_or(TypeRef::Scalar("string".into())),
                    name,
                ),
                None => match parse_bare(&raw.decl) {
                    Some((required, name)) => {
                        self.diag(
                            Code::UntypedParam,
                            raw.line,
                            format!("parameter `{name}` has no type; taken as string"),
                        );
                        (required, TypeRef::Scalar("string".into()), name)
                    }
                    None => {
                        self.diag(
                            Code::BadParam,
                            raw.line,
                            format!("`{}` is not `[optional] type name`", raw.decl),
                        );
                        continue;
                    }
                },
            };
            if !declared_names.insert(name.to_string()) {
                self.diag(
                    Code::DuplicateParam,
                    raw.line,
                    format!("parameter `{name}` is declared twice"),
                );
                continue;
            }
            let description = (!raw.description.is_empty()).then(|| raw.description.clone());
            // Hand-written pages say it in words: "Optional value
            // specifying ...", "[Optional] ...".
            let required = required && !says_optional(&raw.description);
            declared.push(Param {
                name: name.to_string(),
                ty,
                required,
                description,
                line: raw.line,
            });
        }

        let responses = self.responses(&op);
        let roles = match op.roles {
            Some((line, roles)) if roles.is_empty() => {
                self.diag(
                    Code::EmptyRoles,
                    line,
                    "Authorization section lists no roles",
                );
                roles
            }
            Some((_, roles)) => roles,
            None => Vec::new(),
        };
        let id = op.anchor.unwrap_or_else(|| {
            let tag: String = op.tag.as_deref().unwrap_or("").split_whitespace().collect();
            format!("{tag}_{}", op.summary)
        });
        let request_body = op.body.map(|b| RequestBody {
            description: joined(&b.description),
            example: b.example,
            definition: None,
            line: b.line,
        });
        // A declaration any request's path or query uses is not stray.
        let used = |name: &str| {
            requests.iter().any(|(_, r)| {
                r.query.iter().any(|q| q.eq_ignore_ascii_case(name))
                    || PathTemplate::parse(&r.path)
                        .params()
                        .any(|p| p.eq_ignore_ascii_case(name))
            })
        };
        let stray: Vec<String> = declared
            .iter()
            .filter(|p| p.required && !used(&p.name))
            .map(|p| p.name.clone())
            .collect();
        for p in declared.iter().filter(|p| stray.contains(&p.name)) {
            self.diag(Code::ParamNotInPath, p.line, format!("required parameter `{}` is neither in the path nor in the query line; taken as a query parameter", p.name));
        }
        let mut out = Vec::with_capacity(requests.len());
        for (req_line, r) in requests {
            let template = PathTemplate::parse(&r.path);
            let path_names: Vec<String> = template.params().map(str::to_string).collect();
            let mut mine = declared.clone();
            let mut take = |name: &str| {
                mine.iter()
                    .position(|p| p.name == name)
                    .or_else(|| mine.iter().position(|p| p.name.eq_ignore_ascii_case(name)))
                    .map(|i| {
                        let mut p = mine.remove(i);
                        // The path's spelling is the one requests use.
                        p.name = name.to_string();
                        p
                    })
            };
            // Declared parameters bind to the names the request line gives;
            // names with no declaration are synthesized as strings.
            let mut bind = |names: &[String],
                            required: bool,
                            diags: &mut Vec<Diagnostic>|
             -> Vec<Param> {
                let mut out = Vec::new();
                for name in names {
                    if out.iter().any(|p: &Param| &p.name == name) {
                        continue;
                    }
                    if let Some(p) = take(name) {
                        out.push(p);
                        continue;
                    }
                    let (code, msg) = if required {
                        (Code::PathParamUndocumented, format!("path placeholder `{{{name}}}` has no parameter declaration; taken as a required string"))
                    } else {
                        (Code::QueryParamUndocumented, format!("query parameter `{name}` has no declaration; taken as an optional string"))
                    };
                    diags.push(Diagnostic::new(code, self.file, req_line, msg));
                    out.push(Param {
                        name: name.clone(),
                        ty: TypeRef::Scalar("string".into()),
                        required,
                        description: None,
                        line: req_line,
                    });
                }
                out
            };
            let path_params = bind(&path_names, true, &mut self.diags);
            let mut query_params = bind(&r.query, false, &mut self.diags);
            // Leftovers: optional ones are query parameters; required ones
            // another request of the draft uses belong to that one.
            query_params.extend(
                mine.into_iter()
                    .filter(|p| !p.required || stray.contains(&p.name)),
            );
            out.push(Operation {
                id: id.clone(),
                summary: op.summary.clone(),
                description: joined(&op.description),
                method: r.method,
                path: template,
                path_params,
                query_params,
                request_body: request_body.clone(),
                responses: responses.clone(),
                roles: roles.clone(),
                line: op.line,
            });
        }
        out
    }

    /// The draft's responses: its status table's rows, then statuses only
    /// its examples' `HTTP/1.1 NNN` lines (or, with no table, its response
    /// prose) state, marked inferred; then its examples, by status.
    fn responses(&mut self, op: &OpDraft) -> Vec<Response> {
        let mut responses: Vec<Response> = Vec::new();
        if let Some((_, rows)) = &op.table {
            for row in rows {
                if let Some(r) = self.response_row(row.clone()) {
                    if responses.iter().any(|x| x.status == r.status) {
                        self.diag(
                            Code::DuplicateStatus,
                            r.line,
                            format!(
                                "status {} is listed twice; the second row is ignored",
                                r.status
                            ),
                        );
                    } else {
                        responses.push(r);
                    }
                }
            }
        }
        let mut inferred: Vec<(usize, u16, &str)> = op
            .http_statuses
            .iter()
            .map(|&(line, status)| (line, status, "an example's status line"))
            .collect();
        if op.table.is_none() {
            for (line, text) in &op.response_prose {
                for status in request::prose_statuses(text) {
                    inferred.push((*line, status, "the response prose"));
                }
            }
        }
        for (line, status, from) in inferred {
            if responses.iter().any(|r| r.status == status) {
                continue;
            }
            let (code, msg) = if op.table.is_some() {
                (
                    Code::ExampleStatusUndocumented,
                    format!("status {status} is shown by {from} but the status table does not list it; added as inferred"),
                )
            } else {
                (
                    Code::InferredStatus,
                    format!("status {status} of `{}` is taken from {from}", op.summary),
                )
            };
            self.diag(code, line, msg);
            responses.push(Response {
                status,
                body: None,
                description: None,
                example: None,
                inferred: true,
                line,
            });
        }
        if op.table.is_none() && responses.is_empty() {
            self.diag(
                Code::MissingStatusTable,
                op.line,
                format!("operation `{}` has no response status table", op.summary),
            );
        }
        for ex in &op.examples {
            match responses.iter_mut().find(|r| r.status == ex.status) {
                Some(r) => {
                    if let (Some(label), Some(body)) = (&ex.label_type, &r.body) {
                        if TypeRef::parse(label).as_ref() != Some(body) {
                            self.diags.push(Diagnostic::new(Code::ExampleTypeMismatch, self.file, ex.line, format!("example labelled `{label}` under status {} whose body type is `{body}`", ex.status)));
                        }
                    }
                    if r.example.is_none() {
                        r.example = Some(ex.value.clone());
                    }
                }
                None => self.diag(
                    Code::ExampleStatusUndocumented,
                    ex.line,
                    format!(
                        "example for status {} which the status table does not list",
                        ex.status
                    ),
                ),
            }
        }
        responses
    }

    fn response_row(&mut self, mut row: Row) -> Option<Response> {
        let n = trimmed_cells(&row.cells).len();
        row.cells.truncate(n);
        let cells = &row.cells;
        let Some(status) = cells.first().and_then(|c| status_cell(c)) else {
            self.diag(
                Code::BadStatus,
                row.line,
                format!(
                    "`{}` is not an HTTP status code; row skipped",
                    cells.first().map(String::as_str).unwrap_or("")
                ),
            );
            return None;
        };
        if cells.len() < 3 {
            self.diag(
                Code::TableRowShort,
                row.line,
                format!(
                    "status {status} row has {} of 3 cells; missing cells taken as None",
                    cells.len()
                ),
            );
        }
        let body = match cells.get(1).map(String::as_str) {
            None | Some("") => None,
            Some(none) if none.eq_ignore_ascii_case("none") => None,
            Some(text) => match TypeRef::parse(text) {
                Some(t) => Some(t),
                None => {
                    self.diag(
                        Code::BadType,
                        row.line,
                        format!("`{}` is not a body type; taken as None", short(text)),
                    );
                    None
                }
            },
        };
        let description = match n {
            0..=2 => None,
            3 => Some(std::mem::take(&mut row.cells[2])),
            _ => Some(row.cells[2..].join(" | ")),
        }
        .filter(|d| !d.is_empty() && d != "None");
        Some(Response {
            status,
            body,
            description,
            example: None,
            inferred: false,
            line: row.line,
        })
    }

    fn definition(&mut self, draft: &DefDraft, examples: &[&Value]) -> Definition {
        let kind = if let Some((_, rows, described)) = &draft.values {
            let mut values = Vec::new();
            for row in rows {
                let cells = trimmed_cells(&row.cells);
                let (name, value, description) = match cells {
                    [] => continue,
                    [only] => {
                        self.diag(
                            Code::TableRowRepaired,
                            row.line,
                            format!(
                                "`{}` value row has one cell; value taken to be the name `{only}`",
                                draft.name
                            ),
                        );
                        (only.clone(), only.clone(), None)
                    }
                    [name, value] => (name.clone(), value.clone(), None),
                    [name, value, rest @ ..] => {
                        if !*described {
                            self.diag(
                                Code::TableRowLong,
                                row.line,
                                format!(
                                    "`{}` value row has {} cells, expected 2",
                                    draft.name,
                                    cells.len()
                                ),
                            );
                        }
                        let description =
                            Some(rest.join(" | ")).filter(|d| *described && !d.is_empty());
                        (name.clone(), value.clone(), description)
                    }
                };
                let value = value
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(Value::String(value));
                values.push(EnumValue {
                    name,
                    value,
                    description,
                    line: row.line,
                });
            }
            DefinitionKind::Enum { values }
        } else if let Some((_, rows)) = &draft.properties {
            let properties = self.properties(&draft.name, rows, draft.example.as_ref(), examples);
            DefinitionKind::Object { properties }
        } else {
            self.diag(
                Code::EmptyDefinition,
                draft.line,
                format!(
                    "definition `{}` has neither properties nor enumerated values",
                    draft.name
                ),
            );
            DefinitionKind::Object {
                properties: Vec::new(),
            }
        };
        Definition {
            name: draft.name.clone(),
            description: joined(&draft.description),
            kind,
            example: None,
            line: draft.line,
        }
    }

    /// Reads property rows, repairing rows that lost cells: the Required and
    /// Nullable booleans anchor the row; a lost name is the example member
    /// the table does not list (between its neighbours); a lost type is read
    /// off that member's example value.
    fn properties(
        &mut self,
        def: &str,
        rows: &[Row],
        own: Option<&Value>,
        examples: &[&Value],
    ) -> Vec<Property> {
        // The names of intact rows, needed only to place a row that lost its name.
        // Computed once, on the first damaged row, so that a long table
        // with many damaged rows stays linear.
        let mut listed_once: Option<(Vec<Option<&str>>, HashSet<&str>)> = None;
        let listed = || -> Vec<Option<&str>> {
            rows.iter()
                .map(|r| {
                    let c = trimmed_cells(&r.cells);
                    (bool_pair_at(c) == Some(2)).then(|| c[0].as_str())
                })
                .collect()
        };
        let mut props: Vec<Property> = Vec::new();
        let mut prop_names: HashSet<String> = HashSet::new();
        for (i, row) in rows.iter().enumerate() {
            let cells = trimmed_cells(&row.cells);
            let at = match bool_pair_at(cells) {
                Some(at) => at,
                // A full row whose Required/Nullable cells say something else.
                None if cells.len() >= 5 => {
                    let msg = format!(
                        "`{def}` property `{}`: Required `{}` / Nullable `{}` are not true/false; taken as false",
                        cells[0], cells[2], cells[3]
                    );
                    self.diag(Code::BadBool, row.line, msg);
                    2
                }
                None => {
                    self.diag(
                        Code::TableRowShort,
                        row.line,
                        format!(
                            "`{def}` property row `{}` has no Required/Nullable cells; skipped",
                            short(&cells.join(" | "))
                        ),
                    );
                    continue;
                }
            };
            if at > 2 {
                self.diag(
                    Code::TableRowLong,
                    row.line,
                    format!(
                        "`{def}` property row has {at} cells before Required; extra cells ignored"
                    ),
                );
            }
            let required = cells[at] == "true";
            let nullable = cells[at + 1] == "true";
            let description = Some(cells[at + 2..].join(" | ")).filter(|d| !d.is_empty());
            let (name, ty_text) = match at {
                0 => {
                    let (listed, taken) = listed_once.get_or_insert_with(|| {
                        let listed = listed();
                        let taken = listed.iter().flatten().copied().collect();
                        (listed, taken)
                    });
                    let prev = listed[..i].iter().rev().flatten().next().copied();
                    let next = listed[i + 1..].iter().flatten().next().copied();
                    let Some((name, value)) = lost_member(own, examples, taken, prev, next) else {
                        self.diag(Code::TableRowShort, row.line, format!("`{def}` property row lost its name and type and no example shows which member it is; skipped"));
                        continue;
                    };
                    let Some(ty) = type_of_example(&value) else {
                        self.diag(Code::TableRowShort, row.line, format!("`{def}` property row lost its name and type; `{name}` fits but its example value says no type; skipped"));
                        continue;
                    };
                    self.diag(Code::TableRowRepaired, row.line, format!("`{def}` property row lost its name and type: inferred name `{name}` from the example's members and type `{ty}` from its example value {value}"));
                    (name, ty)
                }
                1 => {
                    let name = cells[0].clone();
                    let value = own
                        .and_then(|v| v.get(&name))
                        .or_else(|| examples.iter().find_map(|e| find_member(e, &name)));
                    let Some((ty, value)) = value.and_then(|v| type_of_example(v).map(|t| (t, v)))
                    else {
                        self.diag(Code::TableRowShort, row.line, format!("`{def}` property `{name}` lost its type and no example shows it; taken as string"));
                        prop_names.insert(name.clone());
                        props.push(Property {
                            name,
                            ty: TypeRef::Scalar("string".into()),
                            required,
                            nullable,
                            description,
                            line: row.line,
                        });
                        continue;
                    };
                    self.diag(Code::TableRowRepaired, row.line, format!("`{def}` property `{name}` lost its type: inferred `{ty}` from its example value {value}"));
                    (name, ty)
                }
                _ => (cells[0].clone(), cells[1].clone()),
            };
            let Some(ty) = TypeRef::parse(&ty_text) else {
                self.diag(
                    Code::BadType,
                    row.line,
                    format!(
                        "`{}` is not a type; property `{name}` taken as string",
                        short(&ty_text)
                    ),
                );
                prop_names.insert(name.clone());
                props.push(Property {
                    name,
                    ty: TypeRef::Scalar("string".into()),
                    required,
                    nullable,
                    description,
                    line: row.line,
                });
                continue;
            };
            if !prop_names.insert(name.clone()) {
                self.diag(
                    Code::DuplicateProperty,
                    row.line,
                    format!("`{def}` lists property `{name}` twice; the second row is ignored"),
                );
                continue;
            }
            props.push(Property {
                name,
                ty,
                required,
                nullable,
                description,
                line: row.line,
            });
        }
        props
    }
}

/// The status of a status cell: `200`, or `200 OK` with its reason.
fn status_cell(cell: &str) -> Option<u16> {
    let code = cell.split_whitespace().next()?;
    code.parse::<u16>()
        .ok()
        .filter(|s| code.len() == 3 && (100..600).contains(s))
}

/// Columns of a status table, in any order and any case: (status, body
/// type, description). A table with a `header` column lists response
/// headers, not statuses.
fn status_columns(h: &[&str]) -> Option<(usize, Option<usize>, Option<usize>)> {
    let find = |names: &[&str]| h.iter().position(|c| names.contains(c));
    let status = find(&[
        "status code",
        "status",
        "http status",
        "http status code",
        "code",
    ])?;
    let body = find(&[
        "body type",
        "response type",
        "type",
        "response body",
        "body",
        "return type",
    ]);
    let description = find(&["description", "details"]);
    (body.is_some() || description.is_some())
        .then_some((status, body, description))
        .filter(|_| !h.contains(&"header"))
}

/// Status rows in the canonical order (status, body type, description, and
/// any further cells). A row that is no status but continues the cell of
/// the row above (a multi-line cell) joins that row's description.
fn status_rows(
    h: &[&str],
    (status, body, description): (usize, Option<usize>, Option<usize>),
    rows: Vec<Row>,
) -> Vec<Row> {
    let canonical = status == 0 && body == Some(1) && description == Some(2);
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        let starts_with_status = row.cells.get(status).is_some_and(|c| {
            c.get(..3)
                .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
        });
        // GFM pads a short row with empty cells, so a continuation line
        // shows as a row whose status cell is empty.
        let status_empty = row.cells.get(status).is_none_or(|c| c.is_empty());
        if !starts_with_status && (status_empty || row.cells.len() < h.len()) {
            if let Some(prev) = out.last_mut() {
                let text = normalize_ws(&row.cells.join(" "));
                if let Some(d) = prev.cells.get_mut(2) {
                    if !text.is_empty() {
                        d.push(' ');
                        d.push_str(&text);
                    }
                    continue;
                }
            }
        }
        if canonical {
            out.push(row);
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        out.push(Row {
            line: row.line,
            cells: vec![cell(Some(status)), cell(body), cell(description)],
        });
    }
    out
}

/// A parameter table (`Parameter | Type | Required | Description`, any
/// order) as declarations. `None` when the header is not one.
fn param_rows(h: &[&str], rows: &[Row]) -> Option<Vec<RawParam>> {
    let find = |names: &[&str]| h.iter().position(|c| names.contains(c));
    let name = find(&["parameter", "parameter name", "name"])?;
    let ty = find(&["type", "data type"]);
    let description = find(&["description", "details"]);
    let required = find(&["required", "optional", "optionality", "required?"]);
    ty.or(description)?;
    let out = rows
        .iter()
        .filter_map(|row| {
            let cell = |i: Option<usize>| {
                i.and_then(|i| row.cells.get(i))
                    .map(String::as_str)
                    .unwrap_or("")
            };
            let raw = cell(Some(name));
            let (marked_optional, name) = match strip_optional(raw) {
                Some(rest) => (true, rest.trim()),
                None => (false, raw),
            };
            if !is_identifier(name) {
                return None;
            }
            let req = cell(required).to_ascii_lowercase();
            let optional = marked_optional
                || matches!(req.as_str(), "false" | "no" | "optional")
                || (required.is_some_and(|r| h[r] == "optional")
                    && matches!(req.as_str(), "yes" | "true"));
            let ty = cell(ty).trim_matches('`');
            let decl = format!(
                "{}{}{name}",
                if optional { "[optional] " } else { "" },
                if ty.is_empty() {
                    String::new()
                } else {
                    format!("{} ", ty)
                }
            );
            Some(RawParam {
                line: row.line,
                decl,
                description: cell(description).to_string(),
            })
        })
        .collect();
    Some(out)
}

/// Cells with trailing empty cells removed (a scraper's `| ||` debris).
/// Both readers hand over cells already trimmed.
fn trimmed_cells(cells: &[String]) -> &[String] {
    let mut n = cells.len();
    while n > 1 && cells[n - 1].is_empty() {
        n -= 1;
    }
    &cells[..n]
}

/// Index of the first pair of adjacent `true`/`false` cells.
fn bool_pair_at(cells: &[String]) -> Option<usize> {
    let is_bool = |s: &str| s == "true" || s == "false";
    (0..cells.len().saturating_sub(1)).find(|&i| is_bool(&cells[i]) && is_bool(&cells[i + 1]))
}

/// The example member a damaged row must be: one not in the table, placed
/// between the row's neighbours in the example's member order.
fn lost_member(
    own: Option<&Value>,
    examples: &[&Value],
    taken: &HashSet<&str>,
    prev: Option<&str>,
    next: Option<&str>,
) -> Option<(String, Value)> {
    let anchor = prev.or(next)?;
    let candidates = own
        .into_iter()
        .chain(examples.iter().filter_map(|e| find_object_with(e, anchor)));
    for obj in candidates {
        let Some(map) = obj.as_object() else { continue };
        let keys: Vec<&String> = map.keys().collect();
        let lo = prev
            .and_then(|p| keys.iter().position(|k| *k == p))
            .map(|i| i + 1)
            .unwrap_or(0);
        let hi = next
            .and_then(|n| keys.iter().position(|k| *k == n))
            .unwrap_or(keys.len());
        let fits: Vec<&&String> = keys
            .get(lo..hi)
            .unwrap_or(&[])
            .iter()
            .filter(|k| !taken.contains(k.as_str()))
            .collect();
        if let [only] = fits.as_slice() {
            return Some(((**only).clone(), map[only.as_str()].clone()));
        }
    }
    None
}

/// The first object inside `v` (or `v` itself) that has member `key`.
fn find_object_with<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Object(map) if map.contains_key(key) => Some(v),
        Value::Object(map) => map.values().find_map(|c| find_object_with(c, key)),
        Value::Array(items) => items.iter().find_map(|c| find_object_with(c, key)),
        _ => None,
    }
}

fn find_member<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    find_object_with(v, key).and_then(|o| o.get(key))
}

/// The documented type word an example value most likely had: the type
/// table's guess for a scalar, `T[]` for an array of them.
fn type_of_example(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => Some(format!("{}[]", items.first().and_then(type_of_example)?)),
        _ => super::types::of_example(v).map(|s| s.word.to_string()),
    }
}

/// Every example body of the document, to repair rows from.
fn all_examples<'d>(ops: &'d [OpDraft], defs: &'d [DefDraft]) -> Vec<&'d Value> {
    let mut out: Vec<&Value> = Vec::new();
    for op in ops {
        out.extend(op.examples.iter().map(|e| &e.value));
        out.extend(op.body.as_ref().and_then(|b| b.example.as_ref()));
    }
    out.extend(defs.iter().filter_map(|d| d.example.as_ref()));
    out
}

/// `{name}` words of a request text (the request line and its `?a={a}`
/// line), in order: the names the flat reader expects declarations for.
pub(super) fn braced_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    names
}

/// `200 Response (Community[])` as (200, Some("Community[]")).
fn parse_label(label: &str) -> (u16, Option<String>) {
    let status = label.get(..3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let ty = label
        .find('(')
        .and_then(|open| {
            label
                .rfind(')')
                .filter(|&close| close > open)
                .map(|close| label[open + 1..close].trim().to_string())
        })
        .filter(|t| !t.is_empty());
    (status, ty)
}

/// Names the definition a request body example instantiates: the object
/// definition whose property names are exactly the example's members,
/// preferring `Create…` for POST and `Update…` for PUT among equals.
fn infer_request_definitions(
    ops: &mut [Operation],
    defs: &[Definition],
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    // Definitions by their sorted member names: one lookup per body.
    let mut by_members: HashMap<Vec<&str>, Vec<&Definition>> = HashMap::new();
    for d in defs {
        if let DefinitionKind::Object { properties } = &d.kind {
            let mut names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
            names.sort_unstable();
            by_members.entry(names).or_default().push(d);
        }
    }
    for op in ops {
        let Some(body) = &mut op.request_body else {
            continue;
        };
        let Some(Value::Object(map)) = &body.example else {
            continue;
        };
        let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let matching: &[&Definition] = by_members.get(&keys).map_or(&[], Vec::as_slice);
        let verb = match op.method {
            Method::Post => "Create",
            Method::Put | Method::Patch => "Update",
            _ => "",
        };
        let chosen = matching
            .iter()
            .find(|d| !verb.is_empty() && d.name.starts_with(verb))
            .or(matching.first());
        match chosen {
            Some(d) => body.definition = Some(d.name.clone()),
            None => diags.push(Diagnostic::new(
                Code::RequestBodyUnmatched,
                file,
                body.line,
                format!(
                    "no definition has exactly the members of the `{}` request body example",
                    op.id
                ),
            )),
        }
    }
}

/// Where a document defines a type whose name is also a type-table word
/// (`Error`), its bodies and members name that definition.
fn prefer_definitions(ops: &mut [Operation], defs: &mut [Definition]) {
    let names: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
    let defined: HashSet<&str> = names.iter().map(String::as_str).collect();
    for r in ops.iter_mut().flat_map(|op| op.responses.iter_mut()) {
        if let Some(body) = &mut r.body {
            body.prefer_definition(&defined);
        }
    }
    for d in defs {
        if let DefinitionKind::Object { properties } = &mut d.kind {
            for p in properties {
                p.ty.prefer_definition(&defined);
            }
        }
    }
}

/// Whether a parameter's description says it may be left out: it opens
/// with "Optional" or holds an `[optional]` or `(optional)` marker.
fn says_optional(description: &str) -> bool {
    let d = description.trim_start().to_ascii_lowercase();
    d.starts_with("optional") || d.contains("[optional]") || d.contains("(optional)")
}

/// Reports types that name definitions the document does not define.
fn check_references(
    ops: &[Operation],
    defs: &[Definition],
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let names: HashSet<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    let report = |name: &str, line: usize, what: String, diags: &mut Vec<Diagnostic>| {
        if !names.contains(name) {
            diags.push(Diagnostic::new(
                Code::UndefinedType,
                file,
                line,
                format!("{what} names `{name}`, which the document does not define"),
            ));
        }
    };
    for op in ops {
        for r in &op.responses {
            if let Some(name) = r.body.as_ref().and_then(TypeRef::referenced) {
                report(
                    name,
                    r.line,
                    format!("status {} of `{}`", r.status, op.id),
                    diags,
                );
            }
        }
    }
    for d in defs {
        for p in d.properties() {
            if let Some(name) = p.ty.referenced() {
                report(
                    name,
                    p.line,
                    format!("property `{}.{}`", d.name, p.name),
                    diags,
                );
            }
        }
    }
}

fn short(s: &str) -> String {
    let one_line = normalize_ws(s);
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse() {
        assert_eq!(
            parse_label("200 Response (Community[])"),
            (200, Some("Community[]".into()))
        );
        assert_eq!(parse_label("201 Response"), (201, None));
        assert_eq!(parse_label("xx"), (0, None));
    }

    #[test]
    fn example_values_suggest_types() {
        assert_eq!(
            type_of_example(&serde_json::json!("user@example.com")).as_deref(),
            Some("email")
        );
        assert_eq!(
            type_of_example(&serde_json::json!("2019-08-24T14:15:22Z")).as_deref(),
            Some("date-time")
        );
        assert_eq!(
            type_of_example(&serde_json::json!("8f7e5e4e-3a86-4d5f-9b8a-0c2a4d7b1e9f")).as_deref(),
            Some("guid")
        );
        assert_eq!(
            type_of_example(&serde_json::json!(["string"])).as_deref(),
            Some("string[]")
        );
        assert_eq!(type_of_example(&serde_json::json!(null)), None);
    }

    #[test]
    fn the_lost_member_sits_between_its_neighbours() {
        let ex =
            serde_json::json!({"Id": "s", "Name": "s", "Email": "user@example.com", "Flag": true});
        let taken: HashSet<&str> = ["Id", "Name", "Flag"].into_iter().collect();
        let got = lost_member(Some(&ex), &[], &taken, Some("Name"), Some("Flag"));
        assert_eq!(
            got,
            Some(("Email".into(), serde_json::json!("user@example.com")))
        );
        let none = lost_member(None, &[], &taken, Some("Name"), Some("Flag"));
        assert_eq!(none, None);
    }
}
