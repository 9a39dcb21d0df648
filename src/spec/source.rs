//! Source text preparation, before any reader sees a document: a byte-order
//! mark is dropped, CRLF and CR line endings become LF, committed merge
//! conflicts keep their first side, and code fences that were glued to the
//! next line, left open, or opened inside an open fence are closed where the
//! author meant them to close.
//!
//! Every repair keeps the document's line numbers: lines are only blanked,
//! and a line inserted to close a fence carries the number of the line it
//! precedes, through a [`LineMap`].

use std::borrow::Cow;

use super::diagnostic::{Code, Diagnostic};

/// The byte-order mark some editors write at the start of a UTF-8 file.
const BOM: char = '\u{feff}';

/// Drops a byte-order mark and turns CRLF and lone CR line endings into LF,
/// so that every reader and every line count sees the same lines. Borrows
/// when there is nothing to change, which is the common case.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push('\n');
        rest = &rest[at + 1..];
        // CRLF is one line ending, not two.
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Maps the lines of a repaired text back to the document's own 1-based
/// line numbers. Identity unless a line was inserted.
#[derive(Debug, Default, Clone)]
pub(crate) struct LineMap {
    /// `original[i]` is the document line of repaired line `i + 1`; empty
    /// when no line was inserted.
    original: Vec<usize>,
}

impl LineMap {
    /// The document's line for a 1-based line of the repaired text.
    pub fn original(&self, line: usize) -> usize {
        if self.original.is_empty() {
            return line;
        }
        self.original
            .get(line.saturating_sub(1))
            .or(self.original.last())
            .copied()
            .unwrap_or(line)
    }
}

/// A markdown text after repairs, with the map back to document lines.
pub(crate) struct Repaired<'a> {
    /// The text the markdown reader parses.
    pub text: Cow<'a, str>,
    /// Where its lines were in the document.
    pub lines: LineMap,
}

/// One line of a fence: its character, run length and what follows the run.
struct FenceLine<'a> {
    ch: u8,
    len: usize,
    rest: &'a str,
}

/// Reads a line as a fence line (` ``` ` or `~~~`, indented by at most
/// three spaces).
fn fence_line(line: &str) -> Option<FenceLine<'_>> {
    let t = line.trim_start_matches(' ');
    // As in CommonMark: four columns of indentation (or a tab) make
    // indented code, not a fence. Fences nested deeper in list items are
    // then invisible here at both ends, which keeps the scan in step.
    if line.len() - t.len() > 3 {
        return None;
    }
    let ch = *t.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|b| *b == ch).count();
    (len >= 3).then(|| FenceLine {
        ch,
        len,
        rest: &t[len..],
    })
}

/// Whether a line is an ATX heading at the start of the line.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with([' ', '\t'])
}

/// An open fence while lines are scanned.
struct Open {
    ch: u8,
    len: usize,
    /// Index of the opening line.
    at: usize,
    /// The first heading line after the opening, where a fence that never
    /// closes is taken to end.
    heading: Option<usize>,
}

