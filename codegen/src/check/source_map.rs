//! Positions of YAML nodes, by YAML path.
//!
//! serde's YAML values carry no positions, so each file is read a second time with an event
//! parser and every key and value is indexed by its path (`request[1].max_bytes`). Lookups
//! of a path that is not indexed fall back to the nearest indexed ancestor, so every
//! diagnostic gets a position whatever the input.
//!
//! The index is a tree: each node holds its own key (or index) and its parent, never its whole
//! path, so its size is linear in the file. (Whole paths per node made a 436 KB file of deep
//! maps with long keys take 3 GB.) A path is found by walking the tree from the root.

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

/// How a node hangs from its parent: by a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(Box<str>),
    Index(usize),
}

/// One indexed node.
#[derive(Debug)]
struct Node {
    /// `None` for the root.
    parent: Option<usize>,
    /// Steps from the root.
    depth: usize,
    step: Step,
    key: Option<Pos>,
    value: Option<Pos>,
    /// For a mapping: its keys in file order, repeats included.
    keys: Vec<String>,
}

/// Positions of one file's nodes.
#[derive(Debug)]
pub struct SourceMap {
    /// Node 0 is the root (the path ``).
    nodes: Vec<Node>,
    children: HashMap<(usize, Step), usize>,
    /// Keys given a second time in one mapping: the key and the later position.
    duplicates: Vec<(String, Pos)>,
    /// Every node by where it starts (its key, else its value), then by depth; built on the
    /// first [`SourceMap::path_before`], which a file with many problems asks often.
    starts: std::cell::OnceCell<Vec<Start>>,
}

/// Where a node starts (line, column), its depth and its id.
type Start = ((usize, usize), usize, usize);

impl Default for SourceMap {
    fn default() -> Self {
        SourceMap {
            nodes: vec![Node {
                parent: None,
                depth: 0,
                step: Step::Key("".into()),
                key: None,
                value: Some(Pos::START),
                keys: Vec::new(),
            }],
            children: HashMap::new(),
            duplicates: Vec::new(),
            starts: std::cell::OnceCell::new(),
        }
    }
}

