//! The API as one model, derived from the contracts once per run and read
//! by every stage that needs more than one operation at a time: the
//! planner, the engine and the embedded reference server.
//!
//! Paths become [`Resource`]s (collections and their items, with the id
//! parameter, parents and children, and the operations that create, read,
//! update, delete, list and count them); every operation gets an
//! [`OpModel`] saying which resource it acts on, where its scope and id
//! sit in the path, what success looks like ([`success`]) and which of its
//! path ids the docs say must name something that exists ([`existence`]).
//! Because the suite and the reference server read the same model, they
//! cannot disagree about what the docs say. Pure: no I/O.

mod existence;
mod input;
mod references;
mod resources;
mod success;

pub use existence::{names_param, Existence};
pub use input::{is_paging, must_not_be_blank, paging_param, PAGING};
pub use references::{Reference, Rule};
pub use resources::{Api, Kind, OpKey, OpModel, Resource};
pub use success::{list_member, success, success_statuses, Success};

#[cfg(test)]
mod tests {
    /// Every `.rs` file below `dir`.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_crate_has_exactly_one_resource_model() {
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let needle = ["struct", "Resource"].join(" ");
        let found: Vec<String> = files
            .iter()
            .filter(|f| {
                std::fs::read_to_string(f).is_ok_and(|text| {
                    text.lines().any(|l| {
                        let l = l.trim_start();
                        l.starts_with(&format!("pub {needle} "))
                            || l.starts_with(&format!("pub(crate) {needle} "))
                            || l.starts_with(&format!("{needle} "))
                    })
                })
            })
            .map(|f| f.display().to_string())
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("resources.rs"), "{found:?}");
    }
}
