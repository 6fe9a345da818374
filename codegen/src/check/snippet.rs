//! The source line shown under a diagnostic.
//!
//! A line is shown whole when it is short, and as a window around the column when it is long
//! (a hostile file can be one line of 256 KiB holding thousands of problems). Finding the
//! line and the window takes time independent of where in the file and the line they lie, so
//! reporting stays linear in the number of diagnostics.

use std::cell::RefCell;
use std::collections::HashMap;

/// Lines longer than this many characters are cut to a window.
const MAX_SHOWN_CHARS: usize = 120;
/// Characters shown before the column in a window.
const SHOWN_BEFORE: usize = 40;
/// Every this many characters of a long line, its byte offset is remembered.
const CHECKPOINT_EVERY: usize = 256;

/// What is shown of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snippet {
    /// The line, or a window of it with `...` where it was cut.
    pub text: String,
    /// 1-based column in `text` of the diagnostic's column.
    pub caret_col: usize,
    /// Characters to underline, at least 1, not past the end of `text`.
    pub len: usize,
}

/// Where the lines of one text start, and byte offsets along its long lines.
#[derive(Debug, Default)]
pub(crate) struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// Long lines, by 0-based number: their length in characters and the byte offset of every
    /// [`CHECKPOINT_EVERY`]th character. Built the first time a diagnostic falls in them.
    long: RefCell<HashMap<usize, (usize, Vec<usize>)>>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            long: RefCell::default(),
        }
    }

    /// Line `number` (1-based) of `text` as [`str::lines`] gives it.
    fn line<'t>(&self, text: &'t str, number: usize) -> Option<&'t str> {
        let index = number.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(text.len(), |next| next - 1);
        if start > end || (start == text.len() && index > 0) {
            return None;
        }
        let line = text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// What to show of line `line` for a diagnostic at `col` underlining `len` characters;
    /// `None` when the text has no such line.
    pub fn snippet(&self, text: &str, line: usize, col: usize, len: usize) -> Option<Snippet> {
        let line_text = self.line(text, line)?;
        let col0 = col.max(1) - 1;
        if line_text.len() <= MAX_SHOWN_CHARS {
            let chars = line_text.chars().count();
            return Some(Snippet {
                text: line_text.to_owned(),
                caret_col: col0 + 1,
                len: len.min(chars.saturating_sub(col0)).max(1),
            });
        }
        let mut long = self.long.borrow_mut();
        let (chars, checkpoints) = long
            .entry(line - 1)
            .or_insert_with(|| checkpoints(line_text));
        let chars = *chars;
        if chars <= MAX_SHOWN_CHARS {
            return Some(Snippet {
                text: line_text.to_owned(),
                caret_col: col0 + 1,
                len: len.min(chars.saturating_sub(col0)).max(1),
            });
        }
        let first = col0.min(chars).saturating_sub(SHOWN_BEFORE);
        let last = (first + MAX_SHOWN_CHARS).min(chars);
        let from = byte_at(line_text, checkpoints, first);
        let to = byte_at(line_text, checkpoints, last);
        let mut shown = String::with_capacity(to - from + 6);
        let mut caret_col = col0 - first + 1;
        if first > 0 {
            shown.push_str("...");
            caret_col += 3;
        }
        shown.push_str(&line_text[from..to]);
        if last < chars {
            shown.push_str("...");
        }
        Some(Snippet {
            text: shown,
            caret_col,
            len: len.min(last.saturating_sub(col0)).max(1),
        })
    }
}

/// The length of `line` in characters and the byte offset of every [`CHECKPOINT_EVERY`]th one.
fn checkpoints(line: &str) -> (usize, Vec<usize>) {
    let mut offsets = Vec::with_capacity(line.len() / CHECKPOINT_EVERY + 1);
    let mut count = 0;
    for (byte, _) in line.char_indices() {
        if count % CHECKPOINT_EVERY == 0 {
            offsets.push(byte);
        }
        count += 1;
    }
    (count, offsets)
}

/// The byte offset of character `index` of `line` (its length past the end).
fn byte_at(line: &str, checkpoints: &[usize], index: usize) -> usize {
    let Some(&start) = checkpoints.get(index / CHECKPOINT_EVERY) else {
        return line.len();
    };
    line[start..]
        .char_indices()
        .nth(index % CHECKPOINT_EVERY)
        .map_or(line.len(), |(offset, _)| start + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_as_str_lines_does() {
        let text = "a\r\nbb\n\nccc";
        let index = LineIndex::new(text);
        let lines: Vec<Option<&str>> = (0..6).map(|n| index.line(text, n)).collect();
        assert_eq!(
            lines,
            [None, Some("a"), Some("bb"), Some(""), Some("ccc"), None]
        );
        let ended = "x\n";
        assert_eq!(LineIndex::new(ended).line(ended, 2), None);
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "key: value\n";
        let snippet = LineIndex::new(text).snippet(text, 1, 6, 50).unwrap();
        assert_eq!(snippet.text, "key: value");
        assert_eq!((snippet.caret_col, snippet.len), (6, 5));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let text = format!("first\n{line}é\n");
        let index = LineIndex::new(&text);
        let snippet = index.snippet(&text, 2, 3001, 4).unwrap();
        assert!(snippet.text.starts_with("...") && snippet.text.ends_with("..."));
        assert_eq!(snippet.text.chars().count(), MAX_SHOWN_CHARS + 6);
        let at: String = snippet
            .text
            .chars()
            .skip(snippet.caret_col - 1)
            .take(4)
            .collect();
        assert_eq!(at, line[3000..3004]);
        // The end of the line: no trailing cut, the last character is found by characters.
        let end = index.snippet(&text, 2, 5001, 10).unwrap();
        assert!(
            end.text.starts_with("...") && end.text.ends_with('é'),
            "{}",
            end.text
        );
        assert_eq!(end.len, 1);
        assert_eq!(end.text.chars().nth(end.caret_col - 1), Some('é'));
    }
}
