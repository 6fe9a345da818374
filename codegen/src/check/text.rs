//! Spec text stays text: no control character, bidirectional control or invisible direction
//! mark anywhere in a spec file, whether typed as such or made by an escape of a
//! double-quoted string (`"\r"`, `"\u202E"`).
//!
//! Generated code carries spec text in doc comments and string literals. rustc refuses a bare
//! carriage return in a doc comment and bidirectional controls anywhere (they can make code
//! read other than it runs: "Trojan Source"); the others hide or move text for a reviewer.
//! Tabs and line ends are text and stay.

use super::source_map::{Pos, join_index, join_key};
use super::{At, Code, Reporter};

/// What a character is, when spec text must not hold it.
pub(crate) fn forbidden(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' => None,
        '\r' => Some("a carriage return"),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some("a control character"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional control character")
        }
        '\u{200e}' | '\u{200f}' | '\u{61c}' => Some("an invisible direction mark"),
        '\u{2028}' | '\u{2029}' => Some("a Unicode line or paragraph separator"),
        '\u{feff}' => Some("a byte order mark"),
        _ => None,
    }
}

/// Whether a byte can start the UTF-8 of a character [`forbidden`] names (C0 controls but tab
/// and line feed, DEL, and the lead bytes of U+0080-U+009F, U+061C, U+2028-U+2069, U+FEFF).
fn may_start_forbidden(b: u8) -> bool {
    matches!(b, 0..=8 | 11..=31 | 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef)
}

/// Whether the YAML parser refuses `c` in a file (YAML allows only printable characters;
/// bidirectional controls and the like are printable to it).
fn yaml_refuses(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}')
}

/// Reports every forbidden character of file `index`: as typed, one diagnostic per line at its
/// first; else, when the file has escapes, each string value or key an escape made one in.
/// Returns `false` when the file holds a character the YAML parser refuses, so it should not be
/// parsed (these diagnostics say more than the parser's).
pub(crate) fn check_file(r: &mut Reporter<'_>, index: usize) -> bool {
    let Some(source) = r.files.get(index) else {
        return true;
    };
    let text = source.text.as_str();
    // Most files hold no byte that can start a forbidden character, nor an escape: one pass
    // over the bytes settles them.
    if !text.bytes().any(|b| may_start_forbidden(b) || b == b'\\') {
        return true;
    }
    let mut found = Vec::new();
    let (mut line, mut col) = (1usize, 0usize);
    let mut line_reported = false;
    let mut chars = text.chars().peekable();
    let mut first = true;
    let mut parseable = true;
    while let Some(c) = chars.next() {
        col += 1;
        let what = match c {
            '\n' => {
                line += 1;
                col = 0;
                line_reported = false;
                first = false;
                continue;
            }
            // Line ends `\r\n` are fine; so is a byte order mark opening the file.
            '\r' if chars.peek() == Some(&'\n') => None,
            '\u{feff}' if first => None,
            c => forbidden(c),
        };
        first = false;
        if what.is_some() && yaml_refuses(c) {
            parseable = false;
        }
        if let Some(what) = what
            && !line_reported
        {
            line_reported = true;
            found.push((Pos { line, col, len: 1 }, c, what));
        }
    }
    let typed = !found.is_empty();
    for (pos, c, what) in found {
        // The node the character is in, when one starts on its line (the index stops early
        // in a file the parser cannot read to the end).
        let map = r.files[index].map();
        let path = map
            .path_before(pos)
            .filter(|path| map.key(path).line == pos.line)
            .unwrap_or_default();
        r.report_at(
            index,
            Code::ControlCharacter,
            &path,
            pos,
            format!("U+{:04X}, {what}, in spec text", u32::from(c)),
            Some(hint(c)),
        );
    }
    // Escapes only exist in double-quoted strings, which need a backslash.
    if typed || !text.contains('\\') {
        return parseable;
    }
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        // Syntax errors are reported when the file is read.
        return true;
    };
    let mut escaped = Vec::new();
    walk(&value, &mut Vec::new(), &mut escaped);
    for (path, c, what, in_key) in escaped {
        let at = if in_key { At::Key } else { At::Value };
        r.report(
            index,
            Code::ControlCharacter,
            &path,
            at,
            format!(
                "an escape here makes U+{:04X}, {what}, in spec text",
                u32::from(c)
            ),
            Some(format!("remove the escape; {}", hint(c))),
        );
    }
    true
}

fn hint(c: char) -> String {
    match c {
        '\r' => "end lines with `\\n` (or `\\r\\n`); a carriage return alone breaks generated \
                 doc comments"
            .into(),
        _ => "spec text is plain text: delete the character (editors may hide it; `cat -A` \
              shows it)"
            .into(),
    }
}

/// One step of the path to a value.
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The path of `steps`, written out.
fn path_of(steps: &[Step<'_>]) -> String {
    steps.iter().fold(String::new(), |path, step| match step {
        Step::Key(key) => join_key(&path, key),
        Step::Index(index) => join_index(&path, *index),
    })
}

/// Every string (value or key) of `value` holding a forbidden character: its path, the
/// character, what it is, and whether it is a key. Paths are written out only for those, so
/// the walk is linear in the file however deep and long its keys are.
fn walk<'v>(
    value: &'v serde_yaml::Value,
    steps: &mut Vec<Step<'v>>,
    out: &mut Vec<(String, char, &'static str, bool)>,
) {
    // The file's depth was bounded before it was parsed, so this recursion is too.
    let first_forbidden = |s: &str| s.chars().find_map(|c| forbidden(c).map(|what| (c, what)));
    match value {
        serde_yaml::Value::String(s) => {
            if let Some((c, what)) = first_forbidden(s) {
                out.push((path_of(steps), c, what, false));
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                walk(item, steps, out);
                steps.pop();
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (key, item) in map {
                let key_text = match key {
                    serde_yaml::Value::String(k) => k.as_str(),
                    _ => "?",
                };
                steps.push(Step::Key(key_text));
                if let Some((c, what)) = first_forbidden(key_text) {
                    out.push((path_of(steps), c, what, true));
                }
                walk(item, steps, out);
                steps.pop();
            }
        }
        serde_yaml::Value::Tagged(tagged) => walk(&tagged.value, steps, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_filter_lets_no_forbidden_character_through() {
        let mut utf8 = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if forbidden(c).is_some() && c != '\r' {
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(may_start_forbidden(lead), "{c:?}");
            }
        }
        assert!(may_start_forbidden(b'\r'));
    }

    #[test]
    fn knows_what_text_must_not_hold() {
        for c in [
            '\r', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200f}',
        ] {
            assert!(forbidden(c).is_some(), "{c:?}");
        }
        for c in ['\t', '\n', ' ', 'é', '中', '\u{2014}', '\u{1f600}'] {
            assert!(forbidden(c).is_none(), "{c:?}");
        }
    }
}
