//! The checker never panics, whatever the input, and every finding has a position.
//!
//! Feeds arbitrary text and mutated versions of the real spec files (lines deleted,
//! duplicated, swapped, characters changed, values replaced) through
//! `check::check_sources`, which needs no disk.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use zim_codegen::check;
use zim_codegen::spec::TypeExpr;

const SEED_ACTION: &str = "actions/user/QueryGroupsInfoOfUser.yaml";

fn spec_file(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(rel);
    std::fs::read_to_string(path).expect("read a spec file")
}

fn service() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| spec_file("service.yaml"))
}

fn seed() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| spec_file(SEED_ACTION))
}

/// Runs the checker and asserts what must hold for any input.
fn check_invariants(files: &[(PathBuf, String)]) {
    let checked = check::check_sources(files);
    for diagnostic in checked.diagnostics.iter() {
        assert!(diagnostic.line >= 1, "no line: {diagnostic:?}");
        assert!(diagnostic.col >= 1, "no column: {diagnostic:?}");
        assert!(diagnostic.len >= 1, "nothing underlined: {diagnostic:?}");
        assert!(!diagnostic.message.is_empty(), "no message: {diagnostic:?}");
        assert!(
            !diagnostic.file.as_os_str().is_empty(),
            "no file: {diagnostic:?}"
        );
        // Rendering works and names the file with its position.
        let text = diagnostic.to_string();
        assert!(text.contains(&format!(":{}:{}", diagnostic.line, diagnostic.col)));
        // Control characters of a hostile file never reach the terminal.
        assert!(
            !text.chars().any(hidden_or_control),
            "a diagnostic carries a control character: {text:?}"
        );
    }
    let _ = checked.diagnostics.to_string();
    match checked.into_result() {
        Ok(api) => {
            for action in &api.actions {
                for field in action.spec.request.iter().chain(&action.spec.response) {
                    let ty = field.ty.as_deref().expect("a checked field has a type");
                    assert!(TypeExpr::parse(ty).is_ok());
                }
            }
        }
        Err(diagnostics) => assert!(diagnostics.has_errors()),
    }
}

