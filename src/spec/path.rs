//! Path templates: `/api/v1/Tenants/{tenantId}/Roles/{roleId}` parsed once,
//! when the contract is assembled, into literal and parameter segments.
//!
//! This is the one place that takes a path apart. Its parameters, its
//! shape, whether two templates name the same path, matching a concrete
//! request path and filling the template with values all live here; every
//! other stage asks a [`PathTemplate`] instead of splitting strings.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A fixed word. Literals compare without regard to ASCII case: the docs
    /// spell `Tenants` and `tenants` for the same path.
    Literal(String),
    /// A `{name}` placeholder.
    Param(String),
}

impl Segment {
    /// The parameter name of a placeholder segment.
    pub fn param(&self) -> Option<&str> {
        match self {
            Segment::Param(name) => Some(name),
            Segment::Literal(_) => None,
        }
    }

    fn same(&self, other: &Segment) -> bool {
        match (self, other) {
            (Segment::Literal(a), Segment::Literal(b)) => a.eq_ignore_ascii_case(b),
            (Segment::Param(a), Segment::Param(b)) => a == b,
            _ => false,
        }
    }

    fn same_shape(&self, other: &Segment) -> bool {
        match (self, other) {
            (Segment::Literal(a), Segment::Literal(b)) => a.eq_ignore_ascii_case(b),
            (Segment::Param(_), Segment::Param(_)) => true,
            _ => false,
        }
    }
}

/// A documented path template. It serialises as the raw string, so the
/// contract model's JSON is the text the docs wrote.
#[derive(Debug, Clone)]
pub struct PathTemplate {
    raw: String,
    segments: Vec<Segment>,
}

/// A concrete request path matched against a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch<'p> {
    /// The request's segments, one per template segment.
    pub parts: Vec<&'p str>,
    /// How many literal segments matched: the more, the more specific.
    pub literals: usize,
}

impl<'p> PathMatch<'p> {
    /// The value given for the segment at `index`, as sent.
    pub fn at(&self, index: usize) -> Option<&str> {
        self.parts.get(index).copied()
    }

    /// Every segment percent-decoded; see [`decode_segments`].
    pub fn decoded(&self) -> Result<Vec<Cow<'p, str>>, Undecodable<'p>> {
        decode_segments(&self.parts)
    }
}

/// A request path segment that is not UTF-8 once percent-decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undecodable<'p> {
    /// The segment's position in the path.
    pub index: usize,
    /// The segment as sent.
    pub raw: &'p str,
}

impl fmt::Display for Undecodable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "path segment {} `{}` is not UTF-8 once percent-decoded",
            self.index + 1,
            self.raw
        )
    }
}

/// One request path segment percent-decoded, once: `%30` is `0`, `%20` a
/// space and `%2F` a slash that stays inside the segment, since the path
/// was split on `/` as sent. A `%` not followed by two hex digits stays as
/// it is. The error is a segment whose bytes are not UTF-8.
pub fn decode_segment(raw: &str) -> Result<Cow<'_, str>, std::str::Utf8Error> {
    if !raw.contains('%') {
        return Ok(Cow::Borrowed(raw));
    }
    percent_encoding::percent_decode_str(raw).decode_utf8()
}

/// Request path segments (as [`PathTemplate::matches`] split them)
/// percent-decoded one by one ([`decode_segment`]); the first one that is
/// not UTF-8 is the error.
pub fn decode_segments<'p>(parts: &[&'p str]) -> Result<Vec<Cow<'p, str>>, Undecodable<'p>> {
    parts
        .iter()
        .enumerate()
        .map(|(index, raw)| decode_segment(raw).map_err(|_| Undecodable { index, raw }))
        .collect()
}

