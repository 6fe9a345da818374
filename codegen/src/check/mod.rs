//! The spec checker: turns the files under `spec/` into a checked [`Api`] or into
//! diagnostics.
//!
//! Every path into the generator (CLI, proc macro, build scripts) enters through [`load`]
//! (or [`load_from_sources`] for text already in memory). The checker reads every file, keeps
//! going after errors and reports all of them at once, each with file, line, column, YAML
//! path, message and hint. It never panics, whatever the input.
//!
//! Steps: read files (at most 256 KiB each) -> refuse deep nesting and control characters
//! (`limits`, `text`) -> deserialize into the model, collecting keys serde ignored (positions
//! from [`source_map`], built only when a problem needs one) -> merge `use:` definitions ->
//! semantic rules (`rules`, `numbers`) -> the names the generator derives (`names`) -> sort
//! actions. Every step is linear in the size of the input, so no file can make it slow.

mod cross_field;
pub mod diagnostics;
mod extend;
mod keys;
mod limits;
mod names;
mod numbers;
mod rules;
mod snippet;
pub mod source_map;
pub(crate) mod text;
mod text_or;
mod text_rules;

use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;

pub use diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use source_map::{Pos, SourceMap, join_index, join_key};

use crate::spec::{ActionSpec, Api, CheckedAction, ServiceSpec};

/// The result of a check run: the checked spec when no error was found, and every finding
/// (warnings come with a successful run too).
#[derive(Debug, Clone)]
pub struct Checked {
    pub api: Option<Api>,
    pub diagnostics: Diagnostics,
}

impl Checked {
    /// The API, or the diagnostics when there was an error.
    pub fn into_result(self) -> Result<Api, Diagnostics> {
        match self.api {
            Some(api) if !self.diagnostics.has_errors() => Ok(api),
            _ => Err(self.diagnostics),
        }
    }
}

/// Reads and checks the spec directory `dir` (holding `service.yaml` and `actions/`).
///
/// Diagnostics name files under `dir` as given when it is relative, or under its last
/// component when it is absolute, so output does not depend on where the tree lives.
pub fn load(dir: &Path) -> Result<Api, Diagnostics> {
    check_dir(dir).into_result()
}

/// Like [`load`], keeping warnings of a successful run.
pub fn check_dir(dir: &Path) -> Checked {
    let shown_root = shown_root(dir);
    if !dir.is_dir() {
        let mut diagnostics = Diagnostics::new();
        let mut problem = file_problem(
            &shown_root,
            &format!("there is no spec directory at `{}`", dir.display()),
        );
        problem.hint = Some("give the folder that holds `service.yaml` and `actions/`".into());
        diagnostics.push(problem);
        return Checked {
            api: None,
            diagnostics,
        };
    }
    let mut inputs = Vec::new();
    let mut problems = Diagnostics::new();
    let mut rel_paths = vec![PathBuf::from("service.yaml")];
    let mut found = Vec::new();
    collect_yaml_files(&dir.join("actions"), Path::new("actions"), &mut found, 0);
    found.sort();
    rel_paths.extend(found);
    for rel in rel_paths {
        let full = dir.join(&rel);
        let shown = shown_root.join(&rel);
        match read_limited(&full) {
            Ok(Err(size)) => inputs.push(Input {
                rel,
                shown,
                source: full,
                text: String::new(),
                size,
            }),
            Ok(Ok(bytes)) => match String::from_utf8(bytes) {
                Ok(text) => inputs.push(Input {
                    rel,
                    shown,
                    source: full,
                    size: text.len() as u64,
                    text,
                }),
                Err(_) => problems.push(file_problem(&shown, "the file is not UTF-8 text")),
            },
            // A missing service file is reported once, by the check itself.
            Err(err)
                if err.kind() == std::io::ErrorKind::NotFound
                    && rel == Path::new("service.yaml") => {}
            Err(err) => {
                let message = if rel == Path::new("service.yaml") {
                    format!("cannot read the service file: {err}")
                } else {
                    format!("cannot read the file: {err}")
                };
                problems.push(file_problem(&shown, &message));
            }
        }
    }
    let mut checked = check_inputs(inputs, &shown_root.join("service.yaml"));
    for problem in problems {
        checked.diagnostics.push(problem);
    }
    if checked.diagnostics.has_errors() {
        checked.api = None;
    }
    checked.diagnostics.finish();
    checked
}