enum Frame {
    Map {
        node: usize,
        key: Option<(String, Pos)>,
    },
    Seq {
        node: usize,
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

/// One part of a path as written: a key, or an index (`[2]`); `joined` when a key follows a
/// `.` (so that it may continue a key holding a dot).
enum Part<'p> {
    Key { text: &'p str, joined: bool },
    Index(usize),
}

/// Splits `a.b[0].c` into its parts. An index that is not a number stays part of its key.
fn parts(path: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut joined = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = after.find(']')
            && let Ok(index) = after[..close].parse::<usize>()
        {
            out.push(Part::Index(index));
            rest = &after[close + 1..];
            joined = false;
            continue;
        }
        if let Some(after) = rest.strip_prefix('.') {
            rest = after;
            joined = true;
            continue;
        }
        // A key runs to the next `.`, or to a `[` that opens an index.
        let mut end = rest.len();
        for (i, c) in rest.char_indices().skip(1) {
            if c == '.' || (c == '[' && is_index(&rest[i..])) {
                end = i;
                break;
            }
        }
        if rest.starts_with('[') && end == rest.len() {
            end = rest.find('.').unwrap_or(rest.len()).max(1);
        }
        out.push(Part::Key {
            text: &rest[..end],
            joined,
        });
        rest = &rest[end..];
        joined = false;
    }
    out
}

/// Whether `text` starts with `[<digits>]`.
fn is_index(text: &str) -> bool {
    text.strip_prefix('[')
        .and_then(|after| after.split_once(']'))
        .is_some_and(|(digits, _)| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
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
                    map.record_value(&stack, pos);
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
                    map.record_value(&stack, pos);
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
                    let node = map.record_value(&stack, pos);
                    if is_map {
                        stack.push(Frame::Map { node, key: None });
                    } else {
                        stack.push(Frame::Seq { node, index: 0 });
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

    /// Records a value at the current place and returns its node; the caller advances a
    /// parent map or sequence for scalars (containers advance it when they end).
    fn record_value(&mut self, stack: &[Frame], pos: Pos) -> usize {
        let (parent, step, key_pos) = match stack.last() {
            None => return 0,
            Some(Frame::Map { node, key }) => match key {
                Some((k, kpos)) => {
                    self.nodes[*node].keys.push(k.clone());
                    (*node, Step::Key(k.as_str().into()), Some(*kpos))
                }
                None => (*node, Step::Key("?".into()), None),
            },
            Some(Frame::Seq { node, index }) => (*node, Step::Index(*index), None),
            Some(Frame::ComplexKey { .. }) => return 0,
        };
        let next = self.nodes.len();
        let id = *self.children.entry((parent, step.clone())).or_insert(next);
        if id == next {
            self.nodes.push(Node {
                parent: Some(parent),
                depth: self.nodes[parent].depth + 1,
                step,
                key: key_pos,
                value: Some(pos),
                keys: Vec::new(),
            });
        } else if let (Step::Key(k), Some(kpos)) = (&step, key_pos) {
            self.duplicates.push((k.to_string(), kpos));
        }
        id
    }

    /// The child of `node` reached by `step`.
    fn child(&self, node: usize, step: Step) -> Option<usize> {
        self.children.get(&(node, step)).copied()
    }

    /// The nodes along `path` from the root, as far as they exist (the root at least). A key
    /// that is not found is tried joined with the keys after it, for keys holding a `.`.
    fn walk(&self, path: &str) -> (Vec<usize>, bool) {
        let parts = parts(path);
        let mut chain = vec![0];
        let mut i = 0;
        'parts: while i < parts.len() {
            let node = chain[chain.len() - 1];
            match parts[i] {
                Part::Index(index) => match self.child(node, Step::Index(index)) {
                    Some(next) => chain.push(next),
                    None => return (chain, false),
                },
                Part::Key { text, .. } => {
                    let mut key = text.to_owned();
                    let mut j = i;
                    loop {
                        if let Some(next) = self.child(node, Step::Key(key.as_str().into())) {
                            chain.push(next);
                            i = j + 1;
                            continue 'parts;
                        }
                        match parts.get(j + 1) {
                            Some(Part::Key { text, joined: true }) => {
                                key.push('.');
                                key.push_str(text);
                                j += 1;
                            }
                            _ => return (chain, false),
                        }
                    }
                }
            }
            i += 1;
        }
        (chain, true)
    }

    /// The node at exactly `path`.
    fn node(&self, path: &str) -> Option<&Node> {
        match self.walk(path) {
            (chain, true) => chain.last().map(|&n| &self.nodes[n]),
            _ => None,
        }
    }

    /// The path of a node, written out.
    fn path_of(&self, mut node: usize) -> String {
        let mut steps = Vec::new();
        while let Some(parent) = self.nodes[node].parent {
            steps.push(&self.nodes[node].step);
            node = parent;
        }
        let mut path = String::new();
        for step in steps.into_iter().rev() {
            match step {
                Step::Key(key) => path = join_key(&path, key),
                Step::Index(index) => path = join_index(&path, *index),
            }
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
        self.node(path).is_some_and(|e| e.key.is_some())
    }

    /// Whether `path` was seen in the file.
    pub fn contains(&self, path: &str) -> bool {
        self.node(path).is_some()
    }

    /// Keys of the mapping at `path`, in file order.
    pub fn keys_of(&self, path: &str) -> &[String] {
        self.node(path).map(|n| n.keys.as_slice()).unwrap_or(&[])
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
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                n.value
                    .is_some_and(|v| v.line == pos.line && v.col == pos.col)
            })
            .map(|(id, _)| self.path_of(id))
            .min_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)))
    }

    /// The path of the last node that starts at or before `pos`, for errors that come
    /// without a path.
    pub fn path_before(&self, pos: Pos) -> Option<String> {
        let starts = self.starts.get_or_init(|| {
            let mut starts: Vec<Start> = self
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(id, n)| {
                    let at = n.key.or(n.value)?;
                    Some(((at.line, at.col), n.depth, id))
                })
                .collect();
            starts.sort_unstable();
            starts
        });
        // The last place at or before `pos`, and of the nodes starting there the shallowest
        // (they nest in one another: an item and its first key start together).
        let after = starts.partition_point(|(at, _, _)| *at <= (pos.line, pos.col));
        let (last, _, _) = *starts.get(after.checked_sub(1)?)?;
        let first = starts.partition_point(|(at, _, _)| *at < last);
        let (_, _, id) = starts[first];
        Some(self.path_of(id)).filter(|p| !p.is_empty())
    }

    fn find(&self, path: &str, pick: impl Fn(&Node) -> Option<Pos>) -> Pos {
        let (chain, _) = self.walk(path);
        chain
            .iter()
            .rev()
            .find_map(|&n| pick(&self.nodes[n]))
            .unwrap_or(Pos::START)
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
    fn finds_keys_that_hold_dots_and_brackets() {
        // (Where both `a.b` and `a` hold a `b`, the path is ambiguous; the nested one wins.)
        let text = "types:\n  a.b:\n    x[y]: 1\n  c:\n    d: 2\nlist:\n  - [p, q]\n";
        let map = SourceMap::new(text);
        assert_eq!(map.key("types.a.b").line, 2);
        assert_eq!(map.key("types.a.b.x[y]").line, 3);
        assert_eq!(map.key("types.c.d").line, 5);
        assert_eq!(map.value("list[0][1]").col, 9);
        assert_eq!(
            map.path_at(map.value("types.a.b.x[y]")).as_deref(),
            Some("types.a.b.x[y]")
        );
        assert_eq!(map.key("types.c.nothing").line, 4);
    }

    #[test]
    fn size_does_not_grow_with_the_depth_of_long_keys() {
        // A chain of 100 mappings with 1,000-character keys holding 2,000 short keys: whole
        // paths per node would take 200 MB; the tree holds each key once.
        let mut text = String::new();
        for depth in 0..100 {
            text.push_str(&" ".repeat(depth));
            text.push_str(&format!("k{depth}{}:\n", "x".repeat(1000)));
        }
        text.push_str(&" ".repeat(100));
        let leaves: Vec<String> = (0..2000).map(|i| format!("a{i}: 1")).collect();
        text.push_str(&format!("{{{}}}\n", leaves.join(", ")));
        let map = SourceMap::new(&text);
        let key_bytes: usize = map
            .children
            .keys()
            .map(|(_, step)| match step {
                Step::Key(key) => key.len(),
                Step::Index(_) => 0,
            })
            .sum();
        assert!(
            key_bytes < text.len(),
            "{key_bytes} bytes of keys for {} of text",
            text.len()
        );
        let deepest = map
            .path_before(Pos {
                line: 101,
                col: 200,
                len: 1,
            })
            .unwrap();
        assert!(
            deepest.starts_with("k0x") && deepest.ends_with(".a13"),
            "{deepest}"
        );
    }

    #[test]
    fn splits_parent_paths() {
        assert_eq!(parent_path("a.b[2]"), Some("a.b"));
        assert_eq!(parent_path("a.b"), Some("a"));
        assert_eq!(parent_path("a"), Some(""));
        assert_eq!(parent_path(""), None);
    }
}
