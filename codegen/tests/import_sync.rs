//! `zim-codegen import` and `sync` end to end over invented fixtures in the shape of ZEGO's
//! published OpenAPI files (`tests/import-fixtures/docs`): a GET action, a POST action with
//! nested arrays of objects, a page of two actions, QPS/codes/values in prose, `servers` as
//! a `$ref` map, a trailing tab in the shared file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zim_codegen::import::{ImportErrorKind, import_file, openapi::Loader};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    manifest_dir().join("tests/import-fixtures")
}

/// A fresh spec directory holding only the project's `service.yaml`.
fn scratch_spec(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zim-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    std::fs::copy(
        manifest_dir().join("../spec/service.yaml"),
        dir.join("service.yaml"),
    )
    .expect("copy service.yaml");
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zim-codegen"))
        .args(args)
        .output()
        .expect("run zim-codegen")
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn import_into(spec: &Path) {
    let docs = fixtures().join("docs");
    let out = run(&[
        "import",
        docs.to_str().expect("utf-8 path"),
        "--spec",
        spec.to_str().expect("utf-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("imported 4 actions from 3 files"),
        "{stderr}"
    );
    assert!(stderr.contains("warning:"), "{stderr}");
}

#[test]
fn import_writes_spec_files_that_pass_check() {
    let spec = scratch_spec("check");
    import_into(&spec);

    let check = run(&["check", spec.to_str().expect("utf-8 path")]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let get = text(&spec.join("actions/widgets/QueryWidgets.yaml"));
    for fact in [
        "method: GET",
        "limit: 4\n  scope: room\n  key: RoomId",
        "type: array<string>\n    max_items: 5\n    item_max_bytes: 8",
        "max_bytes: 16",
        "min: 1\n    max: 50",
        "type: bool",
        "  - 660000002\n  - code: 770000001",
        "type: int32",
    ] {
        assert!(get.contains(fact), "QueryWidgets lacks {fact:?}:\n{get}");
    }

    let post = text(&spec.join("actions/widgets/FrobWidgets.yaml"));
    for fact in [
        "method: POST",
        "limit: 6\n  scope: message\n  count: Items",
        "values_kind: open",
        "name: Value2",
        "values_kind: closed",
        "name: Parts\n        type: array<object>",
        "name: PartNo\n            type: int64",
        "max_chars: 12",
        "partial_failure:\n  list: FailedItems\n  id: WidgetId\n  code: SubCode",
        "code: 770000002",
    ] {
        assert!(post.contains(fact), "FrobWidgets lacks {fact:?}:\n{post}");
    }
    // The page's wording stays out: only placeholders describe.
    for words in ["gently", "firmly", "Frobs several", "Too much frobbing"] {
        assert!(!post.contains(words), "copied {words:?}:\n{post}");
    }
    assert!(post.contains("TODO: describe in our own words"));

    for name in ["PinGadget", "UnpinGadget"] {
        let pin = text(&spec.join(format!("actions/gadgets/{name}.yaml")));
        assert!(pin.contains("host: auth"), "{pin}");
        assert!(pin.contains("name: GadgetId"), "{pin}");
    }
    let _ = std::fs::remove_dir_all(&spec);
}

#[test]
fn sync_reports_planted_drift_until_it_is_recorded() {
    let spec = scratch_spec("sync");
    import_into(&spec);
    let docs = fixtures().join("docs");
    let sync = |format: &str| {
        run(&[
            "sync",
            docs.to_str().expect("utf-8 path"),
            "--spec",
            spec.to_str().expect("utf-8 path"),
            "--format",
            format,
        ])
    };
    let clean = sync("markdown");
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&clean.stdout),
        String::from_utf8_lossy(&clean.stderr)
    );

    // Plant drift: our spec allows fewer items than the page.
    let file = spec.join("actions/widgets/FrobWidgets.yaml");
    let original = text(&file);
    let planted = original.replace("max_items: 20", "max_items: 10");
    assert_ne!(planted, original);
    std::fs::write(&file, &planted).expect("write");
    let drift = sync("json");
    assert_eq!(drift.status.code(), Some(2));
    let json: serde_json::Value =
        serde_json::from_slice(&drift.stdout).expect("sync --format json gives JSON");
    let changes = json["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 1, "{json:#}");
    assert_eq!(changes[0]["action"], "FrobWidgets");
    assert_eq!(changes[0]["path"], "request.Items");
    assert_eq!(changes[0]["kind"], "limit_loosened");
    let markdown = sync("markdown");
    assert_eq!(markdown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&markdown.stdout).contains("`request.Items`"));

    // Recorded as deliberate, it is not reported again.
    let recorded = format!(
        "{planted}\nupstream:\n  - path: request.Items\n    differs: limit\n    why: We keep batches small.\n"
    );
    std::fs::write(&file, recorded).expect("write");
    let quiet = sync("markdown");
    let stdout = String::from_utf8_lossy(&quiet.stdout);
    assert_eq!(quiet.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("1 differences recorded as deliberate"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&spec);
}

#[test]
fn sync_needs_a_folder() {
    let out = run(&["sync", "/nonexistent/zim-docs"]);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn errors_name_the_file_and_the_place() {
    let api = zim_codegen::check::load(&manifest_dir().join("../spec")).expect("spec loads");
    let broken = fixtures().join("broken");
    let mut loader = Loader::new();

    let bad_ref = broken.join("bad-ref.yaml");
    let err = import_file(&mut loader, &bad_ref, &api.service).expect_err("bad $ref");
    assert!(matches!(err.kind, ImportErrorKind::BadRef(_)), "{err}");
    assert!(err.place.starts_with("/paths/"), "{err}");
    assert!(err.to_string().contains("bad-ref.yaml"), "{err}");

    let no_action = broken.join("no-action.yaml");
    let err = import_file(&mut loader, &no_action, &api.service).expect_err("no Action");
    assert_eq!(err.kind, ImportErrorKind::MissingAction);
    assert_eq!(err.place, "/paths/~1/get");

    let missing = broken.join("not-there.yaml");
    let err = import_file(&mut loader, &missing, &api.service).expect_err("missing file");
    assert!(matches!(err.kind, ImportErrorKind::Read(_)), "{err}");
}

#[test]
fn recorded_differences_are_checked() {
    let service = text(&manifest_dir().join("../spec/service.yaml"));
    let action = "name: Frob\ncategory: widgets\nmethod: GET\npurpose: Frobs.\nqps: {limit: 1}\nretry_safe: true\nupstream:\n  - {path: nowhere, differs: limit, why: Because.}\n  - {path: request.X, differs: type, why: ''}\n  - {path: qps, differs: qps, why: Once.}\n  - {path: qps, differs: qps, why: Twice.}\n";
    let checked = zim_codegen::check::check_sources(&[
        ("service.yaml".into(), service),
        ("actions/widgets/Frob.yaml".into(), action.to_owned()),
    ]);
    let report = checked.diagnostics.to_string();
    assert!(
        report.contains("`nowhere` names no part of an action"),
        "{report}"
    );
    assert!(report.contains("needs its reason"), "{report}");
    assert!(report.contains("recorded twice"), "{report}");
}
