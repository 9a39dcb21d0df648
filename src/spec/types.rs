//! The scalar type table: every type word the docs write (`int32`, `long`,
//! `guid`, `date-time`, `uri`, `any`, ...) once, with its spellings, the
//! JSON type and JSON-Schema `format` it travels as, and how to make values
//! of it: a fixed valid sample, a fresh unique one, and one of the wrong
//! JSON type for negative tests.
//!
//! Schema derivation, the reference server, the planner's bodies, diff and
//! export all read this table, so a word cannot mean one thing to the
//! schema and another to the mock. Words match without regard to ASCII case
//! (`DateTime`, `Int32` and `String` are the .NET spellings of hand-written
//! pages). A word the table does not know is not a type word.

use serde_json::{json, Map, Value};

use JsonType as J;
use Values as V;

/// The JSON type a scalar travels as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// A JSON string.
    String,
    /// A JSON number without a fractional part.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A JSON object with any members.
    Object,
    /// A JSON array of anything.
    Array,
    /// Any JSON value at all: the docs' `any`, said knowingly.
    Any,
}

impl JsonType {
    /// The JSON-Schema `type` keyword's value; `None` for [`JsonType::Any`].
    pub fn as_str(self) -> Option<&'static str> {
        Some(match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Any => return None,
        })
    }

    /// Whether `v` has this JSON type. As in JSON Schema, `1.0` is an
    /// integer and every integer is a number.
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            JsonType::String => v.is_string(),
            JsonType::Integer => {
                v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            JsonType::Number => v.is_number(),
            JsonType::Boolean => v.is_boolean(),
            JsonType::Object => v.is_object(),
            JsonType::Array => v.is_array(),
            JsonType::Any => true,
        }
    }

    /// A value of another JSON type: what a negative test sends. Never a
    /// number for a number, so an integer type never gets another integer.
    /// `None` for [`JsonType::Any`], which no value breaks.
    pub fn wrong(self) -> Option<Value> {
        Some(match self {
            JsonType::String => json!(12345),
            JsonType::Integer | JsonType::Number => json!("not-a-number"),
            JsonType::Boolean => json!("not-a-boolean"),
            JsonType::Object => json!("not-an-object"),
            JsonType::Array => json!("not-an-array"),
            JsonType::Any => return None,
        })
    }
}

/// A JSON-Schema `format` a string scalar asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `uuid`: `497f6eca-6276-4993-bfeb-53cbbbba6f08`.
    Uuid,
    /// `date-time`: RFC 3339, `2019-08-24T14:15:22Z`.
    DateTime,
    /// `date`: RFC 3339 full-date, `2019-08-24`.
    Date,
    /// `email`.
    Email,
    /// `uri`: an absolute URI.
    Uri,
}

impl Format {
    /// The `format` keyword's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Email => "email",
            Format::Uri => "uri",
        }
    }

    /// Whether a string is plausibly of this format. UUIDs, date-times and
    /// dates are checked exactly; e-mail addresses and URIs only for their
    /// separator, since the mock must not refuse what a real service takes.
    pub fn accepts(self, s: &str) -> bool {
        match self {
            Format::Uuid => uuid::Uuid::parse_str(s).is_ok(),
            Format::DateTime => is_date_time(s),
            Format::Date => is_date(s),
            Format::Email => s.contains('@'),
            Format::Uri => s.contains(':'),
        }
    }
}

/// The hook through which fresh values are made unique: the planner draws
/// from its per-run nonce and counter (so plans are deterministic), the
/// reference server from random GUIDs and the clock.
pub trait Unique {
    /// Text no earlier call returned.
    fn text(&mut self) -> String;
    /// A positive integer no earlier call returned (modulo wrapping).
    fn integer(&mut self) -> i64;
    /// A GUID no earlier call returned.
    fn guid(&mut self) -> String;
    /// An RFC 3339 date-time for something made now.
    fn date_time(&mut self) -> String;
}

