//! The server's state: items by resource and by the path-parameter values
//! (the scope) of the collection that holds them, in insertion order.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Items the whole server may hold; beyond it, creates are refused, so a
/// client creating without end cannot exhaust memory.
pub(crate) const MAX_ITEMS: usize = 100_000;

/// The default budget of stored data, in bytes of the items' JSON: 100,000
/// items of 900 KB would otherwise be about 88 GB.
pub const DEFAULT_BYTES: usize = 256 << 20;

/// One stored object.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// Every member written so far.
    pub value: Map<String, Value>,
    /// Seeded as built in: deletion is refused.
    pub builtin: bool,
    /// Created by POST (as opposed to seeded or attached).
    pub created: bool,
    /// The path prefix (`/api/v1`) of the operation that created or added
    /// it, where one did: a fault hides it from other versions.
    pub origin: Option<String>,
}

/// Scope values: the path-parameter values of a collection path, lower-cased.
pub(crate) type Scope = Vec<String>;

/// Every collection's items.
#[derive(Debug)]
pub(crate) struct Store {
    collections: HashMap<usize, HashMap<Scope, IndexMap<String, Item>>>,
    len: usize,
    /// The JSON size of every stored item, added up.
    bytes: usize,
    /// Past this many bytes, changes that add data are refused.
    budget: usize,
    /// How many items of each collection carry each `Name`, by a hash of
    /// the name: duplicate names are found without scanning the
    /// collection, and without a second copy of every name (a 900 KB name
    /// would otherwise be held twice). The hash is keyed per process, so a
    /// client cannot craft two names that collide; by chance, two of
    /// 100,000 names collide about once in 10^9 stores.
    names: HashMap<(usize, Scope), HashMap<u64, usize>>,
    hasher: RandomState,
    /// Items deleted before, by collection, scope and id, where a fault
    /// answers a second delete differently; at most [`MAX_ITEMS`].
    deleted: std::collections::HashSet<(usize, Scope, String)>,
}

/// The most bytes of items (as JSON) one page answers: past it a page
/// ends early, with at least one item. The docs' `count` is a maximum, so
/// a shorter page is still a page; without this cap a page of 1,000 huge
/// items would copy hundreds of megabytes per request.
pub(crate) const MAX_PAGE_BYTES: usize = 16 << 20;

/// The leading items of `items` that fit [`MAX_PAGE_BYTES`] (the first
/// always does).
pub(crate) fn within_page_bytes<'a>(
    items: impl Iterator<Item = &'a Map<String, Value>>,
) -> Vec<&'a Map<String, Value>> {
    let mut left = MAX_PAGE_BYTES;
    let mut page = Vec::new();
    for item in items {
        let bytes = size(item);
        if !page.is_empty() && bytes > left {
            break;
        }
        left = left.saturating_sub(bytes);
        page.push(item);
    }
    page
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

    /// Replaces an item's members, keeping the byte count right; false
    /// where there is no such item.
    pub fn set_value(
        &mut self,
        resource: usize,
        scope: &[String],
        id: &str,
        value: Map<String, Value>,
    ) -> bool {
        let Some(item) = self
            .collections
            .get_mut(&resource)
            .and_then(|c| c.get_mut(scope))
            .and_then(|items| items.get_mut(&key(id)))
        else {
            return false;
        };
        let (old, new) = (size(&item.value), size(&value));
        let previous = std::mem::replace(&mut item.value, value.clone());
        self.bytes = (self.bytes + new).saturating_sub(old);
        self.count_name(resource, scope, &previous, false);
        self.count_name(resource, scope, &value, true);
        true
    }

    /// Whether the store is full: too many items, or too many bytes.
    pub fn full(&self) -> bool {
        self.len >= MAX_ITEMS || self.bytes >= self.budget
    }

    /// Whether `value` would fit in the byte budget besides what is stored.
    pub fn fits(&self, value: &Map<String, Value>) -> bool {
        self.bytes.saturating_add(size(value)) <= self.budget
    }

    /// Whether replacing `old` by `new` keeps within the byte budget.
    pub fn fits_replacing(&self, old: &Map<String, Value>, new: &Map<String, Value>) -> bool {
        self.bytes
            .saturating_sub(size(old))
            .saturating_add(size(new))
            <= self.budget
    }

    /// An empty store holding at most `budget` bytes of items.
    pub fn with_budget(budget: usize) -> Store {
        Store {
            collections: HashMap::new(),
            len: 0,
            bytes: 0,
            budget,
            names: HashMap::new(),
            hasher: RandomState::new(),
            deleted: std::collections::HashSet::new(),
        }
    }

    /// Remembers that an item was deleted; the oldest memories go when
    /// there are too many, so a client deleting without end cannot
    /// exhaust memory.
    pub fn remember_deleted(&mut self, resource: usize, scope: &[String], id: &str) {
        if self.deleted.len() >= MAX_ITEMS {
            self.deleted.clear();
        }
        self.deleted.insert((resource, scope.to_vec(), key(id)));
    }

    /// Whether the item was deleted before (and remembered).
    pub fn was_deleted(&self, resource: usize, scope: &[String], id: &str) -> bool {
        self.deleted.contains(&(resource, scope.to_vec(), key(id)))
    }

    /// Whether an item of this collection carries `name` as its `Name`.
    pub fn has_name(&self, resource: usize, scope: &[String], name: &str) -> bool {
        let hash = self.hasher.hash_one(name);
        self.names
            .get(&(resource, scope.to_vec()))
            .is_some_and(|n| n.get(&hash).is_some_and(|c| *c > 0))
    }

    fn count_name(
        &mut self,
        resource: usize,
        scope: &[String],
        value: &Map<String, Value>,
        add: bool,
    ) {
        let Some(name) = value.get("Name").and_then(Value::as_str) else {
            return;
        };
        let hash = self.hasher.hash_one(name);
        let names = self.names.entry((resource, scope.to_vec())).or_default();
        if add {
            *names.entry(hash).or_default() += 1;
        } else if let Some(c) = names.get_mut(&hash) {
            *c -= 1;
            if *c == 0 {
                names.remove(&hash);
            }
        }
    }

    /// Stores an item under `id`, replacing any item of that id.
    pub fn insert(&mut self, resource: usize, scope: Scope, id: &str, item: Item) {
        self.count_name(resource, &scope, &item.value, true);
        let scope_copy = scope.clone();
        let items = self
            .collections
            .entry(resource)
            .or_default()
            .entry(scope)
            .or_default();
        self.bytes += size(&item.value);
        match items.insert(key(id), item) {
            None => self.len += 1,
            Some(old) => {
                self.bytes -= size(&old.value).min(self.bytes);
                self.count_name(resource, &scope_copy, &old.value, false);
            }
        }
    }

    /// Removes an item; returns it if it was there.
    pub fn remove(&mut self, resource: usize, scope: &[String], id: &str) -> Option<Item> {
        let items = self.collections.get_mut(&resource)?.get_mut(scope)?;
        let removed = items.shift_remove(&key(id));
        if let Some(item) = &removed {
            self.len -= 1;
            self.bytes -= size(&item.value).min(self.bytes);
            self.count_name(resource, scope, &item.value, false);
        }
        removed
    }

    /// Removes every collection of `resource` whose scope starts with
    /// `prefix`: the nested items of a deleted parent.
    pub fn remove_under(&mut self, resource: usize, prefix: &[String]) {
        if let Some(collections) = self.collections.get_mut(&resource) {
            let (mut removed, mut bytes) = (0, 0);
            collections.retain(|scope, items| {
                let under = scope.starts_with(prefix);
                if under {
                    removed += items.len();
                    bytes += items.values().map(|i| size(&i.value)).sum::<usize>();
                }
                !under
            });
            self.len -= removed;
            self.bytes -= bytes.min(self.bytes);
            self.names
                .retain(|(r, scope), _| *r != resource || !scope.starts_with(prefix));
        }
    }
}

