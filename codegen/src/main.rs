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
    /// Writes the JSON Schema of the spec format (default `spec/schema.json`).
    Schema {
        #[arg(long, default_value = "spec/schema.json")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { spec_dir } => run_check(&spec_dir),
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
        eprintln!("{diagnostics}");
    }
    match &checked.api {
        Some(api) if !diagnostics.has_errors() => {
            let warnings = if diagnostics.is_empty() {
                String::new()
            } else {
                format!(" ({})", diagnostics.summary())
            };
            eprintln!("spec ok: {} actions{warnings}", api.actions.len());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: spec check failed: {}", diagnostics.summary());
            ExitCode::FAILURE
        }
    }
}