/// How values of a scalar are made, beyond its JSON type and format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Values {
    /// Free text, or the format's own rules.
    Text,
    /// `hh:mm:ss`, a time of day.
    Time,
    /// `hh:mm:ss`, a .NET `TimeSpan`.
    Span,
    /// Base64 text.
    Base64,
    /// Whatever the JSON type makes.
    Plain,
}

/// One row of the table: a docs type word and everything stages need of it.
#[derive(Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The word as the table names it (`int64`).
    pub word: &'static str,
    /// Other spellings of the same type (`long`).
    pub aliases: &'static [&'static str],
    /// The JSON type values travel as.
    pub json: JsonType,
    /// The JSON-Schema `format` asserted, if any.
    pub format: Option<Format>,
    /// What the word means, one phrase, for the README's table.
    pub meaning: &'static str,
    values: Values,
}

const fn row(
    word: &'static str,
    aliases: &'static [&'static str],
    json: JsonType,
    format: Option<Format>,
    values: Values,
    meaning: &'static str,
) -> Scalar {
    Scalar {
        word,
        aliases,
        json,
        format,
        meaning,
        values,
    }
}

/// Every scalar type word, in the order the README lists them.
#[rustfmt::skip]
pub static SCALARS: &[Scalar] = &[
    row("string", &[], J::String, None, V::Text, "text"),
    row("guid", &["uuid"], J::String, Some(Format::Uuid), V::Text, "a GUID"),
    row("date-time", &["datetime", "datetimeoffset"], J::String, Some(Format::DateTime), V::Text,
        "an RFC 3339 instant"),
    row("date", &[], J::String, Some(Format::Date), V::Text, "an RFC 3339 full-date"),
    row("time", &[], J::String, None, V::Time,
        "a time of day; no `format`, since JSON Schema's `time` demands an offset \
         the services do not send"),
    row("timespan", &[], J::String, None, V::Span,
        "a .NET TimeSpan (`00:05:00`), which is no ISO 8601 `duration`"),
    row("email", &[], J::String, Some(Format::Email), V::Text, "an e-mail address"),
    row("uri", &["url"], J::String, Some(Format::Uri), V::Text, "an absolute URI"),
    row("byte", &[], J::String, None, V::Base64, "base64 text (OpenAPI's `byte` format)"),
    row("binary", &[], J::String, None, V::Text, "raw octets as text"),
    row("password", &[], J::String, None, V::Text, "text shown masked"),
    row("integer", &["int"], J::Integer, None, V::Plain, "an integer"),
    row("int16", &[], J::Integer, None, V::Plain, "a 16-bit integer"),
    row("int32", &[], J::Integer, None, V::Plain, "a 32-bit integer"),
    row("int64", &["long"], J::Integer, None, V::Plain, "a 64-bit integer"),
    row("number", &[], J::Number, None, V::Plain, "a number"),
    row("double", &[], J::Number, None, V::Plain, "a 64-bit float"),
    row("float", &["single"], J::Number, None, V::Plain, "a 32-bit float"),
    row("decimal", &[], J::Number, None, V::Plain, "a decimal number"),
    row("boolean", &["bool"], J::Boolean, None, V::Plain, "`true` or `false`"),
    row("object", &[], J::Object, None, V::Plain, "an object with any members"),
    row("error", &[], J::Object, None, V::Plain, "an error body the hand-written docs do not define"),
    row("array", &[], J::Array, None, V::Plain, "an array of anything (query parameters)"),
    row("any", &[], J::Any, None, V::Plain, "any JSON value, knowingly: no warning"),
];

/// The table row of a type word, matched without regard to ASCII case;
/// `None` when the word is no scalar type word.
pub fn scalar(word: &str) -> Option<&'static Scalar> {
    SCALARS
        .iter()
        .find(|s| s.words().any(|w| w.eq_ignore_ascii_case(word)))
}

