//! The reference server's side of [`Api::references`](crate::api::Api::references):
//! a new item's members that refer to other items are made to name items
//! the server holds, so that a suite listing the referenced collection
//! finds them.
//!
//! Only creates are settled: an update keeps what its body says, as the
//! docs promise (`update_persisted`).

use serde_json::{Map, Value};

use super::handlers::State;
use super::store::{key, Store};
use crate::api::Rule;

/// Settles the references of `value`, an item of `definition` in document
/// `doc`. A single id that names no stored item becomes the id of a
/// built-in (never deleted) item of the referenced collection, else a
/// seeded one, else `null` where the member is nullable; arrays of ids keep
/// the ids that name stored items; arrays of sub-collection items start as
/// `null` (or empty), as the sub-collection of a new item is.
pub(crate) fn settle(
    state: &State,
    store: &Store,
    doc: usize,
    definition: &str,
    value: &mut Map<String, Value>,
) {
    let given = given(state);
    let Some(def) = state
        .api
        .contracts
        .get(doc)
        .and_then(|c| c.definition(definition))
    else {
        return;
    };
    for r in state.api.references(doc, definition, &given) {
        let nullable = def.property(&r.member).is_some_and(|p| p.nullable);
        let stored = |id: &str| {
            store
                .all(r.target)
                .any(|i| i.value.get("Id").and_then(Value::as_str).map(key) == Some(key(id)))
        };
        let settled = match r.rule {
            Rule::Id => match value.get(&r.member).and_then(Value::as_str) {
                Some(id) if stored(id) => continue,
                _ => {
                    let items = || store.all(r.target);
                    let stable = items()
                        .find(|i| i.builtin)
                        .or_else(|| items().find(|i| !i.created))
                        .and_then(|i| i.value.get("Id").cloned());
                    match stable {
                        Some(id) => id,
                        None if nullable => Value::Null,
                        None => continue,
                    }
                }
            },
            Rule::Ids => match value.get(&r.member).and_then(Value::as_array) {
                Some(ids) => Value::Array(
                    ids.iter()
                        .filter(|v| v.as_str().is_some_and(stored))
                        .cloned()
                        .collect(),
                ),
                None => continue,
            },
            Rule::Items if nullable => Value::Null,
            Rule::Items => Value::Array(Vec::new()),
        };
        value.insert(r.member.clone(), settled);
    }
}

/// The path parameters the fixture gives values for.
fn given(state: &State) -> Vec<String> {
    state.fixture.params().into_iter().map(|(n, _)| n).collect()
}

/// The `reference-dangling` fault: an item answer of `definition` whose
/// references all carry a random GUID naming nothing (an array of items
/// holds one item of that id).
pub(crate) fn dangle(state: &State, doc: usize, definition: &str, body: &mut Value) {
    let Some(map) = body.as_object_mut() else {
        return;
    };
    for r in state.api.references(doc, definition, &given(state)) {
        let random = Value::from(uuid::Uuid::new_v4().to_string());
        match r.rule {
            Rule::Id => {
                map.insert(r.member, random);
            }
            Rule::Ids => {
                map.insert(r.member, Value::Array(vec![random]));
            }
            Rule::Items => {
                let mut item = Map::new();
                item.insert("Id".into(), random);
                map.insert(r.member, Value::Array(vec![Value::Object(item)]));
            }
        }
    }
}
