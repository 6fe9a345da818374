//! Every spec the checker accepts generates code: mutated versions of the test spec
//! (`tests/codegen-spec`, which uses every feature) either fail the checker or generate
//! without error, and the generator never panics.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use zim_codegen::check;
use zim_codegen::generate::{Settings, generate};

fn spec_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen-spec");
    let mut files = vec![(
        PathBuf::from("service.yaml"),
        std::fs::read_to_string(root.join("service.yaml")).unwrap(),
    )];
    for category in ["kitchen", "data"] {
        let dir = root.join("actions").join(category);
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            files.push((PathBuf::from(format!("actions/{category}/{name}")), text));
        }
    }
    files
}

/// Replaces the value after the first `: ` of line `line` of file `file`, or deletes the line.
#[derive(Debug, Clone)]
enum Mutation {
    Value(usize, usize, String),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let value = prop_oneof![
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("3000000000".to_owned()),
        Just("true".to_owned()),
        Just("\"\"".to_owned()),
        Just("string".to_owned()),
        Just("int64".to_owned()),
        Just("uint64".to_owned()),
        Just("bool".to_owned()),
        Just("array<string>".to_owned()),
        Just("map<int32>".to_owned()),
        Just("json<CardInfo>".to_owned()),
        Just("array<Profile>".to_owned()),
        Just("Payload".to_owned()),
        Just("object".to_owned()),
        Just("open".to_owned()),
        Just("flags".to_owned()),
        Just("closed".to_owned()),
        Just("GET".to_owned()),
        Just("group".to_owned()),
        Just("room".to_owned()),
        Just("message".to_owned()),
        Just("Self".to_owned()),
        Just("type".to_owned()),
        Just("Next".to_owned()),
        // Types up to and past the nesting limit, over every constructor.
        (
            1usize..12,
            prop::sample::select(vec!["array<", "map<", "json<"])
        )
            .prop_map(|(depth, head)| format!(
                "{}string{}",
                head.repeat(depth),
                ">".repeat(depth)
            )),
        // Spec text with code rustdoc would run, control characters and their escapes.
        Just("\"Text.\\n\\n```rust\\ncompile_error!(\\\"ran\\\");\\n```\"".to_owned()),
        Just("\"Text.\\n\\n    compile_error!(\\\"ran\\\");\"".to_owned()),
        Just("\"- item\\n\\n  ~~~\\n  compile_error!(\\\"ran\\\");\"".to_owned()),
        Just("\"a\\rb\"".to_owned()),
        Just("\"a\\u202Eb\"".to_owned()),
        Just("\"tab\\there\"".to_owned()),
        Just("Self".to_owned()),
        Just("shared".to_owned()),
        Just("Unknown".to_owned()),
        "[a-zA-Z][a-zA-Z0-9_]{0,8}",
    ];
    prop_oneof![
        (any::<usize>(), any::<usize>(), value).prop_map(|(f, l, v)| Mutation::Value(f, l, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(f, l)| Mutation::Delete(f, l)),
        (any::<usize>(), any::<usize>()).prop_map(|(f, l)| Mutation::Duplicate(f, l)),
    ]
}

fn apply(files: &mut [(PathBuf, String)], m: &Mutation) {
    let (f, l) = match m {
        Mutation::Value(f, l, _) | Mutation::Delete(f, l) | Mutation::Duplicate(f, l) => (*f, *l),
    };
    let text = &mut files[f % files.len()].1;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return;
    }
    let at = l % lines.len();
    match m {
        Mutation::Value(_, _, value) => {
            if let Some((key, _)) = lines[at].split_once(": ") {
                lines[at] = format!("{key}: {value}");
            }
        }
        Mutation::Delete(..) => {
            lines.remove(at);
        }
        Mutation::Duplicate(..) => {
            let line = lines[at].clone();
            lines.insert(at, line);
        }
    }
    *text = lines.join("\n");
}

/// What must hold of generated text whatever the spec: no control or bidirectional character
/// (line breaks aside), and no code fence in docs that rustdoc would compile.
fn assert_safe_output(files: &zim_codegen::generate::GeneratedFiles) {
    for (path, text) in files {
        if let Some(c) = text.chars().find(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }) {
            panic!("{path} holds {c:?}");
        }
        for line in text.lines() {
            let Some(doc) = line
                .trim_start()
                .strip_prefix("///")
                .or_else(|| line.trim_start().strip_prefix("//!"))
            else {
                continue;
            };
            let content = doc.trim_start_matches([' ', '>', '-', '*', '+']);
            for mark in ['`', '~'] {
                let run = content.chars().take_while(|c| *c == mark).count();
                if run >= 3 {
                    let info = content[run..].trim();
                    assert!(
                        info.is_empty() || info == "text" || (mark == '`' && info.contains('`')),
                        "{path}: a doc fence rustdoc may compile: {line}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_unmutated_test_spec_generates() {
    let api = check::load_from_sources(&spec_files()).expect("the test spec is valid");
    generate(&api, &Settings::default()).expect("generates");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn accepted_specs_generate(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let mut files = spec_files();
        for m in &mutations {
            apply(&mut files, m);
        }
        if let Ok(api) = check::load_from_sources(&files) {
            match generate(&api, &Settings::default()) {
                Ok(generated) => assert_safe_output(&generated),
                Err(err) => panic!(
                    "the checker accepted a spec the generator refused: {err}\n{mutations:?}"
                ),
            }
        }
    }
}

/// Writes the code of accepted mutated specs as modules under `$ZIM_FUZZ_OUT` (for a manual
/// compile check: `ZIM_FUZZ_OUT=... cargo test --test codegen_fuzz -- --ignored`).
#[test]
#[ignore = "writes files for a manual compile check"]
fn write_accepted_variants() {
    let Ok(out) = std::env::var("ZIM_FUZZ_OUT") else {
        return;
    };
    let out = PathBuf::from(out);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = proptest::collection::vec(mutation(), 1..4);
    let mut written = 0;
    for _ in 0..2000 {
        if written == 40 {
            break;
        }
        let mutations = strategy.new_tree(&mut runner).unwrap().current();
        let mut files = spec_files();
        for m in &mutations {
            apply(&mut files, m);
        }
        let Ok(api) = check::load_from_sources(&files) else {
            continue;
        };
        let generated = generate(&api, &Settings::default()).unwrap();
        let dir = out.join(format!("v{written}"));
        for (path, text) in generated {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        std::fs::write(dir.join("mutations.txt"), format!("{mutations:?}")).unwrap();
        written += 1;
    }
}
