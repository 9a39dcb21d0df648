//! Shards of a plan, in nextest's convention: `count:K/N` deals the plan's
//! units out so that the shards hold as many cases as can be (largest
//! unit first, each to the shard holding fewest cases so far, ties to the
//! lower shard), `hash:K/N` puts a unit in the shard its first case name
//! hashes to (xxHash64, so the same name lands in the same shard on every
//! machine and release). Both depend on the plan alone: every shard
//! computes the same split.
//!
//! A unit is what must run in one process: cases that would race when run
//! at once by two shards against the same server are kept together. Within
//! one run the engine orders them with locks (a case that counts a
//! collection, or changes an item it did not make, holds that collection
//! alone); across shards there is no lock, so every case touching a
//! collection in which another changes what it did not make, and every
//! case adding to or removing from a collection another counts, joins the
//! unit of that case. Every other case, a lifecycle included, is its own
//! unit: it creates what it uses under the run's own unique names and
//! cleans it up.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::TestCase;

/// How cases are dealt to shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// In turn, in plan order.
    Count,
    /// By the hash of the unit's first case name.
    Hash,
}

/// One shard of `total`: `--partition count:K/N` or `hash:K/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// How cases are dealt.
    pub scheme: Scheme,
    /// This shard, from 1.
    pub index: usize,
    /// How many shards there are.
    pub total: usize,
}

/// Why a `--partition` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid partition `{text}`: {why} (expected count:K/N or hash:K/N, 1 <= K <= N)")]
pub struct PartitionError {
    text: String,
    why: &'static str,
}

impl FromStr for Partition {
    type Err = PartitionError;

    fn from_str(text: &str) -> Result<Partition, PartitionError> {
        let refuse = |why| PartitionError {
            text: text.to_string(),
            why,
        };
        let (scheme, shard) = text.split_once(':').ok_or_else(|| refuse("no scheme"))?;
        let scheme = match scheme {
            "count" => Scheme::Count,
            "hash" => Scheme::Hash,
            _ => return Err(refuse("unknown scheme")),
        };
        let (k, n) = shard
            .split_once('/')
            .ok_or_else(|| refuse("no shard count"))?;
        let index: usize = k.parse().map_err(|_| refuse("K is not a number"))?;
        let total: usize = n.parse().map_err(|_| refuse("N is not a number"))?;
        if total == 0 || index == 0 || index > total {
            return Err(refuse("K out of range"));
        }
        Ok(Partition {
            scheme,
            index,
            total,
        })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Count => "count",
            Scheme::Hash => "hash",
        };
        write!(f, "{scheme}:{}/{}", self.index, self.total)
    }
}

impl Partition {
    /// The cases of this shard, in plan order. Cases that cannot run as
    /// configured are dealt too, so that every planned case is listed by
    /// exactly one shard.
    pub fn apply(&self, cases: Vec<TestCase>) -> Vec<TestCase> {
        let mut mine = vec![false; cases.len()];
        let mut units = units(&cases);
        if self.scheme == Scheme::Count {
            // Stable: units of one size stay in plan order.
            units.sort_by_key(|u| std::cmp::Reverse(u.len()));
        }
        let mut load = vec![0usize; self.total];
        for unit in &units {
            let shard = match self.scheme {
                Scheme::Count => {
                    let least = (0..self.total).min_by_key(|&s| load[s]).unwrap_or(0);
                    load[least] += unit.len();
                    least
                }
                Scheme::Hash => {
                    let name = &cases[unit[0]].name;
                    (xxhash_rust::xxh64::xxh64(name.as_bytes(), 0) % self.total as u64) as usize
                }
            };
            if shard + 1 == self.index {
                for &c in unit {
                    mine[c] = true;
                }
            }
        }
        cases
            .into_iter()
            .zip(mine)
            .filter_map(|(c, keep)| keep.then_some(c))
            .collect()
    }
}

