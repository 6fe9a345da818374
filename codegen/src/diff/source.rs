//! Where a side of a diff comes from: a directory, or a git revision of the repository.
//!
//! The rule for an argument `ARG`:
//! - if `ARG` names an existing path (relative to the working directory), it is a spec
//!   directory; a directory without `service.yaml` that holds `spec/service.yaml` (a
//!   repository root) stands for its `spec/`;
//! - otherwise `ARG` is a git revision of the repository around the working directory
//!   (`HEAD`, `HEAD~1`, `main`, a tag or a commit id), and the spec is its `spec/` directory;
//!   `REV:PATH` reads the directory `PATH` (relative to the repository root) instead.
//!
//! A revision's files are read with `git ls-tree` and `git cat-file` into a temporary
//! directory, which is loaded like any other and removed afterwards.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use super::DiffError;
use crate::spec::Api;

/// Which side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Old => "old",
            Side::New => "new",
        })
    }
}

/// The spec directory inside a repository when a revision names none.
pub const DEFAULT_SPEC_PATH: &str = "spec";

/// A resolved argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecSource {
    Directory(PathBuf),
    Revision { rev: String, path: String },
}

/// Applies the rule of this module to one argument.
pub fn resolve(arg: &str, workdir: &Path) -> SpecSource {
    let candidate = workdir.join(arg);
    if candidate.exists() {
        if !candidate.join("service.yaml").exists()
            && candidate
                .join(DEFAULT_SPEC_PATH)
                .join("service.yaml")
                .exists()
        {
            return SpecSource::Directory(candidate.join(DEFAULT_SPEC_PATH));
        }
        return SpecSource::Directory(candidate);
    }
    match arg.split_once(':') {
        Some((rev, path)) if !path.trim_start_matches("./").trim_matches('/').is_empty() => {
            SpecSource::Revision {
                rev: rev.to_owned(),
                path: path.trim_start_matches("./").trim_matches('/').to_owned(),
            }
        }
        _ => SpecSource::Revision {
            rev: arg.trim_end_matches(':').to_owned(),
            path: DEFAULT_SPEC_PATH.to_owned(),
        },
    }
}

/// A loaded side and how reports name it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub api: Api,
    /// The argument as given; for a revision, followed by its short commit id
    /// (`HEAD~1 (3f2a9c1d0b)`), so a report still says what was compared once `HEAD` moves.
    pub label: String,
}

/// Resolves `arg` and loads the spec it names through the checker.
pub fn load(arg: &str, side: Side, workdir: &Path) -> Result<Loaded, DiffError> {
    match resolve(arg, workdir) {
        SpecSource::Directory(dir) => Ok(Loaded {
            api: load_dir(&dir, side)?,
            label: arg.to_owned(),
        }),
        SpecSource::Revision { rev, path } => {
            let tree = extract_revision(&rev, &path, workdir)
                .map_err(|message| DiffError::Source { side, message })?;
            let short: String = tree.commit.chars().take(10).collect();
            Ok(Loaded {
                api: load_dir(&tree.root, side)?,
                label: format!("{arg} ({short})"),
            })
        }
    }
}

/// Loads a spec directory through the checker; a failing check names the side.
pub fn load_dir(dir: &Path, side: Side) -> Result<Api, DiffError> {
    if !dir.is_dir() {
        return Err(DiffError::Source {
            side,
            message: format!("`{}` is not a directory", dir.display()),
        });
    }
    crate::check::load(dir).map_err(|diagnostics| DiffError::Check {
        side,
        diagnostics: diagnostics.to_string(),
    })
}

/// A temporary directory, removed when dropped.
pub struct TempTree {
    /// The directory that is removed.
    pub path: PathBuf,
    /// The spec directory inside it.
    pub root: PathBuf,
    /// The commit the files came from, when they came from git.
    pub commit: String,
}

impl TempTree {
    /// A fresh empty directory under the system temp dir.
    pub fn new(prefix: &str) -> std::io::Result<TempTree> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("{prefix}-{}-{nanos}-{n}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(TempTree {
            root: path.clone(),
            path,
            commit: String::new(),
        })
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn git(workdir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(workdir)
        .args(args)
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        ));
    }
    Ok(output.stdout)
}