/// Checks spec files given as text. Paths are relative to the spec directory
/// (`service.yaml`, `actions/user/QueryGroupsInfoOfUser.yaml`) and are shown as given.
pub fn load_from_sources(files: &[(PathBuf, String)]) -> Result<Api, Diagnostics> {
    check_sources(files).into_result()
}

/// Like [`load_from_sources`], keeping warnings of a successful run.
pub fn check_sources(files: &[(PathBuf, String)]) -> Checked {
    let mut inputs: Vec<Input> = files
        .iter()
        .map(|(path, text)| Input {
            rel: normalize(path),
            shown: path.clone(),
            source: path.clone(),
            text: text.clone(),
            size: text.len() as u64,
        })
        .collect();
    inputs.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut checked = check_inputs(inputs, Path::new("service.yaml"));
    checked.diagnostics.finish();
    checked
}

/// One file to check.
struct Input {
    /// Relative to the spec directory.
    rel: PathBuf,
    /// As shown in diagnostics.
    shown: PathBuf,
    /// As read, for rebuild tracking.
    source: PathBuf,
    text: String,
    /// Its size in bytes; above [`limits::MAX_FILE_BYTES`] the text is not read.
    size: u64,
}

/// A file being checked, with its position index.
pub(crate) struct SourceFile {
    pub rel: PathBuf,
    pub shown: PathBuf,
    pub text: String,
    /// The size in bytes of a file larger than [`limits::MAX_FILE_BYTES`], which is reported
    /// and not read further (its `text` is empty when it came from disk).
    oversized: Option<u64>,
    /// Built on first use: a clean file never needs positions.
    map: std::cell::OnceCell<SourceMap>,
    /// Built on first use, like `map`.
    lines: std::cell::OnceCell<snippet::LineIndex>,
}

impl SourceFile {
    fn new(input: Input) -> SourceFile {
        let size = input.size.max(input.text.len() as u64);
        SourceFile {
            rel: input.rel,
            shown: input.shown,
            oversized: (size > limits::MAX_FILE_BYTES).then_some(size),
            text: input.text,
            map: std::cell::OnceCell::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    pub fn map(&self) -> &SourceMap {
        self.map.get_or_init(|| SourceMap::new(&self.text))
    }

    /// What a diagnostic at `pos` shows of its line.
    fn snippet(&self, pos: Pos) -> Option<snippet::Snippet> {
        self.lines
            .get_or_init(|| snippet::LineIndex::new(&self.text))
            .snippet(&self.text, pos.line, pos.col, pos.len)
    }
}

/// Collects diagnostics and gives them positions.
pub(crate) struct Reporter<'a> {
    pub files: &'a [SourceFile],
    pub diagnostics: Diagnostics,
}

/// Which part of a node a diagnostic points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum At {
    Key,
    Value,
}

impl Reporter<'_> {
    pub fn report(
        &mut self,
        file: usize,
        code: Code,
        path: &str,
        at: At,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let Some(source) = self.files.get(file) else {
            return;
        };
        let name_path = join_key(path, "name");
        let pos = match at {
            // A list item has no key of its own: point at its name, which identifies it.
            At::Key
                if source.map().contains(path)
                    && !source.map().has_key(path)
                    && source.map().contains(&name_path) =>
            {
                source.map().value(&name_path)
            }
            At::Key => source.map().key(path),
            At::Value => source.map().value(path),
        };
        self.report_at(file, code, path, pos, message.into(), hint);
    }

    pub fn report_at(
        &mut self,
        file: usize,
        code: Code,
        path: &str,
        pos: Pos,
        message: String,
        hint: Option<String>,
    ) {
        let Some(source) = self.files.get(file) else {
            return;
        };
        let snippet = source.snippet(pos);
        self.diagnostics.push(Diagnostic {
            code,
            file: source.shown.clone(),
            line: pos.line.max(1),
            col: pos.col.max(1),
            len: snippet.as_ref().map_or(1, |s| s.len),
            path: path.to_owned(),
            message,
            hint,
            source_col: snippet.as_ref().map_or(1, |s| s.caret_col),
            source_line: snippet.map(|s| s.text),
        });
    }
}

