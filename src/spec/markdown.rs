//! The markdown reader: pulldown-cmark events over the widdershins template,
//! turned into [`Block`]s.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::blocks::{
    normalize_owned, normalize_ws, parse_bare, parse_decl, strip_optional, Block, BlockKind,
    RawParam, Row,
};
use super::diagnostic::{Code, Diagnostic};
use super::source::LineMap;

/// Maps byte offsets to 1-based line numbers. Lookups come in document
/// order, so a cursor makes them O(1) amortized.
pub(crate) struct LineIndex<'m> {
    starts: Vec<usize>,
    cursor: std::cell::Cell<usize>,
    map: &'m LineMap,
}

impl<'m> LineIndex<'m> {
    pub fn new(text: &str, map: &'m LineMap) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            cursor: std::cell::Cell::new(0),
            map,
        }
    }

    /// The document's 1-based line holding byte `offset` of the text.
    pub fn line(&self, offset: usize) -> usize {
        self.map.original(self.text_line(offset))
    }

    /// The 1-based line of the text holding byte `offset`.
    fn text_line(&self, offset: usize) -> usize {
        let mut i = self.cursor.get();
        if self.starts[i] > offset {
            i = self
                .starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1);
        }
        while i + 1 < self.starts.len() && self.starts[i + 1] <= offset {
            i += 1;
        }
        self.cursor.set(i);
        i + 1
    }
}

