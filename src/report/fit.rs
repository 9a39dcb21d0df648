//! Console tables and notes that fit the terminal: a table wider than the
//! terminal first shortens its labels (the middle of a long
//! `document::operation` gives way to `…`), then, when its columns alone
//! are too wide, is printed in bands of columns, each band under the row
//! labels; a note longer than a line wraps under its own indent. Text for
//! a pipe or a file is never touched: the callers ask only with a width.

/// The shortest a row label is cut to.
const MIN_LABEL: usize = 16;

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// The first `n` characters of `s`, and the rest.
fn split_chars(s: &str, n: usize) -> (&str, &str) {
    let at = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s.split_at(at)
}

/// `s` in at most `width` characters, its middle replaced by `…`.
pub fn shorten(s: &str, width: usize) -> String {
    let n = width_of(s);
    if n <= width {
        return s.to_string();
    }
    if width <= 1 {
        return "…".chars().take(width).collect();
    }
    let head = (width - 1) / 2;
    let tail = width - 1 - head;
    let (start, _) = split_chars(s, head);
    let (_, end) = split_chars(s, n - tail);
    format!("{start}…{end}")
}

/// Wraps one line of prose at `width`, continuation lines indented two
/// more than the line's own indent.
pub fn prose(line: &str, width: usize) -> String {
    if width_of(line) <= width {
        return line.to_string();
    }
    let indent = line.len() - line.trim_start().len();
    let more = " ".repeat(indent + 2);
    let options = textwrap::Options::new(width.max(indent + 12))
        .initial_indent(&line[..indent])
        .subsequent_indent(&more)
        .break_words(true);
    textwrap::wrap(line.trim_start(), options).join("\n")
}

/// Every line of `text` wrapped with [`prose`].
pub fn lines(text: &str, width: usize) -> String {
    let mut out: String = text
        .lines()
        .map(|l| prose(l, width))
        .collect::<Vec<_>>()
        .join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A rendered table whose first line is the header and whose next `rows`
/// lines are rows of the same length (a label, then right-aligned cells of
/// one width), followed by notes: fitted to `width`.
pub fn table(text: &str, rows: usize, width: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let Some(header) = all.first() else {
        return text.to_string();
    };
    let body: Vec<&str> = all.iter().skip(1).take(rows).copied().collect();
    let notes: Vec<&str> = all.iter().skip(1 + rows).copied().collect();
    let mut out = match layout(header, &body) {
        Some((label, cell)) if width_of(header) > width => bands(header, &body, label, cell, width),
        _ => std::iter::once(*header)
            .chain(body.iter().copied())
            .map(|l| format!("{l}\n"))
            .collect(),
    };
    for note in notes {
        out.push_str(&prose(note, width));
        out.push('\n');
    }
    out
}

/// The label width and cell width of a table, from where its header's
/// right-aligned column titles end.
fn layout(header: &str, body: &[&str]) -> Option<(usize, usize)> {
    let chars: Vec<char> = header.chars().collect();
    let total = chars.len();
    if body.iter().any(|r| width_of(r) != total) {
        return None;
    }
    // The end of each column title (after the first word, `operation`).
    let first = header.find(' ')?;
    let mut ends = Vec::new();
    for i in first..total {
        let last = i + 1 == total || chars[i + 1] == ' ';
        if chars[i] != ' ' && last {
            ends.push(i + 1);
        }
    }
    let cell = match ends.as_slice() {
        [] => return None,
        [_] => {
            // One column: as wide as its widest cell, plus the space
            // before it.
            let widest = body
                .iter()
                .chain(std::iter::once(&header))
                .map(|r| width_of(r.rsplit(' ').next().unwrap_or("")) + 1)
                .max()?;
            widest.max(2)
        }
        [a, b, ..] => b - a,
    };
    let label = total.checked_sub(cell * ends.len())?;
    Some((label, cell))
}

/// The table in bands of as many columns as fit beside the shortened
/// labels.
fn bands(header: &str, body: &[&str], label: usize, cell: usize, width: usize) -> String {
    let columns = (width_of(header) - label) / cell;
    let label_w = label
        .min(width.saturating_sub(columns * cell))
        .max(MIN_LABEL);
    let per_band = (width.saturating_sub(label_w) / cell).max(1);
    let mut out = String::new();
    let row = |line: &str, from: usize, to: usize| {
        let (name, cells) = split_chars(line, label);
        let name = shorten(name.trim_end(), label_w);
        let (_, cells) = split_chars(cells, from * cell);
        let (cells, _) = split_chars(cells, (to - from) * cell);
        format!("{name:<label_w$}{cells}\n")
    };
    let mut from = 0;
    while from < columns {
        let to = (from + per_band).min(columns);
        if from > 0 {
            out.push('\n');
        }
        out.push_str(&row(header, from, to));
        for line in body {
            out.push_str(&row(line, from, to));
        }
        from = to;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A coverage-like table: labels padded to 34, cells of 5.
    fn sample() -> String {
        let mut t = format!("{:<34}", "operation");
        for s in ["200", "400", "404"] {
            t.push_str(&format!(" {s:>4}"));
        }
        t.push('\n');
        for (name, cells) in [
            ("identity-roles::Roles_Get Role", ["ok", "-", "FAIL"]),
            ("identity-roles::Roles_Create Role", ["ok", "ok", "-"]),
        ] {
            t.push_str(&format!("{name:<34}"));
            for c in cells {
                t.push_str(&format!(" {c:>4}"));
            }
            t.push('\n');
        }
        t.push_str(
            "3 documented statuses conformant, 1 failed, 2 not exercised, and a long note\n",
        );
        t
    }

    #[test]
    fn a_table_that_fits_is_left_as_it_is() {
        assert_eq!(table(&sample(), 2, 200), sample());
    }

    #[test]
    fn labels_give_way_before_columns_and_notes_wrap() {
        let fitted = table(&sample(), 2, 34);
        for line in fitted.lines() {
            assert!(width_of(line) <= 34, "{line:?} in\n{fitted}");
        }
        assert!(fitted.contains("…"), "{fitted}");
        assert!(
            fitted.contains("   ok    - FAIL"),
            "every column in one band:\n{fitted}"
        );
    }

    #[test]
    fn columns_too_wide_for_the_terminal_go_in_bands() {
        let fitted = table(&sample(), 2, 26);
        for line in fitted.lines() {
            assert!(width_of(line) <= 26, "{line:?} in\n{fitted}");
        }
        // Two bands, each with the header and both rows.
        assert_eq!(fitted.matches("operation").count(), 2, "{fitted}");
        assert!(fitted.contains(" FAIL"), "{fitted}");
    }

    #[test]
    fn shorten_keeps_both_ends() {
        assert_eq!(shorten("identity-roles::Roles_Get", 10), "iden…s_Get");
        assert_eq!(shorten("short", 10), "short");
    }
}