impl Default for Store {
    fn default() -> Store {
        Store::with_budget(DEFAULT_BYTES)
    }
}

/// The bytes an item counts for: the length of its JSON text.
fn size(value: &Map<String, Value>) -> usize {
    serde_json::to_vec(value).map_or(0, |v| v.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_indexed_through_every_change() {
        let mut s = Store::default();
        let t = vec!["t".to_string()];
        s.insert(0, t.clone(), "a", item("one"));
        assert!(s.has_name(0, &t, "one"));
        assert!(!s.has_name(0, &["u".to_string()], "one"));
        assert!(!s.has_name(1, &t, "one"));
        s.insert(0, t.clone(), "b", item("one"));
        assert!(s.remove(0, &t, "a").is_some());
        assert!(s.has_name(0, &t, "one"), "b still carries it");
        assert!(s.set_value(0, &t, "b", item("two").value));
        assert!(!s.has_name(0, &t, "one") && s.has_name(0, &t, "two"));
        s.insert(0, t.clone(), "b", item("three"));
        assert!(!s.has_name(0, &t, "two"), "a replaced item's name goes");
        s.remove_under(0, &t);
        assert!(!s.has_name(0, &t, "three"));
    }

    #[test]
    fn the_byte_budget_counts_inserts_updates_and_removals() {
        let mut s = Store::with_budget(100);
        let scope = vec!["t".to_string()];
        let big = item(&"x".repeat(60));
        assert!(s.fits(&big.value));
        s.insert(0, scope.clone(), "a", big.clone());
        assert!(!s.full());
        assert!(!s.fits(&big.value), "a second one would pass the budget");
        s.insert(0, scope.clone(), "b", big.clone());
        assert!(s.full());
        assert!(s.remove(0, &scope, "b").is_some());
        assert!(!s.full());
        assert!(s.set_value(0, &scope, "a", item("small").value));
        assert!(s.fits(&big.value), "an update that shrinks frees bytes");
        // Near the budget, replacing an item counts its old bytes out.
        let mut s = Store::with_budget(100);
        s.insert(0, scope.clone(), "a", big.clone());
        assert!(!s.fits(&big.value));
        assert!(s.fits_replacing(&big.value, &item("smaller").value));
        assert!(!s.fits_replacing(&item("").value, &big.value));
        s.remove_under(0, &[]);
        assert_eq!((s.len, s.bytes), (0, 0));
    }

    fn item(name: &str) -> Item {
        let mut value = Map::new();
        value.insert("Name".into(), Value::from(name));
        Item {
            value,
            builtin: false,
            created: true,
            origin: None,
        }
    }

    #[test]
    fn a_page_of_huge_items_ends_at_the_page_byte_cap() {
        let big = item(&"x".repeat(MAX_PAGE_BYTES / 3));
        let items = vec![big.value.clone(); 10];
        assert_eq!(within_page_bytes(items.iter()).len(), 2);
        let huge = item(&"x".repeat(MAX_PAGE_BYTES + 1));
        assert_eq!(
            within_page_bytes(std::iter::repeat_n(&huge.value, 3)).len(),
            1,
            "one item, however large, still makes a page"
        );
        let small = item("s");
        assert_eq!(
            within_page_bytes(std::iter::repeat_n(&small.value, 1000)).len(),
            1000
        );
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