/// Splits off YAML front matter: returns its text and the byte offset where
/// the markdown body starts.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let first = text.lines().next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut offset = first.len() + 1;
    for line in text.get(offset..)?.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let inner = &text[first.len() + 1..offset];
            return Some((inner, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// A piece of a paragraph, kept apart so parameter declarations can be found.
enum Piece<'a> {
    Code(CowStr<'a>, usize),
    Text(CowStr<'a>),
    Break,
}

/// Where text events are going.
enum Sink<'a> {
    Heading {
        level: u8,
        text: String,
        line: usize,
    },
    Para {
        line: usize,
        start: usize,
        pieces: Vec<Piece<'a>>,
    },
    Quote {
        line: usize,
        text: String,
    },
    Item(String),
    Cell(String),
    Code {
        lang: String,
        text: String,
        line: usize,
        start: Option<usize>,
    },
    Html {
        text: String,
        /// Byte offset of the block in the text.
        start: usize,
    },
}

/// A table as its cells arrive.
struct TableAcc {
    line: usize,
    header: Vec<String>,
    rows: Vec<Row>,
    cells: Vec<String>,
    row_line: usize,
}

struct Reader<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    file: &'a str,
    blocks: Vec<Block>,
    diags: &'a mut Vec<Diagnostic>,
    sinks: Vec<Sink<'a>>,
    list: Option<(usize, Vec<String>)>,
    list_depth: usize,
    table: Option<TableAcc>,
}

/// Reads a markdown document into blocks.
pub(crate) fn read(
    text: &str,
    map: &LineMap,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    let mut reader = Reader {
        text,
        lines: LineIndex::new(text, map),
        file,
        blocks: Vec::with_capacity(text.len() / 48),
        diags,
        sinks: Vec::new(),
        list: None,
        list_depth: 0,
        table: None,
    };
    let base = match front_matter(text) {
        Some((inner, end)) => {
            reader.push(1, BlockKind::FrontMatter(inner.to_string()));
            end
        }
        None => 0,
    };
    let options = Options::ENABLE_TABLES;
    for (event, range) in Parser::new_ext(&text[base..], options).into_offset_iter() {
        reader.event(event, range.start + base, range.end + base);
    }
    reader.blocks
}

impl<'a> Reader<'a> {
    fn push(&mut self, line: usize, kind: BlockKind) {
        self.blocks.push(Block { line, kind });
    }

    fn event(&mut self, event: Event<'a>, start: usize, end: usize) {
        // Only events that open something need their line.
        match event {
            // Cells and inline tags are the commonest events and need no line.
            Event::Start(Tag::TableCell) => self.sinks.push(Sink::Cell(String::new())),
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            ) => {}
            Event::Start(tag) => {
                let line = self.lines.line(start);
                self.start(tag, line, start)
            }
            Event::End(tag) => self.end(tag, end),
            Event::Text(t) => match self.sinks.last_mut() {
                Some(Sink::Para { pieces, .. }) => pieces.push(Piece::Text(t)),
                _ => self.text(&t),
            },
            Event::Code(c) => {
                if let Some(Sink::Para { pieces, .. }) = self.sinks.last_mut() {
                    pieces.push(Piece::Code(c, self.lines.line(start)));
                } else {
                    self.text(&c);
                }
            }
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            Event::InlineHtml(html) => {
                let line = self.lines.line(start);
                self.inline_html(&html, line)
            }
            Event::Html(html) => match self.sinks.last_mut() {
                Some(Sink::Html { text, .. }) => text.push_str(&html),
                _ => self.html_block(&html, start),
            },
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: usize, start: usize) {
        match tag {
            Tag::Heading { level, .. } => self.sinks.push(Sink::Heading {
                level: level as u8,
                text: String::new(),
                line,
            }),
            Tag::Paragraph
                if !matches!(self.sinks.last(), Some(Sink::Quote { .. } | Sink::Item(_))) =>
            {
                self.sinks.push(Sink::Para {
                    line,
                    start,
                    pieces: Vec::new(),
                });
            }
            Tag::BlockQuote(_) => self.sinks.push(Sink::Quote {
                line,
                text: String::new(),
            }),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                // A fence at the start of its line is sliced from the source
                // at its end; anything else (indented code, fences inside
                // quotes) collects its text events.
                let fenced = matches!(self.text.as_bytes().get(start), Some(b'`' | b'~'));
                self.sinks.push(Sink::Code {
                    lang,
                    text: String::new(),
                    // The first content line, through the line map: a
                    // repaired text may have a line inserted anywhere.
                    line: match fenced
                        .then(|| memchr::memchr(b'\n', &self.text.as_bytes()[start..]))
                    {
                        Some(Some(n)) => self.lines.line(start + n + 1),
                        Some(None) => line + 1,
                        None => line,
                    },
                    start: fenced.then_some(start),
                });
            }
            Tag::List(_) => {
                self.list_depth += 1;
                if self.list.is_none() {
                    self.list = Some((line, Vec::new()));
                }
            }
            Tag::Item => self.sinks.push(Sink::Item(String::new())),
            Tag::Table(_) => {
                self.table = Some(TableAcc {
                    line,
                    header: Vec::new(),
                    rows: Vec::new(),
                    cells: Vec::new(),
                    row_line: line,
                })
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.cells.clear();
                    t.row_line = line;
                }
            }
            Tag::TableCell => self.sinks.push(Sink::Cell(String::new())),
            Tag::HtmlBlock => self.sinks.push(Sink::Html {
                text: String::new(),
                start,
            }),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, end: usize) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(Sink::Heading { level, text, line }) = self.sinks.pop() {
                    self.push(
                        line,
                        BlockKind::Heading {
                            level,
                            text: normalize_owned(text),
                        },
                    );
                }
            }
            TagEnd::Paragraph => {
                if matches!(self.sinks.last(), Some(Sink::Para { .. })) {
                    if let Some(Sink::Para {
                        line,
                        start,
                        pieces,
                    }) = self.sinks.pop()
                    {
                        let text = self.text;
                        self.paragraph(line, &text[start..end], pieces);
                    }
                } else {
                    self.line_break();
                }
            }
            TagEnd::BlockQuote(_) => {
                if let Some(Sink::Quote { line, text }) = self.sinks.pop() {
                    let text = normalize_ws(&text);
                    if is_label(&text) {
                        self.push(line, BlockKind::Label(text));
                    } else if !text.is_empty() {
                        self.push(line, BlockKind::Text(text));
                    }
                }
            }
            TagEnd::CodeBlock => {
                if let Some(Sink::Code {
                    lang,
                    text,
                    line,
                    start,
                }) = self.sinks.pop()
                {
                    let (text, closed) = match start {
                        Some(start) => fenced_body(&self.text[start..end]),
                        None => (text, true),
                    };
                    if !closed {
                        self.diags.push(Diagnostic::new(
                            Code::UnclosedFence,
                            self.file,
                            line.saturating_sub(1).max(1),
                            "code fence is never closed; it runs to the end of the document",
                        ));
                    }
                    self.push(line, BlockKind::Code { lang, text });
                }
            }
            TagEnd::Item => {
                if let Some(Sink::Item(text)) = self.sinks.pop() {
                    let text = text.trim().to_string();
                    if let (Some((_, items)), false) = (&mut self.list, text.is_empty()) {
                        items.push(text);
                    }
                }
            }
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    if let Some((line, items)) = self.list.take() {
                        if !items.is_empty() {
                            self.push(line, BlockKind::Items(items));
                        }
                    }
                }
            }
            TagEnd::TableCell => {
                if let (Some(Sink::Cell(text)), Some(t)) = (self.sinks.pop(), &mut self.table) {
                    t.cells.push(normalize_owned(text));
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut t.cells);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let cells = std::mem::replace(&mut t.cells, Vec::with_capacity(t.header.len()));
                    t.rows.push(Row {
                        line: t.row_line,
                        cells,
                    });
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.push(
                        t.line,
                        BlockKind::Table {
                            header: t.header,
                            rows: t.rows,
                        },
                    );
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(Sink::Html { text, start }) = self.sinks.pop() {
                    self.html_block(&text, start);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        match self.sinks.last_mut() {
            Some(Sink::Heading { text, .. })
            | Some(Sink::Quote { text, .. })
            | Some(Sink::Item(text))
            | Some(Sink::Cell(text))
            | Some(Sink::Code {
                text, start: None, ..
            })
            | Some(Sink::Html { text, .. }) => text.push_str(t),
            Some(Sink::Code { .. }) => {}
            Some(Sink::Para { pieces, .. }) => pieces.push(Piece::Text(t.to_string().into())),
            None => {}
        }
    }

    fn line_break(&mut self) {
        match self.sinks.last_mut() {
            Some(Sink::Para { pieces, .. }) => pieces.push(Piece::Break),
            Some(Sink::Cell(text)) | Some(Sink::Heading { text, .. }) => text.push(' '),
            Some(Sink::Quote { text, .. }) | Some(Sink::Item(text)) => text.push('\n'),
            _ => {}
        }
    }

    fn inline_html(&mut self, html: &str, line: usize) {
        if let Some(id) = anchor_id(html) {
            self.push(line, BlockKind::Anchor(id.to_string()));
        } else if html
            .trim_start()
            .get(..3)
            .is_some_and(|t| t.eq_ignore_ascii_case("<br"))
        {
            self.line_break();
        }
    }

    /// Raw HTML blocks carry `<h3>` headings, `<ul><li>` role lists and anchors.
    fn html_block(&mut self, html: &str, start: usize) {
        // Each line's document line, through the line map.
        let mut offset = start;
        let line_of: Vec<usize> = html
            .split_inclusive('\n')
            .map(|l| {
                let at = self
                    .lines
                    .line(offset.min(self.text.len().saturating_sub(1)));
                offset += l.len();
                at
            })
            .collect();
        let line_at = |i: usize| line_of.get(i).copied().unwrap_or(1);
        let mut items = Vec::new();
        let mut items_line = line_at(0);
        let lines: Vec<&str> = html.lines().collect();
        let mut skip_to = 0;
        for (i, l) in lines.iter().enumerate() {
            let l = l.trim();
            if i < skip_to {
                continue;
            }
            if l.starts_with('|') {
                // An HTML block runs to the next blank line, so a table
                // right under `<h3>Response</h3>` is inside it.
                let end = lines[i..]
                    .iter()
                    .position(|l| !l.trim_start().starts_with('|'))
                    .map_or(lines.len(), |n| i + n);
                if let Some(table) = pipe_table(&lines[i..end].join("\n"), line_at(i)) {
                    self.push(line_at(i), table);
                }
                skip_to = end;
                continue;
            }
            if let Some((level, text)) = html_heading(l) {
                self.push(
                    line_at(i),
                    BlockKind::Heading {
                        level,
                        text: normalize_owned(strip_tags(text)),
                    },
                );
            } else if let Some(id) = anchor_id(l) {
                self.push(line_at(i), BlockKind::Anchor(id.to_string()));
            }
            let mut rest = l;
            while let Some(at) = rest.find("<li>") {
                let after = &rest[at + 4..];
                let stop = after.find("</li>").unwrap_or(after.len());
                if items.is_empty() {
                    items_line = line_at(i);
                }
                let item = normalize_ws(&strip_tags(&after[..stop]));
                if !item.is_empty() {
                    items.push(item);
                }
                rest = &after[stop..];
            }
        }
        if !items.is_empty() {
            self.push(items_line, BlockKind::Items(items));
        }
    }

    fn paragraph(&mut self, line: usize, raw: &str, pieces: Vec<Piece<'a>>) {
        if raw.trim() == "[[_TOC_]]" {
            return;
        }
        if let Some(table) = pipe_table(raw, line) {
            // A table without its `|---|` row is a paragraph to CommonMark.
            self.push(line, table);
            return;
        }
        let first = pieces.iter().position(|p| match p {
            Piece::Text(t) => !t.trim().is_empty(),
            Piece::Break => false,
            Piece::Code(..) => true,
        });
        if first.is_some_and(|i| decl_at(&pieces, i).is_some()) {
            let params = split_params(pieces);
            self.push(line, BlockKind::Params(params));
            return;
        }
        // Lines trimmed, blank ones dropped, joined by single newlines.
        let mut text = String::new();
        let mut current = String::new();
        let flush = |current: &mut String, text: &mut String| {
            let line = current.trim();
            if !line.is_empty() {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(line);
            }
            current.clear();
        };
        for piece in pieces {
            match piece {
                Piece::Code(c, _) | Piece::Text(c) if !c.contains('\n') => current.push_str(&c),
                Piece::Code(c, _) | Piece::Text(c) => {
                    let mut parts = c.split('\n');
                    current.push_str(parts.next().unwrap_or(""));
                    for part in parts {
                        flush(&mut current, &mut text);
                        current.push_str(part);
                    }
                }
                Piece::Break => flush(&mut current, &mut text),
            }
        }
        flush(&mut current, &mut text);
        if !text.is_empty() {
            self.push(line, BlockKind::Text(text));
        }
    }
}

