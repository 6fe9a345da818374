//! Typed, validated client for the ZIM (ZEGOCLOUD In-app Chat) server API.

// Generated code names the runtime `::zim_client::...`, also from inside this crate.
extern crate self as zim_client;

pub mod runtime;

pub use runtime::action::{
    Action, ActionMeta, HostKind, ItemFailure, Method, Paginated, PartialFailure, Qps, QpsScope,
};
pub use runtime::client::{BuildError, Client, ClientBuilder};
pub use runtime::codes::CodeInfo;
pub use runtime::error::{ApiError, Error};
pub use runtime::region::Region;
pub use runtime::retry::RetryPolicy;
pub use runtime::secret::ServerSecret;
pub use runtime::validate::{Rule, Validate, Validator, Violation, Violations};

/// Everything a caller needs in scope: the client, its settings and errors, and the
/// per-category extension traits that add one method per action to [`Client`].
pub mod prelude {
    pub use crate::{
        Action, ApiError, Client, ClientBuilder, Error, Paginated, PartialFailure, Region,
        RetryPolicy, ServerSecret, Validate,
    };
    // The generated extension traits (`UserActions`, ...) are re-exported below.
}
