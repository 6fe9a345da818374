//! The library path behind `zim_api_derive::generate!` (`zim_codegen::expand`): the same items
//! as the CLI, subsets, rebuild tracking and errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;
use zim_codegen::expand::{ExpandError, Expansion, Settings, expand};
use zim_codegen::generate::{GenerateError, generate, generate_tokens};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}

/// The real spec, by absolute path (as the macro passes it).
fn spec_dir() -> PathBuf {
    workspace().join("spec")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("trybuild/specs")
        .join(name)
}

fn subset(names: &[&str]) -> Settings {
    Settings {
        actions: Some(names.iter().map(|n| (*n).to_owned()).collect()),
        ..Settings::default()
    }
}

fn expanded(settings: &Settings) -> Expansion {
    match expand(&spec_dir(), settings) {
        Ok(expansion) => expansion,
        Err(err) => panic!("{err}"),
    }
}

/// Formatted Rust of some attributes and items, as the CLI formats a file.
fn unparse(attrs: Vec<syn::Attribute>, items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs,
        items,
    })
}

fn is_mod_decl(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Mod(m) if m.content.is_none())
}

/// The macro's inline modules laid out as the CLI's files: path -> formatted text (without
/// `pub mod x;` lines, which the inline layout replaces by the modules themselves).
fn macro_files(tokens: proc_macro2::TokenStream) -> BTreeMap<String, String> {
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as Rust");
    let mut out = BTreeMap::new();
    for item in file.items {
        let syn::Item::Mod(module) = item else {
            panic!("top-level item that is not a module: {}", quote!(#item));
        };
        let name = module.ident.to_string();
        let (_, items) = module.content.expect("inline module");
        if name == "prelude" {
            out.insert("mod.rs#prelude".to_owned(), unparse(Vec::new(), items));
            continue;
        }
        let mut own = Vec::new();
        for item in items {
            match item {
                syn::Item::Mod(inner) if inner.content.is_some() => {
                    let path = format!("{name}/{}.rs", inner.ident);
                    let (_, items) = inner.content.unwrap_or_default();
                    out.insert(path, unparse(inner.attrs, items));
                }
                other => own.push(other),
            }
        }
        let path = if matches!(name.as_str(), "charsets" | "return_codes" | "shared") {
            format!("{name}.rs")
        } else {
            format!("{name}/mod.rs")
        };
        out.insert(path, unparse(module.attrs, own));
    }
    out
}

/// The CLI's files, parsed and formatted again the same way (header comments and `pub mod x;`
/// lines dropped; the top `mod.rs` reduced to its prelude).
fn cli_files(settings: &Settings) -> BTreeMap<String, String> {
    let api = zim_codegen::check::load(&spec_dir()).expect("the real spec checks");
    let files = generate(&api, settings).expect("the real spec generates");
    let mut out = BTreeMap::new();
    for (path, text) in files {
        let file: syn::File = syn::parse_str(&text).expect("a generated file parses");
        if path == "mod.rs" {
            let prelude = file.items.into_iter().find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == "prelude" => m.content.map(|(_, items)| items),
                _ => None,
            });
            let items = prelude.expect("mod.rs has a prelude module");
            out.insert("mod.rs#prelude".to_owned(), unparse(Vec::new(), items));
            continue;
        }
        let items = file.items.into_iter().filter(|i| !is_mod_decl(i)).collect();
        out.insert(path, unparse(file.attrs, items));
    }
    out
}

fn assert_same_as_cli(settings: &Settings) {
    let from_macro = macro_files(expanded(settings).tokens);
    let from_cli = cli_files(settings);
    assert_eq!(
        from_macro.keys().collect::<Vec<_>>(),
        from_cli.keys().collect::<Vec<_>>(),
        "the macro and the CLI produce different modules"
    );
    for (path, text) in &from_cli {
        assert!(
            from_macro[path] == *text,
            "`{path}` differs between the macro and the CLI:\n{}",
            similar::TextDiff::from_lines(text, &from_macro[path]).unified_diff()
        );
    }
}

