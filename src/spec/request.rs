//! Reading what the hand-written documents put in code fences: request
//! lines (with or without the leading `/`, with the query on the line, the
//! path broken over two lines, several in one fence), `HTTP/1.1 200` status
//! lines with headers before an example body, and JSON with the trailing
//! commas and comments people write by hand.

use super::model::Method;

/// One `METHOD path` line of a request fence, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RequestLine {
    /// 0-based line of the fence text the method is on.
    pub offset: usize,
    /// The method.
    pub method: Method,
    /// The path template with a leading `/` and without the query.
    pub path: String,
    /// Query parameter names, from the line itself or a `?a={a}` line after it.
    pub query: Vec<String>,
    /// What had to be repaired to read it, for an info diagnostic.
    pub repairs: Vec<&'static str>,
}

/// `METHOD token` with a method word first: the method and the token.
fn method_line(line: &str) -> Option<(Method, &str)> {
    let line = line.trim();
    let (word, rest) = line.split_once([' ', '\t'])?;
    let method = Method::parse(word)?;
    let rest = rest.trim();
    // A request names a path; prose such as "GET and POST are supported"
    // does not. Only a query may hold spaces (`?query=name:pump name:x`).
    let first = rest.split_whitespace().next()?;
    let path = if first.contains('?') { rest } else { first };
    (path.len() == rest.len() && path.contains('/')).then_some((method, path))
}

/// Whether the fence text's first line that is neither blank nor a
/// comment (`# get the last value`) is a request line.
pub(crate) fn starts_with_request(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("//"))
        .is_some_and(|l| method_line(l).is_some())
}

/// Every request line of a fence. Lines that are neither a request line, a
/// query line nor the second half of a broken path are not part of any
/// request (headers, bodies, comments) and are skipped.
pub(crate) fn request_lines(text: &str) -> Vec<RequestLine> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<RequestLine> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let offset = i;
        i += 1;
        if let Some(query) = line.strip_prefix('?') {
            if let Some(last) = out.last_mut() {
                last.query.extend(query_names(query));
            }
            continue;
        }
        let Some((method, token)) = method_line(line) else {
            continue;
        };
        let mut token = token.to_string();
        let mut repairs = Vec::new();
        // "GET api/.../Data/" + "    Interpolated?index={index}": one path
        // broken over two lines.
        if token.ends_with('/') {
            if let Some(next) = lines.get(i).map(|l| l.trim()) {
                let continues = !next.is_empty()
                    && !next.contains(char::is_whitespace)
                    && !next.starts_with('?')
                    && method_line(next).is_none()
                    && next.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '{');
                if continues {
                    token.push_str(next);
                    repairs.push("joined the path broken over two lines");
                    i += 1;
                }
            }
        }
        let (path, query) = match token.split_once('?') {
            Some((path, query)) => (path.to_string(), query_names(query)),
            None => (token, Vec::new()),
        };
        let path = if path.starts_with('/') {
            path
        } else {
            repairs.push("added the leading `/`");
            format!("/{path}")
        };
        out.push(RequestLine {
            offset,
            method,
            path,
            query,
            repairs,
        });
    }
    out
}

/// Parameter names of a query string: `a={a}&b={b}`, `[&c={c}]`.
fn query_names(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .map(|n| n.trim().trim_matches(['[', ']', ' ']).to_string())
        .filter(|n| super::blocks::is_identifier(n))
        .collect()
}

/// The status of an `HTTP/1.1 200`, `HTTP/1.1 200 OK` or `HTTP 200 OK` line.
pub(crate) fn http_status(line: &str) -> Option<u16> {
    let rest = line.trim().strip_prefix("HTTP")?;
    let rest = match rest.strip_prefix('/') {
        Some(version) => version.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.'),
        None => rest,
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let code = rest.split_whitespace().next()?;
    code.parse::<u16>()
        .ok()
        .filter(|s| code.len() == 3 && (100..600).contains(s))
}

/// An example fence that begins with a status line: its status, and the
/// body after the headers with the 0-based line it starts on.
pub(crate) fn http_example(text: &str) -> Option<(u16, &str, usize)> {
    let mut offset = 0;
    let mut status = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        match status {
            None if t.is_empty() => {}
            // A label such as `form=default` may precede the status line.
            None if i < 2 && http_status(t).is_none() && !t.starts_with(['{', '[']) => {}
            None => status = Some(http_status(t)?),
            // Headers run until a blank line or the body's first bracket.
            Some(_) if t.is_empty() || t.starts_with(['{', '[']) => {
                let skip = if t.is_empty() { line.len() } else { 0 };
                return Some((status?, &text[offset + skip..], i + usize::from(skip > 0)));
            }
            Some(_) => {}
        }
        offset += line.len();
    }
    status.map(|s| (s, "", text.lines().count()))
}

