//! `zim-bench-workload WORKLOAD.yaml SPEC_DIR`: converts the performance workload into a spec
//! directory and checks it with the same checker `zim-codegen check` runs.
//!
//! Make a workload with `python3 ../shared/bench/make_workload.py -n 1000 --actions w.yaml
//! --openapi /dev/null`, then `zim-bench-workload w.yaml target/bench/spec-1000`.

use std::path::PathBuf;
use std::process::ExitCode;

mod convert;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, dir] = args.as_slice() else {
        eprintln!("usage: zim-bench-workload WORKLOAD.yaml SPEC_DIR");
        return ExitCode::from(64);
    };
    let dir = PathBuf::from(dir);
    let count = match convert::convert(&PathBuf::from(input), &dir) {
        Ok(count) => count,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let checked = zim_codegen::check::check_dir(&dir);
    match checked.api {
        Some(api) if checked.diagnostics.is_empty() => {
            eprintln!(
                "wrote {} ({count} actions in {} files), checked clean",
                dir.display(),
                api.sources.len()
            );
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{}", checked.diagnostics);
            eprintln!("error: the converted spec does not check clean");
            ExitCode::FAILURE
        }
    }
}
