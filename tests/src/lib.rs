//! Workspace-level tests live in `tests/tests/`.
//!
//! The library holds one thing: the client generated from the test spec
//! `tests/codegen-spec/` (every type and rule of the format), checked in under
//! `src/codegen_spec_generated/` by `cargo run -p zim-codegen -- generate --spec
//! tests/codegen-spec --out tests/src/codegen_spec_generated`. Compiling it here, with warnings
//! denied and under the workspace's clippy run, proves the generator's output builds cleanly;
//! `tests/codegen_snapshots.rs` checks that it is up to date.

#![deny(warnings)]

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "codegen_spec_generated/mod.rs"]
pub mod codegen_spec_generated;

/// Clients generated from specs the checker accepts although they are odd or hostile: the
/// cases of `tests/accepted-specs/` (code fences and indented blocks in every kind of spec
/// text, types nested as deep as allowed, keywords and near-collisions as names) and the
/// fixtures of `tests/broken-specs/` that only warn. The checker promises that whatever it
/// accepts compiles, warnings denied, and holds no doctest: every code block in their docs would
/// fail to compile if rustdoc ran it (`cargo test --doc -p zim-tests`). `codegen_check.rs`
/// keeps the list complete and each client current.
pub mod accepted_generated {
    #[rustfmt::skip]
    #[path = "hostile_text/mod.rs"]
    pub mod hostile_text;
    #[rustfmt::skip]
    #[path = "odd_names/mod.rs"]
    pub mod odd_names;
    #[rustfmt::skip]
    #[path = "w0001_required_with_default/mod.rs"]
    pub mod w0001_required_with_default;
}
