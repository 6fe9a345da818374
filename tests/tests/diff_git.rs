//! The semantic diff between git revisions of a temporary repository.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use zim_codegen::diff::{DiffError, Format, Side, load_and_diff};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff-fixtures")
}

/// A scratch repository under the system temp dir, removed when dropped.
struct Repo {
    dir: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "zim-diff-git-test-{}-{nanos}-{n}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("create the repository dir");
        let repo = Repo { dir };
        repo.git(&["init", "--quiet"]);
        repo.git(&["config", "user.name", "Spec Author"]);
        repo.git(&["config", "user.email", "spec-author@example.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            .output()
            .expect("run git");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn rev_parse(&self, rev: &str) -> String {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(["rev-parse", rev])
            .output()
            .expect("run git");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Replaces `spec/` with a copy of `from` and commits it.
    fn commit_spec(&self, from: &Path, message: &str) {
        let spec = self.dir.join("spec");
        if spec.exists() {
            std::fs::remove_dir_all(&spec).expect("remove the old spec");
        }
        copy_tree(from, &spec);
        self.git(&["add", "--all", "spec"]);
        self.git(&["commit", "--quiet", "-m", message]);
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

#[test]
fn revisions_diff_like_directories() {
    let repo = Repo::new();
    repo.commit_spec(&fixtures().join("fields/old"), "first spec");
    repo.commit_spec(&fixtures().join("fields/new"), "second spec");

    let by_revision = load_and_diff("HEAD~1", "HEAD", &repo.dir).expect("diff revisions");
    let by_directory = load_and_diff("fields/old", "fields/new", &fixtures()).expect("diff dirs");
    assert!(!by_revision.changes.is_empty());
    assert_eq!(by_revision.changes, by_directory.changes);
    // Revisions are labelled with their commit, which outlives `HEAD`.
    let first = repo.rev_parse("HEAD~1");
    let second = repo.rev_parse("HEAD");
    let (first, second) = (&first[..10], &second[..10]);
    assert_eq!(by_revision.old_label, format!("HEAD~1 ({first})"));
    assert_eq!(by_revision.new_label, format!("HEAD ({second})"));
    let heading = format!("# API changes: `HEAD~1 ({first})` → `HEAD ({second})`");
    assert!(Format::Markdown.render(&by_revision).starts_with(&heading));

    // `REV:DIR` names the directory explicitly; an existing path is a directory.
    let explicit = load_and_diff("HEAD~1:spec", "spec", &repo.dir).expect("diff REV:DIR");
    assert_eq!(explicit.changes, by_directory.changes);

    // A repository root stands for its `spec/`.
    let root = load_and_diff("HEAD", ".", &repo.dir).expect("diff against the root");
    assert!(root.changes.is_empty());
}

#[test]
fn unknown_revisions_and_missing_spec_dirs_are_errors() {
    let repo = Repo::new();
    repo.commit_spec(&fixtures().join("fields/old"), "first spec");

    let err = load_and_diff("no-such-branch", "HEAD", &repo.dir).expect_err("unknown revision");
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
    assert!(err.to_string().contains("no-such-branch"), "{err}");

    let err = load_and_diff("HEAD", "HEAD:elsewhere", &repo.dir).expect_err("no such dir");
    assert!(
        matches!(
            err,
            DiffError::Source {
                side: Side::New,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_revision_failing_the_check_shows_diagnostics_under_its_name() {
    let repo = Repo::new();
    repo.commit_spec(&fixtures().join("actions/old"), "good spec");
    repo.commit_spec(&fixtures().join("broken/new"), "broken spec");

    let err = load_and_diff("HEAD~1", "HEAD", &repo.dir).expect_err("broken side");
    let DiffError::Check { side, diagnostics } = &err else {
        panic!("unexpected error: {err}");
    };
    assert_eq!(*side, Side::New);
    assert!(
        diagnostics.contains("HEAD/actions/user/QueryUser.yaml"),
        "{diagnostics}"
    );
}