impl Scalar {
    /// The word and its aliases.
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.word).chain(self.aliases.iter().copied())
    }

    /// Whether two scalars travel alike: the same JSON type and format, so
    /// `int32` and `integer` agree and `guid` and `string` do not.
    pub fn same_wire(&self, other: &Scalar) -> bool {
        self.json == other.json && self.format == other.format
    }

    /// The JSON Schema of the type; without `formats` the `format` keyword
    /// is left out. `any` is the empty schema.
    pub fn schema(&self, formats: bool) -> Value {
        let mut schema = Map::new();
        if let Some(ty) = self.json.as_str() {
            schema.insert("type".into(), json!(ty));
        }
        if let (Some(format), true) = (self.format, formats) {
            schema.insert("format".into(), json!(format.as_str()));
        }
        Value::Object(schema)
    }

    /// Whether the type is free text (`string`, `password`): any string is
    /// a value of it, so a made-up unique string is too.
    pub fn is_free_text(&self) -> bool {
        self.json == J::String && self.format.is_none() && self.values == V::Text
    }

    /// Whether a text (a path segment or a query value, already
    /// percent-decoded) is a value of the type: numbers parse, booleans are
    /// `true` or `false` in any case, strings meet their format. Objects,
    /// arrays and `any` have no one text form, so every text passes.
    pub fn accepts_text(&self, s: &str) -> bool {
        match self.json {
            J::Integer => s.parse::<i64>().is_ok() || s.parse::<u64>().is_ok(),
            J::Number => s.parse::<f64>().is_ok_and(f64::is_finite),
            J::Boolean => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"),
            J::String => self.format.is_none_or(|f| f.accepts(s)),
            J::Object | J::Array | J::Any => true,
        }
    }

    /// Whether `v` is a value of the type (nulls are the caller's business).
    pub fn accepts(&self, v: &Value) -> bool {
        if !self.json.accepts(v) {
            return false;
        }
        match (self.format, v.as_str()) {
            (Some(f), Some(s)) => f.accepts(s),
            _ => true,
        }
    }

    /// A fixed valid value: what fills a member nobody gave a value.
    pub fn sample(&self) -> Value {
        match (self.json, self.format, self.values) {
            (J::String, Some(Format::Uuid), _) => json!(uuid::Uuid::nil().to_string()),
            (J::String, Some(Format::DateTime), _) => json!("1970-01-01T00:00:00Z"),
            (J::String, Some(Format::Date), _) => json!("1970-01-01"),
            (J::String, Some(Format::Email), _) => json!("user@example.com"),
            (J::String, Some(Format::Uri), _) => json!("https://example.com/"),
            (J::String, _, V::Time | V::Span) => json!("00:00:00"),
            (J::String, _, _) | (J::Any, _, _) => json!(""),
            (J::Integer | J::Number, _, _) => json!(0),
            (J::Boolean, _, _) => json!(false),
            (J::Object, _, _) => json!({}),
            (J::Array, _, _) => json!([]),
        }
    }

    /// A valid value no earlier call made, drawn from `unique`. Booleans,
    /// objects and arrays have no unique values; they get their sample.
    pub fn fresh(&self, unique: &mut dyn Unique) -> Value {
        match (self.json, self.format, self.values) {
            (J::String, Some(Format::Uuid), _) => json!(unique.guid()),
            (J::String, Some(Format::DateTime), _) => json!(unique.date_time()),
            (J::String, Some(Format::Date), _) => {
                // A day per number, counted from 2000-01-01.
                let day = unique.integer().rem_euclid(100_000) as u64;
                let at = format_date_time(946_684_800 + day * 86_400);
                json!(at[..10])
            }
            (J::String, Some(Format::Email), _) => json!(format!("{}@example.com", unique.text())),
            (J::String, Some(Format::Uri), _) => {
                json!(format!("https://example.com/{}", unique.text()))
            }
            (J::String, _, V::Time | V::Span) => json!(clock(unique.integer())),
            // Eight hex digits are valid base64 (six bytes).
            (J::String, _, V::Base64) => json!(format!("{:08x}", unique.integer())),
            (J::String, _, _) | (J::Any, _, _) => json!(unique.text()),
            (J::Integer | J::Number, _, _) => json!(unique.integer()),
            (J::Boolean | J::Object | J::Array, _, _) => self.sample(),
        }
    }

    /// A value of the wrong JSON type, for negative tests; `None` for
    /// `any`, which every value satisfies.
    pub fn wrong(&self) -> Option<Value> {
        self.json.wrong()
    }
}