fn check_inputs(inputs: Vec<Input>, service_shown: &Path) -> Checked {
    rules::reset_suggestion_budget();
    let sources: Vec<PathBuf> = inputs.iter().map(|i| i.source.clone()).collect();
    let files: Vec<SourceFile> = inputs.into_iter().map(SourceFile::new).collect();
    let mut reporter = Reporter {
        files: &files,
        diagnostics: Diagnostics::new(),
    };

    let service_index = files
        .iter()
        .position(|f| f.rel == Path::new("service.yaml"));
    let service: Option<ServiceSpec> = match service_index {
        Some(index) => parse_file(&mut reporter, index, keys::Root::Service),
        None => {
            reporter.diagnostics.push(Diagnostic {
                code: Code::Io,
                file: service_shown.to_path_buf(),
                line: 1,
                col: 1,
                len: 1,
                path: String::new(),
                message: "the spec has no service file".into(),
                hint: Some("create `service.yaml` next to the `actions/` folder".into()),
                source_line: None,
                source_col: 1,
            });
            None
        }
    };

    let mut actions: Vec<(usize, ActionSpec)> = Vec::new();
    for index in 0..files.len() {
        if Some(index) == service_index {
            continue;
        }
        if let Some(action) = parse_file::<ActionSpec>(&mut reporter, index, keys::Root::Action) {
            actions.push((index, action));
        }
    }

    let mut service = service;
    rules::check(&mut reporter, service_index, service.as_mut(), &mut actions);
    names::check(&mut reporter, service_index, service.as_ref(), &actions);

    let Reporter { diagnostics, .. } = reporter;
    let api = match service {
        Some(service) if !diagnostics.has_errors() => {
            let mut checked: Vec<CheckedAction> = actions
                .into_iter()
                .map(|(index, spec)| CheckedAction {
                    spec,
                    file: files[index].rel.clone(),
                })
                .collect();
            checked.sort_by(|a, b| {
                (&a.spec.category, &a.spec.name).cmp(&(&b.spec.category, &b.spec.name))
            });
            Some(Api {
                service,
                actions: checked,
                sources,
            })
        }
        _ => None,
    };
    Checked { api, diagnostics }
}

