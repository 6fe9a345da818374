//! Pins what the generator emits, one insta snapshot per generated file: the seed action
//! (`QueryGroupsInfoOfUser` of `spec/`) and the test spec `tests/codegen-spec/`, which uses
//! every type and rule of the format. `cargo insta review` shows any change.
//!
//! The real client's full output is pinned by `codegen_check.rs` (the checked-in files)
//! instead of being stored twice.

use std::path::{Path, PathBuf};

use zim_codegen::generate::{Settings, generate, generate_tokens, output::settings_for};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn snapshot_all(prefix: &str, spec: &str, settings: &Settings) {
    let api = zim_codegen::check::load(&root().join(spec))
        .unwrap_or_else(|d| panic!("{spec} does not pass the checker:\n{d}"));
    let files = generate(&api, settings).unwrap();
    let again = generate(&api, settings).unwrap();
    assert_eq!(files, again, "output is deterministic");
    for (path, text) in &files {
        let name = format!(
            "{prefix}__{}",
            path.replace('/', "__").trim_end_matches(".rs")
        );
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn seed_action() {
    let settings = Settings {
        actions: Some(vec!["QueryGroupsInfoOfUser".into()]),
        ..Settings::default()
    };
    snapshot_all("seed", "spec", &settings);
}

#[test]
fn test_spec() {
    let settings = settings_for(
        Path::new("tests/codegen-spec"),
        Path::new("tests/src/codegen_spec_generated"),
    );
    snapshot_all("kitchen", "tests/codegen-spec", &settings);
}

#[test]
fn seed_subset_has_only_its_action() {
    let api = zim_codegen::check::load(&root().join("spec")).unwrap();
    let settings = Settings {
        actions: Some(vec!["QueryGroupsInfoOfUser".into()]),
        ..Settings::default()
    };
    let files = generate(&api, &settings).unwrap();
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "charsets.rs",
            "mod.rs",
            "return_codes.rs",
            "shared.rs",
            "user/mod.rs",
            "user/query_groups_info_of_user.rs"
        ]
    );
}

#[test]
fn unknown_action_is_an_error_with_a_hint() {
    let api = zim_codegen::check::load(&root().join("spec")).unwrap();
    let settings = Settings {
        actions: Some(vec!["QueryGroupInfoOfUser".into()]),
        ..Settings::default()
    };
    let err = generate(&api, &settings).unwrap_err().to_string();
    assert!(
        err.contains("unknown action `QueryGroupInfoOfUser`"),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn tokens_hold_the_same_items_as_files() {
    let api = zim_codegen::check::load(&root().join("tests/codegen-spec")).unwrap();
    let settings = Settings::default();
    let tokens = generate_tokens(&api, &settings).unwrap();
    let file: syn::File = syn::parse2(tokens).expect("tokens parse as a file");
    let modules: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        modules,
        [
            "charsets",
            "return_codes",
            "shared",
            "data",
            "kitchen",
            "prelude"
        ]
    );
    // Every action struct of the files appears in the token stream.
    let text = prettyplease::unparse(&file);
    for name in [
        "SendEverythingRequest",
        "ListNumericResponse",
        "DescribeThingRequest",
        "KitchenActions",
    ] {
        assert!(text.contains(&format!(" {name}")), "{name} missing");
    }
}