/// `hh:mm:ss` of `n` seconds into a day.
fn clock(n: i64) -> String {
    let s = n.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// The scalar an example value most likely was, for a table row that lost
/// its type: an `@` means e-mail, then date-time and GUID shapes, else the
/// JSON type. Arrays and nulls say nothing about a scalar.
pub fn of_example(v: &Value) -> Option<&'static Scalar> {
    let word = match v {
        Value::String(s) if s.contains('@') => "email",
        Value::String(s) if looks_like_date_time(s) => "date-time",
        Value::String(s) if looks_like_guid(s) => "guid",
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Object(_) => "object",
        Value::Array(_) | Value::Null => return None,
    };
    scalar(word)
}

/// Loosely date-time-shaped: `2019-08-24T14:15`, zone or not.
fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
}

/// A hyphenated 36-character GUID.
fn looks_like_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Whether a string is an RFC 3339 date-time (`2019-08-24T14:15:22Z`,
/// fractions and offsets allowed).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !is_date_bytes(&b[..10])
        || !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// Whether a string is an RFC 3339 full-date (`2019-08-24`).
fn is_date(s: &str) -> bool {
    is_date_bytes(s.as_bytes())
}

fn is_date_bytes(b: &[u8]) -> bool {
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| matches!(i, 4 | 7) || c.is_ascii_digit())
}