impl PathTemplate {
    /// Parses a template. Empty segments (`//`, a trailing `/`) are dropped;
    /// a segment that is wholly `{name}` is a parameter, anything else a
    /// literal.
    pub fn parse(raw: &str) -> PathTemplate {
        let segments = raw
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                    Some(name) if !name.is_empty() && !name.contains(['{', '}']) => {
                        Segment::Param(name.to_string())
                    }
                    _ => Segment::Literal(s.to_string()),
                },
            )
            .collect();
        PathTemplate {
            raw: raw.to_string(),
            segments,
        }
    }

    fn from_segments(segments: &[Segment]) -> PathTemplate {
        let mut raw = String::new();
        for s in segments {
            raw.push('/');
            match s {
                Segment::Literal(l) => raw.push_str(l),
                Segment::Param(p) => {
                    raw.push('{');
                    raw.push_str(p);
                    raw.push('}');
                }
            }
        }
        if raw.is_empty() {
            raw.push('/');
        }
        PathTemplate {
            raw,
            segments: segments.to_vec(),
        }
    }

    /// The template as the docs wrote it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The placeholder names, in template order.
    pub fn params(&self) -> impl Iterator<Item = &str> + '_ {
        self.segments.iter().filter_map(Segment::param)
    }

    /// Whether `name` is one of the placeholders.
    pub fn has_param(&self, name: &str) -> bool {
        self.params().any(|p| p == name)
    }

    /// The segment position of the placeholder `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.segments.iter().position(|s| s.param() == Some(name))
    }

    /// The placeholder the template ends with: the id of an item path.
    pub fn last_param(&self) -> Option<&str> {
        self.segments.last().and_then(Segment::param)
    }

    /// Whether two templates name the same path: literals equal without
    /// regard to ASCII case, placeholders equal by name.
    pub fn same(&self, other: &PathTemplate) -> bool {
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| a.same(b))
    }

    /// Whether two templates have the same shape: the same URLs match both,
    /// whatever their placeholders are called.
    pub fn same_shape(&self, other: &PathTemplate) -> bool {
        self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| a.same_shape(b))
    }

    /// The shape as a key: literals lower-cased, placeholders as `{}`,
    /// joined by `/` without a leading one. Equal keys mean
    /// [`same_shape`](Self::same_shape).
    pub fn shape_key(&self) -> String {
        shape_key(&self.segments)
    }

    /// Whether `prefix`'s segments begin this template (same path rule).
    pub fn starts_with(&self, prefix: &PathTemplate) -> bool {
        prefix.segments.len() <= self.segments.len()
            && prefix
                .segments
                .iter()
                .zip(&self.segments)
                .all(|(a, b)| a.same(b))
    }

    /// Whether `prefix`'s segments begin this template by shape: literals
    /// equal without regard to ASCII case, any placeholder for any other.
    pub fn starts_with_shape(&self, prefix: &PathTemplate) -> bool {
        prefix.segments.len() <= self.segments.len()
            && prefix
                .segments
                .iter()
                .zip(&self.segments)
                .all(|(a, b)| a.same_shape(b))
    }

    /// This template with the leading segments that have `from`'s shape
    /// replaced by `to`'s segments: a path moved under a new prefix. `None`
    /// when `from` does not begin this template.
    pub fn rebase(&self, from: &PathTemplate, to: &PathTemplate) -> Option<PathTemplate> {
        if !self.starts_with_shape(from) {
            return None;
        }
        let mut segments = to.segments.clone();
        segments.extend_from_slice(&self.segments[from.segments.len()..]);
        Some(PathTemplate::from_segments(&segments))
    }

    /// The template written from its segments: one leading `/`, no empty
    /// or trailing segments, whatever spacing the docs used.
    pub fn canonical(&self) -> String {
        PathTemplate::from_segments(&self.segments).raw
    }

    /// The template without its last segment; `None` for the root.
    pub fn parent(&self) -> Option<PathTemplate> {
        let (_, rest) = self.segments.split_last()?;
        Some(PathTemplate::from_segments(rest))
    }

    /// This template with the placeholder `from` renamed `to`: the same
    /// path filled from another variable.
    pub fn renamed(&self, from: &str, to: &str) -> PathTemplate {
        let segments: Vec<Segment> = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Param(p) if p == from => Segment::Param(to.to_string()),
                other => other.clone(),
            })
            .collect();
        PathTemplate::from_segments(&segments)
    }

    /// The template up to and including the placeholder `name`.
    pub fn through(&self, name: &str) -> Option<PathTemplate> {
        let at = self.position(name)?;
        Some(PathTemplate::from_segments(&self.segments[..=at]))
    }

    /// The template of the first `n` segments.
    pub fn prefix(&self, n: usize) -> PathTemplate {
        PathTemplate::from_segments(&self.segments[..n.min(self.segments.len())])
    }

    /// How many leading segments are the API's prefix rather than a
    /// resource: an `api` segment and one version segment (`v1`,
    /// `v1-preview`, `v2.1`).
    pub fn base_len(&self) -> usize {
        let mut n = 0;
        if matches!(self.segments.first(), Some(Segment::Literal(s)) if s.eq_ignore_ascii_case("api"))
        {
            n = 1;
        }
        if matches!(self.segments.get(n), Some(Segment::Literal(s)) if is_version(s)) {
            n += 1;
        }
        n
    }

    /// Matches a concrete request path (without its query). The path is
    /// split on `/` as sent, so an encoded `%2F` stays inside its segment.
    /// Literals match without regard to ASCII case, percent-decoded (a
    /// client encodes the `{` of a literal the docs wrote as
    /// `Namespaces{namespaceId}`); a placeholder matches one non-empty
    /// segment, whose value [`PathMatch::decoded`] gives. Empty segments
    /// are kept, so `a//b` cannot pass for `a/{x}/b`.
    pub fn matches<'p>(&self, path: &'p str) -> Option<PathMatch<'p>> {
        let trimmed = path.strip_prefix('/').unwrap_or(path);
        let parts: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut literals = 0;
        for (s, p) in self.segments.iter().zip(&parts) {
            match s {
                Segment::Literal(l) if l.eq_ignore_ascii_case(p) => literals += 1,
                Segment::Literal(l)
                    if p.contains('%')
                        && decode_segment(p).is_ok_and(|d| l.eq_ignore_ascii_case(&d)) =>
                {
                    literals += 1
                }
                Segment::Literal(_) => return None,
                Segment::Param(_) if p.is_empty() => return None,
                Segment::Param(_) => {}
            }
        }
        Some(PathMatch { parts, literals })
    }

    /// The segments with every placeholder replaced by `value(name)`,
    /// unencoded; the first placeholder without a value is the error.
    pub fn fill<F>(&self, mut value: F) -> Result<Vec<String>, &str>
    where
        F: FnMut(&str) -> Option<String>,
    {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => Ok(l.clone()),
                Segment::Param(p) => value(p).ok_or(p.as_str()),
            })
            .collect()
    }
}