#[test]
fn macro_path_emits_exactly_generate_tokens() {
    for settings in [
        Settings::default(),
        subset(&["QueryGroupsInfoOfUser", "SendPeerMessage"]),
    ] {
        let api = zim_codegen::check::load(&spec_dir()).expect("the real spec checks");
        let direct = generate_tokens(&api, &settings).expect("generates");
        assert_eq!(
            expanded(&settings).tokens.to_string(),
            direct.to_string(),
            "{settings:?}"
        );
    }
}

#[test]
fn macro_and_cli_produce_the_same_items_for_the_whole_spec() {
    assert_same_as_cli(&Settings::default());
}

#[test]
fn macro_and_cli_produce_the_same_items_for_a_subset() {
    assert_same_as_cli(&subset(&[
        "QueryGroupsInfoOfUser",
        "SendPeerMessage",
        "CreateRoom",
    ]));
}

#[test]
fn a_subset_holds_only_the_chosen_actions_and_the_shared_types_they_need() {
    let one = macro_files(expanded(&subset(&["QueryGroupsInfoOfUser"])).tokens);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        [
            "charsets.rs",
            "mod.rs#prelude",
            "return_codes.rs",
            "shared.rs",
            "user/mod.rs",
            "user/query_groups_info_of_user.rs",
        ]
    );
    assert!(one["mod.rs#prelude"].contains("UserActions"));
    assert!(!one["mod.rs#prelude"].contains("MessageActions"));

    // A message action brings the shared message types; a user action alone does not.
    let with_message = macro_files(expanded(&subset(&["SendPeerMessage"])).tokens);
    let all = macro_files(expanded(&Settings::default()).tokens);
    assert!(one["shared.rs"].len() < with_message["shared.rs"].len());
    assert!(with_message["shared.rs"].len() <= all["shared.rs"].len());
    assert!(with_message.contains_key("message/send_peer_message.rs"));
    assert!(!with_message.contains_key("user/mod.rs"));
    let actions = all
        .keys()
        .filter(|p| p.contains('/') && !p.ends_with("mod.rs"))
        .count();
    let yaml_files = spec_yaml_files().len() - 1;
    assert_eq!(actions, yaml_files, "one module per action file");
}