/// The plan's units: indices of cases that must share a shard, each unit
/// in plan order, units in the order of their first case.
pub fn units(cases: &[TestCase]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..cases.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // The collections some case holds alone, and the first case holding
    // each. A case that changes items of another case's collection
    // (a configured or found one) races with every case that reads it too;
    // a count races only with cases that add or remove items there.
    let mut shared: BTreeMap<String, usize> = BTreeMap::new();
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        for key in case.shared_writes() {
            shared.entry(key).or_insert(i);
        }
        for key in case.counts() {
            counted.entry(key).or_insert(i);
        }
    }
    let mut join = |i: usize, o: usize| {
        let (a, b) = (root(&mut parent, i), root(&mut parent, o));
        // The earlier case stays the root, so a unit is named by its
        // first case.
        parent[a.max(b)] = a.min(b);
    };
    for (i, case) in cases.iter().enumerate() {
        for key in case.touches() {
            if let Some(&o) = shared.get(&key) {
                join(i, o);
            }
        }
        for key in case.changes() {
            if let Some(&o) = counted.get(&key) {
                join(i, o);
            }
        }
    }
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut slot: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..cases.len() {
        let r = root(&mut parent, i);
        match slot.get(&r) {
            Some(&u) => units[u].push(i),
            None => {
                slot.insert(r, units.len());
                units.push(vec![i]);
            }
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{generate, PlanConfig};

    fn specs() -> Vec<TestCase> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
        let contracts = crate::spec::load_all(&[dir]).expect("specs/ reads");
        generate(&contracts, &PlanConfig::default())
    }

    #[test]
    fn partitions_parse_as_nextest_writes_them() {
        let p: Partition = "count:2/3".parse().unwrap();
        assert_eq!(
            (p.scheme, p.index, p.total, p.to_string().as_str()),
            (Scheme::Count, 2, 3, "count:2/3")
        );
        assert_eq!(
            "hash:1/1".parse::<Partition>().unwrap().scheme,
            Scheme::Hash
        );
        for bad in [
            "count:0/3",
            "count:4/3",
            "count:1/0",
            "slice:1/2",
            "count:1",
            "1/2",
        ] {
            let e = bad.parse::<Partition>().expect_err(bad).to_string();
            assert!(e.starts_with(&format!("invalid partition `{bad}`")), "{e}");
        }
    }

    #[test]
    fn every_case_lands_in_exactly_one_shard_of_either_scheme() {
        let cases = specs();
        let names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
        for scheme in ["count", "hash"] {
            let mut seen: Vec<String> = Vec::new();
            for k in 1..=3 {
                let p: Partition = format!("{scheme}:{k}/3").parse().unwrap();
                let shard = p.apply(cases.clone());
                assert!(!shard.is_empty(), "{p} is empty");
                seen.extend(shard.into_iter().map(|c| c.name));
            }
            let mut sorted = seen.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), seen.len(), "{scheme}: a case in two shards");
            assert_eq!(seen.len(), names.len(), "{scheme}: a case in no shard");
        }
    }

    #[test]
    fn cases_that_would_race_across_shards_share_one() {
        let cases = specs();
        let units = units(&cases);
        for unit in &units {
            for &i in unit {
                // Every case touching a collection in which another case
                // changes what it did not make, and every case adding to
                // or removing from a collection another case counts, is
                // in the same unit as that case.
                let held = cases[i]
                    .shared_writes()
                    .into_iter()
                    .map(|k| (k, true))
                    .chain(cases[i].counts().into_iter().map(|k| (k, false)));
                for (key, shared) in held {
                    for (j, other) in cases.iter().enumerate() {
                        let races = if shared {
                            other.touches().contains(&key)
                        } else {
                            other.changes().contains(&key)
                        };
                        if races {
                            assert!(
                                unit.contains(&j),
                                "{} apart from {}",
                                other.name,
                                cases[i].name
                            );
                        }
                    }
                }
            }
        }
        assert!(units.len() > 3, "specs/ splits into more units than shards");
    }

    /// The sizes of the `n` count shards of `cases`.
    fn count_shards(cases: &[TestCase], n: usize) -> Vec<usize> {
        (1..=n)
            .map(|k| {
                Partition {
                    scheme: Scheme::Count,
                    index: k,
                    total: n,
                }
                .apply(cases.to_vec())
                .len()
            })
            .collect()
    }

    #[test]
    fn count_shards_are_as_even_as_their_units_allow() {
        let cases = specs();
        let biggest = units(&cases).iter().map(Vec::len).max().unwrap_or(0);
        let sizes = count_shards(&cases, 3);
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        // Largest unit first, each to the emptiest shard: no two shards
        // differ by more than the largest unit.
        assert!(max - min <= biggest, "{sizes:?}, largest unit {biggest}");
        assert_eq!(sizes.iter().sum::<usize>(), cases.len());
    }

    /// Every case reading a counted collection joined the counting case's
    /// unit, and through them one unit held nearly the whole plan:
    /// `count:K/3` on `specs/` dealt 115/111/1 cases. Reads do not disturb
    /// a count; only adding or removing items does.
    #[test]
    fn regression_one_shard_of_three_held_one_case() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
        let contracts = crate::spec::load_all(&[dir]).expect("specs/ reads");
        let api = crate::api::Api::new(contracts.clone());
        let fixture = crate::mock::Fixture::builtin().completed(&api);
        let cfg = PlanConfig {
            params: fixture.params().into_iter().map(|(k, _)| k).collect(),
            ..PlanConfig::default()
        };
        let cases = generate(&contracts, &cfg);
        let sizes = count_shards(&cases, 3);
        let min = *sizes.iter().min().unwrap();
        assert!(min >= cases.len() / 10, "{sizes:?}");
    }
}
