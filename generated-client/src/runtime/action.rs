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

impl Qps {
    /// A limit of `limit` per second in `scope`, with an optional daily cap.
    pub const fn new(limit: u32, scope: QpsScope, per_day: Option<u32>) -> Qps {
        Qps {
            limit,
            scope,
            per_day,
        }
    }
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
///
/// The API names the list eight ways (`ErrorList`, `ErrList`, `ErrorUsers`, `Fails`,
/// `FailKey`, `FailKeys`, `FailList`, `ErrKeyList`); every batch response reads the same here.
pub trait PartialFailure {
    /// The failed items, in one shape whatever the list is called on the wire.
    fn failures(&self) -> Vec<ItemFailure<'_>>;

    /// Whether any item failed.
    fn has_failures(&self) -> bool {
        !self.failures().is_empty()
    }

    /// `Ok` when every item succeeded; otherwise the failures as an error value that owns its
    /// data, for `?` or for logging.
    fn check_failures(&self) -> Result<(), FailureSummary> {
        let failed: Vec<FailedItem> = self
            .failures()
            .into_iter()
            .map(|failure| FailedItem {
                id: failure.id.map(str::to_owned),
                code: failure.code,
                message: failure.message.map(str::to_owned),
            })
            .collect();
        if failed.is_empty() {
            Ok(())
        } else {
            Err(FailureSummary { failed })
        }
    }
}

/// An owned [`ItemFailure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedItem {
    pub id: Option<String>,
    pub code: i64,
    pub message: Option<String>,
}

/// The items of a batch call that failed; see [`PartialFailure::check_failures`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureSummary {
    pub failed: Vec<FailedItem>,
}

impl std::fmt::Display for FailureSummary {
    /// `2 items failed: u1 (code 660800027: already friends), u2 (code 1)`; at most ten are
    /// listed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const LISTED: usize = 10;
        let count = self.failed.len();
        write!(
            f,
            "{count} item{} failed: ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, item) in self.failed.iter().take(LISTED).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(
                f,
                "{} (code {}",
                item.id.as_deref().unwrap_or("?"),
                item.code
            )?;
            match item.message.as_deref().filter(|m| !m.is_empty()) {
                Some(message) => write!(f, ": {message})")?,
                None => f.write_str(")")?,
            }
        }
        if count > LISTED {
            write!(f, " and {} more", count - LISTED)?;
        }
        Ok(())
    }
}

impl std::error::Error for FailureSummary {}

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

#[cfg(test)]
mod tests {
    use super::*;

    struct Batch(Vec<(&'static str, i64)>);

    impl PartialFailure for Batch {
        fn failures(&self) -> Vec<ItemFailure<'_>> {
            self.0
                .iter()
                .map(|(id, code)| ItemFailure {
                    id: Some(id),
                    code: *code,
                    message: (*code == 7).then_some("busy"),
                })
                .collect()
        }
    }

    #[test]
    fn summaries() {
        assert!(Batch(vec![]).check_failures().is_ok());
        assert!(!Batch(vec![]).has_failures());
        let summary = Batch(vec![("u1", 660_800_027), ("u2", 7)])
            .check_failures()
            .unwrap_err();
        assert_eq!(
            summary.to_string(),
            "2 items failed: u1 (code 660800027), u2 (code 7: busy)"
        );
        let many = Batch(vec![("u", 1); 12]).check_failures().unwrap_err();
        assert!(many.to_string().ends_with(" and 2 more"), "{many}");
    }
}
