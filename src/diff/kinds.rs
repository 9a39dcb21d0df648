//! The classes of change and the one table of change kinds.
//!
//! Every kind has exactly one class, fixed here, and a one-line reason. The
//! classes ask one question each about a client or a server written against
//! the old document and left unchanged:
//!
//! - *breaking for clients*: such a client may now fail (a 404, a 400, a
//!   member it reads that is gone, a value it does not know);
//! - *breaking for implementations*: such a server no longer conforms to the
//!   new document (it must send, accept or honour something new, or must stop
//!   sending something); its clients are unaffected;
//! - *compatible*: neither breaks; only names that do not travel on the wire
//!   changed;
//! - *informational*: the document changed where it does not constrain the
//!   wire (examples, definitions no operation uses, declared moves).
//!
//! Where a change could hurt both sides the kind is classed by who breaks
//! first on the wire: a response property whose type changed fails the
//! client's parser before anyone asks whether the server was updated.

use serde::Serialize;

/// Who a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// A client written against the old document may now fail.
    BreakingForClients,
    /// A server written against the old document no longer conforms.
    BreakingForImplementations,
    /// Nothing on the wire breaks.
    Compatible,
    /// The document changed without constraining the wire differently.
    Informational,
}

impl Class {
    /// Every class, most severe first: the order reports use.
    pub const ALL: [Class; 4] = [
        Class::BreakingForClients,
        Class::BreakingForImplementations,
        Class::Compatible,
        Class::Informational,
    ];

    /// The class's name as written in JSON (`breaking-for-clients`).
    pub fn name(self) -> &'static str {
        match self {
            Class::BreakingForClients => "breaking-for-clients",
            Class::BreakingForImplementations => "breaking-for-implementations",
            Class::Compatible => "compatible",
            Class::Informational => "informational",
        }
    }

    /// The class in words, for headings (`breaking for clients`).
    pub fn title(self) -> &'static str {
        match self {
            Class::BreakingForClients => "breaking for clients",
            Class::BreakingForImplementations => "breaking for implementations",
            Class::Compatible => "compatible",
            Class::Informational => "informational",
        }
    }

    /// Whether the class breaks someone.
    pub fn is_breaking(self) -> bool {
        matches!(
            self,
            Class::BreakingForClients | Class::BreakingForImplementations
        )
    }
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident => ($name:literal, $class:ident, $why:literal),)*) => {
        /// A kind of change between two versions of a document.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeKind {
            $($(#[$doc])* $variant,)*
        }

        impl ChangeKind {
            /// Every kind, in table order.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant,)*];

            /// The kind's stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self { $(ChangeKind::$variant => $name,)* }
            }

            /// The class every change of this kind has.
            pub fn class(self) -> Class {
                match self { $(ChangeKind::$variant => Class::$class,)* }
            }

            /// Why the kind has its class, in one line.
            pub fn explain(self) -> &'static str {
                match self { $(ChangeKind::$variant => $why,)* }
            }
        }
    };
}