/// Formats seconds since the Unix epoch as an RFC 3339 UTC date-time.
pub fn format_date_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts up from 1; text and GUIDs follow the counter.
    struct Counter(u64);

    impl Unique for Counter {
        fn text(&mut self) -> String {
            format!("t{}", self.integer())
        }
        fn integer(&mut self) -> i64 {
            self.0 += 1;
            self.0 as i64
        }
        fn guid(&mut self) -> String {
            let n = self.integer() as u128;
            uuid::Uuid::from_u128(n).to_string()
        }
        fn date_time(&mut self) -> String {
            format_date_time(1_566_656_122 + self.integer() as u64)
        }
    }

    #[test]
    fn texts_are_judged_by_the_type_they_travel_as() {
        let s = |w| scalar(w).expect(w);
        assert!(s("int32").accepts_text("-5") && !s("int32").accepts_text("5.5"));
        assert!(!s("integer").accepts_text("ten"));
        assert!(s("double").accepts_text("2.5") && !s("double").accepts_text("NaN"));
        assert!(s("boolean").accepts_text("TRUE") && !s("boolean").accepts_text("yes"));
        assert!(s("guid").accepts_text("0c6d7d5b-c985-40fc-bfef-a036c7c8f173"));
        assert!(!s("guid").accepts_text("not-a-guid"));
        assert!(s("string").accepts_text("anything at all"));
        assert!(s("any").accepts_text("{"));
    }

    #[test]
    fn every_word_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for s in SCALARS {
            for w in s.words() {
                assert_eq!(
                    w,
                    w.to_ascii_lowercase(),
                    "the table spells words lower-case"
                );
                assert!(seen.insert(w), "`{w}` is listed twice");
                assert!(std::ptr::eq(scalar(w).unwrap(), s));
            }
        }
    }

    #[test]
    fn words_match_without_regard_to_case() {
        assert_eq!(scalar("DateTime").unwrap().word, "date-time");
        assert_eq!(scalar("Int32").unwrap().word, "int32");
        assert_eq!(scalar("LONG").unwrap().word, "int64");
        assert_eq!(scalar("Guid").unwrap().format, Some(Format::Uuid));
        assert!(scalar("money").is_none());
        assert!(scalar("").is_none());
        assert!(scalar("Role").is_none());
    }

    #[test]
    fn samples_and_fresh_values_are_valid_and_wrong_values_are_not() {
        let mut u = Counter(0);
        for s in SCALARS {
            assert!(s.accepts(&s.sample()), "{}: sample {}", s.word, s.sample());
            let (a, b) = (s.fresh(&mut u), s.fresh(&mut u));
            assert!(s.accepts(&a), "{}: fresh {a}", s.word);
            if !matches!(s.json, J::Boolean | J::Object | J::Array) {
                assert_ne!(a, b, "{}: fresh values repeat", s.word);
            }
            match s.wrong() {
                Some(w) => assert!(!s.json.accepts(&w), "{}: wrong {w} is accepted", s.word),
                None => assert_eq!(s.json, J::Any),
            }
        }
    }

    #[test]
    fn integers_are_never_broken_by_another_integer() {
        for w in ["integer", "int", "int16", "int32", "int64", "long"] {
            let s = scalar(w).unwrap();
            assert_eq!(s.json, J::Integer, "{w}");
            assert_eq!(s.wrong(), Some(json!("not-a-number")), "{w}");
        }
        assert!(J::Integer.accepts(&json!(1.0)));
        assert!(!J::Integer.accepts(&json!(1.5)));
        assert!(J::Number.accepts(&json!(3)));
    }

    #[test]
    fn schemas_carry_type_and_format() {
        assert_eq!(
            scalar("guid").unwrap().schema(true),
            json!({"type": "string", "format": "uuid"})
        );
        assert_eq!(
            scalar("guid").unwrap().schema(false),
            json!({"type": "string"})
        );
        assert_eq!(
            scalar("long").unwrap().schema(true),
            json!({"type": "integer"})
        );
        assert_eq!(scalar("any").unwrap().schema(true), json!({}));
        assert_eq!(
            scalar("url").unwrap().schema(true),
            json!({"type": "string", "format": "uri"})
        );
    }

    #[test]
    fn same_wire_means_same_type_and_format() {
        let w = |a: &str, b: &str| scalar(a).unwrap().same_wire(scalar(b).unwrap());
        assert!(w("int32", "integer") && w("long", "int64") && w("double", "number"));
        assert!(w("uuid", "guid") && w("bool", "boolean"));
        assert!(!w("guid", "string") && !w("int32", "number") && !w("any", "string"));
    }

    #[test]
    fn formats_check_their_strings() {
        assert!(is_date_time("2019-08-24T14:15:22.123+02:00"));
        assert!(!is_date_time("2019-08-24 14:15:22Z"));
        assert!(!is_date_time("2019-08-24T14:15:22"));
        assert!(!is_date_time("yesterday and today"));
        assert!(is_date("2019-08-24") && !is_date("2019-8-24") && !is_date("24.08.2019"));
        assert_eq!(format_date_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_date_time(951_825_600), "2000-02-29T12:00:00Z");
        assert_eq!(clock(3_661), "01:01:01");
    }

    #[test]
    fn example_values_suggest_scalars() {
        let w = |v: Value| of_example(&v).map(|s| s.word);
        assert_eq!(w(json!("user@example.com")), Some("email"));
        assert_eq!(w(json!("2019-08-24T14:15:22Z")), Some("date-time"));
        assert_eq!(
            w(json!("8f7e5e4e-3a86-4d5f-9b8a-0c2a4d7b1e9f")),
            Some("guid")
        );
        assert_eq!(w(json!("x")), Some("string"));
        assert_eq!(w(json!(1)), Some("integer"));
        assert_eq!(w(json!(1.5)), Some("number"));
        assert_eq!(w(json!(true)), Some("boolean"));
        assert_eq!(w(json!({})), Some("object"));
        assert_eq!(w(json!(null)), None);
    }
}
