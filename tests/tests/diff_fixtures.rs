//! The semantic diff on fixture pairs of spec trees (`tests/diff-fixtures/<case>/{old,new}`),
//! with the Markdown and JSON output pinned by snapshots.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use zim_codegen::diff::{
    ChangeKind, DiffError, DiffOptions, EXIT_BREAKING, Format, Report, Side, load_and_diff,
    run_diff,
};

/// The fixture cases; together they hold every kind of change.
const CASES: &[&str] = &["actions", "fields", "rules", "service"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff-fixtures")
}

fn report(case: &str) -> Report {
    load_and_diff(&format!("{case}/old"), &format!("{case}/new"), &fixtures())
        .unwrap_or_else(|err| panic!("diff of fixture `{case}`: {err}"))
}

#[test]
fn markdown_output() {
    for case in CASES {
        let text = Format::Markdown.render(&report(case));
        insta::assert_snapshot!(format!("{case}_markdown"), text);
    }
}

#[test]
fn json_output() {
    for case in CASES {
        let text = Format::Json.render(&report(case));
        insta::assert_snapshot!(format!("{case}_json"), text);
    }
}

#[test]
fn json_has_the_documented_fields() {
    let text = Format::Json.render(&report("fields"));
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["schema_version"], 1);
    let changes = value["changes"].as_array().expect("changes array");
    assert!(!changes.is_empty());
    for change in changes {
        let keys: BTreeSet<&str> = change
            .as_object()
            .expect("change object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "kind", "action", "path", "before", "after", "breaking", "reason"
            ])
        );
    }
}

#[test]
fn fixtures_cover_every_change_kind() {
    let seen: BTreeSet<ChangeKind> = CASES
        .iter()
        .flat_map(|case| report(case).changes)
        .map(|change| change.kind)
        .collect();
    let missing: Vec<&str> = ChangeKind::ALL
        .iter()
        .filter(|kind| !seen.contains(kind))
        .map(|kind| kind.as_str())
        .collect();
    assert!(missing.is_empty(), "no fixture shows: {missing:?}");
}

#[test]
fn every_change_has_a_reason() {
    for case in CASES {
        for change in report(case).changes {
            assert!(
                change.reason.ends_with('.') && change.reason.len() > 20,
                "{case}: {change:?}"
            );
        }
    }
}

#[test]
fn output_is_deterministic() {
    for case in CASES {
        assert_eq!(report(case), report(case));
    }
}

#[test]
fn same_spec_has_no_changes() {
    let report = load_and_diff("fields/old", "fields/old", &fixtures()).expect("diff");
    assert!(report.changes.is_empty());
    assert!(!report.has_breaking());
    let markdown = Format::Markdown.render(&report);
    assert_eq!(
        markdown,
        "# API changes: `fields/old` → `fields/old`\n\nNo changes.\n"
    );
}

fn options(old: &str, new: &str, fail_on_breaking: bool) -> DiffOptions {
    DiffOptions {
        old: old.into(),
        new: new.into(),
        format: Format::Json,
        fail_on_breaking,
        workdir: fixtures(),
    }
}

#[test]
fn fail_on_breaking_sets_the_exit_code() {
    let outcome = run_diff(&options("fields/old", "fields/new", true)).expect("diff");
    assert!(outcome.breaking());
    assert_eq!(outcome.exit_code(), EXIT_BREAKING);
    assert_eq!(EXIT_BREAKING, 2);

    // Without the flag, breaking changes are reported but the exit code stays 0.
    let outcome = run_diff(&options("fields/old", "fields/new", false)).expect("diff");
    assert!(outcome.breaking());
    assert_eq!(outcome.exit_code(), 0);

    // With the flag and nothing breaking.
    let outcome = run_diff(&options("fields/old", "fields/old", true)).expect("diff");
    assert!(!outcome.breaking());
    assert_eq!(outcome.exit_code(), 0);
}

#[test]
fn a_spec_failing_the_check_names_its_side() {
    let err = load_and_diff("actions/old", "broken/new", &fixtures()).expect_err("must fail");
    match &err {
        DiffError::Check { side, diagnostics } => {
            assert_eq!(*side, Side::New);
            assert!(diagnostics.contains("retry_sa"), "{diagnostics}");
        }
        other => panic!("unexpected error: {other}"),
    }
    assert!(
        err.to_string()
            .starts_with("the new spec does not pass the check")
    );

    let err = load_and_diff("broken/new", "actions/old", &fixtures()).expect_err("must fail");
    assert!(matches!(
        err,
        DiffError::Check {
            side: Side::Old,
            ..
        }
    ));
}

#[test]
fn an_unknown_side_is_an_error() {
    let err = load_and_diff("no/such/dir", "actions/new", &fixtures()).expect_err("must fail");
    assert!(
        matches!(
            err,
            DiffError::Source {
                side: Side::Old,
                ..
            }
        ),
        "{err}"
    );
}
