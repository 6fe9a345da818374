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
