//! The flat reader: the same documents scraped into plain text, with no
//! markup. Lines are classified with the section words as anchors; JSON
//! examples are recovered by bracket balancing; run-together parameter
//! lines are split at declarations of the names the request line gives.

use super::blocks::{
    is_identifier, is_type_word, normalize_ws, Block, BlockKind, RawParam, Row, Section,
};
use super::diagnostic::{Code, Diagnostic};
use super::markdown::is_label;
use super::model::Method;
use super::types::{Scalar, SCALARS};

/// Where the reader is, which decides what an unmarked line is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    /// Inside an operation, in a section (or none, right after its heading).
    Op(Option<Section>),
    /// After `Definitions`, expecting a definition name.
    DefStart,
    /// Inside a definition.
    Def(Option<Section>),
}

struct Reader<'a> {
    lines: Vec<(usize, &'a str)>,
    pos: usize,
    file: &'a str,
    blocks: Vec<Block>,
    diags: &'a mut Vec<Diagnostic>,
    /// Names the current operation's request line declares.
    known: Vec<String>,
}

/// Reads a flat document into blocks.
pub(crate) fn read(text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<Block> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut reader = Reader {
        lines,
        pos: 0,
        file,
        blocks: Vec::new(),
        diags,
        known: Vec::new(),
    };
    reader.run();
    reader.blocks
}

/// Whether a line is page furniture from the scrape (`- Last Updated...`).
fn is_furniture(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("- ") else {
        return false;
    };
    rest.starts_with("Last Updated")
        || rest.ends_with("minute read")
        || rest.ends_with("minutes read")
}

/// Whether a line ends a sentence (so is prose, not a heading).
fn ends_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', ':', ')'])
}

/// Whether a line can be part of a pretty-printed JSON example.
fn looks_like_json(line: &str) -> bool {
    line.starts_with(['{', '}', '[', ']', '"', '-', ','])
        || line.starts_with(|c: char| c.is_ascii_digit())
        || line.starts_with("true")
        || line.starts_with("false")
        || line.starts_with("null")
}

impl<'a> Reader<'a> {
    fn push(&mut self, line: usize, kind: BlockKind) {
        self.blocks.push(Block { line, kind });
    }