/// Repairs what the markdown reader cannot recover from by itself; see the
/// module comment. Lines of `text` are numbered as in the document.
pub(crate) fn repair<'a>(text: &'a str, file: &str, diags: &mut Vec<Diagnostic>) -> Repaired<'a> {
    let mut lines: Vec<Cow<'a, str>> = text.split('\n').map(Cow::Borrowed).collect();
    let conflicts = resolve_conflicts(&mut lines, file, diags);
    // Line `i` of `out` came from document line `origin[i]`.
    let mut out: Vec<Cow<'a, str>> = Vec::with_capacity(lines.len() + 4);
    let mut origin: Vec<usize> = Vec::with_capacity(lines.len() + 4);
    let mut inserted = false;
    let mut open: Option<Open> = None;
    // Fence kinds (char, shortest length) known to have no closing line
    // after some point: a later fence of that kind cannot close either, so
    // it ends at its next heading without a second scan to the end.
    let mut no_closer: Vec<(u8, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let Some(o) = &mut open else {
            if let Some(f) = fence_line(line) {
                if f.ch == b'~' || !f.rest.contains('`') {
                    open = Some(Open {
                        ch: f.ch,
                        len: f.len,
                        at: out.len(),
                        heading: None,
                    });
                }
            }
            out.push(lines[i].clone());
            origin.push(i + 1);
            i += 1;
            continue;
        };
        let doomed = no_closer
            .iter()
            .any(|&(ch, len, after)| ch == o.ch && o.len >= len && i >= after);
        if is_heading(line) {
            if doomed {
                diags.push(unclosed(file, origin[o.at], i + 1));
                out.push(Cow::Owned(fence_text(o.ch, o.len)));
                origin.push(i + 1);
                inserted = true;
                open = None;
                continue;
            }
            o.heading.get_or_insert(i);
        }
        if let Some(f) = fence_line(line).filter(|f| f.ch == o.ch && f.len >= o.len) {
            let rest = f.rest.trim();
            if rest.is_empty() {
                open = None;
            } else if rest.starts_with(['>', '#', '|']) {
                // "```> 400 Response": the closing fence and the next line
                // lost the line break between them.
                diags.push(Diagnostic::new(
                    Code::FenceRepaired,
                    file,
                    i + 1,
                    format!(
                        "closing fence is glued to `{}`; read as a fence and a line of its own",
                        rest
                    ),
                ));
                out.push(Cow::Owned(fence_text(f.ch, f.len)));
                origin.push(i + 1);
                out.push(Cow::Owned(rest.to_string()));
                origin.push(i + 1);
                inserted = true;
                open = None;
                i += 1;
                continue;
            } else if f.ch == b'`' && !rest.contains('`') {
                // A fence with an info string opens; it cannot close the
                // open one, which the author therefore forgot to close:
                // before the first heading inside it, or else here.
                if let Some(h) = o.heading {
                    diags.push(unclosed(file, origin[o.at], h + 1));
                    let keep = out.len() - (i - h);
                    out.truncate(keep);
                    origin.truncate(keep);
                    out.push(Cow::Owned(fence_text(o.ch, o.len)));
                    origin.push(h + 1);
                    inserted = true;
                    open = None;
                    i = h;
                    continue;
                }
                diags.push(unclosed(file, origin[o.at], i + 1));
                out.push(Cow::Owned(fence_text(o.ch, o.len)));
                origin.push(i + 1);
                inserted = true;
                o.at = out.len();
                o.heading = None;
            }
        }
        out.push(lines[i].clone());
        origin.push(i + 1);
        i += 1;
        if i == lines.len() {
            if let Some(o) = open.take() {
                if let Some(h) = o.heading {
                    // Never closed: it ends before the first heading inside
                    // it, and the lines from there are read again as text.
                    let at_line = origin[o.at];
                    no_closer.push((o.ch, o.len, at_line));
                    let keep = out.len() - (lines.len() - h);
                    out.truncate(keep);
                    origin.truncate(keep);
                    diags.push(unclosed(file, at_line, h + 1));
                    out.push(Cow::Owned(fence_text(o.ch, o.len)));
                    origin.push(h + 1);
                    inserted = true;
                    i = h;
                }
            }
        }
    }
    if !inserted {
        let text = if conflicts {
            Cow::Owned(lines.join("\n"))
        } else {
            Cow::Borrowed(text)
        };
        return Repaired {
            text,
            lines: LineMap::default(),
        };
    }
    Repaired {
        text: Cow::Owned(out.join("\n")),
        lines: LineMap { original: origin },
    }
}

fn fence_text(ch: u8, len: usize) -> String {
    String::from(ch as char).repeat(len)
}

fn unclosed(file: &str, open: usize, close: usize) -> Diagnostic {
    Diagnostic::new(
        Code::UnclosedFence,
        file,
        open,
        format!("code fence is never closed; read as closed before line {close}"),
    )
}

