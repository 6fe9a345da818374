//! `zim-codegen changelog`: dated entries from the semantic diff, prepended below the header.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use zim_codegen::diff::changelog::{DEFAULT_HEADER, run_changelog};
use zim_codegen::diff::{DiffError, load_and_diff};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff-fixtures")
}

/// A changelog path in a fresh temp dir; the dir is removed when dropped.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    fn new() -> TempFile {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "zim-diff-changelog-test-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let path = dir.join("CHANGELOG-API.md");
        TempFile { dir, path }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn entries_are_prepended_below_the_header() {
    let file = TempFile::new();
    // Created with the default header when missing.
    run_changelog(
        "service/old",
        "service/new",
        &fixtures(),
        &file.path,
        Some("2026-01-05"),
    )
    .expect("first entry");
    let first = std::fs::read_to_string(&file.path).expect("read");
    assert!(first.starts_with(DEFAULT_HEADER.trim_end()));

    run_changelog(
        "fields/old",
        "fields/new",
        &fixtures(),
        &file.path,
        Some("2026-02-10"),
    )
    .expect("second entry");
    let text = std::fs::read_to_string(&file.path).expect("read");
    let newer = text.find("## 2026-02-10").expect("newer entry");
    let older = text.find("## 2026-01-05").expect("older entry");
    assert!(text.starts_with(DEFAULT_HEADER.trim_end()));
    assert!(newer < older, "newest first");
    insta::assert_snapshot!("changelog_two_entries", text);
}

#[test]
fn an_existing_header_is_kept() {
    let file = TempFile::new();
    let header = "# Our API log\n\nHand-written intro that must stay.\n";
    std::fs::write(
        &file.path,
        format!("{header}\n## 2025-12-01\n\nOlder entry.\n"),
    )
    .expect("write");
    run_changelog(
        "actions/old",
        "actions/new",
        &fixtures(),
        &file.path,
        Some("2026-03-01"),
    )
    .expect("entry");
    let text = std::fs::read_to_string(&file.path).expect("read");
    assert!(
        text.starts_with(&format!("{header}\n## 2026-03-01\n")),
        "{text}"
    );
    assert!(text.ends_with("## 2025-12-01\n\nOlder entry.\n"), "{text}");
    assert!(
        text.contains("- **BREAKING** `DeleteUser`: **action removed**"),
        "{text}"
    );
}

#[test]
fn no_changes_still_make_an_entry() {
    let file = TempFile::new();
    run_changelog(
        "fields/old",
        "fields/old",
        &fixtures(),
        &file.path,
        Some("2026-04-01"),
    )
    .expect("entry");
    let text = std::fs::read_to_string(&file.path).expect("read");
    assert!(
        text.contains("## 2026-04-01\n\nNo API changes between `fields/old` and `fields/old`.\n")
    );
}

#[test]
fn bad_dates_are_refused_before_anything_is_written() {
    let file = TempFile::new();
    let err = run_changelog(
        "fields/old",
        "fields/new",
        &fixtures(),
        &file.path,
        Some("2026-2-30"),
    )
    .expect_err("bad date");
    assert!(matches!(err, DiffError::BadDate(_)));
    assert!(!file.path.exists());
}

#[test]
fn the_default_date_is_today() {
    let file = TempFile::new();
    let report =
        run_changelog("fields/old", "fields/new", &fixtures(), &file.path, None).expect("entry");
    assert_eq!(
        report,
        load_and_diff("fields/old", "fields/new", &fixtures()).expect("diff")
    );
    let text = std::fs::read_to_string(&file.path).expect("read");
    let date = text
        .lines()
        .find_map(|line| line.strip_prefix("## "))
        .expect("an entry");
    assert!(
        zim_codegen::diff::changelog::check_date(date).is_ok(),
        "{date}"
    );
    assert!(date >= "2025-01-01", "{date}");
}
