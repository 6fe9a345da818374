//! `zim-codegen sync`: how far `spec/` has drifted from ZEGO's published OpenAPI files.
//!
//! Every published file is imported (updating the spec's own action where there is one, so
//! only facts are compared), checked beside the spec's `service.yaml`, and compared with the
//! spec by the [`diff`](crate::diff) engine. What the pages cannot state (names, docs,
//! paging, retry safety) is not drift; differences the spec records under `upstream:` are
//! explained; everything else is unexplained drift.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::diff::{self, Change, ChangeKind, Format, Report};
use crate::import::{self, ImportError, align, openapi::Loader, write};
use crate::spec::{ActionSpec, Api, Field, ServiceSpec, TypeExpr, UpstreamAspect};

/// Exit code when unexplained drift was found.
pub const EXIT_DRIFT: u8 = 2;

/// Change kinds that are not facts of the published pages, so never drift.
const NOT_UPSTREAM: &[ChangeKind] = &[
    ChangeKind::CategoryChanged,
    ChangeKind::RetrySafeChanged,
    ChangeKind::PaginationAdded,
    ChangeKind::PaginationRemoved,
    ChangeKind::PaginationChanged,
    ChangeKind::ReturnCodeChanged,
    ChangeKind::RustNameChanged,
    ChangeKind::AliasesChanged,
    ChangeKind::TypeNameChanged,
    ChangeKind::ValueRenamed,
    // Pages state rules across fields and default caps in prose only.
    ChangeKind::RuleAdded,
    ChangeKind::RuleRemoved,
    ChangeKind::CapDefaultChanged,
];

/// The result of a sync.
#[derive(Debug, Clone)]
pub struct SyncOutcome {
    /// Unexplained drift, old = the spec, new = the published files.
    pub report: Report,
    /// Differences the spec records as deliberate.
    pub explained: usize,
    /// Recorded differences that no longer show: `(action, path, aspect)`.
    pub stale: Vec<(String, String, UpstreamAspect)>,
    /// Actions imported.
    pub imported: usize,
}

impl SyncOutcome {
    pub fn exit_code(&self) -> u8 {
        if self.report.changes.is_empty() {
            0
        } else {
            EXIT_DRIFT
        }
    }

    /// The report in a format of `diff`, with a line on the recorded differences.
    pub fn render(&self, format: Format) -> String {
        let mut text = format.render(&self.report);
        if format == Format::Markdown {
            text.push_str(&format!(
                "\n{} actions imported; {} differences recorded as deliberate in the spec.\n",
                self.imported, self.explained
            ));
            for (action, path, aspect) in &self.stale {
                text.push_str(&format!(
                    "- recorded difference no longer seen: `{action}` `{path}` ({})\n",
                    aspect_name(*aspect)
                ));
            }
        }
        text
    }
}