/// Deserializes one file, reporting syntax errors, shape errors and unknown keys.
fn parse_file<T: DeserializeOwned>(
    reporter: &mut Reporter<'_>,
    index: usize,
    root: keys::Root,
) -> Option<T> {
    let source = reporter.files.get(index)?;
    if let Some(size) = source.oversized {
        report_oversized(reporter, index, size);
        return None;
    }
    let text = source.text.clone();
    // Deep nesting makes the parsers slow and recursive, and no spec needs it.
    if let Some(pos) = limits::too_deep(&text) {
        let path = reporter.files[index]
            .map()
            .path_before(pos)
            .unwrap_or_default();
        reporter.report_at(
            index,
            Code::YamlTooDeep,
            &path,
            pos,
            format!(
                "mappings and lists nest more than {} deep here",
                limits::MAX_YAML_DEPTH
            ),
            Some(
                "real spec files nest about 11 deep; shared types (`types:` in service.yaml) \
                 keep deep objects flat"
                    .into(),
            ),
        );
        return None;
    }
    if !text::check_file(reporter, index) {
        return None;
    }
    // Deserialize; after a shape error, blank out the offending key and try again, so one
    // run reports the shape errors of the whole file. Blanking keeps line numbers and
    // never shifts list indices, so positions and paths stay those of the original text.
    let mut text = text;
    let mut unknown_seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut explained: Vec<String> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut failed = false;
    for round in 0..MAX_SHAPE_ERRORS {
        let mut ignored = Vec::new();
        let deserializer = serde_yaml::Deserializer::from_str(&text);
        let result: Result<T, _> = serde_ignored::deserialize(deserializer, |path| {
            ignored.push(ignored_path(&path));
        });
        // Unknown keys are reported even when deserialization failed later on: a misspelt
        // key is often the reason a required one is missing.
        for path in ignored {
            if !unknown_seen.contains(&path) {
                explained.extend(keys::report_unknown(reporter, index, root, &path));
                unknown_seen.insert(path);
            }
        }
        let err = match result {
            Ok(value) if !failed => {
                keys::check_untagged_keys(reporter, index, root);
                return Some(value);
            }
            Ok(_) => return None,
            // A syntax error gets one clear diagnostic of its own.
            Err(_) if round == 0 && report_syntax(reporter, index, &text) => return None,
            Err(err) => err,
        };
        failed = true;
        let (mut path, mut message, mut pos) = split_serde_error(&err);
        let mut detail = None;
        // A return code of neither form is reported at the list: find the item.
        if message.contains("untagged enum ReturnCodeRef")
            && let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text)
            && let Some(items) = value.get(path.as_str()).and_then(|v| v.as_sequence())
            && let Some(bad) = items.iter().position(|item| {
                serde_yaml::from_value::<crate::spec::ReturnCodeRef>(item.clone()).is_err()
            })
        {
            if let Err(why) =
                serde_yaml::from_value::<crate::spec::ReturnCodeSpec>(items[bad].clone())
                && items[bad].is_mapping()
            {
                detail = Some(format!("as a written-out code: {why}"));
            }
            path = join_index(&path, bad);
            pos = reporter.files[index].map().value(&path);
        }
        let repair_message = message.clone();
        if message.contains("untagged enum ReturnCodeRef") {
            message = "a return code is a number of the global table or a written-out code".into();
        } else if message.contains("untagged enum Scalar") {
            message = "expected a string, an integer or `true`/`false` here".into();
        }
        // A scalar of the wrong kind is reported at the object holding it: find the key.
        if repair_message.contains("untagged enum Scalar") {
            let map = reporter.files[index].map();
            if let Some(key) = map
                .keys_of(&path)
                .iter()
                .find(|k| *k == "value" || *k == "default")
            {
                path = join_key(&path, key);
                pos = map.value(&path);
            }
        }
        if let Some(missing) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
        {
            if explained.iter().any(|k| k == missing) || removed.contains(&join_key(&path, missing))
            {
                return None;
            }
            // Report every required key this mapping and the mappings around it lack
            // (serde stops at the first), as far as the file shows them.
            let mut places = vec![path.clone()];
            let mut up = source_map::parent_path(&path);
            while let Some(parent) = up {
                places.push(parent.to_owned());
                up = source_map::parent_path(parent);
            }
            for (n, place) in places.iter().enumerate() {
                let mut all = keys::missing_keys(reporter, index, root, place);
                all.retain(|k| !explained.contains(k) && !removed.contains(&join_key(place, k)));
                if n == 0 && !all.iter().any(|k| k == missing) {
                    all = vec![missing.to_owned()];
                }
                let map = reporter.files[index].map();
                let at = if n == 0 && (place.is_empty() || !map.contains(place)) {
                    pos
                } else {
                    map.key(place)
                };
                for key in all {
                    reporter.report_at(
                        index,
                        Code::WrongShape,
                        place,
                        at,
                        format!("missing key `{key}`"),
                        Some(format!("add `{key}:`; the format requires it here")),
                    );
                }
            }
            return None;
        }
        let hint = match detail {
            Some(detail) => Some(detail),
            None => shape_hint(&repair_message),
        };
        let map = reporter.files[index].map();
        if !path.is_empty() && map.contains(&path) {
            let value = map.value(&path);
            if (value.line, value.col) == (pos.line, pos.col) {
                pos = value;
            }
        }
        if let Some(dup) = message
            .strip_prefix("duplicate field `")
            .and_then(|m| m.strip_suffix('`'))
            && let Some(dup_pos) = map.duplicate_key(dup)
        {
            pos = dup_pos;
        }
        let shown_path = if path.is_empty() {
            map.path_at(pos)
                .or_else(|| map.path_before(pos))
                .unwrap_or_default()
        } else {
            path.clone()
        };
        reporter.report_at(index, Code::WrongShape, &shown_path, pos, message, hint);
        let literal = stand_in(&repair_message);
        match repair(
            &text,
            reporter.files[index].map(),
            &path,
            literal.as_deref(),
        ) {
            Some(repaired) => {
                removed.push(path);
                text = repaired;
            }
            None => return None,
        }
    }
    None
}

