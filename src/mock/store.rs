//! The server's state: items by resource and by the path-parameter values
//! (the scope) of the collection that holds them, in insertion order.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Items the whole server may hold; beyond it, creates are refused, so a
/// client creating without end cannot exhaust memory.
pub(crate) const MAX_ITEMS: usize = 100_000;

/// One stored object.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// Every member written so far.
    pub value: Map<String, Value>,
    /// Seeded as built in: deletion is refused.
    pub builtin: bool,
    /// Created by POST (as opposed to seeded or attached).
    pub created: bool,
}

/// Scope values: the path-parameter values of a collection path, lower-cased.
pub(crate) type Scope = Vec<String>;

/// Every collection's items.
#[derive(Debug, Default)]
pub(crate) struct Store {
    collections: HashMap<usize, HashMap<Scope, IndexMap<String, Item>>>,
    len: usize,
}

/// Lower-cases an id or scope value: the docs' ids are GUIDs, which compare
/// without regard to case.
pub(crate) fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

impl Store {
    /// The items of one collection, in insertion order.
    pub fn items(&self, resource: usize, scope: &[String]) -> impl Iterator<Item = &Item> {
        self.collections
            .get(&resource)
            .and_then(|c| c.get(scope))
            .into_iter()
            .flat_map(|items| items.values())
    }

    /// Every item of a resource under every scope.
    pub fn all(&self, resource: usize) -> impl Iterator<Item = &Item> {
        self.collections
            .get(&resource)
            .into_iter()
            .flat_map(|c| c.values())
            .flat_map(|items| items.values())
    }

    /// One item.
    pub fn get(&self, resource: usize, scope: &[String], id: &str) -> Option<&Item> {
        self.collections.get(&resource)?.get(scope)?.get(&key(id))
    }

    /// One item, to change it.
    pub fn get_mut(&mut self, resource: usize, scope: &[String], id: &str) -> Option<&mut Item> {
        self.collections
            .get_mut(&resource)?
            .get_mut(scope)?
            .get_mut(&key(id))
    }

    /// Whether the store is full.
    pub fn full(&self) -> bool {
        self.len >= MAX_ITEMS
    }

    /// Stores an item under `id`, replacing any item of that id.
    pub fn insert(&mut self, resource: usize, scope: Scope, id: &str, item: Item) {
        let items = self
            .collections
            .entry(resource)
            .or_default()
            .entry(scope)
            .or_default();
        if items.insert(key(id), item).is_none() {
            self.len += 1;
        }
    }

    /// Removes an item; returns it if it was there.
    pub fn remove(&mut self, resource: usize, scope: &[String], id: &str) -> Option<Item> {
        let items = self.collections.get_mut(&resource)?.get_mut(scope)?;
        let removed = items.shift_remove(&key(id));
        if removed.is_some() {
            self.len -= 1;
        }
        removed
    }

    /// Removes every collection of `resource` whose scope starts with
    /// `prefix`: the nested items of a deleted parent.
    pub fn remove_under(&mut self, resource: usize, prefix: &[String]) {
        if let Some(collections) = self.collections.get_mut(&resource) {
            let mut removed = 0;
            collections.retain(|scope, items| {
                let under = scope.starts_with(prefix);
                if under {
                    removed += items.len();
                }
                !under
            });
            self.len -= removed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str) -> Item {
        let mut value = Map::new();
        value.insert("Name".into(), Value::from(name));
        Item {
            value,
            builtin: false,
            created: true,
        }
    }

    #[test]
    fn items_keep_insertion_order_and_ids_ignore_case() {
        let mut s = Store::default();
        let scope = vec!["t".to_string()];
        s.insert(0, scope.clone(), "B", item("b"));
        s.insert(0, scope.clone(), "a", item("a"));
        let names: Vec<_> = s
            .items(0, &scope)
            .map(|i| i.value["Name"].clone())
            .collect();
        assert_eq!(names, ["b", "a"]);
        assert!(s.get(0, &scope, "b").is_some());
        assert!(s.get(0, &["u".to_string()], "b").is_none());
        assert!(s.remove(0, &scope, "B").is_some());
        assert!(s.remove(0, &scope, "B").is_none());
        assert_eq!(s.len, 1);
    }

    #[test]
    fn remove_under_drops_only_nested_scopes() {
        let mut s = Store::default();
        let a = vec!["c1".to_string(), "t".to_string()];
        let b = vec!["c2".to_string(), "t".to_string()];
        s.insert(1, a.clone(), "g", item("g"));
        s.insert(1, b.clone(), "g", item("g"));
        s.remove_under(1, &["c1".to_string()]);
        assert!(s.get(1, &a, "g").is_none());
        assert!(s.get(1, &b, "g").is_some());
        assert_eq!(s.len, 1);
    }
}