    fn peek(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.pos).copied()
    }

    fn run(&mut self) {
        let Some((line, title)) = self.peek() else {
            return;
        };
        self.pos += 1;
        self.push(
            line,
            BlockKind::Heading {
                level: 1,
                text: title.to_string(),
            },
        );
        while self.peek().is_some_and(|(_, l)| is_furniture(l)) {
            self.pos += 1;
        }
        self.preamble();
        let mut at = At::Op(None);
        while let Some((line, text)) = self.peek() {
            if let Some(section) = Section::from_heading(text) {
                self.pos += 1;
                if section == Section::Definitions {
                    self.push(
                        line,
                        BlockKind::Heading {
                            level: 2,
                            text: text.to_string(),
                        },
                    );
                    at = At::DefStart;
                    continue;
                }
                self.push(
                    line,
                    BlockKind::Heading {
                        level: 4,
                        text: text.to_string(),
                    },
                );
                at = match at {
                    At::Op(_) => At::Op(Some(section)),
                    At::Def(_) | At::DefStart => At::Def(Some(section)),
                };
                continue;
            }
            at = self.line_in(at, line, text);
        }
    }

    /// Title, description and the first operation heading, told apart among
    /// the unmarked lines before the first `Request`.
    fn preamble(&mut self) {
        self.intro(true);
    }

    /// The unmarked lines from `pos` to the next section word: an operation
    /// heading with its description, perhaps preceded by a tag (a second
    /// top-level heading and its paragraph, or the document's description
    /// when `first`). A heading never ends a sentence; descriptions nearly
    /// always do, and a tag description is one paragraph, so one line.
    fn intro(&mut self, first: bool) {
        let start = self.pos;
        let end = self.lines[start..]
            .iter()
            .position(|(_, l)| Section::from_heading(l).is_some())
            .map(|i| start + i)
            .unwrap_or(self.lines.len());
        let before_request = self
            .lines
            .get(end)
            .is_some_and(|(_, l)| Section::from_heading(l) == Some(Section::Request));
        let lines: Vec<(usize, &'a str)> = self.lines[start..end].to_vec();
        let ends = |i: usize| ends_sentence(lines[i].1);
        let n = lines.len();
        // (index of the tag's first description line, index of the heading)
        let (tag_desc, heading) = if !before_request || n == 0 {
            (
                if first { 0 } else { n },
                if first {
                    None
                } else {
                    Some(0).filter(|_| n > 0)
                },
            )
        } else if first {
            let h = if n == 1 || !ends(1) {
                n.min(2) - 1
            } else if !ends(0) {
                0
            } else {
                (1..n).find(|&i| !ends(i)).unwrap_or(1)
            };
            (0, Some(h))
        } else {
            match (2..n).find(|&i| !ends(i)) {
                Some(h) if !ends(0) && ends(1) => (1, Some(h)),
                _ => (n, Some(0)),
            }
        };
        let text =
            |range: &[(usize, &str)]| range.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
        let h = heading.unwrap_or(n);
        if !first && tag_desc == 1 {
            self.push(
                lines[0].0,
                BlockKind::Heading {
                    level: 1,
                    text: lines[0].1.to_string(),
                },
            );
        }
        let desc = &lines[tag_desc.min(h)..h];
        if let Some((line, _)) = desc.first() {
            self.push(*line, BlockKind::Text(text(desc)));
        }
        if let Some(h) = heading {
            let (line, t) = lines[h];
            self.push(
                line,
                BlockKind::Heading {
                    level: 2,
                    text: t.to_string(),
                },
            );
            let after = &lines[h + 1..];
            if let Some((line, _)) = after.first() {
                self.push(*line, BlockKind::Text(text(after)));
            }
        }
        self.pos = end;
    }

    /// Reads the unmarked line at `pos` given where the reader is; returns
    /// where it is afterwards.
    fn line_in(&mut self, at: At, line: usize, text: &str) -> At {
        match at {
            At::Op(Some(Section::Request)) if Method::parse(first_word(text)).is_some() => {
                self.pos += 1;
                let mut code = text.to_string();
                while let Some((_, next)) = self.peek().filter(|(_, l)| l.starts_with('?')) {
                    code.push('\n');
                    code.push_str(next);
                    self.pos += 1;
                }
                // The request line and its `?a={a}` line name every parameter.
                self.known = super::assemble::braced_names(&code);
                self.push(
                    line,
                    BlockKind::Code {
                        lang: "text".into(),
                        text: code,
                    },
                );
                at
            }
            At::Op(Some(Section::Parameters)) => {
                self.params();
                at
            }
            At::Op(Some(Section::RequestBody))
            | At::Op(Some(Section::Examples))
            | At::Def(Some(Section::Properties))
            | At::Def(Some(Section::EnumValues))
                if text.starts_with(['{', '[']) && !text.starts_with("[optional]") =>
            {
                self.json();
                at
            }
            At::Op(Some(Section::Response))
            | At::Def(Some(Section::Properties))
            | At::Def(Some(Section::EnumValues))
                if text.starts_with('|') =>
            {
                self.table();
                at
            }
            At::Op(Some(Section::Examples)) if is_label(text) => {
                self.pos += 1;
                self.push(line, BlockKind::Label(text.to_string()));
                at
            }
            At::Op(Some(Section::Authorization)) if bullet(text).is_some() => {
                let mut items = Vec::new();
                while let Some(item) = self.peek().and_then(|(_, l)| bullet(l)) {
                    items.push(item.to_string());
                    self.pos += 1;
                }
                self.push(line, BlockKind::Items(items));
                at
            }
            At::Op(Some(Section::Authorization)) if text.starts_with("Allowed for") => {
                self.pos += 1;
                self.push(line, BlockKind::Text(text.to_string()));
                at
            }
            At::Op(Some(Section::RequestBody))
            | At::Op(None)
            | At::Def(None)
            | At::Op(Some(Section::Request)) => {
                self.prose();
                at
            }
            At::DefStart | At::Def(Some(_)) => {
                self.pos += 1;
                self.push(
                    line,
                    BlockKind::Heading {
                        level: 3,
                        text: text.to_string(),
                    },
                );
                At::Def(None)
            }
            At::Op(Some(_)) => {
                self.known.clear();
                self.intro(false);
                At::Op(None)
            }
        }
    }

    /// Prose lines up to the next section word.
    fn prose(&mut self) {
        let Some((line, _)) = self.peek() else { return };
        let mut text = Vec::new();
        while let Some((_, l)) = self.peek() {
            let stop = Section::from_heading(l).is_some()
                || (l.starts_with(['{', '[']) && !l.starts_with("[optional]"));
            if stop && !text.is_empty() {
                break;
            }
            text.push(l);
            self.pos += 1;
        }
        self.push(line, BlockKind::Text(text.join("\n")));
    }

    /// Consecutive pipe rows; the second is the `|---|` separator.
    fn table(&mut self) {
        let Some((line, first)) = self.peek() else {
            return;
        };
        self.pos += 1;
        let header = cells(first);
        let mut rows = Vec::new();
        while let Some((row_line, l)) = self.peek().filter(|(_, l)| l.starts_with('|')) {
            self.pos += 1;
            let c = cells(l);
            if c.iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
            {
                continue;
            }
            rows.push(Row {
                line: row_line,
                cells: c,
            });
        }
        self.push(line, BlockKind::Table { header, rows });
    }

    /// A pretty-printed JSON value, recovered by balancing brackets outside
    /// strings. Stops early at a line that cannot be JSON.
    fn json(&mut self) {
        let Some((line, _)) = self.peek() else { return };
        let mut depth = 0i64;
        let mut text = String::new();
        let mut closed = false;
        while let Some((_, l)) = self.peek() {
            if !text.is_empty() && (!looks_like_json(l) || Section::from_heading(l).is_some()) {
                break;
            }
            self.pos += 1;
            text.push_str(l);
            text.push('\n');
            depth += bracket_delta(l);
            if depth <= 0 {
                closed = true;
                break;
            }
        }
        if !closed {
            self.diags.push(Diagnostic::new(
                Code::UnclosedFence,
                self.file,
                line,
                "example body opens a bracket that is never closed",
            ));
        }
        self.push(
            line,
            BlockKind::Code {
                lang: "json".into(),
                text,
            },
        );
    }

    /// Parameter lines up to the next section word, split at declarations.
    fn params(&mut self) {
        let Some((first_line, _)) = self.peek() else {
            return;
        };
        let mut params: Vec<RawParam> = Vec::new();
        let mut stray = String::new();
        while let Some((line, l)) = self.peek() {
            if Section::from_heading(l).is_some() {
                break;
            }
            self.pos += 1;
            let (before, decl) = match split_decl(l, &self.known) {
                Some((before, decl)) => (before, Some(decl)),
                None => (l, None),
            };
            match params.last_mut() {
                Some(p) => {
                    p.description.push(' ');
                    p.description.push_str(before);
                }
                None => stray.push_str(before),
            }
            if let Some(decl) = decl {
                params.push(RawParam {
                    line,
                    decl: decl.to_string(),
                    description: String::new(),
                });
            }
        }
        for p in &mut params {
            p.description = normalize_ws(&p.description);
        }
        if !stray.trim().is_empty() {
            self.push(first_line, BlockKind::Text(stray));
        }
        if !params.is_empty() {
            self.push(params[0].line, BlockKind::Params(params));
        }
    }
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// A list item line: `- Tenant Member`.
fn bullet(line: &str) -> Option<&str> {
    let item = ["- ", "* ", "• "].iter().find_map(|b| line.strip_prefix(b));
    match item {
        Some(item) => Some(item.trim()),
        None if is_role_name(line) => Some(line),
        None => None,
    }
}

/// Whether an unmarked line under Authorization is a role name: scrapers
/// often drop the bullets of `<ul><li>` lists. A role is a short title
/// ending in a role word (`Tenant Administrator`, `Community Member`) or
/// `Self`, never a sentence.
fn is_role_name(line: &str) -> bool {
    const ROLE_WORDS: &[&str] = &[
        "Administrator",
        "Member",
        "Contributor",
        "Owner",
        "Reader",
        "Viewer",
        "Self",
    ];
    // Operation headings start with a verb; role names never do.
    const VERBS: &[&str] = &[
        "Get", "List", "Add", "Create", "Update", "Delete", "Remove", "Set", "Patch", "Put",
        "Send", "Accept", "Reject", "Validate", "Check", "Invite", "Revoke", "Assign", "Replace",
        "Find", "Search", "Count",
    ];
    let words: Vec<&str> = line.split_whitespace().collect();
    !words.is_empty()
        && !VERBS.contains(&words[0])
        && words.len() <= 4
        && !ends_sentence(line)
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        && words.last().is_some_and(|w| ROLE_WORDS.contains(w))
}

/// The cells of a pipe-table line, outer pipes removed.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// Net bracket depth change of a line, ignoring brackets inside strings.
fn bracket_delta(line: &str) -> i64 {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// Finds a declaration at the end of a parameter line: the whole line
/// (`[optional] integer skip`), or glued to the previous description
/// (`Community identifier.string tenantId`) when the name is one the request
/// line declares. Returns the text before it and the declaration.
fn split_decl<'l>(line: &'l str, known: &[String]) -> Option<(&'l str, &'l str)> {
    let (head, name) = line.rsplit_once(' ')?;
    if !is_identifier(name) {
        return None;
    }
    // `[optional] type name` anywhere at the end is unambiguous.
    if let Some(at) = head.rfind("[optional]") {
        let ty = head[at + "[optional]".len()..].trim();
        if is_type_word(ty) {
            return Some((&line[..at], &line[at..]));
        }
    }
    if !known.iter().any(|k| k == name) {
        let ty = head.trim();
        return super::types::scalar(ty).is_some().then_some(("", line));
    }
    // The longest type word the glued text ends with, so that `date-time`
    // wins over `time` and `int32` over `int`. A short word glued to a
    // letter is more likely the end of prose (`endpoint`, `company`,
    // `update`) than a type.
    let at = SCALARS
        .iter()
        .flat_map(Scalar::words)
        .filter_map(|w| {
            let at = head.strip_suffix(w)?.len();
            let glued = head[..at].ends_with(|c: char| c.is_ascii_alphabetic());
            (!glued || w.len() >= 5).then_some(at)
        })
        .min()?;
    Some((&line[..at], &line[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_together_declarations_split() {
        let known = vec!["tenantId".to_string(), "skip".to_string()];
        assert_eq!(
            split_decl("Community identifier.string tenantId", &known),
            Some(("Community identifier.", "string tenantId"))
        );
        assert_eq!(
            split_decl("Community identifierstring tenantId", &known),
            Some(("Community identifier", "string tenantId"))
        );
        assert_eq!(
            split_decl(
                "(not supported) Search string identifier.[optional] integer skip",
                &known
            ),
            Some((
                "(not supported) Search string identifier.",
                "[optional] integer skip"
            ))
        );
        assert_eq!(
            split_decl("string communityId", &[]),
            Some(("", "string communityId"))
        );
        assert_eq!(split_decl("Default is to include.", &known), None);
        assert_eq!(split_decl("the tenant to use", &known), None);
        // Type words come from the type table, longest first.
        assert_eq!(
            split_decl("When it started.date-time tenantId", &known),
            Some(("When it started.", "date-time tenantId"))
        );
        assert_eq!(
            split_decl("How many.int32 skip", &known),
            Some(("How many.", "int32 skip"))
        );
        assert_eq!(split_decl("long skip", &[]), Some(("", "long skip")));
        // Prose that happens to end in a short type word is no declaration.
        for prose in [
            "the endpoint tenantId",
            "the company tenantId",
            "an update skip",
        ] {
            assert_eq!(split_decl(prose, &known), None, "{prose}");
        }
    }

    #[test]
    fn json_is_recovered_by_bracket_balancing() {
        let mut diags = Vec::new();
        let text = "T\nD\nOp\nRequest\nGET /a\nExample response body\n200 Response\n{\n\"a\": \"}{[\",\n\"b\": [\n1\n]\n}\nNext op\n";
        let blocks = read(text, "t.txt", &mut diags);
        let json = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Code { lang, text } if lang == "json" => Some(text.clone()),
            _ => None,
        });
        let value: serde_json::Value = serde_json::from_str(&json.unwrap()).unwrap();
        assert_eq!(value["b"][0], 1);
        assert!(diags.is_empty());
        assert!(blocks.iter().any(|b| b.kind
            == BlockKind::Heading {
                level: 2,
                text: "Next op".into()
            }));
    }

    #[test]
    fn unbalanced_json_stops_at_prose() {
        let mut diags = Vec::new();
        read(
            "T\nOp\nRequest\nGET /a\nRequest Body\n{\n\"a\": 1\nNext op\n",
            "t.txt",
            &mut diags,
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "unclosed-fence");
        assert_eq!(diags[0].line, 6);
    }

    #[test]
    fn role_lists_with_or_without_bullets() {
        for roles in [
            "- Tenant Administrator\n- Community Member",
            "Tenant Administrator\nCommunity Member",
        ] {
            let text = format!(
                "T\nD.\nOp one\nRequest\nGET /a\nResponse\n| Status Code | Body Type | Description |\n|---|---|---|\n| 200 | None | ok |\nAuthorization\nAllowed for these roles:\n{roles}\nOp two\nRequest\nGET /b\n"
            );
            let mut diags = Vec::new();
            let blocks = read(&text, "t.txt", &mut diags);
            let items: Vec<&BlockKind> = blocks
                .iter()
                .map(|b| &b.kind)
                .filter(|k| matches!(k, BlockKind::Items(_)))
                .collect();
            assert_eq!(
                items,
                [&BlockKind::Items(vec![
                    "Tenant Administrator".into(),
                    "Community Member".into()
                ])],
                "{roles}"
            );
            assert!(blocks.iter().any(|b| b.kind
                == BlockKind::Heading {
                    level: 2,
                    text: "Op two".into()
                }));
        }
        assert!(!is_role_name("List Members"));
        assert!(!is_role_name("Remove Community Member"));
        assert!(!is_role_name("Gets all members."));
    }

    #[test]
    fn cells_keep_empty_trailing_cells() {
        assert_eq!(
            cells("| false | true | x | ||"),
            vec!["false", "true", "x", "", ""]
        );
    }
}
