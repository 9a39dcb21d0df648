//! Reading the docs: dialect detection, the two readers, and the one
//! contract model they produce. Nothing here touches the network or the
//! terminal; problems in a document are [`Diagnostic`]s, never errors.

mod assemble;
mod blocks;
mod diagnostic;
mod flat;
mod markdown;
mod model;
mod path;
mod request;
mod soundness;
mod source;
mod types;

use std::path::{Path, PathBuf};

pub use blocks::normalize_ws;
pub(crate) use diagnostic::code_table;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::{
    Contract, Definition, DefinitionKind, Dialect, EnumValue, Method, Operation, Param, Property,
    RequestBody, Response, TypeRef,
};
pub use path::{
    decode_segment, decode_segments, shape_key, PathMatch, PathTemplate, Segment, Undecodable,
};
pub use soundness::Unsound;
pub use types::{
    format_date_time, is_date_time, of_example, scalar, Format, JsonType, Scalar, Unique, SCALARS,
};

/// Failures of the harness itself while reading documents.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// A document or directory could not be read.
    // The cause is in the message and deliberately not a `source()`:
    // an error chain would print it twice.
    #[error("failed to read {path}: {cause}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// A directory held no `.md` or `.txt` document.
    #[error("no .md or .txt documents in {0}")]
    Empty(PathBuf),
    /// A document named `.md` or `.txt` holds binary data.
    #[error("{0} is not a text document: it holds binary data")]
    Binary(PathBuf),
    /// A symbolic link leads back into a folder it is in.
    #[error("a symbolic link loops: {0} leads back to {1}")]
    Loop(PathBuf, PathBuf),
}

/// Guesses the dialect from the text: any markdown structure (a heading,
/// a code fence, an HTML heading or a widdershins anchor) means markdown.
pub fn detect(text: &str) -> Dialect {
    let markdown = text.lines().take(4000).any(|l| {
        let l = l.trim_start();
        l.starts_with("# ")
            || l.starts_with("## ")
            || l.starts_with("### ")
            || l.starts_with("```")
            || l.starts_with("<h3>")
            || l.starts_with("<h4>")
            || l.starts_with("<a id=")
    });
    if markdown {
        Dialect::Markdown
    } else {
        Dialect::Flat
    }
}

/// Parses one document's text. `source` names it in diagnostics.
pub fn parse_str(source: &str, text: &str) -> Contract {
    let text = source::clean(text);
    parse_with(source, &text, Vec::new())
}

/// Parses a text already [`source::clean`]ed.
fn parse_with(source: &str, text: &str, mut diags: Vec<Diagnostic>) -> Contract {
    let dialect = detect(text);
    let blocks = match dialect {
        Dialect::Markdown => {
            let repaired = source::repair(text, source, &mut diags);
            markdown::read(&repaired.text, &repaired.lines, source, &mut diags)
        }
        Dialect::Flat => flat::read(text, source, &mut diags),
    };
    assemble::assemble(source, dialect, blocks, diags)
}

/// Parses raw bytes: invalid UTF-8 is replaced and reported, never fatal.
pub fn parse_bytes(source: &str, bytes: &[u8]) -> Contract {
    read_bytes(source, bytes).contract
}

/// A document as loaded: its contract and the text it was read from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The parsed contract.
    pub contract: Contract,
    /// The document's text as the readers saw it: invalid UTF-8 replaced,
    /// a byte-order mark dropped, line endings made LF. Its lines are the
    /// lines diagnostics name, so it is what excerpts are rendered from.
    pub text: String,
}

/// Parses raw bytes and keeps the text, so that callers which render
/// excerpts or check examples see exactly what the reader saw.
pub fn read_bytes(source: &str, bytes: &[u8]) -> Document {
    let mut diags = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            diags.push(Diagnostic::new(
                Code::InvalidUtf8,
                source,
                line,
                "invalid UTF-8; the bad bytes were replaced with U+FFFD",
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let text = source::clean(&text).into_owned();
    let contract = parse_with(source, &text, diags);
    Document { contract, text }
}

/// Reads and parses one document.
pub fn load(path: &Path) -> Result<Contract, SpecError> {
    load_document(path).map(|d| d.contract)
}

/// Reads and parses one document, keeping its text (see [`Document`]).
pub fn load_document(path: &Path) -> Result<Document, SpecError> {
    let bytes = std::fs::read(path).map_err(|cause| SpecError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    if looks_binary(&bytes) {
        return Err(SpecError::Binary(path.to_path_buf()));
    }
    Ok(read_bytes(&path.display().to_string(), &bytes))
}

/// Whether a file's start is binary data rather than text: a NUL byte, or
/// more than one byte in ten that is a control character or not UTF-8. A
/// text document with a few bad bytes is read (with `invalid-utf8`).
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() || memchr::memchr(0, sample).is_some() {
        return !sample.is_empty();
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    let invalid = String::from_utf8_lossy(sample)
        .chars()
        .filter(|c| *c == char::REPLACEMENT_CHARACTER)
        .count();
    (control + invalid) * 10 > sample.len()
}

/// Expands each path (a directory means every `.md` and `.txt` file inside,
/// recursively, in name order) and parses every document.
pub fn load_all<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Contract>, SpecError> {
    let mut contracts = Vec::new();
    for path in paths {
        for file in documents(path.as_ref())? {
            contracts.push(load(&file)?);
        }
    }
    Ok(contracts)
}

/// The documents a path names: the file itself, or every `.md` and `.txt`
/// file below a directory, in name order.
pub fn documents(path: &Path) -> Result<Vec<PathBuf>, SpecError> {
    if !path.is_dir() {
        std::fs::metadata(path).map_err(|cause| SpecError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    collect(path, &mut out)?;
    if out.is_empty() {
        return Err(SpecError::Empty(path.to_path_buf()));
    }
    Ok(out)
}

/// Every `.md` and `.txt` file below `dir`, in name order, following
/// symbolic links (walkdir tells a link that loops back into its own
/// ancestry, which is an error naming it).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SpecError> {
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|e| match e.loop_ancestor() {
            Some(ancestor) => SpecError::Loop(
                e.path().unwrap_or(dir).to_path_buf(),
                ancestor.to_path_buf(),
            ),
            None => SpecError::Io {
                path: e.path().unwrap_or(dir).to_path_buf(),
                cause: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("unreadable")),
            },
        })?;
        let text = matches!(
            entry.path().extension().and_then(|e| e.to_str()),
            Some("md" | "txt")
        );
        if entry.file_type().is_file() && text {
            out.push(entry.into_path());
        }
    }
    Ok(())
}
