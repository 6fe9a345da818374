//! Semantic diff of two spec trees: what changed for users of the generated Rust API.
//!
//! [`compare`] walks both [`Api`]s and lists every change; [`classify`] decides for each one
//! whether code written against the old client can stop compiling or start failing, and says
//! why; [`markdown`] and [`json`] render the result; [`changelog`] turns it into an entry of
//! `CHANGELOG-API.md`; [`source`] resolves a command-line argument (directory or git revision)
//! into a spec directory.

pub mod changelog;
pub mod classify;
pub mod compare;
pub mod json;
pub mod markdown;
mod rules;
pub mod source;

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::spec::Api;

pub use source::Side;

/// Exit code of `zim-codegen diff --fail-on-breaking` when a change breaks.
pub const EXIT_BREAKING: u8 = 2;

/// What kind of change one entry describes. Serialized in `snake_case`; the set only grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    // Actions.
    ActionAdded,
    ActionRemoved,
    CategoryChanged,
    MethodChanged,
    HostChanged,
    QpsChanged,
    RetrySafeChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    PartialFailureAdded,
    PartialFailureRemoved,
    PartialFailureChanged,
    ResponseWrapperChanged,
    ReturnCodeAdded,
    ReturnCodeRemoved,
    ReturnCodeChanged,
    // Fields of requests, responses, objects and shared types.
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    RustNameChanged,
    AliasesChanged,
    TypeChanged,
    TypeNameChanged,
    RequiredChanged,
    DefaultChanged,
    LimitTightened,
    LimitLoosened,
    ValueAdded,
    ValueRemoved,
    ValueRenamed,
    ValuesKindChanged,
    SelectorChanged,
    /// `max_items_default` changed (the cap the server applies unless raised).
    CapDefaultChanged,
    /// A rule across request fields (`rules:`) added or removed.
    RuleAdded,
    RuleRemoved,
    // Shared types and the service.
    SharedTypeAdded,
    SharedTypeRemoved,
    VariantAdded,
    VariantRemoved,
    VariantChanged,
    RegionAdded,
    RegionRemoved,
    ServiceChanged,
}

