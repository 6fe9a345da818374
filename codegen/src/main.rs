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
    /// Writes the JSON Schema of the spec format (default `spec/schema.json`).
    Schema {
        #[arg(long, default_value = "spec/schema.json")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
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