/// The bytes of the file at `path`, or its size when it is larger than
/// [`limits::MAX_FILE_BYTES`] (then only that much more is read, whatever the file holds).
fn read_limited(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Ok(Err(size));
    }
    Ok(Ok(bytes))
}

/// Reports a file larger than [`limits::MAX_FILE_BYTES`].
fn report_oversized(reporter: &mut Reporter<'_>, index: usize, size: u64) {
    let Some(source) = reporter.files.get(index) else {
        return;
    };
    reporter.diagnostics.push(Diagnostic {
        code: Code::FileTooLarge,
        file: source.shown.clone(),
        line: 1,
        col: 1,
        len: 1,
        path: String::new(),
        message: format!(
            "the file is {} KiB; a spec file may be at most {} KiB",
            limits::kib(size),
            limits::kib(limits::MAX_FILE_BYTES)
        ),
        hint: Some(
            "a spec file holds one action, or the facts all actions share; the largest real one \
             is about 52 KB"
                .into(),
        ),
        source_line: None,
        source_col: 1,
    });
}

/// Reports a syntax error of the file, if it has one; `true` when it did.
fn report_syntax(reporter: &mut Reporter<'_>, index: usize, text: &str) -> bool {
    if let Err(err) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        let (path, message, pos) = split_serde_error(&err);
        if let Some(key) = message
            .strip_prefix("duplicate entry with key \"")
            .and_then(|m| m.strip_suffix('"'))
        {
            let map = reporter.files[index].map();
            let pos = map.duplicate_key(key).unwrap_or(pos);
            let path = map.path_before(pos).unwrap_or_default();
            reporter.report_at(
                index,
                Code::DuplicateField,
                &path,
                pos,
                format!("key `{key}` is given twice in one mapping"),
                Some("keep one of them".into()),
            );
            return true;
        }
        let hint = syntax_hint(&message);
        let path = if path.is_empty() {
            reporter.files[index]
                .map()
                .path_before(pos)
                .unwrap_or_default()
        } else {
            path
        };
        reporter.report_at(index, Code::YamlSyntax, &path, pos, message, hint);
        return true;
    }
    false
}

/// Shape errors reported per file at most.
const MAX_SHAPE_ERRORS: usize = 50;

/// A literal that fits where serde's message says what it expected, if one is easy to tell.
fn stand_in(message: &str) -> Option<String> {
    if message.contains("untagged enum ReturnCodeRef") {
        return Some("0".into());
    }
    if message.contains("untagged enum Scalar") {
        return Some("\"\"".into());
    }
    let expected = message.rsplit_once("expected ")?.1;
    if let Some(rest) = expected
        .strip_prefix("one of `")
        .or_else(|| expected.strip_prefix('`'))
    {
        return rest.split('`').next().map(str::to_owned);
    }
    let word = expected.trim();
    let literal = match word {
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" | "isize" => "0",
        "a string" | "a character" => "\"\"",
        "a boolean" => "false",
        "a sequence" => "[]",
        _ => return None,
    };
    Some(literal.to_owned())
}