/// Characters spec text must not hold (and diagnostics must not print).
fn hidden_or_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// A type expression nested `depth` deep.
fn nested_type(depth: usize) -> String {
    format!("{}string{}", "array<".repeat(depth), ">".repeat(depth))
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    SetChar(usize, usize, char),
    /// Replaces the value after the first `:` of a line.
    Value(usize, String),
    Insert(usize, String),
    Indent(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let value = prop_oneof![
        Just(String::new()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("true".to_owned()),
        Just("\"\"".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("~".to_owned()),
        Just("array<".to_owned()),
        Just("object".to_owned()),
        Just("map<Nope>".to_owned()),
        Just("&a x".to_owned()),
        Just("*a".to_owned()),
        Just("GET".to_owned()),
        Just("group".to_owned()),
        // Deep types, escapes and typed control characters.
        (0usize..20).prop_map(nested_type),
        Just(nested_type(64)),
        Just("\"a\\rb\"".to_owned()),
        Just("\"\\u202Eevil\"".to_owned()),
        Just("x\u{202e}y".to_owned()),
        Just("\"a\rb\"".to_owned()),
        Just("\u{7}".to_owned()),
        "[a-zA-Z0-9_<>]{0,12}",
    ];
    let line = prop_oneof![
        Just("  - name: X".to_owned()),
        Just("    type: object".to_owned()),
        Just("max_len: 3".to_owned()),
        Just("- 1".to_owned()),
        Just(":".to_owned()),
        Just("\t".to_owned()),
        Just("? [a]".to_owned()),
        Just("---".to_owned()),
        // Deep flow and block nesting.
        (0usize..200).prop_map(|n| format!("x: {}{}", "[".repeat(n), "]".repeat(n))),
        (0usize..100).prop_map(|n| "- ".repeat(n) + "x"),
        Just("docs: \"\u{2066}\\u2069\"".to_owned()),
        "[ -~]{0,20}",
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<usize>(), any::<char>())
            .prop_map(|(l, c, ch)| Mutation::SetChar(l, c, ch)),
        (any::<usize>(), value).prop_map(|(l, v)| Mutation::Value(l, v)),
        (any::<usize>(), line).prop_map(|(l, s)| Mutation::Insert(l, s)),
        (any::<usize>(), 0usize..6).prop_map(|(l, n)| Mutation::Indent(l, n)),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match m {
            Mutation::Delete(i) => {
                lines.remove(i % n);
            }
            Mutation::Duplicate(i) => {
                let line = lines[i % n].clone();
                lines.insert(i % n, line);
            }
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::SetChar(i, c, ch) => {
                let line = &mut lines[i % n];
                let mut chars: Vec<char> = line.chars().collect();
                if chars.is_empty() {
                    chars.push(*ch);
                } else {
                    let at = c % chars.len();
                    chars[at] = *ch;
                }
                *line = chars.into_iter().collect();
            }
            Mutation::Value(i, value) => {
                let line = &mut lines[i % n];
                if let Some(colon) = line.find(':') {
                    line.truncate(colon + 1);
                    line.push(' ');
                    line.push_str(value);
                }
            }
            Mutation::Insert(i, text) => lines.insert(i % (n + 1), text.clone()),
            Mutation::Indent(i, spaces) => {
                let line = &mut lines[i % n];
                *line = format!("{}{}", " ".repeat(*spaces), line.trim_start());
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_as_an_action(text in any::<String>()) {
        check_invariants(&[
            ("service.yaml".into(), service().to_owned()),
            (SEED_ACTION.into(), text),
        ]);
    }

    #[test]
    fn yaml_like_text_as_both_files(
        service_text in "[a-z_:\\- \\n\\[\\]{}0-9\"'#&*!|>]{0,200}",
        action_text in "[a-z_:\\- \\n\\[\\]{}0-9\"'#&*!|>]{0,200}",
    ) {
        check_invariants(&[
            ("service.yaml".into(), service_text),
            ("actions/x/Y.yaml".into(), action_text),
        ]);
    }

    #[test]
    fn mutated_seed_action(mutations in prop::collection::vec(mutation(), 1..6)) {
        check_invariants(&[
            ("service.yaml".into(), service().to_owned()),
            (SEED_ACTION.into(), apply(seed(), &mutations)),
        ]);
    }

    #[test]
    fn mutated_service_file(mutations in prop::collection::vec(mutation(), 1..6)) {
        check_invariants(&[
            ("service.yaml".into(), apply(service(), &mutations)),
            (SEED_ACTION.into(), seed().to_owned()),
        ]);
    }
}

#[test]
fn unmutated_files_check_clean() {
    let checked = check::check_sources(&[
        ("service.yaml".into(), service().to_owned()),
        (SEED_ACTION.into(), seed().to_owned()),
    ]);
    assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
    assert_eq!(checked.api.expect("an API").actions.len(), 1);
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "~",
        "[]",
        "- a\n- b\n",
        "name: [\n",
        "a: &x [*x]\n",
        "? [a, b]\n: c\n",
        "---\nname: A\n---\nname: B\n",
        "\u{feff}name: A\n",
        "name: A\nrequest:\n  - name: X\n    type: array<array<array<object>>>\n",
        "request:\n  - fields:\n      - fields:\n          - fields: []\n",
        "request: [{name: A, use: A, fields: [{use: A}]}]\n",
        "purpose: \"a\\u202Eb\\rc\"\n\u{202e}\r\n",
    ] {
        check_invariants(&[
            ("service.yaml".into(), service().to_owned()),
            (SEED_ACTION.into(), text.to_owned()),
        ]);
        check_invariants(&[("service.yaml".into(), text.to_owned())]);
    }
    // No files at all.
    check_invariants(&[]);
}

#[test]
fn self_using_definitions_end() {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("broken-specs/E0003-unknown-key/service.yaml"),
    )
    .expect("read a small service file");
    let mut defs = String::from(
        "fields:\n  Loop:\n    name: Loop\n    type: object\n    fields:\n      - use: Loop\n",
    );
    // D0 uses D1 twice, D1 uses D2 twice, ...: 2^40 fields if expanded blindly.
    for i in 0..40 {
        defs.push_str(&format!(
            "  D{i}:\n    name: D{i}\n    type: object\n    fields:\n      - use: D{n}\n        name: A\n      - use: D{n}\n        name: B\n",
            n = i + 1
        ));
    }
    defs.push_str("  D40:\n    name: D40\n    type: string\n");
    let service = base.replacen("fields:\n", &defs, 1);
    let action = "name: A\ncategory: x\nmethod: POST\npurpose: p\nqps:\n  limit: 1\nretry_safe: true\nrequest:\n  - use: Loop\n  - use: D0\n";
    let checked = check::check_sources(&[
        ("service.yaml".into(), service),
        ("actions/x/A.yaml".into(), action.to_owned()),
    ]);
    assert!(checked.diagnostics.has_errors());
    check_invariants(&[]);
}

/// Types and YAML nested past every limit, by tens of thousands of levels, are refused without
/// exhausting the stack (they used to overflow it).
#[test]
fn absurd_nesting_is_refused() {
    let head =
        "name: A\ncategory: user\nmethod: POST\npurpose: p\nqps:\n  limit: 1\nretry_safe: true\n";
    let deep_type = format!(
        "{head}request:\n  - name: X\n    type: {}\n",
        nested_type(20_000)
    );
    let deep_flow = format!(
        "{head}extra: {}{}\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let deep_block: String = (0..600)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    for (text, code) in [
        (deep_type, "E0016"),
        (deep_flow, "E0007"),
        (deep_block, "E0007"),
    ] {
        let checked = check::check_sources(&[
            ("service.yaml".into(), service().to_owned()),
            ("actions/user/A.yaml".into(), text.clone()),
        ]);
        assert!(
            checked.diagnostics.iter().any(|d| d.code.as_str() == code),
            "{code}: {}",
            checked.diagnostics
        );
        check_invariants(&[
            ("service.yaml".into(), service().to_owned()),
            ("actions/user/A.yaml".into(), text),
        ]);
    }
}