/// Why a sync could not run.
#[derive(Debug)]
pub enum SyncError {
    /// `spec/` fails the check.
    Spec(String),
    /// A published file could not be imported.
    Import(ImportError),
    /// The imported actions fail the check beside the spec's service file.
    ImportedCheck(String),
    Io {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Spec(d) => write!(f, "the spec does not pass the check:\n{d}"),
            SyncError::Import(err) => write!(f, "{err}"),
            SyncError::ImportedCheck(d) => {
                write!(f, "the imported actions do not pass the check:\n{d}")
            }
            SyncError::Io { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for SyncError {}

/// Imports every file of `docs_dir` and compares the result with `spec_dir`.
pub fn run_sync(spec_dir: &Path, docs_dir: &Path) -> Result<SyncOutcome, SyncError> {
    let spec = crate::check::load(spec_dir).map_err(|d| SyncError::Spec(d.to_string()))?;
    let service_path = spec_dir.join("service.yaml");
    let service_text = std::fs::read_to_string(&service_path).map_err(|err| SyncError::Io {
        path: service_path.clone(),
        message: err.to_string(),
    })?;
    let files = import::action_files(docs_dir).map_err(SyncError::Import)?;
    let sources = import_all(&files, &spec, true).map_err(SyncError::Import)?;
    let imported = sources.len();
    let mut inputs = vec![(PathBuf::from("service.yaml"), service_text)];
    inputs.extend(sources.into_iter().map(|(path, text, _)| (path, text)));
    let published = crate::check::load_from_sources(&inputs)
        .map_err(|d| SyncError::ImportedCheck(d.to_string()))?;

    let old = expanded(&spec);
    let new = expanded(&published);
    let full = diff::diff(
        &old,
        &new,
        &spec_dir.display().to_string(),
        &docs_label(docs_dir),
    );
    let recorded: BTreeMap<&str, &ActionSpec> = spec
        .actions
        .iter()
        .map(|a| (a.spec.name.as_str(), &a.spec))
        .collect();
    let mut used: Vec<(String, String, UpstreamAspect)> = Vec::new();
    let mut explained = 0;
    let mut changes: Vec<Change> = Vec::new();
    for change in full.changes {
        if NOT_UPSTREAM.contains(&change.kind) || change.action.is_none() {
            continue;
        }
        let entry = change
            .action
            .as_deref()
            .and_then(|a| recorded.get(a))
            .and_then(|a| a.upstream.iter().find(|u| covers(u, &change)));
        match (entry, change.action.as_deref()) {
            (Some(entry), Some(action)) => {
                explained += 1;
                used.push((action.to_owned(), entry.path.clone(), entry.differs));
            }
            _ => changes.push(change),
        }
    }
    let mut stale = Vec::new();
    for action in &spec.actions {
        for entry in &action.spec.upstream {
            let key = (action.spec.name.clone(), entry.path.clone(), entry.differs);
            if !used.contains(&key) {
                stale.push(key);
            }
        }
    }
    Ok(SyncOutcome {
        report: Report {
            old_label: full.old_label,
            new_label: full.new_label,
            changes,
        },
        explained,
        stale,
        imported,
    })
}

/// Imports `files`: `(path in a spec directory, file text, warnings)` per action. With
/// `update`, actions the spec has are aligned with it.
pub fn import_all(
    files: &[PathBuf],
    spec: &Api,
    update: bool,
) -> Result<Vec<(PathBuf, String, Vec<String>)>, ImportError> {
    let mut loader = Loader::new();
    let mut out = Vec::new();
    for file in files {
        for mut imported in import::import_file(&mut loader, file, &spec.service)? {
            if update
                && let Some(base) = spec
                    .actions
                    .iter()
                    .find(|a| a.spec.name == imported.spec.name)
            {
                let base = expand_action(&base.spec, &spec.service);
                align::align(&mut imported, &base);
            }
            let source = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let text = write::render(&imported.spec, source.as_deref());
            out.push((
                PathBuf::from(write::action_path(&imported.spec)),
                text,
                imported.warnings,
            ));
        }
    }
    Ok(out)
}

fn docs_label(docs_dir: &Path) -> String {
    docs_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| docs_dir.display().to_string())
}

/// Whether a recorded difference explains a change.
fn covers(entry: &crate::spec::UpstreamDifference, change: &Change) -> bool {
    let on_path = change.path == entry.path
        || change
            .path
            .strip_prefix(entry.path.as_str())
            .is_some_and(|rest| rest.starts_with('.'));
    on_path && aspect_of(change.kind) == Some(entry.differs)
}

/// The aspect a change kind is about.
pub fn aspect_of(kind: ChangeKind) -> Option<UpstreamAspect> {
    use ChangeKind as K;
    use UpstreamAspect as A;
    Some(match kind {
        K::ActionAdded | K::ActionRemoved => A::Action,
        K::FieldAdded | K::FieldRemoved | K::FieldRenamed => A::Field,
        K::TypeChanged | K::SelectorChanged => A::Type,
        K::RequiredChanged => A::Required,
        K::DefaultChanged => A::Default,
        K::LimitTightened | K::LimitLoosened => A::Limit,
        K::ValueAdded | K::ValueRemoved | K::ValuesKindChanged => A::Values,
        K::QpsChanged => A::Qps,
        K::MethodChanged => A::Method,
        K::HostChanged => A::Host,
        K::ReturnCodeAdded | K::ReturnCodeRemoved => A::ReturnCodes,
        K::PartialFailureAdded | K::PartialFailureRemoved | K::PartialFailureChanged => {
            A::PartialFailure
        }
        K::ResponseWrapperChanged => A::ResponseWrapper,
        _ => return None,
    })
}

fn aspect_name(aspect: UpstreamAspect) -> String {
    serde_yaml::to_string(&aspect)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The API with shared object types written out inline where fields use them, since pages
/// repeat each object where it is used.
fn expanded(api: &Api) -> Api {
    let mut out = api.clone();
    for action in &mut out.actions {
        action.spec = expand_action(&action.spec, &api.service);
    }
    out
}

/// One action with shared object types written out inline.
pub fn expand_action(action: &ActionSpec, service: &ServiceSpec) -> ActionSpec {
    let mut out = action.clone();
    for field in out.request.iter_mut().chain(out.response.iter_mut()) {
        expand_field(field, service, 0);
    }
    out
}

/// How deep shared types are written out (types can hold themselves through arrays).
const MAX_EXPANSION_DEPTH: usize = 8;

fn expand_field(field: &mut Field, service: &ServiceSpec, depth: usize) {
    if depth > MAX_EXPANSION_DEPTH {
        return;
    }
    if let Some(Ok(expr)) = field.ty.as_deref().map(TypeExpr::parse)
        && let TypeExpr::Named(name) = expr.leaf()
        && let Some(def) = service.types.get(name)
        && def.variants.is_empty()
        && !def.fields.is_empty()
    {
        field.ty = Some(with_leaf(&expr, TypeExpr::Object).to_string());
        field.type_name = Some(name.clone());
        field.fields = def.fields.clone();
    }
    for inner in &mut field.fields {
        expand_field(inner, service, depth + 1);
    }
}

fn with_leaf(expr: &TypeExpr, leaf: TypeExpr) -> TypeExpr {
    match expr {
        TypeExpr::Array(inner) => TypeExpr::Array(Box::new(with_leaf(inner, leaf))),
        TypeExpr::Map(inner) => TypeExpr::Map(Box::new(with_leaf(inner, leaf))),
        TypeExpr::Json(inner) => TypeExpr::Json(Box::new(with_leaf(inner, leaf))),
        _ => leaf,
    }
}
