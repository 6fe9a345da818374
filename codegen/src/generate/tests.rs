//! Generator unit tests on specs built in memory (bypassing the checker on purpose: the
//! generator must never panic or emit injected code, whatever the spec holds).

use std::path::PathBuf;

use crate::spec::{ActionSpec, Api, CheckedAction, ServiceSpec};

use super::{Settings, generate, generate_tokens};

const SERVICE: &str = r#"
name: Test
hosts: { default: main, regions: [{ id: main, host: h.invalid }] }
signing:
  scheme: md5_concat
  version: "2.0"
  test_vector: { app_id: 1, nonce: n, server_secret: s, timestamp: 1, signature: x }
envelope: { code: Code, message: Message, request_id: RequestId }
return_codes:
  - { code: 1, name: "Busy\"); panic!(\"", meaning: "*/ } fn evil() { /*", fix: "\" + \"" }
"#;

const ACTION: &str = r#"
name: "Weird\"Action"
category: "cat egory"
method: POST
purpose: "\"); std::process::exit(1); (\""
qps: { limit: 1 }
retry_safe: false
request:
  - name: "a\"b"
    type: string
    required: true
    docs: "*/ #[cfg(any())] /*"
  - name: "type"
    type: "array<array<object>>"
    fields:
      - { name: "Self", type: int64, min: -1, max: 1 }
      - { name: "self", type: int64 }
  - name: "1st"
    type: "map<json<object>>"
    fields:
      - { name: "x", type: string, max_chars: 2 }
  - name: kind
    type: string
    values:
      - { value: "a\"", name: "A b", docs: "\\" }
      - { value: "", name: "", docs: "" }
      - { value: "c", name: "Unknown", docs: "" }
response:
  - name: "Result"
    type: uint64
  - name: "Option"
    type: object
    fields:
      - { name: "Some", type: bool }
return_codes:
  - 1
  - 99
  - { code: 2, name: "Self", meaning: "m" }
"#;

fn api() -> Api {
    let service: ServiceSpec = serde_yaml::from_str(SERVICE).expect("service parses");
    let action: ActionSpec = serde_yaml::from_str(ACTION).expect("action parses");
    Api {
        service,
        actions: vec![CheckedAction {
            spec: action,
            file: PathBuf::from("actions/x/Weird.yaml"),
        }],
        sources: Vec::new(),
    }
}

#[test]
fn hostile_names_and_text_never_become_code() {
    let files = generate(&api(), &Settings::default()).expect("generates");
    for (path, text) in &files {
        // Every file parses (checked inside `generate`), and no injected item exists.
        let file = syn::parse_file(text).expect("valid Rust");
        for item in &file.items {
            if let syn::Item::Fn(f) = item {
                assert_ne!(f.sig.ident, "evil", "{path}");
            }
        }
        assert!(!text.contains("\nfn evil"), "{path}");
        assert!(!text.contains("#[cfg(any())]\n"), "{path}");
    }
    let action = files
        .iter()
        .find(|(path, _)| path.ends_with("weird_action.rs"))
        .map(|(_, text)| text)
        .expect("the action file exists");
    assert!(action.contains("pub struct WeirdActionRequest"));
    assert!(action.contains("pub r#type: Option<Vec<Vec<"), "{action}");
    assert!(action.contains("#[serde(rename = \"a\\\"b\")]"), "{action}");
    assert!(
        action.contains("Unknown2,"),
        "a documented `Unknown` value is renamed"
    );
    assert!(action.contains("pub result: u64"));
    assert!(
        action.contains("pub struct OptionType"),
        "prelude names are suffixed"
    );
}

#[test]
fn output_is_deterministic_and_tokens_parse() {
    let api = api();
    let settings = Settings::default();
    assert_eq!(generate(&api, &settings), generate(&api, &settings));
    let tokens = generate_tokens(&api, &settings).expect("tokens");
    let file: syn::File = syn::parse2(tokens).expect("tokens parse");
    assert!(file.items.len() >= 4);
}

#[test]
fn unknown_action_in_settings_is_an_error() {
    let settings = Settings {
        actions: Some(vec!["Nope".into()]),
        ..Settings::default()
    };
    assert!(matches!(
        generate(&api(), &settings),
        Err(super::GenerateError::UnknownAction { .. })
    ));
}

#[test]
#[ignore = "prints the hostile spec's output for manual review"]
fn print_hostile_output() {
    for (path, text) in generate(&api(), &Settings::default()).unwrap() {
        println!("==== {path}\n{text}");
    }
}

/// Two threads make the same files, byte for byte, as one (the real spec has enough actions
/// for `generate` to split it).
#[test]
fn parallel_generation_matches_one_thread() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let api = crate::check::load(&spec).expect("the real spec checks clean");
    let settings = Settings::default();
    assert!(api.actions.len() >= super::PARALLEL_MIN_ACTIONS);
    let split = generate(&api, &settings).unwrap();
    let single: super::GeneratedFiles = super::generate_part(&api, &settings, &super::Part::ALL)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(split, single);
}

/// A spec or output path holding a line break (or another control character) stays inside the
/// header comment: it cannot add an item or an attribute to the file.
#[test]
fn paths_in_headers_stay_comments() {
    let spec = PathBuf::from("spec\n#![doc = \"injected\"]\nfn evil() {}\r\u{202e}");
    let out = PathBuf::from("out\n#[cfg(any())]");
    let settings = super::output::settings_for(&spec, &out);
    let files = generate(&api(), &settings).expect("generates");
    for (path, text) in &files {
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        assert!(
            header.starts_with("// Generated by zim-codegen from spec\\u{a}#![doc"),
            "{path}: {header}"
        );
        assert!(
            header.contains("--out out\\u{a}#[cfg(any())]`"),
            "{path}: {header}"
        );
        assert!(
            !header.contains('\r') && !header.contains('\u{202e}'),
            "{path}"
        );
        assert_eq!(lines.next(), Some(""), "{path}: the header is one line");
        let file = syn::parse_file(text).expect("valid Rust");
        assert!(
            !file
                .attrs
                .iter()
                .any(|a| quote::quote!(#a).to_string().contains("injected")),
            "{path}"
        );
        assert!(!text.contains("\nfn evil"), "{path}");
    }
}

/// `names::CLIENT_METHODS` holds every method of `impl Client` blocks of the runtime, so no
/// action's method is shadowed by one added later.
#[test]
fn reserved_client_methods_cover_the_runtime() {
    let runtime = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated-client/src/runtime");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&runtime).expect("read the runtime") {
        let text = std::fs::read_to_string(entry.expect("an entry").path()).unwrap_or_default();
        let file = syn::parse_file(&text).expect("the runtime parses");
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let self_ty = &block.self_ty;
            if block.trait_.is_none() && quote::quote!(#self_ty).to_string() == "Client" {
                for inner in block.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        found.push(f.sig.ident.to_string());
                    }
                }
            }
        }
    }
    assert!(found.contains(&"pages".to_owned()), "{found:?}");
    for method in found {
        assert!(
            super::names::CLIENT_METHODS.contains(&method.as_str()),
            "`Client::{method}` is missing from names::CLIENT_METHODS"
        );
    }
}
