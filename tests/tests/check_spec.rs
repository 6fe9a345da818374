//! The real spec checks clean, keeps its guarantees, and its JSON Schema is current.

use std::path::{Path, PathBuf};

use zim_codegen::check;
use zim_codegen::spec::TypeExpr;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

#[test]
fn real_spec_checks_clean() {
    let checked = check::check_dir(&spec_dir());
    assert!(
        checked.diagnostics.is_empty(),
        "the spec has problems:\n{}",
        checked.diagnostics
    );
    let api = checked.api.expect("an API");
    assert!(!api.actions.is_empty());
}

#[test]
fn loaded_api_keeps_its_guarantees() {
    let api = check::load(&spec_dir()).unwrap_or_else(|d| panic!("{d}"));
    // Sorted by (category, name).
    let keys: Vec<(&str, &str)> = api
        .actions
        .iter()
        .map(|a| (a.spec.category.as_str(), a.spec.name.as_str()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Every field has a type that parses, `use:` merged.
    fn walk(fields: &[zim_codegen::spec::Field], at: &str) {
        for field in fields {
            let ty = field
                .ty
                .as_deref()
                .unwrap_or_else(|| panic!("{at}: `{}` has no type", field.name));
            assert!(TypeExpr::parse(ty).is_ok(), "{at}: `{ty}` does not parse");
            assert!(!field.name.is_empty(), "{at}: a field has no name");
            walk(&field.fields, at);
        }
    }
    for action in &api.actions {
        walk(&action.spec.request, &action.spec.name);
        walk(&action.spec.response, &action.spec.name);
        assert_eq!(
            action.file,
            PathBuf::from(format!(
                "actions/{}/{}.yaml",
                action.spec.category, action.spec.name
            ))
        );
    }
    for (name, def) in &api.service.types {
        walk(&def.fields, name);
        for variant in &def.variants {
            walk(&variant.fields, name);
        }
    }
    // Every file read is listed for rebuild tracking.
    assert_eq!(api.sources.len(), api.actions.len() + 1);
    assert!(api.sources.iter().all(|p| p.exists()));
}

#[test]
fn loading_from_memory_matches_loading_from_disk() {
    let dir = spec_dir();
    let disk = check::load(&dir).unwrap_or_else(|d| panic!("{d}"));
    let files: Vec<(PathBuf, String)> = disk
        .sources
        .iter()
        .map(|path| {
            let rel = path
                .strip_prefix(&dir)
                .expect("under the spec dir")
                .to_path_buf();
            (rel, std::fs::read_to_string(path).expect("read"))
        })
        .collect();
    let memory = check::load_from_sources(&files).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(disk.service, memory.service);
    assert_eq!(disk.actions, memory.actions);
}

#[test]
fn schema_json_is_current() {
    let path = spec_dir().join("schema.json");
    let on_disk = std::fs::read_to_string(&path).expect("read spec/schema.json");
    let current = zim_codegen::schema::spec_schema_json();
    assert!(
        on_disk == current,
        "spec/schema.json is stale: the spec model changed. Regenerate it with \
         `cargo run -p zim-codegen -- schema` and commit the result."
    );
}

#[test]
fn readme_example_action_checks_clean() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("read README.md");
    let section = readme
        .split("## Writing an action spec")
        .nth(1)
        .expect("README has the section \"Writing an action spec\"");
    let example = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a yaml example");
    let service = std::fs::read_to_string(spec_dir().join("service.yaml")).expect("read service");
    let checked = check::check_sources(&[
        ("service.yaml".into(), service),
        (
            "actions/group/SendGroupNotices.yaml".into(),
            example.to_owned(),
        ),
    ]);
    assert!(
        checked.diagnostics.is_empty(),
        "the README example has problems:\n{}",
        checked.diagnostics
    );
}
