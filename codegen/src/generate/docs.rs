//! Spec text as `#[doc = "..."]` attributes: spec strings only ever reach the output as
//! string literals, never as code.
//!
//! rustdoc reads docs as Markdown and runs the code blocks it finds as doctests, so spec text
//! is rewritten to hold none that rustdoc would compile, whatever lists or quotes it nests in:
//!
//! - a fenced block (```` ``` ```` or `~~~`, with any info string) becomes a ```` ```text ````
//!   block at the top level of the document (after a blank line, with a closing fence longer
//!   than any run of backticks inside), which only its own closing fence can end;
//! - outside those, no line keeps four or more spaces of indentation (an indented code block)
//!   anywhere in its leading run of spaces and list or quote markers; runs are cut to three;
//! - tabs become four spaces (clippy warns on tabs in docs), and characters the checker
//!   refuses in spec text (`check::text`) become U+FFFD, should any arrive another way.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc]` attribute per line of `text`; nothing for empty text.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// One `#![doc]` attribute per line of `text` (module docs); nothing for empty text.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// The lines of the doc attributes for `text`: made safe (see the module docs), each but the
/// empty ones led by a space, as `///` comments are.
fn doc_lines(text: &str) -> Vec<String> {
    safe_markdown(text.trim())
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Spec text to be followed by generated text: [`safe_markdown`], so a fence it leaves open is
/// closed before the generated text (which would land inside it otherwise).
pub fn spec_text(text: &str) -> String {
    safe_markdown(text.trim())
}

/// `text` as Markdown in which rustdoc finds no code to compile (see the module docs).
pub fn safe_markdown(text: &str) -> String {
    // Most docs hold no fence, no tab, no run of four spaces and no byte that may start a
    // refused character: nothing to rewrite.
    let plain = !text.contains("```")
        && !text.contains("~~~")
        && !text.contains("    ")
        && !text
            .bytes()
            .any(|b| b == b'\t' || b < 0x20 && b != b'\n' || b >= 0x7f);
    if plain {
        return text.to_owned();
    }
    let mut out: Vec<String> = Vec::new();
    let mut lines = text.lines().map(plain_text).peekable();
    while let Some(line) = lines.next() {
        let (prefix, content) = split_prefix(&line);
        let Some(fence) = Fence::open(content) else {
            out.push(cap_indentation(prefix) + content);
            continue;
        };
        // The block's lines, without the indentation its opening fence had.
        let indent = prefix.chars().count();
        let mut body = Vec::new();
        for line in lines.by_ref() {
            let (_, content) = split_prefix(&line);
            if fence.closed_by(content) {
                break;
            }
            body.push(strip_spaces(&line, indent).to_owned());
        }
        let ticks = body.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
        let marker = "`".repeat(ticks.max(2) + 1);
        if out.last().is_some_and(|l| !l.trim().is_empty()) {
            out.push(String::new());
        }
        out.push(format!("{marker}text"));
        out.extend(body);
        out.push(marker);
        if lines.peek().is_some_and(|l| !l.trim().is_empty()) {
            out.push(String::new());
        }
    }
    out.join("\n")
}

/// A line with tabs as four spaces and refused characters as U+FFFD.
fn plain_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if crate::check::text::forbidden(c).is_some() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Splits a line into its leading run of spaces and list or quote markers (`-`, `+`, `*`,
/// `1.`, `1)`, `>`, each followed by a space or the end) and the rest.
fn split_prefix(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut end = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' => i += 1,
            b'>' => i += 1,
            b'-' | b'+' | b'*' if matches!(bytes.get(i + 1), None | Some(b' ')) => i += 1,
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let after = i + digits;
                if matches!(bytes.get(after), Some(b'.' | b')'))
                    && matches!(bytes.get(after + 1), None | Some(b' '))
                {
                    i = after + 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
        end = i;
    }
    line.split_at(end)
}

/// A prefix with every run of spaces cut to at most three.
fn cap_indentation(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len());
    let mut run = 0;
    for c in prefix.chars() {
        if c == ' ' {
            run += 1;
            if run > 3 {
                continue;
            }
        } else {
            run = 0;
        }
        out.push(c);
    }
    out
}

/// `line` without up to `count` leading spaces.
fn strip_spaces(line: &str, count: usize) -> &str {
    let spaces = line.bytes().take(count).take_while(|b| *b == b' ').count();
    &line[spaces..]
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// An opening code fence: its character and length.
struct Fence {
    mark: char,
    len: usize,
}

impl Fence {
    /// The fence `content` opens, if it starts with three or more backticks or tildes (and,
    /// for backticks, no backtick follows: then it is inline code, as in CommonMark).
    fn open(content: &str) -> Option<Fence> {
        let mark = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let len = content.chars().take_while(|c| *c == mark).count();
        let info = &content[len * mark.len_utf8()..];
        (len >= 3 && !(mark == '`' && info.contains('`'))).then_some(Fence { mark, len })
    }

    /// Whether `content` closes this fence: as many of its character or more, then nothing.
    fn closed_by(&self, content: &str) -> bool {
        let len = content.chars().take_while(|c| *c == self.mark).count();
        len >= self.len && content[len * self.mark.len_utf8()..].trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_blocks_at_the_top_level() {
        let text = "Intro.\n```rust\nfn main() {}\n```\nAfter.";
        assert_eq!(
            safe_markdown(text),
            "Intro.\n\n```text\nfn main() {}\n```\n\nAfter."
        );
        // In a list item, with tildes, unclosed, holding backticks.
        let text = "- item\n  ~~~\n  let a = \"```\";\n- next";
        assert_eq!(
            safe_markdown(text),
            "- item\n\n````text\nlet a = \"```\";\n- next\n````"
        );
        let text = "> ```\n> x\n> ```";
        assert_eq!(safe_markdown(text), "```text\n> x\n```");
    }

    #[test]
    fn no_line_keeps_the_indentation_of_a_code_block() {
        let text = "Para.\n\n    indented code\n-     item code\n>     quoted code\n\tTabbed.";
        assert_eq!(
            safe_markdown(text),
            "Para.\n\n   indented code\n-   item code\n>   quoted code\n   Tabbed."
        );
        assert_eq!(
            safe_markdown("1.     one\n10)    ten"),
            "1.   one\n10)   ten"
        );
    }

    #[test]
    fn plain_text_is_kept() {
        let text =
            "Use `a`, `b` or *c*.\n\n- one\n  - two\n\n1. first\n2. second\n```a`b``` inline";
        assert_eq!(safe_markdown(text), text);
        assert_eq!(safe_markdown("a\u{202e}b"), "a\u{fffd}b");
    }
}
