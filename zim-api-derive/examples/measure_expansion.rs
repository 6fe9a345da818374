//! Times the work `generate!` does at expansion (`zim_codegen::expand::expand`: read and check
//! the spec, generate the tokens), for the whole spec and for one action, in this process.
//!
//! `cargo run -p zim-api-derive --example measure_expansion [--release] -- [SPEC_DIR] [RUNS]
//! [EMIT_DIR]` (defaults: the workspace's `spec/`, 30 runs). Prints the minimum and the median
//! of each step. With `EMIT_DIR`, also writes the formatted expansions there (`all.rs`,
//! `one.rs`) for comparing `cargo check` with and without the macro. The action of the
//! one-action case is `QueryGroupsInfoOfUser` (or `ZIM_MEASURE_ACTION`).
//! `scripts/measure-expansion` runs it in both profiles and times `cargo check` too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use zim_codegen::expand::{Settings, expand};

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Minimum and median of `runs` timings of `work`; `None` when `work` fails.
fn time(runs: usize, mut work: impl FnMut() -> bool) -> Option<(Duration, Duration)> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        if !work() {
            return None;
        }
        times.push(start.elapsed());
    }
    times.sort();
    Some((*times.first()?, times[times.len() / 2]))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let spec = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"));
    let runs: usize = args
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30)
        .max(1);
    let emit = args.next().map(PathBuf::from);
    let profile = if cfg!(debug_assertions) {
        "dev (unoptimized)"
    } else {
        "release"
    };

    let api = match zim_codegen::check::load(&spec) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    let one =
        std::env::var("ZIM_MEASURE_ACTION").unwrap_or_else(|_| "QueryGroupsInfoOfUser".into());
    println!(
        "spec {} ({} actions, {} files), {profile} build, {runs} runs; min / median",
        spec.display(),
        api.actions.len(),
        api.sources.len()
    );

    let cases = [
        ("all actions".to_owned(), Settings::default()),
        (
            format!("one action ({one})"),
            Settings {
                actions: Some(vec![one.clone()]),
                ..Settings::default()
            },
        ),
    ];
    let load = time(runs, || zim_codegen::check::load(&spec).is_ok());
    if let Some((min, median)) = load {
        println!(
            "  {:<52} {:>10} / {:>10}",
            "check::load alone",
            millis(min),
            millis(median)
        );
    }
    for ((label, settings), file) in cases.iter().zip(["all.rs", "one.rs"]) {
        let tokens = time(runs, || {
            zim_codegen::generate::generate_tokens(&api, settings).is_ok()
        });
        // What the macro does.
        let whole = time(runs, || {
            expand(&spec, settings)
                .map(|e| e.into_macro_output())
                .is_ok()
        });
        let (Some(tokens), Some(whole)) = (tokens, whole) else {
            eprintln!("error: generation failed for {label}");
            return ExitCode::FAILURE;
        };
        let Ok(expansion) = expand(&spec, settings) else {
            return ExitCode::FAILURE;
        };
        let size = expansion.clone().into_macro_output().to_string().len();
        if let Some(dir) = &emit {
            let written = expansion
                .to_file()
                .map_err(|e| e.to_string())
                .and_then(|text| std::fs::write(dir.join(file), text).map_err(|e| e.to_string()));
            if let Err(err) = written {
                eprintln!("error: cannot write {}: {err}", dir.join(file).display());
                return ExitCode::FAILURE;
            }
        }
        println!(
            "  {:<52} {:>10} / {:>10}",
            format!("{label}: generate_tokens"),
            millis(tokens.0),
            millis(tokens.1)
        );
        println!(
            "  {:<52} {:>10} / {:>10}   ({} KiB of tokens)",
            format!("{label}: expand (load + generate)"),
            millis(whole.0),
            millis(whole.1),
            size / 1024
        );
    }
    ExitCode::SUCCESS
}