impl ChangeKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ChangeKind] = &[
        ChangeKind::ActionAdded,
        ChangeKind::ActionRemoved,
        ChangeKind::CategoryChanged,
        ChangeKind::MethodChanged,
        ChangeKind::HostChanged,
        ChangeKind::QpsChanged,
        ChangeKind::RetrySafeChanged,
        ChangeKind::PaginationAdded,
        ChangeKind::PaginationRemoved,
        ChangeKind::PaginationChanged,
        ChangeKind::PartialFailureAdded,
        ChangeKind::PartialFailureRemoved,
        ChangeKind::PartialFailureChanged,
        ChangeKind::ResponseWrapperChanged,
        ChangeKind::ReturnCodeAdded,
        ChangeKind::ReturnCodeRemoved,
        ChangeKind::ReturnCodeChanged,
        ChangeKind::FieldAdded,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldRenamed,
        ChangeKind::RustNameChanged,
        ChangeKind::AliasesChanged,
        ChangeKind::TypeChanged,
        ChangeKind::TypeNameChanged,
        ChangeKind::RequiredChanged,
        ChangeKind::DefaultChanged,
        ChangeKind::LimitTightened,
        ChangeKind::LimitLoosened,
        ChangeKind::ValueAdded,
        ChangeKind::ValueRemoved,
        ChangeKind::ValueRenamed,
        ChangeKind::ValuesKindChanged,
        ChangeKind::SelectorChanged,
        ChangeKind::CapDefaultChanged,
        ChangeKind::RuleAdded,
        ChangeKind::RuleRemoved,
        ChangeKind::SharedTypeAdded,
        ChangeKind::SharedTypeRemoved,
        ChangeKind::VariantAdded,
        ChangeKind::VariantRemoved,
        ChangeKind::VariantChanged,
        ChangeKind::RegionAdded,
        ChangeKind::RegionRemoved,
        ChangeKind::ServiceChanged,
    ];

    /// The `snake_case` name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ActionAdded => "action_added",
            ChangeKind::ActionRemoved => "action_removed",
            ChangeKind::CategoryChanged => "category_changed",
            ChangeKind::MethodChanged => "method_changed",
            ChangeKind::HostChanged => "host_changed",
            ChangeKind::QpsChanged => "qps_changed",
            ChangeKind::RetrySafeChanged => "retry_safe_changed",
            ChangeKind::PaginationAdded => "pagination_added",
            ChangeKind::PaginationRemoved => "pagination_removed",
            ChangeKind::PaginationChanged => "pagination_changed",
            ChangeKind::PartialFailureAdded => "partial_failure_added",
            ChangeKind::PartialFailureRemoved => "partial_failure_removed",
            ChangeKind::PartialFailureChanged => "partial_failure_changed",
            ChangeKind::ResponseWrapperChanged => "response_wrapper_changed",
            ChangeKind::ReturnCodeAdded => "return_code_added",
            ChangeKind::ReturnCodeRemoved => "return_code_removed",
            ChangeKind::ReturnCodeChanged => "return_code_changed",
            ChangeKind::FieldAdded => "field_added",
            ChangeKind::FieldRemoved => "field_removed",
            ChangeKind::FieldRenamed => "field_renamed",
            ChangeKind::RustNameChanged => "rust_name_changed",
            ChangeKind::AliasesChanged => "aliases_changed",
            ChangeKind::TypeChanged => "type_changed",
            ChangeKind::TypeNameChanged => "type_name_changed",
            ChangeKind::RequiredChanged => "required_changed",
            ChangeKind::DefaultChanged => "default_changed",
            ChangeKind::LimitTightened => "limit_tightened",
            ChangeKind::LimitLoosened => "limit_loosened",
            ChangeKind::ValueAdded => "value_added",
            ChangeKind::ValueRemoved => "value_removed",
            ChangeKind::ValueRenamed => "value_renamed",
            ChangeKind::ValuesKindChanged => "values_kind_changed",
            ChangeKind::SelectorChanged => "selector_changed",
            ChangeKind::CapDefaultChanged => "cap_default_changed",
            ChangeKind::RuleAdded => "rule_added",
            ChangeKind::RuleRemoved => "rule_removed",
            ChangeKind::SharedTypeAdded => "shared_type_added",
            ChangeKind::SharedTypeRemoved => "shared_type_removed",
            ChangeKind::VariantAdded => "variant_added",
            ChangeKind::VariantRemoved => "variant_removed",
            ChangeKind::VariantChanged => "variant_changed",
            ChangeKind::RegionAdded => "region_added",
            ChangeKind::RegionRemoved => "region_removed",
            ChangeKind::ServiceChanged => "service_changed",
        }
    }

    /// Short words for people (`field added`).
    pub fn label(self) -> String {
        self.as_str().replace('_', " ")
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The action it belongs to; `None` for the service file (shared types, hosts, codes).
    pub action: Option<String>,
    /// Where in the action or service, with wire names: `request.Limit`,
    /// `response.GroupInfoList.GroupId`, `types.ImageMessage.Url`, `qps`, `return_codes`.
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Whether code written against the old generated client can stop compiling or start
    /// failing at run time.
    pub breaking: bool,
    /// Why it breaks or why it does not, in a sentence.
    pub reason: String,
}

/// The result of comparing two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How the old side was named on the command line.
    pub old_label: String,
    pub new_label: String,
    /// Service-wide changes first, then by action name; in spec order within one action.
    pub changes: Vec<Change>,
}

/// Counts for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub breaking: usize,
    pub non_breaking: usize,
    pub actions_added: usize,
    pub actions_removed: usize,
    /// Actions present on both sides with at least one change.
    pub actions_changed: usize,
}

