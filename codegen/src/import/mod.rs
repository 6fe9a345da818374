//! `zim-codegen import`: ZEGO's published OpenAPI files to spec files in our format.
//!
//! [`openapi`] reads a file and inlines its `$ref`s; [`prose`] reads the facts ZEGO writes
//! in prose (QPS, listed values, limits, the return-code table); [`to_spec`] builds our
//! [`ActionSpec`]s with warnings for what needs a person; [`align`] carries over, from an
//! action the spec already has, what the published page cannot say (names, docs, paging,
//! integer widths); [`write`] renders one action file in our format.

pub mod align;
pub mod openapi;
pub mod prose;
pub mod to_spec;
pub mod write;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::spec::{ActionSpec, ServiceSpec};

/// One action read from a published file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub spec: ActionSpec,
    /// The file it came from.
    pub source: PathBuf,
    /// What a person has to check or decide, one sentence each.
    pub warnings: Vec<String>,
    /// Paths (`request.Limit`) of integers whose width the page does not state; they are
    /// imported as `int64`.
    pub unsized_ints: BTreeSet<String>,
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: PathBuf,
    /// Where in the file, as a JSON pointer (`/paths/~1/get`); empty for the whole file.
    pub place: String,
    pub kind: ImportErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportErrorKind {
    Read(String),
    Yaml(String),
    /// A `$ref` that cannot be followed.
    BadRef(String),
    /// A part every action page has.
    Missing(String),
    /// Neither an `Action` parameter with names nor a `summary`.
    MissingAction,
    /// The written action file fails our checker.
    Check(String),
}

impl ImportError {
    pub fn new(file: &Path, place: &str, kind: ImportErrorKind) -> ImportError {
        ImportError {
            file: file.to_path_buf(),
            place: place.to_owned(),
            kind,
        }
    }
}

impl fmt::Display for ImportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportErrorKind::Read(err) => write!(f, "cannot read the file: {err}"),
            ImportErrorKind::Yaml(err) => write!(f, "not valid YAML: {err}"),
            ImportErrorKind::BadRef(err) => write!(f, "bad $ref {err}"),
            ImportErrorKind::Missing(what) => write!(f, "missing {what}"),
            ImportErrorKind::MissingAction => f.write_str(
                "no action name: neither an `Action` parameter with an enum nor a `summary`",
            ),
            ImportErrorKind::Check(diagnostics) => {
                write!(
                    f,
                    "the imported action does not pass the check:\n{diagnostics}"
                )
            }
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.kind)
        } else {
            write!(
                f,
                "{} at {}: {}",
                self.file.display(),
                self.place,
                self.kind
            )
        }
    }
}

impl std::error::Error for ImportError {}

/// Imports the actions of one published file.
pub fn import_file(
    loader: &mut openapi::Loader,
    file: &Path,
    service: &ServiceSpec,
) -> Result<Vec<Imported>, ImportError> {
    let root = loader.resolved_file(file)?;
    to_spec::actions_of_file(&root, file, service)
}

/// The action files of a published folder: every `*.yaml` one level below `dir` (in the
/// category folders), sorted; the shared file at the top is not an action.
pub fn action_files(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let read = |path: &Path| {
        std::fs::read_dir(path)
            .map_err(|err| ImportError::new(path, "", ImportErrorKind::Read(err.to_string())))
    };
    let mut files = Vec::new();
    for entry in read(dir)?.flatten() {
        let folder = entry.path();
        if !folder.is_dir() {
            continue;
        }
        for inner in read(&folder)?.flatten() {
            let path = inner.path();
            if path.is_file() && path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
