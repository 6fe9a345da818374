//! Every broken spec tree under `tests/broken-specs/` gets its rendered diagnostics pinned by
//! a snapshot. A case named after a code (`E0003-unknown-key`) must produce diagnostics of
//! that code only; other cases (`mixed-...`) may mix codes.

use std::path::{Path, PathBuf};

use zim_codegen::check;

fn broken_specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("broken-specs")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(broken_specs())
        .expect("read tests/broken-specs")
        .map(|entry| entry.expect("read a case").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The code a case is named after, if any.
fn expected_code(name: &str) -> Option<&str> {
    let code = name.split('-').next()?;
    let is_code = code.len() == 5
        && code.starts_with(['E', 'W'])
        && code[1..].chars().all(|c| c.is_ascii_digit());
    is_code.then_some(code)
}

fn render(checked: &check::Checked) -> String {
    let mut text = checked.diagnostics.to_string();
    text.push('\n');
    match &checked.api {
        Some(api) if !checked.diagnostics.has_errors() => {
            text.push_str(&format!("=> ok: {} actions", api.actions.len()))
        }
        _ => text.push_str(&format!("=> failed: {}", checked.diagnostics.summary())),
    }
    text
}

#[test]
fn there_are_enough_cases() {
    let codes: std::collections::BTreeSet<String> = cases()
        .iter()
        .filter_map(|case| {
            let name = case.file_name()?.to_str()?;
            expected_code(name).map(str::to_owned)
        })
        .collect();
    assert!(cases().len() >= 20, "fewer than 20 broken specs");
    assert!(
        codes.len() >= 20,
        "fewer than 20 diagnostic kinds covered: {codes:?}"
    );
}

#[test]
fn broken_specs_render_as_pinned() {
    for case in cases() {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .expect("case name")
            .to_owned();
        let checked = check::check_dir(&case);
        assert!(
            !checked.diagnostics.is_empty(),
            "{name}: the checker found nothing"
        );
        if let Some(code) = expected_code(&name) {
            for diagnostic in checked.diagnostics.iter() {
                assert_eq!(
                    diagnostic.code.as_str(),
                    code,
                    "{name}: unexpected diagnostic\n{diagnostic}"
                );
            }
            if code.starts_with('E') {
                assert!(
                    check::load(&case).is_err(),
                    "{name}: load() succeeded despite errors"
                );
            } else {
                assert!(
                    check::load(&case).is_ok(),
                    "{name}: warnings must not fail load()"
                );
            }
        }
        insta::assert_snapshot!(name, render(&checked));
    }
}

#[test]
fn rendering_does_not_depend_on_the_working_directory() {
    // The same tree given relatively and absolutely renders under the same path prefix.
    let case = broken_specs().join("E0003-unknown-key");
    let absolute = check::check_dir(&case).diagnostics.to_string();
    assert!(absolute.contains("--> E0003-unknown-key/actions/user/ListUsers.yaml:"));
    assert!(!absolute.contains(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("read README.md");
    for code in check::Code::ALL {
        assert!(
            readme.contains(&format!("\n| {code} | ")),
            "README.md's table of codes has no row for {code}"
        );
    }
}