impl Report {
    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            total: self.changes.len(),
            ..Summary::default()
        };
        let mut changed: Vec<&str> = Vec::new();
        for change in &self.changes {
            if change.breaking {
                summary.breaking += 1;
            } else {
                summary.non_breaking += 1;
            }
            match change.kind {
                ChangeKind::ActionAdded => summary.actions_added += 1,
                ChangeKind::ActionRemoved => summary.actions_removed += 1,
                _ => {
                    if let Some(action) = change.action.as_deref()
                        && !changed.contains(&action)
                    {
                        changed.push(action);
                    }
                }
            }
        }
        summary.actions_changed = changed.len();
        summary
    }
}

/// Compares two checked specs and classifies every change.
pub fn diff(old: &Api, new: &Api, old_label: &str, new_label: &str) -> Report {
    let mut changes: Vec<Change> = compare::compare(old, new)
        .into_iter()
        .map(classify::classify)
        .collect();
    // Stable: keeps spec order inside each group.
    changes.sort_by(|a, b| a.action.cmp(&b.action));
    Report {
        old_label: old_label.to_owned(),
        new_label: new_label.to_owned(),
        changes,
    }
}

/// Output format of `zim-codegen diff`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Markdown,
    Json,
}

impl Format {
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Markdown => markdown::render(report),
            Format::Json => json::render(report),
        }
    }
}

/// Why a diff could not be made.
#[derive(Debug)]
pub enum DiffError {
    /// A side's spec does not pass the checker; `diagnostics` is the checker's rendered report.
    Check { side: Side, diagnostics: String },
    /// A side could not be read (a missing directory, an unknown revision, a git failure).
    Source { side: Side, message: String },
    /// The changelog file could not be read or written.
    Io { path: PathBuf, message: String },
    /// A `--date` that is not `YYYY-MM-DD`.
    BadDate(String),
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::Check { side, diagnostics } => {
                write!(f, "the {side} spec does not pass the check:\n{diagnostics}")
            }
            DiffError::Source { side, message } => {
                write!(f, "cannot read the {side} spec: {message}")
            }
            DiffError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            DiffError::BadDate(date) => {
                write!(f, "`{date}` is not a date of the form YYYY-MM-DD")
            }
        }
    }
}

impl std::error::Error for DiffError {}

/// Everything `zim-codegen diff` does, minus printing.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Directory or git revision of the old spec.
    pub old: String,
    /// Directory or git revision of the new spec.
    pub new: String,
    pub format: Format,
    pub fail_on_breaking: bool,
    /// Where relative directories and git revisions are resolved (normally the current
    /// directory).
    pub workdir: PathBuf,
}

/// The result of [`run_diff`].
#[derive(Debug, Clone)]
pub struct DiffOutcome {
    pub report: Report,
    /// The report in the requested format.
    pub rendered: String,
    fail_on_breaking: bool,
}

impl DiffOutcome {
    /// Whether any change breaks.
    pub fn breaking(&self) -> bool {
        self.report.has_breaking()
    }

    /// The process exit code: [`EXIT_BREAKING`] when `--fail-on-breaking` was given and a change
    /// breaks, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.fail_on_breaking && self.breaking() {
            EXIT_BREAKING
        } else {
            0
        }
    }
}

/// Loads both sides, compares them and renders the report.
pub fn run_diff(options: &DiffOptions) -> Result<DiffOutcome, DiffError> {
    let report = load_and_diff(&options.old, &options.new, &options.workdir)?;
    Ok(DiffOutcome {
        rendered: options.format.render(&report),
        report,
        fail_on_breaking: options.fail_on_breaking,
    })
}

/// Resolves and loads both sides (see [`source`]) and compares them.
pub fn load_and_diff(old: &str, new: &str, workdir: &std::path::Path) -> Result<Report, DiffError> {
    let old = source::load(old, Side::Old, workdir)?;
    let new = source::load(new, Side::New, workdir)?;
    Ok(diff(&old.api, &new.api, &old.label, &new.label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_their_json_form() {
        for kind in ChangeKind::ALL {
            let json = serde_json::to_value(kind).unwrap_or_default();
            assert_eq!(json.as_str(), Some(kind.as_str()));
        }
    }
}
