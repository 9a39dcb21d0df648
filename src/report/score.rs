//! The conformance score: the share of documented (operation, status)
//! pairs that were exercised and passing, per document and overall. It is
//! read off the coverage matrix ([`super::coverage`]) and nothing else, so
//! the score, the grid and the reasons can never disagree.
//!
//! A pair is one documented status of one operation (a row of its response
//! table); every operation of the documents counts, those that errors in
//! the documents left out of the run included. A pair is *exercised* when
//! at least one step of a case received that status for that operation
//! (or expected it and got no answer or another one), and *passing* when it
//! was exercised and no step that received it, or expected it, failed a
//! check: the matrix's conformant cell. Failures the baseline accepts count
//! as passing, as they do in the matrix. Statuses the docs do not list are
//! not pairs: an answer with one fails `status_documented` instead.

use serde::Serialize;

use super::coverage::{Cell, Coverage};

/// Passing and documented pairs of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentScore {
    /// The document's file stem.
    pub document: String,
    /// Pairs exercised and passing.
    pub passing: usize,
    /// Pairs exercised, passing or not.
    pub exercised: usize,
    /// Pairs the document lists.
    pub documented: usize,
}

/// The score of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Pairs exercised and passing, over every document.
    pub passing: usize,
    /// Pairs exercised, passing or not.
    pub exercised: usize,
    /// Pairs documented.
    pub documented: usize,
    /// Per document, in the matrix's order.
    pub documents: Vec<DocumentScore>,
}

/// `passing / documented` as a percentage; none when nothing is
/// documented, which no threshold is met by.
fn percent(passing: usize, documented: usize) -> Option<f64> {
    (documented > 0).then(|| passing as f64 * 100.0 / documented as f64)
}

/// A percentage with one decimal, or `n/a`.
fn shown(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "n/a".into())
}

impl DocumentScore {
    /// The document's score as a percentage; see [`Score::percent`].
    pub fn percent(&self) -> Option<f64> {
        percent(self.passing, self.documented)
    }

    /// The percentage with one decimal (`87.5%`), or `n/a`.
    pub fn shown(&self) -> String {
        shown(self.percent())
    }
}

impl Score {
    /// The score as a percentage (0–100); none when no pair is documented.
    pub fn percent(&self) -> Option<f64> {
        percent(self.passing, self.documented)
    }

    /// The percentage with one decimal (`87.5%`), or `n/a`.
    pub fn shown(&self) -> String {
        shown(self.percent())
    }

    /// Whether the score reaches `min` percent; a run with no documented
    /// pair reaches no threshold above 0.
    pub fn reaches(&self, min: f64) -> bool {
        self.percent().unwrap_or(0.0) >= min
    }

    /// The line every report shows: `score: 87.5% (140 of 160 documented
    /// operation×status pairs exercised and passing)`.
    pub fn line(&self) -> String {
        format!(
            "score: {} ({} of {} documented operation×status pairs exercised and passing)",
            self.shown(),
            self.passing,
            self.documented
        )
    }

    /// The sentence a run below `--min-score` fails with.
    pub fn below(&self, min: f64) -> String {
        format!(
            "the conformance score {} ({} of {} pairs) is below the minimum of {min}% (--min-score)",
            self.shown(),
            self.passing,
            self.documented
        )
    }
}

/// The score of the matrix: every cell is a documented pair.
pub fn score(c: &Coverage) -> Score {
    let mut documents: Vec<DocumentScore> = Vec::new();
    for row in &c.rows {
        let at = match documents.iter().position(|d| d.document == row.document) {
            Some(at) => at,
            None => {
                documents.push(DocumentScore {
                    document: row.document.clone(),
                    passing: 0,
                    exercised: 0,
                    documented: 0,
                });
                documents.len() - 1
            }
        };
        let d = &mut documents[at];
        for (_, cell) in &row.cells {
            d.documented += 1;
            match cell {
                Cell::Conformant => {
                    d.passing += 1;
                    d.exercised += 1;
                }
                Cell::Failed => d.exercised += 1,
                Cell::NotExercised(_) => {}
            }
        }
    }
    Score {
        passing: documents.iter().map(|d| d.passing).sum(),
        exercised: documents.iter().map(|d| d.exercised).sum(),
        documented: documents.iter().map(|d| d.documented).sum(),
        documents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::coverage::Row;

    fn row(document: &str, cells: Vec<(u16, Cell)>) -> Row {
        Row {
            document: document.into(),
            operation: format!("{document}_op"),
            request: "GET /x".into(),
            cells,
            not_run: None,
        }
    }

    #[test]
    fn only_exercised_and_passing_pairs_count_per_document_and_overall() {
        let c = Coverage {
            rows: vec![
                row(
                    "a",
                    vec![
                        (200, Cell::Conformant),
                        (404, Cell::Failed),
                        (500, Cell::NotExercised("no way".into())),
                    ],
                ),
                row("b", vec![(200, Cell::Conformant)]),
                row("a", vec![(204, Cell::Conformant)]),
            ],
            roles: vec![],
        };
        let s = score(&c);
        assert_eq!((s.passing, s.exercised, s.documented), (3, 4, 5));
        assert_eq!(s.documents.len(), 2);
        assert_eq!((s.documents[0].passing, s.documents[0].documented), (2, 4));
        assert_eq!(s.documents[1].shown(), "100.0%");
        assert_eq!(
            s.line(),
            "score: 60.0% (3 of 5 documented operation×status pairs exercised and passing)"
        );
        assert!(s.reaches(60.0) && !s.reaches(60.1));
        assert_eq!(
            s.below(75.0),
            "the conformance score 60.0% (3 of 5 pairs) is below the minimum of 75% (--min-score)"
        );
    }

    #[test]
    fn nothing_documented_scores_nothing_and_reaches_only_zero() {
        let s = score(&Coverage {
            rows: vec![row("a", vec![])],
            roles: vec![],
        });
        assert_eq!(s.percent(), None);
        assert_eq!(s.shown(), "n/a");
        assert!(s.reaches(0.0) && !s.reaches(0.5));
    }
}