/// The shape key of a run of segments; see [`PathTemplate::shape_key`].
pub fn shape_key(segments: &[Segment]) -> String {
    let mut out = String::new();
    for (i, s) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        match s {
            Segment::Literal(l) => out.extend(l.chars().map(|c| c.to_ascii_lowercase())),
            Segment::Param(_) => out.push_str("{}"),
        }
    }
    out
}

/// Whether a literal names an API version: `v1`, `v2.1`, `v1-preview`.
fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(rest[digits..].chars().next(), None | Some('-' | '.' | '_'))
}

impl PartialEq for PathTemplate {
    /// Equal as written: the raw text decides, as it does in snapshots.
    fn eq(&self, other: &PathTemplate) -> bool {
        self.raw == other.raw
    }
}

impl Eq for PathTemplate {}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl From<&str> for PathTemplate {
    fn from(raw: &str) -> PathTemplate {
        PathTemplate::parse(raw)
    }
}

impl Serialize for PathTemplate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for PathTemplate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(PathTemplate::parse(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(raw: &str) -> PathTemplate {
        PathTemplate::parse(raw)
    }

    #[test]
    fn a_template_round_trips_through_serde_as_its_raw_text() {
        for raw in [
            "/api/v1/Tenants/{tenantId}/Roles/{roleId}",
            "/api/v1-preview/Communities",
            "api/v1/no-leading-slash/{x}/",
        ] {
            let p = t(raw);
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, serde_json::to_string(raw).unwrap());
            let back: PathTemplate = serde_json::from_str(&json).unwrap();
            assert_eq!(back, p);
            assert_eq!(back.segments(), p.segments());
            assert_eq!(p.to_string(), raw);
        }
    }

    #[test]
    fn params_positions_and_last_param() {
        let p = t("/api/v1/Tenants/{tenantId}/Roles/{roleId}");
        assert_eq!(p.params().collect::<Vec<_>>(), ["tenantId", "roleId"]);
        assert_eq!(p.position("roleId"), Some(5));
        assert_eq!(p.last_param(), Some("roleId"));
        assert!(p.has_param("tenantId") && !p.has_param("x"));
        assert_eq!(t("/a/{b}/c").last_param(), None);
        // A brace inside a literal is no placeholder.
        assert_eq!(t("/a/x{b}").params().count(), 0);
    }

    #[test]
    fn same_path_ignores_literal_case_but_not_parameter_names() {
        assert!(t("/a/Tenants/{t}/Roles").same(&t("/a/tenants/{t}/roles")));
        assert!(!t("/a/Tenants/{t}/Roles").same(&t("/a/Tenants/{x}/Roles")));
        assert!(!t("/a/b").same(&t("/a/b/c")));
        assert!(!t("/a/{b}").same(&t("/a/b")));
        assert!(t("/a/Tenants/{t}/Roles").same_shape(&t("/a/tenants/{x}/roles")));
        assert_eq!(t("/A/{t}/Roles").shape_key(), "a/{}/roles");
        assert!(t("a/b/").same(&t("/a/b")));
    }

    #[test]
    fn parents_and_prefixes() {
        let p = t("/x/{a}/y/{b}/z");
        assert_eq!(p.through("b").unwrap().as_str(), "/x/{a}/y/{b}");
        assert!(p.through("c").is_none());
        assert_eq!(p.parent().unwrap().as_str(), "/x/{a}/y/{b}");
        assert_eq!(t("/x").parent().unwrap().as_str(), "/");
        assert!(t("/").parent().is_none());
        assert!(p.starts_with(&t("/X/{a}")));
        assert!(!p.starts_with(&t("/x/{b}")));
        assert_eq!(p.prefix(2).as_str(), "/x/{a}");
    }

    #[test]
    fn rebasing_moves_a_path_under_a_new_prefix_by_shape() {
        let p = t("/api/v1/tenants/{tenantId}/Communities/{communityId}");
        let from = t("/api/v1/Tenants/{id}/communities");
        let to = t("/api/v1-preview/Communities");
        assert!(p.starts_with_shape(&from) && !p.starts_with(&from));
        let moved = p.rebase(&from, &to).unwrap();
        assert_eq!(moved.as_str(), "/api/v1-preview/Communities/{communityId}");
        assert_eq!(moved.params().collect::<Vec<_>>(), ["communityId"]);
        assert_eq!(
            t("/api/v1/Tenants/{id}/communities")
                .rebase(&from, &to)
                .unwrap()
                .as_str(),
            "/api/v1-preview/Communities"
        );
        assert!(t("/api/v1/tenants/{t}/CommunitiesX")
            .rebase(&from, &to)
            .is_none());
        assert!(t("/api/v1/tenants").rebase(&from, &to).is_none());
        assert!(t("/a/b").rebase(&t("/a/b"), &t("/")).unwrap().as_str() == "/");
    }

    #[test]
    fn the_canonical_spelling_has_one_leading_slash_and_no_empty_segments() {
        assert_eq!(t("api//v1/{x}/").canonical(), "/api/v1/{x}");
        assert_eq!(t("/a/{b}").canonical(), "/a/{b}");
        assert_eq!(t("").canonical(), "/");
    }

    #[test]
    fn the_api_prefix_is_api_and_a_version() {
        assert_eq!(t("/api/v1/Tenants").base_len(), 2);
        assert_eq!(t("/api/v1-preview/Communities").base_len(), 2);
        assert_eq!(t("/API/V2.1/x").base_len(), 2);
        assert_eq!(t("/v1/x").base_len(), 1);
        assert_eq!(t("/api/Tenants").base_len(), 1);
        assert_eq!(t("/value/x").base_len(), 0);
        for v in ["v1", "V2", "v1-preview", "v2.1", "v10"] {
            assert!(is_version(v), "{v}");
        }
        for v in ["v", "value", "vx1", "1", "Communities"] {
            assert!(!is_version(v), "{v}");
        }
    }

    #[test]
    fn matching_a_concrete_path() {
        let p = t("/api/v1/Tenants/{tenantId}/Roles/{roleId}");
        let m = p.matches("/api/V1/tenants/T1/roles/R2").unwrap();
        assert_eq!(m.parts[3], "T1");
        assert_eq!(m.at(5), Some("R2"));
        assert_eq!(m.literals, 4);
        assert!(p.matches("/api/v1/Tenants//Roles/R2").is_none());
        assert!(p.matches("/api/v1/Tenants/T/Roles").is_none());
        assert!(p.matches("/api/v1/Tenants/T/Users/R").is_none());
        assert!(t("/").matches("/").is_some());
        // A literal a client had to encode still matches.
        let odd = t("/Namespaces{namespaceId}/Bulk");
        assert!(odd.matches("/Namespaces%7BnamespaceId%7D/bulk").is_some());
    }

    #[test]
    fn segments_decode_once_and_an_encoded_slash_stays_inside_its_segment() {
        let p = t("/a/{x}/b/{y}");
        let m = p.matches("/a/%30ne%2Ftwo/B/my%20ns").unwrap();
        assert_eq!(m.at(1), Some("%30ne%2Ftwo"));
        let decoded = m.decoded().unwrap();
        assert_eq!(decoded[1], "0ne/two");
        assert_eq!(decoded[3], "my ns");
        assert!(matches!(decoded[0], Cow::Borrowed("a")));
        // Once: `%2530` is the text `%30`, not `0`.
        assert_eq!(decode_segment("%2530").unwrap(), "%30");
        // A `%` that starts no escape is kept.
        assert_eq!(decode_segment("50%").unwrap(), "50%");
        let slash = p.matches("/a/x%2Fy/b/w").unwrap();
        assert_eq!(slash.decoded().unwrap()[1], "x/y");
        assert!(p.matches("/a/x/y/b/w").is_none());
    }

    #[test]
    fn a_segment_that_is_not_utf8_once_decoded_is_named() {
        let m = t("/a/{x}").matches("/a/%FF%FE").unwrap();
        let bad = m.decoded().unwrap_err();
        assert_eq!(
            bad,
            Undecodable {
                index: 1,
                raw: "%FF%FE"
            }
        );
        assert!(bad.to_string().contains("`%FF%FE`"), "{bad}");
        // A literal that does not decode matches nothing.
        assert!(t("/a/b").matches("/a/%FF").is_none());
    }

    #[test]
    fn filling_names_the_first_missing_value() {
        let p = t("/t/{a}/u/{b}");
        let filled = p.fill(|n| (n == "a").then(|| "1".to_string()));
        assert_eq!(filled, Err("b"));
        let filled = p.fill(|n| Some(n.to_uppercase())).unwrap();
        assert_eq!(filled, ["t", "A", "u", "B"]);
    }
}
