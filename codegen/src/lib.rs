//! zim-codegen: checks the ZIM server API spec and generates the typed Rust client from it.
//!
//! Data flows one way: YAML files -> [`spec`] model -> checked [`spec::Api`] -> generated
//! Rust. The CLI, the proc macro and build scripts all enter through this library.

pub mod check;
pub mod diff;
pub mod expand;
pub mod generate;
pub mod import;
pub mod schema;
pub mod spec;
pub mod sync;