/// `text` with the node at `path` replaced by `literal` (or, without one, the key and its
/// value blanked). Lines stay where they are and list indices do not move, so positions
/// and paths remain those of the original text. `None` when the node is not in block style.
fn repair(text: &str, map: &SourceMap, path: &str, literal: Option<&str>) -> Option<String> {
    if path.is_empty() || !map.contains(path) {
        return None;
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let keyed = map.has_key(path);
    let value = map.value(path);
    // The line and column that own the node: its key, or its `- ` for a list item.
    let (anchor_line, anchor_col) = if keyed {
        let key = map.key(path);
        (key.line, key.col)
    } else {
        (value.line, value.col)
    };
    let line = lines.get(anchor_line.checked_sub(1)?)?.clone();
    let head: String = line.chars().take(anchor_col.checked_sub(1)?).collect();
    if !head.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    // Lines indented deeper than the owner continue its value.
    let owner_indent = if keyed { head.len() } else { head.rfind('-')? };
    let new_line = match (literal, keyed) {
        (None, false) => return None,
        (None, true) => head.clone(),
        (Some(literal), true) => {
            let key_end = head.len() + map.key(path).len;
            let after_key: String = line.chars().skip(key_end).collect();
            let colon = after_key.find(':')?;
            let key_text: String = line.chars().take(key_end).collect();
            format!("{key_text}{}: {literal}", &after_key[..colon])
        }
        (Some(literal), false) => format!("{head}{literal}"),
    };
    lines[anchor_line - 1] = new_line;
    for line in lines.iter_mut().skip(anchor_line) {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || indent > owner_indent {
            line.clear();
        } else {
            break;
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    serde_yaml::from_str::<serde_yaml::Value>(&out).ok()?;
    Some(out)
}

/// The YAML path, the message without position, and the position of a serde error.
fn split_serde_error(err: &serde_yaml::Error) -> (String, String, Pos) {
    let mut text = err.to_string();
    // The position is shown separately: drop it from the text.
    if let Some(loc) = err.location() {
        let at = format!(" at line {} column {}", loc.line(), loc.column());
        if let Some(i) = text.find(&at) {
            text.replace_range(i..i + at.len(), "");
        }
    }
    let mut path = String::new();
    if let Some((head, rest)) = text.split_once(": ")
        && !head.is_empty()
        && !head.contains(' ')
        && !head.contains('`')
    {
        path = head.to_owned();
        text = rest.to_owned();
    }
    let pos = err
        .location()
        .map(|loc| Pos {
            line: loc.line().max(1),
            col: loc.column().max(1),
            len: 1,
        })
        .unwrap_or(Pos::START);
    (path, text, pos)
}

fn syntax_hint(message: &str) -> Option<String> {
    if message.contains("duplicate entry") {
        Some("remove or rename one of the two keys".into())
    } else if message.contains("tab") {
        Some("indent with spaces; YAML does not allow tabs for indentation".into())
    } else {
        Some("check the indentation and the quoting around this place".into())
    }
}

fn shape_hint(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        return Some(format!("add `{name}:`; the format requires it here"));
    }
    if message.contains("did not match any variant of untagged enum Scalar") {
        return Some("a float, list or object cannot stand here; quote text: \"1.5\"".into());
    }
    if message.contains("untagged enum ReturnCodeRef") {
        return Some(
            "write `- 660000002`, or `- {code: .., name: .., meaning: .., fix: ..}`".into(),
        );
    }
    if message.starts_with("unknown variant") {
        return Some("use one of the listed words, spelled exactly".into());
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let expected = message.rsplit_once("expected ").map(|(_, e)| e.trim());
        let hint = match expected {
            Some("u8" | "u16" | "u32" | "u64" | "usize") => "write a whole number, 0 or more",
            Some("i8" | "i16" | "i32" | "i64" | "isize") => "write a whole number",
            Some("a boolean") => "write `true` or `false`",
            Some("a string") => "write text; quote it if it looks like a number or a list",
            Some("a sequence") => "write a list: `[a, b]`, or one `- item` per line",
            Some(e) if e.starts_with("struct") || e.starts_with("a map") => {
                "write a mapping: one `key: value` per line, indented under this key"
            }
            _ => "`spec/schema.json` describes every key and its type",
        };
        return Some(hint.into());
    }
    if message.starts_with("duplicate field") {
        return Some("give each key once".into());
    }
    None
}

/// A serde_ignored path in the checker's notation (`request[0].max_len`).
fn ignored_path(path: &serde_ignored::Path<'_>) -> String {
    match path {
        serde_ignored::Path::Root => String::new(),
        serde_ignored::Path::Seq { parent, index } => join_index(&ignored_path(parent), *index),
        serde_ignored::Path::Map { parent, key } => join_key(&ignored_path(parent), key),
        serde_ignored::Path::Some { parent }
        | serde_ignored::Path::NewtypeStruct { parent }
        | serde_ignored::Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

fn file_problem(shown: &Path, message: &str) -> Diagnostic {
    Diagnostic {
        code: Code::Io,
        file: shown.to_path_buf(),
        line: 1,
        col: 1,
        len: 1,
        path: String::new(),
        message: message.to_owned(),
        hint: None,
        source_line: None,
        source_col: 1,
    }
}

/// How files under `dir` are shown: as given when relative, else under its last component.
fn shown_root(dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        dir.file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("spec"))
    } else {
        normalize(dir)
    }
}

/// Drops `.` components and keeps the rest as is.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Every `*.yaml` / `*.yml` file under `dir`, as paths under `rel`.
fn collect_yaml_files(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let path = entry.path();
        let rel = rel.join(&name);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_yaml_files(&path, &rel, out, depth + 1);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(rel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_fit_what_serde_expected() {
        assert_eq!(
            stand_in("invalid type: string \"x\", expected u32").as_deref(),
            Some("0")
        );
        assert_eq!(
            stand_in("unknown variant `PUT`, expected `GET` or `POST`").as_deref(),
            Some("GET")
        );
        assert_eq!(
            stand_in("unknown variant `x`, expected one of `app`, `group`").as_deref(),
            Some("app")
        );
        assert_eq!(stand_in("expected a boolean").as_deref(), Some("false"));
        assert_eq!(stand_in("expected struct Field"), None);
    }

    #[test]
    fn repairs_keep_lines_and_indices() {
        let text = "a: 1\nlist:\n  - name: x\n    max: lots\n    min: 1\nb:\n  - 1\n  - 2\nc: 3\n";
        let map = SourceMap::new(text);
        let fixed = repair(text, &map, "list[0].max", Some("0")).expect("repaired");
        assert_eq!(fixed.lines().nth(3), Some("    max: 0"));
        assert_eq!(fixed.lines().count(), text.lines().count());
        let blanked = repair(text, &map, "b", None).expect("blanked");
        assert_eq!(blanked.lines().nth(5), Some(""));
        assert_eq!(blanked.lines().nth(6), Some(""));
        assert_eq!(blanked.lines().nth(8), Some("c: 3"));
        // Flow style is left alone.
        let flow = "a: {b: x}\n";
        assert_eq!(repair(flow, &SourceMap::new(flow), "a.b", Some("0")), None);
    }

    #[test]
    fn splits_serde_errors() {
        let err = serde_yaml::from_str::<crate::spec::QpsSpec>("limit: x\n").unwrap_err();
        let (path, message, pos) = split_serde_error(&err);
        assert_eq!(path, "limit");
        assert!(message.starts_with("invalid type"), "{message}");
        assert!(!message.contains("line"), "{message}");
        assert_eq!((pos.line, pos.col), (1, 8));
    }
}
