//! Typed, validated client for the ZIM (ZEGOCLOUD In-app Chat) server API.
//!
//! Every action of the API has a request type, a response type and a method on [`Client`],
//! generated from the spec in `spec/`; the hand-written [`runtime`] signs, sends, retries,
//! rate-limits, pages and decodes for all of them.
//!
//! # Quick start
//!
//! Build a client once and call actions through the methods the [`prelude`] brings in:
//!
//! ```no_run
//! use zim_client::generated::user::QueryGroupsInfoOfUserRequest;
//! use zim_client::prelude::*;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(1234567890, "server-secret-from-the-console")
//!     .region(Region::Frankfurt)
//!     .build()?;
//!
//! let request = QueryGroupsInfoOfUserRequest::new("user-1", 50);
//! let page = client.query_groups_info_of_user(&request).await?;
//! println!("user-1 is in {} groups", page.has_join_group_num);
//! # Ok(())
//! # }
//! ```
//!
//! Page through every result as a stream of items (or of pages with [`Client::pages`]); the
//! stream follows the action's cursor and ends after the last page:
//!
//! ```no_run
//! # use zim_client::generated::user::QueryGroupsInfoOfUserRequest;
//! # use zim_client::prelude::*;
//! use futures_util::StreamExt as _;
//!
//! # async fn run(client: Client) -> Result<(), zim_client::Error> {
//! let mut groups = std::pin::pin!(client.items(QueryGroupsInfoOfUserRequest::new("user-1", 100)));
//! while let Some(group) = groups.next().await {
//!     println!("{}", group?.group_name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every call fails with one [`Error`]; match an API error by its return code, as a number
//! or as the action's code enum:
//!
//! ```no_run
//! # use zim_client::generated::user::{QueryGroupsInfoOfUserCode, QueryGroupsInfoOfUserRequest};
//! # use zim_client::prelude::*;
//! # async fn run(client: Client) {
//! let request = QueryGroupsInfoOfUserRequest::new("user-1", 50);
//! match client.query_groups_info_of_user(&request).await {
//!     Ok(page) => println!("{} groups", page.group_info_list.len()),
//!     Err(Error::Api(err))
//!         if QueryGroupsInfoOfUserCode::from(err.code)
//!             == QueryGroupsInfoOfUserCode::OperatorNotRegistered =>
//!     {
//!         println!("register user-1 first (request {})", err.request_id)
//!     }
//!     Err(Error::Api(err)) if err.code == 660300005 => println!("still rate limited: {err}"),
//!     Err(err) => println!("{err}"),
//! }
//! # }
//! ```
//!
//! Requests are checked against the spec's limits before they are sent, and every broken rule
//! is reported at once; nothing goes over the network:
//!
//! ```
//! # use zim_client::generated::user::QueryGroupsInfoOfUserRequest;
//! # use zim_client::prelude::*;
//! # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! # runtime.block_on(async {
//! let client = Client::builder(1234567890, "secret").build().unwrap();
//! let request = QueryGroupsInfoOfUserRequest::new("a-user-id-longer-than-thirty-two-chars", 0);
//! match client.query_groups_info_of_user(&request).await {
//!     Err(Error::InvalidRequest { violations, .. }) => {
//!         assert_eq!(violations.len(), 2);
//!         assert_eq!(violations.iter().next().unwrap().path, "FromUserId");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! # });
//! ```
//!
//! Turn validation off to send requests exactly as built (the server then judges them), and
//! tune the rest of the behaviour on the builder:
//!
//! ```
//! use std::time::Duration;
//! use zim_client::prelude::*;
//!
//! let client = Client::builder(1234567890, "secret")
//!     .validation(false)
//!     .base_url("http://127.0.0.1:8080") // a test server or proxy
//!     .timeout(Duration::from_secs(5))
//!     .connect_timeout(Duration::from_secs(2))
//!     .retry_policy(RetryPolicy::default().with_max_attempts(3))
//!     .rate_limiting(false)
//!     .build()?;
//! # Ok::<(), zim_client::BuildError>(())
//! ```
//!
//! # What the client does for every call
//!
//! - **Validation** of the request against the spec (on by default), all violations at once.
//! - **Signing**: a fresh 16-hex-digit nonce from the OS's CSPRNG and the current time on every
//!   attempt; the [`ServerSecret`] never appears in `Debug` output, errors or logs.
//! - **Wire format**: POST sends the public parameters in the query and the fields as JSON;
//!   GET sends everything in the query (`Name[]=v` for arrays); unset optional fields are
//!   never sent.
//! - **Rate limiting** to each action's QPS, per app, group, room or message: in this process,
//!   or (feature `redis`, [`RateLimitBackend`]) shared through Redis by every replica, daily
//!   caps included.
//! - **Retries** with exponential backoff and full jitter on "server busy" and rate-limit codes,
//!   and on transport failures for actions that are safe to resend ([`RetryPolicy`]).
//! - **Transport limits**: redirects are never followed (the API never sends one; a 3xx
//!   fails the call), and response bodies are read within
//!   [`ClientBuilder::max_response_body`] (16 MiB by default).
//! - **Decoding** that accepts numbers sent as strings, keeps 64-bit ids exact and defaults
//!   absent fields ([`runtime::lenient`]).
//! - **Tracing**: a `zim.call` span per call (action, attempt, request id) and a `zim.attempt`
//!   span per attempt.
//!
//! Batch responses that can partly fail implement [`PartialFailure`]; paginated requests
//! implement [`Paginated`].

// Generated code names the runtime `::zim_client::...`, also from inside this crate.
extern crate self as zim_client;

pub mod runtime;

// Formatted by the generator (prettyplease); rustfmt leaves it alone so `--check` stays exact.
/// The client generated from `spec/` by `cargo run -p zim-codegen -- generate`.
#[cfg(feature = "generated")]
#[rustfmt::skip]
pub mod generated;

pub use runtime::action::{
    Action, ActionMeta, FailedItem, FailureSummary, HostKind, ItemFailure, Method, Paginated,
    PartialFailure, Qps, QpsScope,
};
pub use runtime::client::{BuildError, Client, ClientBuilder, Execute, PreparedRequest};
pub use runtime::codes::{CodeInfo, ReturnCodeEnum};
pub use runtime::error::{ApiError, Error};
pub use runtime::rate_limit::RateLimitBackend;
#[cfg(feature = "redis")]
pub use runtime::rate_limit::redis::{RedisRateLimit, WhenRedisFails};
pub use runtime::region::Region;
pub use runtime::retry::RetryPolicy;
pub use runtime::secret::ServerSecret;
pub use runtime::text_or_object::TextOrObject;
pub use runtime::validate::{
    CheckInt, CheckText, Rule, Validate, Validator, Violation, Violations,
};

/// The HTTP client crate, for building a [`reqwest::Client`] to pass to
/// [`ClientBuilder::http_client`] at the version this crate uses.
pub use reqwest;

/// Everything a caller needs in scope: the client, its settings and errors, and the
/// per-category extension traits that add one method per action to [`Client`].
pub mod prelude {
    pub use crate::{
        Action, ApiError, Client, ClientBuilder, Error, Paginated, PartialFailure, Region,
        RetryPolicy, ReturnCodeEnum, ServerSecret, Validate,
    };
    // The generated extension traits (`UserActions`, ...).
    #[cfg(feature = "generated")]
    pub use crate::generated::prelude::*;
}