kinds! {
    /// An operation only the new document has.
    OperationAdded => ("operation-added", BreakingForImplementations,
        "existing clients do not call it; implementations must serve it"),
    /// An operation only the old document has.
    OperationRemoved => ("operation-removed", BreakingForClients,
        "clients that call it get 404 or 405"),
    /// A paired operation whose operation id changed.
    OperationIdChanged => ("operation-id-changed", Compatible,
        "same method and path under a new id: the wire is unchanged, generated method names may change"),
    /// Operations paired by id whose path template differs.
    PathChanged => ("path-changed", BreakingForClients,
        "the operation moved: clients still call the old URL"),
    /// Operations paired through a declared `--path-map` prefix.
    PathMapped => ("path-mapped", Informational,
        "the prefix move was declared with --path-map, so it is not counted as a break"),
    /// A path parameter only the new operation has.
    PathParamAdded => ("path-param-added", BreakingForClients,
        "clients build URLs without the new segment"),
    /// A path parameter only the old operation has.
    PathParamRemoved => ("path-param-removed", BreakingForClients,
        "clients build URLs with a segment the new route does not have"),
    /// A placeholder renamed at the same place in the same template.
    PathParamRenamed => ("path-param-renamed", Compatible,
        "only the placeholder's name changed; the URL is the same"),
    /// A path or query parameter whose declared type changed.
    ParamTypeChanged => ("param-type-changed", BreakingForClients,
        "clients send values of the old type"),
    /// An optional query parameter only the new operation has.
    QueryParamAdded => ("query-param-added", BreakingForImplementations,
        "optional, so clients need not send it; implementations must honour it"),
    /// A required query parameter only the new operation has.
    QueryParamAddedRequired => ("query-param-added-required", BreakingForClients,
        "existing clients do not send it and get 400"),
    /// A query parameter only the old operation has.
    QueryParamRemoved => ("query-param-removed", BreakingForClients,
        "clients still send it and the server ignores it: what they asked for silently stops"),
    /// A parameter that was optional and is now required.
    ParamBecameRequired => ("param-became-required", BreakingForClients,
        "clients that omit it get 400"),
    /// A parameter that was required and is now optional.
    ParamBecameOptional => ("param-became-optional", BreakingForImplementations,
        "implementations must now cope without it; clients still send it"),
    /// A request body only the new operation documents.
    RequestBodyAdded => ("request-body-added", BreakingForClients,
        "existing clients send no body"),
    /// A request body only the old operation documents.
    RequestBodyRemoved => ("request-body-removed", BreakingForClients,
        "the server no longer reads what clients send"),
    /// A request body whose type is another definition altogether.
    RequestBodyTypeChanged => ("request-body-type-changed", BreakingForClients,
        "clients send the old shape"),
    /// An optional request field only the new definition has.
    RequestFieldAdded => ("request-field-added", BreakingForImplementations,
        "optional, so clients need not send it; implementations must read it"),
    /// A required request field only the new definition has.
    RequestFieldAddedRequired => ("request-field-added-required", BreakingForClients,
        "existing clients do not send it and are rejected"),
    /// A request field only the old definition has.
    RequestFieldRemoved => ("request-field-removed", BreakingForClients,
        "clients still send it; it no longer has an effect and strict servers reject it"),
    /// A request field whose type changed.
    RequestFieldTypeChanged => ("request-field-type-changed", BreakingForClients,
        "clients send values of the old type"),
    /// A request field that was optional and is now required.
    RequestFieldBecameRequired => ("request-field-became-required", BreakingForClients,
        "clients that omit it are rejected"),
    /// A request field that was required and is now optional.
    RequestFieldBecameOptional => ("request-field-became-optional", BreakingForImplementations,
        "implementations must cope without it; clients still send it"),
    /// A request field that may now be null.
    RequestFieldBecameNullable => ("request-field-became-nullable", BreakingForImplementations,
        "implementations must accept null; clients never sent it"),
    /// A request field that may no longer be null.
    RequestFieldBecameNonNullable => ("request-field-became-non-nullable", BreakingForClients,
        "clients that send null are rejected"),
    /// An enum value a request may now carry.
    RequestEnumValueAdded => ("request-enum-value-added", BreakingForImplementations,
        "implementations must accept the new value; clients never send it"),
    /// An enum value a request may no longer carry.
    RequestEnumValueRemoved => ("request-enum-value-removed", BreakingForClients,
        "clients that send it are rejected"),
    /// A status only the new operation documents.
    StatusAdded => ("status-added", BreakingForClients,
        "clients meet a status they were not written to handle"),
    /// A status only the old operation documents.
    StatusRemoved => ("status-removed", BreakingForImplementations,
        "implementations that still answer it no longer conform; clients keep a handler they no longer need"),
    /// A status that now documents a body where it had none.
    ResponseBodyAdded => ("response-body-added", BreakingForImplementations,
        "implementations must now send a body; clients did not read one"),
    /// A status that no longer documents a body.
    ResponseBodyRemoved => ("response-body-removed", BreakingForClients,
        "clients that read the body get none"),
    /// A status whose body is another type altogether.
    ResponseBodyTypeChanged => ("response-body-type-changed", BreakingForClients,
        "clients parse the old shape"),
    /// A response property only the new definition has.
    ResponsePropertyAdded => ("response-property-added", BreakingForImplementations,
        "clients ignore members they do not know; implementations must send it"),
    /// A response property only the old definition has.
    ResponsePropertyRemoved => ("response-property-removed", BreakingForClients,
        "clients that read it find nothing"),
    /// A response property whose type changed.
    ResponsePropertyTypeChanged => ("response-property-type-changed", BreakingForClients,
        "clients parse values of the old type"),
    /// A response property that may now be null.
    ResponsePropertyBecameNullable => ("response-property-became-nullable", BreakingForClients,
        "clients meet null where they never did"),
    /// A response property that may no longer be null.
    ResponsePropertyBecameNonNullable => ("response-property-became-non-nullable", BreakingForImplementations,
        "implementations that send null no longer conform; clients handled null already"),
    /// A response property that was optional and is now required.
    ResponsePropertyBecameRequired => ("response-property-became-required", BreakingForImplementations,
        "implementations must always send it; clients coped without it"),
    /// A response property that was required and is now optional.
    ResponsePropertyBecameOptional => ("response-property-became-optional", BreakingForClients,
        "clients that rely on it may not receive it"),
    /// An enum value a response may now carry.
    ResponseEnumValueAdded => ("response-enum-value-added", BreakingForClients,
        "clients that switch on the value meet one they do not know"),
    /// An enum value a response may no longer carry.
    ResponseEnumValueRemoved => ("response-enum-value-removed", BreakingForImplementations,
        "implementations that still send it no longer conform; clients keep a case they no longer need"),
    /// An enum value whose name stayed and whose wire value changed.
    EnumValueChanged => ("enum-value-changed", BreakingForClients,
        "the same name travels as another value"),
    /// An enum value whose wire value stayed and whose name changed.
    EnumValueRenamed => ("enum-value-renamed", Compatible,
        "the same value travels under a new symbolic name"),
    /// A definition that was an object and is now an enum, or the reverse.
    DefinitionKindChanged => ("definition-kind-changed", BreakingForClients,
        "the member travels as another kind of JSON value"),
    /// Roles allowed on the new operation that the old one did not list.
    RolesAdded => ("roles-added", BreakingForImplementations,
        "implementations must now let these roles in"),
    /// Roles the old operation allowed that the new one does not list.
    RolesRemoved => ("roles-removed", BreakingForClients,
        "clients holding only these roles now get 403"),
    /// Roles listed where the old document listed none.
    RolesDocumented => ("roles-documented", Informational,
        "the old document did not say who may call"),
    /// No roles listed where the old document listed some.
    RolesUndocumented => ("roles-undocumented", Informational,
        "the new document does not say who may call; that is not a promise that anyone may"),
    /// A definition only the new document has.
    DefinitionAdded => ("definition-added", Informational,
        "its uses are reported as the changes that introduce it"),
    /// A definition only the old document has.
    DefinitionRemoved => ("definition-removed", Informational,
        "its uses are reported as the changes that drop it"),
    /// A definition with the same shape under a new name.
    DefinitionRenamed => ("definition-renamed", Compatible,
        "same shape, new name: definition names do not travel on the wire"),
    /// A change inside a definition that no operation reaches.
    UnusedDefinitionChanged => ("unused-definition-changed", Informational,
        "no operation sends or receives the definition"),
    /// An example body that changed.
    ExampleChanged => ("example-changed", Informational,
        "examples illustrate; the tables constrain"),
}

impl Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in ChangeKind::ALL {
            let name = kind.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert!(!kind.explain().is_empty());
        }
        assert_eq!(seen.len(), ChangeKind::ALL.len());
    }

    #[test]
    fn the_classes_named_by_the_requirement_hold() {
        use ChangeKind as K;
        let expect = [
            (K::ResponsePropertyRemoved, Class::BreakingForClients),
            (K::StatusAdded, Class::BreakingForClients),
            (K::RequestFieldBecameRequired, Class::BreakingForClients),
            (K::ResponsePropertyAdded, Class::BreakingForImplementations),
            (K::ResponseEnumValueAdded, Class::BreakingForClients),
            (K::DefinitionRenamed, Class::Compatible),
            (K::ExampleChanged, Class::Informational),
        ];
        for (kind, class) in expect {
            assert_eq!(kind.class(), class, "{kind}");
        }
    }

    #[test]
    fn every_class_is_used_and_ordered_by_severity() {
        for class in Class::ALL {
            assert!(ChangeKind::ALL.iter().any(|k| k.class() == class));
        }
        assert!(Class::BreakingForClients < Class::Informational);
        assert!(Class::BreakingForImplementations.is_breaking());
        assert!(!Class::Compatible.is_breaking());
    }
}
