//! Finding an example in the document's text, and the line of each of its
//! members, so that a diagnostic points at the member that is wrong.
//!
//! The model keeps the parsed example but not where its text sits; the
//! text is found again here by reading JSON from candidate lines and
//! keeping the one that parses to the very example the model holds.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::escape_pointer;

/// Nesting deeper than this is not followed (a document cannot make the
/// reader recurse without bound).
const MAX_DEPTH: usize = 64;
/// An example longer than this many lines is not searched for.
const MAX_LINES: usize = 5000;

/// An example found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The 1-based line the example starts on.
    pub line: usize,
    /// The 1-based line of every member and item, by JSON pointer.
    pub lines: HashMap<String, usize>,
}

impl Located {
    /// The line of the value at `pointer`, or of its nearest ancestor.
    pub fn line_of(&self, pointer: &str) -> usize {
        let mut p = pointer;
        loop {
            if let Some(line) = self.lines.get(p) {
                return *line;
            }
            match p.rfind('/') {
                Some(cut) => p = &p[..cut],
                None => return self.line,
            }
        }
    }
}

/// Finds `expected` in `lines[from..to]` (0-based, `to` exclusive): the
/// first line opening a JSON object or array that parses to it.
pub fn find(lines: &[&str], from: usize, to: usize, expected: &Value) -> Option<Located> {
    let to = to.min(lines.len());
    (from..to)
        .filter(|&i| {
            let t = lines[i].trim_start();
            t.starts_with('{') || t.starts_with('[')
        })
        .find_map(|i| {
            let end = to.min(i + MAX_LINES);
            let text = lines[i..end].join("\n");
            let mut reader = Reader {
                chars: text.chars().peekable(),
                line: i + 1,
                lines: HashMap::new(),
            };
            let value = reader.value("", 0)?;
            (value == *expected).then(|| Located {
                line: i + 1,
                lines: reader.lines,
            })
        })
}

/// The first line in `lines[from..to]` whose text, after any `>` quote
/// marker, starts with `prefix`.
pub fn find_label(lines: &[&str], from: usize, to: usize, prefix: &str) -> Option<usize> {
    let to = to.min(lines.len());
    (from..to).find(|&i| {
        lines[i]
            .trim_start()
            .trim_start_matches('>')
            .trim_start()
            .starts_with(prefix)
    })
}

/// A small JSON reader that records the line each value starts on.
struct Reader<I: Iterator<Item = char>> {
    chars: std::iter::Peekable<I>,
    line: usize,
    lines: HashMap<String, usize>,
}

impl<I: Iterator<Item = char>> Reader<I> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.chars.peek(), Some(c) if c.is_whitespace()) {
            self.bump();
        }
    }

    fn eat(&mut self, want: char) -> Option<()> {
        self.skip_ws();
        (self.bump()? == want).then_some(())
    }

    fn value(&mut self, pointer: &str, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        self.lines.insert(pointer.to_string(), self.line);
        match *self.chars.peek()? {
            '{' => {
                self.bump();
                let mut map = Map::new();
                self.skip_ws();
                if self.chars.peek() == Some(&'}') {
                    self.bump();
                    return Some(Value::Object(map));
                }
                loop {
                    self.skip_ws();
                    let key_line = self.line;
                    let key = self.string()?;
                    let child = format!("{pointer}/{}", escape_pointer(&key));
                    self.eat(':')?;
                    let v = self.value(&child, depth + 1)?;
                    self.lines.insert(child, key_line);
                    map.insert(key, v);
                    self.skip_ws();
                    match self.bump()? {
                        ',' => continue,
                        '}' => return Some(Value::Object(map)),
                        _ => return None,
                    }
                }
            }
            '[' => {
                self.bump();
                let mut items = Vec::new();
                self.skip_ws();
                if self.chars.peek() == Some(&']') {
                    self.bump();
                    return Some(Value::Array(items));
                }
                loop {
                    let child = format!("{pointer}/{}", items.len());
                    items.push(self.value(&child, depth + 1)?);
                    self.skip_ws();
                    match self.bump()? {
                        ',' => continue,
                        ']' => return Some(Value::Array(items)),
                        _ => return None,
                    }
                }
            }
            '"' => self.string().map(Value::String),
            _ => {
                let mut word = String::new();
                while let Some(&c) = self.chars.peek() {
                    if c.is_alphanumeric() || matches!(c, '-' | '+' | '.') {
                        word.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                serde_json::from_str(&word).ok()
            }
        }
    }

    /// A JSON string, decoded by serde_json once its extent is known.
    fn string(&mut self) -> Option<String> {
        if self.bump()? != '"' {
            return None;
        }
        let mut raw = String::from('"');
        loop {
            let c = self.bump()?;
            raw.push(c);
            match c {
                '\\' => raw.push(self.bump()?),
                '"' => break,
                _ => {}
            }
        }
        serde_json::from_str(&raw).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_example_that_parses_to_the_models_value_and_its_member_lines() {
        let text = "heading\n[not json]\n```json\n{\n  \"A\": 1,\n  \"B\": [\n    {\"C\": \"x\\\"y\"}\n  ]\n}\n```\n";
        let lines: Vec<&str> = text.lines().collect();
        let expected = json!({"A": 1, "B": [{"C": "x\"y"}]});
        let found = find(&lines, 0, lines.len(), &expected).expect("found");
        assert_eq!(found.line, 4);
        assert_eq!(found.line_of(""), 4);
        assert_eq!(found.line_of("/A"), 5);
        assert_eq!(found.line_of("/B"), 6);
        assert_eq!(found.line_of("/B/0/C"), 7);
        assert_eq!(found.line_of("/B/0/C/deeper"), 7);
        assert_eq!(found.line_of("/Z"), 4);
    }

    #[test]
    fn a_different_value_is_not_taken_for_the_example() {
        let lines = ["{\"A\": 2}", "{\"A\": 1}"];
        let found = find(&lines, 0, 2, &json!({"A": 1})).expect("found");
        assert_eq!(found.line, 2);
        assert!(find(&lines, 0, 2, &json!({"A": 3})).is_none());
    }

    #[test]
    fn labels_match_after_a_quote_marker() {
        let lines = ["x", "> 201 Response", "201 Response (Role)"];
        assert_eq!(find_label(&lines, 0, 3, "201 Response"), Some(1));
        assert_eq!(find_label(&lines, 2, 3, "201 Response"), Some(2));
        assert_eq!(find_label(&lines, 0, 3, "200 Response"), None);
    }

    #[test]
    fn deep_or_broken_text_is_refused_without_panicking() {
        let deep = "[".repeat(10_000);
        assert!(find(&[deep.as_str()], 0, 1, &json!([])).is_none());
        assert!(find(&["{\"a\": }"], 0, 1, &json!({})).is_none());
        assert!(find(&["{\"a"], 0, 1, &json!({})).is_none());
    }
}
