//! Colour and width on a terminal. `--color auto` (the default) colours
//! only a terminal and honours `NO_COLOR` and `CLICOLOR_FORCE`, as
//! `anstream` decides; everything printed goes through
//! [`emit`](super::emit), which strips the colours where they are not
//! wanted. Tables fit the terminal's width (`COLUMNS`, else the
//! terminal's); output to a pipe or a file keeps its full width.

use std::io::IsTerminal as _;

use anstyle::{AnsiColor, Style};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even to a pipe.
    Always,
    /// Never.
    Never,
}

impl Color {
    /// Makes the choice for every stream of the process.
    pub fn apply(self) {
        let choice = match self {
            Color::Auto => anstream::ColorChoice::Auto,
            Color::Always => anstream::ColorChoice::Always,
            Color::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

/// Whether stdout gets colours, all settings considered.
pub fn colours() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// The width tables must fit: `COLUMNS` when set, else the terminal's
/// when stdout is one; `None` (no limit) for a pipe or a file.
pub fn width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    columns.or_else(|| {
        let out = std::io::stdout();
        if !out.is_terminal() {
            return None;
        }
        terminal_size::terminal_size_of(&out).map(|(w, _)| usize::from(w.0))
    })
}

const RED: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// The summary line with its counts coloured: failures red, passes green,
/// accepted failures yellow.
pub fn summary(line: &str) -> String {
    let mut out = line.to_string();
    for (needle, style) in [(" failed", RED), (" passed", GREEN), (" accepted", YELLOW)] {
        if let Some(at) = out.find(needle) {
            // The count before the word, back to the previous space.
            let start = out[..at].rfind(' ').map_or(0, |i| i + 1);
            let count = &out[start..at];
            if count == "0" || count.parse::<usize>().is_err() {
                continue;
            }
            let word = &out[start..at + needle.len()];
            let painted = paint(style, word);
            out.replace_range(start..at + needle.len(), &painted);
        }
    }
    out
}

/// A coverage or role table with its `ok` cells green and `FAIL` cells
/// red.
pub fn cells(table: &str) -> String {
    table
        .lines()
        .map(|l| {
            l.replace(" FAIL", &format!(" {}", paint(RED, "FAIL")))
                .replace(" ok", &format!(" {}", paint(GREEN, "ok")))
        })
        .map(|l| l + "\n")
        .collect()
}

/// A word in red (a failed verdict).
pub fn red(text: &str) -> String {
    paint(RED, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_colours_counts_that_matter() {
        let line = "5 cases run: 3 passed, 2 failed, 0 skipped; 9 requests in 1 ms";
        let painted = summary(line);
        assert!(painted.contains(&paint(RED, "2 failed")), "{painted:?}");
        assert!(painted.contains(&paint(GREEN, "3 passed")), "{painted:?}");
        let stripped = anstream::adapter::strip_str(&painted).to_string();
        assert_eq!(stripped, line);
        let none = "1 cases run: 1 passed, 0 failed, 0 skipped";
        assert!(!summary(none).contains(&paint(RED, "0 failed")));
    }
}
