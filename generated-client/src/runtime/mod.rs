//! The hand-written runtime every generated action calls.
//!
//! One concern per module: [`client`] (configuration and `execute`), [`sign`] (signatures),
//! [`query`] (GET encoding), [`redirect`] (refusing redirects), [`body`] (reading a body
//! within its limit), [`decode`] (envelope and response), [`lenient`] (field decoding),
//! [`text_or_object`] (a field sent as text or as an object), [`error`], [`retry`],
//! [`rate_limit`], [`paginate`], [`region`] and [`secret`]; plus the traits generated code
//! implements: [`action`], [`codes`] and [`validate`]; and, with the `catalog` feature,
//! [`catalog`] (every action as data, callable with JSON).

pub mod action;
pub mod body;
#[cfg(feature = "catalog")]
pub mod catalog;
pub mod client;
pub mod codes;
pub mod decode;
pub mod error;
pub mod lenient;
pub mod paginate;
pub mod query;
pub mod rate_limit;
pub mod redirect;
pub mod region;
pub mod retry;
pub mod secret;
pub mod sign;
pub mod text_or_object;
pub mod validate;
mod validate_rules;
