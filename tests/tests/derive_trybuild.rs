//! Compile tests of `zim_api_derive::generate!` in crates of their own (trybuild), run once:
//! pass cases under `trybuild/pass/` (the whole spec; one action called against a local
//! server) and one compile-fail case per class of error under `trybuild/fail/`, each with its
//! pinned `.stderr`. Refresh the pins with `TRYBUILD=overwrite`.
//!
//! trybuild builds the cases in `<target>/tests/trybuild/zim-tests/`, which is the crate
//! directory the macro resolves `spec = "..."` against; the cases reach the workspace with
//! `../../../../`, so the target directory must be the workspace's `target/`.

use std::path::Path;

#[test]
fn generate_macro_compiles_and_fails_as_pinned() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace");
    // <target>/debug/deps/derive_trybuild-<hash>
    let exe = std::env::current_exe().expect("the test binary's path");
    let target = exe.ancestors().nth(3).expect("a target directory");
    assert_eq!(
        target.canonicalize().ok(),
        workspace.join("target").canonicalize().ok(),
        "the trybuild cases expect the default target directory (unset CARGO_TARGET_DIR)"
    );

    let cases = trybuild::TestCases::new();
    cases.pass("trybuild/pass/*.rs");
    cases.compile_fail("trybuild/fail/*.rs");
}
