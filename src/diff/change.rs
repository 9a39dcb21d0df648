//! One classified change and where it is.

use std::fmt;

use serde::Serialize;

use super::kinds::{ChangeKind, Class};

/// Where in the contract a change is. Unset members do not apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The definition, for property, enum-value and definition changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// The property of `definition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    /// The enum value of `definition`, as it travels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The path or query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// The response status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The role, for role changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl Location {
    /// A definition.
    pub fn definition(name: &str) -> Location {
        Location {
            definition: Some(name.to_string()),
            ..Location::default()
        }
    }

    /// A property of a definition.
    pub fn property(definition: &str, property: &str) -> Location {
        Location {
            property: Some(property.to_string()),
            ..Location::definition(definition)
        }
    }

    /// A value of an enum definition.
    pub fn value(definition: &str, value: &str) -> Location {
        Location {
            value: Some(value.to_string()),
            ..Location::definition(definition)
        }
    }

    /// A path or query parameter.
    pub fn param(name: &str) -> Location {
        Location {
            param: Some(name.to_string()),
            ..Location::default()
        }
    }

    /// A response status.
    pub fn status(status: u16) -> Location {
        Location {
            status: Some(status),
            ..Location::default()
        }
    }

    /// A role.
    pub fn role(name: &str) -> Location {
        Location {
            role: Some(name.to_string()),
            ..Location::default()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(d) = &self.definition {
            let mut s = d.clone();
            if let Some(p) = &self.property {
                s = format!("{s}.{p}");
            }
            if let Some(v) = &self.value {
                s = format!("{s} = {v}");
            }
            parts.push(s);
        }
        if let Some(p) = &self.param {
            parts.push(format!("param {p}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status {s}"));
        }
        if let Some(r) = &self.role {
            parts.push(format!("role {r}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// One classified difference between an old and a new document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Who it breaks; always `kind.class()`.
    pub class: Class,
    /// The operation as `METHOD /path` (the new path where there is one);
    /// `None` for changes inside definitions, which list their users in
    /// `used_by` instead.
    pub operation: Option<String>,
    /// Where in the contract.
    pub location: Location,
    /// The change in one sentence.
    pub message: String,
    /// The line of the old document, where the change has one there.
    pub old_line: Option<usize>,
    /// The line of the new document, where the change has one there.
    pub new_line: Option<usize>,
    /// For changes inside definitions: the operations that send or receive
    /// the definition in the role the kind names (request or response).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<String>,
}

impl Change {
    /// A change of `kind` with its class filled in and no lines yet.
    pub fn new(kind: ChangeKind, location: Location, message: impl Into<String>) -> Change {
        Change {
            kind,
            class: kind.class(),
            operation: None,
            location,
            message: message.into(),
            old_line: None,
            new_line: None,
            used_by: Vec::new(),
        }
    }

    /// Sets the operation label.
    pub fn on(mut self, operation: &str) -> Change {
        self.operation = Some(operation.to_string());
        self
    }

    /// Sets the lines in the old and the new document.
    pub fn lines(mut self, old: Option<usize>, new: Option<usize>) -> Change {
        self.old_line = old;
        self.new_line = new;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_written_in_the_docs() {
        assert_eq!(
            Location::property("Community", "Alias").to_string(),
            "Community.Alias"
        );
        assert_eq!(
            Location::value("CommunityTenantStatus", "None").to_string(),
            "CommunityTenantStatus = None"
        );
        assert_eq!(Location::status(408).to_string(), "status 408");
        assert_eq!(Location::param("skip").to_string(), "param skip");
        let json = serde_json::to_value(Location::param("skip")).unwrap();
        assert_eq!(json, serde_json::json!({"param": "skip"}));
    }

    #[test]
    fn a_change_takes_its_class_from_its_kind() {
        let c = Change::new(ChangeKind::StatusRemoved, Location::status(408), "x");
        assert_eq!(c.class, Class::BreakingForImplementations);
    }
}
