//! Generation cost, library level, on the performance workload and on the real spec.
//!
//! - `generate/<n>`: `check::load` + `generate::generate` (tokens, parse, prettyplease, file
//!   headers) of the workload converted to a spec, for 10, 100, 120 and 1,000 actions. The
//!   120-action workload is `../shared/bench/zim_like_120.yaml`; the others come from
//!   `../shared/bench/make_workload.py -n <n>` (same seed).
//! - `load/<n>`: the checker alone, to split the total.
//! - `expand/real_spec`: `check::load` + `generate::generate_tokens` of `spec/`, the work the
//!   `generate!` proc macro does before handing tokens to the compiler.
//!
//! Run: `cargo bench -p zim-codegen --bench generate`. The converted specs are written under
//! `target/bench-specs/`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zim_codegen::check::load;
use zim_codegen::expand::expand;
use zim_codegen::generate::{Settings, generate};

#[path = "../src/bin/zim-bench-workload/convert.rs"]
#[allow(dead_code)]
mod convert;

/// Action counts measured.
const COUNTS: [usize; 4] = [10, 100, 120, 1000];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The workload folder beside the repository.
fn bench_dir() -> PathBuf {
    workspace().join("../shared/bench")
}

/// A spec directory of `count` workload actions, converted afresh.
fn spec_for(count: usize) -> PathBuf {
    let out = workspace().join("target/bench-specs");
    std::fs::create_dir_all(&out).expect("target/bench-specs can be created");
    let workload = if count == 120 {
        bench_dir().join("zim_like_120.yaml")
    } else {
        let file = out.join(format!("workload-{count}.yaml"));
        let status = Command::new("python3")
            .arg(bench_dir().join("make_workload.py"))
            .args([
                "-n",
                &count.to_string(),
                "--openapi",
                "/dev/null",
                "--actions",
            ])
            .arg(&file)
            .status()
            .expect("python3 runs make_workload.py");
        assert!(status.success(), "make_workload.py -n {count} failed");
        file
    };
    let dir = out.join(format!("spec-{count}"));
    let written = convert::convert(&workload, &dir).expect("the workload converts");
    assert_eq!(written, count);
    dir
}

fn generation(c: &mut Criterion) {
    let settings = Settings::default();
    let specs: Vec<(usize, PathBuf)> = COUNTS.iter().map(|&n| (n, spec_for(n))).collect();

    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for (count, dir) in &specs {
        let api = load(dir).expect("the converted spec checks clean");
        let files = generate(&api, &settings).expect("the converted spec generates");
        let lines: usize = files.values().map(|text| text.lines().count()).sum();
        eprintln!(
            "spec-{count}: {} files, {lines} lines, {:.0} lines per action",
            files.len(),
            lines as f64 / *count as f64
        );
        group.throughput(Throughput::Elements(*count as u64));
        group.bench_with_input(BenchmarkId::from_parameter(count), dir, |b, dir| {
            b.iter(|| {
                let api = load(black_box(dir)).expect("checks clean");
                generate(&api, &settings).expect("generates")
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (count, dir) in &specs {
        group.throughput(Throughput::Elements(*count as u64));
        group.bench_with_input(BenchmarkId::from_parameter(count), dir, |b, dir| {
            b.iter(|| load(black_box(dir)).expect("checks clean"))
        });
    }
    group.finish();
}

fn expansion(c: &mut Criterion) {
    let spec = workspace().join("spec");
    let settings = Settings::default();
    expand(&spec, &settings).expect("the real spec expands");
    let mut group = c.benchmark_group("expand");
    group.sample_size(20);
    group.bench_function("real_spec", |b| {
        b.iter(|| expand(black_box(&spec), &settings).expect("expands"))
    });
    group.finish();
}

criterion_group!(benches, generation, expansion);
criterion_main!(benches);
