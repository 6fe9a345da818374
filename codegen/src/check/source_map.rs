//! Positions of YAML nodes, by YAML path.
//!
//! serde's YAML values carry no positions, so each file is read a second time with an event
//! parser and every key and value is indexed by its path (`request[1].max_bytes`). Lookups
//! of a path that is not indexed fall back to the nearest indexed ancestor, so every
//! diagnostic gets a position whatever the input.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

/// A place in a file: 1-based line and column (in characters) and a length to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

impl Pos {
    pub const START: Pos = Pos {
        line: 1,
        col: 1,
        len: 1,
    };

    fn from_span(span: Span) -> Pos {
        Pos {
            line: span.start.line().max(1),
            col: span.start.col() + 1,
            len: span.len().max(1),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    key: Option<Pos>,
    value: Option<Pos>,
}

/// Positions of one file's nodes.
#[derive(Debug, Default)]
pub struct SourceMap {
    entries: HashMap<String, Entry>,
    /// Keys of every mapping, in order, by the mapping's path.
    keys: HashMap<String, Vec<String>>,
    /// Keys given a second time in one mapping: the key and the later position.
    duplicates: Vec<(String, Pos)>,
}

enum Frame {
    Map {
        path: String,
        key: Option<(String, Pos)>,
    },
    Seq {
        path: String,
        index: usize,
    },
    /// A mapping or sequence used as a mapping key; its content is skipped.
    ComplexKey {
        depth: usize,
        pos: Pos,
    },
}

/// Events read from one file at most; a guard against pathological input.
const MAX_EVENTS: usize = 2_000_000;
/// Nesting depth indexed at most.
const MAX_DEPTH: usize = 512;

/// Joins a parent path and a mapping key.
pub fn join_key(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Joins a parent path and a sequence index.
pub fn join_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// The parent of a path (`a.b[2]` -> `a.b`, `a.b` -> `a`, `a` -> ``), if it has one.
pub fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']')
        && let Some(open) = path.rfind('[')
    {
        return Some(&path[..open]);
    }
    match path.rfind(['.', '[']) {
        Some(i) => Some(&path[..i]),
        None => Some(""),
    }
}

/// Moves the innermost container past the value just read.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        _ => {}
    }
}