/// Writes the files under `path` at revision `rev` into a temporary directory.
pub fn extract_revision(rev: &str, path: &str, workdir: &Path) -> Result<TempTree, String> {
    let commit = git(
        workdir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        format!(
            "`{rev}` is neither an existing directory (relative to {}) nor a git revision",
            workdir.display()
        )
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();

    let listing = git(
        workdir,
        &["ls-tree", "-r", "-z", "--full-tree", &commit, "--", path],
    )?;
    let prefix = format!("{path}/");
    let mut blobs: Vec<(String, PathBuf)> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        // `<mode> <type> <object>\t<path>`
        let Some((meta, file)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(_mode), Some(kind), Some(object)) = (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        let Some(relative) = file.strip_prefix(&prefix) else {
            continue;
        };
        if kind != "blob" || relative.split('/').any(|part| part == "..") {
            continue;
        }
        blobs.push((object.to_owned(), PathBuf::from(relative)));
    }
    if blobs.is_empty() {
        return Err(format!("revision `{rev}` has no files under `{path}/`"));
    }

    let contents = cat_blobs(workdir, blobs.iter().map(|(object, _)| object.as_str()))?;
    let mut tree = TempTree::new("zim-codegen-diff").map_err(|err| err.to_string())?;
    // The checker names files under the directory's last component: make it the revision.
    let shown: String = rev
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._~^-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let root = tree.path.join(shown);
    for ((_, relative), content) in blobs.iter().zip(contents) {
        let target = root.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|err| err.to_string())?;
        }
        std::fs::write(&target, content).map_err(|err| err.to_string())?;
    }
    tree.root = root;
    tree.commit = commit;
    Ok(tree)
}

/// Reads blobs with one `git cat-file --batch`.
fn cat_blobs<'a>(
    workdir: &Path,
    objects: impl Iterator<Item = &'a str>,
) -> Result<Vec<Vec<u8>>, String> {
    let request: String = objects.map(|o| format!("{o}\n")).collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(workdir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| format!("cannot run git: {err}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file has no stdin")?;
    // Written from another thread so a full stdout pipe cannot stall us.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .ok_or("git cat-file has no stdout")?
        .read_to_end(&mut out)
        .map_err(|err| err.to_string())?;
    let _ = writer.join();
    let status = child.wait().map_err(|err| err.to_string())?;
    if !status.success() {
        return Err("`git cat-file --batch` failed".into());
    }

    let mut blobs = Vec::new();
    let mut rest = out.as_slice();
    while !rest.is_empty() {
        let header_end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("truncated output of git cat-file")?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("unexpected output of git cat-file: {header}"))?;
        let start = header_end + 1;
        let end = start + size;
        if rest.len() < end {
            return Err("truncated output of git cat-file".into());
        }
        blobs.push(rest[start..end].to_vec());
        // Each blob is followed by a newline.
        rest = rest.get(end + 1..).unwrap_or(&[]);
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_resolve_by_the_documented_rule() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        // An existing path is a directory.
        assert_eq!(
            resolve("src", here),
            SpecSource::Directory(here.join("src"))
        );
        // Anything else is a revision whose `spec/` is read.
        assert_eq!(
            resolve("HEAD~1", here),
            SpecSource::Revision {
                rev: "HEAD~1".into(),
                path: "spec".into()
            }
        );
        // `REV:DIR` picks the directory.
        assert_eq!(
            resolve("main:./api/spec/", here),
            SpecSource::Revision {
                rev: "main".into(),
                path: "api/spec".into()
            }
        );
        assert_eq!(
            resolve("main:", here),
            SpecSource::Revision {
                rev: "main".into(),
                path: "spec".into()
            }
        );
        // A repository root stands for its `spec/`.
        let root = here.join("..");
        assert_eq!(
            resolve(".", &root),
            SpecSource::Directory(root.join(".").join("spec"))
        );
    }
}
