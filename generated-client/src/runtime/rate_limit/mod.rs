//! Client-side rate limiting, so a burst from one process stays within each action's QPS.
//!
//! One concern per module: [`local`] keeps the limits in this process; this module says what
//! one call counts against.
//!
//! One limit per action, keyed by the scope of its limit:
//! - per app: one key for all calls of the action;
//! - per group or room: one key per [`Action::rate_key`] (calls without a key share one);
//! - per message: one key, and each call counts [`Action::rate_cost`] units.
//!
//! Per-call limits release calls evenly (one every `1/QPS` seconds, no burst), so no
//! one-second window seen by the server holds more than QPS calls. Per-message limits allow a
//! burst of up to one second's worth of units, since a single call may carry that many.

pub mod local;

use super::action::{Action, QpsScope};
use local::LocalLimits;

/// What one call counts against within its action's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Charge<'a> {
    /// The group or room id for group and room limits; empty for the others.
    pub key: &'a str,
    /// Units the call uses: its items for per-message limits (at least 1), else 1.
    pub units: u32,
}

impl<'a> Charge<'a> {
    /// The charge of `request` under its action's limit.
    pub fn of<A: Action>(request: &'a A) -> Charge<'a> {
        match A::META.qps.scope {
            QpsScope::App => Charge { key: "", units: 1 },
            QpsScope::Group | QpsScope::Room => Charge {
                key: request.rate_key().unwrap_or_default(),
                units: 1,
            },
            QpsScope::Message => Charge {
                key: "",
                units: request.rate_cost().max(1),
            },
        }
    }
}

/// The rate limits of one client and its clones.
#[derive(Debug, Default)]
pub struct RateLimits {
    local: LocalLimits,
}

impl RateLimits {
    /// Waits until `request` may be sent under its action's limit.
    pub async fn acquire<A: Action>(&self, request: &A) {
        self.local.acquire(request).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::action::{ActionMeta, HostKind, Method, Qps};
    use crate::runtime::codes::CodeInfo;
    use crate::runtime::validate::{Validate, Validator};

    #[derive(serde::Serialize)]
    struct Call<const SCOPE: u8> {
        key: Option<String>,
        items: u32,
    }

    impl<const SCOPE: u8> Validate for Call<SCOPE> {
        fn validate_into(&self, _: &mut Validator) {}
    }

    impl<const SCOPE: u8> Action for Call<SCOPE> {
        type Response = ();
        const META: ActionMeta = ActionMeta {
            name: "Scoped",
            method: Method::Post,
            host: HostKind::Regional,
            qps: Qps {
                limit: 5,
                scope: match SCOPE {
                    0 => QpsScope::App,
                    1 => QpsScope::Room,
                    _ => QpsScope::Message,
                },
                per_day: None,
            },
            retry_safe: true,
            paginated: false,
            response_wrapper: None,
        };
        fn code_info(_: i64) -> Option<&'static CodeInfo> {
            None
        }
        fn rate_key(&self) -> Option<&str> {
            self.key.as_deref()
        }
        fn rate_cost(&self) -> u32 {
            self.items
        }
    }

    #[test]
    fn charges_follow_the_scope() {
        let app = Call::<0> {
            key: Some("r1".into()),
            items: 7,
        };
        assert_eq!(Charge::of(&app), Charge { key: "", units: 1 });
        let room = Call::<1> {
            key: Some("r1".into()),
            items: 7,
        };
        assert_eq!(
            Charge::of(&room),
            Charge {
                key: "r1",
                units: 1
            }
        );
        let keyless = Call::<1> {
            key: None,
            items: 1,
        };
        assert_eq!(Charge::of(&keyless), Charge { key: "", units: 1 });
        let message = Call::<2> {
            key: None,
            items: 7,
        };
        assert_eq!(Charge::of(&message), Charge { key: "", units: 7 });
        let empty = Call::<2> {
            key: None,
            items: 0,
        };
        assert_eq!(Charge::of(&empty).units, 1, "a call counts at least once");
    }
}
