//! The placeholders the docs' generator fills examples with. An example
//! that breaks its schema only through these says nothing about the API,
//! so the example check does not report it.
//!
//! The generator samples a value from the declared type: `"string"` for any
//! string whose format it does not know (so also for `guid`), fixed sample
//! values for the formats it knows, `0` for integers (so also for integer
//! enumerations), and `property1`/`property2` members for open objects.

use serde_json::Value;

use super::derive::OPEN_OBJECT_SAMPLES;

/// Sample strings the generator writes whatever the declared format.
pub const STRINGS: &[&str] = &[
    "string",
    "user@example.com",
    "2019-08-24T14:15:22Z",
    "2019-08-24",
    "497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "http://example.com",
];

/// Whether a string that fails its `format` is a generator sample.
pub fn is_format_placeholder(value: &Value) -> bool {
    value.as_str().is_some_and(|s| STRINGS.contains(&s))
}

/// Whether a value outside an integer enumeration is the generator's `0`.
/// `options` are the enumeration's values.
pub fn is_enum_placeholder(value: &Value, options: &Value) -> bool {
    let integers = options
        .as_array()
        .is_some_and(|o| !o.is_empty() && o.iter().all(|v| v.is_i64() || v.is_u64()));
    integers && value.as_i64() == Some(0)
}

/// Whether an undeclared member is one of the generator's samples of an
/// open object.
pub fn is_sample_member(name: &str) -> bool {
    OPEN_OBJECT_SAMPLES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_placeholders_are_the_generators_samples_only() {
        assert!(is_format_placeholder(&json!("string")));
        assert!(is_format_placeholder(&json!("user@example.com")));
        assert!(is_format_placeholder(&json!("2019-08-24T14:15:22Z")));
        assert!(!is_format_placeholder(&json!("not-a-guid")));
        assert!(!is_format_placeholder(&json!(0)));
    }

    #[test]
    fn zero_is_a_placeholder_only_for_integer_enumerations() {
        assert!(is_enum_placeholder(&json!(0), &json!([1, 2, 3])));
        assert!(!is_enum_placeholder(&json!(7), &json!([1, 2, 3])));
        assert!(!is_enum_placeholder(&json!(0), &json!(["A", "B"])));
        assert!(!is_enum_placeholder(&json!("0"), &json!([1, 2])));
    }

    #[test]
    fn only_property1_and_property2_are_sample_members() {
        assert!(is_sample_member("property1"));
        assert!(is_sample_member("property2"));
        assert!(!is_sample_member("property3"));
        assert!(!is_sample_member("Extra"));
    }
}