/// The content of a fenced block from its source, and whether the closing
/// fence is there.
fn fenced_body(raw: &str) -> (String, bool) {
    let raw = raw.trim_end();
    let fence = if raw.starts_with('~') { "~~~" } else { "```" };
    let Some(open_end) = raw.find('\n') else {
        return (String::new(), false);
    };
    let body = &raw[open_end + 1..];
    match body.rfind('\n') {
        _ if body.trim_start().starts_with(fence) && !body.contains('\n') => (String::new(), true),
        Some(last) if body[last + 1..].trim_start().starts_with(fence) => {
            (format!("{}\n", &body[..last]), true)
        }
        _ => (format!("{body}\n"), false),
    }
}

/// The declaration starting at piece `i`, as the assembler reads it:
/// `` `[optional] type name` ``, `[Optional] `` `type name` ``, or a bare
/// `` `name` `` alone on its line. Returns it and the index after it.
fn decl_at(pieces: &[Piece<'_>], i: usize) -> Option<(String, usize)> {
    let (optional, at) = match pieces.get(i)? {
        Piece::Text(_) => {
            // "[Optional] " may arrive as several text events ("[", ...).
            let mut marker = String::new();
            let mut at = i;
            while let Some(Piece::Text(t)) = pieces.get(at) {
                marker.push_str(t);
                at += 1;
            }
            let marker = marker.trim();
            if !strip_optional(marker).is_some_and(|r| r.trim().is_empty()) {
                return None;
            }
            (true, at)
        }
        Piece::Code(..) => (false, i),
        Piece::Break => return None,
    };
    let Some(Piece::Code(code, _)) = pieces.get(at) else {
        return None;
    };
    let prefix = if optional { "[optional] " } else { "" };
    if parse_decl(code).is_some() {
        return Some((format!("{prefix}{code}"), at + 1));
    }
    // A bare name must stand alone on its line, or any code span that
    // starts a line of prose would become a parameter.
    let alone = match pieces.get(at + 1) {
        None | Some(Piece::Break) => true,
        Some(Piece::Text(t)) => {
            t.trim().is_empty() && matches!(pieces.get(at + 2), None | Some(Piece::Break))
        }
        Some(Piece::Code(..)) => false,
    };
    (alone && parse_bare(code).is_some()).then(|| (format!("{prefix}{code}"), at + 1))
}

/// Splits a parameter paragraph at declarations that start a line.
fn split_params(pieces: Vec<Piece<'_>>) -> Vec<RawParam> {
    let mut params: Vec<RawParam> = Vec::new();
    let mut at_line_start = true;
    let mut i = 0;
    while i < pieces.len() {
        if at_line_start {
            if let Some((decl, next)) = decl_at(&pieces, i) {
                let line = match &pieces[next - 1] {
                    Piece::Code(_, line) => *line,
                    _ => 0,
                };
                params.push(RawParam {
                    line,
                    decl,
                    description: String::new(),
                });
                at_line_start = false;
                i = next;
                continue;
            }
        }
        match &pieces[i] {
            Piece::Code(text, _) | Piece::Text(text) => {
                if !text.trim().is_empty() {
                    at_line_start = false;
                }
                if let Some(p) = params.last_mut() {
                    p.description.push_str(text);
                }
            }
            Piece::Break => {
                at_line_start = true;
                if let Some(p) = params.last_mut() {
                    p.description.push(' ');
                }
            }
        }
        i += 1;
    }
    for p in &mut params {
        p.description = normalize_ws(&p.description);
    }
    params
}

/// A pipe table written without its delimiter row (or inside an HTML
/// block): every line starts with `|`, and there are at least two.
fn pipe_table(raw: &str, line: usize) -> Option<BlockKind> {
    let lines: Vec<&str> = raw.lines().map(str::trim).collect();
    if lines.len() < 2 || !lines.iter().all(|l| l.starts_with('|')) {
        return None;
    }
    let mut rows = lines.iter().enumerate().filter_map(|(i, l)| {
        let cells = pipe_cells(l);
        let delimiter = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
        (!delimiter).then_some(Row {
            line: line + i,
            cells,
        })
    });
    let header = rows.next()?.cells;
    Some(BlockKind::Table {
        header,
        rows: rows.collect(),
    })
}

/// The cells of one `| a | b |` line, with code and link markup removed.
fn pipe_cells(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
        .into_iter()
        .map(|c| normalize_ws(&strip_markup(&c)))
        .collect()
}

/// `` `code` `` and `[text](link)` as their text.
fn strip_markup(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(at) = rest.find(['`', '[']) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if rest.as_bytes()[at] == b'`' {
            rest = after;
            continue;
        }
        match after.find("](").and_then(|close| {
            after[close + 2..]
                .find(')')
                .map(|end| (close, close + 2 + end + 1))
        }) {
            Some((close, end)) => {
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a blockquote's text is an example label (`200 Response ...`).
pub(crate) fn is_label(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 3
        && t.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && t[3..].trim_start().starts_with("Response")
}

/// The id of an `<a id="opId...">` tag. The generator's other anchors
/// (`schema…`, `tocS…`) mean nothing to the contract.
fn anchor_id(html: &str) -> Option<&str> {
    let rest = html.trim_start().strip_prefix("<a ")?;
    let at = rest.find("id=\"")?;
    let value = &rest[at + 4..];
    value
        .find('"')
        .map(|end| &value[..end])
        .filter(|id| id.starts_with("opId"))
}

/// `<h3>Request</h3>` as (3, "Request").
fn html_heading(line: &str) -> Option<(u8, &str)> {
    let rest = line.strip_prefix("<h")?;
    let level = rest.chars().next()?.to_digit(10)?;
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &rest[1..];
    let open_end = rest.find('>')?;
    let inner = &rest[open_end + 1..];
    let close = inner.find("</h").unwrap_or(inner.len());
    Some((level as u8, &inner[..close]))
}

/// Removes `<...>` tags from a fragment of HTML.
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<BlockKind> {
        let mut diags = Vec::new();
        read(text, &LineMap::default(), "t.md", &mut diags)
            .into_iter()
            .map(|b| b.kind)
            .collect()
    }

    #[test]
    fn html_and_markdown_headings_read_alike() {
        assert_eq!(
            kinds("<h3>Request</h3>\n\n### Request\n\n## `List Roles`\n"),
            vec![
                BlockKind::Heading {
                    level: 3,
                    text: "Request".into()
                },
                BlockKind::Heading {
                    level: 3,
                    text: "Request".into()
                },
                BlockKind::Heading {
                    level: 2,
                    text: "List Roles".into()
                },
            ]
        );
    }

    #[test]
    fn params_split_at_declarations() {
        let k = kinds("`string tenantId`\n<br/>Tenant id<br/><br/>`[optional] integer skip`\n<br/>How many `rows` to skip<br/><br/>\n");
        let BlockKind::Params(p) = &k[0] else {
            panic!("{k:?}")
        };
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].decl, "string tenantId");
        assert_eq!(p[0].description, "Tenant id");
        assert_eq!(p[1].decl, "[optional] integer skip");
        assert_eq!(p[1].description, "How many rows to skip");
        assert_eq!(p[1].line, 2);
    }

    #[test]
    fn front_matter_toc_anchor_roles_and_labels() {
        let k = kinds("---\ntitle: X v1\n\n---\n[[_TOC_]]\n\n<a id=\"opIdA_B\"></a>\n\n> 200 Response\n\n<ul>\n<li>Tenant Member</li>\n</ul>\n");
        assert_eq!(k[0], BlockKind::FrontMatter("title: X v1\n\n".into()));
        assert_eq!(k[1], BlockKind::Anchor("opIdA_B".into()));
        assert_eq!(k[2], BlockKind::Label("200 Response".into()));
        assert_eq!(k[3], BlockKind::Items(vec!["Tenant Member".into()]));
    }

    #[test]
    fn unclosed_fence_is_reported() {
        let mut diags = Vec::new();
        let blocks = read(
            "x\n\n```json\n{\"a\": 1}\n",
            &LineMap::default(),
            "t.md",
            &mut diags,
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "unclosed-fence");
        assert_eq!(diags[0].line, 3);
        assert!(matches!(&blocks[1].kind, BlockKind::Code { lang, .. } if lang == "json"));
        let mut diags = Vec::new();
        read(
            "```json\n{}\n```\n",
            &LineMap::default(),
            "t.md",
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn fenced_bodies_are_sliced_from_the_source() {
        assert_eq!(
            fenced_body("```json\n{}\n```\n"),
            ("{}\n".to_string(), true)
        );
        assert_eq!(fenced_body("```json\n```"), (String::new(), true));
        assert_eq!(
            fenced_body("```json\n{\n\"a\": 1\n"),
            ("{\n\"a\": 1\n".to_string(), false)
        );
        assert_eq!(fenced_body("```"), (String::new(), false));
        assert_eq!(fenced_body("~~~\nx\n~~~"), ("x\n".to_string(), true));
    }

    #[test]
    fn line_index_is_one_based() {
        let map = LineMap::default();
        let idx = LineIndex::new("a\nb\nc", &map);
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(4), 3);
        assert_eq!(idx.line(1), 1, "backwards lookups still work");
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(99), 3);
    }
}
