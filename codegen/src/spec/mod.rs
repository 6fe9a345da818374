//! The spec: its format ([`model`]), its type expressions ([`types`]) and the checked form
//! that generators consume ([`Api`]).

pub mod model;
pub mod types;

use std::path::PathBuf;

pub use model::*;
pub use types::TypeExpr;

/// A spec that passed every check: the input of every generator.
///
/// Guarantees: every field's `ty` is set and parses as a [`TypeExpr`]; `use:` references are
/// merged into the fields that name them; names, references, limits, pagination and
/// partial-failure fields are consistent. Actions are sorted by category, then name.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub service: ServiceSpec,
    pub actions: Vec<CheckedAction>,
    /// Every file the checker read, as read (for rebuild tracking: a proc macro or build
    /// script re-runs when one of these changes).
    pub sources: Vec<PathBuf>,
}

/// One checked action and the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAction {
    pub spec: ActionSpec,
    /// Path of the action file, relative to the spec directory, with `/` separators.
    pub file: PathBuf,
}
