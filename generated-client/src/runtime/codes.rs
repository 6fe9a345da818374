//! Return codes: what a code means and what to do about it.

/// Documentation of one return code, generated from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeInfo {
    pub code: i64,
    /// Rust name of the code (`ServerBusy`).
    pub name: &'static str,
    pub meaning: &'static str,
    pub fix: &'static str,
    /// The client retries calls that end with this code.
    pub retry: bool,
}