/// Statuses that response prose states with their reason phrase, as in
/// "returns 200 OK" or "responds with 404 Not Found". A bare number is not
/// enough: prose is full of them ("returns the first 100 matches").
pub(crate) fn prose_statuses(text: &str) -> Vec<u16> {
    let mut out = Vec::new();
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '`' | '"'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(status) = w
            .parse::<u16>()
            .ok()
            .filter(|s| w.len() == 3 && (100..600).contains(s))
        else {
            continue;
        };
        let Some(reason) = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
        else {
            continue;
        };
        let n = reason.split_whitespace().count();
        let said = words.get(i + 1..i + 1 + n).map(|ws| {
            ws.iter()
                .map(|w| w.trim_end_matches(['.', ':']))
                .collect::<Vec<_>>()
                .join(" ")
        });
        if said.is_some_and(|s| s.eq_ignore_ascii_case(reason)) && !out.contains(&status) {
            out.push(status);
        }
    }
    out
}

/// Removes what JSON forbids but hand-written examples contain: `//` and
/// `/* */` comments and commas before a closing bracket. Returns the text
/// and what was removed, or `None` when there was nothing to remove.
pub(crate) fn repair_json(text: &str) -> Option<(String, String)> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut commas, mut comments, mut spaces) = (0, 0, 0);
    let mut in_string = false;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b >= 0x80 {
            // Outside strings only ASCII was stepped over, so `i` is on a
            // character boundary. No-break and other Unicode spaces that
            // editors put into indentation are not JSON white space.
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                out.push_str(&text[copied..i]);
                out.push(' ');
                spaces += 1;
                copied = i + c.len_utf8();
            }
            i += c.len_utf8();
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                out.push_str(&text[copied..i]);
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                comments += 1;
                i = end;
                copied = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                out.push_str(&text[copied..i]);
                let end = memchr::memmem::find(&bytes[i + 2..], b"*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                // Keep the line count, so JSON errors still point right.
                out.extend(text[i..end].chars().filter(|c| *c == '\n'));
                comments += 1;
                i = end;
                copied = end;
                continue;
            }
            b',' => {
                let next = bytes[i + 1..]
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())
                    .map(|n| bytes[i + 1 + n]);
                if matches!(next, Some(b'}' | b']')) {
                    out.push_str(&text[copied..i]);
                    commas += 1;
                    copied = i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if commas + comments + spaces == 0 {
        return None;
    }
    out.push_str(&text[copied.min(text.len())..]);
    let mut what = Vec::new();
    if commas > 0 {
        what.push(format!(
            "{commas} trailing comma{}",
            if commas == 1 { "" } else { "s" }
        ));
    }
    if comments > 0 {
        what.push(format!(
            "{comments} comment{}",
            if comments == 1 { "" } else { "s" }
        ));
    }
    if spaces > 0 {
        what.push(format!(
            "{spaces} non-ASCII space{}",
            if spaces == 1 { "" } else { "s" }
        ));
    }
    Some((out, what.join(" and ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_without_a_slash_with_a_query_and_broken() {
        let r = request_lines("\tGET api/v1/Streams?skip={skip}&count={count}\n");
        assert_eq!(r[0].path, "/api/v1/Streams");
        assert_eq!(r[0].query, ["skip", "count"]);
        assert_eq!(r[0].repairs, ["added the leading `/`"]);
        let r = request_lines(
            "GET /api/v1/Data/ \n    Interpolated?index={index}[&index={index}...]\n",
        );
        assert_eq!(r[0].path, "/api/v1/Data/Interpolated");
        assert_eq!(r[0].query, ["index", "index"]);
        let r = request_lines("GET /a/{id}\nContent-Type: x\n{}\nDELETE /a/{id}\n?force={force}\n");
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[1].method, r[1].offset, r[1].query.clone()),
            (Method::Delete, 3, vec!["force".to_string()])
        );
        assert!(request_lines("GET and POST are supported.").is_empty());
    }

    #[test]
    fn status_lines_and_http_examples() {
        assert_eq!(http_status("HTTP/1.1 200"), Some(200));
        assert_eq!(http_status("HTTP 201 Created"), Some(201));
        assert_eq!(http_status("HTTPS 200"), None);
        let (status, body, at) =
            http_example("HTTP/1.1 200\nContent-Type: application/json\n\n{\"a\": 1}\n").unwrap();
        assert_eq!((status, body, at), (200, "{\"a\": 1}\n", 3));
        let (status, body, _) = http_example("HTTP 200 OK\n[1]\n").unwrap();
        assert_eq!((status, body), (200, "[1]\n"));
        assert_eq!(
            http_example("HTTP 204 No Content\n").map(|e| e.0),
            Some(204)
        );
        assert_eq!(http_example("{\"a\": 1}"), None);
    }

    #[test]
    fn prose_statuses_need_their_reason_phrase() {
        assert_eq!(
            prose_statuses("Returns 200 OK, or 404 Not Found."),
            [200, 404]
        );
        assert!(prose_statuses("returns the first 100 matches").is_empty());
    }

    #[test]
    fn json_repairs_say_what_they_removed() {
        let (text, what) = repair_json("{\"a\": 1, // one\n \"b\": [2,],\n}").unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            serde_json::json!({"a": 1, "b": [2]})
        );
        assert_eq!(what, "2 trailing commas and 1 comment");
        assert_eq!(repair_json("{\"url\": \"http://x, }\"}"), None);
    }
}
