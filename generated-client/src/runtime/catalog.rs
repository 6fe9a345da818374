//! Every action as data, for tools that work from names and JSON rather than Rust types (the
//! `zim` command line): what the generated `catalog` module describes, and the calls its
//! entries point to.
//!
//! The generated table holds one [`ActionInfo`] per action; its function pointers are these
//! generic functions monomorphised for the action's request type, so all the logic lives
//! here once and the generated code is data. Requests are read strictly (exact types, no
//! unknown keys), responses written in their wire form (feature `serialize-responses`).

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::StreamExt as _;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::action::{Action, Method, Paginated};
use super::client::{Client, PreparedRequest};
use super::codes::CodeInfo;
use super::error::Error;

/// One action: its facts, its fields and return codes, and how to call it with JSON.
#[derive(Debug, Clone, Copy)]
pub struct ActionInfo {
    /// Name sent as `Action=` (`QueryGroupsInfoOfUser`).
    pub name: &'static str,
    /// Category of the spec (`user`).
    pub category: &'static str,
    /// What the action does, in one sentence.
    pub purpose: &'static str,
    /// Further notes for callers; may be empty.
    pub docs: &'static str,
    pub method: Method,
    /// Id of the service host of an action not served by the regional hosts.
    pub host: Option<&'static str>,
    /// The QPS limit in words (`20/s per app`).
    pub qps: &'static str,
    /// Whether resending after a lost response cannot repeat an effect.
    pub retry_safe: bool,
    pub pagination: Option<PageInfo>,
    /// Request fields, in spec order.
    pub request: &'static [FieldInfo],
    /// Response fields (next to the envelope), in spec order.
    pub response: &'static [FieldInfo],
    /// Codes the action documents; the global table covers the rest.
    pub codes: &'static [CodeInfo],
    /// Reads the request from JSON and sends it (see [`call`]).
    pub call: CallFn,
    /// Reads the request from JSON and signs it without sending (see [`prepare`]).
    pub prepare: PrepareFn,
    /// For paginated actions: every item of every page (see [`items`]).
    pub items: Option<ItemsFn>,
}

/// How a paginated action pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// `numeric next`, `string next`, `next flag` or `start flag`.
    pub style: &'static str,
    /// Request field carrying the cursor.
    pub cursor: &'static str,
    /// Response field carrying the next page's cursor.
    pub next: &'static str,
    /// Response array holding one page of items.
    pub items: &'static str,
}

/// How a field's value is written on a command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A string (JSON text fields included: their value is the text).
    Text,
    Bool,
    Integer,
    /// An array of strings.
    TextList,
    /// An array of integers.
    IntegerList,
    /// An array of booleans.
    BoolList,
    /// Anything else (objects, maps, shared types, nested arrays): JSON.
    Json,
}

/// One field of a request, response or nested object.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// Wire name, exactly as sent.
    pub name: &'static str,
    /// The spec's type expression (`array<string>`, `MessageBody`).
    pub ty: &'static str,
    pub kind: FieldKind,
    /// Request: the caller must set it. Response: the server always sends it.
    pub required: bool,
    pub docs: &'static str,
    /// The limits in words (`at most 32 characters`); empty when none.
    pub limits: &'static str,
    /// The server's default, as spec text.
    pub default: Option<&'static str>,
    /// `closed`, `open` or `flags` when the field lists possible values.
    pub values_kind: Option<&'static str>,
    pub values: &'static [ValueInfo],
    /// Fields of an object (or of a shared object type); empty otherwise.
    pub fields: &'static [FieldInfo],
    /// For a field of a variant type: the sibling field that selects the shape.
    pub selector: Option<&'static str>,
    /// Shapes of a variant type.
    pub variants: &'static [VariantInfo],
}

/// A documented possible value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueInfo {
    /// The wire value as JSON text (`1`, `"a"`, `true`).
    pub value: &'static str,
    /// Its name (`TwoWay`).
    pub name: &'static str,
    pub docs: &'static str,
}

/// One shape of a variant type.
#[derive(Debug, Clone, Copy)]
pub struct VariantInfo {
    pub name: &'static str,
    /// Selector values choosing it, as text (`1, 2`).
    pub when: &'static str,
    pub docs: &'static str,
    pub fields: &'static [FieldInfo],
}

