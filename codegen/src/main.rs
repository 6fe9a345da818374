//! The `zim-codegen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "zim-codegen",
    version,
    about = "Checks the ZIM API spec and generates its Rust client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Checks the spec and prints every problem found, like a compiler.
    Check {
        /// The spec directory (holding `service.yaml` and `actions/`).
        #[arg(default_value = "spec")]
        spec_dir: PathBuf,
    },
    /// Compares two specs and reports what changed for users of the client.
    ///
    /// OLD and NEW are each a spec directory (an existing path) or a git revision of the
    /// current repository (`HEAD`, `HEAD~1`, `main`), whose `spec/` is read; `REV:DIR` reads
    /// another directory of the revision. Exit codes: 0 done, 1 error, 2 a change breaks
    /// (with `--fail-on-breaking`), 64 usage error.
    Diff {
        /// The old spec: a directory or a git revision.
        old: String,
        /// The new spec: a directory or a git revision.
        new: String,
        /// Markdown for a pull request, or JSON for tools.
        #[arg(long, value_enum, default_value = "markdown")]
        format: DiffFormat,
        /// Exit with code 2 when any change breaks code written against the old client.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Prepends a dated entry for OLD -> NEW (as for `diff`) to the API changelog.
    Changelog {
        /// The old spec: a directory or a git revision.
        old: String,
        /// The new spec: a directory or a git revision.
        new: String,
        /// The changelog; created with a header when missing.
        #[arg(long, default_value = "CHANGELOG-API.md")]
        file: PathBuf,
        /// Date of the entry, YYYY-MM-DD; today (UTC) when not given.
        #[arg(long)]
        date: Option<String>,
    },
    /// Checks the spec and writes the generated client, reporting each file added, changed,
    /// removed or unchanged.
    Generate {
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The folder of generated code (files it did not generate are left alone).
        #[arg(long, default_value = "generated-client/src/generated")]
        out: PathBuf,
        /// Write nothing; print a diff and fail when the folder is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Prints the table of actions by category (method, QPS, pagination) that the README
    /// holds; with `--update FILE`, rewrites it between the file's marker lines instead.
    ActionsTable {
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// A Markdown file whose table to rewrite (`README.md`).
        #[arg(long)]
        update: Option<PathBuf>,
    },
    /// Writes spec files from ZEGO's published OpenAPI files (files, or folders of them),
    /// printing what needs a person as warnings. An action the spec already has is
    /// updated: its names, docs and paging are kept. Exit codes: 0 done, 1 error, 64 usage.
    Import {
        /// Published action files, or folders holding category folders of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The spec directory whose `service.yaml` resolves shared facts.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Where to write `actions/<category>/<Action>.yaml`; the spec directory by default.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Do not reuse anything from the spec's existing actions.
        #[arg(long)]
        fresh: bool,
    },
    /// Reports drift between the spec and a folder of ZEGO's published OpenAPI files.
    /// Exit codes: 0 no unexplained drift, 2 unexplained drift, 1 error, 64 usage error.
    Sync {
        /// The published folder (holding `shared-components.yaml` and category folders).
        docs_dir: PathBuf,
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Markdown for people, or JSON for tools (the forms of `diff`).
        #[arg(long, value_enum, default_value = "markdown")]
        format: DiffFormat,
    },
    /// Writes the JSON Schema of the spec format (default `spec/schema.json`).
    Schema {
        #[arg(long, default_value = "spec/schema.json")]
        out: PathBuf,
    },
}

/// Output formats of `diff`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

/// Exit code of usage errors, kept apart from `diff --fail-on-breaking`'s 2.
const EXIT_USAGE: u8 = 64;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Diff {
            old,
            new,
            format,
            fail_on_breaking,
        } => run_diff(old, new, format, fail_on_breaking),
        Command::Changelog {
            old,
            new,
            file,
            date,
        } => run_changelog(&old, &new, &file, date.as_deref()),
        Command::Check { spec_dir } => run_check(&spec_dir),
        Command::Import {
            files,
            spec,
            out,
            fresh,
        } => run_import(&files, &spec, out.as_deref(), fresh),
        Command::Sync {
            docs_dir,
            spec,
            format,
        } => run_sync(&docs_dir, &spec, format),
        Command::Generate { spec, out, check } => {
            ExitCode::from(zim_codegen::generate::output::run(&spec, &out, check))
        }
        Command::ActionsTable { spec, update } => run_actions_table(&spec, update.as_deref()),
        Command::Schema { out } => {
            match std::fs::write(&out, zim_codegen::schema::spec_schema_json()) {
                Ok(()) => {
                    println!("wrote {}", out.display());
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("error: cannot write {}: {err}", out.display());
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `zim-codegen check`: diagnostics to stderr, a summary line, exit 1 on errors.
fn run_check(spec_dir: &std::path::Path) -> ExitCode {
    let checked = zim_codegen::check::check_dir(spec_dir);
    let diagnostics = &checked.diagnostics;
    if !diagnostics.is_empty() {
        // One write: stderr is unbuffered, and thousands of diagnostics made many small ones.
        let text = diagnostics.to_string();
        eprintln!("{text}");
    }
    match &checked.api {
        Some(api) if !diagnostics.has_errors() => {
            let warnings = if diagnostics.is_empty() {
                String::new()
            } else {
                format!(" ({})", diagnostics.summary())
            };
            let count = api.actions.len();
            let noun = if count == 1 { "action" } else { "actions" };
            eprintln!("spec ok: {count} {noun}{warnings}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: spec check failed: {}", diagnostics.summary());
            ExitCode::FAILURE
        }
    }
}

/// `zim-codegen actions-table`: the table to stdout, or into `update` between its markers.
fn run_actions_table(spec: &std::path::Path, update: Option<&std::path::Path>) -> ExitCode {
    use zim_codegen::generate::table;
    let api = match zim_codegen::check::load(spec) {
        Ok(api) => api,
        Err(diagnostics) => {
            // One write: stderr is unbuffered, and thousands of diagnostics made many small ones.
            let text = diagnostics.to_string();
            eprintln!("{text}");
            return ExitCode::FAILURE;
        }
    };
    let rendered = table::actions_table(&api);
    let Some(path) = update else {
        print!("{rendered}");
        return ExitCode::SUCCESS;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let Some(updated) = table::replace_block(&text, &rendered) else {
        eprintln!(
            "error: {} has no table markers; put these two lines where the table goes:\n{}\n{}",
            path.display(),
            table::BEGIN,
            table::END
        );
        return ExitCode::FAILURE;
    };
    if updated == text {
        eprintln!("{} is up to date", path.display());
        return ExitCode::SUCCESS;
    }
    match std::fs::write(path, updated) {
        Ok(()) => {
            eprintln!("updated the table of actions in {}", path.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// `zim-codegen import`: writes the files, warnings to stderr, then checks what it wrote.
fn run_import(
    inputs: &[PathBuf],
    spec_dir: &std::path::Path,
    out: Option<&std::path::Path>,
    fresh: bool,
) -> ExitCode {
    let out = out.unwrap_or(spec_dir);
    let spec = match zim_codegen::check::load(spec_dir) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!(
                "error: the spec at {} does not pass the check",
                spec_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            match zim_codegen::import::action_files(input) {
                Ok(found) => files.extend(found),
                Err(err) => {
                    eprintln!("error: {err}");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            files.push(input.clone());
        }
    }
    let written = match zim_codegen::sync::import_all(&files, &spec, !fresh) {
        Ok(written) => written,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let service = spec_dir.join("service.yaml");
    let mut sources = match std::fs::read_to_string(&service) {
        Ok(text) => vec![(PathBuf::from("service.yaml"), text)],
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", service.display());
            return ExitCode::FAILURE;
        }
    };
    let mut warnings = 0;
    for (path, text, notes) in &written {
        let target = out.join(path);
        if let Some(parent) = target.parent()
            && let Err(err) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: cannot create {}: {err}", parent.display());
            return ExitCode::FAILURE;
        }
        if let Err(err) = std::fs::write(&target, text) {
            eprintln!("error: cannot write {}: {err}", target.display());
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {}", target.display());
        for note in notes {
            eprintln!("warning: {}: {note}", target.display());
        }
        warnings += notes.len();
        sources.push((path.clone(), text.clone()));
    }
    // The written actions must pass the checker beside the service file.
    match zim_codegen::check::load_from_sources(&sources) {
        Ok(_) => {
            eprintln!(
                "imported {} actions from {} files ({warnings} warnings); they pass the check",
                written.len(),
                files.len()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("error: the imported actions do not pass the check");
            ExitCode::FAILURE
        }
    }
}

/// `zim-codegen sync`: the drift report to stdout.
fn run_sync(docs_dir: &std::path::Path, spec: &std::path::Path, format: DiffFormat) -> ExitCode {
    if !docs_dir.is_dir() {
        eprintln!("error: {} is not a folder", docs_dir.display());
        return ExitCode::from(EXIT_USAGE);
    }
    let format = match format {
        DiffFormat::Markdown => zim_codegen::diff::Format::Markdown,
        DiffFormat::Json => zim_codegen::diff::Format::Json,
    };
    match zim_codegen::sync::run_sync(spec, docs_dir) {
        Ok(outcome) => {
            print!("{}", outcome.render(format));
            ExitCode::from(outcome.exit_code())
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `zim-codegen diff`: the report to stdout.
fn run_diff(old: String, new: String, format: DiffFormat, fail_on_breaking: bool) -> ExitCode {
    use zim_codegen::diff::{DiffOptions, Format, run_diff};
    let options = DiffOptions {
        old,
        new,
        format: match format {
            DiffFormat::Markdown => Format::Markdown,
            DiffFormat::Json => Format::Json,
        },
        fail_on_breaking,
        workdir: PathBuf::from("."),
    };
    match run_diff(&options) {
        Ok(outcome) => {
            print!("{}", outcome.rendered);
            ExitCode::from(outcome.exit_code())
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `zim-codegen changelog`: prepends the entry and says so.
fn run_changelog(old: &str, new: &str, file: &std::path::Path, date: Option<&str>) -> ExitCode {
    match zim_codegen::diff::changelog::run_changelog(
        old,
        new,
        std::path::Path::new("."),
        file,
        date,
    ) {
        Ok(report) => {
            let summary = report.summary();
            eprintln!(
                "wrote an entry to {}: {} changes, {} breaking",
                file.display(),
                summary.total,
                summary.breaking
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