/// Every YAML file of the real spec, absolute.
fn spec_yaml_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![spec_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable spec dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn included_files(tokens: &proc_macro2::TokenStream) -> Vec<PathBuf> {
    let file: syn::File = syn::parse2(tokens.clone()).expect("the macro output parses");
    let mut out = Vec::new();
    for item in file.items {
        if let syn::Item::Const(c) = item {
            assert_eq!(c.ident, "_");
            let ty = &c.ty;
            assert_eq!(quote!(#ty).to_string().replace(' ', ""), "&[u8]");
            let syn::Expr::Macro(m) = *c.expr else {
                panic!("tracking const is not a macro call: {}", quote!(#c));
            };
            assert!(m.mac.path.is_ident("include_bytes"));
            let lit: syn::LitStr = m.mac.parse_body().expect("one string literal");
            out.push(PathBuf::from(lit.value()));
        }
    }
    out.sort();
    out
}

#[test]
fn the_expansion_includes_every_spec_file_it_read() {
    let files = spec_yaml_files();
    assert!(files.len() > 10, "{files:?}");
    // Even for one action: every file takes part in checking the spec.
    for settings in [Settings::default(), subset(&["UserRegister"])] {
        let expansion = expanded(&settings);
        let output = expansion.clone().into_macro_output();
        let included = included_files(&output);
        assert_eq!(included, files);
        assert!(included.iter().all(|p| p.is_absolute() && p.is_file()));
        // The items come first, each allowed to go unused, then one tracking const per file.
        let file: syn::File = syn::parse2(output).expect("parses");
        let (items, tracking): (Vec<_>, Vec<_>) = file
            .items
            .into_iter()
            .partition(|item| matches!(item, syn::Item::Mod(_)));
        assert_eq!(tracking.len(), files.len());
        let generated: syn::File = syn::parse2(expansion.tokens.clone()).expect("parses");
        assert_eq!(items.len(), generated.items.len());
        for (mut ours, theirs) in items.into_iter().zip(generated.items) {
            let syn::Item::Mod(module) = &mut ours else {
                unreachable!()
            };
            let allow = module.attrs.remove(0);
            assert_eq!(
                quote!(#allow).to_string(),
                "# [allow (dead_code , unused_imports)]"
            );
            assert_eq!(quote!(#ours).to_string(), quote!(#theirs).to_string());
        }
    }
}

#[test]
fn build_scripts_get_a_formatted_file_and_rerun_lines() {
    let expansion = expanded(&subset(&["QueryGroupsInfoOfUser"]));
    let text = expansion.to_file().expect("formats");
    assert!(text.contains("pub struct QueryGroupsInfoOfUserRequest"));
    assert!(syn::parse_file(&text).is_ok());
    let rerun = expansion.rerun_if_changed();
    let lines: Vec<&str> = rerun.lines().collect();
    assert_eq!(lines.len(), spec_yaml_files().len() + 1);
    assert_eq!(
        lines[0],
        format!("cargo::rerun-if-changed={}", spec_dir().display())
    );
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("cargo::rerun-if-changed=/"))
    );
}

fn expand_error(dir: &Path, settings: &Settings) -> ExpandError {
    match expand(dir, settings) {
        Ok(_) => panic!("{} expanded", dir.display()),
        Err(err) => err,
    }
}

#[test]
fn a_missing_directory_is_reported_as_such() {
    let dir = fixture("no-such-spec");
    let err = expand_error(&dir, &Settings::default());
    assert!(matches!(&err, ExpandError::MissingDir { dir: d } if *d == dir));
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn spec_errors_carry_the_checker_rendering() {
    for (name, code, at) in [
        (
            "invalid-yaml",
            "error[E0001]",
            "invalid-yaml/actions/user/ListUsers.yaml:14:9",
        ),
        (
            "semantic-error",
            "error[E0011]",
            "semantic-error/actions/user/ListUsers.yaml:12:11",
        ),
        (
            "not-utf8",
            "error[E0004]",
            "not-utf8/actions/user/ListUsers.yaml:1:1",
        ),
    ] {
        let err = expand_error(&fixture(name), &Settings::default());
        let ExpandError::Check(diagnostics) = &err else {
            panic!("{name}: {err:?}");
        };
        assert_eq!(diagnostics.error_count(), 1, "{name}: {diagnostics}");
        let text = err.to_string();
        assert!(text.starts_with("the spec has 1 error:\n\n"), "{text}");
        assert!(text.contains(code), "{name}: {text}");
        assert!(text.contains(&format!("--> {at}")), "{name}: {text}");
    }
}

#[test]
fn an_unknown_action_is_named_with_a_suggestion() {
    let err = expand_error(&spec_dir(), &subset(&["QueryGroupsInfoOfUsr"]));
    let ExpandError::Generate(GenerateError::UnknownAction { name, .. }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(name, "QueryGroupsInfoOfUsr");
    assert_eq!(
        err.to_string(),
        "unknown action `QueryGroupsInfoOfUsr`; did you mean `QueryGroupsInfoOfUser`?"
    );
}

#[test]
fn the_build_time_example_compiles_only_the_runtime() {
    // `zim-client`'s `generated` feature (the checked-in client, on by default) stays off.
    let manifest = std::fs::read_to_string(workspace().join("examples/build-time/Cargo.toml"))
        .expect("the example's manifest");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("zim-client"))
        .expect("the example depends on zim-client");
    assert!(line.contains("default-features = false"), "{line}");
    assert!(!line.contains("generated"), "{line}");
    let source = std::fs::read_to_string(workspace().join("examples/build-time/src/lib.rs"))
        .expect("the example's source");
    assert!(source.contains("zim_api_derive::generate!("));
    assert!(!source.contains("zim_client::generated"));
}
