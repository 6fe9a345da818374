//! Typed, validated client for the ZIM (ZEGOCLOUD In-app Chat) server API.

pub mod runtime;

pub use runtime::action::{Action, ActionMeta, HostKind, Method, Qps, QpsScope};
pub use runtime::codes::CodeInfo;
pub use runtime::validate::{Rule, Validate, Validator, Violation, Violations};