/// Why a JSON call failed.
#[derive(Debug)]
pub enum CallError {
    /// The JSON is not a request of the action (wrong type, unknown key, missing field);
    /// nothing was sent.
    Request(String),
    /// The call failed (invalid request, API error, transport, decoding...).
    Client(Error),
    /// The response could not be written as JSON.
    Response(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Request(reason) => write!(f, "not a valid request: {reason}"),
            CallError::Client(error) => error.fmt(f),
            CallError::Response(reason) => write!(f, "cannot write the response: {reason}"),
        }
    }
}

impl std::error::Error for CallError {}

/// A call in flight, answering with the response as JSON.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<Value, CallError>> + Send>>;
/// Items of every page, each as JSON.
pub type ItemStream = Pin<Box<dyn Stream<Item = Result<Value, CallError>> + Send>>;
/// [`ActionInfo::call`].
pub type CallFn = fn(&Client, Value) -> CallFuture;
/// [`ActionInfo::prepare`].
pub type PrepareFn = fn(&Client, Value) -> Result<PreparedRequest, CallError>;
/// [`ActionInfo::items`].
pub type ItemsFn = fn(&Client, Value) -> Result<ItemStream, CallError>;

/// Reads `value` as a request of `A`, strictly: a key `A` does not have is an error, and a
/// type error names the path of the value.
pub fn request<A: DeserializeOwned>(value: Value) -> Result<A, CallError> {
    let mut unknown = Vec::new();
    // serde_ignored marks the inside of an `Option` with a `?` segment; users never see one.
    let mut note_unknown =
        |path: serde_ignored::Path<'_>| unknown.push(path.to_string().replace("?.", ""));
    let tracked = serde_ignored::Deserializer::new(value, &mut note_unknown);
    let request = serde_path_to_error::deserialize(tracked).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if path == "." {
            CallError::Request(inner.to_string())
        } else {
            CallError::Request(format!("at `{path}`: {inner}"))
        }
    })?;
    if !unknown.is_empty() {
        return Err(CallError::Request(format!(
            "unknown field{} {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(request)
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, CallError> {
    serde_json::to_value(value).map_err(|err| CallError::Response(err.to_string()))
}

/// Reads the request of `A` from `value`, sends it with `client` (validated, signed, rate
/// limited, retried as the client is built) and returns the response in its wire form.
pub fn call<A>(client: &Client, value: Value) -> CallFuture
where
    A: Action + DeserializeOwned + 'static,
    A::Response: Serialize,
{
    let client = client.clone();
    Box::pin(async move {
        let request: A = request(value)?;
        let response = client.execute(&request).await.map_err(CallError::Client)?;
        to_json(&response)
    })
}

/// Reads the request of `A` from `value` and prepares it as one attempt would send it.
pub fn prepare<A>(client: &Client, value: Value) -> Result<PreparedRequest, CallError>
where
    A: Action + DeserializeOwned,
{
    let request: A = request(value)?;
    client.prepare(&request).map_err(CallError::Client)
}

/// Reads the request of `A` from `value` and streams every item of every page from its
/// cursor on; an error ends the stream.
pub fn items<A>(client: &Client, value: Value) -> Result<ItemStream, CallError>
where
    A: Paginated + DeserializeOwned + 'static,
    A::Item: Serialize,
{
    let request: A = request(value)?;
    let stream = client.items(request).map(|item| match item {
        Ok(item) => to_json(&item),
        Err(error) => Err(CallError::Client(error)),
    });
    Ok(Box::pin(stream))
}

/// The action named `name` in `actions`.
pub fn find<'a>(actions: &'a [ActionInfo], name: &str) -> Option<&'a ActionInfo> {
    actions.iter().find(|action| action.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Sample {
        limit: i32,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Inner {
        a: String,
    }

    #[test]
    fn requests_are_read_strictly() {
        let ok: Sample = request(serde_json::json!({"Limit": 3})).unwrap();
        assert_eq!(ok.limit, 3);
        let Err(CallError::Request(unknown)) = request::<Sample>(
            serde_json::json!({"Limit": 3, "Limt": 4, "Inner": {"a": "x", "b": 1}}),
        ) else {
            panic!("unknown keys accepted");
        };
        assert_eq!(unknown, "unknown fields `Inner.b`, `Limt`");
        let Err(CallError::Request(typed)) = request::<Sample>(serde_json::json!({"Limit": "3"}))
        else {
            panic!("a number as a string accepted");
        };
        assert!(typed.starts_with("at `Limit`: invalid type"), "{typed}");
    }
}