impl SourceMap {
    /// Indexes `text`. Parse errors end the indexing early; what was read stays usable.
    pub fn new(text: &str) -> SourceMap {
        let mut map = SourceMap::default();
        map.entries.insert(
            String::new(),
            Entry {
                key: None,
                value: Some(Pos::START),
            },
        );
        let mut parser = Parser::new_from_str(text);
        let mut stack: Vec<Frame> = Vec::new();
        let mut count = 0usize;
        while let Some(Ok((event, span))) = parser.next_event() {
            count += 1;
            if count > MAX_EVENTS {
                break;
            }
            let pos = Pos::from_span(span);
            // Inside a complex key: only track depth.
            if let Some(Frame::ComplexKey {
                depth,
                pos: key_pos,
            }) = stack.last_mut()
            {
                match event {
                    Event::MappingStart(..) | Event::SequenceStart(..) => *depth += 1,
                    Event::MappingEnd | Event::SequenceEnd => {
                        *depth -= 1;
                        if *depth == 0 {
                            let key_pos = *key_pos;
                            stack.pop();
                            if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                                *key = Some(("?".to_owned(), key_pos));
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some((value.into_owned(), pos));
                        continue;
                    }
                    map.record_value(&mut stack, pos);
                    advance(&mut stack);
                }
                Event::Alias(_) => {
                    if let Some(Frame::Map {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some(("*".to_owned(), pos));
                        continue;
                    }
                    map.record_value(&mut stack, pos);
                    advance(&mut stack);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let is_map = matches!(event, Event::MappingStart(..));
                    if let Some(Frame::Map { key: None, .. }) = stack.last() {
                        stack.push(Frame::ComplexKey { depth: 1, pos });
                        continue;
                    }
                    if stack.len() >= MAX_DEPTH {
                        break;
                    }
                    let path = map.record_value(&mut stack, pos);
                    if is_map {
                        map.keys.entry(path.clone()).or_default();
                        stack.push(Frame::Map { path, key: None });
                    } else {
                        stack.push(Frame::Seq { path, index: 0 });
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    // The container was the value of its parent: advance the parent.
                    advance(&mut stack);
                }
                Event::DocumentEnd => break,
                _ => {}
            }
        }
        map
    }

    /// Records a value at the current place and returns its path; advances a parent map or
    /// sequence for scalars (containers advance it when they end).
    fn record_value(&mut self, stack: &mut [Frame], pos: Pos) -> String {
        let (path, key_pos) = match stack.last() {
            None => (String::new(), None),
            Some(Frame::Map { path, key }) => match key {
                Some((k, kpos)) => (join_key(path, k), Some(*kpos)),
                None => (join_key(path, "?"), None),
            },
            Some(Frame::Seq { path, index }) => (join_index(path, *index), None),
            Some(Frame::ComplexKey { .. }) => (String::new(), None),
        };
        if let Some(Frame::Map {
            path: map_path,
            key: Some((k, _)),
        }) = stack.last()
        {
            self.keys
                .entry(map_path.clone())
                .or_default()
                .push(k.clone());
        }
        let entry = self.entries.entry(path.clone()).or_default();
        if entry.value.is_none() {
            entry.value = Some(pos);
            entry.key = key_pos;
        } else if let (
            Some(Frame::Map {
                key: Some((k, _)), ..
            }),
            Some(kpos),
        ) = (stack.last(), key_pos)
        {
            self.duplicates.push((k.clone(), kpos));
        }
        path
    }

    /// Position of the key of `path` (or of its value when it has no key), falling back to
    /// the nearest indexed ancestor.
    pub fn key(&self, path: &str) -> Pos {
        self.find(path, |e| e.key.or(e.value))
    }

    /// Position of the value at `path`, falling back to its key, then to ancestors.
    pub fn value(&self, path: &str) -> Pos {
        self.find(path, |e| e.value.or(e.key))
    }

    /// Whether the node at `path` is the value of a mapping key (not a sequence item).
    pub fn has_key(&self, path: &str) -> bool {
        self.entries.get(path).is_some_and(|e| e.key.is_some())
    }

    /// Whether `path` was seen in the file.
    pub fn contains(&self, path: &str) -> bool {
        self.entries.contains_key(path)
    }

    /// Keys of the mapping at `path`, in file order.
    pub fn keys_of(&self, path: &str) -> &[String] {
        self.keys.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Position of the second occurrence of a key given twice in one mapping.
    pub fn duplicate_key(&self, key: &str) -> Option<Pos> {
        self.duplicates
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, pos)| *pos)
    }

    /// The shortest path whose value starts at `pos`.
    pub fn path_at(&self, pos: Pos) -> Option<String> {
        self.entries
            .iter()
            .filter(|(_, e)| {
                e.value
                    .is_some_and(|v| v.line == pos.line && v.col == pos.col)
            })
            .map(|(p, _)| p)
            .min_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)))
            .cloned()
    }

    /// The path of the last node that starts at or before `pos`, for errors that come
    /// without a path.
    pub fn path_before(&self, pos: Pos) -> Option<String> {
        self.entries
            .iter()
            .filter_map(|(p, e)| {
                let at = e.key.or(e.value)?;
                ((at.line, at.col) <= (pos.line, pos.col)).then_some(((at.line, at.col), p))
            })
            .max_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(b.1.len().cmp(&a.1.len()))
                    .then(b.1.cmp(a.1))
            })
            .map(|(_, p)| p.clone())
            .filter(|p| !p.is_empty())
    }

    fn find(&self, path: &str, pick: impl Fn(&Entry) -> Option<Pos>) -> Pos {
        let mut current = Some(path);
        while let Some(p) = current {
            if let Some(pos) = self.entries.get(p).and_then(&pick) {
                return pos;
            }
            current = parent_path(p);
        }
        Pos::START
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
name: A
qps:
  limit: 3
request:
  - name: X
    max_len: 32
  - name: Y
    fields:
      - name: Z
";

    #[test]
    fn indexes_keys_and_values() {
        let map = SourceMap::new(TEXT);
        assert_eq!(
            map.key("name"),
            Pos {
                line: 1,
                col: 1,
                len: 4
            }
        );
        assert_eq!(
            map.value("name"),
            Pos {
                line: 1,
                col: 7,
                len: 1
            }
        );
        assert_eq!(map.key("qps.limit").line, 3);
        assert_eq!(
            map.key("request[0].max_len"),
            Pos {
                line: 6,
                col: 5,
                len: 7
            }
        );
        assert_eq!(map.value("request[1].fields[0].name").line, 9);
        assert_eq!(map.keys_of("request[1]"), ["name", "fields"]);
    }

    #[test]
    fn falls_back_to_ancestors() {
        let map = SourceMap::new(TEXT);
        assert_eq!(map.key("request[0].nothing").line, 5);
        assert_eq!(map.key("nothing.at.all"), Pos::START);
    }

    #[test]
    fn splits_parent_paths() {
        assert_eq!(parent_path("a.b[2]"), Some("a.b"));
        assert_eq!(parent_path("a.b"), Some("a"));
        assert_eq!(parent_path("a"), Some(""));
        assert_eq!(parent_path(""), None);
    }
}
