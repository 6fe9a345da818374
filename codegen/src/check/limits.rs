//! What one spec file may cost to read: its size, and how deep its YAML nests.
//!
//! Both are checked before a file is parsed, so no file can make the checker (or the
//! generator and proc macro behind it) slow, large or deeply recursive.

use saphyr_parser::{Event, Parser};

use super::source_map::Pos;

/// The largest spec file read, in bytes. The largest real file (`service.yaml`) is about
/// 52 KB and an action file at most a few KB; a quarter of a megabyte leaves room for years
/// of growth and keeps a hostile file cheap.
pub(crate) const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The deepest YAML nesting of mappings and sequences accepted. Real spec files nest 11
/// deep (objects inside objects inside a shared type); 64 is far beyond any real shape and
/// still cheap to index and deserialize.
pub(crate) const MAX_YAML_DEPTH: usize = 64;

/// `bytes` in KiB, rounded up, for messages.
pub(crate) fn kib(bytes: u64) -> u64 {
    bytes.div_ceil(1024)
}

/// Where the YAML of `text` first nests deeper than [`MAX_YAML_DEPTH`], if it does.
///
/// A scan of the characters bounds the depth from above; only a text whose bound exceeds the
/// limit (never a real spec file) is read with the event parser to find the exact place.
pub(crate) fn too_deep(text: &str) -> Option<Pos> {
    let scan = scan(text);
    if scan.bound <= MAX_YAML_DEPTH {
        return None;
    }
    let mut parser = Parser::new_from_str(text);
    let mut depth = 0usize;
    loop {
        let (event, span) = match parser.next_event() {
            Some(Ok(next)) => next,
            // The parser looks far ahead in flow collections and refuses 256 levels of them
            // before it reports the first: the scan's place of the deep bracket stands in.
            Some(Err(_)) => return scan.deep_flow,
            None => return None,
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Some(Pos {
                        line: span.start.line().max(1),
                        col: span.start.col() + 1,
                        len: 1,
                    });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// What a scan of the characters tells about nesting.
struct Scan {
    /// An upper bound of the nesting depth.
    bound: usize,
    /// Where flow collections (counted roughly: brackets in plain text count too) first nest
    /// deeper than [`MAX_YAML_DEPTH`].
    deep_flow: Option<Pos>,
}

/// An upper bound of the nesting depth of `text`'s YAML.
///
/// Block collections nest only by indenting: along any path from the root the column of the
/// entries never decreases and grows at least every second level (a sequence may sit at the
/// column of the mapping key that holds it; nothing else may). Compact forms (`- - x`,
/// `- key: v`) put entries further right on one line. So block depth is at most twice the
/// largest column any entry starts at, plus one; that column is at most the length of a
/// line's run of leading spaces and indicators (`-`, `?`, `:`). Flow collections (`[`, `{`)
/// add at most their own nesting, counted outside quotes and comments. Continuation lines of
/// scalars only make the bound larger, never smaller.
///
/// The scan reads bytes (every indicator is ASCII); a byte of a non-ASCII character counts as a
/// letter, which can only make the bound larger.
fn scan(text: &str) -> Scan {
    let mut deep_flow = None;
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut widest_lead = 0usize;
    let mut deepest_flow = 0usize;
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut lead = 0usize;
    let mut in_lead = true;
    let mut prev = b' ';
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
            widest_lead = widest_lead.max(lead);
            lead = 0;
            in_lead = true;
            comment = false;
            prev = b;
            continue;
        }
        if in_lead {
            if matches!(b, b' ' | b'\t' | b'-' | b'?' | b':') {
                lead += 1;
            } else {
                in_lead = false;
            }
        }
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if comment => {}
            None => match b {
                b'#' if prev.is_ascii_whitespace() => comment = true,
                b'"' | b'\'' if !(prev.is_ascii_alphanumeric() || prev >= 0x80) => quote = Some(b),
                b'[' | b'{' => {
                    flow += 1;
                    deepest_flow = deepest_flow.max(flow);
                    if flow > MAX_YAML_DEPTH && deep_flow.is_none() {
                        let col = text[line_start..i].chars().count() + 1;
                        deep_flow = Some(Pos { line, col, len: 1 });
                    }
                }
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    widest_lead = widest_lead.max(lead);
    Scan {
        bound: 2 * (widest_lead + 1) + 1 + deepest_flow,
        deep_flow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact depth, for comparing with the bound.
    fn depth(text: &str) -> usize {
        let mut parser = Parser::new_from_str(text);
        let (mut depth, mut deepest) = (0usize, 0usize);
        while let Some(Ok((event, _))) = parser.next_event() {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                Event::MappingEnd | Event::SequenceEnd => depth -= 1,
                _ => {}
            }
        }
        deepest
    }

    #[test]
    fn the_bound_holds_for_every_form_of_nesting() {
        let cases = [
            "a: 1\n",
            "a:\n- b:\n  - c:\n    - d: 1\n",
            "- - - - - x\n",
            "a:\n b:\n  c:\n   d:\n    e: 1\n",
            "- a: - 1\n",
            "? - a\n: - b\n",
            "a: [[{b: [c]}]]\n",
            "a: \"[[[\"\nb: '{{'\n# [[[\n",
            "a:\n-\n - \n  - x\n",
        ];
        for text in cases {
            assert!(scan(text).bound >= depth(text), "{text:?}");
        }
    }

    #[test]
    fn real_spec_files_skip_the_exact_scan() {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
        let mut files = vec![std::path::PathBuf::from(spec).join("service.yaml")];
        for category in std::fs::read_dir(format!("{spec}/actions")).unwrap() {
            for file in std::fs::read_dir(category.unwrap().path()).unwrap() {
                files.push(file.unwrap().path());
            }
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(scan(&text).bound <= MAX_YAML_DEPTH, "{}", file.display());
            // Far from the limit: a file this large would deserve a look before it grows on.
            assert!(
                text.len() as u64 <= MAX_FILE_BYTES / 2,
                "{}",
                file.display()
            );
        }
    }

    #[test]
    fn finds_where_nesting_goes_too_deep() {
        let flow = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let at = too_deep(&flow).expect("too deep");
        assert_eq!((at.line, at.col), (1, 4 + MAX_YAML_DEPTH));
        // Found by the parser, which counts the mapping holding `a` as a level too.
        let flow = format!("a: {}1{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&flow).map(|at| at.col), Some(3 + MAX_YAML_DEPTH));
        let block: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(too_deep(&block).map(|p| p.line), Some(MAX_YAML_DEPTH + 1));
        let seqs = format!("{}x\n", "- ".repeat(10_000));
        assert_eq!(too_deep(&seqs).map(|p| p.col), Some(2 * MAX_YAML_DEPTH + 1));
        let fine: String = (0..MAX_YAML_DEPTH)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert_eq!(too_deep(&fine), None);
    }
}