/// Blanks the second side and the markers of every committed merge
/// conflict (`<<<<<<<` … `=======` … `>>>>>>>`). Returns whether any was found.
fn resolve_conflicts(lines: &mut [Cow<'_, str>], file: &str, diags: &mut Vec<Diagnostic>) -> bool {
    let mut found = false;
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with("<<<<<<<") {
            i += 1;
            continue;
        }
        let start = i;
        let Some(mid) = (start + 1..lines.len()).find(|&j| lines[j].trim_end() == "=======") else {
            break;
        };
        let Some(end) = (mid + 1..lines.len()).find(|&j| lines[j].starts_with(">>>>>>>")) else {
            break;
        };
        diags.push(Diagnostic::new(
            Code::MergeConflict,
            file,
            start + 1,
            format!(
                "merge conflict markers on lines {}, {} and {}; the first side is read",
                start + 1,
                mid + 1,
                end + 1
            ),
        ));
        lines[start] = Cow::Borrowed("");
        for line in &mut lines[mid..=end] {
            *line = Cow::Borrowed("");
        }
        found = true;
        i = end + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> (String, Vec<String>, LineMap) {
        let mut diags = Vec::new();
        let r = repair(text, "t.md", &mut diags);
        let codes = diags
            .iter()
            .map(|d| format!("{}@{}", d.code, d.line))
            .collect();
        (r.text.into_owned(), codes, r.lines)
    }

    #[test]
    fn boms_and_line_endings_are_cleaned() {
        assert_eq!(clean("\u{feff}# A\r\nb\rc\n"), "# A\nb\nc\n");
        assert!(matches!(clean("# A\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_glued_closing_fence_is_split_on_the_same_line_number() {
        let (text, codes, map) = fixed("```json\n{}\n```> 400 Response\n\n```json\n{}\n```\n");
        assert_eq!(
            text,
            "```json\n{}\n```\n> 400 Response\n\n```json\n{}\n```\n"
        );
        assert_eq!(codes, vec!["fence-repaired@3"]);
        assert_eq!(
            (map.original(3), map.original(4), map.original(5)),
            (3, 3, 4)
        );
    }

    #[test]
    fn a_fence_left_open_closes_before_the_next_heading() {
        let (text, codes, map) = fixed("# A\n```json\n{}\n## B\n```text\nGET /x\n```\n");
        assert_eq!(text, "# A\n```json\n{}\n```\n## B\n```text\nGET /x\n```\n");
        assert_eq!(codes, vec!["unclosed-fence@2"]);
        assert_eq!(map.original(5), 4);
    }

    #[test]
    fn a_fence_opened_inside_an_open_fence_closes_the_first() {
        let (text, codes, _) = fixed("```json\n{}\n```json\n[]\n```\n");
        assert_eq!(text, "```json\n{}\n```\n```json\n[]\n```\n");
        assert_eq!(codes, vec!["unclosed-fence@1"]);
    }

    #[test]
    fn a_fence_open_to_the_end_with_no_heading_is_left_to_the_reader() {
        let (text, codes, _) = fixed("```json\n{}\n");
        assert_eq!((text.as_str(), codes.len()), ("```json\n{}\n", 0));
    }

    #[test]
    fn many_unclosed_fences_stay_linear() {
        let text = "```a\nx\n# h\n".repeat(20_000);
        let started = std::time::Instant::now();
        let (_, codes, _) = fixed(&text);
        assert_eq!(codes.len(), 20_000);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn merge_conflicts_keep_the_first_side() {
        let (text, codes, _) = fixed("a\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> 1234\nb");
        assert_eq!(text, "a\n\nmine\n\n\n\nb");
        assert_eq!(codes, vec!["merge-conflict@2"]);
    }

    #[test]
    fn well_formed_text_is_borrowed() {
        let mut diags = Vec::new();
        let r = repair("# A\n```\n# not a heading\n```\n", "t.md", &mut diags);
        assert!(matches!(r.text, Cow::Borrowed(_)) && diags.is_empty());
    }
}
