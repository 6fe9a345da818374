//! Reading ZEGO's OpenAPI files: YAML text to a tree with every `$ref` replaced by what it
//! points at.
//!
//! The published files are irregular in ways a strict OpenAPI reader rejects (see
//! `OPENAPI.md` section 3 of the shared reference): the shared file has a trailing tab,
//! `servers` is a `$ref` map, and two public parameters point at a file outside the
//! published folder. This reader strips trailing whitespace before parsing, resolves
//! `$ref`s relative to the file that holds them (following chains across files), and
//! answers the two missing public parameters from built-in definitions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::{ImportError, ImportErrorKind};

/// How deep `$ref`s may nest before the reader assumes a cycle.
const MAX_REF_DEPTH: usize = 32;

/// Files read so far, by path as joined (refs are resolved lexically).
#[derive(Default)]
pub struct Loader {
    files: BTreeMap<PathBuf, Value>,
}

impl Loader {
    pub fn new() -> Loader {
        Loader::default()
    }

    /// The parsed file, read once.
    pub fn file(&mut self, path: &Path) -> Result<&Value, ImportError> {
        let key = normalize(path);
        if !self.files.contains_key(&key) {
            let text = std::fs::read_to_string(&key).map_err(|err| {
                ImportError::new(&key, "", ImportErrorKind::Read(err.to_string()))
            })?;
            let value = parse_yaml(&text)
                .map_err(|message| ImportError::new(&key, "", ImportErrorKind::Yaml(message)))?;
            self.files.insert(key.clone(), value);
        }
        self.files
            .get(&key)
            .ok_or_else(|| ImportError::new(&key, "", ImportErrorKind::Read("not cached".into())))
    }

    /// The whole file with every `$ref` inlined.
    pub fn resolved_file(&mut self, path: &Path) -> Result<Value, ImportError> {
        let root = self.file(path)?.clone();
        self.inline(root, &normalize(path), "", 0)
    }

    /// `value` (found in `file` at `place`) with every `$ref` inside it replaced.
    fn inline(
        &mut self,
        value: Value,
        file: &Path,
        place: &str,
        depth: usize,
    ) -> Result<Value, ImportError> {
        if depth > MAX_REF_DEPTH {
            return Err(ImportError::new(
                file,
                place,
                ImportErrorKind::BadRef("`$ref`s nest too deep (a cycle?)".into()),
            ));
        }
        match value {
            Value::Mapping(map) => {
                if let Some(target) = map.get("$ref") {
                    let Some(target) = target.as_str() else {
                        return Err(ImportError::new(
                            file,
                            place,
                            ImportErrorKind::BadRef("`$ref` is not a string".into()),
                        ));
                    };
                    let (found, found_in) = self.follow(target, file, place)?;
                    let mut inlined = self.inline(found, &found_in, place, depth + 1)?;
                    // Siblings of `$ref` (an `example`, seen four times) are kept where the
                    // target has no such key.
                    if let Value::Mapping(target_map) = &mut inlined {
                        for (key, sibling) in map {
                            if key.as_str() != Some("$ref") && !target_map.contains_key(&key) {
                                target_map.insert(key, sibling);
                            }
                        }
                    }
                    return Ok(inlined);
                }
                let mut out = Mapping::new();
                for (key, item) in map {
                    let child = format!("{place}/{}", key_text(&key));
                    out.insert(key, self.inline(item, file, &child, depth)?);
                }
                Ok(Value::Mapping(out))
            }
            Value::Sequence(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| self.inline(item, file, &format!("{place}/{i}"), depth))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Sequence),
            other => Ok(other),
        }
    }

    /// What `target` (written in `file` at `place`) points at, and the file it sits in.
    fn follow(
        &mut self,
        target: &str,
        file: &Path,
        place: &str,
    ) -> Result<(Value, PathBuf), ImportError> {
        let (file_part, pointer) = target.split_once('#').unwrap_or((target, ""));
        let target_file = if file_part.is_empty() {
            file.to_path_buf()
        } else {
            normalize(&file.parent().unwrap_or(Path::new("")).join(file_part))
        };
        if !file_part.is_empty() && !target_file.exists() {
            // The snippet file of the public parameters is not published with the folder.
            if let Some(builtin) = builtin_public_param(pointer) {
                return Ok((builtin, target_file));
            }
            return Err(ImportError::new(
                file,
                place,
                ImportErrorKind::BadRef(format!(
                    "`{target}`: there is no file {}",
                    target_file.display()
                )),
            ));
        }
        let root = self.file(&target_file).map_err(|err| ImportError {
            place: place.to_owned(),
            file: file.to_path_buf(),
            kind: ImportErrorKind::BadRef(format!("`{target}`: {}", err.kind)),
        })?;
        let found = pointer_get(root, pointer).ok_or_else(|| {
            ImportError::new(
                file,
                place,
                ImportErrorKind::BadRef(format!("`{target}` points at nothing")),
            )
        })?;
        Ok((found.clone(), target_file))
    }
}

/// Parses YAML after dropping trailing whitespace (the shared file has a trailing tab that
/// YAML readers reject).
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    let cleaned: String = text
        .lines()
        .map(|line| line.trim_end_matches([' ', '\t']))
        .collect::<Vec<_>>()
        .join("\n");
    serde_yaml::from_str(&cleaned).map_err(|err| err.to_string())
}

/// Follows a JSON pointer (`/components/schemas/Name`); `~1`, `~0` and `%20` are unescaped.
pub fn pointer_get<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut node = root;
    for raw in pointer.split('/').filter(|s| !s.is_empty()) {
        let segment = raw
            .replace("~1", "/")
            .replace("~0", "~")
            .replace("%20", " ");
        node = match node {
            Value::Mapping(map) => map.get(segment.as_str())?,
            Value::Sequence(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The two public parameters defined only in ZEGO's unpublished snippet file.
fn builtin_public_param(pointer: &str) -> Option<Value> {
    let name = pointer.strip_prefix("/components/parameters/")?;
    let schema = match name {
        "AppId" => "{type: integer, format: uint32}",
        "SignatureVersion" => "{type: string, enum: ['2.0'], default: '2.0'}",
        _ => return None,
    };
    let text = format!("{{name: {name}, in: query, required: true, schema: {schema}}}");
    serde_yaml::from_str(&text).ok()
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// `a/b/../c` -> `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_tab_is_tolerated() {
        let value = parse_yaml("servers:\n  - url: https://a\n    description: x\t\n");
        assert!(value.is_ok(), "{value:?}");
    }

    #[test]
    fn pointer_unescapes_spaces() {
        let root: Value = serde_yaml::from_str("a: {'b c': 1}").unwrap_or(Value::Null);
        assert_eq!(
            pointer_get(&root, "/a/b%20c").and_then(Value::as_i64),
            Some(1)
        );
    }

    #[test]
    fn builtin_params_cover_the_missing_snippet() {
        assert!(builtin_public_param("/components/parameters/AppId").is_some());
        assert!(builtin_public_param("/components/parameters/SignatureVersion").is_some());
        assert!(builtin_public_param("/components/parameters/Other").is_none());
    }
}
