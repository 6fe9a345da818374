//! What every generated action tells the runtime about itself.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codes::CodeInfo;
use super::validate::Validate;

/// HTTP method of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Every parameter goes in the query string.
    Get,
    /// Business parameters go in a JSON body.
    Post,
}

/// Which host an action is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostKind {
    /// The regional host the client was built with.
    Regional,
    /// A fixed service host, independent of the client's region (host name, no scheme).
    Service(&'static str),
}

/// What a server-side rate limit is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QpsScope {
    /// All calls of the app.
    App,
    /// Calls per group id.
    Group,
    /// Calls per room id.
    Room,
    /// Each item of a request array counts as one call.
    Message,
}

/// The server's rate limit for an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Qps {
    /// Calls (or counted items) per second.
    pub limit: u32,
    pub scope: QpsScope,
    /// A further cap per 24 hours, if the API documents one.
    pub per_day: Option<u32>,
}

/// Static facts about an action, as generated from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionMeta {
    /// Name sent as `Action=`.
    pub name: &'static str,
    pub method: Method,
    pub host: HostKind,
    pub qps: Qps,
    /// Whether resending after a transport failure cannot duplicate an effect.
    pub retry_safe: bool,
    /// Whether the action pages through results.
    pub paginated: bool,
    /// Object the response fields are wrapped in (`Data`), if they are not at top level.
    pub response_wrapper: Option<&'static str>,
}

/// A request of one action. Generated for every action's request type; the client's
/// `execute` takes any `Action`.
pub trait Action: Serialize + Validate + Send + Sync {
    /// The action's response fields (without the envelope).
    type Response: DeserializeOwned + Send + 'static;

    const META: ActionMeta;

    /// Codes this action documents; the global table is consulted after it.
    fn code_info(code: i64) -> Option<&'static CodeInfo>;

    /// Rate-limit key for group- or room-scoped limits (the group or room id).
    fn rate_key(&self) -> Option<&str> {
        None
    }

    /// Units this call counts against the rate limit (items, for per-message limits).
    fn rate_cost(&self) -> u32 {
        1
    }
}

/// A paginated action: how to move its cursor and where its items are.
pub trait Paginated: Action + Clone {
    /// One item of a page.
    type Item: Send + 'static;
    /// The cursor type (a number or a string).
    type Cursor: Clone + PartialEq + Send + 'static;

    /// Sets the request's cursor for the next page.
    fn set_cursor(&mut self, cursor: Self::Cursor);
    /// Cursor of the page after `page`, or `None` when `page` is the last.
    fn next_cursor(page: &Self::Response) -> Option<Self::Cursor>;
    /// Takes the items out of a page.
    fn into_items(page: Self::Response) -> Vec<Self::Item>;
}

/// A batch response that lists items which failed while the call as a whole succeeded.
pub trait PartialFailure {
    /// The failed items, in one shape whatever the list is called on the wire.
    fn failures(&self) -> Vec<ItemFailure<'_>>;
}

/// One failed item of a batch call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFailure<'a> {
    /// What failed (a user id, a key), when the list names it.
    pub id: Option<&'a str>,
    /// The item's return code.
    pub code: i64,
    /// The item's message, when the list carries one.
    pub message: Option<&'a str>,
}
